"""Random programs (nested if/while/for, break/continue/return, list, item and attribute
updates, try, nested defs, logical and ternary expressions) give the same results lowered to
the functional form as they do unconverted. Seeded: the same programs on every run."""

import random
import types

import gast
import pytest

from autograph import functional, runtime
from tests.converters._helpers import make_ctx

VARS = ('a', 'b', 'c')
SEEDS = range(60)


def _expr(r, depth=0):
    k = r.random()
    if k < 0.3 or depth > 1:
        return r.choice(VARS + ('n', '1', '2', '3'))
    e = lambda: _expr(r, depth + 1)  # noqa: E731
    if k < 0.6:
        return '(%s %s %s)' % (e(), r.choice('+-*%'), r.choice('123'))
    if k < 0.7:
        return '(%s %s %s)' % (e(), r.choice(['<', '>', '==', '!=']), e())
    if k < 0.78:
        return '(%s < %s <= %s)' % (e(), e(), e())
    if k < 0.86:
        return '(%s if %s else %s)' % (e(), e(), e())
    if k < 0.9:
        return '(not %s)' % e()
    return '(%s %s %s)' % (e(), r.choice(['and', 'or']), e())


def _simple(r, in_loop, p):
    v, j = r.choice(VARS), r.random()
    if in_loop and j < 0.12:
        return [p + 'break']
    if in_loop and j < 0.22:
        return [p + 'continue']
    choices = [
        (0.30, [p + 'return %s' % _expr(r)]),
        (0.40, [p + 'out.append(%s)' % _expr(r)]),
        (0.45, [p + 'arr[%s %% 3] = %s' % (_expr(r), _expr(r))]),
        (0.50, [p + 'arr[%s %% 3] += 1' % v]),
        (0.55, [p + 'obj.v += %s' % _expr(r)]),
        (0.60, [p + 'if out:', p + '    %s = out.pop()' % v]),
        (0.65, [p + 'try:', p + '    %s = %s // (%s - 1)' % (v, v, _expr(r)),
                p + 'except ZeroDivisionError:', p + '    %s = -1' % v]),
        (0.68, [p + 'def h(q):', p + '    return q + %s' % v, p + '%s = h(%s)' % (v, _expr(r))]),
    ]
    for bound, lines in choices:
        if j < bound:
            return lines
    return [p + '%s = %s' % (v, _expr(r))]


def _block(r, depth, in_loop, indent):
    lines = []
    for _ in range(r.randint(1, 3)):
        lines += _statement(r, depth, in_loop, indent)
    return lines


def _statement(r, depth, in_loop, indent):
    p, k = '    ' * indent, r.random()
    if depth > 2 or k < 0.35:
        return _simple(r, in_loop, p)
    if k < 0.6:
        lines = [p + 'if %s:' % _expr(r)] + _block(r, depth + 1, in_loop, indent + 1)
        if r.random() < 0.5:
            lines += [p + 'else:'] + _block(r, depth + 1, in_loop, indent + 1)
        return lines
    if k < 0.8:
        iterable = r.choice(['range(n)', 'range(3)', '[1, 2, 3]', 'enumerate(range(n))'])
        target = 'i, j' if 'enumerate' in iterable else 'i'
        lines = [p + 'for %s in %s:' % (target, iterable)] + _block(r, depth + 1, True, indent + 1)
    else:
        guard = 'guard%d' % indent
        lines = [p + '%s = 0' % guard, p + 'while %s and %s < 5:' % (_expr(r), guard),
                 p + '    %s += 1' % guard] + _block(r, depth + 1, True, indent + 1)
    if r.random() < 0.3:
        lines += [p + 'else:'] + _block(r, depth + 1, in_loop, indent + 1)
    return lines


def program(seed):
    r = random.Random(seed)
    lines = ['def f(n):', '    a, b, c, out, arr = 0, 1, 2, [], [0, 0, 0]',
             '    obj = types.SimpleNamespace(v=0)']
    lines += _block(r, 0, False, 1)
    return '\n'.join(lines + ['    return (a, b, c, out, arr, obj.v)'])


def _load(source, lowered):
    node = gast.parse(source).body[0]
    if lowered:
        source = functional.source(functional.lower_function(node, make_ctx(node)))
    namespace = {'ag__': runtime, 'types': types}
    exec(compile(source, '<random program>', 'exec'), namespace)
    return namespace['f'], source


def _outcome(f, n):
    try:
        return 'returned', f(n)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return 'raised', type(e)


@pytest.mark.parametrize('seed', SEEDS)
def test_random_program(seed):
    source = program(seed)
    original, _ = _load(source, lowered=False)
    lowered, lowered_source = _load(source, lowered=True)
    for n in (0, 2, 5):
        assert _outcome(lowered, n) == _outcome(original, n), source + '\n\n' + lowered_source
