"""Tests for autograph.pyct.liveness."""

import textwrap

import gast
import pytest

from autograph.pyct import activity, anno, cfg, liveness

# gast < 0.6 parses `match` statements to None.
HAS_MATCH = gast.parse('match x:\n case 1:\n  pass').body[0] is not None

S = anno.Static


def _resolve(src, include_annotations=True):
    node = gast.parse(textwrap.dedent(src)).body[0]
    activity.resolve(node)
    graphs = cfg.build(node)
    liveness.resolve(node, graphs, include_annotations=include_annotations)
    return node


def _live(node):
    return ({str(q) for q in anno.getanno(node, S.LIVE_VARS_IN)},
            {str(q) for q in anno.getanno(node, S.LIVE_VARS_OUT)})


# Each case: a function, then (path to a statement, live in, live out) checks.
CASES = [
    ('straight_line', '''
        def f(a, b):
            c = a + 1
            d = c * b
            return d
     ''', [('body[0]', {'a', 'b'}, {'b', 'c'}), ('body[1]', {'b', 'c'}, {'d'}),
           ('body[2]', {'d'}, set())]),

    ('if_else', '''
        def f(a, b, c):
            x = a
            if b > 0:
                y = x
            else:
                y = c
            return y
     ''', [('body[0]', {'a', 'b', 'c'}, {'b', 'c', 'x'}), ('body[1]', {'b', 'c', 'x'}, {'y'}),
           ('body[1].body[0]', {'x'}, {'y'}), ('body[1].orelse[0]', {'c'}, {'y'})]),

    ('if_without_else_keeps_value_live', '''
        def f(a, b):
            y = a
            if b:
                y = 2
            return y
     ''', [('body[0]', {'a', 'b'}, {'b', 'y'}), ('body[1]', {'b', 'y'}, {'y'}),
           ('body[1].body[0]', set(), {'y'})]),

    ('while_carried_state', '''
        def f(n):
            s = 0
            i = 0
            while i < n:
                s += i
                i += 1
            return s
     ''', [('body[0]', {'n'}, {'n', 's'}), ('body[2]', {'i', 'n', 's'}, {'s'}),
           ('body[2].body[0]', {'i', 'n', 's'}, {'i', 'n', 's'}),
           ('body[2].body[1]', {'i', 'n', 's'}, {'i', 'n', 's'})]),

    ('loop_temporary_is_not_live_after', '''
        def f(xs):
            total = 0
            for x in xs:
                t = x * 2
                total += t
            return total
     ''', [('body[1]', {'total', 'xs'}, {'total'}),
           # The loop head re-reads the iterable (as in TensorFlow's CFG).
           ('body[1].body[0]', {'total', 'x', 'xs'}, {'t', 'total', 'xs'}),
           ('body[1].body[1]', {'t', 'total', 'xs'}, {'total', 'xs'})]),

    ('break_and_continue', '''
        def f(xs, lim):
            r = None
            for x in xs:
                if x > lim:
                    r = x
                    break
                if x < 0:
                    continue
                lim = lim - 1
            return r
     ''', [('body[0]', {'xs', 'lim'}, {'xs', 'lim', 'r'}),
           ('body[1]', {'xs', 'lim', 'r'}, {'r'}),
           ('body[1].body[0]', {'x', 'lim', 'r', 'xs'}, {'x', 'lim', 'r', 'xs'}),
           ('body[1].body[0].body[0]', {'x'}, {'r'}),
           ('body[1].body[0].body[1]', {'r'}, {'r'}),
           ('body[1].body[1].body[0]', {'xs', 'lim', 'r'}, {'xs', 'lim', 'r'}),
           ('body[1].body[2]', {'xs', 'lim', 'r'}, {'xs', 'lim', 'r'})]),

    ('while_else', '''
        def f(n, d):
            while n > 0:
                if n == d:
                    break
                n -= 1
            else:
                d = 0
            return d
     ''', [('body[0]', {'n', 'd'}, {'d'}), ('body[0].orelse[0]', set(), {'d'}),
           ('body[0].body[0]', {'n', 'd'}, {'n', 'd'})]),

    ('return_in_loop', '''
        def f(xs):
            for x in xs:
                if x:
                    return x
            return -1
     ''', [('body[0].body[0].body[0]', {'x'}, set()), ('body[0]', {'xs'}, set()),
           ('body[1]', set(), set())]),

    ('try_except', '''
        def f(x):
            try:
                y = g(x)
            except E as e:
                y = e
            return y
     ''', [('body[0]', {'x', 'g', 'E'}, {'y'}), ('body[0].body[0]', {'x', 'g', 'E'}, {'y', 'E'}),
           ('body[0].handlers[0]', {'E'}, {'y'}), ('body[0].handlers[0].body[0]', {'e'}, {'y'})]),

    ('try_finally', '''
        def f(x):
            try:
                y = g(x)
            finally:
                log(x)
            return y
     ''', [('body[0]', {'x', 'g', 'log'}, {'y'}), ('body[0].body[0]', {'x', 'g', 'log'},
                                                    {'x', 'y', 'log'}),
           ('body[0].finalbody[0]', {'x', 'y', 'log'}, {'y'})]),

    ('composites_live_and_owner_kept', '''
        def f(a, i):
            a.b = 1
            c = a.b + a[i]
            return c
     ''', [('body[0]', {'a', 'a[i]', 'i'}, {'a', 'a.b', 'a[i]', 'i'}),
           ('body[1]', {'a', 'a.b', 'a[i]', 'i'}, {'c'})]),

    ('redefining_root_kills_composites', '''
        def f(x):
            y = x.v
            x = g()
            return x.v
     ''', [('body[0]', {'x', 'x.v', 'g'}, {'g'}), ('body[1]', {'g'}, {'x', 'x.v'})]),

    ('redefining_index_kills_subscript', '''
        def f(a, i):
            i = 0
            return a[i]
     ''', [('body[0]', {'a'}, {'a', 'a[i]', 'i'})]),

    ('mutating_method_keeps_list_live', '''
        def f(xs):
            out = []
            for x in xs:
                out.append(x)
            return out
     ''', [('body[0]', {'xs'}, {'out', 'out.append', 'xs'}),
           ('body[1]', {'out', 'out.append', 'xs'}, {'out'}),
           ('body[1].body[0]', {'out', 'out.append', 'x', 'xs'}, {'out', 'out.append', 'xs'})]),

    ('subscript_state_in_loop', '''
        def f(a, n):
            for i in range(n):
                a[i] = i
            return a
     ''', [('body[0]', {'a', 'n', 'range'}, {'a'}),
           ('body[0].body[0]', {'a', 'i', 'n', 'range'}, {'a', 'n', 'range'})]),

    ('del_kills', '''
        def f(x):
            y = x
            del x
            return y
     ''', [('body[1]', {'x', 'y'}, {'y'}), ('body[0]', {'x'}, {'x', 'y'})]),

    ('with_statement', '''
        def f(p):
            with open(p) as fh:
                data = fh.read()
            return data
     ''', [('body[0]', {'open', 'p'}, {'data'}), ('body[0].body[0]', {'fh', 'fh.read'},
                                                  {'data'})]),

    ('match_statement', '''
        def f(cmd, d):
            match cmd:
                case [a]:
                    r = a
                case _:
                    r = d
            return r
     ''', [('body[0]', {'cmd', 'd'}, {'r'}), ('body[0].cases[0].body[0]', {'a'}, {'r'}),
           ('body[0].cases[1].body[0]', {'d'}, {'r'})]),

    ('lambda_reads_at_statement', '''
        def f(q):
            h = lambda: q
            return h
     ''', [('body[0]', {'q'}, {'h'})]),

    ('comprehension_targets_not_live', '''
        def f(xs, k):
            ys = [x + k for x in xs]
            return ys
     ''', [('body[0]', {'xs', 'k'}, {'ys'})]),

    ('walrus', '''
        def f(a):
            if (n := len(a)) > 3:
                return n
            return 0
     ''', [('body[0]', {'a', 'len'}, set()), ('body[0].body[0]', {'n'}, set())]),

    ('nested_def_free_vars_live_at_def', '''
        def f(z):
            def g():
                return z
            return g
     ''', [('body[0]', {'z'}, {'g', 'z'}), ('body[1]', {'g', 'z'}, {'z'})]),

    ('closure_keeps_later_assignment_live', '''
        def f(n):
            def g():
                return acc
            acc = 0
            for i in range(n):
                acc = i
            return g()
     ''', [('body[1]', {'acc', 'g', 'n', 'range'}, {'acc', 'g', 'n', 'range'}),
           ('body[2]', {'acc', 'g', 'n', 'range'}, {'acc', 'g'}),
           ('body[2].body[0]', {'acc', 'g', 'i', 'n', 'range'}, {'acc', 'g', 'n', 'range'}),
           ('body[3]', {'acc', 'g'}, {'acc'})]),

    ('global_live_at_exit', '''
        def f(x):
            global G
            G = x
            x = 2
     ''', [('body[1]', {'x'}, {'G'}), ('body[2]', {'G'}, {'G'})]),

    ('global_live_after_last_compound', '''
        def f(c):
            global G
            if c:
                G = 1
     ''', [('body[1]', {'c', 'G'}, {'G'}), ('body[1].body[0]', set(), {'G'})]),

    ('unreachable_after_return', '''
        def f(x):
            return x
            y = 1
     ''', [('body[0]', {'x'}, set()), ('body[1]', set(), set())]),
]


def _follow(node, path):
    return eval('node.' + path, {'node': node})


@pytest.mark.parametrize('name, src, checks', CASES, ids=[c[0] for c in CASES])
def test_liveness(name, src, checks):
    if 'match' in name and not HAS_MATCH:
        pytest.skip('this gast does not support match')
    fn = _resolve(src)
    for path, live_in, live_out in checks:
        got_in, got_out = _live(_follow(fn, path))
        assert (path, got_in, got_out) == (path, live_in, live_out)


def test_every_statement_is_annotated_with_frozensets():
    fn = _resolve('''
        def f(a, xs):
            for x in xs:
                if x:
                    continue
                while a:
                    a -= 1
            try:
                pass
            except E:
                pass
            with c:
                pass
            def g():
                return a
            return a
    ''')
    for node in gast.walk(fn):
        if isinstance(node, gast.stmt) and node is not fn:
            for key in (S.LIVE_VARS_IN, S.LIVE_VARS_OUT):
                assert isinstance(anno.getanno(node, key), frozenset), (type(node), key)


def test_nonlocal_live_at_nested_exit():
    fn = _resolve('''
        def f():
            n = 0
            def inc():
                nonlocal n
                n += 1
            inc()
            return n
    ''')
    inc = fn.body[1]
    assert _live(inc.body[1]) == ({'n'}, {'n'})
    assert _live(fn.body[0]) == (set(), {'n'})


def test_include_annotations_flag():
    src = '''
        def f(a: int):
            b: float = a
            return b
    '''
    assert _live(_resolve(src).body[0]) == ({'a', 'float'}, {'b'})
    assert _live(_resolve(src, include_annotations=False).body[0]) == ({'a'}, {'b'})


def test_class_method_bodies_are_analyzed():
    fn = _resolve('''
        def f():
            class C:
                def m(self, v):
                    w = v + 1
                    return w
            return C
    ''')
    m = fn.body[0].body[0]
    assert _live(m.body[0]) == ({'v'}, {'w'})


def test_reresolve_after_changes():
    fn = _resolve('''
        def f(a):
            b = a
            return b
    ''')
    fn.body[1].value = gast.parse('a', mode='eval').body
    activity.resolve(fn)
    liveness.resolve(fn, cfg.build(fn))
    assert _live(fn.body[0]) == ({'a'}, {'a'})
