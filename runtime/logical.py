"""Logical operators and conditional expressions: `and_`, `or_`, `not_`, `if_exp`.

Python operands keep Python's short-circuit semantics exactly (the result is an operand, not a
bool). A tensor operand is combined by its backend: with `cond` (lazy, the default) or with
`logical_and`/`logical_or`/`select` when the backend sets `short_circuit = False` (a numeric
left operand then gives an operand, `where(a != 0, b, a)` for `a and b`, as Python does).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

import numpy as np

from .control_flow import check_select, if_stmt
from .registry import _cache, _lookup
from .special_values import Undefined

__all__ = ["and_", "or_", "not_", "if_exp"]


def _cond_value(cond: Any, if_true: Callable[[], Any], if_false: Callable[[], Any],
                name: str) -> Any:
    """`if_true() if cond else if_false()` through if_stmt (both traced for a tensor cond)."""
    box = [Undefined(name)]

    def get_state():
        return (box[0],)

    def set_state(values):
        box[0] = values[0]

    def body():
        box[0] = if_true()

    def orelse():
        box[0] = if_false()

    if_stmt(cond, body, orelse, get_state, set_state, (name,), 1)
    return box[0]


def _like_bool(a: Any, value: Any) -> Any:
    """With a staged boolean `a`, the other operand as a boolean too (`t > 0 and n` with an
    int `n` stages as `t > 0 and n != 0`): both branches of the cond must agree in dtype."""
    if getattr(getattr(a, "dtype", None), "kind", None) != "b":
        return value
    if isinstance(value, (bool, int, float, complex)):
        return bool(value)
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind is not None and kind != "b":
        return value != 0
    return value


def _dtype_kind(value: Any) -> str | None:
    return getattr(getattr(value, "dtype", None), "kind", None)


def _truth(a: Any) -> Any:
    """A tensor's truth as a boolean tensor: itself if boolean, else `a != 0`."""
    kind = _dtype_kind(a)
    return a if kind is None or kind == "b" else a != 0


def _operand_name(a: Any) -> str | None:
    """The name of the user's variable that holds `a` (looked up in the calling frames of
    converted code, outside the runtime), for an error message; None when there is none."""
    frame = sys._getframe(1)
    runtime_dir = os.path.dirname(__file__)
    depth = 0
    while frame is not None and depth < 8:
        if not frame.f_code.co_filename.startswith(runtime_dir):
            for name, value in frame.f_locals.items():
                if value is a and not name.startswith("ag__"):
                    return name
        frame = frame.f_back
        depth += 1
    return None


def _eager_operand(backend: Any, a: Any, b: Any, op: str) -> Any:
    """`a and b` / `a or b` on a tensor `a` with both operands evaluated (a backend whose
    `short_circuit` is False). Python's result is an operand, not a bool:

    - a boolean `a`: `logical_and`/`logical_or`, with `b` as a boolean too (as the lazy form
      does, see `_like_bool`: `t > 0 and n` is `t > 0 and n != 0`);
    - a numeric `a`: `a and b` is `b if a else a`, `a or b` is `a if a else b`: a `select` on
      `a != 0`, so `0 - (z or 0)` is `-z`. Both operands must then have one dtype and shape
      (a Python number takes `a`'s dtype when it fits it: `x and 2` on a float `x`);
      otherwise the result's type would depend on `a`'s value at run time, which no staged
      program can express, and a StagingError names the operand.
    """
    kind = _dtype_kind(a)
    if kind is None or kind == "b":
        b = _like_bool(a, b)
        return backend.logical_and(a, b) if op == "and" else backend.logical_or(a, b)
    other = b
    ok = not isinstance(b, bool) and _dtype_kind(b) != "b"
    if ok:
        try:
            other = b if _lookup(b) is backend else backend.to_tensor(b, like=a)
            ok = (np.dtype(other.dtype) == np.dtype(a.dtype)
                  and tuple(other.shape) == tuple(a.shape))
        except (TypeError, ValueError, AttributeError):
            ok = False
    if not ok:
        raise _operand_error(backend, a, b, op)
    if op == "and":
        return backend.select(a, other, a)
    return backend.select(a, a, other)


def _describe(backend: Any, value: Any) -> str:
    spec = backend.spec(value) if _lookup(value) is backend else None
    if spec is not None:
        return f"a tensor {spec}"
    return f"a Python {type(value).__name__}"


def _operand_error(backend: Any, a: Any, b: Any, op: str) -> Exception:
    from .registry import staging_error

    name = _operand_name(a)
    left = f"'{name}'" if name else "the left operand"
    picked, other = ("the right operand", left) if op == "and" else (left, "the right operand")
    return staging_error(
        f"`{op}` on a traced value: Python gives {picked} when {left} is nonzero and "
        f"{other} otherwise, but {left} is {_describe(backend, a)} and the right operand is "
        f"{_describe(backend, b)}, so the result's dtype or shape would depend on the value of "
        f"{left} at run time, which a staged program cannot express. Fix: give both operands "
        f"the same dtype and shape (cast one of them), or compare explicitly "
        f"(`{name or 'x'} != 0 {op} ...`) for a boolean.", variable=name)


def and_(a: Any, b: Callable[[], Any], test: bool = False) -> Any:
    """Functional form of `a and b`; `b` is a thunk evaluated only when needed. `test=True`
    when only the result's truth is used (an `if`/`while`/`assert` test, an operand of `not`):
    a numeric tensor then stands for its truth, `a != 0`, so `if n and x > 0:` stages with an
    int `n` although `n and x > 0` has no single dtype as a value.

    Plain Python equivalent: `a and b()`.
    """
    try:
        backend = _cache[type(a)]
    except KeyError:
        backend = _lookup(a)
    if backend is None:
        return a and b()
    if test:
        a = _truth(a)
    if backend.short_circuit:
        return _cond_value(a, lambda: _like_bool(a, b()), lambda: a, "<and>")
    return _eager_operand(backend, a, b(), "and")


def or_(a: Any, b: Callable[[], Any], test: bool = False) -> Any:
    """Functional form of `a or b`; `b` is a thunk evaluated only when needed (`test`: as for
    `and_`).

    Plain Python equivalent: `a or b()`.
    """
    try:
        backend = _cache[type(a)]
    except KeyError:
        backend = _lookup(a)
    if backend is None:
        return a or b()
    if test:
        a = _truth(a)
    if backend.short_circuit:
        return _cond_value(a, lambda: a, lambda: _like_bool(a, b()), "<or>")
    return _eager_operand(backend, a, b(), "or")


def not_(a: Any) -> Any:
    """Functional form of `not a`.

    Plain Python equivalent: `not a`.
    """
    try:
        backend = _cache[type(a)]
    except KeyError:
        backend = _lookup(a)
    if backend is None:
        return not a
    return backend.logical_not(a)


def if_exp(cond: Any, if_true: Callable[[], Any], if_false: Callable[[], Any],
           expr_repr: str = "<if expression>") -> Any:
    """Functional form of the conditional expression `x if cond else y` (thunks for the arms).

    Plain Python equivalent: `if_true() if cond else if_false()`.
    """
    try:
        backend = _cache[type(cond)]
    except KeyError:
        backend = _lookup(cond)
    if backend is None:
        return if_true() if cond else if_false()
    if backend.short_circuit:
        return _cond_value(cond, if_true, if_false, expr_repr)
    a, b = if_true(), if_false()
    # The same dtype rule as a staged if (`select` itself may promote more, as `jnp.where`).
    check_select(backend, a, b, expr_repr)
    return backend.select(cond, a, b)
