"""Symbolic tensors, constants, placeholders and the op-building entry point."""

from __future__ import annotations

import numbers
from typing import Any, Optional, Sequence

import numpy as np

from . import shapes as _shapes
from .errors import describe_tensor, guard_error
from .graph import Graph, Operation, _stack, get_default_graph
from .shapes import Shape, as_shape, shape_str

__all__ = ["Tensor", "TensorSpec", "constant", "placeholder", "is_tensor", "convert_to_tensor",
           "add_op"]


# ---------------------------------------------------------------------------------------------
# op creation
# ---------------------------------------------------------------------------------------------
def _escaped_error(t, g) -> Exception:
    tg = t.op.graph
    if tg.root is not g.root:
        return ValueError(
            f"autograph engine: tensor '{t.name}' belongs to {tg.root.describe()}, not to "
            f"{g.root.describe()}; tensors of different graphs cannot be combined")
    return ValueError(
        f"autograph engine: tensor '{t.name}' was created inside {tg.describe()} and cannot be "
        f"used outside it (here: {g.describe()}); return it from that branch or loop body "
        "instead")


def graph_for(tensors: Sequence["Tensor"]) -> Graph:
    """The graph a new op goes to: the innermost entered graph, else the deepest graph of its
    inputs, else the global default graph. Inputs from enclosing graphs are captured."""
    stack = _stack()
    if stack:
        g = stack[-1]
    else:
        g = None
        for t in tensors:
            tg = t.op.graph
            if g is None or tg.depth > g.depth:
                g = tg
        if g is None:
            g = get_default_graph()
    if g._frozen:
        for t in tensors:
            if t.op.graph is g:
                raise _escaped_error(t, get_default_graph() if stack else g.root)
        raise RuntimeError(f"autograph engine: {g.describe()} is finished; no ops can be added "
                           "to it")
    graph_for_check(tensors, g)
    return g


def add_op(kind, type_: str, inputs: list, out_specs: list, attrs: Optional[dict] = None,
           name: Optional[str] = None, stateful: bool = False, graph: Optional[Graph] = None
           ) -> Operation:
    """Add an operation. ``out_specs`` holds ``(dtype, shape)`` pairs, or callables
    ``f(op, index) -> Tensor`` for special tensors (TensorList)."""
    g = graph if graph is not None else graph_for(inputs)
    if graph is not None and inputs:
        graph_for_check(inputs, g)
    op = Operation(g, kind, type_, g._unique_name(name or type_), list(inputs), attrs or {},
                   stateful)
    outs = []
    for i, spec in enumerate(out_specs):
        if callable(spec):
            outs.append(spec(op, i))
        else:
            dtype, shape = spec
            outs.append(Tensor(op, i, np.dtype(dtype), shape))
    op.outputs = outs
    g._add(op)
    return op


def graph_for_check(inputs, g: Graph) -> None:
    for t in inputs:
        tg = t.op.graph
        if tg is not g:
            h = g
            while h is not tg:
                if h.outer is None:
                    raise _escaped_error(t, g)
                h.captures[id(t)] = t
                h = h.outer


# ---------------------------------------------------------------------------------------------
# Tensor
# ---------------------------------------------------------------------------------------------
def _operand_ok(x) -> bool:
    return isinstance(x, (Tensor, numbers.Number, np.ndarray, np.generic, list, tuple)) or (
        _Variable is not None and isinstance(x, _Variable))


class Tensor:
    """A symbolic value of a graph: its ``dtype`` (a numpy dtype) and ``shape`` (a tuple whose
    entries may be None, or None when even the rank is unknown) are known when it is built; its
    value exists only while the graph runs.

    Tensors support the Python operators and the numpy API (``np.sum(t)``, ``np.where(c, a, b)``
    ...), which add operations to the graph. They are immutable: use :func:`setitem` or
    ``t.at[key].set(v)`` for an updated copy.
    """

    __slots__ = ("op", "value_index", "dtype", "shape", "__weakref__")
    __hash__ = object.__hash__

    def __init__(self, op: Operation, value_index: int, dtype: np.dtype, shape: Shape):
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self.shape = shape

    # -- static information -------------------------------------------------------------------
    @property
    def graph(self) -> Graph:
        return self.op.graph

    @property
    def name(self) -> str:
        return f"{self.op.name}:{self.value_index}"

    @property
    def ndim(self) -> Optional[int]:
        return None if self.shape is None else len(self.shape)

    @property
    def size(self):
        """The number of elements: an int when the shape is known, else a 0-d int tensor."""
        n = _shapes.num_elements(self.shape)
        if n is not None:
            return n
        return _api.call_function(np.size, (self,), {})

    @property
    def T(self) -> "Tensor":
        return _api.call_function(np.transpose, (self,), {})

    @property
    def mT(self) -> "Tensor":
        return _api.call_function(np.swapaxes, (self, -1, -2), {})

    @property
    def real(self) -> "Tensor":
        return _api.call_function(np.real, (self,), {})

    @property
    def imag(self) -> "Tensor":
        return _api.call_function(np.imag, (self,), {})

    @property
    def at(self) -> "_AtIndexer":
        """Functional updates in jax's style: ``t.at[key].set(v)``, ``.add(v)``, ``.multiply(v)``,
        ``.min(v)``, ``.max(v)``, ``.get()``; each returns a new tensor."""
        return _AtIndexer(self)

    def get_shape(self) -> Shape:
        return self.shape

    def __repr__(self) -> str:
        return (f"<Tensor '{self.name}' shape={shape_str(self.shape)} dtype={self.dtype}>")

    # -- guards: Python asking for a concrete value -------------------------------------------
    def __bool__(self):
        raise guard_error(self, "bool")

    def __iter__(self):
        raise guard_error(self, "iter")

    def __len__(self):
        raise guard_error(self, "len")

    def __index__(self):
        raise guard_error(self, "index")

    def __int__(self):
        raise guard_error(self, "int")

    def __float__(self):
        raise guard_error(self, "float")

    def __complex__(self):
        raise guard_error(self, "complex")

    def __contains__(self, item):
        raise guard_error(self, "contains")

    def __array__(self, dtype=None, copy=None):
        raise guard_error(self, "array")

    def __reversed__(self):
        raise guard_error(self, "iter")

    def numpy(self):
        raise TypeError(f"autograph engine: {describe_tensor(self)} is symbolic and has no value "
                        "until the graph runs; use graph.run(tensor) to compute it")

    def __setitem__(self, key, value):
        raise TypeError(
            f"autograph engine: {describe_tensor(self)} is immutable, so `t[key] = value` cannot "
            "change it; use `t = autograph.setitem(t, key, value)` (or `t = t.at[key].set(value)`)"
            ", which gives an updated copy")

    def __getitem__(self, key):
        return _api.getitem(self, key)

    # -- numpy protocols ----------------------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _api.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _api.array_function(func, types, args, kwargs)

    # -- Python operators ---------------------------------------------------------------------
    def _bin(self, ufunc, other, reflected=False):
        if not _operand_ok(other):
            return NotImplemented
        if reflected:
            return _api.ufunc_call(ufunc, (other, self), {})
        return _api.ufunc_call(ufunc, (self, other), {})

    def __add__(self, o): return self._bin(np.add, o)  # noqa: E704
    def __radd__(self, o): return self._bin(np.add, o, True)  # noqa: E704
    def __sub__(self, o): return self._bin(np.subtract, o)  # noqa: E704
    def __rsub__(self, o): return self._bin(np.subtract, o, True)  # noqa: E704
    def __mul__(self, o): return self._bin(np.multiply, o)  # noqa: E704
    def __rmul__(self, o): return self._bin(np.multiply, o, True)  # noqa: E704
    def __truediv__(self, o): return self._bin(np.true_divide, o)  # noqa: E704
    def __rtruediv__(self, o): return self._bin(np.true_divide, o, True)  # noqa: E704
    def __floordiv__(self, o): return self._bin(np.floor_divide, o)  # noqa: E704
    def __rfloordiv__(self, o): return self._bin(np.floor_divide, o, True)  # noqa: E704
    def __mod__(self, o): return self._bin(np.remainder, o)  # noqa: E704
    def __rmod__(self, o): return self._bin(np.remainder, o, True)  # noqa: E704
    def __matmul__(self, o): return self._bin(np.matmul, o)  # noqa: E704
    def __rmatmul__(self, o): return self._bin(np.matmul, o, True)  # noqa: E704
    def __and__(self, o): return self._bin(np.bitwise_and, o)  # noqa: E704
    def __rand__(self, o): return self._bin(np.bitwise_and, o, True)  # noqa: E704
    def __or__(self, o): return self._bin(np.bitwise_or, o)  # noqa: E704
    def __ror__(self, o): return self._bin(np.bitwise_or, o, True)  # noqa: E704
    def __xor__(self, o): return self._bin(np.bitwise_xor, o)  # noqa: E704
    def __rxor__(self, o): return self._bin(np.bitwise_xor, o, True)  # noqa: E704
    def __lshift__(self, o): return self._bin(np.left_shift, o)  # noqa: E704
    def __rlshift__(self, o): return self._bin(np.left_shift, o, True)  # noqa: E704
    def __rshift__(self, o): return self._bin(np.right_shift, o)  # noqa: E704
    def __rrshift__(self, o): return self._bin(np.right_shift, o, True)  # noqa: E704
    def __lt__(self, o): return self._bin(np.less, o)  # noqa: E704
    def __le__(self, o): return self._bin(np.less_equal, o)  # noqa: E704
    def __gt__(self, o): return self._bin(np.greater, o)  # noqa: E704
    def __ge__(self, o): return self._bin(np.greater_equal, o)  # noqa: E704
    def __eq__(self, o): return self._bin(np.equal, o)  # noqa: E704
    def __ne__(self, o): return self._bin(np.not_equal, o)  # noqa: E704

    def __pow__(self, o, modulo=None):
        if modulo is not None:
            return NotImplemented
        return self._bin(np.power, o)

    def __rpow__(self, o):
        return self._bin(np.power, o, True)

    def __divmod__(self, o):
        return self._bin(np.divmod, o)

    def __rdivmod__(self, o):
        return self._bin(np.divmod, o, True)

    def __neg__(self): return _api.ufunc_call(np.negative, (self,), {})  # noqa: E704
    def __pos__(self): return _api.ufunc_call(np.positive, (self,), {})  # noqa: E704
    def __abs__(self): return _api.ufunc_call(np.absolute, (self,), {})  # noqa: E704
    def __invert__(self): return _api.ufunc_call(np.invert, (self,), {})  # noqa: E704
    def __floor__(self): return _api.ufunc_call(np.floor, (self,), {})  # noqa: E704
    def __ceil__(self): return _api.ufunc_call(np.ceil, (self,), {})  # noqa: E704
    def __trunc__(self): return _api.ufunc_call(np.trunc, (self,), {})  # noqa: E704

    def __round__(self, ndigits=None):
        return _api.call_function(np.round, (self, ndigits or 0), {})

    # -- ndarray methods ----------------------------------------------------------------------
    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True) -> "Tensor":
        """A copy cast to ``dtype`` (numpy's ``ndarray.astype``)."""
        return _api.astype(self, dtype, casting=casting)

    def reshape(self, *shape, order="C", copy=None) -> "Tensor":
        if len(shape) == 1:
            shape = shape[0]
        return _api.call_function(np.reshape, (self, shape), {"order": order} if order != "C"
                                  else {})

    def transpose(self, *axes) -> "Tensor":
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        elif not axes:
            axes = None
        return _api.call_function(np.transpose, (self, axes), {})

    def _method(name):  # noqa: N805 - builds methods
        fn = getattr(np, name)

        def method(self, *args, **kwargs):
            return _api.call_function(fn, (self,) + args, kwargs)

        method.__name__ = name
        method.__doc__ = f"Like ``ndarray.{name}``: adds ``numpy.{name}`` to the graph."
        return method

    sum = _method("sum")
    prod = _method("prod")
    mean = _method("mean")
    std = _method("std")
    var = _method("var")
    max = _method("max")
    min = _method("min")
    argmax = _method("argmax")
    argmin = _method("argmin")
    any = _method("any")
    all = _method("all")
    cumsum = _method("cumsum")
    cumprod = _method("cumprod")
    clip = _method("clip")
    round = _method("round")
    ravel = _method("ravel")
    squeeze = _method("squeeze")
    swapaxes = _method("swapaxes")
    dot = _method("dot")
    conj = _method("conj")
    conjugate = _method("conjugate")
    repeat = _method("repeat")
    take = _method("take")
    nonzero = _method("nonzero")
    argsort = _method("argsort")
    diagonal = _method("diagonal")
    trace = _method("trace")
    del _method

    def flatten(self, order="C") -> "Tensor":
        return _api.call_function(np.ravel, (self,), {} if order == "C" else {"order": order})

    def copy(self, order="C") -> "Tensor":
        return _api.call_function(np.copy, (self,), {})

    def item(self) -> "Tensor":
        """The single element, as a 0-d tensor (the graph's scalars are numpy scalars)."""
        return _api.call_function(np.reshape, (self, ()), {})

    def sort(self, *args, **kwargs):
        raise TypeError("autograph engine: ndarray.sort() sorts in place and graph tensors are "
                        "immutable; use `t = np.sort(t)`")

    def fill(self, value):
        raise TypeError("autograph engine: ndarray.fill() writes in place and graph tensors are "
                        "immutable; use np.full_like(t, value)")


class _AtIndexer:
    __slots__ = ("tensor",)

    def __init__(self, tensor):
        self.tensor = tensor

    def __getitem__(self, key):
        return _AtRef(self.tensor, key)


class _AtRef:
    __slots__ = ("tensor", "key")

    def __init__(self, tensor, key):
        self.tensor = tensor
        self.key = key

    def get(self):
        return self.tensor[self.key]

    def set(self, value):
        return _api.setitem(self.tensor, self.key, value)

    def add(self, value):
        return _api.at_update(np.add, self.tensor, self.key, value)

    def subtract(self, value):
        return _api.at_update(np.subtract, self.tensor, self.key, value)

    def multiply(self, value):
        return _api.at_update(np.multiply, self.tensor, self.key, value)

    def min(self, value):
        return _api.at_update(np.minimum, self.tensor, self.key, value)

    def max(self, value):
        return _api.at_update(np.maximum, self.tensor, self.key, value)


# ---------------------------------------------------------------------------------------------
# TensorSpec
# ---------------------------------------------------------------------------------------------
class TensorSpec:
    """The static type of a tensor: ``shape`` (entries may be None; None for any rank) and
    ``dtype``.

    >>> import numpy as np
    >>> spec = TensorSpec((None, 3), np.float32)
    >>> spec.is_compatible_with(np.zeros((5, 3), np.float32))
    True
    >>> spec.is_compatible_with(np.zeros((5, 4), np.float32))
    False
    """

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape: Any = None, dtype: Any = np.float64, name: Optional[str] = None):
        self.shape = as_shape(shape)
        self.dtype = np.dtype(dtype)
        self.name = name

    @classmethod
    def from_value(cls, value, name: Optional[str] = None) -> "TensorSpec":
        """The spec of a tensor, Variable, numpy array or Python scalar."""
        if isinstance(value, (Tensor, TensorSpec)) or (_Variable is not None
                                                       and isinstance(value, _Variable)):
            return cls(value.shape, value.dtype, name)
        arr = np.asarray(value)
        return cls(arr.shape, arr.dtype, name)

    def is_compatible_with(self, value: Any) -> bool:
        """True when ``value`` (a TensorSpec, tensor, array or Python scalar) has this dtype and
        a shape matching this one (None entries match any size)."""
        if isinstance(value, (TensorSpec, Tensor)) or (_Variable is not None
                                                       and isinstance(value, _Variable)):
            return value.dtype == self.dtype and _shapes.compatible(self.shape, value.shape) and \
                (self.shape is None or value.shape is not None)
        if isinstance(value, (bool, int, float, complex)) and not isinstance(value, np.generic):
            if not _python_scalar_fits(value, self.dtype):
                return False
            return self.shape is None or self.shape == ()
        try:
            arr = np.asarray(value)
        except Exception:
            return False
        if arr.dtype != self.dtype:
            return False
        return self.shape is None or _shapes.fits(arr.shape, self.shape)

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.shape == other.shape
                and self.dtype == other.dtype)

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def __repr__(self):
        nm = f", name={self.name!r}" if self.name else ""
        return f"TensorSpec(shape={shape_str(self.shape)}, dtype={self.dtype}{nm})"


def _python_scalar_fits(value, dtype: np.dtype) -> bool:
    """NEP 50: a Python scalar is 'weak' and takes the dtype of the array it meets, if it fits."""
    kind = dtype.kind
    if isinstance(value, bool):
        return kind == "b"
    if isinstance(value, int):
        if kind in "iu":
            info = np.iinfo(dtype)
            return info.min <= value <= info.max
        return kind in "fc"
    if isinstance(value, float):
        return kind in "fc"
    if isinstance(value, complex):
        return kind == "c"
    return False


# ---------------------------------------------------------------------------------------------
# constants and placeholders
# ---------------------------------------------------------------------------------------------
def is_tensor(x: Any) -> bool:
    """True for graph tensors (including TensorList)."""
    return isinstance(x, Tensor)


def _freeze(value: np.ndarray):
    """0-d values become numpy scalars; arrays are made read-only so that the graph's
    constants can never be changed in place."""
    if value.ndim == 0:
        return value[()]
    if value.flags.writeable:
        value.flags.writeable = False
    return value


def as_numpy_value(value, dtype=None):
    """A Python or numpy value as the engine holds it: a numpy scalar or a read-only array."""
    if dtype is not None:
        dtype = np.dtype(dtype)
    try:
        arr = np.array(value, dtype=dtype)
    except (TypeError, ValueError) as e:
        if _contains_tensor(value):
            raise TypeError(
                "autograph engine: constant() got a sequence that holds graph tensors; use "
                "np.stack([...]) to build a tensor from tensors") from None
        raise TypeError(f"autograph engine: cannot make a constant from {value!r}: {e}") from None
    if arr.dtype.kind in "OV":
        raise TypeError(f"autograph engine: constants of dtype {arr.dtype} are not supported "
                        f"(got {type(value).__name__})")
    return _freeze(arr)


def _contains_tensor(value) -> bool:
    if isinstance(value, Tensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return False


def constant(value: Any, dtype: Any = None, name: Optional[str] = None) -> Tensor:
    """A tensor holding ``value`` (a Python scalar, nested list or numpy array), cast to
    ``dtype`` when given. Python ints become int64 and floats float64, as in numpy.

    >>> import numpy as np
    >>> c = constant([1, 2, 3], dtype=np.int32)
    >>> c.dtype, c.shape
    (dtype('int32'), (3,))
    """
    if isinstance(value, Tensor):
        if dtype is None or np.dtype(dtype) == value.dtype:
            return value
        return value.astype(dtype)
    if _Variable is not None and isinstance(value, _Variable):
        return convert_to_tensor(value, dtype)
    val = as_numpy_value(value, dtype)
    return add_op(_ops.CONST, "Const", [], [(val.dtype, tuple(np.shape(val)))],
                  attrs={"value": val}, name=name or "Const").outputs[0]


def placeholder(dtype: Any, shape: Any = None, name: Optional[str] = None) -> Tensor:
    """An input of the graph, fed at run time: ``graph.run(y, {x: value})``.

    Args:
        dtype: a numpy dtype (or anything ``np.dtype`` accepts).
        shape: a tuple whose entries may be None (any size), or None (any rank).
        name: its name, for feeding by name and for error messages.
    """
    g = get_default_graph()
    if g.is_subgraph:
        raise ValueError("autograph engine: placeholders belong to the outermost graph; create "
                         "them before the cond/while_loop and use them inside")
    dtype = np.dtype(dtype)
    shape = as_shape(shape)
    op = add_op(_ops.PLACEHOLDER, "Placeholder", [], [(dtype, shape)], name=name or "Placeholder",
                graph=g)
    g._placeholders[op.name] = op.outputs[0]
    return op.outputs[0]


def convert_to_tensor(value: Any, dtype: Any = None, name: Optional[str] = None) -> Tensor:
    """A tensor for ``value``: tensors as they are, Variables read (in a graph), everything
    else as a constant. A sequence holding tensors is stacked."""
    if isinstance(value, Tensor):
        if dtype is not None and np.dtype(dtype) != value.dtype:
            return value.astype(dtype)
        return value
    if _Variable is not None and isinstance(value, _Variable):
        t = value._graph_value()
        if dtype is not None and np.dtype(dtype) != t.dtype:
            return t.astype(dtype)
        return t
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        t = _api.call_function(np.stack, ([convert_to_tensor(v) for v in value],), {})
        return t if dtype is None else t.astype(dtype)
    return constant(value, dtype, name)


_Variable = None  # set by variables.py
from . import numpy_api as _api  # noqa: E402
from . import ops as _ops  # noqa: E402
