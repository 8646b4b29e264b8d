"""Golden tests for converters/call_trees.py."""

import math

import pytest

from autograph.converters import call_trees
from tests.converters._helpers import assert_converts

CASES = {
    'positional_starred_keywords': (
        '''
        def f(x, *args, **kwargs):
            a = g(x)
            b = g(x, *args, k=1, **kwargs)
            return obj.method(x)(a)
        ''',
        '''
        def f(x, *args, **kwargs):
            a = ag__.converted_call(g, (x,), None)
            b = ag__.converted_call(g, (x, *args), {'k': 1, **kwargs})
            return ag__.converted_call(ag__.converted_call(obj.method, (x,), None), (a,), None)
        '''),
    'frame_sensitive_runtime_and_builtins_stay': (
        '''
        def f(x):
            d = super().f(x)
            e = locals(), globals(), vars(), eval('x'), exec('y = 1')
            ag__.if_exp(x, lambda: h(x), lambda: 0, 'x')
            print(len(x), range(3))
            return d
        ''',
        '''
        def f(x):
            d = ag__.converted_call(super(__class__, x).f, (x,), None)
            e = locals(), globals(), vars(), eval('x'), exec('y = 1')
            ag__.if_exp(x, lambda: ag__.converted_call(h, (x,), None), lambda: 0, 'x')
            print(len(x), range(3))
            return d
        '''),
    'local_name_shadowing_a_builtin_is_converted': (
        '''
        def f(x, len):
            return len(x)
        ''',
        '''
        def f(x, len):
            return ag__.converted_call(len, (x,), None)
        '''),
    'nested_functions_are_converted_with_their_parent': (
        '''
        def f(x):
            def g(y):
                return h(y)

            @decorate
            def k(y):
                return y

            sq = lambda y: y * y
            return g(x) + k(x) + sq(x)
        ''',
        '''
        def f(x):
            def g(y):
                return ag__.converted_call(h, (y,), None)

            @decorate
            def k(y):
                return y

            sq = lambda y: y * y
            return g(x) + ag__.converted_call(k, (x,), None) + sq(x)
        '''),
    'comprehensions_convert_their_calls': (
        '''
        def f(xs):
            return [h(v) for v in xs if p(v)]
        ''',
        '''
        def f(xs):
            return [ag__.converted_call(h, (v,), None) for v in xs
                    if ag__.converted_call(p, (v,), None)]
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(call_trees, source, expected, idempotent=True)


def test_modules_from_the_namespace_resolve_statically():
    assert_converts(call_trees, '''
        def f(x):
            return math.sqrt(x) + helper(x)
        ''', '''
        def f(x):
            return math.sqrt(x) + ag__.converted_call(helper, (x,), None)
        ''', namespace={'math': math, 'helper': lambda x: x})
