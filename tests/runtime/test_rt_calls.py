"""cv / converted_call: what is converted, what is called as is, and the per-function cache."""

from __future__ import annotations

import functools
import json
import math

import numpy as np
import pytest

import autograph.runtime as ag
from autograph import conversion


class FakeConverter:
    def __init__(self):
        self.calls = []

    def __call__(self, f):
        self.calls.append(f)

        def converted(*args, **kwargs):
            return ("converted", f(*args, **kwargs))

        converted.__ag_is_converted__ = True
        return converted


@pytest.fixture
def fake(monkeypatch):
    converter = FakeConverter()
    monkeypatch.setattr(conversion, "convert_for_call", converter)
    return converter


def user_fn(x):
    return x + 1


def test_user_function_converted_once(fake):
    def f(x):
        return x * 2

    g = ag.cv(f)
    assert g(3) == ("converted", 6)
    assert ag.cv(f) is g and fake.calls == [f]
    assert ag.converted_call(f, (4,)) == ("converted", 8)
    assert ag.converted_call(f, (), {"x": 1}) == ("converted", 2)
    assert fake.calls == [f]
    assert ag.cv(g) is g  # already converted: as is


@pytest.mark.parametrize("callee", [len, print, math.sqrt, np.sum, np.add, json.dumps,
                                    functools.reduce, int, dict, "".join, [].append,
                                    np.zeros(2).sum])
def test_never_converted(fake, callee):
    assert ag.cv(callee) is callee
    assert fake.calls == []


def test_do_not_convert_and_classes(fake):
    def f():
        return 1

    f.__ag_do_not_convert__ = True
    assert ag.cv(f) is f

    class C:
        def __init__(self, v):
            self.v = v

    assert ag.cv(C) is C
    assert fake.calls == []


def test_bound_methods_partials_and_callable_objects(fake):
    class C:
        def __init__(self):
            self.k = 10

        def method(self, x):
            return x + self.k

        def __call__(self, x):
            return x * self.k

    c = C()
    m = ag.cv(c.method)
    assert m(1) == ("converted", 11)
    assert ag.cv(C.method)(c, 2) == ("converted", 12)
    assert ag.cv(c)(3) == ("converted", 30)
    p = ag.cv(functools.partial(user_fn, 5))
    assert isinstance(p, functools.partial) and p() == ("converted", 6)
    assert len(fake.calls) == 3  # method, __call__, user_fn: each converted once
    ag.cv(c.method)
    ag.cv(C())
    assert len(fake.calls) == 3


def test_wraps_copied_cache_is_not_reused(fake):
    def inner(x):
        return x

    ag.cv(inner)

    @functools.wraps(inner)
    def outer(x):
        return inner(x) + 1

    assert ag.cv(outer)(1) == ("converted", 2)  # outer's own conversion, not inner's
    assert fake.calls[-1] is outer


def test_unhashable_callable_objects(fake):
    class Model:
        __hash__ = None

        def __init__(self, w):
            self.w = w

        def __eq__(self, other):
            return NotImplemented

        def __call__(self, x):
            return x * self.w

    assert ag.cv(Model(3))(2) == ("converted", 6)
    assert ag.cv(Model(4))(2) == ("converted", 8)
    assert len(fake.calls) == 1


def test_table_is_bounded(fake, monkeypatch):
    from autograph.runtime import calls

    monkeypatch.setattr(calls, "_TABLE_LIMIT", 10)
    fns = []
    for k in range(25):
        fns.append(eval(f"lambda: {k}"))
        assert ag.cv(fns[-1])() == ("converted", k)
    assert len(calls._table) <= 10


def test_conversion_result_as_is_is_cached(monkeypatch):
    calls = []

    def refuse(f):
        calls.append(f)
        return f

    monkeypatch.setattr(conversion, "convert_for_call", refuse)

    def f():
        return 1

    assert ag.cv(f) is f and ag.cv(f) is f and calls == [f]


def test_never_converted_modules():
    from autograph.runtime.calls import never_converted_module

    for name in ("numpy", "numpy.linalg", "json", "os.path", "jax.numpy", "torch", "autograph",
                 "collections", "math"):
        assert never_converted_module(name), name
    for name in ("__main__", "mypkg.models", "test_rt_calls", None):
        assert not never_converted_module(name), name


def test_stage_forwards_to_staging(monkeypatch):
    staging = pytest.importorskip("autograph.staging")
    seen = []
    monkeypatch.setattr(staging, "stage", lambda *a: seen.append(a) or "result")
    assert ag.stage("ctx", 1, "exc", {}) == "result" and seen == [("ctx", 1, "exc", {})]
