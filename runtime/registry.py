"""The backend registry: which backend owns a value, and the contract every backend implements.

The runtime operators (`if_stmt`, `while_stmt`, `for_stmt`, ...) look at their condition or
iterable and ask `backend_of(value)`: `None` means a plain Python value (run as plain Python),
otherwise the `Backend` that owns the value builds graph control flow for it.

`backend_of` is on the hot path of every operator, so it is a dict lookup keyed by `type(value)`,
filled on first sight of each type (ownership is decided per type). Plain types (bool, int,
float, complex, str, bytes, None, list, tuple, dict, set, range, numpy scalars, np.ndarray) are
in the cache from the start and map to None.

The runtime never imports a framework the user has not imported: `register_lazy(module, loader)`
records a backend that is loaded only once `module` is in `sys.modules` (checked on a type-cache
miss, and by `py_range` when the set of imported modules changed).

docs/backends.md documents the contract with a worked example.
"""

from __future__ import annotations

import importlib
import sys
import threading
from typing import Any, Callable, Hashable, Iterable, Sequence

import numpy as np

__all__ = [
    "Backend",
    "StagingRequired",
    "register",
    "register_lazy",
    "unregister",
    "backends",
    "get",
    "backend_of",
    "is_tensor",
    "claims",
    "wants_static_range",
    "staging_error",
    "staging_error_class",
]


class StagingRequired(TypeError):
    """Raised by `py_range`/`py_enumerate`/`py_zip`/`py_iter` when a backend claims the value.

    A `TypeError`, so that the fast form's `except TypeError` handler sees it like any other
    "tensor used as a Python value" error.
    """


class Backend:
    """Base class of backends. Subclass it, set `name` and `tensor_types` (or override `owns`),
    implement the primitives, and `register()` an instance.

    Every primitive is pure and functional over FLAT tuples of values. The generic runtime does
    the protocol work (get_state/set_state, restoring state between branch traces, flattening
    nested tuples/lists/dicts into leaves, lifting Python values with `to_tensor`, `Undefined`
    handling, break/return flags) and passes, with every tuple of values, the user's names of
    those values (`names`, same length) so that a backend's error can name the variable:
    `raise staging_error(f"'{names[k]}' ...", variable=names[k])`.

    `cond` calls each branch function exactly once, in any order. The functions passed to
    `while_loop`/`for_*` may be called more than once. Exceptions raised by any of them must
    propagate unchanged (the runtime uses exceptions to abandon a trace and retry it with more
    information), and the backend must leave no partial state behind when they do.
    """

    #: Short identifier, e.g. 'engine' or 'jax'.
    name: str = "backend"
    #: Types whose instances this backend owns (used by the default `owns`, fast isinstance).
    tensor_types: tuple = ()
    #: Higher wins when several backends own a type.
    priority: int = 0
    #: True: `and`/`or`/ternaries on tensors are built with `cond` (lazy, like Python).
    #: False: with `logical_and`/`logical_or`/`select` (both operands evaluated; cheaper).
    short_circuit: bool = True
    #: True: the branch functions given to `cond` may return Python numbers (bool, int, float,
    #: complex) among their outputs, and `cond` gives each the dtype of the other branch's
    #: output (the runtime has already checked that it fits, docs/graph_mode.md "Branch values
    #: and their dtypes"); this lets a number in the first traced branch take the dtype of
    #: the second. False: the runtime lifts them with `to_tensor` in the branch that made them.
    weak_numbers: bool = False
    #: None, or a one-element list whose item is 0 while `wants_jump_range()` is surely False
    #: (read by `py_range` in converted code before it makes any call).
    jump_gate: list | None = None

    # -- ownership ------------------------------------------------------------------------------

    def owns(self, value: Any) -> bool:
        """Whether `value` is one of this backend's tensors. Called once per new type: the
        answer is cached for `type(value)`, so it must depend on the type only."""
        return bool(self.tensor_types) and isinstance(value, self.tensor_types)

    def claims_iterable(self, value: Any) -> bool:
        """For an owned value used as a `for` iterable: True stages the loop (`for_tensor`),
        False iterates it in Python (`iter(value)`)."""
        return True

    def wants_static_range(self) -> bool:
        """True while a `for` over a Python `range` of plain ints should be staged too (JAX,
        inside a trace, for reverse-mode differentiable loops). Only called when overridden."""
        return False

    def wants_jump_range(self) -> bool:
        """True while a `for` over a Python `range` of plain ints whose body has a `break` or
        `return` should be offered to `for_jump_range` (a jump that depends on a tensor can
        only stop a staged loop). Only called when this or `wants_static_range` is
        overridden. Default: `wants_static_range()`."""
        return self.wants_static_range()

    # -- values ---------------------------------------------------------------------------------

    def to_tensor(self, value: Any, like: Any = None) -> Any:
        """Lifts a Python value (bool/int/float/complex, numpy scalar or array, or a sequence
        of those) to a tensor; `like`, when given, is a tensor whose dtype to prefer."""
        raise NotImplementedError(f"backend {self.name!r} does not implement to_tensor")

    def zeros_like(self, value: Any) -> Any:
        """A tensor of `value`'s dtype and shape (placeholder for a return value first set
        inside a staged loop). `value` may come from an abandoned trace: use only its static
        dtype and shape."""
        raise NotImplementedError(f"backend {self.name!r} does not implement zeros_like")

    def abstract(self, value: Any) -> Any:
        """What may stand for the tensor `value` once the trace that made it has ended, as
        `like` for `to_tensor` (a backend whose tensors must not outlive their trace, such as
        JAX's tracers, returns an abstract value: dtype and shape). Default: `value` itself."""
        return value

    def spec(self, value: Any) -> Hashable | None:
        """A hashable description of a tensor (e.g. `(dtype, shape)`) that the runtime compares
        across branches and loop iterations to raise a mismatch error naming the variable.
        None skips the comparison (default)."""
        return None

    # -- control flow ---------------------------------------------------------------------------

    def cond(self, pred: Any, true_fn: Callable[[], tuple], false_fn: Callable[[], tuple],
             names: Sequence[str]) -> tuple:
        """`true_fn() if pred else false_fn()`, staged. Both fns take no arguments and return
        flat tuples of tensors with the same length (possibly 0). `names` names those outputs
        (it is complete once the fns have run)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement cond")

    def switch(self, index: Any, branch_fns: Sequence[Callable[[], tuple]],
               names: Sequence[str]) -> tuple:
        """`branch_fns[index]()`, staged (optional; reserved for elif chains)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement switch")

    def while_loop(self, cond_fn: Callable[..., Any], body_fn: Callable[..., tuple],
                   init: tuple, names: Sequence[str], opts: dict) -> tuple:
        """`state = init; while cond_fn(*state): state = body_fn(*state); return state`.

        opts: `maximum_iterations` (int or None), `shape_invariants` ({name: shape}),
        `loop_name` (the user's 'file:line' or None), `iterate_names` (str or None)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement while_loop")

    def for_range(self, start: Any, stop: Any, step: Any, body_fn: Callable[..., tuple],
                  init: tuple, names: Sequence[str], opts: dict) -> tuple:
        """`state = init; for i in range(start, stop, step): state = body_fn(i, *state)`.

        Bounds are tensors or Python ints; step of either sign (a backend normalizes to a trip
        count). The default builds it with `while_loop` (tensors must support `+ < >` with each
        other and with Python ints)."""
        return _range_with_while(self, start, stop, step, body_fn, init, names, opts, None)

    def for_tensor(self, xs: Any, body_fn: Callable[..., tuple], init: tuple,
                   names: Sequence[str], opts: dict) -> tuple:
        """`state = init; for i, x in enumerate(xs): state = body_fn(i, x, *state)`, over the
        first axis. `xs` is a tensor, or a tuple of tensors (zip: iterated in lockstep, as many
        steps as the shortest, `x` is then the tuple of slices)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement for_tensor")

    def for_static_range(self, start: int, stop: int, step: int, body_fn: Callable[..., tuple],
                         init: tuple, names: Sequence[str], opts: dict) -> Any:
        """Like `for_range` with Python int bounds, called only while `wants_static_range()`.
        Return NotImplemented to let the loop run in Python."""
        return NotImplemented

    def for_jump_range(self, start: int, stop: int, step: int, body_fn: Callable[..., tuple],
                       init: tuple, names: Sequence[str], opts: dict,
                       extra_test: Callable[..., Any], from_python: Sequence[bool]) -> Any:
        """A `for` over a Python range whose body has a `break` or `return`, called only while
        `wants_jump_range()`: like `for_range`, stopping before an iteration where
        `extra_test(*state)` (the jump flags) is false. `from_python[k]` says whether `init[k]`
        was a Python value that the runtime lifted (the Python loop would see a Python value
        there). Return NotImplemented to let the loop run in Python. Default: a `while_loop`
        (not reverse-differentiable)."""
        if len(range(start, stop, step)) == 0:
            return NotImplemented  # nothing runs: keep the Python values as they are
        return _range_with_while(self, start, stop, step, body_fn, init, names, opts,
                                 extra_test)

    # -- operators ------------------------------------------------------------------------------

    def logical_and(self, a: Any, b: Any) -> Any:
        raise NotImplementedError(f"backend {self.name!r} does not implement logical_and")

    def logical_or(self, a: Any, b: Any) -> Any:
        raise NotImplementedError(f"backend {self.name!r} does not implement logical_or")

    def logical_not(self, a: Any) -> Any:
        raise NotImplementedError(f"backend {self.name!r} does not implement logical_not")

    def select(self, c: Any, a: Any, b: Any) -> Any:
        """`a if c else b`, elementwise, both evaluated (used when `short_circuit` is False)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement select")

    def assert_(self, cond: Any, message: Any) -> Any:
        """A run-time assertion that `cond` holds; `message` is None or the evaluated message."""
        raise NotImplementedError(f"backend {self.name!r} does not implement assert_")

    def print_(self, *args: Any, **kwargs: Any) -> Any:
        """`print(*args, **kwargs)` at run time."""
        raise NotImplementedError(f"backend {self.name!r} does not implement print_")

    # -- lists ----------------------------------------------------------------------------------

    def list_new(self) -> Any:
        """An empty growable list (a loop variable that was a Python list appended in a staged
        loop becomes one of these)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement list_new")

    def list_append(self, lst: Any, x: Any) -> Any:
        """Returns the list with `x` appended."""
        raise NotImplementedError(f"backend {self.name!r} does not implement list_append")

    def list_pop(self, lst: Any, i: Any = None) -> tuple:
        """Returns `(new_list, popped_value)`."""
        raise NotImplementedError(f"backend {self.name!r} does not implement list_pop")

    def list_length(self, lst: Any) -> Any:
        """`len(lst)` of this backend's list whose length is only known when the graph runs
        (a 0-d int tensor), or NotImplemented when `lst` is not such a list. Default:
        NotImplemented (the backend's lists know their length, or it is an error)."""
        return NotImplemented

    def list_stack(self, lst: Any, opts: Any = None) -> Any:
        """An array stacking the elements: `lst` is this backend's list, or a Python list whose
        elements include this backend's tensors."""
        raise NotImplementedError(f"backend {self.name!r} does not implement list_stack")

    def setitem(self, x: Any, key: Any, value: Any) -> Any:
        """Returns `x` with `x[key] = value` applied (functional update)."""
        raise NotImplementedError(f"backend {self.name!r} does not implement setitem")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------

_PLAIN_TYPES: frozenset = frozenset(
    {bool, int, float, complex, str, bytes, bytearray, type(None), list, tuple, dict, set,
     frozenset, range, slice, type(Ellipsis), np.ndarray}
    | set(np.sctypeDict.values()))

#: type -> Backend or None. Read directly by the operators:
#: `try: b = _cache[type(x)] except KeyError: b = _lookup(x)` (a specialized dict subscript).
_cache: dict = dict.fromkeys(_PLAIN_TYPES)
_MISS = object()

_backends: list = []          # registered Backend instances, highest priority first
_pending: list = []           # [(module_name, loader, static_range)] not loaded yet
_static_backends: list = []   # loaded backends that override wants_static_range
_jump_backends: list = []     # ... that override wants_static_range or wants_jump_range
_jump_gates: list = []        # their jump_gate lists ([1] for a backend without one)
_jump_modules: set = set()    # modules of lazy backends registered with jump_range=True
_modules_seen: list = [0]     # len(sys.modules) when _pending was last checked
_lock = threading.RLock()
_sys_modules = sys.modules


def register(backend: Backend) -> Backend:
    """Registers a backend instance (a Backend subclass is instantiated). Returns it."""
    if isinstance(backend, type):
        backend = backend()
    if not isinstance(backend, Backend):
        raise TypeError(f"register() takes a registry.Backend, not {type(backend).__name__}")
    with _lock:
        if backend in _backends:
            return backend
        _backends.append(backend)
        _backends.sort(key=lambda b: -b.priority)  # stable: ties keep registration order
        if type(backend).wants_static_range is not Backend.wants_static_range:
            _static_backends.append(backend)
        if type(backend).wants_static_range is not Backend.wants_static_range or \
                type(backend).wants_jump_range is not Backend.wants_jump_range:
            _jump_backends.append(backend)
            _jump_gates.append(backend.jump_gate if backend.jump_gate is not None else [1])
            _update_jump_gate()
        _reset_cache()
        _update_static_check()
    return backend


def register_lazy(module_name: str, loader: Callable[[], Backend | None] | str, *,
                  static_range: bool = False, jump_range: bool = False) -> None:
    """Registers a backend to load once `module_name` has been imported by the user.

    `loader` is a callable returning the Backend (or registering it itself and returning None),
    or the name of a module to import: its `load_backend()` returns the Backend, or the import
    registers it. A loader whose own module is missing (a backend not installed) is dropped
    silently. `static_range=True` says the backend may want Python ranges staged
    (`wants_static_range`): `py_range` then watches for `module_name` to be imported.
    `jump_range=True`: it may want Python ranges with jumps (`wants_jump_range`): such a
    `py_range` asks the registry (which loads it once `module_name` is imported) until then.
    """
    with _lock:
        if jump_range:
            _jump_modules.add(module_name)
        _pending.append((module_name, loader, static_range))
        _modules_seen[0] = -1
        _update_static_check()
    if module_name in _sys_modules:
        _load_pending()


def unregister(backend: Backend | str) -> None:
    """Removes a backend (instance or name), and lazy entries for that module name."""
    with _lock:
        for b in list(_backends):
            if b is backend or b.name == backend:
                _backends.remove(b)
                if b in _static_backends:
                    _static_backends.remove(b)
                if b in _jump_backends:
                    del _jump_gates[_jump_backends.index(b)]
                    _jump_backends.remove(b)
                    _update_jump_gate()
        _pending[:] = [p for p in _pending if p[0] != backend]
        _reset_cache()
        _update_static_check()


def backends() -> list:
    """The loaded backends, highest priority first (loads pending ones whose module is in)."""
    _load_pending()
    return list(_backends)


def get(name: str) -> Backend | None:
    """The loaded backend called `name`, or None."""
    for b in backends():
        if b.name == name:
            return b
    return None


def _reset_cache() -> None:
    for t in [t for t in _cache if t not in _PLAIN_TYPES]:
        _cache.pop(t, None)


class _ImportWatcher:
    """On sys.meta_path while a backend that may stage Python ranges is registered lazily and
    its module is not imported: notices the import (so py_range need not poll sys.modules)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if any(p[2] and p[0] == name for p in _pending):
            from . import iteration

            iteration._static_check = True
            _modules_seen[0] = -1
        return None


_watcher = _ImportWatcher()


def _update_static_check() -> None:
    """Tells py_range whether it must ask `wants_static_range()` (iteration._static_check),
    and keeps the import watcher installed only while it has something to watch."""
    from . import iteration

    watched = [p[0] for p in _pending if p[2]]
    iteration._static_check = bool(_static_backends) or any(m in _sys_modules for m in watched)
    iteration._jump_pending = any(p[0] in _jump_modules for p in _pending)
    waiting = any(m not in _sys_modules for m in watched)
    installed = _watcher in sys.meta_path
    if waiting and not installed:
        sys.meta_path.insert(0, _watcher)
    elif not waiting and installed:
        sys.meta_path.remove(_watcher)


def _update_jump_gate() -> None:
    """Gives py_range_jumps one list to read (iteration._jump_gate): the gate of the only
    backend with jumps, [0] with none, [1] (always ask) with several."""
    from . import iteration

    if not _jump_gates:
        iteration._jump_gate = [0]
    elif len(_jump_gates) == 1:
        iteration._jump_gate = _jump_gates[0]
    else:
        iteration._jump_gate = [1]


def _initializing(module_name: str) -> bool:
    """Whether the module is still being imported (partially initialized)."""
    spec = getattr(_sys_modules.get(module_name), "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


def _load_pending() -> None:
    if not _pending:
        return
    _modules_seen[0] = len(_sys_modules)
    ready = [p for p in _pending if p[0] in _sys_modules and not _initializing(p[0])]
    if not ready:
        return
    with _lock:
        for entry in ready:
            if entry not in _pending:
                continue
            _pending.remove(entry)
            loader = entry[1]
            try:
                if isinstance(loader, str):
                    backend = None
                    module = importlib.import_module(loader)
                    factory = getattr(module, "load_backend", None)
                    if factory is not None:
                        backend = factory()
                else:
                    backend = loader()
            except ModuleNotFoundError as e:
                if isinstance(loader, str) and e.name and loader.startswith(e.name):
                    continue  # the backend module itself is not there: not installed
                raise
            finally:
                _update_static_check()
            if backend is not None:
                register(backend)
        _reset_cache()


def _lookup(value: Any) -> Backend | None:
    """Type-cache miss: decide (and cache) which backend owns type(value)."""
    if _pending:
        _load_pending()
    t = type(value)
    owner = None
    for b in _backends:
        if b.owns(value):
            owner = b
            break
    _cache[t] = owner
    return owner


def backend_of(value: Any) -> Backend | None:
    """The backend that owns `value`, or None for a plain Python value."""
    try:
        return _cache[type(value)]
    except KeyError:
        return _lookup(value)


def is_tensor(value: Any) -> bool:
    """Whether a registered backend owns `value`."""
    try:
        return _cache[type(value)] is not None
    except KeyError:
        return _lookup(value) is not None


def wants_static_range(jumps: bool = False) -> Backend | None:
    """The loaded backend that wants Python-int ranges staged right now, or None. `jumps`:
    for a loop whose body has a `break` or `return` (`Backend.wants_jump_range`)."""
    if _pending and len(_sys_modules) != _modules_seen[0]:
        _load_pending()
        _update_static_check()
    if jumps:
        for b in _jump_backends:
            if b.wants_jump_range():
                return b
        return None
    for b in _static_backends:
        if b.wants_static_range():
            return b
    return None


_iteration: Any = None  # autograph.runtime.iteration, set when it is imported


def claims(value: Any) -> bool:
    """Whether `for_stmt` would stage a loop over `value` (a loop descriptor, an owned value
    its backend claims, or a Python range while a backend wants static ranges staged)."""
    from .iteration import _DESC_TYPES

    if type(value) in _DESC_TYPES:
        return True
    b = backend_of(value)
    if b is not None:
        return bool(b.claims_iterable(value))
    if type(value) is range and _iteration._static_check:
        return wants_static_range() is not None
    return False


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


class _FallbackStagingError(Exception):
    """Used only while autograph.errors is unavailable."""

    def __init__(self, message: str, variable: str | None = None, origin: Any = None):
        super().__init__(message)
        self.variable = variable


def staging_error_class() -> type:
    """autograph.errors.StagingError (imported lazily)."""
    try:
        from autograph import errors
        return errors.StagingError
    except (ImportError, AttributeError):
        return _FallbackStagingError


def staging_error(message: str, variable: str | None = None,
                  location: str | None = None) -> Exception:
    """A StagingError for `message`. `location` ('file:line', e.g. a loop's `loop_name`) is
    prepended when given; otherwise StagingError prepends the user's current location."""
    if location:
        message = f"{location}: {message}"
    cls = staging_error_class()
    try:
        return cls(message, variable=variable)
    except ImportError:  # the source maps are not importable: no user location to add
        exc = cls.__new__(cls)
        Exception.__init__(exc, message)
        exc.variable, exc.origin, exc.sentence = variable, None, message
        exc.filename = exc.lineno = exc.source_line = None
        return exc


# ---------------------------------------------------------------------------------------------
# Default for_range: a while_loop over (i, *state)
# ---------------------------------------------------------------------------------------------


def _first_tensor(backend: Backend, values: Iterable) -> Any:
    for v in values:
        if backend_of(v) is not None:
            return v
    return None


def _range_test(i: Any, stop: Any, step: Any) -> Any:
    if type(step) is int or isinstance(step, np.integer):
        return i < stop if step > 0 else i > stop
    return (stop - i) * step > 0  # any sign of a tensor step (0: no iterations)


def _range_with_while(backend: Backend, start: Any, stop: Any, step: Any,
                      body_fn: Callable[..., tuple], init: tuple, names: Sequence[str],
                      opts: dict, extra_test: Callable[..., Any] | None) -> tuple:
    """for_range built on backend.while_loop; `extra_test(*state)`, when given, is and-ed into
    the loop test (checked before each iteration)."""
    like = _first_tensor(backend, (start, stop, step))
    i0 = start if backend_of(start) is not None else backend.to_tensor(start, like=like)
    counter = opts.get("iterate_names") or "<loop counter>"

    def cond_fn(i, *state):
        t = _range_test(i, stop, step)
        if extra_test is None:
            return t
        e = extra_test(*state)
        if backend_of(e) is None:
            return t if e else backend.to_tensor(False)
        return backend.logical_and(e, t)

    def loop_body(i, *state):
        return (i + step,) + tuple(body_fn(i, *state))

    out = backend.while_loop(cond_fn, loop_body, (i0,) + tuple(init),
                             (counter,) + tuple(names), opts)
    return tuple(out[1:])
