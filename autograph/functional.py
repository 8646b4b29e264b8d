"""The functional form: TensorFlow AutoGraph's protocol, produced when a statement stages.

`lower_function(node, ctx)` takes a gast.FunctionDef (a staged unit `ag__unit` built by
autograph/staging.py, or a whole user function for `to_code(f, mode='functional')`) and
returns it with every statement lowered: `if`/`while`/`for` become `ag__.if_stmt`/
`ag__.while_stmt`/`ag__.for_stmt` calls on body functions, `return`/`break`/`continue` become
flags, `and`/`or`/`not`/ternaries become lazy operator calls, calls go through
`ag__.converted_call`, and list and item updates through the list operators and `setitem`.

Set `AUTOGRAPH_DEBUG_PASSES=1` in the environment (or `functional.DEBUG_PASSES = True`) to
print the source after every pass.
"""

from __future__ import annotations

import ast
import os

import gast

from autograph.converters import (
    asserts,
    break_statements,
    builtin_calls,
    call_trees,
    conditional_expressions,
    continue_statements,
    control_flow,
    directives,
    lists,
    logical_expressions,
    prints,
    return_statements,
    slices,
    variables,
)

DEBUG_PASSES = False  # or AUTOGRAPH_DEBUG_PASSES=1 in the environment

# The passes, in order, each with the reason for its place. Each converter runs the analyses
# it needs (activity, CFG, reaching definitions, liveness) again on the tree it is given.
PASSES = (
    # `autograph.set_loop_options(...)` -> options annotated on its loop: first, so that no
    # later pass sees the call, and the loop nodes it annotates are the ones control_flow
    # lowers (passes change loops in place).
    directives,
    # `assert` -> ag__.assert_stmt: first, so that its test and message are plain expressions
    # that the call and logical passes below convert like any other.
    asserts,
    # x.append(v) -> x = ag__.list_append(x, v); x.pop() -> ag__.list_pop hoisted before its
    # statement. Before call_trees (which would wrap `x.append` as a user call) and before
    # control_flow: `x` is now rebound, so control flow carries it as loop or branch state.
    lists,
    # a[i] = v -> a = ag__.setitem(a, i, v): before control_flow, for the same reason.
    slices,
    # del x -> x = ag__.Undefined('x'): a deleted variable is state that body functions read.
    variables,
    # Jumps become flags before control_flow: a body function cannot `return`, `break` or
    # `continue` on behalf of the statement it came from. Returns first: inside a loop a
    # `return` becomes `retval = v; do_return = True; break`, and the break pass lowers that
    # `break` with the user's. Break and continue are independent of each other.
    return_statements,
    break_statements,
    continue_statements,
    # print -> ag__.print_ (with options.runtime_print) before call_trees, which leaves ag__
    # calls alone. Calls before control_flow: they are converted where the user wrote them,
    # and builtins such as `range` stay plain for control_flow to turn into ag__.range_.
    prints,
    # len/min/max/float/... -> their ag__ overloads, which call_trees leaves alone.
    builtin_calls,
    call_trees,
    # if/while/for -> operator calls on body functions; its analyses see the statements with
    # every jump already a flag (the flags are state like any other variable).
    control_flow,
    # Expressions last: conditions have become functions (loop_test, extra_test) and the
    # guards added for jumps (`not do_return`, `not break_ and test`) exist, so they are
    # converted too; and the lambdas these passes add come after every analysis. The two are
    # independent of each other.
    conditional_expressions,
    logical_expressions,
)


def lower_function(node: gast.FunctionDef, ctx) -> gast.FunctionDef:
    """Returns `node` (modified in place) in functional form."""
    debug = DEBUG_PASSES or os.environ.get('AUTOGRAPH_DEBUG_PASSES', '') not in ('', '0')
    if debug:
        _show('input', node)
    # Before control_flow moves if/while tests into operator calls, where they no longer
    # look like tests.
    logical_expressions.mark_truth_tests(node)
    for converter in PASSES:
        node = converter.transform(node, ctx)
        if debug:
            _show(converter.__name__.rsplit('.', 1)[-1], node)
    return node


def source(node) -> str:
    """The source of a gast tree (for debugging and tests)."""
    return ast.unparse(ast.fix_missing_locations(gast.gast_to_ast(node)))


def _show(name, node):
    print('# --- after %s ---' % name)
    print(source(node))
