"""The main job: convert a function with Python control flow and run it on the embedded engine.

Run: python examples/quickstart.py
"""

import numpy as np

import autograph


def collatz_steps(n):
    """How many Collatz steps take n to 1."""
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def main():
    print("converted code:")
    print(autograph.to_code(collatz_steps))
    staged = autograph.function(collatz_steps)
    for n in (6, 27, 97):
        print(f"collatz_steps({n}) = {staged(np.int64(n))}")
    graph = staged.get_concrete_function(np.int64(1)).graph
    print(f"one trace: {staged.tracing_count}, {len(graph.get_operations())} graph operations "
          "(a staged while loop with a cond inside, whatever n is)")


if __name__ == "__main__":
    main()
