"""Every corpus case, every input set, every applicable mode: original vs converted."""

import ast
import importlib
import pathlib

import pytest

from .harness import CASES, IDENTITY, _api, check

for _path in sorted(pathlib.Path(__file__).parent.glob("corpus_*.py")):
    importlib.import_module(f"{__package__}.{_path.stem}")


def _params():
    for c in CASES.values():
        for i in range(len(c.inputs)):
            for mode in c.modes:
                marks = [pytest.mark.jax] if mode == "jax" else []
                yield pytest.param(c, i, mode, id=f"{c.name}-{i}-{mode}", marks=marks)


@pytest.mark.parametrize("case,index,mode", list(_params()))
def test_corpus(case, index, mode):
    inp = case.inputs[index]
    check(case.fn, inp.args, inp.kwargs, mode, **case.options)


def test_corpus_size():
    assert len(CASES) >= 170, len(CASES)
    for c in CASES.values():
        assert 1 <= len(c.inputs) <= 8, c.name


@pytest.mark.parametrize("case", list(CASES.values()), ids=lambda c: c.name)
def test_to_code_is_valid_python(case):
    """`to_code` works on every corpus function and gives source that parses."""
    if IDENTITY:
        pytest.skip("identity mode: no compiler")
    code = _api("to_code")(case.fn)
    assert isinstance(code, str) and code.strip()
    ast.parse(code)
