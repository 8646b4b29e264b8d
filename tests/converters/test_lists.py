"""Golden tests for converters/lists.py."""

import pytest

from autograph.converters import lists
from tests.converters._helpers import assert_converts

CASES = {
    'append': (
        '''
        def f(self, x, v):
            x.append(v)
            self.items.append(v + 1)
            return x
        ''',
        '''
        def f(self, x, v):
            x = ag__.list_append(x, v)
            self.items.append(v + 1)
            return x
        '''),
    'pop_as_a_value_and_as_a_statement': (
        '''
        def f(x):
            y = x.pop() + x.pop(0)
            x.pop()
            return y
        ''',
        '''
        def f(x):
            x, ag__x_pop = ag__.list_pop(x, None)
            x, ag__x_pop_1 = ag__.list_pop(x, 0)
            y = ag__x_pop + ag__x_pop_1
            x, ag__x_pop_2 = ag__.list_pop(x, None)
            return y
        '''),
    'pop_in_if_test_and_for_iterable': (
        '''
        def f(x):
            if x.pop():
                for v in x.pop():
                    x.append(v)
        ''',
        '''
        def f(x):
            x, ag__x_pop = ag__.list_pop(x, None)
            if ag__x_pop:
                x, ag__x_pop_1 = ag__.list_pop(x, None)
                for v in ag__x_pop_1:
                    x = ag__.list_append(x, v)
        '''),
    'lazy_positions_and_other_shapes_stay': (
        '''
        def f(x, d, k):
            while x.pop():
                y = a and x.pop()
                z = lambda: x.pop()
                d.pop(k, None)
                x[0].append(1)
                x.append(*k)
        ''',
        '''
        def f(x, d, k):
            while x.pop():
                y = a and x.pop()
                z = lambda: x.pop()
                d.pop(k, None)
                x[0].append(1)
                x.append(*k)
        '''),
    'a_closure_list_is_mutated_in_place': (
        '''
        def f(x):
            out = []

            def add(v):
                out.append(v)
                return out.pop()

            out.append(x)
        ''',
        '''
        def f(x):
            out = []

            def add(v):
                out.append(v)
                return out.pop()

            out = ag__.list_append(out, x)
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(lists, source, expected, idempotent=True)
