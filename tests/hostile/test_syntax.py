"""Newer and rarer syntax: `match`, the walrus operator, f-strings, and friends. Python mode
must behave exactly like the original (results, stdout, exceptions)."""

import sys

import numpy as np
import pytest

import autograph
from tests.differential.harness import check

SYNTAX = '''
import contextlib

class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

def matcher(v):
    out = []
    for item in v:
        match item:
            case 0 | 1 as small:
                out.append(("small", small))
            case [a, b, *rest] if a < b:
                out.append(("seq", a + b, len(rest)))
                continue
            case {"k": value, **others}:
                out.append(("map", value, sorted(others)))
            case Point(x=0, y=yy):
                out.append(("on-axis", yy))
            case Point(xx, yy) if xx == yy:
                out.append(("diag", xx))
                break
            case str() as s if len(s) > 2:
                return out + [("str", s)]
            case _:
                out.append("other")
    else:
        out.append("no break")
    return out

def walrus(xs):
    out = []
    i = 0
    while (n := len(xs) - i) > 0:
        if (y := xs[i] * 2) > 2 and (z := y + 1):
            out.append((y, z))
        i += 1
    evens = [w for x in xs if (w := x * 10) % 20 == 0]
    return out, n, evens, (last := i) + last

def fstrings(x, width=6):
    if x > 0:
        s = f"{x!r:>{width}}|{x + 1:.2f}|{'pos' if x else 'zero'}|{x=}|{x:#x}"
    elif x == 0:
        s = f"{{literal}} {x!s:^{width}} {f'{x}':>3}"
    else:
        s = f"""{x}
{-x:+d}"""
    for i in range(2):
        s += f"[{i}:{s[:2]!a}]"
    return s

def context_and_try(n):
    log = []
    with contextlib.suppress(ZeroDivisionError):
        for i in range(n, -1, -1):
            log.append(10 // i)
    try:
        if n > 2:
            raise ValueError(n)
    except ValueError as e:
        log.append(("caught", e.args))
    else:
        log.append("no error")
    finally:
        log.append("finally")
    return log

COUNTER = 0

def scopes(n):
    global COUNTER
    total = 0

    def bump(k):
        nonlocal total
        if k > 1:
            total += k
        return total

    for i in range(n):
        COUNTER += 1
        bump(i)
    first, *middle, last = [total, n, n * 2, n * 3]
    a = b = c = last
    return first, middle, a + b + c, 1 < n <= 5 != n * 2

def print_and_assert(n):
    for i in range(n):
        print("i", i, sep="=", end=";")
    assert n >= 0, f"negative: {n}"
    return n
'''

class _P:
    """Stands for the module's `Point` in CASES (made into one by `_resolve`)."""

    def __init__(self, x, y):
        self.x, self.y = x, y


CASES = [
    ("matcher", ([0, 1, [1, 2, 3], [2, 1], {"k": 9, "z": 1}, _P(0, 4), 3.5, "ab"],)),
    ("matcher", ([_P(2, 2), 1],)),
    ("matcher", (["hello", 0],)),
    ("walrus", ([1, 2, 3],)),
    ("walrus", ([],)),
    ("fstrings", (3,)),
    ("fstrings", (0,)),
    ("fstrings", (-7, 9)),
    ("context_and_try", (3,)),
    ("context_and_try", (1,)),
    ("scopes", (4,)),
    ("scopes", (0,)),
    ("print_and_assert", (3,)),
    ("print_and_assert", (-1,)),  # AssertionError with the f-string message
]


@pytest.fixture(scope="module")
def syntax(tmp_path_factory):
    import importlib.util

    path = tmp_path_factory.mktemp("syntax") / "hostile_syntax.py"
    path.write_text(SYNTAX)
    spec = importlib.util.spec_from_file_location("hostile_syntax", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["hostile_syntax"] = mod
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop("hostile_syntax", None)


def _resolve(mod, args):
    def fix(v):
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, _P):
            return mod.Point(v.x, v.y)
        return v
    return tuple(fix(a) for a in args)


@pytest.mark.parametrize("name, args", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_python_mode_matches(syntax, name, args, no_fallback):
    fn = getattr(syntax, name)
    state = (lambda: syntax.COUNTER) if name == "scopes" else None
    setup = (lambda: setattr(syntax, "COUNTER", 0)) if name == "scopes" else None
    check(fn, _resolve(syntax, args), mode="python", state=state, setup=setup)


def test_converted_code_of_new_syntax_compiles(syntax):
    for name in ("matcher", "walrus", "fstrings", "context_and_try", "scopes"):
        code = autograph.to_code(getattr(syntax, name))
        compile(code, "<to_code>", "exec")


def test_walrus_and_fstring_in_graph_mode(module):
    mod = module("""
        def f(x, n):
            if (y := x * 2) > 0:
                x = y + 1
            while (k := n - 1) > 0:
                n = k
                x += 1
            return x, f"{n:>3}|{n=}"
    """)
    check(mod.f, (np.int64(3), 4), mode="graph", static=("n",))
    check(mod.f, (np.int64(-3), 2), mode="graph", static=("n",))


def test_match_on_a_tensor_is_a_clear_staging_error(module):
    mod = module("""
        def f(x):
            match x:
                case 1:
                    return 10
                case _:
                    return 20
    """)
    with pytest.raises(autograph.StagingError, match=r"\bx\b"):
        autograph.function(mod.f)(np.int64(1))
