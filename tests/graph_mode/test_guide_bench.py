"""bench/guide_bench.py runs (in --quick mode) and reports every row. No timing assertions."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_guide_bench_quick_run(tmp_path):
    out = tmp_path / "guide.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "guide_bench.py"), "--quick",
                           "--hotspots", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text())
    assert [r["key"] for r in data["rows"]] == ["4", "1000", "100000"]
    for r in data["rows"]:
        assert set(r["per_call"]) == {"original", "converted", "graph", "compiled graph alone"}
        assert all(v > 0 for v in r["per_call"].values())
        assert r["ratio_converted"] > 0 and r["ratio_graph"] > 0
        assert f"| {r['input']} | 100 |" in proc.stdout
    assert set(data["first_call"]) == {"cold", "4", "1000", "100000"}
    assert "first call of graph mode" in proc.stdout
    assert len(data["hotspots"]) == 10 and "def _graph_sum_even(items):" in proc.stdout
    assert "items.tolist()" in proc.stdout  # sum_even runs on Python ints (scalar_loops.py)
