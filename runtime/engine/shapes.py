"""Static shapes: tuples whose entries are ints or None (unknown), or None for an unknown rank."""

from __future__ import annotations

import operator
from typing import Optional, Tuple

import numpy as np

Shape = Optional[Tuple[Optional[int], ...]]

__all__ = ["as_shape", "shape_str", "is_fully_defined", "compatible", "generalize",
           "broadcast_shapes", "fits", "normalize_axis", "num_elements"]


def as_shape(shape) -> Shape:
    """Normalize a user's shape: None (unknown rank), an int, or a sequence of ints/None."""
    if shape is None:
        return None
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(f"a shape must be None, an int or a sequence of ints/None, not {shape!r}"
                        ) from None
    out = []
    for d in dims:
        if d is None:
            out.append(None)
            continue
        if isinstance(d, bool):
            raise TypeError(f"invalid dimension {d!r} in shape {shape!r}")
        try:
            d = operator.index(d)
        except TypeError:
            raise TypeError(f"invalid dimension {d!r} in shape {shape!r}: dimensions are ints "
                            "or None") from None
        if d < 0:
            if d == -1:
                out.append(None)
                continue
            raise ValueError(f"negative dimension {d} in shape {shape!r}")
        out.append(d)
    return tuple(out)


def shape_str(shape: Shape) -> str:
    if shape is None:
        return "<unknown rank>"
    if len(shape) == 1:
        return f"({'None' if shape[0] is None else shape[0]},)"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def is_fully_defined(shape: Shape) -> bool:
    return shape is not None and all(d is not None for d in shape)


def num_elements(shape: Shape) -> Optional[int]:
    if not is_fully_defined(shape):
        return None
    n = 1
    for d in shape:
        n *= d
    return n


def compatible(a: Shape, b: Shape) -> bool:
    """True when some concrete shape matches both."""
    if a is None or b is None:
        return True
    if len(a) != len(b):
        return False
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=False))


def generalize(a: Shape, b: Shape) -> Shape:
    """The most specific shape that both ``a`` and ``b`` fit (unknown where they differ).

    Callers check :func:`compatible` first when differing known dims are an error.
    """
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b, strict=False))


def fits(shape: Shape, invariant: Shape) -> bool:
    """True when every concrete shape matching ``shape`` matches ``invariant``."""
    if invariant is None:
        return True
    if shape is None or len(shape) != len(invariant):
        return False
    return all(i is None or s == i for s, i in zip(shape, invariant, strict=False))


def broadcast_shapes(*shapes: Shape) -> Shape:
    """numpy's broadcasting, with None for unknown dimensions.

    An unknown dimension against a known dimension k != 1 gives k (the unknown one must be 1
    or k at run time); against 1 or another unknown it stays unknown.
    """
    if any(s is None for s in shapes):
        return None
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(ndim):
        dims = [s[len(s) - ndim + i] for s in shapes if len(s) - ndim + i >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(
                "operands could not be broadcast together with shapes "
                + " ".join(shape_str(s) for s in shapes))
        if known:
            out.append(known.pop())
        elif any(d is None for d in dims):
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


def normalize_axis(axis, ndim: int) -> int:
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"an axis must be an int, not {type(axis).__name__}") from None
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis % ndim if ndim else 0
