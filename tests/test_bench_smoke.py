"""The benchmark script runs (in --quick mode) and reports every row. No timing assertions."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "conversion_bench.py"

ROW_KEYS = [
    "cold_median", "cold_largest", "cache_hit",
    "runtime_loop_with_if", "runtime_nested_break_continue", "runtime_early_return",
    "runtime_while_and", "runtime_loop_calling_helper", "tokens",
]


def _load_bench():
    spec = importlib.util.spec_from_file_location("ag_conversion_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, json.loads(out.read_text())


def test_quick_run_prints_every_row(quick_run):
    stdout, data = quick_run
    assert [r["key"] for r in data["rows"]] == ROW_KEYS
    for r in data["rows"]:
        assert r["label"] in stdout


def test_our_column_is_measured(quick_run):
    _, data = quick_run
    missing = [r["key"] for r in data["rows"] if r["ours"] is None]
    assert not missing, (missing, data["detail"]["notes"])
    assert all(r["ours"] > 0 for r in data["rows"])


def test_corpus_converts_everywhere(quick_run):
    _, data = quick_run
    m = re.match(r"(\d+) functions of (\d+)-(\d+) lines \((\d+) converted", data["meta"]["corpus"])
    total, shortest, longest, converted = map(int, m.groups())
    assert total >= 21 and shortest >= 5 and longest <= 60
    assert converted == total, data["detail"]["notes"]


def test_malt_column_or_a_note(quick_run):
    stdout, data = quick_run
    if importlib.util.find_spec("malt") is None:
        assert "pip install diastatic-malt" in stdout
        assert all(r["malt"] is None for r in data["rows"])
    else:
        assert all(r["malt"] is not None for r in data["rows"])
        assert all(r["ratio"] is not None for r in data["rows"] if r["ours"] is not None)


def test_fresh_copies_defeat_code_object_equality(tmp_path):
    bench = _load_bench()
    try:
        a = bench.fresh_copy("numeric", "a", 1, tmp_path)
        b = bench.fresh_copy("numeric", "b", 4, tmp_path)
        orig = bench.load_module(bench.CORPUS_DIR / "numeric.py", "ag_bench_smoke_numeric")
        codes = [m.collatz_steps.__code__ for m in (a, b, orig)]
        assert codes[0] != codes[1] and codes[0] != codes[2] and codes[1] != codes[2]
        assert a.collatz_steps(27) == orig.collatz_steps(27)
    finally:
        for name in bench._loaded_names:
            sys.modules.pop(name, None)


def test_count_tokens_ignores_layout_and_comments():
    bench = _load_bench()
    assert bench.count_tokens("def f(x):\n    # c\n\n    return x + 1\n") == 10
