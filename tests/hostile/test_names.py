"""User names that collide with generated names, shadowed builtins, `del`."""

import numpy as np
import pytest

import autograph
from tests.differential.harness import check


def test_user_names_that_look_generated(module, no_fallback):
    """The namer must skip every `ag__...` name the user already uses."""
    mod = module("""
        def f(ag__e, ag__iter, n):
            ag__iter_1 = [1, 2]
            ag__value = 0
            ag__ran = 'user'
            ag__retval = 7
            ag__lambda = lambda v: v + 1
            s = 0
            for ag__value_1 in ag__iter:
                if ag__value_1 > ag__e:
                    s += ag__value_1
                    continue
                s -= 1
            while n > 0:
                n -= 1
                if n == 2:
                    break
            try:
                s += 1 // n
            except ZeroDivisionError as ag__e_1:
                s += 1000 + len(str(ag__e_1))
            return s, ag__ran, ag__retval, ag__lambda(len(ag__iter_1)), ag__value
    """)
    for args in ((2, [1, 3, 5], 4), (0, [], 0), (1, [2, 0], 1)):
        check(mod.f, args, mode="python")
    code = autograph.to_code(mod.f)
    assert "ag__e_1 = " not in code.split("except ZeroDivisionError")[0]


@pytest.mark.parametrize("name", ["ag__", "ag__ctx"])
@pytest.mark.parametrize("where", ["parameter", "local", "global"])
def test_reserved_generated_names(module, name, where):
    """Generated code reads the runtime as `ag__` and its context as `ag__ctx` (every other
    generated name avoids the user's). A local of the user's with one of those names is
    renamed consistently; a parameter or a global cannot be, and is refused up front with its
    file and line (without strict: runs unconverted, with a warning saying why)."""
    mod = module(f"""
        {name} = 5 if {where == 'global'!r} else None

        def param({name}, xs):
            for x in xs:
                if x > {name}:
                    {name} += x
            return {name}

        def local(x):
            {name} = 3
            for i in range(x):
                if i > {name}:
                    {name} += i
            return {name}

        def glob(x):
            for i in range(x):
                if i > {name}:
                    x += 1
            return {name}
    """)
    fn, args = {"parameter": (mod.param, (1, [2, 3])), "local": (mod.local, (6,)),
                "global": (mod.glob, (2,))}[where]
    if where == "local":
        check(fn, args, mode="python")
        check(fn, tuple(np.asarray(a) for a in args), mode="graph")
        return
    with pytest.raises(autograph.UnsupportedFeatureError,
                       match=rf"\.py:\d+:1: the name `{name}` is reserved"):
        autograph.to_graph(fn, strict=True)
    with pytest.warns(autograph.AutographWarning, match="reserved"):
        converted = autograph.to_graph(fn)
    assert converted(*args) == fn(*args)


def test_builtins_shadowed_locally(module, no_fallback):
    mod = module("""
        def f(n):
            range = lambda k: [10, 20, k]
            enumerate = zip
            len = max
            print = lambda *a: None
            s = 0
            for i in range(n):
                s += i
            for a, b in enumerate([1, 2], [3, 4]):
                s += a * b
            print("never printed")
            return s + len(3, 4)
    """)
    check(mod.f, (3,), mode="python")


def test_builtins_shadowed_at_module_level(module, no_fallback):
    mod = module("""
        import builtins

        def range(*args):
            return builtins.range(*args)[::-1]

        def len(x):
            return 42

        def print(*args, **kwargs):
            builtins.print("shadowed:", *args, **kwargs)

        bool = lambda v: not v

        def f(n, xs):
            out = []
            for i in range(n):
                out.append(i)
            if bool(n):
                print("n is falsy")
            while n > 0 and len(xs):
                n -= 1
            return out, len(xs), n
    """)
    for args in ((3, [1]), (0, []), (2, [5, 6])):
        check(mod.f, args, mode="python")


def test_builtin_names_rebound_after_conversion(module, no_fallback):
    """Calls resolved at conversion time must not freeze a global that changes later."""
    mod = module("""
        def helper(x):
            return x + 1

        def f(x):
            if x > 0:
                return helper(x)
            return 0
    """)
    conv = autograph.to_graph(mod.f)
    assert conv(1) == 2
    mod.helper = lambda x: x * 100
    assert conv(1) == mod.f(1) == 100


def test_del(module, no_fallback):
    mod = module("""
        def f(x):
            y = x * 2
            if x > 0:
                del y
                y = 5
            z = 3
            del z
            try:
                return z
            except UnboundLocalError:
                pass
            for i in range(x):
                w = i
            if x > 1:
                del w, i
            return y

        def g(x):
            y = 1
            del y
            if x:
                return y
            return 0

        def h(xs):
            xs = list(xs)
            del xs[0]
            d = {'a': 1, 'b': 2}
            if xs:
                del d['a']
            return xs, d
    """)
    for v in (-1, 0, 1, 3):
        check(mod.f, (v,), mode="python")
    check(mod.g, (1,), mode="python")  # UnboundLocalError, the same message
    check(mod.g, (0,), mode="python")
    check(mod.h, ([1, 2],), mode="python")
    check(mod.h, ([1],), mode="python")


def test_del_in_a_staged_branch(module):
    mod = module("""
        def f(x):
            y = 1
            if x > 0:
                del y
            return x
    """)
    check(mod.f, (np.int64(1),), mode="graph", stageable=False)
