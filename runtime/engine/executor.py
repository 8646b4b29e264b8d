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
from .ops import rt_copy_array
from .shapes import fits, shape_str
from .tensor import Tensor, _python_scalar_fits

__all__ = ["compile_graph", "compile_for_run"]

_RUN_CACHE_LIMIT = 512
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

    def out_names(self, op) -> list:
        outs = op.outputs
        if len(outs) == 1:
            names = [self.fresh(op.name)]
        else:
            names = [self.fresh(f"{op.name}_{i}") for i in range(len(outs))]
        for o, n in zip(outs, names, strict=False):
            self.names[id(o)] = n
        return names

    def assign(self, op, expr: str) -> None:
        names = self.out_names(op)
        if names:
            self.line(f"{', '.join(names)} = {expr}")
        else:
            self.line(expr)

    def line(self, s: str) -> None:
        self.lines.append("    " * self.ind + s)
        self.line_ops.append(self.cur_op)

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
        for op in graph._ops:
            if id(op) not in live or op.type in ("Placeholder", "LoopVar"):
                continue
            prev = self.cur_op
            self.cur_op = op
            op.kind.emit(op, self)
            self.cur_op = prev
        return len(self.lines) - n0

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
    params = []
    for p in feed_list:
        n = em.fresh(p.op.name)
        params.append(n)
        em.bind(p, n)
    for p, n in zip(feed_list, params, strict=False):
        _feed_check(em, p, n)  # feed errors name the placeholder themselves
    em.cur_op = None
    em.emit_graph(graph)
    em.cur_op = None
    em.line(f"return {_out_code(em, fetches)}")

    fname = f"_graph_{re.sub(r'[^A-Za-z0-9_]', '_', graph.name)}"
    filename = f"<autograph-engine:{graph.name}:{next(_counter)}>"
    annotate = _Annotator(graph, em.line_ops, 3)
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
    return fn


class _Annotator:
    """Adds a note naming the graph op to an exception raised inside generated code."""

    def __init__(self, graph, line_ops, first_line):
        self.graph_name = graph.name
        self.line_ops = line_ops
        self.first = first_line
        self.code: Any = None

    def __call__(self, e: BaseException) -> None:
        if isinstance(e, GraphAssertionError) or not hasattr(e, "add_note"):
            return
        tb = e.__traceback__
        lineno = None
        while tb is not None:
            if tb.tb_frame.f_code is self.code:
                lineno = tb.tb_lineno
            tb = tb.tb_next
        if lineno is None:
            return
        i = lineno - self.first
        if 0 <= i < len(self.line_ops) and self.line_ops[i] is not None:
            op = self.line_ops[i]
            note = (f"autograph engine: raised while running op '{op.name}' ({op.type}) of graph "
                    f"'{self.graph_name}'")
            if note not in getattr(e, "__notes__", ()):
                e.add_note(note)
