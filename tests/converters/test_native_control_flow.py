"""Golden tests for converters/native_control_flow.py (the fast form of if/while/for)."""

import textwrap

from autograph.converters import native_control_flow
from tests.converters.golden import make_context, normalize, parse_function, unparse


def convert(source):
    node = parse_function(source)
    node, units = native_control_flow.transform(node, make_context(node))
    return unparse(node), units


def test_if_keeps_native_statement_and_writes_back_live_outputs():
    out, units = convert("""
        def f(x):
            if x > 0:
                y = x * x
                tmp = 1
            else:
                y = -x
            return y
    """)
    assert out == normalize("""
        def f(x):
            try:
                if x > 0:
                    y = x * x
                    tmp = 1
                else:
                    y = -x
            except TypeError as ag__e:
                y, = ag__.stage(ag__ctx, 0, ag__e, locals())
            return y
    """)
    assert units[0].outputs == ("y",) and units[0].strategy == "none"  # tmp is not carried


def test_elif_chain_is_one_unit_with_a_header_per_link():
    out, units = convert("""
        def f(x):
            if x > 1:
                r = 1
            elif x > 0:
                r = 2
            else:
                r = 3
            return r
    """)
    assert "elif x > 0:" in out
    assert len(units) == 1 and len(units[0].header_nodes) == 2


def test_an_if_test_with_calls_keeps_its_value_for_staging():
    # Staging reuses the kept value instead of calling `step` a second time; a test without
    # calls is evaluated again (pure operators), so it is left as written.
    out, units = convert("""
        def f(x, step):
            if step(x) > 0:
                r = 1
            elif x > 0:
                r = 2
            else:
                r = 3
            return r
    """)
    assert out == normalize("""
        def f(x, step):
            try:
                if (ag__test := (step(x) > 0)):
                    r = 1
                elif x > 0:
                    r = 2
                else:
                    r = 3
            except TypeError as ag__e:
                r, = ag__.stage(ag__ctx, 0, ag__e, locals())
            return r
    """)
    assert units[0].captures == {0: "ag__test"}


def test_while_sets_a_marker_in_its_body():
    out, units = convert("""
        def f(n):
            i = 0
            while i < n:
                i += 1
            return i
    """)
    assert out == normalize("""
        def f(n):
            i = 0
            ag__ran = False
            try:
                while i < n:
                    ag__ran = True
                    i += 1
            except TypeError as ag__e:
                i, = ag__.stage(ag__ctx, 0, ag__e, locals())
            return i
    """)
    assert units[0].marker == "ag__ran"


def test_for_evaluates_its_iterable_in_the_try_and_loops_in_else():
    out, _ = convert("""
        def f(xs):
            s = 0
            for i, x in enumerate(xs):
                s += i * x
            return s
    """)
    assert out == normalize("""
        def f(xs):
            s = 0
            try:
                ag__iter = ag__.py_enumerate(xs)
            except TypeError as ag__e:
                s, = ag__.stage(ag__ctx, 0, ag__e, locals())
            else:
                for i, x in ag__iter:
                    s += i * x
            return s
    """)


def test_for_over_any_iterable_uses_py_iter():
    out, _ = convert("""
        def f(xs):
            for x in xs:
                print(x)
    """)
    assert "ag__iter = ag__.py_iter(xs)" in out


def test_shadowed_range_is_not_treated_as_the_builtin():
    out, _ = convert("""
        def f(n):
            range = list
            for i in range(n):
                pass
    """)
    assert "ag__.py_iter(range(n))" in out


def test_return_in_if_stages_the_rest_of_the_function():
    out, units = convert("""
        def f(x):
            if x > 0:
                return 1
            y = 2
            return y
    """)
    assert units[0].strategy == "barrier" and units[0].barrier == "function"
    assert normalize("""
        def f(x):
            try:
                if x > 0:
                    return 1
            except TypeError as ag__e:
                return ag__.stage(ag__ctx, 0, ag__e, locals())
            y = 2
            return y
    """) == out


def test_continue_in_if_inside_loop_ends_the_iteration_natively():
    out, units = convert("""
        def f(xs):
            s = 0
            for x in xs:
                if x > 0:
                    continue
                s += x
            return s
    """)
    inner = units[1]
    assert inner.strategy == "barrier" and inner.barrier == "loop"
    assert inner.outputs == ("s",)
    assert "continue" in out.split("ag__.stage(ag__ctx, 1")[1]


def test_break_inside_with_block_keeps_rest_of_block_in_else():
    out, units = convert("""
        def f(xs, cm):
            for x in xs:
                with cm:
                    if x:
                        break
                    y = 1
            return 0
    """)
    unit = units[1]
    assert unit.strategy == "block"
    assert normalize("""
        def f(xs, cm):
            try:
                ag__iter = ag__.py_iter(xs)
            except TypeError as ag__e:
                ag__.stage(ag__ctx, 0, ag__e, locals())
            else:
                for x in ag__iter:
                    with cm:
                        try:
                            if x:
                                break
                        except TypeError as ag__e_1:
                            ag__jump, ag__value, () = ag__.stage(ag__ctx, 1, ag__e_1, locals())
                            if ag__jump == 1:
                                break
                        else:
                            y = 1
            return 0
    """) == out


def test_user_names_that_look_generated_are_avoided():
    out, _ = convert("""
        def f(ag__e, ag__ran):
            while ag__e:
                ag__e -= 1
            return ag__ran
    """)
    assert "except TypeError as ag__e_1" in out and "ag__ran_1 = True" in out


def test_nested_function_gets_its_own_handlers():
    out, units = convert("""
        def f(x):
            def g(y):
                if y:
                    return 1
                return 2
            return g(x)
    """)
    assert len(units) == 1 and units[0].path == ("body", 0, "body", 0)
    assert textwrap.dedent(out).count("ag__.stage") == 1
