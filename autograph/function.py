"""`autograph.function`: trace a function into the embedded engine once per input signature.

The first call with a new signature (the shapes and dtypes of array arguments, and the values
of Python arguments) traces `autograph.to_graph(f)` with placeholders into a Graph, which the
engine compiles once into one Python function over numpy; later calls with that signature run
the compiled function.

The call path is built for small inputs, where the fixed cost per call matters: each call
pattern seen again (how many positional arguments, and for each one its class, dtype and shape,
or its Python value) becomes one guard in a generated `__call__`, set on a class of the
Function's own (a subclass of Function made for it then), so that a repeated call costs one
call layer, a few attribute checks and the compiled graph itself, run without its own feed
check (the guard already checked the same class, dtype and shape). Anything else (keyword
arguments, nested structures, new signatures, calls while building a graph) takes the general
path: bind, check the input_signature, compute the trace key, look it up, trace if needed.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import threading
import types
import weakref
from typing import Any, Callable, Sequence

import numpy as np

from autograph.runtime import engine
from autograph.runtime.engine import executor as _executor
from autograph.runtime.engine import graph as _engine_graph

_PYTHON_SCALARS = (bool, int, float, complex, str, bytes, type(None))
_PY_NUMBERS = (bool, int, float, complex)
_CONVERTED_ATTR = "__ag_is_converted__"  # autograph.conversion.CONVERTED_ATTR
_MAX_PATTERNS = 8  # call patterns in the generated __call__; the rest take the general path
_counter = itertools.count()
_NO_INSTANCE = object()
_MISSING = object()  # the default of the generated __call__'s positional parameters


class _NoGraphState:  # if the engine's thread-local graph stack ever moves: always ask it
    @property
    def stack(self):
        return engine.in_graph_context()


_graph_state = getattr(_engine_graph, "_state", None) or _NoGraphState()


class ConcreteFunction:
    """One trace: its graph, placeholders, outputs and the compiled callable.

    Calling it runs the compiled graph on one value per placeholder (`.inputs`, in order); the
    Python arguments of the trace are baked into the graph.
    """

    def __init__(self, graph, structured_outputs, placeholders, flat_outputs, compiled,
                 arg_names, keepalive=()):
        self.graph = graph
        self.structured_outputs = structured_outputs
        self.inputs = placeholders
        self.outputs = flat_outputs
        self._compiled = compiled
        self._arg_names = arg_names
        self._keepalive = keepalive  # objects whose id() is part of the trace key

    @property
    def source(self) -> str:
        """The Python source the engine compiled the graph into."""
        return self._compiled.source

    def __call__(self, *feeds):
        if len(feeds) != len(self.inputs):
            names = ", ".join(p.op.name for p in self.inputs) or "none"
            raise TypeError(f"this ConcreteFunction takes {len(self.inputs)} values, one per "
                            f"placeholder ({names}), not {len(feeds)}")
        return self._compiled(*feeds)

    def __repr__(self):
        return (f"<ConcreteFunction {self.graph.name}: {len(self.inputs)} inputs, "
                f"{len(self.graph.get_operations())} operations>")


class Function:
    """A Python function traced into the embedded graph engine; see `function`."""

    def __init__(self, python_function, input_signature=None, autograph=True, *,
                 _instance=_NO_INSTANCE):
        self._python_function = python_function
        self._instance_ref = None
        if _instance is _NO_INSTANCE:
            self._signature = inspect.signature(python_function)
        else:  # a method bound to `_instance`, which it must not keep alive
            self._signature = inspect.signature(types.MethodType(python_function, _instance))
            try:
                self._instance_ref = weakref.ref(_instance)
            except TypeError:  # not weak-referenceable: hold it
                self._instance_ref = lambda: _instance
        self._specs = None if input_signature is None else _check_specs(input_signature,
                                                                         python_function)
        self._input_signature = (None if self._specs is None else _map_specs(
            self._specs, self._signature, python_function,
            self._instance_ref is None and _looks_like_method(python_function)))
        self._autograph = autograph
        self._traces: dict = {}
        self._lock = threading.RLock()
        self._bound: dict = {}  # id(instance) -> (weakref to it, its Function)
        self._patterns: list = []  # (nargs, guard, fed arguments, graph to run)
        self._pattern_keys: set = set()
        self._own_class = None  # the subclass whose __call__ is generated for this Function
        self._converted = None
        self.tracing_count = 0
        functools.update_wrapper(self, python_function)
        self.__signature__ = self._signature
        self.__dict__.pop("__ag_to_graph__", None)
        # to_graph(fn) is fn itself, and to_code(fn) shows the converted python_function.
        self.__dict__[_CONVERTED_ATTR] = True
        self.__ag_original__ = python_function

    @property
    def python_function(self):
        """The function as written (a bound method for a method's per-instance Function)."""
        if self._instance_ref is None:
            return self._python_function
        return types.MethodType(self._python_function, self._instance_ref())

    @property
    def input_signature(self):
        """The list of TensorSpecs given, or None."""
        return None if self._specs is None else list(self._specs)

    def __get__(self, instance, owner=None):
        # A method: one Function per instance, so instances keep separate traces (and their
        # own Variables). It holds only a weak reference to the instance.
        if instance is None or self._instance_ref is not None:
            return self
        key = id(instance)
        entry = self._bound.get(key)
        if entry is not None and entry[0]() is instance:
            return entry[1]
        bound = Function(self._python_function, self._specs, self._autograph,
                         _instance=instance)
        try:
            table = self._bound

            def forget(ref, key=key, table=table):
                if table.get(key, (None,))[0] is ref:
                    del table[key]

            ref = weakref.ref(instance, forget)
        except TypeError:  # not weak-referenceable: a new Function (and trace) each time
            return bound
        with self._lock:
            entry = self._bound.get(key)
            if entry is not None and entry[0]() is instance:
                return entry[1]
            self._bound[key] = (ref, bound)
        return bound

    def __call__(self, *args, **kwargs):
        # Until a call pattern is learned; then the generated __call__ of the own class.
        return self._call(args, kwargs)

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The trace for these arguments (values or autograph.TensorSpec), tracing if needed.

        With an input_signature, no arguments are needed.
        """
        if not args and not kwargs and self._input_signature is not None:
            args = tuple(self._input_signature[1])
        bound = self._bind(args, kwargs, specs_allowed=True)
        key, _ = self._key_and_feeds(bound)
        return self._traces.get(key) or self._trace(key, bound)

    # The general call path ---------------------------------------------------------------

    def _call(self, args, kwargs):
        if engine.in_graph_context() or _holds_tensor(args) or (
                kwargs and _holds_tensor(tuple(kwargs.values()))):
            # Called while building a graph (from another traced function, or under
            # `with graph.as_default()`): inline the function into that graph.
            return self._traceable()(*args, **(kwargs or {}))
        bound = self._bind(args, kwargs or {})
        key, feeds = self._key_and_feeds(bound)
        concrete = self._traces.get(key)
        if concrete is None:
            # Learned at the next call with this key, not now: a signature called once never
            # pays for generating the fast path (about 0.1-0.2 ms).
            concrete = self._trace(key, bound)
        elif not kwargs and len(self._patterns) < _MAX_PATTERNS:
            self._learn(args, bound, concrete)
        return concrete._compiled(*feeds)

    def _traceable(self):
        fn = self._converted
        if fn is None:
            fn = self._python_function
            if self._autograph:
                from autograph import api
                fn = api.to_graph(fn)
            if self._instance_ref is not None:
                fn = _bind_weakly(fn, self._instance_ref)
            self._converted = fn
        return fn

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
                    if value.dtype != spec.dtype or not _spec_fits(value.shape, spec.shape):
                        raise ValueError(f"{self.__name__}(): argument {name!r} is {value}, "
                                         f"which is not compatible with the input_signature's "
                                         f"{spec}")
                    continue
                _check_compatible(self.__name__, name, spec, value)
        return bound

    def _key_and_feeds(self, bound):
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

    # The fast call path --------------------------------------------------------------------

    def _learn(self, args, bound, concrete):
        """Adds this call's pattern to the generated __call__, when it can be guarded by
        class, dtype, shape and value checks on the positional arguments alone.

        The guard of a fed argument is the compiled graph's own feed check for its placeholder
        (exact class, the placeholder's dtype object, its shape), so that once it has passed,
        the graph runs without that check (`executor.unchecked`)."""
        values = list(bound.arguments.values())
        params = list(self._signature.parameters.values())
        if len(values) < len(args) or any(p.kind == p.VAR_POSITIONAL
                                           for p in params[:len(args)]):
            return
        if any(values[i] is not args[i] for i in range(len(args))):
            return
        for k in range(len(args), len(values)):  # defaults must be baked-in Python values
            if not _is_static(values[k]):
                return
        specs = dict(zip(*self._input_signature)) if self._input_signature else {}
        names = list(bound.arguments)
        placeholders = iter(concrete.inputs)
        guard, fed = [], []
        for i, a in enumerate(args):
            spec = specs.get(names[i])
            if spec is not None or isinstance(a, (np.ndarray, np.generic)):
                p = next(placeholders, None)
                g = None if p is None else _feed_guard(f"a{i}", p)
                fed.append(f"a{i}")
            else:
                g = _value_guard(f"a{i}", a)
            if g is None:
                return
            guard += g
        if next(placeholders, None) is not None:  # fed from a default or a nested structure
            return
        with self._lock:
            pkey = (len(args), tuple(text for text, _ in guard))
            if pkey in self._pattern_keys or len(self._patterns) >= _MAX_PATTERNS:
                return
            run = _executor.unchecked(concrete._compiled) if fed else concrete._compiled
            self._pattern_keys.add(pkey)
            self._patterns.append((len(args), guard, fed, run))
            call = _build_call(self._patterns)
            cls = self._own_class
            if cls is None:
                base = type(self)
                cls = type(base.__name__, (base,), {
                    "__slots__": (), "__module__": base.__module__,
                    "__qualname__": base.__qualname__,
                    "__doc__": base.__doc__})
                cls.__call__ = call
                self.__class__ = cls
                self._own_class = cls
            else:
                cls.__call__ = call

    # Tracing -----------------------------------------------------------------------------

    def _trace(self, key, bound):
        with self._lock:
            concrete = self._traces.get(key)
            if concrete is not None:
                return concrete
            graph = engine.Graph(name=getattr(self._python_function, "__name__", "function"))
            placeholders: list = []
            keepalive: list = []
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
                        args[name] = _placeholders_for(value, name, placeholders, keepalive)
                call = inspect.BoundArguments(bound.signature, args)
                outputs = self._traceable()(*call.args, **call.kwargs)
                flat: list = []
                fetches = _fetches_of(outputs, flat)
            compiled = graph.compile(fetches, placeholders)
            concrete = ConcreteFunction(graph, outputs, placeholders, flat, compiled,
                                        list(bound.arguments), tuple(keepalive))
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


# Signatures ---------------------------------------------------------------------------------


def _check_specs(input_signature, fn):
    specs = tuple(input_signature)
    for spec in specs:
        if not isinstance(spec, engine.TensorSpec):
            raise TypeError(f"input_signature of {fn.__qualname__} must be a list of "
                            f"autograph.TensorSpec objects, got {spec!r}")
    return specs


def _looks_like_method(fn) -> bool:
    """A plain function defined in a class body (its input_signature leaves out `self`)."""
    if not inspect.isfunction(fn):
        return False
    parts = fn.__qualname__.split(".")
    params = list(inspect.signature(fn).parameters.values())
    return (len(parts) >= 2 and parts[-2] != "<locals>" and bool(params)
            and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD))


def _map_specs(specs, signature, fn, skip_first):
    names = [p.name for p in signature.parameters.values()
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if skip_first:
        names = names[1:]
    if len(specs) > len(names):
        raise TypeError(f"input_signature of {fn.__qualname__} has {len(specs)} specs but the "
                        f"function takes {len(names)} positional arguments")
    return names[:len(specs)], list(specs)


def _spec_fits(shape, spec_shape) -> bool:
    if spec_shape is None:
        return True
    if shape is None or len(shape) != len(spec_shape):
        return False
    return all(d is None or d == s for d, s in zip(spec_shape, shape))


def _check_compatible(fn_name, name, spec, value):
    """Raises a ValueError naming the argument unless `value` can be fed to `spec`."""
    if isinstance(value, engine.Tensor):
        return
    want = np.dtype(spec.dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        dtype, shape = value.dtype, value.shape
        if dtype != want and not np.can_cast(dtype, want, "safe"):
            raise ValueError(f"{fn_name}(): argument {name!r} has dtype {dtype}, but the "
                             f"input_signature expects {want} ({spec}); {dtype} does not cast "
                             f"safely to {want}: cast it first (.astype(np.{want}))")
    elif isinstance(value, _PY_NUMBERS):
        if not engine.TensorSpec((), want).is_compatible_with(value):
            raise ValueError(f"{fn_name}(): argument {name!r} is the Python "
                             f"{type(value).__name__} {value!r}, which does not fit the "
                             f"input_signature's {spec}")
        shape = ()
    else:
        try:
            array = np.asarray(value)
        except Exception:
            array = None
        if array is None or array.dtype.kind not in "biufc":
            raise ValueError(f"{fn_name}(): argument {name!r} is {type(value).__name__}, not an "
                             f"array compatible with the input_signature's {spec}")
        # Nested lists of Python numbers are weak: they take the spec's dtype within a kind.
        if array.dtype != want and not np.can_cast(array.dtype, want, "same_kind"):
            raise ValueError(f"{fn_name}(): argument {name!r} holds {array.dtype.kind} values "
                             f"({array.dtype}), but the input_signature expects {want} ({spec})")
        shape = array.shape
    if not _spec_fits(shape, spec.shape):
        raise ValueError(f"{fn_name}(): argument {name!r} has shape {shape}, but the "
                         f"input_signature expects {tuple(spec.shape)} ({spec})")


# Trace keys and placeholders ----------------------------------------------------------------


def _key_of(value, feeds):
    """The part of the trace key an argument contributes; appends its feeds."""
    if isinstance(value, (np.ndarray, np.generic)):
        feeds.append(value)
        return (value.dtype, value.shape)
    if isinstance(value, _PYTHON_SCALARS):
        if value.__class__ is float and value != value:
            return (float, "nan")  # nan != nan: one trace for every nan
        return (type(value), value)
    if isinstance(value, (tuple, list)):
        return (type(value), tuple(_key_of(v, feeds) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, _key_of(value[k], feeds)) for k in sorted(value, key=repr)))
    if isinstance(value, engine.TensorSpec):
        return (np.dtype(value.dtype), None if value.shape is None else tuple(value.shape))
    return ("object", id(value))


def _placeholders_for(value, name, placeholders, keepalive):
    if isinstance(value, (np.ndarray, np.generic)):
        ph = engine.placeholder(value.dtype, value.shape, name=name)
        placeholders.append(ph)
        return ph
    if isinstance(value, engine.TensorSpec):
        ph = engine.placeholder(value.dtype, value.shape, name=name)
        placeholders.append(ph)
        return ph
    if isinstance(value, _PYTHON_SCALARS):
        return value
    if isinstance(value, (tuple, list)):
        items = [_placeholders_for(v, f"{name}_{i}", placeholders, keepalive)
                 for i, v in enumerate(value)]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        return {k: _placeholders_for(value[k], f"{name}_{k}", placeholders, keepalive)
                for k in sorted(value, key=repr)}
    keepalive.append(value)  # keyed by id(): keep it alive as long as the trace
    return value


def _bind_weakly(fn, instance_ref):
    def method(*args, **kwargs):
        return fn(instance_ref(), *args, **kwargs)

    return method


def _holds_tensor(values) -> bool:
    for v in values:
        if isinstance(v, engine.Tensor):
            return True
        if isinstance(v, (tuple, list)) and _holds_tensor(v):
            return True
        if isinstance(v, dict) and _holds_tensor(tuple(v.values())):
            return True
    return False


def _fetches_of(value, flat):
    """The structure the compiled graph returns: tensors, Variables (their value after the
    run), numpy scalars for Python numbers, copies for constant arrays."""
    if isinstance(value, engine.Tensor):
        flat.append(value)
        return value
    if isinstance(value, engine.Variable):
        flat.append(value)
        return value
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[_fetches_of(v, flat) for v in value])
    if isinstance(value, (tuple, list)):
        return type(value)(_fetches_of(v, flat) for v in value)
    if isinstance(value, dict):
        return type(value)((k, _fetches_of(v, flat)) for k, v in value.items())
    if isinstance(value, _PY_NUMBERS):
        return np.asarray(value)[()]
    if isinstance(value, np.ndarray):
        return engine.constant(value)  # copied at every call, like any fetched array
    return value


# The generated __call__ ---------------------------------------------------------------------

_GUARDABLE_SCALARS = (bool, int, float, str, type(None))


def _feed_guard(var, p):
    """The guard of an argument fed to placeholder `p`: [(condition, objects it names)],
    true exactly where the compiled graph's feed check (executor._feed_check) passes `var`
    through unconverted, so that the graph may run without it. Under a trace key of (dtype,
    shape) it also implies the key, as the placeholder was made from them."""
    dt, shape = p.dtype, p.shape
    if dt.kind not in "biufc":
        return None
    if shape == ():  # numpy scalars: exactly the dtype's scalar type (not a 0-d array)
        if np.dtype(dt.type) != dt:  # byte-swapped: that type's scalars have another key
            return None
        return [(f"type({var}) is {{0}}", (dt.type,))]
    guard = [(f"type({var}) is {{0}}", (np.ndarray,)), (f"{var}.dtype is {{0}}", (dt,))]
    if shape is None:
        guard.append((f"{var}.ndim != 0", ()))
    elif len(shape) == 1 and shape[0] is not None:  # shape == (n,), without making the tuple
        guard += [(f"{var}.ndim == 1", ()), (f"len({var}) == {shape[0]}", ())]
    elif all(d is not None for d in shape):
        guard.append((f"{var}.shape == {tuple(shape)!r}", ()))
    else:
        guard.append((f"{var}.ndim == {len(shape)}", ()))
        guard += [(f"{var}.shape[{i}] == {d}", ()) for i, d in enumerate(shape) if d is not None]
    return guard


def _value_guard(var, a):
    """The guard of a Python argument baked into the trace (its class and value are part of
    the trace key), or None where equality would not imply the same key."""
    if a is None or a is True or a is False:
        return [(f"{var} is {a!r}", ())]
    cls = a.__class__
    if cls in _GUARDABLE_SCALARS:
        if cls is float and (a != a or a == 0.0):
            return None  # nan never equals itself; 0.0 == -0.0
        return [(f"type({var}) is {{0}}", (cls,)), (f"{var} == {{0}}", (a,))]
    return None


def _is_static(v) -> bool:
    if isinstance(v, _PYTHON_SCALARS):
        return True
    if type(v) in (tuple, list):
        return all(_is_static(x) for x in v)
    if type(v) is dict:
        return all(_is_static(x) for x in v.values())
    return False


class _Names:
    """Global names for the objects the generated code refers to, one per object."""

    def __init__(self, glob):
        self.glob = glob
        self.by_key: dict = {}

    def __call__(self, obj) -> str:
        key = (type(obj), obj) if type(obj) in (int, float, str) else ("id", id(obj))
        name = self.by_key.get(key)
        if name is None:
            name = self.by_key[key] = f"_k{len(self.by_key)}"
            self.glob[name] = obj
        return name


def _build_call(patterns):
    """The __call__ of a Function's own class: on positional arguments only, and outside any
    graph being built, checks the learned call patterns (grouped by how many arguments, then
    as a tree of their guards' shared leading conditions; they are disjoint, as each implies
    its own trace key) and runs the first that matches; otherwise the general path.

        def __call__(self, a0=_M, /, *args, **kwargs):
            if args or kwargs:
                return self._call(_pos(a0) + args, kwargs)
            try:
                in_graph = _state.stack
            except AttributeError:  # this thread never entered a graph: let the general
                in_graph = True     # path ask the engine (which sets the attribute up)
            if not in_graph:
                if type(a0) is _k0 and a0.dtype is _k1 and a0.ndim == 1:
                    if len(a0) == 4:
                        return _r0(a0)
                    if len(a0) == 1000:
                        return _r1(a0)
            return self._call(_pos(a0), None)
    """
    glob: dict = {"_M": _MISSING, "_state": _graph_state, "_pos": _positional}
    name = _Names(glob)
    k = max(nargs for nargs, *_ in patterns)
    params = [f"a{i}=_M" for i in range(k)]
    pos = f"_pos({', '.join(f'a{i}' for i in range(k))})"
    lines = [f"def __call__(self, {', '.join(params + ['/', '*args', '**kwargs'])}):"
             if k else "def __call__(self, *args, **kwargs):",
             "    if args or kwargs:",
             f"        return self._call({pos} + args, kwargs)",
             "    try:",
             "        in_graph = _state.stack",
             "    except AttributeError:",
             "        in_graph = True",
             "    if not in_graph:"]
    by_nargs: dict = {}
    for j, (nargs, guard, fed, run) in enumerate(patterns):
        glob[f"_r{j}"] = run
        conds = [text.format(*(name(o) for o in objs)) for text, objs in guard]
        by_nargs.setdefault(nargs, []).append((conds, f"return _r{j}({', '.join(fed)})"))
    for nargs, entries in by_nargs.items():
        if nargs == k:  # no guard holds for _M: a call with fewer arguments fails them all
            _emit_tree(_tree(entries), 2, lines)
        else:
            lines.append(f"        if a{nargs} is _M:")
            _emit_tree(_tree(entries), 3, lines)
    lines.append(f"    return self._call({pos}, None)")
    src = "\n".join(lines) + "\n"
    code = compile(src, f"<autograph.function __call__ {next(_counter)}>", "exec")
    exec(code, glob)
    fn = glob["__call__"]
    fn.source = src
    return fn


def _positional(*a):
    """The positional arguments of a generated __call__: its parameters up to the first one
    not given."""
    n = 0
    while n < len(a) and a[n] is not _MISSING:
        n += 1
    return a[:n]


def _tree(entries):
    """[(conditions, statement)] as a tree of shared leading conditions, in order:
    [[condition, children, statements]]."""
    root: list = []
    for conds, stmt in entries:
        level, node = root, None
        for c in conds:
            node = next((n for n in level if n[0] == c), None)
            if node is None:
                node = [c, [], []]
                level.append(node)
            level = node[1]
        if node is None:  # no conditions (no arguments)
            root.append([None, [], [stmt]])
        else:
            node[2].append(stmt)
    return root


def _emit_tree(nodes, depth, lines):
    pad = "    " * depth
    for cond, children, stmts in nodes:
        conds = [cond] if cond is not None else []
        while len(children) == 1 and not stmts:  # a chain: one `if a and b and c:`
            cond2, children, stmts = children[0]
            conds.append(cond2)
        if not conds:
            lines += [pad + s for s in stmts]
            continue
        lines.append(f"{pad}if {' and '.join(conds)}:")
        _emit_tree(children, depth + 1, lines)
        lines += [pad + "    " + s for s in stmts]
