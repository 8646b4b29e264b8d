"""Corpus: comprehensions, walrus, f-strings, match, print, shadowed builtins, odd names."""

import sys

from .harness import call, case

G = ("graph", "jax")


@case(inputs=[0, 5])
def list_comprehension_with_if(n):
    return [i * i for i in range(n) if i % 2 == 0]


@case(inputs=[3, 0])
def nested_comprehensions(n):
    grid = [[i * j for j in range(n)] for i in range(n)]
    flat = [v for row in grid for v in row if v]
    return grid, flat


@case(inputs=["hello", ""])
def dict_set_comprehensions(s):
    d = {ch: s.count(ch) for ch in s}
    st = {ch.upper() for ch in s if ch in "aeiou"}
    return d, sorted(st)


@case(inputs=[4, 0])
def comprehension_in_loop_with_ternary(n):
    out = []
    for k in range(n):
        out.append([i if i < k else -i for i in range(n)])
    return out


@case(inputs=[3])
def comprehension_scoping(n):
    i = "outer"
    squares = [i * i for i in range(n)]
    return i, squares


@case(inputs=[[1, 2, 3, 4], []])
def walrus_in_if(lst):
    if (n := len(lst)) > 2:
        return n * 10
    return n


@case(inputs=[[5, 3, 0, 7], [0], []])
def walrus_in_while(lst):
    it = iter(lst)
    out = []
    while (v := next(it, 0)) != 0:
        out.append(v)
    return out, v


@case(inputs=[6, 0])
def walrus_in_comprehension(n):
    vals = [y for x in range(n) if (y := x * x) % 2 == 0]
    return vals, y if n else None  # noqa: F821 - y leaks from the comprehension


@case(inputs=[(3, "ab", 2.5), (-1, "", 0.125)])
def fstrings(a, s, f):
    out = []
    for i in range(2):
        out.append(f"{a}-{s!r}-{f:.2f}-{i:>3}-{a if a > 0 else -a}-{{lit}}")
    width = 6
    out.append(f"{s:>{width}}|{a=}")
    return out


@case(inputs=[0, 1, 2, 5, -1])
def match_literals(x):
    match x:
        case 0:
            r = "zero"
        case 1 | 2:
            r = "small"
        case n if n < 0:
            r = f"negative {n}"
        case _:
            r = "big"
    return r


@case(inputs=[call((1, 2)), [1, 2, 3], call(()), {"k": 1}, "s", 3])
def match_structures(v):
    match v:
        case (a, b):
            return "pair", a + b
        case [first, *rest]:
            return "seq", first, rest
        case {"k": k}:
            return "map", k
        case str() as s:
            return "str", s
        case []:
            return "empty"
        case _:
            return "other"


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


@case(inputs=[call(Point(0, 0)), call(Point(0, 3)), call(Point(2, 2)), call(Point(1, 5))])
def match_class_pattern(p):
    match p:
        case Point(0, 0):
            return "origin"
        case Point(0, y):
            return f"y-axis {y}"
        case Point(x, y) if x == y:
            return "diagonal"
        case Point(x=x):
            return x


@case(inputs=[[1, -2, 0, 3], []])
def match_in_loop(lst):
    out = []
    for v in lst:
        match v:
            case 0:
                continue
            case x if x < 0:
                break
            case _:
                out.append(v)
    return out


@case(inputs=[3, 0, -1])
def print_in_loop(n):
    for i in range(n):
        print("i =", i, end="; ")
        if i % 2:
            print(i * 2, sep="")
    print("done", n)
    return n


@case(inputs=[2])
def print_with_file_and_sep(n):
    print("a", "b", sep="|")
    print("to stderr", file=sys.stderr)
    print(*range(n), sep=",", end="!\n")
    print()
    return None


@case(inputs=[[1, 2], []])
def print_in_nested_function(lst):
    def show(v):
        print(f"value {v}")
        return v

    return [show(v) for v in lst]


@case(inputs=[3, 0])
def shadowed_range(n):
    range = lambda k: [k, k, k]  # noqa: A001
    out = []
    for i in range(n):
        out.append(i)
    return out


@case(inputs=[[1, 2], []])
def shadowed_len_and_print(lst):
    def len(x):  # noqa: A001
        return 42

    print = lambda *a: None  # noqa: A001
    print("should not appear")
    n = 0
    while n < len(lst):
        n += 20
    return n


@case(inputs=[[1, 2], [3]])
def shadowed_enumerate_zip(lst):
    enumerate = lambda x: [("e", v) for v in x]  # noqa: A001
    zip = lambda a, b: [(b, a)]  # noqa: A001
    out = []
    for i, v in enumerate(lst):
        out.append((i, v))
    for a, b in zip(1, 2):
        out.append(a - b)
    return out


def abs(x):  # noqa: A001 - a module-level shadow of a builtin (used only here)
    return "shadowed abs"


@case(inputs=[-3, 3])
def module_level_shadowed_builtin(x):
    if x < 0:
        return abs(x)
    return x


@case(inputs=[3, 0])
def user_names_like_generated(n):
    ag__ran_1 = 0
    ag__e = []
    ag__ctx = "mine"
    for ag__i in range(n):
        ag__ran_1 += ag__i
        if ag__i % 2:
            ag__e.append(ag__i)
    return ag__ran_1, ag__e, ag__ctx


@case(inputs=[2, -2])
def user_name_ag_underscore(x):
    ag__ = x * 10
    if ag__ > 0:
        ag__ = ag__ + 1
    return ag__


@case(inputs=[(1, 2), (2, 1)])
def tuple_and_star_assignment(a, b):
    first, *middle, last = [a, b, a + b, a * b]
    if first > last:
        first, last = last, first
    return first, middle, last


@case(inputs=[5, 0])
def augmented_assignment_all_ops(x):
    y = x
    y += 3
    y -= 1
    y *= 2
    y //= 3
    y %= 7
    y **= 2
    y <<= 1
    y >>= 1
    y |= 8
    y &= 13
    y ^= 5
    return y


@case(inputs=[3, 0])
def global_builtins_in_loop(n):
    out = []
    for i in range(n):
        out.append((str(i), float(i), bool(i), list(range(i)), tuple([i])))
    return out


@case(inputs=[[3, 1, 2], []])
def any_all_sum_with_generators(lst):
    return any(v > 2 for v in lst), all(v > 0 for v in lst), sum(v for v in lst if v != 1)


@case(inputs=[(1, 2, 3), (0, 0, 0)], modes=G)
def expression_statements_and_semicolons(a, b, c):
    x = a; y = b  # noqa: E702
    z = c if x else y
    return x + y + z


@case(inputs=[(2, 3), (-2, 3)])
def conditional_import_and_class(a, b):
    if a > 0:
        import math as m

        v = m.gcd(a, b)
    else:
        v = 0

    class Local:
        k = a

    return v, Local.k


@case(inputs=[3, 0])
def string_building_loop(n):
    s = ""
    i = 0
    while i < n:
        s += str(i) * 2
        s = s[-5:]
        i += 1
    return s, s.upper(), s[::-1]


@case(inputs=[(1, None), (None, 2), (None, None)])
def is_and_is_not(a, b):
    if a is None and b is None:
        return "both"
    elif a is not None:
        return "a"
    return "b" if b is not None else "neither"


@case(inputs=[(3, [1, 2, 3]), (5, []), ("a", "cat")])
def in_and_not_in(x, seq):
    if x in seq:
        return "in"
    elif x not in seq and len(seq) > 0:
        return "not in"
    return "empty"
