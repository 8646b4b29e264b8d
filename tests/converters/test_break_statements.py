"""Golden tests for converters/break_statements.py."""

import gast
import pytest

from autograph.converters import break_statements
from autograph.pyct import anno
from tests.converters._helpers import assert_converts, make_ctx, parse_function, to_source

CASES = {
    'while_test_checks_the_flag': (
        '''
        def f(n):
            while n > 0:
                n -= 1
                if n == 3:
                    break
                print(n)
            return n
        ''',
        '''
        def f(n):
            ag__break = False
            while not ag__break and n > 0:
                n -= 1
                if n == 3:
                    ag__break = True
                if not ag__break:
                    print(n)
            return n
        '''),
    'else_moves_after_the_loop': (
        '''
        def f(xs):
            for x in xs:
                if x < 0:
                    break
            else:
                x = None
            return x
        ''',
        '''
        def f(xs):
            ag__break = False
            for x in xs:
                if x < 0:
                    ag__break = True
            if not ag__break:
                x = None
            return x
        '''),
    'nested_loops_and_a_break_in_an_else': (
        '''
        def f(xs):
            for x in xs:
                for y in xs:
                    if y > x:
                        break
                    print(x, y)
                else:
                    break
                print(x)
        ''',
        '''
        def f(xs):
            ag__break = False
            for x in xs:
                ag__break_1 = False
                for y in xs:
                    if y > x:
                        ag__break_1 = True
                    if not ag__break_1:
                        print(x, y)
                if not ag__break_1:
                    ag__break = True
                if not ag__break:
                    print(x)
        '''),
    'loops_without_break_stay': (
        '''
        def f(xs):
            for x in xs:
                print(x)
            else:
                print('done')
        ''',
        '''
        def f(xs):
            for x in xs:
                print(x)
            else:
                print('done')
        '''),
    'try_else_runs_only_if_the_body_did_not_break': (
        '''
        def f(xs):
            for x in xs:
                try:
                    if x:
                        break
                    y = 1
                except ValueError:
                    y = 2
                else:
                    y = 3
        ''',
        '''
        def f(xs):
            ag__break = False
            for x in xs:
                try:
                    if x:
                        ag__break = True
                    if not ag__break:
                        y = 1
                except ValueError:
                    y = 2
                else:
                    if not ag__break:
                        y = 3
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(break_statements, source, expected, idempotent=True)


def test_for_loop_gets_the_flag_as_extra_test():
    node = parse_function('''
        def f(xs):
            for x in xs:
                if x:
                    break
        ''')
    node = break_statements.transform(node, make_ctx(node))
    loop = next(n for n in gast.walk(node) if isinstance(n, gast.For))
    test = anno.getanno(loop, anno.Basic.EXTRA_LOOP_TEST)
    assert to_source(gast.Expr(value=test)) == 'not ag__break'
