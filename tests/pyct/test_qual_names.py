"""Tests for autograph.pyct.qual_names."""

import copy
import pickle
import textwrap

import gast
import pytest

from autograph.pyct import anno, qual_names
from autograph.pyct.qual_names import QN, Literal


def _expr(src):
    return gast.parse(src, mode='eval').body


# -- QN structure --------------------------------------------------------------------------

def test_simple():
    x = QN('x')
    assert str(x) == 'x' and repr(x) == 'x'
    assert x.qn == ('x',)
    assert not x.is_composite() and x.is_simple() and x.is_symbol()
    assert not x.has_attr() and not x.has_subscript()
    assert x.root is x
    assert x.owner_set == set()
    assert x.support_set == {x}
    with pytest.raises(ValueError):
        _ = x.parent
    with pytest.raises(ValueError):
        _ = x.attr


def test_attribute():
    xy = QN(QN('x'), attr='y')
    assert str(xy) == 'x.y'
    assert xy.qn == (QN('x'), 'y')
    assert xy.is_composite() and xy.has_attr() and not xy.has_subscript()
    assert xy.parent == QN('x')
    assert xy.attr == 'y'
    assert xy.root == QN('x')
    assert xy.owner_set == {QN('x')}
    assert xy.support_set == {QN('x')}


def test_subscripts():
    x0 = QN(QN('x'), subscript=QN(Literal(0)))
    assert str(x0) == 'x[0]'
    assert x0.has_subscript() and not x0.has_attr()
    assert x0.support_set == {QN('x')}
    xi = QN(QN('x'), subscript=QN('i'))
    assert str(xi) == 'x[i]'
    assert xi.support_set == {QN('x'), QN('i')}
    assert xi.owner_set == {QN('x')}
    # A plain value is wrapped as a literal.
    assert QN(QN('x'), subscript=0) is x0
    assert str(QN(QN('x'), subscript='k')) == "x['k']"
    assert QN(Literal(0)).is_literal() and not QN(Literal(0)).is_symbol()


def test_deep_chain():
    q = qual_names.from_str('x.y[0].z')
    assert str(q) == 'x.y[0].z'
    assert q.root == QN('x')
    assert q.owner_set == {QN('x'), qual_names.from_str('x.y'), qual_names.from_str('x.y[0]')}
    assert q.support_set == {QN('x')}
    assert q.parent == qual_names.from_str('x.y[0]')
    q2 = qual_names.from_str('a[b.c][d]')
    assert q2.support_set == {QN('a'), QN('b'), QN('d')}


def test_invalid_constructions():
    with pytest.raises(ValueError):
        QN(QN('x'), attr='y', subscript=QN('z'))
    with pytest.raises(ValueError):
        QN('x', attr='y')
    with pytest.raises(ValueError):
        QN('x', subscript=QN('i'))
    with pytest.raises(ValueError):
        QN(QN('x'))
    with pytest.raises(ValueError):
        QN(3)


def test_equality_hash_and_interning():
    assert QN('x') == QN('x')
    assert QN('x') is QN('x')
    assert QN('x') != QN('y')
    assert QN(QN('x'), attr='y') == QN(QN('x'), attr='y')
    assert hash(QN(QN('x'), attr='y')) == hash(QN(QN('x'), attr='y'))
    # Attribute and subscript forms differ.
    assert QN(QN('x'), attr='y') != QN(QN('x'), subscript=QN('y'))
    assert QN(QN('x'), subscript='y') != QN(QN('x'), subscript=QN('y'))
    # Literal types are kept apart.
    assert QN(QN('x'), subscript=1) != QN(QN('x'), subscript=True)
    assert QN(QN('x'), subscript=1) != QN(QN('x'), subscript=1.0)
    assert QN('x') != 'x'
    assert len({QN('x'), QN('x'), QN(QN('x'), attr='y')}) == 2


def test_copy_deepcopy_pickle_keep_identity():
    q = qual_names.from_str("x.y[0]['k'][i]")
    assert copy.copy(q) is q
    assert copy.deepcopy(q) is q
    assert copy.deepcopy({q: [q]}) == {q: [q]}
    assert pickle.loads(pickle.dumps(q)) is q
    assert pickle.loads(pickle.dumps(QN('z'))) is QN('z')


def test_ordering_and_ssf():
    assert sorted([QN('b'), QN('a'), qual_names.from_str('a.b')]) == [
        QN('a'), qual_names.from_str('a.b'), QN('b')]
    assert qual_names.from_str('x.y').ssf() == 'x_y'
    assert qual_names.from_str('x[0]').ssf() == 'x_sub_0'
    assert qual_names.from_str('x[i].z').ssf() == 'x_sub_i_z'


@pytest.mark.parametrize('src', [
    'x', 'x.y', 'x[0]', 'x[i]', 'x.y[0].z', "x['k']", 'x[-1]', 'x[i][j]', 'a.b.c.d',
    'x[a.b]', 'x[None]', 'x[1.5]',
])
def test_from_str_round_trip(src):
    q = qual_names.from_str(src)
    assert str(q) == src
    assert QN.from_str(src) is q


@pytest.mark.parametrize('src', ['f()', 'x[1:2]', 'x + 1', 'x[i + 1]', '1', 'x[...]', 'x y'])
def test_from_str_rejects(src):
    with pytest.raises(qual_names.QnResolveError):
        qual_names.from_str(src)


@pytest.mark.parametrize('src', ['x', 'x.y', 'x[0]', 'x[i]', 'x.y[0].z', "x['k']", 'x[-1]'])
def test_ast_round_trip(src):
    q = qual_names.from_str(src)
    node = q.ast()
    assert isinstance(node.ctx, gast.Load)
    assert gast.unparse(node).strip() == src
    qual_names.resolve(node)
    assert anno.getanno(node, anno.Basic.QN) is q
    store = q.ast(ctx=gast.Store())
    assert isinstance(store.ctx, gast.Store)


# -- resolve -------------------------------------------------------------------------------

@pytest.mark.parametrize('src, expected', [
    ('x', 'x'),
    ('x.y', 'x.y'),
    ('x[0]', 'x[0]'),
    ('x[i]', 'x[i]'),
    ('x.y[0].z', 'x.y[0].z'),
    ("x['a']", "x['a']"),
    ('x[-1]', 'x[-1]'),
    ('x[a.b]', 'x[a.b]'),
    ('x[y[0]]', 'x[y[0]]'),
    ('f().x', None),
    ('x[i + 1]', None),
    ('x[1:2]', None),
    ('x[i, j]', None),
    ('x[...]', None),
    ('f(x).y[0]', None),
])
def test_resolve_table(src, expected):
    node = _expr(src)
    qual_names.resolve(node)
    got = anno.getanno(node, anno.Basic.QN, None)
    assert (str(got) if got is not None else None) == expected


def test_resolve_annotates_every_level():
    node = _expr('a.b[c].d')
    qual_names.resolve(node)
    found = {}
    for n in gast.walk(node):
        if anno.hasanno(n, anno.Basic.QN):
            found[str(anno.getanno(n, anno.Basic.QN))] = type(n).__name__
    assert found == {'a': 'Name', 'a.b': 'Attribute', 'c': 'Name', 'a.b[c]': 'Subscript',
                     'a.b[c].d': 'Attribute'}


def test_resolve_inside_calls_and_statements():
    src = textwrap.dedent('''
        def f(a, b=c.d):
            a.x[i] = g(b.y, k=z[0])
            return [t.u for t in a.v]
    ''')
    fn = gast.parse(src).body[0]
    qual_names.resolve(fn)
    qns = {str(anno.getanno(n, anno.Basic.QN)) for n in gast.walk(fn)
           if anno.hasanno(n, anno.Basic.QN)}
    assert qns == {'a', 'b', 'c', 'c.d', 'a.x', 'i', 'a.x[i]', 'g', 'b.y', 'z', 'z[0]', 't',
                   't.u', 'a.v'}


def test_resolve_removes_stale_annotation():
    node = _expr('f().x')
    anno.setanno(node, anno.Basic.QN, QN('stale'))
    qual_names.resolve(node)
    assert not anno.hasanno(node, anno.Basic.QN)


def test_resolve_list_and_returns_node():
    stmts = gast.parse('a = b\nc.d = e').body
    assert qual_names.resolve(stmts) is stmts
    assert str(anno.getanno(stmts[1].targets[0], anno.Basic.QN)) == 'c.d'
    node = gast.parse('x').body[0]
    assert qual_names.resolve(node) is node


def test_function_params_and_annotations_resolved():
    fn = gast.parse('def f(a: T.U, *args, **kw) -> R: pass').body[0]
    qual_names.resolve(fn)
    assert anno.getanno(fn.args.args[0], anno.Basic.QN) == QN('a')
    assert str(anno.getanno(fn.args.args[0].annotation, anno.Basic.QN)) == 'T.U'
    assert anno.getanno(fn.args.vararg, anno.Basic.QN) == QN('args')
    assert anno.getanno(fn.returns, anno.Basic.QN) == QN('R')
