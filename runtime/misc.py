"""Statements with a run-time effect: `assert_stmt`, `print_`, `setitem`; and `match_error`,
the handler of a `match` statement that met a tensor."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .registry import _cache, _lookup, backend_of

__all__ = ["assert_stmt", "print_", "setitem", "setitem_after_value_error", "match_error"]


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


def setitem_after_value_error(target: Any, key: Any, value: Any) -> Any:
    """Called (only) in the handler of a `ValueError` that `target[key] = value` raised.

    numpy takes a graph tensor for a sequence, so assigning one into a numpy array's item
    raises `ValueError: setting an array element with a sequence` (the tensor's TypeError is
    its cause), not the TypeError the fast form's handler catches. With a tensor key or value
    the array is lifted and updated functionally (`setitem`); any other ValueError is the
    user's and is raised again (the assignment is not run twice).
    """
    if isinstance(target, np.ndarray) and _owner(key, value) is not None:
        return setitem(target, key, value)
    raise  # the ValueError being handled, unchanged


def _holds_tensor(value: Any) -> bool:
    if backend_of(value) is not None:
        return True
    if type(value) in (tuple, list):
        return any(backend_of(v) is not None for v in value)
    return False


def match_error(exc: BaseException, subject: Any, subject_text: str) -> None:
    """The handler of a `match` statement's TypeError (converters/match_statements.py).

    Plain Python equivalent: `raise exc`. When the error came from the `match` or a `case`
    line (a pattern asked a tensor for its value) and the subject holds a tensor, a
    StagingError naming the subject is raised instead.
    """
    import linecache

    tb = exc.__traceback__
    line = ""
    if tb is not None:  # the first entry is the converted function's own frame
        line = linecache.getline(tb.tb_frame.f_code.co_filename, tb.tb_lineno).lstrip()
    if not line.startswith(("match ", "match(", "case ")) or not _holds_tensor(subject):
        raise exc
    from .registry import staging_error

    raise staging_error(
        f"`match {subject_text}` compares a tensor with its case patterns, which needs the "
        "tensor's value, and that is not known until the graph runs: a match statement cannot "
        f"be staged. Fix: test '{subject_text}' with if/elif (`if {subject_text} == 1: ...`), "
        "which autograph stages, or match on a Python value.", variable=subject_text) from exc
