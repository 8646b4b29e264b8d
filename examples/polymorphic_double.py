"""A polymorphic function: one trace per dtype and shape of its array arguments."""

import numpy as np

import autograph


@autograph.function
def double(a):
    print("Tracing with", a)
    return a + a


def main():
    print(double(np.int64(1)))
    print(double(np.float64(1.1)))
    print(double(np.array([1, 2])))
    print(double(np.array([3, 4])))  # same dtype and shape: no new trace
    print("traces:", double.tracing_count)


if __name__ == "__main__":
    main()
