"""Print every element of a tensor at run time, from a loop staged over its first axis."""

import numpy as np

import autograph


@autograph.function
def print_element(items):
    for c in items:
        autograph.print(c)


def main():
    print_element(np.array([1, 2, 3]))
    print_element(np.array([[1.5, 2.5], [3.5, 4.5]]))


if __name__ == "__main__":
    main()
