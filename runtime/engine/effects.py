"""Run-time effects: ``print`` and ``assert_that``."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from .errors import GraphAssertionError
from .graph import Operation, _stack
from .ops import OpKind, Ref, code_of, literal
from .shapes import shape_str
from .tensor import Tensor, add_op, graph_for

__all__ = ["print", "assert_that"]

_builtin_print = builtins.print


def _Variable():
    from .variables import Variable

    return Variable


class _PrintKind(OpKind):
    name = "Print"
    pure = False

    def emit(self, op, em):
        a = op.attrs
        parts = [code_of(x, op, em) for x in a["args"]]
        for k in ("sep", "end", "file", "flush"):
            if k in a["kwargs"]:
                parts.append(f"{k}={literal(a['kwargs'][k], em)}")
        em.line(f"{em.slot(_builtin_print, 'print')}({', '.join(parts)})")

    def describe(self, op):
        return ", ".join(x.__class__.__name__ if type(x) is not Ref else op.inputs[x.i].op.name
                         for x in op.attrs["args"])


class _AssertKind(OpKind):
    name = "Assert"
    pure = False

    def emit(self, op, em):
        c = em.ref(op.inputs[0])
        shape = op.inputs[0].shape
        test = f"not {c}" if shape == () else f"not {c}.all()"
        data = ", ".join(em.ref(t) for t in op.inputs[1:])
        em.line(f"if {test}: {em.slot(_raise_assert, 'f')}({em.slot(op.attrs['message'], 'msg')}, "
                f"({data}{',' if len(op.inputs) == 2 else ''}))")

    def describe(self, op):
        return repr(op.attrs["message"])


PRINT = _PrintKind()
ASSERT = _AssertKind()


def _raise_assert(message, data):
    if data:
        message = f"{message}: " + ", ".join(str(d) for d in data)
    raise GraphAssertionError(message)


def _has_symbolic(args) -> bool:
    Variable = _Variable()
    return any(isinstance(a, Tensor) or (isinstance(a, Variable) and bool(_stack()))
               for a in args)


def print(*args: Any, sep: Optional[str] = " ", end: Optional[str] = "\n", file=None,
          flush: bool = False) -> None:
    """Python's ``print``, but graph tensors are printed with their values when the graph runs,
    in program order (numpy's formatting, as Python prints numpy values). With no tensors it
    prints at once.

    >>> import numpy as np
    >>> import autograph.runtime.engine as ag
    >>> g = ag.Graph()
    >>> with g.as_default():
    ...     x = ag.placeholder(np.float64, (2,))
    ...     ag.print("x is", x, "sum", np.sum(x))
    >>> g.run(None, {x: np.array([1.0, 2.5])})
    x is [1.  2.5] sum 3.5
    """
    if not _has_symbolic(args):
        Variable = _Variable()
        vals = [a.numpy() if isinstance(a, Variable) else a for a in args]
        _builtin_print(*vals, sep=sep, end=end, file=file, flush=flush)
        return None
    Variable = _Variable()
    inputs: list = []
    ids: dict = {}
    tensors = [a for a in args if isinstance(a, Tensor)]
    g = graph_for(tensors)
    tpl = []
    for a in args:
        if isinstance(a, Variable):
            a = a._graph_value(g)
        if isinstance(a, Tensor):
            if getattr(a, "_is_tensor_list", False):
                a = a.stack()
            i = ids.get(id(a))
            if i is None:
                i = ids[id(a)] = len(inputs)
                inputs.append(a)
            tpl.append(Ref(i))
        else:
            tpl.append(a)
    kwargs = {}
    if sep != " ":
        kwargs["sep"] = sep
    if end != "\n":
        kwargs["end"] = end
    if file is not None:
        kwargs["file"] = file
    if flush:
        kwargs["flush"] = True
    add_op(PRINT, "Print", inputs, [], attrs={"args": tuple(tpl), "kwargs": kwargs},
           stateful=True, graph=g)
    return None


def assert_that(condition: Any, message: str = "assertion failed", data: Sequence = ()
                ) -> Optional[Operation]:
    """A run-time assertion: when the graph runs and ``condition`` (a bool tensor; all its
    elements for an array) is False, raise :class:`GraphAssertionError` with ``message`` (and
    the values of the ``data`` tensors). A Python/numpy condition is checked at once.

    Returns the assertion op (or None when checked at once).
    """
    Variable = _Variable()
    if isinstance(condition, Variable):
        condition = condition._graph_value() if _stack() else condition.numpy()
    if not isinstance(condition, Tensor):
        ok = bool(np.all(condition))
        if not ok:
            vals = [d.numpy() if isinstance(d, Variable) else d for d in data]
            _raise_assert(message, vals)
        return None
    if condition.dtype.kind != "b":
        raise TypeError(f"autograph engine: assert_that needs a bool condition, but "
                        f"'{condition.name}' has dtype {condition.dtype} and shape "
                        f"{shape_str(condition.shape)}")
    g = graph_for([condition] + [d for d in data if isinstance(d, Tensor)])
    ins = [condition]
    with g.as_default():
        from .tensor import convert_to_tensor

        for d in data:
            ins.append(convert_to_tensor(d))
    return add_op(ASSERT, "Assert", ins, [], attrs={"message": str(message)}, stateful=True,
                  graph=g)

