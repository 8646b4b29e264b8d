"""Loops over array elements run on Python numbers (runtime/engine/scalar_loops.py).

Each case runs the original function on numpy, graph mode with loops on Python numbers, and
graph mode with numpy scalars (`passes.SCALAR_LOOPS = False`); all three must agree exactly:
type, dtype, value (bit for bit: -0.0 and nan included), exceptions, printed output and
warnings. Where the lowering must apply, or must not, the generated source says so.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograph

from .test_loop_lowering import _graph_mode, _identical, _outcome

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1


def _function(f, args, scalar):
    """A new autograph.function of `f` compiled with (or without) loops on Python numbers, and
    its source for `args`."""
    return _graph_mode(f, True, *args, scalar=scalar)


def check(f, *args, lowered=None, original=True):
    """The three ways agree; ``lowered``: whether the loop must (True) or must not (False) run
    on Python numbers. Returns the source."""
    on_python, src = _function(f, args, True)
    on_numpy, _ = _function(f, args, False)
    got, ref = _outcome(on_python, *args), _outcome(on_numpy, *args)
    assert got[0] == ref[0] and got[2] == ref[2], (got, ref)
    assert _identical(got[1], ref[1]), (got, ref)
    if original:
        exp = _outcome(f, *args)
        assert exp[0] == got[0] and exp[2] == got[2], (exp, got)
        if exp[0] == "ok":  # graph mode returns Python numbers as numpy scalars
            assert _identical(_numpy(exp[1]), got[1]), (exp, got)
    if lowered is not None:
        assert ("_py = " in src) == lowered, src
    return src


def _numpy(v):
    if type(v) in (tuple, list):
        return type(v)(_numpy(x) for x in v)
    return {bool: np.bool_, int: np.int64, float: np.float64}.get(type(v), lambda x: x)(v)


def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


def test_guide_example_runs_on_python_ints():
    src = check(sum_even, np.array([10, 12, 15, 20]), lowered=True)
    assert "for getitem in items.tolist():" in src
    check(sum_even, np.arange(1000), lowered=True)


def test_wraparound_falls_back_to_numpy_with_its_warning():
    # the sum passes 2**63 (or -2**63) and ends there: numpy wraps around and warns, and so
    # does graph mode, which reruns the loop on numpy scalars
    check(sum_even, np.array([I64_MAX - 1, 2, 4, 6], dtype=np.int64), lowered=True)
    check(sum_even, np.array([I64_MIN, -2]), lowered=True)


def test_overflow_that_cancels_out_keeps_numpy_value():
    def f(xs):
        s = 0
        for x in xs:
            s = s + x
        return s

    x = np.array([I64_MAX, 10, -10, -5], dtype=np.int64)
    # the values agree (numpy warns about the transient overflow; Python ints never wrap)
    with np.errstate(over="ignore"):
        assert _identical(_function(f, (x,), True)[0](x), f(x))


def test_empty_array():
    check(sum_even, np.zeros(0, np.int64), lowered=True)


@pytest.mark.parametrize("xs", [
    [1.5, -2.25, 3.0], [-0.0, -0.0], [np.nan, 1.0], [np.inf, -np.inf], [1e308, 1e308],
    [5e-324, -5e-324],
])
def test_float_sums_bit_for_bit(xs):
    def f(xs):
        s = -0.0
        for x in xs:
            if x > 0:
                s = s + x * 2.0
            else:
                s = s - x / 4
        return s

    check(f, np.array(xs, dtype=np.float64), lowered=True)


def test_int_elements_into_a_float_accumulator():
    def f(xs):
        s = 0.0
        for x in xs:
            s += x
        return s

    # 2**53 + 1 rounds to 2**53 in float64 either way
    check(f, np.array([2 ** 53 + 1, 1, I64_MAX, I64_MIN], dtype=np.int64), lowered=True)


def test_max_min_and_zip():
    def f(xs, ys):
        best = xs[0] * ys[0]
        low = xs[0]
        for a, b in zip(xs, ys):
            best = max(best, a * b)
            low = min(low, a - b)
        return best, low

    check(f, np.array([3, -7, 2, 9]), np.array([4, 5, -6, 1]), lowered=True)
    # a * b and a - b wrap: checked where computed, the loop reruns on numpy scalars
    check(f, np.array([I64_MAX, 2]), np.array([2, I64_MIN]), lowered=True)


def test_enumerate_index_and_a_threshold_argument():
    def f(xs, t):
        n = 0
        for i, x in enumerate(xs):
            if x > t:
                n = n + i
        return n

    src = check(f, np.array([5, 1, 7, 3, 9]), np.int64(4), lowered=True)
    assert "t.item()" in src


def test_bool_elements_and_results():
    def f(bs):
        n = 0
        seen = False
        for b in bs:
            if b:
                n += 1
            seen = not b
        return n, seen

    check(f, np.array([True, False, True, True]), lowered=True)


@pytest.mark.parametrize("d", [3, -3, 7])
def test_remainder_and_floor_division_by_constants(d):
    def f(xs):
        s = 0
        for x in xs:
            s = s + x % d - x // d
        return s

    check(f, np.array([-7, -1, 0, 1, 8, I64_MAX, I64_MIN]), lowered=True)


def test_negation_of_the_smallest_int64():
    def f(xs):
        s = 0
        for x in xs:
            s = s + (-x)
        return s

    check(f, np.array([I64_MIN]), lowered=True)
    check(f, np.array([I64_MIN, -1]), lowered=True)


def test_accumulator_compared_inside_the_loop_is_checked():
    def f(xs):
        s = 0
        n = 0
        for x in xs:
            s = s + x
            if s > 100:
                n = n + 1
        return s, n

    src = check(f, np.array([50, 60, -20, 70]), lowered=True)
    assert "9223372036854775807" in src
    # s wraps half-way: the comparison would differ on Python ints, so the loop reruns
    check(f, np.array([I64_MAX, 1, 5, -7]), lowered=True)


def test_branch_values_and_constants():
    def f(xs):
        s = 0
        for x in xs:
            step = 1 if x > 0 else -2
            s = s + step
        return s

    check(f, np.array([3, -1, 0, 4]), lowered=True)


def test_unbounded_growth_is_checked_every_iteration():
    def doubling(xs):
        s = 1
        for x in xs:
            s = s * 2 + x
        return s

    def self_sum(xs):
        s = 1
        for x in xs:
            s = s + s - x
        return s

    def product(xs):
        p = 1
        for x in xs:
            p = p * x
        return p

    # (the originals compute with Python ints, which never wrap: graph mode has int64s)
    big = np.arange(1, 1001)
    for f in (doubling, self_sum, product):
        src = check(f, big, lowered=True, original=False)
        assert "9223372036854775807: raise" in src
    check(doubling, np.array([1, 2, 3, 4]), lowered=True)
    check(product, np.array([I64_MAX, 3, 5, 7]), lowered=True)


def test_bounded_values_need_no_check():
    def count(xs):
        n = 0
        k = 0
        for x in xs:
            if x % 3 == 1:
                n = n + 1
            k = k + x % 5
        return n, k

    src = check(count, np.arange(1000), lowered=True)
    assert "raise" not in src.split("except Exception")[0].replace("raise\n", "")


def test_what_python_numbers_would_get_wrong_is_not_lowered():
    def int_vs_float(xs):
        n = 0
        for x in xs:
            if x > 0.5:  # numpy compares float64(x): 2**53 + 1 > 2**53 + 0.0 is False
                n += 1
        return n

    def true_division(xs):
        s = 0.0
        for x in xs:
            s = s + x / 3  # int / int: Python rounds the exact quotient, numpy float64(x) / 3
        return s

    def by_a_variable(xs, d):
        s = 0
        for x in xs:
            s = s + x % d  # d may be 0: numpy gives 0 and warns, Python raises
        return s

    check(int_vs_float, np.array([2 ** 53 + 1, 0, 1]), lowered=False)
    check(true_division, np.array([2 ** 60 + 1, 7]), lowered=False)
    check(by_a_variable, np.array([5, 6]), np.int64(0), lowered=False)
    check(by_a_variable, np.array([5, 6]), np.int64(4), lowered=False)


def test_other_dtypes_and_shapes_are_not_lowered():
    def halves(items):
        s = items[0] * 0
        for c in items:
            s = s + c // 2
        return s

    check(halves, np.arange(10, dtype=np.int32), lowered=False)
    check(halves, np.arange(10, dtype=np.float32), lowered=False)

    def rows(m):
        s = 0.0
        for r in m:
            s = s + r[0]
        return s

    check(rows, np.arange(6.0).reshape(3, 2), lowered=False)


def test_effects_in_the_body_are_not_lowered():
    def f(xs):
        s = 0
        for x in xs:
            autograph.print(x)
            s = s + x
        return s

    check(f, np.array([1, 2, 3]), lowered=False)


def test_long_arrays_are_converted_a_chunk_at_a_time():
    x = np.arange(200_000, dtype=np.int64)
    src = check(sum_even, x, lowered=True)
    assert ".tolist()" not in src and "for getitem in _f" in src
    y = np.full(200_000, I64_MAX // 100_000, dtype=np.int64)  # wraps near the end
    check(sum_even, y, lowered=True)


_ints = st.integers(I64_MIN, I64_MAX)
_small = st.integers(-1000, 1000)


def _running(xs):
    s = 0
    hi = xs[0]
    count = 0
    for x in xs:
        s = s + x * 3 - 1
        hi = max(hi, x)
        if x % 4 == 1:
            count += 1
    return s, hi, count


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_ints, _small), min_size=1, max_size=12))
def test_property_int64_agrees_with_numpy(values):
    check(_running, np.array(values, dtype=np.int64), lowered=True)


def _mixed(xs):
    s = 0.0
    for x in xs:
        if x >= 0.0:
            s = s + x
        else:
            s = s * 0.5 - x % 3.0
    return s


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1,
                max_size=8))
def test_property_float64_agrees_with_numpy(values):
    check(_mixed, np.array(values, dtype=np.float64), lowered=True)


# -- random loop bodies (scalar_loop_programs.py) -----------------------------------------------
def _load(tmp_path, seed):
    import importlib.util

    from .scalar_loop_programs import program

    path = tmp_path / f"scalar_loop_{seed}.py"
    path.write_text("import numpy as np\n\n\n" + program(seed))
    spec = importlib.util.spec_from_file_location(f"scalar_loop_{seed}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.f


def _traced(f, args, scalar):
    try:
        return _function(f, args, scalar)
    except Exception as e:  # a StagingError (both ways alike)
        return (type(e), str(e)), None


def run_program(f, seed) -> bool:
    """Graph mode with and without the lowering agree on every input; True if it applied."""
    from .scalar_loop_programs import ARRAYS

    lowered = False
    for xs, ys in ARRAYS:
        for t in (np.int64(3), np.int64(-2)):
            args = (xs, ys, t)
            (on_python, src), (on_numpy, _) = _traced(f, args, True), _traced(f, args, False)
            if src is None:
                assert on_python == on_numpy, (seed, on_python, on_numpy)
                continue
            lowered |= "_py = " in src
            got, ref = _outcome(on_python, *args), _outcome(on_numpy, *args)
            assert got[0] == ref[0] and got[2] == ref[2], (seed, args, got, ref, src)
            assert _identical(got[1], ref[1]), (seed, args, got, ref, src)
    return lowered


def test_random_loop_bodies(tmp_path):
    lowered = sum(run_program(_load(tmp_path, seed), seed) for seed in range(60))
    assert lowered >= 20, lowered  # the generator must exercise the lowering


def test_inner_loops_over_rows_and_loops_inside_a_branch():
    def rows(m):
        total = 0
        for row in m:
            s = 0
            for v in row:
                s = s + v * v
            total = total + s % 7
        return total

    src = check(rows, np.arange(12).reshape(3, 4), lowered=True)
    assert "row.tolist()" in src or ".tolist()" in src
    big = np.full((2, 3), I64_MAX // 2, dtype=np.int64)  # v * v wraps: numpy's way
    check(rows, big, lowered=True)

    def in_branch(xs, flag):
        s = 0
        if flag > 0:
            for x in xs:
                s = s + x
        else:
            s = s - 1
        return s

    check(in_branch, np.array([1, 2, 3]), np.int64(1), lowered=True)
    check(in_branch, np.array([1, 2, 3]), np.int64(0), lowered=True)
