"""Tests for autograph.pyct.cfg."""

import textwrap

import gast
import pytest

from autograph.pyct import anno, cfg

# gast < 0.6 parses `match` statements to None.
HAS_MATCH = gast.parse('match x:\n case 1:\n  pass').body[0] is not None


def _parse(src):
    return gast.parse(textwrap.dedent(src)).body[0]


def _label(node):
    a = node.ast_node
    if isinstance(a, gast.arguments):
        return 'ENTRY'
    if isinstance(a, (gast.FunctionDef, gast.ClassDef)):
        return '%s %s' % ('def' if isinstance(a, gast.FunctionDef) else 'class', a.name)
    return gast.unparse(a).strip().split('\n')[0].replace('lambda :', 'lambda:')


def _edges(graph):
    return {(_label(a), _label(b)) for a in graph.nodes for b in a.next}


def _labels(nodes):
    return {_label(n) for n in nodes}


def _graph(src):
    node = _parse(src)
    graphs = cfg.build(node)
    return node, graphs[node]


CASES = [
    ('straight_line', '''
        def f(a):
            b = a + 1
            return b
     ''', {('ENTRY', 'b = a + 1'), ('b = a + 1', 'return b')}, {'return b'}, set()),

    ('if_else', '''
        def f(a):
            if a > 0:
                b = 1
            else:
                b = 2
            return b
     ''', {('ENTRY', 'a > 0'), ('a > 0', 'b = 1'), ('a > 0', 'b = 2'), ('b = 1', 'return b'),
           ('b = 2', 'return b')}, {'return b'}, set()),

    ('if_elif_no_else', '''
        def f(a):
            if a > 0:
                b = 1
            elif a < 0:
                b = 2
            c = 3
     ''', {('ENTRY', 'a > 0'), ('a > 0', 'b = 1'), ('a > 0', 'a < 0'), ('a < 0', 'b = 2'),
           ('a < 0', 'c = 3'), ('b = 1', 'c = 3'), ('b = 2', 'c = 3')}, {'c = 3'}, set()),

    ('while_break_continue_else', '''
        def f(n):
            i = 0
            while i < n:
                i += 1
                if i == 3:
                    continue
                if i == 5:
                    break
                j = i
            else:
                k = 1
            return i
     ''', {('ENTRY', 'i = 0'), ('i = 0', 'i < n'), ('i < n', 'i += 1'), ('i += 1', 'i == 3'),
           ('i == 3', 'continue'), ('continue', 'i < n'), ('i == 3', 'i == 5'),
           ('i == 5', 'break'), ('break', 'return i'), ('i == 5', 'j = i'), ('j = i', 'i < n'),
           ('i < n', 'k = 1'), ('k = 1', 'return i')}, {'return i'}, set()),

    ('while_true_has_no_exit_edge', '''
        def f(x):
            while True:
                x += 1
                if x > 10:
                    break
            return x
     ''', {('ENTRY', 'True'), ('True', 'x += 1'), ('x += 1', 'x > 10'), ('x > 10', 'break'),
           ('x > 10', 'True'), ('break', 'return x')}, {'return x'}, set()),

    ('for_break_else', '''
        def f(xs):
            for v in xs:
                if v > 0:
                    break
                y = v
            else:
                z = 1
            return 0
     ''', {('ENTRY', 'xs'), ('xs', 'v'), ('v', 'v > 0'), ('v > 0', 'break'), ('v > 0', 'y = v'),
           ('y = v', 'xs'), ('xs', 'z = 1'), ('z = 1', 'return 0'), ('break', 'return 0')},
     {'return 0'}, set()),

    ('for_continue_no_else', '''
        def f(xs):
            for v in xs:
                if v > 0:
                    continue
                y = v
            return y
     ''', {('ENTRY', 'xs'), ('xs', 'v'), ('v', 'v > 0'), ('v > 0', 'continue'),
           ('continue', 'xs'), ('v > 0', 'y = v'), ('y = v', 'xs'), ('xs', 'return y')},
     {'return y'}, set()),

    ('return_in_loop', '''
        def f(xs):
            for v in xs:
                if v:
                    return v
            return None
     ''', {('ENTRY', 'xs'), ('xs', 'v'), ('v', 'v'), ('v', 'return v'), ('v', 'xs'),
           ('xs', 'return None')}, {'return v', 'return None'}, set()),

    ('raise', '''
        def f(x):
            if x:
                raise ValueError(x)
            return x
     ''', {('ENTRY', 'x'), ('x', 'raise ValueError(x)'), ('x', 'return x')}, {'return x'},
     {'raise ValueError(x)'}),

    ('try_except_else_finally', '''
        def f(x):
            try:
                a = g(x)
                b = h(a)
            except ValueError as e:
                c = e
            except:
                d = 1
            else:
                c = b
            finally:
                fin = 1
            return c
     ''', {('ENTRY', 'a = g(x)'), ('a = g(x)', 'b = h(a)'), ('b = h(a)', 'c = b'),
           ('ENTRY', 'except ValueError as e:'), ('ENTRY', 'except:'),
           ('a = g(x)', 'except ValueError as e:'), ('a = g(x)', 'except:'),
           ('b = h(a)', 'except ValueError as e:'), ('b = h(a)', 'except:'),
           ('except ValueError as e:', 'c = e'), ('except:', 'd = 1'), ('c = e', 'fin = 1'),
           ('d = 1', 'fin = 1'), ('c = b', 'fin = 1'), ('fin = 1', 'return c')},
     {'return c'}, set()),

    ('return_through_finally', '''
        def f(x):
            try:
                if x:
                    return 1
                y = 2
            finally:
                cleanup()
            return y
     ''', {('ENTRY', 'x'), ('x', 'return 1'), ('x', 'y = 2'), ('return 1', 'cleanup()'),
           ('y = 2', 'cleanup()'), ('cleanup()', 'return y')}, {'cleanup()', 'return y'},
     set()),

    ('break_continue_through_finally', '''
        def f(xs):
            for v in xs:
                try:
                    if v > 1:
                        break
                    continue
                finally:
                    log(v)
            return 0
     ''', {('ENTRY', 'xs'), ('xs', 'v'), ('v', 'v > 1'), ('v > 1', 'break'),
           ('v > 1', 'continue'), ('break', 'log(v)'), ('continue', 'log(v)'),
           ('log(v)', 'xs'), ('log(v)', 'return 0'), ('xs', 'return 0')}, {'return 0'}, set()),

    ('raise_caught_by_bare_except', '''
        def f():
            try:
                raise ValueError()
            except:
                pass
     ''', {('ENTRY', 'raise ValueError()'), ('ENTRY', 'except:'),
           ('raise ValueError()', 'except:'), ('except:', 'pass')}, {'pass'}, set()),

    ('raise_not_caught_by_specific_except', '''
        def f():
            try:
                raise ValueError()
            except KeyError:
                pass
     ''', {('ENTRY', 'raise ValueError()'), ('ENTRY', 'except KeyError:'),
           ('raise ValueError()', 'except KeyError:'), ('except KeyError:', 'pass')},
     {'pass'}, {'raise ValueError()'}),

    ('raise_through_finally', '''
        def f():
            try:
                raise E()
            finally:
                done()
     ''', {('ENTRY', 'raise E()'), ('raise E()', 'done()')}, set(), {'done()'}),

    ('with_items', '''
        def f(p):
            with open(p) as fh, lock:
                data = fh.read()
            return data
     ''', {('ENTRY', 'open(p) as fh'), ('open(p) as fh', 'lock'),
           ('lock', 'data = fh.read()'), ('data = fh.read()', 'return data')},
     {'return data'}, set()),

    ('assert_is_a_plain_statement', '''
        def f(x):
            assert x > 0, 'neg'
            return x
     ''', {('ENTRY', "assert x > 0, 'neg'"), ("assert x > 0, 'neg'", 'return x')},
     {'return x'}, set()),

    ('match_with_guard_and_wildcard', '''
        def f(cmd):
            match cmd:
                case [a, b]:
                    r = a
                case {'k': v} if v > 0:
                    r = v
                case _:
                    r = None
            return r
     ''', {('ENTRY', 'cmd'), ('cmd', '[a, b]'), ('[a, b]', 'r = a'), ('[a, b]', "{'k': v}"),
           ("{'k': v}", 'v > 0'), ('v > 0', 'r = v'), ("{'k': v}", '_'), ('v > 0', '_'),
           ('_', 'r = None'), ('r = a', 'return r'), ('r = v', 'return r'),
           ('r = None', 'return r')}, {'return r'}, set()),

    ('match_refutable_falls_through', '''
        def f(cmd):
            match cmd:
                case 1 | 2:
                    r = 0
            return cmd
     ''', {('ENTRY', 'cmd'), ('cmd', '1 | 2'), ('1 | 2', 'r = 0'), ('1 | 2', 'return cmd'),
           ('r = 0', 'return cmd')}, {'return cmd'}, set()),

    ('nested_defs_are_opaque', '''
        def f(x):
            def g(y):
                return y + x
            class C:
                pass
            return g(x)
     ''', {('ENTRY', 'def g'), ('def g', 'class C'), ('class C', 'return g(x)')},
     {'return g(x)'}, set()),

    ('nested_loops_break_inner_only', '''
        def f(n):
            for i in range(n):
                while i:
                    i -= 1
                    if i == 2:
                        break
                k = i
     ''', {('ENTRY', 'range(n)'), ('range(n)', 'i'), ('i', 'i'), ('i', 'i -= 1'),
           ('i -= 1', 'i == 2'), ('i == 2', 'break'), ('i == 2', 'i'), ('break', 'k = i'),
           ('i', 'k = i'), ('k = i', 'range(n)')}, {'range(n)'}, set()),
]


@pytest.mark.parametrize('name, src, edges, exits, errors', CASES, ids=[c[0] for c in CASES])
def test_graph_shape(name, src, edges, exits, errors):
    if 'match' in name and not HAS_MATCH:
        pytest.skip('this gast does not support match')
    node, graph = _graph(src)
    assert _edges(graph) == edges
    assert _labels(graph.exit) == exits
    assert _labels(graph.error) == errors
    assert graph.entry.ast_node is node.args
    assert graph.node is node
    # Structural invariants.
    for i, n in enumerate(graph.nodes):
        assert n.idx == i
        assert graph.index[n.ast_node] is n
        assert isinstance(n.next, frozenset) and isinstance(n.prev, frozenset)
        for m in n.next:
            assert n in m.prev
        assert set(graph.succ[i]) == {m.idx for m in n.next}
        assert set(graph.pred[i]) == {m.idx for m in n.prev}
    assert repr(graph)


def test_unreachable_code_has_no_predecessors():
    _, graph = _graph('''
        def f(x):
            return x
            y = 1
    ''')
    (y,) = [n for n in graph.nodes if _label(n) == 'y = 1']
    assert not y.prev
    assert _labels(graph.exit) == {'return x', 'y = 1'}


def test_while_true_without_break_makes_rest_unreachable():
    _, graph = _graph('''
        def f(x):
            while True:
                x += 1
            return x
    ''')
    (r,) = [n for n in graph.nodes if _label(n) == 'return x']
    assert not r.prev
    assert _labels(graph.exit) == {'return x'}


def test_try_else_is_not_protected_by_handlers():
    _, graph = _graph('''
        def f(x):
            try:
                a = 1
            except E:
                b = 2
            else:
                c = 3
    ''')
    edges = _edges(graph)
    assert ('a = 1', 'except E:') in edges
    assert ('c = 3', 'except E:') not in edges
    assert ('a = 1', 'c = 3') in edges


def test_return_in_try_has_no_exception_edge():
    _, graph = _graph('''
        def f(x):
            try:
                y = g(x)
                return y
            except E:
                pass
    ''')
    edges = _edges(graph)
    assert ('return y', 'except E:') not in edges
    assert ('y = g(x)', 'except E:') in edges
    assert ('ENTRY', 'except E:') in edges


def test_extra_loop_test():
    node = _parse('''
        def f(xs):
            for v in xs:
                y = v
            return 1
    ''')
    extra = gast.parse('not done', mode='eval').body
    anno.setanno(node.body[0], anno.Basic.EXTRA_LOOP_TEST, extra)
    graph = cfg.build(node)[node]
    assert _edges(graph) == {
        ('ENTRY', 'xs'), ('xs', 'v'), ('v', 'not done'), ('not done', 'y = v'), ('y = v', 'xs'),
        ('not done', 'return 1'), ('xs', 'return 1')}
    assert extra in graph.index


def test_stmt_prev_next():
    node, graph = _graph('''
        def f(n):
            i = 0
            while i < n:
                i += 1
                if i == 3:
                    continue
                if i == 5:
                    break
                j = i
            else:
                k = 1
            return i
    ''')
    loop = node.body[1]
    if3 = loop.body[1]
    if5 = loop.body[2]
    assert _labels(graph.stmt_prev[loop]) == {'i = 0'}
    assert _labels(graph.stmt_next[loop]) == {'return i'}
    assert _labels(graph.stmt_prev[if3]) == {'i += 1'}
    assert _labels(graph.stmt_next[if3]) == {'i < n', 'i == 5'}
    assert _labels(graph.stmt_next[if5]) == {'return i', 'j = i'}
    assert graph.stmt_prev[node.body[0]] == graph.index[node.body[0]].prev
    assert graph.stmt_next[node.body[2]] == frozenset()
    assert _labels(graph.stmt_entry[loop]) == {'i < n'}
    assert graph.spans[loop][0] == graph.index[loop.test].idx


def test_stmt_prev_next_try_and_handler():
    node, graph = _graph('''
        def f(x):
            a = 0
            try:
                b = 1
            except E:
                c = 2
            d = 3
    ''')
    try_ = node.body[1]
    handler = try_.handlers[0]
    assert _labels(graph.stmt_prev[try_]) == {'a = 0'}
    assert _labels(graph.stmt_next[try_]) == {'d = 3'}
    assert _labels(graph.stmt_entry[try_]) == {'b = 1', 'except E:'}
    assert _labels(graph.stmt_prev[handler]) == {'a = 0', 'b = 1'}
    assert _labels(graph.stmt_next[handler]) == {'d = 3'}


def test_nested_functions_and_lambdas_get_their_own_graphs():
    node = _parse('''
        def f(x):
            def g(y):
                return y + x
            h = lambda z: z * 2
            class C:
                def m(self):
                    k = lambda: 0
                    return k
            return g(h(x))
    ''')
    graphs = cfg.build(node)
    g = node.body[0]
    lam = node.body[1].value
    m = node.body[2].body[0]
    k = m.body[0].value
    assert list(graphs) == [node, g, lam, m, k]
    assert _edges(graphs[g]) == {('ENTRY', 'return y + x')}
    assert _edges(graphs[lam]) == {('ENTRY', 'z * 2')}
    assert _labels(graphs[lam].exit) == {'z * 2'}
    assert _edges(graphs[m]) == {('ENTRY', 'k = lambda: 0'), ('k = lambda: 0', 'return k')}
    # The nested bodies are not part of the outer graph.
    assert g.body[0] not in graphs[node].index
    assert g in graphs[node].index


def test_lambdas_everywhere_are_found():
    node = _parse('''
        @deco(lambda: 1)
        def f(x, d=lambda: 2):
            if (lambda: 3)():
                y = [lambda: 4 for _ in x]
            for v in map(lambda q: q, x):
                pass
            with ctx(lambda: 5):
                pass
            return lambda: (lambda: 6)
    ''')
    graphs = cfg.build(node)
    # The decorator and default of the top-level function belong to the enclosing scope;
    # lambdas inside are still collected when they are part of the function's own nodes.
    lambdas = [g for g in graphs if isinstance(g, gast.Lambda)]
    bodies = sorted(gast.unparse(la.body).strip().replace('lambda :', 'lambda:')
                    for la in lambdas)
    assert bodies == ['3', '4', '5', '6', 'lambda: 6', 'q']


def test_build_module_and_class():
    module = gast.parse(textwrap.dedent('''
        import os
        def a():
            return 1
        class K:
            def b(self):
                def c():
                    pass
                return c
            x = lambda: 0
        if os:
            def d():
                pass
    '''))
    graphs = cfg.build(module)
    names = sorted(getattr(n, 'name', 'lambda') for n in graphs)
    assert names == ['a', 'b', 'c', 'd', 'lambda']
    cls = module.body[2]
    assert sorted(getattr(n, 'name', 'lambda') for n in cfg.build(cls)) == ['b', 'c', 'lambda']
    with pytest.raises(ValueError):
        cfg.build(module.body[0])


def test_async_constructs_are_handled():
    node = _parse('''
        async def f(xs):
            async for v in xs:
                async with v as w:
                    await w
            return 1
    ''')
    graph = cfg.build(node)[node]
    assert _edges(graph) == {('ENTRY', 'xs'), ('xs', 'v'), ('v', 'v as w'),
                             ('v as w', 'await w'), ('await w', 'xs'), ('xs', 'return 1')}


def test_node_repr():
    _, graph = _graph('''
        def f(x):
            if x > 1:
                y = 2
    ''')
    assert [repr(n) for n in graph.nodes] == ['x', 'x > 1', 'y = 2']
