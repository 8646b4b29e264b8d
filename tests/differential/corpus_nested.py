"""Corpus: constructs in combination, nested three deep."""

from .harness import case

G = ("graph", "jax")


@case(inputs=[0, 3, 5], modes=G)
def if_in_for_in_while(n):
    s = 0
    k = 0
    while k < n:
        for i in range(k):
            if i % 2 == 0:
                s += i
            else:
                s -= 1
        k += 1
    return s


@case(inputs=[0, 4, 6], modes=G)
def while_in_if_in_for(n):
    s = 0
    for i in range(n):
        if i > 1:
            j = i
            while j > 0:
                s += j
                j -= 3
        else:
            s += 100
    return s


@case(inputs=[(3, 3), (0, 4), (4, 1)], modes=G)
def for_for_for(a, b):
    s = 0
    for i in range(a):
        for j in range(b):
            for k in range(i + j):
                s += k
    return s


@case(inputs=[(-1, 1, 1), (1, -1, 1), (1, 1, -1), (1, 1, 1)], modes=G)
def if_if_if(a, b, c):
    r = 0
    if a > 0:
        r += 1
        if b > 0:
            r += 10
            if c > 0:
                r += 100
            else:
                r -= 100
        else:
            r -= 10
    else:
        r -= 1
    return r


@case(inputs=[(4, 2), (5, 9), (0, 0)], modes=G)
def while_while_while(n, m):
    s = 0
    i = 0
    while i < n:
        j = 0
        while j < m:
            k = 0
            while k < i + j:
                s += 1
                k += 2
            j += 1
        i += 1
    return s


@case(inputs=[(3, 4), (4, 4), (0, 1)], modes=G)
def break_three_deep(n, m):
    count = 0
    for i in range(n):
        for j in range(m):
            if i > 0:
                if j > i:
                    break
                count += 1
    return count


@case(inputs=[(4, 3), (2, 2)], modes=G)
def continue_three_deep(n, m):
    s = 0
    for i in range(n):
        j = 0
        while j < m:
            j += 1
            if i % 2 == 0:
                if j == 2:
                    continue
            s += i * j
    return s


@case(inputs=[(5, 3), (5, 100), (0, 0)], modes=G)
def return_three_deep(n, target):
    for i in range(n):
        for j in range(n):
            if i * j >= target:
                if i != j:
                    return i * 10 + j
    return -1


@case(inputs=[[[1, 2], [3, -4], [5]], [[]], []])
def list_of_lists_search(rows):
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v < 0:
                return r, c
    return None


@case(inputs=[[[1, 2], [3, 4]], [], [[1, 2, 3]]])
def nested_for_else(rows):
    out = []
    for row in rows:
        for v in row:
            if v > 2:
                out.append(("big", v))
                break
        else:
            out.append("no big")
    else:
        out.append("done")
    return out


@case(inputs=[(6, 2), (10, 3), (0, 1)])
def while_else_in_for(n, step):
    out = []
    for i in range(n):
        j = i
        while j > 0:
            if j == 3:
                break
            j -= step
        else:
            out.append(i)
    return out


@case(inputs=[5, 12, 0], modes=G, stageable=False)
def loop_if_break_continue_mixed(n):
    s = 0
    i = 0
    while i < 100:
        i += 1
        if i > n:
            break
        if i % 3 == 0:
            continue
        if i % 5 == 0:
            s += 1000
        else:
            s += i
    return s, i


@case(inputs=[(5, 3, 4), (1, 1, 1), (0, 5, 5)], modes=G)
def and_or_in_nested_loop(n, a, b):
    s = 0
    for i in range(n):
        for j in range(n):
            if (i < a and j < b) or i == j:
                s += 1
            elif not (i > a or j > b):
                s += 10
    return s


@case(inputs=[4, 7], modes=G)
def ternary_in_loop_in_if(n):
    s = 0
    if n > 5:
        for i in range(n):
            s += i if i % 2 else -i
    else:
        i = 0
        while i < n:
            s += 2 if i < 2 else 3
            i += 1
    return s


@case(inputs=[[3, -1, 4, -1, 5], []])
def accumulate_lists_in_nested(lst):
    pos, neg, zeros = [], [], []
    for v in lst:
        if v > 0:
            if v % 2:
                pos.append(v)
            else:
                pos.append(-v)
        elif v < 0:
            neg.append(v)
        else:
            zeros.append(v)
    return pos, neg, zeros


@case(inputs=[(3, 2), (4, 4), (0, 0)])
def matrix_build_and_update(n, m):
    grid = [[0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            if (i + j) % 2 == 0:
                grid[i][j] += i - j
            else:
                grid[i][j] -= 1
    return grid


@case(inputs=[6, 1, 0], modes=G)
def while_in_while_with_break_outer_flag(n):
    done = False
    i = 0
    s = 0
    while i < n and not done:
        j = 0
        while j < n:
            if i * j > 6:
                done = True
                break
            s += j
            j += 1
        i += 1
    return s, i, done


@case(inputs=[(5, 2), (8, 3), (0, 1)])
def nested_return_from_while_in_for_in_if(n, k):
    if n > 0:
        for i in range(n):
            j = 0
            while j < i:
                if (i + j) % k == 0 and j > 0:
                    return (i, j)
                j += 1
    return None


@case(inputs=[(1, 2, 3), (3, 2, 1), (2, 2, 2)], modes=G)
def elif_in_else_in_elif(a, b, c):
    if a > b:
        r = 1
    elif b > c:
        if a == c:
            r = 2
        else:
            if a > c:
                r = 3
            elif a < c:
                r = 4
            else:
                r = 5
    else:
        r = 6
    return r


@case(inputs=[[1, 2, 3, 4, 5, 6], [], [7]])
def chunking_loops(lst):
    chunks = []
    cur = []
    for v in lst:
        cur.append(v)
        if len(cur) == 2:
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    return chunks


@case(inputs=[12, 1, 97, 0])
def prime_factors(n):
    factors = []
    d = 2
    while n > 1 and d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1
    if n > 1:
        factors.append(n)
    return factors


@case(inputs=[20, 2, 0])
def sieve(n):
    is_p = [True] * n
    primes = []
    for i in range(2, n):
        if is_p[i]:
            primes.append(i)
            j = i * i
            while j < n:
                is_p[j] = False
                j += i
    return primes


@case(inputs=[[5, 2, 9, 1, 5, 6], [], [1], [3, 2, 1]])
def bubble_sort(lst):
    a = list(lst)
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a


@case(inputs=[([1, 3, 5, 7, 9], 7), ([1, 3, 5], 4), ([], 1)])
def binary_search(a, x):
    lo, hi = 0, len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] == x:
            return mid
        elif a[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


@case(inputs=[10, 0, 1], modes=G)
def fizzbuzz_count(n):
    f = b = fb = 0
    for i in range(1, n + 1):
        if i % 15 == 0:
            fb += 1
        elif i % 3 == 0:
            f += 1
        elif i % 5 == 0:
            b += 1
    return f, b, fb


@case(inputs=[(8, 3), (3, 0)], modes=G)
def gcd_lcm(a, b):
    x, y = a, b
    while y:
        x, y = y, x % y
    lcm = a * b // x if x else 0
    return x, lcm


@case(inputs=[5, 12, 0], modes=G)
def loop_if_break_continue_mixed_staged(n):
    s = n - n
    i = n - n
    while i < 100:
        i += 1
        if i > n:
            break
        if i % 3 == 0:
            continue
        if i % 5 == 0:
            s += 1000
        else:
            s += i
    return s, i
