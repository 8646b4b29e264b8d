"""numpy as the op vocabulary: ufuncs, numpy functions and indexing on graph tensors.

Each numpy callable becomes one op type (named after it). The result's dtype and shape are
inferred by numpy itself: ufuncs by calling them on 0-d values of the input dtypes (so type
promotion, NEP 50 for Python scalars included, is numpy's own) with numpy's broadcasting rules
for the shape; other functions by running them on small stand-in arrays of the input dtypes and
shapes (:func:`_infer_by_evaluation`), or by an explicit rule where that cannot work (indexing,
``reshape``, creation functions, concatenation, data-dependent sizes).

This module also holds creation functions that take tensors as sizes (``zeros``, ``ones``,
``full``, ``empty``, ``arange``, ``eye``, ``identity``, ``linspace``) and ``shape(x)``: numpy's
own versions cannot take a graph tensor as a size (they are not dispatched) unless called with
``like=tensor``.
"""

from __future__ import annotations

import math
import operator
import warnings
from typing import Any, Optional

import numpy as np

from . import shapes as _shapes
from .errors import UnsupportedNumpyError
from .ops import CALL, Ref, rt_at_update, rt_npify, rt_setitem, subst
from .shapes import broadcast_shapes, shape_str
from .tensor import Tensor, add_op, constant, convert_to_tensor

__all__ = ["zeros", "ones", "empty", "full", "arange", "eye", "identity", "linspace", "shape",
           "ndim", "size", "setitem", "supported_functions"]

_PYSCALARS = (bool, int, float, complex)

_BINOPS = {
    np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/",
    np.floor_divide: "//", np.remainder: "%", np.power: "**", np.matmul: "@",
    np.bitwise_and: "&", np.bitwise_or: "|", np.bitwise_xor: "^", np.left_shift: "<<",
    np.right_shift: ">>", np.less: "<", np.less_equal: "<=", np.greater: ">",
    np.greater_equal: ">=", np.equal: "==", np.not_equal: "!=",
}
_UNOPS = {np.negative: "-", np.positive: "+", np.invert: "~", np.absolute: "abs"}


_VARIABLE_CLS: list = []


def _Variable():
    if not _VARIABLE_CLS:
        from .variables import Variable

        _VARIABLE_CLS.append(Variable)
    return _VARIABLE_CLS[0]


def _qualname(func) -> str:
    mod = getattr(func, "__module__", None) or "numpy"
    if isinstance(func, np.ufunc):
        mod = "numpy"
    name = getattr(func, "__name__", repr(func))
    return f"{mod}.{name}"


def unsupported(func, why: str = "") -> UnsupportedNumpyError:
    msg = f"autograph engine: {_qualname(func)} is not supported on graph tensors"
    if why:
        msg += f" ({why})"
    return UnsupportedNumpyError(msg)


# ---------------------------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------------------------
class _Builder:
    """Collects a call's tensor inputs and replaces them by Refs in its argument template."""

    __slots__ = ("inputs", "_ids", "_scan", "_hint")

    def __init__(self, *scan):
        self.inputs: list = []
        self._ids: dict = {}
        self._scan = scan
        self._hint = None

    def _graph(self):
        """Where a Variable read goes: the graph the call's tensors live in."""
        if self._hint is None:
            from .graph import in_graph_context
            from .tensor import graph_for

            found: list = []
            _find_tensors(self._scan, found)
            found += self.inputs
            self._hint = graph_for(found) if (found and not in_graph_context()) else \
                graph_for([])
        return self._hint

    def ref(self, t: Tensor) -> Ref:
        i = self._ids.get(id(t))
        if i is None:
            if _is_list(t):
                raise TypeError(
                    f"autograph engine: TensorList '{t.name}' cannot be used as a numpy array; "
                    "call .stack() first")
            i = self._ids[id(t)] = len(self.inputs)
            self.inputs.append(t)
        return Ref(i)

    def tpl(self, v):
        if isinstance(v, Tensor):
            return self.ref(v)
        t = type(v)
        if t in _PYSCALARS or v is None or t is str:
            return v
        if isinstance(v, (np.ndarray, np.generic)):
            return self.ref(constant(v))
        if t is list:
            return [self.tpl(x) for x in v]
        if isinstance(v, tuple):
            return tuple(self.tpl(x) for x in v)
        if t is dict:
            return {k: self.tpl(x) for k, x in v.items()}
        if t is slice:
            return slice(self.tpl(v.start), self.tpl(v.stop), self.tpl(v.step))
        if isinstance(v, _Variable()):
            return self.ref(v._graph_value(self._graph()))
        return v


def _find_tensors(v, out: list) -> None:
    if isinstance(v, Tensor):
        out.append(v)
    elif isinstance(v, (list, tuple)):
        for x in v:
            _find_tensors(x, out)
    elif isinstance(v, dict):
        for x in v.values():
            _find_tensors(x, out)


def _is_list(t) -> bool:
    return getattr(t, "_is_tensor_list", False)


def _run_quiet(func, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return func(*args, **kwargs)


def _fill(shape, dtype, fill):
    if dtype.kind == "b":
        value = bool(fill == 1)
    elif dtype.kind in "iufc":
        value = fill
    else:
        return np.zeros(shape, dtype)
    return np.full(shape, value, dtype)


def _dummy0d(t: Tensor):
    if t.op.type == "Const":
        return t.op.attrs["value"]
    return _fill((), t.dtype, 1)[()]


def _new(func, op_type, b: _Builder, args, kwargs, specs, *, style="call", symbol=None,
         scalarize=True, view=False, wrap=None, container=None, name=None):
    op = add_op(CALL, op_type, b.inputs, specs,
                attrs={"fn": func, "args": args, "kwargs": kwargs, "style": style,
                       "symbol": symbol, "scalarize": scalarize, "view": view, "wrap": wrap,
                       "nout": len(specs)},
                name=name)
    if container is None:
        return op.outputs[0]
    return container(op.outputs)


# ---------------------------------------------------------------------------------------------
# ufuncs
# ---------------------------------------------------------------------------------------------
def array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__":
        return ufunc_call(ufunc, inputs, kwargs)
    if method == "at":
        raise TypeError(f"autograph engine: numpy.{ufunc.__name__}.at() works in place and graph "
                        "tensors are immutable; use t.at[key].add(v) (or .multiply, .min, .max)")
    if method in ("reduce", "accumulate", "reduceat", "outer"):
        if kwargs.get("out") is not None:
            raise _out_error(f"{ufunc.__name__}.{method}")
        return _generic(getattr(ufunc, method), inputs, kwargs,
                        name=f"{ufunc.__name__}_{method}")
    return NotImplemented


def _out_error(name):
    return TypeError(f"autograph engine: numpy.{name}(..., out=...) writes into an existing "
                     "array, but graph tensors are immutable; drop `out=` and use the result")


def ufunc_call(ufunc: np.ufunc, args: tuple, kwargs: dict) -> Any:
    """``ufunc(*args, **kwargs)`` on graph tensors: one op, broadcast shape, numpy's dtype."""
    if kwargs.get("out") is not None:
        raise _out_error(ufunc.__name__)
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    if ufunc.signature is not None:  # generalized ufuncs (matmul, vecdot...)
        if ufunc is np.matmul and not kwargs and len(args) == 2:
            return _generic(ufunc, args, kwargs, style="binop", symbol="@")
        return _generic(ufunc, args, kwargs)
    b = _Builder(args, kwargs)
    targs = []
    shapes = []
    for a in args:
        if type(a) in _PYSCALARS:
            targs.append(a)
            shapes.append(())
            continue
        if isinstance(a, (list, tuple)):
            a = convert_to_tensor(a)
        elif not isinstance(a, (Tensor, np.ndarray, np.generic, _Variable())):
            return NotImplemented
        r = b.tpl(a)
        targs.append(r)
        shapes.append(b.inputs[r.i].shape)
    tkw = b.tpl(kwargs)
    if "where" in kwargs and isinstance(tkw["where"], Ref):
        shapes.append(b.inputs[tkw["where"].i].shape)
    dummies = [_dummy0d(t) for t in b.inputs]
    try:
        with np.errstate(all="ignore"):  # ufuncs only warn through errstate
            res = ufunc(*subst(targs, dummies), **subst(tkw, dummies))
    except Exception as e:
        _note(e, f"autograph engine: while adding numpy.{ufunc.__name__} to the graph")
        raise
    shape = broadcast_shapes(*shapes)
    outs = res if ufunc.nout > 1 else (res,)
    specs = [(np.asarray(r).dtype, shape) for r in outs]
    style, symbol = "call", None
    if not tkw:
        if len(targs) == 2 and ufunc in _BINOPS:
            style, symbol = "binop", _BINOPS[ufunc]
        elif len(targs) == 1 and ufunc in _UNOPS:
            style, symbol = "unop", _UNOPS[ufunc]
        elif (ufunc is np.logical_not and len(b.inputs) == 1 and isinstance(targs[0], Ref)
              and b.inputs[0].shape == () and b.inputs[0].dtype == np.bool_):
            # A 0-d bool (a loop's continue/break flag): a conditional expression picking
            # np.False_/np.True_ costs a fifth of the ufunc call on a numpy scalar.
            style = "not0d"
    return _new(ufunc, ufunc.__name__, b, tuple(targs), tkw, specs, style=style, symbol=symbol,
                scalarize=False, container=tuple if ufunc.nout > 1 else None)


def _note(e: BaseException, text: str) -> None:
    if hasattr(e, "add_note"):
        e.add_note(text)


# ---------------------------------------------------------------------------------------------
# numpy functions
# ---------------------------------------------------------------------------------------------
_RULES: dict = {}


def supported_functions() -> list:
    """The numpy callables that build graph ops when given graph tensors."""
    return sorted({_qualname(f) for f in _RULES})


def array_function(func, types, args, kwargs):
    Variable = _Variable()
    for t in types:
        if not (issubclass(t, (Tensor, np.ndarray)) or issubclass(t, Variable)):
            return NotImplemented
    return call_function(func, args, kwargs)


def call_function(func: Any, args: tuple, kwargs: dict) -> Any:
    """``func(*args, **kwargs)`` with graph tensors among the arguments."""
    rule = _RULES.get(func)
    if rule is None:
        raise unsupported(func)
    return rule(func, args, kwargs)


def _register(names, rule, namespace=np):
    for name in names.split():
        obj = namespace
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None:
            _RULES[obj] = rule


# -- the generic rule: infer by evaluation ----------------------------------------------------
_SMALL_DIM = 16
_EXACT_LIMIT = 1 << 16
_EVAL_LIMIT = 1 << 20
# Stand-in sizes for unknown (and, for big inputs, large) dimensions, one pair per distinct
# size: run 1 uses the first row, run 2 the second. They divide by 2, 3, 4 and 6 so that
# np.split & co. accept them.
_SENTINELS = ((12, 36, 60, 84, 108, 132, 156, 180), (24, 48, 72, 96, 120, 144, 168, 192))


def _generic(func, args, kwargs, *, data_dependent=False, fill="const", view=False, name=None,
             style="call", symbol=None):
    if kwargs.get("out") is not None:
        raise _out_error(getattr(func, "__name__", "function"))
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    b = _Builder(args, kwargs)
    targs = b.tpl(tuple(args))
    tkw = b.tpl(kwargs)
    if not b.inputs:  # e.g. np.zeros(3, like=t): nothing symbolic
        return _eager_constant(func(*args, **kwargs))
    specs, container, wrap, scalarize = _infer_by_evaluation(
        func, targs, tkw, b.inputs, data_dependent=data_dependent, fill=fill)
    op_name = name or getattr(func, "__name__", "call")
    if container is not None and any(w is not None for w in wrap):
        # multi-output functions that give Python scalars: turn every output into numpy
        return _new(_compose_npify(func), op_name, b, targs, tkw, specs, container=container,
                    view=view)
    return _new(func, op_name, b, targs, tkw, specs, style=style, symbol=symbol,
                view=view, wrap=wrap[0] if container is None else None, container=container,
                scalarize=scalarize)


def _compose_npify(func):
    def call(*a, **k):
        return rt_npify(func(*a, **k))

    call.__name__ = getattr(func, "__name__", "call")
    return call


def _eager_constant(r):
    if isinstance(r, (tuple, list)):
        return type(r)(constant(x) for x in r) if not hasattr(r, "_fields") else tuple(
            constant(x) for x in r)
    return constant(r)


def _dummy_value(t: Tensor, shape, fill_i: int, fill: str):
    dt = t.dtype
    f = (1, 2)[fill_i]
    if fill == "eye" and len(shape) >= 2 and dt.kind in "fc":
        eye = np.eye(shape[-2], shape[-1], dtype=dt) * f
        return np.ascontiguousarray(np.broadcast_to(eye, shape))
    arr = _fill(shape, dt, f)
    return arr[()] if arr.ndim == 0 else arr  # 0-d values are numpy scalars at run time


def _infer_by_evaluation(func, targs, tkw, inputs, *, data_dependent=False, fill="const"):
    """Run ``func`` twice on stand-in arrays: unknown (and, for big inputs, large) dimensions
    get different sentinel sizes in the two runs, and values differ (1 then 2), so an output
    dimension that changes between the runs depends on an unknown size or on values: it is
    unknown (None). Dimensions that follow one input dimension map back to it."""
    consts = []
    for t in inputs:
        if t.op.type == "Const" and np.size(t.op.attrs["value"]) <= 64:
            consts.append(t.op.attrs["value"])
        else:
            consts.append(None)
    if any(t.shape is None for t, c in zip(inputs, consts, strict=False) if c is None):
        return _infer_unknown_rank(func, targs, tkw, inputs, consts, fill)

    dims = {d for t, c in zip(inputs, consts, strict=False) if c is None for d in t.shape}
    attempts = []
    total_exact = sum(
        math.prod(_SENTINELS[1][0] if d is None else d for d in t.shape)
        for t, c in zip(inputs, consts, strict=False) if c is None)
    if total_exact <= _EXACT_LIMIT:
        attempts.append([None] if None in dims else [])
    large = sorted(d for d in dims if d is not None and d > _SMALL_DIM)
    if large or not attempts:
        attempts.append(([None] if None in dims else []) + large)
    first_error = None
    for classes in attempts:
        if len(classes) > len(_SENTINELS[0]):
            continue
        try:
            runs = [_eval_with(func, targs, tkw, inputs, consts, fill, run,
                               {c: _SENTINELS[run][k] for k, c in enumerate(classes)})
                    for run in (0, 1)]
        except _TooBig:
            continue
        except Exception as e:  # numpy rejected the arguments
            if not classes:
                _note(e, f"autograph engine: while adding {_qualname(func)} to the graph "
                         f"(argument shapes {_arg_shapes(inputs)})")
                raise
            first_error = first_error or e
            continue
        return _derive(func, runs[0], runs[1], classes, data_dependent)
    # Sizes of unknown dimensions may be constrained (e.g. solve(A, b) needs len(b) ==
    # A.shape[0]): try a few concrete sizes for them and keep only the rank and dtype.
    if None in dims:
        candidates = [1, 2, 3, 4] + sorted(d for d in dims if d is not None and d > 4)
        found = []
        for v in candidates:
            try:
                r = _eval_with(func, targs, tkw, inputs, consts, fill, 0, {None: v})
            except Exception:
                continue
            found.append(_derive(func, r, r, [], data_dependent))
            if len(found) == 2:
                break
        if found:
            specs, container, wraps, _ = found[0]
            other = found[1][0] if len(found) == 2 else [(None, None)] * len(specs)
            specs = [(dt, None if (shp is None or o[1] is None or len(o[1]) != len(shp))
                      else (None,) * len(shp)) for (dt, shp), o in zip(specs, other, strict=False)]
            return specs, container, wraps, False
    if first_error is not None:
        _note(first_error, f"autograph engine: while adding {_qualname(func)} to the graph "
                           f"(argument shapes {_arg_shapes(inputs)})")
        raise first_error
    raise ValueError(f"autograph engine: the inputs of {_qualname(func)} are too large to infer "
                     f"its result shape (argument shapes {_arg_shapes(inputs)})")


def _eval_with(func, targs, tkw, inputs, consts, fill, run, sub):
    size = 0
    values = []
    for t, c in zip(inputs, consts, strict=False):
        if c is not None:
            values.append(c)
            continue
        shp = tuple(sub.get(d, d) for d in t.shape)
        size += math.prod(shp)
        if size > _EVAL_LIMIT:
            raise _TooBig
        values.append(_dummy_value(t, shp, run, fill))
    return _run_quiet(func, subst(targs, values), subst(tkw, values))


class _TooBig(Exception):
    pass


def _arg_shapes(inputs) -> str:
    return ", ".join(shape_str(t.shape) for t in inputs)


def _split_result(func, r):
    if isinstance(r, (tuple, list)):
        container = list if isinstance(r, list) else tuple
        return container, list(r)
    return None, [r]


def _derive(func, r1, r2, classes, data_dependent):
    c1, items1 = _split_result(func, r1)
    c2, items2 = _split_result(func, r2)
    if c1 is not c2 or len(items1) != len(items2):
        raise ValueError(f"autograph engine: the number of results of {_qualname(func)} depends "
                         "on the values of its graph-tensor arguments; it cannot be a graph op")
    specs, wraps = [], []
    for a, b in zip(items1, items2, strict=False):
        if not isinstance(a, (np.ndarray, np.generic, bool, int, float, complex)):
            raise unsupported(func, f"it returns {type(a).__name__}")
        arr_a, arr_b = np.asarray(a), np.asarray(b)
        if arr_a.dtype.kind in "OV":
            raise unsupported(func, f"it returns an array of dtype {arr_a.dtype}")
        wraps.append(None if isinstance(a, (np.ndarray, np.generic)) else arr_a.dtype.type)
        if arr_a.ndim != arr_b.ndim:
            shape = None
        elif data_dependent:
            shape = (None,) * arr_a.ndim
        else:
            dims = []
            for d1, d2 in zip(arr_a.shape, arr_b.shape, strict=False):
                if d1 == d2:
                    dims.append(d1)
                    continue
                val = None
                for k, c in enumerate(classes):
                    if d1 == _SENTINELS[0][k] and d2 == _SENTINELS[1][k]:
                        val = c
                        break
                dims.append(val)
            shape = tuple(dims)
        specs.append((arr_a.dtype, shape))
    scalarize = c1 is None and isinstance(r1, np.ndarray) and r1.ndim == 0
    return specs, c1, wraps, scalarize


def _infer_unknown_rank(func, targs, tkw, inputs, consts, fill):
    last = None
    for rank in (1, 2, 0, 3):
        values = []
        for t, c in zip(inputs, consts, strict=False):
            if c is not None:
                values.append(c)
            elif t.shape is None:
                values.append(_dummy_value(t, (2,) * rank, 0, fill))
            else:
                values.append(_dummy_value(t, tuple(2 if d is None else d for d in t.shape), 0,
                                           fill))
        try:
            r = _run_quiet(func, subst(targs, values), subst(tkw, values))
        except Exception as e:
            last = e
            continue
        container, items = _split_result(func, r)
        specs, wraps = [], []
        for a in items:
            arr = np.asarray(a)
            specs.append((arr.dtype, None))
            wraps.append(None if isinstance(a, (np.ndarray, np.generic)) else arr.dtype.type)
        return specs, container, wraps, False
    assert last is not None
    _note(last, f"autograph engine: while adding {_qualname(func)} to the graph "
                f"(argument shapes {_arg_shapes(inputs)})")
    raise last


def _rule_generic(func, args, kwargs):
    return _generic(func, args, kwargs)


def _rule_generic_view(func, args, kwargs):
    return _generic(func, args, kwargs, view=True)


def _rule_data_dependent(func, args, kwargs):
    return _generic(func, args, kwargs, data_dependent=True)


def _rule_linalg(func, args, kwargs):
    return _generic(func, args, kwargs, fill="eye")


_register("""
    sum prod mean std var max min amax amin argmax argmin any all ptp median average
    nansum nanprod nanmean nanstd nanvar nanmax nanmin nanargmax nanargmin nanmedian
    nanpercentile nanquantile percentile quantile cumsum cumprod nancumsum nancumprod
    cumulative_sum cumulative_prod count_nonzero
    sort argsort partition argpartition lexsort searchsorted
    flip fliplr flipud roll tile repeat pad resize append insert
    tril triu vander kron cross convolve correlate dot vdot inner outer tensordot einsum
    matvec vecmat vecdot
    round around fix angle nan_to_num select choose
    diff ediff1d gradient trapezoid interp cov corrcoef histogram histogram_bin_edges histogram2d
    histogramdd bincount digitize take take_along_axis
    zeros_like ones_like empty_like full_like copy
    meshgrid ix_ allclose array_equal array_equiv isin
    iscomplex isreal isneginf isposinf sinc i0 unwrap polyval
    packbits unpackbits
    diagflat trace
""", _rule_generic)
_register("""
    transpose swapaxes moveaxis rollaxis permute_dims matrix_transpose squeeze expand_dims ravel
    atleast_1d atleast_2d atleast_3d broadcast_arrays rot90 diag diagonal
    real imag conj conjugate split array_split hsplit vsplit dsplit unstack
""", _rule_generic_view)
_register("""
    unique unique_values unique_counts unique_inverse unique_all nonzero flatnonzero argwhere
    compress extract trim_zeros setdiff1d intersect1d union1d setxor1d delete
""", _rule_data_dependent)
_register("""
    linalg.inv linalg.pinv linalg.det linalg.slogdet linalg.solve linalg.cholesky linalg.eig
    linalg.eigh linalg.eigvals linalg.eigvalsh linalg.svd linalg.svdvals linalg.qr linalg.norm
    linalg.matrix_power linalg.matrix_rank linalg.lstsq linalg.multi_dot linalg.cond
    linalg.outer linalg.trace linalg.diagonal linalg.cross linalg.vecdot linalg.matmul
    linalg.matrix_norm linalg.vector_norm linalg.matrix_transpose linalg.tensorsolve
    linalg.tensorinv
""", _rule_linalg)


def _rule_in_place(func, args, kwargs):
    raise unsupported(func, "it writes into an array in place and graph tensors are immutable; "
                            "use autograph.setitem(x, key, value) or x.at[key].set(value)")


_register("copyto put place putmask fill_diagonal put_along_axis", _rule_in_place)


def _rule_no_callables(func, args, kwargs):
    raise unsupported(func, "it calls a Python function on the values; write the computation "
                            "with numpy operations instead")


_register("piecewise apply_along_axis apply_over_axes", _rule_no_callables)


def _rule_text(func, args, kwargs):
    raise unsupported(func, "it needs concrete values; run the graph first and call it on the "
                            "result")


_register("array2string array_repr array_str save savez savez_compressed savetxt "
          "shares_memory may_share_memory min_scalar_type", _rule_text)


# -- broadcasting rules (elementwise functions that are not ufuncs) ---------------------------
def _rule_broadcast(func, args, kwargs):
    if func is np.where and len(args) + len(kwargs) == 1:
        return _generic(np.nonzero, args, {}, data_dependent=True, name="where")
    if kwargs.get("out") is not None:
        raise _out_error(func.__name__)
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    b = _Builder(args, kwargs)
    targs = b.tpl(tuple(args))
    tkw = b.tpl(kwargs)
    if not b.inputs:
        return _eager_constant(func(*args, **kwargs))
    dummies = [_dummy0d(t) for t in b.inputs]
    try:
        res = _run_quiet(func, subst(targs, dummies), subst(tkw, dummies))
    except Exception as e:
        _note(e, f"autograph engine: while adding {_qualname(func)} to the graph")
        raise
    shape = broadcast_shapes(*[t.shape for t in b.inputs])
    wrap = None if isinstance(res, (np.ndarray, np.generic)) else np.asarray(res).dtype.type
    return _new(func, func.__name__, b, targs, tkw, [(np.asarray(res).dtype, shape)], wrap=wrap)


_register("where clip isclose", _rule_broadcast)


def _rule_broadcast_to(func, args, kwargs):
    kwargs = dict(kwargs)
    x = convert_to_tensor(args[0] if args else kwargs.pop("array"))
    spec = args[1] if len(args) > 1 else kwargs.pop("shape")
    dims = _shape_arg_dims(spec)
    out = None if dims is None else tuple(dims)
    if out is not None and x.shape is not None:
        if len(x.shape) > len(out):
            raise ValueError(f"input operand has more dimensions than allowed by the axis "
                             f"remapping (cannot broadcast {shape_str(x.shape)} to "
                             f"{shape_str(out)})")
        for d, o in zip(x.shape[::-1], out[::-1], strict=False):
            if d is not None and o is not None and d != 1 and d != o:
                raise ValueError(f"operands could not be broadcast together with remapped "
                                 f"shapes [original->remapped]: {shape_str(x.shape)} and "
                                 f"requested shape {shape_str(out)}")
    b = _Builder()
    targs = (b.ref(x), b.tpl(spec)) + b.tpl(tuple(args[2:]))
    return _new(np.broadcast_to, "broadcast_to", b, targs, b.tpl(kwargs), [(x.dtype, out)],
                view=True)


_register("broadcast_to", _rule_broadcast_to)


# -- astype -----------------------------------------------------------------------------------
def astype(x: Any, dtype: Any, casting: str = "unsafe") -> Tensor:
    """``x.astype(dtype)`` as a graph op (identity when the dtype already matches)."""
    x = convert_to_tensor(x)
    dtype = np.dtype(dtype)
    if dtype == x.dtype:
        return x
    if casting != "unsafe" and not np.can_cast(x.dtype, dtype, casting):
        raise TypeError(f"Cannot cast array data from {x.dtype!r} to {dtype!r} according to the "
                        f"rule {casting!r}")
    b = _Builder()
    r = b.ref(x)
    return _new(np.ndarray.astype, "astype", b, (r, dtype), {}, [(dtype, x.shape)],
                style="method", symbol="astype", scalarize=False)


def _rule_astype(func, args, kwargs):
    x = args[0]
    dtype = args[1] if len(args) > 1 else kwargs["dtype"]
    return astype(x, dtype)


_register("astype", _rule_astype)


# -- reshape ----------------------------------------------------------------------------------
def _shape_arg_dims(spec, allow_minus_one=True):
    """Static dims of a shape argument (ints and 0-d/1-d int tensors); None = unknown rank."""
    if isinstance(spec, Tensor):
        if spec.dtype.kind not in "iu":
            raise TypeError(f"autograph engine: a shape must hold integers, not {spec.dtype}")
        if spec.op.type == "Const":
            return [int(d) for d in np.atleast_1d(spec.op.attrs["value"])]
        if spec.ndim == 0:
            return [None]
        if spec.ndim == 1 and spec.shape[0] is not None:
            return [None] * spec.shape[0]
        return None
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return [int(spec)]
    if isinstance(spec, np.ndarray):
        return [int(d) for d in np.atleast_1d(spec)]
    if isinstance(spec, (tuple, list)):
        out = []
        for d in spec:
            if isinstance(d, Tensor):
                if d.ndim != 0 or d.dtype.kind not in "iu":
                    raise TypeError(f"autograph engine: each dimension of a shape must be an int "
                                    f"or a 0-d integer tensor, not {d!r}")
                out.append(int(d.op.attrs["value"]) if d.op.type == "Const" else None)
            else:
                out.append(operator.index(d))
        return out
    raise TypeError(f"autograph engine: invalid shape {spec!r}")


def _rule_reshape(func, args, kwargs):
    kwargs = dict(kwargs)
    x = convert_to_tensor(args[0])
    if len(args) > 1:
        spec = args[1]
        rest = args[2:]
    else:
        spec = kwargs.pop("shape", None)
        if spec is None:
            spec = kwargs.pop("newshape")
        rest = ()
    dims = _shape_arg_dims(spec)
    if dims is None:
        out = None
    else:
        if sum(1 for d in dims if d is not None and d < 0) > 1:
            raise ValueError("can only specify one unknown dimension")
        for d in dims:
            if d is not None and d < -1:
                raise ValueError(f"negative dimensions not allowed (got {d})")
        n = _shapes.num_elements(x.shape)
        known = [d for d in dims if d is not None and d >= 0]
        if -1 in dims:
            if n is not None and len(known) == len(dims) - 1:
                p = math.prod(known)
                if p == 0 or n % p:
                    raise ValueError(f"cannot reshape array of size {n} into shape "
                                     f"{_fmt_dims(dims)}")
                dims = [n // p if d == -1 else d for d in dims]
            else:
                dims = [None if d == -1 else d for d in dims]
        elif n is not None and len(known) == len(dims) and math.prod(known) != n:
            raise ValueError(f"cannot reshape array of size {n} into shape {_fmt_dims(dims)}")
        out = tuple(dims)
    b = _Builder()
    targs = (b.ref(x), b.tpl(spec)) + b.tpl(tuple(rest))
    tkw = b.tpl(kwargs)
    return _new(np.reshape, "reshape", b, targs, tkw, [(x.dtype, out)], view=True)


def _fmt_dims(dims):
    return "(" + ", ".join("-1" if d is None else str(d) for d in dims) + \
        ("," if len(dims) == 1 else "") + ")"


_register("reshape", _rule_reshape)


# -- concatenation ----------------------------------------------------------------------------
def _result_dtype(func, tensors, kwargs):
    dummies = [np.ones((1,) * (t.ndim or 0), t.dtype) if t.dtype.kind in "biufc"
               else np.zeros((1,) * (t.ndim or 0), t.dtype) for t in tensors]
    return np.asarray(_run_quiet(func, (dummies,), kwargs)).dtype


def _concat_shapes(shapes, axis, what="concatenation"):
    if any(s is None for s in shapes):
        return None
    nd = len(shapes[0])
    if nd == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    for i, s in enumerate(shapes):
        if len(s) != nd:
            raise ValueError(
                "all the input array dimensions except for the concatenation axis must match "
                f"exactly, but along dimension 0, the array at index 0 has {nd} dimension(s) and "
                f"the array at index {i} has {len(s)} dimension(s)")
    axis = _shapes.normalize_axis(axis, nd)
    out = []
    for d in range(nd):
        col = [s[d] for s in shapes]
        if d == axis:
            out.append(None if any(c is None for c in col) else sum(col))
        else:
            known = {c for c in col if c is not None}
            if len(known) > 1:
                raise ValueError(
                    "all the input array dimensions except for the concatenation axis must match "
                    f"exactly, but along dimension {d} the arrays have sizes {sorted(known)}")
            out.append(known.pop() if known else None)
    return tuple(out)


def _atleast(shape, n):
    if shape is None:
        return None
    if n == 1:
        return shape if len(shape) >= 1 else (1,)
    if n == 2:
        return {0: (1, 1), 1: (1,) + shape}.get(len(shape), shape)
    return {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}.get(len(shape), shape)


def _rule_concat(func, args, kwargs):
    kwargs = dict(kwargs)
    if kwargs.get("out") is not None:
        raise _out_error(func.__name__)
    kwargs.pop("out", None)
    seq = args[0] if args else kwargs.pop("arrays" if func is not np.column_stack else "tup")
    if isinstance(seq, Tensor):
        return _generic(func, args, kwargs)
    tensors = [convert_to_tensor(a) for a in seq]
    if not tensors:
        raise ValueError("need at least one array to concatenate")
    extra = tuple(args[1:])
    if func is np.concatenate:
        axis = extra[0] if extra else kwargs.get("axis", 0)
        dkw = {k: v for k, v in kwargs.items() if k != "axis"}
        if axis is None:
            sizes = [_shapes.num_elements(t.shape) for t in tensors]
            shape = (None if any(s is None for s in sizes) else sum(sizes),)
        else:
            shape = _concat_shapes([t.shape for t in tensors], axis)
    elif func is np.stack:
        axis = extra[0] if extra else kwargs.get("axis", 0)
        dkw = {k: v for k, v in kwargs.items() if k != "axis"}
        shape = _stack_shape([t.shape for t in tensors], axis)
    else:
        dkw = kwargs
        shps = [t.shape for t in tensors]
        if func is np.vstack or func is getattr(np, "row_stack", None):
            shape = _concat_shapes([_atleast(s, 2) for s in shps], 0)
        elif func is np.hstack:
            s1 = [_atleast(s, 1) for s in shps]
            shape = _concat_shapes(s1, 0 if s1[0] is not None and len(s1[0]) == 1 else 1)
        elif func is np.dstack:
            shape = _concat_shapes([_atleast(s, 3) for s in shps], 2)
        else:  # column_stack
            s2 = [None if s is None else ((s[0], 1) if len(s) == 1 else s) for s in shps]
            shape = _concat_shapes([_atleast(s, 2) for s in s2], 1)
    dtype = _result_dtype(np.concatenate if func is not np.stack else np.stack, tensors,
                          {k: v for k, v in dkw.items() if k in ("dtype", "casting")})
    b = _Builder()
    targs = ([b.ref(t) for t in tensors],) + b.tpl(extra)
    tkw = b.tpl(kwargs)
    return _new(func, func.__name__, b, targs, tkw, [(dtype, shape)])


def _stack_shape(shapes, axis):
    if any(s is None for s in shapes):
        return None
    base = shapes[0]
    for s in shapes[1:]:
        if not _shapes.compatible(base, s):
            raise ValueError("all input arrays must have the same shape")
        base = _shapes.generalize(base, s)
    axis = _shapes.normalize_axis(axis, len(base) + 1)
    return base[:axis] + (len(shapes),) + base[axis:]


_register("concatenate stack vstack hstack dstack column_stack row_stack", _rule_concat)


# -- static information -----------------------------------------------------------------------
def _dyn_shape(x):
    b = _Builder()
    r = b.ref(x)
    return _new(_shape_array, "shape", b, (r,), {}, [(np.dtype(np.int64), (x.ndim,)
                                                      if x.ndim is not None else (None,))])


def _shape_array(x):
    return np.array(np.shape(x), dtype=np.int64)


def shape(x: Any) -> Any:
    """The shape of ``x``: a tuple when its rank is known (ints where known, 0-d int64 tensors
    where not), else a 1-d int64 tensor."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x) if isinstance(x, _Variable()) else x
        if not isinstance(x, Tensor):
            return np.shape(x)
    if x.shape is None:
        return _dyn_shape(x)
    if all(d is not None for d in x.shape):
        return x.shape
    dyn = _dyn_shape(x)
    return tuple(d if d is not None else dyn[i] for i, d in enumerate(x.shape))


def ndim(x: Any) -> Any:
    """The rank of ``x``: an int, or a 0-d int64 tensor when unknown."""
    if isinstance(x, Tensor):
        if x.ndim is not None:
            return x.ndim
        return size(_dyn_shape(x))
    return np.ndim(x)


def size(x: Any, axis: Optional[int] = None) -> Any:
    """The number of elements of ``x`` (along ``axis``): an int, or a 0-d int64 tensor."""
    if not isinstance(x, Tensor):
        return np.size(x, axis)
    if axis is None:
        n = _shapes.num_elements(x.shape)
    else:
        n = None if x.shape is None else x.shape[_shapes.normalize_axis(axis, len(x.shape))]
    if n is not None:
        return n
    b = _Builder()
    r = b.ref(x)
    return _new(np.size, "size", b, (r,) if axis is None else (r, axis), {},
                [(np.dtype(np.int64), ())], wrap=np.int64)


def _rule_shape(func, args, kwargs):
    return shape(*args, **kwargs)


def _rule_ndim(func, args, kwargs):
    return ndim(*args, **kwargs)


def _rule_size(func, args, kwargs):
    return size(*args, **kwargs)


def _as_dtype_proxy(v):
    if isinstance(v, Tensor):
        return np.zeros((), v.dtype)
    if isinstance(v, _Variable()):
        return np.zeros((), v.dtype)
    return v


def _rule_static_dtype(func, args, kwargs):
    return func(*[_as_dtype_proxy(a) for a in args],
                **{k: _as_dtype_proxy(v) for k, v in kwargs.items()})


_register("shape", _rule_shape)
_register("ndim", _rule_ndim)
_register("size", _rule_size)
_register("result_type can_cast iscomplexobj isrealobj", _rule_static_dtype)


# ---------------------------------------------------------------------------------------------
# indexing
# ---------------------------------------------------------------------------------------------
def _int_like(k) -> bool:
    return (isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)))


def _normalize_key(key):
    """Key items with tensors/arrays for advanced indices. Returns a list of
    (kind, payload) and the template-ready key."""
    items = list(key) if isinstance(key, tuple) else [key]
    norm = []
    for k in items:
        if isinstance(k, _Variable()):
            k = k._graph_value()
        if isinstance(k, (list, tuple)) and not k:
            k = constant(np.array(k, dtype=np.intp))  # x[[]]: an empty integer index
        elif isinstance(k, (list, tuple, np.ndarray, np.bool_)) or type(k) is bool:
            k = convert_to_tensor(k)  # advanced index (integer array or boolean mask)
        norm.append(k)
    return norm


def _index_kind(k):
    if k is None:
        return "new"
    if k is Ellipsis:
        return "ell"
    if isinstance(k, slice):
        return "slice"
    if _int_like(k):
        return "int"
    if isinstance(k, Tensor):
        if k.dtype.kind == "b":
            return "mask"
        if k.dtype.kind in "iu":
            return "int" if k.ndim == 0 else "adv"
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                         "and integer or boolean arrays are valid indices")
    raise IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                     f"and integer or boolean arrays are valid indices (got {type(k).__name__})")


def _slice_len(s: slice, d):
    parts = (s.start, s.stop, s.step)
    if all(p is None for p in parts):
        return d
    if d is None or not all(p is None or _int_like(p) for p in parts):
        return None
    if s.step == 0:
        raise ValueError("slice step cannot be zero")
    return len(range(*slice(*[None if p is None else int(p) for p in parts]).indices(d)))


def _getitem_shape(x: Tensor, norm):
    kinds = [_index_kind(k) for k in norm]
    if kinds.count("ell") > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = 0
    for k, kind in zip(norm, kinds, strict=False):
        if kind in ("int", "slice", "adv"):
            consumed += 1
        elif kind == "mask":
            consumed += k.ndim if k.ndim is not None else 0
    if x.shape is None or any(kind == "mask" and k.ndim is None for k, kind in zip(norm, kinds, strict=False)):
        return None, kinds
    nd = len(x.shape)
    if consumed > nd:
        raise IndexError(f"too many indices for array: array is {nd}-dimensional, but "
                         f"{consumed} were indexed")
    if "ell" in kinds:
        i = kinds.index("ell")
        fill = [slice(None)] * (nd - consumed)
        norm = norm[:i] + fill + norm[i + 1:]
        kinds = kinds[:i] + ["slice"] * len(fill) + kinds[i + 1:]
    else:
        norm = norm + [slice(None)] * (nd - consumed)
        kinds = kinds + ["slice"] * (nd - consumed)
    advanced = any(kd in ("adv", "mask") for kd in kinds)
    out = []
    adv_shapes = []
    adv_pos = []
    axis = 0
    for k, kind in zip(norm, kinds, strict=False):
        if kind == "new":
            out.append(1)
            continue
        if kind == "slice":
            out.append(_slice_len(k, x.shape[axis]))
            axis += 1
            continue
        if kind == "int":
            d = x.shape[axis]
            if _int_like(k) and d is not None and not -d <= int(k) < d:
                raise IndexError(f"index {int(k)} is out of bounds for axis {axis} with size {d}")
            if advanced:
                adv_shapes.append(())
                adv_pos.append(len(out))
            axis += 1
            continue
        if kind == "adv":
            adv_shapes.append(k.shape)
            adv_pos.append(len(out))
            axis += 1
            continue
        # boolean mask: consumes k.ndim dims, gives one dim of (usually) unknown length
        md = k.ndim
        mshape = x.shape[axis:axis + md]
        if k.shape is not None:
            for j, (a, b) in enumerate(zip(mshape, k.shape, strict=False)):
                if a is not None and b is not None and a != b:
                    raise IndexError(f"boolean index did not match indexed array along axis "
                                     f"{axis + j}; size of axis is {a} but size of corresponding "
                                     f"boolean axis is {b}")
        adv_shapes.append((None,))  # how many elements are selected is data
        adv_pos.append(len(out))
        axis += md
    if not advanced:
        return tuple(out), kinds
    bshape = broadcast_shapes(*adv_shapes)
    if bshape is None:
        return None, kinds
    # numpy: advanced indices next to each other keep their place; otherwise they go first
    adv_items = [i for i, kd in enumerate(kinds) if kd in ("adv", "mask", "int")]
    adjacent = adv_items == list(range(adv_items[0], adv_items[-1] + 1))
    at = adv_pos[0] if adjacent else 0
    return tuple(out[:at]) + bshape + tuple(out[at:]), kinds


def getitem(x: Any, key: Any) -> Tensor:
    """``x[key]``: ints, slices (tensor bounds too), ``...``, ``None``, integer arrays and
    boolean masks (which give a dimension of unknown length)."""
    x = convert_to_tensor(x)
    is_tuple = isinstance(key, tuple)
    norm = _normalize_key(key)
    out_shape, kinds = _getitem_shape(x, norm)
    b = _Builder()
    tkey = tuple(b.tpl(k) for k in norm)
    if not is_tuple:
        tkey = tkey[0]
    basic = not any(kd in ("adv", "mask") for kd in kinds)
    orig = [_index_kind(k) for k in norm]
    all_ints = (x.ndim is not None and orig.count("int") == x.ndim
                and all(kd == "int" for kd in orig))
    r = b.ref(x)
    return _new(_getitem_fn, "getitem", b, (r, tkey), {}, [(x.dtype, out_shape)],
                style="getitem", view=basic, scalarize=not all_ints)


def _getitem_fn(x, key):
    return x[key]


def setitem(x: Any, key: Any, value: Any) -> Any:
    """A copy of ``x`` with ``x[key]`` replaced by ``value`` (like jax's ``x.at[key].set``).

    Works on graph tensors (an op) and on numpy arrays (returns a new array)."""
    if not isinstance(x, Tensor) and not isinstance(value, Tensor) and not _has_tensor(key):
        return rt_setitem(np.asarray(x), key, value)
    x = convert_to_tensor(x)
    norm = _normalize_key(key)
    sub_shape, _ = _getitem_shape(x, norm)
    b = _Builder()
    tkey = tuple(b.tpl(k) for k in norm)
    if not isinstance(key, tuple):
        tkey = tkey[0]
    v = value
    if type(v) not in _PYSCALARS:
        v = convert_to_tensor(v)
        if sub_shape is not None and v.shape is not None:
            try:
                bs = broadcast_shapes(v.shape, sub_shape)
            except ValueError:
                bs = None
            if bs is None or (len(bs) != len(sub_shape)) or not _shapes.compatible(bs, sub_shape):
                raise ValueError(f"could not broadcast input array from shape "
                                 f"{shape_str(v.shape)} into shape {shape_str(sub_shape)}")
    else:
        try:
            _run_quiet(rt_setitem, (np.ones((1,), x.dtype), 0, v), {})
        except Exception as e:
            _note(e, "autograph engine: while adding setitem to the graph")
            raise
    rx = b.ref(x)
    rv = b.tpl(v)
    return _new(rt_setitem, "setitem", b, (rx, tkey, rv), {}, [(x.dtype, x.shape)],
                scalarize=False)


def _has_tensor(key) -> bool:
    if isinstance(key, Tensor):
        return True
    if isinstance(key, tuple):
        return any(_has_tensor(k) for k in key)
    if isinstance(key, slice):
        return any(_has_tensor(p) for p in (key.start, key.stop, key.step))
    return False


def at_update(ufunc: np.ufunc, x: Any, key: Any, value: Any) -> Tensor:
    """A copy of ``x`` with ``ufunc.at(copy, key, value)`` applied (``t.at[key].add(v)``)."""
    x = convert_to_tensor(x)
    norm = _normalize_key(key)
    _getitem_shape(x, norm)
    b = _Builder()
    tkey = tuple(b.tpl(k) for k in norm)
    if not isinstance(key, tuple):
        tkey = tkey[0]
    rx = b.ref(x)
    rv = b.tpl(value)
    return _new(rt_at_update, f"at_{ufunc.__name__}", b, (ufunc, rx, tkey, rv), {},
                [(x.dtype, x.shape)], scalarize=False)


# ---------------------------------------------------------------------------------------------
# creation functions that take tensors as sizes
# ---------------------------------------------------------------------------------------------
def _any_tensor(*vals) -> bool:
    for v in vals:
        if isinstance(v, Tensor):
            return True
        if isinstance(v, (tuple, list)) and _any_tensor(*v):
            return True
    return False


def _creation(func, shape_arg, dtype, extra_args=(), extra_kwargs=None, fill_dtype=None):
    extra_kwargs = extra_kwargs or {}
    if not _any_tensor(shape_arg, *extra_args):
        return func(shape_arg, *extra_args, dtype=dtype, **extra_kwargs)
    dims = _shape_arg_dims(shape_arg)
    out_shape = None if dims is None else tuple(dims)
    if dtype is None:
        dtype = fill_dtype if fill_dtype is not None else np.float64
    dtype = np.dtype(dtype)
    b = _Builder()
    targs = (b.tpl(shape_arg),) + b.tpl(tuple(extra_args))
    tkw = dict(b.tpl(extra_kwargs), dtype=dtype)
    return _new(func, func.__name__, b, targs, tkw, [(dtype, out_shape)])


def zeros(shape: Any, dtype: Any = float, order: str = "C") -> Any:
    """``np.zeros`` whose shape may hold graph tensors (plain numpy when it holds none)."""
    return _creation(np.zeros, shape, dtype)


def ones(shape: Any, dtype: Any = float, order: str = "C") -> Any:
    """``np.ones`` whose shape may hold graph tensors."""
    return _creation(np.ones, shape, dtype)


def empty(shape: Any, dtype: Any = float, order: str = "C") -> Any:
    """``np.empty`` whose shape may hold graph tensors."""
    return _creation(np.empty, shape, dtype)


def full(shape: Any, fill_value: Any, dtype: Any = None, order: str = "C") -> Any:
    """``np.full`` whose shape or fill value may be graph tensors."""
    if isinstance(fill_value, _Variable()):
        fill_value = fill_value._graph_value()
    if not _any_tensor(shape, fill_value):
        return np.full(shape, fill_value, dtype=dtype)
    fdt = None
    if dtype is None:
        fdt = fill_value.dtype if isinstance(fill_value, Tensor) else \
            np.asarray(fill_value).dtype
    if isinstance(fill_value, Tensor) and fill_value.shape is not None and \
            fill_value.shape != ():
        dims = _shape_arg_dims(shape)
        if dims is not None:
            broadcast_shapes(fill_value.shape, tuple(dims))
    return _creation(np.full, shape, dtype, (fill_value,), fill_dtype=fdt)


def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> Any:
    """``np.arange`` whose bounds may be graph tensors (the length is then unknown)."""
    vals = [v for v in (start, stop, step) if v is not None]
    if not _any_tensor(*vals):
        return np.arange(*vals, dtype=dtype)
    args = tuple(convert_to_tensor(v) if isinstance(v, Tensor) else v for v in vals)
    for a in args:
        if isinstance(a, Tensor) and a.ndim not in (0, None):
            raise ValueError("arange: the bounds must be scalars")
    b = _Builder()
    targs = b.tpl(args)
    dummies = [_dummy0d(t) for t in b.inputs]
    kw = {} if dtype is None else {"dtype": np.dtype(dtype)}
    rdt = np.asarray(_run_quiet(np.arange, subst(targs, dummies), kw)).dtype
    consts = all(t.op.type == "Const" for t in b.inputs)
    if consts:
        return constant(np.arange(*subst(targs, [t.op.attrs["value"] for t in b.inputs]), **kw))
    return _new(np.arange, "arange", b, targs, kw, [(rdt, (None,))])


def linspace(start: Any, stop: Any, num: Any = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = None, axis: int = 0) -> Any:
    """``np.linspace`` whose bounds or ``num`` may be graph tensors."""
    if not _any_tensor(start, stop, num):
        return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    if isinstance(num, Tensor):
        return _generic(np.linspace, (start, stop, num),
                        dict(endpoint=endpoint, retstep=retstep, dtype=dtype, axis=axis))
    return _generic(np.linspace, (start, stop, num),
                    dict(endpoint=endpoint, retstep=retstep, dtype=dtype, axis=axis))


def eye(N: Any, M: Any = None, k: Any = 0, dtype: Any = float, order: str = "C") -> Any:
    """``np.eye`` whose sizes may be graph tensors."""
    if not _any_tensor(N, M, k):
        return np.eye(N, M, k, dtype=dtype)
    n = None if isinstance(N, Tensor) else operator.index(N)
    m = n if M is None else (None if isinstance(M, Tensor) else operator.index(M))
    dtype = np.dtype(dtype)
    b = _Builder()
    targs = b.tpl((N, M, k))
    return _new(np.eye, "eye", b, targs, {"dtype": dtype}, [(dtype, (n, m))])


def identity(n: Any, dtype: Any = float) -> Any:
    """``np.identity`` whose size may be a graph tensor."""
    return eye(n, dtype=dtype)


def _rule_like(fn):
    def rule(func, args, kwargs):
        r = fn(*args, **kwargs)  # np.zeros(3, like=t): a tensor, as `like` asks
        return r if isinstance(r, Tensor) else constant(r)

    return rule


_RULES[np.zeros] = _rule_like(zeros)
_RULES[np.ones] = _rule_like(ones)
_RULES[np.empty] = _rule_like(empty)
_RULES[np.full] = _rule_like(full)
_RULES[np.arange] = _rule_like(arange)
_RULES[np.linspace] = _rule_like(linspace)
_RULES[np.eye] = _rule_like(eye)
_RULES[np.identity] = _rule_like(identity)


def _rule_asarray(func, args, kwargs):
    x = args[0]
    dtype = args[1] if len(args) > 1 else kwargs.get("dtype")
    if isinstance(x, Tensor):
        return x if dtype is None else astype(x, dtype)
    return convert_to_tensor(x, dtype)


_register("asarray array asanyarray ascontiguousarray asfortranarray", _rule_asarray)

