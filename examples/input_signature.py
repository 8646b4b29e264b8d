"""An input_signature fixes one trace; an incompatible input says which argument and why."""

import numpy as np

import autograph


@autograph.function(input_signature=[autograph.TensorSpec(shape=(None,), dtype=np.int32)])
def next_collatz(x):
    print("Tracing with", x)
    return np.where(x % 2 == 0, x // 2, 3 * x + 1)


def main():
    print(next_collatz(np.array([1, 2, 3], dtype=np.int32)))
    print(next_collatz(np.array([10, 11], dtype=np.int32)))
    try:
        next_collatz(np.array([[1, 2], [3, 4]], dtype=np.int32))
    except ValueError as e:
        print("ValueError:", e)
    try:
        next_collatz(np.array([1.0, 2.0]))
    except ValueError as e:
        print("ValueError:", e)


if __name__ == "__main__":
    main()
