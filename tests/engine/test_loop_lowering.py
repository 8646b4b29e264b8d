"""The cheaper lowerings of loops (runtime/engine/control_flow.py, "counter loops"): a Python int
loop counter, a `for` over an array or a range, loop variables assigned in place, a lowered
`continue`/`break` flag read as its predicate. Each case runs three ways and must agree exactly
(type, dtype, value, exception type and message, printed output): the original function on
numpy where its result types match graph mode's, graph mode with these lowerings, and graph
mode with the plain lowering (`passes.LOWERING = False`: numpy scalar counters, `while True`),
and graph mode with loops over arrays run on Python numbers (`passes.SCALAR_LOOPS`).
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings

import numpy as np
import pytest

import autograph
import autograph.runtime.engine as ag
from autograph.runtime.engine import passes


def _outcome(fn, *args):
    """(how it ended, value or (exception type, message), stdout and warnings)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = ("ok", fn(*args))
        except Exception as e:  # compared by type and message
            r = ("raised", (type(e), str(e)))
    return r + ((out.getvalue(), [(x.category, str(x.message)) for x in w]),)


def _identical(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, np.generic)):
        return a.dtype == b.dtype and np.shape(a) == np.shape(b) and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    return a == b


def _graph_mode(f, lowering, *args, scalar=False):
    old = passes.LOWERING, passes.SCALAR_LOOPS
    passes.LOWERING, passes.SCALAR_LOOPS = lowering, scalar
    try:
        fn = autograph.function(f)  # a new function: traced and compiled under this setting
        source = fn.get_concrete_function(*args).source
    finally:
        passes.LOWERING, passes.SCALAR_LOOPS = old
    return fn, source


def check(f, *args, original=True):
    """Graph mode with and without the lowerings agree exactly (and with the original on
    numpy when `original`); so do loops run on Python numbers (scalar_loops.py). Returns the
    lowered source without those."""
    fast, src = _graph_mode(f, True, *args)
    plain, _ = _graph_mode(f, False, *args)
    scalar, _ = _graph_mode(f, True, *args, scalar=True)
    got, ref = _outcome(fast, *args), _outcome(plain, *args)
    assert got[0] == ref[0] and got[2] == ref[2], (got, ref)
    assert _identical(got[1], ref[1]), (got, ref)
    on_python = _outcome(scalar, *args)
    assert on_python[0] == ref[0] and on_python[2] == ref[2], (on_python, ref)
    assert _identical(on_python[1], ref[1]), (on_python, ref)
    if original:
        exp = _outcome(f, *args)
        assert exp[0] == got[0] and exp[2] == got[2], (exp, got)
        if exp[0] == "raised":
            assert exp[1][0] is got[1][0], (exp, got)
        else:
            assert _identical(exp[1], got[1]), (exp, got)
    return src


# -- for over an array --------------------------------------------------------------------------
def sum_even(items):
    s = items[0] * 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int64", "float16", "float32",
                                   "float64", "bool"])
def test_for_over_array_keeps_dtype_and_wraparound(dtype):
    x = (np.arange(1, 200) * 7).astype(dtype)  # int8 and uint8 sums wrap around
    src = check(sum_even, x)
    assert re.search(r"for getitem\w* in items:", src) and "while" not in src


def test_for_over_array_guide_example():
    def f(items):
        s = 0
        for c in items:
            if c % 2 > 0:
                continue
            s += c
        return s

    src = check(f, np.array([10, 12, 15, 20]))
    assert "for getitem in items:" in src
    # the continue flag is the predicate itself; the test is read once, so written inline
    assert "if (not ((getitem % 2) > 0)):" in src and "Cond" not in src
    check(f, np.arange(1000))


def test_for_over_rows_of_a_matrix():
    def f(m):
        t = np.zeros(3, np.float32)
        for row in m:
            t = t * np.float32(0.5) + row
        return t

    check(f, np.arange(12, dtype=np.float32).reshape(4, 3))


def test_for_over_float_array_nan_and_inf():
    def f(x):
        s = np.float64(0)
        for v in x:
            if v > 1e300:
                s = s * v
            else:
                s = s + v
        return s

    check(f, np.array([1.0, np.nan, 2e300, np.inf, -3.0]))
    check(f, np.array([1.0, 2e300, 2e300, -np.inf]))


def test_enumerate_index_keeps_int64_promotion():
    # float32 * np.int64 is float64; float32 * a Python int would stay float32
    def f(x):
        s = np.float64(0)
        for i, v in enumerate(x):
            s = s + v * i
        return s

    src = check(f, np.arange(5, dtype=np.float32))
    # the loop is over x; the index the body reads is a numpy copy of the counter
    assert "for getitem in x:" in src and re.search(r"While_i = While_i \+ _c\d+", src)


def test_zip_of_arrays_of_different_lengths():
    def f(a, b):
        s = np.int64(0)
        for u, v in zip(a, b):
            s = s + u * v
        return s

    check(f, np.arange(7), np.arange(4))
    check(f, np.arange(3), np.arange(9))


def test_break_in_for_over_array():
    def f(x):
        s = x[0] * 0
        for v in x:
            if v > 5:
                break
            s = s + v
        return s

    check(f, np.arange(10, dtype=np.int32))
    check(f, np.zeros(3, dtype=np.int32))


def test_empty_array():
    def f(x):
        s = np.int64(3)
        for v in x:
            s = s + v
        return s

    check(f, np.zeros(0, dtype=np.int64))


def test_nested_loops_over_rows_and_elements():
    def f(m):
        s = np.int16(0)
        for row in m:
            for v in row:
                if v % 3 == 0:
                    continue
                s = s + v
        return s

    check(f, (np.arange(40) * 997).astype(np.int16).reshape(5, 8))  # wraps around


def test_print_in_loop_keeps_order():
    def f(x):
        s = np.int64(0)
        for v in x:
            autograph.print("v", v)
            s = s + v
        return s

    check(f, np.array([3, 1, 2]))


def test_loop_variable_swap_is_not_coalesced_wrongly():
    def f(x):
        a = np.int64(1)
        b = np.int64(2)
        for v in x:
            a, b = b + v, a
        return a, b

    check(f, np.arange(5))


def test_old_value_read_after_update():
    def f(x):
        s = np.int64(0)
        t = np.int64(0)
        for v in x:
            s_new = s + v
            t = t + s  # reads the old s after s's new value is computed
            s = s_new
        return s, t

    check(f, np.arange(6))


# -- range loops --------------------------------------------------------------------------------
def test_range_loop_with_index():
    def f(x, n):
        s = np.float64(0)
        for i in range(n):
            s = s + x[i] * i
        return s

    check(f, np.arange(6, dtype=np.float32), np.int64(6), original=False)


def test_range_past_the_end_raises_index_error():
    def f(x, n):
        s = np.int64(0)
        for i in range(n):
            autograph.print("i", i)
            s = s + x[i]
        return s

    check(f, np.arange(4), np.int64(6))


def test_negative_start_range():
    def f(x, n):
        s = np.int64(0)
        for i in range(-3, n):
            s = s + x[i]
        return s

    check(f, np.arange(5), np.int64(4))


# -- while loops on the engine ------------------------------------------------------------------
def _both(build, feed):
    """Build with `build(graph)` -> (fetches, placeholders); run with the lowerings (with and
    without loops on Python numbers) and without; all must agree exactly. Returns the lowered
    source without loops on Python numbers."""
    results, sources = [], []
    for lowering, scalar in ((True, False), (False, False), (True, True)):
        g = ag.Graph()
        with g.as_default():
            fetches, phs = build(g)
        old = passes.LOWERING, passes.SCALAR_LOOPS
        passes.LOWERING, passes.SCALAR_LOOPS = lowering, scalar
        try:
            fn = g.compile(fetches, phs)
        finally:
            passes.LOWERING, passes.SCALAR_LOOPS = old
        results.append(_outcome(fn, *feed))
        sources.append(fn.source)
    a = results[0]
    for b in results[1:]:
        assert a[0] == b[0] and a[2] == b[2] and _identical(a[1], b[1]), (a, b)
    return sources[0]


def test_counter_read_after_the_loop_is_numpy():
    def build(g):
        n = ag.placeholder(np.int64, (), name="n")
        i, s = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))
        return (i, s), [n]

    src = _both(build, [np.int64(7)])
    assert "While_v0 = While_i" in src  # the numpy copy is the loop's result
    _both(build, [np.int64(-2)])


def test_counter_used_in_the_condition_and_body():
    def build(g):
        n = ag.placeholder(np.int64, (), name="n")
        i, s = ag.while_loop(lambda i, s: (i < n) & (s < 100),
                             lambda i, s: (i + 1, s + i * i), (0, 0))
        return s, [n]

    _both(build, [np.int64(50)])


def test_narrow_counter_with_wide_limit_is_left_alone():
    # an int8 counter against an int64 limit could wrap: numpy arithmetic is kept
    def build(g):
        n = ag.placeholder(np.int64, (), name="n")
        i, s = ag.while_loop(lambda i, s: i < n,
                             lambda i, s: (i + np.int8(1), s + 1),
                             (np.int8(120), np.int64(0)), maximum_iterations=20)
        return (i, s), [n]

    _both(build, [np.int64(1000)])


def test_int8_counter_near_its_maximum():
    def build(g):
        n = ag.placeholder(np.int8, (), name="n")
        i, s = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + np.int8(1), s + i),
                             (np.int8(100), np.int64(0)))
        return (i, s), [n]

    src = _both(build, [np.int8(127)])
    assert "While_v0 + 1" in src  # lowered: the limit fits the counter's dtype


def test_print_in_the_condition_runs_every_time():
    def build(g):
        n = ag.placeholder(np.int64, (), name="n")

        def cond(i, s):
            ag.print("test", i)
            return i < n

        i, s = ag.while_loop(cond, lambda i, s: (i + 1, s + i), (0, 0))
        return s, [n]

    _both(build, [np.int64(3)])


def test_loop_with_maximum_iterations():
    def build(g):
        n = ag.placeholder(np.int64, (), name="n")
        i, s = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0),
                             maximum_iterations=4)
        return (i, s), [n]

    _both(build, [np.int64(10)])


@pytest.mark.parametrize("length", [5, 3, 2])
def test_indexing_loop_shorter_or_longer_than_the_array(length):
    # `x[i]` for i < 3: iterating over x itself would be wrong unless len(x) == 3
    def build(g):
        x = ag.placeholder(np.int64, (length,), name="x")
        i, s = ag.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + x[i] * 10),
                             (0, np.int64(0)))
        return s, [x]

    src = _both(build, [np.arange(1, length + 1)])
    assert ("for getitem in x:" in src) == (length == 3)


def test_counter_read_only_after_the_loop():
    def build(g):
        n = ag.placeholder(np.int32, (), name="n")
        i, s = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + np.int32(1), s * 2),
                             (np.int32(0), np.float32(1)))
        return (i, s), [n]

    src = _both(build, [np.int32(9)])
    assert re.search(r"While_v0 = _t\d+\(While_v0\)", src)  # np.int32, once
    _both(build, [np.int32(0)])
