"""Exceptions raised by the embedded graph engine."""

from __future__ import annotations

import os
import sys

__all__ = ["GraphTensorError", "GraphAssertionError", "UnsupportedNumpyError"]

_HOW_TO_CONVERT = (
    "Python control flow on a graph tensor needs the function to be converted: "
    "wrap it with `autograph.to_graph(f)` or decorate it with `@autograph.function`, "
    "so that this statement is staged into the graph (or call `autograph.cond` / "
    "`autograph.while_loop` directly)"
)


class GraphTensorError(TypeError):
    """Python asked a symbolic graph tensor for a concrete value.

    Raised by ``bool(t)``, ``if t:``, ``for x in t``, ``len(t)``, ``int(t)``, ``t.__index__()``
    and ``np.asarray(t)``: a graph tensor has no value until the graph runs.

    Attributes:
        tensor: the tensor involved.
        kind: what Python asked for: ``'bool'``, ``'iter'``, ``'len'``, ``'index'``, ``'int'``,
            ``'float'``, ``'complex'``, ``'array'`` or ``'contains'``.
    """

    def __init__(self, message: str, tensor=None, kind: str = ""):
        super().__init__(message)
        self.tensor = tensor
        self.kind = kind


class GraphAssertionError(AssertionError):
    """A run-time assertion (:func:`assert_that`) failed while a graph ran."""


class UnsupportedNumpyError(TypeError):
    """A numpy function the engine does not implement was called on a graph tensor."""


def describe_tensor(t) -> str:
    shape = t.shape
    shape_s = "unknown" if shape is None else str(tuple(shape))
    return f"graph tensor '{t.name}' (dtype {t.dtype}, shape {shape_s})"


_IN_CONVERTED_CODE = (
    "This is converted code, but autograph stages statements (if/while/for), `and`/`or`/"
    "`not`, ternaries, `assert` and builtins such as len/min/max, not every use of a tensor: "
    "a comprehension or generator expression over a tensor, or a call into code that is not "
    "converted, runs as Python. Write it as a for loop, or with numpy operations (for "
    "example np.sum(t > 0) or np.where(c, a, b))"
)
_RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _in_converted_code() -> bool:
    """Whether the code that asked a tensor for a Python value is autograph's converted code
    (its file names start with `<autograph:`), past the runtime's and numpy's own frames."""
    frame = sys._getframe(2)
    for _ in range(16):
        if frame is None:
            return False
        filename = frame.f_code.co_filename
        if filename.startswith("<autograph:"):
            return True
        if not (filename.startswith(_RUNTIME_DIR) or f"{os.sep}numpy{os.sep}" in filename):
            return False
        frame = frame.f_back
    return False


def guard_error(t, kind: str) -> GraphTensorError:
    what = describe_tensor(t)
    how = _IN_CONVERTED_CODE if _in_converted_code() else _HOW_TO_CONVERT
    if kind == "bool":
        msg = (
            f"autograph engine: the truth value of {what} is not known until the graph runs, "
            "so it cannot be used as a Python bool (`if`, `while`, `and`/`or`/`not`, `assert`). "
            + how
            + "."
        )
    elif kind == "iter":
        msg = (
            f"autograph engine: cannot iterate over {what} in Python (`for`, unpacking, "
            "list(...)): its length is not known until the graph runs. "
            + how
            + "."
        )
    elif kind == "len":
        msg = (
            f"autograph engine: len() of {what} is not a Python int until the graph runs; "
            "use t.shape[0] for its static length. " + how + "."
        )
    elif kind == "contains":
        msg = (
            f"autograph engine: `x in t` needs the value of {what}, which is not known until "
            "the graph runs; use np.any(t == x) instead. " + how + "."
        )
    elif kind == "array":
        msg = (
            f"autograph engine: cannot convert {what} to a numpy array: it is symbolic and has "
            "no value until the graph runs (run it with graph.run(...)). numpy functions that "
            "take sizes (np.arange, np.zeros, np.ones, np.full, np.eye) accept a graph tensor "
            "only through `like=tensor` or autograph.runtime.engine.numpy_api. "
            + how
            + "."
        )
    else:  # index, int, float, complex
        pyname = {"index": "an index (int)", "int": "an int", "float": "a float",
                  "complex": "a complex"}.get(kind, kind)
        msg = (
            f"autograph engine: cannot convert {what} to {pyname}: it has no value until the "
            "graph runs. Use it with numpy operations instead (sizes for np.arange/np.zeros "
            "go through autograph.runtime.engine.numpy_api, or `like=tensor`). "
            + how
            + "."
        )
    return GraphTensorError(msg, t, kind)
