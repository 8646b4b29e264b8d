"""Tests for autograph.pyct.anno."""

import ast
import copy

import gast
import pytest

from autograph.pyct import anno


def _node():
    return gast.parse('x = y + 1').body[0]


def test_set_get_has_del():
    node = _node()
    assert not anno.hasanno(node, anno.Basic.QN)
    anno.setanno(node, anno.Basic.QN, 'v')
    assert anno.hasanno(node, anno.Basic.QN)
    assert anno.getanno(node, anno.Basic.QN) == 'v'
    anno.setanno(node, anno.Basic.QN, 'w')
    assert anno.getanno(node, anno.Basic.QN) == 'w'
    anno.delanno(node, anno.Basic.QN)
    assert not anno.hasanno(node, anno.Basic.QN)


def test_getanno_default_and_missing():
    node = _node()
    assert anno.getanno(node, anno.Static.SCOPE, None) is None
    assert anno.getanno(node, anno.Static.SCOPE, 3) == 3
    with pytest.raises(KeyError):
        anno.getanno(node, anno.Static.SCOPE)
    anno.setanno(node, anno.Basic.ORIGIN, 1)
    with pytest.raises(KeyError):
        anno.getanno(node, anno.Static.SCOPE)
    # A stored None is returned, not replaced by the default.
    anno.setanno(node, anno.Static.SCOPE, None)
    assert anno.getanno(node, anno.Static.SCOPE, 5) is None


def test_delanno_missing_raises():
    node = _node()
    with pytest.raises(KeyError):
        anno.delanno(node, anno.Basic.QN)
    anno.setanno(node, anno.Basic.ORIGIN, 1)
    with pytest.raises(KeyError):
        anno.delanno(node, anno.Basic.QN)


def test_storage_is_a_node_dict_not_a_field():
    node = _node()
    anno.setanno(node, anno.Basic.SKIP_PROCESSING, True)
    assert node.___pyct_anno == {anno.Basic.SKIP_PROCESSING: True}
    assert '___pyct_anno' not in node._fields
    # Annotated trees still convert to ast and compile.
    module = gast.Module(body=[node], type_ignores=[])
    compile(gast.gast_to_ast(module), '<test>', 'exec')
    assert 'pyct' not in ast.dump(gast.gast_to_ast(module))


def test_copyanno():
    a, b = _node(), _node()
    anno.setanno(a, anno.Basic.QN, 'q')
    anno.copyanno(a, b, anno.Basic.QN)
    assert anno.getanno(b, anno.Basic.QN) == 'q'
    # Missing key: nothing copied.
    anno.copyanno(a, b, anno.Basic.ORIGIN)
    assert not anno.hasanno(b, anno.Basic.ORIGIN)


def test_dup():
    node = gast.parse('a = b\nc = d').body
    module = gast.Module(body=node, type_ignores=[])
    names = [n for n in gast.walk(module) if isinstance(n, gast.Name)]
    for i, n in enumerate(names):
        anno.setanno(n, anno.Basic.QN, i)
    anno.dup(module, {anno.Basic.QN: anno.Basic.ORIGIN})
    for i, n in enumerate(names):
        assert anno.getanno(n, anno.Basic.ORIGIN) == i
        assert anno.getanno(n, anno.Basic.QN) == i
    assert not anno.hasanno(module, anno.Basic.ORIGIN)


def test_keys_and_clearanno():
    node = _node()
    assert anno.keys(node) == frozenset()
    anno.setanno(node, anno.Basic.QN, 1)
    anno.setanno(node.value, anno.Static.SCOPE, 2)
    assert anno.keys(node) == {anno.Basic.QN}
    anno.clearanno(node)
    assert anno.keys(node) == frozenset()
    assert anno.keys(node.value) == frozenset()


def test_annotations_survive_deepcopy():
    node = _node()
    anno.setanno(node, anno.Basic.QN, [1])
    clone = copy.deepcopy(node)
    assert anno.getanno(clone, anno.Basic.QN) == [1]


@pytest.mark.parametrize('key', list(anno.Basic) + list(anno.Static))
def test_every_key_is_documented(key):
    assert isinstance(key.value, str) and len(key.value) > 20
    assert 'Set by' in key.value


def test_required_keys_exist():
    for name in ('QN', 'SKIP_PROCESSING', 'ORIGIN', 'DIRECTIVES', 'EXTRA_LOOP_TEST'):
        assert isinstance(getattr(anno.Basic, name), anno.Basic)
    for name in ('SCOPE', 'ARGS_SCOPE', 'BODY_SCOPE', 'ORELSE_SCOPE', 'COND_SCOPE',
                 'ITERATE_SCOPE', 'LIVE_VARS_IN', 'LIVE_VARS_OUT', 'DEFINED_VARS_IN',
                 'DEFINITELY_DEFINED_IN'):
        assert isinstance(getattr(anno.Static, name), anno.Static)


def test_keys_are_distinct_and_hashable():
    keys = list(anno.Basic) + list(anno.Static)
    assert len(set(keys)) == len(keys)
    assert anno.Basic.QN != anno.Static.SCOPE
    assert str(anno.Static.SCOPE) == 'SCOPE'
