"""Tests for autograph.pyct.parser: entities, strings, the in-place ast -> gast conversion."""

import ast
import functools
import importlib.util
import inspect
import linecache
import os
import py_compile
import sys
import textwrap

import gast
import pytest

from autograph import errors
from autograph.pyct import anno, origin_info, parser
from autograph.pyct.unparser import unparse

PY311 = sys.version_info >= (3, 11)
THIS = os.path.abspath(__file__).rstrip("c")


def _line_of(text):
    """1-based line in this file of the first line containing `text`."""
    with open(THIS, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if text in line:
                return i
    raise AssertionError(text)


def _body_src(node):
    return unparse(node.body if isinstance(node, gast.Lambda) else node)[0]


# -- Entities --------------------------------------------------------------------------------

def plain(a, b=1):
    c = a + b
    return c


def test_plain_function():
    node, source, info = parser.parse_entity(plain)
    assert isinstance(node, gast.FunctionDef) and node.name == "plain"
    assert source == "def plain(a, b=1):\n    c = a + b\n    return c\n"
    assert info.filename == plain.__code__.co_filename
    assert info.lineno == _line_of("def plain(a, b=1):") and info.col_offset == 0
    assert info.name == "plain" and info.qualname == "plain"
    assert info.source_lines == tuple(source.splitlines())
    assert node.lineno == 1 and node.body[0].lineno == 2 and node.body[0].col_offset == 4
    assert isinstance(node.args.args[0], gast.Name) and isinstance(node.args.args[0].ctx,
                                                                     gast.Param)


def make_closure():
    counter = 0

    def bump(by):
        nonlocal counter
        counter += by
        return counter

    return bump


def test_nested_function_with_closure():
    fn = make_closure()
    node, source, info = parser.parse_entity(fn)
    assert node.name == "bump"
    assert source.startswith("def bump(by):\n    nonlocal counter\n")
    assert info.col_offset == 4 and info.lineno == _line_of("    def bump(by):")
    assert info.qualname == "make_closure.<locals>.bump"
    assert isinstance(node.body[0], gast.Nonlocal)


class Klass:
    factor = 2

    def method(self, x):
        return x * self.factor

    @classmethod
    def cmethod(cls, x):
        return x + cls.factor

    @staticmethod
    def smethod(x,
                y=3):
        return x - y

    @property
    def prop(self):
        return self.factor


@pytest.mark.parametrize("entity,name", [
    (Klass.method, "method"), (Klass().method, "method"), (Klass.cmethod, "cmethod"),
    (Klass.__dict__["cmethod"], "cmethod"), (Klass.smethod, "smethod"),
    (Klass.__dict__["smethod"], "smethod"), (Klass.prop.fget, "prop"),
])
def test_methods(entity, name):
    node, source, info = parser.parse_entity(entity)
    assert node.name == name and node.decorator_list == []
    assert source.startswith(f"def {name}(")
    assert info.col_offset == 4
    assert info.lineno == _line_of(f"    def {name}(")


def test_decorators_are_stripped_and_kept_as_text():
    node, source, info = parser.parse_entity(Klass.smethod)
    assert info.decorators == ("staticmethod",)
    assert source == "def smethod(x,\n            y=3):\n    return x - y\n"
    node, _, info = parser.parse_entity(Klass.prop.fget)
    assert info.decorators == ("property",)


def deco_a(f):
    return f


def deco_b(*args, **kwargs):
    return lambda f: f


@deco_a
@deco_b(1,
        key="v")
def decorated(x):
    return x


def test_multiline_decorators():
    node, source, info = parser.parse_entity(decorated)
    assert info.decorators == ("deco_a", 'deco_b(1,\n        key="v")')
    assert info.lineno == _line_of("def decorated(x):")
    assert source == "def decorated(x):\n    return x\n"
    assert node.lineno == 1


def wrapping(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs) + 1

    return wrapper


@wrapping
def wrapped(x):
    return x


def test_functools_wraps_wrapper_parses_the_wrapper_itself():
    # inspect.getsource would follow __wrapped__ and return the wrong function.
    node, source, info = parser.parse_entity(wrapped)
    assert node.name == "wrapper"
    assert info.decorators == ("functools.wraps(f)",)
    assert "f(*args, **kwargs) + 1" in source
    node, _, _ = parser.parse_entity(wrapped.__wrapped__)
    assert node.name == "wrapped"


def multiline_header(
    a,
    b: int = 2,
) -> (
    int
):
    return a + b


def test_multiline_signature_closing_at_the_margin():
    node, source, info = parser.parse_entity(multiline_header)
    assert node.name == "multiline_header" and _body_src(node).endswith("return a + b")
    assert source.splitlines()[-1] == "    return a + b"


class Strings:
    def flush_left(self):
        text = """
first
        second
  third"""
        return text

    def trailing(self):
        return 1, """
x"""


def test_multiline_strings_keep_their_value():
    for fn, expected in ((Strings.flush_left, "\nfirst\n        second\n  third"),
                         (Strings.trailing, (1, "\nx"))):
        node, source, info = parser.parse_entity(fn)
        code = compile(ast.Module([gast.gast_to_ast(node)], []), "<t>", "exec")
        ns = {}
        exec(code, ns)
        assert ns[fn.__name__](None) == expected
        # The dedented source parses to the same tree (interior string lines kept verbatim).
        again = parser.parse_str(source).body[0]
        assert gast.dump(again) == gast.dump(node)


UNICODE = ("é", lambda s: "é" + s, lambda s: "ü" + s)


@pytest.mark.parametrize("index,text", [(1, "'é' + s"), (2, "'ü' + s")])
def test_unicode_before_lambda(index, text):
    node, source, info = parser.parse_entity(UNICODE[index])
    assert _body_src(node) == text
    line = linecache.getline(info.filename, info.lineno).encode("utf-8")
    # Columns are UTF-8 byte offsets, as in `ast`.
    assert line[info.col_offset + node.col_offset:].startswith(b"lambda")


# -- Lambdas ---------------------------------------------------------------------------------

L1, L2, L3 = (lambda x: x + 1), (lambda x: x * 2), (lambda y: y - 3)
MULTI = lambda a, b=2: (a,  # noqa: E731
                        b)
IN_DICT = {"k": lambda q,
           r=3: q - r}
IN_CALL = dict(key=lambda z: z * 10)
NESTED = lambda x: lambda y: x + y  # noqa: E731
SAME_ARGS = [lambda v: v + 100, lambda v: v - 100]
MID_EXPRESSION = dict(
    a=1,
    f=lambda t: t - 1)["f"]


def multiline_default(a,
                      g=lambda u: u // 7):
    return g


def with_default(g=lambda w: w * 5):
    return g


@pytest.mark.parametrize("fn,body", [
    (L1, "x + 1"), (L2, "x * 2"), (L3, "y - 3"), (MULTI, "(a, b)"),
    (IN_DICT["k"], "q - r"), (IN_CALL["key"], "z * 10"), (NESTED, "lambda y: x + y"),
    (NESTED(1), "x + y"), (with_default(), "w * 5"), (MID_EXPRESSION, "t - 1"),
    (multiline_default(1), "u // 7"),
])
def test_lambdas(fn, body):
    node, source, info = parser.parse_entity(fn)
    assert isinstance(node, gast.Lambda)
    assert _body_src(node) == body
    assert info.name == "<lambda>"
    assert info.lineno == fn.__code__.co_firstlineno
    # Positions: line 1 of the node is info.lineno, columns are relative to the dedent.
    assert node.lineno == 1
    line = linecache.getline(info.filename, info.lineno).encode("utf-8")
    assert line[info.col_offset + node.col_offset:].startswith(b"lambda")


@pytest.mark.skipif(not PY311, reason="needs code positions (3.11+)")
def test_lambdas_with_the_same_arguments_on_one_line():
    assert _body_src(parser.parse_entity(SAME_ARGS[0])[0]) == "v + 100"
    assert _body_src(parser.parse_entity(SAME_ARGS[1])[0]) == "v - 100"


def test_lambda_source_is_its_lines():
    node, source, info = parser.parse_entity(MULTI)
    assert source.startswith("MULTI = lambda a, b=2: (a,")
    assert len(source.splitlines()) == 2


# -- No usable source ------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [len, print, [].append, object.__init__, str.join,
                                dict.fromkeys])
def test_builtins_are_refused(fn):
    with pytest.raises(errors.SourceUnavailableError, match="built-in function implemented "
                       "in C; it has no Python source to convert"):
        parser.parse_entity(fn)


def test_builtin_message_is_exact():
    with pytest.raises(errors.SourceUnavailableError) as e:
        parser.parse_entity(len)
    assert str(e.value) == ("`len` is a built-in function implemented in C; it has no Python "
                            "source to convert.")
    assert isinstance(e.value, errors.ConversionError)


def test_not_a_function():
    with pytest.raises(errors.SourceUnavailableError, match="class"):
        parser.parse_entity(Klass)
    with pytest.raises(errors.SourceUnavailableError, match="not a Python function"):
        parser.parse_entity(functools.partial(plain, 1))


def _exec_function(src, filename):
    ns = {}
    exec(compile(src, filename, "exec"), ns)
    return ns["f"]


def test_exec_created_function():
    fn = _exec_function("def f(x):\n    return x\n", "<string>")
    with pytest.raises(errors.SourceUnavailableError, match=r"exec\(\) or eval\(\)") as e:
        parser.parse_entity(fn)
    assert e.value.filename == "<string>" and e.value.lineno == 1
    assert str(e.value).startswith("<string>:1: ")


@pytest.mark.parametrize("filename", ["<stdin>", "<console>", "<python-input-3>"])
def test_repl_defined_function(filename):
    fn = _exec_function("def f(x):\n    return x\n", filename)
    with pytest.raises(errors.SourceUnavailableError, match="interactive interpreter"):
        parser.parse_entity(fn)


def test_exec_with_linecache_source_works():
    # IPython-style: generated file names are fine when linecache has the text.
    src = "def f(x):\n    return x * 3\n"
    filename = "<ipython-input-7-abc>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    try:
        node, source, info = parser.parse_entity(_exec_function(src, filename))
        assert source == src and info.filename == filename
    finally:
        del linecache.cache[filename]


def _import_file(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pyc_only(tmp_path):
    src = tmp_path / "pyconly_mod.py"
    src.write_text("def f(x):\n    return x + 1\n")
    pyc = tmp_path / "pyconly_mod.pyc"
    py_compile.compile(str(src), cfile=str(pyc), dfile=str(src))
    src.unlink()
    linecache.checkcache(str(src))
    module = _import_file(str(pyc), "pyconly_mod")
    assert module.f(1) == 2
    with pytest.raises(errors.SourceUnavailableError, match=r"\.pyc"):
        parser.parse_entity(module.f)


def test_deleted_source(tmp_path):
    src = tmp_path / "gone_mod.py"
    src.write_text("def f(x):\n    return x + 1\n")
    module = _import_file(str(src), "gone_mod")
    src.unlink()
    linecache.checkcache(str(src))
    with pytest.raises(errors.SourceUnavailableError, match="no longer exists"):
        parser.parse_entity(module.f)


def test_edited_source_is_detected(tmp_path):
    src = tmp_path / "edited_mod.py"
    src.write_text("def f(x):\n    return x + 1\n\n\ndef g(y):\n    return y\n")
    module = _import_file(str(src), "edited_mod")
    src.write_text("X = 1\n\n\n\ndef h(y):\n    return y\n")
    linecache.checkcache(str(src))
    with pytest.raises(errors.SourceUnavailableError, match="does not match the running code"):
        parser.parse_entity(module.g)
    with pytest.raises(errors.SourceUnavailableError, match="edited"):
        parser.parse_entity(module.f)


def test_huge_function(tmp_path):
    body = "".join(f"    x{i} = x{i - 1} + {i}\n" for i in range(1, 5000))
    src = tmp_path / "huge_mod.py"
    src.write_text("def f(x0):\n" + body + "    return x4999\n\n\ndef g():\n    pass\n")
    module = _import_file(str(src), "huge_mod")
    node, source, info = parser.parse_entity(module.f)
    assert len(node.body) == 5000 and source.count("\n") == 5001
    node, _, info = parser.parse_entity(module.g)
    assert node.name == "g" and info.lineno == 5004


def test_tab_indented_method(tmp_path):
    src = tmp_path / "tabs_mod.py"
    src.write_text("class C:\n\tdef m(self):\n\t\treturn 1\n")
    module = _import_file(str(src), "tabs_mod")
    node, source, info = parser.parse_entity(module.C.m)
    assert source == "def m(self):\n\treturn 1\n" and info.col_offset == 1


# -- Origins ---------------------------------------------------------------------------------

def nested_origins(x):
    def inner(y):
        return y * 2
    if x > 0:
        x = inner(x)
    return x


def test_parse_entity_annotates_origins_like_resolve():
    node, source, info = parser.parse_entity(nested_origins)
    got = [(type(n).__name__, anno.getanno(n, anno.Basic.ORIGIN, None))
           for n in gast.walk(node) if hasattr(n, "lineno")]
    # The same tree, parsed again from its source and resolved separately.
    fresh = parser.parse_str(source).body[0]
    origin_info.resolve(fresh, source, info)
    expected = [(type(n).__name__, anno.getanno(n, anno.Basic.ORIGIN, None))
                for n in gast.walk(fresh) if hasattr(n, "lineno")]
    assert got == expected
    ret = node.body[-1]
    origin = anno.getanno(ret, anno.Basic.ORIGIN)
    assert origin.source_line == "return x"
    assert origin.lineno == _line_of("def nested_origins(x):") + 5
    assert origin.filename == info.filename and origin.function_name == "nested_origins"
    inner_ret = node.body[0].body[0]
    o = anno.getanno(inner_ret, anno.Basic.ORIGIN)
    assert o.function_name == "inner" and o.source_line == "return y * 2"
    assert o.lineno == _line_of("        return y * 2") and o.col_offset == 8
    # Resolving the parsed tree again with its own info is a no-op.
    origin_info.resolve(node, source, info)
    assert anno.getanno(ret, anno.Basic.ORIGIN) is origin


# -- Strings and the converter ---------------------------------------------------------------

SYNTAX = textwrap.dedent('''
    import os.path as osp
    from .x import (a as b, c)
    async def af(p, /, q: int = 1, *args, r, s=2, **kw) -> None:
        async with ctx() as (u, v):
            async for w in aiter():
                await w
        try:
            pass
        except (ValueError, TypeError) as eg:
            raise
    def g(x):
        global G
        y = [i for i in range(x) if i if not i]
        z = {k: v for k, v in {}.items()}
        del y[0], z
        if (n := len(z)) > 1:
            print(f"{n!r:>{10}} {x=}")
        match x:
            case [1, 2, *rest] if rest:
                pass
            case {"k": v, **kw}:
                pass
            case Point(x=0, y=yy) | None:
                pass
            case str() as s:
                pass
        lam = lambda *a, **k: (a, k)
        t = x[1:2, ::3], x[...], x[()]
        b: int = 1
        (c): int
        x @= y
        return (yield from g(1)) if x else (yield)
    class C(Base, metaclass=M):
        """Doc."""
        attr: int = 0
''')
if PY311:
    SYNTAX += "try:\n    pass\nexcept* (ValueError, TypeError) as eg:\n    raise\n"


def test_ast_to_gast_matches_gast():
    mine = parser.ast_to_gast(ast.parse(SYNTAX))
    theirs = gast.ast_to_gast(ast.parse(SYNTAX))
    assert gast.dump(mine, include_attributes=True) == gast.dump(theirs, include_attributes=True)
    # Every node is a gast node; ctx/operator nodes are distinct objects per use.
    ids = set()
    for n in gast.walk(mine):
        assert type(n).__module__.startswith("gast"), type(n)
        if isinstance(n, (gast.expr_context, gast.operator)):
            assert id(n) not in ids
            ids.add(id(n))


def test_ast_to_gast_shifts_positions():
    tree = ast.parse("if 1:\n    def f():\n        return 1\n").body[0].body[0]
    strings = []
    node = parser.ast_to_gast(tree, -1, 4, strings)
    assert (node.lineno, node.col_offset) == (1, 0)
    assert (node.body[0].lineno, node.body[0].col_offset) == (2, 4)


def test_parse_str_and_expression():
    module = parser.parse_str("""
        def f(x):
            return x
    """)
    assert isinstance(module, gast.Module) and module.body[0].name == "f"
    expr = parser.parse_expression("  a.b[c] + 1 ")
    assert isinstance(expr, gast.BinOp) and isinstance(expr.left, gast.Subscript)
    with pytest.raises(ValueError):
        parser.parse_expression("x = 1")


def test_source_matches_inspect_for_plain_functions():
    for fn in (plain, make_closure, nested_origins, multiline_header):
        _, source, _ = parser.parse_entity(fn)
        assert source == textwrap.dedent(inspect.getsource(fn))
