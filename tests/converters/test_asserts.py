"""Golden tests for converters/asserts.py."""

import pytest

from autograph.converters import asserts
from tests.converters._helpers import assert_converts

CASES = {
    'with_message': (
        '''
        def f(x):
            assert x > 0, 'x must be positive: %d' % x
        ''',
        '''
        def f(x):
            ag__.assert_stmt(x > 0, lambda: 'x must be positive: %d' % x)
        '''),
    'without_message': (
        '''
        def f(x):
            assert x
            return x
        ''',
        '''
        def f(x):
            ag__.assert_stmt(x)
            return x
        '''),
    'nested_in_blocks_and_functions': (
        '''
        def f(xs):
            for x in xs:
                if x:
                    assert x < 10, x

            def g(y):
                assert y
        ''',
        '''
        def f(xs):
            for x in xs:
                if x:
                    ag__.assert_stmt(x < 10, lambda: x)

            def g(y):
                ag__.assert_stmt(y)
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(asserts, source, expected, idempotent=True)
