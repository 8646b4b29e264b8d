"""The staging table of issue 4: each construct on a tensor becomes graph control flow, checked
through `to_graph` + `graph.run` and through `autograph.function`, against the original run
eagerly on numpy."""

import numpy as np
import pytest

import autograph

from ._helpers import all_op_types, check_all_ways, op_count, run_staged, stage

i64 = np.int64
f64 = np.float64


# if / elif ----------------------------------------------------------------------------------


def sign_of(x):
    if x > 0:
        y = 1
    else:
        y = -1
    return y


def bucket(x):
    if x > 10:
        y = 100
    elif x > 5:
        y = 50
    elif x > 0:
        y = 10
    else:
        y = 0
    return y


def if_without_else(x):
    y = x
    if x < 0:
        y = -x
    return y


def test_if_becomes_cond():
    check_all_ways(sign_of, (i64(3),), (i64(-3),), must_contain=["Cond"])


def test_elif_chain_becomes_conds():
    fn = check_all_ways(bucket, *[(i64(v),) for v in (11, 10, 6, 1, 0, -4)],
                        must_contain=["Cond"])
    assert fn.tracing_count == 1


def test_if_without_else():
    check_all_ways(if_without_else, (f64(2.5),), (f64(-2.5),), must_contain=["Cond"])


def test_if_on_array_reduction():
    def clip_norm(v, limit):
        n = np.sqrt(np.sum(v * v))
        if n > limit:
            v = v * (limit / n)
        return v

    check_all_ways(clip_norm, (np.array([3.0, 4.0]), f64(1.0)),
                   (np.array([0.3, 0.4]), f64(1.0)), must_contain=["Cond"])


# while --------------------------------------------------------------------------------------


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def count_up(n):
    i = 0
    s = 0
    while i < n:
        s += i
        i += 1
    return s


def test_while_with_tensor_condition_is_one_loop():
    fn = check_all_ways(collatz_steps, (i64(1),), (i64(6),), (i64(27),),
                        must_contain=["While", "Cond"])
    assert fn.tracing_count == 1


def test_while_zero_trip():
    check_all_ways(count_up, (i64(0),), (i64(-5),), (i64(5),), must_contain=["While"])


# for over range -----------------------------------------------------------------------------


def range_sum3(a, b, s):
    t = 0
    for i in range(a, b, s):
        t += i
    return t


def range_sum1(n):
    t = 0
    for i in range(n):
        t = t * 2 + i
    return t


RANGE_CASES = [(0, 10, 1), (10, 0, -1), (10, 0, -3), (-7, 8, 4), (5, 5, 1), (5, 0, 1),
               (0, 5, -1), (3, 4, 7), (4, 3, -7), (-2, -9, -2)]


def test_for_range_with_tensor_bounds_any_step_sign():
    fn = check_all_ways(range_sum3, *[tuple(map(i64, c)) for c in RANGE_CASES],
                        must_contain=["While"])
    # the step's sign is only known at run time: one trace serves every sign
    assert fn.tracing_count == 1


def test_for_range_with_one_tensor_bound():
    check_all_ways(range_sum1, (i64(0),), (i64(1),), (i64(6),), must_contain=["While"])

    def mixed(a):
        t = 0
        for i in range(2, a, 3):  # Python start and step, tensor stop
            t += i
        return t

    check_all_ways(mixed, (i64(0),), (i64(2),), (i64(3),), (i64(11),), must_contain=["While"])


def test_for_range_with_python_bounds_runs_at_trace_time():
    def unrolled(x):
        for i in range(3):
            x = x * 2 + i
        return x

    graph, _, _ = stage(unrolled, f64(1.0))
    assert "While" not in all_op_types(graph)
    check_all_ways(unrolled, (f64(1.0),))


# for over a tensor, enumerate, zip ------------------------------------------------------------


def total(x):
    t = 0.0
    for v in x:
        t += v
    return t


def row_norms_max(m):
    best = 0.0
    for row in m:
        n = np.sqrt(np.sum(row * row))
        if n > best:
            best = n
    return best


def test_for_over_tensor_is_a_loop_over_its_first_axis():
    check_all_ways(total, (np.arange(5.0),), (np.zeros(0),), (np.array([2.5]),),
                   must_contain=["While"])
    check_all_ways(row_norms_max, (np.array([[3.0, 4.0], [1.0, 1.0], [6.0, 8.0]]),),
                   (np.zeros((0, 2)),), must_contain=["While"])


def weighted(x, w):
    t = 0.0
    for i, v in enumerate(x):
        t += i * v
    for a, b in zip(x, w):
        t += a * b
    for k, (a, b) in enumerate(zip(x, w), 1):
        t += k * (a - b)
    return t


def test_enumerate_and_zip_over_tensors():
    check_all_ways(weighted, (np.arange(4.0), np.ones(4)), (np.zeros(0), np.zeros(0)),
                   (np.array([1.5, -2.0]), np.array([0.5, 4.0])), must_contain=["While"])


def test_zip_of_tensor_and_python_list_stops_at_the_shorter():
    def dot_first(x):
        t = 0.0
        for a, b in zip(x, [1.0, 10.0, 100.0]):
            t += a * b
        return t

    check_all_ways(dot_first, (np.arange(5.0),), (np.array([2.0]),))


# break / continue / return ------------------------------------------------------------------


def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


def first_over(x, limit):
    found = -1
    for i, v in enumerate(x):
        if v > limit:
            found = i
            break
    return found


def find_index(x, target):
    for i, v in enumerate(x):
        if v == target:
            return i
    return -1


def nested_break(n):
    t = 0
    for i in range(n):
        j = 0
        while j < i:
            if j > 3:
                break
            t += j
            j += 1
    return t


def return_from_nested_loops(n):
    t = 0
    for i in range(n):
        j = 0
        while j < i:
            j += 1
        t += j
        if t > 20:
            return t * 100
    return t


def break_in_else_branch(x):
    t = 0.0
    for v in x:
        if v < 0:
            t -= 1
        else:
            if v > 100:
                break
            t += v
    return t


def return_in_both_branches(x):
    if x > 0:
        return x * 2
    else:
        return -x


def early_return_then_code(x):
    if x < 0:
        return 0
    y = x * 3
    if y > 10:
        return 10
    return y


def test_continue_in_staged_loop():
    check_all_ways(sum_even, (np.array([10, 12, 15, 20]),), (np.array([1, 3]),),
                   (np.zeros(0, np.int64),), must_contain=["While", "Cond"])


def test_break_in_staged_loop():
    check_all_ways(first_over, (np.array([1.0, 5.0, 9.0]), f64(4.0)),
                   (np.array([1.0, 2.0]), f64(4.0)), must_contain=["While"])


def test_return_in_staged_loop():
    x = np.array([4, 8, 15, 16, 23, 42])
    check_all_ways(find_index, (x, i64(15)), (x, i64(42)), (x, i64(7)),
                   must_contain=["While"])


def test_nested_break_and_return():
    args = [(i64(v),) for v in (0, 1, 3, 7, 12)]
    check_all_ways(nested_break, *args, must_contain=["While"])
    check_all_ways(return_from_nested_loops, *args, must_contain=["While"])
    check_all_ways(break_in_else_branch, (np.array([1.0, -2.0, 3.0, 200.0, 5.0]),),
                   (np.array([1.0, 2.0]),), must_contain=["While"])


def test_return_in_staged_branches():
    check_all_ways(return_in_both_branches, (i64(4),), (i64(-4),), must_contain=["Cond"])
    check_all_ways(early_return_then_code, (i64(-1),), (i64(2),), (i64(5),),
                   must_contain=["Cond"])


def continue_then_return(x):
    t = 0
    for i in range(x):
        if i % 2 == 0:
            continue
        t += i
        if t > 20:
            return t * 100
    return t


def test_continue_and_return_in_one_staged_loop():
    check_all_ways(continue_then_return, *[(i64(v),) for v in (0, 3, 7, 12)],
                   must_contain=["While"])


def rolling_window(x):
    window = np.zeros(2)
    for v in x:
        window = np.append(window[1:], v)  # a numpy function named append, not list.append
    return window


def test_module_function_named_append_in_staged_loop():
    check_all_ways(rolling_window, (np.arange(4.0),), must_contain=["While"])


# and / or / not / ternary ---------------------------------------------------------------------


def logic(x, y):
    a = x > 0 and y > 0
    b = x > 0 or y > 0
    c = not x > 0
    d = x if x > y else y
    return a, b, c, d


def test_logical_ops_and_ternary_on_tensors():
    check_all_ways(logic, *[(i64(a), i64(b)) for a in (-1, 1) for b in (-2, 2)],
                   must_contain=["Cond", "logical_not"])


def test_and_or_keep_python_short_circuit():
    def guarded(x, limit):
        ok = limit is None or x < limit
        return x if ok else limit

    check_all_ways(guarded, (f64(3.0), None), (f64(3.0), 2.0), (f64(3.0), 5.0))


def test_logical_operands_are_values_not_bools():
    def pick(x, y):
        return (x and y), (x or y)  # `and`/`or` give an operand, as in Python

    check_all_ways(pick, *[(i64(a), i64(b)) for a in (-2, 0, 3) for b in (0, 7)])


# print --------------------------------------------------------------------------------------


def shout(x):
    print("value:", x)
    return x + 1


def test_python_print_runs_at_trace_time(capsys):
    graph, out, feeds = stage(shout, i64(3))
    assert "value: <Tensor" in capsys.readouterr().out
    assert graph.run(out, feeds) == 4
    assert capsys.readouterr().out == ""


def test_runtime_print_option_prints_when_the_graph_runs(capsys):
    graph, out, feeds = stage(shout, i64(3), runtime_print=True)
    assert capsys.readouterr().out == ""
    for v in (3, 7):
        assert graph.run(out, {next(iter(feeds)): i64(v)}) == v + 1
        assert capsys.readouterr().out == f"value: {v}\n"


def test_runtime_print_through_autograph_function(capsys):
    fn = autograph.function(autograph.to_graph(shout, runtime_print=True))
    fn(i64(1))
    fn(i64(2))
    assert capsys.readouterr().out == "value: 1\nvalue: 2\n"
    assert fn.tracing_count == 1


def test_autograph_print_always_prints_at_run_time(capsys):
    def f(x):
        for v in x:
            autograph.print("item", v, sep="=")
        return x

    graph, out, feeds = stage(f, np.array([1, 2]))
    assert capsys.readouterr().out == ""
    graph.run(out, feeds)
    assert capsys.readouterr().out == "item=1\nitem=2\n"


def test_print_in_staged_branch_runs_at_trace_time_for_both_branches(capsys):
    def f(x):
        if x > 0:
            print("positive branch traced")
            x = x + 1
        else:
            print("negative branch traced")
        return x

    graph, out, feeds = stage(f, i64(1))
    printed = capsys.readouterr().out
    assert "positive branch traced" in printed and "negative branch traced" in printed


# assert -------------------------------------------------------------------------------------


def checked_sqrt(x):
    assert x >= 0, "x must be non-negative"
    return np.sqrt(x)


def test_assert_on_a_tensor_is_a_run_time_assertion():
    graph, out, feeds = stage(checked_sqrt, f64(4.0))  # tracing raises nothing
    (x,) = feeds
    assert graph.run(out, {x: f64(9.0)}) == 3.0
    with pytest.raises(AssertionError, match="x must be non-negative"):
        graph.run(out, {x: f64(-1.0)})
    fn = autograph.function(checked_sqrt)
    assert fn(f64(16.0)) == 4.0
    with pytest.raises(AssertionError, match="x must be non-negative"):
        fn(f64(-16.0))
    assert fn.tracing_count == 1
    assert "Assert" in all_op_types(graph)


# Python lists in staged loops ---------------------------------------------------------------


def doubled_stack(x):
    out = []
    for v in x:
        out.append(v * 2)
    return np.stack(out)


def squares_list(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


def stack_then_sum(n):
    out = []
    for i in range(n):
        out.append(i)
    s = np.stack(out)
    return np.sum(s)


def test_list_appended_in_staged_loop_and_stacked_after():
    check_all_ways(doubled_stack, (np.arange(3.0),), (np.ones((2, 2)),), must_contain=["While"])
    check_all_ways(stack_then_sum, (i64(4),), (i64(1),), must_contain=["While"])


def test_list_appended_in_staged_loop_returned_as_a_list():
    fn = autograph.function(squares_list)
    assert [int(v) for v in fn(i64(4))] == [0, 1, 4, 9]
    assert [int(v) for v in fn(i64(2))] == [0, 1]
    assert fn.tracing_count == 1


def test_list_indexing_after_staged_loop():
    def last(x):
        out = []
        for v in x:
            out.append(v + 1)
        return out[-1]

    check_all_ways(last, (np.arange(3.0),))


# Python values keep Python semantics ----------------------------------------------------------


def test_for_over_python_list_runs_at_trace_time():
    def poly(x):
        t = 0.0
        for c in [1.0, -2.0, 0.5]:
            t = t * x + c
        return t

    graph, _, _ = stage(poly, f64(2.0))
    assert not {"While", "Cond"} & set(all_op_types(graph))
    check_all_ways(poly, (f64(2.0),), (f64(-1.0),))


def test_python_if_inside_staged_loop():
    def signed_sum(x, flip):
        s = 0
        for v in x:
            if flip:  # a Python bool: decided at trace time
                s -= v
            else:
                s += v
        return s

    for flip in (True, False):
        graph, _, _ = stage(signed_sum, np.arange(4), flip)
        types = all_op_types(graph)
        assert "While" in types and "Cond" not in types
    fn = check_all_ways(signed_sum, (np.arange(4), True), (np.arange(4), False))
    assert fn.tracing_count == 2  # a Python argument is part of the trace key


def test_staged_if_inside_python_loop():
    def ladder(x):
        for k in [1, 2, 4]:
            if x > k:
                x = x - k
        return x

    graph, _, _ = stage(ladder, i64(0))
    types = all_op_types(graph)
    assert types.count("Cond") == 3 and "While" not in types
    check_all_ways(ladder, *[(i64(v),) for v in (0, 2, 3, 8)])


def test_python_while_with_python_condition_runs_at_trace_time():
    def repeat_double(x, times):
        i = 0
        while i < times:
            x = x * 2
            i += 1
        return x

    graph, _, _ = stage(repeat_double, f64(1.5), 3)
    assert "While" not in all_op_types(graph)
    check_all_ways(repeat_double, (f64(1.5), 3), (f64(1.5), 0))


# staged loops are staged: the op count does not depend on the trip count ---------------------


@pytest.mark.parametrize("f,make_args", [
    (total, lambda n: (np.arange(float(n)),)),
    (sum_even, lambda n: (np.arange(n),)),
    (range_sum1, lambda n: (i64(n),)),
    (count_up, lambda n: (i64(n),)),
    (collatz_steps, lambda n: (i64(n + 1),)),
    (nested_break, lambda n: (i64(n),)),
    (lambda x: doubled_stack(x), lambda n: (np.arange(float(n)),)),
])
def test_staged_loop_op_count_does_not_depend_on_trip_count(f, make_args):
    counts = set()
    for n in (1, 5, 40):
        graph, out, feeds = stage(f, *make_args(n))
        counts.add(op_count(graph))
        graph.run(out, feeds)
    assert len(counts) == 1, counts


def test_unrolled_python_loop_op_count_grows():
    def unrolled(x, n):
        for _ in range(n):
            x = x + 1
        return x

    counts = [op_count(stage(unrolled, f64(0.0), n)[0]) for n in (1, 5, 40)]
    assert counts[0] < counts[1] < counts[2]


def test_graph_of_autograph_function_is_independent_of_input_size():
    fn = autograph.function(sum_even)
    sizes = {op_count(fn.get_concrete_function(np.arange(n)).graph) for n in (1, 10, 1000)}
    assert len(sizes) == 1 and fn.tracing_count == 3


def test_staged_results_match_python_mode_on_many_inputs():
    rng = np.random.default_rng(0)
    fn = autograph.function(break_in_else_branch)
    for _ in range(20):
        x = rng.integers(-5, 150, size=rng.integers(0, 8)).astype(float)
        assert fn(x) == break_in_else_branch(x) == autograph.to_graph(break_in_else_branch)(x)
    assert run_staged(break_in_else_branch, np.array([1.0, 2.0])) == 3.0


# A staged if test that calls something runs its calls once -------------------------------


def test_a_staged_if_test_runs_its_calls_once():
    # The native `if` evaluated `v.assign_add(1) > x` to its end before its truth failed;
    # staging reuses that value, so the graph holds one assign_add (not two).
    v = autograph.Variable(np.int64(0))

    def bump_and_compare(x):
        if v.assign_add(1) > x:
            return np.int64(1)
        elif v.assign_add(10) > x:
            return np.int64(2)
        return np.int64(0)

    f = autograph.function(bump_and_compare)
    assert f(np.int64(5)) == 2 and v.numpy() == 11       # 0 + 1 (not > 5), + 10 (> 5)
    assert f(np.int64(0)) == 1 and v.numpy() == 12
    assert f(np.int64(100)) == 0 and v.numpy() == 23


def test_python_side_effects_of_a_staged_if_test_happen_once_while_tracing():
    calls = []

    def probe(x):
        calls.append(1)
        return x

    def f(x):
        if probe(x) > 0:
            y = 1
        else:
            y = 2
        return y

    g = autograph.function(f)
    assert g(np.int64(3)) == 1 and g(np.int64(-3)) == 2
    assert len(calls) == 1  # traced once, the test evaluated once


def test_a_test_that_fails_inside_is_evaluated_again():
    # Here bool() fails on `x > 0` inside `all(...)`, before the test has a value: the staged
    # form evaluates the test itself (the kept value of an earlier call must not be used).
    def f(x, flag):
        n = 0
        for k in range(2):
            if all([x > k]) if flag else k > 5:
                n += 1
        return n

    g = autograph.function(f)
    for x in (-1, 1, 3):
        for flag in (True, False):
            assert g(np.int64(x), flag) == f(np.int64(x), flag)


# A for over a range of Python ints whose break/return depends on a tensor -----------------


def first_neg(xs):
    for i in range(len(xs)):      # len of a (4,) tensor is the Python int 4
        if xs[i] < 0:
            return i
    return -1


def first_neg_break(xs):
    found = -1
    for i in range(len(xs)):
        if xs[i] < 0:
            found = i
            break
    return found


def bump_until_python_index(x):
    for i in range(4):
        x = x + 1
        if i == 2:                # a Python condition: the loop stays a Python loop
            return x
    return x


def test_static_range_with_tensor_return_becomes_one_loop():
    xs = [np.array([1.0, 2.0, -3.0, 4.0]), np.array([1.0, 2.0, 3.0, 4.0])]
    check_all_ways(first_neg, *[(x,) for x in xs], must_contain=("While",))
    check_all_ways(first_neg_break, *[(x,) for x in xs], must_contain=("While",))
    graph, _, _ = stage(first_neg, xs[0])
    assert all_op_types(graph).count("While") == 1


def test_static_range_with_python_jump_stays_unrolled():
    check_all_ways(bump_until_python_index, (f64(1.5),))
    graph, _, _ = stage(bump_until_python_index, f64(1.5))
    types = all_op_types(graph)
    assert "While" not in types and types.count("add") == 3, types


def test_static_range_without_jumps_stays_unrolled():
    def total(xs):
        s = 0.0
        for i in range(len(xs)):
            s = s + xs[i]
        return s

    graph, _, _ = stage(total, np.arange(3.0))
    assert "While" not in all_op_types(graph)


def test_a_variable_update_in_a_staged_while_test_runs_once_per_check():
    # The first test (evaluated natively, where it failed) is the loop's first check; the
    # loop's own test runs from the second iteration on: one assign_add per check, as in
    # Python (it used to be recorded three more times, outside the loop).
    v = autograph.Variable(np.int64(0))

    def count_below(x):
        n = 0
        while v.assign_add(1) < x:
            n += 1
        return n

    f = autograph.function(count_below)
    assert f(np.int64(5)) == 4 and v.numpy() == 5
    assert f(np.int64(5)) == 0 and v.numpy() == 6
    assert f(np.int64(9)) == 2 and v.numpy() == 9


def test_a_while_test_with_calls_and_a_break_or_continue():
    calls = []

    def probe(x):
        calls.append(1)
        return x

    def f(x, n):
        i = 0
        total = 0
        while probe(i) < n:
            i += 1
            if i == x:
                continue
            if total > 20:
                break
            total += i
        return total

    g = autograph.function(f)
    for x, n in ((2, 5), (0, 0), (3, 9), (1, 1)):
        assert g(np.int64(x), np.int64(n)) == f(x, n)
