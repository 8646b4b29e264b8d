"""`match` on a tensor (converters/match_statements.py): a StagingError naming the subject."""

import importlib.util

import numpy as np
import pytest

import autograph
from tests.fuzz.oracle import assert_agrees, have_jax

SOURCE = """\
def f(x, n):
    match x:
        case 1:
            return 10
        case (a, b):
            return a + b
        case _:
            return 20

def g(x, n):
    match (x, n):
        case (1, 2):
            return 1
    return 0

def h(x, n):
    match n:
        case 1:
            return x + 'text'
        case _:
            return x

def k(x, n):
    match n:
        case 1:
            return n + 'text'
    return x
"""


@pytest.fixture
def mod(tmp_path):
    path = tmp_path / "match_mod.py"
    path.write_text(SOURCE)
    spec = importlib.util.spec_from_file_location("match_mod", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name, subject", [("f", "x"), ("g", r"\(x, n\)")])
def test_tensor_subject_is_a_staging_error(mod, name, subject):
    with pytest.raises(autograph.StagingError) as info:
        autograph.function(getattr(mod, name))(np.int64(1), 2)
    message = str(info.value)
    assert f"match_mod.py:{2 if name == 'f' else 11}:" in message
    assert f"`match {subject.replace(chr(92), '')}`" in message and "if/elif" in message


def test_other_type_errors_are_left_alone(mod):
    # a TypeError of a case body (a tensor plus a string) is not the match's
    with pytest.raises(TypeError) as info:
        autograph.function(mod.h)(np.int64(1), 1)
    assert not isinstance(info.value, autograph.StagingError)
    with pytest.raises(TypeError, match="unsupported operand"):  # plain values: as Python
        autograph.to_graph(mod.k)(1, 1)


@pytest.mark.parametrize("n", [1, (2, 3), 5])
def test_python_values_match_as_in_python(n):
    assert_agrees(SOURCE, [(n, 0)], modes=("python",))


def test_a_python_subject_in_staged_code_still_matches():
    modes = ("graph",) + (("jax",) if have_jax() else ())
    assert_agrees(SOURCE.replace("def f", "def unused").replace("def k", "def f"),
                  [(np.float64(2.0), 3)], modes=modes)
