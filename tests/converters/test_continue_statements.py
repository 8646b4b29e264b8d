"""Golden tests for converters/continue_statements.py."""

import pytest

from autograph.converters import continue_statements
from tests.converters._helpers import assert_converts

CASES = {
    'guards_the_rest_of_the_body': (
        '''
        def f(xs):
            s = 0
            for x in xs:
                if x % 2:
                    continue
                s += x
            return s
        ''',
        '''
        def f(xs):
            s = 0
            for x in xs:
                ag__continue = False
                if x % 2:
                    ag__continue = True
                if not ag__continue:
                    s += x
            return s
        '''),
    'a_final_continue_needs_no_flag': (
        '''
        def f(xs):
            for x in xs:
                print(x)
                if x:
                    continue
        ''',
        '''
        def f(xs):
            for x in xs:
                print(x)
                if x:
                    pass
        '''),
    'continue_in_an_else_continues_the_outer_loop': (
        '''
        def f(n):
            while n > 0:
                n -= 1
                for i in range(n):
                    if i == 2:
                        break
                else:
                    continue
                print(n)
        ''',
        '''
        def f(n):
            while n > 0:
                ag__continue = False
                n -= 1
                for i in range(n):
                    if i == 2:
                        break
                else:
                    ag__continue = True
                if not ag__continue:
                    print(n)
        '''),
    'guards_every_enclosing_block': (
        '''
        def f(xs):
            for x in xs:
                with x:
                    if x.a:
                        continue
                    x.b()
                x.c()
        ''',
        '''
        def f(xs):
            for x in xs:
                ag__continue = False
                with x:
                    if x.a:
                        ag__continue = True
                    if not ag__continue:
                        x.b()
                if not ag__continue:
                    x.c()
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(continue_statements, source, expected, idempotent=True)
