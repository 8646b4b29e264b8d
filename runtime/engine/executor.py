"""The executor: each graph is compiled once (per fetch structure and feed list) into one
Python function of straight-line numpy calls. ``cond`` becomes ``if``/``else`` and
``while_loop`` a Python ``while`` loop inside that function: there is no interpretation loop
over operations and no recursion at run time."""

from __future__ import annotations

import builtins
import contextlib
import itertools
import keyword
import linecache
import re
from typing import Any, Optional

import numpy as np

from . import passes
from .errors import GraphAssertionError
from .graph import Graph, Operation
from .ops import CALL, Ref, literal, rt_copy_array
from .shapes import fits, shape_str
from .tensor import Tensor, _python_scalar_fits

__all__ = ["compile_graph", "compile_for_run", "unchecked"]

_RUN_CACHE_LIMIT = 512
_SCALAR_TYPES = (np.int64, np.float64, np.bool_)
_counter = itertools.count()


# ---------------------------------------------------------------------------------------------
# the emitter used by op kinds
# ---------------------------------------------------------------------------------------------
class Emitter:
    def __init__(self, plan: passes.Plan):
        self.plan = plan
        self.lines: list = []
        self.line_ops: list = []
        self.ind = 2
        self.names: dict = {}
        self.glob: dict = {"__builtins__": builtins}
        self._slots: dict = {}
        self._keep: list = []
        self.used: set = set()
        self.cur_op: Optional[Operation] = None
        self._alias_memo: dict = {}
        # set by _build: how often each value is read (passes.use_counts)
        self.uses: dict = {}
        self.tests: dict = {}
        # id(op) -> callable(op, em) emitting that op instead of its kind (a loop lowered
        # with a Python int counter takes over its counter's ops)
        self.special: dict = {}
        # id(tensor) -> the name its op assigns it to (a loop variable: see _coalesce)
        self.preferred: dict = {}
        self.lowering = passes.LOWERING
        # set while a loop body is emitted on Python numbers (scalar_loops.py): constants are
        # written as Python literals
        self.scalar = False
        # inlining (see _inlinable): the op being emitted as an expression of the next line,
        # and the (op, expression) pairs waiting for that line
        self._inline_now: Optional[Operation] = None
        self._pending: list = []
        self.line_inlined: list = []  # per line: the (op, expression) pairs inlined into it

    # -- names and constants --
    def slot(self, obj, hint: str = "c") -> str:
        name = self._slots.get(id(obj))
        if name is None:
            name = f"_{hint}{len(self._slots)}"
            self._slots[id(obj)] = name
            self.glob[name] = obj
            self._keep.append(obj)
        return name

    def const_expr(self, v) -> str:
        if v is None or v is True or v is False:
            return repr(v)
        if self.scalar and type(v) in _SCALAR_TYPES:
            return literal(v.item(), self)
        return self.slot(v)

    def fresh(self, base: str) -> str:
        base = re.sub(r"\W", "_", base)
        if not base or base[0].isdigit() or base[0] == "_":
            base = "v" + base
        if keyword.iskeyword(base) or keyword.issoftkeyword(base):
            base += "_"
        name = base
        i = 1
        while name in self.used:
            name = f"{base}_{i}"
            i += 1
        self.used.add(name)
        return name

    def ref(self, t) -> str:
        c = self.plan.canon(t)
        const = self.plan.const
        if id(c) in const:
            return self.const_expr(const[id(c)])
        try:
            return self.names[id(c)]
        except KeyError:
            raise AssertionError(f"autograph engine internal error: {c!r} used before it is "
                                 "computed") from None

    def bind(self, t, expr: str) -> None:
        self.names[id(t)] = expr

    def only_tested(self, t, graph) -> bool:
        """True when ``t`` is read exactly once, as the truth value of an ``if`` in ``graph``
        (so it may be emitted as a Python expression of any truth-equivalent type)."""
        k = id(self.plan.canon(t))
        return self.uses.get(k) == 1 and self.tests.get(k) == [graph]

    def out_names(self, op) -> list:
        outs = op.outputs
        pref = self.preferred
        if len(outs) == 1:
            names = [pref.pop(id(outs[0]), None) or self.fresh(op.name)]
        else:
            names = [pref.pop(id(o), None) or self.fresh(f"{op.name}_{i}")
                     for i, o in enumerate(outs)]
        for o, n in zip(outs, names, strict=False):
            self.names[id(o)] = n
        return names

    def assign(self, op, expr: str) -> None:
        if self._inline_now is op:
            expr = f"({expr})"
            self.bind(op.outputs[0], expr)
            self._pending.append((op, expr))
            return
        names = self.out_names(op)
        if names:
            self.line(f"{', '.join(names)} = {expr}")
        else:
            self.line(expr)

    def line(self, s: str) -> None:
        self.lines.append("    " * self.ind + s)
        self.line_ops.append(self.cur_op)
        self.line_inlined.append(self._pending)
        if self._pending:
            self._pending = []

    @contextlib.contextmanager
    def indent(self):
        self.ind += 1
        try:
            yield
        finally:
            self.ind -= 1

    def emit_graph(self, graph) -> int:
        """Emit the live ops of ``graph`` in program order; returns the number of lines."""
        n0 = len(self.lines)
        live = self.plan.live
        ops = [op for op in graph._ops
               if id(op) in live and op.type not in ("Placeholder", "LoopVar")]
        for i, op in enumerate(ops):
            prev = self.cur_op
            self.cur_op = op
            self._inline_now = op if self.lowering and self._inlinable(ops, i) else None
            sp = self.special.get(id(op))
            if sp is None:
                op.kind.emit(op, self)
            else:
                sp(op, self)
            self._inline_now = None
            self.cur_op = prev
        return len(self.lines) - n0

    # -- inlining: `if not (x % 2 > 0):` rather than three assignments --
    def _inlinable(self, ops: list, i: int) -> bool:
        """May ``ops[i]``, a numpy call, be written into the expression of ``ops[i + 1]``
        instead of being assigned to a name? Only where nothing changes: its value is read
        once, by that next op, which evaluates it exactly where the assignment was (a call's
        other operands are names, whose reads have no effects), and that op's expression is
        written out on the very next line (or is itself inlined into the op after it)."""
        x = ops[i]
        if i + 1 >= len(ops) or x.kind is not CALL or len(x.outputs) != 1 or \
                id(x) in self.special:
            return False
        o = x.outputs[0]
        if self.uses.get(id(o)) != 1 or id(o) in self.preferred or \
                getattr(o, "_is_tensor_list", False):
            return False
        y = ops[i + 1]
        if y.type == "Cond":
            return self.plan.canon(y.inputs[0]) is o and \
                y.kind._static_choice(y, self.plan) is None
        if y.kind is not CALL or id(y) in self.special or _ref_count(y, o, self.plan) != 1:
            return False
        if y.attrs["style"] == "not0d" and self.only_tested(y.outputs[0], y.graph):
            # `(not x)` is bound, not written: it must be read by the op right after it
            return self._inlinable(ops, i + 1) or (
                i + 2 < len(ops) and ops[i + 2].type == "Cond" and
                self.plan.canon(ops[i + 2].inputs[0]) is y.outputs[0])
        return True

    # -- aliasing: may a value share memory with a constant, a Variable or a fed array? --
    def may_alias(self, t, feeds: bool) -> bool:
        key = (id(t), feeds)
        memo = self._alias_memo
        if key in memo:
            return memo[key]
        memo[key] = True  # cycles (loops) are conservative
        c = self.plan.canon(t)
        if id(c) in self.plan.const:
            r = isinstance(self.plan.const[id(c)], np.ndarray)
        else:
            op = c.op
            if op.type == "Placeholder":
                r = feeds
            elif op.type in ("ReadVariable",) or op.kind.control_flow or op.type == "LoopVar":
                r = True
            elif op.kind.name == "Call" and op.attrs.get("view"):
                r = any(self.may_alias(i, feeds) for i in op.inputs)
            else:
                r = False
        memo[key] = r
        return r


# ---------------------------------------------------------------------------------------------
# fetches and feeds
# ---------------------------------------------------------------------------------------------
def _Variable():
    from .variables import Variable

    return Variable


def _fetch_key(f):
    if isinstance(f, (Tensor, Operation)) or isinstance(f, _Variable()):
        return ("o", id(f))
    t = type(f)
    if t is list:
        return ("L",) + tuple(_fetch_key(x) for x in f)
    if isinstance(f, tuple):
        return ("T", t) + tuple(_fetch_key(x) for x in f)
    if isinstance(f, dict):
        return ("D", t) + tuple((k, _fetch_key(v)) for k, v in f.items())
    try:
        hash(f)
        return ("v", t, f)
    except TypeError:
        return ("i", id(f))


def _collect_fetches(graph, f, out: list) -> None:
    if isinstance(f, Tensor):
        if f.op.graph is not graph:
            if f.op.graph.root is graph:
                raise ValueError(
                    f"autograph engine: cannot fetch tensor '{f.name}': it lives inside "
                    f"{f.op.graph.describe()}; fetch the outputs of that cond/while_loop instead")
            raise ValueError(f"autograph engine: cannot fetch tensor '{f.name}': it belongs to "
                             f"{f.op.graph.root.describe()}, not to {graph.describe()}")
        out.append(f)
    elif isinstance(f, Operation):
        if f.graph is not graph:
            raise ValueError(f"autograph engine: operation '{f.name}' is not in {graph.describe()}")
    elif isinstance(f, (list, tuple)):
        for x in f:
            _collect_fetches(graph, x, out)
    elif isinstance(f, dict):
        for x in f.values():
            _collect_fetches(graph, x, out)


def _resolve_feed(graph: Graph, k) -> Tensor:
    if isinstance(k, str):
        name = k[:-2] if k.endswith(":0") else k
        t = graph._placeholders.get(name)
        if t is None:
            raise KeyError(f"autograph engine: {graph.describe()} has no placeholder named {k!r}"
                           + (f" (placeholders: {', '.join(sorted(graph._placeholders))})"
                              if graph._placeholders else ""))
        return t
    if isinstance(k, Tensor):
        if k.op.type != "Placeholder":
            raise TypeError(f"autograph engine: only placeholders can be fed; '{k.name}' is the "
                            f"output of a {k.op.type} op")
        if k.op.graph is not graph:
            raise ValueError(f"autograph engine: placeholder '{k.op.name}' belongs to "
                             f"{k.op.graph.root.describe()}, not to {graph.describe()}")
        return k
    raise TypeError(f"autograph engine: feed_dict keys must be placeholders or their names, not "
                    f"{type(k).__name__}")


def _make_feeder(p: Tensor):
    """The slow path of feeding ``p``: converts Python values and checks dtype and shape."""
    dt = p.dtype
    shape = p.shape
    name = p.op.name
    Variable = _Variable()
    kind = dt.kind
    scalar_ok = shape is None or shape == ()
    stype = dt.type
    if kind in "iu":
        info = np.iinfo(dt)
        lo, hi = int(info.min), int(info.max)
    else:
        lo = hi = None

    def feed(v):
        t = type(v)
        # fast paths: Python numbers for 0-d placeholders (NEP 50: they take the dtype)
        if scalar_ok:
            if t is float and kind in "fc":
                return stype(v)
            if t is int and (kind in "fc" or (lo is not None and lo <= v <= hi)):
                return stype(v)
            if t is bool and kind == "b":
                return stype(v)
        if isinstance(v, Tensor) or isinstance(v, Variable):
            raise TypeError(f"autograph engine: placeholder '{name}' must be fed a concrete value "
                            f"(numpy array or Python number), not {v!r}")
        if t in (bool, int, float, complex):
            if not _python_scalar_fits(v, dt):
                raise ValueError(f"autograph engine: placeholder '{name}' has dtype {dt} and "
                                 f"cannot be fed the Python {type(v).__name__} {v!r}")
            arr = np.asarray(v, dtype=dt)
        else:
            try:
                arr = np.asarray(v)
            except Exception as e:
                raise ValueError(f"autograph engine: cannot feed {v!r} to placeholder "
                                 f"'{name}': {e}") from None
            if arr.dtype != dt and isinstance(v, (list, tuple)) and arr.dtype.kind in "biufc" \
                    and "biufc".index(arr.dtype.kind if arr.dtype.kind != "u" else "i") <= \
                    "biufc".index(kind if kind != "u" else "i"):
                # nested Python lists of numbers are 'weak', like Python scalars
                try:
                    arr = np.asarray(v, dtype=dt)
                except (OverflowError, ValueError, TypeError) as e:
                    raise ValueError(f"autograph engine: cannot feed {v!r} to placeholder "
                                     f"'{name}' of dtype {dt}: {e}") from None
            if arr.dtype != dt:
                if arr.dtype.kind in "OSUV" or not np.can_cast(arr.dtype, dt, "safe"):
                    raise ValueError(
                        f"autograph engine: placeholder '{name}' has dtype {dt} but was fed a "
                        f"value of dtype {arr.dtype}, which cannot be cast to it safely; cast "
                        f"it first (e.g. value.astype(np.{dt}))")
                arr = arr.astype(dt)
        if shape is not None and not fits(arr.shape, shape):
            raise ValueError(f"autograph engine: placeholder '{name}' has shape "
                             f"{shape_str(shape)} but was fed a value of shape "
                             f"{shape_str(arr.shape)}")
        return arr[()] if arr.ndim == 0 else arr

    return feed


def _feed_check(em: Emitter, p: Tensor, n: str) -> None:
    feeder = em.slot(_make_feeder(p), "feed")
    dt = p.dtype
    shape = p.shape
    if shape == ():
        em.line(f"if {n}.__class__ is not {em.slot(dt.type, 't')}: {n} = {feeder}({n})")
        return
    cond = [f"{n}.__class__ is not {em.slot(np.ndarray, 't')}",
            f"{n}.dtype is not {em.slot(dt, 'dt')}"]
    if shape is None:
        cond.append(f"{n}.ndim == 0")  # 0-d arrays become numpy scalars
    else:
        if all(d is not None for d in shape):
            cond.append(f"{n}.shape != {shape!r}")
        else:
            cond.append(f"{n}.ndim != {len(shape)}")
            cond += [f"{n}.shape[{i}] != {d}" for i, d in enumerate(shape) if d is not None]
    em.line(f"if {' or '.join(cond)}: {n} = {feeder}({n})")


def _ref_count(op, t, plan) -> int:
    """How many times the argument templates of the call ``op`` read ``t``."""
    n = 0
    for i, u in enumerate(op.inputs):
        if plan.canon(u) is t:
            n += _count_refs(op.attrs["args"], i) + _count_refs(op.attrs["kwargs"], i)
    return n


def _count_refs(tpl, i: int) -> int:
    tt = type(tpl)
    if tt is Ref:
        return 1 if tpl.i == i else 0
    if tt is tuple or tt is list:
        return sum(_count_refs(x, i) for x in tpl)
    if tt is dict:
        return sum(_count_refs(x, i) for x in tpl.values())
    if tt is slice:
        return sum(_count_refs(x, i) for x in (tpl.start, tpl.stop, tpl.step))
    return 0


def _tl_to_list(node):
    items = []
    while node is not None:
        node, x = node
        items.append(x)
    items.reverse()
    return items


def _out_code(em: Emitter, f) -> str:
    if isinstance(f, Tensor):
        expr = em.ref(f)
        if getattr(f, "_is_tensor_list", False):
            return f"{em.slot(_tl_to_list, 'f')}({expr})"
        if f.shape != () and em.may_alias(f, feeds=False):
            return f"{em.slot(rt_copy_array, 'f')}({expr})"
        return expr
    if isinstance(f, Operation):
        return "None"
    if isinstance(f, _Variable()):
        return f"{em.slot(rt_copy_array, 'f')}({em.slot(f, 'var')}._value)"
    if type(f) is list:
        return "[" + ", ".join(_out_code(em, x) for x in f) + "]"
    if isinstance(f, tuple):
        inner = ", ".join(_out_code(em, x) for x in f)
        if type(f) is tuple:
            return f"({inner},)" if len(f) == 1 else f"({inner})"
        if hasattr(type(f), "_fields"):
            return f"{em.slot(type(f), 'T')}({inner})"
        return f"{em.slot(type(f), 'T')}(({inner},))"
    if isinstance(f, dict):
        body = ", ".join(f"{em.const_expr(k) if not isinstance(k, str) else repr(k)}: "
                         f"{_out_code(em, v)}" for k, v in f.items())
        if type(f) is dict:
            return "{" + body + "}"
        return f"{em.slot(type(f), 'T')}({{{body}}})"
    return em.const_expr(f)


# ---------------------------------------------------------------------------------------------
# compiling
# ---------------------------------------------------------------------------------------------
def compile_graph(graph: Graph, fetches, feeds=()):
    if graph.is_subgraph:
        raise TypeError("a sub-graph cannot be compiled on its own")
    feed_list = [_resolve_feed(graph, k) for k in feeds]
    key = (_fetch_key(fetches), tuple(id(p) for p in feed_list))
    cache = graph._compile_cache
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    with graph._lock:
        version = graph._version
        fn = _build(graph, fetches, feed_list)
        if graph._version == version:
            if len(graph._compile_cache) > _RUN_CACHE_LIMIT:
                graph._compile_cache = {}
            graph._compile_cache[key] = (fn, fetches, feed_list)
    return fn


def _simple_fetch(fetches) -> bool:
    if isinstance(fetches, Tensor) or isinstance(fetches, _Variable()):
        return True
    if type(fetches) is tuple:
        return all(isinstance(f, Tensor) for f in fetches)
    return False


def compile_for_run(graph: Graph, fetches, feed_dict):
    """The callable behind ``graph.run``: cached under the fetches and the feed keys."""
    feeds = list(feed_dict) if feed_dict else []
    fn = compile_graph(graph, fetches, feeds)
    if _simple_fetch(fetches) and not any(isinstance(k, str) for k in feeds):
        if feeds:
            cache = graph._run_cache_feed
            if len(cache) > _RUN_CACHE_LIMIT:
                cache = graph._run_cache_feed = {}
            cache[(fetches, *feeds)] = fn
        else:
            cache = graph._run_cache
            if len(cache) > _RUN_CACHE_LIMIT:
                cache = graph._run_cache = {}
            cache[fetches] = fn
    return fn


def _build(graph: Graph, fetches, feed_list: list):
    seen = set()
    for p in feed_list:
        if id(p) in seen:
            raise ValueError(f"autograph engine: placeholder '{p.op.name}' is fed twice")
        seen.add(id(p))
    fetch_tensors: list = []
    _collect_fetches(graph, fetches, fetch_tensors)
    plan = passes.optimize(graph, fetch_tensors)
    fed = {id(p) for p in feed_list}
    for op in graph._ops:
        if op.type == "Placeholder" and id(op) in plan.live and id(op.outputs[0]) not in fed:
            raise ValueError(
                f"autograph engine: placeholder '{op.name}' must be fed: the fetched values "
                f"depend on it (graph.run(fetches, feed_dict={{{op.name}: value}}))")
    em = Emitter(plan)
    em.uses, em.tests = passes.use_counts(graph, plan, fetch_tensors)
    params = []
    for p in feed_list:
        n = em.fresh(p.op.name)
        params.append(n)
        em.bind(p, n)
    for p, n in zip(feed_list, params, strict=False):
        _feed_check(em, p, n)  # feed errors name the placeholder themselves
    n_checks = len(em.lines)  # one line per feed: left out by unchecked()
    em.cur_op = None
    em.emit_graph(graph)
    em.cur_op = None
    em.line(f"return {_out_code(em, fetches)}")

    fname = f"_graph_{re.sub(r'[^A-Za-z0-9_]', '_', graph.name)}"
    filename = f"<autograph-engine:{graph.name}:{next(_counter)}>"
    annotate = _Annotator(graph, em.line_ops, 3, em.lines, em.line_inlined)
    em.glob["_annotate"] = annotate
    head = [f"def {fname}({', '.join(params)}):", "    try:"]
    tail = ["    except Exception as ag__e:", "        _annotate(ag__e)", "        raise"]
    src = "\n".join(head + em.lines + tail) + "\n"
    code = compile(src, filename, "exec")
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = em.glob
    exec(code, ns)
    fn = ns[fname]
    annotate.code = fn.__code__
    fn.source = src
    fn.graph = graph
    fn.feeds = list(feed_list)
    fn.plan_stats = dict(plan.stats, live_ops=len(plan.live))
    # what unchecked() needs: the same source with the feed checks as blank lines, so that
    # line numbers (the annotator's map from line to op, linecache's text) stay the same
    fn._unchecked_source = ("\n".join(head + [""] * n_checks + em.lines[n_checks:] + tail)
                            + "\n") if n_checks else None
    return fn


def unchecked(fn):
    """``fn`` (a callable from ``compile_graph``) without the check at its entry that each
    feed already has the placeholder's class, dtype and shape (and otherwise converts it, or
    raises naming the placeholder).

    For callers that have checked exactly that themselves (``autograph.function``'s generated
    guards: ``type(x) is np.ndarray and x.dtype is p.dtype and x.shape == p.shape``, or the
    exact numpy scalar type for a 0-d placeholder); anything else fed to it runs unconverted,
    with numpy's results or errors. Built on first use and kept on ``fn``; runs the same code,
    with the same error notes.
    """
    u = fn.__dict__.get("_unchecked")
    if u is not None:
        return u
    src = getattr(fn, "_unchecked_source", None)
    if src is None:  # no feeds (or not from _build): nothing to leave out
        return fn
    ns = fn.__globals__
    annotate = ns["_annotate"]
    code = compile(src, fn.__code__.co_filename, "exec")
    exec(code, ns)
    u = ns[fn.__name__]
    ns[fn.__name__] = fn  # the name stays bound to the checked function
    annotate.codes = (*annotate.codes, u.__code__)
    u.source = fn.source
    u.graph = fn.graph
    u.feeds = fn.feeds
    fn._unchecked = u
    return u


class _Annotator:
    """Adds a note naming the graph op to an exception raised inside generated code."""

    def __init__(self, graph, line_ops, first_line, lines=(), inlined=()):
        self.graph_name = graph.name
        self.line_ops = line_ops
        self.first = first_line
        self.lines = lines
        self.inlined = inlined
        self.code: Any = None
        self.codes: tuple = ()  # further code objects of the same lines (unchecked())

    def __call__(self, e: BaseException) -> None:
        if isinstance(e, GraphAssertionError) or not hasattr(e, "add_note"):
            return
        tb = e.__traceback__
        lineno = lasti = code = None
        while tb is not None:
            c = tb.tb_frame.f_code
            if c is self.code or c in self.codes:
                lineno, lasti, code = tb.tb_lineno, tb.tb_lasti, c
            tb = tb.tb_next
        if lineno is None:
            return
        i = lineno - self.first
        if 0 <= i < len(self.line_ops) and self.line_ops[i] is not None:
            op = self.line_ops[i]
            if i < len(self.inlined) and self.inlined[i]:
                op = self._inlined_op(i, lasti, op, code)
            note = (f"autograph engine: raised while running op '{op.name}' ({op.type}) of graph "
                    f"'{self.graph_name}'")
            if note not in getattr(e, "__notes__", ()):
                e.add_note(note)

    def _inlined_op(self, i, lasti, op, code):
        """The op, among those written into line ``i``, whose expression the failing
        instruction belongs to: the smallest inlined expression around its columns."""
        try:
            pos = list(code.co_positions())[lasti // 2]
            col, end = pos[2], pos[3]
        except (AttributeError, IndexError, TypeError):  # Python 3.10: no column positions
            return op
        if col is None or end is None:
            return op
        text = self.lines[i]
        best = None
        for o, expr in self.inlined[i]:
            start = text.find(expr)
            if start >= 0 and start <= col and end <= start + len(expr) and \
                    (best is None or len(expr) < best[1]):
                best = (o, len(expr))
        return best[0] if best is not None else op
