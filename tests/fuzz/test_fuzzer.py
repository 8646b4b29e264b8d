"""The fuzzer itself: the generator reaches every construct, its programs terminate and are
deterministic, the oracle catches a broken compiler, and the shrinker shrinks."""

import collections

import pytest

import autograph
from tests.differential.harness import run
from tests.fuzz import campaign, gen, oracle, reduce

MARKERS = {
    "if": "if ", "elif": "elif ", "else": "else:", "while": "while ", "for range": "in range(",
    "for list": "in [", "for array": "in arr:", "enumerate": "enumerate(", "break": "break",
    "continue": "continue", "return in a block": "        return", "and": " and ",
    "or": " or ", "not": "not (", "ternary": " else ", "augassign": "+= ",
    "guarded read": " if h", "append": "out.append(", "print": "print(",
    "int helper": "def g", "float helper": "def f0(", "array helper": "def a",
    "helper call": "g0(", "array expr": "np.where(", "array setitem": "acc[",
    "array reduction": ".sum()", "array condition": ".any()", "bool param": "flag",
    "float": "0.5", "maybe undefined": "= v",
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_generator_reaches_every_construct_and_programs_are_deterministic():
    seen = collections.Counter()
    for seed in range(150):
        prog = gen.generate(seed, gen.python_config())
        for name, marker in MARKERS.items():
            seen[name] += marker in prog.source
        fn = prog.load()
        for args in prog.input_sets():
            a, b = run(fn, args, {}), run(fn, args, {})  # terminates, and the same twice
            assert (a.stdout, repr(a.value), repr(a.exc)) == (b.stdout, repr(b.value),
                                                               repr(b.exc))
    rare = [name for name in MARKERS if seen[name] < 3]
    assert not rare, f"rarely or never generated: {rare} ({dict(seen)})"


def test_staged_configs_leave_out_what_tensors_mean_differently():
    for seed in range(60):
        src = gen.generate(seed, gen.staged_config(jax=True)).source
        assert "np.where" not in src  # min/max/float/len stage (runtime/py_builtins.py)
        assert not any(line.strip().startswith(("x = v", "y = v", "z = v"))
                       for line in src.splitlines())


def test_same_seed_same_program():
    assert gen.generate(7).source == gen.generate(7).source
    assert gen.generate(7).source != gen.generate(8).source
    a, _ = campaign.build(3, 11, ["python", "graph"], 0.5)
    b, _ = campaign.build(3, 11, ["python", "graph"], 0.5)
    assert a.source == b.source


def _first_divergence(config, modes, n=60):
    for seed in range(n):
        prog = gen.generate(seed, config)
        divs = oracle.check_program(prog.load(), prog.input_sets(), modes, stop_at_first=True)
        if divs:
            return divs[0]
    return None


def test_oracle_catches_a_broken_range(monkeypatch):
    """A mutant compiler (`range` that drops its last element) is caught at once."""
    real = autograph.runtime.py_range

    def short_range(*args):
        r = real(*args)
        return r[:-1]

    monkeypatch.setattr(autograph.runtime, "py_range", short_range)
    div = _first_divergence(gen.python_config(), ["python"])
    assert div is not None and div.signature.startswith("python:")


def test_oracle_catches_a_broken_staged_if(monkeypatch):
    """A mutant staged `if` (branches swapped) is caught in graph mode."""
    real = autograph.runtime.if_stmt

    def swapped(cond, body, orelse, *rest):
        return real(cond, orelse, body, *rest)

    monkeypatch.setattr(autograph.runtime, "if_stmt", swapped)
    div = _first_divergence(gen.staged_config(), ["graph"])
    assert div is not None and div.mode == "graph"


def test_oracle_accepts_only_staging_errors_that_name_a_variable(module):
    mod = module("""
        def f(x):
            if x > 0:
                y = 1
            return y
    """)
    import numpy as np

    divs = oracle.check_program(mod.f, [(np.int64(1),)], ["graph"], expand=False)
    assert divs == []  # 'y' is named: accepted
    err = autograph.StagingError("the staged loop went wrong", origin=None)
    assert not oracle.accepted_staging_error(mod.f, err)
    assert oracle.accepted_staging_error(mod.f, autograph.StagingError("'y' is undefined"))
    assert oracle.accepted_staging_error(mod.f, autograph.StagingError("a return in a loop"))


def test_oracle_flags_a_fallback_to_unconverted_code(module, monkeypatch):
    mod = module("def f(x):\n    return x + 1\n")

    def refuse(*a, **k):
        raise autograph.ConversionError("refused for the test")

    monkeypatch.setattr(autograph.conversion, "convert", refuse)
    divs = oracle.check_program(mod.f, [(1,)], ["python"])  # the oracle records the warning
    assert [d.signature for d in divs] == ["python: ran unconverted"]


def test_shrinker_finds_the_smallest_failing_program():
    src = "\n".join([
        "def f(a, b):",
        "    x = a + 1",
        "    y = b * 2",
        "    for i in range(3):",
        "        if i > a:",
        "            x += i",
        "        else:",
        "            y -= (a + b) * 3",
        "    z = x + y",
        "    return z",
    ]) + "\n"

    def fails(text):  # "the bug": any program that multiplies by 3
        return "* 3" in text and "def f" in text

    small = reduce.shrink(src, fails, timeout=1.0)
    assert "* 3" in small and small.count("\n") <= 3, small


def test_regression_test_text_is_valid_python():
    import numpy as np

    text = campaign.regression_test("x", "def f(a):\n    return '''a'''\n",
                                    (1, np.array([1.5])), "python", "key")
    compile(text, "<regression>", "exec")
    assert "np.array([1.5], dtype=np.float64)" in text


@pytest.fixture
def module(tmp_path):
    import importlib.util
    import itertools
    import sys

    counter = itertools.count()

    def load(source):
        name = f"fuzzer_test_mod_{next(counter)}"
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
        return mod

    import textwrap

    return lambda source: load(textwrap.dedent(source))
