"""autograph.function: decorator forms, trace keys, input_signature, autograph=False,
inspection, results, Variables in methods, thread safety, and the fast call path."""

import collections
import gc
import re
import threading
import time
import weakref

import numpy as np
import pytest

import autograph
from autograph.runtime.engine import GraphTensorError

i64 = np.int64
f64 = np.float64


# Decorator forms ----------------------------------------------------------------------------


def test_decorator_without_and_with_arguments():
    @autograph.function
    def a(x):
        return x * 2

    @autograph.function()
    def b(x):
        return x * 3

    @autograph.function(autograph=True, input_signature=None)
    def c(x):
        return x * 4

    assert isinstance(a, autograph.Function)
    assert (a(i64(1)), b(i64(1)), c(i64(1))) == (2, 3, 4)
    assert a.__name__ == "a" and a.python_function(5) == 10
    assert autograph.function(lambda x: x + 1)(f64(1.5)) == 2.5


def test_keyword_arguments_and_defaults_share_traces():
    @autograph.function
    def affine(x, scale=2, *, bias=0):
        return x * scale + bias

    x = i64(1)
    assert affine(x) == 2 and affine(x, 2) == 2 and affine(x, scale=2) == 2
    assert affine.tracing_count == 1  # bound arguments: the same trace key
    assert affine(x, 3) == 3 and affine(x, scale=3) == 3 and affine(x=x, scale=3) == 3
    assert affine(x, bias=5) == 7
    assert affine.tracing_count == 3
    with pytest.raises(TypeError, match=r"affine\(\)"):
        affine(x, 1, 2)


class Counter:
    def __init__(self, start=0):
        self.count = autograph.Variable(np.int64(start))

    @autograph.function
    def add(self, amount):
        self.count.assign_add(amount)
        return self.count.read_value()

    @autograph.function(input_signature=[autograph.TensorSpec((), np.float64)])
    def scaled(self, factor):
        return self.count.read_value() * factor


def test_methods_keep_separate_variables():
    a, b = Counter(), Counter(100)
    assert a.add(i64(2)) == 2 and a.add(i64(3)) == 5
    assert b.add(i64(10)) == 110
    assert (a.count.numpy(), b.count.numpy()) == (5, 110)
    assert a.add is a.add and a.add is not b.add  # one Function per instance
    assert a.add.tracing_count == 1 and b.add.tracing_count == 1
    assert isinstance(Counter.add, autograph.Function)


def test_method_with_input_signature_leaves_out_self():
    c = Counter(4)
    assert c.scaled(f64(0.5)) == 2.0
    assert c.scaled(2.0) == 8.0  # a Python float fits float64
    assert c.scaled.tracing_count == 1
    with pytest.raises(ValueError, match="argument 'factor'"):
        c.scaled(np.array([1.0, 2.0]))


def test_instances_are_not_kept_alive():
    c = Counter()
    assert c.add(i64(1)) == 1
    ref = weakref.ref(c)
    del c
    gc.collect()
    assert ref() is None
    assert Counter.__dict__["add"]._bound == {}


def test_method_of_instance_without_weakref_support():
    class Slotted:
        __slots__ = ("k",)

        def __init__(self):
            self.k = 5

        @autograph.function
        def times(self, x):
            return x * self.k

    s = Slotted()
    assert s.times(i64(2)) == 10 and s.times(i64(3)) == 15


def test_method_of_unhashable_instance_still_works():
    class Unhashable:
        __hash__ = None

        def __init__(self):
            self.k = 3

        @autograph.function
        def times(self, x):
            return x * self.k

    u = Unhashable()
    assert u.times(i64(2)) == 6 and u.times(i64(3)) == 9
    assert u.times.tracing_count == 1  # keyed by identity, not by hash


# Trace keys ---------------------------------------------------------------------------------


def test_one_trace_per_dtype_and_shape():
    @autograph.function
    def double(a):
        return a + a

    assert double(i64(1)) == 2
    assert double(i64(7)) == 14  # numpy scalars are placeholders: same trace
    assert double.tracing_count == 1
    assert double(f64(1.5)) == 3.0
    np.testing.assert_array_equal(double(np.array([1, 2])), [2, 4])
    np.testing.assert_array_equal(double(np.array([3, 4])), [6, 8])
    assert double.tracing_count == 3
    np.testing.assert_array_equal(double(np.array([1, 2], np.int32)), [2, 4])
    assert double(np.array([1, 2], np.int32)).dtype == np.int32
    np.testing.assert_array_equal(double(np.ones((2, 2))), 2 * np.ones((2, 2)))
    assert double.tracing_count == 5


def test_python_values_are_part_of_the_trace_key(capsys):
    @autograph.function
    def power(x, n):
        print("tracing", n)
        r = x
        for _ in range(n - 1):  # a Python loop: unrolled at trace time
            r = r * x
        return r

    assert power(f64(2.0), 3) == 8.0
    assert power(f64(3.0), 3) == 27.0
    assert power.tracing_count == 1
    assert power(f64(2.0), 4) == 16.0
    assert power.tracing_count == 2
    assert capsys.readouterr().out == "tracing 3\ntracing 4\n"


def test_python_scalar_types_are_distinct_keys():
    @autograph.function
    def kind(x, flag):
        return x if flag else -x

    assert kind(i64(1), 1) == 1
    assert kind(i64(1), True) == 1
    assert kind(i64(1), 1.0) == 1
    assert kind(i64(1), None) == -1
    assert kind(i64(1), "") == -1
    assert kind.tracing_count == 5


def test_nested_structures_of_arrays_and_object_arguments():
    @autograph.function
    def combine(pair, cfg, obj):
        a, b = pair
        return a * cfg["w"] + b + obj.offset

    class Obj:
        offset = 10

    o = Obj()
    assert combine((i64(1), i64(2)), {"w": 3}, o) == 15
    assert combine((i64(2), i64(2)), {"w": 3}, o) == 18
    assert combine.tracing_count == 1
    assert combine((i64(1), i64(2)), {"w": 4}, o) == 16
    assert combine((i64(1), i64(2)), {"w": 4}, Obj()) == 16  # another object: another trace
    assert combine.tracing_count == 3


def test_nan_python_argument_does_not_retrace():
    @autograph.function
    def f(x, fill):
        return x + fill

    for _ in range(3):
        assert np.isnan(f(f64(1.0), float("nan")))
    assert f.tracing_count == 1


def test_many_call_patterns_stay_correct():
    @autograph.function
    def f(x, k):
        return x * k

    for _ in range(2):
        for k in range(12):
            for x in (np.arange(3), np.arange(3.0), i64(2), np.ones((2, 2), np.float32)):
                np.testing.assert_array_equal(f(x, k), x * k)
                assert np.asarray(f(x, k)).dtype == np.asarray(x * k).dtype
    assert f.tracing_count == 48


def test_a_wrong_dtype_retraces_instead_of_casting():
    @autograph.function
    def ident_plus(x):
        return x + 0

    assert ident_plus(np.array([1, 2])).dtype == np.int64
    assert ident_plus(np.array([1, 2], np.int8)).dtype == np.int8
    assert ident_plus(np.array([1.5])).dtype == np.float64
    assert ident_plus(np.array(7)) == 7  # a 0-d array shares the numpy scalar's trace
    assert ident_plus(i64(7)) == 7
    assert ident_plus.tracing_count == 4


# input_signature ----------------------------------------------------------------------------


@autograph.function(input_signature=[autograph.TensorSpec(shape=(None,), dtype=np.int32)])
def next_collatz(x):
    return np.where(x % 2 == 0, x // 2, 3 * x + 1)


@autograph.function(input_signature=[autograph.TensorSpec(None, np.float64),
                                     autograph.TensorSpec((2, None), np.float64)])
def any_rank(a, m):
    return np.sum(a) + np.sum(m)


def test_input_signature_fixes_one_trace():
    np.testing.assert_array_equal(next_collatz(np.array([1, 2, 3], np.int32)), [4, 1, 10])
    np.testing.assert_array_equal(next_collatz(np.array([10, 11], np.int32)), [5, 34])
    np.testing.assert_array_equal(next_collatz([6, 7]), [3, 22])  # Python ints are weak
    np.testing.assert_array_equal(next_collatz(np.array([4], np.int16)), [2])  # safe cast
    assert next_collatz.tracing_count == 1
    assert next_collatz.input_signature == [autograph.TensorSpec((None,), np.int32)]
    ph = next_collatz.get_concrete_function().inputs[0]
    assert ph.shape == (None,) and ph.dtype == np.int32


def test_input_signature_none_shape_and_none_dims():
    assert any_rank(f64(1.0), np.ones((2, 3))) == 7.0
    assert any_rank(np.ones((2, 2, 2)), np.ones((2, 0))) == 8.0
    assert any_rank(2.5, np.ones((2, 1))) == 4.5
    assert any_rank.tracing_count == 1


@pytest.mark.parametrize("value,why", [
    (np.array([[1, 2], [3, 4]], np.int32), r"has shape \(2, 2\), but the input_signature "
                                           r"expects \(None,\)"),
    (np.array([1.0, 2.0]), r"has dtype float64, but the input_signature expects int32"),
    (np.array([1, 2], np.int64), r"int64 does not cast safely to int32"),
    ([1.5, 2.5], r"expects int32"),
    ("abc", r"is str, not an array"),
    (np.int32(3), r"has shape \(\), but the input_signature expects \(None,\)"),
])
def test_input_signature_mismatch_names_the_argument_and_why(value, why):
    with pytest.raises(ValueError, match=r"next_collatz\(\): argument 'x' ") as info:
        next_collatz(value)
    assert re.search(why, str(info.value)), str(info.value)


def test_input_signature_mismatch_on_the_second_argument():
    with pytest.raises(ValueError, match=r"argument 'm' has shape \(3, 3\)"):
        any_rank(f64(1.0), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"argument 'a' is the Python complex"):
        any_rank(1j, np.ones((2, 3)))


def test_input_signature_must_hold_tensor_specs():
    with pytest.raises(TypeError, match="TensorSpec"):
        autograph.function(lambda x: x, input_signature=[(None,)])
    with pytest.raises(TypeError, match="has 2 specs but the function takes 1"):
        autograph.function(lambda x: x, input_signature=[autograph.TensorSpec(()),
                                                         autograph.TensorSpec(())])


# autograph=False ----------------------------------------------------------------------------


def test_autograph_false_traces_unconverted():
    def relu_sum(x):
        s = 0.0
        for v in x:
            if v > 0:
                s += v
        return s

    unconverted = autograph.function(relu_sum, autograph=False)
    with pytest.raises(GraphTensorError, match="cannot iterate over graph tensor"):
        unconverted(np.arange(3.0))

    def relu(x):
        if x > 0:
            return x
        return 0.0

    with pytest.raises(TypeError, match="truth value of graph tensor"):
        autograph.function(relu, autograph=False)(f64(1.0))
    assert autograph.function(relu)(f64(-1.0)) == 0.0
    assert autograph.function(relu_sum)(np.array([-1.0, 2.0])) == 2.0

    plain = autograph.function(lambda x: np.maximum(x, 0.0), autograph=False)
    np.testing.assert_array_equal(plain(np.array([-1.0, 2.0])), [0.0, 2.0])


# Inspection ---------------------------------------------------------------------------------


def test_get_concrete_function_with_values_and_specs():
    @autograph.function
    def scale(x, k=2):
        return x * k

    cf = scale.get_concrete_function(np.arange(3.0))
    assert isinstance(cf, autograph.ConcreteFunction)
    assert isinstance(cf.graph, autograph.Graph)
    assert [op.type for op in cf.graph.get_operations()] == ["Placeholder", "multiply"]
    assert scale.tracing_count == 1
    np.testing.assert_array_equal(scale(np.arange(3.0)), [0.0, 2.0, 4.0])
    assert scale.tracing_count == 1  # the call used the same trace
    assert scale.get_concrete_function(np.ones(3)) is cf

    spec_cf = scale.get_concrete_function(autograph.TensorSpec((None,), np.float64), 5)
    assert spec_cf is not cf and spec_cf.inputs[0].shape == (None,)
    np.testing.assert_array_equal(spec_cf(np.arange(4.0)), [0.0, 5.0, 10.0, 15.0])
    assert scale.tracing_count == 2
    assert "multiply" in spec_cf.source
    with pytest.raises(TypeError, match="one per placeholder"):
        spec_cf()


def test_get_concrete_function_checks_specs_against_input_signature():
    assert next_collatz.get_concrete_function(
        autograph.TensorSpec((None,), np.int32)) is next_collatz.get_concrete_function()
    with pytest.raises(ValueError, match="argument 'x'"):
        next_collatz.get_concrete_function(autograph.TensorSpec((3, 3), np.int32))


def test_tracing_count_counts_only_successful_traces():
    @autograph.function
    def fragile(x, fail):
        if fail:
            raise RuntimeError("boom")
        return x + 1

    with pytest.raises(RuntimeError, match="boom"):
        fragile(i64(1), True)
    assert fragile.tracing_count == 0
    assert fragile(i64(1), False) == 2
    assert fragile.tracing_count == 1


# Results ------------------------------------------------------------------------------------


Pair = collections.namedtuple("Pair", "lo hi")


def test_results_are_numpy_values_in_nested_structures():
    @autograph.function
    def many(x):
        return {"sum": np.sum(x), "parts": (x[0], [x[1], 3]), "pair": Pair(np.min(x), np.max(x)),
                "none": None, "const": 2.5, "name": "many", "flag": True}

    out = many(np.array([4, 1, 7]))
    assert out["sum"] == 12 and isinstance(out["sum"], np.integer)
    assert isinstance(out["parts"], tuple) and isinstance(out["parts"][1], list)
    assert out["parts"][0] == 4 and out["parts"][1][0] == 1
    assert out["parts"][1][1] == 3 and isinstance(out["parts"][1][1], np.integer)
    assert out["pair"] == Pair(1, 7) and isinstance(out["pair"], Pair)
    assert out["none"] is None and out["name"] == "many"
    assert isinstance(out["const"], np.float64) and isinstance(out["flag"], np.bool_)


def test_array_results_are_fresh_arrays():
    @autograph.function
    def f(x):
        return x * 2, np.zeros(2)

    a1, z1 = f(np.arange(2))
    a2, z2 = f(np.arange(2))
    assert isinstance(a1, np.ndarray) and a1 is not a2 and z1 is not z2
    z1[0] = 99
    assert f(np.arange(2))[1][0] == 0


def test_no_return_gives_none_and_variables_give_their_value():
    v = autograph.Variable(np.zeros(2))

    @autograph.function
    def bump(x):
        v.assign_add(x)

    @autograph.function
    def bump_and_get(x):
        v.assign_add(x)
        return v

    assert bump(np.ones(2)) is None
    np.testing.assert_array_equal(bump_and_get(np.ones(2)), [2.0, 2.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 2.0])


# print --------------------------------------------------------------------------------------


def test_python_print_at_trace_autograph_print_at_every_call(capsys):
    @autograph.function
    def f(x):
        print("Traced with", x)
        autograph.print("Executed with", x)

    for value in range(3):
        f(i64(value))
    assert capsys.readouterr().out == (
        "Traced with <Tensor 'x:0' shape=() dtype=int64>\n"
        "Executed with 0\nExecuted with 1\nExecuted with 2\n")


# Nesting ------------------------------------------------------------------------------------


def test_function_called_from_another_function_is_inlined():
    @autograph.function
    def inner(x):
        if x > 0:
            x = x * 10
        return x

    @autograph.function
    def outer(x):
        return inner(x) - inner(-x)

    assert outer(i64(3)) == 33 and outer(i64(-3)) == -33
    assert outer.tracing_count == 1 and inner.tracing_count == 0
    assert autograph.to_graph(inner) is inner
    assert "x = x * 10" in autograph.to_code(inner)

    graph = autograph.Graph()
    with graph.as_default():
        x = autograph.placeholder(np.int64, ())
        y = inner(x)
    assert graph.run(y, {x: 2}) == 20


def test_inlined_even_after_the_fast_path_learned_the_call():
    counter = autograph.Variable(np.int64(0))

    @autograph.function
    def bump(by):
        counter.assign_add(by)

    @autograph.function
    def twice(x):
        bump(1)  # Python argument only: inlined, so it runs at every call of `twice`
        bump(1)
        return x

    bump(1)
    bump(1)  # now on the fast path
    assert counter.numpy() == 2
    for _ in range(3):
        twice(i64(0))
    assert counter.numpy() == 8
    assert bump.tracing_count == 1 and twice.tracing_count == 1


# Thread safety ------------------------------------------------------------------------------


def test_trace_cache_is_thread_safe():
    traces = []

    @autograph.function
    def slow_to_trace(x):
        traces.append(1)
        time.sleep(0.05)  # at trace time only: widens the race window
        return x * 2

    barrier = threading.Barrier(8)
    results = [None] * 8
    errors = []

    def worker(k):
        try:
            barrier.wait()
            results[k] = [slow_to_trace(np.arange(4) + k) for _ in range(20)]
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(traces) == 1 and slow_to_trace.tracing_count == 1
    for k, rs in enumerate(results):
        for r in rs:
            np.testing.assert_array_equal(r, (np.arange(4) + k) * 2)


def test_repr():
    @autograph.function
    def named(x):
        return x

    assert repr(named).startswith("<autograph.function ")
    assert "named" in repr(named)
    assert "1 inputs" in repr(named.get_concrete_function(i64(1)))
