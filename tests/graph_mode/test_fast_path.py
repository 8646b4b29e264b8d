"""autograph.function's fast call path: the generated __call__ (guards on the positional
arguments, then the compiled graph without its feed check) must give exactly what the general
path gives (same trace, same values, types and dtypes, same errors), and fall back to it for
everything it does not cover."""

import gc
import threading
import traceback
import weakref

import numpy as np
import pytest

import autograph
from autograph.runtime.engine import executor

i64 = np.int64
f64 = np.float64


def scale(x, k, shift):
    y = x * k
    if shift:
        y = y + 1
    return y


def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


def with_default(x, k=3):
    return x * k


def power(x, y):
    return x ** y


def assert_same(got, want):
    assert type(got) is type(want), (got, want)
    if isinstance(want, (np.ndarray, np.generic)):
        assert got.dtype == want.dtype and np.shape(got) == np.shape(want), (got, want)
    np.testing.assert_array_equal(got, want)


def generated(fn) -> str:
    return type(fn).__call__.source


class Sub(np.ndarray):
    pass


def odd_arrays():
    """Arrays the guards must not confuse with the ones they were learned on."""
    base = np.arange(8, dtype=np.int64)
    return [
        base[::2],  # a strided view: an ndarray of shape (4,), fine for the fast path
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.arange(4, dtype=np.int32),
        np.arange(4, dtype=">i8"),  # byte-swapped
        np.arange(5),
        np.array(7),  # 0-d: shares the numpy scalar's trace, through the general path
        i64(7),
        np.float32(1.5),
        np.arange(4).view(Sub),  # a subclass: the general path
        np.array([True, False, True, True]),
        np.arange(4.0).reshape(2, 2),
    ]


def test_fast_path_matches_the_original_for_many_argument_kinds():
    fn = autograph.function(scale)
    values = odd_arrays()
    for _ in range(3):  # the first round traces, the others take the fast path
        for x in values:
            for k, shift in [(2, False), (2, True), (0.5, False), (True, True)]:
                plain = x.view(np.ndarray) if isinstance(x, Sub) else x  # graph mode: ndarray
                assert_same(fn(x, k, shift), scale(plain, k, shift))
    assert fn.tracing_count == len(fn._traces)
    assert "return _r0(a0)" in generated(fn)  # the Python arguments are baked into the trace
    assert isinstance(fn, autograph.Function) and repr(fn) == "<autograph.function scale>"


def test_the_guard_implies_the_trace_key_and_the_feed_check():
    fn = autograph.function(sum_even)
    x = np.array([10, 12, 15, 20])
    assert fn(x) == 42 and fn(x) == 42
    assert fn.tracing_count == 1
    concrete = fn.get_concrete_function(x)
    run = type(fn).__call__.__globals__["_r0"]
    assert run is executor.unchecked(concrete._compiled) and run is not concrete._compiled
    # everything else retraces or converts as the general path does
    assert fn(x.astype(np.int32)) == 42 and fn.tracing_count == 2
    assert fn(x.astype(">i8")) == 42 and fn.tracing_count == 3
    assert fn(np.arange(5)) == 6 and fn.tracing_count == 4
    assert fn(x.view(Sub)) == 42 and fn.tracing_count == 4  # same key as x: same trace
    assert fn([10, 12, 15, 20]) == 42  # a list: a key of its own, through the general path
    for _ in range(2):  # and all of them on the fast path afterwards
        assert fn(x.astype(np.int32)) == 42 and fn(np.arange(5)) == 6 and fn(x) == 42


def test_zero_d_arrays_and_byte_swapped_scalars_keep_their_own_keys():
    fn = autograph.function(with_default)
    swapped = np.array(5, dtype=">i8")
    assert_same(fn(swapped), with_default(swapped))
    assert_same(fn(swapped), with_default(swapped))
    assert_same(fn(i64(5)), with_default(i64(5)))  # a native int64: another key
    assert fn.tracing_count == 2
    for _ in range(2):
        assert_same(fn(np.array(4)), with_default(np.array(4)))  # the numpy scalar's trace
        assert_same(fn(i64(4)), with_default(i64(4)))
    assert fn.tracing_count == 2


def test_defaults_keywords_and_argument_errors_are_unchanged():
    fn = autograph.function(with_default)
    x = np.arange(3)

    def errors():
        out = []
        for args, kwargs in [((), {}), ((x, 2, 3), {}), ((x,), {"q": 1}),
                             ((x, 2), {"k": 2})]:
            with pytest.raises(TypeError) as e:
                fn(*args, **kwargs)
            out.append(str(e.value))
        return out

    before = errors()
    assert before[0] == "with_default(): missing a required argument: 'x'"
    for _ in range(2):
        assert_same(fn(x), x * 3)
        assert_same(fn(x, 2), x * 2)
        assert_same(fn(x, k=4), x * 4)
        assert_same(fn(x=x), x * 3)
    assert "if a1 is _M:" in generated(fn)  # one argument and two: both learned
    assert errors() == before
    assert fn.tracing_count == 3


def test_input_signature_errors_after_the_fast_path_learned():
    @autograph.function(input_signature=[autograph.TensorSpec((None,), np.int32)])
    def halve(x):
        return x // 2

    for n in (3, 5, 3):
        assert_same(halve(np.arange(n, dtype=np.int32)), np.arange(n, dtype=np.int32) // 2)
    assert_same(halve([4, 6]), np.array([2, 3], np.int32))
    with pytest.raises(ValueError, match=r"argument 'x' has dtype int64, but the "
                                         r"input_signature expects int32"):
        halve(np.arange(3))
    with pytest.raises(ValueError, match=r"argument 'x' has shape \(2, 2\), but the "
                                         r"input_signature expects \(None,\)"):
        halve(np.ones((2, 2), np.int32))
    with pytest.raises(ValueError, match=r"argument 'x' has shape \(\), but"):
        halve(np.int32(3))
    assert halve.tracing_count == 1


def test_input_signature_of_any_rank_takes_0d_through_the_general_path():
    @autograph.function(input_signature=[autograph.TensorSpec(None, np.float64)])
    def total(a):
        return np.sum(a)

    for _ in range(2):
        for a in (np.arange(3.0), np.ones((2, 2)), np.array(2.5), f64(1.5)):
            assert_same(total(a), np.sum(a))
    assert total.tracing_count == 1


def test_called_while_building_a_graph_it_is_inlined_even_for_arrays():
    counter = autograph.Variable(np.int64(0))

    @autograph.function
    def bump(x):
        counter.assign_add(x)
        return x

    bump(i64(1))
    bump(i64(1))  # now on the fast path
    assert counter.numpy() == 2
    graph = autograph.Graph()
    with graph.as_default():
        bump(i64(5))  # inlined: an assign_add op in `graph`, not run now
    assert counter.numpy() == 2 and len(graph) > 0
    assert bump.tracing_count == 1


calls = []


def probe(x, fail):
    calls.append(1)  # at trace time
    if fail:
        raise AttributeError("probe failed")
    return x


def test_an_attribute_error_while_inlining_is_raised_once():
    fn = autograph.function(probe)
    x = np.arange(3)
    fn(x, False)
    fn(x, False)
    del calls[:]
    with autograph.Graph().as_default():
        with pytest.raises(AttributeError, match="probe failed"):
            fn(x, True)
    assert len(calls) == 1


def test_a_new_thread_takes_the_general_path_first_then_the_fast_one():
    counter = autograph.Variable(np.int64(0))

    @autograph.function
    def bump(x):
        counter.assign_add(x)
        return counter.read_value() if hasattr(counter, "read_value") else counter + 0

    bump(i64(1))
    bump(i64(1))
    results = []

    def worker():
        results.append([int(bump(i64(1))) for _ in range(3)])

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert results == [[3, 4, 5]] and counter.numpy() == 5
    assert bump.tracing_count == 1


def test_runtime_errors_keep_the_engines_note_and_line():
    fn = autograph.function(power)
    a = np.array([2, 3])
    for _ in range(2):
        assert_same(fn(a, np.array([1, 2])), power(a, np.array([1, 2])))
    with pytest.raises(ValueError, match="negative integer powers") as e:
        fn(a, np.array([1, -1]))
    assert any("raised while running op 'power'" in n for n in e.value.__notes__)
    text = "".join(traceback.format_exception(e.value))
    assert "x ** y" in text


def test_methods_on_the_fast_path_keep_per_instance_traces_and_die():
    class Acc:
        def __init__(self, k):
            self.k = k

        @autograph.function
        def times(self, x):
            return x * self.k

    a, b = Acc(2), Acc(5)
    x = np.arange(3)
    for _ in range(3):
        np.testing.assert_array_equal(a.times(x), x * 2)
        np.testing.assert_array_equal(b.times(x), x * 5)
    assert a.times is a.times and a.times is not b.times
    assert isinstance(a.times, autograph.Function) and "return _r0(a0)" in generated(a.times)
    ref = weakref.ref(a)
    del a
    gc.collect()
    assert ref() is None


def test_concurrent_calls_learn_their_patterns_safely():
    fn = autograph.function(scale)
    shapes = [(n,) for n in range(1, 9)]
    barrier = threading.Barrier(len(shapes))
    errors = []

    def worker(shape):
        try:
            x = np.ones(shape, np.int64)
            barrier.wait()
            for _ in range(50):
                np.testing.assert_array_equal(fn(x, 3, True), x * 3 + 1)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(s,)) for s in shapes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and fn.tracing_count == len(shapes)
    assert generated(fn).count("return _r") == len(shapes)


def test_executor_unchecked_keeps_the_checked_function_for_direct_users():
    graph = autograph.Graph()
    with graph.as_default():
        p = autograph.placeholder(np.float64, (3,), name="p")
        y = p * 2
    checked = graph.compile(y, [p])
    fast = executor.unchecked(checked)
    assert fast is not checked and executor.unchecked(checked) is fast
    np.testing.assert_array_equal(fast(np.arange(3.0)), np.arange(3.0) * 2)
    np.testing.assert_array_equal(checked([1, 2, 3]), [2.0, 4.0, 6.0])  # still converts
    with pytest.raises(ValueError, match="placeholder 'p' has shape"):
        checked(np.arange(4.0))
    with graph.as_default():
        z = autograph.constant(np.float64(1.0)) + 1
    no_feeds = graph.compile(z)
    assert executor.unchecked(no_feeds) is no_feeds
