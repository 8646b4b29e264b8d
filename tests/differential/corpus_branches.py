"""Corpus: if/elif/else, boolean operators, comparisons, ternaries, partially defined variables."""

import numpy as np

from .harness import case

G = ("graph", "jax")


@case(inputs=[3, -2, 0], modes=G)
def square_if_positive(x):
    if x > 0:
        x = x * x
    else:
        x = 0
    return x


@case(inputs=[5, -5, 0, 1], modes=G)
def if_no_else(x):
    y = x
    if x < 0:
        y = -x
    return y


@case(inputs=[-10, -1, 0, 1, 50], modes=G)
def elif_chain(x):
    if x < -5:
        r = 1
    elif x < 0:
        r = 2
    elif x == 0:
        r = 3
    elif x < 10:
        r = 4
    else:
        r = 5
    return r


@case(inputs=[(1, 2), (2, 1), (3, 3), (-1, -4)], modes=G)
def if_two_vars(a, b):
    if a > b:
        big, small = a, b
    else:
        big, small = b, a
    return big - small, big, small


@case(inputs=[(4, 6), (-3, 2), (0, 0)], modes=G)
def nested_if_else(a, b):
    if a > 0:
        if b > 0:
            r = a + b
        else:
            r = a - b
    else:
        if b > 0:
            r = b - a
        else:
            r = -a - b
    return r


@case(inputs=[7, 0, -3], modes=G)
def if_modifies_only_one_branch(x):
    z = 10
    w = 1
    if x > 0:
        z = z + x
    else:
        w = w - x
    return z * w


@case(inputs=[2, -2])
def if_temporary_not_used_after(x):
    if x > 0:
        tmp = x * 3
        x = tmp + 1
    return x


@case(inputs=[(1, 5), (6, 5), (5, 5), (-1, 0)], modes=G)
def chained_comparison(a, b):
    if 0 < a < b:
        return 1
    if a <= b <= 10:
        return 2
    return 3


@case(inputs=[(1, 2, 3), (3, 2, 1), (1, 1, 1), (2, 1, 3)], modes=G)
def chained_comparison_value(a, b, c):
    r1 = a < b < c
    r2 = a == b == c
    r3 = a != b != c
    return r1, r2, r3


@case(inputs=[4, -4, 0], modes=G)
def ternary_simple(x):
    return x if x > 0 else -x


@case(inputs=[-7, -1, 0, 3, 30], modes=G)
def ternary_nested(x):
    return -1 if x < -5 else (0 if x <= 0 else (1 if x < 10 else 2))


@case(inputs=[(3, 4), (-3, 4), (3, -4), (0, 0)], modes=G)
def and_or_in_if(a, b):
    if a > 0 and b > 0:
        r = 1
    elif a > 0 or b > 0:
        r = 2
    else:
        r = 3
    return r


@case(inputs=[(1, 0), (0, 1), (0, 0), (2, 3)], modes=G)
def not_in_if(a, b):
    if not a > 0:
        a = a + 10
    if not (a > 5 and b > 1):
        b = b + 1
    return a, b


@case(inputs=[None, 3, -3, 0])
def short_circuit_none(x):
    if x is None or x > 0:
        return "none-or-positive"
    return "non-positive"


@case(inputs=[None, 2, 0, -1])
def short_circuit_and_none(x):
    if x is not None and x > 0:
        return x * 2
    return -1


@case(inputs=[[], [1], [0, 2], None])
def short_circuit_index(lst):
    if lst and lst[0] > 0:
        return lst[0]
    if not lst:
        return "empty"
    return lst[-1]


@case(inputs=[(0, 5), (3, 5), (0, 0), ("", "b"), (None, [])])
def or_returns_operand(a, b):
    return a or b, a and b, not a, (a or b) and a


@case(inputs=[(0, "x", [1]), (1, "", []), (0, "", None), (2, "y", [3])])
def mixed_operand_chain(a, b, c):
    r1 = a and b and c
    r2 = a or b or c
    r3 = (a and b) or c
    r4 = a or (b and c)
    return r1, r2, r3, r4


CALLS = []


def _note(v):
    CALLS.append(v)
    return v


def _reset_calls():
    CALLS.clear()


def _calls():
    return list(CALLS)


@case(inputs=[(0, 1), (1, 0), (1, 1), (0, 0)], setup=_reset_calls, state=_calls)
def short_circuit_side_effects(a, b):
    r = _note(a) and _note(b)
    s = _note(a) or _note(b)
    if _note(a) or _note(b + 10):
        t = 1
    else:
        t = 2
    return r, s, t


@case(inputs=[True, False])
def if_on_bool_param(flag):
    if flag:
        msg = "yes"
    else:
        msg = "no"
    return msg


@case(inputs=[[], [0], "", "a", {}, {"k": 1}, 0.0])
def if_on_truthiness(v):
    if v:
        return "truthy"
    else:
        return "falsy"


@case(inputs=[5, -5])
def defined_in_one_branch_used_guarded(x):
    if x > 0:
        y = x * 2
    if x > 0:
        return y
    return 0


@case(inputs=[3, -3, 0], modes=G, stageable=False)
def defined_in_one_branch_returned(x):
    if x > 0:
        y = x + 1
        return y
    return x


@case(inputs=[3, -3])
def defined_in_one_branch_unbound(x):
    if x > 0:
        y = x
    return y  # noqa: F821 - UnboundLocalError on the second input (compared)


@case(inputs=[(1, 2), (2, 1)])
def if_with_unpacking(a, b):
    if a < b:
        a, b = b, a
    (c, d), e = (a, b), a - b
    return c, d, e


@case(inputs=[10, 3, 7], modes=G)
def if_augassign(x):
    s = 0
    if x > 5:
        s += x
        s *= 2
    else:
        s -= x
    s //= 3
    return s


@case(inputs=[1.5, -2.25, 0.0], modes=G)
def if_float(x):
    if x >= 0.0:
        y = x * 2.0
    else:
        y = x / 2.0
    return y


@case(inputs=[float("nan"), 1.0, -0.0])
def if_nan(x):
    if x != x:
        return "nan"
    if x == 0.0:
        return -x
    return x


@case(inputs=[(3, 4), (4, 3)], modes=G)
def if_in_expression_position(a, b):
    m = a if a > b else b
    n = (a - b) if (a > b and b > 0) else (b - a)
    return m + n


@case(inputs=[1, 2, 3, 4])
def if_isinstance_dispatch(x):
    if x == 1:
        v = 1
    elif x == 2:
        v = "two"
    elif x == 3:
        v = [3]
    else:
        v = None
    if isinstance(v, int):
        return v + 1
    elif isinstance(v, str):
        return v.upper()
    elif v is None:
        return "none"
    return v * 2


@case(inputs=[(1, 2), ("a", "b"), (1, "b")], exc_msg=True)
def if_test_raises_type_error(a, b):
    if a < b:  # TypeError for int < str: raised by the test itself, must be re-raised
        return "lt"
    return "ge"


@case(inputs=[3, -3])
def if_body_raises_type_error(x):
    if x > 0:
        r = x + "s"  # TypeError from the body, not from the test
    else:
        r = x
    return r


@case(inputs=[3, -3])
def if_body_type_error_caught(x):
    try:
        if x > 0:
            r = len(x)
        else:
            r = -1
    except TypeError as e:
        r = str(e)
    return r


@case(inputs=[np.int64(3), np.int64(-3), np.float32(0.5)])
def if_numpy_scalar_python_mode(x):
    if x > 0:
        y = x * 2
    else:
        y = -x
    return y, type(y).__name__


@case(inputs=[(2, 3), (-2, 3), (2, -3), (-2, -3)], modes=G)
def if_and_or_not_combined(a, b):
    c = 0
    if (a > 0 or b > 0) and not (a > 0 and b > 0):
        c = 1
    elif not (a < 0 or b < 0):
        c = 2
    else:
        c = 3
    return c


@case(inputs=[0, 1, 2])
def pass_branches(x):
    if x == 0:
        pass
    elif x == 1:
        x = 10
    else:
        ...
    return x


@case(inputs=[(1, 2, 3), (3, 2, 1), (2, 3, 1)], modes=G)
def max_of_three(a, b, c):
    if a >= b and a >= c:
        m = a
    elif b >= a and b >= c:
        m = b
    else:
        m = c
    return m
