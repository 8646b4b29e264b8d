"""Operation kinds: how each op is emitted as Python source, evaluated for constant folding,
and keyed for common-subexpression elimination."""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

__all__ = ["Ref", "subst", "OpKind", "CALL", "CONST", "PLACEHOLDER"]


class Ref:
    """Stands for ``op.inputs[i]`` inside an op's argument template."""

    __slots__ = ("i",)

    def __init__(self, i: int):
        self.i = i

    def __repr__(self):
        return f"Ref({self.i})"


def subst(tpl, values):
    """Replace each Ref in a template by its value."""
    t = type(tpl)
    if t is Ref:
        return values[tpl.i]
    if t is tuple:
        return tuple(subst(x, values) for x in tpl)
    if t is list:
        return [subst(x, values) for x in tpl]
    if t is dict:
        return {k: subst(v, values) for k, v in tpl.items()}
    if t is slice:
        return slice(subst(tpl.start, values), subst(tpl.stop, values), subst(tpl.step, values))
    return tpl


class _Unhashable(Exception):
    pass


def tpl_key(tpl, in_keys):
    """A hashable key of a template (inputs replaced by their CSE keys)."""
    t = type(tpl)
    if t is Ref:
        return ("R", in_keys[tpl.i])
    if t is tuple:
        return ("T",) + tuple(tpl_key(x, in_keys) for x in tpl)
    if t is list:
        return ("L",) + tuple(tpl_key(x, in_keys) for x in tpl)
    if t is dict:
        return ("D",) + tuple((k, tpl_key(v, in_keys)) for k, v in tpl.items())
    if t is slice:
        return ("S", tpl_key(tpl.start, in_keys), tpl_key(tpl.stop, in_keys),
                tpl_key(tpl.step, in_keys))
    try:
        hash(tpl)
    except TypeError:
        raise _Unhashable from None
    if t is float and math.isnan(tpl):
        return ("nan",)
    return (t, tpl)


def literal(v, em) -> str:
    """Python source for a constant argument."""
    if v is None or v is True or v is False:
        return repr(v)
    if v is Ellipsis:
        return "..."
    t = type(v)
    if t is int:
        return repr(v) if v >= 0 else f"({v!r})"
    if t is float and math.isfinite(v):
        r = repr(v)
        return r if not r.startswith("-") else f"({r})"
    if t is str:
        return repr(v)
    return em.slot(v)


def code_of(tpl, op, em) -> str:
    t = type(tpl)
    if t is Ref:
        return em.ref(op.inputs[tpl.i])
    if t is tuple:
        inner = ", ".join(code_of(x, op, em) for x in tpl)
        return f"({inner},)" if len(tpl) == 1 else f"({inner})"
    if t is list:
        return "[" + ", ".join(code_of(x, op, em) for x in tpl) + "]"
    if t is dict:
        return "{" + ", ".join(f"{literal(k, em)}: {code_of(v, op, em)}"
                               for k, v in tpl.items()) + "}"
    if t is slice:
        return (f"{em.slot(slice)}({code_of(tpl.start, op, em)}, {code_of(tpl.stop, op, em)}, "
                f"{code_of(tpl.step, op, em)})")
    return literal(tpl, em)


def key_code(key, op, em) -> str:
    """Subscript source: ``1:3, None, ...`` for ``x[1:3, None, ...]``."""

    def item(k):
        if type(k) is slice:
            parts = ["" if p is None else code_of(p, op, em) for p in (k.start, k.stop, k.step)]
            s = f"{parts[0]}:{parts[1]}"
            if parts[2]:
                s += f":{parts[2]}"
            return s
        return code_of(k, op, em)

    if type(key) is tuple:
        if not key:
            return "()"
        if len(key) == 1:
            return item(key[0]) + ","
        return ", ".join(item(k) for k in key)
    return item(key)


def args_code(args, kwargs, op, em) -> str:
    parts = [code_of(a, op, em) for a in args]
    parts += [f"{k}={code_of(v, op, em)}" for k, v in kwargs.items()]
    return ", ".join(parts)


class OpKind:
    """How one kind of operation compiles. ``pure`` ops may be folded, merged and pruned."""

    pure = True
    control_flow = False
    name = "op"

    def emit(self, op, em) -> None:
        raise NotImplementedError

    def evaluate(self, op, values) -> tuple:
        raise NotImplementedError

    def cse_key(self, op, in_keys):
        return None

    def subgraphs(self, op) -> list:
        return []

    def describe(self, op) -> str:
        return ""


class ConstKind(OpKind):
    name = "Const"

    def emit(self, op, em):
        em.bind(op.outputs[0], em.const_expr(op.attrs["value"]))

    def evaluate(self, op, values):
        return (op.attrs["value"],)

    def describe(self, op):
        v = op.attrs["value"]
        s = np.array2string(np.asarray(v), threshold=6, edgeitems=2, separator=", ")
        return s.replace("\n", "")


class PlaceholderKind(OpKind):
    name = "Placeholder"
    pure = False  # never folded; fed

    def emit(self, op, em):  # pragma: no cover - placeholders are bound to arguments
        raise AssertionError


class CallKind(OpKind):
    """A numpy call: ``fn(*args, **kwargs)`` where the templates hold Refs to the inputs.

    attrs: ``fn``, ``args``, ``kwargs``, ``style`` ('call', 'binop', 'unop', 'method',
    'getitem'), ``symbol`` (operator or method name), ``scalarize`` (turn a 0-d result into a
    numpy scalar), ``view`` (may return a view of an input), ``wrap`` (type that converts a
    Python-scalar result), ``nout``.
    """

    name = "Call"

    def emit(self, op, em):
        a = op.attrs
        style = a["style"]
        args = a["args"]
        if style == "binop":
            expr = f"{code_of(args[0], op, em)} {a['symbol']} {code_of(args[1], op, em)}"
        elif style == "unop":
            sym = a["symbol"]
            x = code_of(args[0], op, em)
            expr = f"{em.slot(builtins.abs)}({x})" if sym == "abs" else f"{sym}{x}"
        elif style == "not0d":
            x = code_of(args[0], op, em)
            if em.scalar:  # a Python bool (scalar_loops.py)
                em.assign(op, f"not {x}")
                return
            if em.lowering and em.only_tested(op.outputs[0], op.graph):
                # read once, by an `if` of this graph: Python's `not` is all it needs (names
                # are assigned once per run or loop iteration, so `x` is still this value)
                em.bind(op.outputs[0], f"(not {x})")
                return
            expr = f"({em.slot(np.False_)} if {x} else {em.slot(np.True_)})"
        elif style == "getitem":
            expr = f"{code_of(args[0], op, em)}[{key_code(args[1], op, em)}]"
        elif style == "method":
            expr = (f"{code_of(args[0], op, em)}.{a['symbol']}"
                    f"({args_code(args[1:], a['kwargs'], op, em)})")
        elif em.scalar and a["fn"] is np.where:  # on Python numbers (scalar_loops.py)
            p, x, y = (code_of(v, op, em) for v in args)
            em.assign(op, f"({x} if {p} else {y})")
            return
        else:
            expr = f"{em.slot(a['fn'])}({args_code(args, a['kwargs'], op, em)})"
        if a.get("wrap") is not None:
            expr = f"{em.slot(a['wrap'])}({expr})"
        if a.get("scalarize") and op.outputs[0].shape == () and len(op.outputs) == 1:
            expr = f"{expr}[()]"
        em.assign(op, expr)

    def evaluate(self, op, values):
        a = op.attrs
        args = subst(a["args"], values)
        kwargs = subst(a["kwargs"], values)
        style = a["style"]
        if style == "getitem":
            r = args[0][args[1]]
        elif style == "method":
            r = getattr(args[0], a["symbol"])(*args[1:], **kwargs)
        else:
            r = a["fn"](*args, **kwargs)
        if a.get("wrap") is not None:
            r = a["wrap"](r)
        if a["nout"] == 1:
            return (r,)
        return tuple(r)

    def cse_key(self, op, in_keys):
        a = op.attrs
        try:
            return ("call", a["fn"], a["style"], a.get("symbol"), tpl_key(a["args"], in_keys),
                    tpl_key(a["kwargs"], in_keys))
        except _Unhashable:
            return None

    def describe(self, op):
        a = op.attrs
        return _describe_tpl(a["args"], a["kwargs"], op)


def _describe_tpl(args, kwargs, op) -> str:
    def d(v):
        t = type(v)
        if t is Ref:
            return op.inputs[v.i].op.name if len(op.inputs[v.i].op.outputs) == 1 else \
                op.inputs[v.i].name
        if t is tuple:
            return "(" + ", ".join(d(x) for x in v) + ("," if len(v) == 1 else "") + ")"
        if t is list:
            return "[" + ", ".join(d(x) for x in v) + "]"
        if t is dict:
            return "{" + ", ".join(f"{k!r}: {d(x)}" for k, x in v.items()) + "}"
        if t is slice:
            parts = ["" if p is None else d(p) for p in (v.start, v.stop, v.step)]
            return ":".join(parts[:2]) + (f":{parts[2]}" if parts[2] else "")
        if v is Ellipsis:
            return "..."
        if isinstance(v, type):
            return v.__name__
        if callable(v) and hasattr(v, "__name__"):
            return v.__name__
        return repr(v)

    parts = [d(a) for a in args] + [f"{k}={d(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


CONST = ConstKind()
PLACEHOLDER = PlaceholderKind()
CALL = CallKind()


# ---------------------------------------------------------------------------------------------
# run-time helpers used by generated code
# ---------------------------------------------------------------------------------------------
def rt_setitem(x, key, value):
    y = np.array(x, copy=True)
    y[key] = value
    return y if y.ndim else y[()]


def rt_at_update(ufunc, x, key, value):
    y = np.array(x, copy=True)
    if y.ndim == 0:
        y = ufunc(y, value).astype(y.dtype)
        return y[()]
    ufunc.at(y, key, value)
    return y


def rt_copy_array(x):
    return x.copy() if type(x) is np.ndarray else x


def rt_npify(r):
    return tuple(v if isinstance(v, (np.ndarray, np.generic)) else np.asarray(v)[()] for v in r)


def rt_identity(x: Any) -> Any:
    return x
