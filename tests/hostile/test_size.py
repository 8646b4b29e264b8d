"""Size and depth: a function of 5,000 lines, control flow nested 50 deep."""

import time

import numpy as np
import pytest

import autograph
from tests.differential.harness import check

# Recorded (docs/fuzzing.md): converting the 5,000-line function takes about 1.6 s on the
# 2-core CI machine. The bound is loose: a quadratic pass would take minutes.
BIG_LIMIT_S = 30.0


def _big_source(n_lines=5000):
    lines = ["def big(x, y):", "    s = 0", "    t = 1"]
    i = 0
    while len(lines) < n_lines - 1:
        k = i % 4
        if k == 0:
            lines += [f"    if x > {i % 7}:", f"        s += {i}", "    else:", f"        s -= {i % 3}"]
        elif k == 1:
            lines += [f"    for i{i} in range(y % 3):", f"        t = t + i{i} + {i % 5}"]
        elif k == 2:
            lines += [f"    while s > {10 * i + 1000}:", "        s //= 2"]
        else:
            lines += [f"    s = s + t if s < {i} else s - t"]
        i += 1
    lines.append("    return s, t")
    return "\n".join(lines) + "\n"


def test_function_of_5000_lines(module, no_fallback):
    src = _big_source()
    assert src.count("\n") >= 5000
    mod = module(src)
    t0 = time.perf_counter()
    conv = autograph.to_graph(mod.big, strict=True)
    elapsed = time.perf_counter() - t0
    assert elapsed < BIG_LIMIT_S, f"converting 5,000 lines took {elapsed:.1f}s"
    for args in ((3, 4), (-1, 2), (10, 0)):
        assert conv(*args) == mod.big(*args)
    # the source map reaches the end of the function
    assert len(autograph.to_code(mod.big).splitlines()) > 5000


def _nested_source(depth, kinds):
    lines = ["def deep(x):", "    s = 0"]
    indent = "    "
    for d in range(depth):
        kind = kinds[d % len(kinds)]
        if kind == "if":
            lines.append(f"{indent}if x > {d % 5 - 3}:")
        elif kind == "for":
            lines.append(f"{indent}for i{d} in range(2):")
        else:
            lines.append(f"{indent}while s < {d}:")
        indent += "    "
        lines.append(f"{indent}s += 1")
    lines.append("    return s")
    return "\n".join(lines) + "\n"


def test_if_nested_50_deep_runs_in_python(module):
    mod = module(_nested_source(50, ["if"]))
    assert mod.deep(10) == 50 and mod.deep(-5) == 0


def test_if_nested_50_deep_converts(module):
    mod = module(_nested_source(50, ["if"]))
    conv = autograph.to_graph(mod.deep, strict=True)
    assert conv(10) == 50 and conv(-5) == 0


@pytest.mark.parametrize("depth, kinds", [
    (19, ["if"]),
    (19, ["for"]),  # Python itself allows at most 20 nested loops
    (10, ["if", "for", "while"]),
])
def test_deep_nesting_below_the_limit(module, depth, kinds, no_fallback):
    mod = module(_nested_source(depth, kinds))
    conv = autograph.to_graph(mod.deep, strict=True)
    for v in (-5, 0, 1, 10):
        assert conv(v) == mod.deep(v)
    check(mod.deep, (np.int64(1),), mode="graph")


def test_deep_mixed_nesting_converts(module, no_fallback):
    """Statements whose `try` would pass CPython's block or indentation limits stay native
    (they still stage as part of an enclosing staged statement)."""
    mod = module(_nested_source(30, ["if", "for", "while"]))
    conv = autograph.to_graph(mod.deep, strict=True)
    for v in (-5, 0, 1, 10):
        assert conv(v) == mod.deep(v)


def _elif_chain(n, terms=20):
    total = " + ".join(f"x * {i}" for i in range(terms))
    branches = "".join(f"    elif x == {i}:\n        r = {i * 3}\n" for i in range(1, n))
    return (f"def f(x):\n    if x == 0:\n        r = -1\n{branches}    else:\n"
            f"        r = {total}\n    return r\n")


def test_long_expressions_and_many_branches(module, no_fallback):
    mod = module(_elif_chain(150, terms=100))
    conv = autograph.to_graph(mod.f, strict=True)
    for v in (0, 1, 120, 149, 150, -2):
        assert conv(v) == mod.f(v)


@pytest.mark.parametrize("branches, terms", [(400, 20), (10, 400)])
def test_long_chains_convert(module, branches, terms):
    mod = module(_elif_chain(branches, terms))
    conv = autograph.to_graph(mod.f)
    for v in (0, 1, 9, 399, 400, -2):
        assert conv(v) == mod.f(v)
