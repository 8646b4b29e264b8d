"""Shrunk reproducers of the divergences the fuzzer found (issue 6), one plain test each.

Each program is the shrinker's output (`tests/fuzz/reduce.py`, or hypothesis in the CI
campaign), tidied by hand only where noted. A divergence that is reported and not fixed yet is
`xfail(strict=True)` with the reason, and its key is listed in `known.py`: once the bug is
fixed the test passes, strict xfail fails it, and the mark and the `known.py` entry go
together. Found by: the campaign seed and program index, where a campaign found it.
"""

import numpy as np
import pytest

from tests.fuzz.oracle import assert_agrees, have_jax

needs_jax = pytest.mark.skipif(not have_jax(), reason="jax is not installed")

ARR = np.array([1.5, -0.0], dtype=np.float64)


# ------------------------------------------------------------------------------------------
# Wrong values in staged modes
# ------------------------------------------------------------------------------------------

ITEM_IN_STAGED_IF = """\
def f(d, flag, arr):
    acc = arr * 0.5
    if flag:
        acc[0] = d
    acc *= 0.5
    return acc
"""


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_item_assignment_in_a_staged_if(mode):
    # campaign seed 2, program 8 (graph and jax)
    assert_agrees(ITEM_IN_STAGED_IF, [(0.001, True, ARR)], modes=(mode,))


@pytest.mark.parametrize("loop", ["for i in range(a):", "for v in arr:",
                                  "while a > 0 and a < 100:\n        a += 1"])
def test_append_after_a_staged_loop(loop):
    # final staged campaign (seed 2), 16 programs; seed 3 (open bugs left out), 2 programs
    assert_agrees(f"""\
def f(a, arr):
    out = []
    {loop}
        out.append(0)
    out.append(0)
    return out
""", [(7, np.array([1.5, 0.5])), (0, np.array([1.5]))], modes=("graph",))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_item_assignment_in_a_staged_for(mode):
    # final staged campaign (seed 2), shrunk in graph and in jax mode
    assert_agrees("""\
def f(arr, iarr):
    acc = arr * 1.0
    for i, v in enumerate(iarr):
        acc[1] = 0
    return acc
""", [(np.array([-3.0, 1.5]), np.array([-8, 2]))], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_item_assignment_in_a_functional_continuation(mode):
    # final staged campaign (seed 2): graph 9 programs, jax 1
    assert_agrees("""\
def f(arr):
    acc = arr * 1.0
    for i, v in enumerate((5,)):
        if (arr > 1).any():
            return 0
        acc[0] = 3
    return acc
""", [(np.array([1.5, 0.0, -2.25]),), (np.array([0.5, 0.0]),)], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_append_after_a_staged_continue(mode):
    # Staged, `out` grows in one branch of the `if` only: a StagingError naming 'out' (as
    # TensorFlow refuses it), no longer a tensor leaking out of the branch.
    # final staged campaigns: seed 2, 2 programs (graph); seed 3, 1 program (jax); seed 4,
    # 1 program (graph, "it lives inside the true branch": an append in a staged if whose
    # else branch returns)
    assert_agrees("""\
def f(a, c):
    out = []
    for i in [1, 2]:
        if 10 > a:
            continue
        out.append(c - 0)
    return out
""", [(-3, -1), (20, 1)], modes=(mode,))


def test_ternary_with_a_chained_comparison_in_a_branch():
    # final staged campaign, seed 3 (open bugs left out), program 1750
    assert_agrees("""\
def f(c, a):
    d = 1.5 if c > 0 else 2 <= a[0] != 0
    return d
""", [(1, np.array([3.0])), (-1, np.array([3.0]))], modes=("graph",))


def test_item_assignment_in_while_else():
    # campaign seed 2, program 32
    assert_agrees("""\
def f(b, arr):
    acc = arr * 0.5
    while b and 0:
        pass
    else:
        acc[0] = 0.5
    return acc
""", [(2, np.array([-0.0, 0.0, 0.5]))], modes=("graph",))


@pytest.mark.parametrize("stmt", ["if", "while"])
def test_call_in_a_test_is_converted(stmt):
    # campaign seed 2, program 34 (shrunk: `while g0(0, b): pass` with a ternary in g0)
    assert_agrees(f"""\
def g(q):
    p = 0 if q > 0 else 1
    return None

def f(b):
    n = 0
    {stmt} g(b):
        n = 1
        {'break' if stmt == 'while' else 'pass'}
    return n
""", [(-1,), (3,)], modes=("graph",))


def test_staged_while_with_append_and_return():
    # campaign seed 11, program 43; seed 2, programs 9 and 87
    assert_agrees("""\
def f(b):
    out = []
    while b:
        out.append(0)
        return out
    return out
""", [(-8,), (0,)], modes=("graph",))


@needs_jax
@pytest.mark.xfail(strict=True, reason="reported: a list returned from jax.jit leaves it as a "
                   "JaxList buffer, not a list (its length may be traced; a pytree unflatten that "
                   "gave a list breaks jit's cached output structure). Inside the function, "
                   "list(out) gives a list when the length is static")
def test_jax_list_appended_in_a_staged_loop():
    # campaign seed 7, program 7; seed 2, program 57
    assert_agrees("""\
def f(a, arr):
    out = [a]
    for v in arr:
        if a == 7:
            out.append(a)
    return out
""", [(3, np.array([0.5, 3.0]))], modes=("jax",))


@needs_jax
@pytest.mark.parametrize("body", [
    # final staged campaign (seed 2): ValueError 'Triggering __jax_array__() ...'
    "for v in iarr:\n        out.append(5)\n    for i in range(c):\n        return out\n"
    "    return out",
    # TypeError: scan body carry input and output differ
    "for i in xs:\n        for v in arr:\n            out.append(0)\n    return out",
    # AttributeError (graph: the last append is lost, test_append_after_a_staged_loop)
    "for i, v in enumerate(arr):\n        out.append(0)\n    out.append(0)\n    return out",
])
def test_jax_lists_across_staged_loops(body):
    # `list(out)`: a list leaves jax.jit as a JaxList (test_jax_list_appended_in_a_staged_loop)
    body = body.replace("return out", "return list(out)")
    assert_agrees(f"def f(c, xs, arr, iarr):\n    out = []\n    {body}\n",
                  [(-3, [-1, 0], np.array([-2.25, 9.0]), np.array([-1, 7]))], modes=("jax",))


# Lists after a staged loop (found while fixing the above): the loop leaves the backend's
# immutable list, and the fast form's native statements must keep what its methods return.
LIST_AFTER_LOOP = """\
def f(n, arr):
    out = [n * 1.0]
    for v in arr:
        {append}
{tail}
"""


@pytest.mark.parametrize("append", ["out.append(v)", "if v > 1:\n            out.append(v)"])
@pytest.mark.parametrize("tail", [
    # graph: a native pop gave the TensorList's (list, value) pair; jax: AttributeError
    "    x = out.pop()\n    return out, x",
    "    out.pop()\n    out.pop(-1)\n    return out",
    # jax: an append to the full buffer wrote over its last element
    "    out.append(9.0)\n    out.append(n * 2.0)\n    return out",
    # appends in a Python loop after the staged one (jax: staged, growing the buffer)
    "    for k in range(2):\n        out.append(k * 1.5)\n    return out",
    "    for w in arr:\n        out.append(w)\n    return out[-1], out",
])
@pytest.mark.parametrize("mode", ["python", "graph", pytest.param("jax", marks=needs_jax)])
def test_list_methods_after_a_staged_loop(append, tail, mode):
    if mode == "jax":
        if "if" in append:
            pytest.skip("a traced length: jax cannot return the list (padded() gives it)")
        # a list leaves jax.jit as a JaxList (test_jax_list_appended_in_a_staged_loop)
        tail = tail.replace("return out", "return list(out)").replace(", out", ", list(out)")
    assert_agrees(LIST_AFTER_LOOP.format(append=append, tail=tail),
                  [(3, np.array([0.5, 3.0, 2.0])), (1, np.array([2.5]))], modes=(mode,))


def test_append_to_an_aliased_or_foreign_object_keeps_python_semantics():
    # The fast form keeps `x.append(v)` native: an object whose append returns something
    # else than None is not rebound, and an alias sees the append.
    assert_agrees("""\
class Box:
    def __init__(self):
        self.items = []

    def append(self, v):
        self.items.append(v)
        return len(self.items)


def f(n):
    b = Box()
    out = []
    alias = out
    for i in range(n):
        b.append(i)
        out.append(i)
    return b.items, alias, out
""", [(3,), (0,)], modes=("python",))


@needs_jax
@pytest.mark.parametrize("expr, args", [("0 - (z or 0)", (-8,)), ("z and -1", (-1,)),
                                        ("(z and 3) + 1", (2,)), ("-(z or 0)", (1,)),
                                        ("z and 0", (0,))])
def test_jax_int_and_or_values(expr, args):
    """Fixed (runtime/logical.py: a numeric traced left operand gives a select of the
    operands, `where(z != 0, -1, z)` for `z and -1`, not a logical_and). Found with the staged
    jax configuration, programs 9102 and 9208 of a triage run."""
    assert_agrees(f"""\
def f(z):
    y = {expr}
    return y
""", [args], modes=("jax",))


def test_int_and_or_values_in_graph_mode():
    """The same programs in graph mode: right."""
    for expr, args in [("0 - (z or 0)", (-8,)), ("(z and 3) + 1", (2,)), ("z or 5", (0,))]:
        assert_agrees(f"def f(z):\n    y = {expr}\n    return y\n", [args], modes=("graph",))


NEVER_TRACED_RETURN = """\
def f(a):
    n = 0
    {loop}
        n += 1
        m = 0
        while m < 0 and n < a:
            m += 1
            if n > 10:
                return (n, n)
    else:
        return (n, 0)
    return (n, 1)
"""


@pytest.mark.parametrize("mode", ["python", "graph", pytest.param("jax", marks=needs_jax)])
@pytest.mark.parametrize("loop", ["while n < a:", "for i in range(a):"])
def test_return_never_traced_then_a_staged_loop_else(mode, loop):
    """Fixed (runtime/control_flow.py, converters/return_statements.py). The inner loop never
    runs, so its `return` is never traced: after the staged outer loop the return value is
    still undefined while the break/return flags are tensors, and the `else:` clause (a
    `return`) is a staged `if` returning in one branch only. The function returns on every
    path, so the other branch's value is a placeholder that is never read (TensorFlow does the
    same); it was a StagingError naming 'ag__retval'. Found by the staged fuzzer (graph and
    jax). The oracle accepts a StagingError naming a variable, so `harness.check` (which
    does not, on a stageable case) runs it."""
    from tests.differential import harness
    from tests.differential.program_gen import Program

    inputs = [(3,), (0,), (12,)]
    fn = Program(NEVER_TRACED_RETURN.format(loop=loop), "f", (), inputs).load()
    for args in inputs:
        harness.check(fn, args, mode=mode)


# ------------------------------------------------------------------------------------------
# Python mode
# ------------------------------------------------------------------------------------------


def test_exception_location_in_item_assignment():
    """Fixed (converters/item_assignment.py: the hoisted value gets the statement's origin).
    Found by the location check of the Python-mode oracle: 64 of 25,000 programs; the
    traceback showed the def line or the enclosing statement."""
    assert_agrees("""\
def f(arr, n):
    acc = arr * 0.5
    x = 1
    acc[0] = float(x // (n - 1))
    acc[-1] += x // n
    return acc
""", [(ARR, 0), (ARR, 1), (ARR, 2)], modes=("python",))


# ------------------------------------------------------------------------------------------
# Staging limitations the first graph campaigns hit at once (the staged generator
# configuration leaves them out, see tests/fuzz/gen.py; reported), and one fixed since
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("expr", ["max(a, b)", "min(a, 3)", "float(a)", "len(arr)"])
def test_builtins_on_tensors(expr):
    assert_agrees(f"""\
def f(a, b, arr):
    return {expr}
""", [(1, 2, ARR)], modes=("graph",))


def test_int_and_bool_operands_in_a_condition():
    """Fixed since the first graph campaign (57 of 200 programs failed with an error naming
    '<and>'): only the truth value of a condition is staged."""
    assert_agrees("""\
def f(z, b):
    if z and b > 5:
        return 1
    return 0
""", [(3, 7), (0, 7), (3, 1)], modes=("graph",))


def test_ternary_with_equal_branches_in_an_if_test():
    # staged campaign, seed 4 (open bugs left out)
    assert_agrees("""\
def f(arr):
    n = 0
    if 0 < (0 if arr.sum() >= 0 else 0):
        n = 1
    return n
""", [(np.array([1.0]),), (np.array([-1.0]),)], modes=("graph",))


def test_int_and_bool_operands_as_a_value():
    # staged campaign (int conditions on), program 5062
    assert_agrees("""\
def f(r):
    v = r and True
    return 0
""", [(2,)], modes=("graph",))


def test_truthy_int_tensor_condition():
    """An int tensor alone as a condition stages fine."""
    assert_agrees("""\
def f(z):
    n = 0
    if z:
        n = 1
    while z > 0:
        z -= 1
        n += 2
    return n
""", [(3,), (0,)], modes=("graph",))


# ------------------------------------------------------------------------------------------
# Campaigns after the fixes of the fuzz/hostile bugs (seeds 11 to 16)
# ------------------------------------------------------------------------------------------


def test_return_of_a_list_appended_in_a_nested_staged_loop():
    """Campaign seed 12, program 1296 (jax; shrunk): the return value of a staged outer loop
    holds a list that an inner loop appends to. Its placeholder was made while the outer body
    was probed for its appends, so it was a counting list, and the outer loop then took itself
    for an inner one being probed: `TypeError: unsupported operand type(s) for +: 'NoneType'
    and 'int'` (runtime/backends/jax_backend.py `zeros_like`). Here the function returns None
    when `arr` is empty, which a staged loop cannot choose (a StagingError naming the return
    value, the same in graph mode)."""
    assert_agrees("""\
def f(arr):
    out = []
    for i0 in arr:
        for i3 in arr:
            out.append(0)
        return (out,)
""", [(np.array([-2.25]),), (np.array([1.0, 2.0]),)], modes=("graph", "jax"))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_return_of_a_list_appended_in_a_nested_staged_loop_on_every_path(mode):
    """The same with a value on every path: graph mode gives the values; jax refuses it with a
    StagingError naming the return value (its placeholder is made while the outer body is
    probed for its appends, before the list's room is known: reported, docs/fuzzing.md), no
    longer the TypeError."""
    assert_agrees("""\
def f(arr):
    out = []
    for i0 in arr:
        for i3 in arr:
            out.append(i3 * 2.0)
        return out
    return out
""", [(np.array([-2.25, 1.0]),)], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_return_from_a_second_inner_loop_after_an_appending_one(mode):
    """Campaign seed 17 (jax; shrunk): a scan carry TypeError while the fix above was half
    done; a StagingError naming the return value, as in graph mode (it is None when `iarr` is
    empty)."""
    assert_agrees("""\
def f(arr, iarr):
    out = []
    for i1 in iarr:
        for i2 in iarr:
            out.append(0)
        for i4, i3 in enumerate(arr):
            return (out,)
""", [(np.array([-8.0, 3.0]), np.array([-16, -3]))], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_return_in_a_staged_while_before_an_inner_appending_loop(mode):
    """Campaign seed 18, program 4877 (jax; shrunk): a `while` on a traced flag that returns
    the list before the inner loop appends to it. A StagingError naming the return value (the
    while loop's trip count is traced), not a while_loop carry TypeError."""
    assert_agrees("""\
def f(arr, flag):
    out = []
    for i0 in arr:
        while flag:
            return (out,)
        for i4, i3 in enumerate(arr):
            out.append(0)
""", [(np.array([0.5, 3.0, -2.25]), False)], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_len_of_a_list_appended_in_a_staged_loop(mode):
    """Found while shrinking the case above: in graph mode `len(out)` of a list a staged loop
    appended to (a graph list whose length only the graph knows) was a TypeError "len() of a
    0-d tensor (dtype object ...)" that named nothing. It is the list's length tensor now
    (`Backend.list_length`, as TensorFlow's `len` of a TensorList); jax needs static lengths
    and names the list instead."""
    assert_agrees("""\
def f(arr, n):
    out = []
    i = 0
    while i < n:
        out.append(arr[0] * i)
        i += 1
    k = len(out) + 1
    if len(out) > 2:
        k += 10
    return k, len(out)
""", [(ARR, 4), (ARR, 1), (ARR, 0)], modes=(mode,))


def test_len_of_a_list_in_a_staged_continuation():
    assert_agrees("""\
def f(arr):
    out = []
    for i0 in arr:
        for i3 in arr:
            out.append(i3 * 2.0)
        return len(out)
    return 0
""", [(np.array([-2.25, 1.0]),), (np.array([], dtype=np.float64),)], modes=("graph",))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_structure_error_names_the_part_that_differs(mode):
    """Found with the case above: returning `(out,)` from a staged loop and `([1, 2],)` after
    it was refused as "the return value is a tuple of length 1 in the if branch and a tuple of
    length 1 in the else branch", two identical descriptions. The message names the part that
    differs (runtime/control_flow.py `_innermost_difference`)."""
    import jax

    import autograph
    from tests.differential.program_gen import Program

    source = """\
def f(arr):
    out = []
    for i0 in arr:
        for i3 in arr:
            out.append(0)
        return (out,)
    return ([1, 2],)
"""
    arr = np.array([-2.25, 1.0])
    fn = Program(source, "f", (), [(arr,)]).load()
    staged = autograph.function(fn) if mode == "graph" else jax.jit(autograph.to_graph(fn))
    with pytest.raises(autograph.StagingError,
                       match=r"the return value \(part \[0\]\) is a list of length 2 in the if "
                             r"branch and an? \w+ tensor in the else branch"):
        staged(arr)


@pytest.mark.parametrize("first, second", [("np.array([1.0, 2.0, 3.0])", "x * 2.0"),
                                           ("x * 2.0", "np.array([1.0, 2.0, 3.0])")])
def test_numpy_array_and_tensor_of_other_shapes_in_a_staged_if(first, second):
    """Found while shrinking the cases above (a staged loop returning `np.stack(out)` of a
    list that grows): graph mode raised "autograph engine: variable 'y' has shape (3,) in the
    true branch but (2,) in the false branch", a ValueError without the user's line; jax
    raises the StagingError. The oracle accepts only a StagingError."""
    assert_agrees("""\
import numpy as np


def f(x, c):
    if c > 0:
        y = FIRST
    else:
        y = SECOND
    return y
""".replace("FIRST", first).replace("SECOND", second), [(ARR, 1)], modes=("graph",))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_item_assignment_out_of_bounds(mode):
    """Found by hand next to the campaign's item assignments (the generator only writes
    `acc[0]` and `acc[-1]`): on jax `acc[1] = v` on an array of one element was silently dropped
    (`.at[1].set`), where numpy raises IndexError; it raises numpy's IndexError now
    (runtime/backends/jax_backend.py `_check_static_index`). Both branches of the staged `if`
    are traced, so, as in graph mode, an index out of bounds raises even in the branch not
    taken (here both branches write `acc[1]`)."""
    assert_agrees("""\
def f(arr):
    acc = arr * 1.0
    for v in arr:
        acc[0] += v
        if acc[0] > 2:
            acc[1] = 0.0
            break
    else:
        acc[1] = 7.0
    return acc
""", [(np.array([-1.0]),), (np.array([1.0, 3.0]),), (np.array([1.0, -3.0]),)], modes=(mode,))


@pytest.mark.parametrize("mode", ["python", "graph", pytest.param("jax", marks=needs_jax)])
def test_tensor_assigned_into_a_numpy_array_item(mode):
    """Found by hand next to the campaign's item assignments (the generator assigns into
    `acc = arr * 0.5`, a tensor in graph mode, never into a numpy array made in the function):
    in graph mode `acc[i] = t` with `acc = np.zeros(3)` raised numpy's "ValueError: setting an
    array element with a sequence" (numpy takes the graph tensor for a sequence), which the
    fast form's `except TypeError` did not catch (converters/item_assignment.py,
    `ag__.setitem_after_value_error`). A ValueError of the user's own stays one."""
    assert_agrees("""\
import numpy as np


def f(arr, n):
    acc = np.zeros(3)
    for i in range(3):
        acc[i] = arr.sum() * i
        acc[0] += arr[0]
        if i == n:
            acc[i] = -1.0
    return acc
""", [(ARR, 1), (ARR, 7)], modes=(mode,))
    assert_agrees("""\
import numpy as np


def f(arr):
    acc = np.zeros(3)
    acc[0] = arr[0]
    acc[0:2] = np.ones(3)
    return acc
""", [(ARR,)], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_return_of_a_list_from_an_inner_staged_loop(mode):
    """Campaign seed 17, program 311 (jax; shrunk): the same TypeError as seed 12's program
    1296, from the inner loop: probed by the outer loop for its appends, it met a list that the
    outer loop does not count (the placeholder of the return value set in the inner loop) and
    read its count, None. Such a list is now prepared as the inner loop would
    (`_after_probed_loop`). The function returns None when `arr` is empty: a StagingError
    naming the return value (never `ag__retval`)."""
    assert_agrees("""\
def f(arr):
    out = []
    for i1, i0 in enumerate(arr):
        out.append(0)
        for i2 in arr:
            if 1:
                return (out,)
            else:
                out.append(0)
""", [(np.array([3.0, -2.25, -2.0]),)], modes=(mode,))


@pytest.mark.parametrize("mode", ["graph", pytest.param("jax", marks=needs_jax)])
def test_list_made_in_a_staged_loop_body_and_appended_in_an_inner_loop(mode):
    """Found while shrinking the case above: a list made in the outer body (`tmp = []`) and
    appended to by the inner loop crashed jax the same way (`NoneType + int`); a legitimate
    program, it runs now."""
    assert_agrees("""\
def f(arr):
    out = []
    total = 0.0
    for v in arr:
        tmp = []
        for w in arr:
            tmp.append(w * v)
            out.append(w + 1.0)
        total += tmp[0] + tmp[-1] + len(tmp)
    return total, out[-1]
""", [(np.array([-2.25, 1.0]),), (np.array([0.5, 1.0, 2.0]),)], modes=(mode,))


def test_unbound_read_after_a_while_marker_is_shown_at_its_line():
    """Campaign seed 20, program 5629 (Python mode): from the function's ninth call on, an
    UnboundLocalError raised by the first statement of a `while` body was shown at the `while`
    line. CPython 3.11 quickens the loop marker `ag__ran = True` and the user's read of `v1`
    into one superinstruction and reports the read's error at the marker's line; the traceback
    rewriting moves it back to the read (autograph/errors.py `_unbound_read_line`). The oracle
    calls the converted function once per input set, so the inputs repeat."""
    assert_agrees("""\
def f(d, flag):
    if 0 != 10:
        for i3 in range(2, 7):
            pass
    else:
        v1 = d
    while flag:
        v4 = v1
    return d
""", [(1.0, True), (2.0, False)] * 10, modes=("python",))
