"""cond, switch_case, while_loop and TensorList: semantics, nesting, captures, errors."""

from __future__ import annotations

import sys
import tracemalloc

import numpy as np
import pytest

import autograph.runtime.engine as ag


def ph(dtype, shape=(), name=None):
    return ag.placeholder(dtype, shape, name=name)


# -- cond -------------------------------------------------------------------------------------
def test_cond_basic(graph):
    x = ph(np.int64)
    y = ag.cond(x > 0, lambda: x * x, lambda: -x)
    assert y.dtype == np.int64 and y.shape == ()
    assert graph.run(y, {x: 3}) == 9
    assert graph.run(y, {x: -4}) == 4
    assert type(graph.run(y, {x: 3})) is np.int64


def test_cond_python_pred_calls_one_branch(graph):
    calls = []
    r = ag.cond(True, lambda: calls.append("t") or 1, lambda: calls.append("f") or 2)
    assert r == 1 and calls == ["t"]
    assert ag.cond(np.bool_(False), lambda: 1, lambda: 2) == 2
    assert graph.get_operations() == []


def test_cond_only_runs_chosen_branch(graph, capsys):
    x = ph(np.float64)
    y = ag.cond(x > 0, lambda: (ag.print("pos"), x)[1], lambda: (ag.print("neg"), -x)[1])
    # print with no tensors prints while tracing; with tensors at run time
    capsys.readouterr()
    z = ag.cond(x > 0, lambda: (ag.print("pos", x), x)[1], lambda: (ag.print("neg", x), -x)[1])
    assert graph.run(z, {x: 2.0}) == 2.0
    assert capsys.readouterr().out == "pos 2.0\n"
    assert graph.run(z, {x: -1.0}) == 1.0
    assert capsys.readouterr().out == "neg -1.0\n"
    del y


def test_cond_nested_structures_and_static_leaves(graph):
    x = ph(np.float32, (3,))
    out = ag.cond(np.sum(x) > 0,
                  lambda: {"a": (x, 1), "b": [x * 2], "tag": "same", "none": None},
                  lambda: {"a": (-x, 2), "b": [x], "tag": "same", "none": None})
    assert out["tag"] == "same" and out["none"] is None
    assert out["a"][1].dtype == np.int64
    v = np.array([1, 2, 3], np.float32)
    r = graph.run(out, {x: v})
    np.testing.assert_array_equal(r["a"][0], v)
    assert r["a"][1] == 1
    np.testing.assert_array_equal(r["b"][0], v * 2)
    assert r["tag"] == "same"


def test_cond_python_scalar_unifies_with_tensor(graph):
    x = ph(np.int32)
    y = ag.cond(x > 0, lambda: x, lambda: 0)
    assert y.dtype == np.int32
    f = ph(np.float32)
    z = ag.cond(f > 0, lambda: 1, lambda: f)
    assert z.dtype == np.float32
    w = ag.cond(f > 0, lambda: 1, lambda: 2.5)  # two Python values: numpy's promotion
    assert w.dtype == np.float64
    assert graph.run([y, z, w], {x: -3, f: -1.5}) == [0, -1.5, 2.5]


def test_cond_captures_outer_tensors_by_reference(graph):
    x = ph(np.float64)
    big = x * 10
    y = ag.cond(x > 1, lambda: big + 1, lambda: big - 1)
    assert any(t is big for t in y.op.inputs)
    assert graph.run(y, {x: 2.0}) == 21.0


def test_cond_dtype_error_names_variable(graph):
    x = ph(np.int64)
    with pytest.raises(TypeError) as e:
        ag.cond(x > 0, lambda: x, lambda: x.astype(np.float64), names=["y"])
    assert str(e.value) == (
        "autograph engine: variable 'y' has dtype int64 in the true branch but float64 in the "
        "false branch; make both branches give it the same dtype (e.g. with .astype)")
    with pytest.raises(TypeError, match="variable 'y' has dtype int64 in the true branch but is "
                                        "the Python float 1.5 in the false branch"):
        ag.cond(x > 0, lambda: x, lambda: 1.5, names=["y"])


def test_cond_shape_error_names_variable(graph):
    x = ph(np.float64, (3,))
    with pytest.raises(ValueError, match=r"variable 'v' has shape \(3,\) in the true branch but "
                                         r"\(2,\) in the false branch; make both branches give "
                                         "it the same shape"):
        ag.cond(x[0] > 0, lambda: (1, x), lambda: (2, x[:2]), names=["k", "v"])
    # unknown dims are compatible: the result is the common, partly unknown shape
    u = ph(np.float64, (None,))
    r = ag.cond(x[0] > 0, lambda: x, lambda: u)
    assert r.shape == (None,)


def test_cond_structure_and_kind_errors(graph):
    x = ph(np.float64)
    with pytest.raises(ValueError, match="the true branch returns .* but the false branch "
                                         "returns"):
        ag.cond(x > 0, lambda: (x, x), lambda: x)
    with pytest.raises(ValueError, match="variable 'y' is None in the true branch but a tensor"):
        ag.cond(x > 0, lambda: None, lambda: x, names=["y"])
    with pytest.raises(ValueError, match="scalar"):
        ag.cond(ph(np.bool_, (2,)), lambda: 1, lambda: 2)
    with pytest.raises(ValueError, match="inside the true branch"):
        leaked = []
        ag.cond(x > 0, lambda: leaked.append(x + 1) or x, lambda: x)
        leaked[0] * 2


def test_cond_without_outputs_runs_effects(graph, capsys):
    x = ph(np.int64)
    v = ag.Variable(0)
    def add():
        v.assign_add(x)

    ag.cond(x > 0, add, lambda: None)
    graph.run(None, {x: 5})
    graph.run(None, {x: -5})
    assert v.numpy() == 5


def test_switch_case(graph):
    i = ph(np.int32)
    x = ph(np.float64)
    y = ag.switch_case(i, [lambda: x, lambda: x * 2, lambda: x * 3])
    for k, exp in [(0, 1.5), (1, 3.0), (2, 4.5), (7, 4.5), (-1, 4.5)]:
        assert graph.run(y, {i: k, x: 1.5}) == exp
    assert ag.switch_case(1, [lambda: "a", lambda: "b"]) == "b"
    with pytest.raises(TypeError, match=r"variable 'z' has dtype float64 in the branch 0 but "
                                        r"int64 in the branch 1"):
        ag.switch_case(i, [lambda: x, lambda: i.astype(np.int64)], names=["z"])


def test_nested_three_deep(graph):
    """cond inside while inside cond inside while (three levels below the top)."""
    n = ph(np.int64, name="n")

    def outer_body(i, acc):
        def inner_loop():
            def inner_body(j, s):
                s = ag.cond(j % 2 == 0,
                            lambda: ag.cond(j % 3 == 0, lambda: s + 100 * i, lambda: s + j),
                            lambda: s - 1)
                return j + 1, s
            return ag.while_loop(lambda j, s: j < i, inner_body, (np.int64(0), acc))[1]
        return i + 1, ag.cond(i % 2 == 1, inner_loop, lambda: acc)

    _, total = ag.while_loop(lambda i, acc: i < n, outer_body, (np.int64(0), np.int64(0)))

    def reference(n):
        acc = 0
        for i in range(n):
            if i % 2 == 1:
                s = acc
                for j in range(i):
                    if j % 2 == 0:
                        s = s + 100 * i if j % 3 == 0 else s + j
                    else:
                        s -= 1
                acc = s
        return acc

    for nv in (0, 1, 5, 12):
        assert graph.run(total, {n: nv}) == reference(nv)


# -- while_loop -------------------------------------------------------------------------------
def test_while_basic_and_zero_iterations(graph):
    n = ph(np.int64)
    i, s = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))
    assert i.dtype == np.int64
    assert graph.run((i, s), {n: 5}) == (5, 10)
    assert graph.run((i, s), {n: 0}) == (0, 0)
    assert graph.run((i, s), {n: -3}) == (0, 0)


def test_while_nested_structures(graph):
    n = ph(np.int64)
    state = {"i": np.int64(0), "acc": [np.zeros(2), (np.float64(1.0),)]}

    def body(st):
        return {"i": st["i"] + 1, "acc": [st["acc"][0] + 1, (st["acc"][1][0] * 2,)]}

    out = ag.while_loop(lambda st: st["i"] < n, body, state)
    r = graph.run(out, {n: 3})
    assert r["i"] == 3
    np.testing.assert_array_equal(r["acc"][0], [3.0, 3.0])
    assert r["acc"][1][0] == 8.0


def test_while_single_var_and_list_vars(graph):
    n = ph(np.int64)
    x = ag.while_loop(lambda x: x < n, lambda x: x * 2, np.int64(1))
    assert graph.run(x, {n: 100}) == 128
    (y,) = ag.while_loop(lambda y: y < n, lambda y: y + 3, [np.int64(0)])
    assert graph.run(y, {n: 10}) == 12


def test_while_maximum_iterations(graph):
    n = ph(np.int64)
    i = ag.while_loop(lambda i: True, lambda i: i + 1, (0,), maximum_iterations=7)[0]
    j = ag.while_loop(lambda j: j < 100, lambda j: j + 1, (0,), maximum_iterations=n)[0]
    assert graph.run([i, j], {n: 4}) == [7, 4]
    assert graph.run(j, {n: 0}) == 0


def test_while_shape_invariants(graph):
    n = ph(np.int64)
    i, x = ag.while_loop(lambda i, x: i < n,
                         lambda i, x: (i + 1, np.concatenate([x, x[:1] + i])),
                         (0, np.zeros(1)), shape_invariants=(None, (None,)))
    assert x.shape == (None,)
    np.testing.assert_array_equal(graph.run(x, {n: 3}), [0, 0, 1, 2])


def test_while_shape_error_names_variable(graph):
    n = ph(np.int64)
    with pytest.raises(ValueError) as e:
        ag.while_loop(lambda i, x: i < n,
                      lambda i, x: (i + 1, np.concatenate([x, x])),
                      (0, np.zeros(2)), names=["i", "x"])
    msg = str(e.value)
    assert "loop variable 'x' has shape (2,) before the loop but (4,) after an iteration" in msg
    assert "shape invariant" in msg and "(None,)" in msg
    with pytest.raises(ValueError, match="does not fit its shape invariant"):
        ag.while_loop(lambda i, x: i < n, lambda i, x: (i + 1, x[None]),
                      (0, np.zeros(2)), shape_invariants=(None, (None,)), names=["i", "x"])


def test_while_dtype_error_names_variable(graph):
    n = ph(np.int64)
    with pytest.raises(TypeError) as e:
        ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + 0.5), (0, 0),
                      names=["i", "total"])
    assert ("loop variable 'total' has dtype int64 before the loop but float64 after an "
            "iteration") in str(e.value)
    assert ".astype" in str(e.value)
    with pytest.raises(ValueError, match="structure"):
        ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1,), (0, 0))


def test_while_python_values_become_constants(graph):
    n = ph(np.int64)
    i, f = ag.while_loop(lambda i, f: i < n, lambda i, f: (i + 1, f * 0.5), (0, 8.0))
    assert f.dtype == np.float64
    assert graph.run(f, {n: 3}) == 1.0


def test_while_captures(graph):
    n = ph(np.int64)
    step = n * 2
    i = ag.while_loop(lambda i: i < 100, lambda i: i + step, (0,))[0]
    assert graph.run(i, {n: 7}) == 112


def test_while_100k_iterations_no_recursion_no_growth(graph):
    n = ph(np.int64)
    i, s = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i * 0.5),
                         (np.int64(0), np.float64(0)))
    fn = graph.compile((i, s), [n])
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # a recursive executor would fail
    try:
        fn(10)
        tracemalloc.start()
        fn(1000)
        base = tracemalloc.get_traced_memory()[0]
        r = fn(100_000)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        sys.setrecursionlimit(limit)
    assert r == (100_000, 0.5 * 100_000 * 99_999 / 2)
    assert peak - base < 64 * 1024, (base, peak)


def test_loop_with_effects_runs_in_order(graph, capsys):
    n = ph(np.int64)
    v = ag.Variable(0)

    def body(i):
        v.assign_add(i)
        ag.print("i", i, "v", v)
        return (i + 1,)

    ag.while_loop(lambda i: i < n, body, (np.int64(0),))
    graph.run(None, {n: 3})
    assert capsys.readouterr().out == "i 0 v 0\ni 1 v 1\ni 2 v 3\n"
    assert v.numpy() == 3


# -- TensorList -------------------------------------------------------------------------------
def test_tensor_list_in_loop(graph):
    n = ph(np.int64)
    _, tl = ag.while_loop(lambda i, tl: i < n,
                          lambda i, tl: (i + 1, tl.append(i.astype(np.float32) * np.ones(2, np.float32))),
                          (0, ag.TensorList()))
    assert tl.element_dtype == np.float32 and tl.element_shape == (2,)
    stacked = tl.stack()
    assert stacked.shape == (None, 2)
    r = graph.run(stacked, {n: 3})
    np.testing.assert_array_equal(r, [[0, 0], [1, 1], [2, 2]])
    assert r.dtype == np.float32


def test_tensor_list_empty_and_outside_loops(graph):
    n = ph(np.int64)
    _, tl = ag.while_loop(lambda i, tl: i < n, lambda i, tl: (i + 1, tl.append(i)),
                          (0, ag.TensorList(dtype=np.int64, element_shape=())))
    assert graph.run(tl.stack(), {n: 0}).shape == (0,)
    lst = ag.TensorList([1.0, 2.0]).append(n.astype(np.float64))
    assert lst.static_size == 3 and len(lst) == 3
    s = lst.stack()
    assert s.shape == (3,)
    lst2, last = lst.pop()
    res = graph.run([s, last, lst2.stack(), lst[0], lst.size(), lst2], {n: 5})
    np.testing.assert_array_equal(res[0], [1.0, 2.0, 5.0])
    assert res[1] == 5.0 and res[3] == 1.0 and res[4] == 3
    assert res[5] == [1.0, 2.0]


def test_tensor_list_in_cond_inside_loop(graph):
    n = ph(np.int64)

    def body(i, evens):
        evens = ag.cond(i % 2 == 0, lambda: evens.append(i), lambda: evens)
        return i + 1, evens

    _, evens = ag.while_loop(lambda i, e: i < n, body, (0, ag.TensorList()))
    np.testing.assert_array_equal(graph.run(evens.stack(), {n: 7}), [0, 2, 4, 6])


def test_tensor_list_errors(graph):
    x = ph(np.float64)
    tl = ag.TensorList().append(x)
    with pytest.raises(TypeError, match="holds float64 elements"):
        tl.append(x.astype(np.int32))
    with pytest.raises(ValueError, match="element dtype is not known"):
        ag.TensorList().stack()
    with pytest.raises(TypeError, match="not an array"):
        tl + 1
    with pytest.raises(TypeError, match="stack"):
        np.sum(tl)
