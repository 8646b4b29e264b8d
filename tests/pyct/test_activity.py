"""Tests for autograph.pyct.activity."""

import textwrap

import gast
import pytest

from autograph.pyct import activity, anno
from autograph.pyct.qual_names import QN

# gast < 0.6 parses `match` statements to None.
HAS_MATCH = gast.parse('match x:\n case 1:\n  pass').body[0] is not None

S = anno.Static


def _resolve(src, **kwargs):
    node = gast.parse(textwrap.dedent(src)).body[0]
    activity.resolve(node, **kwargs)
    return node


def _names(qns):
    return {str(q) for q in qns}


def _check(scope, **expected):
    for field, names in expected.items():
        value = getattr(scope, field)
        if field == 'params':
            assert set(value) == set(names), field
        else:
            assert _names(value) == set(names), (field, _names(value))


def _scope(node, key=S.SCOPE):
    return anno.getanno(node, key)


# Each case: source of a function, a path from the function to a node, the annotation key,
# and the expected sets (fields not listed are not checked).
CASES = [
    ('assign', 'def f(a):\n b = a + c', 'body[0]', S.SCOPE,
     dict(read={'a', 'c'}, modified={'b'}, bound={'b'}, deleted=set())),
    ('tuple_assign_starred', 'def f(a):\n b, *c = a', 'body[0]', S.SCOPE,
     dict(read={'a'}, modified={'b', 'c'}, bound={'b', 'c'})),
    ('chained_assign', 'def f(a):\n x = y = a', 'body[0]', S.SCOPE,
     dict(read={'a'}, modified={'x', 'y'})),
    ('augassign', 'def f(x, y):\n x += y', 'body[0]', S.SCOPE,
     dict(read={'x', 'y'}, modified={'x'}, bound={'x'})),
    ('attribute_store', 'def f(a, v):\n a.b = v', 'body[0]', S.SCOPE,
     dict(read={'a', 'v'}, modified={'a.b'}, bound=set())),
    ('subscript_store', 'def f(a, i, v):\n a[i] = v', 'body[0]', S.SCOPE,
     dict(read={'a', 'i', 'v'}, modified={'a[i]'}, bound=set())),
    ('subscript_const_store', 'def f(a, v):\n a[0] = v', 'body[0]', S.SCOPE,
     dict(read={'a', 'v'}, modified={'a[0]'})),
    ('subscript_augassign', 'def f(a, i, v):\n a[i] += v', 'body[0]', S.SCOPE,
     dict(read={'a', 'i', 'a[i]', 'v'}, modified={'a[i]'})),
    ('self_attr_augassign', 'def f(self):\n self.n += 1', 'body[0]', S.SCOPE,
     dict(read={'self', 'self.n'}, modified={'self.n'})),
    ('slice_store_modifies_owner', 'def f(a, v):\n a[1:2] = v', 'body[0]', S.SCOPE,
     dict(read={'a', 'v'}, modified={'a'}, bound=set())),
    ('tuple_index_store_modifies_owner', 'def f(a, i, j, v):\n a[i, j] = v', 'body[0]',
     S.SCOPE, dict(read={'a', 'i', 'j', 'v'}, modified={'a'})),
    ('expr_index_store_modifies_owner', 'def f(a, i):\n a.b[i + 1] = 0', 'body[0]', S.SCOPE,
     dict(read={'a', 'a.b', 'i'}, modified={'a.b'})),
    ('call_result_attribute_store', 'def f():\n g().x = 1', 'body[0]', S.SCOPE,
     dict(read={'g'}, modified=set())),
    ('attribute_read', 'def f(a):\n return a.b.c', 'body[0]', S.SCOPE,
     dict(read={'a', 'a.b', 'a.b.c'}, modified=set())),
    ('append', 'def f(x, v):\n x.append(v)', 'body[0]', S.SCOPE,
     dict(read={'x', 'x.append', 'v'}, modified={'x'}, bound=set())),
    ('composite_append', 'def f(self, v):\n self.items.append(v)', 'body[0]', S.SCOPE,
     dict(read={'self', 'self.items', 'self.items.append', 'v'}, modified={'self.items'})),
    ('subscript_pop', 'def f(d, k):\n d[k].pop()', 'body[0]', S.SCOPE,
     dict(read={'d', 'k', 'd[k]', 'd[k].pop'}, modified={'d[k]'})),
    ('non_mutating_method', 'def f(x):\n x.copy()', 'body[0]', S.SCOPE,
     dict(read={'x', 'x.copy'}, modified=set())),
    ('call_result_method', 'def f(x):\n g(x).append(1)', 'body[0]', S.SCOPE,
     dict(read={'g', 'x'}, modified=set())),
    ('delete', 'def f(x, a):\n del x, a.b', 'body[0]', S.SCOPE,
     dict(read={'x', 'a', 'a.b'}, deleted={'x', 'a.b'}, bound={'x'}, modified=set())),
    ('return_and_raise', 'def f(x):\n raise E(x) from c', 'body[0]', S.SCOPE,
     dict(read={'E', 'x', 'c'})),
    ('assert', 'def f(x):\n assert x > 0, msg(x)', 'body[0]', S.SCOPE,
     dict(read={'x', 'msg'}, modified=set())),
    ('imports', 'def f():\n import os.path, numpy as np\n from a.b import c as d, e',
     'body[0]', S.SCOPE, dict(modified={'os', 'np'}, bound={'os', 'np'}, read=set())),
    ('import_from', 'def f():\n from a.b import c as d, e', 'body[0]', S.SCOPE,
     dict(modified={'d', 'e'}, bound={'d', 'e'})),
    ('annotated_assign', 'def f():\n b: float = 1.0', 'body[0]', S.SCOPE,
     dict(read={'float'}, annotations={'float'}, modified={'b'}, bound={'b'})),
    ('annotated_declaration', 'def f():\n c: str', 'body[0]', S.SCOPE,
     dict(read={'str'}, annotations={'str'}, modified=set(), bound={'c'})),
    ('annotated_attribute_declaration', 'def f(self):\n self.c: str', 'body[0]', S.SCOPE,
     dict(read={'self', 'str'}, modified=set(), bound=set())),
    ('walrus_in_if_test', 'def f(a):\n if (n := len(a)) > 10:\n  pass', 'body[0]', S.COND_SCOPE,
     dict(read={'len', 'a'}, modified={'n'}, bound={'n'})),
    ('comprehension_targets_do_not_leak', 'def f(xs, k, t):\n y = [x * k for x in xs if x > t]',
     'body[0]', S.SCOPE, dict(read={'xs', 'k', 't'}, modified={'y'}, bound={'y'})),
    ('comprehension_scope', 'def f(xs, k, t):\n y = [x * k for x in xs if x > t]',
     'body[0].value', S.SCOPE, dict(read={'x', 'k', 't'}, modified={'x'}, bound={'x'})),
    ('nested_comprehension', 'def f(xs):\n return [y for x in xs for y in x]', 'body[0]',
     S.SCOPE, dict(read={'xs'})),
    ('comprehension_outer_iter_is_enclosing', 'def f(x):\n return [x for x in x]', 'body[0]',
     S.SCOPE, dict(read={'x'}, modified=set())),
    ('dict_comprehension', 'def f(d):\n return {k: v for k, v in d.items()}', 'body[0]',
     S.SCOPE, dict(read={'d', 'd.items'}, modified=set())),
    ('set_and_generator', 'def f(xs, ys):\n return {a for a in xs}, sum(b.v for b in ys)',
     'body[0]', S.SCOPE, dict(read={'xs', 'ys', 'sum'}, modified=set())),
    ('comprehension_mutation_leaks', 'def f(out, xs):\n [out.append(x) for x in xs]', 'body[0]',
     S.SCOPE, dict(read={'out', 'out.append', 'xs'}, modified={'out'})),
    ('comprehension_local_mutation', 'def f(ls):\n [l.append(1) for l in ls]', 'body[0]',
     S.SCOPE, dict(read={'ls'}, modified=set())),
    ('walrus_in_comprehension_binds_outside',
     'def f(xs):\n ys = [z for x in xs if (z := x * 2)]', 'body[0]', S.SCOPE,
     dict(read={'xs', 'z'}, modified={'ys', 'z'}, bound={'ys', 'z'})),
    ('lambda_statement', 'def f(d):\n g = lambda x, y=d: x + y + k', 'body[0]', S.SCOPE,
     dict(read={'d', 'k'}, modified={'g'}, bound={'g'})),
    ('lambda_scope', 'def f(d):\n g = lambda x, y=d: x + y + k', 'body[0].value', S.SCOPE,
     dict(read={'x', 'y', 'k'}, bound={'x', 'y'}, modified=set(), params={'x', 'y'},
          free_vars={'k'})),
    ('lambda_args_scope', 'def f(d):\n g = lambda x, y=d: x + y + k', 'body[0].value',
     S.ARGS_SCOPE, dict(read={'d'}, bound={'x', 'y'}, params={'x', 'y'})),
    ('if_cond', 'def f(a, b):\n if a > 0:\n  c = b\n else:\n  d = 1\n  c = d', 'body[0]',
     S.COND_SCOPE, dict(read={'a'}, modified=set())),
    ('if_body', 'def f(a, b):\n if a > 0:\n  c = b\n else:\n  d = 1\n  c = d', 'body[0]',
     S.BODY_SCOPE, dict(read={'b'}, modified={'c'})),
    ('if_orelse', 'def f(a, b):\n if a > 0:\n  c = b\n else:\n  d = 1\n  c = d', 'body[0]',
     S.ORELSE_SCOPE, dict(read={'d'}, modified={'c', 'd'})),
    ('if_whole', 'def f(a, b):\n if a > 0:\n  c = b\n else:\n  d = 1\n  c = d', 'body[0]',
     S.SCOPE, dict(read={'a', 'b', 'd'}, modified={'c', 'd'}, bound={'c', 'd'})),
    ('if_test_node', 'def f(a, b):\n if a > 0:\n  c = b', 'body[0].test', S.SCOPE,
     dict(read={'a'}, modified=set())),
    ('if_without_else', 'def f(a):\n if a:\n  b = 1', 'body[0]', S.ORELSE_SCOPE,
     dict(read=set(), modified=set())),
    ('while_scopes', 'def f(n):\n while (m := n) > 0:\n  n -= 1\n else:\n  r = n', 'body[0]',
     S.COND_SCOPE, dict(read={'n'}, modified={'m'})),
    ('while_body', 'def f(n):\n while (m := n) > 0:\n  n -= 1\n else:\n  r = n', 'body[0]',
     S.BODY_SCOPE, dict(read={'n'}, modified={'n'})),
    ('while_orelse', 'def f(n):\n while (m := n) > 0:\n  n -= 1\n else:\n  r = n', 'body[0]',
     S.ORELSE_SCOPE, dict(read={'n'}, modified={'r'})),
    ('for_cond', 'def f(xs, total):\n for i, x in enumerate(xs):\n  total += x', 'body[0]',
     S.COND_SCOPE, dict(read={'enumerate', 'xs'}, modified=set())),
    ('for_iterate', 'def f(xs, total):\n for i, x in enumerate(xs):\n  total += x', 'body[0]',
     S.ITERATE_SCOPE, dict(read=set(), modified={'i', 'x'}, bound={'i', 'x'})),
    ('for_body', 'def f(xs, total):\n for i, x in enumerate(xs):\n  total += x', 'body[0]',
     S.BODY_SCOPE, dict(read={'total', 'x'}, modified={'total'})),
    ('for_whole', 'def f(xs, total):\n for i, x in enumerate(xs):\n  total += x\n else:\n  e = 1',
     'body[0]', S.SCOPE, dict(read={'enumerate', 'xs', 'total', 'x'},
                              modified={'i', 'x', 'total', 'e'})),
    ('for_iter_node', 'def f(xs):\n for x in xs:\n  pass', 'body[0].iter', S.SCOPE,
     dict(read={'xs'}, modified=set())),
    ('for_target_node', 'def f(xs):\n for x in xs:\n  pass', 'body[0].target', S.SCOPE,
     dict(read=set(), modified={'x'})),
    ('for_attribute_target', 'def f(self, r):\n for self.i in r:\n  pass', 'body[0]',
     S.ITERATE_SCOPE, dict(read={'self'}, modified={'self.i'}, bound=set())),
    ('try_whole', 'def f(x):\n try:\n  a = g(x)\n except ValueError as e:\n  b = e\n'
     ' else:\n  c = a\n finally:\n  d = 1', 'body[0]', S.SCOPE,
     dict(read={'g', 'x', 'ValueError', 'e', 'a'}, modified={'a', 'b', 'c', 'd', 'e'})),
    ('try_body', 'def f(x):\n try:\n  a = g(x)\n except ValueError as e:\n  b = e\n'
     ' else:\n  c = a', 'body[0]', S.BODY_SCOPE, dict(read={'g', 'x'}, modified={'a'})),
    ('try_orelse', 'def f(x):\n try:\n  a = g(x)\n except ValueError as e:\n  b = e\n'
     ' else:\n  c = a', 'body[0]', S.ORELSE_SCOPE, dict(read={'a'}, modified={'c'})),
    ('except_header', 'def f(x):\n try:\n  pass\n except (ValueError, T.E) as e:\n  b = e',
     'body[0].handlers[0]', S.SCOPE,
     dict(read={'ValueError', 'T', 'T.E'}, modified={'e'}, bound={'e'})),
    ('except_body', 'def f(x):\n try:\n  pass\n except ValueError as e:\n  b = e',
     'body[0].handlers[0]', S.BODY_SCOPE, dict(read={'e'}, modified={'b'})),
    ('with_item', 'def f(p):\n with open(p) as (a, b), lock:\n  c = a', 'body[0].items[0]',
     S.SCOPE, dict(read={'open', 'p'}, modified={'a', 'b'})),
    ('with_whole', 'def f(p):\n with open(p) as (a, b), lock:\n  c = a', 'body[0]', S.SCOPE,
     dict(read={'open', 'p', 'lock', 'a'}, modified={'a', 'b', 'c'})),
    ('with_body', 'def f(p):\n with open(p) as (a, b), lock:\n  c = a', 'body[0]', S.BODY_SCOPE,
     dict(read={'a'}, modified={'c'})),
    ('global_statement', 'def f():\n global G, H\n G = 1', 'body[0]', S.SCOPE,
     dict(globals={'G', 'H'}, modified=set(), read=set())),
    ('global_assignment_is_not_bound', 'def f():\n global G\n G = 1', 'body[1]', S.SCOPE,
     dict(modified={'G'}, bound=set())),
    ('global_function_scope', 'def f():\n global G\n G = 1\n x = G', '', S.SCOPE,
     dict(globals={'G'}, modified={'G', 'x'}, bound={'x'}, free_vars=set())),
    ('nonlocal_in_nested', 'def f():\n x = 0\n def g():\n  nonlocal x\n  x += 1\n return x',
     'body[1]', S.SCOPE, dict(nonlocals={'x'}, modified={'x'}, read={'x'}, bound=set(),
                              free_vars={'x'})),
    ('nonlocal_def_statement',
     'def f():\n x = 0\n def g():\n  nonlocal x\n  x += 1\n return x', 'body[1]', S.DEF_SCOPE,
     dict(read={'x'}, modified={'g'}, bound={'g'})),
    ('nonlocal_outer', 'def f():\n x = 0\n def g():\n  nonlocal x\n  x += 1\n return x', '',
     S.SCOPE, dict(read={'x'}, modified={'x', 'g'}, bound={'x', 'g'}, free_vars=set(),
                   nonlocals=set())),
    ('match_subject', 'def f(cmd):\n match cmd.kind:\n  case 1:\n   pass', 'body[0]',
     S.COND_SCOPE, dict(read={'cmd', 'cmd.kind'})),
    ('match_class_pattern', 'def f(cmd, lim):\n match cmd:\n  case Point(x=px, y=0) if px > lim:'
     '\n   r = px', 'body[0].cases[0].pattern', S.SCOPE,
     dict(read={'Point'}, modified={'px'}, bound={'px'})),
    ('match_guard', 'def f(cmd, lim):\n match cmd:\n  case Point(x=px, y=0) if px > lim:'
     '\n   r = px', 'body[0].cases[0].guard', S.SCOPE, dict(read={'px', 'lim'})),
    ('match_case_whole', 'def f(cmd, lim):\n match cmd:\n  case Point(x=px, y=0) if px > lim:'
     '\n   r = px', 'body[0].cases[0]', S.SCOPE,
     dict(read={'Point', 'px', 'lim'}, modified={'px', 'r'})),
    ('match_case_body', 'def f(cmd, lim):\n match cmd:\n  case Point(x=px) if px > lim:'
     '\n   r = px', 'body[0].cases[0]', S.BODY_SCOPE, dict(read={'px'}, modified={'r'})),
    ('match_sequence_star', 'def f(cmd):\n match cmd:\n  case [first, *rest]:\n   pass',
     'body[0].cases[0].pattern', S.SCOPE, dict(modified={'first', 'rest'}, read=set())),
    ('match_mapping', "def f(cmd):\n match cmd:\n  case {'k': v, **others}:\n   pass",
     'body[0].cases[0].pattern', S.SCOPE, dict(modified={'v', 'others'}, read=set())),
    ('match_value_or', 'def f(cmd):\n match cmd:\n  case Color.RED | None:\n   pass',
     'body[0].cases[0].pattern', S.SCOPE, dict(read={'Color', 'Color.RED'}, modified=set())),
    ('match_as', 'def f(cmd):\n match cmd:\n  case str() as s:\n   pass',
     'body[0].cases[0].pattern', S.SCOPE, dict(read={'str'}, modified={'s'})),
    ('match_whole', 'def f(cmd):\n match cmd:\n  case [a]:\n   r = a\n  case _:\n   r = 0',
     'body[0]', S.SCOPE, dict(read={'cmd', 'a'}, modified={'a', 'r'})),
    ('function_scope', 'def f(a, *b, c=1, **d):\n e = a + g\n return e', '', S.SCOPE,
     dict(read={'a', 'g', 'e'}, modified={'e'}, bound={'a', 'b', 'c', 'd', 'e'},
          params={'a', 'b', 'c', 'd'}, free_vars={'g'}, globals=set())),
    ('function_args_scope', 'def f(a, /, b: T = x.y, *c, d, **e) -> R:\n pass', '',
     S.ARGS_SCOPE, dict(read={'T', 'x', 'x.y'}, annotations={'T'},
                        bound={'a', 'b', 'c', 'd', 'e'}, modified={'a', 'b', 'c', 'd', 'e'},
                        params={'a', 'b', 'c', 'd', 'e'})),
    ('function_def_scope', '@deco\ndef f(a, b: T = x.y) -> R:\n return a + z', '',
     S.DEF_SCOPE, dict(read={'deco', 'T', 'x', 'x.y', 'R', 'z'}, annotations={'T', 'R'},
                       modified={'f'}, bound={'f'})),
    ('function_body_scope', 'def f(a):\n b = a\n return b', '', S.BODY_SCOPE,
     dict(read={'a', 'b'}, modified={'b'})),
    ('nested_def_statement',
     'def f(a):\n @deco\n def g(b, c=a.d) -> T:\n  e = b + a + h\n  return e\n return g',
     'body[0]', S.DEF_SCOPE, dict(read={'deco', 'a', 'a.d', 'T', 'h'}, modified={'g'},
                                  bound={'g'})),
    ('nested_def_function_scope',
     'def f(a):\n @deco\n def g(b, c=a.d) -> T:\n  e = b + a + h\n  return e\n return g',
     'body[0]', S.SCOPE, dict(read={'b', 'a', 'h', 'e'}, modified={'e'}, bound={'b', 'c', 'e'},
                              free_vars={'a', 'h'}, params={'b', 'c'})),
    ('nested_def_outer',
     'def f(a):\n @deco\n def g(b, c=a.d) -> T:\n  e = b + a + h\n  return e\n return g',
     '', S.SCOPE, dict(modified={'g'}, bound={'a', 'g'}, free_vars={'deco', 'T', 'h'})),
    ('nested_def_in_if_contributes_free_reads_only',
     'def f(c):\n if c:\n  def g():\n   t = 1\n   return t + u', 'body[0]', S.SCOPE,
     dict(read={'c', 'u'}, modified={'g'}, bound={'g'})),
    ('nested_lambda_in_def', 'def f():\n def g(x):\n  return (lambda y: x + y + z)(1)\n',
     'body[0]', S.DEF_SCOPE, dict(read={'z'})),
    ('nested_function_composite_free_read', 'def f(self):\n def g():\n  return self.v\n',
     'body[0]', S.DEF_SCOPE, dict(read={'self', 'self.v'})),
    ('class_statement',
     'def f(x):\n class C(Base, metaclass=M):\n  attr = x\n  k = 1\n  def m(self):\n'
     '   return self.v + y + k', 'body[0]', S.SCOPE,
     dict(read={'Base', 'M', 'x', 'y', 'k'}, modified={'C'}, bound={'C'})),
    ('class_body', 'def f(x):\n class C:\n  attr = x\n  def m(self):\n   return y',
     'body[0]', S.BODY_SCOPE, dict(bound={'attr', 'm'}, modified={'attr', 'm'})),
]


def _follow(node, path):
    return eval('node' + ('.' + path if path else ''), {'node': node})


@pytest.mark.parametrize('name, src, path, key, expected', CASES, ids=[c[0] for c in CASES])
def test_scopes(name, src, path, key, expected):
    if 'match' in name and not HAS_MATCH:
        pytest.skip('this gast does not support match')
    fn = _resolve(src)
    target = _follow(fn, path)
    _check(anno.getanno(target, key), **expected)


def test_every_statement_has_a_scope():
    fn = _resolve('''
        def f(a, xs):
            b = 1
            for x in xs:
                if x:
                    continue
                while b:
                    b -= 1
                    break
            try:
                pass
            except E:
                raise
            finally:
                del b
            with c:
                pass
            global g
            import os
            assert a
            return a
    ''')
    for node in gast.walk(fn):
        if isinstance(node, gast.stmt):
            assert isinstance(anno.getanno(node, S.SCOPE), activity.Scope), type(node)
            assert isinstance(activity.stmt_scope(node), activity.Scope)


def test_scope_flags_and_parents():
    fn = _resolve('''
        def f(a):
            if a:
                b = [x for x in a]
            g = lambda: a
            def h():
                pass
    ''')
    fs = anno.getanno(fn, S.SCOPE)
    assert fs.isolated and fs.parent is None
    if_scope = anno.getanno(fn.body[0], S.SCOPE)
    assert not if_scope.isolated and if_scope.parent is fs
    assert if_scope.enclosing_scope is fs
    assert if_scope.free_vars == fs.free_vars
    comp = anno.getanno(fn.body[0].body[0].value, S.SCOPE)
    assert comp.isolated and comp.parent is fs
    lam = anno.getanno(fn.body[1].value, S.SCOPE)
    assert lam.isolated and lam.parent is fs
    h = anno.getanno(fn.body[2], S.SCOPE)
    assert h.isolated and h.parent is fs
    assert activity.stmt_scope(fn.body[2]) is anno.getanno(fn.body[2], S.DEF_SCOPE)
    assert 'Scope(' in repr(fs)
    assert QN('a') in fs.referenced


def test_params_map_to_arg_nodes():
    fn = _resolve('def f(a, *b, c, **d):\n pass')
    params = anno.getanno(fn, S.SCOPE).params
    assert params == {'a': fn.args.args[0], 'b': fn.args.vararg, 'c': fn.args.kwonlyargs[0],
                      'd': fn.args.kwarg}
    assert anno.getanno(fn.args, S.SCOPE) is anno.getanno(fn, S.ARGS_SCOPE)


def test_custom_mutating_methods():
    fn = _resolve('def f(x, y):\n x.push(1)\n y.append(2)', mutating_methods={'push'})
    _check(anno.getanno(fn.body[0], S.SCOPE), modified={'x'})
    _check(anno.getanno(fn.body[1], S.SCOPE), modified=set())
    assert 'append' in activity.DEFAULT_MUTATING_METHODS
    assert activity.DEFAULT_MUTATING_METHODS == frozenset({
        'append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse', 'update',
        'setdefault', 'popitem', 'add', 'discard'})


def test_mutation_makes_loop_state():
    fn = _resolve('''
        def f(xs):
            out = []
            for x in xs:
                out.append(x)
                d[x] = 1
            return out
    ''')
    loop = fn.body[1]
    _check(anno.getanno(loop, S.BODY_SCOPE), modified={'out', 'd[x]'})


def test_extra_loop_test_is_part_of_iterate_scope():
    fn = gast.parse('def f(xs):\n for x in xs:\n  pass').body[0]
    extra = gast.parse('not done', mode='eval').body
    anno.setanno(fn.body[0], anno.Basic.EXTRA_LOOP_TEST, extra)
    activity.resolve(fn)
    _check(anno.getanno(fn.body[0], S.ITERATE_SCOPE), read={'done'}, modified={'x'})
    _check(anno.getanno(extra, S.SCOPE), read={'done'})


def test_activity_sets_qualified_names():
    fn = _resolve('def f(a):\n a.b[c] = d.e')
    target = fn.body[0].targets[0]
    assert str(anno.getanno(target, anno.Basic.QN)) == 'a.b[c]'
    assert str(anno.getanno(fn.body[0].value, anno.Basic.QN)) == 'd.e'
    assert anno.getanno(fn.args.args[0], anno.Basic.QN) == QN('a')


def test_class_methods_get_scopes():
    fn = _resolve('''
        def f():
            class C:
                def m(self, v):
                    self.v = v
    ''')
    m = fn.body[0].body[0]
    _check(anno.getanno(m, S.SCOPE), modified={'self.v'}, bound={'self', 'v'}, free_vars=set())
    _check(anno.getanno(m.body[0], S.SCOPE), read={'self', 'v'}, modified={'self.v'})


def test_resolve_module_and_lambda():
    module = gast.parse(textwrap.dedent('''
        import os
        x = os.sep
        def f(a):
            return a + x
    '''))
    activity.resolve(module)
    ms = anno.getanno(module, S.SCOPE)
    assert ms.isolated
    _check(ms, modified={'os', 'x', 'f'}, read={'os', 'os.sep', 'x'})
    _check(anno.getanno(module.body[2], S.SCOPE), free_vars={'x'})
    lam = gast.parse('lambda a, b=c: a + d', mode='eval').body
    activity.resolve(lam)
    _check(anno.getanno(lam, S.SCOPE), read={'a', 'd'}, bound={'a', 'b'}, free_vars={'d'})
    with pytest.raises(ValueError):
        activity.resolve(gast.parse('x = 1').body[0])


def test_reresolve_after_change_is_fresh():
    fn = _resolve('def f(a):\n b = a')
    fn.body[0].value = gast.Name(id='c', ctx=gast.Load(), annotation=None, type_comment=None)
    activity.resolve(fn)
    _check(anno.getanno(fn.body[0], S.SCOPE), read={'c'})
    _check(anno.getanno(fn, S.SCOPE), free_vars={'c'})


def test_merge_from():
    a = activity.Scope()
    b = activity.Scope()
    b.read.add(QN('x'))
    b.globals.add(QN('g'))
    a.merge_from(b)
    _check(a, read={'x'}, globals={'g'})
