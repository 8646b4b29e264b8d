"""Every docstring example in the package runs, so documentation cannot rot."""

import doctest
import importlib
import pkgutil

import pytest

import autograph


def _modules():
    names = ["autograph"]
    for info in pkgutil.walk_packages(autograph.__path__, "autograph."):
        if ".backends.jax" in info.name or info.name.endswith("__main__"):
            continue  # needs jax (tested under tests/jax); __main__ runs the CLI
        names.append(info.name)
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
