"""Variables, print and assert_that: program order, eager mode, errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograph.runtime.engine as ag


def test_variable_eager():
    v = ag.Variable(1.5)
    assert v.dtype == np.float64 and v.shape == ()
    assert v.numpy() == 1.5 and type(v.numpy()) is np.float64
    v.assign(3)
    assert v.numpy() == 3.0
    v.assign_add(1)
    v.assign_sub(0.5)
    assert v.numpy() == 3.5
    assert v + 1 == 4.5 and 2 * v == 7.0 and bool(v > 1)
    assert np.sqrt(ag.Variable(4.0)) == 2.0
    a = ag.Variable(np.arange(3), name="a")
    out = a.numpy()
    out[0] = 100  # a copy: the variable does not change
    assert a.numpy()[0] == 0
    assert "Variable 'a'" in repr(a)
    with pytest.raises(TypeError, match="cannot assign a float64 value to Variable 'a'"):
        a.assign(np.ones(3))
    with pytest.raises(ValueError, match="shape"):
        a.assign(np.arange(4))
    with pytest.raises(TypeError, match="immutable|in place"):
        a[0] = 1


def test_variable_in_graph_program_order(graph):
    v = ag.Variable(10, name="v")
    r1 = v.read_value()
    v.assign_add(5)
    r2 = v.read_value()
    v.assign(v * 2)
    r3 = v + 0
    out = (r1, r2, r3)
    assert graph.run(out) == (10, 15, 30)
    assert v.numpy() == 30
    assert graph.run(out) == (30, 35, 70)  # effects run again on every run
    assert graph.run(v) == 150  # fetching a variable gives its value after the run


def test_variable_effects_run_even_when_not_fetched(graph):
    v = ag.Variable(0)
    x = ag.placeholder(np.int64, ())
    v.assign_add(x)
    y = x * 2
    assert graph.run(y, {x: 4}) == 8
    assert v.numpy() == 4


def test_variable_in_cond_and_while(graph):
    v = ag.Variable(np.zeros(2))
    n = ag.placeholder(np.int64, ())

    def body(i):
        def even():
            v.assign_add(np.ones(2))

        def odd():
            v.assign_sub(np.array([0.0, 0.5]))

        ag.cond(i % 2 == 0, even, odd)
        return (i + 1,)

    ag.while_loop(lambda i: i < n, body, (0,))
    final = v.read_value()
    np.testing.assert_array_equal(graph.run(final, {n: 3}), [2.0, 1.5])


def test_variable_assign_checks_in_graph(graph):
    v = ag.Variable(np.int32(1), name="counter")
    x = ag.placeholder(np.float64, ())
    with pytest.raises(TypeError, match="cannot assign a float64 value to Variable 'counter'"):
        v.assign(x)
    v.assign(ag.placeholder(np.int8, ()))  # same kind: cast
    u = ag.Variable(np.zeros(3))
    with pytest.raises(ValueError, match="shape"):
        u.assign(np.zeros(4))
    p = ag.placeholder(np.float64, (None,))
    u.assign(p)  # checked when the graph runs
    with pytest.raises(ValueError, match="shape"):
        graph.run(None, {p: np.zeros(5), x: 0.0, graph.placeholders()[1]: 1})


def test_variable_assigned_from_feed_does_not_alias(graph):
    v = ag.Variable(np.zeros(3))
    p = ag.placeholder(np.float64, (3,))
    v.assign(p)
    a = np.ones(3)
    graph.run(None, {p: a})
    a[0] = 7
    assert v.numpy()[0] == 1.0
    r = graph.run(v.read_value(), {p: a})
    r[1] = 99
    assert v.numpy()[1] == 1.0


def test_variable_from_tensor_rejected(graph):
    with pytest.raises(TypeError, match="concrete value"):
        ag.Variable(ag.constant(1))


def test_print_program_order(graph, capsys):
    x = ag.placeholder(np.float64, (2,), name="x")
    ag.print("first", x)
    y = x * 2
    ag.print("second", y, np.sum(y), sep=" | ", end="!\n")
    ag.print("static text only")  # no tensors: printed now
    assert capsys.readouterr().out == "static text only\n"
    graph.run(None, {x: np.array([1.0, 2.5])})
    assert capsys.readouterr().out == "first [1.  2.5]\nsecond | [2. 5.] | 7.0!\n"


def test_print_matches_python_print_of_numpy(graph, capsys):
    values = [np.float32(1.25), np.int64(3), np.array([[1, 2], [3, 4]]), np.True_]
    phs = [ag.placeholder(np.asarray(v).dtype, np.shape(v)) for v in values]
    ag.print(*phs)
    graph.run(None, dict(zip(phs, values, strict=False)))
    got = capsys.readouterr().out
    print(*values)
    assert got == capsys.readouterr().out


def test_print_eager_variables(capsys):
    ag.print("v =", ag.Variable(2))
    assert capsys.readouterr().out == "v = 2\n"


def test_assert_that(graph):
    x = ag.placeholder(np.float64, (None,), name="x")
    ag.assert_that(np.all(x > 0), "x must be positive", data=[np.min(x)])
    y = np.sum(x)
    assert graph.run(y, {x: np.array([1.0, 2.0])}) == 3.0
    with pytest.raises(ag.GraphAssertionError, match="x must be positive: -1.0"):
        graph.run(y, {x: np.array([1.0, -1.0])})
    assert issubclass(ag.GraphAssertionError, AssertionError)


def test_assert_that_array_condition_and_python(graph):
    x = ag.placeholder(np.int64, (3,))
    ag.assert_that(x < 10, "all below 10")
    graph.run(None, {x: np.array([1, 2, 3])})
    with pytest.raises(AssertionError, match="all below 10"):
        graph.run(None, {x: np.array([1, 20, 3])})
    assert ag.assert_that(True, "fine") is None
    with pytest.raises(ag.GraphAssertionError, match="checked now"):
        ag.assert_that(np.array([True, False]), "checked now")
    with pytest.raises(TypeError, match="bool"):
        ag.assert_that(x, "not bool")


def test_effects_order_across_kinds(graph, capsys):
    v = ag.Variable(0)
    x = ag.placeholder(np.int64, ())
    ag.print("before", v)
    v.assign(x)
    ag.print("after", v)
    ag.assert_that(v.read_value() < 5, "too big")
    ag.print("checked", x)
    graph.run(None, {x: 3})
    assert capsys.readouterr().out == "before 0\nafter 3\nchecked 3\n"
    with pytest.raises(AssertionError, match="too big"):
        graph.run(None, {x: 9})
    assert capsys.readouterr().out == "before 3\nafter 9\n"
