"""The JAX backend through the runtime operators (TensorFlow-style functional forms), under
jax.jit, compared with the same computation in plain Python/numpy."""

import warnings

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

import autograph  # noqa: E402
from autograph import runtime as ag__  # noqa: E402
from autograph.runtime import registry  # noqa: E402
from autograph.runtime.backends import jax_backend  # noqa: E402
from tests.jax._fforms import eqn_count, for_, if_, while_  # noqa: E402


def test_backend_is_registered_for_tracers_only():
    seen = []

    def f(x):
        seen.append(registry.backend_of(x))
        return x

    jax.jit(f)(1.0)
    assert seen[0] is not None and seen[0].name == "jax"
    assert registry.backend_of(jnp.ones(3)) is None  # a concrete array: plain Python
    assert isinstance(jax_backend.load_backend(), jax_backend.JaxBackend)
    assert jax_backend.load_backend() is jax_backend.load_backend()


# ---------------------------------------------------------------------------------------------
# if
# ---------------------------------------------------------------------------------------------


def _square_if_positive(x):
    s = {"y": ag__.Undefined("y")}

    def body(s):
        s["y"] = x * x

    def orelse(s):
        s["y"] = -x

    return if_(s, x > 0, body, orelse)["y"]


@pytest.mark.parametrize("x", [3.0, -2.0, 0.0])
def test_if_becomes_cond(x):
    f = jax.jit(_square_if_positive)
    assert float(f(x)) == (x * x if x > 0 else -x)
    jaxpr = jax.make_jaxpr(_square_if_positive)(x)
    assert [e.primitive.name for e in jaxpr.jaxpr.eqns].count("cond") == 1


def test_if_promotes_a_python_number_to_the_other_branch_dtype():
    def f(x):
        s = {"y": 0}

        def body(s):
            s["y"] = 1  # a Python int in this branch...

        def orelse(s):
            s["y"] = x * 2.5  # ...float32 in the other

        return if_(s, x > 0, body, orelse)["y"]

    out = jax.jit(f)(jnp.float32(2.0))
    assert out.dtype == jnp.float32 and float(out) == 1.0
    assert float(jax.jit(f)(jnp.float32(-2.0))) == -5.0


def test_if_dtype_mismatch_names_the_variable():
    def f(x):
        s = {"y": x}

        def body(s):
            s["y"] = x.astype(jnp.int32)

        def orelse(s):
            s["y"] = x

        return if_(s, x > 0, body, orelse)["y"]

    with pytest.raises(autograph.StagingError) as e:
        jax.jit(f)(jnp.float32(1.0))
    assert "'y'" in str(e.value) and "int32" in str(e.value) and "float32" in str(e.value)
    assert e.value.variable == "y"


def test_if_shape_mismatch_names_the_variable():
    def f(x):
        s = {"v": jnp.zeros(3)}

        def body(s):
            s["v"] = jnp.zeros(4)

        return if_(s, x > 0, body)["v"]

    with pytest.raises(autograph.StagingError, match="'v'") as e:
        jax.jit(f)(1.0)
    assert "[3]" in str(e.value) and "[4]" in str(e.value)


def test_if_defined_in_one_branch_only_is_an_error():
    def f(x):
        s = {"y": ag__.Undefined("y")}

        def body(s):
            s["y"] = x

        return if_(s, x > 0, body)["y"]

    with pytest.raises(autograph.StagingError, match="'y'"):
        jax.jit(f)(1.0)


def test_if_python_values_equal_in_both_branches_stay_python():
    def f(x):
        s = {"y": 0.0, "tag": None}

        def body(s):
            s["y"], s["tag"] = x, "same"

        def orelse(s):
            s["y"], s["tag"] = -x, "same"

        out = if_(s, x > 0, body, orelse)
        assert out["tag"] == "same"
        return out["y"]

    assert float(jax.jit(f)(-4.0)) == 4.0


def test_if_with_a_non_scalar_condition_is_an_error():
    def f(x):
        return if_({"y": x}, x > 0, lambda s: s.update(y=-x))["y"]

    with pytest.raises(autograph.StagingError, match="shape"):
        jax.jit(f)(jnp.ones(3))


def test_switch_via_backend():
    b = jax_backend.load_backend()

    def f(i, x):
        return b.switch(i, [lambda: (x,), lambda: (x * 2,), lambda: (1,)], ("y",))[0]

    g = jax.jit(f)
    assert [float(g(i, 3.0)) for i in range(3)] == [3.0, 6.0, 1.0]


# ---------------------------------------------------------------------------------------------
# while
# ---------------------------------------------------------------------------------------------


def _collatz_steps(x):
    s = {"x": x, "n": 0}

    def body(s):
        s["x"] = jnp.where(s["x"] % 2 == 0, s["x"] // 2, 3 * s["x"] + 1)
        s["n"] = s["n"] + 1

    return while_(s, lambda s: s["x"] > 1, body)["n"]


def _collatz_py(x):
    n = 0
    while x > 1:
        x = x // 2 if x % 2 == 0 else 3 * x + 1
        n += 1
    return n


@pytest.mark.parametrize("x", [1, 6, 27])
def test_while_becomes_while_loop(x):
    assert int(jax.jit(_collatz_steps)(x)) == _collatz_py(x)
    jaxpr = jax.make_jaxpr(_collatz_steps)(x)
    assert "while" in [e.primitive.name for e in jaxpr.jaxpr.eqns]


def test_while_maximum_iterations():
    def f(x):
        s = {"x": x}

        def body(s):
            s["x"] = s["x"] + 1

        return while_(s, lambda s: s["x"] < 100, body, maximum_iterations=5)["x"]

    assert int(jax.jit(f)(0)) == 5
    assert int(jax.jit(f)(98)) == 100


def test_while_promotes_weak_initial_value():
    def f(x):
        s = {"t": 0, "k": 0}  # Python ints; t accumulates floats

        def body(s):
            s["t"] = s["t"] + x
            s["k"] = s["k"] + 1

        return while_(s, lambda s: s["k"] < 3, body)["t"]

    out = jax.jit(f)(jnp.float32(0.5))
    assert out.dtype == jnp.float32 and float(out) == 1.5


def test_while_dtype_change_names_the_variable():
    def f(x):
        s = {"i": jnp.int32(0)}

        def body(s):
            s["i"] = s["i"] + x  # int32 + float32 -> float32

        return while_(s, lambda s: s["i"] < 3, body)["i"]

    with pytest.raises(autograph.StagingError) as e:
        jax.jit(f)(jnp.float32(1.0))
    msg = str(e.value)
    assert "'i'" in msg and "int32" in msg and "float32" in msg and "test_file.py:1" in msg


def test_while_shape_change_names_the_variable():
    def f(x):
        s = {"v": x, "k": 0}

        def body(s):
            s["v"] = jnp.concatenate([s["v"], s["v"]])
            s["k"] = s["k"] + 1

        return while_(s, lambda s: s["k"] < x.sum(), body)["v"]

    with pytest.raises(autograph.StagingError, match="'v'"):
        jax.jit(f)(jnp.ones(2))


def test_while_with_python_condition_that_becomes_a_tensor_is_an_error():
    def f(x):
        s = {"k": 0}

        def body(s):
            s["k"] = s["k"] + x

        return while_(s, lambda s: s["k"] < 3, body)["k"]

    with pytest.raises(autograph.StagingError, match="'k'"):
        jax.jit(f)(1)


# ---------------------------------------------------------------------------------------------
# for over range
# ---------------------------------------------------------------------------------------------


def _range_sum(start, stop, step, x):
    s = {"s": 0.0}

    def body(s, i):
        s["s"] = s["s"] + i * x

    return for_(s, ag__.range_(start, stop, step), body)["s"]


@pytest.mark.parametrize("start,stop,step", [
    (0, 10, 1), (2, 11, 3), (10, 0, -1), (10, -3, -4), (5, 5, 1), (5, 0, 1), (0, 5, -1),
    (-3, 4, 2),
])
@pytest.mark.parametrize("traced", ["stop", "all"])
def test_for_range_with_traced_bounds_any_step(start, stop, step, traced):
    expected = float(sum(i * 1.5 for i in range(start, stop, step)))
    if traced == "stop":
        f = jax.jit(lambda stop, x: _range_sum(start, stop, step, x))
        got = f(stop, 1.5)
    else:
        f = jax.jit(_range_sum)
        got = f(start, stop, step, 1.5)
    assert float(got) == pytest.approx(expected)


def test_for_range_with_traced_zero_step_runs_no_iteration():
    assert float(jax.jit(_range_sum)(0, 5, 0, 1.0)) == 0.0


def _static_range_sum(x):
    s = {"s": 0}

    def body(s, i):
        s["s"] = s["s"] + x[i]

    return for_(s, range(x.shape[0]), body)["s"]


def test_static_range_in_a_trace_becomes_fori_loop():
    x = jnp.arange(6.0)
    assert float(jax.jit(_static_range_sum)(x)) == 15.0
    prims = [e.primitive.name for e in jax.make_jaxpr(_static_range_sum)(x).jaxpr.eqns]
    assert "scan" in prims  # fori_loop with a static trip count lowers to scan


@pytest.mark.parametrize("make", [
    lambda n: (lambda x: _static_range_sum(x), jnp.arange(float(n))),
    lambda n: (lambda x: _range_sum(0, x.shape[0], 1, x[0]), jnp.arange(float(n))),
    lambda n: (lambda x: _tensor_sum(x), jnp.arange(float(n))),
    lambda n: (lambda x: _collatz_steps(x), n),
])
def test_staged_loop_jaxpr_does_not_grow_with_n(make):
    sizes = []
    for n in (4, 64):
        f, arg = make(n)
        sizes.append(eqn_count(jax.make_jaxpr(f)(arg)))
    assert sizes[0] == sizes[1]


def test_static_range_over_python_values_stays_python_in_a_trace():
    def f(x):
        s = {"n": 0}

        def body(s, i):
            s["n"] = s["n"] + i  # integer bookkeeping, no traced value read

        n = for_(s, range(4), body)["n"]
        assert type(n) is int and n == 6
        return jnp.zeros(n) + x  # usable as a shape

    assert jax.jit(f)(1.0).shape == (6,)


def test_static_range_iterating_a_traced_map_is_staged():
    def f(x):
        s = {"y": x}

        def body(s, i):
            s["y"] = jnp.cos(s["y"])

        return for_(s, range(50), body)["y"]

    prims = [e.primitive.name for e in jax.make_jaxpr(f)(0.5).jaxpr.eqns]
    assert prims.count("cos") == 0 and "scan" in prims
    y = 0.5
    for _ in range(50):
        y = np.cos(y)
    assert float(jax.jit(f)(0.5)) == pytest.approx(y, rel=1e-5)


def test_static_range_outside_a_trace_runs_in_python():
    s = {"s": 0}

    def body(s, i):
        s["s"] = s["s"] + i

    out = for_(s, range(5), body)["s"]
    assert out == 10 and type(out) is int


def test_static_range_that_cannot_be_staged_rolls_back_with_a_warning():
    weights = [1.0, 2.0, 3.0]

    def f(x):
        s = {"s": x}

        def body(s, i):
            s["s"] = s["s"] * weights[i]  # a Python list indexed by the loop index

        return for_(s, range(3), body, loop_name="model.py:42")["s"]

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = jax.jit(f)(2.0)
    assert float(out) == 12.0
    msgs = [str(x.message) for x in w if issubclass(x.category, autograph.AutographWarning)]
    assert msgs and "model.py:42" in msgs[0] and "Python loop" in msgs[0]


def test_static_range_loop_index_is_reverse_differentiable():
    def f(x):
        s = {"y": x}

        def body(s, i):
            s["y"] = jnp.sin(s["y"]) * (i + 1)

        return for_(s, range(4), body)["y"]

    def ref(x):
        y = x
        for i in range(4):
            y = jnp.sin(y) * (i + 1)
        return y

    assert float(jax.grad(f)(0.3)) == pytest.approx(float(jax.grad(ref)(0.3)), rel=1e-5)
    assert float(jax.jit(jax.grad(f))(0.3)) == pytest.approx(float(jax.grad(ref)(0.3)),
                                                             rel=1e-5)


# ---------------------------------------------------------------------------------------------
# for over a tensor, enumerate, zip
# ---------------------------------------------------------------------------------------------


def _tensor_sum(xs):
    s = {"s": 0.0}

    def body(s, x):
        s["s"] = s["s"] + x * x

    return for_(s, xs, body)["s"]


def test_for_over_tensor_becomes_scan():
    xs = jnp.arange(5.0)
    assert float(jax.jit(_tensor_sum)(xs)) == 30.0
    assert "scan" in [e.primitive.name for e in jax.make_jaxpr(_tensor_sum)(xs).jaxpr.eqns]


def test_for_over_rows_of_a_matrix():
    def f(m):
        s = {"acc": jnp.zeros(3)}

        def body(s, row):
            s["acc"] = s["acc"] + row

        return for_(s, m, body)["acc"]

    m = np.arange(12.0).reshape(4, 3)
    np.testing.assert_allclose(jax.jit(f)(m), m.sum(0))


def test_enumerate_and_zip_over_tensors():
    def f(a, b):
        s = {"s": 0.0}

        def body(s, it):
            i, (x, y) = it
            s["s"] = s["s"] + i * x * y

        return for_(s, ag__.enumerate_(ag__.zip_(a, b), 1), body)["s"]

    a, b = np.arange(4.0), np.arange(5.0) + 1
    expected = sum(i * x * y for i, (x, y) in enumerate(zip(a, b), 1))
    assert float(jax.jit(f)(a, b)) == pytest.approx(expected)


def test_for_over_a_0d_tensor_is_a_type_error():
    with pytest.raises(TypeError, match="0-d"):
        jax.jit(_tensor_sum)(1.0)


# ---------------------------------------------------------------------------------------------
# break / continue / return flags (extra_test)
# ---------------------------------------------------------------------------------------------


def test_break_in_a_range_loop_via_extra_test():
    def f(x, n):
        s = {"s": 0.0, "brk": False}

        def body(s, i):
            s["s"] = s["s"] + x[i]
            s["brk"] = s["s"] > 10.0

        return for_(s, ag__.range_(n), body, extra_test=lambda s: ag__.not_(s["brk"]))["s"]

    x = jnp.arange(10.0)
    expected = 0.0
    for v in range(10):
        expected += v
        if expected > 10:
            break
    assert float(jax.jit(f)(x, 10)) == expected


def test_break_in_a_tensor_loop_via_extra_test():
    def f(xs):
        s = {"s": 0.0, "brk": False}

        def body(s, x):
            s["s"] = s["s"] + x
            s["brk"] = x >= 3

        return for_(s, xs, body, extra_test=lambda s: ag__.not_(s["brk"]))["s"]

    assert float(jax.jit(f)(jnp.arange(10.0))) == 0 + 1 + 2 + 3


# ---------------------------------------------------------------------------------------------
# lists
# ---------------------------------------------------------------------------------------------


def test_list_appended_in_a_tensor_loop():
    def f(xs):
        s = {"out": []}

        def body(s, x):
            s["out"] = ag__.list_append(s["out"], x * 2)

        out = for_(s, xs, body)["out"]
        assert len(out) == 4
        return jnp.asarray(out), out[-1], jnp.stack(list(out))

    a, last, b = jax.jit(f)(jnp.arange(4.0))
    np.testing.assert_allclose(a, [0, 2, 4, 6])
    np.testing.assert_allclose(b, [0, 2, 4, 6])
    assert float(last) == 6.0


def test_list_with_initial_items_and_two_appends_per_iteration_in_static_range():
    def f(x):
        s = {"out": [x]}

        def body(s, i):
            s["out"] = ag__.list_append(s["out"], x + i)
            s["out"] = ag__.list_append(s["out"], x - i)

        out = for_(s, range(3), body)["out"]
        return ag__.list_stack(out)

    expected = [1.0]
    for i in range(3):
        expected += [1.0 + i, 1.0 - i]
    np.testing.assert_allclose(jax.jit(f)(1.0), expected)


def test_list_appended_in_nested_staged_loops():
    def f(m):
        s = {"out": []}

        def outer(s, row):
            def inner(s, v):
                s["out"] = ag__.list_append(s["out"], v + 1)

            for_(s, row, inner)

        out = for_(s, m, outer)["out"]
        return jnp.asarray(out)

    m = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(jax.jit(f)(m), m.ravel() + 1)


def test_list_appended_under_a_traced_condition_has_a_traced_length():
    def f(xs):
        s = {"out": []}

        def body(s, x):
            def then(s):
                s["out"] = ag__.list_append(s["out"], x)

            if_(s, x > 1, then, names=("out",))

        out = for_(s, xs, body)["out"]
        buf, n = jax_backend.padded(out)
        return buf, n, out

    buf, n = jax.jit(lambda xs: f(xs)[:2])(jnp.arange(4.0))
    assert int(n) == 2
    np.testing.assert_allclose(buf[:2], [2.0, 3.0])
    with pytest.raises(autograph.StagingError, match="length"):
        jax.jit(lambda xs: jnp.asarray(f(xs)[2]))(jnp.arange(4.0))


def test_list_in_a_while_loop_needs_a_bound():
    def f(x):
        s = {"out": [], "k": x}

        def body(s):
            s["out"] = ag__.list_append(s["out"], s["k"])
            s["k"] = s["k"] + 1

        return while_(s, lambda s: s["k"] < 5, body, names=("out", "k"))

    with pytest.raises(autograph.StagingError, match="'out'.*maximum_iterations"):
        jax.jit(lambda x: f(x)["k"])(0)


def test_list_in_a_bounded_while_loop():
    def f(x):
        s = {"out": [], "k": x}

        def body(s):
            s["out"] = ag__.list_append(s["out"], s["k"] * 10)
            s["k"] = s["k"] + 1

        out = while_(s, lambda s: s["k"] < 5, body, maximum_iterations=8)["out"]
        return jax_backend.padded(out)

    buf, n = jax.jit(f)(2)
    assert int(n) == 3 and buf.shape == (8,)
    np.testing.assert_array_equal(buf[:3], [20, 30, 40])


# ---------------------------------------------------------------------------------------------
# setitem, logical operators, conditional expressions
# ---------------------------------------------------------------------------------------------


def test_setitem_functional_updates():
    def f(x, i, j):
        x = ag__.setitem(x, (i, j), 7.0)
        x = ag__.setitem(x, (i + 1, slice(None)), x[i] * 2)
        return x

    got = jax.jit(f)(np.zeros((3, 4)), 0, 2)
    want = np.zeros((3, 4))
    want[0, 2] = 7.0
    want[1, :] = want[0] * 2
    np.testing.assert_allclose(got, want)


def test_setitem_numpy_target_with_traced_value():
    base = np.zeros(3)

    def f(v):
        return ag__.setitem(base, 1, v)

    np.testing.assert_allclose(jax.jit(f)(5.0), [0, 5, 0])
    assert base[1] == 0.0  # the numpy array itself is not mutated under a trace


def test_setitem_python_list_with_traced_index_is_an_error():
    with pytest.raises(TypeError):  # JAX's own TracerIntegerConversionError
        jax.jit(lambda i: ag__.setitem([1, 2, 3], i, 0))(1)


def test_logical_operators_and_if_exp():
    def f(x, y):
        a = ag__.and_(x > 0, lambda: y > 0)
        o = ag__.or_(x > 0, lambda: y > 0)
        n = ag__.not_(x > 0)
        t = ag__.if_exp(x > y, lambda: x, lambda: y)
        return a, o, n, t

    for x, y in [(1.0, 2.0), (-1.0, 2.0), (1.0, -2.0), (-1.0, -2.0)]:
        a, o, n, t = jax.jit(f)(x, y)
        assert (bool(a), bool(o), bool(n), float(t)) == (x > 0 and y > 0, x > 0 or y > 0,
                                                         not x > 0, max(x, y))


def test_python_operands_keep_short_circuit():
    calls = []

    def f(x):
        return ag__.and_(False, lambda: calls.append(1) or x)

    assert jax.jit(lambda x: (f(x), x)[1])(1.0) == 1.0
    assert calls == []


# ---------------------------------------------------------------------------------------------
# assert and print
# ---------------------------------------------------------------------------------------------


def test_assert_is_checked_at_run_time():
    def f(x):
        ag__.assert_stmt(x > 0, lambda: "x must be positive")
        return x * 2

    g = jax.jit(f)
    assert float(g(1.0)) == 2.0
    with pytest.raises(Exception, match="x must be positive"):
        jax.block_until_ready(g(-1.0))


def test_print_runs_at_run_time(capfd):
    def f(x):
        ag__.print_("x is", x, sep=": ")
        return x + 1

    g = jax.jit(f)
    g(1.0)
    g(2.0)
    jax.effects_barrier()
    out = capfd.readouterr().out
    assert "x is: 1.0" in out and "x is: 2.0" in out


# ---------------------------------------------------------------------------------------------
# concrete arrays keep Python semantics; composition with vmap and grad
# ---------------------------------------------------------------------------------------------


def test_concrete_arrays_outside_a_trace_keep_python_semantics():
    ran = []

    def body(s):
        ran.append("if")
        s["y"] = s["y"] + 1

    def orelse(s):
        ran.append("else")

    out = if_({"y": jnp.float32(1)}, jnp.array(True), body, orelse)["y"]
    assert ran == ["if"] and float(out) == 2.0
    seen = []
    for_({"s": 0}, jnp.arange(3), lambda s, x: seen.append(type(x)))
    assert len(seen) == 3  # iterated in Python, one concrete element at a time


def test_vmap_with_batched_predicates():
    xs = jnp.array([3.0, -2.0, 0.0, 5.0])
    np.testing.assert_allclose(jax.vmap(_square_if_positive)(xs), [9.0, 2.0, -0.0, 25.0])
    ns = jnp.array([1, 6, 27, 7])
    np.testing.assert_array_equal(jax.jit(jax.vmap(_collatz_steps))(ns),
                                  [_collatz_py(int(n)) for n in ns])


def test_grad_through_cond():
    g = jax.grad(_square_if_positive)
    assert float(g(3.0)) == 6.0 and float(g(-3.0)) == -1.0
    assert float(jax.jit(g)(3.0)) == 6.0


def test_grad_through_static_trip_count_loops():
    def f(x):
        s = {"y": x}

        def body(s, i):
            s["y"] = s["y"] * x

        return for_(s, ag__.range_(x.shape[0] if hasattr(x, "shape") and x.shape else 3),
                    body)["y"]

    assert float(jax.jit(jax.grad(f))(2.0)) == pytest.approx(4 * 2.0 ** 3)
    xs = jnp.arange(1.0, 4.0)
    np.testing.assert_allclose(jax.grad(_tensor_sum)(xs), 2 * xs)


def test_hand_written_lax_matches_staged_jaxpr_size():
    def hand(x):
        return lax.fori_loop(0, x.shape[0], lambda i, s: s + x[i], 0.0)

    x = jnp.arange(8.0)
    staged = eqn_count(jax.make_jaxpr(_static_range_sum)(x))
    written = eqn_count(jax.make_jaxpr(hand)(x))
    assert abs(staged - written) <= 2
