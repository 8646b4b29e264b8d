"""Corpus: while and for over every kind of iterable, break, continue, loop-else."""

# ruff: noqa: B007, B905 - corpus functions are user code, written the way users write it

import numpy as np

from .harness import call, case

G = ("graph", "jax")


@case(inputs=[0, 1, 10, -3], modes=G)
def while_count_down(n):
    s = 0
    while n > 0:
        s = s + n
        n = n - 1
    return s


@case(inputs=[1, 6, 27, 97], modes=G)
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@case(inputs=[(0, 10), (5, 3), (10, 100)], modes=G)
def while_and_condition(i, limit):
    s = 0
    while i < limit and s < 50:
        s += i
        i += 1
    return i, s


@case(inputs=[(0, 3), (7, 7), (-2, 0)], modes=G)
def while_or_condition(a, b):
    n = 0
    while (a < 5 or b < 5) and n < 20:
        a += 1
        b += 2
        n += 1
    return a, b, n


@case(inputs=[0, 3, 8], modes=G)
def while_not_condition(n):
    i = 0
    while not i >= n:
        i += 2
    return i


@case(inputs=[0, 5, 20], modes=G, stageable=False)
def while_break(n):
    i = 0
    while True:
        if i * i > n:
            break
        i += 1
    return i


@case(inputs=[0, 10, 11], modes=G)
def while_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        s += i
    return s


@case(inputs=[3, 12, 0])
def while_else_no_break(n):
    i = 0
    while i < n:
        i += 1
    else:
        i = -i
    return i


@case(inputs=[(10, 4), (10, 20), (0, 0)])
def while_else_with_break(n, stop):
    i = 0
    found = False
    while i < n:
        if i == stop:
            found = True
            break
        i += 1
    else:
        i = -1
    return i, found


@case(inputs=[0, 1, 5, -2], modes=G)
def for_range(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


@case(inputs=[(0, 10, 3), (10, 0, -2), (5, 5, 1), (-3, 3, 2)], modes=G)
def for_range_step(a, b, c):
    s = 0
    for i in range(a, b, c):
        s = s * 2 + i
    return s


@case(inputs=[(1, 0), (1, -3)])
def for_range_zero_step(a, b):
    s = 0
    for i in range(a, b, 0):  # ValueError
        s += i
    return s


@case(inputs=[[], [1, 2, 3], [-1, 5, -1]])
def for_list(lst):
    s = 0
    for v in lst:
        s += v
    return s


@case(inputs=[call(()), call((1,)), call((4, 5, 6))])
def for_tuple(t):
    out = []
    for v in t:
        out.append(v * 10)
    return out


@case(inputs=[{}, {"a": 1}, {"x": 3, "y": -3, "z": 9}])
def for_dict(d):
    keys = ""
    total = 0
    for k in d:
        keys += k
        total += d[k]
    return keys, total


@case(inputs=[{}, {"a": 1, "b": 2}])
def for_dict_items(d):
    out = []
    for k, v in d.items():
        out.append((v, k))
    for v in d.values():
        out.append(v)
    return out


@case(inputs=["", "a", "hello"])
def for_str(s):
    out = ""
    for ch in s:
        out = ch + out
    return out


@case(inputs=[[], ["a"], ["x", "y", "z"]])
def for_enumerate(lst):
    out = []
    for i, v in enumerate(lst):
        out.append(f"{i}:{v}")
    for i, v in enumerate(lst, start=10):
        out.append(i)
    return out


@case(inputs=[([], []), ([1, 2, 3], [4, 5]), ([1], ["a", "b"])])
def for_zip(a, b):
    out = []
    for x, y in zip(a, b):
        out.append((x, y))
    return out


@case(inputs=[([1, 2], [3, 4], [5, 6]), ([], [1], [2])])
def for_zip_three(a, b, c):
    s = 0
    for x, y, z in zip(a, b, c):
        s += x * y - z
    return s


@case(inputs=[np.arange(5), np.array([], dtype=np.int64), np.array([-1.5, 2.5])], modes=G)
def for_numpy_array(a):
    s = a[:0].sum()
    for v in a:
        s = s + v
    return s


@case(inputs=[np.arange(6).reshape(3, 2), np.zeros((0, 2))])
def for_numpy_rows(a):
    out = []
    for row in a:
        out.append(row.sum())
    return out


@case(inputs=[np.array([3, 1, 2]), np.array([5])], modes=G)
def for_enumerate_numpy(a):
    s = 0
    for i, v in enumerate(a):
        s = s + i * v
    return s


@case(inputs=[(np.array([1, 2, 3]), np.array([4, 5, 6])), (np.array([2]), np.array([-2]))], modes=G)
def for_zip_numpy(a, b):
    s = 0
    for x, y in zip(a, b):
        s = s + x * y
    return s


@case(inputs=[0, 10, 25], modes=G)
def for_break(n):
    r = -1
    for i in range(n):
        if i * 3 > 20:
            r = i
            break
    return r


@case(inputs=[0, 10], modes=G)
def for_continue(n):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


@case(inputs=[[1, 2, 3], [1, -2, 3], []])
def for_else_no_break(lst):
    for v in lst:
        if v < 0:
            break
    else:
        return "all non-negative"
    return "found negative"


@case(inputs=[(10, 7), (10, 11), (0, 0)])
def for_else_flag(n, target):
    for i in range(n):
        if i == target:
            r = i
            break
    else:
        r = None
    return r


@case(inputs=[[2, 4, 6], [2, 3, 4], []])
def for_else_continue(lst):
    odd = 0
    for v in lst:
        if v % 2 == 0:
            continue
        odd += 1
    else:
        odd = odd * 100
    return odd


@case(inputs=[0, 3, 4])
def for_loop_var_after_loop(n):
    i = "untouched"
    for i in range(n):
        pass
    return i


@case(inputs=[0, 4])
def for_loop_var_only_defined_if_iterated(n):
    for i in range(n):
        pass
    if n > 0:
        return i
    return None


@case(inputs=[[3, 1, 2], []])
def for_modifies_loop_var(lst):
    out = []
    for v in lst:
        v = v * 2
        out.append(v)
    return out, lst


@case(inputs=[[[1, 2], [3, 4]], [], [[5]]])
def for_tuple_target(pairs):
    s = []
    for a, b in [(p[0], p[-1]) for p in pairs]:
        s.append(a - b)
    return s


@case(inputs=[[(1, (2, 3)), (4, (5, 6))]])
def for_nested_target(items):
    out = []
    for a, (b, c) in items:
        out.append(a + b * c)
    return out


@case(inputs=[5, 0])
def for_attribute_target(n):
    class Box:
        v = None

    box = Box()
    out = []
    for box.v in range(n):
        out.append(box.v)
    return out, box.v


@case(inputs=[[0, 0, 0], []])
def for_subscript_target(buf):
    i = 0
    for buf[0] in range(3):
        i += buf[0]
    return i, buf


@case(inputs=[3, 0])
def for_over_range_object_variable(n):
    r = range(n, -1, -1)
    out = []
    for i in r:
        out.append(i)
    return out, len(r)


@case(inputs=[[1, 2, 3], []])
def for_over_reversed_sorted(lst):
    out = []
    for v in reversed(sorted(lst)):
        out.append(v)
    for v in iter(lst):
        out.append(-v)
    return out


@case(inputs=[[1, 2, 3, 4], [5]])
def for_mutating_list_while_iterating(lst):
    out = []
    for v in lst:
        out.append(v)
        if v < 3 and len(lst) < 8:
            lst.append(v + 10)
    return out


@case(inputs=[5, 0, 1], modes=G)
def while_nested_in_for(n):
    s = 0
    for i in range(n):
        j = i
        while j > 0:
            s += j
            j -= 2
    return s


@case(inputs=[4, 0], modes=G)
def for_nested_in_while(n):
    s = 0
    k = n
    while k > 0:
        for i in range(k):
            s += i
        k -= 1
    return s


@case(inputs=[(3, 4), (0, 5), (5, 0)], modes=G)
def nested_for_break_inner(n, m):
    s = 0
    for i in range(n):
        for j in range(m):
            if j > i:
                break
            s += j
    return s


@case(inputs=[(3, 4), (0, 2)], modes=G)
def nested_for_continue_outer(n, m):
    s = 0
    for i in range(n):
        if i == 1:
            continue
        for j in range(m):
            if (i + j) % 2:
                continue
            s += i * j
    return s


@case(inputs=[[1, 2, 3], []])
def for_with_pop_and_append(lst):
    stack = list(lst)
    out = []
    while stack:
        v = stack.pop()
        out.append(v)
        if v > 1:
            stack.append(v - 2)
    return out


@case(inputs=[4, 0])
def while_on_list_length(n):
    items = []
    while len(items) < n:
        items.append(len(items) ** 2)
    return items


@case(inputs=[0, 1, 100], modes=G,
       skip={"jax": "float32 rounding changes the iteration count"})
def while_float_convergence(x):
    # Newton's method for sqrt with a bounded iteration count
    g = x / 2.0 + 1.0
    i = 0
    while i < 30 and abs(g * g - x) > 1e-9:
        g = (g + x / g) / 2.0
        i += 1
    return g, i


@case(inputs=["aXbXc", "", "XX"])
def while_string_scan(s):
    i = 0
    parts = []
    cur = ""
    while i < len(s):
        if s[i] == "X":
            parts.append(cur)
            cur = ""
        else:
            cur += s[i]
        i += 1
    parts.append(cur)
    return parts


@case(inputs=[5])
def for_over_int_raises(n):
    s = 0
    for i in n:  # TypeError: 'int' object is not iterable
        s += i
    return s


@case(inputs=[None, 3])
def while_test_raises_type_error(x):
    n = 0
    while x > n:  # TypeError for None
        n += 1
    return n


@case(inputs=[[1, 2], ["a", 3]])
def for_body_type_error_caught(lst):
    out = []
    for v in lst:
        try:
            out.append(v + 1)
        except TypeError:
            out.append("bad")
    return out


@case(inputs=[3, 0], modes=G)
def for_range_shadow_loop_var_reuse(n):
    i = 100
    for i in range(n):
        i = i * 2
    return i


@case(inputs=[0, 5, 20], modes=G)
def while_break_staged(n):
    i = n - n  # a tensor when n is one: the loop below is staged, so is its break
    while i < 100:
        if i * i > n:
            break
        i += 1
    return i
