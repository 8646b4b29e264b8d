"""Differential harness: run a function unconverted and converted, and compare everything.

`check(fn, args, kwargs=None, mode='python', **options)` runs the original function and its
converted form on deep copies of the same inputs and compares:

- the result, with a numpy-aware deep equality (`diff`): same types (a Python `int` is not an
  `np.int64`), same dtype and shape for arrays, NaN equal to NaN, -0.0 distinct from 0.0,
  nested lists/tuples/dicts/sets and instances of user classes compared field by field;
- stdout, captured with `contextlib.redirect_stdout` (Python mode only);
- the exception raised: same type exactly, and the same message (`exc_msg=True`, the default),
  a message containing a given substring in both runs (`exc_msg='text'`), or type only
  (`exc_msg=False`);
- mutation of the arguments (the deep copies after each run are compared), and optionally
  global state (`state=` returns a snapshot after each run, `setup=` resets it before each).

Modes:

- `'python'`: `autograph.to_graph(fn)` on the inputs as given (plain Python values, numpy).
- `'python-np'`: the same, but numeric scalar arguments are turned into numpy scalars first
  (Python `int` -> `np.int64`, `float` -> `np.float64`, `bool` -> `np.bool_`), exactly the
  inputs graph mode sees. Added automatically to every case that lists `'graph'`.
- `'graph'`: `autograph.function(fn)` (the embedded engine); numpy arguments become
  placeholders. Compared against the original run eagerly on the same numpy inputs, loosely:
  Python and numpy scalars of the same dtype are equal, floats within a tight tolerance.
  Stdout and argument mutation are not compared (Python `print` runs at trace time). A
  `StagingError` that names a variable is accepted only when the case says `stageable=False`.
- `'jax'`: `jax.jit(autograph.to_graph(fn))` against the original on numpy; dtypes compared
  by kind (jax defaults to 32 bits), floats with a float32 tolerance. Skipped without jax.

In both staged modes a Python `int` result may come back as a float scalar of exactly the same
value: the documented join of a Python int with a float in a staged `if` or ternary
(`3 if c else 2.5` is a float, docs/graph_mode.md "Branch values and their dtypes").

A mode the product does not implement yet (no `autograph.to_graph`, no `autograph.function`)
skips with a reason. `AUTOGRAPH_TEST_IDENTITY=1` makes the "conversion" the identity (graph
mode: the function run eagerly), to check the harness and the corpus without the compiler.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import inspect
import io
import math
import os
import re
import sys
import warnings
from typing import Any, Callable

import numpy as np
import pytest

IDENTITY = os.environ.get("AUTOGRAPH_TEST_IDENTITY", "") not in ("", "0")

MODES = ("python", "python-np", "graph", "jax")
STAGED_MODES = ("graph", "jax")


# --------------------------------------------------------------------------------------------
# Inputs and the case registry
# --------------------------------------------------------------------------------------------


class call:
    """One input set: positional and keyword arguments, e.g. `call(1, 2, key=3)`."""

    __slots__ = ("args", "kwargs")

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs

    def __repr__(self):
        parts = [_short_repr(a) for a in self.args]
        parts += [f"{k}={_short_repr(v)}" for k, v in self.kwargs.items()]
        return "(" + ", ".join(parts) + ")"


def as_call(inp) -> call:
    """`call` as is; a tuple is the positional arguments; anything else is the only argument."""
    if isinstance(inp, call):
        return inp
    if isinstance(inp, tuple):
        return call(*inp)
    return call(inp)


@dataclasses.dataclass
class Case:
    fn: Callable
    name: str
    inputs: list  # of `call`
    modes: tuple
    options: dict  # passed to `check`
    module: str

    def ids(self):
        return [f"{self.name}[{i}]" for i in range(len(self.inputs))]


CASES: dict[str, Case] = {}


def case(inputs, modes=("python",), name=None, **options):
    """Register a corpus function.

    inputs: 2-5 input sets: tuples of positional arguments, `call(...)` objects, or a single
        non-tuple value for one-argument functions.
    modes: 'python' always applies; list 'graph' and 'jax' only for functions meaningful on
        tensors (numeric arguments). 'graph' adds 'python-np'.
    options: forwarded to `check` (exc_msg, stageable, static, setup, state, rtol, ...).
    """
    modes = tuple(modes)
    if "python" not in modes:
        modes = ("python",) + modes
    if "graph" in modes and "python-np" not in modes:
        modes = modes + ("python-np",)
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ValueError(f"unknown modes {sorted(unknown)}")
    unknown = set(options) - set(CHECK_OPTIONS)
    if unknown:
        raise ValueError(f"unknown case options {sorted(unknown)}")

    def register(fn):
        key = name or fn.__name__
        if key in CASES:
            raise ValueError(f"duplicate corpus case name {key!r}")
        calls = [as_call(i) for i in inputs]
        if not calls:
            raise ValueError(f"{key}: no inputs")
        CASES[key] = Case(fn, key, calls, tuple(m for m in MODES if m in modes), dict(options),
                          getattr(fn, "__module__", "?"))
        return fn

    return register


# --------------------------------------------------------------------------------------------
# Deep equality
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Loose:
    """Staged-mode comparison: numeric leaves compared as arrays."""

    rtol: float = 1e-7
    atol: float = 0.0
    dtype: str = "exact"  # 'exact' | 'kind'


_NUMERIC_SCALARS = (bool, int, float, complex, np.generic)


def _is_array_like(x):
    if isinstance(x, (np.ndarray,) + _NUMERIC_SCALARS):
        return True
    # jax arrays, engine results that are array-like but not containers
    return hasattr(x, "__array__") and not isinstance(x, (list, tuple, dict, str, bytes))


def _float_eq(a, b):
    if math.isnan(a) and math.isnan(b):
        return True
    if a != b:
        return False
    if a == 0 and math.copysign(1.0, a) != math.copysign(1.0, b):
        return False
    return True


def _array_eq(a: np.ndarray, b: np.ndarray):
    if a.dtype.kind in "fc":
        return np.array_equal(a, b, equal_nan=True)
    if a.dtype.kind == "O":
        return all(diff(x, y) is None for x, y in zip(a.ravel().tolist(), b.ravel().tolist(), strict=True))
    return np.array_equal(a, b)


def diff(a, b, path="result", loose: Loose | None = None, _seen=None) -> str | None:
    """The first difference between `a` (original) and `b` (converted), or None."""
    if _seen is None:
        _seen = set()
    key = (id(a), id(b))
    if key in _seen:
        return None
    if loose is not None and _is_array_like(a) and _is_array_like(b):
        return _diff_loose(a, b, path, loose)
    if type(a) is not type(b):
        return f"{path}: type {type(a).__name__} != {type(b).__name__} ({_short_repr(a)} vs {_short_repr(b)})"
    if a is None or a is Ellipsis or a is NotImplemented:
        return None
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype:
            return f"{path}: dtype {a.dtype} != {b.dtype}"
        if a.shape != b.shape:
            return f"{path}: shape {a.shape} != {b.shape}"
        if not _array_eq(a, b):
            return f"{path}: values {_short_repr(a)} != {_short_repr(b)}"
        return None
    if isinstance(a, np.generic):
        if a.dtype != b.dtype:
            return f"{path}: dtype {a.dtype} != {b.dtype}"
        if not _array_eq(np.asarray(a), np.asarray(b)):
            return f"{path}: {a!r} != {b!r}"
        return None
    if isinstance(a, float):
        return None if _float_eq(a, b) else f"{path}: {a!r} != {b!r}"
    if isinstance(a, complex):
        ok = _float_eq(a.real, b.real) and _float_eq(a.imag, b.imag)
        return None if ok else f"{path}: {a!r} != {b!r}"
    if isinstance(a, (bool, int, str, bytes, range, slice)):
        return None if a == b else f"{path}: {_short_repr(a)} != {_short_repr(b)}"
    _seen.add(key)
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)} ({_short_repr(a)} vs {_short_repr(b)})"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            d = diff(x, y, f"{path}[{i}]", loose, _seen)
            if d:
                return d
        return None
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)!r} != {list(b)!r}"
        for k in a:
            d = diff(a[k], b[k], f"{path}[{k!r}]", loose, _seen)
            if d:
                return d
        return None
    if isinstance(a, (set, frozenset)):
        return None if a == b else f"{path}: {_short_repr(a)} != {_short_repr(b)}"
    if isinstance(a, BaseException):
        return diff(a.args, b.args, f"{path}.args", loose, _seen)
    if callable(a) and hasattr(a, "__qualname__"):
        qa, qb = a.__qualname__, getattr(b, "__qualname__", None)
        return None if qa == qb else f"{path}: callable {qa} != {qb}"
    if hasattr(a, "__dict__") and not isinstance(a, type):
        return diff(vars(a), vars(b), f"{path}.__dict__", loose, _seen)
    try:
        eq = a == b
        if isinstance(eq, bool) and eq:
            return None
    except Exception:  # noqa: BLE001 - unorderable exotic values
        pass
    return f"{path}: {_short_repr(a)} != {_short_repr(b)}"


def _diff_loose(a, b, path, loose: Loose):
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape:
        return f"{path}: shape {x.shape} != {y.shape} ({_short_repr(a)} vs {_short_repr(b)})"
    if type(a) is int and y.shape == () and y.dtype.kind == "f" and float(y) == a \
            and int(y) == a:
        # The documented join of a staged if / ternary (docs/graph_mode.md, "Branch values
        # and their dtypes"): a Python int chosen against a float (`3 if c else 2.5`, `3 if c
        # else x * 2.0`) is a float tensor of the same value. Only a Python int (weakly
        # typed), never a numpy or bool one, and only the exact value.
        return None
    if loose.dtype == "exact" and x.dtype != y.dtype:
        return f"{path}: dtype {x.dtype} != {y.dtype} ({_short_repr(a)} vs {_short_repr(b)})"
    if loose.dtype == "kind" and _kind(x.dtype) != _kind(y.dtype):
        return f"{path}: dtype kind {x.dtype} != {y.dtype} ({_short_repr(a)} vs {_short_repr(b)})"
    if x.dtype.kind in "fc" or y.dtype.kind in "fc":
        ok = np.allclose(x.astype(np.complex128 if "c" in (x.dtype.kind, y.dtype.kind) else np.float64),
                         y, rtol=loose.rtol, atol=loose.atol, equal_nan=True)
    else:
        ok = np.array_equal(x, y)
    return None if ok else f"{path}: values {_short_repr(a)} != {_short_repr(b)}"


def _kind(dtype):
    k = dtype.kind
    return "i" if k in "iu" else k


def _short_repr(x, limit=160):
    try:
        r = repr(x)
    except Exception as e:  # noqa: BLE001
        r = f"<unrepresentable {type(x).__name__}: {e}>"
    r = r.replace("\n", " ")
    return r if len(r) <= limit else r[: limit - 3] + "..."


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    value: Any = None
    exc: BaseException | None = None
    stdout: str = ""
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    state: Any = None

    def describe(self):
        if self.exc is not None:
            return f"raised {type(self.exc).__name__}: {self.exc}"
        return f"returned {_short_repr(self.value)}"


def run(fn, args, kwargs, setup=None, state=None) -> Outcome:
    """Call fn on deep copies of args/kwargs, capturing stdout, the result or the exception."""
    args = copy.deepcopy(tuple(args))
    kwargs = copy.deepcopy(dict(kwargs or {}))
    if setup is not None:
        setup()
    out = Outcome(args=args, kwargs=kwargs)
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            out.value = fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - any exception is an outcome to compare
        out.exc = e
    out.stdout = buf.getvalue()
    if state is not None:
        out.state = copy.deepcopy(state())
    return out


def tensorize(value):
    """Python numeric scalars to numpy scalars; everything else unchanged."""
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float64(value)
    return value


def tensorize_call(fn, c: call, static=()) -> call:
    """Tensorize every argument but those named (by index or parameter name) in `static`."""
    params = _param_names(fn)
    args = []
    for i, a in enumerate(c.args):
        name = params[i] if i < len(params) else None
        args.append(a if (i in static or name in static) else tensorize(a))
    kwargs = {k: (v if k in static else tensorize(v)) for k, v in c.kwargs.items()}
    return call(*args, **kwargs)


def _param_names(fn):
    try:
        return list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return []


_CONVERTED: dict = {}


def _autograph():
    try:
        import autograph
    except ImportError as e:  # pragma: no cover - the package is installed editable
        pytest.skip(f"autograph is not importable: {e}")
    return autograph


def converted(fn, mode, static=()):
    """The converted form of fn for this mode (cached per function, mode and static args)."""
    key = (mode, fn, tuple(static))
    try:
        return _CONVERTED[key]
    except (KeyError, TypeError):
        pass
    if mode in ("python", "python-np"):
        conv = fn if IDENTITY else _api("to_graph")(fn)
    elif mode == "graph":
        conv = fn if IDENTITY else _api("function")(fn)
    elif mode == "jax":
        jax = pytest.importorskip("jax", reason="jax mode needs jax installed")
        if IDENTITY:
            pytest.skip("identity mode: jax.jit of the unconverted function cannot stage control flow")
        params = _param_names(fn)
        nums = tuple(sorted({i if isinstance(i, int) else params.index(i) for i in static}))
        jitted = jax.jit(_api("to_graph")(fn), static_argnums=nums)

        def conv(*args, **kwargs):
            # On an accelerator a run-time check (`assert` as a debug callback) fails
            # asynchronously: the error surfaces when the result is waited for, as a JAX user
            # sees it with `jax.block_until_ready`.
            return jax.block_until_ready(jitted(*args, **kwargs))
    else:
        raise ValueError(f"unknown mode {mode!r}")
    try:
        _CONVERTED[key] = conv
    except TypeError:  # unhashable callable
        pass
    return conv


def _api(name):
    ag = _autograph()
    f = getattr(ag, name, None)
    if f is None:
        pytest.skip(f"autograph.{name} is not implemented yet")
    return f


def _staging_error_type():
    if IDENTITY:
        return None
    return getattr(_autograph(), "StagingError", None)


CHECK_OPTIONS = {
    # exception message: True (equal), False (type only), or a substring both must contain
    "exc_msg": True,
    # graph/jax: False means a StagingError that names a variable is an accepted divergence
    "stageable": True,
    # graph/jax/python-np: arguments (indices or names) left as Python values
    "static": (),
    # reset global state before each run, and snapshot it after each run (compared)
    "setup": None,
    "state": None,
    # staged modes: float tolerance
    "rtol": None,
    "atol": None,
    # compare argument mutation (python modes)
    "mutation": True,
    # graph/jax: exception types the staged run may raise where the original raises (e.g. a
    # run-time assertion); default: the same type as the original
    "staged_exc": None,
    # skip a mode with a reason: {'graph': 'why'}
    "skip": None,
}


def check(fn, args=(), kwargs=None, mode="python", **options):
    """Run fn unconverted and converted on the same inputs; fail with a report on divergence."""
    unknown = set(options) - set(CHECK_OPTIONS)
    if unknown:
        raise TypeError(f"unknown check options {sorted(unknown)}")
    opts = {**CHECK_OPTIONS, **options}
    if opts["skip"] and mode in opts["skip"]:
        pytest.skip(opts["skip"][mode])
    c = call(*args, **(kwargs or {}))
    if mode != "python":
        c = tensorize_call(fn, c, opts["static"])
    conv = converted(fn, mode, opts["static"])  # conversion errors are failures

    orig = run(fn, c.args, c.kwargs, opts["setup"], opts["state"])
    if mode in STAGED_MODES:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            # jax without x64 warns about every int64/float64 argument it truncates
            warnings.filterwarnings("ignore", message=".*dtype.*is not available.*")
            got = run(conv, c.args, c.kwargs, opts["setup"], opts["state"])
        problems = _compare_staged(fn, orig, got, mode, opts)
    else:
        got = run(conv, c.args, c.kwargs, opts["setup"], opts["state"])
        problems = _compare_python(orig, got, opts)
    if problems:
        raise AssertionError(_report(fn, c, mode, orig, got, problems))
    return orig, got


def _compare_exc(orig, got, opts, subclass_ok=False):
    """Exceptions: same type (staged modes: the same type or a subclass, e.g. the engine's
    GraphAssertionError for AssertionError) and message per `exc_msg`."""
    a, b = orig.exc, got.exc
    if a is None and b is None:
        return []
    if a is None:
        return [f"converted raised {type(b).__name__}: {b} (original returned {_short_repr(orig.value)})"]
    if b is None:
        return [f"converted returned {_short_repr(got.value)} (original raised {type(a).__name__}: {a})"]
    if not (type(a) is type(b) or (subclass_ok and isinstance(b, type(a)))):
        return [f"exception type {type(a).__name__} != {type(b).__name__} ({a!s} vs {b!s})"]
    msg = opts["exc_msg"]
    if msg is True and str(a) != str(b):
        return [f"exception message {str(a)!r} != {str(b)!r}"]
    if isinstance(msg, str) and msg and not (msg in str(a) and msg in str(b)):
        return [f"exception message: expected {msg!r} in both: {str(a)!r} vs {str(b)!r}"]
    return []


def _compare_python(orig, got, opts):
    problems = _compare_exc(orig, got, opts)
    if orig.exc is None and got.exc is None:
        d = diff(orig.value, got.value, "result")
        if d:
            problems.append(d)
    if orig.stdout != got.stdout:
        problems.append(f"stdout {orig.stdout!r} != {got.stdout!r}")
    if opts["mutation"]:
        for what, x, y in (("args", orig.args, got.args), ("kwargs", orig.kwargs, got.kwargs)):
            d = diff(x, y, what)
            if d:
                problems.append(f"argument mutation: {d}")
    if opts["state"] is not None:
        d = diff(orig.state, got.state, "state")
        if d:
            problems.append(f"global state: {d}")
    return problems


def names_a_variable(fn, message):
    names = set()
    stack = [getattr(fn, "__code__", None)]
    while stack:
        code = stack.pop()
        if code is None:
            continue
        names.update(code.co_varnames + code.co_cellvars + code.co_freevars + code.co_names)
        stack += [k for k in code.co_consts if hasattr(k, "co_varnames")]
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", message) for n in names)


def _compare_staged(fn, orig, got, mode, opts):
    staging = _staging_error_type()
    if staging is not None and isinstance(got.exc, staging):
        if opts["stageable"]:
            return [f"unexpected {type(got.exc).__name__} on a stageable case: {got.exc}"]
        if not names_a_variable(fn, str(got.exc)):
            return [f"{type(got.exc).__name__} does not name a variable: {got.exc}"]
        return []
    if orig.exc is not None and got.exc is not None and opts["staged_exc"]:
        if isinstance(got.exc, tuple(opts["staged_exc"])):
            return []
    problems = _compare_exc(orig, got, {**opts, "exc_msg": False if mode == "jax" else opts["exc_msg"]},
                            subclass_ok=True)
    if problems:
        return problems
    if orig.exc is None:
        if mode == "jax":
            loose = Loose(rtol=opts["rtol"] or 1e-5, atol=opts["atol"] or 1e-6, dtype="kind")
        else:
            loose = Loose(rtol=opts["rtol"] or 1e-7, atol=opts["atol"] or 0.0, dtype="exact")
        d = diff(orig.value, got.value, "result", loose)
        if d:
            problems.append(d)
    if opts["state"] is not None:
        d = diff(orig.state, got.state, "state", Loose(dtype="kind"))
        if d:
            problems.append(f"global state: {d}")
    return problems


def _report(fn, c, mode, orig, got, problems):
    name = getattr(fn, "__qualname__", repr(fn))
    lines = [f"{name}{c!r} diverges in {mode} mode:"]
    lines += [f"  - {p}" for p in problems]
    lines.append(f"  original:  {orig.describe()}")
    lines.append(f"  converted: {got.describe()}")
    if got.exc is not None and orig.exc is None:
        import traceback

        tb = "".join(traceback.format_exception(type(got.exc), got.exc, got.exc.__traceback__))
        lines.append("  converted traceback (last lines):")
        lines += ["    " + ln for ln in tb.strip().splitlines()[-12:]]
    if not IDENTITY:
        to_code = getattr(sys.modules.get("autograph"), "to_code", None)
        if to_code is not None:
            try:
                code = to_code(fn)
            except Exception as e:  # noqa: BLE001
                code = f"<to_code failed: {type(e).__name__}: {e}>"
            lines.append("  to_code:")
            lines += ["    " + ln for ln in str(code).splitlines()]
    return "\n".join(lines)
