"""Run-time benchmarks: loop-heavy functions called with plain Python values."""


def loop_with_if(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += i
        else:
            total -= 1
    return total


def nested_break_continue(n):
    count = 0
    for i in range(n):
        if i % 7 == 0:
            continue
        for j in range(n):
            if j > i % 32:
                break
            count += j
    return count


def early_return(xs, target):
    for i, x in enumerate(xs):
        if x == target:
            return i
    return -1


def while_and(n, limit):
    i = 0
    acc = 0
    while i < n and acc < limit:
        acc += i % 10
        i += 1
    return acc


def _scale(x):
    return 2 * x + 1


def loop_calling_helper(n):
    total = 0
    for i in range(n):
        total += _scale(i)
    return total


# name -> (description, args): each runs about 1,000 loop iterations (nested_break_continue:
# 64 outer, 945 inner in 55 inner loops).
BENCHES = {
    "loop_with_if": ("1,000-iteration loop with an if", (1000,)),
    "nested_break_continue": ("nested loops with break/continue", (64,)),
    "early_return": ("early return from a loop", (list(range(1000)), 999)),
    "while_and": ("while with an and condition", (1000, 10**9)),
    "loop_calling_helper": ("1,000 calls of a user function", (1000,)),
}
