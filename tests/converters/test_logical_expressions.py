"""Golden tests for converters/logical_expressions.py."""

import pytest

from autograph.converters import logical_expressions
from tests.converters._helpers import assert_converts

CASES = {
    'and_or_not': (
        '''
        def f(a, b, c):
            return a and b or not c
        ''',
        '''
        def f(a, b, c):
            return ag__.or_(ag__.and_(a, lambda: b), lambda: ag__.not_(c))
        '''),
    'three_operands_nest_to_the_right': (
        '''
        def f(a, b, c):
            return a and b and c
        ''',
        '''
        def f(a, b, c):
            return ag__.and_(a, lambda: ag__.and_(b, lambda: c))
        '''),
    'not_of_a_group': (
        '''
        def f(a, b, c):
            return not (a and (b or c))
        ''',
        '''
        def f(a, b, c):
            return ag__.not_(ag__.and_(a, lambda: ag__.or_(b, lambda: c, test=True), test=True))
        '''),
    # Only the truth of a test is used: a numeric tensor operand may stand for `x != 0`.
    'tests_only_need_truth': (
        '''
        def f(a, b, c):
            if a and b:
                c = a or b
            while (a or b) and not c:
                pass
            assert a or c
            return b if a and c else c
        ''',
        '''
        def f(a, b, c):
            if ag__.and_(a, lambda: b, test=True):
                c = ag__.or_(a, lambda: b)
            while ag__.and_(ag__.or_(a, lambda: b, test=True), lambda: ag__.not_(c), test=True):
                pass
            assert ag__.or_(a, lambda: c, test=True)
            return b if ag__.and_(a, lambda: c, test=True) else c
        '''),
    'chained_comparison_of_names': (
        '''
        def f(a, b, c):
            return a < b <= c
        ''',
        '''
        def f(a, b, c):
            return ag__.and_(a < b, lambda: b <= c)
        '''),
    'chained_comparison_evaluates_the_middle_once': (
        '''
        def f(a, c):
            return a < g(a) < c < 10
        ''',
        '''
        def f(a, c):
            return ag__.and_(a < (ag__cmp := g(a)), lambda: ag__.and_(ag__cmp < c, lambda: c < 10))
        '''),
    'single_comparison_and_arithmetic_untouched': (
        '''
        def f(a, b):
            return a < b, -a, ~b
        ''',
        '''
        def f(a, b):
            return a < b, -a, ~b
        '''),
    'comprehension_untouched': (
        '''
        def f(xs, b):
            return [x for x in xs if x and b], {x: not x for x in xs}
        ''',
        '''
        def f(xs, b):
            return [x for x in xs if x and b], {x: not x for x in xs}
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(logical_expressions, source, expected, idempotent=True)
