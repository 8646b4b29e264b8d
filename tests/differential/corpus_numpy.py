"""Corpus: numpy scalar and array inputs (elementwise ops, reductions, indexing), the cases
that graph mode stages."""

import numpy as np

from .harness import case

G = ("graph", "jax")

I64 = np.int64
F = np.float32
D = np.float64


@case(inputs=[I64(3), I64(-3), I64(0)], modes=G)
def np_int64_branch(x):
    if x > 0:
        y = x * 2
    else:
        y = x - 1
    return y


@case(inputs=[F(1.5), F(-0.5), F(0.0)], modes=G)
def np_float32_branch(x):
    if x > F(0):
        y = x * F(2)
    else:
        y = -x
    return y


@case(inputs=[D(2.0), D(0.5), D(100.0)], modes=G)
def np_float64_while(x):
    n = 0
    while x > 1.0:
        x = x / 2.0
        n += 1
    return x, n


@case(inputs=[I64(5), I64(0), I64(-2)], modes=G)
def np_scalar_for_range(n):
    s = I64(0)
    for i in range(n):
        s = s + i
    return s


@case(inputs=[np.array([1, 2, 3]), np.array([-1, 0, 1]), np.array([], dtype=np.int64)], modes=G)
def array_elementwise(a):
    b = a * 2 + 1
    c = -b
    return b, c, a - b


@case(inputs=[np.array([1.0, -2.0, 3.0]), np.array([0.5])], modes=G)
def array_reduction_in_branch(a):
    if a.sum() > 0:
        r = a.max()
    else:
        r = a.min()
    return r


@case(inputs=[np.array([3, 1, 2]), np.array([7])], modes=G)
def array_indexing_in_loop(a):
    s = a[0] * 0
    for i in range(a.shape[0]):
        if a[i] > 1:
            s = s + a[i]
    return s


@case(inputs=[np.arange(12).reshape(3, 4), np.ones((1, 2), dtype=np.int64)])
def array_2d_indexing(a):
    out = []
    for i in range(a.shape[0]):
        out.append(a[i, -1] - a[i][0])
    return out, a[:, 0].tolist(), a[-1]


@case(inputs=[np.array([1.0, np.nan, 3.0]), np.array([np.inf, -np.inf])])
def array_nan_inf(a):
    out = []
    for v in a:
        if np.isnan(v):
            out.append("nan")
        elif np.isinf(v):
            out.append(float(v))
        else:
            out.append(v)
    return out, np.nanmax(a)


@case(inputs=[np.array([1, 2, 3, 4]), np.array([5, 5])], modes=G)
def array_while_reduce(a):
    total = a.sum()
    steps = 0
    while total > 3:
        total = total // 2
        steps = steps + 1
    return total, steps


@case(inputs=[np.array([True, False, True]), np.array([False])])
def bool_array_any_all(mask):
    if mask.any() and not mask.all():
        return "mixed"
    elif mask.all():
        return "all"
    return "none"


@case(inputs=[np.array([[1, 2], [3, 4]]), np.eye(2)])
def array_matmul_and_transpose(m):
    r = m
    for _ in range(2):
        r = r @ m.T
    return r


@case(inputs=[(I64(3), I64(4)), (I64(-1), I64(1)), (I64(0), I64(0))], modes=G)
def np_and_or_not(a, b):
    if a > 0 and b > 0:
        r = a + b
    elif a > 0 or b > 0:
        r = a - b
    elif not a < 0:
        r = b
    else:
        r = a * b
    return r


@case(inputs=[(I64(5), I64(2)), (I64(1), I64(7))], modes=G)
def np_ternary(a, b):
    m = a if a > b else b
    return m * 2 if m > 3 else m - 2


@case(inputs=[I64(10), I64(1), I64(0)], modes=G)
def np_while_break_continue(n):
    s = I64(0)
    i = I64(0)
    while i < n:
        i = i + 1
        if i % 2 == 0:
            continue
        if s > 10:
            break
        s = s + i
    return s


@case(inputs=[I64(10), I64(3)], modes=G)
def np_for_break(n):
    s = I64(0)
    for i in range(n):
        if s > 5:
            break
        s = s + i
    return s


@case(inputs=[I64(6), I64(0)], modes=G)
def np_return_in_loop(n):
    for i in range(n):
        if i * i > 10:
            return i
    return I64(-1)


@case(inputs=[np.array([1.0, 2.0, 3.0]), np.array([-1.0, 4.0])], modes=G)
def array_for_over_elements_with_if(a):
    pos = D(0.0)
    neg = D(0.0)
    for v in a:
        if v > 0:
            pos = pos + v
        else:
            neg = neg + v
    return pos, neg


@case(inputs=[(np.array([1, 2, 3]), I64(2)), (np.array([5]), I64(9))], modes=G)
def array_compare_with_scalar(a, k):
    count = I64(0)
    for v in a:
        count = count + (1 if v > k else 0)
    return count


@case(inputs=[np.array([1.5, 2.5]), np.array([], dtype=np.float64)])
def array_mean_empty(a):
    if a.size:
        return a.mean()
    return None


@case(inputs=[np.int64(7), np.float32(7.5), 7, 7.5, True])
def scalar_types_preserved(x):
    y = x + 1
    if y > 5:
        y = y * 2
    return y, type(y).__name__


@case(inputs=[np.array([3, 1, 2])])
def array_iteration_yields_numpy_scalars(a):
    out = []
    for v in a:
        out.append(type(v).__name__)
    for i, v in enumerate(a):
        out.append((i, v))
    return out


@case(inputs=[np.arange(5), np.arange(0)])
def array_list_append_then_stack(a):
    parts = []
    for v in a:
        if v % 2 == 0:
            parts.append(v * 10)
    if parts:
        return np.stack(parts)
    return np.zeros(0, dtype=a.dtype)


@case(inputs=[np.array([1, 2, 3], dtype=np.int32), np.array([1, 2], dtype=np.uint8)])
def array_dtype_arithmetic(a):
    b = a + 1
    c = a * 2.0
    return b.dtype.name, c.dtype.name, b, c


@case(inputs=[(D(3.0), D(4.0)), (D(-1.0), D(0.0))], modes=G)
def np_float_nested_loops(x, y):
    acc = D(0.0)
    i = I64(0)
    while i < 3:
        for j in range(2):
            if x > y:
                acc = acc + x * j
            else:
                acc = acc - y
        i = i + 1
    return acc


@case(inputs=[I64(4), I64(0)], modes=G)
def np_assert_passing(n):
    assert n >= 0, "n must be non-negative"
    s = I64(0)
    for i in range(n):
        s = s + i
    return s


@case(inputs=[(3, I64(2)), (0, I64(-1)), (4, I64(10))], modes=G, static=("n",))
def python_loop_around_staged_if(n, x):
    for i in range(n):  # n stays a Python int: the loop runs at trace time
        if x > i:  # x is a tensor: staged
            x = x - 1
        else:
            x = x + 2
    return x


@case(inputs=[(True, I64(3)), (False, I64(3))], modes=G, static=(0,))
def python_bool_if_inside_staged_loop(flag, n):
    s = I64(0)
    i = I64(0)
    while i < n:  # staged
        if flag:  # a Python bool: decided at trace time
            s = s + i
        else:
            s = s - i
        i = i + 1
    return s


# Constructs that cannot be staged: in graph/jax mode the only accepted divergence is a
# StagingError that names the variable (issue 4); in Python mode they must behave as Python.


@case(inputs=[I64(1), I64(5)], modes=G, stageable=False)
def while_test_becomes_tensor_after_first_iteration(x):
    i = 0
    while i < 3:  # a Python bool on the first test, a tensor after `i = i + x`
        i = i + x
    return i


@case(inputs=[I64(0), I64(3)], modes=("graph",), stageable=False)
def staged_loop_var_changes_dtype(n):
    s = 0
    i = n - n
    while i < n:
        s = s + 0.5
        i += 1
    return s


# JAX promotes a weakly typed Python initial value (`s = 0`) to the dtype the body gives it,
# as jax.numpy does; with zero iterations the result is then 0.0, where Python gives 0.
@case(inputs=[I64(1), I64(3)], modes=("jax",))
def jax_promotes_weak_loop_var(n):
    s = 0
    i = n - n
    while i < n:
        s = s + 0.5
        i += 1
    return s


@case(inputs=[I64(0), I64(3)], modes=G, stageable=False)
def staged_loop_defines_variable_used_after(n):
    i = n - n
    while i < n:
        last = i
        i += 1
    return last  # UnboundLocalError when the loop does not run


@case(inputs=[I64(2), I64(-2)], modes=G, stageable=False)
def staged_if_defines_variable_in_one_branch(x):
    if x > 0:
        y = x * 2
    return y  # noqa: F821 - UnboundLocalError on the second input


@case(inputs=[I64(2), I64(-2)], modes=G)
def staged_if_temporary_not_carried(x):
    if x > 0:
        tmp = x * 2
        x = tmp + 1
    else:
        other = x - 1
        x = other * 3
    return x


@case(inputs=[I64(-1), I64(3), I64(7)], modes=G)
def chained_comparison_in_staged_while_test(a):
    w = 0
    while w < 1 and a < a + 1 < 5:  # the chained comparison is the right operand of `and`
        w += 1
    return w


@case(inputs=[I64(-1), I64(3)], modes=G)
def chained_comparison_in_staged_while_test_or(a):
    w = a - a
    while w > 5 or 0 <= w < a:
        w += 1
    return w


@case(inputs=[(I64(0), 0), (I64(0), 1), (I64(2), 1)], modes=G, stageable=False, static=(1,))
def staged_and_mixes_tensor_and_python_int(a, x):
    y = 0
    if a < 1 and x:  # `tensor and int`: the if only needs its truth value
        y = 1
    return y
