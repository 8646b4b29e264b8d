"""A small training loop with a data-dependent stopping rule, staged as one graph loop.

Linear regression by gradient descent: it stops when the loss falls under a tolerance or after
a maximum number of steps, whichever comes first, and reports both.
"""

import numpy as np

import autograph


@autograph.function
def train(x, y, learning_rate, tolerance, max_steps):
    w = np.zeros(x.shape[1])
    loss = np.mean((x @ w - y) ** 2)
    step = 0
    while loss > tolerance and step < max_steps:
        grad = 2.0 * (x.T @ (x @ w - y)) / x.shape[0]
        w = w - learning_rate * grad
        loss = np.mean((x @ w - y) ** 2)
        step += 1
    return w, loss, step


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3))
    true_w = np.array([1.5, -2.0, 0.5])
    y = x @ true_w
    w, loss, steps = train(x, y, np.float64(0.1), np.float64(1e-6), np.int64(500))
    print("weights:", np.round(w, 3), "loss below 1e-6:", bool(loss < 1e-6), "steps:", steps)
    w, loss, steps = train(x, y, np.float64(0.1), np.float64(1e-6), np.int64(5))
    print("after 5 steps: loss", round(float(loss), 3), "steps:", steps)
    print("traces:", train.tracing_count)


if __name__ == "__main__":
    main()
