"""Golden tests for converters/prints.py."""

from autograph.converters import prints
from tests.converters._helpers import assert_converts

SOURCE = '''
    def f(x):
        print(x, sep='')
        return [print(v) for v in x]
    '''


def test_runtime_print_routes_print_through_the_runtime():
    assert_converts(prints, SOURCE, '''
        def f(x):
            ag__.print_(x, sep='')
            return [ag__.print_(v) for v in x]
        ''', idempotent=True, runtime_print=True)


def test_print_stays_python_by_default():
    assert_converts(prints, SOURCE, SOURCE, runtime_print=False)


def test_a_local_print_is_not_the_builtin():
    source = '''
        def f(x, print):
            print(x)
        '''
    assert_converts(prints, source, source, runtime_print=True)
