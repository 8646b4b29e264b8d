"""Logical operators and conditional expressions: `and_`, `or_`, `not_`, `if_exp`.

Python operands keep Python's short-circuit semantics exactly (the result is an operand, not a
bool). A tensor operand is combined by its backend: with `cond` (lazy, the default) or with
`logical_and`/`logical_or`/`select` when the backend sets `short_circuit = False`.
"""

from __future__ import annotations

from typing import Any, Callable

from .control_flow import if_stmt
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


def and_(a: Any, b: Callable[[], Any]) -> Any:
    """Functional form of `a and b`; `b` is a thunk evaluated only when needed.

    Plain Python equivalent: `a and b()`.
    """
    try:
        backend = _cache[type(a)]
    except KeyError:
        backend = _lookup(a)
    if backend is None:
        return a and b()
    if backend.short_circuit:
        return _cond_value(a, lambda: _like_bool(a, b()), lambda: a, "<and>")
    return backend.logical_and(a, b())


def or_(a: Any, b: Callable[[], Any]) -> Any:
    """Functional form of `a or b`; `b` is a thunk evaluated only when needed.

    Plain Python equivalent: `a or b()`.
    """
    try:
        backend = _cache[type(a)]
    except KeyError:
        backend = _lookup(a)
    if backend is None:
        return a or b()
    if backend.short_circuit:
        return _cond_value(a, lambda: a, lambda: _like_bool(a, b()), "<or>")
    return backend.logical_or(a, b())


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
    return backend.select(cond, if_true(), if_false())
