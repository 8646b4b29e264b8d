"""Nested structures (tuples, lists, dicts, namedtuples) of values, flattened and rebuilt."""

from __future__ import annotations

from typing import Any, Callable, Iterator

__all__ = ["flatten", "pack_as", "map_structure", "describe", "is_nested", "flatten_up_to"]


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(x) -> bool:
    return isinstance(x, (tuple, list, dict))


def _dict_keys(d: dict) -> list:
    keys = list(d)
    try:
        return sorted(keys)
    except TypeError:
        return keys


def _children(x) -> list:
    if isinstance(x, dict):
        return [x[k] for k in _dict_keys(x)]
    return list(x)


def flatten(x) -> list:
    """Leaves of ``x`` in a deterministic order (dicts by sorted key)."""
    out: list = []
    _flatten_into(x, out)
    return out


def _flatten_into(x, out: list) -> None:
    if isinstance(x, (tuple, list, dict)):
        for c in _children(x):
            _flatten_into(c, out)
    else:
        out.append(x)


def _rebuild(ref, values: list):
    if isinstance(ref, dict):
        keys = _dict_keys(ref)
        by_key = dict(zip(keys, values, strict=False))
        return type(ref)((k, by_key[k]) for k in ref) if type(ref) is not dict else {
            k: by_key[k] for k in ref}
    if _is_namedtuple(ref):
        return type(ref)(*values)
    if isinstance(ref, tuple):
        return tuple(values) if type(ref) is tuple else type(ref)(values)
    if isinstance(ref, list):
        return list(values)
    raise TypeError(f"not a structure: {type(ref)}")


def pack_as(ref, leaves) -> Any:
    """Build a structure shaped like ``ref`` from ``leaves`` (an iterable)."""
    it = iter(leaves)
    return _pack(ref, it)


def _pack(ref, it: Iterator):
    if isinstance(ref, (tuple, list, dict)):
        return _rebuild(ref, [_pack(c, it) for c in _children(ref)])
    return next(it)


def map_structure(fn: Callable, x) -> Any:
    return pack_as(x, [fn(v) for v in flatten(x)])


def flatten_up_to(ref, x) -> list:
    """Flatten ``x`` only as deep as ``ref`` goes: each leaf position of ``ref`` gives one item.

    Used for shape invariants, whose items (shapes) are themselves tuples.
    """
    out: list = []
    _flatten_up_to(ref, x, out)
    return out


def _flatten_up_to(ref, x, out):
    if isinstance(ref, (tuple, list, dict)):
        if x is None:
            for _ in flatten(ref):
                out.append(None)
            return
        if isinstance(ref, dict):
            if not isinstance(x, dict) or set(x) != set(ref):
                raise ValueError(f"structure {describe(x)} does not match {describe(ref)}")
            for k in _dict_keys(ref):
                _flatten_up_to(ref[k], x[k], out)
            return
        if not isinstance(x, (tuple, list)) or len(x) != len(ref):
            raise ValueError(f"structure {describe(x)} does not match {describe(ref)}")
        for r, v in zip(ref, x, strict=False):
            _flatten_up_to(r, v, out)
    else:
        out.append(x)


def describe(x) -> str:
    """A short description of a structure, for error messages."""
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ", ".join(describe(v) for v in x) + "]"
    if isinstance(x, tuple):
        inner = ", ".join(describe(v) for v in x)
        return "(" + inner + ("," if len(x) == 1 else "") + ")"
    from .tensor import Tensor  # local: avoid cycle

    if isinstance(x, Tensor):
        return "tensor"
    if x is None:
        return "None"
    return type(x).__name__


def same_structure(a, b) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)) or set(a) != set(b):
            return False
        return all(same_structure(a[k], b[k]) for k in a)
    a_seq = isinstance(a, (tuple, list))
    b_seq = isinstance(b, (tuple, list))
    if a_seq or b_seq:
        if not (a_seq and b_seq) or len(a) != len(b):
            return False
        if isinstance(a, list) != isinstance(b, list):
            return False
        return all(same_structure(x, y) for x, y in zip(a, b, strict=False))
    return True
