"""Helpers: run a function three ways (the original on numpy, `to_graph` staged into a Graph
and run with `graph.run`, `autograph.function`) and compare."""

from __future__ import annotations

import numpy as np

import autograph


def is_array_arg(a) -> bool:
    return isinstance(a, (np.ndarray, np.generic))


def stage(f, *args, **options):
    """`to_graph(f, **options)` called inside a fresh Graph, with a placeholder for every numpy
    argument (Python arguments are passed as they are). Returns (graph, outputs, feed_dict)."""
    graph = autograph.Graph()
    feeds = {}
    call = []
    with graph.as_default():
        for i, a in enumerate(args):
            if is_array_arg(a):
                p = autograph.placeholder(a.dtype, np.shape(a), name=f"arg{i}")
                feeds[p] = a
                call.append(p)
            else:
                call.append(a)
        out = autograph.to_graph(f, **options)(*call)
    return graph, out, feeds


def run_staged(f, *args, **options):
    graph, out, feeds = stage(f, *args, **options)
    return graph.run(out, feeds)


def all_op_types(graph) -> list:
    """Operation types of `graph` and of every sub-graph (branches, loop bodies) inside it."""
    types = []
    for op in graph.get_operations():
        types.append(op.type)
        for sub in op.subgraphs:
            types += all_op_types(sub)
    return types


def op_count(graph) -> int:
    return len(all_op_types(graph))


def same(a, b) -> bool:
    """Values equal (numpy or Python, nested), dtype aside."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
            return all(same(x, y) for x, y in zip(a, b))
        return np.array_equal(np.asarray(a), np.asarray(b))
    if a is None or b is None:
        return a is b
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def check_all_ways(f, *arg_sets, must_contain=(), **options):
    """For each argument tuple: the original on numpy, to_graph + graph.run and
    autograph.function all agree. One trace of `autograph.function` per distinct signature;
    every graph contains the op types in `must_contain` (i.e. the construct was staged)."""
    fn = autograph.function(autograph.to_graph(f, **options) if options else f)
    for args in arg_sets:
        expected = f(*args)
        graph, out, feeds = stage(f, *args, **options)
        got = graph.run(out, feeds)
        assert same(got, expected), (f.__name__, args, got, expected)
        types = all_op_types(graph)
        for t in must_contain:
            assert t in types, (f.__name__, t, types)
        got_fn = fn(*args)
        assert same(got_fn, expected), (f.__name__, args, got_fn, expected)
    return fn
