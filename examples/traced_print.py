"""Python's print runs once, while tracing; autograph.print runs at every call."""

import numpy as np

import autograph


@autograph.function
def f(x):
    print("Traced with", x)
    autograph.print("Executed with", x)


def main():
    for value in range(3):
        f(np.int64(value))


if __name__ == "__main__":
    main()
