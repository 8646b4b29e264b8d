"""List operators: `new_list`, `list_append`, `list_pop`, `list_stack`.

Python lists stay Python lists. A Python list that is a loop variable of a staged loop and grows
in it becomes the backend's growable list (see control_flow); these operators then dispatch to
the backend's `list_append`/`list_pop`/`list_stack`.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .registry import _cache, _lookup, backend_of

__all__ = ["new_list", "list_append", "list_appended", "list_pop", "list_stack"]


def new_list(iterable: Iterable | None = None) -> list:
    """Functional form of a list display / `list(iterable)`.

    Plain Python equivalent: `list(iterable) if iterable is not None else []`.
    """
    return [] if iterable is None else list(iterable)


def list_append(lst: Any, x: Any) -> Any:
    """Functional form of `lst.append(x)`; returns the list.

    Plain Python equivalent::

        lst.append(x)
        return lst
    """
    if type(lst) is list:
        lst.append(x)
        return lst
    try:
        backend = _cache[type(lst)]
    except KeyError:
        backend = _lookup(lst)
    if backend is not None:
        return backend.list_append(lst, x)
    lst.append(x)
    return lst


def list_appended(lst: Any, result: Any) -> Any:
    """What `lst` is after the native statement `lst.append(x)` returned `result` (not None).

    Plain Python equivalent: `lst` (a Python list's `append` changes it in place and returns
    None; any other object's `append` did whatever it does).

    A backend's list (the one a staged loop makes of a Python list that grows in it) cannot
    change in place: its `append` returns the new list, which becomes `lst`.
    """
    if type(lst) is list:
        return lst
    try:
        backend = _cache[type(lst)]
    except KeyError:
        backend = _lookup(lst)
    return result if backend is not None else lst


def list_pop(lst: Any, i: Any = None, opts: Any = None) -> tuple:
    """Functional form of `lst.pop(i)`; returns `(lst, popped_value)`.

    Plain Python equivalent::

        x = lst.pop() if i is None else lst.pop(i)
        return lst, x
    """
    if type(lst) is not list:
        try:
            backend = _cache[type(lst)]
        except KeyError:
            backend = _lookup(lst)
        if backend is not None:
            return tuple(backend.list_pop(lst, i))
    x = lst.pop() if i is None else lst.pop(i)
    return lst, x


def _opt(opts: Any, name: str) -> Any:
    if opts is None:
        return None
    if isinstance(opts, dict):
        return opts.get(name)
    return getattr(opts, name, None)


def list_stack(lst: Any, opts: Any = None) -> Any:
    """Functional form of stacking a list into an array (`np.stack(lst)`).

    Plain Python equivalent: `opts.original_call(lst)` when `opts` names the call it replaces
    (e.g. `np.stack`), else `np.stack(lst)`. A backend list, or a Python list holding tensors,
    is stacked by the backend.
    """
    backend = backend_of(lst)
    if backend is None and type(lst) is list:
        for x in lst:
            backend = backend_of(x)
            if backend is not None:
                break
    if backend is not None:
        return backend.list_stack(lst, opts)
    original = _opt(opts, "original_call")
    if original is not None:
        return original(lst)
    return np.stack(lst)
