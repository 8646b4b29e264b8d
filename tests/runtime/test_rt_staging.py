"""Staging through the toy tracing backend: functional forms written by hand (as the compiler
generates them), run once on Python values and once on Syms; the staged program is evaluated
and compared with the Python run."""

from __future__ import annotations

import numpy as np
import pytest
from toy_backend import Sym, ToyBackend, evaluate, inp

import autograph.runtime as ag
from autograph.runtime import registry


@pytest.fixture(params=["true_first", "false_first"])
def toy(request):
    backend = registry.register(ToyBackend(false_first=request.param == "false_first"))
    try:
        yield backend
    finally:
        registry.unregister(backend)


def run(fn, *args, **env):
    """fn(*args) where string args become Sym inputs; returns the evaluated result."""
    syms = [inp(a) if isinstance(a, str) else a for a in args]
    out = fn(*syms)
    return evaluate(out, env)


# --------------------------------------------------------------------------------------------
# Functional forms, as the compiler writes them
# --------------------------------------------------------------------------------------------


def square_if_positive(x):
    y = ag.Undefined("y")

    def body():
        nonlocal y
        y = x * x

    def orelse():
        nonlocal y
        y = -x

    def get_state():
        return (y,)

    def set_state(v):
        nonlocal y
        (y,) = v

    ag.if_stmt(x > 0, body, orelse, get_state, set_state, ("y",), 1)
    return y


def sum_even(items):
    s = 0

    def get_state():
        return (s,)

    def set_state(v):
        nonlocal s
        (s,) = v

    def body(c):
        def if_body():  # continue
            pass

        def else_body():
            nonlocal s
            s = s + c

        ag.if_stmt(c % 2 > 0, if_body, else_body, get_state, set_state, ("s",), 1)

    ag.for_stmt(items, None, body, get_state, set_state, ("s",), {"iterate_names": "c"})
    return s


def first_square_above(n, target):
    """for i in range(n): if i*i > target: return i; return -1 (lowered: while + flags)."""
    i = 0
    do_return = False
    retval = ag.UndefinedReturnValue()

    def get_state():
        return (i, do_return, retval)

    def set_state(v):
        nonlocal i, do_return, retval
        i, do_return, retval = v

    def test():
        return ag.and_(ag.not_(do_return), lambda: i < n)

    def body():
        def if_body():
            nonlocal do_return, retval
            do_return = True
            retval = i

        def else_body():
            nonlocal i
            i = i + 1

        ag.if_stmt(i * i > target, if_body, else_body, get_state, set_state,
                   ("i", "do_return", "retval"), 3)

    ag.while_stmt(test, body, get_state, set_state, ("i", "do_return", "retval"), {})

    def get2():
        return (do_return, retval)

    def set2(v):
        nonlocal do_return, retval
        do_return, retval = v

    def if2():
        pass

    def else2():
        nonlocal do_return, retval
        do_return = True
        retval = -1

    ag.if_stmt(do_return, if2, else2, get2, set2, ("do_return", "retval"), 2)
    return retval


def collect(n):
    out = []

    def get_state():
        return (out,)

    def set_state(v):
        nonlocal out
        (out,) = v

    def body(i):
        nonlocal out
        out = ag.list_append(out, i * 2)

    ag.for_stmt(ag.range_(n), None, body, get_state, set_state, ("out",), {})
    return ag.list_stack(out)


def count_down(start, stop, step):
    total = 0
    count = 0

    def get_state():
        return (total, count)

    def set_state(v):
        nonlocal total, count
        total, count = v

    def body(i):
        nonlocal total, count
        total = total + i
        count = count + 1

    ag.for_stmt(ag.range_(start, stop, step), None, body, get_state, set_state,
                ("total", "count"), {"iterate_names": "i"})
    return total, count


def sum_until(n, limit):
    """for i in range(n): if s > limit: break; s += i  (break lowered to a flag)."""
    s = 0
    brk = False

    def get_state():
        return (s, brk)

    def set_state(v):
        nonlocal s, brk
        s, brk = v

    def body(i):
        def if_body():
            nonlocal brk
            brk = True

        def else_body():
            nonlocal s
            s = s + i

        ag.if_stmt(s > limit, if_body, else_body, get_state, set_state, ("s", "brk"), 2)

    ag.for_stmt(ag.range_(n), lambda: ag.not_(brk), body, get_state, set_state, ("s", "brk"),
                {"iterate_names": "i"})
    return s


def sum_items_until(xs, limit):
    """for x in xs: if s > limit: break; s += x"""
    s = 0
    brk = False

    def get_state():
        return (s, brk)

    def set_state(v):
        nonlocal s, brk
        s, brk = v

    def body(x):
        def if_body():
            nonlocal brk
            brk = True

        def else_body():
            nonlocal s
            s = s + x

        ag.if_stmt(s > limit, if_body, else_body, get_state, set_state, ("s", "brk"), 2)

    ag.for_stmt(xs, lambda: ag.not_(brk), body, get_state, set_state, ("s", "brk"), {})
    return s


def weighted(xs, ws):
    acc = 0

    def get_state():
        return (acc,)

    def set_state(v):
        nonlocal acc
        (acc,) = v

    def body(itr):
        nonlocal acc
        k, (x, w) = itr
        acc = acc + k * x * w

    ag.for_stmt(ag.enumerate_(ag.zip_(xs, ws), 1), None, body, get_state, set_state,
                ("acc",), {})
    return acc


def nested(n, m):
    """while i < n: for j in range(m): t += i * j; i += 1"""
    i = 0
    t = 0

    def get_state():
        return (i, t)

    def set_state(v):
        nonlocal i, t
        i, t = v

    def test():
        return i < n

    def body():
        nonlocal i

        def inner(j):
            nonlocal t
            t = t + i * j

        def get_t():
            return (t,)

        def set_t(v):
            nonlocal t
            (t,) = v

        ag.for_stmt(ag.range_(m), None, inner, get_t, set_t, ("t",), {})
        i = i + 1

    ag.while_stmt(test, body, get_state, set_state, ("i", "t"), {})
    return t


CASES = [
    (square_if_positive, ("x",), [{"x": 3}, {"x": -2}, {"x": 0}]),
    (first_square_above, ("n", "t"), [{"n": 10, "t": 20}, {"n": 10, "t": 1000},
                                      {"n": 0, "t": 5}, {"n": 3, "t": -1}]),
    (count_down, ("a", "b", "c"), [{"a": 10, "b": 0, "c": -3}, {"a": 0, "b": 10, "c": 3},
                                   {"a": 5, "b": 5, "c": 1}, {"a": 0, "b": 7, "c": -1}]),
    (sum_until, ("n", "lim"), [{"n": 10, "lim": 7}, {"n": 3, "lim": 100}, {"n": 0, "lim": 1}]),
    (nested, ("n", "m"), [{"n": 3, "m": 4}, {"n": 0, "m": 2}]),
]


@pytest.mark.parametrize("fn,args,envs", CASES, ids=[c[0].__name__ for c in CASES])
def test_staged_matches_python(toy, fn, args, envs):
    staged = fn(*[inp(a) for a in args])
    for env in envs:
        expected = fn(*[env[a] for a in args])
        assert evaluate(staged, env) == expected, env


def test_sum_even_over_tensor(toy):
    xs = [10, 12, 15, 20, 3]
    staged = sum_even(inp("xs", "array:int"))
    assert evaluate(staged, {"xs": xs}) == sum_even(xs) == 42
    assert toy.ops == ["scan", "cond"]  # one loop op whatever the trip count


def test_break_in_loop_over_tensor(toy):
    xs = [1, 2, 3, 4, 5, 6]
    staged = sum_items_until(inp("xs", "array:int"), inp("lim"))
    for lim in (0, 4, 100):
        assert evaluate(staged, {"xs": xs, "lim": lim}) == sum_items_until(xs, lim)


def test_enumerate_zip_of_tensors(toy):
    xs, ws = [1, 2, 3], [4, 5, 6, 7]
    staged = weighted(inp("xs", "array:int"), inp("ws", "array:int"))
    assert evaluate(staged, {"xs": xs, "ws": ws}) == weighted(xs, ws)


def test_zip_tensor_with_python_range(toy):
    def f(xs):
        acc = 0

        def get_state():
            return (acc,)

        def set_state(v):
            nonlocal acc
            (acc,) = v

        def body(itr):
            nonlocal acc
            i, x = itr
            acc = acc + i * x

        ag.for_stmt(ag.zip_(range(10), xs), None, body, get_state, set_state, ("acc",), {})
        return acc

    assert evaluate(f(inp("xs", "array:int")), {"xs": [5, 6, 7]}) == f([5, 6, 7]) == 20


def test_list_appended_in_staged_loop_becomes_backend_list(toy):
    staged = collect(inp("n"))
    np.testing.assert_array_equal(evaluate(staged, {"n": 4}), collect(4))
    assert list(collect(4)) == [0, 2, 4, 6]


def test_nonempty_list_appended_in_staged_loop(toy):
    def f(n):
        out = [7]

        def get_state():
            return (out,)

        def set_state(v):
            nonlocal out
            (out,) = v

        def body(i):
            nonlocal out

            def yes():
                nonlocal out
                out = ag.list_append(out, i)

            ag.if_stmt(i % 2 == 0, yes, lambda: None, get_state, set_state, ("out",), 1)

        ag.for_stmt(ag.range_(n), None, body, get_state, set_state, ("out",), {})
        return ag.list_stack(out)

    np.testing.assert_array_equal(evaluate(f(inp("n")), {"n": 5}), [7, 0, 2, 4])


def test_list_pop_and_setitem(toy):
    lst, x = ag.list_pop(toy.list_append(toy.list_new(), inp("a")))
    assert evaluate(x, {"a": 3}) == 3 and evaluate(lst, {"a": 3}) == []
    arr = ag.setitem(np.zeros(3, dtype=int), 1, inp("v"))
    np.testing.assert_array_equal(evaluate(arr, {"v": 5}), [0, 5, 0])
    arr2 = ag.setitem(inp("arr", "array:int"), inp("i"), 9)
    np.testing.assert_array_equal(evaluate(arr2, {"arr": [1, 2], "i": 0}), [9, 2])


# --------------------------------------------------------------------------------------------
# If: state restore, Python outputs, errors
# --------------------------------------------------------------------------------------------


def test_if_restores_state_between_branches(toy):
    x = inp("x")
    d = {"a": 1}
    log = []
    seen = ag.Undefined("seen")

    def get_state():
        return (d, seen)

    def set_state(v):
        nonlocal d, seen
        d, seen = v

    def body():
        nonlocal seen
        d["a"] = 2  # in place
        log.append("if")
        seen = d["a"]

    def orelse():
        nonlocal seen
        seen = d["a"]  # must see the original contents
        log.append("else")

    ag.if_stmt(x > 0, body, orelse, get_state, set_state, ("d", "seen"), 2)
    assert sorted(log) == ["else", "if"]
    assert isinstance(d["a"], Sym) and isinstance(seen, Sym)
    assert evaluate((d["a"], seen), {"x": 1}) == (2, 2)
    assert evaluate((d["a"], seen), {"x": -1}) == (1, 1)


def test_same_python_value_in_both_branches_stays_python(toy):
    x = inp("x")
    flag, label, obj, y = False, "a", None, 0
    marker = object()

    def get_state():
        return (flag, label, obj, y)

    def set_state(v):
        nonlocal flag, label, obj, y
        flag, label, obj, y = v

    def body():
        nonlocal flag, label, obj, y
        flag, label, obj, y = True, "b", marker, 1

    def orelse():
        nonlocal flag, label, obj, y
        flag, label, obj, y = True, "b", marker, 2

    ag.if_stmt(x > 0, body, orelse, get_state, set_state, ("flag", "label", "obj", "y"), 4)
    assert flag is True and label == "b" and obj is marker
    assert isinstance(y, Sym) and evaluate(y, {"x": 5}) == 1 and evaluate(y, {"x": -5}) == 2


def test_variable_undefined_in_both_branches_stays_undefined(toy):
    x = inp("x")
    z = ag.Undefined("z")
    y = 0

    def get_state():
        return (y, z)

    def set_state(v):
        nonlocal y, z
        y, z = v

    def body():
        nonlocal y
        y = 1

    ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("y", "z"), 2)
    assert ag.is_undefined(z) and isinstance(y, Sym)


def test_variable_defined_in_one_branch_is_an_error(toy, StagingError):
    with pytest.raises(StagingError, match="'y' is assigned in the if branch") as info:
        def f(x):
            y = ag.Undefined("y")

            def body():
                nonlocal y
                y = x

            def get_state():
                return (y,)

            def set_state(v):
                nonlocal y
                (y,) = v

            ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("y",), 1)
        f(inp("x"))
    assert "before the if" in str(info.value)
    assert getattr(info.value, "variable", "y") == "y"


def test_return_in_one_branch_only_is_an_error(toy, StagingError):
    x = inp("x")
    retval = ag.UndefinedReturnValue()

    def body():
        nonlocal retval
        retval = x

    def get_state():
        return (retval,)

    def set_state(v):
        nonlocal retval
        (retval,) = v

    with pytest.raises(StagingError, match="returns a value in its if branch but not in"):
        ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("retval",), 1)


def _returns_in_one_branch(x, t, value_branch):
    """`if x > t: return (x * 2, 1)` (or in the else branch) then `return (x, 7)`, lowered
    with flags as the compiler does for a function that returns on every path."""
    do_return, retval = False, ag.UndefinedReturnValue(always_returns=True)

    def get_state():
        return (do_return, retval)

    def set_state(v):
        nonlocal do_return, retval
        do_return, retval = v

    def returns():
        nonlocal do_return, retval
        do_return, retval = True, (x * 2, 1)

    def falls():
        pass

    body, orelse = (returns, falls) if value_branch == "if" else (falls, returns)
    ag.if_stmt(x > t, body, orelse, get_state, set_state, ("do_return", "retval"), 2)

    def final():
        nonlocal retval
        retval = (x, 7)

    def get_retval():
        return (retval,)

    def set_retval(v):
        nonlocal retval
        (retval,) = v

    ag.if_stmt(ag.not_(do_return), final, lambda: None, get_retval, set_retval, ("retval",), 1)
    return retval


@pytest.mark.parametrize("value_branch", ["if", "else"])
def test_return_in_one_branch_of_a_function_that_always_returns(toy, value_branch):
    # The branch that has not returned gets a placeholder (never read: the final return
    # overwrites it), whichever branch the backend traces first.
    staged = _returns_in_one_branch(inp("x"), inp("t"), value_branch)
    assert type(staged) is tuple and len(staged) == 2
    for x, t in ((5, 0), (-5, 0), (0, 0)):
        assert evaluate(staged, {"x": x, "t": t}) == _returns_in_one_branch(x, t, value_branch)


def test_return_value_errors_do_not_name_internal_variables(toy, StagingError):
    x = inp("x")
    retval = ag.UndefinedReturnValue(always_returns=True)

    def body():
        nonlocal retval
        retval = x

    def orelse():
        nonlocal retval
        retval = "text"

    def get_state():
        return (retval,)

    def set_state(v):
        nonlocal retval
        (retval,) = v

    with pytest.raises(StagingError, match="the return value is") as info:
        ag.if_stmt(x > 0, body, orelse, get_state, set_state, ("ag__retval",), 1)
    assert "ag__" not in str(info.value) and info.value.variable is None


def test_if_dtype_mismatch_names_variable(toy, StagingError):
    x, f = inp("x"), inp("f", "float")
    y = x

    def body():
        nonlocal y
        y = f

    def get_state():
        return (y,)

    def set_state(v):
        nonlocal y
        (y,) = v

    with pytest.raises(StagingError, match="'y' is (int|float) in the (if|else) branch"):
        ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("y",), 1)


def test_if_structure_and_python_value_mismatch(toy, StagingError):
    x = inp("x")
    pair, name = (1, 2), "a"

    def get_state():
        return (pair, name)

    def set_state(v):
        nonlocal pair, name
        pair, name = v

    def body():
        nonlocal pair
        pair = (1, 2, 3)

    with pytest.raises(StagingError, match="'pair' is a tuple of length"):
        ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("pair", "name"), 2)

    def body2():
        nonlocal name
        name = "b"

    with pytest.raises(StagingError, match="'name' is the Python str"):
        ag.if_stmt(x > 0, body2, lambda: None, get_state, set_state, ("pair", "name"), 2)


def test_if_nested_structures_flattened(toy):
    x = inp("x")
    state = {"a": (1, 2.0), "b": [3]}

    def get_state():
        return (state,)

    def set_state(v):
        nonlocal state
        (state,) = v

    def body():
        nonlocal state
        state = {"a": (x, 5.0), "b": [x * 2]}

    ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("state",), 1)
    assert type(state) is dict and type(state["a"]) is tuple and type(state["b"]) is list
    assert evaluate(state["a"], {"x": 2}) == (2, 5.0)
    assert evaluate(state["b"], {"x": -2}) == [3]


def test_non_output_state_is_restored(toy):
    x = inp("x")
    y, tmp = 0, 0

    def get_state():
        return (y, tmp)

    def set_state(v):
        nonlocal y, tmp
        y, tmp = v

    def body():
        nonlocal y, tmp
        tmp = 5
        y = x + tmp

    ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("y", "tmp"), 1)
    assert tmp == 0 and evaluate(y, {"x": 1}) == 6


def test_if_with_no_outputs(toy):
    x = inp("x")
    ag.if_stmt(x > 0, lambda: ag.print_("pos", x), lambda: None, lambda: (), lambda v: None,
               (), 0)
    assert "cond" in toy.ops and any(op[0] == "print" for op in toy.ops if isinstance(op, tuple))


# --------------------------------------------------------------------------------------------
# Loops: errors
# --------------------------------------------------------------------------------------------


def _loop_assigning(value_fn, init, opts=None):
    y = init

    def get_state():
        return (y,)

    def set_state(v):
        nonlocal y
        (y,) = v

    def body(i):
        nonlocal y
        y = value_fn(y, i)

    ag.for_stmt(ag.range_(inp("n")), None, body, get_state, set_state, ("y",), opts or {})
    return y


def test_loop_variable_undefined_before_loop(toy, StagingError):
    with pytest.raises(StagingError, match="'y' has no value before this staged for loop") as e:
        _loop_assigning(lambda y, i: i, ag.Undefined("y"), {"loop_name": "user.py:12"})
    assert str(e.value).startswith("user.py:12: ")
    assert "initialize 'y' before the loop" in str(e.value)


def test_loop_variable_changes_dtype(toy, StagingError):
    with pytest.raises(StagingError, match="'y' is int before this staged for loop and float"):
        _loop_assigning(lambda y, i: y + 0.5, 0)
    # a float start is fine
    y = _loop_assigning(lambda y, i: y + 0.5, 0.0)
    assert evaluate(y, {"n": 4}) == 2.0


def test_loop_python_value_cannot_change(toy, StagingError):
    with pytest.raises(StagingError, match="'y' is the Python str 'a' before"):
        _loop_assigning(lambda y, i: "b", "a")
    with pytest.raises(StagingError, match="'y' is None before"):
        _loop_assigning(lambda y, i: i, None)


def test_loop_structure_change(toy, StagingError):
    with pytest.raises(StagingError, match=r"'y' is a tuple of length 1 before .* length 2"):
        _loop_assigning(lambda y, i: (i, i), (0,))


def test_loop_python_constants_kept(toy):
    name = "label"
    total = 0

    def get_state():
        return (name, total)

    def set_state(v):
        nonlocal name, total
        name, total = v

    def body(i):
        nonlocal total
        total = total + i

    ag.for_stmt(ag.range_(inp("n")), None, body, get_state, set_state, ("name", "total"), {})
    assert name == "label" and evaluate(total, {"n": 4}) == 6


def test_python_while_whose_test_becomes_tensor(toy, StagingError):
    x = 0
    flag = True

    def get_state():
        return (x, flag)

    def set_state(v):
        nonlocal x, flag
        x, flag = v

    def test():
        return x < 3

    def body():
        nonlocal x
        x = inp("x")

    with pytest.raises(StagingError, match="'x' is now a tensor") as e:
        ag.while_stmt(test, body, get_state, set_state, ("x", "flag"), {"loop_name": "u.py:3"})
    assert "initialize 'x' as a tensor before the loop" in str(e.value)


def test_tensor_break_in_python_for(toy, StagingError):
    brk = False

    def get_state():
        return (brk,)

    def set_state(v):
        nonlocal brk
        (brk,) = v

    def body(i):
        nonlocal brk
        brk = inp("x") > i

    with pytest.raises(StagingError, match="break or return inside this Python for loop"):
        ag.for_stmt([1, 2, 3], lambda: ag.not_(brk), body, get_state, set_state, ("brk",),
                    {"iterate_names": "i"})


def test_loop_opts_reach_backend(toy):
    seen = {}
    original = toy.while_loop

    def spy(cond_fn, body_fn, init, names, opts):
        seen.update(opts, names=names)
        return original(cond_fn, body_fn, init, names, opts)

    toy.while_loop = spy
    x = inp("x")
    v = x

    def get_state():
        return (v,)

    def set_state(s):
        nonlocal v
        (v,) = s

    def body():
        nonlocal v
        v = v + 1

    ag.while_stmt(lambda: v < 10, body, get_state, set_state, ("v",),
                  {"maximum_iterations": 5, "shape_invariants": [(x, (None,))],
                   "loop_name": "f.py:1"})
    assert seen["maximum_iterations"] == 5
    assert seen["shape_invariants"] == {"v": (None,)}
    assert seen["loop_name"] == "f.py:1" and seen["names"] == ("v",)
    assert evaluate(v, {"x": 3}) == 10


def test_static_range_staged_when_backend_wants_it(StagingError):
    backend = registry.register(ToyBackend(static_range=True))
    try:
        with pytest.raises(ag.StagingRequired):
            ag.py_range(3)
        assert registry.claims(range(3))
        total = inp("x")

        def get_state():
            return (total,)

        def set_state(v):
            nonlocal total
            (total,) = v

        def body(i):
            nonlocal total
            total = total + i

        ag.for_stmt(range(4), None, body, get_state, set_state, ("total",), {})
        assert backend.ops == ["static_range", "while"]
        assert evaluate(total, {"x": 1}) == 7
        # with a break flag, or Python state that cannot be lifted: a Python loop
        backend.ops.clear()
        names = []

        def set_names(v):
            nonlocal names
            (names,) = v

        def body2(i):
            nonlocal names
            names = ag.list_append(names, str(i))

        ag.for_stmt(range(2), None, body2, lambda: (names,), set_names, ("names",), {})
        assert names == ["0", "1"] and backend.ops == []
    finally:
        registry.unregister(backend)
    assert list(ag.py_range(3)) == [0, 1, 2]


# --------------------------------------------------------------------------------------------
# Logical operators and expressions on tensors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("short_circuit", [True, False])
def test_logical_ops_on_tensors(short_circuit):
    backend = registry.register(ToyBackend(short_circuit=short_circuit))
    try:
        a, b = inp("a", "bool"), inp("b", "bool")
        for env in ({"a": True, "b": False}, {"a": False, "b": True}, {"a": True, "b": True}):
            assert evaluate(ag.and_(a, lambda: b), env) == (env["a"] and env["b"])
            assert evaluate(ag.or_(a, lambda: b), env) == (env["a"] or env["b"])
            assert evaluate(ag.not_(a), env) == (not env["a"])
            assert evaluate(ag.if_exp(a, lambda: 1, lambda: 2, "e"), env) == (
                1 if env["a"] else 2)
        # Python first operand: Python short-circuit, the thunk is never called
        assert ag.and_(False, lambda: 1 / 0) is False
        assert ag.or_(True, lambda: 1 / 0) is True
        assert ag.and_(True, lambda: b) is b
        assert ("cond" in backend.ops) == short_circuit
    finally:
        registry.unregister(backend)


def test_lazy_and_does_not_evaluate_b_at_runtime(toy):
    i, n = inp("i"), inp("n")
    xs = inp("xs", "array:int")
    r = ag.and_(i < n, lambda: xs[i] > 0)  # xs[i] is out of range when i == n
    assert evaluate(r, {"i": 3, "n": 3, "xs": [1, 2, 3]}) is False
    assert evaluate(r, {"i": 1, "n": 3, "xs": [1, 2, 3]}) is True


def test_assert_and_print_dispatch(toy, capsys):
    x = inp("x")
    ag.assert_stmt(x > 0, lambda: "x must be positive")
    ag.print_("x is", x, sep=":")
    ag.print_("plain", 1)
    assert toy.ops[0][0] == "assert" and toy.ops[0][2] == "x must be positive"
    assert toy.ops[1] == ("print", ("x is", x), {"sep": ":"})
    assert capsys.readouterr().out == "plain 1\n"


def test_list_appended_in_nested_staged_loops(toy):
    def f(n, m):
        out = []

        def get_state():
            return (out,)

        def set_state(v):
            nonlocal out
            (out,) = v

        def outer(i):
            def inner(j):
                nonlocal out
                out = ag.list_append(out, i * 10 + j)

            ag.for_stmt(ag.range_(m), None, inner, get_state, set_state, ("out",), {})

        ag.for_stmt(ag.range_(n), None, outer, get_state, set_state, ("out",), {})
        return ag.list_stack(out)

    np.testing.assert_array_equal(evaluate(f(inp("n"), inp("m")), {"n": 2, "m": 3}),
                                  [0, 1, 2, 10, 11, 12])


def test_return_inside_staged_for_over_tensor(toy):
    """for x in xs: if x > t: return x;  return 0  (lowered with flags, as the compiler does)"""
    def f(xs, t):
        do_return, retval = False, ag.UndefinedReturnValue()

        def get_state():
            return (do_return, retval)

        def set_state(v):
            nonlocal do_return, retval
            do_return, retval = v

        def body(x):
            def yes():
                nonlocal do_return, retval
                do_return, retval = True, x

            ag.if_stmt(x > t, yes, lambda: None, get_state, set_state,
                       ("do_return", "retval"), 2)

        ag.for_stmt(xs, lambda: ag.not_(do_return), body, get_state, set_state,
                    ("do_return", "retval"), {})

        def no():
            nonlocal do_return, retval
            do_return, retval = True, 0

        ag.if_stmt(do_return, lambda: None, no, get_state, set_state, ("do_return", "retval"), 2)
        return retval

    staged = f(inp("xs", "array:int"), inp("t"))
    for t in (0, 2, 3, 9):
        assert evaluate(staged, {"xs": [1, 3, 2, 5], "t": t}) == f([1, 3, 2, 5], t)


def test_if_exp_same_python_arms_and_tensor_arms(toy):
    c = inp("c", "bool")
    assert ag.if_exp(c, lambda: "same", lambda: "same", "e") == "same"
    r = ag.if_exp(c, lambda: inp("a"), lambda: 7, "e")
    assert evaluate(r, {"c": True, "a": 3}) == 3 and evaluate(r, {"c": False, "a": 3}) == 7


def test_undefined_return_value_in_both_branches_stays(toy):
    x = inp("x")
    do_return, retval = False, ag.UndefinedReturnValue()

    def get_state():
        return (do_return, retval)

    def set_state(v):
        nonlocal do_return, retval
        do_return, retval = v

    def body():
        nonlocal do_return
        do_return = False

    ag.if_stmt(x > 0, body, lambda: None, get_state, set_state, ("do_return", "retval"), 2)
    assert do_return is False and isinstance(retval, ag.UndefinedReturnValue)


def test_while_with_no_state_and_print(toy):
    x = inp("x")
    ag.while_stmt(lambda: x > 0, lambda: ag.print_(x), lambda: (), lambda v: None, (), {})
    assert toy.ops[0] == "while" and toy.ops[1][0] == "print"


def test_return_of_a_tuple_inside_staged_loop(toy):
    """for i in range(n): if i * i > t: return (i, i * i);  return (-1, 0)"""
    def f(n, t):
        do_return, retval = False, ag.UndefinedReturnValue()

        def get_state():
            return (do_return, retval)

        def set_state(v):
            nonlocal do_return, retval
            do_return, retval = v

        def body(i):
            def yes():
                nonlocal do_return, retval
                do_return, retval = True, (i, i * i)

            ag.if_stmt(i * i > t, yes, lambda: None, get_state, set_state,
                       ("do_return", "retval"), 2)

        ag.for_stmt(ag.range_(n), lambda: ag.not_(do_return), body, get_state, set_state,
                    ("do_return", "retval"), {})

        def no():
            nonlocal do_return, retval
            do_return, retval = True, (-1, 0)

        ag.if_stmt(do_return, lambda: None, no, get_state, set_state, ("do_return", "retval"), 2)
        return retval

    staged = f(inp("n"), inp("t"))
    assert type(staged) is tuple
    for t in (0, 5, 200):
        assert evaluate(staged, {"n": 10, "t": t}) == f(10, t)
