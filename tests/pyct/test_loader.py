"""Tests for autograph.pyct.loader."""

import gc
import inspect
import linecache
import os
import traceback
import types

import gast
import pytest

from autograph import errors
from autograph.pyct import anno, loader, origin_info, parser, templates

THIS = os.path.abspath(__file__).rstrip("c")
COUNTER = 0


def _load(fn, extra=None, transform=None, **kwargs):
    node, source, info = parser.parse_entity(fn)
    origin_info.resolve(node, source, info)
    if transform is not None:
        node = transform(node)
    return loader.load_function(node, fn, extra or {}, filename_hint=info.filename, **kwargs)


# -- Cells, globals, super -------------------------------------------------------------------

def make_counter():
    count = 0

    def bump(by=1, *, twice=False):
        """Bumps."""
        nonlocal count
        count += by * (2 if twice else 1)
        return count

    def read():
        return count

    return bump, read


def test_nonlocal_writes_reach_the_original_cells():
    bump, read = make_counter()
    loaded = _load(bump, {"ag__": "runtime"})
    fn = loaded.fn
    assert fn(5) == 5 and read() == 5
    assert bump(1) == 6 and fn(twice=True) == 8 and read() == 8
    assert fn.__closure__[fn.__code__.co_freevars.index("count")] is bump.__closure__[0]


def test_function_attributes_are_copied():
    bump, _ = make_counter()
    bump.custom = "attr"
    fn = _load(bump).fn
    assert fn.__name__ == "bump" and fn.__qualname__ == bump.__qualname__
    assert fn.__doc__ == "Bumps." and fn.__module__ == __name__
    assert fn.__defaults__ == (1,) and fn.__kwdefaults__ == {"twice": False}
    assert fn.custom == "attr"
    assert fn.__globals__ is globals()


def annotated(a: int, b: "str" = "x") -> float:
    return a


def test_annotations_are_copied():
    fn = _load(annotated).fn
    assert fn.__annotations__ == annotated.__annotations__


def set_global(v):
    global COUNTER
    COUNTER = v
    return COUNTER


def test_global_writes_reach_the_module_and_nothing_leaks():
    before = set(globals())
    fn = _load(set_global, {"ag__": object(), "ag__ctx": object()}).fn
    assert fn(42) == 42 and COUNTER == 42
    assert set(globals()) - before == set()
    assert fn.__code__.co_freevars == ()  # unused extra cells are not bound


def test_extra_cells_are_bound_by_name():
    def uses_runtime(x):
        return ag__.double(x) + ag__ctx  # noqa: F821

    runtime = types.SimpleNamespace(double=lambda v: 2 * v)
    fn = _load(uses_runtime, {"ag__": runtime, "ag__ctx": 1}).fn
    assert fn(3) == 7
    assert set(fn.__code__.co_freevars) == {"ag__", "ag__ctx"}


def test_extra_cells_must_not_clash_with_user_free_variables():
    ag__ = 1

    def clash():
        return ag__

    with pytest.raises(errors.ConversionError, match="reserved"):
        _load(clash, {"ag__": 2})


class Base:
    def greet(self):
        return "base"


class Child(Base):
    def greet(self):
        self.__secret = "!"
        return super().greet() + "+child" + self.__secret

    @classmethod
    def make(cls):
        return super().__new__(cls)


def test_zero_argument_super_and_private_names():
    loaded = _load(Child.greet)
    assert loaded.fn(Child()) == "base+child!"
    assert "class Child:" in loaded.module_source
    fn = _load(Child.__dict__["make"].__func__).fn
    assert isinstance(fn(Child), Child)


# -- Standalone functions (original=None) ----------------------------------------------------

def test_standalone_function_with_user_cells_and_defaults():
    bump, read = make_counter()
    tree = parser.parse_str(
        "def unit(by, scale=SCALE, *, k=2):\n    nonlocal count\n    count += by * scale * k\n"
        "    return count").body[0]
    user_cell = bump.__closure__[0]
    loaded = loader.load_function(tree, None, {"count": user_cell, "ag__": None}, name="unit",
                                  filename_hint="user.py", globals_={"SCALE": 10})
    assert loaded.fn(1) == 20 and read() == 20
    assert loaded.fn.__defaults__ == (10,) and loaded.fn.__kwdefaults__ == {"k": 2}
    assert loaded.fn.__name__ == "unit"
    with pytest.raises(ValueError, match="globals_"):
        loader.load_function(tree, None, {}, name="unit")


def test_source_text_input_with_origins():
    origin = origin_info.OriginInfo("user.py", 10, 4, "user", "x = compute()")
    loaded = loader.load_function("def gen(a):\n    b = a + 1\n    return b\n", None, {},
                                  name="gen", origins={2: origin}, globals_={})
    assert loaded.fn(1) == 2
    lines = loaded.module_source.splitlines()
    body = lines.index("    def gen(a):") + 2
    assert loaded.source_map[body] == origin and loaded.source_map[body + 1] == origin
    assert lines[body - 1].strip() == "b = a + 1"


def test_lambda_node():
    fn = (lambda q, r=2: q * r)  # noqa: E731
    loaded = _load(fn)
    assert loaded.fn(3) == 6 and loaded.fn.__name__ == "<lambda>"
    assert loaded.source == "lambda q, r=2: q * r\n"
    assert loaded.source_map[loaded.module_source.count("\n")].source_line.startswith(
        "fn = (lambda q, r=2")


def test_future_flags_are_inherited():
    ns = {}
    exec(compile("from __future__ import annotations\ndef f(x: Undefined) -> Nope:\n"
                 "    return x\n", THIS, "exec"), ns)
    tree = parser.parse_str("def f(x: Undefined) -> Nope:\n    return x").body[0]
    fn = loader.load_function(tree, ns["f"], {}).fn
    assert fn(1) == 1 and fn.__code__.co_flags & 0x1000000


# -- Generated source: linecache, inspect, traceback, source map ------------------------------

def user_fn(x):
    y = x + 1
    if y > 0:
        y = y * 2
    return 10 // (y - 4)


def _line_of(text):
    with open(THIS, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if text in line:
                return i
    raise AssertionError(text)


def test_generated_code_is_readable_by_linecache_inspect_and_traceback():
    loaded = _load(user_fn)
    fn = loaded.fn
    assert loaded.filename.startswith("<autograph:test_loader.py:user_fn:")
    assert linecache.getline(loaded.filename, 1).startswith("def ag__factory(")
    assert inspect.getsource(fn).lstrip().startswith("def user_fn(x):")
    assert loaded.source == inspect.getsource(user_fn)
    with pytest.raises(ZeroDivisionError) as e:
        fn(1)
    text = "".join(traceback.format_exception(e.value))
    assert loaded.filename in text and "return 10 // (y - 4)" in text


def test_line_of_and_source_map():
    loaded = _load(user_fn)
    lines = loaded.module_source.splitlines()
    node, source, info = parser.parse_entity(user_fn)
    # line_of is keyed by the loaded tree's nodes; check it through the source map instead.
    for line, origin in loaded.source_map.items():
        generated = lines[line - 1].strip()
        assert generated.split("(")[0] == origin.source_line.split("(")[0]
        assert origin.filename == THIS and origin.function_name == "user_fn"
    def_line = lines.index("    def user_fn(x):") + 1
    assert loaded.source_map[def_line].lineno == _line_of("def user_fn(x):")
    assert set(loaded.line_of.values()) == set(range(def_line, def_line + 5))


def test_generated_statements_take_the_enclosing_origin():
    def add_statement(node):
        if_stmt = node.body[1]
        if_stmt.body = if_stmt.body + templates.replace("z = 1 // 0")
        return node

    loaded = _load(user_fn, transform=add_statement)
    line = next(i for i, text in enumerate(loaded.module_source.splitlines(), 1)
                if "z = 1 // 0" in text)
    origin = loaded.source_map[line]
    assert origin.source_line == "if y > 0:" and origin.lineno == _line_of("    if y > 0:")
    with pytest.raises(ZeroDivisionError) as e:
        loaded.fn(1)
    errors.rewrite_traceback(e.value)
    text = "".join(traceback.format_exception(e.value))
    assert f'File "{THIS}", line {origin.lineno}, in user_fn' in text
    assert "    if y > 0:" in text and "<autograph:" not in text


def test_unique_filenames_and_cleanup():
    a, b = _load(user_fn), _load(user_fn)
    assert a.filename != b.filename
    filename = a.filename
    assert filename in loader.SOURCE_MAPS and filename in linecache.cache
    del a
    gc.collect()
    assert filename not in loader.SOURCE_MAPS and filename not in linecache.cache
    assert b.filename in loader.SOURCE_MAPS


def test_origins_override_by_node_id():
    node, source, info = parser.parse_entity(user_fn)
    origin_info.resolve(node, source, info)
    fake = origin_info.OriginInfo("elsewhere.py", 99, 0, "f", "pass")
    loaded = loader.load_function(node, user_fn, {}, origins={id(node.body[0]): fake})
    assert loaded.source_map[loaded.line_of[id(node.body[0])]] == fake
    assert anno.getanno(node.body[0], anno.Basic.ORIGIN) != fake


def test_not_a_function_node():
    with pytest.raises(TypeError):
        loader.load_function(gast.parse("x = 1").body[0], user_fn, {})


def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


def make_recursive():
    def rec(n):
        return 0 if n == 0 else 1 + rec(n - 1)

    return rec


def test_recursion_reads_the_module_global_or_the_original_cell():
    fn = _load(factorial).fn
    assert fn.__code__.co_freevars == () and fn(5) == 120
    assert "factorial" in fn.__code__.co_names  # a global lookup, as in the original
    rec = make_recursive()
    loaded = _load(rec).fn
    assert loaded(3) == 3 and loaded.__closure__ == rec.__closure__


def test_loading_from_many_threads():
    import threading

    results, failures = [], []

    def work(k):
        try:
            for _ in range(10):
                bump, read = make_counter()
                loaded = _load(bump, {"ag__": k})
                loaded.fn(k)
                results.append((loaded.filename, read() == k))
        except Exception as e:  # pragma: no cover - reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert len(results) == 80 and all(ok for _, ok in results)
    assert len({name for name, _ in results}) == 80
