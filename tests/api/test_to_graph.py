"""to_graph on every kind of entity, the conversion cache, and errors."""

import functools
import inspect
import threading
import warnings

import pytest

import autograph


def test_plain_function_and_decorator_forms():
    def f(x):
        return x * 2 if x > 0 else -x

    assert autograph.to_graph(f)(3) == 6
    assert autograph.to_graph(recursive=False)(f)(-3) == 3


def test_nested_function_with_closure_and_nonlocal():
    def outer():
        count = 0

        def bump(n):
            nonlocal count
            for _ in range(n):
                count += 1
            return count

        return bump, lambda: count

    bump, read = outer()
    converted = autograph.to_graph(bump)
    assert converted(3) == 3
    assert read() == 3  # the write reached the user's own closure cell


counter = 0


def test_global_writes_reach_the_module():
    def inc(n):
        global counter
        while n > 0:
            counter += 1
            n -= 1

    autograph.to_graph(inc)(4)
    assert counter == 4


class Model:
    scale = 3

    def __init__(self):
        self.n = 0

    def step(self, x):
        if x > 0:
            self.n += 1
        return x * self.scale

    @classmethod
    def make(cls, x):
        return cls.scale * x if x else 0

    @staticmethod
    def twice(x):
        return 2 * x


class Child(Model):
    def step(self, x):
        return super().step(x) + 1


def test_methods_bound_unbound_class_and_static():
    m = Model()
    assert autograph.to_graph(m.step)(2) == 6 and m.n == 1
    assert autograph.to_graph(Model.step)(m, 1) == 3 and m.n == 2
    assert autograph.to_graph(Model.make)(2) == 6
    assert autograph.to_graph(Model.twice)(5) == 10
    assert autograph.to_graph(Child().step)(1) == 4  # zero-argument super()


def test_lambdas_several_on_one_line():
    pos, neg = (lambda x: x if x > 0 else 0), (lambda x: -x if x < 0 else 0)
    assert autograph.to_graph(pos)(3) == 3 and autograph.to_graph(neg)(-3) == 3
    assert autograph.to_graph(pos)(-3) == 0 and autograph.to_graph(neg)(3) == 0


def test_partial_and_callable_object():
    def add(a, b):
        return a + b if a else b

    class Scale:
        def __init__(self, k):
            self.k = k

        def __call__(self, x):
            return x * self.k if x > 0 else 0

    assert autograph.to_graph(functools.partial(add, 2))(3) == 5
    assert autograph.to_graph(Scale(4))(2) == 8


def test_decorated_function_is_converted_without_reapplying_decorators():
    calls = []

    def deco(fn):
        calls.append(fn.__name__)
        @functools.wraps(fn)
        def wrapper(*a):
            return fn(*a) + 100
        return wrapper

    @deco
    def g(x):
        if x:
            return 1
        return 2

    assert calls == ["g"]
    assert autograph.to_graph(g.__wrapped__)(0) == 2
    assert calls == ["g"]


def test_converting_twice_hits_the_cache():
    def f(x):
        return x

    assert autograph.to_graph(f) is autograph.to_graph(f)
    converted = autograph.to_graph(f)
    assert autograph.to_graph(converted) is converted


def test_two_functions_with_the_same_code_keep_their_own_closures():
    def make(k):
        def f(x):
            return x + k if x else k
        return f

    a, b = make(1), make(10)
    assert autograph.to_graph(a)(1) == 2 and autograph.to_graph(b)(1) == 11


def test_builtin_warns_and_runs_as_is_unless_strict():
    with pytest.warns(autograph.AutographWarning, match="built-in"):
        assert autograph.to_graph(len)([1, 2]) == 2
    with pytest.raises(autograph.SourceUnavailableError, match="built-in"):
        autograph.to_graph(len, strict=True)


def test_exec_defined_function_says_why():
    namespace = {}
    exec("def h(x):\n    return x\n", namespace)
    with pytest.raises(autograph.SourceUnavailableError):
        autograph.to_graph(namespace["h"], strict=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert autograph.to_graph(namespace["h"])(5) == 5
    assert caught and "runs unconverted" in str(caught[0].message)


def test_generators_are_refused_with_file_line_col():
    def gen(n):
        for i in range(n):
            yield i

    with pytest.raises(autograph.UnsupportedFeatureError, match=r"test_to_graph.py:\d+:\d+: "):
        autograph.to_graph(gen, strict=True)


def test_user_functions_called_from_converted_code_are_converted():
    def helper(x):
        if x > 0:
            return 1
        return -1

    def f(xs):
        return [helper(x) for x in xs]

    assert autograph.to_graph(f)([1, -1]) == [1, -1]


def test_do_not_convert():
    @autograph.do_not_convert
    def raw(x):
        return x

    assert autograph.to_graph(raw)(1) == 1


def test_to_code_is_readable_and_compiles():
    def f(x):
        s = 0
        for i in range(x):
            if i % 2:
                continue
            s += i
        return s

    code = autograph.to_code(f)
    assert "def f(x):" in code and "ag__.stage" in code
    compile(code, "<to_code>", "exec")


def test_exception_traceback_points_at_user_line():
    import traceback

    def f(x):
        if x > 0:
            raise KeyError("boom")
        return x

    with pytest.raises(KeyError) as info:
        autograph.to_graph(f)(1)
    text = "".join(traceback.format_exception(info.value))
    assert 'raise KeyError("boom")' in text and "test_to_graph.py" in text


def test_concurrent_conversion_is_safe():
    def f(x):
        return x + 1 if x else 0

    results = []
    barrier = threading.Barrier(8)

    def work():
        barrier.wait()
        results.append(autograph.to_graph(f)(1))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2] * 8


def _sig_fn(a, b=2, /, c=3, *rest, d, e=5, **kw):
    return (a, b, c, rest, d, e, kw)


def _kwonly_fn(*, x, y=1):
    return x - y


@pytest.mark.parametrize("call", [
    lambda h: h(1, d=4),
    lambda h: h(1, 2, 3, 4, 5, d=6, z=7),
    lambda h: h(1, d=1, b=3),  # b is positional-only: it lands in **kw
    lambda h: h(1, c=9, d=0, e=None),
    lambda h: h(),
    lambda h: h(1),
    lambda h: h(a=1, d=2),
    lambda h: h(1, 2, 3, c=4, d=5),
])
def test_entry_point_takes_the_functions_own_parameters(call):
    # to_graph's entry point has the function's parameter list (no *args/**kwargs
    # repacking): every call binds, or fails, exactly as on the original
    g = autograph.to_graph(_sig_fn)
    outcomes = []
    for h in (_sig_fn, g):
        try:
            outcomes.append(("ok", call(h)))
        except TypeError as e:
            outcomes.append(("raised", str(e)))
    assert outcomes[0] == outcomes[1]
    assert str(inspect.signature(g)) == str(inspect.signature(_sig_fn))


def test_entry_point_keyword_only_and_defaults_follow_the_function():
    g = autograph.to_graph(_kwonly_fn)
    assert g(x=5) == 4 and g(y=2, x=5) == 3
    with pytest.raises(TypeError, match=r"_kwonly_fn\(\) takes 0 positional arguments"):
        g(5)
