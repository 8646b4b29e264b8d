"""Issue #5 gaps: `and`/`or` values on tracers, no leaked tracers (`jax.checking_leaks()`),
and `autograph.set_loop_options(maximum_iterations=...)` on JAX and the graph engine."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import autograph  # noqa: E402

# ---------------------------------------------------------------------------------------------
# and / or give an operand, as in Python
# ---------------------------------------------------------------------------------------------


def _and_or_cases():
    def neg_or(z):
        return 0 - (z or 0)

    def and_const(z):
        return z and -1

    def and_plus(z):
        return (z and 3) + 1

    def or_var(z, w):
        return z or w

    def float_and(x):
        return (x and 2) * 1.5

    def chained(z, w):
        return (z and w) or 7

    def as_condition(z, w):
        n = 0
        if z != 0 and w > 1:
            n = 1
        return n

    return [(neg_or, [(-8,), (0,), (5,)]), (and_const, [(-1,), (0,), (3,)]),
            (and_plus, [(2,), (0,)]), (or_var, [(0, 4), (3, 4)]),
            (float_and, [(0.0,), (3.5,)]), (chained, [(0, 5), (2, 0), (2, 5)]),
            (as_condition, [(0, 5), (2, 5), (2, 0)])]


@pytest.mark.parametrize("fn, inputs", _and_or_cases(), ids=lambda v: getattr(v, "__name__", ""))
def test_and_or_values_agree_with_python(fn, inputs):
    conv = jax.jit(autograph.to_graph(fn))
    for args in inputs:
        want = fn(*args)
        got = conv(*args)
        assert np.asarray(got).dtype.kind == np.asarray(want).dtype.kind, (args, got, want)
        np.testing.assert_allclose(np.asarray(got), want)
        # the graph engine (cond-based, short-circuit): the same values, or a StagingError
        # (it does not lift a Python int to a float tensor's dtype: `x and 2`)
        graph_args = [np.asarray(a) for a in args]
        try:
            np.testing.assert_allclose(autograph.function(fn)(*graph_args), want)
        except autograph.StagingError:
            assert fn.__name__ == "float_and"


def _truth_tests():
    def if_and(z, w):
        n = 0
        if z and w > 1:     # only the truth of `z and (w > 1)` is used: `z != 0 and w > 1`
            n = 1
        return n

    def while_or_not(z, w):
        n = 0
        while not (z or n > w) and n < 10:
            n += 1
        return n

    def ternary_and(z, w):
        return w + 1 if (z and w) or z < -1 else w - 1

    def assert_or(z, w):
        assert z or w > 0, "z or w"
        return w

    return [if_and, while_or_not, ternary_and, assert_or]


@pytest.mark.parametrize("fn", _truth_tests(), ids=lambda f: f.__name__)
@pytest.mark.parametrize("z, w", [(0, 5), (2, 5), (2, 0), (-3, 0), (0, -1)])
def test_mixed_int_and_bool_operands_in_a_condition(fn, z, w):
    try:
        want = fn(z, w)
    except AssertionError:
        with pytest.raises(Exception, match="z or w"):
            jax.block_until_ready(jax.jit(autograph.to_graph(fn))(z, w))
        with pytest.raises(AssertionError):
            autograph.function(fn)(np.int64(z), np.int64(w))
        return
    assert int(jax.jit(autograph.to_graph(fn))(z, w)) == want
    assert int(autograph.function(fn)(np.int64(z), np.int64(w))) == want


def test_and_or_on_a_bool_tracer_stays_logical():
    def f(x, n):
        return x > 0 and n      # as a condition: `x > 0 and n != 0`, as the graph engine does

    out = jax.jit(autograph.to_graph(f))(2.0, 3)
    assert out.dtype == jnp.bool_ and bool(out)


@pytest.mark.parametrize("src, bad", [("r and True", "r"), ("r or 0.5", "r"),
                                       ("r and w", "r")])
def test_value_dependent_dtype_is_a_staging_error_naming_the_operand(src, bad, tmp_path,
                                                                     monkeypatch):
    path = tmp_path / "andor_mod.py"
    path.write_text(f"def f(r, w):\n    v = {src}\n    return v\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    mod = importlib.import_module("andor_mod")
    importlib.reload(mod)
    with pytest.raises(autograph.StagingError) as info:
        jax.jit(autograph.to_graph(mod.f))(2, jnp.arange(3))
    assert f"'{bad}'" in str(info.value) and "andor_mod.py:2" in str(info.value)
    assert info.value.variable == bad


# ---------------------------------------------------------------------------------------------
# No leaked tracers
# ---------------------------------------------------------------------------------------------


def leak_if(x):
    if x > 0:
        y = x * x
    else:
        y = -x
    return y


def leak_elif(x):
    if x > 2:
        y = 1.0
    elif x > 0:
        y = x
    else:
        y = -x
    return y


def leak_while(x):
    n = 0
    while x > 1:
        if x > 4:
            x = x / 2
        else:
            x = x - 1
        n += 1
    return n


def leak_break(x):
    s = 0.0
    for v in x:
        if v < 0:
            break
        s += v
    return s


def leak_continue(x):
    s = 0.0
    for v in x:
        if v < 0:
            continue
        s += v
    return s


def leak_return(x):
    for i in range(x.shape[0]):
        if x[i] > 2:
            return i
    return -1


def leak_break_in_while(x):
    i = jnp.int32(0)     # a traced loop counter: a staged while
    s = x[0]
    while i < x.shape[0]:
        if x[i] > 2:
            s = x[i] * 2
            break
        i += 1
    return s


def leak_static_range(x):
    s = 0.0
    for i in range(5):
        s = s + x[i]
    return s


def leak_traced_range(x, n):
    s = 0.0
    for i in range(n):
        s = s + x[i]
    return s


def leak_nested(x):
    s = 0.0
    for i in range(x.shape[0]):
        j = 0
        while j < i:
            if x[j] > 0:
                s += x[j]
            j += 1
    return s


def leak_and_or(z):
    return (z or 1) + (z > 0 and z < 3)


def leak_append(x):
    out = []
    for v in x:
        out.append(v * 2)
    return jnp.stack(out)


ARR = np.array([1.0, 2.0, -1.0, 3.0, 4.0], np.float32)
LEAK_CASES = [(leak_if, (3.0,)), (leak_if, (-3.0,)), (leak_elif, (1.0,)), (leak_while, (10.0,)),
              (leak_break, (ARR,)), (leak_continue, (ARR,)), (leak_return, (ARR,)),
              (leak_break_in_while, (ARR,)), (leak_static_range, (ARR,)),
              (leak_traced_range, (ARR, 4)), (leak_nested, (ARR,)), (leak_and_or, (2,)),
              (leak_append, (ARR,))]


@pytest.mark.parametrize("fn, args", LEAK_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_no_leaked_tracers(fn, args):
    conv = autograph.to_graph(fn)
    want = jax.jit(conv)(*args)
    with jax.checking_leaks():
        got = jax.jit(conv)(*args)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want))


def test_no_leaked_tracers_under_grad_and_vmap():
    conv = autograph.to_graph(leak_static_range)
    with jax.checking_leaks():
        g = jax.grad(conv)(jnp.asarray(ARR))
        v = jax.vmap(autograph.to_graph(leak_while))(jnp.array([3.0, 10.0, 0.5]))
    np.testing.assert_allclose(g, [1, 1, 1, 1, 1])
    np.testing.assert_array_equal(v, [leak_while(3.0), leak_while(10.0), leak_while(0.5)])


# ---------------------------------------------------------------------------------------------
# autograph.set_loop_options
# ---------------------------------------------------------------------------------------------


def halvings(x):
    n = 0
    while x > 1:
        autograph.set_loop_options(maximum_iterations=3)
        x = x / 2
        n += 1
    return n


def halvings_bounded(x, m):
    n = 0
    while x > 1:
        autograph.set_loop_options(maximum_iterations=m)
        x = x / 2
        n += 1
    return n


def collected(x):
    out = []
    while x > 1:
        autograph.set_loop_options(maximum_iterations=10)
        x = x / 2
        out.append(x)
    return out


def test_set_loop_options_is_a_no_op_in_python():
    assert autograph.set_loop_options(maximum_iterations=3) is None
    assert halvings(100.0) == 7
    assert autograph.to_graph(halvings)(100.0) == 7  # Python values: a Python loop


def test_maximum_iterations_caps_a_staged_while_on_jax_and_the_engine():
    assert int(jax.jit(autograph.to_graph(halvings))(100.0)) == 3
    assert int(jax.jit(autograph.to_graph(halvings))(4.0)) == 2  # the test ends first
    assert int(autograph.function(halvings)(np.float64(100.0))) == 3
    assert int(jax.jit(autograph.to_graph(halvings_bounded))(100.0, 5)) == 5
    assert int(autograph.function(halvings_bounded)(np.float64(100.0), np.int64(5))) == 5
    # a traced bound (an int argument under jit)
    assert int(jax.jit(autograph.to_graph(halvings_bounded))(100.0, jnp.int32(2))) == 2


def test_maximum_iterations_bounds_a_list_appended_in_a_staged_while():
    got = jax.jit(autograph.to_graph(collected))(100.0)
    np.testing.assert_allclose(np.stack([np.asarray(v) for v in got]), collected(100.0))
    graph = autograph.function(collected)(np.float64(100.0))
    np.testing.assert_allclose(np.stack([np.asarray(v) for v in graph]), collected(100.0))


def test_maximum_iterations_caps_staged_for_loops():
    def over_range(x, n):
        s = 0.0
        for i in range(n):
            autograph.set_loop_options(maximum_iterations=3)
            s = s + x[i]
        return s

    def over_array(x):
        s = 0.0
        for v in x:
            autograph.set_loop_options(maximum_iterations=2)
            s = s + v
        return s

    def over_python_range(x):
        s = 0.0
        for i in range(5):          # a Python loop: runs every iteration
            autograph.set_loop_options(maximum_iterations=2)
            s = s + x[i]
        return s

    x = np.arange(1.0, 6.0)
    assert float(jax.jit(autograph.to_graph(over_range))(x, 5)) == 6.0
    assert float(autograph.function(over_range)(x, np.int64(5))) == 6.0
    assert float(jax.jit(autograph.to_graph(over_array))(x)) == 3.0
    assert float(autograph.function(over_array)(x)) == 3.0
    assert float(jax.jit(autograph.to_graph(over_python_range))(x)) == 15.0
    assert float(autograph.function(over_python_range)(x)) == 15.0


def test_set_loop_options_applies_to_the_innermost_loop():
    def f(x):
        n = 0
        while x > 1:
            k = 0
            while k < 100:
                autograph.set_loop_options(maximum_iterations=2)
                k += 1
            n += k
            x = x / 2
        return n

    assert f(8.0) == 300
    assert int(jax.jit(autograph.to_graph(f))(8.0)) == 300  # inner loop: Python ints
    assert int(jax.jit(autograph.to_graph(f))(jnp.float32(8.0))) == 300

    def g(x, m):
        n = 0
        while x > 1:
            k = jnp.int32(0) + m * 0
            while k < 100:
                autograph.set_loop_options(maximum_iterations=2)
                k += 1
            n += k
            x = x / 2
        return n

    assert int(jax.jit(autograph.to_graph(g))(8.0, 1)) == 6


def test_set_loop_options_in_the_functional_form():
    code = autograph.to_code(halvings, mode="functional")
    assert "'maximum_iterations': 3" in code and "set_loop_options" not in code


def test_set_loop_options_with_a_bad_option_is_a_conversion_error(tmp_path, monkeypatch):
    path = tmp_path / "loopopt_mod.py"
    path.write_text("import autograph\n\ndef f(x):\n    while x > 1:\n"
                    "        autograph.set_loop_options(max_iterations=3)\n"
                    "        x = x / 2\n    return x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    mod = importlib.import_module("loopopt_mod")
    with pytest.raises(autograph.ConversionError, match=r"loopopt_mod.py:5:.*max_iterations"):
        jax.jit(autograph.to_graph(mod.f))(4.0)


def test_maximum_iterations_that_is_not_an_int_is_a_staging_error():
    with pytest.raises(autograph.StagingError, match="maximum_iterations"):
        jax.jit(autograph.to_graph(halvings_bounded))(100.0, 2.5)
