"""Golden tests for converters/control_flow.py."""

import pytest

from autograph.converters import break_statements, control_flow
from tests.converters._helpers import (
    assert_converts,
    make_ctx,
    normalize,
    parse_function,
    to_source,
)

CASES = {
    'if_else_with_state_not_defined_before': (
        '''
        def f(x):
            if x > 0:
                y = x * x
            else:
                y = -x
            return y
        ''',
        '''
        def f(x):
            y = ag__.Undefined('y')

            def ag__if_body():
                nonlocal y
                y = x * x

            def ag__else_body():
                nonlocal y
                y = -x

            def ag__get_state():
                return (y,)

            def ag__set_state(ag__vars):
                nonlocal y
                y, = ag__vars
            ag__.if_stmt(x > 0, ag__if_body, ag__else_body, ag__get_state, ag__set_state, ('y',), 1)
            return y
        '''),
    'outputs_first_then_inputs_each_branch_declares_what_it_sets': (
        '''
        def f(a, b):
            c = 0
            if a:
                c = c + b
                d = c
            else:
                d = 0
            return d
        ''',
        '''
        def f(a, b):
            c = 0
            d = ag__.Undefined('d')

            def ag__if_body():
                nonlocal c, d
                c = c + b
                d = c

            def ag__else_body():
                nonlocal d
                d = 0

            def ag__get_state():
                return (d, c)

            def ag__set_state(ag__vars):
                nonlocal c, d
                d, c = ag__vars
            ag__.if_stmt(a, ag__if_body, ag__else_body, ag__get_state, ag__set_state, ('d', 'c'), 1)
            return d
        '''),
    'branch_temporaries_are_not_state': (
        '''
        def f(x):
            if x:
                y = 1
            return x
        ''',
        '''
        def f(x):
            def ag__if_body():
                y = 1

            def ag__else_body():
                pass

            def ag__get_state():
                return ()

            def ag__set_state(ag__vars):
                pass
            ag__.if_stmt(x, ag__if_body, ag__else_body, ag__get_state, ag__set_state, (), 0)
            return x
        '''),
    'while_with_else': (
        '''
        def f(n):
            i = 0
            while i < n:
                i += 1
            else:
                i = -1
            return i
        ''',
        '''
        def f(n):
            i = 0

            def ag__loop_test():
                return i < n

            def ag__loop_body():
                nonlocal i
                i += 1

            def ag__get_state():
                return (i,)

            def ag__set_state(ag__vars):
                nonlocal i
                i, = ag__vars
            ag__.while_stmt(ag__loop_test, ag__loop_body, ag__get_state, ag__set_state, ('i',), {})
            i = -1
            return i
        '''),
    'for_over_enumerate_with_a_tuple_target': (
        '''
        def f(d):
            total = 0
            for k, v in enumerate(d):
                total += k * v
            return total
        ''',
        '''
        def f(d):
            total = 0

            def ag__loop_body(ag__itr):
                nonlocal total
                k, v = ag__itr
                total += k * v

            def ag__get_state():
                return (total,)

            def ag__set_state(ag__vars):
                nonlocal total
                total, = ag__vars
            ag__.for_stmt(ag__.enumerate_(d), None, ag__loop_body, ag__get_state, ag__set_state,
                          ('total',), {'iterate_names': 'k, v'})
            return total
        '''),
    'a_shadowed_range_stays': (
        '''
        def f(range, n):
            for i in range(n):
                pass
        ''',
        '''
        def f(range, n):
            def ag__loop_body(i):
                pass

            def ag__get_state():
                return ()

            def ag__set_state(ag__vars):
                pass
            ag__.for_stmt(range(n), None, ag__loop_body, ag__get_state, ag__set_state, (),
                          {'iterate_names': 'i'})
        '''),
    'composite_state': (
        '''
        def f(self, xs):
            for x in xs:
                self.n += x
        ''',
        '''
        def f(self, xs):
            def ag__loop_body(x):
                self.n += x

            def ag__get_state():
                return (self.n,)

            def ag__set_state(ag__vars):
                self.n, = ag__vars
            ag__.for_stmt(xs, None, ag__loop_body, ag__get_state, ag__set_state, ('self.n',),
                          {'iterate_names': 'x'})
        '''),
    'globals_are_declared_global': (
        '''
        def f(xs):
            global g
            for x in xs:
                g = x
        ''',
        '''
        def f(xs):
            global g

            def ag__loop_body(x):
                global g
                g = x

            def ag__get_state():
                return (g,)

            def ag__set_state(ag__vars):
                global g
                g, = ag__vars
            ag__.for_stmt(xs, None, ag__loop_body, ag__get_state, ag__set_state, ('g',),
                          {'iterate_names': 'x'})
        '''),
    'a_target_live_after_the_loop_is_state': (
        '''
        def f(xs):
            x = None
            for x in xs:
                pass
            return x
        ''',
        '''
        def f(xs):
            x = None

            def ag__loop_body(ag__itr):
                nonlocal x
                x = ag__itr

            def ag__get_state():
                return (x,)

            def ag__set_state(ag__vars):
                nonlocal x
                x, = ag__vars
            ag__.for_stmt(xs, None, ag__loop_body, ag__get_state, ag__set_state, ('x',),
                          {'iterate_names': 'x'})
            return x
        '''),
    'state_local_to_the_loop_body_is_bound_there': (
        '''
        def f(xs):
            for x in xs:
                if x:
                    v = 1
                else:
                    v = 2
                print(v)
        ''',
        '''
        def f(xs):
            def ag__loop_body(x):
                v = ag__.Undefined('v')

                def ag__if_body():
                    nonlocal v
                    v = 1

                def ag__else_body():
                    nonlocal v
                    v = 2

                def ag__get_state_1():
                    return (v,)

                def ag__set_state_1(ag__vars_1):
                    nonlocal v
                    v, = ag__vars_1
                ag__.if_stmt(x, ag__if_body, ag__else_body, ag__get_state_1, ag__set_state_1,
                             ('v',), 1)
                print(v)

            def ag__get_state():
                return ()

            def ag__set_state(ag__vars):
                pass
            ag__.for_stmt(xs, None, ag__loop_body, ag__get_state, ag__set_state, (),
                          {'iterate_names': 'x'})
        '''),
    'nested_function_with_nonlocal': (
        '''
        def f(n):
            def g():
                nonlocal n
                while n > 0:
                    n -= 1
            g()
            return n
        ''',
        '''
        def f(n):
            def g():
                nonlocal n

                def ag__loop_test():
                    return n > 0

                def ag__loop_body():
                    nonlocal n
                    n -= 1

                def ag__get_state():
                    return (n,)

                def ag__set_state(ag__vars):
                    nonlocal n
                    n, = ag__vars
                ag__.while_stmt(ag__loop_test, ag__loop_body, ag__get_state, ag__set_state,
                                ('n',), {})
            g()
            return n
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(control_flow, source, expected, idempotent=True)


def test_extra_test_of_a_for_loop_and_its_flag_as_state():
    node = parse_function('''
        def f(xs):
            for x in xs:
                if x:
                    break
            return x
        ''')
    ctx = make_ctx(node)
    node = control_flow.transform(break_statements.transform(node, ctx), ctx)
    assert normalize(to_source(node)) == normalize('''
        def f(xs):
            ag__break = False
            x = ag__.Undefined('x')

            def ag__loop_body(ag__itr):
                nonlocal ag__break, x
                x = ag__itr

                def ag__if_body():
                    nonlocal ag__break
                    ag__break = True

                def ag__else_body():
                    pass

                def ag__get_state_1():
                    return (ag__break,)

                def ag__set_state_1(ag__vars_1):
                    nonlocal ag__break
                    ag__break, = ag__vars_1
                ag__.if_stmt(x, ag__if_body, ag__else_body, ag__get_state_1, ag__set_state_1,
                             ('ag__break',), 1)

            def ag__extra_test():
                return not ag__break

            def ag__get_state():
                return (ag__break, x)

            def ag__set_state(ag__vars):
                nonlocal ag__break, x
                ag__break, x = ag__vars
            ag__.for_stmt(xs, ag__extra_test, ag__loop_body, ag__get_state, ag__set_state,
                          ('ag__break', 'x'), {'iterate_names': 'x'})
            return x
        ''')
