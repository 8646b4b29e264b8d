"""Searches: early returns from loops, while loops with and/or."""


def find_first_negative(xs):
    for i, x in enumerate(xs):
        if x < 0:
            return i
    return -1


def binary_search(xs, target):
    lo = 0
    hi = len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def find_pair_with_sum(xs, target):
    n = len(xs)
    for i in range(n):
        if xs[i] > target and xs[i] > 0:
            continue
        for j in range(i + 1, n):
            if xs[i] + xs[j] == target:
                return i, j
    return None


def first_repeated_window(xs, width):
    seen = {}
    i = 0
    while i + width <= len(xs) and width > 0:
        key = tuple(xs[i:i + width])
        if key in seen:
            return seen[key], i
        seen[key] = i
        i += 1
    return None


def longest_increasing_run(xs):
    if not xs:
        return 0, 0
    best_start = 0
    best_len = 1
    start = 0
    for i in range(1, len(xs)):
        if xs[i] <= xs[i - 1]:
            start = i
        elif i - start + 1 > best_len:
            best_len = i - start + 1
            best_start = start
    return best_start, best_len


CASES = {
    "find_first_negative": [([],), ([1, 2, 3],), ([4, -1, -2],)],
    "binary_search": [([1, 3, 5, 7, 9, 11], 7), ([1, 3, 5], 4), ([], 1)],
    "find_pair_with_sum": [([1, 4, 6, 3, 9], 10), ([1, 2], 7), ([5, -2, 7, 12], 10)],
    "first_repeated_window": [([1, 2, 3, 1, 2, 3], 3), ([1, 2, 3], 2), ([1, 1], 0)],
    "longest_increasing_run": [([],), ([5, 1, 2, 3, 0, 4],), ([3, 2, 1],)],
}
