"""Iteration helpers: `range_`, `enumerate_`, `zip_` and their fast-form twins `py_*`.

`range_`/`enumerate_`/`zip_` (functional form) return the builtin object for plain arguments,
else a descriptor (`RangeDesc`, `EnumerateDesc`, `ZipDesc`) that `for_stmt` hands to the owning
backend. `py_range`/`py_enumerate`/`py_zip`/`py_iter` (fast form, `for x in ag__.py_range(n)`)
return the plain Python iterable, or raise `StagingRequired` when a backend claims the value:
they cost one Python call over the builtin.
"""

from __future__ import annotations

import sys
from typing import Any, Iterable

from . import registry as _registry
from .registry import StagingRequired, _cache, _lookup, backend_of, wants_static_range

__all__ = ["range_", "enumerate_", "zip_", "py_range", "py_range_jumps", "py_enumerate", "py_zip", "py_iter",
           "RangeDesc", "EnumerateDesc", "ZipDesc"]


class _Desc:
    __slots__ = ()

    def __iter__(self):
        raise TypeError(f"{self!r} has tensor arguments: it can only be the iterable of a "
                        "for loop (which is then staged)")


class RangeDesc(_Desc):
    """`range(start, stop, step)` with tensor arguments: a loop the backend's `for_range` runs."""

    __slots__ = ("start", "stop", "step", "backend")

    def __init__(self, start: Any, stop: Any, step: Any, backend: Any):
        self.start, self.stop, self.step, self.backend = start, stop, step, backend

    def __repr__(self) -> str:
        return f"range_({self.start!r}, {self.stop!r}, {self.step!r})"


class EnumerateDesc(_Desc):
    """`enumerate(iterable, start)` over a tensor (or a `ZipDesc`): a loop over its first axis."""

    __slots__ = ("iterable", "start", "backend")

    def __init__(self, iterable: Any, start: Any, backend: Any):
        self.iterable, self.start, self.backend = iterable, start, backend

    def __repr__(self) -> str:
        return f"enumerate_({self.iterable!r}, {self.start!r})"


class ZipDesc(_Desc):
    """`zip(*iterables)` with a tensor among them: a loop over their first axes in lockstep."""

    __slots__ = ("iterables", "backend")

    def __init__(self, iterables: tuple, backend: Any):
        self.iterables, self.backend = iterables, backend

    def __repr__(self) -> str:
        return f"zip_{self.iterables!r}"


_DESC_TYPES = frozenset({RangeDesc, EnumerateDesc, ZipDesc})


def _owner(values: Iterable) -> Any:
    for v in values:
        try:
            b = _cache[type(v)]
        except KeyError:
            b = _lookup(v)
        if b is not None:
            return b
        if type(v) in _DESC_TYPES:
            return v.backend
    return None


def range_(*args: Any) -> range | RangeDesc:
    """`range(*args)`; a `RangeDesc` when an argument is a tensor."""
    backend = _owner(args)
    if backend is None:
        return range(*args)
    if not 1 <= len(args) <= 3:
        raise TypeError(f"range expected 1 to 3 arguments, got {len(args)}")
    if len(args) == 1:
        return RangeDesc(0, args[0], 1, backend)
    if len(args) == 2:
        return RangeDesc(args[0], args[1], 1, backend)
    return RangeDesc(args[0], args[1], args[2], backend)


def enumerate_(x: Any, start: Any = 0) -> Any:
    """`enumerate(x, start)`; an `EnumerateDesc` when `x` is a tensor (or a zip of tensors)."""
    backend = _owner((x,))
    if backend is None:
        return enumerate(x, start)
    if type(x) is not ZipDesc and not backend.claims_iterable(x):
        return enumerate(x, start)
    return EnumerateDesc(x, start, backend)


def zip_(*xs: Any, strict: bool = False) -> Any:
    """`zip(*xs)`; a `ZipDesc` when one of `xs` is a tensor."""
    backend = _owner(xs)
    if backend is None:
        return zip(*xs, strict=True) if strict else zip(*xs)  # noqa: B905
    return ZipDesc(xs, backend)


# ---------------------------------------------------------------------------------------------
# Fast-form helpers
# ---------------------------------------------------------------------------------------------


_NO = object()

#: True while py_range must ask the registry whether a backend stages Python ranges (a loaded
#: backend overrides wants_static_range, or one that may is registered lazily). Maintained by
#: registry._update_static_check().
_static_check = False
#: True while a backend that may want Python ranges with jumps is registered lazily and not
#: loaded yet (its jump_gate is not known). Maintained likewise.
_jump_pending = False
#: A backend's `jump_gate` (one list item, 0 while it surely does not want Python ranges
#: with jumps). Maintained by registry._update_jump_gate().
_jump_gate = [0]
_registry._iteration = sys.modules[__name__]


def py_range(start: Any, stop: Any = _NO, step: Any = 1) -> range:
    """`range(start[, stop[, step]])`, or raise StagingRequired when an argument is a tensor,
    or while a backend wants Python ranges staged (JAX inside a trace)."""
    try:
        r = range(start) if stop is _NO else range(start, stop, step)
    except TypeError as e:
        if _owner((start, stop, step)) is not None:
            raise StagingRequired(f"range() over a tensor: {e}") from e
        raise
    if _static_check and wants_static_range() is not None:
        raise StagingRequired("a backend stages Python ranges here")
    return r


def py_range_jumps(start: Any, stop: Any = _NO, step: Any = 1) -> range:
    """`py_range` for a loop whose body has a `break` or `return`: also raises StagingRequired
    while a backend wants such loops offered to it (the engine while a graph is built), so that
    a jump on a tensor can stop the loop. (py_range's body is repeated rather than called:
    loops with a break are entered often, and a call costs about 50 ns per entry.)"""
    try:
        r = range(start) if stop is _NO else range(start, stop, step)
    except TypeError as e:
        if _owner((start, stop, step)) is not None:
            raise StagingRequired(f"range() over a tensor: {e}") from e
        raise
    # No call while no backend may want it (no graph is built, not inside a JAX trace).
    if (_static_check or _jump_pending or _jump_gate[0]) and \
            wants_static_range(True) is not None:
        raise StagingRequired("a backend stages Python ranges with jumps here")
    return r


def py_enumerate(x: Any, start: int = 0) -> enumerate:
    """`enumerate(x, start)`, or raise StagingRequired when `x` is a tensor its backend stages."""
    try:
        if _cache[type(x)] is None:
            return enumerate(x, start)
    except KeyError:
        pass
    b = backend_of(x)
    if b is not None and b.claims_iterable(x):
        raise StagingRequired(f"enumerate() over a {b.name} tensor")
    return enumerate(x, start)


def py_zip(*xs: Any, strict: bool = False) -> zip:
    """`zip(*xs)`, or raise StagingRequired when one of `xs` is a tensor."""
    for x in xs:
        try:
            if _cache[type(x)] is None:
                continue
        except KeyError:
            pass
        b = backend_of(x)
        if b is not None:
            raise StagingRequired(f"zip() over a {b.name} tensor")
    if strict:
        return zip(*xs, strict=True)
    return zip(*xs)  # noqa: B905 - plain zip, as the user wrote it


def py_iter(x: Any) -> Any:
    """`x` itself (the for statement iterates it), or raise StagingRequired when `x` is a tensor
    its backend stages."""
    try:
        if _cache[type(x)] is None:
            return x
    except KeyError:
        pass
    b = backend_of(x)
    if b is not None and b.claims_iterable(x):
        raise StagingRequired(f"iterating over a {b.name} tensor")
    return x
