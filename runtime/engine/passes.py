"""Graph passes run before compilation: constant folding, common-subexpression elimination
and pruning to the fetches.

They never change the graph: they produce a :class:`Plan` (a replacement map, folded values and
the set of live ops) that the executor's code generator follows. Ops with effects (Variable
writes, print, assert, and control flow containing them) are never folded, merged or dropped,
and everything is emitted in program order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Plan", "optimize", "FOLD_LIMIT"]

FOLD_LIMIT = 1 << 16  # fold only results with at most this many elements


class Plan:
    __slots__ = ("rep", "const", "live", "stats")

    def __init__(self):
        self.rep: dict = {}     # id(tensor) -> canonical tensor (CSE)
        self.const: dict = {}   # id(tensor) -> folded value
        self.live: set = set()  # id(op) of ops to emit
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
