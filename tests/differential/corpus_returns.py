"""Corpus: return anywhere, early returns of different types, functions without return."""

import numpy as np

from .harness import case

G = ("graph", "jax")


@case(inputs=[5, -5, 0], modes=G)
def return_in_if(x):
    if x > 0:
        return x * 10
    return -x


@case(inputs=[5, -5, 0], modes=G)
def return_in_both_branches(x):
    if x > 0:
        return x + 1
    else:
        return x - 1


@case(inputs=[-1, 0, 1, 2])
def return_in_elif_chain(x):
    if x < 0:
        return "neg"
    elif x == 0:
        return 0
    elif x == 1:
        return [1]
    else:
        return None


@case(inputs=[0, 3, 10], modes=G)
def return_in_for(n):
    for i in range(n):
        if i * i > 5:
            return i
    return -1


@case(inputs=[0, 4, 40], modes=G)
def return_in_while(n):
    i = 0
    while i < n:
        if i > 6:
            return i * 100
        i += 1
    return i


@case(inputs=[(3, 3), (4, 5), (0, 2)], modes=G)
def return_in_nested_loops(n, target):
    for i in range(n):
        for j in range(n):
            if i + j == target:
                return i, j
    return -1, -1


@case(inputs=[(1, 1), (1, -1), (-1, 1), (-1, -1)], modes=G)
def return_in_nested_ifs(a, b):
    if a > 0:
        if b > 0:
            return 1
        return 2
    else:
        if b > 0:
            return 3
    return 4


@case(inputs=[3, -3])
def no_return(x):
    if x > 0:
        x = x + 1


@case(inputs=[3, -3])
def bare_return(x):
    if x > 0:
        return
    return x


@case(inputs=[0, 1, 2, 3])
def early_return_types(x):
    if x == 0:
        return 0
    if x == 1:
        return 1.5
    if x == 2:
        return "two"
    return (x, [x], {"x": x})


@case(inputs=[[1, 2, 3], [], [-1]])
def return_from_for_else(lst):
    for v in lst:
        if v < 0:
            return "negative"
    else:
        return "none negative"


@case(inputs=[[1, 2, 3], [], [0, 0]])
def return_in_while_else(lst):
    i = 0
    while i < len(lst):
        if lst[i] == 0:
            break
        i += 1
    else:
        return "no zero"
    return i


@case(inputs=[5, 0, -5])
def return_after_loop_in_branch(n):
    if n > 0:
        s = 0
        for i in range(n):
            s += i
        return s
    elif n == 0:
        while True:
            return "zero"
    return None


@case(inputs=[10, 3], modes=G)
def return_inside_else_of_loop_body(n):
    s = 0
    for i in range(n):
        if i < 5:
            s += i
        else:
            return s
    return -s


@case(inputs=[3, 7], modes=G)
def return_tuple_from_loop(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
        if b > 10:
            return a, b
    return b, a


@case(inputs=[4, -4])
def return_lambda_result(x):
    f = lambda y: y * 2 if y > 0 else -y
    return f(x)


@case(inputs=[2, 9])
def return_generator_expression_sum(n):
    return sum(i for i in range(n) if i % 2)


@case(inputs=[5, 0, 1], modes=G, stageable=False)
def multiple_returns_in_while_true(n):
    i = 0
    while True:
        if i >= n:
            return i
        if i == 3:
            return -i
        i += 1


@case(inputs=[5, 0, 1], modes=G)
def multiple_returns_in_staged_while(n):
    i = n - n
    while i < 100:
        if i >= n:
            return i
        if i == 3:
            return -i
        i += 1
    return i


# A `return` in one branch only of a staged `if`, in a function that returns explicitly on
# every path: the other branch's return value is a placeholder that is never read (as in
# TensorFlow). The inner `while` never runs (`m < 0` is False in Python), so its `return` is
# never traced: after the staged outer loop the return value is still undefined while the
# return/break flags are tensors, and the loop's `else:` (a `return`) is a staged `if`.


@case(inputs=[3, 0, 12], modes=G)
def never_traced_return_then_staged_while_else(a):
    n = 0
    while n < a:
        n += 1
        m = 0
        while m < 0 and n < a:
            m += 1
            if n > 10:
                return (n, n)
    else:
        return (n, 0)
    return (n, 1)


@case(inputs=[3, 0, 6], modes=G)
def never_traced_return_then_staged_for_else(a):
    n = 0
    for i in range(a):
        n += i
        for j in range(0):
            if n > 10:
                return n, j
    else:
        return n, -1
    return n, 1


@case(inputs=[np.array([1.0, 2.0]), np.array([5.0, 7.0, 9.0])], modes=G)
def never_traced_return_in_for_over_a_tensor(arr):
    s = arr[0] * 0
    for v in arr:
        s = s + v
        m = 0
        while m < 0 and s < 100:
            m += 1
            if s > 10:
                return s, s
    else:
        return s, s * 2
    return s, s + 1


@case(inputs=[3, 0, 200], modes=G)
def never_traced_return_with_a_break(a):
    n = 0
    while n < a:
        n += 1
        if n > 100:
            break
        m = 0
        while m < 0 and n < a:
            m += 1
            if n > 10:
                return n * 2
    else:
        return n
    return -n


@case(inputs=[3, 0], modes=G)
def never_traced_float_return(x):
    n = 0
    while n < x:
        n += 1
        m = 0
        while m < 0 and n < x:
            m += 1
            return n * 0.5
    else:
        return n * 1.5
    return 0.0


@case(inputs=[np.array([1.0, 2.0]), np.array([-3.0])], modes=G)
def never_traced_array_return(arr):
    i = 0
    n = arr.shape[0]
    while i < n:
        i += 1
        m = 0
        while m < 0 and i < n:
            m += 1
            return arr
    else:
        return arr * 2.0
    return arr


@case(inputs=[3, 200, -1], modes=G)
def nested_return_in_the_if_branch_only(x):
    if x > 0:
        if x > 100:
            return x * 3
    return x


@case(inputs=[3, 200, -1], modes=G)
def nested_return_in_the_else_branch_only(x):
    if x > 0:
        if x > 100:
            x = x + 1
        else:
            return x * 3, x
    return x, -x


@case(inputs=[3, 200, -1], modes=G, stageable=False)
def nested_return_then_falling_off_the_end(x):
    # Falls off the end (returns None) when x <= 100: staged, a StagingError that says the
    # return depends on a tensor.
    if x > 0:
        if x > 100:
            return x * 3


# A `for` over a range of Python ints (a static length) whose break/return depends on a
# tensor: staged as a loop in graph mode and under JAX, a Python loop on Python values.

_XS = [np.array([1.0, 2.0, -3.0, 4.0]), np.array([1.0, 2.0]), np.array([-1.0]), np.zeros(0)]


@case(inputs=_XS, modes=G)
def first_negative_index(xs):
    for i in range(len(xs)):
        if xs[i] < 0:
            return i
    return -1


@case(inputs=_XS, modes=G)
def first_negative_index_with_break(xs):
    found = -1
    for i in range(len(xs)):
        if xs[i] < 0:
            found = i
            break
    return found


@case(inputs=[(np.float64(2.5), 5), (np.float64(-1.0), 3), (np.float64(9.0), 4)], modes=G)
def return_in_range_of_a_python_int(x, n):
    s = x * 0
    for i in range(n):
        s = s + i
        if s > x:
            return i, s
    return -1, s


@case(inputs=[np.array([[1, 2], [3, -4]]), np.array([[-1, 2]]), np.ones((2, 3))], modes=G)
def return_in_nested_static_ranges(m):
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] < 0:
                return i * 10 + j
    return -1


@case(inputs=[np.array([1.0, -2.0, 3.0]), np.array([5.0, 6.0])], modes=G)
def break_in_inner_static_range(xs):
    total = xs[0] * 0
    for _ in range(2):
        for i in range(len(xs)):
            if xs[i] < 0:
                break
            total = total + xs[i]
    return total


@case(inputs=[np.float64(1.5), np.float64(-2.0)], modes=G)
def return_on_python_condition_in_static_range(x):
    for i in range(5):
        x = x + 1
        if i == 2:
            return x
    return x
