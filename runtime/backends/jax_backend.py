"""The JAX backend: Python control flow on JAX tracers becomes `lax` control flow.

Loaded lazily by the runtime (`registry.register_lazy`) once the user has imported `jax`; the
runtime itself never imports jax. `load_backend()` returns the (single) backend instance.

Ownership: only JAX *tracers* (values inside `jax.jit`, `jax.vmap`, `jax.grad`, ...) are
owned, plus this backend's growable list (`JaxList`). A concrete `jax.Array` outside a trace
keeps Python semantics, as JAX itself does outside `jit` (`if x > 0:` on a concrete array just
asks for its truth value).

Lowering:

| Python                                   | JAX                                               |
|------------------------------------------|---------------------------------------------------|
| `if` on a tracer                         | `lax.cond` (`lax.switch` for `switch`)            |
| `while`                                  | `lax.while_loop`                                  |
| `for i in range(a, b, s)`, traced bounds | `lax.fori_loop` over the normalized trip count    |
| the same with static bounds, in a trace  | `lax.fori_loop` (a `scan`: reverse-differentiable)|
| `for x in array`                         | `lax.scan` over the leading axis                  |
| list appended in a staged loop           | a preallocated buffer (`JaxList`)                 |
| `x[i] = v`                               | `x.at[i].set(v)`                                  |
| `and`/`or`/`not`, ternaries              | `jnp.logical_*`, `jnp.where` (both sides run)     |
| `print`                                  | `jax.debug.callback` printing at run time         |
| `assert`                                 | `jax.debug.callback` raising at run time          |

Type promotion: a loop variable initialized from a Python number is weakly typed; when the body
produces another dtype (`s = 0` then `s += x[i]` with float `x`) the loop is re-traced with the
promoted dtype (`lax` does it for weakly typed carries; `spec` lets the runtime's check pass).
Branch outputs are promoted the same way (a weakly typed side takes the other's dtype). Any
other dtype, shape or structure mismatch raises `autograph.StagingError` naming the variable.
"""

from __future__ import annotations

import collections
import sys
import threading
import warnings
import weakref
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax, tree_util

from autograph.runtime import registry
from autograph.runtime.registry import staging_error

try:  # the cheapest way to ask "is a JAX trace active?"
    from jax._src.core import trace_state_clean as _trace_state_clean
except ImportError:  # pragma: no cover - future jax: fall back to never staging static ranges
    def _trace_state_clean() -> bool:
        return True

__all__ = ["JaxBackend", "JaxList", "load_backend", "padded"]

_Tracer = jax.core.Tracer
_PY_NUMBERS = (bool, int, float, complex)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _aval(x: Any) -> Any:
    """The abstract value (dtype, shape, weak_type) of an array-like."""
    return jax.typeof(x)


def _is_array(x: Any) -> bool:
    return isinstance(x, (jax.Array, np.ndarray, np.generic)) or type(x) in _PY_NUMBERS


def _as_array(x: Any) -> Any:
    if isinstance(x, jax.Array):
        return x
    return jnp.asarray(x)


def _fmt(aval: Any) -> str:
    shape = ",".join(str(d) for d in aval.shape)
    weak = " (weakly typed)" if getattr(aval, "weak_type", False) else ""
    return f"{np.dtype(aval.dtype).name}[{shape}]{weak}"


def _joined_dtype(avals: Sequence[Any]) -> Any:
    """The dtype every aval can take without changing a strongly typed one, or None."""
    strong = {np.dtype(a.dtype) for a in avals if not a.weak_type}
    if len(strong) > 1:
        return None
    structs = [jax.ShapeDtypeStruct((), a.dtype, weak_type=a.weak_type) for a in avals]
    joined = np.dtype(jnp.result_type(*structs))
    if strong and joined != next(iter(strong)):
        return None
    return joined


class _Spec:
    """What the runtime compares across branches and iterations: shape and dtype. Two specs are
    equal when the shapes are and the dtypes are, or one is weakly typed (a Python number) and
    takes the other's dtype when promoted (the backend then casts it)."""

    __slots__ = ("dtype", "shape", "weak_type")

    def __init__(self, aval: Any):
        self.dtype = np.dtype(aval.dtype)
        self.shape = tuple(aval.shape)
        self.weak_type = bool(getattr(aval, "weak_type", False))

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, _Spec):
            return NotImplemented
        if self.shape != other.shape:
            return False
        if self.dtype == other.dtype:
            return True
        if not (self.weak_type or other.weak_type):
            return False
        return _joined_dtype([self, other]) is not None

    def __ne__(self, other: Any) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self.shape)

    def __repr__(self) -> str:
        return _fmt(self)


def _retry_types() -> tuple:
    """The runtime's internal 'abandon this trace and retry' exceptions (never swallowed)."""
    try:
        from autograph.runtime.control_flow import _Retry
        return (_Retry,)
    except ImportError:  # pragma: no cover
        return ()


_local = threading.local()


def _lifted() -> collections.deque:
    """Weak references to the arrays `to_tensor` made from Python numbers lately (in this
    thread): the runtime lifts the loop variables of a staged loop just before calling the
    backend, so `for_static_range` can tell a loop over Python numbers from one over traced
    values. Weak, so that no tracer outlives its trace here."""
    d = getattr(_local, "lifted", None)
    if d is None:
        d = _local.lifted = collections.deque(maxlen=64)
    return d


def _was_lifted(value, lifted) -> bool:
    return any(ref() is value for ref in lifted)


try:  # the cheap way to trace a function into a jaxpr (what lax.cond does inside)
    from jax._src import linear_util as _lu
    from jax._src.api_util import debug_info as _debug_info
    from jax._src.api_util import flatten_fun_nokwargs as _flatten_fun_nokwargs
    from jax._src.interpreters import partial_eval as _pe

    def _trace_to_jaxpr(fn):
        dbg = _debug_info("autograph staged if", fn, (), {})
        wrapped, out_tree = _flatten_fun_nokwargs(_lu.wrap_init(fn, debug_info=dbg),
                                                  tree_util.tree_structure(()))
        jaxpr, out_avals, consts = _pe.trace_to_jaxpr_dynamic(wrapped, ())
        shapes = tree_util.tree_unflatten(out_tree(), [
            jax.ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type) for a in out_avals])
        return (lambda: jax.core.eval_jaxpr(jaxpr, consts)), shapes
except ImportError:  # pragma: no cover - another jax: the public (slower) way
    def _trace_to_jaxpr(fn):
        closed, shapes = jax.make_jaxpr(fn, return_shape=True)()
        return (lambda: jax.core.eval_jaxpr(closed.jaxpr, closed.consts)), shapes


try:  # the traces a lax primitive opens, to clean up when one is abandoned (see below)
    from jax._src.core import trace_ctx as _trace_ctx
    _JaxprTrace = _pe.DynamicJaxprTrace
except (ImportError, NameError, AttributeError):  # pragma: no cover - another jax
    _trace_ctx = _JaxprTrace = None


def _forget_abandoned_traces(exc: BaseException) -> None:
    """Invalidates the traces that `exc` abandoned on its way out of a lax primitive.

    JAX clears a trace's frame (its equations and constants) only when the trace ends
    normally; a trace left by an exception keeps a reference cycle through JAX's finalizer
    registry, so it, and the outer tracers it captured as constants, stay alive, and
    `jax.checking_leaks()` reports them as leaked. The runtime abandons traces on purpose (a
    loop body traced once to learn the types of the values it returns, then traced again), so
    the traces opened below the current one (found in the traceback's frames) are invalidated
    here, as JAX would at their end."""
    if _JaxprTrace is None:
        return
    live = set()
    t = _trace_ctx.trace
    while t is not None:  # the current trace and those it is nested in stay
        live.add(id(t))
        t = getattr(t, "parent_trace", None)
    tb = exc.__traceback__
    while tb is not None:
        for v in list(tb.tb_frame.f_locals.values()):
            if isinstance(v, _JaxprTrace) and id(v) not in live:
                v.invalidate()
        tb = tb.tb_next


def _cleans_up_abandoned_traces(method):
    """Decorator for the backend's staging methods: see `_forget_abandoned_traces`."""
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as e:
            _forget_abandoned_traces(e)
            raise
    wrapper.__name__ = method.__name__
    wrapper.__qualname__ = method.__qualname__
    wrapper.__doc__ = method.__doc__
    return wrapper


def _closure_has_tracer(fn, depth: int = 6) -> bool:
    """Whether a tracer is reachable from `fn`'s closure cells (and the closures of functions
    found there, and one level of containers and object attributes): a cheap test that a loop
    body reads traced values, before tracing it."""
    seen = set()

    def value(v, d):
        if isinstance(v, _Tracer):
            return True
        if callable(v) and getattr(v, "__closure__", None) is not None:
            return func(v, d)
        return False

    def func(f, d):
        if d <= 0 or id(f) in seen:
            return False
        seen.add(id(f))
        f = getattr(f, "__func__", f)
        for cell in getattr(f, "__closure__", None) or ():
            try:
                v = cell.cell_contents
            except ValueError:
                continue
            if value(v, d - 1):
                return True
            if isinstance(v, (list, tuple)):
                if any(isinstance(e, _Tracer) for e in v[:64]):
                    return True
            elif isinstance(v, dict):
                if any(isinstance(e, _Tracer) for e in list(v.values())[:64]):
                    return True
            elif hasattr(v, "__dict__") and not isinstance(v, type):
                if any(isinstance(e, _Tracer) for e in list(vars(v).values())[:64]):
                    return True
        return False

    return func(fn, depth)


def _loc(opts: dict | None) -> str | None:
    return (opts or {}).get("loop_name")


def _maximum_iterations(opts: dict | None) -> Any:
    """The loop's `maximum_iterations` option (`autograph.set_loop_options`): None, a Python
    int, or a scalar integer array."""
    bound = (opts or {}).get("maximum_iterations")
    if bound is None:
        return None
    if isinstance(bound, (int, np.integer)) and not isinstance(bound, bool):
        return int(bound)
    if isinstance(bound, (jax.Array, np.ndarray)) and np.shape(bound) == () and \
            jnp.issubdtype(bound.dtype, jnp.integer):
        return bound
    raise staging_error(
        f"maximum_iterations of this staged loop is {bound!r}, not an int. Fix: pass an int "
        "(or a scalar integer array) to autograph.set_loop_options(maximum_iterations=...).",
        location=_loc(opts))


# ---------------------------------------------------------------------------------------------
# The growable list
# ---------------------------------------------------------------------------------------------


class JaxList:
    """A Python list that grows in a staged loop, as JAX can carry it.

    Three states:

    - *items*: a plain sequence of arrays (what the runtime builds from a Python list before the
      loop): `items` is a tuple;
    - *count*: used only while probing a loop body for how many elements it appends per
      iteration (`count` appends so far, `elem` their abstract value, `varies` when the count
      differs between the branches of a staged if);
    - *buffer*: a preallocated array `buffer` of `capacity` rows and a traced `length`. After a
      loop whose appends did not depend on traced values, `static_length` is the (Python int)
      length, and the list behaves as a list of arrays: `len`, indexing, iteration,
      `jnp.asarray(lst)` (one op) and `jnp.stack(lst)`.
    """

    __slots__ = ("items", "count", "elem", "varies", "buffer", "length", "capacity",
                 "static_length", "reserved")

    def __init__(self, items=(), *, count=None, elem=None, varies=False, buffer=None,
                 length=None, capacity=None, static_length=None, reserved=False):
        self.items = tuple(items) if buffer is None and count is None else None
        self.count = count
        self.elem = elem
        self.varies = varies
        self.buffer = buffer
        self.length = length
        self.capacity = capacity
        self.static_length = static_length
        # A loop variable of the staged loop being traced, whose buffer has room for all the
        # loop's appends; any other buffer grows by a row when an append may not fit.
        self.reserved = reserved

    # -- state ----------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        if self.buffer is not None:
            return "buffer"
        if self.count is not None:
            return "count"
        return "items"

    def _known_length(self) -> int:
        if self.items is not None:
            return len(self.items)
        if self.buffer is not None and self.static_length is not None:
            return self.static_length
        if (self.buffer is not None and not isinstance(self.length, _Tracer)
                and _trace_state_clean()):
            # Returned by jax.jit: outside any trace its length is a concrete number, so it
            # behaves as the list of its elements (len, indexing, iteration).
            return int(self.length)
        raise staging_error(
            "the length of this list depends on traced values (it was appended to under a "
            "traced condition, or in a while loop), and JAX arrays have static shapes. Fix: "
            "append unconditionally in a for loop with a static trip count, or write into a "
            "preallocated array (x = x.at[i].set(v)); autograph.runtime.backends.jax_backend."
            "padded(lst) gives the zero-padded buffer and the traced length.")

    # -- the Python list protocol (after a staged loop) ------------------------------------------

    def __len__(self) -> int:
        return self._known_length()

    def __getitem__(self, index: Any) -> Any:
        n = self._known_length()
        if self.items is not None:
            return self.items[index]
        if isinstance(index, slice):
            return [self.buffer[i] for i in range(*index.indices(n))]
        if isinstance(index, (int, np.integer)):
            if not -n <= index < n:
                raise IndexError("list index out of range")
            return self.buffer[index % n]
        return self.buffer[:n][index]

    def __iter__(self):
        n = self._known_length()
        if self.items is not None:
            return iter(self.items)
        return (self.buffer[i] for i in range(n))

    def append(self, x: Any) -> "JaxList":
        """A new list with `x` appended: a JaxList is immutable, like the engine's TensorList
        (converted code keeps the result of `lst.append(x)`: converters/list_appends.py)."""
        return load_backend().list_append(self, x)

    def __jax_array__(self) -> Any:
        n = self._known_length()
        if self.items is not None:
            return jnp.stack([_as_array(x) for x in self.items])
        return self.buffer if n == self.capacity else self.buffer[:n]

    def __repr__(self) -> str:
        if self.items is not None:
            return f"JaxList({list(self.items)!r})"
        if self.count is not None:
            return f"JaxList(<probing: {self.count} appended>)"
        n = self.static_length if self.static_length is not None else "traced"
        return f"JaxList(<buffer of {self.capacity} {_fmt(self.elem)}, length {n}>)"


def _list_flatten(lst: JaxList):
    if lst.buffer is not None:
        return (lst.buffer, lst.length), ("buffer", lst.capacity, lst.elem, lst.static_length,
                                          lst.reserved)
    if lst.count is not None:
        return (), ("count", lst.count, lst.elem, lst.varies)
    return lst.items, ("items", len(lst.items))


def _list_unflatten(aux, children):
    # Always a JaxList, even for the concrete outputs of `jax.jit`: jit's C++ fast path
    # flattens the first call's outputs to cache their structure, so an unflatten that gave
    # a Python list breaks every later call ("Too few leaves for PyTreeDef").
    kind = aux[0]
    if kind == "buffer":
        buffer, length = children
        return JaxList(buffer=buffer, length=length, capacity=aux[1], elem=aux[2],
                       static_length=aux[3], reserved=aux[4])
    if kind == "count":
        return JaxList(count=aux[1], elem=aux[2], varies=aux[3])
    return JaxList(tuple(children))


tree_util.register_pytree_node(JaxList, _list_flatten, _list_unflatten)


def padded(lst: JaxList) -> tuple:
    """`(buffer, length)` of a list filled in a staged loop: the zero-padded buffer (capacity
    rows) and its traced length (for lists whose length depends on traced values)."""
    if not isinstance(lst, JaxList):
        raise TypeError(f"padded() takes a list filled in a staged JAX loop, not {type(lst)}")
    if lst.buffer is None:
        arr = lst.__jax_array__()
        return arr, jnp.asarray(len(lst.items), jnp.int32)
    return lst.buffer, lst.length


def _elem_aval(x: Any) -> Any:
    a = _aval(x)
    return jax.ShapeDtypeStruct(tuple(a.shape), a.dtype)


def _check_elem(elem, x, what="appended"):
    a = _aval(x)
    if elem is not None and tuple(a.shape) != tuple(elem.shape):
        raise staging_error(
            f"an element {what} to a list in a staged loop is {_fmt(a)}, but the list holds "
            f"{_fmt(elem)} elements: JAX stacks the elements of such a list into one array, so "
            "they must all have the same shape. Fix: append values of one shape.")
    return a


# ---------------------------------------------------------------------------------------------
# Loop state: lists become buffers, outputs are cast to the carried dtypes
# ---------------------------------------------------------------------------------------------


def _has_lists(values) -> bool:
    """Whether a list is among the loop variables: a Python list lifted by the runtime, or a
    list an earlier staged loop filled (a buffer), which this loop may append to again. (A
    buffer being filled by an enclosing loop already has room for this loop's appends.)"""
    return any(_to_prepare(v) for v in values)


def _to_prepare(v) -> bool:
    return isinstance(v, JaxList) and v.count is None and not v.reserved


def _counting(values) -> bool:
    """Whether this loop is being probed by an outer loop for its list appends."""
    return any(isinstance(v, JaxList) and v.count is not None for v in values)


def _allocate(lst: JaxList, per_iter: int, trips: int, varies: bool, elem: Any,
              name: str) -> JaxList:
    items = lst.items or ()
    if elem is None and items:
        elem = _elem_aval(items[0])
    if elem is None:  # never appended and empty: stays an empty list
        return lst
    for x in items:
        _check_elem(elem, x, "given")
    capacity = len(items) + per_iter * trips
    buf = jnp.zeros((capacity,) + tuple(elem.shape), elem.dtype)
    if items:
        buf = buf.at[: len(items)].set(jnp.stack([jnp.asarray(x, elem.dtype) for x in items]))
    return JaxList(buffer=buf, length=jnp.asarray(len(items), jnp.int32), capacity=capacity,
                   elem=elem, static_length=None, reserved=True)


def _grow(lst: JaxList, per_iter: int, trips: int) -> JaxList:
    """A buffer filled by an earlier loop, with room for `per_iter * trips` more elements."""
    extra = jnp.zeros((per_iter * trips,) + tuple(lst.elem.shape), lst.elem.dtype)
    return JaxList(buffer=jnp.concatenate([lst.buffer, extra]), length=lst.length,
                   capacity=lst.capacity + per_iter * trips, elem=lst.elem, static_length=None,
                   reserved=True)


class _LoopState:
    """Prepares the carry of one staged loop (lists → buffers) and post-processes its result."""

    def __init__(self, backend, init, names, opts, trips, body_probe):
        self.names = tuple(names)
        self.static_lengths = {}
        self.prepared = set()  # the lists this loop reserved room in (unreserved after it)
        init = tuple(init)
        if _has_lists(init):
            init = self._prepare_lists(init, trips, body_probe, opts)
        self.init = init

    def _prepare_lists(self, init, trips, body_probe, opts):
        names = self.names
        dynamic_trips = trips is None
        if dynamic_trips:
            trips = (opts or {}).get("maximum_iterations")
        # Probe the body once, each list counting its appends (a buffer keeps its elements'
        # shape, which the appends must match).
        counting = tuple(JaxList(count=0, elem=v.elem) if _to_prepare(v) else v for v in init)
        probe_in = [jax.ShapeDtypeStruct(_aval(v).shape, _aval(v).dtype,
                                         weak_type=_aval(v).weak_type)
                    if not isinstance(v, JaxList) else v for v in counting]
        out = body_probe(probe_in)
        result = list(init)
        for k, (v, o) in enumerate(zip(init, out)):
            if not _to_prepare(v):
                continue
            if (v.buffer is not None and isinstance(o, JaxList) and o.buffer is not None
                    and _list_flatten(o)[1] == _list_flatten(v)[1]):
                continue  # set to another filled list of the same kind (a return value)
            if not isinstance(o, JaxList) or o.count is None:
                raise staging_error(
                    f"'{names[k]}' is a list before this staged loop and "
                    f"{type(o).__name__} after one iteration. Fix: keep it a list.",
                    variable=names[k], location=_loc(opts))
            if o.count < 0:
                raise staging_error(
                    f"the list '{names[k]}' shrinks in this staged loop (pop): JAX cannot "
                    "stage that. Fix: use a fixed-size array and an index.",
                    variable=names[k], location=_loc(opts))
            if v.buffer is not None and o.count == 0 and not o.varies:
                continue  # a filled list the loop only reads: carried as it is
            if trips is None and (o.count or o.varies):
                raise staging_error(
                    f"the list '{names[k]}' is appended to in a staged loop whose number of "
                    "iterations depends on traced values (a while loop, or a range with "
                    "traced bounds). JAX arrays have static shapes, so the list needs a bound. "
                    "Fix: loop over a range with static bounds, bound the loop (call "
                    "autograph.set_loop_options(maximum_iterations=N) in its body), or write "
                    "into a preallocated array "
                    "(x = x.at[i].set(v)).", variable=names[k], location=_loc(opts))
            varies = o.varies or dynamic_trips
            n = int(trips or 0)
            self.prepared.add(k)
            if v.buffer is not None:
                result[k] = _grow(v, o.count, n)
                if not varies and v.static_length is not None:
                    self.static_lengths[k] = v.static_length + o.count * n
                continue
            result[k] = _allocate(v, o.count, n, varies, o.elem, names[k])
            if not varies and result[k].buffer is not None:
                self.static_lengths[k] = result[k].capacity
        return tuple(result)

    def finish(self, out):
        out = list(out)
        for k in self.prepared:
            lst = out[k]
            if isinstance(lst, JaxList) and lst.buffer is not None:
                out[k] = JaxList(buffer=lst.buffer, length=lst.length, capacity=lst.capacity,
                                 elem=lst.elem,
                                 static_length=self.static_lengths.get(k, lst.static_length))
        return tuple(out)


def _fix_carry(out, inputs, names, opts, what):
    """The body's outputs, cast where a weakly typed output meets a strongly typed carry."""
    out = tuple(out)
    if len(out) != len(inputs):
        raise staging_error(f"internal: the {what} body returned {len(out)} values for "
                            f"{len(inputs)} loop variables", location=_loc(opts))
    res = []
    for v, x, name in zip(out, inputs, names):
        if isinstance(x, JaxList):
            if not isinstance(v, JaxList):
                raise staging_error(
                    f"'{name}' is a list before this staged {what} loop and "
                    f"{type(v).__name__} after one iteration. Fix: keep it a list.",
                    variable=name, location=_loc(opts))
            res.append(v)
            continue
        if not _is_array(v):
            raise staging_error(
                f"'{name}' is a tensor in this staged {what} loop but becomes a Python "
                f"{type(v).__name__} in its body. Fix: keep '{name}' an array.",
                variable=name, location=_loc(opts))
        a_in, a_out = _aval(x), _aval(v)
        if a_in.dtype != a_out.dtype and a_out.weak_type and not a_in.weak_type and (
                _joined_dtype([a_in, a_out]) == np.dtype(a_in.dtype)):
            v = lax.convert_element_type(v, a_in.dtype)
        res.append(v)
    return tuple(res)


def _abstract_outputs(out) -> tuple:
    """The abstract values of a loop body's outputs (None for a list), kept for `_carry_error`
    after the body's trace has ended: keeping the tracers themselves would leak them
    (`jax.checking_leaks()` reports a tracer that outlives its trace)."""
    return tuple(None if isinstance(v, JaxList) else _aval(v) for v in out)


def _carry_error(exc, init, last_out, names, opts, what):
    """A StagingError naming the variable whose dtype/shape changed, for a raw lax TypeError
    raised after the body was traced; None when none is found. `last_out`: the body's
    outputs as `_abstract_outputs`."""
    if last_out is None:
        return None
    for x, b, name in zip(init, last_out, names):
        if isinstance(x, JaxList) or b is None:
            continue
        a = _aval(x)
        if tuple(a.shape) != tuple(b.shape) or (
                a.dtype != b.dtype and _joined_dtype([a, b]) is None):
            return staging_error(
                f"'{name}' is {_fmt(a)} before this staged {what} loop and {_fmt(b)} after one "
                f"iteration: a loop variable must keep its dtype and shape. Fix: initialize "
                f"'{name}' before the loop with the dtype and shape it has in the loop (or "
                f"cast it in the loop).", variable=name, location=_loc(opts))
    return None


def _scalar_pred(pred: Any, what: str, location: str | None = None) -> Any:
    """A boolean scalar array for a condition (Python truth: nonzero is true)."""
    if isinstance(pred, JaxList):
        return jnp.asarray(pred.length > 0) if pred.items is None else bool(pred.items)
    p = _as_array(pred)
    if p.shape != ():
        raise staging_error(
            f"the condition of this {what} is an array of shape {tuple(p.shape)}, not a "
            "scalar: its truth value is ambiguous. Fix: reduce it, e.g. with jnp.any(...) or "
            "jnp.all(...).", location=location)
    if p.dtype != jnp.bool_:
        p = p != 0
    return p


# ---------------------------------------------------------------------------------------------
# The backend
# ---------------------------------------------------------------------------------------------


class JaxBackend(registry.Backend):
    """Stages control flow on JAX tracers with `jax.lax`. See the module docstring."""

    name = "jax"
    tensor_types = (_Tracer, JaxList)
    priority = 10
    short_circuit = False
    weak_numbers = True  # a Python number is weakly typed: _join_branches casts it

    # -- ownership ------------------------------------------------------------------------------

    def owns(self, value: Any) -> bool:
        return isinstance(value, (_Tracer, JaxList))

    def claims_iterable(self, value: Any) -> bool:
        # A list filled by a staged loop, with a static length, iterates in Python.
        return not isinstance(value, JaxList)

    def wants_static_range(self) -> bool:
        return not _trace_state_clean()

    # -- values ---------------------------------------------------------------------------------

    def to_tensor(self, value: Any, like: Any = None) -> Any:
        if isinstance(value, (JaxList, jax.Array)):
            return value
        if type(value) in _PY_NUMBERS:
            if like is not None and not isinstance(like, JaxList):
                return jnp.asarray(value, dtype=jnp.result_type(value, like))
            arr = jnp.asarray(value)
            _lifted().append(weakref.ref(arr))  # see for_static_range
            return arr
        return jnp.asarray(value)

    def zeros_like(self, value: Any) -> Any:
        if isinstance(value, JaxList):
            # The placeholder of a list (a return value first set in a staged loop): the same
            # pytree (kind, capacity, element, static length) with zeros in it.
            return tree_util.tree_map(lambda x: jnp.zeros(_aval(x).shape, _aval(x).dtype),
                                      value)
        a = _aval(value)
        return jnp.zeros(a.shape, a.dtype)

    def spec(self, value: Any) -> Any:
        if isinstance(value, JaxList):
            return None
        return _Spec(_aval(value))

    def abstract(self, value: Any) -> Any:
        # A tracer must not outlive its trace (jax.checking_leaks): its aval stands for it.
        if isinstance(value, JaxList):
            return None
        return _aval(value)

    # -- branches -------------------------------------------------------------------------------

    @_cleans_up_abandoned_traces
    def cond(self, pred, true_fn, false_fn, names):
        p = _scalar_pred(pred, "if")
        return self._branches(lambda fns: lax.cond(p, fns[0], fns[1]),
                              (true_fn, false_fn), names)

    @_cleans_up_abandoned_traces
    def switch(self, index, branch_fns, names):
        i = _as_array(index)
        if i.shape != ():
            raise staging_error(f"the index of this switch has shape {tuple(i.shape)}, not a "
                                "scalar")
        if not jnp.issubdtype(i.dtype, jnp.integer):
            i = i.astype(jnp.int32)
        return self._branches(lambda fns: lax.switch(i, fns), tuple(branch_fns), names)

    def _branches(self, launch, fns, names):
        """Traces every branch once (into a jaxpr, so that the runtime's branch functions run
        exactly once each), joins the output dtypes (a weakly typed output takes the dtype of
        the others), then stages the cond by replaying the jaxprs."""
        traced = []
        for fn in fns:
            def flat_outputs(fn=fn):
                return tuple(v if isinstance(v, JaxList) else _as_array(v) for v in fn())
            traced.append(_trace_to_jaxpr(flat_outputs))
        records = [shapes for _, shapes in traced]
        width = {len(r) for r in records}
        if len(width) != 1:
            raise staging_error(f"internal: the branches of this staged if give {sorted(width)} "
                                "values")
        casts, merged = self._join_branches(records, names)
        leaf_casts = []
        treedef = None
        for _evaluate, shapes in traced:
            outs = tuple(None if k in merged else v for k, v in enumerate(shapes))
            leaves, tdef = tree_util.tree_flatten(outs)
            if treedef is None:
                treedef = tdef
            elif tdef != treedef:
                k = next(k for k in range(len(outs)) if tree_util.tree_structure(outs[k]) !=
                         tree_util.tree_structure(
                             tuple(None if j in merged else v
                                   for j, v in enumerate(records[0]))[k]))
                name = names[k] if k < len(names) else f"<output {k}>"
                shown, variable = _names_in_messages(name)
                raise staging_error(
                    f"{shown} has a different structure in the branches of this staged if (a "
                    "list with room for a different number of elements, or of another kind). "
                    "Fix: build it the same way in every branch.", variable=variable)
            leaf_casts.append([casts.get(id(s)) for s in leaves])

        def replay(j):
            evaluate, shapes = traced[j]

            def run():
                vals = evaluate()
                outs = tuple(None if k in merged else v for k, v in
                             enumerate(tree_util.tree_unflatten(
                                 tree_util.tree_structure(shapes), vals)))
                leaves, tdef = tree_util.tree_flatten(outs)
                leaves = [v if dt is None or _aval(v).dtype == dt
                          else lax.convert_element_type(v, dt)
                          for v, dt in zip(leaves, leaf_casts[j])]
                return tree_util.tree_unflatten(tdef, leaves)
            return run

        result = launch([replay(j) for j in range(len(fns))])
        return tuple(merged[k] if k in merged else v for k, v in enumerate(result))

    def _join_branches(self, records, names):
        """({id(output shape): dtype to cast to}, {index: merged probing list}), or raises a
        StagingError naming the variable whose dtype or shape differs between branches."""
        casts, merged = {}, {}
        for k in range(len(records[0])):
            vals = [r[k] for r in records]
            name = names[k] if k < len(names) else f"<output {k}>"
            if any(isinstance(v, JaxList) for v in vals):
                if all(isinstance(v, JaxList) and v.count is not None for v in vals):
                    counts = [v.count for v in vals]
                    elems = [v.elem for v in vals if v.elem is not None]
                    merged[k] = JaxList(count=max(counts), elem=elems[0] if elems else None,
                                        varies=len(set(counts)) > 1 or any(v.varies
                                                                           for v in vals))
                elif not all(isinstance(v, JaxList) for v in vals):
                    raise staging_error(
                        f"'{name}' is a list in one branch of this staged if and not in the "
                        "other. Fix: keep it a list in every branch.", variable=name)
                continue
            avals = vals
            if len({tuple(a.shape) for a in avals}) > 1 or (
                    len({np.dtype(a.dtype) for a in avals}) > 1 and _joined_dtype(avals) is None):
                kinds = " and ".join(_fmt(a) for a in avals)
                raise staging_error(
                    f"'{name}' is {kinds} in the branches of this staged if: a value chosen by "
                    f"a traced condition must have one dtype and shape. Fix: make every branch "
                    f"give '{name}' the same dtype and shape (cast one of them).",
                    variable=name)
            if len({np.dtype(a.dtype) for a in avals}) > 1:
                dt = _joined_dtype(avals)
                for a in avals:
                    casts[id(a)] = dt
        return casts, merged

    # -- loops ----------------------------------------------------------------------------------

    @_cleans_up_abandoned_traces
    def while_loop(self, cond_fn, body_fn, init, names, opts):
        opts = opts or {}
        names = tuple(names)
        loc = _loc(opts)
        bound = _maximum_iterations(opts)
        if _counting(init):  # probing an outer loop: a bounded while appends up to the bound
            return self._counting_loop(body_fn, (), init, names, opts, bound)

        def probe(avals):
            return jax.eval_shape(lambda *c: tuple(body_fn(*c)), *avals)

        state = _LoopState(self, init, names, opts, None, probe)
        carry0 = state.init
        last = [None]

        def cond(c):
            if bound is not None:
                k, c = c[0], c[1:]
                return jnp.logical_and(k < bound, _scalar_pred(cond_fn(*c), "while loop", loc))
            return _scalar_pred(cond_fn(*c), "while loop", loc)

        def body(c):
            if bound is not None:
                k, c = c[0], c[1:]
            out = _fix_carry(body_fn(*c), c, names, opts, "while")
            last[0] = _abstract_outputs(out)
            return (k + 1,) + out if bound is not None else out

        start = ((jnp.asarray(0, jnp.int32),) if bound is not None else ()) + carry0
        try:
            out = lax.while_loop(cond, body, start)
        except TypeError as e:
            err = _carry_error(e, carry0, last[0], names, opts, "while")
            if err is None:
                raise
            raise err from None
        return state.finish(out[1:] if bound is not None else out)

    @_cleans_up_abandoned_traces
    def for_range(self, start, stop, step, body_fn, init, names, opts):
        opts = opts or {}
        names = tuple(names)
        static = all(isinstance(b, (int, np.integer)) and not isinstance(b, bool)
                     for b in (start, stop, step))
        if static:
            start, stop, step = int(start), int(stop), int(step)
            if step == 0:
                raise ValueError("range() arg 3 must not be zero")
            trips = len(range(start, stop, step))
        else:
            trips = None
        bound = _maximum_iterations(opts)
        # set_loop_options(maximum_iterations=...): a static range stops earlier; a traced
        # one takes the general path below, with the fewer of the two trip counts.
        plain_fori = (static and (bound is None or isinstance(bound, int))) or (
            bound is None and isinstance(step, (int, np.integer)) and step == 1)
        if isinstance(bound, int) and trips is not None and bound < trips:
            trips = max(bound, 0)
            stop = start + trips * step
        if _counting(init):
            return self._counting_loop(body_fn, (jnp.int32,), init, names, opts,
                                       trips if trips is not None
                                       else (bound if isinstance(bound, int) else None))

        def probe(avals):
            return jax.eval_shape(lambda i, *c: tuple(body_fn(i, *c)),
                                  jax.ShapeDtypeStruct((), jnp.int32), *avals)

        state = _LoopState(self, init, names, opts, trips, probe)
        carry0 = state.init
        last = [None]

        def run(i, c):
            out = _fix_carry(body_fn(i, *c), c, names, opts, "for")
            last[0] = _abstract_outputs(out)
            return out

        try:
            if plain_fori:
                # exactly what a hand-written fori_loop(start, stop, ...) stages
                if static and trips == 0:
                    return tuple(carry0)
                if static and step != 1:
                    out = lax.fori_loop(0, trips, lambda k, c: run(start + k * step, c), carry0)
                else:
                    lo, hi = start, stop
                    if not static:
                        lo, hi = jnp.asarray(start), jnp.asarray(stop)
                        dt = jnp.result_type(lo, hi)
                        lo, hi = lo.astype(dt), hi.astype(dt)
                    out = lax.fori_loop(lo, hi, run, carry0)
            else:
                n = self._trip_count(start, stop, step)
                if bound is not None:  # traced bounds and maximum_iterations: the fewer
                    n = jnp.minimum(n, jnp.maximum(jnp.asarray(bound, n.dtype), 0))
                lo, st = jnp.asarray(start, n.dtype), jnp.asarray(step, n.dtype)
                out = lax.fori_loop(jnp.zeros((), n.dtype), n,
                                    lambda k, c: run(lo + k * st, c), carry0)
        except TypeError as e:
            err = _carry_error(e, carry0, last[0], names, opts, "for")
            if err is None:
                raise
            raise err from None
        return state.finish(out)

    @staticmethod
    def _trip_count(start, stop, step):
        """max(0, ceil((stop - start) / step)) for either sign of step (0 when step is 0)."""
        dt = jnp.result_type(*(jnp.asarray(v) for v in (start, stop, step)))
        if not jnp.issubdtype(dt, jnp.integer):
            raise TypeError(f"'{np.dtype(dt).name}' object cannot be interpreted as an integer")
        a, b, s = (jnp.asarray(v, dt) for v in (start, stop, step))
        if isinstance(step, (int, np.integer)):
            n = (b - a + (s - 1)) // s if step > 0 else (a - b + (-s - 1)) // (-s)
        else:
            safe = jnp.where(s == 0, 1, s)
            up = (b - a + (safe - 1)) // safe
            down = (a - b + (-safe - 1)) // (-safe)
            n = jnp.where(s > 0, up, jnp.where(s < 0, down, 0))
        return jnp.maximum(n, 0)

    def for_static_range(self, start, stop, step, body_fn, init, names, opts):
        """A `for` over a Python range inside a JAX trace.

        Staged as `lax.fori_loop` (a `scan`: reverse-differentiable, and the trace does not
        grow with the trip count) when the loop computes on traced values. Runs as the Python
        loop it is (returns NotImplemented) when it does not: every loop variable was a Python
        number before the loop and the body reads no traced value besides them, so that
        integer bookkeeping (`n += 1`, later used as a shape) stays a Python int. Rolls back to
        the Python loop, with a warning naming the line, when the body cannot be staged (for
        example it indexes a Python list with the loop index)."""
        lifted = _lifted()
        from_python = all(_was_lifted(v, lifted) for v in init)
        lifted.clear()
        if len(range(start, stop, step)) == 0:
            return NotImplemented  # nothing runs: keep the Python values as they are
        retry = _retry_types()
        try:
            if from_python and not _closure_has_tracer(body_fn) and \
                    not self._reads_traced_values(body_fn, init):
                return NotImplemented
            return self.for_range(start, stop, step, body_fn, init, names, opts)
        except Exception as e:  # noqa: BLE001 - any failure to stage rolls back
            if retry and isinstance(e, retry):
                raise
            where = _loc(opts) or "<unknown location>"
            from autograph.errors import AutographWarning
            warnings.warn(
                f"{where}: this for loop over range({start}, {stop}, {step}) could not be "
                f"staged as a JAX loop ({type(e).__name__}: {_first_line(e)}); it runs as a "
                "Python loop instead, unrolled into the trace (its trace size grows with the "
                "number of iterations).", AutographWarning, stacklevel=2)
            return NotImplemented

    @staticmethod
    def _reads_traced_values(body_fn, init) -> bool:
        """Whether the loop body closes over a traced value (found as a tracer among the
        constants of its jaxpr, traced with the index and the loop variables abstract)."""
        avals = [jax.ShapeDtypeStruct(_aval(v).shape, _aval(v).dtype,
                                      weak_type=_aval(v).weak_type) for v in init]
        closed = jax.make_jaxpr(lambda i, *c: tuple(body_fn(i, *c)))(
            jax.ShapeDtypeStruct((), jnp.int32), *avals)
        return any(isinstance(c, _Tracer) for c in closed.consts)

    @_cleans_up_abandoned_traces
    def for_tensor(self, xs, body_fn, init, names, opts):
        opts = opts or {}
        names = tuple(names)
        seq = tuple(_as_array(x) for x in xs) if isinstance(xs, tuple) else (_as_array(xs),)
        for x in seq:
            if x.ndim == 0:
                raise TypeError("iteration over a 0-d array")
        trips = min(int(x.shape[0]) for x in seq)
        bound = _maximum_iterations(opts)
        if bound is not None:  # set_loop_options(maximum_iterations=...): fewer trips
            if not isinstance(bound, int):
                raise staging_error(
                    "maximum_iterations of a for loop over an array must be a Python int (the "
                    "loop is a lax.scan, whose length is static). Fix: pass an int, or slice "
                    "the array.", location=_loc(opts))
            trips = max(min(trips, bound), 0)
        seq = tuple(x if x.shape[0] == trips else x[:trips] for x in seq)
        zipped = isinstance(xs, tuple)

        def item(x):
            return tuple(x) if zipped else x[0]

        def probe(avals):
            xa = tuple(jax.ShapeDtypeStruct(x.shape[1:], x.dtype) for x in seq)
            return jax.eval_shape(
                lambda i, x, *c: tuple(body_fn(i, x if zipped else x[0], *c)),
                jax.ShapeDtypeStruct((), jnp.int32), xa, *avals)

        if _counting(init):
            return self._counting_loop(
                lambda i, *c: body_fn(i, item(tuple(x[0] for x in seq)), *c), (jnp.int32,),
                init, names, opts, trips)
        state = _LoopState(self, init, names, opts, trips, probe)
        carry0 = state.init
        if trips == 0:
            return tuple(carry0)
        last = [None]

        def step(c, x):
            i, c = c[0], c[1:]
            out = _fix_carry(body_fn(i, item(x), *c), c, names, opts, "for")
            last[0] = _abstract_outputs(out)
            return (i + 1,) + out, None

        try:
            out, _ = lax.scan(step, (jnp.asarray(0, jnp.int32),) + tuple(carry0), seq)
        except TypeError as e:
            err = _carry_error(e, carry0, last[0], names, opts, "for")
            if err is None:
                raise
            raise err from None
        return state.finish(out[1:])

    def _counting_loop(self, body_fn, index_types, init, names, opts, trips):
        """While probing an outer loop for list appends: this inner loop appends
        `per_iteration * trips` elements (trips: the bound, for a dynamic trip count)."""
        if trips is None:
            k = next(k for k, v in enumerate(init) if isinstance(v, JaxList))
            shown, variable = _names_in_messages(names[k])
            shown = shown if variable is None else f"the list {shown}"
            raise staging_error(
                f"{shown} is appended to in a staged loop whose number of "
                "iterations depends on traced values. Fix: loop over a range with static "
                "bounds, bound the loop (autograph.set_loop_options(maximum_iterations=N) in "
                "its body), or write into a preallocated array.",
                variable=variable, location=_loc(opts))
        idx = tuple(jax.ShapeDtypeStruct((), t) for t in index_types)
        avals = [v if isinstance(v, JaxList) else
                 jax.ShapeDtypeStruct(_aval(v).shape, _aval(v).dtype, weak_type=_aval(v).weak_type)
                 for v in init]
        inner = [JaxList(count=0, elem=v.elem) if isinstance(v, JaxList) else v for v in avals]
        out = jax.eval_shape(lambda *a: tuple(body_fn(*a)), *idx, *inner)
        res = []
        for k, (v, o) in enumerate(zip(init, out)):
            if isinstance(v, JaxList) and v.count is None:
                # Not one of the probed loop's lists: one made in its body before this loop
                # (`tmp = []`), or the placeholder of a return value set in this loop. Its
                # value after the loop, as this loop would give it.
                res.append(self._after_probed_loop(v, o, int(trips), names[k]))
            elif isinstance(v, JaxList):
                res.append(JaxList(count=v.count + o.count * int(trips),
                                   elem=v.elem if v.elem is not None else o.elem,
                                   varies=v.varies or o.varies))
            else:
                res.append(jnp.zeros(o.shape, o.dtype))
        return tuple(res)

    @staticmethod
    def _after_probed_loop(v, o, trips, name):
        """List `v` (not counting appends) after `trips` iterations that append `o.count`
        elements each: a buffer with room for them, as `_LoopState` prepares it."""
        if not isinstance(o, JaxList) or o.count is None:
            return o
        if o.count == 0 and not o.varies:
            return v
        if v.buffer is not None:
            return _grow(v, o.count, trips)
        filled = _allocate(v, o.count, trips, o.varies, o.elem, name)
        if filled.buffer is not None and not o.varies:
            filled.static_length = filled.capacity
        return filled

    # -- operators ------------------------------------------------------------------------------

    def logical_and(self, a, b):
        return jnp.logical_and(a, b)

    def logical_or(self, a, b):
        return jnp.logical_or(a, b)

    def logical_not(self, a):
        return jnp.logical_not(a)

    def select(self, c, a, b):
        c = _as_array(c)
        if c.dtype != jnp.bool_:
            c = c != 0
        if isinstance(a, JaxList) or isinstance(b, JaxList):
            raise staging_error("a conditional expression on a traced condition cannot choose "
                                "between lists. Fix: use an if statement.")
        return jnp.where(c, a, b)

    def assert_(self, cond, message):
        c = _as_array(cond)
        if c.shape != ():
            raise staging_error(
                f"the condition of this assert is an array of shape {tuple(c.shape)}, not a "
                "scalar. Fix: reduce it, e.g. assert jnp.all(...).")
        text = "" if message is None else str(message)

        def check(ok):
            if not np.all(ok):
                raise AssertionError(text)

        jax.debug.callback(check, c)
        return None

    def print_(self, *args, **kwargs):
        sep = kwargs.get("sep")
        end = kwargs.get("end")
        file = kwargs.get("file")
        flush = kwargs.get("flush", False)
        traced = [k for k, a in enumerate(args) if isinstance(a, jax.Array)]
        args = list(args)
        for k, a in enumerate(args):
            if isinstance(a, JaxList):
                args[k] = jnp.asarray(a)
                traced.append(k)
        traced = sorted(set(traced))
        template = list(args)

        def emit(*values):
            out = list(template)
            for k, v in zip(traced, values):
                out[k] = np.asarray(v)
            print(*out, sep=sep, end=end, file=file if file is not None else sys.stdout,
                  flush=flush)

        jax.debug.callback(emit, *(args[k] for k in traced))
        return None

    # -- lists ----------------------------------------------------------------------------------

    def list_new(self):
        return JaxList()

    def list_append(self, lst, x):
        if not isinstance(lst, JaxList):
            lst = JaxList(lst)
        if lst.items is not None:
            return JaxList(lst.items + (x,))
        if lst.count is not None:
            a = _check_elem(lst.elem, x)
            elem = lst.elem if lst.elem is not None else jax.ShapeDtypeStruct(a.shape, a.dtype)
            return JaxList(count=lst.count + 1, elem=elem, varies=lst.varies)
        _check_elem(lst.elem, x)
        value = jnp.asarray(x).astype(lst.elem.dtype)
        if lst.reserved:  # in the loop that filled it: the buffer has room
            buf = lax.dynamic_update_index_in_dim(lst.buffer, value, lst.length, 0)
            return JaxList(buffer=buf, length=lst.length + 1, capacity=lst.capacity,
                           elem=lst.elem, static_length=None, reserved=True)
        # After the loop: the list may be full (a traced length may be up to the capacity).
        buf, capacity = lst.buffer, lst.capacity
        n = lst.static_length
        if n is None or n >= capacity:
            buf = jnp.concatenate([buf, jnp.zeros((1,) + tuple(lst.elem.shape),
                                                  lst.elem.dtype)])
            capacity += 1
        buf = lax.dynamic_update_index_in_dim(buf, value, lst.length if n is None else n, 0)
        return JaxList(buffer=buf, length=lst.length + 1, capacity=capacity, elem=lst.elem,
                       static_length=None if n is None else n + 1)

    def list_pop(self, lst, i=None):
        if not isinstance(lst, JaxList):
            lst = JaxList(lst)
        if lst.items is not None:
            items = list(lst.items)
            x = items.pop() if i is None else items.pop(i)
            return JaxList(items), x
        if i is not None:
            raise staging_error("pop(i) with an index on a list in a staged JAX loop is not "
                                "supported. Fix: use pop() (the last element), or an array.")
        if lst.count is not None:
            return (JaxList(count=lst.count - 1, elem=lst.elem, varies=lst.varies),
                    jnp.zeros(lst.elem.shape, lst.elem.dtype))
        n = lst.length - 1
        x = lax.dynamic_index_in_dim(lst.buffer, jnp.maximum(n, 0), keepdims=False)
        static = lst.static_length - 1 if lst.static_length else None
        return JaxList(buffer=lst.buffer, length=n, capacity=lst.capacity, elem=lst.elem,
                       static_length=static, reserved=lst.reserved), x

    def list_stack(self, lst, opts=None):
        if isinstance(lst, JaxList):
            return lst.__jax_array__()
        return jnp.stack([_as_array(x) for x in lst])

    def setitem(self, x, key, value):
        if isinstance(x, JaxList):
            n = x._known_length()
            if x.items is not None:
                items = list(x.items)
                items[key] = value
                return JaxList(items)
            if isinstance(key, (int, np.integer)) and not -n <= key < n:
                raise IndexError("list assignment index out of range")
            k = key % n if isinstance(key, (int, np.integer)) else key
            buf = x.buffer.at[k].set(jnp.asarray(value).astype(x.elem.dtype))
            return JaxList(buffer=buf, length=x.length, capacity=x.capacity, elem=x.elem,
                           static_length=x.static_length, reserved=x.reserved)
        if isinstance(x, list):
            raise staging_error(
                "a Python list cannot be indexed by a traced value (or store one at a traced "
                "index). Fix: make it an array first (jnp.asarray(lst)), then assign with "
                "x = x.at[i].set(v).")
        if isinstance(x, (jax.Array, np.ndarray, np.generic)):
            x = jnp.asarray(x)
            _check_static_index(x.shape, key)
            return x.at[key].set(value)
        raise TypeError(f"'{type(x).__name__}' object does not support item assignment")


def _check_static_index(shape, key):
    """numpy's IndexError for an integer index out of the array's (static) bounds: `.at[]
    .set` would silently drop the update, where numpy (and `x[i]` on a jax array) raise."""
    keys = key if type(key) is tuple else (key,)
    for axis, k in enumerate(keys):
        if axis >= len(shape) or k is Ellipsis or k is None:
            return  # jax reports too many indices itself; after `...` or `None` axes shift
        if isinstance(k, (int, np.integer)) and not isinstance(k, bool) \
                and not -shape[axis] <= k < shape[axis]:
            raise IndexError(f"index {int(k)} is out of bounds for axis {axis} with size "
                             f"{shape[axis]}")


def _names_in_messages(name):
    """(how a message shows variable `name`, the StagingError's `variable`): autograph's own
    variables (`ag__retval[0]`) in words (`the return value (part [0])`), as the runtime does."""
    from autograph.runtime.control_flow import _shown, _user_name

    return _shown(name), _user_name(name)


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else ""


_BACKEND: JaxBackend | None = None


def load_backend() -> JaxBackend:
    """The backend instance (one per process); the registry registers it."""
    global _BACKEND
    if _BACKEND is None:
        _BACKEND = JaxBackend()
    return _BACKEND
