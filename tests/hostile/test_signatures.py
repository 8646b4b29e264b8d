"""Signatures: star-args, kwargs, keyword-only and positional-only parameters, defaults and
annotations; the converted function has the same signature and fails the same way."""

import inspect
import textwrap

import numpy as np
import pytest

import autograph
from autograph import conversion
from tests.differential.harness import call, check

SIGS = """
    from typing import Optional

    def everything(a, b=2, /, c=3, *args, d, e=5, **kw) -> int:
        total = a + b + c + d + e
        for v in args:
            if v > total:
                total = v
        for k in sorted(kw):
            total += kw[k] if k != 'skip' else 0
        return total

    def annotated(x: 'np.ndarray', n: int = 3, *, mode: Optional[str] = None) -> 'float':
        s: float = 0.0
        i: int
        for i in range(n):
            if mode == 'neg':
                s -= x
            else:
                s += x
        return s

    def mutable_default(x, acc=[]):  # noqa: B006 - the point of the test
        if x > 0:
            acc.append(x)
        return len(acc)

    def kw_only_defaults(*, a=1, b):
        while a < b:
            a *= 2
        return a

    def star_only(*args, **kwargs):
        n = 0
        for a in args:
            n += a if a > 0 else -a
        return n, dict(kwargs)
"""


@pytest.fixture
def sigs(module):
    return module("from __future__ import annotations\nimport numpy as np\n"
                  + textwrap.dedent(SIGS))


CASES = [
    ("everything", call(1, d=4)),
    ("everything", call(1, 2, 3, 100, 0, d=4, e=6, z=10, skip=99)),
    ("everything", call(1, 2, c=30, d=4)),
    ("everything", call(1)),  # TypeError: missing d
    ("everything", call(1, b=2, d=4)),  # TypeError: b is positional-only
    ("everything", call(1, 2, 3, d=4, c=5)),  # TypeError: multiple values for c
    ("annotated", call(1.5)),
    ("annotated", call(2.0, 2, mode="neg")),
    ("annotated", call(2.0, 2, "neg")),  # TypeError: mode is keyword-only
    ("kw_only_defaults", call(b=20)),
    ("kw_only_defaults", call(a=3, b=4)),
    ("kw_only_defaults", call()),  # TypeError: missing b
    ("star_only", call()),
    ("star_only", call(1, -2, 3, x=1)),
]


@pytest.mark.parametrize("name, c", CASES, ids=[f"{n}{c!r}" for n, c in CASES])
def test_calls_and_call_errors_match(sigs, name, c, no_fallback):
    check(getattr(sigs, name), c.args, c.kwargs, mode="python")


def test_signature_annotations_and_defaults_are_kept(sigs, no_fallback):
    for name in ("everything", "annotated", "kw_only_defaults", "star_only", "mutable_default"):
        fn = getattr(sigs, name)
        conv = autograph.to_graph(fn, strict=True)
        assert inspect.signature(conv) == inspect.signature(fn)
        assert conv.__name__ == fn.__name__ and conv.__qualname__ == fn.__qualname__
        inner = conversion.convert_function(fn)
        assert inner.__defaults__ is fn.__defaults__
        assert inner.__kwdefaults__ == fn.__kwdefaults__
        assert inner.__annotations__ == fn.__annotations__


def test_mutable_default_is_the_same_object(sigs):
    conv = autograph.to_graph(sigs.mutable_default)
    assert [sigs.mutable_default(1), conv(2), conv(-1), sigs.mutable_default(3)] == [1, 2, 2, 3]


def test_defaults_changed_after_conversion(sigs):
    """The converted function shares the defaults (like the original it reads them late)."""
    conv = autograph.to_graph(sigs.kw_only_defaults)
    sigs.kw_only_defaults.__kwdefaults__["a"] = 7
    assert conv(b=20) == sigs.kw_only_defaults(b=20) == 28


def test_staged_star_args_and_keywords(sigs):
    check(sigs.everything, (np.int64(1), np.int64(2), np.int64(3), np.int64(50)),
          {"d": np.int64(4), "x": np.int64(1)}, mode="graph")
    check(sigs.kw_only_defaults, (), {"a": np.int64(3), "b": np.int64(40)}, mode="graph")
