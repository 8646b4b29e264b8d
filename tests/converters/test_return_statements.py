"""Golden tests for converters/return_statements.py."""

import pytest

from autograph.converters import return_statements
from tests.converters._helpers import assert_converts

CASES = {
    'a_single_final_return_stays': (
        '''
        def f(x):
            y = x + 1
            return y
        ''',
        '''
        def f(x):
            y = x + 1
            return y
        '''),
    'early_return_moves_the_rest_into_else': (
        '''
        def f(x):
            if x > 0:
                return 1
            y = x * 2
            return y
        ''',
        '''
        def f(x):
            ag__retval = ag__.UndefinedReturnValue(always_returns=True)
            if x > 0:
                ag__retval = 1
            else:
                y = x * 2
                ag__retval = y
            return ag__retval
        '''),
    'falling_off_the_end_returns_none': (
        '''
        def f(x):
            if x:
                return 1
            print(x)
        ''',
        '''
        def f(x):
            ag__retval = ag__.UndefinedReturnValue()
            if x:
                ag__retval = 1
            else:
                print(x)
                ag__retval = None
            return ag__retval
        '''),
    'returns_without_a_value_need_no_return_value': (
        '''
        def f(x):
            if x:
                return
            print(x)
        ''',
        '''
        def f(x):
            if x:
                pass
            else:
                print(x)
        '''),
    'return_in_a_loop_breaks_and_guards_what_follows': (
        '''
        def f(xs):
            for x in xs:
                if x > 0:
                    return x
                print(x)
            print('none')
            return -1
        ''',
        '''
        def f(xs):
            ag__do_return = False
            ag__retval = ag__.UndefinedReturnValue(always_returns=True)
            for x in xs:
                if x > 0:
                    ag__retval = x
                    ag__do_return = True
                    break
                else:
                    print(x)
            if not ag__do_return:
                print('none')
                ag__retval = -1
            return ag__retval
        '''),
    'return_in_nested_loops_leaves_each_loop': (
        '''
        def f(xs):
            for x in xs:
                for y in xs:
                    if x == y:
                        return x, y
                x += 1
        ''',
        '''
        def f(xs):
            ag__do_return = False
            ag__retval = ag__.UndefinedReturnValue()
            for x in xs:
                for y in xs:
                    if x == y:
                        ag__retval = (x, y)
                        ag__do_return = True
                        break
                if ag__do_return:
                    break
                x += 1
            if not ag__do_return:
                ag__retval = None
            return ag__retval
        '''),
    'loop_else_that_returns': (
        '''
        def f(x):
            while x > 0:
                x -= 1
                if x == 5:
                    return x
            else:
                return -1
        ''',
        '''
        def f(x):
            ag__retval = ag__.UndefinedReturnValue(always_returns=True)
            while x > 0:
                x -= 1
                if x == 5:
                    ag__retval = x
                    break
            else:
                ag__retval = -1
            return ag__retval
        '''),
    'return_inside_with_and_try': (
        '''
        def f(x):
            with open(x) as fp:
                try:
                    return fp.read()
                except OSError:
                    pass
                else:
                    print('unreachable')
                print('failed')
            return None
        ''',
        '''
        def f(x):
            ag__do_return = False
            ag__retval = ag__.UndefinedReturnValue(always_returns=True)
            with open(x) as fp:
                try:
                    ag__retval = fp.read()
                    ag__do_return = True
                except OSError:
                    pass
                else:
                    if not ag__do_return:
                        print('unreachable')
                if not ag__do_return:
                    print('failed')
            if not ag__do_return:
                ag__retval = None
            return ag__retval
        '''),
    'nested_functions_lower_their_own_returns': (
        '''
        def f(x):
            def g(y):
                if y:
                    return 1
                return 2
            return g(x)
        ''',
        '''
        def f(x):
            def g(y):
                ag__retval = ag__.UndefinedReturnValue(always_returns=True)
                if y:
                    ag__retval = 1
                else:
                    ag__retval = 2
                return ag__retval
            return g(x)
        '''),
    'docstring_stays_first': (
        '''
        def f(x):
            """Doc."""
            if x:
                return 1
            return 2
        ''',
        '''
        def f(x):
            """Doc."""
            ag__retval = ag__.UndefinedReturnValue(always_returns=True)
            if x:
                ag__retval = 1
            else:
                ag__retval = 2
            return ag__retval
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(return_statements, source, expected, idempotent=True)


def test_returns_without_value_need_no_return_value():
    assert_converts(return_statements, '''
        def f(xs):
            nonlocal total
            for x in xs:
                if x < 0:
                    return
                total += x
            print(total)
        ''', '''
        def f(xs):
            nonlocal total
            ag__do_return = False
            for x in xs:
                if x < 0:
                    ag__do_return = True
                    break
                else:
                    total += x
            if not ag__do_return:
                print(total)
        ''', idempotent=True)
