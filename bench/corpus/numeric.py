"""Numeric loops."""

import math


def sum_of_even_squares(n):
    total = 0
    for i in range(n):
        if i % 2 == 0:
            total += i * i
    return total


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def newton_sqrt(x, tol=1e-10, max_iter=50):
    if x < 0:
        raise ValueError("negative input")
    if x == 0:
        return 0.0
    guess = x if x > 1 else 1.0
    i = 0
    delta = tol + 1
    while delta > tol and i < max_iter:
        new_guess = 0.5 * (guess + x / guess)
        delta = abs(new_guess - guess)
        guess = new_guess
        i += 1
    return guess


def gcd_lcm(a, b):
    a, b = abs(a), abs(b)
    if a == 0 or b == 0:
        return max(a, b), 0
    x, y = a, b
    while y:
        x, y = y, x % y
    return x, a // x * b


def trapezoid_integral(n, lo, hi):
    h = (hi - lo) / n
    acc = 0.5 * (math.sin(lo) + math.sin(hi))
    for k in range(1, n):
        x = lo + k * h
        acc += math.sin(x)
    return acc * h


def mean_and_variance(xs):
    n = 0
    mean = 0.0
    m2 = 0.0
    for x in xs:
        n += 1
        delta = x - mean
        mean += delta / n
        m2 += delta * (x - mean)
    if n < 2:
        return mean, 0.0
    return mean, m2 / (n - 1)


CASES = {
    "sum_of_even_squares": [(0,), (10,), (101,)],
    "collatz_steps": [(1,), (6,), (27,)],
    "newton_sqrt": [(0,), (2.0,), (0.25,), (1e6,)],
    "gcd_lcm": [(12, 18), (0, 5), (-21, 6), (17, 5)],
    "trapezoid_integral": [(10, 0.0, 3.0), (100, -1.0, 1.0)],
    "mean_and_variance": [([],), ([3.0],), ([1.0, 2.0, 4.0, 8.0],)],
}
