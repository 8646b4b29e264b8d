"""Tests for autograph.pyct.unparser: ast.unparse output, statement line map."""

import ast
import os
import sys
import textwrap

import gast
import pytest

from autograph.pyct import parser, templates, unparser

TRICKY = textwrap.dedent('''
    """Module docstring
    on two lines."""
    import os, sys as system
    from . import (a, b as c)
    @decorator
    @other(1,
           2)
    def f(p, /, q: int = 1, *args: str, r, s=2, **kw: dict) -> "R":
        """Function docstring.

        With a blank line.
        """
        global G
        x = y = 1
        x += 1
        z: int = 3
        (w): int
        if x:
            pass
        elif y:
            x = 2
        elif z:
            x = 3
        else:
            x = 4
        if a:
            pass
        else:
            if b:
                pass
            x = 5
        for i in range(3):
            continue
        else:
            break
        while x:
            x -= 1
        else:
            pass
        try:
            raise ValueError("a") from None
        except ValueError as e:
            del e
        except (TypeError, KeyError):
            pass
        else:
            x = 0
        finally:
            x = 1
        with open("a") as fh, open("b"):
            data = fh.read()
        match x:
            case [1, 2, *rest] if rest:
                pass
            case {"k": v, **others}:
                pass
            case Point(x=0, y=yy) | None:
                pass
            case str() as s:
                pass
            case _:
                pass
        if (n := len(data)) > 1:
            print(f"{n!r:>{10}} {x=} {'q'}" f'{data["k"]}')
        t = x[1:2, ::3], x[...], x[()], x[a, b], x[(a, b)]
        u = 1 .real, (-1) ** 2, -(1 ** 2), not (a and b or c)
        lam = lambda *a, k=1, **kw: (a, k, kw)
        s = """multi
    line"""
        def inner():
            nonlocal x
            return (yield x)
        class Inner(Base, metaclass=Meta):
            attr: int = 0
        async def coro():
            async with a as b:
                async for q in b:
                    await q
        assert x, "msg"
        return [i for i in range(3) if i], {k: v for k, v in {}.items()}, {*a, *b}
''')
if sys.version_info >= (3, 11):
    TRICKY += "try:\n    pass\nexcept* ValueError:\n    pass\n"


def _stmt_pairs(a, b):
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        la, lb = getattr(a, field, None), getattr(b, field, None)
        if isinstance(la, list) and isinstance(lb, list):
            assert len(la) == len(lb)
            for x, y in zip(la, lb, strict=True):
                yield x, y
                yield from _stmt_pairs(x, y)


def _check(tree, expected_source):
    source, line_of = unparser.unparse(tree)
    assert source == expected_source
    reparsed = ast.parse(source)
    checked = 0
    for orig, again in _stmt_pairs(tree, reparsed):
        if hasattr(again, "lineno"):
            assert line_of[id(orig)] == again.lineno, (type(orig).__name__, again.lineno)
            checked += 1
        else:  # match_case has no position: its line holds `case ...`
            assert source.splitlines()[line_of[id(orig)] - 1].lstrip().startswith("case ")
    return source, line_of, checked


def test_gast_input_prints_like_ast_unparse_with_line_map():
    tree = parser.parse_str(TRICKY)
    expected = ast.unparse(gast.gast_to_ast(tree))
    source, line_of, checked = _check(tree, expected)
    assert checked > 50
    assert expected == ast.unparse(ast.parse(TRICKY))


def test_ast_input():
    tree = ast.parse(TRICKY)
    _check(tree, ast.unparse(tree))


def test_elif_is_its_own_line():
    tree = parser.parse_str("if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3\n")
    source, line_of = unparser.unparse(tree)
    top = tree.body[0]
    assert line_of[id(top)] == 1 and line_of[id(top.orelse[0])] == 3
    assert line_of[id(top.orelse[0].orelse[0])] == 6


@pytest.mark.parametrize("name", ["ast.py", "inspect.py", "typing.py"])
def test_stdlib_modules(name):
    path = os.path.join(os.path.dirname(ast.__file__), name)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    tree = parser.ast_to_gast(ast.parse(text))
    _check(tree, ast.unparse(gast.gast_to_ast(tree)))


def test_generated_nodes_without_positions():
    stmts = templates.replace("try:\n    body\nexcept TypeError as e:\n    handler",
                              body=templates.replace("x = f(1)"),
                              handler=templates.replace("y = g(e)"))
    fn = gast.FunctionDef(name="h", args=gast.arguments(
        args=[gast.Name("a", gast.Param(), gast.Name("int", gast.Load(), None, None), None)],
        posonlyargs=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=stmts, decorator_list=[], returns=None, type_comment=None, type_params=[])
    source, line_of = unparser.unparse(fn)
    assert source == ("def h(a: int):\n    try:\n        x = f(1)\n    except TypeError as e:\n"
                      "        y = g(e)")
    assert line_of[id(fn)] == 1 and line_of[id(stmts[0])] == 2
    assert line_of[id(stmts[0].handlers[0])] == 4
    assert line_of[id(stmts[0].handlers[0].body[0])] == 5


def test_indent_first_line_and_plain_text():
    tree = parser.parse_str('def f(x):\n    """Doc\n    string."""\n    return x\n').body[0]
    plain, lines0 = unparser.unparse(tree)
    source, line_of, count, dedented = unparser.unparse_with_lines(tree, 2, 5, True)
    assert dedented == plain
    assert source.splitlines()[0] == "        def f(x):"
    # The docstring's second line is printed verbatim, not indented.
    assert source.splitlines()[2] == '    string."""'
    assert {k: v + 4 for k, v in lines0.items()} == line_of
    assert count == 4


def test_single_statement_and_expression_roots():
    stmt = parser.parse_str("x = 1").body[0]
    assert unparser.unparse(stmt) == ("x = 1", {id(stmt): 1})
    expr = parser.parse_expression("a if b else (c, d)")
    assert unparser.unparse(expr) == ("a if b else (c, d)", {})


def test_gast_specific_shapes():
    src = ("def f(a, /, b=1, *c, d, e=2, **g):\n"
           "    try:\n        pass\n    except E as err:\n        pass\n"
           "    return x[1:2, ::3], 1 .real, (a): int")
    src = src.replace(", (a): int", "")
    tree = parser.parse_str(src)
    assert unparser.unparse(tree)[0] == ast.unparse(ast.parse(src))
