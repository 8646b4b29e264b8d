"""Hostile and odd inputs (issue 6): every case has the expected clear error or fallback."""

import importlib.util
import itertools
import sys
import textwrap
import warnings

import pytest

_ids = itertools.count()


@pytest.fixture
def module(tmp_path):
    """`module(source)`: write `source` to a fresh .py file, import it, return the module
    (never seen by autograph before, so conversions start cold)."""
    loaded = []

    def load(source, name=None):
        name = name or f"hostile_mod_{next(_ids)}"
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
        loaded.append(name)
        return mod

    yield load
    for name in loaded:
        sys.modules.pop(name, None)


@pytest.fixture
def no_fallback():
    """Fail on any AutographWarning (a function that ran unconverted)."""
    import autograph

    with warnings.catch_warnings():
        warnings.simplefilter("error", autograph.AutographWarning)
        yield
