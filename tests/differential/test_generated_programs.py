"""Property-based differential tests: random programs, converted vs unconverted.

Python mode runs by default (200 int programs, 50 with floats and helpers). Graph and jax modes
over the staging grammar (`GenConfig.for_staging()`) are marked slow: `pytest -m slow`.
AUTOGRAPH_FUZZ_EXAMPLES=N raises the number of examples for a longer run.
"""

import collections
import os

import pytest
from hypothesis import HealthCheck, note, settings
from hypothesis import given as hgiven

from . import program_gen
from .harness import check, run

N_EXAMPLES = int(os.environ.get("AUTOGRAPH_FUZZ_EXAMPLES", "200"))

_SETTINGS = settings(
    max_examples=N_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


def _check_program(prog):
    note(prog.source)
    note(f"inputs: {prog.inputs!r}")
    fn = prog.load()
    for args in prog.input_sets():
        check(fn, args, mode="python")


@_SETTINGS
@hgiven(program_gen.programs(program_gen.GenConfig()))
def test_generated_int_programs(prog):
    _check_program(prog)


@settings(_SETTINGS, max_examples=max(N_EXAMPLES // 4, 10))
@hgiven(program_gen.programs(program_gen.GenConfig(floats=True, helpers=2)))
def test_generated_float_programs(prog):
    _check_program(prog)


def test_generator_covers_the_constructs():
    """Seeded programs (no hypothesis, no compiler): the grammar reaches every construct, and
    the programs terminate and are deterministic."""
    seen = collections.Counter()
    markers = {
        "if": "if ", "elif": "elif ", "else": "else:", "while": "while ", "for": "for ",
        "break": "break", "continue": "continue", "return": "        return", "and": " and ",
        "or": " or ", "not": "not (", "ternary": " else ", "augassign": "+= ",
        "guarded read": " if h", "guarded cond": "(h", "enumerate": "enumerate(",
        "append": "out.append(", "print": "print(", "helper call": "g0(", "chained": "<= ",
    }
    for seed in range(200):
        prog = program_gen.generate(seed)
        for name, marker in markers.items():
            if marker in prog.source:
                seen[name] += 1
        fn = prog.load()
        for args in prog.input_sets():
            a, b = run(fn, args, {}), run(fn, args, {})
            assert (a.stdout, repr(a.value), repr(a.exc)) == (b.stdout, repr(b.value), repr(b.exc))
    missing = [name for name in markers if seen[name] < 5]
    assert not missing, f"constructs rarely or never generated: {missing} ({dict(seen)})"


_STAGED_CFG = program_gen.GenConfig.for_staging()


def _check_staged(prog, mode):
    note(prog.source)
    note(f"inputs: {prog.inputs!r}")
    fn = prog.load()
    for args in prog.input_sets():
        # random programs define variables in some branches and break Python loops on tensor
        # conditions: a StagingError that names a variable is an accepted outcome there
        check(fn, args, mode=mode, stageable=False)


@pytest.mark.slow
@settings(_SETTINGS, max_examples=max(N_EXAMPLES // 2, 10))
@hgiven(program_gen.programs(_STAGED_CFG))
def test_generated_programs_graph_mode(prog):
    _check_staged(prog, "graph")


@pytest.mark.slow
@pytest.mark.jax
@settings(_SETTINGS, max_examples=max(N_EXAMPLES // 2, 10))
@hgiven(program_gen.programs(_STAGED_CFG))
def test_generated_programs_jax_mode(prog):
    pytest.importorskip("jax")
    _check_staged(prog, "jax")
