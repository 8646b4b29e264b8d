"""The documented staging errors: each names the variable, shows the user's file and line, and
says how to fix it; temporaries used only inside a branch or a loop raise nothing."""

import inspect
import traceback

import numpy as np
import pytest

import autograph
from autograph.runtime.engine import GraphTensorError

from ._helpers import check_all_ways, stage

i64 = np.int64
THIS_FILE = __file__


def line_of(f, text):
    """The line number in this file of the first line of `f` that contains `text`."""
    lines, start = inspect.getsourcelines(f)
    for k, line in enumerate(lines):
        if text in line:
            return start + k
    raise AssertionError(f"{text!r} not in {f.__name__}")


def staging_error(f, *args):
    """The StagingError that staging `f` raises, through to_graph and autograph.function
    (the same message both ways)."""
    with pytest.raises(autograph.StagingError) as via_graph:
        stage(f, *args)
    with pytest.raises(autograph.StagingError) as via_function:
        autograph.function(f)(*args)
    assert str(via_graph.value) == str(via_function.value)
    return via_graph.value


def assert_user_location(err, f, texts):
    """The message starts with this file and one of the lines of `f` that hold `texts`, and
    the traceback shows the user's own frame."""
    lines = {line_of(f, t) for t in texts}
    head = str(err).split(" ", 1)[0]
    filename, lineno = head.rstrip(":").rsplit(":", 1)
    assert filename == THIS_FILE and int(lineno) in lines, (head, lines)
    frames = [(fr.filename, fr.name) for fr in traceback.extract_tb(err.__traceback__)]
    assert (THIS_FILE, f.__name__) in frames, frames


# a variable defined in only one branch of a staged if ----------------------------------------


def one_branch(x):
    if x > 0:
        y = x * 2
    return y


def one_branch_else(x):
    if x > 0:
        pass
    else:
        label = x - 1
    return label


def test_variable_defined_in_one_branch_and_used_after():
    err = staging_error(one_branch, i64(1))
    assert err.variable == "y"
    msg = str(err)
    assert "'y'" in msg and "if branch" in msg and "else branch" in msg
    assert "Fix:" in msg and "before the if" in msg
    assert_user_location(err, one_branch, ["if x > 0", "y = x * 2"])

    err = staging_error(one_branch_else, i64(1))
    assert err.variable == "label" and "Fix:" in str(err)
    assert_user_location(err, one_branch_else, ["if x > 0", "label = x - 1"])


def test_branch_temporaries_raise_nothing():
    def temp_in_branch(x):
        if x > 0:
            tmp = x * 2  # used only inside the branch
            x = tmp + 1
        else:
            other = x - 3
            x = other * 2
        return x

    check_all_ways(temp_in_branch, (i64(3),), (i64(-3),), must_contain=["Cond"])


# a loop variable undefined before a staged loop ---------------------------------------------


def undefined_before_while(n):
    i = 0
    while i < n:
        last = i * 2
        i += 1
    return last


def undefined_before_for(x):
    for v in x:
        biggest = v
    return biggest


def test_loop_variable_undefined_before_staged_loop_and_used_after():
    err = staging_error(undefined_before_while, i64(3))
    assert err.variable == "last"
    msg = str(err)
    assert "'last'" in msg and "no value before this staged while loop" in msg
    assert "Fix: initialize 'last' before the loop" in msg
    assert_user_location(err, undefined_before_while, ["while i < n"])

    err = staging_error(undefined_before_for, np.arange(3.0))
    assert err.variable == "biggest" and "Fix: initialize 'biggest'" in str(err)
    assert_user_location(err, undefined_before_for, ["for v in x"])


def test_loop_temporaries_raise_nothing():
    def temp_in_loop(n):
        i = 0
        s = 0
        while i < n:
            tmp = i * 2  # assigned and used only inside the body
            s += tmp
            i += 1
        return s

    def temp_in_for(x):
        s = 0.0
        for v in x:
            sq = v * v
            if sq > 4:
                big = sq - 4  # temporary of a branch inside a loop
                s += big
        return s

    check_all_ways(temp_in_loop, (i64(0),), (i64(4),), must_contain=["While"])
    check_all_ways(temp_in_for, (np.arange(5.0),), must_contain=["While", "Cond"])


# a loop variable that changes dtype or shape --------------------------------------------------


def dtype_changes(n):
    s = 0
    for _ in range(n):
        s = s + 0.5
    return s


def shape_changes(x):
    acc = np.zeros(1)
    for v in x:
        acc = np.concatenate([acc, v[None]])
    return acc


def test_loop_variable_changing_dtype():
    err = staging_error(dtype_changes, i64(3))
    assert err.variable == "s"
    msg = str(err)
    assert "'s'" in msg and "int64" in msg and "float64" in msg
    assert "must keep its dtype and shape" in msg and "Fix: initialize 's'" in msg
    assert_user_location(err, dtype_changes, ["for _ in range(n)"])


def test_loop_variable_changing_shape():
    err = staging_error(shape_changes, np.arange(3.0))
    assert err.variable == "acc"
    msg = str(err)
    assert "'acc'" in msg and "(1,)" in msg and "(2,)" in msg and "Fix:" in msg
    assert_user_location(err, shape_changes, ["for v in x"])


def test_dtype_fixed_by_initializing_with_the_loop_dtype():
    def fixed(n):
        s = 0.0
        for _ in range(n):
            s = s + 0.5
        return s

    check_all_ways(fixed, (i64(0),), (i64(3),), must_contain=["While"])


# a Python loop condition that becomes a tensor mid-loop ---------------------------------------


def becomes_tensor(x):
    s = 0
    while s < 10:
        s = s + x
    return s


def test_python_loop_condition_becoming_a_tensor():
    err = staging_error(becomes_tensor, i64(3))
    msg = str(err)
    assert "'s'" in msg and "became a tensor after the loop had already run" in msg
    assert "`while s < 10:`" in msg and "before the loop" in msg  # the fix
    assert_user_location(err, becomes_tensor, ["while s < 10"])


def test_python_loop_condition_fixed_by_starting_from_a_tensor():
    def fixed(x):
        s = x - x  # a tensor from the start: the loop is staged
        while s < 10:
            s = s + x
        return s

    check_all_ways(fixed, (i64(3),), (i64(20),), must_contain=["While"])


# jumps that depend on a tensor inside a Python loop ---------------------------------------------


def return_in_python_loop(x, target):
    for i in [0, 1, 2]:  # a Python list: a Python loop (a static range would be staged)
        if x[i] == target:
            return i
    return -1


def test_tensor_return_inside_python_loop_is_reported():
    err = staging_error(return_in_python_loop, np.array([3, 5, 7]), i64(5))
    msg = str(err)
    assert "Python loop" in msg and "Fix:" in msg
    assert_user_location(err, return_in_python_loop, ["if x[i] == target", "return i"])


# errors at run time and from unconverted code -------------------------------------------------


def test_graph_tensor_in_unconverted_python_control_flow():
    def f(x):
        if x > 0:
            return x
        return -x

    fn = autograph.function(f, autograph=False)
    with pytest.raises(TypeError, match="truth value of graph tensor") as info:
        fn(i64(1))
    assert "autograph.to_graph" in str(info.value)


def test_a_tensor_used_as_python_in_converted_code_gets_a_hint_for_converted_code():
    # A generator expression over a tensor is not converted (as in TensorFlow): the error says
    # so, instead of asking for a conversion that already happened.
    def count_positive(xs):
        return sum(1 for x in xs if x > 0)

    with pytest.raises(GraphTensorError) as info:
        autograph.function(count_positive)(np.array([1.0, -2.0, 3.0]))
    message = str(info.value)
    assert "This is converted code" in message and "comprehension" in message
    assert "needs the function to be converted" not in message


def test_an_unconverted_function_is_told_to_convert():
    def count_positive(xs):
        return sum(1 for x in xs if x > 0)

    with pytest.raises(GraphTensorError, match="needs the function to be converted"):
        autograph.function(count_positive, autograph=False)(np.array([1.0, -2.0, 3.0]))
