"""The README's promises: CI runs its test command, and its example runs as shown."""

import contextlib
import importlib
import io
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_ci_runs_the_readme_test_command():
    commands = [line.strip() for line in _blocks("bash")[0].splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    test_command = next(c for c in commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text().replace(" -q ", " ")  # CI installs quietly
    assert test_command in ci


def test_the_readme_example_runs(tmp_path, monkeypatch):
    # As a module of its own: autograph reads a function's source from its file.
    (example,) = _blocks("python")
    (tmp_path / "readme_example.py").write_text(example)
    monkeypatch.syspath_prepend(str(tmp_path))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module = importlib.import_module("readme_example")
    assert module.sum_even(np.array([10, 12, 15, 20])) == 42
    assert "def sum_even(items):" in out.getvalue()  # the printed converted source
