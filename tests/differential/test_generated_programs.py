"""Property-based differential tests: random programs, converted vs unconverted (Python mode).

The number of examples can be raised for a longer run with AUTOGRAPH_FUZZ_EXAMPLES=N.
"""

import collections
import os

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
