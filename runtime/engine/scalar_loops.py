"""Loops over the elements of 1-D arrays run on Python numbers, with numpy's results.

A loop the executor writes as ``for x in xs:`` (see control_flow.py, "counter loops") pays for
numpy scalar arithmetic on every element: ``x % 2 > 0`` on an ``np.int64`` costs about five
times the same on an ``int``. When every value the body computes is a 0-d ``int64``,
``float64`` or ``bool``, and every operation is one whose Python meaning on ``int``/``float``/
``bool`` is numpy's on those dtypes, the loop runs over ``xs.tolist()`` on Python numbers, and
its results are turned back into numpy scalars after it::

    try:
        s = 0
        for x in xs.tolist():
            if not x % 2 > 0:
                s = s + x
                if not -9223372036854775808 <= s <= 9223372036854775807: raise _Fallback
        While_v1 = np.int64(0) + s
    except _Fallback:
        <the same loop on numpy scalars, from the entry values>

Python and numpy agree exactly on these values as long as no integer leaves int64's range
(numpy wraps around, Python does not) and no float arithmetic overflows or meets inf or nan
(numpy may warn). So each integer result that could leave the range is checked where it is
computed, and each float result of arithmetic must be finite; where a check fails, the loop
runs again from its entry values on numpy scalars (the body has no effects), which gives
numpy's values and warnings exactly. Every value on the Python path is thus one numpy would
compute without a warning, and Python ints stay within 64 bits.

Most checks are not needed: each integer carries a bound on its magnitude, a constant plus
multiples of the loop variables' magnitudes, and the trip count (the array's static length)
bounds the loop variables over all iterations. ``i = i + 1`` from 0, ``x % 3`` or a
comparison count need no check; a sum of the elements does.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .ops import CALL, Ref

__all__ = ["plan", "emit"]

_LO, _HI = -(1 << 63), (1 << 63) - 1
_CHUNK = 1 << 16  # arrays longer than this are converted to lists a chunk at a time
_KIND = {np.dtype(np.int64): "i", np.dtype(np.float64): "f", np.dtype(np.bool_): "b"}
# Python numbers back to numpy scalars: `np.int64(0) + x` costs a fifth of `np.int64(x)` (x is
# known to fit), and -0.0 is the float identity that keeps x's sign, nan and inf
_ZERO_INT, _ZERO_FLOAT = np.int64(0), np.float64(-0.0)
_ARITH = ("+", "-", "*")
_COMPARE = ("<", "<=", ">", ">=", "==", "!=")
_ANY_INT64 = 1 << 63  # the bound of an int64 value nothing more is known of


class _Fallback(Exception):
    """A check failed: the loop reruns on numpy scalars."""


class _Int:
    """An int64 value: ``|v| <= a + sum(b[i] * |L_i|)`` over the loop variables L_i at the start
    of an iteration (``b`` all 0: a constant bound)."""

    __slots__ = ("a", "b")

    def __init__(self, a: int, b: tuple):
        self.a, self.b = a, b


class _Unsupported(Exception):
    pass


def _kind_of(t) -> str:
    k = _KIND.get(t.dtype)
    if k is None or t.shape != ():
        raise _Unsupported
    return k


def rt_items(xs):
    """The elements of a long 1-D array as Python numbers, converted a chunk at a time."""
    return itertools.chain.from_iterable(xs[i:i + _CHUNK].tolist()
                                         for i in range(0, len(xs), _CHUNK))


class ScalarLoop:
    """What :func:`emit` needs to know of a loop the analysis accepted."""

    __slots__ = ("outside", "int_checks", "float_checks", "kinds")

    def __init__(self, outside, int_checks, float_checks, kinds):
        self.outside: list = outside  # 0-d tensors computed before the loop, read by the body
        self.int_checks: set = int_checks  # id(op): its int result is checked for int64 range
        self.float_checks: set = float_checks  # id(op): its float result is checked finite
        self.kinds: list = kinds  # per loop variable: "i", "f", "b" (None for the counter)


def plan(op, em, c):
    """A :class:`ScalarLoop` if the counter loop ``op`` (iterating arrays: ``c.iterate``) can
    run on Python numbers, else None."""
    try:
        return _Analysis(op, em, c).run()
    except _Unsupported:
        return None


class _Analysis:
    def __init__(self, op, em, c):
        self.op, self.plan, self.c = op, em.plan, c
        self.bg = op.attrs["body_graph"]
        self.m = op.attrs["n"]
        self.vals: dict = {}  # id(canonical tensor) -> "f", "b" or an _Int
        self.outside: dict = {}  # id -> tensor: values from before the loop
        self.arith: list = []  # (tensor, _Int): the body's integer arithmetic results
        self.int_checks: set = set()  # id(tensor) checked for int64 range where computed
        self.float_checks: set = set()  # id(op) whose float result is checked finite

    def zero(self) -> tuple:
        return (0,) * self.m

    def run(self):
        op, c, plan = self.op, self.c, self.plan
        # `xs[k]` with the counter anywhere but at the top of the body reads numpy scalars
        if c.dtype != np.int64 or any(o not in c.iterate for o in c.getitems):
            raise _Unsupported
        for o in c.iterate:
            xs = plan.canon(o.inputs[o.attrs["args"][0].i])
            if xs.shape is None or len(xs.shape) != 1 or xs.dtype not in _KIND:
                raise _Unsupported
        kinds = [None if i == c.j else _kind_of(op.outputs[i]) for i in range(self.m)]
        entry = []
        for i in range(self.m):
            t = op.inputs[i]
            if i != c.j and plan.canon(t).dtype != op.outputs[i].dtype:
                raise _Unsupported
            entry.append(abs(int(plan.const_value(t))) if i != c.j and kinds[i] == "i" and
                         plan.is_const(t) else _ANY_INT64 if kinds[i] == "i" else 0)
        # A checked value is known to be in range, which may spare checks after it: repeat
        # until no more checks are needed (they only grow, so this ends).
        while True:
            outs = self._body(kinds)
            rows = [(entry[i] + outs[i].a, outs[i].b) if kinds[i] == "i" else (0, self.zero())
                    for i in range(self.m)]
            bound = _iterate(rows, entry, c.limit_static)
            more = {id(t) for t, v in self.arith
                    if id(t) not in self.int_checks and _value(v, bound) > _HI}
            if not more:
                break
            self.int_checks |= more
        return ScalarLoop(list(self.outside.values()),
                          {id(t.op) for t, _v in self.arith if id(t) in self.int_checks},
                          self.float_checks, kinds)

    # -- the body ----------------------------------------------------------------------------
    def _body(self, kinds):
        c, plan, bg, m = self.c, self.plan, self.bg, self.m
        self.vals, self.arith = {}, []
        for i in range(m):
            t = plan.canon(bg.inputs[i])
            if i == c.j:
                self.vals[id(t)] = _Int(c.limit_static, self.zero())
            elif kinds[i] == "i":
                self.vals[id(t)] = _Int(0, tuple(int(x == i) for x in range(m)))
            else:
                self.vals[id(t)] = kinds[i]
        for o in c.iterate:
            xs = plan.canon(o.inputs[o.attrs["args"][0].i])
            k = _KIND[xs.dtype]
            self.vals[id(plan.canon(o.outputs[0]))] = \
                _Int(_ANY_INT64, self.zero()) if k == "i" else k
        self._graph(bg, skip={id(c.add)} | {id(o) for o in c.iterate})
        return [None if i == c.j else self.value(t) for i, t in enumerate(bg.outputs)]

    def _graph(self, g, skip=frozenset()):
        for o in g._ops:
            if id(o) not in self.plan.live or o.type == "LoopVar" or id(o) in skip:
                continue
            if o.stateful:  # the body may run twice (see emit): it must have no effects
                raise _Unsupported
            if o.type == "Cond":
                self._cond(o)
                continue
            if o.kind is not CALL:
                raise _Unsupported
            t = o.outputs[0]
            v = self._call(o)
            if isinstance(v, _Int) and id(t) in self.int_checks:
                v = _Int(_ANY_INT64, self.zero())  # checked where it is computed
            self.vals[id(t)] = v

    def value(self, t):
        plan = self.plan
        t = plan.canon(t)
        if plan.is_const(t):
            return _const(plan.const_value(t), self.zero())
        v = self.vals.get(id(t))
        if v is not None:
            return v
        if not t.op.graph.is_ancestor_of(self.op.graph):
            raise _Unsupported
        k = _kind_of(t)
        self.outside[id(t)] = t
        return _Int(_ANY_INT64, self.zero()) if k == "i" else k

    def _cond(self, o):
        self.value(o.inputs[0])  # its truth: a bool, an int or a float, all exact
        _kind_of(o.inputs[0])
        branches = o.attrs["branches"]
        choice = o.kind._static_choice(o, self.plan)
        results = []
        for i, sub in enumerate(branches):
            if choice is not None and i != choice:
                continue
            self._graph(sub)
            results.append([self.value(t) for t in sub.outputs])
        for k, out in enumerate(o.outputs):
            kind = _kind_of(out)
            for sub in branches:
                if self.plan.canon(sub.outputs[k]).dtype != out.dtype:
                    raise _Unsupported
            self.vals[id(out)] = _join([r[k] for r in results], self.m) if kind == "i" else kind

    def _operand(self, o, x):
        """(kind, abstract value, Python value if constant else None) of an argument."""
        if type(x) is Ref:
            t = o.inputs[x.i]
            v = self.value(t)
            cv = self.plan.const_value(t).item() if self.plan.is_const(t) else None
            return (v if isinstance(v, str) else "i"), v, cv
        if type(x) is bool:
            return "b", "b", x
        if type(x) is int and _LO <= x <= _HI:
            return "i", _Int(abs(x), self.zero()), x
        if type(x) is float:
            return "f", "f", x
        raise _Unsupported

    def _call(self, o):
        """The abstract value of the numpy call ``o``'s result, if Python gives numpy's."""
        a = o.attrs
        if a.get("kwargs") or a.get("wrap") is not None or len(o.outputs) != 1:
            raise _Unsupported
        out = _kind_of(o.outputs[0])
        style, sym = a["style"], a.get("symbol")
        ops = [self._operand(o, x) for x in a["args"]]
        kinds = [p[0] for p in ops]
        if style == "not0d" and kinds == ["b"]:
            return "b"
        if style == "call" and a["fn"] is np.where and len(ops) == 3 and kinds[0] == "b":
            if any(k != out for k in kinds[1:]):
                raise _Unsupported
            return _join([ops[1][1], ops[2][1]], self.m) if out == "i" else out
        if style == "unop" and sym in ("-", "+", "abs") and kinds[0] == out != "b":
            v = ops[0][1]
            if out == "i" and sym != "+":  # -x and abs(x) overflow for x = -2**63
                self._arith(o, v)
            return v
        if style != "binop" or len(ops) != 2 or ("b" in kinds and sym not in _COMPARE):
            raise _Unsupported
        (ka, va, _ca), (kb, vb, cb) = ops
        if sym in _COMPARE:
            # Python compares an int and a float exactly, numpy converts the int to float64:
            # the same only for ints that float64 holds exactly
            if out != "b" or (ka != kb and not _exact_in_float(ops)):
                raise _Unsupported
            return "b"
        want = "i" if ka == kb == "i" else "f"
        if out != want:
            raise _Unsupported
        if sym in ("/", "//", "%"):
            # a constant divisor: Python raises on 0, numpy warns; int / int rounds the exact
            # quotient in Python, float64(a) / float64(b) in numpy; -2**63 // -1 overflows
            if cb is None or cb == 0 or (sym == "/" and want == "i") or \
                    (sym == "//" and (want == "f" or cb == -1)):
                raise _Unsupported
            if want == "f":
                self.float_checks.add(id(o))
                return "f"
            return _Int(abs(cb) - 1, self.zero()) if sym == "%" else va
        if sym not in _ARITH:
            raise _Unsupported
        if want == "f":
            self.float_checks.add(id(o))
            return "f"
        if sym == "*":
            if any(va.b) and any(vb.b):
                v = _Int(_ANY_INT64 * _ANY_INT64, self.zero())  # unbounded: always checked
                self.int_checks.add(id(o.outputs[0]))
            else:
                if any(va.b):
                    va, vb = vb, va
                v = _Int(va.a * vb.a, tuple(va.a * x for x in vb.b))
        else:
            v = _Int(va.a + vb.a, tuple(x + y for x, y in zip(va.b, vb.b)))
        self._arith(o, v)
        return v

    def _arith(self, o, v):
        self.arith.append((o.outputs[0], v))


def _exact_in_float(ops) -> bool:
    return any(k == "i" and cv is not None and abs(cv) <= 1 << 53 for k, _v, cv in ops)


def _const(v, zero):
    if isinstance(v, np.bool_):
        return "b"
    if isinstance(v, np.int64):
        return _Int(abs(int(v)), zero)
    if isinstance(v, np.float64):
        return "f"
    raise _Unsupported


def _join(vs, m):
    if any(not isinstance(v, _Int) for v in vs):
        raise _Unsupported
    return _Int(max(v.a for v in vs), tuple(max(v.b[i] for v in vs) for i in range(m)))


def _value(v: _Int, bound) -> float:
    if bound is None:
        return math.inf if any(v.b) else v.a
    return v.a + sum(b * x for b, x in zip(v.b, bound))


def _iterate(rows, entry, n):
    """``G^n(L0)`` for ``G(L) = c + B.L`` (``rows[i] = (c_i, B_i)``, with ``c >= L0`` and
    ``B >= 0``): it bounds the loop variables at the start of each of the ``n`` iterations.
    By squaring the affine map, ``log2(n)`` steps; None where it grows past any use."""
    m = len(rows)
    mat = [list(b) + [cst] for cst, b in rows] + [[0] * m + [1]]  # acting on (L, 1)
    result = [[int(i == j) for j in range(m + 1)] for i in range(m + 1)]
    while n:
        if n & 1:
            result = _matmul(result, mat)
        n >>= 1
        if n:
            mat = _matmul(mat, mat)
        if result is None or mat is None:
            return None
    vec = list(entry) + [1]
    return [sum(result[i][j] * vec[j] for j in range(m + 1)) for i in range(m)]


def _matmul(p, q):
    if p is None or q is None:
        return None
    k = len(p)
    r = [[sum(p[i][x] * q[x][j] for x in range(k)) for j in range(k)] for i in range(k)]
    if any(v > 1 << 256 for row in r for v in row):  # far past int64: nothing to prove
        return None
    return r


# ---------------------------------------------------------------------------------------------
# emitting
# ---------------------------------------------------------------------------------------------
def emit(op, em, names, c, sl: ScalarLoop, emit_plain) -> None:
    """Emit the loop ``op`` on Python numbers (``em.scalar`` on); ``emit_plain()`` emits it as
    numpy code, which runs from the entry values when a check fails."""
    from .control_flow import _assign, _coalesce, _drop_preferred, _for_elements, _skip_op

    bg = op.attrs["body_graph"]
    plan = em.plan
    j = c.j
    fallback = bool(sl.int_checks or sl.float_checks)
    raise_ = f"raise {em.slot(_Fallback, 'E')}" if fallback else ""
    if fallback:
        em.line("try:")
        em.ind += 1
    em.scalar = True
    py = {i: em.fresh(f"{names[i]}_py") for i in range(len(names)) if i != j}
    entry = [em.ref(op.inputs[i]) if plan.is_const(op.inputs[i]) else
             f"{em.ref(op.inputs[i])}.item()" for i in py]
    saved = {}
    for t in sl.outside:  # values from before the loop, read by the body
        nm = em.fresh(f"{t.op.name}_py")
        em.line(f"{nm} = {em.ref(t)}.item()")
        saved[id(t)] = em.names.get(id(t))
        em.bind(t, nm)
    if py:
        em.line(f"{', '.join(py.values())} = {', '.join(entry)}")
    for i, nm in py.items():
        em.bind(bg.inputs[i], nm)
    k = None
    if c.body_reads:
        k = em.fresh(f"{op.name}_k")
        em.bind(bg.inputs[j], k)

    def elements(xs):
        xs = plan.canon(xs)
        return f"{em.ref(xs)}.tolist()" if xs.shape[0] <= _CHUNK else \
            f"{em.slot(rt_items, 'f')}({em.ref(xs)})"

    _for_elements(em, c.iterate, k, elements)
    em.special[id(c.add)] = _skip_op
    checked = [o for o in _ops_of(bg) if id(o) in sl.int_checks or id(o) in sl.float_checks]
    for o in checked:
        em.special[id(o)] = _checked(raise_, id(o) in sl.int_checks)
    with em.indent():
        keys = _coalesce(op, em, [py.get(i) for i in range(len(names))])
        n_lines = em.emit_graph(bg)
        _drop_preferred(em, keys)
        _assign(em, [(nm, em.ref(bg.outputs[i])) for i, nm in py.items()], n_lines == 0)
    out = [i for i in py if id(op.outputs[i]) in plan.needed]
    if out:
        conv = [_to_numpy(sl.kinds[i], py[i], em) for i in out]
        em.line(f"{', '.join(names[i] for i in out)} = {', '.join(conv)}")
    em.scalar = False
    for o in checked:
        del em.special[id(o)]
    for key, nm in saved.items():
        if nm is None:
            em.names.pop(key, None)
        else:
            em.names[key] = nm
    if fallback:
        em.ind -= 1
        em.line(f"except {em.slot(_Fallback, 'E')}:")
        with em.indent():
            emit_plain()
    for i, nm in enumerate(names):
        em.bind(op.outputs[i], nm)


def _to_numpy(kind, x, em) -> str:
    if kind == "i":
        return f"{em.slot(_ZERO_INT)} + {x}"
    if kind == "f":
        return f"{em.slot(_ZERO_FLOAT)} + {x}"
    return f"({em.slot(np.True_)} if {x} else {em.slot(np.False_)})"


def _checked(raise_, is_int):
    def emit_checked(o, em):
        o.kind.emit(o, em)
        v = em.ref(o.outputs[0])
        # `v - v` is 0.0 (false) for a finite float and nan (true) for inf and nan
        em.line(f"if not {_LO} <= {v} <= {_HI}: {raise_}" if is_int else f"if {v} - {v}: {raise_}")

    emit_checked.assigns = True  # through em.assign: it may assign a loop variable directly
    return emit_checked


def _ops_of(g):
    for o in g._ops:
        yield o
        for sub in o.kind.subgraphs(o):
            yield from _ops_of(sub)
