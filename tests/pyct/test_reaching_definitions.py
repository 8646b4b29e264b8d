"""Tests for autograph.pyct.reaching_definitions."""

import textwrap

import gast
import pytest

from autograph.pyct import activity, anno, cfg, reaching_definitions

# gast < 0.6 parses `match` statements to None.
HAS_MATCH = gast.parse('match x:\n case 1:\n  pass').body[0] is not None

S = anno.Static


def _resolve(src):
    node = gast.parse(textwrap.dedent(src)).body[0]
    activity.resolve(node)
    graphs = cfg.build(node)
    reaching_definitions.resolve(node, graphs)
    return node


def _defs(node):
    return ({str(q) for q in anno.getanno(node, S.DEFINED_VARS_IN)},
            {str(q) for q in anno.getanno(node, S.DEFINITELY_DEFINED_IN)})


# Each case: a function, then (path, defined, definitely defined) checks.
CASES = [
    ('params_at_entry', '''
        def f(a, b=1, *c, d, **e):
            x = a
            return x
     ''', [('body[0]', {'a', 'b', 'c', 'd', 'e'}, {'a', 'b', 'c', 'd', 'e'}),
           ('body[1]', {'a', 'b', 'c', 'd', 'e', 'x'}, {'a', 'b', 'c', 'd', 'e', 'x'})]),

    ('if_one_branch', '''
        def f(c):
            if c:
                x = 1
            else:
                y = 2
            return 0
     ''', [('body[0]', {'c'}, {'c'}), ('body[0].test', {'c'}, {'c'}),
           ('body[0].body[0]', {'c'}, {'c'}), ('body[1]', {'c', 'x', 'y'}, {'c'})]),

    ('if_both_branches', '''
        def f(c):
            if c:
                x = 1
            else:
                x = 2
            return x
     ''', [('body[1]', {'c', 'x'}, {'c', 'x'})]),

    ('if_without_else', '''
        def f(c):
            if c:
                x = 1
            return 0
     ''', [('body[1]', {'c', 'x'}, {'c'})]),

    ('while_loop', '''
        def f(n):
            i = 0
            while i < n:
                j = i
                i += 1
            return j
     ''', [('body[1]', {'n', 'i'}, {'n', 'i'}), ('body[1].test', {'n', 'i', 'j'}, {'n', 'i'}),
           ('body[1].body[0]', {'n', 'i', 'j'}, {'n', 'i'}),
           ('body[1].body[1]', {'n', 'i', 'j'}, {'n', 'i', 'j'}),
           ('body[2]', {'n', 'i', 'j'}, {'n', 'i'})]),

    ('for_loop', '''
        def f(xs):
            for x in xs:
                y = x
            return 1
     ''', [('body[0]', {'xs'}, {'xs'}), ('body[0].iter', {'xs', 'x', 'y'}, {'xs'}),
           ('body[0].body[0]', {'xs', 'x', 'y'}, {'xs', 'x'}),
           ('body[1]', {'xs', 'x', 'y'}, {'xs'})]),

    ('for_else_and_break', '''
        def f(xs):
            for x in xs:
                if x:
                    found = x
                    break
            else:
                found = None
            return found
     ''', [('body[1]', {'xs', 'x', 'found'}, {'xs', 'found'}),
           ('body[0].orelse[0]', {'xs', 'x'}, {'xs'})]),

    ('while_true_with_break', '''
        def f():
            while True:
                x = 1
                if x:
                    break
            return x
     ''', [('body[1]', {'x'}, {'x'})]),

    ('del_undefines', '''
        def f(a):
            b = a
            del b
            return a
     ''', [('body[1]', {'a', 'b'}, {'a', 'b'}), ('body[2]', {'a'}, {'a'})]),

    ('del_in_branch', '''
        def f(a, c):
            b = a
            if c:
                del b
            return 0
     ''', [('body[2]', {'a', 'b', 'c'}, {'a', 'c'})]),

    ('try_except', '''
        def f(x):
            try:
                y = g(x)
                z = y
            except E as e:
                w = e
            return 0
     ''', [('body[0]', {'x'}, {'x'}), ('body[0].handlers[0]', {'x', 'y', 'z'}, {'x'}),
           ('body[0].handlers[0].body[0]', {'x', 'y', 'z', 'e'}, {'x', 'e'}),
           ('body[1]', {'x', 'y', 'z', 'e', 'w'}, {'x'})]),

    ('try_else', '''
        def f(x):
            try:
                y = g(x)
            except E:
                return None
            else:
                z = y
            return z
     ''', [('body[0].orelse[0]', {'x', 'y'}, {'x', 'y'}), ('body[1]', {'x', 'y', 'z'},
                                                          {'x', 'y', 'z'})]),

    ('try_finally_is_conservative', '''
        def f(x):
            try:
                if x:
                    return 1
                y = 2
            finally:
                z = 3
            return y
     ''', [('body[0].finalbody[0]', {'x', 'y'}, {'x'}),
           # The finalbody is shared by the return path and the normal path.
           ('body[1]', {'x', 'y', 'z'}, {'x', 'z'})]),

    ('composites', '''
        def f(a):
            a.b = 1
            c = a.b
            a = g()
            return a
     ''', [('body[1]', {'a', 'a.b'}, {'a', 'a.b'}), ('body[3]', {'a', 'c'}, {'a', 'c'})]),

    ('subscript_definition_killed_by_index', '''
        def f(a, i):
            a[i] = 1
            i = 2
            return a
     ''', [('body[1]', {'a', 'i', 'a[i]'}, {'a', 'i', 'a[i]'}),
           ('body[2]', {'a', 'i'}, {'a', 'i'})]),

    ('walrus', '''
        def f(a):
            if (n := len(a)) > 0:
                return n
            return 0
     ''', [('body[0].body[0]', {'a', 'n'}, {'a', 'n'}), ('body[0]', {'a'}, {'a'})]),

    ('match_captures', '''
        def f(cmd):
            match cmd:
                case [a, b]:
                    r = a
                case {'k': v} if v:
                    r = v
                case _:
                    r = None
            return r
     ''', [('body[0]', {'cmd'}, {'cmd'}),
           ('body[0].cases[0].body[0]', {'cmd', 'a', 'b'}, {'cmd', 'a', 'b'}),
           ('body[0].cases[1].body[0]', {'cmd', 'a', 'b', 'v'}, {'cmd', 'v'}),
           ('body[0].cases[2].body[0]', {'cmd', 'a', 'b', 'v'}, {'cmd'}),
           ('body[1]', {'cmd', 'a', 'b', 'v', 'r'}, {'cmd', 'r'})]),

    ('match_without_wildcard', '''
        def f(cmd):
            match cmd:
                case [a]:
                    r = a
            return 0
     ''', [('body[1]', {'cmd', 'a', 'r'}, {'cmd'})]),

    ('with_target', '''
        def f(p):
            with open(p) as fh:
                data = fh.read()
            return data
     ''', [('body[0].body[0]', {'p', 'fh'}, {'p', 'fh'}),
           ('body[1]', {'p', 'fh', 'data'}, {'p', 'fh', 'data'})]),

    ('imports_and_defs', '''
        def f():
            import os
            def g():
                pass
            class C:
                pass
            return 0
     ''', [('body[3]', {'os', 'g', 'C'}, {'os', 'g', 'C'})]),

    ('mutation_is_a_definition', '''
        def f(xs):
            out = []
            for x in xs:
                out.append(x)
            return out
     ''', [('body[2]', {'xs', 'x', 'out'}, {'xs', 'out'})]),

    ('unreachable', '''
        def f(x):
            return x
            y = 1
            if y:
                pass
     ''', [('body[1]', set(), set()), ('body[2]', set(), set())]),
]


def _follow(node, path):
    return eval('node.' + path, {'node': node})


@pytest.mark.parametrize('name, src, checks', CASES, ids=[c[0] for c in CASES])
def test_reaching_definitions(name, src, checks):
    if 'match' in name and not HAS_MATCH:
        pytest.skip('this gast does not support match')
    fn = _resolve(src)
    for path, defined, definitely in checks:
        got = _defs(_follow(fn, path))
        assert (path,) + got == (path, defined, definitely)


def test_nested_function_inherits_definitions_at_def():
    fn = _resolve('''
        def f(a):
            b = 1
            def g(c):
                d = a + b
                return d
            e = 2
            return g
    ''')
    g = fn.body[1]
    assert _defs(g.body[0]) == ({'a', 'b', 'c', 'g'}, {'a', 'b', 'c', 'g'})
    assert _defs(g.body[1]) == ({'a', 'b', 'c', 'd', 'g'}, {'a', 'b', 'c', 'd', 'g'})


def test_nested_function_locals_shadow_inherited():
    fn = _resolve('''
        def f(a):
            def g():
                x = a
                a = 1
                return a
            return g
    ''')
    g = fn.body[0]
    assert _defs(g.body[0]) == ({'g'}, {'g'})
    assert _defs(g.body[2]) == ({'a', 'g', 'x'}, {'a', 'g', 'x'})


def test_every_statement_and_header_annotated():
    fn = _resolve('''
        def f(xs, n):
            for x in xs:
                while n:
                    n -= 1
                if x:
                    continue
            try:
                pass
            except E:
                pass
            with c as d:
                pass
            return n
    ''')
    headers = (fn.body[0].iter, fn.body[0].body[0].test, fn.body[0].body[1].test)
    for node in list(gast.walk(fn)) + list(headers):
        if isinstance(node, gast.stmt) and node is not fn or node in headers:
            for key in (S.DEFINED_VARS_IN, S.DEFINITELY_DEFINED_IN):
                assert isinstance(anno.getanno(node, key), frozenset)
    d, dd = _defs(fn.body[2].body[0])
    assert {'d', 'x', 'n', 'xs'} <= d and 'd' in dd


def test_definitely_is_subset_of_defined():
    fn = _resolve('''
        def f(a, b):
            if a:
                x = 1
                while b:
                    y = x
                    if y:
                        break
                    del x
                else:
                    z = 2
            else:
                try:
                    x = g()
                except E:
                    x = None
            return x
    ''')
    for node in gast.walk(fn):
        if anno.hasanno(node, S.DEFINED_VARS_IN):
            d, dd = _defs(node)
            assert dd <= d
