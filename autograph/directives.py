"""Directives: calls that do nothing in Python and tell the converter how to stage a statement.

`set_loop_options` is TensorFlow AutoGraph's directive of the same name: called in the body of
a loop, it sets the options of that loop (the innermost one that contains the call) when the
loop is staged. The converter (`converters/directives.py`) removes the call from the loop's
functional form and passes its arguments to `ag__.while_stmt`/`ag__.for_stmt` as loop options;
they are evaluated once, before the loop. Run as plain Python (the loop is not staged, or the
function is not converted), the call does nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["UNSPECIFIED", "set_loop_options"]


class _Unspecified:
    def __repr__(self) -> str:
        return "UNSPECIFIED"


UNSPECIFIED = _Unspecified()

#: The options the converter passes to the runtime (the others are accepted for TensorFlow
#: compatibility and ignored: no backend has parallel iterations to tune or memory to swap).
LOOP_OPTIONS = ("maximum_iterations", "shape_invariants")


def set_loop_options(parallel_iterations: Any = UNSPECIFIED, swap_memory: Any = UNSPECIFIED,
                     maximum_iterations: Any = UNSPECIFIED,
                     shape_invariants: Any = UNSPECIFIED) -> None:
    """Sets the options of the enclosing loop when it is staged; does nothing in Python.

    Args:
      maximum_iterations: an int (or a 0-d int tensor): the staged loop stops after this many
        iterations even if its condition still holds (`tf.while_loop(maximum_iterations=)`,
        a counter in JAX's `lax.while_loop`). It also bounds a list appended to in a staged
        `while` loop on JAX, which becomes a buffer of that many rows.
      shape_invariants: a list of `(variable, shape)` pairs: a loop variable whose shape may
        change between iterations (a `None` dimension), on backends that allow it.
      parallel_iterations, swap_memory: accepted for TensorFlow compatibility; ignored.

    Example::

        while x > 1:
            autograph.set_loop_options(maximum_iterations=100)
            x = step(x)
    """
    del parallel_iterations, swap_memory, maximum_iterations, shape_invariants
