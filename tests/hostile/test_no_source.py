"""Functions with no usable source: a clear error in strict mode, run-as-is with a warning that
says why otherwise (issue 2's contract, exercised with hostile inputs)."""

import linecache
import math
import os
import re

import numpy as np
import pytest

import autograph

C_FUNCTIONS = [
    pytest.param(len, "built-in", id="len"),
    pytest.param(math.sqrt, "built-in", id="math.sqrt"),
    pytest.param([].append, "built-in", id="list.append-bound"),
    pytest.param(dict.fromkeys, "built-in", id="dict.fromkeys"),
    pytest.param(str.upper, "not a Python function", id="str.upper-descriptor"),
    pytest.param(np.add, "not a Python function", id="numpy-ufunc"),
    pytest.param(object.__init__, "built-in", id="slot-wrapper"),
]


@pytest.mark.parametrize("fn, why", C_FUNCTIONS)
def test_c_functions_are_refused_in_strict_mode(fn, why):
    with pytest.raises(autograph.ConversionError) as info:
        autograph.to_graph(fn, strict=True)
    msg = str(info.value)
    assert why in msg and "\n" not in msg


@pytest.mark.parametrize("fn, why", C_FUNCTIONS)
def test_c_functions_run_as_is_with_a_warning(fn, why):
    with pytest.warns(autograph.AutographWarning, match="runs unconverted") as rec:
        conv = autograph.to_graph(fn)
    assert conv is fn
    assert why in str(rec[0].message)


def test_c_function_called_from_converted_code_is_not_converted(no_fallback):
    def f(xs):
        total = 0
        for x in xs:
            total += math.floor(abs(x)) + len(str(x))
        return total

    assert autograph.to_graph(f)([1.5, -2.5]) == f([1.5, -2.5])


def _exec_function(source, filename, name):
    ns = {}
    exec(compile(source, filename, "exec"), ns)
    return ns[name]


SRC = "def g(x):\n    if x > 0:\n        return 'pos'\n    return 'neg'\n"


def test_exec_created_function_strict_error_names_exec():
    g = _exec_function(SRC, "<string>", "g")
    with pytest.raises(autograph.SourceUnavailableError) as info:
        autograph.to_graph(g, strict=True)
    assert re.match(r"<string>:1: `g` was created by exec\(\)", str(info.value))
    with pytest.raises(autograph.SourceUnavailableError):
        autograph.to_code(g)


def test_exec_created_function_runs_as_is_with_a_warning():
    g = _exec_function(SRC, "<string>", "g")
    with pytest.warns(autograph.AutographWarning, match="exec"):
        conv = autograph.to_graph(g)
    assert conv(1) == "pos" and conv(-1) == "neg"


def test_exec_created_function_with_source_in_linecache_converts(no_fallback):
    """The documented way out: register the source text under the file name."""
    filename = "<hostile-generated-g>"
    linecache.cache[filename] = (len(SRC), None, SRC.splitlines(True), filename)
    try:
        g = _exec_function(SRC, filename, "g")
        conv = autograph.to_graph(g, strict=True)
        assert conv(1) == "pos" and conv(-1) == "neg"
        assert "ag__" in autograph.to_code(g)
    finally:
        linecache.cache.pop(filename, None)


def test_repl_defined_function():
    """What the interactive interpreter makes: code compiled under '<stdin>'."""
    g = _exec_function(SRC, "<stdin>", "g")
    with pytest.raises(autograph.SourceUnavailableError,
                       match=r"^<stdin>:1: .*interactive interpreter"):
        autograph.to_graph(g, strict=True)
    with pytest.warns(autograph.AutographWarning, match="interactive interpreter"):
        assert autograph.to_graph(g)(2) == "pos"


def test_ipython_style_cell_filename():
    g = _exec_function(SRC, "<ipython-input-3-abcdef>", "g")
    with pytest.raises(autograph.SourceUnavailableError) as info:
        autograph.to_graph(g, strict=True)
    assert "\n" not in str(info.value)


def test_source_file_deleted_after_import(module):
    mod = module("""
        def h(x):
            if x > 0:
                return 'h'
            return 'h-'
    """)
    os.remove(mod.__file__)
    linecache.checkcache()
    with pytest.raises(autograph.SourceUnavailableError, match="no longer exists"):
        autograph.to_graph(mod.h, strict=True)
    with pytest.warns(autograph.AutographWarning, match="no longer exists"):
        assert autograph.to_graph(mod.h)(1) == "h"


def test_source_file_edited_after_import(module):
    mod = module("""
        def g(x):
            if x > 0:
                return 'v1'
            return 'v1-'
    """)
    with open(mod.__file__, "w") as f:
        f.write("# edited\n\n\ndef g(x):\n    while x:\n        x -= 1\n    return 'v2'\n")
    linecache.checkcache()
    try:
        conv = autograph.to_graph(mod.g, strict=True)
    except autograph.SourceUnavailableError:
        return  # a clear error is fine
    assert conv(1) == "v1"  # running other code than the function's is not


def test_function_without_code_object_attributes():
    class Fake:
        __name__ = "fake"
        __qualname__ = "fake"

    with pytest.raises(autograph.ConversionError, match="not a Python function"):
        autograph.to_graph(Fake(), strict=True)
