"""Functions that call small user helpers."""


def _horner(coeffs, x):
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc


def _clip(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def _is_prime(n):
    if n < 2:
        return False
    k = 2
    while k * k <= n:
        if n % k == 0:
            return False
        k += 1
    return True


def evaluate_polynomial(coeffs, xs):
    ys = []
    for x in xs:
        y = _horner(coeffs, x)
        ys.append(_clip(y, -100.0, 100.0))
    return ys


def primes_in_range(lo, hi):
    found = []
    n = lo
    while n < hi:
        if _is_prime(n):
            found.append(n)
        n += 1
    return found


def normalize_scores(scores, lo=0.0, hi=1.0):
    if not scores:
        return []
    smin = min(scores)
    smax = max(scores)
    span = smax - smin
    out = []
    for s in scores:
        if span == 0:
            v = 0.5
        else:
            v = (s - smin) / span
        out.append(_clip(lo + v * (hi - lo), lo, hi))
    return out


CASES = {
    "evaluate_polynomial": [([1.0, -2.0, 3.0], [0.0, 1.0, 2.5, 40.0])],
    "primes_in_range": [(0, 30), (90, 110)],
    "normalize_scores": [([],), ([3.0, 3.0],), ([1.0, 5.0, 3.0, 9.0], -1.0, 1.0)],
}
