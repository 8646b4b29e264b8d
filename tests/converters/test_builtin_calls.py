"""`len`, `min`, `max`, `sum`, `any`, `all`, `float`, `int`, `bool` on tensors
(converters/builtin_calls.py, runtime/py_builtins.py): converted against the original, in
Python, graph and JAX modes."""

import numpy as np
import pytest

import autograph
from autograph.runtime import engine
from tests.fuzz.oracle import assert_agrees, have_jax

MODES = ("python", "graph") + (("jax",) if have_jax() else ())
ARR = np.array([1.5, -2.0, 3.0])
IARR = np.array([3, -1, 2])

EXPRESSIONS = [
    ("max(a, b)", (1, 2)), ("max(a, b)", (2.5, -1.0)), ("min(a, 3)", (5, 0)),
    ("min(a, b, 0)", (1, 2)), ("max(arr)", (0, 0)), ("min(iarr)", (0, 0)),
    ("max([a, b, 7])", (1, 9)), ("min((a, b))", (4, -9)), ("max(arr, default=0)", (0, 0)),
    ("float(a)", (3, 0)), ("int(b)", (0, -2.7)), ("int(b)", (0, 2.7)), ("bool(a)", (0, 1)),
    ("bool(a)", (3, 1)), ("len(arr)", (0, 0)), ("len(iarr) + a", (1, 0)), ("sum(arr)", (0, 0)),
    ("sum(iarr, a)", (2, 0)), ("any(arr > 2)", (0, 0)), ("all(iarr)", (0, 0)),
    ("any([a > 0, b > 0])", (-1, 2)), ("all([a > 0, True])", (1, 0)),
    ("any([a > 0, 1])", (-1, 0)), ("all([a > 0, 0])", (1, 0)), ("abs(a - b)", (1, 4)),
    ("max(a, 3) if a > 0 else min(b, 0)", (-1, 2)), ("max(a, 3) if a > 0 else min(b, 0)", (1, 2)),
]


@pytest.mark.parametrize("expr, ab", EXPRESSIONS, ids=[f"{e} {ab}" for e, ab in EXPRESSIONS])
def test_builtins_agree_with_python(expr, ab):
    assert_agrees(f"def f(a, b, arr, iarr):\n    return {expr}\n", [(*ab, ARR, IARR)],
                  modes=MODES)


def test_builtins_in_staged_control_flow():
    assert_agrees("""\
def f(a, arr):
    total = 0.0
    for i in range(len(arr)):
        if max(arr[i], a) > 1:
            total += float(min(arr[i], 2))
    while int(a) < 5 and any(arr > a):
        a = a + 1
    return total, a
""", [(0.5, ARR), (4.0, ARR)], modes=MODES)


def test_plain_values_keep_python_semantics_exactly():
    """Results, exception types and messages, and the use of each argument once."""
    assert_agrees("""\
def f(n, s):
    out = [len({'a': 1}), max([], default=n), min('abc'), int(s, 8), float('inf'),
           sum([[1], [2]], []), any(x > n for x in range(3)), all([]), bool([]),
           max(range(n + 1), key=lambda v: -v), int(), float(), bool()]
    it = iter([3, 1, 2])
    out.append(max(it))
    out.append(list(it))
    if n > 5:
        return max([])
    if n > 3:
        return float('x')
    return out
""", [(1, "17"), (4, "17"), (6, "17")], modes=("python",))


@pytest.mark.parametrize("expr, message", [
    ("max(a, b, key=abs)", r"key=.*np\.argmax"),
    ("float(arr)", r"float\(\) of a tensor of shape \(3,\).*astype"),
    ("max(mat)", r"rank 2.*t\.max\(\)"),
    ("any(mat)", r"rank 2.*t\.any\(\)"),
])
def test_what_has_no_tensor_meaning_is_a_staging_error(expr, message):
    f = autograph.function(_module_function(f"def f(a, b, arr, mat):\n    return {expr}\n"))
    with pytest.raises(autograph.StagingError, match=message):
        f(np.int64(1), np.int64(2), ARR, np.ones((2, 2)))


def test_0d_tensors_are_not_iterable_nor_sized():
    f = autograph.function(_module_function("def f(a):\n    return len(a)\n"))
    with pytest.raises(TypeError, match="0-d tensor"):
        f(np.float64(1.0))


def test_len_of_an_unknown_first_dimension_is_a_tensor():
    from autograph.runtime import py_builtins

    with engine.Graph().as_default():
        t = engine.placeholder(np.float64, (None, 3))
        n = py_builtins.len_(t)
        assert engine.is_tensor(n) and n.dtype == np.int64
        assert py_builtins.len_(engine.placeholder(np.float64, (4, None))) == 4


def test_shadowed_builtins_stay_as_they_are():
    mod = _module("""
        len = lambda x: 'module len'

        def f(x, max):
            return len(x), max(x), min(x)

        def g(x):
            sum = lambda v: 'local sum'
            return sum(x)
    """)
    code_f = autograph.to_code(mod.f)
    assert "ag__.len_" not in code_f and "ag__.max_" not in code_f and "ag__.min_(" in code_f
    assert "ag__.sum_" not in autograph.to_code(mod.g)
    assert autograph.to_graph(mod.f)([3, 1], lambda v: 'param max') == (
        'module len', 'param max', 1)
    assert autograph.to_graph(mod.g)([1]) == 'local sum'


def test_plain_overhead_is_one_call():
    """The overloads call the builtin first: no type test runs before it."""
    from autograph.runtime import py_builtins

    calls = []

    class Sized:
        def __len__(self):
            calls.append(1)
            return 7

    assert py_builtins.len_(Sized()) == 7 and calls == [1]


_count = iter(range(10**6))


def _module(source):
    import importlib.util
    import sys
    import tempfile
    import textwrap
    from pathlib import Path

    name = f"ag_builtin_calls_{next(_count)}"
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _module_function(source):
    return _module(source).f
