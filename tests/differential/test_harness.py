"""The harness itself: it must see every kind of divergence it claims to compare."""

import numpy as np
import pytest

from . import harness
from .harness import CHECK_OPTIONS, Loose, call, diff, run


@pytest.mark.parametrize(
    "a,b",
    [
        (1, np.int64(1)),
        (1, 1.0),
        (True, 1),
        (np.float32(1.0), np.float64(1.0)),
        (np.array([1, 2]), np.array([1, 2], dtype=np.int32)),
        (np.array([1, 2]), np.array([[1, 2]])),
        (np.array([1.0, np.nan]), np.array([1.0, 2.0])),
        ([1, 2], (1, 2)),
        ([1, [2, 3]], [1, [2, 4]]),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        (0.0, -0.0),
        (float("nan"), 1.0),
        ({1, 2}, {1, 3}),
        (None, 0),
        ("a", "b"),
    ],
)
def test_diff_sees_differences(a, b):
    assert diff(a, b) is not None


@pytest.mark.parametrize(
    "a,b",
    [
        (float("nan"), float("nan")),
        (np.array([1.0, np.nan]), np.array([1.0, np.nan])),
        (np.float32("nan"), np.float32("nan")),
        ([1, (2, {"k": [np.int64(3)]})], [1, (2, {"k": [np.int64(3)]})]),
        ({1, 2}, {2, 1}),
        (None, None),
    ],
)
def test_diff_accepts_equal(a, b):
    assert diff(a, b) is None


def test_diff_compares_user_objects_field_by_field():
    class P:
        def __init__(self, v):
            self.v = v

    assert diff(P([1]), P([1])) is None
    assert diff(P([1]), P([2])) is not None


def test_loose_diff_for_staged_modes():
    exact = Loose()
    assert diff(3, np.int64(3), loose=exact) is None
    assert diff(3.0, np.float32(3.0), loose=exact) is not None  # dtype differs
    assert diff(3.0, np.float32(3.0), loose=Loose(dtype="kind")) is None
    assert diff((1, [2.0]), (np.int64(1), [np.float64(2.0)]), loose=exact) is None
    assert diff((1, 2), [1, 2], loose=exact) is not None


def _compare(f, g, args, **opts):
    opts = {**CHECK_OPTIONS, **opts}
    return harness._compare_python(run(f, args, {}), run(g, args, {}), opts)


def test_compare_sees_stdout_mutation_and_exceptions():
    def f(lst):
        print("x")
        lst.append(1)
        return len(lst)

    def g_stdout(lst):
        print("y")
        lst.append(1)
        return len(lst)

    def g_mutation(lst):
        print("x")
        return len(lst) + 1

    def g_raises(lst):
        raise ValueError("no")

    assert _compare(f, f, ([],)) == []
    assert any("stdout" in p for p in _compare(f, g_stdout, ([],)))
    assert any("mutation" in p for p in _compare(f, g_mutation, ([],)))
    assert any("raised ValueError" in p for p in _compare(f, g_raises, ([],)))


def test_compare_exception_type_and_message():
    def f(x):
        raise ValueError(f"bad {x}")

    def g_type(x):
        raise TypeError(f"bad {x}")

    def g_msg(x):
        raise ValueError(f"worse {x}")

    assert any("type" in p for p in _compare(f, g_type, (1,)))
    assert any("message" in p for p in _compare(f, g_msg, (1,)))
    assert _compare(f, g_msg, (1,), exc_msg=False) == []
    assert _compare(f, g_msg, (1,), exc_msg="1") == []


def test_inputs_are_deep_copied_per_run():
    data = [[1]]

    def f(x):
        x[0].append(2)

    run(f, (data,), {})
    assert data == [[1]]


def test_call_and_tensorize():
    assert harness.as_call(3).args == (3,)
    assert harness.as_call((1, 2)).args == (1, 2)
    c = harness.tensorize_call(lambda n, x, flag=True: 0, call(1, 2.0, flag=True), static=("n",))
    assert type(c.args[0]) is int and type(c.args[1]) is np.float64
    assert type(c.kwargs["flag"]) is np.bool_
