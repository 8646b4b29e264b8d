"""Lowers real functions to the functional form, runs them with `ag__` bound to
autograph.runtime, and checks they give what the original gives on plain Python values."""

import pytest

from tests.converters._helpers import lower

counter = 0


def if_else(x):
    if x > 0:
        y = x * x
    else:
        y = -x
    return y


def if_no_else(x):
    y = 1
    if x > 2:
        y = x
    return y


def elif_chain(x):
    if x < 0:
        s = 'neg'
    elif x == 0:
        s = 'zero'
    elif x < 10:
        s = 'small'
    else:
        s = 'big'
    return s


def undefined_in_one_branch_unused(x):
    if x > 1:
        tmp = x * 2
        y = tmp + 1
    else:
        y = 0
    return y


def read_before_write_in_branch(x):
    t = 10
    if x > 0:
        t = t + x
        r = t
    else:
        r = 0
    return r


def nested_ifs(x, y):
    r = 0
    if x > 0:
        if y > 0:
            r = 1
        else:
            r = 2
    else:
        if y > 0:
            r = 3
    return r


def while_sum(n):
    i = 0
    s = 0
    while i < n:
        s += i
        i += 1
    return s


def while_and_condition(n):
    i = 0
    s = 0
    while i < n and s < 20:
        s += i
        i += 1
    return i, s


def while_else(n):
    i = 0
    while i < n:
        i += 1
    else:
        i = -i
    return i


def while_else_break(n):
    i = 0
    while i < 10:
        if i == n:
            break
        i += 1
    else:
        i = 100
    return i


def for_range(n):
    s = 0
    for i in range(n):
        s += i
    return s


def for_target_live_after(xs):
    x = None
    for x in xs:  # noqa: B007 - the last one is the result
        pass
    return x


def for_tuple_target(d):
    keys = []
    total = 0
    for k, v in sorted(d.items()):
        keys.append(k)
        total += v
    return keys, total


def for_enumerate_zip(xs, ys):
    out = []
    for i, (a, b) in enumerate(zip(xs, ys, strict=True)):
        out.append(i * a + b)
    return out


def for_else(xs, stop):
    found = -1
    for i, x in enumerate(xs):
        if x == stop:
            found = i
            break
    else:
        found = -2
    return found


def for_continue(xs):
    s = 0
    for x in xs:
        if x % 2:
            continue
        s += x
    return s


def nested_break_continue(n):
    pairs = []
    for i in range(n):
        if i == 1:
            continue
        for j in range(n):
            if j > i:
                break
            if (i + j) % 2:
                continue
            pairs.append((i, j))
        if i > 3:
            break
    return pairs


def early_return_in_loop(xs):
    for x in xs:
        if x > 2:
            return x
    return -1


def early_return_nested_loops(xs):
    for i in xs:
        for j in xs:
            if i * j == 6:
                return i, j
    return None


def return_three_deep(n):
    for i in range(n):
        j = 0
        while j < n:
            if i + j > 4:
                if j % 2 == 0:
                    return i, j
            j += 1
    return 'none'


def return_in_both_branches(x):
    if x > 0:
        return 'pos'
    else:
        return 'nonpos'


def falls_off_end(x):
    if x > 0:
        return x


def return_in_while_else(n):
    i = 0
    while i < n:
        i += 1
    else:
        return -i
    return i


def list_append_in_loop(n):
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(i)
    return out


def list_pop_in_loop(xs):
    xs = list(xs)
    popped = []
    while xs:
        popped.append(xs.pop())
    return popped


def subscript_state(n):
    a = [0] * n
    for i in range(n):
        if i % 2:
            a[i] = i
        else:
            a[i] += 10
    return a


def nested_subscript_aug(n):
    grid = [[0] * 3 for _ in range(3)]
    for i in range(n):
        grid[i % 3][i % 2] += 1
    return grid


class Counter:
    def __init__(self):
        self.n = 0

    def count(self, xs):
        for x in xs:
            if x > 0:
                self.n += 1
        return self.n


class Base:
    def total(self, xs):
        return sum(xs)


class Derived(Base):
    def total(self, xs):
        s = 0
        for x in xs:
            if x > 0:
                s += super().total([x, x])
        return s


def attribute_state(xs):
    return Counter().count(xs)


def uses_global(xs):
    global counter
    counter = 0
    for x in xs:
        if x:
            counter += 1
    return counter


def uses_nonlocal(xs):
    total = 0

    def add(x):
        nonlocal total
        if x > 0:
            total += x

    for x in xs:
        add(x)
    return total


def nested_function_with_loop(n):
    def triangle(k):
        s = 0
        for i in range(k + 1):
            s += i
        return s

    return [triangle(i) for i in range(n)]


def comprehension_untouched(xs):
    ys = [x * 2 for x in xs if x > 1 and x < 5]
    return ys, {x: x > 2 or x < 1 for x in xs}


def logical_values(a, b, c):
    return (a and b, a or b, not a, a < b < c, a and b or c)


def chained_call_once():
    calls = []

    def mid():
        calls.append(1)
        return 5

    ok = 0 < mid() < 10
    return ok, len(calls)


def ternary(x):
    y = 'big' if x > 3 else 'small'
    return y, (x if x else -1)


def asserts(x):
    assert x > 0, 'x must be positive'
    assert x < 100
    return x


def while_with_try(xs):
    out = []
    i = 0
    while i < len(xs):
        try:
            out.append(10 // xs[i])
        except ZeroDivisionError:
            out.append(None)
        i += 1
    return out


def break_in_try(xs):
    n = 0
    for x in xs:
        try:
            if x < 0:
                break
            n += x
        finally:
            n += 100
    return n


def loop_var_first_defined_in_loop(n):
    for i in range(n):
        last = i * 2
    return last


def state_local_to_iteration(n):
    s = 0
    for i in range(n):
        if i % 2:
            v = 1
        else:
            v = 2
        s += v
    return s


def while_true_break(n):
    i = 0
    while True:
        i += 1
        if i >= n:
            break
    return i


def walrus_in_while_test(xs):
    it = iter(xs)
    total = 0
    while (x := next(it, None)) is not None:
        total += x
    return total, x


def print_values(n, capsys=None):
    for i in range(n):
        if i % 2:
            print('odd', i)
        else:
            print('even', i, sep=':')
    return n


CASES = [
    (if_else, [(3,), (-2,), (0,)]),
    (if_no_else, [(1,), (5,)]),
    (elif_chain, [(-1,), (0,), (5,), (50,)]),
    (undefined_in_one_branch_unused, [(0,), (3,)]),
    (read_before_write_in_branch, [(-1,), (4,)]),
    (nested_ifs, [(1, 1), (1, -1), (-1, 1), (-1, -1)]),
    (while_sum, [(0,), (5,)]),
    (while_and_condition, [(3,), (100,)]),
    (while_else, [(0,), (3,)]),
    (while_else_break, [(3,), (20,)]),
    (for_range, [(0,), (6,)]),
    (for_target_live_after, [([],), ([1, 2, 3],)]),
    (for_tuple_target, [({'a': 1, 'b': 2},)]),
    (for_enumerate_zip, [([1, 2, 3], [4, 5, 6])]),
    (for_else, [([1, 2, 3], 2), ([1, 2, 3], 7)]),
    (for_continue, [([1, 2, 3, 4, 6],)]),
    (nested_break_continue, [(3,), (6,)]),
    (early_return_in_loop, [([1, 2],), ([1, 5, 7],)]),
    (early_return_nested_loops, [([1, 2, 3],), ([1, 5],)]),
    (return_three_deep, [(2,), (5,)]),
    (return_in_both_branches, [(1,), (-1,)]),
    (falls_off_end, [(1,), (-1,)]),
    (return_in_while_else, [(0,), (3,)]),
    (list_append_in_loop, [(10,)]),
    (list_pop_in_loop, [([1, 2, 3],)]),
    (subscript_state, [(5,)]),
    (nested_subscript_aug, [(7,)]),
    (attribute_state, [([1, -1, 2, 0, 3],)]),
    (uses_global, [([1, 0, 1, 1],)]),
    (uses_nonlocal, [([1, -2, 3],)]),
    (nested_function_with_loop, [(5,)]),
    (comprehension_untouched, [([0, 1, 2, 3, 4, 5],)]),
    (logical_values, [(1, 2, 3), (0, 2, 1), (3, 2, 1), ('', 'b', 'c')]),
    (chained_call_once, [()]),
    (ternary, [(0,), (5,)]),
    (while_with_try, [([1, 0, 5],)]),
    (break_in_try, [([1, 2, -1, 4],), ([1, 2],)]),
    (loop_var_first_defined_in_loop, [(3,)]),
    (state_local_to_iteration, [(5,)]),
    (while_true_break, [(4,)]),
    (walrus_in_while_test, [([1, 2, 3],), ([],)]),
]


@pytest.mark.parametrize('f,inputs', CASES, ids=[f.__name__ for f, _ in CASES])
def test_same_results(f, inputs):
    lowered, source = lower(f)
    for args in inputs:
        assert lowered(*args) == f(*args), source


def test_zero_argument_super_in_body_functions():
    lowered, source = lower(Derived.total)
    assert 'super(__class__, self)' in source
    assert lowered(Derived(), [1, -2, 3]) == Derived().total([1, -2, 3]) == 8


def test_assert_failures_match():
    lowered, _ = lower(asserts)
    assert lowered(5) == 5
    with pytest.raises(AssertionError, match='x must be positive'):
        lowered(-1)
    with pytest.raises(AssertionError) as info:
        lowered(500)
    assert info.value.args == ()


def test_prints_match(capsys):
    f, _ = lower(print_values)
    print_values(3)
    expected = capsys.readouterr().out
    f(3)
    assert capsys.readouterr().out == expected


def test_runtime_print_matches(capsys):
    f, source = lower(print_values, runtime_print=True)
    assert 'ag__.print_(' in source
    print_values(3)
    expected = capsys.readouterr().out
    f(3)
    assert capsys.readouterr().out == expected


def test_a_context_manager_that_swallows_the_jump_s_exception():
    import contextlib

    def f(xs):
        out = []
        for x in xs:
            with contextlib.suppress(ZeroDivisionError):
                out.append(1 // x)
                continue
            out.append('swallowed')
        return out

    g, _ = lower(f)
    assert g([1, 0, 2]) == f([1, 0, 2]) == [1, 'swallowed', 0]
