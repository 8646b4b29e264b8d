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
    print(autograph.to_code(sum_even.python_function))


if __name__ == "__main__":
    main()
