"""Graph control flow: ``cond``, ``switch_case``, ``while_loop`` and the growable ``TensorList``.

Branches and loop bodies are traced into sub-graphs, which may use (capture) tensors of the
graphs around them. The executor turns them into ``if``/``elif``/``else`` and ``while`` in the
generated Python.
"""

from __future__ import annotations

import operator
import sys
from typing import Any, Callable, Optional, Sequence

import numpy as np

from . import nest
from . import passes as _passes
from . import scalar_loops as _scalar_loops
from . import shapes as _shapes
from .graph import SubGraph, get_default_graph
from .ops import OpKind
from .shapes import as_shape, shape_str
from .tensor import Tensor, _python_scalar_fits, add_op, constant, convert_to_tensor, graph_for

__all__ = ["cond", "switch_case", "while_loop", "TensorList"]

_PYNUM = (bool, int, float, complex)


def _Variable():
    from .variables import Variable

    return Variable


def _label(names, j: int) -> str:
    if names is not None and j < len(names) and names[j] is not None:
        return f"variable '{names[j]}'"
    return f"output {j}"


def _is_list(x) -> bool:
    return getattr(x, "_is_tensor_list", False)


def _to_value(x):
    """Variables become their graph value (a read op); everything else stays."""
    if isinstance(x, _Variable()):
        return x._graph_value()
    return x


# ---------------------------------------------------------------------------------------------
# output unification (branches) and loop-variable checks
# ---------------------------------------------------------------------------------------------
class _Static:
    """A leaf that is not a tensor (None, a string, ...): it must be the same everywhere."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _leaf_kind(v) -> str:
    if _is_list(v):
        return "list"
    if isinstance(v, Tensor):
        return "tensor"
    if type(v) in _PYNUM:
        return "py"
    if isinstance(v, (np.ndarray, np.generic)):
        return "np"
    return "static"


def _describe_leaf(v) -> str:
    k = _leaf_kind(v)
    if k == "list":
        return "a TensorList"
    if k == "tensor":
        return f"a tensor of dtype {v.dtype} and shape {shape_str(v.shape)}"
    if k == "py":
        return f"the Python {type(v).__name__} {v!r}"
    if k == "np":
        return f"a numpy value of dtype {np.asarray(v).dtype}"
    if v is None:
        return "None"
    return f"{type(v).__name__} {v!r}"


def _py_dtype(values) -> np.dtype:
    rank = {bool: 0, int: 1, float: 2, complex: 3}
    top = max(values, key=lambda v: rank[type(v)])
    return np.asarray(top).dtype


def _unify(leaves: list, what: str, labels: Sequence[str]):
    """The common (dtype, shape) of one output across branches, or a list-spec, or _Static."""
    kinds = [_leaf_kind(v) for v in leaves]
    if "static" in kinds:
        first = leaves[0]
        for v, lab in zip(leaves[1:], labels[1:], strict=False):
            same = v is first
            if not same and kinds[0] == "static" and _leaf_kind(v) == "static":
                try:
                    same = bool(v == first)
                except Exception:
                    same = False
            if not same:
                raise ValueError(
                    f"autograph engine: {what} is {_describe_leaf(first)} in the {labels[0]} but "
                    f"{_describe_leaf(v)} in the {lab}; give it a value of the same kind in "
                    "every branch")
        return _Static(first)
    if "list" in kinds:
        for v, k, lab in zip(leaves, kinds, labels, strict=False):
            if k != "list":
                i = kinds.index("list")
                raise TypeError(
                    f"autograph engine: {what} is a TensorList in the {labels[i]} but "
                    f"{_describe_leaf(v)} in the {lab}; give it the same kind of value in every "
                    "branch")
        spec = _ListSpec.of(leaves[0])
        for v, lab in zip(leaves[1:], labels[1:], strict=False):
            spec = spec.merge(_ListSpec.of(v), what, labels[0], lab)
        return spec
    strong = [(v, lab) for v, k, lab in zip(leaves, kinds, labels, strict=False) if k in ("tensor", "np")]
    if strong:
        dt = np.asarray(strong[0][0]).dtype if not isinstance(strong[0][0], Tensor) else \
            strong[0][0].dtype
        lab0 = strong[0][1]
        for v, lab in strong[1:]:
            vdt = v.dtype if isinstance(v, Tensor) else np.asarray(v).dtype
            if vdt != dt:
                raise TypeError(
                    f"autograph engine: {what} has dtype {dt} in the {lab0} but {vdt} in the "
                    f"{lab}; make both branches give it the same dtype (e.g. with .astype)")
        for v, k, lab in zip(leaves, kinds, labels, strict=False):
            if k == "py" and not _python_scalar_fits(v, dt):
                raise TypeError(
                    f"autograph engine: {what} has dtype {dt} in the {lab0} but is the Python "
                    f"{type(v).__name__} {v!r} in the {lab}; make both branches give it the same "
                    "dtype (e.g. with .astype)")
    else:
        dt = _py_dtype(leaves)
    shapes = [v.shape if isinstance(v, Tensor) else np.shape(v) for v in leaves]
    shape = shapes[0]
    for s, lab in zip(shapes[1:], labels[1:], strict=False):
        if not _shapes.compatible(shapes[0], s):
            raise ValueError(
                f"autograph engine: {what} has shape {shape_str(shapes[0])} in the {labels[0]} "
                f"but {shape_str(s)} in the {lab}; make both branches give it the same shape")
        shape = _shapes.generalize(shape, s)
    return (dt, shape)


def _materialize(v, spec, graph):
    """Turn a branch's leaf into a tensor of ``graph`` with the unified dtype."""
    with graph.as_default():
        if isinstance(v, Tensor):
            return v
        dt = spec[0]
        return constant(v, dtype=dt)


def _trace(graph: SubGraph, fn: Callable, args=()):
    with graph.as_default():
        r = fn(*args)
        # Variables returned by a branch are read where the branch ends.
        r = nest.map_structure(_to_value, r) if nest.is_nested(r) else _to_value(r)
    return r


def _pred_value(pred, what: str):
    pred = _to_value(pred) if isinstance(pred, _Variable()) and _in_graph() else pred
    if isinstance(pred, _Variable()):
        pred = pred.numpy()
    if isinstance(pred, Tensor):
        if _is_list(pred):
            raise TypeError(f"autograph engine: the {what} is a TensorList, not a scalar")
        if pred.shape is not None and pred.shape != ():
            raise ValueError(
                f"autograph engine: the {what} must be a scalar (0-d) tensor, but "
                f"'{pred.name}' has shape {shape_str(pred.shape)}; reduce it with np.any(...) "
                "or np.all(...)")
        if pred.dtype.kind not in "biuf":
            raise TypeError(f"autograph engine: the {what} must be a bool (or number), not "
                            f"{pred.dtype}")
    return pred


def _in_graph() -> bool:
    from .graph import in_graph_context

    return in_graph_context()


# ---------------------------------------------------------------------------------------------
# cond / switch_case
# ---------------------------------------------------------------------------------------------
class _BranchKind(OpKind):
    """``Cond`` (pred; branches [true, false]) and ``Case`` (index; branches 0..n-1)."""

    control_flow = True
    pure = False

    def __init__(self, name):
        self.name = name

    def subgraphs(self, op):
        return op.attrs["branches"]

    def _static_choice(self, op, plan) -> Optional[int]:
        sel = op.inputs[0]
        if not plan.is_const(sel):
            return None
        v = plan.const_value(sel)
        branches = op.attrs["branches"]
        if self.name == "Cond":
            return 0 if v else 1
        i = int(v)
        return i if 0 <= i < len(branches) else len(branches) - 1

    def mark(self, op, plan, needed):
        branches = op.attrs["branches"]
        choice = self._static_choice(op, plan)
        _passes.need(plan, needed, op.inputs[0])
        for i, sub in enumerate(branches):
            if choice is not None and i != choice:
                continue
            for t in sub.outputs:
                _passes.need(plan, needed, t)
            _passes.mark(sub, plan, needed)

    def emit(self, op, em):
        branches = op.attrs["branches"]
        names = em.out_names(op)
        choice = self._static_choice(op, em.plan)

        def body(sub):
            key = _coalesce_branch(sub, names, em) if em.lowering else None
            n = em.emit_graph(sub)
            if key is not None:
                em.preferred.pop(key, None)
            _assign(em, zip(names, (em.ref(t) for t in sub.outputs)), n == 0)

        if choice is not None:
            body(branches[choice])
            return
        sel = em.ref(op.inputs[0])
        if self.name == "Cond":
            n_if = len(em.lines)
            em.line(f"if {sel}:")
            with em.indent():
                body(branches[0])
            n0 = len(em.lines)
            if n0 == n_if + 2 and em.lines[-1].strip() == "pass":
                # nothing to do when it holds: `if not p:` and the other branch
                inlined = em.line_inlined[n_if]
                del em.lines[n_if:], em.line_ops[n_if:], em.line_inlined[n_if:]
                em._pending = inlined
                em.line(f"if not {sel}:")
                with em.indent():
                    body(branches[1])
                return
            em.line("else:")
            with em.indent():
                body(branches[1])
            if len(em.lines) == n0 + 2 and em.lines[-1].endswith(" pass"):
                # nothing to do otherwise
                del em.lines[n0:], em.line_ops[n0:], em.line_inlined[n0:]
            return
        for i, sub in enumerate(branches[:-1]):
            em.line(f"{'if' if i == 0 else 'elif'} {sel} == {i}:")
            with em.indent():
                body(sub)
        if len(branches) == 1:
            body(branches[0])
            return
        em.line("else:")
        with em.indent():
            body(branches[-1])

    def describe(self, op):
        return ""


def _coalesce_branch(sub, names, em):
    """When a branch ends with a numpy call giving one of its outputs, let the call assign
    that output's name (``s = s + x`` rather than ``add = s + x`` and ``s = add``): nothing in
    the branch runs after it, so only the branch's other outputs could still read the name's
    old value (checked). Returns the key set in ``em.preferred``, or None."""
    from .ops import CALL

    plan = em.plan
    live = [o for o in sub._ops if id(o) in plan.live and o.type != "LoopVar"]
    if not live or not names:
        return None
    last = live[-1]
    special = em.special.get(id(last))
    if last.kind is not CALL or len(last.outputs) != 1 or \
            (special is not None and not getattr(special, "assigns", False)):
        return None
    t = last.outputs[0]
    idx = [i for i, u in enumerate(sub.outputs) if plan.canon(u) is t]
    if len(idx) != 1 or id(t) in em.preferred:
        return None
    nm = names[idx[0]]
    for i, u in enumerate(sub.outputs):
        c = plan.canon(u)
        if i != idx[0] and (id(c) in plan.const or c.op.graph is not sub) and em.ref(c) == nm:
            return None
    em.preferred[id(t)] = nm
    return id(t)


COND = _BranchKind("Cond")
CASE = _BranchKind("Case")


def _build_branches(kind, type_, selector, fns, labels, names):
    outer = graph_for([selector])
    subs = [SubGraph(outer, lab) for lab in labels]
    results = [_trace(sub, fn) for sub, fn in zip(subs, fns, strict=False)]
    ref = results[0]
    for r, lab in zip(results[1:], labels[1:], strict=False):
        if not nest.same_structure(ref, r):
            raise ValueError(
                f"autograph engine: the {labels[0]} returns {nest.describe(ref)} but the {lab} "
                f"returns {nest.describe(r)}; every branch must return the same structure"
                + (f" (of {', '.join(repr(n) for n in names)})" if names else ""))
    flats = [nest.flatten(r) for r in results]
    n = len(flats[0])
    specs = []
    for j in range(n):
        specs.append(_unify([f[j] for f in flats], _label(names, j), labels))
    dyn = [j for j in range(n) if not isinstance(specs[j], _Static)]
    for sub, flat in zip(subs, flats, strict=False):
        outs = []
        for j in dyn:
            spec = specs[j]
            if isinstance(spec, _ListSpec):
                outs.append(flat[j])
            else:
                outs.append(_materialize(flat[j], spec, sub))
        sub.outputs = outs
        for t in outs:
            if t.op.graph is not sub:
                from .tensor import graph_for_check

                graph_for_check([t], sub)
    captures = {}
    for sub in subs:
        captures.update(sub.captures)
    inputs = [selector] + [t for t in captures.values() if t is not selector]
    out_specs = [specs[j].factory() if isinstance(specs[j], _ListSpec) else specs[j] for j in dyn]
    op = add_op(kind, type_, inputs, out_specs, attrs={"branches": subs},
                stateful=any(s._stateful for s in subs), graph=outer)
    for sub in subs:
        sub._frozen = True
        sub.owner = op
    leaves = []
    k = 0
    for j in range(n):
        if isinstance(specs[j], _Static):
            leaves.append(specs[j].value)
        else:
            leaves.append(op.outputs[k])
            k += 1
    return nest.pack_as(ref, leaves) if nest.is_nested(ref) else leaves[0]


def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any],
         names: Optional[Sequence[str]] = None) -> Any:
    """``true_fn() if pred else false_fn()``, staged into the graph when ``pred`` is a tensor.

    Both functions take no arguments and return the same nested structure of tensors or
    values; each output must have the same dtype and shape in both (a Python scalar takes the
    dtype of the other branch's tensor when it fits). Only the chosen branch runs. ``names``
    gives the user's variable name of each flattened output, for error messages.

    >>> import numpy as np
    >>> import autograph.runtime.engine as ag
    >>> g = ag.Graph()
    >>> with g.as_default():
    ...     x = ag.placeholder(np.int64, ())
    ...     y = ag.cond(x > 0, lambda: x * x, lambda: -x)
    >>> g.run(y, {x: 3}), g.run(y, {x: -2})
    (np.int64(9), np.int64(2))
    """
    pred = _pred_value(pred, "cond predicate")
    if not isinstance(pred, Tensor):
        return true_fn() if pred else false_fn()
    return _build_branches(COND, "Cond", pred, [true_fn, false_fn],
                           ["true branch", "false branch"], names)


def switch_case(index: Any, branch_fns: Sequence[Callable[[], Any]],
                names: Optional[Sequence[str]] = None) -> Any:
    """``branch_fns[index]()``, staged when ``index`` is an integer tensor (for ``elif``
    chains). An index out of range runs the last branch (the default). Outputs follow the
    rules of :func:`cond`."""
    branch_fns = list(branch_fns)
    if not branch_fns:
        raise ValueError("autograph engine: switch_case needs at least one branch")
    if isinstance(index, _Variable()):
        index = index._graph_value() if _in_graph() else index.numpy()
    if not isinstance(index, Tensor):
        i = operator.index(index)
        fn = branch_fns[i] if 0 <= i < len(branch_fns) else branch_fns[-1]
        return fn()
    if index.shape is not None and index.shape != ():
        raise ValueError(f"autograph engine: the switch_case index must be a scalar (0-d) tensor, "
                         f"but '{index.name}' has shape {shape_str(index.shape)}")
    if index.dtype.kind not in "iu":
        raise TypeError(f"autograph engine: the switch_case index must be an integer tensor, not "
                        f"{index.dtype}")
    return _build_branches(CASE, "Case", index, branch_fns,
                           [f"branch {i}" for i in range(len(branch_fns))], names)


# ---------------------------------------------------------------------------------------------
# while_loop
# ---------------------------------------------------------------------------------------------
class _LoopVarKind(OpKind):
    name = "LoopVar"
    pure = False

    def emit(self, op, em):  # pragma: no cover - bound by the loop
        raise AssertionError


LOOPVAR = _LoopVarKind()


class _WhileKind(OpKind):
    name = "While"
    control_flow = True
    pure = False

    def subgraphs(self, op):
        return [op.attrs["cond_graph"], op.attrs["body_graph"]]

    def mark(self, op, plan, needed):
        for t in op.inputs:
            _passes.need(plan, needed, t)
        cg, bg = op.attrs["cond_graph"], op.attrs["body_graph"]
        for t in bg.outputs:
            _passes.need(plan, needed, t)
        _passes.need(plan, needed, cg.outputs[0])
        _passes.mark(bg, plan, needed)
        _passes.mark(cg, plan, needed)

    def emit(self, op, em):
        a = op.attrs
        cg, bg = a["cond_graph"], a["body_graph"]
        n = a["n"]
        names = [em.fresh(f"{op.name}_v{i}") for i in range(n)]
        counter = _counter_loop(op, em) if em.lowering else None
        if counter is not None:
            _emit_counter_loop(op, em, names, counter)
            return
        if n:
            em.line(f"{', '.join(names)} = {', '.join(em.ref(t) for t in op.inputs[:n])}")
        for i, nm in enumerate(names):
            em.bind(cg.inputs[i], nm)
            em.bind(bg.inputs[i], nm)
            em.bind(op.outputs[i], nm)
        maxit = a["maximum_iterations"]
        counter = None
        if maxit is not None:
            counter = em.fresh(f"{op.name}_n")
            limit = em.ref(op.inputs[a["maxit_index"]]) if a["maxit_index"] is not None \
                else repr(int(maxit))
            em.line(f"{counter} = 0")
            em.line(f"while {counter} < {limit}:")
        else:
            em.line("while True:")
        with em.indent():
            em.emit_graph(cg)
            em.line(f"if not {em.ref(cg.outputs[0])}: break")
            keys = _coalesce(op, em, names) if em.lowering else []
            em.emit_graph(bg)
            _drop_preferred(em, keys)
            _assign(em, [(nm, em.ref(t)) for nm, t in zip(names, bg.outputs, strict=False)])
            if counter is not None:
                em.line(f"{counter} += 1")


WHILE = _WhileKind()


def _coalesce(op, em, names) -> list:
    """Let the body's ops assign loop variables directly (``s = s + x`` rather than
    ``add = s + x`` and ``s = add`` at the end of the body): for each body output computed by
    an op of the body itself, when no later op of the body, and no other body output, reads
    the variable's old value. ``names[i]`` is None for a variable left alone. Returns the
    keys it set in ``em.preferred``, for the caller to drop once the body is emitted."""
    a = op.attrs
    bg = a["body_graph"]
    plan = em.plan
    outs = [plan.canon(t) for t in bg.outputs]
    olds = [plan.canon(t) for t in bg.inputs]
    live = [o for o in bg._ops if id(o) in plan.live and o.type != "LoopVar"]
    pos = {id(o): i for i, o in enumerate(live)}
    last_read: dict = {}  # id(old value) -> position of its last reader
    for i, o in enumerate(live):
        for t in o.inputs:
            last_read[id(plan.canon(t))] = i
    taken = set()
    for m, (nm, t) in enumerate(zip(names, outs)):
        if nm is None or id(t) in taken or id(t) in em.preferred:
            continue
        p = pos.get(id(t.op))
        if p is None or t.op.graph is not bg or t.op.type == "While":  # loops name their own
            continue
        old = olds[m]
        if last_read.get(id(old), -1) > p or t is old:
            continue
        if any(outs[i] is old for i in range(len(outs)) if i != m):
            continue
        em.preferred[id(t)] = nm
        taken.add(id(t))
    return list(taken)


def _drop_preferred(em, keys) -> None:
    for k in keys:
        em.preferred.pop(k, None)


def _assign(em, pairs, empty: bool = False) -> None:
    """One line `a, b = x, y` for the (name, expression) pairs that differ (a variable kept as
    it was, or already assigned in place, is left out); `pass` where nothing else was emitted
    in the block (`empty`)."""
    pairs = [(a_, b_) for a_, b_ in pairs if a_ != b_]
    if pairs:
        em.line(f"{', '.join(p[0] for p in pairs)} = {', '.join(p[1] for p in pairs)}")
    elif empty:
        em.line("pass")


def _skip_op(o, em) -> None:
    """An op emitted by something else (a loop's header, its counter)."""


def _for_elements(em, lead, k, seq_of) -> None:
    """The header of a loop over the elements of the arrays the getitem ops ``lead`` read:
    ``for x in xs:``, ``zip`` for several, ``enumerate`` with the counter ``k`` when it is
    given. Each op's value is the loop target; ``seq_of(array tensor)`` writes what to iterate
    (the array itself, or its elements as Python numbers)."""
    targets, seqs = [], []
    for o in lead:
        em.special[id(o)] = _skip_op
        targets.append(em.out_names(o)[0])
        seqs.append(seq_of(o.inputs[o.attrs["args"][0].i]))
    target = targets[0] if len(targets) == 1 else f"({', '.join(targets)})"
    seq = seqs[0] if len(seqs) == 1 else f"{em.slot(zip, 'f')}({', '.join(seqs)})"
    if k is not None:
        em.line(f"for {k}, {target} in {em.slot(enumerate, 'f')}({seq}):")
    else:
        em.line(f"for {target} in {seq}:")


# ---------------------------------------------------------------------------------------------
# counter loops: a Python int for the loop counter
# ---------------------------------------------------------------------------------------------
# A loop whose condition is `k < limit` on an integer loop variable `k` that the body steps by
# one (`for x in tensor`, `for i in range(n)` and `while i < n: ...; i += 1` all stage to one)
# is emitted with `k` a Python int: numpy scalar arithmetic, comparison and indexing with a
# numpy integer cost several times those of an int. Exactly the same values result:
#
# - `k < limit` compares integers exactly either way; `items[k]` picks the same element
#   (and raises the same IndexError) for an int as for a numpy integer;
# - `k + 1` cannot wrap: it runs only after `k < limit` held, and `limit` is an integer of at
#   most `k`'s width (or a Python int within `k`'s range), so `k + 1 <= limit` fits;
# - every other reader of `k` (the user's own arithmetic, the loop's result after it ends)
#   gets `k` back as a numpy scalar of its dtype.
#
# When the condition is nothing but `k < limit`, the loop becomes a Python `for`: over
# `range(k0, limit)`, or, when `k` starts at 0, the body starts by reading `xs[k]` (each xs a
# loop-invariant array) and `limit` is known to be the length of the shortest xs, over the
# arrays themselves (`for x in xs`, `zip`, `enumerate`): iterating an array yields `xs[k]`
# for k = 0, 1, ... as indexing does, and the loop stops where `k < limit` would turn false.


class _Counter:
    __slots__ = ("j", "dtype", "less", "add", "getitems", "limit", "limit_static",
                 "cond_only", "cond_reads", "body_reads", "as_for", "iterate")


def _int_const(plan, t):
    """The value of ``t`` as a Python int if it is a folded integer constant, else None."""
    c = plan.canon(t)
    v = plan.const.get(id(c))
    if isinstance(v, np.integer) or (isinstance(v, np.ndarray) and v.ndim == 0
                                     and v.dtype.kind in "iu"):
        return int(v)
    return None


def _outside(t, op) -> bool:
    """True if ``t`` is computed outside the loop ``op`` (it does not change while it runs)."""
    return t.op.graph.is_ancestor_of(op.graph)


def _binop_args(plan, o, symbol):
    """The two operands (a Tensor or a Python value each) of ``o``'s op if it is the numpy
    binary operator ``symbol`` with no keyword arguments, else None."""
    from .ops import CALL, Ref

    p = o.op
    a = p.attrs
    if p.kind is not CALL or a.get("style") != "binop" or a.get("symbol") != symbol or \
            a.get("kwargs") or a.get("wrap") is not None or len(p.outputs) != 1:
        return None
    return [plan.canon(p.inputs[x.i]) if type(x) is Ref else x for x in a["args"]]


def _counter_loop(op, em):
    """A :class:`_Counter` if ``op`` is a counter loop (see above), else None."""
    from .ops import CALL, Ref

    a = op.attrs
    if a["maximum_iterations"] is not None:
        return None
    plan, uses = em.plan, em.uses
    cg, bg = a["cond_graph"], a["body_graph"]
    test = plan.canon(cg.outputs[0])
    if id(test) in plan.const or test.op.graph is not cg or uses.get(id(test)) != 1:
        return None
    args = _binop_args(plan, test, "<")
    if args is None or not isinstance(args[0], Tensor):
        return None
    k = args[0]
    j = next((i for i, t in enumerate(cg.inputs) if t is k), None)
    if j is None or k.dtype.kind != "i" or k.shape != ():
        return None
    info = np.iinfo(k.dtype)
    lim = args[1]
    if type(lim) is int:
        if not info.min <= lim <= info.max:
            return None
        limit_static = lim
    elif isinstance(lim, Tensor):
        if lim.dtype.kind != "i" or lim.shape != () or lim.dtype.itemsize > k.dtype.itemsize:
            return None
        limit_static = _int_const(plan, lim)
        if limit_static is None and not _outside(lim, op):
            return None
    else:
        return None
    # the body: `k + 1` (or `1 + k`) as k's next value, read by nothing else
    kb = bg.inputs[j]
    step = plan.canon(bg.outputs[j])
    sargs = _binop_args(plan, step, "+")
    if sargs is None or step.op.graph is not bg or step.dtype != k.dtype or \
            uses.get(id(step)) != 1:
        return None
    other = sargs[1] if sargs[0] is kb else sargs[0] if sargs[1] is kb else None
    one = other if type(other) is int else (_int_const(plan, other)
                                            if isinstance(other, Tensor) else None)
    if one != 1 or sargs[0] is sargs[1]:
        return None
    c = _Counter()
    c.j, c.dtype, c.less, c.add = j, k.dtype, test.op, step.op
    c.limit, c.limit_static = lim, limit_static
    # `xs[k]` in the body, xs computed outside the loop: indexed with the int
    c.getitems = []
    for b in bg._ops:
        if id(b) not in plan.live or b.kind is not CALL:
            continue
        ba = b.attrs
        if ba.get("style") != "getitem" or ba.get("wrap") is not None or ba.get("kwargs"):
            continue
        x, key = ba["args"]
        if type(x) is not Ref or type(key) is not Ref or \
                plan.canon(b.inputs[key.i]) is not kb:
            continue
        xs = plan.canon(b.inputs[x.i])
        if xs.shape is None or len(xs.shape) == 0 or not _outside(xs, op) or \
                getattr(xs, "_is_tensor_list", False):
            continue
        c.getitems.append(b)
    # who else reads k: they get it as a numpy scalar
    c.cond_reads = uses.get(id(k), 0) - 1
    c.body_reads = uses.get(id(kb), 0) - 1 - sum(
        sum(1 for t in g.inputs if plan.canon(t) is kb) for g in c.getitems)
    live_cond = [o for o in cg._ops if id(o) in plan.live and o.type != "LoopVar"]
    c.cond_only = live_cond == [c.less] and c.cond_reads == 0
    # the `for` forms leave no counter behind: only when the loop's k is not read after it
    c.as_for = c.cond_only and id(op.outputs[j]) not in plan.needed
    c.iterate = _iteration(op, plan, c) if c.as_for else None
    return c


def _iteration(op, plan, c):
    """The getitem ops the body starts with, if the loop can iterate over their arrays (k
    starts at 0 and the limit is the length of the shortest array), else None."""
    if _int_const(plan, op.inputs[c.j]) != 0 or c.limit_static is None or not c.getitems:
        return None
    lead = []
    for b in c.getitems[0].graph._ops:
        if id(b) not in plan.live or b.type == "LoopVar" or b is c.add:
            continue
        if b in c.getitems:
            lead.append(b)
            continue
        break
    if not lead:
        return None
    dims = []
    for b in lead:
        xs = plan.canon(b.inputs[b.attrs["args"][0].i])
        if xs.shape[0] is None:
            return None
        dims.append(xs.shape[0])
    if min(dims) != c.limit_static:
        return None
    return lead


def _emit_counter_loop(op, em, names, c: _Counter) -> None:
    if c.iterate is not None and _passes.SCALAR_LOOPS and not em.scalar:
        sl = _scalar_loops.plan(op, em, c)
        if sl is not None:
            _scalar_loops.emit(op, em, names, c, sl,
                               lambda: _emit_numpy_counter_loop(op, em, names, c))
            return
    _emit_numpy_counter_loop(op, em, names, c)


def _emit_numpy_counter_loop(op, em, names, c: _Counter) -> None:
    a = op.attrs
    cg, bg = a["cond_graph"], a["body_graph"]
    plan = em.plan
    j = c.j
    k = names[j]
    np_type = em.slot(c.dtype.type, "t")
    # the loop counter's entry value, as an int
    k0 = _int_const(plan, op.inputs[j])
    k0 = repr(k0) if k0 is not None and k0 >= 0 else \
        f"{em.slot(int, 'f')}({em.ref(op.inputs[j])})"
    rest = [i for i in range(len(names)) if i != j]
    if rest:
        em.line(f"{', '.join(names[i] for i in rest)} = "
                f"{', '.join(em.ref(op.inputs[i]) for i in rest)}")
    if c.limit_static is not None:
        lim = repr(c.limit_static) if c.limit_static >= 0 else f"({c.limit_static})"
    else:
        lim = em.fresh(f"{op.name}_limit")
        em.line(f"{lim} = {em.slot(int, 'f')}({em.ref(c.limit)})")
    for i, nm in enumerate(names):
        if i != j:
            em.bind(cg.inputs[i], nm)
            em.bind(bg.inputs[i], nm)
        em.bind(op.outputs[i], nm)
    # Readers of k other than the counter's own ops (the user's arithmetic, the loop's result)
    # see a numpy scalar: a copy stepped alongside the int (`k_np + one` costs a fifth of
    # `np.int64(k)`; it cannot wrap either, as it steps only after `k < limit` held).
    needed_after = id(op.outputs[j]) in plan.needed
    k_np = em.fresh(f"{op.name}_i") if c.body_reads or c.cond_reads else None
    if k_np:
        em.line(f"{k_np} = {em.ref(op.inputs[j])}")
    em.bind(cg.inputs[j], k_np or "None")  # None: nothing else reads it (see _counter_loop)
    em.bind(bg.inputs[j], k_np or "None")

    def getitem(o, em_):
        xs = em_.ref(o.inputs[o.attrs["args"][0].i])
        em_.assign(o, f"{xs}[{k}]")

    def step(o, em_):
        em_.assign(o, f"{k} + 1")

    lead = c.iterate
    em.special[id(c.less)] = _skip_op
    for o in c.getitems:
        em.special[id(o)] = getitem
    em.special[id(c.add)] = _skip_op if c.as_for else step
    counted = any(o not in (lead or ()) for o in c.getitems)
    if lead is not None:
        _for_elements(em, lead, k if counted else None, em.ref)
    elif c.as_for:
        em.line(f"for {k} in {em.slot(range, 'f')}({k0}, {lim}):")
    else:
        em.line(f"{k} = {k0}")
        if c.cond_only:
            em.line(f"while {k} < {lim}:")
        else:
            em.line("while True:")
            with em.indent():
                em.emit_graph(cg)
                em.line(f"if {k} >= {lim}: break")
    with em.indent():
        keys = _coalesce(op, em, [nm if i != j or not c.as_for else None
                                  for i, nm in enumerate(names)])
        n_lines = em.emit_graph(bg)
        _drop_preferred(em, keys)
        pairs = [(names[i], em.ref(bg.outputs[i])) for i in range(len(names))
                 if i != j or not c.as_for]
        if k_np:
            pairs.append((k_np, f"{k_np} + {em.slot(c.dtype.type(1))}"))
        _assign(em, pairs, n_lines == 0)
    if needed_after:  # only the while form (the `for` forms leave no k behind)
        em.line(f"{k} = {k_np}" if k_np else f"{k} = {np_type}({k})")


def _loop_value(v):
    """A loop variable's entry value: tensors stay, Python/numpy values become constants."""
    v = _to_value(v)
    if isinstance(v, Tensor):
        return v
    if type(v) in _PYNUM or isinstance(v, (np.ndarray, np.generic)):
        return constant(v)
    return _Static(v)


def while_loop(cond_fn: Callable[..., Any], body_fn: Callable[..., Any], loop_vars: Any,
               maximum_iterations: Any = None, shape_invariants: Any = None,
               names: Optional[Sequence[str]] = None) -> Any:
    """``while cond_fn(*vars): vars = body_fn(*vars)``, staged as one loop op.

    Args:
        cond_fn: takes the loop variables, returns a scalar bool tensor (or Python bool).
        body_fn: takes the loop variables, returns their new values (same structure).
        loop_vars: a tuple/list of loop variables (each a tensor, a Python/numpy value, which
            becomes a constant, a TensorList, or a nested tuple/list/dict of them). A single
            non-sequence value is passed as one argument.
        maximum_iterations: stop after this many iterations (an int or a 0-d int tensor).
        shape_invariants: like ``loop_vars``, a shape per variable (entries may be None for
            dimensions that change), or None for "the entry shape".
        names: the user's name of each flattened loop variable, for error messages.

    Returns:
        the final loop variables, in the structure of ``loop_vars``.

    >>> import numpy as np
    >>> import autograph.runtime.engine as ag
    >>> g = ag.Graph()
    >>> with g.as_default():
    ...     n = ag.placeholder(np.int64, ())
    ...     i, total = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))
    >>> g.run(total, {n: 5})
    np.int64(10)
    """
    single = not isinstance(loop_vars, (tuple, list, dict))
    flat_in = nest.flatten(loop_vars)
    tensors_in = [v for v in flat_in if isinstance(v, Tensor)]
    if isinstance(maximum_iterations, Tensor):
        tensors_in.append(maximum_iterations)
    outer = graph_for(tensors_in) if tensors_in or _in_graph() else get_default_graph()
    with outer.as_default():
        entry = [_loop_value(v) for v in flat_in]
        maxit_t = None
        maxit = None
        if maximum_iterations is not None:
            if isinstance(maximum_iterations, _Variable()):
                maximum_iterations = maximum_iterations._graph_value()
            if isinstance(maximum_iterations, Tensor):
                if maximum_iterations.dtype.kind not in "iu" or \
                        maximum_iterations.shape not in ((), None):
                    raise TypeError("autograph engine: maximum_iterations must be an int or a "
                                    "0-d integer tensor")
                maxit_t = maximum_iterations
                maxit = -1
            else:
                maxit = operator.index(maximum_iterations)
    if shape_invariants is not None:
        invs = nest.flatten_up_to(loop_vars, shape_invariants)
    else:
        invs = [None] * len(flat_in)
    dyn = [j for j, v in enumerate(entry) if not isinstance(v, _Static)]
    specs = {}
    for j in dyn:
        v = entry[j]
        what = _label(names, j).replace("variable", "loop variable")
        if _is_list(v):
            specs[j] = _ListSpec.of(v)
            continue
        inv = as_shape(invs[j]) if invs[j] is not None else None
        if invs[j] is not None:
            if not _shapes.fits(v.shape, inv) and not _shapes.compatible(v.shape, inv):
                raise ValueError(
                    f"autograph engine: {what} has shape {shape_str(v.shape)} on entry to the "
                    f"loop, which does not fit its shape invariant {shape_str(inv)}")
            specs[j] = (v.dtype, inv)
        else:
            specs[j] = (v.dtype, v.shape)

    def make_graph(purpose):
        g = SubGraph(outer, purpose)
        for j in dyn:
            spec = specs[j]
            out_spec = spec.factory() if isinstance(spec, _ListSpec) else spec
            g.inputs.append(add_op(LOOPVAR, "LoopVar", [], [out_spec], graph=g,
                                   name=f"{purpose.split()[-1]}_arg").outputs[0])
        return g

    def args_for(g):
        it = iter(g.inputs)
        leaves = [next(it) if j in specs else entry[j].value for j in range(len(entry))]
        vars_ = nest.pack_as(loop_vars, leaves) if not single else leaves[0]
        return (vars_,) if single or isinstance(loop_vars, dict) else tuple(vars_)

    cg = make_graph("while-loop condition")
    c = _trace(cg, cond_fn, args_for(cg))
    with cg.as_default():
        c = _pred_value(c, "while-loop condition")
        if not isinstance(c, Tensor):
            c = constant(bool(c))
        graph_for([c])
    cg.outputs = [c]

    bg = make_graph("while-loop body")
    r = _trace(bg, body_fn, args_for(bg))
    if single:
        r_struct, r_ref = r, loop_vars
    else:
        if len(flat_in) == 1 and not nest.is_nested(r) and len(loop_vars) == 1:
            r = type(loop_vars)([r]) if type(loop_vars) in (tuple, list) else (r,)
        if isinstance(r, (tuple, list)) and isinstance(loop_vars, (tuple, list)) and \
                type(r) is not type(loop_vars):
            r = list(r) if isinstance(loop_vars, list) else tuple(r)
        r_struct, r_ref = r, loop_vars
    if not nest.same_structure(_plain(r_ref), _plain(r_struct)):
        raise ValueError(
            f"autograph engine: the loop body must return the loop variables' structure "
            f"{nest.describe(r_ref)}, but it returned {nest.describe(r_struct)}")
    flat_out = nest.flatten(r_struct)
    body_outs = []
    final_specs = {}
    with bg.as_default():
        for j, v in enumerate(flat_out):
            what = _label(names, j).replace("variable", "loop variable")
            if j not in specs:
                old = entry[j].value
                same = v is old
                if not same:
                    try:
                        same = bool(v == old)
                    except Exception:
                        same = False
                if not same:
                    raise ValueError(
                        f"autograph engine: {what} is {_describe_leaf(old)} before the loop but "
                        f"{_describe_leaf(v)} after an iteration; give it a tensor value before "
                        "the loop")
                continue
            spec = specs[j]
            if isinstance(spec, _ListSpec):
                if not _is_list(v):
                    raise TypeError(
                        f"autograph engine: {what} is a TensorList before the loop but "
                        f"{_describe_leaf(v)} after an iteration")
                final_specs[j] = spec.merge(_ListSpec.of(v), what, "loop entry",
                                            "loop body")
                body_outs.append(v)
                continue
            dt, shp = spec
            if _is_list(v) or _leaf_kind(v) == "static":
                raise TypeError(
                    f"autograph engine: {what} is a tensor of dtype {dt} before the loop but "
                    f"{_describe_leaf(v)} after an iteration; keep it a tensor of the same dtype")
            if isinstance(v, Tensor):
                t = v
                if t.dtype != dt:
                    raise TypeError(
                        f"autograph engine: {what} has dtype {dt} before the loop but {t.dtype} "
                        f"after an iteration; keep its dtype the same in the loop body (e.g. "
                        f"with .astype(np.{dt})) or give it the {t.dtype} dtype before the loop")
            elif type(v) in _PYNUM:
                if not _python_scalar_fits(v, dt):
                    raise TypeError(
                        f"autograph engine: {what} has dtype {dt} before the loop but is the "
                        f"Python {type(v).__name__} {v!r} after an iteration; keep its dtype the "
                        "same in the loop body")
                t = constant(v, dtype=dt)
            else:
                t = convert_to_tensor(v)
                if t.dtype != dt:
                    raise TypeError(
                        f"autograph engine: {what} has dtype {dt} before the loop but {t.dtype} "
                        f"after an iteration; keep its dtype the same in the loop body (e.g. "
                        f"with .astype(np.{dt}))")
            if not _shapes.fits(t.shape, shp):
                inv = invs[j]
                if inv is None:
                    suggestion = shape_str(_shapes.generalize(shp, t.shape)) if \
                        _shapes.generalize(shp, t.shape) is not None else "None"
                    raise ValueError(
                        f"autograph engine: {what} has shape {shape_str(shp)} before the loop "
                        f"but {shape_str(t.shape)} after an iteration; if its shape may change, "
                        f"give it a shape invariant with None for the dimensions that change "
                        f"(e.g. shape_invariants with {suggestion} for it)")
                raise ValueError(
                    f"autograph engine: {what} has shape {shape_str(t.shape)} after an "
                    f"iteration, which does not fit its shape invariant {shape_str(as_shape(inv))}")
            graph_for([t])
            body_outs.append(t)
    bg.outputs = body_outs
    captures = {}
    for g in (cg, bg):
        for k, t in g.captures.items():
            captures[k] = t
    inputs = [entry[j] for j in dyn]
    maxit_index = None
    if maxit_t is not None:
        maxit_index = len(inputs)
        inputs.append(maxit_t)
    seen = {id(t) for t in inputs}
    inputs += [t for k, t in captures.items() if k not in seen]
    out_specs = []
    for j in dyn:
        spec = final_specs.get(j, specs[j])
        out_specs.append(spec.factory() if isinstance(spec, _ListSpec) else spec)
    op = add_op(WHILE, "While", inputs, out_specs,
                attrs={"cond_graph": cg, "body_graph": bg, "n": len(dyn),
                       "maximum_iterations": maxit, "maxit_index": maxit_index},
                stateful=cg._stateful or bg._stateful, graph=outer)
    for g in (cg, bg):
        g._frozen = True
        g.owner = op
    it = iter(op.outputs)
    leaves = [next(it) if j in specs else entry[j].value for j in range(len(entry))]
    return nest.pack_as(loop_vars, leaves) if not single else leaves[0]


def _plain(x):
    """Structure with leaves replaced by 0 (TensorLists are leaves, not sequences)."""
    return nest.map_structure(lambda v: 0, x) if nest.is_nested(x) else 0


# ---------------------------------------------------------------------------------------------
# TensorList
# ---------------------------------------------------------------------------------------------
class _ListSpec:
    __slots__ = ("dtype", "shape", "size")

    def __init__(self, dtype, shape, size):
        self.dtype = dtype
        self.shape = shape
        self.size = size

    @classmethod
    def of(cls, t) -> "_ListSpec":
        return cls(t.element_dtype, t.element_shape, t.static_size)

    def merge(self, other: "_ListSpec", what, lab_a, lab_b) -> "_ListSpec":
        if self.dtype is None:
            return _ListSpec(other.dtype, other.shape, None)
        if other.dtype is None:
            return _ListSpec(self.dtype, self.shape, None)
        if self.dtype != other.dtype:
            raise TypeError(f"autograph engine: {what} is a TensorList of {self.dtype} in the "
                            f"{lab_a} but of {other.dtype} in the {lab_b}")
        if not _shapes.compatible(self.shape, other.shape):
            raise ValueError(f"autograph engine: {what} is a TensorList of elements of shape "
                             f"{shape_str(self.shape)} in the {lab_a} but "
                             f"{shape_str(other.shape)} in the {lab_b}")
        size = self.size if self.size == other.size else None
        return _ListSpec(self.dtype, _shapes.generalize(self.shape, other.shape), size)

    def factory(self):
        spec = self

        def make(op, i):
            return TensorList._wrap(op, i, spec.dtype, spec.shape, spec.size)

        return make


class _ListKind(OpKind):
    def __init__(self, name, pure=True):
        self.name = name
        self.pure = pure

    def emit(self, op, em):
        ins = [em.ref(t) for t in op.inputs]
        n = self.name
        if n == "ListNew":
            em.bind(op.outputs[0], "None")
        elif n == "ListAppend":
            em.assign(op, f"({ins[0]}, {ins[1]})")
        elif n == "ListPop":
            em.assign(op, f"{em.slot(rt_tl_pop, 'f')}({ins[0]})")
        elif n == "ListStack":
            em.assign(op, f"{em.slot(rt_tl_stack, 'f')}({ins[0]}, "
                          f"{em.slot(op.attrs['dtype'], 'dt')}, {em.const_expr(op.attrs['shape'])})")
        elif n == "ListSize":
            em.assign(op, f"{em.slot(rt_tl_size, 'f')}({ins[0]})")
        elif n == "ListGet":
            em.assign(op, f"{em.slot(rt_tl_get, 'f')}({ins[0]}, {ins[1]})")

    def evaluate(self, op, values):
        n = self.name
        if n == "ListNew":
            return (None,)
        if n == "ListAppend":
            return ((values[0], values[1]),)
        if n == "ListPop":
            return rt_tl_pop(values[0])
        if n == "ListStack":
            return (rt_tl_stack(values[0], op.attrs["dtype"], op.attrs["shape"]),)
        if n == "ListSize":
            return (rt_tl_size(values[0]),)
        return (rt_tl_get(values[0], values[1]),)

    def cse_key(self, op, in_keys):
        if self.name == "ListNew":
            return None
        return (self.name,) + tuple(in_keys)


LIST_NEW = _ListKind("ListNew")
LIST_APPEND = _ListKind("ListAppend")
LIST_POP = _ListKind("ListPop")
LIST_STACK = _ListKind("ListStack")
LIST_SIZE = _ListKind("ListSize")
LIST_GET = _ListKind("ListGet")


def rt_tl_pop(node):
    if node is None:
        raise IndexError("pop from an empty TensorList")
    return node


def rt_tl_size(node):
    n = 0
    while node is not None:
        node = node[0]
        n += 1
    return np.int64(n)


def rt_tl_get(node, i):
    items = []
    while node is not None:
        node, x = node
        items.append(x)
    n = len(items)
    i = int(i)
    if not -n <= i < n:
        raise IndexError(f"TensorList index {i} out of range for a list of {n} elements")
    return items[n - 1 - (i % n)]


def rt_tl_stack(node, dtype, shape):
    items = []
    while node is not None:
        node, x = node
        items.append(x)
    if not items:
        if shape is None or any(d is None for d in shape):
            raise ValueError("autograph engine: cannot stack an empty TensorList whose element "
                             "shape is not fully known; give TensorList(element_shape=...)")
        return np.empty((0,) + tuple(shape), dtype)
    items.reverse()
    if items[0].__class__ is not np.ndarray:
        return np.array(items, dtype=dtype)
    return np.stack(items)


class TensorList(Tensor):
    """A growable list of tensors that can be graph state (``cond`` outputs, ``while_loop``
    variables). It is immutable: ``append`` and ``pop`` return a new list.

    >>> import numpy as np
    >>> import autograph.runtime.engine as ag
    >>> g = ag.Graph()
    >>> with g.as_default():
    ...     n = ag.placeholder(np.int64, ())
    ...     _, acc = ag.while_loop(lambda i, acc: i < n,
    ...                            lambda i, acc: (i + 1, acc.append(i * i)),
    ...                            (0, ag.TensorList()))
    ...     squares = acc.stack()
    >>> g.run(squares, {n: 4})
    array([0, 1, 4, 9])

    The element dtype and shape are fixed by the first append (or given here); stacking gives
    an array of shape ``(length,) + element_shape``.
    """

    __slots__ = ("element_dtype", "element_shape", "static_size")
    _is_tensor_list = True

    def __new__(cls, items=(), dtype=None, element_shape=None, name: Optional[str] = None):
        dt = None if dtype is None else np.dtype(dtype)
        es = None if element_shape is None else as_shape(element_shape)
        if es is not None and dt is None:
            raise ValueError("TensorList: give dtype together with element_shape")
        spec = _ListSpec(dt, es, 0)
        g = get_default_graph()
        cur = add_op(LIST_NEW, "TensorList", [], [spec.factory()], name=name or "TensorList",
                     graph=g).outputs[0]
        for x in items:
            cur = cur.append(x)
        return cur

    def __init__(self, items=(), dtype=None, element_shape=None, name: Optional[str] = None):
        pass  # built by __new__

    @classmethod
    def _wrap(cls, op, i, dtype, shape, size) -> "TensorList":
        t = object.__new__(cls)
        Tensor.__init__(t, op, i, np.dtype(object), ())
        t.element_dtype = dtype
        t.element_shape = shape if dtype is not None else None
        t.static_size = size
        return t

    def __repr__(self):
        if self.element_dtype is None:
            el = "elements not set yet"
        else:
            el = f"elements {shape_str(self.element_shape)} {self.element_dtype}"
        size = "" if self.static_size is None else f" size={self.static_size}"
        return f"<TensorList '{self.name}' {el}{size}>"

    def __iter__(self):
        # np.stack(lst) dispatches through numpy's `_arrays_for_stack_dispatcher`, which
        # iterates its argument to find the overriding arrays: hand it the list itself, whose
        # __array_function__ then stacks it. Any other Python iteration is refused.
        if sys._getframe(1).f_code.co_name == "_arrays_for_stack_dispatcher":
            return iter((self,))
        return super().__iter__()

    # -- operations --
    def append(self, value: Any) -> "TensorList":
        """A new list with ``value`` appended."""
        value = _to_value(value)
        if _is_list(value):
            raise TypeError("autograph engine: TensorLists cannot hold TensorLists")
        dt = self.element_dtype
        if isinstance(value, Tensor):
            t = value
            if dt is not None and t.dtype != dt:
                raise TypeError(f"autograph engine: TensorList '{self.name}' holds {dt} elements;"
                                f" cannot append a {t.dtype} tensor (cast it with .astype)")
        else:
            if dt is not None and type(value) in _PYNUM:
                if not _python_scalar_fits(value, dt):
                    raise TypeError(f"autograph engine: TensorList '{self.name}' holds {dt} "
                                    f"elements; cannot append the Python {type(value).__name__} "
                                    f"{value!r}")
                t = constant(value, dtype=dt)
            else:
                t = convert_to_tensor(value)
                if dt is not None and t.dtype != dt:
                    raise TypeError(f"autograph engine: TensorList '{self.name}' holds {dt} "
                                    f"elements; cannot append a value of dtype {t.dtype}")
        if dt is None:
            edt, eshape = t.dtype, t.shape
        else:
            if not _shapes.compatible(self.element_shape, t.shape):
                raise ValueError(f"autograph engine: TensorList '{self.name}' holds elements of "
                                 f"shape {shape_str(self.element_shape)}; cannot append one of "
                                 f"shape {shape_str(t.shape)}")
            edt, eshape = dt, _shapes.generalize(self.element_shape, t.shape)
        size = None if self.static_size is None else self.static_size + 1
        spec = _ListSpec(edt, eshape, size)
        return add_op(LIST_APPEND, "ListAppend", [self, t], [spec.factory()]).outputs[0]

    def pop(self) -> tuple:
        """``(new_list, last_element)``."""
        if self.static_size == 0:
            raise IndexError(f"pop from an empty TensorList '{self.name}'")
        self._need_dtype("pop")
        size = None if self.static_size is None else self.static_size - 1
        op = add_op(LIST_POP, "ListPop", [self],
                    [_ListSpec(self.element_dtype, self.element_shape, size).factory(),
                     (self.element_dtype, self.element_shape)])
        return op.outputs[0], op.outputs[1]

    def stack(self) -> Tensor:
        """One array of shape ``(length,) + element_shape``."""
        self._need_dtype("stack")
        es = self.element_shape
        shape = None if es is None else (self.static_size,) + tuple(es)
        return add_op(LIST_STACK, "ListStack", [self], [(self.element_dtype, shape)],
                      attrs={"dtype": self.element_dtype, "shape": es}).outputs[0]

    def size(self) -> Tensor:
        """The number of elements, as a 0-d int64 tensor."""
        if self.static_size is not None:
            return constant(np.int64(self.static_size))
        return add_op(LIST_SIZE, "ListSize", [self], [(np.dtype(np.int64), ())]).outputs[0]

    def __len__(self):
        if self.static_size is not None:
            return self.static_size
        from .errors import guard_error

        raise guard_error(self, "len")

    def __getitem__(self, i):
        self._need_dtype("index")
        i = _to_value(i)
        if not isinstance(i, Tensor):
            i = operator.index(i)
            if self.static_size is not None and not -self.static_size <= i < self.static_size:
                raise IndexError(f"TensorList index {i} out of range for a list of "
                                 f"{self.static_size} elements")
            i = constant(np.int64(i))
        return add_op(LIST_GET, "ListGet", [self, i],
                      [(self.element_dtype, self.element_shape)]).outputs[0]

    def _need_dtype(self, what):
        if self.element_dtype is None:
            raise ValueError(f"autograph engine: cannot {what} TensorList '{self.name}': its "
                             "element dtype is not known yet (nothing was appended); create it "
                             "with TensorList(dtype=..., element_shape=...)")

    # TensorLists are not arrays
    def _not_array(self, *a, **k):
        raise TypeError(f"autograph engine: TensorList '{self.name}' is not an array; call "
                        ".stack() to get one")

    __array_ufunc__ = None

    def __array_function__(self, func, types, args, kwargs):
        seq = args[0] if args else kwargs.get("arrays")
        if func is np.stack and seq is self and not args[1:] and kwargs.get("axis", 0) == 0:
            return self.stack()  # np.stack(lst): the list appended in a staged loop
        self._not_array()

    def _bin(self, ufunc, other, reflected=False):
        self._not_array()

    __neg__ = __pos__ = __abs__ = __invert__ = _not_array
