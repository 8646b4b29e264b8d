"""The code blocks of docs/jax.md run, in order, as one script (with jax installed)."""

import pathlib
import re
import runpy
import warnings

import pytest

pytest.importorskip("jax")

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "jax.md"


def test_docs_jax_md_examples_run(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 8
    script = tmp_path / "jax_md_examples.py"  # a file: autograph reads the functions' source
    script.write_text("\n\n".join(blocks))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runpy.run_path(str(script), run_name="jax_md_examples")
