"""Corpus: calls, recursion, nested functions, closures, lambdas, global/nonlocal, generators,
signatures (star-args, kwargs, keyword-only, positional-only, defaults)."""

import functools

from .harness import call, case

G = ("graph", "jax")


def _helper_double(x):
    if x > 0:
        return x * 2
    return x


def _helper_sum_to(n):
    s = 0
    for i in range(n):
        s += i
    return s


@case(inputs=[3, -3, 0], modes=G)
def calls_user_function(x):
    return _helper_double(x) + _helper_double(x - 1)


@case(inputs=[4, 0], modes=G)
def calls_user_function_in_loop(n):
    s = 0
    for i in range(n):
        s += _helper_double(i - 1)
    return s


@case(inputs=[5, 0, -1])
def calls_user_function_with_loop(n):
    return _helper_sum_to(n) + _helper_sum_to(n // 2)


@case(inputs=[0, 1, 5, 10])
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


@case(inputs=[0, 1, 7])
def fib_recursive(n):
    if n < 2:
        return n
    return fib_recursive(n - 1) + fib_recursive(n - 2)


def _is_even(n):
    if n == 0:
        return True
    return _is_odd(n - 1)


def _is_odd(n):
    if n == 0:
        return False
    return _is_even(n - 1)


@case(inputs=[0, 3, 10])
def mutual_recursion(n):
    return _is_even(n), _is_odd(n)


@case(inputs=[2, -2])
def nested_function(x):
    def inner(y):
        if y > 0:
            return y + 1
        return y - 1

    return inner(x) * inner(-x)


@case(inputs=[3, 0])
def nested_function_with_loop(n):
    def acc(k):
        t = 0
        while k > 0:
            t += k
            k -= 1
        return t

    out = []
    for i in range(n):
        out.append(acc(i))
    return out


@case(inputs=[4, -1])
def closure_reads_outer(x):
    factor = 3

    def scale(v):
        return v * factor

    factor = 5  # late binding: the closure sees 5
    return scale(x)


@case(inputs=[4, 0])
def nonlocal_counter(n):
    count = 0

    def bump(k):
        nonlocal count
        if k % 2 == 0:
            count += k
        else:
            count -= 1

    for i in range(n):
        bump(i)
    return count


@case(inputs=[3, 0])
def nonlocal_in_loop_in_nested(n):
    log = []
    total = 0

    def run():
        nonlocal total
        i = 0
        while i < n:
            total += i
            log.append(total)
            i += 1

    run()
    run()
    return total, log


def _make_adder(k):
    def add(x):
        if x > k:
            return x + k
        return x - k

    return add


add_five = _make_adder(5)
case(inputs=[10, 1, 5], name="closure_from_factory")(add_five)


def _make_counter():
    n = 0

    def step(k):
        nonlocal n
        for _ in range(k):
            n += 1
        return n

    return step


_stateful_step = _make_counter()


def _reset_step():
    _stateful_step.__closure__[0].cell_contents = 0


case(inputs=[3, 0], name="closure_with_nonlocal_state", setup=_reset_step)(_stateful_step)


@case(inputs=[[3, 1, 2], []])
def lambda_as_key(lst):
    return sorted(lst, key=lambda v: -v), list(map(lambda v: v * v, lst))


@case(inputs=[5, -5])
def lambda_with_ternary(x):
    sign = lambda v: 1 if v > 0 else (-1 if v < 0 else 0)
    absval = lambda v: v if v >= 0 else -v
    return sign(x), absval(x), (lambda: x + 1)()


lambda_case = lambda x: x * 2 if x > 0 else (x or "zero")
case(inputs=[3, -3, 0], name="top_level_lambda")(lambda_case)


lambda_and_or = lambda a, b: (a and b) or (not a and -b)
case(inputs=[(1, 2), (0, 2), (0, 0)], name="top_level_lambda_and_or")(lambda_and_or)


COUNTER = 0


def _reset_counter():
    global COUNTER
    COUNTER = 0


def _counter_state():
    return COUNTER


@case(inputs=[3, 0, -2], setup=_reset_counter, state=_counter_state)
def global_increment(n):
    global COUNTER
    for i in range(n):
        COUNTER += i
    if COUNTER > 1:
        COUNTER *= 10
    return COUNTER


@case(inputs=[1, 2], setup=_reset_counter, state=_counter_state)
def global_assign_in_branch(x):
    global COUNTER
    if x > 1:
        COUNTER = x
    else:
        COUNTER = -x
    return COUNTER


@case(inputs=[2], setup=_reset_counter, state=_counter_state)
def global_read_only(x):
    return COUNTER + x


def _gen_squares(n):
    for i in range(n):
        yield i * i


def _gen_until_negative(lst):
    for v in lst:
        if v < 0:
            return
        yield v


@case(inputs=[0, 4])
def consumes_generator(n):
    s = []
    for v in _gen_squares(n):
        if v == 4:
            continue
        s.append(v)
    return s


@case(inputs=[[1, 2, -1, 3], [], [5]])
def consumes_generator_with_break(lst):
    total = 0
    for v in _gen_until_negative(lst):
        if v > 4:
            break
        total += v
    else:
        total = -total
    return total


@case(inputs=[3, 0])
def consumes_generator_expression(n):
    g = (i * 2 for i in range(n))
    out = []
    for v in g:
        out.append(v)
    return out, sum(i for i in range(n))


@case(inputs=[call(), call(1), call(1, 2, 3), call(1, 2, 3, 4, 5)])
def star_args(*args):
    s = 0
    for a in args:
        if a % 2:
            s += a
    return s, len(args)


@case(inputs=[call(), call(a=1), call(x=3, y=-3)])
def star_kwargs(**kwargs):
    out = []
    for k, v in kwargs.items():
        if v > 0:
            out.append(k)
    return out


@case(inputs=[call(1), call(1, 2), call(1, 2, 3, 4, k=5, z=6)])
def mixed_signature(a, b=10, *rest, k=0, **extra):
    total = a + b + k
    for r in rest:
        total += r
    for name in sorted(extra):
        total += extra[name] * 100
    return total


@case(inputs=[call(1, 2), call(1, b=3), call(1, 2, c=5)])
def positional_only_and_keyword_only(a, /, b, *, c=7):
    if a < b:
        return a + b * c
    return a - c


@case(inputs=[call(1, c=2), call(1, 2)], exc_msg=False)
def keyword_only_required(a, *, c):
    return a * c


@case(inputs=[call(1), call(1, [2])])
def mutable_default(a, acc=None):
    if acc is None:
        acc = []
    acc.append(a)
    return acc


@case(inputs=[(1, 2), (3, 4)])
def calls_with_star_unpacking(a, b):
    args = [a, b]
    kw = {"k": a * b}

    def target(x, y, k=0):
        return x - y + k

    return target(*args), target(*args, **kw), target(b, *[a]), target(**{"x": 1, "y": 2})


@case(inputs=[3, -3])
def calls_partial(x):
    p = functools.partial(_helper_double, x)
    return p(), functools.reduce(lambda acc, v: acc + v, [x, x, 1], 0)


@case(inputs=[2, 5])
def calls_builtin_and_method(n):
    s = "-".join(str(i) for i in range(n))
    return s.split("-"), max(range(n)), min([n, 3]), abs(-n), divmod(n, 2)


class _Scaler:
    def __init__(self, k):
        self.k = k

    def apply(self, x):
        if x > 0:
            return x * self.k
        return x

    def __call__(self, x):
        return self.apply(x) + 1


@case(inputs=[4, -4])
def calls_method_and_callable_object(x):
    s = _Scaler(3)
    return s.apply(x), s(x)


@case(inputs=[5, 0])
def recursion_via_nested_function(n):
    def walk(k, acc):
        if k == 0:
            return acc
        return walk(k - 1, acc + [k])

    return walk(n, [])


@case(inputs=[10, 200])
def deep_recursion_limit(n):
    def depth(k):
        return 0 if k == 0 else 1 + depth(k - 1)

    return depth(n)


@case(inputs=[2, 3])
def function_returning_function(n):
    def make(k):
        return lambda v: v ** k

    fs = []
    for i in range(n):
        fs.append(make(i))
    return [f(2) for f in fs]


@case(inputs=[3, -1])
def decorated_inner_function(x):
    def twice(f):
        def wrapper(v):
            return f(f(v))

        return wrapper

    @twice
    def inc(v):
        return v + 1 if v >= 0 else v - 1

    return inc(x)


@case(inputs=[(1, 2), (5, 1)])
def default_arg_captures_value(a, b):
    fs = []
    for i in range(3):
        fs.append(lambda v, i=i: v + i * a)
    return [f(b) for f in fs]
