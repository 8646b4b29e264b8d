"""Overloads of the builtins that ask a value for its length, truth or Python number:
`len_`, `min_`, `max_`, `sum_`, `any_`, `all_`, `float_`, `int_`, `bool_`.

Converted code calls these in place of the builtins (converters/builtin_calls.py), as
TensorFlow AutoGraph's `py_builtins` do. Each one first calls the builtin itself, so plain
Python values get exactly Python's result, exception and cost plus one call (no type test runs
before it). Only when the builtin raises a `TypeError` (what a graph tensor or a JAX tracer
raises when asked for its truth value, length or Python number) and an argument is a tensor,
the tensor version runs:

| call | with a tensor |
|---|---|
| `len(t)` | the static length of the first axis (a Python int), or a 0-d int tensor when it is unknown |
| `len(lst)` of a list appended in a staged loop | its length (a 0-d int tensor when only the graph knows it) |
| `max(a, b, ...)` / `min(...)` | elementwise, choosing as Python does (`b if b > a else a`): a tensor |
| `max(t)` / `min(t)` of a 1-d tensor (or of a list holding tensors) | the largest / smallest element |
| `sum(t, start)` | `start + t.sum(axis=0)` (Python adds the rows) |
| `any(t)` / `all(t)` of a 1-d tensor (or a list holding tensors) | a boolean tensor |
| `float(t)`, `int(t)`, `bool(t)` of a 0-d tensor | a 0-d tensor cast to float, int or bool |

`abs`, `round`, `divmod` and `pow` need no overload: tensors implement `__abs__` etc. What has
no tensor meaning (`max(t, key=f)`, `max` of a 2-d tensor, `float` of a vector) raises a
StagingError that says how to write it.
"""

from __future__ import annotations

import builtins
from typing import Any

from .registry import backend_of, staging_error

__all__ = ["len_", "min_", "max_", "sum_", "any_", "all_", "float_", "int_", "bool_",
           "OVERLOADS"]

_len, _min, _max, _sum, _any, _all = (builtins.len, builtins.min, builtins.max, builtins.sum,
                                      builtins.any, builtins.all)
_float, _int, _bool = builtins.float, builtins.int, builtins.bool
_SEQUENCES = (list, tuple)


def _first_tensor(values):
    for v in values:
        b = backend_of(v)
        if b is not None:
            return b
    return None


def _shape(t):
    shape = getattr(t, "shape", None)
    return None if shape is None else tuple(shape)


def _rank(t):
    shape = _shape(t)
    return None if shape is None else _len(shape)


def _iterated(name, t, rows_ambiguous=None):
    """Check the tensor `t` that `name()` iterates: a 0-d tensor is Python's TypeError; with
    `rows_ambiguous` (a template naming `{name}`), rows (rank > 1) are a StagingError that it
    explains. Returns the rank."""
    rank = _rank(t)
    if rank == 0:
        raise TypeError(f"{name}() of a 0-d tensor ({_what(t)}): it is not iterable")
    if rows_ambiguous is not None and rank is not None and rank > 1:
        raise staging_error(f"{name}() of a tensor of rank {rank} ({_what(t)}) "
                            + rows_ambiguous.format(name=name))
    return rank


# len -------------------------------------------------------------------------------------


def len_(obj: Any) -> Any:
    """`len(obj)`; for a tensor, the length of its first axis (an int when known)."""
    try:
        return _len(obj)
    except TypeError:
        backend = backend_of(obj)
        if backend is None:
            raise
    # A list appended in a staged loop: its length is a tensor (TensorFlow's list length).
    length = backend.list_length(obj)
    if length is not NotImplemented:
        return length
    shape = _shape(obj)
    if shape is not None and shape and shape[0] is not None:
        return shape[0]
    if shape == ():
        raise TypeError(f"len() of a 0-d tensor ({_what(obj)}): it has no first axis")
    import numpy as np

    return np.shape(obj)[0]  # the engine's dynamic shape: a 0-d int tensor


# min / max -------------------------------------------------------------------------------


def max_(*args: Any, **kwargs: Any) -> Any:
    """`max(...)`; with tensors, Python's choice (`b if b > a else a`) made elementwise."""
    try:
        return _max(*args, **kwargs)
    except TypeError:
        return _extremum("max", args, kwargs, lambda x, best: x > best)


def min_(*args: Any, **kwargs: Any) -> Any:
    """`min(...)`; with tensors, Python's choice (`b if b < a else a`) made elementwise."""
    try:
        return _min(*args, **kwargs)
    except TypeError:
        return _extremum("min", args, kwargs, lambda x, best: x < best)


def _extremum(name, args, kwargs, better):
    items = _items(name, args)
    backend = _first_tensor(items) if items is not None else None
    if backend is None:
        raise  # re-raises the builtin's own TypeError, from max_/min_'s handler
    if "key" in kwargs and kwargs["key"] is not None:
        raise staging_error(
            f"{name}(..., key=...) on a tensor cannot be staged: the key's results would have to "
            f"be compared as Python values. Fix: compute the keys as a tensor and use "
            f"np.arg{name} (or jnp.arg{name}) on them.")
    if _len(items) == 1 and backend_of(items[0]) is not None and _len(args) == 1:
        return _reduce(name, items[0], kwargs)
    if not items:
        if "default" in kwargs:
            return kwargs["default"]
        raise ValueError(f"{name}() iterable argument is empty")
    best = items[0]
    for x in items[1:]:
        best = _select(backend, better(x, best), x, best)
    return best


def _items(name, args):
    """The values `max(*args)` compares: the arguments, or the one list/tuple argument."""
    if _len(args) == 1:
        only = args[0]
        if isinstance(only, _SEQUENCES):
            return list(only)
        if backend_of(only) is not None:
            return [only]
        return None  # an iterator may be spent: leave the builtin's error as it is
    return list(args)


def _reduce(name, t, kwargs):
    _iterated(name, t, "compares its rows, whose truth value is ambiguous (as for a numpy "
              "array). Fix: use t.{name}() for the {name} of all elements, or "
              "t.{name}(axis=0) for the elementwise {name} of the rows.")
    shape = _shape(t)
    if shape is not None and shape[0] == 0:
        if "default" in kwargs:
            return kwargs["default"]
        raise ValueError(f"{name}() iterable argument is empty")
    return getattr(t, name)()


def _select(backend, cond, a, b):
    if backend_of(cond) is None:  # both Python values: Python's own choice
        return a if cond else b
    return backend.select(cond, a, b)


# sum / any / all -------------------------------------------------------------------------


def sum_(iterable: Any, /, start: Any = 0) -> Any:
    """`sum(iterable, start)`; for a tensor, `start + t.sum(axis=0)` (Python adds its rows)."""
    try:
        return _sum(iterable, start)
    except TypeError:
        if backend_of(iterable) is None:
            raise
    _iterated("sum", iterable)
    return start + iterable.sum(axis=0)


def any_(iterable: Any, /) -> Any:
    """`any(iterable)`; for a 1-d tensor (or a list holding tensors) a boolean tensor."""
    try:
        return _any(iterable)
    except TypeError:
        return _truth("any", iterable)


def all_(iterable: Any, /) -> Any:
    """`all(iterable)`; for a 1-d tensor (or a list holding tensors) a boolean tensor."""
    try:
        return _all(iterable)
    except TypeError:
        return _truth("all", iterable)


def _truth(name, iterable):
    if backend_of(iterable) is not None:
        _iterated(name, iterable, "asks for the truth value of each row, which is ambiguous "
                  "(as for a numpy array). Fix: use t.{name}() over all elements, or "
                  "t.{name}(axis=0).")
        return getattr(iterable, name)()
    items = list(iterable) if isinstance(iterable, _SEQUENCES) else None
    backend = _first_tensor(items) if items is not None else None
    if backend is None:
        raise  # re-raises the builtin's own TypeError, from any_/all_'s handler
    combine = backend.logical_or if name == "any" else backend.logical_and
    decisive = name == "any"  # the truth value that decides the result on its own
    result = None
    for x in items:
        if backend_of(x) is None:
            if _bool(x) is decisive:  # a plain value decides whatever the tensors hold
                return decisive
            continue
        x = x if getattr(getattr(x, "dtype", None), "kind", None) == "b" else x != 0
        result = x if result is None else combine(result, x)
    return result


# float / int / bool ----------------------------------------------------------------------


def float_(x: Any = 0.0, /) -> Any:
    """`float(x)`; a 0-d tensor is cast to the backend's default float dtype."""
    try:
        return _float(x)
    except TypeError:
        return _cast("float", x, _float)


def int_(x: Any = 0, /, *args: Any, **kwargs: Any) -> Any:
    """`int(x)` (and `int(s, base)`); a 0-d tensor is cast (toward zero) to an int dtype."""
    try:
        return _int(x, *args, **kwargs)
    except TypeError:
        if args or kwargs:
            raise
        return _cast("int", x, _int)


def bool_(x: Any = False, /) -> Any:
    """`bool(x)`; a 0-d tensor becomes a boolean tensor (`x != 0`)."""
    try:
        return _bool(x)
    except TypeError:
        return _cast("bool", x, _bool)


def _cast(name, x, dtype):
    if backend_of(x) is None:
        raise  # re-raises the builtin's own TypeError, from the overload's handler
    rank = _rank(x)
    if rank is not None and rank != 0:
        raise staging_error(
            f"{name}() of a tensor of shape {_shape(x)} ({_what(x)}): only a 0-d tensor has "
            f"one {name} value (as for a numpy array). Fix: index one element, or use "
            f".astype({name}) to cast every element.")
    return x.astype(dtype)


def _what(t):
    dtype = getattr(getattr(t, "dtype", None), "name", None)
    shape = _shape(t)
    shape_text = "unknown shape" if shape is None else f"shape {shape}"
    return f"dtype {dtype}, {shape_text}" if dtype else shape_text


#: builtin name -> the name of its overload in the runtime (converters/builtin_calls.py).
OVERLOADS = {"len": "len_", "max": "max_", "min": "min_", "sum": "sum_", "any": "any_",
             "all": "all_", "float": "float_", "int": "int_", "bool": "bool_"}
