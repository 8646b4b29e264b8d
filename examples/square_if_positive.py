"""square_if_positive through to_graph, to_code and graph.run."""

import numpy as np

import autograph


def square_if_positive(x):
    if x > 0:
        x = x * x
    else:
        x = 0
    return x


def main():
    print("Python values:", autograph.to_graph(square_if_positive)(9),
          autograph.to_graph(square_if_positive)(-9))
    print(autograph.to_code(square_if_positive))
    graph = autograph.Graph()
    with graph.as_default():
        x = autograph.placeholder(np.int64, shape=(), name="x")
        y = autograph.to_graph(square_if_positive)(x)
    print("graph.run:", graph.run(y, {x: 9}), graph.run(y, {x: -9}))
    print("ops:", sorted({op.type for op in graph.get_operations()}))


if __name__ == "__main__":
    main()
