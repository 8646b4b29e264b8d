"""sum_even: a loop over a tensor with `continue`, staged as one graph loop."""

import numpy as np

import autograph


@autograph.function
def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


def main():
    print(sum_even(np.array([10, 12, 15, 20])))
    print(sum_even(np.arange(1000)))
    print(autograph.to_code(sum_even))
    small = sum_even.get_concrete_function(np.array([10, 12, 15, 20])).graph
    big = sum_even.get_concrete_function(np.arange(1000)).graph
    print("traces:", sum_even.tracing_count, "- operations per graph:",
          len(small.get_operations()), "and", len(big.get_operations()),
          "(the loop is one While operation, whatever the length)")


if __name__ == "__main__":
    main()
