"""Every example in examples/ runs (in a subprocess) and prints its key lines; docs/examples.md
shows each example's code verbatim and its output, checked against a real run (`...` in a
shown output matches anything, as in doctest's ELLIPSIS).

After changing an example, or when the converted code it prints changes, rewrite the doc's
code and output blocks from real runs with:

    python tests/test_examples.py --update
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOC = ROOT / "docs" / "examples.md"

# Lines each example must print (whole lines, in this order, among others).
KEY_LINES = {
    "quickstart.py": [
        "def collatz_steps(n):",
        "        while n != 1:",
        "collatz_steps(6) = 8",
        "collatz_steps(27) = 111",
        "collatz_steps(97) = 118",
        "one trace: 1, 6 graph operations (a staged while loop with a cond inside, whatever n "
        "is)",
    ],
    "eager_vs_graph.py": [
        "same result: True",
        "graph ops: ['Placeholder', 'Placeholder', 'matmul', 'maximum']",
    ],
    "square_if_positive.py": [
        "Python values: 81 0",
        "def square_if_positive(x):",
        "graph.run: 81 0",
        "ops: ['Cond', 'Placeholder', 'greater']",
    ],
    "sum_even.py": [
        "42",
        "249500",
        "def sum_even(items):",
        "traces: 2 - operations per graph: 4 and 4 (the loop is one While operation, whatever "
        "the length)",
    ],
    "traced_print.py": [
        "Traced with <Tensor 'x:0' shape=() dtype=int64>",
        "Executed with 0",
        "Executed with 1",
        "Executed with 2",
    ],
    "polymorphic_double.py": [
        "Tracing with <Tensor 'a:0' shape=() dtype=int64>",
        "2",
        "Tracing with <Tensor 'a:0' shape=() dtype=float64>",
        "2.2",
        "Tracing with <Tensor 'a:0' shape=(2,) dtype=int64>",
        "[2 4]",
        "[6 8]",
        "traces: 3",
    ],
    "input_signature.py": [
        "Tracing with <Tensor 'x:0' shape=(None,) dtype=int32>",
        "[ 4  1 10]",
        "[ 5 34]",
        "ValueError: next_collatz(): argument 'x' has shape (2, 2), but the input_signature "
        "expects (None,) (TensorSpec(shape=(None,), dtype=int32))",
    ],
    "autograph_switch.py": [
        "0.125 2.5",
    ],
    "scalar_model.py": [
        "5 10",
    ],
    "print_element.py": [
        "1",
        "2",
        "3",
        "[1.5 2.5]",
        "[3.5 4.5]",
    ],
    "training_loop.py": [
        "weights: [ 1.5   -1.999  0.5  ] loss below 1e-6: True steps: 48",
        "after 5 steps: loss 0.84 steps: 5",
        "traces: 1",
    ],
}

# Lines that must start this way (their tail is a message or a timing).
KEY_PREFIXES = {
    "eager_vs_graph.py": ["eager ", ],
    "input_signature.py": ["ValueError: next_collatz(): argument 'x' has dtype float64"],
    "autograph_switch.py": ["TypeError: autograph engine: the truth value of graph tensor"],
}


def example_files() -> list:
    return sorted(p.name for p in EXAMPLES.glob("*.py"))


_outputs: dict = {}


def run_example(name: str) -> str:
    if name not in _outputs:
        env = dict(os.environ, PYTHONHASHSEED="0")
        proc = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True,
                              text=True, timeout=240, cwd=ROOT, env=env)
        assert proc.returncode == 0, f"{name} failed:\n{proc.stdout}\n{proc.stderr}"
        assert "Warning" not in proc.stderr, proc.stderr
        _outputs[name] = proc.stdout
    return _outputs[name]


# docs/examples.md: sections introduced by `<!-- example: NAME.py -->`, then a ```python block
# (the file, verbatim) and a ```text block (its output).
_SECTION = re.compile(r"<!-- example: (?P<name>[\w.]+) -->(?P<body>.*?)(?=<!-- example: |\Z)",
                      re.S)
_BLOCK = re.compile(r"```(?P<lang>python|text)\n(?P<text>.*?)```", re.S)


def doc_sections(text: str) -> dict:
    sections = {}
    for m in _SECTION.finditer(text):
        blocks = {b["lang"]: (b.start("text") + m.start("body"), b["text"])
                  for b in _BLOCK.finditer(m["body"])}
        sections[m["name"]] = blocks
    return sections


def output_matches(shown: str, actual: str) -> bool:
    return doctest.OutputChecker().check_output(shown, actual, doctest.ELLIPSIS)


# Tests --------------------------------------------------------------------------------------


def test_every_example_has_key_lines():
    assert set(KEY_LINES) == set(example_files()), "add the new example's key lines here"


@pytest.mark.parametrize("name", example_files())
def test_example_runs_and_prints_key_lines(name):
    lines = run_example(name).splitlines()
    pos = 0
    for want in KEY_LINES[name]:
        assert want in lines[pos:], f"{name}: {want!r} not printed (in order):\n" + "\n".join(
            lines)
        pos = lines.index(want, pos) + 1
    for prefix in KEY_PREFIXES.get(name, []):
        assert any(line.startswith(prefix) for line in lines), (name, prefix, lines)


def test_doc_shows_every_example():
    sections = doc_sections(DOC.read_text())
    assert sorted(sections) == example_files()
    for name, blocks in sections.items():
        assert set(blocks) == {"python", "text"}, f"{name}: needs a python and a text block"


@pytest.mark.parametrize("name", example_files())
def test_doc_code_is_the_example_file(name):
    blocks = doc_sections(DOC.read_text())[name]
    assert blocks["python"][1] == (EXAMPLES / name).read_text(), (
        f"docs/examples.md shows an old {name}: run `python tests/test_examples.py --update`")


@pytest.mark.parametrize("name", example_files())
def test_doc_output_is_the_real_output(name):
    shown = doc_sections(DOC.read_text())[name]["text"][1]
    actual = run_example(name)
    assert output_matches(shown, actual), (
        f"docs/examples.md shows another output for {name} (run "
        f"`python tests/test_examples.py --update`):\n--- shown\n{shown}--- actual\n{actual}")


# Updating the doc ---------------------------------------------------------------------------


def _merge_output(shown: str, actual: str) -> str:
    """The actual output, keeping each shown line that has `...` and still matches."""
    shown_lines = shown.splitlines(True)
    actual_lines = actual.splitlines(True)
    if len(shown_lines) == len(actual_lines):
        return "".join(s if "..." in s and output_matches(s, a) else a
                       for s, a in zip(shown_lines, actual_lines))
    return actual


def update_doc() -> None:
    text = DOC.read_text()
    sections = doc_sections(text)
    edits = []
    for name, blocks in sections.items():
        code_at, code = blocks["python"]
        edits.append((code_at, len(code), (EXAMPLES / name).read_text()))
        out_at, shown = blocks["text"]
        edits.append((out_at, len(shown), _merge_output(shown, run_example(name))))
    for at, length, new in sorted(edits, reverse=True):
        text = text[:at] + new + text[at + length:]
    DOC.write_text(text)
    missing = sorted(set(example_files()) - set(sections))
    if missing:
        print("add a section to docs/examples.md for:", ", ".join(missing))


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update_doc()
    else:
        print(__doc__)
