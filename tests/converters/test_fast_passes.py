"""Golden tests for the fast form's expression passes: call_lookup, item_assignment and
unsupported_features."""

import numpy as np
import pytest

from autograph import errors
from autograph.converters import call_lookup, item_assignment, unsupported_features
from tests.converters.golden import make_context, normalize, parse_function, unparse


def lookup(source, namespace=None, local_names=frozenset(), **options):
    node = parse_function(source)
    node = call_lookup.transform(node, make_context(node, namespace, **options), local_names)
    return unparse(node)


def test_user_calls_go_through_cv_and_known_ones_stay_plain():
    def helper(x):
        return x

    out = lookup("""
        def f(x, xs):
            y = helper(x) + len(xs) + np.sum(xs) + abs(x)
            xs.append(y)
            return unknown(y)
    """, namespace={"helper": helper, "np": np}, local_names={"x", "xs", "y"})
    assert out == normalize("""
        def f(x, xs):
            y = ag__.cv(helper)(x) + len(xs) + np.sum(xs) + abs(x)
            xs.append(y)
            return ag__.cv(unknown)(y)
    """)


def test_methods_on_locals_and_non_default_options():
    out = lookup("""
        def f(self, x):
            return self.step(x) + x.astype(int)
    """, local_names={"self", "x"}, runtime_print=True)
    assert out == normalize("""
        def f(self, x):
            return ag__.cv(self.step, ag__ctx.options)(x) + x.astype(int)
    """)


def test_call_lookup_is_idempotent():
    source = "def f(x):\n    return g(h(x))\n"
    once = lookup(source)
    assert lookup(once) == once


def test_runtime_and_frame_sensitive_calls_are_left_alone():
    out = lookup("""
        def f():
            return ag__.stage(locals()), super().f(), vars(), eval('1')
    """)
    assert "ag__.cv(ag__" not in out and "cv(locals)" not in out and "cv(super)" not in out


def assign(source):
    node = parse_function(source)
    return unparse(item_assignment.transform(node, make_context(node)))


def test_item_assignment_gets_a_functional_fallback():
    assert assign("""
        def f(a, i, v):
            a[i] = v
            a[i, 0] += v
            return a
    """) == normalize("""
        def f(a, i, v):
            try:
                a[i] = v
            except TypeError:
                a = ag__.setitem(a, i, v)
            except ValueError:
                a = ag__.setitem_after_value_error(a, i, v)
            try:
                a[i, 0] += v
            except TypeError:
                a = ag__.setitem(a, (i, 0), a[i, 0] + v)
            except ValueError:
                a = ag__.setitem_after_value_error(a, (i, 0), a[i, 0] + v)
            return a
    """)


def test_item_assignment_evaluates_side_effects_once():
    assert assign("""
        def f(self, g):
            self.data[g()] = g()
    """) == normalize("""
        def f(self, g):
            ag__key = g()
            ag__value = g()
            try:
                self.data[ag__key] = ag__value
            except TypeError:
                self.data = ag__.setitem(self.data, ag__key, ag__value)
            except ValueError:
                self.data = ag__.setitem_after_value_error(self.data, ag__key, ag__value)
    """)


def test_item_assignment_leaves_other_targets_alone():
    source = """
        def f(a, b):
            a[0][1] = 2
            a, b = b, a
            f()[0] = 1
    """
    assert assign(source) == normalize(source)


@pytest.mark.parametrize("body, message", [
    ("    yield 1", r"<unknown>:\d+:5: generators"),
    ("    x = yield", r"generators"),
    ("    await g()", r"`await` cannot be converted"),
])
def test_unsupported_constructs_are_refused_with_location(body, message):
    node = parse_function("def f():\n" + body + "\n")
    with pytest.raises(errors.UnsupportedFeatureError, match=message):
        unsupported_features.transform(node, make_context(node))


def test_nested_generators_are_allowed():
    node = parse_function("def f():\n    def g():\n        yield 1\n    return list(g())\n")
    assert unsupported_features.transform(node, make_context(node)) is node
