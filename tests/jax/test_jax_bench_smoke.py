"""bench/jax_bench.py runs (one small size, one repeat) and prints both tables. No timing checks."""

import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("jax")

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_jax_bench_quick_run():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "jax_bench.py"), "--sizes", "10", "--repeat", "1",
         "--calls", "3"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [ln for ln in proc.stdout.splitlines() if ln.startswith("| 10 |")]
    assert len(rows) == 2, proc.stdout
    assert all(ln.rstrip().endswith("| yes |") for ln in rows), proc.stdout  # same HLO
