"""Every operator on plain values against the plain Python it stands for."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograph.runtime as ag

values = st.one_of(st.integers(-3, 3), st.booleans(), st.none(), st.text(max_size=2),
                   st.lists(st.integers(), max_size=2), st.floats(allow_nan=False),
                   st.tuples(), st.just(np.float64(0.0)), st.just(np.int64(2)))


class Thunk:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@given(values, values)
def test_and_or_match_python(a, b):
    t = Thunk(b)
    assert ag.and_(a, t) is (a and b)
    assert t.calls == (1 if a else 0)
    t = Thunk(b)
    assert ag.or_(a, t) is (a or b)
    assert t.calls == (0 if a else 1)


@given(values)
def test_not_matches_python(a):
    assert ag.not_(a) is (not a)


@given(values, values, values)
def test_if_exp_matches_python(c, x, y):
    tx, ty = Thunk(x), Thunk(y)
    assert ag.if_exp(c, tx, ty, "x if c else y") is (x if c else y)
    assert (tx.calls, ty.calls) == ((1, 0) if c else (0, 1))


def test_and_on_numpy_array_raises_like_python():
    with pytest.raises(ValueError):
        ag.and_(np.array([1, 2]), lambda: 1)
    with pytest.raises(ValueError):
        ag.not_(np.array([1, 2]))


@given(values)
def test_if_stmt_matches_python(c):
    log = []
    ag.if_stmt(c, lambda: log.append("if"), lambda: log.append("else"), lambda: (),
               lambda v: None, (), 0)
    assert log == (["if"] if c else ["else"])


# --------------------------------------------------------------------------------------------
# Loops
# --------------------------------------------------------------------------------------------


def _py_loop(xs, limit):
    """Python: for x in it: log; s += x; if s > limit: break. Returns (log, rest of it)."""
    it = iter(xs)
    log, s = [], 0
    for x in it:
        log.append(x)
        s += x
        if s > limit:
            break
    return log, list(it)


def _ag_loop(xs, limit):
    it = iter(xs)
    log, s, brk = [], 0, False

    def body(x):
        nonlocal s, brk
        log.append(x)
        s += x
        if s > limit:
            brk = True

    def get_state():
        return (s, brk)

    def set_state(v):
        nonlocal s, brk
        s, brk = v

    ag.for_stmt(it, lambda: not brk, body, get_state, set_state, ("s", "brk"),
                {"iterate_names": "x"})
    return log, list(it)


@settings(max_examples=200)
@given(st.lists(st.integers(-5, 10), max_size=12), st.integers(-3, 40),
       st.sampled_from(["list", "tuple", "gen", "dict", "np"]))
def test_for_with_break_flag_matches_python(xs, limit, kind):
    def make():
        if kind == "tuple":
            return tuple(xs)
        if kind == "gen":
            return (x for x in xs)
        if kind == "dict":
            return dict.fromkeys(xs)
        if kind == "np":
            return np.array(xs, dtype=np.int64)
        return list(xs)

    assert _ag_loop(make(), limit) == _py_loop(make(), limit)


@given(st.lists(st.integers(), max_size=5))
def test_for_without_extra_test(xs):
    for iterable, expected in ((xs, xs), ("ab", ["a", "b"]),
                               (enumerate(xs, 1), list(enumerate(xs, 1))),
                               (zip(xs, xs[1:], strict=False), list(zip(xs, xs[1:], strict=False))),
                               ({"k": 1}, ["k"]), (range(3), [0, 1, 2])):
        got = []
        ag.for_stmt(iterable, None, got.append, lambda: (), lambda v: None, (), {})
        assert got == expected


def test_for_extra_test_false_before_first_iteration():
    it = iter([1, 2, 3])
    got = []
    ag.for_stmt(it, lambda: False, got.append, lambda: (), lambda v: None, (), None)
    assert got == [] and list(it) == [1, 2, 3]


def test_for_extra_test_is_called_before_each_iteration():
    calls = []

    def extra():
        calls.append(len(got))
        return len(got) < 2

    got = []
    ag.for_stmt([5, 6, 7], extra, got.append, lambda: (), lambda v: None, (), {})
    assert got == [5, 6] and calls == [0, 1, 2]


@settings(max_examples=200)
@given(st.integers(0, 20), st.integers(-2, 30), st.integers(1, 4))
def test_while_matches_python(n, limit, step):
    i, s = 0, 0
    while i < n and s <= limit:
        s += i
        i += step
    expected = (i, s)

    i, s = 0, 0

    def test():
        return ag.and_(i < n, lambda: s <= limit)

    def body():
        nonlocal i, s
        s += i
        i += step

    def get_state():
        return (i, s)

    def set_state(v):
        nonlocal i, s
        i, s = v

    ag.while_stmt(test, body, get_state, set_state, ("i", "s"), {})
    assert (i, s) == expected


def test_while_rechecks_test_each_iteration_and_truthiness():
    items = [3, 2, 1]
    seen = []

    def body():
        seen.append(items.pop())

    ag.while_stmt(lambda: items, body, lambda: (), lambda v: None, (), {})
    assert seen == [1, 2, 3]


def test_body_exceptions_propagate():
    def body(x):
        raise KeyError(x)

    with pytest.raises(KeyError):
        ag.for_stmt([1], None, body, lambda: (), lambda v: None, (), {})
    with pytest.raises(ZeroDivisionError):
        ag.while_stmt(lambda: True, lambda: 1 / 0, lambda: (), lambda v: None, (), {})
    with pytest.raises(RuntimeError):
        ag.if_stmt(1, lambda: (_ for _ in ()).throw(RuntimeError()), None, lambda: (),
                   lambda v: None, (), 0)


# --------------------------------------------------------------------------------------------
# Statements, lists, iteration helpers
# --------------------------------------------------------------------------------------------


def test_assert_stmt():
    assert ag.assert_stmt(True, lambda: 1 / 0) is None  # message not evaluated
    with pytest.raises(AssertionError) as e:
        ag.assert_stmt(0, lambda: "bad")
    assert e.value.args == ("bad",)
    with pytest.raises(AssertionError) as e:
        ag.assert_stmt([], None)
    assert e.value.args == ()


def test_print(capsys):
    ag.print_(1, "a", np.int64(2), sep="-", end="!\n")
    assert capsys.readouterr().out == "1-a-2!\n"


def test_lists():
    lst = ag.new_list()
    assert lst == [] and ag.new_list((1, 2)) == [1, 2] and ag.new_list([]) == []
    assert ag.list_append(lst, 1) is lst and lst == [1]
    ag.list_append(lst, 2)
    assert ag.list_pop(lst) == (lst, 2) and lst == [1]
    ag.list_append(lst, 3)
    assert ag.list_pop(lst, 0) == (lst, 1) and lst == [3]
    np.testing.assert_array_equal(ag.list_stack([np.ones(2), np.zeros(2)]),
                                  [[1, 1], [0, 0]])
    assert ag.list_stack([1, 2], {"original_call": tuple}) == (1, 2)


def test_setitem():
    d = {}
    assert ag.setitem(d, "k", 1) is d and d == {"k": 1}
    a = np.zeros(3)
    assert ag.setitem(a, slice(0, 2), 5.0) is a
    np.testing.assert_array_equal(a, [5, 5, 0])
    with pytest.raises(TypeError):
        ag.setitem((1, 2), 0, 3)


@given(st.integers(-5, 5), st.integers(-5, 5), st.sampled_from([1, 2, -1, -3]))
def test_range_helpers(a, b, c):
    for args in ((a,), (a, b), (a, b, c)):
        assert ag.range_(*args) == range(*args)
        assert ag.py_range(*args) == range(*args)


def test_iteration_helpers_return_builtins():
    xs = [4, 5]
    assert type(ag.enumerate_(xs)) is enumerate and list(ag.enumerate_(xs, 2)) == [(2, 4), (3, 5)]
    assert list(ag.py_enumerate(xs, 1)) == [(1, 4), (2, 5)]
    assert list(ag.zip_(xs, "ab")) == [(4, "a"), (5, "b")]
    assert list(ag.py_zip(xs, "ab")) == [(4, "a"), (5, "b")]
    assert ag.py_iter(xs) is xs
    with pytest.raises(TypeError):
        ag.py_range(1.5)
    with pytest.raises(ValueError):
        ag.py_range(1, 2, 0)
    with pytest.raises(TypeError) as e:
        ag.py_range("a")
    assert not isinstance(e.value, ag.StagingRequired)


def test_undefined():
    u = ag.Undefined("x")
    assert ag.is_undefined(u) and ag.is_undefined(ag.UndefinedReturnValue())
    assert not ag.is_undefined(None)
    assert u.attr is u and u[0] is u and repr(u) == "Undefined('x')"
    with pytest.raises(UnboundLocalError, match="'x'"):
        u.read()
    assert isinstance(ag.UndefinedReturnValue(), ag.Undefined)


def test_namespace_exports():
    expected = {
        "if_stmt", "while_stmt", "for_stmt", "and_", "or_", "not_", "if_exp", "assert_stmt",
        "print_", "list_append", "list_appended", "list_pop", "list_stack", "new_list", "setitem",
        "setitem_after_value_error", "converted_call", "cv", "range_", "enumerate_", "zip_", "py_range", "py_range_jumps",
        "py_enumerate", "py_zip", "py_iter", "Undefined", "UndefinedReturnValue", "stage", "StagingRequired",
        "is_undefined", "is_tensor", "registry",
        # the builtins that meet tensors (runtime/py_builtins.py)
        "len_", "min_", "max_", "sum_", "any_", "all_", "float_", "int_", "bool_",
        "match_error"}
    assert set(ag.__all__) == expected
    for name in expected:
        assert getattr(ag, name) is not None
    assert issubclass(ag.StagingRequired, TypeError)
