"""The conversion pipeline: from a user's function to its fast form, in one flat list of passes.

Set AUTOGRAPH_DEBUG_PASSES=1 (or `pipeline.DEBUG = True`) to print the source after every pass.

The functional form, used when a statement stages, is produced by autograph/functional.py.
"""

from __future__ import annotations

import os
import sys

import gast

from autograph.converters import (
    asserts,
    builtin_calls,
    call_lookup,
    conditional_expressions,
    item_assignment,
    list_appends,
    lists,
    logical_expressions,
    match_statements,
    native_control_flow,
    prints,
    unsupported_features,
)
from autograph.pyct import activity, anno, cfg, liveness, origin_info, unparser
from autograph.runtime.py_builtins import OVERLOADS

DEBUG = bool(os.environ.get("AUTOGRAPH_DEBUG_PASSES"))

_UNSUPPORTED = {gast.Yield, gast.YieldFrom, gast.Await, gast.AsyncFor, gast.AsyncWith,
                gast.AsyncFunctionDef}
# `not`, `and`/`or`, and chained comparisons (a Compare is checked by the pass itself).
# What logical_expressions rewrites: `and`/`or`, `not`, and chained comparisons (a single
# comparison, the common case, needs nothing; _scan notes chains as _CHAINED).
_CHAINED = "chained comparison"
_LOGICAL = {gast.BoolOp, gast.Not, _CHAINED}


def _debug(name, node):
    if DEBUG:
        source, _ = unparser.unparse(node)
        print(f"# --- after {name} ---\n{source}", file=sys.stderr)


def _analyze(node):
    """The analyses native_control_flow reads: activity for modified names, liveness for the
    names each handler must write back."""
    activity.resolve(node)  # also resolves qualified names
    graphs = cfg.build(node)
    liveness.resolve(node, graphs)


def _mark_headers(units):
    # if/while tests stay native Python: their handlers stage them when they meet a tensor.
    # Marking them keeps logical_expressions from rewriting `a and b` there into thunks.
    for unit in units:
        for header in unit.header_nodes:
            if isinstance(header, (gast.If, gast.While)):
                anno.setanno(header.test, anno.Basic.SKIP_PROCESSING, True)


def _scan(node):
    """The node types in the tree, the names called directly (`len(...)`) and the attribute
    names (`.append`), in one walk: a pass with nothing to do is skipped."""
    types, called, attrs = set(), set(), set()
    for n in gast.walk(node):
        t = type(n)
        types.add(t)
        if t is gast.Call:
            if type(n.func) is gast.Name:
                called.add(n.func.id)
        elif t is gast.Attribute:
            attrs.add(n.attr)
        elif t is gast.Compare and len(n.ops) > 1:
            types.add(_CHAINED)
    return types, called, attrs


def convert_fast(node, source, ctx):
    """Converts the parsed function `node` (gast) into its fast form; returns (node, units).

    The order of the passes, and why:
    """
    origin_info.resolve(node, source, ctx.info)
    present, called, attrs = _scan(node)
    # 1. Refuse generators, async code etc. up front, with the user's file:line:col.
    if present & _UNSUPPORTED:
        node = unsupported_features.transform(node, ctx)
    # 2. Analyses run once, on the user's own code, before any pass changes statements:
    #    native_control_flow needs the activity and liveness of the user's statements.
    _analyze(node)
    function_scope = anno.getanno(node, anno.Static.SCOPE)
    local_names = {str(qn) for qn in (function_scope.modified | function_scope.bound)
                   if not qn.is_composite()} | set(ctx.free_names)
    # 3. Control flow first: it only wraps compound statements and reads the annotations
    #    of the user's statements, which later passes may replace.
    node, units = native_control_flow.transform(node, ctx)
    _debug("native_control_flow", node)
    _mark_headers(units)
    # 4. `and`/`or`/`not` and ternaries outside if/while headers become lazy operators.
    #    Before call_lookup, so the thunks' calls are wrapped too.
    if present & _LOGICAL:
        node = logical_expressions.transform(node, ctx)
        _debug("logical_expressions", node)
    if gast.IfExp in present:
        node = conditional_expressions.transform(node, ctx)
        _debug("conditional_expressions", node)
    # A `match` on a tensor cannot be staged: its handler says so, naming the subject.
    if gast.Match in present:
        node = match_statements.transform(node, ctx)
    # 5. Asserts become ag__.assert_stmt (a tensor condition becomes a run-time check).
    if gast.Assert in present:
        node = asserts.transform(node, ctx)
    # 6. print goes through the runtime only when asked (runtime_print).
    if ctx.options.runtime_print:
        node = prints.transform(node, ctx)
    # 7. `len`/`min`/`max`/`float`/... become their overloads (a tensor's answer where the
    #    builtin would ask a tensor for a Python value); calls go through ag__.cv unless they
    #    resolve to something never converted (call_lookup leaves the `ag__` overloads alone),
    #    after the passes that add runtime calls, which call_lookup leaves alone too.
    if called & OVERLOADS.keys():
        node = builtin_calls.transform(node, ctx)
    if ctx.options.recursive and gast.Call in present:
        node = call_lookup.transform(node, ctx, local_names)
        _debug("call_lookup", node)
    # 8. `x.append(v)` statements keep the list a backend's `append` returns (a list grown
    #    in a staged loop is immutable after it); after call_lookup, which leaves them plain.
    if "append" in attrs:
        node = list_appends.transform(node, ctx)
        _debug("list_appends", node)
    if "pop" in attrs:
        node = lists.transform(node, ctx, appends=False)  # pops through ag__.list_pop
        _debug("lists (pops)", node)
    # 9. Item assignments get their functional fallback last: it copies its target and
    #    value expressions, which must already be in their final form.
    if gast.Subscript in present:
        node = item_assignment.transform(node, ctx)
        _debug("item_assignment", node)
    return node, units
