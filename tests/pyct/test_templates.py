"""Tests for autograph.pyct.templates."""

import gast
import pytest

from autograph.pyct import anno, parser, templates
from autograph.pyct.unparser import unparse


def _src(nodes):
    if not isinstance(nodes, list):
        nodes = [nodes]
    return "\n".join(unparse(n)[0] for n in nodes)


def _name(id_, ctx=gast.Load):
    return gast.Name(id_, ctx(), None, None)


def _compiles(nodes):
    compile(_src(nodes), "<t>", "exec")


def test_string_names_and_contexts():
    out = templates.replace("a = b\ndel c", a="x", b="y", c="z")
    assert _src(out) == "x = y\ndel z"
    assert isinstance(out[0].targets[0].ctx, gast.Store)
    assert isinstance(out[0].value.ctx, gast.Load)
    assert isinstance(out[1].targets[0].ctx, gast.Del)


def test_dotted_string_becomes_attribute_chain():
    out = templates.replace("target = 1", target="self.a.b")
    t = out[0].targets[0]
    assert isinstance(t, gast.Attribute) and isinstance(t.ctx, gast.Store)
    assert isinstance(t.value, gast.Attribute) and isinstance(t.value.ctx, gast.Load)
    assert isinstance(t.value.value, gast.Name) and isinstance(t.value.value.ctx, gast.Load)


def test_ctx_is_fixed_by_position():
    tup = gast.Tuple([_name("x"), gast.Starred(_name("y"), gast.Load())], gast.Load())
    out = templates.replace("targets = value", targets=tup, value=_name("v", gast.Store))
    t = out[0].targets[0]
    assert t is tup  # first use: the node itself
    assert isinstance(t.ctx, gast.Store) and isinstance(t.elts[0].ctx, gast.Store)
    assert isinstance(t.elts[1].ctx, gast.Store) and isinstance(t.elts[1].value.ctx, gast.Store)
    assert isinstance(out[0].value.ctx, gast.Load)
    sub = gast.Subscript(_name("a", gast.Store), _name("i", gast.Store), gast.Load())
    out = templates.replace("target = 1", target=sub)
    t = out[0].targets[0]
    assert isinstance(t.ctx, gast.Store) and isinstance(t.value.ctx, gast.Load)
    assert isinstance(t.slice.ctx, gast.Load)
    _compiles(out)


def test_missing_ctx_becomes_load():
    call = gast.Call(gast.Name(id="f", ctx=None, annotation=None, type_comment=None),
                     [gast.Name(id="x", ctx=None, annotation=None, type_comment=None)], [])
    out = templates.replace_as_expression("g(a)", a=call)
    assert isinstance(out.args[0].func.ctx, gast.Load)
    assert isinstance(out.args[0].args[0].ctx, gast.Load)


def test_statement_lists_are_spliced():
    body = templates.replace("a = 1\nb = 2")
    out = templates.replace("try:\n    body\nexcept TypeError as exc:\n    handler",
                            body=body, exc="ag__e", handler=templates.replace("raise"))
    assert _src(out) == "try:\n    a = 1\n    b = 2\nexcept TypeError as ag__e:\n    raise"
    assert out[0].body[0] is body[0] and out[0].body[1] is body[1]
    assert isinstance(out[0].handlers[0].name, gast.Name)
    assert isinstance(out[0].handlers[0].name.ctx, gast.Store)


def test_single_statement_and_expression_in_statement_position():
    stmt = templates.replace("x = 1")[0]
    assert templates.replace("s", s=stmt) == [stmt]
    out = templates.replace("s", s=gast.Call(_name("f"), [], []))
    assert _src(out) == "f()" and isinstance(out[0], gast.Expr)


def test_none_or_empty_removes_statements_and_empty_blocks_get_pass():
    assert _src(templates.replace("a = 1\nextra\nb = 2", extra=None)) == "a = 1\nb = 2"
    out = templates.replace("if c:\n    body\nelse:\n    other", c="t", body=[], other=[])
    assert _src(out) == "if t:\n    pass"


def test_argument_lists_and_tuples():
    out = templates.replace("def fn(args):\n    return f(args, *more), (x, args)",
                            fn="ag__f", args=["a", _name("b")], more="rest", x="y")
    assert _src(out) == "def ag__f(a, b):\n    return (f(a, b, *rest), (y, a, b))"
    params = out[0].args.args
    assert all(isinstance(p.ctx, gast.Param) for p in params)
    uses = out[0].body[0].value.elts[0].args
    assert all(isinstance(u.ctx, gast.Load) for u in uses)


def test_whole_arguments_node():
    args = parser.parse_str("def q(a, *, k=1):\n    pass").body[0].args
    out = templates.replace("def fn(args):\n    pass", fn="g", args=args)
    assert _src(out) == "def g(a, *, k=1):\n    pass"


def test_identifiers_attributes_keywords_nonlocal():
    out = templates.replace_as_expression("ag__.op(x, kw=v)", op="if_stmt", kw="opts",
                                          x="y", v=3)
    assert _src(out) == "ag__.if_stmt(y, opts=3)"
    out = templates.replace("def f():\n    nonlocal names\n    global more\n    pass",
                            names=["a", _name("b")], more=[])
    assert _src(out) == "def f():\n    nonlocal a, b\n    pass"
    with pytest.raises(ValueError, match="must be a str or a Name"):
        templates.replace("x.attr", attr=gast.Constant(1, None))


def test_keyword_lists_move_to_keywords():
    kws = [gast.keyword("a", gast.Constant(1, None)), gast.keyword(None, _name("d"))]
    out = templates.replace_as_expression("f(x, kws)", x="y", kws=kws)
    assert _src(out) == "f(y, a=1, **d)"


def test_reused_replacement_is_copied():
    x = _name("q")
    anno.setanno(x, anno.Basic.ORIGIN, "origin")
    out = templates.replace("a = x + x\nb = x", x=x)
    uses = [out[0].value.left, out[0].value.right, out[1].value]
    assert uses[0] is x and uses[1] is not x and uses[2] is not x
    assert len({id(u) for u in uses}) == 3
    # Annotations survive the copy, in their own dict.
    assert anno.getanno(uses[1], anno.Basic.ORIGIN) == "origin"
    anno.setanno(uses[1], anno.Basic.ORIGIN, "changed")
    assert anno.getanno(x, anno.Basic.ORIGIN) == "origin"


def test_reused_list_is_copied():
    body = templates.replace("y = 1")
    out = templates.replace("if a:\n    body\nelse:\n    body", a="c", body=body)
    assert out[0].body[0] is body[0]
    assert out[0].orelse[0] is not body[0] and _src(out[0].orelse) == "y = 1"


def test_template_cache_stays_pristine():
    first = templates.replace("a = b + 1", a="x", b="y")
    first[0].value.left.id = "mutated"
    second = templates.replace("a = b + 1", a="p", b="q")
    assert _src(second) == "p = q + 1"
    assert _src(templates.replace("a = b + 1")) == "a = b + 1"
    # Template nodes carry no positions.
    assert not any(hasattr(n, "lineno") for n in gast.walk(second[0]))


class FakeQN:
    def __init__(self, name):
        self.name = name

    def ast(self):
        return gast.Attribute(_name("self"), self.name, gast.Load())

    def __str__(self):
        return "self." + self.name


def test_qn_like_objects():
    out = templates.replace("target = value", target=FakeQN("a"), value=FakeQN("b"))
    assert _src(out) == "self.a = self.b"
    assert isinstance(out[0].targets[0].ctx, gast.Store)


def test_constants():
    out = templates.replace_as_expression("f(a, b, c, d)", a=1, b=2.5, c=True, d=None)
    assert _src(out) == "f(1, 2.5, True, None)"


def test_errors():
    with pytest.raises(ValueError, match="not a single expression"):
        templates.replace_as_expression("x = 1")
    with pytest.raises(ValueError, match="cannot use"):
        templates.replace("x = y", y=object())
    with pytest.raises(ValueError, match="not a valid name"):
        templates.replace("x = y", y="not valid")
    with pytest.raises(ValueError, match="single"):
        templates.replace("x = y", y=[_name("a"), _name("b")])


def test_indented_template_and_output_compiles():
    out = templates.replace("""
        while test:
            body
        else:
            pass
    """, test=gast.Compare(_name("i"), [gast.Lt()], [gast.Constant(3, None)]),
        body=templates.replace("i += 1"))
    assert _src(out) == "while i < 3:\n    i += 1\nelse:\n    pass"
    _compiles(out)


def test_copy_tree():
    tree = parser.parse_str("def f(x):\n    return [x for x in y]").body[0]
    anno.setanno(tree, anno.Basic.ORIGIN, 1)
    copy = templates.copy_tree(tree)
    assert gast.dump(copy, include_attributes=True) == gast.dump(tree, include_attributes=True)
    assert not {id(n) for n in gast.walk(copy)} & {id(n) for n in gast.walk(tree)}
    assert anno.getanno(copy, anno.Basic.ORIGIN) == 1


def test_template_that_vanishes():
    assert templates.replace("extra", extra=None) == []
    assert templates.replace("extra", extra=[]) == []
