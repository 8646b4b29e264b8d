"""Wrapped and unusual callables: lambdas on one line, decorators, partials, callable objects,
class- and staticmethods, recursion, generators and async functions."""

import asyncio
import functools
import re

import pytest

import autograph
from autograph import conversion


def test_several_lambdas_on_one_line(module, no_fallback):
    mod = module("""
        absf, negabs = (lambda x: x if x > 0 else -x), (lambda x: -x if x > 0 else x)
        inc1 = lambda x: x + 1; inc2 = lambda x: x + 1; inc3 = lambda x: x + 2  # noqa: E702
        outer = lambda x: (lambda y: y * 2 if y > 1 else y)(x) + (lambda z: z - 1)(x)
        pair = [lambda n: n and 1, lambda n: n or 2]
    """)
    for fn in (mod.absf, mod.negabs, mod.inc1, mod.inc2, mod.inc3, mod.outer, *mod.pair):
        conv = autograph.to_graph(fn, strict=True)
        for v in (-3, 0, 2, 5):
            assert conv(v) == fn(v), (fn, v)
    # each lambda is found by its own position on the line, not the first one there
    assert autograph.to_code(mod.absf) != autograph.to_code(mod.negabs)
    assert autograph.to_code(mod.inc2) != autograph.to_code(mod.inc3)


def test_lambda_defaults_and_closures(module, no_fallback):
    mod = module("""
        def make():
            k = 10
            return [lambda x, k=k, j=j: x + k + j if x > j else k for j in range(3)]
    """)
    for fn in mod.make():
        conv = autograph.to_graph(fn, strict=True)
        assert [conv(v) for v in range(-1, 4)] == [fn(v) for v in range(-1, 4)]


DECORATED = """
    import functools

    def tag(f):
        f.tag = getattr(f, "tag", 0) + 1
        return f

    def plain_wrapper(f):
        def inner(x):
            return f(x) * 10
        return inner

    def wraps_wrapper(f):
        @functools.wraps(f)
        def inner(*args, **kwargs):
            return f(*args, **kwargs) + 100
        return inner

    @tag
    @tag
    def stacked(x):
        while x > 10:
            x -= 3
        return x

    @plain_wrapper
    def wrapped_plain(x):
        if x > 0:
            return x
        return 0

    @wraps_wrapper
    def wrapped(x, y=1):
        for i in range(x):
            if i > 2:
                return i * y
        return -y

    @functools.lru_cache(maxsize=None)
    def cached(n):
        if n < 2:
            return n
        return cached(n - 1) + cached(n - 2)
"""


def test_decorators_that_return_the_function_are_stripped(module, no_fallback):
    mod = module(DECORATED)
    conv = autograph.to_graph(mod.stacked, strict=True)
    assert conv(30) == mod.stacked(30) and conv.tag == 2
    assert "@tag" not in autograph.to_code(mod.stacked)


def test_wrapper_functions_are_converted_with_what_they_call(module, no_fallback):
    mod = module(DECORATED)
    for fn, args in ((mod.wrapped_plain, (3,)), (mod.wrapped_plain, (-3,)),
                     (mod.wrapped, (5,)), (mod.wrapped, (2, 7))):
        assert autograph.to_graph(fn, strict=True)(*args) == fn(*args)
    # functools.wraps: the wrapper (what the name is bound to) is converted; the function it
    # calls is converted lazily, at run time
    assert "ag__.cv(f)" in autograph.to_code(mod.wrapped)
    assert autograph.to_graph(mod.wrapped).__wrapped__ is not None


def test_c_level_wrappers_fall_back_with_a_warning(module):
    mod = module(DECORATED)
    with pytest.raises(autograph.ConversionError, match="not a Python function"):
        autograph.to_graph(mod.cached, strict=True)
    with pytest.warns(autograph.AutographWarning, match="cached.*runs unconverted"):
        assert autograph.to_graph(mod.cached)(20) == 6765


def test_to_graph_as_a_decorator_under_another_decorator(module, no_fallback):
    mod = module("""
        import functools
        import autograph

        def log(f):
            @functools.wraps(f)
            def inner(x):
                return ("log", f(x))
            return inner

        @log
        @autograph.to_graph
        def f(x):
            if x > 0:
                return x
            return -x

        @autograph.to_graph(strict=True)
        def g(x):
            while x > 3:
                x -= 2
            return x
    """)
    assert mod.f(-4) == ("log", 4) and mod.g(8) == 2


def test_partials(module, no_fallback):
    mod = module("""
        def add(a, b, c=0, *, scale=1):
            if a > b:
                return (a + c) * scale
            return (b + c) * scale
    """)
    p = functools.partial(mod.add, 5, c=1)
    pp = functools.partial(functools.partial(mod.add, scale=3), 2)
    for part, args in ((p, (3,)), (p, (9,)), (pp, (1,)), (pp, (4, 10))):
        conv = autograph.to_graph(part, strict=True)
        assert isinstance(conv, functools.partial)
        assert conv(*args) == part(*args)
    assert "ag__" in autograph.to_code(p)


def test_callable_objects_and_methods(module, no_fallback):
    mod = module("""
        class Acc:
            k = 3

            def __init__(self):
                self.n = 0

            def __call__(self, x):
                for i in range(x):
                    if i % 2:
                        self.n += i
                return self.n

            def method(self, x):
                return x * self.k if x > 0 else self.n

            @classmethod
            def cm(cls, x):
                if x > 0:
                    return cls.k * x
                return 0

            @staticmethod
            def sm(x):
                while x > 3:
                    x -= 1
                return x

            class Inner:
                def deep(self, x):
                    for i in range(x):
                        if i > 2:
                            return i
                    return -1
    """)
    a, b = mod.Acc(), mod.Acc()
    conv = autograph.to_graph(a, strict=True)
    assert conv(5) == b(5) and a.n == b.n  # the object's state is the same object's
    assert autograph.to_graph(a.method, strict=True)(2) == b.method(2)
    assert autograph.to_graph(mod.Acc.method, strict=True)(a, -1) == mod.Acc.method(b, -1)
    for fn in (mod.Acc.cm, mod.Acc().cm, mod.Acc.sm, mod.Acc().sm):
        assert autograph.to_graph(fn, strict=True)(5) == fn(5)
    raw_cm, raw_sm = mod.Acc.__dict__["cm"], mod.Acc.__dict__["sm"]
    assert isinstance(autograph.to_graph(raw_cm, strict=True), classmethod)
    assert isinstance(autograph.to_graph(raw_sm, strict=True), staticmethod)
    assert autograph.to_graph(mod.Acc.Inner().deep, strict=True)(5) == 3


def test_classes_are_refused_clearly(module):
    mod = module("class K:\n    def m(self):\n        return 1\n")
    with pytest.raises(autograph.ConversionError, match="is a class"):
        autograph.to_graph(mod.K, strict=True)


def test_recursive_functions_convert_once(module, monkeypatch, no_fallback):
    mod = module("""
        def fact(n):
            if n <= 1:
                return 1
            return n * fact(n - 1)

        def is_even(n):
            if n == 0:
                return True
            return is_odd(n - 1)

        def is_odd(n):
            if n == 0:
                return False
            return is_even(n - 1)
    """)
    calls = []
    real = conversion._convert_code
    monkeypatch.setattr(conversion, "_convert_code",
                        lambda f, o: calls.append(f.__name__) or real(f, o))
    assert autograph.to_graph(mod.fact)(10) == 3628800
    assert autograph.to_graph(mod.is_even)(15) is False
    assert sorted(calls) == ["fact", "is_even", "is_odd"]


def test_deep_recursion_error_is_the_same(module):
    mod = module("""
        def down(n):
            if n == 0:
                return 0
            return 1 + down(n - 1)
    """)
    with pytest.raises(RecursionError):
        mod.down(10 ** 6)
    with pytest.raises(RecursionError):
        autograph.to_graph(mod.down)(10 ** 6)
    assert autograph.to_graph(mod.down)(50) == 50  # and it still works afterwards


GENERATORS = """
    def gen(n):
        for i in range(n):
            if i % 2:
                yield i

    async def coro(n):
        if n > 0:
            return n
        return -n

    async def agen(n):
        for i in range(n):
            yield i

    def consumer(n):
        total = 0
        for v in gen(n):
            total += v
        return total
"""


@pytest.mark.parametrize("name, what", [("gen", "generators"), ("coro", "async"),
                                        ("agen", "async")])
def test_generators_and_async_are_refused_with_a_location(module, name, what):
    mod = module(GENERATORS)
    with pytest.raises(autograph.UnsupportedFeatureError) as info:
        autograph.to_graph(getattr(mod, name), strict=True)
    msg = str(info.value)
    assert re.match(rf"{re.escape(mod.__file__)}:\d+:\d+: .*{what}", msg), msg
    assert "\n" not in msg


def test_generators_and_async_run_as_is_with_a_warning(module):
    mod = module(GENERATORS)
    with pytest.warns(autograph.AutographWarning, match="generators"):
        assert list(autograph.to_graph(mod.gen)(6)) == [1, 3, 5]
    with pytest.warns(autograph.AutographWarning, match="async"):
        assert asyncio.run(autograph.to_graph(mod.coro)(-2)) == 2

    async def collect():
        return [v async for v in autograph.to_graph(mod.agen)(3)]

    with pytest.warns(autograph.AutographWarning, match="async"):
        assert asyncio.run(collect()) == [0, 1, 2]


def test_generator_called_from_converted_code_runs_as_is(module, no_fallback):
    mod = module(GENERATORS)
    assert autograph.to_graph(mod.consumer, strict=True)(7) == mod.consumer(7)


def test_generator_expressions_and_nested_generators_inside_a_function(module, no_fallback):
    mod = module("""
        def f(n):
            def inner():
                yield from range(n)
            total = sum(i * i for i in range(n) if i % 2)
            if total > 3:
                total += sum(inner())
            return total
    """)
    conv = autograph.to_graph(mod.f, strict=True)
    assert [conv(n) for n in range(6)] == [mod.f(n) for n in range(6)]
