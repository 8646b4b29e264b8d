"""Staged units (autograph/staging.py) in corner cases the fuzzer found (issue 6): converted
against the original in Python, graph and JAX modes."""

import numpy as np
import pytest

from tests.fuzz.oracle import assert_agrees, have_jax

MODES = ("python", "graph") + (("jax",) if have_jax() else ())
STAGED = ("graph",) + (("jax",) if have_jax() else ())


@pytest.mark.parametrize("update", ["acc[0] = 3", "acc[0] += 3", "acc[i] = v + acc[-1]",
                                    "acc[0], acc[1] = 3, 4"])
def test_item_assignment_in_the_continuation_of_a_returning_if(update):
    # the continuation runs in `ag__inner`, which must rebind `acc` (nonlocal)
    assert_agrees(f"""\
def f(arr):
    acc = arr * 1.0
    for i, v in enumerate((5, 6)):
        if (arr > 1).any():
            return acc * 0
        {update}
    return acc
""", [(np.array([1.5, 0.0, -2.25]),), (np.array([0.5, 0.0]),)], modes=MODES)


@pytest.mark.parametrize("expr, modes", [
    # a float or a bool: refused (StagingError) in graph mode and on jax alike (jax's own
    # `where` would promote the bool to float: the branch dtype rule comes first)
    ("1.5 if c > 0 else 2 <= a[0] != 0", MODES),
    ("(a[0] < a[1] < 5) if c > 0 else False", MODES),
    ("a[0] if c > 0 else (a[0] if 0 < a[1] < 9 else a[1])", MODES),
])
def test_ternary_with_a_chained_comparison_in_a_branch(expr, modes):
    assert_agrees(f"def f(c, a):\n    d = {expr}\n    return d\n",
                  [(1, np.array([3.0, 4.0])), (-1, np.array([3.0, 4.0])),
                   (-1, np.array([1.0, 0.0]))], modes=modes)


def test_a_user_walrus_read_after_the_ternary_keeps_python_semantics():
    assert_agrees("""\
def f(c, a):
    d = (y := a + 1) if c > 0 else 0
    e = 1 if c > 0 else (z := 2) + 1
    return d, y if c > 0 else None, e, z if c <= 0 else None
""", [(1, 2), (-1, 2)], modes=("python",))


@pytest.mark.parametrize("stmt, body", [("if", "n = 1"), ("while", "n += 1\n        break"),
                                        ("if", "n = 1\n    else:\n        n = 2")])
def test_a_test_that_is_a_python_value_again_once_staged(stmt, body):
    # `0 if t else 0` is 0 whatever t holds: the test of the statement is a plain bool
    for test in ("0 < (0 if arr.sum() >= 0 else 0)", "(1 if arr.sum() >= 0 else 1) > 0"):
        assert_agrees(f"""\
def f(arr):
    n = 0
    {stmt} {test}:
        {body}
    return n
""", [(np.array([1.0]),), (np.array([-1.0]),)], modes=MODES)


@pytest.mark.parametrize("expr, args", [
    ("r and True", (2,)), ("r or 1.5", (0,)), ("1.5 if r > 0 else r", (1,)),
    ("r * 1.5 if r > 0 else True", (1,)), ("True if r > 0 else r", (-1,)),
])
def test_a_value_whose_dtype_depends_on_a_tensor_is_a_staging_error(expr, args):
    """Python's result has one type or the other depending on r's value; a staged value has
    one dtype. The oracle accepts only a StagingError that names a variable of the program
    (here `r`, in the user's line that the error quotes)."""
    import autograph

    assert_agrees(f"def f(r):\n    v = {expr}\n    return v\n", [args], modes=("graph",))
    ns = {}
    exec(compile(f"def f(r):\n    v = {expr}\n    return v\n", "<dtype test>", "exec"), ns)
    with pytest.raises(autograph.StagingError, match="dtype would depend on the value of a "
                       "tensor"):
        autograph.function(_from_file(ns["f"], expr))(np.int64(args[0]))


def test_a_variable_whose_dtype_depends_on_a_tensor_names_it():
    import autograph

    f = _from_file(None, None, "def f(r):\n    if r > 0:\n        v = 1.5\n    else:\n"
                   "        v = r\n    return v\n")
    with pytest.raises(autograph.StagingError, match=r"'v' is the Python float 1\.5.*int64"):
        autograph.function(f)(np.int64(1))


def test_python_numbers_still_take_the_tensor_dtype():
    import autograph

    assert_agrees("def f(r):\n    v = r if r > 0 else 3\n    return v\n", [(2,), (-2,)],
                  modes=MODES)
    # a Python int chosen against a float tensor becomes that float (numerically equal), in
    # either order of the branches
    for expr in ("r * 1.5 if r > 0 else 3", "3 if r < 0 else r * 1.5"):
        f = _from_file(None, expr)
        out = autograph.function(f)(np.int64(-2))
        assert out == 3.0 and np.asarray(out).dtype == np.float64


_count = iter(range(10**6))


def _from_file(_fn, expr, source=None):
    import importlib.util
    import sys
    import tempfile
    from pathlib import Path

    source = source or f"def f(r):\n    v = {expr}\n    return v\n"
    name = f"ag_staged_units_{next(_count)}"
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod.f


@pytest.mark.parametrize("stmt", ["acc[0], acc[1] = 3, 4", "acc[0], (b, acc[i]) = 3, (4, 5)",
                                  "acc[-1], *rest = [7.0, 8, 9]", "[acc[0], b] = b, acc[1]"])
def test_unpacking_into_items_of_an_immutable_array(stmt):
    # outside staged code (the fast form) and inside a staged if (the functional form)
    assert_agrees(f"""\
def f(arr):
    acc = arr * 1.0
    b, i, rest = 0, 1, None
    {stmt}
    if arr.sum() > 0:
        {stmt}
        acc = acc * 2
    return acc, b, rest
""", [(np.array([1.5, 0.0, -2.25]),), (np.array([4.5, 1.0, 2.0]),)], modes=MODES)


@pytest.mark.parametrize("x", [3, -3, 0])
def test_a_returning_staged_if_writes_nonlocals_back(x):
    # the staged rest of `f` returns from it: its handler writes `count` back first
    assert_agrees("""\
def f(x):
    count = 0
    seen = [0]

    def g(x):
        nonlocal count
        count += 1
        if x > 0:
            count += 10
            return x * 2
        count = count + 100
        return x

    r = g(x)
    return r, count
""", [(x,)], modes=MODES)
