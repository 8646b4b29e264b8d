"""Random loop bodies for the loops-on-Python-numbers lowering (runtime/engine/scalar_loops.py).

``program(seed)`` writes a function that loops over int64 (and float64) arrays with int, float
and bool loop variables, using what the lowering accepts (`+ - *`, unary minus, `abs`, `%` and
`//` by constants, comparisons, `max`/`min`, ternaries, `if`/`else`, `continue`) and some of what
it refuses (`/` of ints, `%` by a variable, comparisons of ints with floats, products of loop
variables). ``ARRAYS`` are inputs that reach int64's limits, float64's non-finite values and
signed zeros. The test compares graph mode with and without the lowering, exactly.
"""

from __future__ import annotations

import random

import numpy as np

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1

ARRAYS = [
    (np.array([3, -7, 12, 5], np.int64), np.array([0.5, -2.0, 3.25, -0.0])),
    (np.array([I64_MAX, 2, -1, 9], np.int64), np.array([np.inf, 1.0, -1e308, 2.0])),
    (np.array([I64_MIN, -1, 3, I64_MAX // 3], np.int64), np.array([np.nan, -0.0, 0.0, 5e-324])),
    (np.array([2 ** 53 + 1, -(2 ** 53) - 1, 0, 1], np.int64), np.array([1e308, 1e308, 1.0, -1.0])),
]


class _Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.ints = ["s0", "s1"]
        self.floats = ["f0"]
        self.bools = ["b0"]

    def int_atom(self) -> str:
        r = self.r
        return r.choice(["x", "x", "i", "t", r.choice(self.ints), r.choice(self.ints),
                         str(r.choice([0, 1, 2, 3, -5, 7, 1 << 40, I64_MAX]))])

    def int_expr(self, depth: int = 0) -> str:
        r = self.r
        if depth > 2 or r.random() < 0.3:
            return self.int_atom()
        a, b = self.int_expr(depth + 1), self.int_expr(depth + 1)
        k = r.randrange(12)
        if k < 5:
            return f"({a} {r.choice(['+', '-', '*'])} {b})"
        if k == 5:
            return f"(-{a})"
        if k == 6:
            return f"abs({a})"
        if k == 7:
            return f"({a} {r.choice(['%', '//'])} {r.choice([2, 3, -4, 10])})"
        if k == 8:
            return f"{r.choice(['max', 'min'])}({a}, {b})"
        if k == 9:
            return f"({a} if {self.cond(depth + 1)} else {b})"
        if k == 10:  # refused by the lowering: a divisor that may be zero
            return f"({a} % (t - 3))" if r.random() < 0.5 else f"({a} // 3)"
        return a

    def float_expr(self, depth: int = 0) -> str:
        r = self.r
        if depth > 2 or r.random() < 0.3:
            return r.choice(["y", "f0", "f0", "0.5", "-0.0", "2.0", "1e300"])
        a, b = self.float_expr(depth + 1), self.float_expr(depth + 1)
        k = r.randrange(8)
        if k < 4:
            return f"({a} {r.choice(['+', '-', '*'])} {b})"
        if k == 4:
            return f"({a} / {r.choice(['2.0', '3', '0.25'])})"
        if k == 5:
            return f"({a} % 3.0)"
        if k == 6:
            return f"({a} + x)"  # an int into a float
        return f"({a} if {self.cond(depth + 1)} else {b})"

    def cond(self, depth: int = 0) -> str:
        r = self.r
        k = r.randrange(8)
        if k < 3 or depth > 2:
            return f"({self.int_expr(depth + 1)} {r.choice(['<', '<=', '==', '!=', '>'])} " \
                   f"{self.int_expr(depth + 1)})"
        if k == 3:
            return f"({self.float_expr(depth + 1)} > {r.choice(['0', '0.5', 'f0'])})"
        if k == 4:
            return r.choice(self.bools)
        if k == 5:
            return f"(not {self.cond(depth + 1)})"
        if k == 6:
            return f"({self.cond(depth + 1)} {r.choice(['and', 'or'])} {self.cond(depth + 1)})"
        return "(x > 0.5)"  # refused: an int compared with a float

    def stmts(self, depth: int, n: int) -> list:
        r = self.r
        out = []
        for _ in range(n):
            k = r.randrange(10)
            if k < 4:
                out.append(f"{r.choice(self.ints)} = {self.int_expr()}")
            elif k < 6:
                out.append(f"{r.choice(self.floats)} = {self.float_expr()}")
            elif k == 6:
                out.append(f"{r.choice(self.bools)} = {self.cond()}")
            elif k == 7 and depth < 2:
                out.append(f"if {self.cond()}:")
                out += ["    " + s for s in self.stmts(depth + 1, r.randint(1, 2))]
                if r.random() < 0.5:
                    out.append("else:")
                    out += ["    " + s for s in self.stmts(depth + 1, r.randint(1, 2))]
            elif k == 8 and depth > 0:
                out.append("continue")
                break
            else:
                out.append(f"s0 = s0 + {self.int_expr(2)}")
        return out


def program(seed: int) -> str:
    g = _Gen(seed)
    r = g.r
    before, header = r.choice([
        ([], "for i, (x, y) in enumerate(zip(xs, ys)):"),
        (["y = ys[0]"], "for i, x in enumerate(xs):"),
        (["y = ys[1]", "i = 1"], "for x in xs:"),
    ])
    body = g.stmts(0, r.randint(1, 4))
    lines = ["def f(xs, ys, t):",
             f"    s0 = {r.choice(['0', 'xs[0]', 't'])}",
             f"    s1 = {r.choice(['1', 'xs[1]', '-3'])}",
             f"    f0 = {r.choice(['0.0', 'ys[0]', '-0.0'])}",
             "    b0 = False"]
    lines += ["    " + s for s in before] + ["    " + header]
    lines += ["        " + s for s in body]
    lines.append(f"    return {r.choice(['(s0, s1, f0, b0)', 's0', '(f0, b0)', '(s1, s0)'])}")
    return "\n".join(lines) + "\n"
