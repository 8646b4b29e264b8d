"""autograph/functional.py: the pass list, its order, the debug switch, whole lowerings."""

from autograph import functional
from autograph.converters import (
    break_statements,
    call_trees,
    continue_statements,
    control_flow,
    lists,
    logical_expressions,
    prints,
    return_statements,
    slices,
)
from tests.converters._helpers import make_ctx, normalize, parse_function, to_source

DESIGN_EXAMPLE = '''
    def f(x):
        if x > 0:
            y = x * x
        else:
            y = -x
        return y
    '''


def lowered(source, **options):
    node = parse_function(source)
    return to_source(functional.lower_function(node, make_ctx(node, **options)))


def test_pass_order():
    order = functional.PASSES.index
    assert order(lists) < order(control_flow) and order(slices) < order(control_flow)
    assert order(return_statements) < order(break_statements) < order(continue_statements)
    assert order(continue_statements) < order(control_flow)
    assert order(prints) < order(call_trees) < order(control_flow)
    assert order(control_flow) < order(logical_expressions)


def test_design_example():
    assert normalize(lowered(DESIGN_EXAMPLE)) == normalize('''
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
        ''')


def test_while_with_and_condition():
    assert normalize(lowered('''
        def f(n):
            i = 0
            while i < n and i * i < 50:
                i += 1
            return i
        ''')) == normalize('''
        def f(n):
            i = 0

            def ag__loop_test():
                return ag__.and_(i < n, lambda: i * i < 50, test=True)

            def ag__loop_body():
                nonlocal i
                i += 1

            def ag__get_state():
                return (i,)

            def ag__set_state(ag__vars):
                nonlocal i
                i, = ag__vars
            ag__.while_stmt(ag__loop_test, ag__loop_body, ag__get_state, ag__set_state, ('i',), {})
            return i
        ''')


def test_lowering_is_idempotent():
    source = '''
        def f(xs, n):
            out = []
            for x in xs:
                if x > n and x % 2:
                    out.append(g(x))
                    continue
                if x < 0:
                    return out
            return out if out else None
        '''
    once = lowered(source)
    assert normalize(lowered(once)) == normalize(once)


def test_no_noise():
    source = lowered(DESIGN_EXAMPLE)
    for noise in ('ag__.ld(', 'FunctionScope', 'fscope', 'ag__.ldu('):
        assert noise not in source


def test_debug_switch_prints_every_pass(monkeypatch, capsys):
    monkeypatch.setenv('AUTOGRAPH_DEBUG_PASSES', '1')
    lowered(DESIGN_EXAMPLE)
    out = capsys.readouterr().out
    for converter in functional.PASSES:
        assert '# --- after %s ---' % converter.__name__.rsplit('.', 1)[-1] in out
    monkeypatch.delenv('AUTOGRAPH_DEBUG_PASSES')
    monkeypatch.setattr(functional, 'DEBUG_PASSES', True)
    lowered(DESIGN_EXAMPLE)
    assert '# --- after control_flow ---' in capsys.readouterr().out
    monkeypatch.setattr(functional, 'DEBUG_PASSES', False)
    lowered(DESIGN_EXAMPLE)
    assert capsys.readouterr().out == ''
