"""Golden tests for converters/slices.py."""

import pytest

from autograph.converters import slices
from tests.converters._helpers import assert_converts

CASES = {
    'assign_and_augmented_assign': (
        '''
        def f(a, i, j, v):
            a[i] = v
            a[i, j] += v
            return a
        ''',
        '''
        def f(a, i, j, v):
            a = ag__.setitem(a, i, v)
            a = ag__.setitem(a, (i, j), a[i, j] + v)
            return a
        '''),
    'slices_become_values': (
        '''
        def f(a, n):
            a[1:n] = 0
            a[::2, 0] -= 1
        ''',
        '''
        def f(a, n):
            a = ag__.setitem(a, slice(1, n), 0)
            a = ag__.setitem(a, (slice(None, None, 2), 0), a[::2, 0] - 1)
        '''),
    'a_key_with_effects_is_evaluated_once': (
        '''
        def f(a, i):
            a[g(i)] *= 2
        ''',
        '''
        def f(a, i):
            a = ag__.setitem(a, (ag__key := g(i)), a[ag__key] * 2)
        '''),
    'other_targets_stay': (
        '''
        def f(self, a, b, i):
            self.a[i] = 1
            a[i][0] = 1
            a[i] = b[i] = 2

            def g():
                a[i] = 3
        ''',
        '''
        def f(self, a, b, i):
            self.a[i] = 1
            a[i][0] = 1
            a[i] = b[i] = 2

            def g():
                a[i] = 3
        '''),
    # unpacked first, then assigned left to right, as Python does
    'unpacking_targets': (
        '''
        def f(a, b, i):
            a[i], (b, *a[0]) = v
        ''',
        '''
        def f(a, b, i):
            ag__unpacked, ag__unpacked_1 = v
            a = ag__.setitem(a, i, ag__unpacked)
            ag__unpacked_2, *ag__unpacked_3 = ag__unpacked_1
            b = ag__unpacked_2
            a = ag__.setitem(a, 0, ag__unpacked_3)
        '''),
}


@pytest.mark.parametrize('name', CASES)
def test_golden(name):
    source, expected = CASES[name]
    assert_converts(slices, source, expected, idempotent=True)
