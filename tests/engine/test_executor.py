"""The executor: generated straight-line code, passes (pruning, folding, CSE), effects kept in
order, numpy scalars for 0-d values, run-time error notes."""

from __future__ import annotations

import numpy as np
import pytest

import autograph.runtime.engine as ag


def test_generated_code_is_straight_line(graph):
    x = ag.placeholder(np.float64, (), name="x")
    y = ag.cond(x > 0, lambda: x * 2, lambda: x - 1)
    i, s = ag.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + y), (0, 0.0))
    src = graph.compile(s, [x]).source
    assert "if (x > 0):" in src and "else:" in src and "x * 2" in src  # `x > 0` read once
    # a counter loop (`i < 3`, `i + 1`) runs as a Python `for` over a range
    assert "for While_v0 in " in src and "while" not in src
    assert graph.run(s, {x: 1.5}) == 9.0
    # any other loop is a Python `while`
    _, t = ag.while_loop(lambda i, s: s < 5.0, lambda i, s: (i + 1, s + y), (0, 0.0))
    src = graph.compile(t, [x]).source
    assert "while True:" in src and "for " not in src
    assert graph.run(t, {x: 1.5}) == 6.0


def test_pruning_to_fetches(graph):
    x = ag.placeholder(np.float64, (), name="x")
    a = x + 1
    b = np.exp(x)  # not fetched: not computed
    c = a * 2
    f = graph.compile(c, [x])
    assert "exp" not in f.source
    assert f(1.0) == 4.0
    del b


def test_constant_folding(graph):
    x = ag.placeholder(np.float64, (), name="x")
    k = np.sqrt(ag.constant(16.0)) * 2 + np.sum(ag.constant([1.0, 2.0]))
    y = x * k
    f = graph.compile(y, [x])
    assert "sqrt" not in f.source and "sum" not in f.source
    assert f.plan_stats["folded"] >= 3
    assert f(2.0) == 22.0
    assert type(graph.run(k)) is np.float64


def test_cse(graph):
    x = ag.placeholder(np.float64, (3,), name="x")
    a = np.sin(x) + 1
    b = np.sin(x) + 1
    c = x[1:] * 2
    d = x[1:] * 2
    f = graph.compile((a + b, c + d), [x])
    assert "sin_1" not in f.source and f.source.count("[1:]") == 1
    assert f.plan_stats["merged"] >= 2
    v = np.array([0.0, 1.0, 2.0])
    r = f(v)
    np.testing.assert_allclose(r[0], 2 * (np.sin(v) + 1))
    np.testing.assert_allclose(r[1], 4 * v[1:])


def test_effects_never_merged_folded_or_pruned(graph, capsys):
    v = ag.Variable(0, name="v")
    r1 = v.read_value()
    v.assign_add(1)
    r2 = v.read_value()
    ag.print("hello", ag.constant(1))
    ag.print("hello", ag.constant(1))
    f = graph.compile((r1, r2))
    assert f() == (0, 1)
    assert capsys.readouterr().out == "hello 1\nhello 1\n"
    assert f() == (1, 2)
    assert f.source.count("print") == 2


def test_cond_with_constant_predicate_is_inlined(graph):
    x = ag.placeholder(np.float64, (), name="x")
    y = ag.cond(ag.constant(3) > 2, lambda: x + 1, lambda: np.exp(x))
    f = graph.compile(y, [x])
    body = f.source.split("try:")[1].splitlines()[2:]
    assert not any(line.strip().startswith("if ") for line in body) and "exp" not in f.source
    assert f(1.0) == 2.0


def test_zero_d_values_are_numpy_scalars(graph):
    x = ag.placeholder(np.float32, (), name="x")
    n = ag.placeholder(np.int64, (), name="n")
    outs = [x, x + 1, np.sum(ag.constant([1, 2])), np.reshape(x, ()), np.where(x > 0, x, 0),
            ag.cond(x > 0, lambda: x, lambda: -x), ag.constant(2.0),
            ag.while_loop(lambda i: i < n, lambda i: i + 1, (np.int32(0),))[0],
            np.clip(x, 0, 1), x[()], ag.numpy_api.zeros(()) + x]
    for v in graph.run(outs, {x: 1.5, n: 3}):
        assert isinstance(v, np.generic), type(v)
    for v in graph.run(outs, {x: np.array(2.5, np.float32), n: np.int64(1)}):
        assert isinstance(v, np.generic), type(v)


def test_fetch_same_tensor_twice_and_structures(graph):
    x = ag.placeholder(np.int64, ())
    y = x * 3
    assert graph.run([y, y, {"k": (y,)}], {x: 2}) == [6, 6, {"k": (6,)}]
    assert graph.run(y.op, {x: 1}) is None


def test_runtime_error_names_the_op(graph):
    x = ag.placeholder(np.float64, (None,), name="x")
    y = ag.placeholder(np.float64, (None,), name="y")
    z = np.add(x, y)
    with pytest.raises(ValueError, match="broadcast") as e:
        graph.run(z, {x: np.ones(2), y: np.ones(3)})
    assert any("op 'add'" in n for n in getattr(e.value, "__notes__", []))


def test_traceback_shows_generated_source(graph):
    import traceback

    x = ag.placeholder(np.float64, (None,), name="x")
    z = x[np.int64(5)] if False else x + x[:1] * np.ones(4)
    try:
        graph.run(z, {x: np.ones(3)})
    except ValueError as e:
        text = "".join(traceback.format_exception(e))
        assert "<autograph-engine:" in text and "add = x + (" in text  # `multiply` inlined


@pytest.mark.parametrize("fail_in", ["inner", "outer"])
def test_error_note_names_the_inlined_op_that_raised(graph, fail_in):
    # `multiply` is read once, by `add`: it is written into add's line; the note must still
    # name the op whose own operation failed (found from the failing instruction's columns)
    x = ag.placeholder(np.float64, (None,), name="x")
    y = ag.placeholder(np.float64, (None,), name="y")
    z = (x * np.ones(4)) + y
    fn = graph.compile(z, [x, y])
    assert "(x * " in fn.source and "multiply =" not in fn.source
    args = (np.ones(3), np.ones(4)) if fail_in == "inner" else (np.ones(4), np.ones(3))
    with pytest.raises(ValueError, match="broadcast") as e:
        fn(*args)
    want = "op 'multiply'" if fail_in == "inner" else "op 'add'"
    notes = getattr(e.value, "__notes__", [])
    assert any(want in n for n in notes), notes


def test_run_overhead_cache_hits(graph):
    x = ag.placeholder(np.float64, (), name="x")
    y = x + 1
    fd = {x: np.float64(1.0)}
    graph.run(y, fd)
    assert (y, x) in graph._run_cache_feed
    graph.run([y], fd)  # lists are keyed structurally
    assert graph.run([y], fd) == [2.0]


def test_loop_var_dead_outputs_and_unused_branches(graph):
    n = ag.placeholder(np.int64, (), name="n")
    i, unused = ag.while_loop(lambda i, u: i < n, lambda i, u: (i + 1, u * 2.0), (0, 1.0))
    assert graph.run(i, {n: 4}) == 4
