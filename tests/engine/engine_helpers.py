"""Helpers for the engine tests: build a graph from a function of placeholders, run it, and
compare with numpy on the same inputs (value, dtype, shape, and scalar-ness)."""

from __future__ import annotations

import numpy as np

import autograph.runtime.engine as ag


def _spec_shape(a, unknown):
    shape = np.shape(a)
    if unknown == "all":
        return tuple(None for _ in shape)
    if unknown == "rank":
        return None
    return shape


def graph_call(fn, *args, unknown=None):
    """Run ``fn`` on placeholders fed with ``args``; returns (outputs, static tensors)."""
    g = ag.Graph()
    with g.as_default():
        phs = [ag.placeholder(np.asarray(a).dtype, _spec_shape(a, unknown), name=f"a{i}")
               for i, a in enumerate(args)]
        out = fn(*phs)
    with np.errstate(all="ignore"):
        return g.run(out, dict(zip(phs, args, strict=False))), out


def assert_same(static, got, expected, check_static=True):
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected)
        for s, gv, ev in zip(static, got, expected, strict=False):
            assert_same(s, gv, ev, check_static)
        return
    ev = np.asarray(expected)
    gv = np.asarray(got)
    assert gv.dtype == ev.dtype, f"dtype {gv.dtype} != numpy's {ev.dtype}"
    assert gv.shape == ev.shape, f"shape {gv.shape} != numpy's {ev.shape}"
    # 0-d results are numpy scalars, like numpy's own
    if isinstance(expected, np.generic):
        assert isinstance(got, np.generic), f"expected a numpy scalar, got {type(got)}"
    if check_static:
        assert static.dtype == ev.dtype, f"static dtype {static.dtype} != {ev.dtype}"
        if static.shape is not None:
            assert len(static.shape) == ev.ndim, f"static rank {static.shape} vs {ev.shape}"
            for d, e in zip(static.shape, ev.shape, strict=False):
                assert d is None or d == e, f"static shape {static.shape} vs {ev.shape}"
    np.testing.assert_array_equal(gv, ev)


def check_like_numpy(fn, *args, unknown=None):
    """fn on graph tensors gives what fn gives on numpy values."""
    with np.errstate(all="ignore"):
        expected = fn(*args)
    got, static = graph_call(fn, *args, unknown=unknown)
    assert_same(static, got, expected)
    return static

