"""The dtype of a value chosen by a staged `if` or ternary (docs/graph_mode.md, "Branch values
and their dtypes"; docs/jax.md): every pair of kinds, in both branch orders, converted against
the original in Python, graph and JAX modes, and against the documented rule.

The rule (NEP 50 / JAX weak types): a tensor keeps its dtype; a Python number takes the other
side's dtype when it fits it (a bool a bool; an int an int tensor it fits in or a float one; a
float a float one); two Python numbers of different kinds join as the wider one (`3 if c else
2.5` is a float); anything else is a StagingError naming the variable (or the expression).
"""

import importlib.util
import itertools
import re

import numpy as np
import pytest

import autograph
from tests.fuzz.oracle import assert_agrees, have_jax

MODES = ("python", "graph") + (("jax",) if have_jax() else ())

# a branch value, in terms of the arguments x (a float) and n (an int)
VALUES = {"py_bool": "True", "py_int": "3", "py_float": "2.5",
          "bool_tensor": "x > 0", "int_tensor": "n + 1", "float_tensor": "x * 2.0"}
WEAK = {"py_bool": "b", "py_int": "i", "py_float": "f"}
STRONG = {"bool_tensor": "b", "int_tensor": "i", "float_tensor": "f"}


def expected_kind(a, b):
    """The documented rule: the dtype kind of the joined value, or None (a StagingError)."""
    if a == b:
        return (WEAK.get(a) or STRONG[a])
    if a in STRONG and b in STRONG:
        return None
    if a in WEAK and b in WEAK:
        if "b" in (WEAK[a], WEAK[b]):
            return None
        return max(WEAK[a], WEAK[b], key="if".index)
    weak, strong = (WEAK[a], STRONG[b]) if a in WEAK else (WEAK[b], STRONG[a])
    fits = {"b": "b", "i": "if", "f": "f"}[weak]
    return strong if strong in fits else None


PAIRS = list(itertools.product(VALUES, VALUES))
FORMS = {
    "if": "def f(x, n):\n    if x > 1:\n        y = {a}\n    else:\n        y = {b}\n"
          "    return y\n",
    "ternary": "def f(x, n):\n    y = {a} if x > 1 else {b}\n    return y\n",
}
INPUTS = [(np.float64(2.0), np.int64(4)), (np.float64(0.5), np.int64(-2))]


def _load(source, tmp_path, name):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f, str(path)


def _staged(mode, fn):
    if mode == "graph":
        return autograph.function(fn)(*INPUTS[0]), autograph.function(fn)(*INPUTS[1])
    import jax

    jitted = jax.jit(autograph.to_graph(fn))
    return tuple(jitted(np.float32(x), np.int32(n)) for x, n in INPUTS)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("a, b", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_branch_values_join_by_the_documented_rule(form, a, b, tmp_path):
    source = FORMS[form].format(a=VALUES[a], b=VALUES[b])
    # the converted function agrees with the original (or refuses with a StagingError that
    # names a variable), in every mode
    assert_agrees(source, INPUTS, modes=MODES)
    fn, path = _load(source, tmp_path, f"join_{form}_{a}_{b}")
    kind = expected_kind(a, b)
    for mode in ("graph",) + (("jax",) if have_jax() else ()):
        if kind is None:
            with pytest.raises(autograph.StagingError) as info:
                _staged(mode, fn)
            message = str(info.value)
            assert message.startswith(f"{path}:"), message  # the user's file:line
            assert "Fix:" in message
            if form == "if":
                assert info.value.variable == "y" and "'y'" in message
            else:
                assert "`x > 1`" in message  # the expression, by its test
            continue
        outs = _staged(mode, fn)
        for out, (x, n) in zip(outs, INPUTS, strict=True):
            got = np.asarray(out)
            assert got.dtype.kind == kind, (mode, got.dtype)
            want = fn(x, n)
            assert got == want, (mode, got, want)


@pytest.mark.parametrize("a, b", [p for p in PAIRS if p[0] < p[1]])
def test_both_branch_orders_agree(a, b, tmp_path):
    """`u if c else v` and `v if not c else u` stage the same dtype, or both refuse."""
    results = []
    for first, second, test in ((a, b, "x > 1"), (b, a, "not x > 1")):
        source = f"def f(x, n):\n    return {VALUES[first]} if {test} else {VALUES[second]}\n"
        fn, _ = _load(source, tmp_path, f"order_{first}_{second}")
        try:
            results.append([np.asarray(v).dtype for v in _staged("graph", fn)])
        except autograph.StagingError:
            results.append("StagingError")
    assert results[0] == results[1]


def test_a_python_number_keeps_the_dtype_of_a_loop_variable(tmp_path):
    """Two numbers that both fit the variable's dtype before the if take it (a staged loop
    carries one dtype)."""
    source = ("def f(x):\n    s = 0.0\n    for v in x:\n        if v > 0:\n            s = 1\n"
              "        else:\n            s = 2\n    return s\n")
    assert_agrees(source, [(np.array([1.0, -2.0]),), (np.array([3.0]),)], modes=MODES)
    fn, _ = _load(source, tmp_path, "loop_hint")
    out = autograph.function(fn)(np.array([1.0, -2.0]))
    assert np.asarray(out).dtype == np.float64 and out == 2.0


@pytest.mark.parametrize("a, b", [("n.astype(np.int32)", "n"), ("x.astype(np.float32)", "x"),
                                  ("n", "x"), ("2 ** 40", "n.astype(np.int32)")])
def test_tensors_of_different_dtypes_are_refused(a, b, tmp_path):
    for first, second in ((a, b), (b, a)):
        source = (f"import numpy as np\n\ndef f(x, n):\n    if x > 1:\n        y = {first}\n"
                  f"    else:\n        y = {second}\n    return y\n")
        fn, path = _load(source, tmp_path, f"strong_{abs(hash((first, second)))}")
        with pytest.raises(autograph.StagingError, match=re.escape(path)) as info:
            autograph.function(fn)(*INPUTS[0])
        assert info.value.variable == "y"
        assert "Fix:" in str(info.value)
