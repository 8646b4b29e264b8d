"""Statements with a run-time effect: `assert_stmt`, `print_`, `setitem`."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .registry import _cache, _lookup, backend_of

__all__ = ["assert_stmt", "print_", "setitem"]


def assert_stmt(expression1: Any, expression2: Callable[[], Any] | None = None) -> Any:
    """Functional form of `assert expression1, expression2()` (the message is a thunk,
    evaluated only when the assertion fails; None for an assert without a message).

    Plain Python equivalent::

        if not expression1:
            raise AssertionError(expression2()) if expression2 else AssertionError()

    A tensor condition becomes the backend's run-time assertion (the message thunk is then
    evaluated at trace time).
    """
    try:
        backend = _cache[type(expression1)]
    except KeyError:
        backend = _lookup(expression1)
    if backend is None:
        if not expression1:
            if expression2 is None:
                raise AssertionError()
            raise AssertionError(expression2())
        return None
    message = expression2() if expression2 is not None else None
    return backend.assert_(expression1, message)


def print_(*args: Any, **kwargs: Any) -> Any:
    """Functional form of `print(*args, **kwargs)`.

    Plain Python equivalent: `print(*args, **kwargs)`. When an argument is a tensor, its
    backend prints at run time.
    """
    for a in args:
        try:
            backend = _cache[type(a)]
        except KeyError:
            backend = _lookup(a)
        if backend is not None:
            return backend.print_(*args, **kwargs)
    print(*args, **kwargs)
    return None


def _owner(key: Any, value: Any) -> Any:
    b = backend_of(value)
    if b is not None:
        return b
    if type(key) is tuple:
        for k in key:
            b = backend_of(k)
            if b is not None:
                return b
        return None
    return backend_of(key)


def setitem(target: Any, key: Any, value: Any) -> Any:
    """Functional form of `target[key] = value`; returns the (possibly new) target.

    Plain Python equivalent::

        target[key] = value
        return target

    A tensor target is updated functionally by its backend (`backend.setitem`). A numpy array
    target with a tensor key or value is lifted to a tensor first.
    """
    try:
        backend = _cache[type(target)]
    except KeyError:
        backend = _lookup(target)
    if backend is not None:
        return backend.setitem(target, key, value)
    if isinstance(target, np.ndarray):
        backend = _owner(key, value)
        if backend is not None:
            return backend.setitem(backend.to_tensor(target), key, value)
    target[key] = value
    return target
