"""Corpus: return anywhere, early returns of different types, functions without return."""

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
