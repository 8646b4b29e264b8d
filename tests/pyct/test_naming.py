"""Tests for autograph.pyct.naming."""

import time

from autograph.pyct import naming, parser


def test_prefix_and_counting():
    namer = naming.Namer({"x"})
    assert namer.new_symbol("cond") == "ag__cond"
    assert namer.new_symbol("cond") == "ag__cond_1"
    assert namer.new_symbol("cond") == "ag__cond_2"
    assert namer.new_symbol("body") == "ag__body"


def test_base_already_prefixed():
    namer = naming.Namer()
    assert namer.new_symbol("ag__ran") == "ag__ran"
    assert namer.new_symbol("ag__ran") == "ag__ran_1"


def test_collisions_with_user_names():
    namer = naming.Namer({"ag__cond", "ag__cond_1", "ag__cond_3"})
    assert namer.new_symbol("cond") == "ag__cond_2"
    assert namer.new_symbol("cond") == "ag__cond_4"


def test_reserved_names():
    namer = naming.Namer()
    assert namer.new_symbol("x", reserved={"ag__x", "ag__x_1"}) == "ag__x_2"
    # Reserved for one call only; handed-out names stay taken.
    assert namer.new_symbol("x") == "ag__x_3"
    namer.reserve("ag__y")
    assert namer.new_symbol("y") == "ag__y_1"


def test_sanitized_base():
    namer = naming.Namer()
    assert namer.new_symbol("a.b[0]") == "ag__a_b_0_"
    assert namer.new_symbol("") == "ag__tmp"
    assert namer.new_symbol("ag__a.b[0]").isidentifier()


def test_many_symbols_stay_fast():
    namer = naming.Namer({f"ag__t_{i}" for i in range(0, 2000, 7)})
    start = time.perf_counter()
    names = [namer.new_symbol("t") for _ in range(20000)]
    assert time.perf_counter() - start < 1.0
    assert len(set(names)) == 20000
    assert not {f"ag__t_{i}" for i in range(0, 2000, 7)} & set(names)


SOURCE = '''
import os.path as osp, collections.abc
from pkg.mod import thing as alias, other
def func(pos, /, a, *args, kw, **kwargs):
    global g
    def inner():
        nonlocal a
    class Cls:
        pass
    try:
        obj.attr.deep = call(key=value)
    except Err as handler_name:
        pass
    match subject:
        case {"k": captured, **rest}:
            pass
        case Point(x=px) | [*star]:
            pass
    lam = lambda lp: lp
    return [c for c in comp]
'''


def test_collect_names():
    names = naming.collect_names(parser.parse_str(SOURCE))
    expected = {
        "osp", "os", "collections", "pkg", "alias", "thing", "other", "func", "pos", "a",
        "args", "kw", "kwargs", "g", "inner", "Cls", "obj", "attr", "deep", "call", "key",
        "value", "Err", "handler_name", "subject", "captured", "rest", "Point", "x", "px",
        "star", "lam", "lp", "c", "comp",
    }
    assert expected <= names
    assert names <= naming.names_in_source(SOURCE)


def test_collect_names_on_ast_trees_too():
    import ast
    names = naming.collect_names(ast.parse(SOURCE))
    assert {"handler_name", "pos", "lp", "osp"} <= names


def test_names_in_source():
    assert naming.names_in_source("x1 = _y + 3 # zé\n'str'") == {"x1", "_y", "zé", "str"}
