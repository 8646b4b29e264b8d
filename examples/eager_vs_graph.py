"""Eager vs graph: the same function run on numpy directly, and traced into a graph."""

import timeit

import numpy as np

import autograph


def dense_relu(x, w):
    return np.maximum(x @ w, 0.0)


def main():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((3, 2)), rng.standard_normal((2, 2))
    graph_fn = autograph.function(dense_relu)
    eager, staged = dense_relu(x, w), graph_fn(x, w)
    print("same result:", np.allclose(eager, staged))
    print("graph ops:", [op.type for op in graph_fn.get_concrete_function(x, w).graph.get_operations()])
    t_eager = min(timeit.repeat(lambda: dense_relu(x, w), number=2000, repeat=3))
    t_graph = min(timeit.repeat(lambda: graph_fn(x, w), number=2000, repeat=3))
    print(f"eager {t_eager / 2000 * 1e6:.1f} us/call, graph {t_graph / 2000 * 1e6:.1f} us/call")


if __name__ == "__main__":
    main()
