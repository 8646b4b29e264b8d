"""Graph passes run before compilation: constant folding, common-subexpression elimination
and pruning to the fetches.

They never change the graph: they produce a :class:`Plan` (a replacement map, folded values and
the set of live ops) that the executor's code generator follows. Ops with effects (Variable
writes, print, assert, and control flow containing them) are never folded, merged or dropped,
and everything is emitted in program order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Plan", "optimize", "FOLD_LIMIT", "LOWERING", "SCALAR_LOOPS"]

FOLD_LIMIT = 1 << 16  # fold only results with at most this many elements

# The cheaper lowerings of loops and flags (a Python int loop counter, `for` over an array,
# loop variables assigned in place, a lowered `continue`/`break` flag read as its predicate,
# Python's `not` for a tested 0-d bool). They give exactly the values the plain lowering
# gives; the tests compare both (set this to False to get the plain lowering).
LOWERING = True

# With LOWERING: a `for` over the elements of 1-D int64/float64/bool arrays whose body computes
# only 0-d values of those dtypes runs on Python numbers (scalar_loops.py), with numpy's exact
# results (checked, or the loop reruns as numpy code). False: always numpy scalars.
SCALAR_LOOPS = True


class Plan:
    __slots__ = ("rep", "const", "live", "needed", "stats")

    def __init__(self):
        self.rep: dict = {}     # id(tensor) -> canonical tensor (CSE)
        self.const: dict = {}   # id(tensor) -> folded value
        self.live: set = set()  # id(op) of ops to emit
        self.needed: set = set()  # id(canonical tensor) of every value some live op reads
        self.stats = {"folded": 0, "merged": 0}

    def canon(self, t):
        r = self.rep.get(id(t))
        return t if r is None else r

    def is_const(self, t) -> bool:
        return id(self.canon(t)) in self.const

    def const_value(self, t):
        return self.const[id(self.canon(t))]


def optimize(graph, fetch_tensors, fold: bool = True, cse: bool = True) -> Plan:
    plan = Plan()
    _forward(graph, plan, fold, cse)
    needed = set()
    for t in fetch_tensors:
        c = plan.canon(t)
        if id(c) not in plan.const:
            needed.add(id(c))
    mark(graph, plan, needed)
    plan.needed = needed
    return plan


def _small_known(op) -> bool:
    for o in op.outputs:
        shape = o.shape
        if shape is None or any(d is None for d in shape):
            return False
        n = 1
        for d in shape:
            n *= d
        if n > FOLD_LIMIT:
            return False
    return True


def _normalize(v):
    if type(v) is np.ndarray:
        if v.ndim == 0:
            return v[()]
        if v.flags.writeable:
            v = v.copy()
            v.flags.writeable = False
    return v


def _matches(v, t) -> bool:
    if getattr(t, "_is_tensor_list", False):
        return v is None or type(v) is tuple
    if not isinstance(v, (np.ndarray, np.generic)):
        return False
    return v.dtype == t.dtype and (t.shape is None or np.shape(v) == tuple(t.shape))


def _in_key(t, plan):
    v = plan.const.get(id(t), _MISSING)
    if v is not _MISSING and isinstance(v, (np.ndarray, np.generic)) and np.size(v) <= 1024:
        return ("c", v.dtype.str, np.shape(v), np.asarray(v).tobytes())
    return ("t", id(t))


_MISSING = object()


def _forward(graph, plan: Plan, fold: bool, cse: bool) -> None:
    table: dict = {}
    const = plan.const
    for op in graph._ops:
        kind = op.kind
        if kind.control_flow:
            for sub in kind.subgraphs(op):
                _forward(sub, plan, fold, cse)
            if op.type == "Cond" and LOWERING:
                _cond_flags(op, plan)
            continue
        if op.stateful or not kind.pure:
            continue
        ins = [plan.canon(t) for t in op.inputs]
        if op.type == "Const":
            const[id(op.outputs[0])] = op.attrs["value"]
            continue
        if fold and all(id(t) in const for t in ins) and _small_known(op):
            try:
                with np.errstate(all="ignore"):
                    vals = kind.evaluate(op, [const[id(t)] for t in ins])
            except Exception:
                vals = None
            if vals is not None and len(vals) == len(op.outputs):
                vals = [_normalize(v) for v in vals]
                if all(_matches(v, o) for v, o in zip(vals, op.outputs, strict=False)):
                    for o, v in zip(op.outputs, vals, strict=False):
                        const[id(o)] = v
                    plan.stats["folded"] += 1
                    continue
        if not cse:
            continue
        key = kind.cse_key(op, [_in_key(t, plan) for t in ins])
        if key is None:
            continue
        try:
            prev = table.get(key)
        except TypeError:
            continue
        if prev is None:
            table[key] = op
        else:
            for o, p in zip(op.outputs, prev.outputs, strict=False):
                plan.rep[id(o)] = p
            plan.stats["merged"] += 1


def _cond_flags(op, plan: Plan) -> None:
    """A Cond output that is the constant True in the true branch and False in the other (the
    flag of a lowered `continue`/`break`) is the predicate itself when that is a 0-d bool: read
    the predicate instead, so that the Cond is dropped when nothing else needs it."""
    pred = plan.canon(op.inputs[0])
    if pred.dtype != np.bool_ or pred.shape != ():
        return
    t_br, f_br = op.attrs["branches"]
    const = plan.const
    for k, out in enumerate(op.outputs):
        if out.dtype != np.bool_ or out.shape != ():
            continue
        a = const.get(id(plan.canon(t_br.outputs[k])), _MISSING)
        b = const.get(id(plan.canon(f_br.outputs[k])), _MISSING)
        if type(a) is np.bool_ and type(b) is np.bool_ and a and not b:
            plan.rep[id(out)] = pred
            plan.stats["merged"] += 1


def use_counts(graph, plan: Plan, fetch_tensors) -> tuple:
    """How often each live value is read: ``(uses, tests)``, both keyed by the id of the
    canonical tensor. ``uses`` counts every read (op inputs, sub-graph outputs, fetches);
    ``tests[id]`` lists the graphs in which the value is read only as the truth value of an
    ``if`` (a Cond's predicate, a loop's condition)."""
    uses: dict = {}
    tests: dict = {}

    def read(t):
        k = id(plan.canon(t))
        uses[k] = uses.get(k, 0) + 1

    def walk(g):
        live = plan.live
        for op in g._ops:
            if id(op) not in live:
                continue
            for t in op.inputs:
                read(t)
            kind = op.kind
            if not kind.control_flow:
                continue
            if op.type == "Cond":
                tests.setdefault(id(plan.canon(op.inputs[0])), []).append(g)
            elif op.type == "While":
                tests.setdefault(id(plan.canon(op.attrs["cond_graph"].outputs[0])),
                                 []).append(op.attrs["cond_graph"])
            for sub in kind.subgraphs(op):
                for t in sub.outputs:
                    read(t)
                walk(sub)

    walk(graph)
    for t in fetch_tensors:
        read(t)
    return uses, tests


def mark(graph, plan: Plan, needed: set) -> None:
    """Mark live ops, last to first; control-flow kinds mark their own sub-graphs."""
    const = plan.const
    for op in reversed(graph._ops):
        kind = op.kind
        if kind.control_flow:
            if op.stateful or any(id(o) in needed for o in op.outputs):
                plan.live.add(id(op))
                kind.mark(op, plan, needed)
            continue
        if not op.stateful and op.outputs and all(id(o) in const for o in op.outputs):
            continue
        if op.stateful or any(id(o) in needed for o in op.outputs):
            plan.live.add(id(op))
            for t in op.inputs:
                c = plan.canon(t)
                if id(c) not in const:
                    needed.add(id(c))


def need(plan: Plan, needed: set, t) -> None:
    c = plan.canon(t)
    if id(c) not in plan.const:
        needed.add(id(c))
