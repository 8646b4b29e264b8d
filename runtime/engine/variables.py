"""``Variable``: mutable state that graphs read and write in program order."""

from __future__ import annotations

import itertools
from typing import Any, Optional

import numpy as np

from . import shapes as _shapes
from .graph import _stack, get_default_graph
from .ops import OpKind
from .shapes import shape_str
from .tensor import Tensor, _python_scalar_fits, add_op, as_numpy_value, constant, graph_for

__all__ = ["Variable"]

_ids = itertools.count()


class _ReadKind(OpKind):
    name = "ReadVariable"
    pure = False  # never folded or merged: a read sees the writes before it

    def emit(self, op, em):
        em.assign(op, f"{em.slot(op.attrs['var'], 'var')}._value")


class _AssignKind(OpKind):
    name = "AssignVariable"
    pure = False

    def emit(self, op, em):
        var = op.attrs["var"]
        v = op.inputs[0]
        expr = em.ref(v)
        if v.shape != () and em.may_alias(v, feeds=True):
            from .ops import rt_copy_array

            expr = f"{em.slot(rt_copy_array, 'f')}({expr})"
        vs = em.slot(var, "var")
        if op.attrs["check_shape"]:
            chk = em.slot(_checker(var), "f")
            em.line(f"{vs}._value = {chk}({expr})")
        else:
            em.line(f"{vs}._value = {expr}")

    def describe(self, op):
        return f"{op.attrs['var'].name} <- {op.inputs[0].op.name}"


READ = _ReadKind()
ASSIGN = _AssignKind()


def _checker(var):
    shape = var.shape
    dtype = var.dtype

    def check(value):
        if np.shape(value) != shape:
            raise ValueError(f"autograph engine: Variable '{var.name}' has shape {shape_str(shape)}"
                             f"; cannot assign a value of shape {shape_str(np.shape(value))}")
        if np.ndim(value) == 0:
            return dtype.type(value)
        return value

    return check


def _in_graph() -> bool:
    return bool(_stack())


class Variable:
    """Mutable state shared by graphs and eager code.

    Outside any graph (no ``with graph.as_default():``) reads and writes happen at once. While
    a graph is being built they add ops that run in program order when the graph runs: reads
    see the writes before them, inside ``cond`` branches and loop bodies too.

    >>> import autograph.runtime.engine as ag
    >>> v = ag.Variable(0)
    >>> g = ag.Graph()
    >>> with g.as_default():
    ...     _ = v.assign_add(1)
    ...     twice = v.read_value() * 2
    >>> g.run(twice), g.run(twice), v.numpy()
    (np.int64(2), np.int64(4), np.int64(2))
    """

    __hash__ = object.__hash__
    __array_priority__ = 1000

    def __init__(self, initial_value: Any, dtype: Any = None, name: Optional[str] = None,
                 shape: Any = None):
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, Tensor):
            raise TypeError("autograph engine: a Variable's initial value must be a concrete value "
                            "(a Python or numpy value), not a graph tensor; create the Variable "
                            "outside the graph, then assign the tensor to it")
        if isinstance(initial_value, Variable):
            initial_value = initial_value.numpy()
        value = as_numpy_value(initial_value, dtype)
        self._value = value
        self.dtype: np.dtype = value.dtype
        self.shape: tuple = tuple(np.shape(value))
        if shape is not None:
            declared = _shapes.as_shape(shape)
            if not _shapes.fits(self.shape, declared):
                raise ValueError(f"Variable: initial value of shape {shape_str(self.shape)} does "
                                 f"not fit shape {shape_str(declared)}")
        self.name = name or f"Variable_{next(_ids)}"

    # -- static information --
    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def __repr__(self):
        return (f"<Variable '{self.name}' shape={shape_str(self.shape)} dtype={self.dtype} "
                f"numpy={np.array2string(np.asarray(self._value), threshold=10)}>")

    # -- values --
    def numpy(self) -> Any:
        """The current value (a copy for arrays, a numpy scalar for 0-d variables)."""
        v = self._value
        return v.copy() if isinstance(v, np.ndarray) else v

    def value(self):
        return self.read_value()

    def read_value(self) -> Any:
        """In a graph: a tensor reading the variable where this op sits in program order.
        Outside: the current value."""
        if _in_graph():
            return self._graph_value()
        return self.numpy()

    def _graph_value(self, graph=None) -> Tensor:
        g = graph if graph is not None else get_default_graph()
        return add_op(READ, "ReadVariable", [], [(self.dtype, self.shape)],
                      attrs={"var": self}, name=f"{self.name}/read", graph=g).outputs[0]

    def _eager_or_graph(self):
        return self._graph_value() if _in_graph() else self._value

    # -- writes --
    def _check_value(self, value, graph_mode: bool):
        from .tensor import convert_to_tensor

        dt = self.dtype
        if graph_mode:
            if isinstance(value, Variable):
                value = value._graph_value()
            if isinstance(value, Tensor):
                t = value
                if t.dtype != dt:
                    if not np.can_cast(t.dtype, dt, "same_kind"):
                        raise TypeError(
                            f"autograph engine: cannot assign a {t.dtype} value to Variable "
                            f"'{self.name}' of dtype {dt}; cast it first (e.g. .astype(np.{dt}))")
                    t = t.astype(dt)
            elif type(value) in (bool, int, float, complex):
                if not _python_scalar_fits(value, dt):
                    raise TypeError(f"autograph engine: cannot assign the Python "
                                    f"{type(value).__name__} {value!r} to Variable '{self.name}' "
                                    f"of dtype {dt}")
                t = constant(value, dtype=dt)
            else:
                t = convert_to_tensor(value)
                if t.dtype != dt:
                    if not np.can_cast(t.dtype, dt, "same_kind"):
                        raise TypeError(f"autograph engine: cannot assign a {t.dtype} value to "
                                        f"Variable '{self.name}' of dtype {dt}")
                    t = t.astype(dt)
            if not _shapes.compatible(t.shape, self.shape):
                raise ValueError(f"autograph engine: Variable '{self.name}' has shape "
                                 f"{shape_str(self.shape)}; cannot assign a value of shape "
                                 f"{shape_str(t.shape)}")
            return t
        if isinstance(value, Variable):
            value = value._value
        if type(value) in (bool, int, float, complex):
            if not _python_scalar_fits(value, dt):
                raise TypeError(f"autograph engine: cannot assign the Python "
                                f"{type(value).__name__} {value!r} to Variable '{self.name}' of "
                                f"dtype {dt}")
            arr = np.asarray(value, dtype=dt)
        else:
            arr = np.asarray(value)
            if arr.dtype != dt:
                if not np.can_cast(arr.dtype, dt, "same_kind"):
                    raise TypeError(f"autograph engine: cannot assign a {arr.dtype} value to "
                                    f"Variable '{self.name}' of dtype {dt}")
                arr = arr.astype(dt)
        if arr.shape != self.shape:
            raise ValueError(f"autograph engine: Variable '{self.name}' has shape "
                             f"{shape_str(self.shape)}; cannot assign a value of shape "
                             f"{shape_str(arr.shape)}")
        return as_numpy_value(arr)

    def _graph_mode_for(self, value) -> bool:
        return _in_graph() or isinstance(value, Tensor)

    def assign(self, value: Any) -> "Variable":
        """Set the value (an op in a graph, immediate outside). Returns the variable."""
        if self._graph_mode_for(value):
            g = graph_for([value] if isinstance(value, Tensor) else [])
            with g.as_default():
                t = self._check_value(value, True)
                add_op(ASSIGN, "AssignVariable", [t], [],
                       attrs={"var": self,
                              "check_shape": not _shapes.is_fully_defined(t.shape)},
                       name=f"{self.name}/assign", stateful=True)
            return self
        self._value = self._check_value(value, False)
        return self

    def assign_add(self, delta: Any) -> "Variable":
        """``v = v + delta``."""
        if self._graph_mode_for(delta):
            g = graph_for([delta] if isinstance(delta, Tensor) else [])
            with g.as_default():
                return self.assign(self._graph_value() + delta)
        return self.assign(_eager_binop(np.add, self, delta))

    def assign_sub(self, delta: Any) -> "Variable":
        """``v = v - delta``."""
        if self._graph_mode_for(delta):
            g = graph_for([delta] if isinstance(delta, Tensor) else [])
            with g.as_default():
                return self.assign(self._graph_value() - delta)
        return self.assign(_eager_binop(np.subtract, self, delta))

    # -- acting as a value --
    def __array__(self, dtype=None, copy=None):
        if _in_graph():
            from .errors import guard_error

            raise guard_error(self._graph_value(), "array")
        return np.array(self._value, dtype=dtype, copy=True)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = tuple(_unwrap(x) for x in inputs)
        kwargs = {k: _unwrap(v) for k, v in kwargs.items()}
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        args = tuple(_unwrap_deep(x) for x in args)
        kwargs = {k: _unwrap_deep(v) for k, v in kwargs.items()}
        return func(*args, **kwargs)

    def __bool__(self):
        return bool(self._eager_or_graph())

    def __int__(self):
        return int(self._eager_or_graph())

    def __float__(self):
        return float(self._eager_or_graph())

    def __index__(self):
        import operator

        return operator.index(self._eager_or_graph())

    def __len__(self):
        return len(self._eager_or_graph())

    def __iter__(self):
        return iter(self._eager_or_graph())

    def __getitem__(self, key):
        return self._eager_or_graph()[key]

    def __setitem__(self, key, value):
        raise TypeError(f"autograph engine: Variable '{self.name}' cannot be changed in place; "
                        "use v.assign(autograph.setitem(v.read_value(), key, value))")

    def astype(self, dtype):
        return self._eager_or_graph().astype(dtype)

    @property
    def T(self):
        return self._eager_or_graph().T


def _unwrap(x):
    if isinstance(x, Variable):
        return x._eager_or_graph()
    return x


def _unwrap_deep(x):
    if isinstance(x, Variable):
        return x._eager_or_graph()
    if type(x) is list:
        return [_unwrap_deep(v) for v in x]
    if type(x) is tuple:
        return tuple(_unwrap_deep(v) for v in x)
    return x


def _eager_binop(ufunc, var, other):
    other = _unwrap(other)
    with np.errstate(all="ignore"):
        return ufunc(var._value, other)


def _make_op(name):
    def fwd(self, *args):
        return getattr(self._eager_or_graph(), name)(*[_unwrap(a) for a in args])

    fwd.__name__ = name
    return fwd


for _name in ("__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ "
              "__floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ "
              "__rmatmul__ __and__ __rand__ __or__ __ror__ __xor__ __rxor__ __lshift__ "
              "__rlshift__ __rshift__ __rrshift__ __lt__ __le__ __gt__ __ge__ __eq__ __ne__ "
              "__neg__ __pos__ __abs__ __invert__ __divmod__ __rdivmod__").split():
    setattr(Variable, _name, _make_op(_name))
Variable.__hash__ = object.__hash__

from . import tensor as _tensor_mod  # noqa: E402

_tensor_mod._Variable = Variable
