"""Golden tests for converters/conditional_expressions.py."""

import pytest

from autograph.converters import conditional_expressions
from tests.converters._helpers import assert_converts

CASES = {
    'simple': (
        '''
        def f(x, y):
            return x if y else -x
        ''',
        '''
        def f(x, y):
            return ag__.if_exp(y, lambda: x, lambda: -x, 'y')
        '''),
    'nested': (
        '''
        def f(x, y):
            return (1 if x else 2) if y > 0 else 3
        ''',
        '''
        def f(x, y):
            return ag__.if_exp(y > 0, lambda: ag__.if_exp(x, lambda: 1, lambda: 2, 'x'),
                               lambda: 3, 'y > 0')
        '''),
    'comprehension_untouched': (
        '''
        def f(xs):
            return [v if v else 0 for v in xs]
        ''',
        '''
        def f(xs):
            return [v if v else 0 for v in xs]
        '''),
    'walrus_in_branch_stays': (
        '''
        def f(x):
            y = (z := 1) if x else 2
            return y, z
        ''',
        '''
        def f(x):
            y = (z := 1) if x else 2
            return y, z
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(conditional_expressions, source, expected, idempotent=True)
