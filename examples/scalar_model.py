"""A method that increments a Variable: each instance keeps its own state."""

import numpy as np

import autograph


class ScalarModel:
    def __init__(self):
        self.v = autograph.Variable(0)

    @autograph.function
    def increment(self, amount):
        self.v.assign_add(amount)


def main():
    a, b = ScalarModel(), ScalarModel()
    a.increment(np.int64(2))
    a.increment(np.int64(3))
    b.increment(np.int64(10))
    print(a.v.numpy(), b.v.numpy())


if __name__ == "__main__":
    main()
