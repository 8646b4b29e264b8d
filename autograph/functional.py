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
    call_trees,
    conditional_expressions,
    continue_statements,
    control_flow,
    lists,
    logical_expressions,
    prints,
    return_statements,
    slices,
)

DEBUG_PASSES = False  # or AUTOGRAPH_DEBUG_PASSES=1 in the environment

# The passes, in order. Each converter re-runs the analyses it needs on the tree it gets.
PASSES = (
    # Statement-level rewrites that need no analysis. First, so that every later pass sees
    # plain calls and assignments: the control flow pass then carries lists and arrays that
    # `append`/`pop`/`a[i] = v` update as loop state, since they are now rebound.
    asserts,  # `assert` -> ag__.assert_stmt: its test is an expression later passes convert
    lists,  # x.append(v) -> x = ag__.list_append(x, v); x.pop() -> hoisted ag__.list_pop
    slices,  # a[i] = v -> a = ag__.setitem(a, i, v)
    # Jumps, outermost first, before control flow: the body functions of control flow cannot
    # hold a `return`/`break`/`continue` that leaves them.
    return_statements,  # first: a return inside a loop becomes flags plus a `break`
    break_statements,  # before continue: neither emits the other, but the loop tests it adds
    continue_statements,  # are what control flow turns into loop_test / extra_test
    # Calls before control flow, so that only the user's calls are wrapped, not the calls of
    # the body functions; print first, so that it becomes ag__.print_ rather than a call.
    prints,
    call_trees,
    # Needs activity, reaching definitions and liveness of the tree as the jump passes left it.
    control_flow,
    # Expressions last: conditions have become thunks (loop_test, extra_test) and state is
    # decided, so the lambdas these passes add change no analysis.
    conditional_expressions,
    logical_expressions,  # after ternaries: `a if b and c else d` converts its test too
)


def lower_function(node: gast.FunctionDef, ctx) -> gast.FunctionDef:
    """Returns `node` (modified in place) in functional form."""
    debug = DEBUG_PASSES or os.environ.get('AUTOGRAPH_DEBUG_PASSES', '') not in ('', '0')
    if debug:
        _show('input', node)
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
