"""The graph API: tensors, placeholders, run/compile, feeds, names, default graphs, guards,
listing and dot output."""

from __future__ import annotations

import collections
import threading

import numpy as np
import pytest

import autograph.runtime.engine as ag


def test_public_names():
    for name in ["Graph", "Tensor", "TensorSpec", "constant", "placeholder", "is_tensor", "cond",
                 "switch_case", "while_loop", "TensorList", "Variable", "print", "assert_that"]:
        assert name in ag.__all__ and hasattr(ag, name)
    for name in ag.__all__:
        assert hasattr(ag, name)


def test_engine_does_not_import_the_compiler():
    """The engine stands alone: no imports of the compiler (pyct, converters, api...)."""
    import ast
    import pathlib

    root = pathlib.Path(ag.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level in (0, 1), (path.name, node.module)
                mod = node.module or ""
                assert node.level == 1 or not mod.startswith("autograph"), (path.name, mod)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("autograph"), (path.name, alias.name)


def test_tensor_static_info(graph):
    x = ag.placeholder(np.float32, (None, 3), name="x")
    assert x.dtype == np.float32 and x.shape == (None, 3) and x.ndim == 2
    assert x.graph is graph and x.op.type == "Placeholder" and x.name == "x:0"
    assert ag.is_tensor(x) and not ag.is_tensor(np.zeros(2)) and not ag.is_tensor(1)
    u = ag.placeholder(np.int64)
    assert u.shape is None and u.ndim is None
    c = ag.constant([[1, 2], [3, 4]], dtype=np.int8)
    assert c.shape == (2, 2) and c.dtype == np.int8 and c.size == 4
    assert "shape=(None, 3)" in repr(x) and "float32" in repr(x)
    assert ag.constant(2.0).dtype == np.float64 and ag.constant(2).dtype == np.int64


def test_run_structures(graph):
    x = ag.placeholder(np.int64, (), name="x")
    y = x + 1
    Pt = collections.namedtuple("Pt", "a b")
    fetches = {"y": y, "list": [y, x * 2], "tuple": (y,), "plain": 5, "arr": np.arange(2),
               "nt": Pt(y, 3), "none": None}
    r = graph.run(fetches, {x: 1})
    assert r["y"] == 2 and r["list"] == [2, 2] and r["tuple"] == (2,) and r["plain"] == 5
    np.testing.assert_array_equal(r["arr"], [0, 1])
    assert r["nt"] == Pt(2, 3) and isinstance(r["nt"], Pt) and r["none"] is None
    assert list(r) == list(fetches)


def test_feed_by_name_and_validation(graph):
    x = ag.placeholder(np.float32, (None, 2), name="inp")
    y = x * 2
    assert graph.run(y, {"inp": np.ones((1, 2), np.float32)}).shape == (1, 2)
    assert graph.run(y, {"inp:0": [[1, 2]]}).dtype == np.float32  # ints cast safely
    with pytest.raises(ValueError, match=r"placeholder 'inp' has shape \(None, 2\) but was fed a "
                                         r"value of shape \(3,\)"):
        graph.run(y, {x: np.ones(3, np.float32)})
    with pytest.raises(ValueError, match="placeholder 'inp' has dtype float32 but was fed a value "
                                         "of dtype float64"):
        graph.run(y, {x: np.ones((1, 2))})
    with pytest.raises(ValueError, match="placeholder 'inp' must be fed"):
        graph.run(y)
    with pytest.raises(KeyError, match="no placeholder named 'nope'"):
        graph.run(y, {"nope": 1})
    with pytest.raises(TypeError, match="only placeholders can be fed"):
        graph.run(y, {y: 1})
    s = ag.placeholder(np.int8, (), name="s")
    with pytest.raises(ValueError, match="placeholder 's' has dtype int8 and cannot be fed the "
                                         "Python int 300"):
        graph.run(s + 1, {s: 300})
    with pytest.raises(ValueError, match="placeholder 's' has dtype int8 and cannot be fed the "
                                         "Python float"):
        graph.run(s + 1, {s: 1.5})
    assert type(graph.run(s + 1, {s: np.array(3, np.int8)})) is np.int8


def test_unused_placeholders_need_no_feed(graph):
    x = ag.placeholder(np.float64, ())
    ag.placeholder(np.float64, (), name="unused")
    assert graph.run(x * 2, {x: 1.5}) == 3.0


def test_fetch_errors(graph):
    x = ag.placeholder(np.float64, ())
    other = ag.Graph()
    with other.as_default():
        z = ag.constant(1.0)
    with pytest.raises(ValueError, match="belongs to graph"):
        graph.run(z)
    with pytest.raises(ValueError, match="different graphs|belongs to"):
        x + z
    inner = []
    ag.cond(x > 0, lambda: inner.append(x + 1) or x, lambda: x)
    with pytest.raises(ValueError, match="inside the true branch"):
        graph.run(inner[0], {x: 1.0})


def test_get_operations_and_names(graph):
    x = ag.placeholder(np.float64, (), name="x")
    a = x + 1
    b = x + 2
    ops = graph.get_operations()
    assert [op.type for op in ops] == ["Placeholder", "add", "add"]
    assert [op.name for op in ops] == ["x", "add", "add_1"]
    assert ops[1].inputs[0] is x and ops[1].outputs[0] is a and b.op is ops[2]
    assert graph.get_tensor_by_name("add_1:0") is b and graph.get_tensor_by_name("x") is x
    assert graph.get_operation_by_name("add") is ops[1]
    y = ag.cond(x > 0, lambda: a, lambda: b)
    assert y.op.type == "Cond" and len(y.op.subgraphs) == 2


def test_default_graph_stack_is_thread_local():
    g1, g2 = ag.Graph(), ag.Graph()
    seen = {}

    def worker():
        with g2.as_default():
            seen["t"] = ag.get_default_graph()

    with g1.as_default():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert ag.get_default_graph() is g1
        with g2.as_default():
            assert ag.get_default_graph() is g2
        assert ag.get_default_graph() is g1
    assert seen["t"] is g2
    assert not ag.in_graph_context()
    gd = ag.get_default_graph()
    c = ag.constant(3.0)
    assert c.graph is gd and gd.run(c * 2) == 6.0


def test_ops_without_context_follow_their_inputs():
    g = ag.Graph()
    with g.as_default():
        x = ag.placeholder(np.float64, ())
    y = np.exp(x) + 1  # built outside the with-block: goes to x's graph
    assert y.graph is g
    assert g.run(y, {x: 0.0}) == 2.0


def test_compile_positional_and_cache(graph):
    x = ag.placeholder(np.float64, (), name="x")
    n = ag.placeholder(np.int64, (), name="n")
    y = x * n
    f = graph.compile((y, x), [x, n])
    assert f(2.0, 3) == (6.0, 2.0)
    assert graph.compile((y, x), [x, n]) is f
    assert "def " in f.source and "x * n" in f.source
    assert graph.compile(y, ["n", "x"])(3, 2.0) == 6.0
    # adding ops invalidates the caches
    z = y + 1
    assert graph.compile((y, x), [x, n]) is not f
    assert graph.run(z, {x: 1.0, n: 1}) == 2.0


def test_run_cache_invalidated_by_new_effects(graph, capsys):
    x = ag.placeholder(np.int64, ())
    y = x + 1
    assert graph.run(y, {x: 1}) == 2
    ag.print("x is", x)
    assert graph.run(y, {x: 1}) == 2
    assert capsys.readouterr().out == "x is 1\n"


def test_guards(graph):
    x = ag.placeholder(np.float64, (3,), name="x")
    checks = [(bool, "bool"), (lambda t: [v for v in t], "iter"), (len, "len"),
              (int, "int"), (float, "float"), (lambda t: t.__index__(), "index"),
              (lambda t: 1 in t, "contains"), (iter, "iter"), (np.asarray, "array"),
              (lambda t: range(t), "index")]
    for fn, kind in checks:
        with pytest.raises(ag.GraphTensorError) as e:
            fn(x)
        assert e.value.kind == kind and e.value.tensor is x
        msg = str(e.value)
        assert "'x:0'" in msg and "autograph.to_graph" in msg and "autograph.function" in msg
        assert isinstance(e.value, TypeError)
    with pytest.raises(TypeError, match="Python bool"):
        if x[0] > 1:
            pass
    with pytest.raises(TypeError, match="iterate"):
        for _ in x:
            pass
    with pytest.raises(TypeError, match="iterate"):
        a, b, c = x
    with pytest.raises(TypeError, match="immutable"):
        x[0] = 1.0
    assert (x == None) is False  # noqa: E711  (numpy-like object comparison falls back)


def test_tensor_spec():
    s = ag.TensorSpec((None, 3), np.float32)
    assert s.is_compatible_with(np.zeros((2, 3), np.float32))
    assert not s.is_compatible_with(np.zeros((2, 3), np.float64))
    assert not s.is_compatible_with(np.zeros((2, 4), np.float32))
    assert not s.is_compatible_with(np.zeros(3, np.float32))
    assert s.is_compatible_with(ag.TensorSpec((5, 3), np.float32))
    assert not s.is_compatible_with(ag.TensorSpec(None, np.float32))
    assert ag.TensorSpec(None, np.int64).is_compatible_with(np.zeros((1, 2, 3), np.int64))
    assert ag.TensorSpec((), np.float64).is_compatible_with(1.5)
    assert ag.TensorSpec((), np.float64).is_compatible_with(1)
    assert not ag.TensorSpec((), np.int8).is_compatible_with(1000)
    assert not ag.TensorSpec((), np.int64).is_compatible_with(1.5)
    g = ag.Graph()
    with g.as_default():
        assert s.is_compatible_with(ag.placeholder(np.float32, (7, 3)))
    assert ag.TensorSpec.from_value(np.zeros((2, 2))) == ag.TensorSpec((2, 2), np.float64)
    assert "TensorSpec(shape=(None, 3), dtype=float32)" == repr(s)
    assert hash(s) == hash(ag.TensorSpec((None, 3), "float32"))


def test_as_text_and_dot(graph):
    x = ag.placeholder(np.float64, (None,), name="x")
    v = ag.Variable(0.0, name="v")
    s = np.sum(x)
    y = ag.cond(s > 0, lambda: s * 2, lambda: -s)
    v.assign(y)
    text = graph.as_text()
    assert str(graph) == text
    for part in ["graph 'graph'", "x = Placeholder", "sum = sum(x)", "Cond = Cond(greater",
                 "true branch:", "false branch:", "multiply = multiply(sum, 2)",
                 "v/assign", "[effect]", "float64(None,)"]:
        assert part in text, part
    dot = graph.to_dot()
    assert dot.startswith('digraph "graph" {') and dot.rstrip().endswith("}")
    assert '"x" -> "sum"' in dot and "cluster_1" in dot and "true branch" in dot


def test_constant_values_are_protected(graph):
    base = np.arange(3.0)
    c = ag.constant(base)
    base[0] = 100  # the constant took a copy
    r = graph.run(c)
    assert r[0] == 0.0
    r[1] = 50  # the result is the caller's to change
    assert graph.run(c)[1] == 1.0
    v = graph.run(c.reshape(3, 1))
    v[0, 0] = 9
    assert graph.run(c)[0] == 0.0


def test_dot_and_text_with_loops_and_lists(graph):
    n = ag.placeholder(np.int64, (), name="n")
    _, tl = ag.while_loop(lambda i, tl: i < n, lambda i, tl: (i + 1, tl.append(i)),
                          (0, ag.TensorList()))
    text = graph.as_text()
    assert "while-loop condition:" in text and "while-loop body:" in text
    assert "list[int64()]" in text
    dot = graph.to_dot()
    assert dot.count("subgraph cluster_") == 2


def test_reset_default_graph():
    old = ag.get_default_graph()
    ag.reset_default_graph()
    assert ag.get_default_graph() is not old
    with ag.Graph().as_default():
        with pytest.raises(RuntimeError):
            ag.reset_default_graph()


def test_static_numpy_queries(graph):
    x = ag.placeholder(np.float32, (None, 3))
    assert np.result_type(x, 1.0) == np.float32
    assert np.result_type(x, np.float64) == np.float64
    assert np.ndim(x) == 2 and x.ndim == 2
    assert not np.iscomplexobj(x)
    s = np.shape(x)
    assert s[1] == 3 and ag.is_tensor(s[0])
    n = np.size(x)
    assert ag.is_tensor(n) and n.dtype == np.int64
    assert graph.run(n, {x: np.zeros((4, 3), np.float32)}) == 12


def test_variables_with_numpy_functions(graph):
    v = ag.Variable(np.arange(4.0))
    s = np.sum(v)
    m = np.maximum(v, 2.0)
    w = v[1:] * 2
    assert all(ag.is_tensor(t) for t in (s, m, w))
    r = graph.run([s, m, w])
    assert r[0] == 6.0
    np.testing.assert_array_equal(r[1], [2.0, 2.0, 2.0, 3.0])
    np.testing.assert_array_equal(r[2], [2.0, 4.0, 6.0])
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(v)  # inside a graph a Variable is not silently read
