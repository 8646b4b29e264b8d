"""`autograph.function`: trace a function into the embedded engine once per input signature.

The first call with a new signature (the shapes and dtypes of array arguments, and the values
of Python arguments) traces `autograph.to_graph(f)` with placeholders into a Graph, which the
engine compiles once; later calls with that signature run the compiled graph.
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from typing import Any, Callable, Sequence

import numpy as np

from autograph.runtime import engine

_PYTHON_SCALARS = (bool, int, float, complex, str, bytes, type(None))


class ConcreteFunction:
    """One trace: its graph, its placeholders and the compiled callable."""

    def __init__(self, graph, structured_outputs, placeholders, flat_outputs, compiled,
                 arg_names):
        self.graph = graph
        self.structured_outputs = structured_outputs
        self.inputs = placeholders
        self.outputs = flat_outputs
        self._compiled = compiled
        self._arg_names = arg_names

    def _run(self, feeds):
        return _pack(self.structured_outputs, self._compiled(*feeds))

    def __call__(self, *args, **kwargs):
        raise TypeError("call the autograph.function itself; a ConcreteFunction is for "
                        "inspection (.graph, .inputs, .outputs)")

    def __repr__(self):
        return f"<ConcreteFunction of {len(self.graph.get_operations())} operations>"


class Function:
    """A Python function traced into the embedded graph engine; see `function`."""

    def __init__(self, python_function, input_signature=None, autograph=True):
        self._python_function = python_function
        self._signature = inspect.signature(python_function)
        self._input_signature = (None if input_signature is None
                                 else _check_signature(input_signature, self._signature,
                                                       python_function))
        self._autograph = autograph
        self._traces: dict = {}
        self._lock = threading.Lock()
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._instance = None
        self.tracing_count = 0
        params = list(self._signature.parameters.values())
        # Calls with exactly the positional parameters skip inspect's binding (microseconds).
        self._simple_arity = (len(params) if all(
            p.kind == p.POSITIONAL_OR_KEYWORD for p in params) and input_signature is None
            else -1)
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self):
        return self._python_function

    def __get__(self, instance, owner=None):
        # A method: one Function per instance, so instances keep separate traces (and their
        # own Variables).
        if instance is None:
            return self
        try:
            bound = self._bound.get(instance)
        except TypeError:  # unhashable or not weak-referenceable instance
            bound = None
        if bound is None:
            bound = Function(self._python_function.__get__(instance, owner),
                             self._input_signature and self._input_signature[1:],
                             self._autograph)
            try:
                self._bound[instance] = bound
            except TypeError:
                pass
        return bound

    def __call__(self, *args, **kwargs):
        if not kwargs and len(args) == self._simple_arity:
            feeds = []
            key = tuple(_key_of(a, feeds) for a in args)
            concrete = self._traces.get(key)
            if concrete is not None:
                return concrete._run(feeds)
        bound = self._bind(args, kwargs)
        key, feeds = self._key_and_feeds(bound)
        concrete = self._traces.get(key)
        if concrete is None:
            concrete = self._trace(key, bound)
        return concrete._run(feeds)

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The trace for these arguments (values or autograph.TensorSpec), tracing if needed."""
        bound = self._bind(args, kwargs, specs_allowed=True)
        key, _ = self._key_and_feeds(bound)
        return self._traces.get(key) or self._trace(key, bound)

    # Arguments ---------------------------------------------------------------------------

    def _bind(self, args, kwargs, specs_allowed=False):
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self.__name__}(): {e}") from None
        bound.apply_defaults()
        if self._input_signature is not None:
            names, specs = self._input_signature
            for name, spec in zip(names, specs):
                value = bound.arguments[name]
                if specs_allowed and isinstance(value, engine.TensorSpec):
                    continue
                _check_compatible(self.__name__, name, spec, value)
        return bound

    def _key_and_feeds(self, bound):
        if self._simple_arity >= 0:
            feeds = []
            return tuple(_key_of(a, feeds) for a in bound.arguments.values()), feeds
        key, feeds = [], []
        specs = dict(zip(*self._input_signature)) if self._input_signature else {}
        for name, value in bound.arguments.items():
            spec = specs.get(name)
            if spec is not None:
                key.append((name, "spec"))
                if not isinstance(value, engine.TensorSpec):
                    feeds.append(np.asarray(value, dtype=spec.dtype))
                continue
            key.append((name, _key_of(value, feeds)))
        return tuple(key), feeds

    # Tracing -----------------------------------------------------------------------------

    def _trace(self, key, bound):
        with self._lock:
            concrete = self._traces.get(key)
            if concrete is not None:
                return concrete
            graph = engine.Graph()
            placeholders = []
            specs = dict(zip(*self._input_signature)) if self._input_signature else {}
            with graph.as_default():
                args = {}
                for name, value in bound.arguments.items():
                    spec = specs.get(name)
                    if spec is not None:
                        ph = engine.placeholder(spec.dtype, spec.shape, name=name)
                        placeholders.append(ph)
                        args[name] = ph
                    else:
                        args[name] = _placeholders_for(value, name, placeholders)
                call = inspect.BoundArguments(bound.signature, args)
                fn = self._python_function
                if self._autograph:
                    from autograph import api
                    fn = api.to_graph(fn)
                outputs = fn(*call.args, **call.kwargs)
            flat = []
            structure = _flatten_outputs(outputs, flat)
            compiled = graph.compile(flat, placeholders)
            concrete = ConcreteFunction(graph, structure, placeholders, flat, compiled,
                                        list(bound.arguments))
            self._traces[key] = concrete
            self.tracing_count += 1
            return concrete

    def __repr__(self):
        return f"<autograph.function {self.__qualname__}>"


def function(f: Callable | None = None, *, input_signature: Sequence | None = None,
             autograph: bool = True) -> Any:
    """Traces `f` into the embedded graph engine once per input signature.

    Array arguments (numpy arrays and numpy scalars) become placeholders; Python values
    (int, float, bool, str, None, ...) are part of the trace key. `input_signature`, a list of
    `autograph.TensorSpec(shape, dtype)` (None dimensions allowed), fixes a single trace.
    With `autograph=False` the function is traced unconverted: Python control flow on a
    tensor then raises the engine's TypeError.

    >>> import numpy as np, autograph
    >>> @autograph.function
    ... def clip_sum(x):
    ...     s = 0.0
    ...     for v in x:
    ...         if v > 1.0:
    ...             v = 1.0
    ...         s += v
    ...     return s
    >>> float(clip_sum(np.array([0.5, 3.0, 0.25])))
    1.75
    >>> clip_sum.tracing_count
    1
    """
    if f is None:
        return functools.partial(function, input_signature=input_signature,
                                 autograph=autograph)
    return Function(f, input_signature, autograph)


# Helpers ------------------------------------------------------------------------------------


def _check_signature(input_signature, signature, fn):
    names = [p.name for p in signature.parameters.values()
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    specs = list(input_signature)
    for spec in specs:
        if not isinstance(spec, engine.TensorSpec):
            raise TypeError(f"input_signature of {fn.__qualname__} must hold "
                            f"autograph.TensorSpec objects, got {spec!r}")
    if len(specs) > len(names):
        raise TypeError(f"input_signature of {fn.__qualname__} has {len(specs)} specs but the "
                        f"function takes {len(names)} positional arguments")
    return names[:len(specs)], specs


def _check_compatible(fn_name, name, spec, value):
    if isinstance(value, engine.Tensor):
        return
    try:
        array = np.asarray(value)
    except Exception:
        array = None
    if array is None or array.dtype == object:
        raise ValueError(f"{fn_name}(): argument {name!r} is {type(value).__name__}, not an "
                         f"array compatible with the input_signature's {spec}")
    if not np.can_cast(array.dtype, spec.dtype, casting="same_kind") or (
            array.dtype.kind != np.dtype(spec.dtype).kind
            and not isinstance(value, _PYTHON_SCALARS)):
        raise ValueError(f"{fn_name}(): argument {name!r} has dtype {array.dtype}, but the "
                         f"input_signature expects {np.dtype(spec.dtype)} ({spec})")
    shape = spec.shape
    if shape is not None:
        if len(shape) != array.ndim or any(d is not None and d != s
                                           for d, s in zip(shape, array.shape)):
            raise ValueError(f"{fn_name}(): argument {name!r} has shape {array.shape}, but the "
                             f"input_signature expects {tuple(shape)} ({spec})")


def _key_of(value, feeds):
    """The part of the trace key an argument contributes; appends its feeds."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        feeds.append(value)
        return (value.dtype, value.shape)
    if isinstance(value, _PYTHON_SCALARS):
        return (type(value), value)
    if isinstance(value, (tuple, list)):
        return (type(value), tuple(_key_of(v, feeds) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, _key_of(value[k], feeds)) for k in sorted(value, key=repr)))
    if isinstance(value, engine.TensorSpec):
        return (np.dtype(value.dtype), None if value.shape is None else tuple(value.shape))
    return ("object", id(value))


def _placeholders_for(value, name, placeholders):
    if isinstance(value, (np.ndarray, np.generic)):
        ph = engine.placeholder(value.dtype, value.shape, name=name)
        placeholders.append(ph)
        return ph
    if isinstance(value, engine.TensorSpec):
        ph = engine.placeholder(value.dtype, value.shape, name=name)
        placeholders.append(ph)
        return ph
    if isinstance(value, (tuple, list)):
        items = [_placeholders_for(v, f"{name}_{i}", placeholders) for i, v in enumerate(value)]
        return type(value)(items)
    if isinstance(value, dict):
        return {k: _placeholders_for(value[k], f"{name}_{k}", placeholders)
                for k in sorted(value, key=repr)}
    return value


class _Leaf:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _flatten_outputs(value, flat):
    if isinstance(value, engine.Tensor):
        flat.append(value)
        return _Leaf(len(flat) - 1)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[_flatten_outputs(v, flat) for v in value])
    if isinstance(value, (tuple, list)):
        return type(value)(_flatten_outputs(v, flat) for v in value)
    if isinstance(value, dict):
        return {k: _flatten_outputs(v, flat) for k, v in value.items()}
    if isinstance(value, engine.Variable):
        return _flatten_outputs(value.read_value(), flat)
    if isinstance(value, (bool, int, float, complex)):
        return np.asarray(value)[()]
    return value


def _pack(structure, values):
    if isinstance(structure, _Leaf):
        return values[structure.index]
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[_pack(v, values) for v in structure])
    if isinstance(structure, (tuple, list)):
        return type(structure)(_pack(v, values) for v in structure)
    if isinstance(structure, dict):
        return {k: _pack(v, values) for k, v in structure.items()}
    return structure
