"""`del x` in staged code (converters/variables.py): the variable becomes Undefined('x')."""

import numpy as np
import pytest

import autograph
from tests.fuzz.oracle import assert_agrees, have_jax

MODES = ("python", "graph") + (("jax",) if have_jax() else ())


@pytest.mark.parametrize("source", [
    # deleted in a branch, not read after
    "def f(x):\n    y = 1\n    if x > 0:\n        del y\n    return x\n",
    # deleted then assigned again, with an item deleted in the same statement
    "def f(x):\n    y = 1\n    z = [1, 2]\n    if x > 0:\n        del y, z[0]\n        y = 2\n"
    "    else:\n        y = 3\n    return y + len(z)\n",
    # deleted in a staged loop body and assigned again
    "def f(x):\n    y = 1\n    while x > 0:\n        x -= 1\n        del y\n        y = x * 2\n"
    "    return y\n",
    # deleted in the continuation of a staged if that returns
    "def f(x):\n    y = 1\n    for i in range(2):\n        if x > i:\n            return y\n"
    "        del y\n        y = i\n    return y\n",
])
def test_del_stages(source):
    assert_agrees(source, [(np.int64(1),), (np.int64(-1),), (np.int64(3),)], modes=MODES)


def test_a_deleted_variable_read_after_a_staged_if_is_a_staging_error(tmp_path):
    path = tmp_path / "del_mod.py"
    path.write_text("def f(x):\n    y = 1\n    if x > 0:\n        del y\n    return y\n")
    import importlib.util
    spec = importlib.util.spec_from_file_location("del_mod", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(autograph.StagingError, match=r"'y'.*del_mod\.py:3|del_mod\.py:3.*'y'"):
        autograph.function(mod.f)(np.int64(1))
    with pytest.raises(UnboundLocalError):  # Python mode: as Python
        autograph.to_graph(mod.f)(1)


def test_del_of_a_global_stays_a_del():
    from autograph import functional
    from tests.converters._helpers import make_ctx, parse_function

    node = parse_function("""
        def f(x):
            global g
            if x:
                del g, x
    """)
    out = functional.source(functional.lower_function(node, make_ctx(node)))
    assert "del g" in out and "x = ag__.Undefined('x')" in out
