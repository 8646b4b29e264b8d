"""Calls from converted code: `cv(f)`, `converted_call(f, args, kwargs)`, and `stage`.

`cv(f)` is on the hot path (`ag__.cv(f)(x)` for every call of a user function), so its answer
for a function, builtin or class is one dict lookup keyed by the object itself (Python
specializes a subscript of an exact dict; functions hash by identity, so `functools.wraps`
copies cannot be confused). Measured alternatives: an attribute cached in `f.__dict__` costs
about 1.5x more per call (attribute reads on function objects are not specialized), which puts
a loop calling a small function at 2.2-2.8x its original instead of 1.8-1.9x. The table keeps
its keys alive, so it is bounded (cleared past `_TABLE_LIMIT` entries, for transient closures)
and bound methods and callable objects are not stored (they would keep `self` alive): they
take the slow path, which binds the converted `__func__` / `__call__`.

The decision "convert or not" for everything else is taken once per function (or per type,
for callable objects): never converted are builtins and C functions, classes, functions from
numpy, the standard library, autograph itself and frameworks, functions marked
`autograph.do_not_convert` (`__ag_do_not_convert__`), already-converted functions
(`__ag_is_converted__`) and functions defined inside converted code (their code reads `ag__`). The rest go through `autograph.conversion.convert_for_call(f)`.
"""

from __future__ import annotations

import functools
import os
import sys
import sysconfig
import types
from typing import Any, Callable

import numpy as np

__all__ = ["cv", "converted_call", "stage"]

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_partial = functools.partial

_ASIS_TYPES = frozenset({
    types.BuiltinFunctionType, types.BuiltinMethodType, types.MethodWrapperType,
    types.WrapperDescriptorType, types.MethodDescriptorType, types.ClassMethodDescriptorType,
    np.ufunc, type,
})

#: Top-level packages whose functions are never converted (besides the standard library).
FRAMEWORKS = frozenset({
    "autograph", "numpy", "gast", "jax", "jaxlib", "tensorflow", "tf_keras", "keras", "torch",
    "scipy", "pandas", "sklearn", "flax", "optax", "haiku", "equinox", "chex", "ml_dtypes",
    "opt_einsum", "numba", "cupy", "dask", "xarray", "matplotlib", "tree", "absl",
})

_module_decisions: dict = {}
_type_decisions: dict = {}
#: callable -> what cv returns for it (functions, builtins, classes); bounded.
_table: dict = {}
_TABLE_LIMIT = 8192
#: ConversionOptions -> a table like `_table`, for code converted with non-default options.
_option_tables: dict = {}
_STDLIB_DIRS = tuple({os.path.realpath(p) + os.sep for p in
                      (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])})
_SITE_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


def _is_stdlib_file(path: str) -> bool:
    path = os.path.realpath(path)
    return path.startswith(_STDLIB_DIRS) and not any(m in path for m in _SITE_MARKERS)


def never_converted_module(module_name: str | None) -> bool:
    """Whether functions of `module_name` are never converted (cached per module name)."""
    if not module_name:
        return False
    decision = _module_decisions.get(module_name)
    if decision is None:
        top = module_name.partition(".")[0]
        if top in FRAMEWORKS:
            decision = True
        elif top in sys.builtin_module_names:
            decision = True
        elif top in sys.stdlib_module_names:
            module = sys.modules.get(top)
            path = getattr(module, "__file__", None)
            decision = path is None or _is_stdlib_file(path)
        else:
            decision = False
        _module_decisions[module_name] = decision
    return decision


def _convert(f: Callable, options: Any = None) -> Callable:
    try:
        from autograph import conversion
    except ImportError:  # pragma: no cover - the compiler is part of the same package
        return f
    if options is None:
        return conversion.convert_for_call(f)
    return conversion.convert_for_call(f, options)


def _decide_function(f: types.FunctionType, options: Any = None) -> Callable:
    if getattr(f, "__ag_is_converted__", False) or getattr(f, "__ag_do_not_convert__", False):
        return f
    if "ag__" in f.__code__.co_freevars:  # defined inside converted code: converted with it
        return f
    if never_converted_module(f.__module__):
        return f
    return _convert(f, options)


def _remember(f: Any, target: Callable, options: Any = None) -> None:
    table = _table if options is None else _option_tables.setdefault(options, {})
    if len(table) >= _TABLE_LIMIT:  # transient closures: keep the table bounded
        table.clear()
    try:
        table[f] = target
    except TypeError:  # unhashable
        pass


def _call_target(t: type) -> Any:
    """For a callable object's type: its `__call__` function to convert, or None (as is)."""
    decision = _type_decisions.get(t, _MISSING)
    if decision is _MISSING:
        call = getattr(t, "__call__", None)  # noqa: B004 - the function itself
        decision = None
        if (isinstance(call, _FunctionType) and not never_converted_module(t.__module__)
                and not getattr(t, "__ag_do_not_convert__", False)):
            decision = call
        _type_decisions[t] = decision
    return decision


_MISSING = object()


def _cv_slow(f: Any, options: Any = None) -> Callable:
    """cv's table missed: decide for `f`, and remember functions, builtins and classes."""
    t = type(f)
    if t is _FunctionType:
        target = _decide_function(f, options)
        _remember(f, target, options)
        return target
    if t in _ASIS_TYPES:
        _remember(f, f, options)
        return f
    if t is _MethodType:  # not remembered: the table would keep __self__ alive
        func = f.__func__
        target = cv(func, options)
        return f if target is func else _MethodType(target, f.__self__)
    if t is _partial:
        func = f.func
        target = cv(func, options)
        return f if target is func else _partial(target, *f.args, **f.keywords)
    if isinstance(f, type):
        _remember(f, f, options)
        return f
    call = _call_target(t)
    if call is None:
        return f
    target = cv(call, options)
    return f if target is call else _MethodType(target, f)


def cv(f: Any, options: Any = None) -> Callable:
    """What converted code calls in place of `f`: its converted version, or `f` itself.

    Plain Python equivalent: `f`.

    One dict lookup keyed by `f` for functions, builtins and classes seen before (an
    unhashable or unknown callable takes the slow path, which decides and remembers).
    """
    if options is not None:  # converted code with non-default ConversionOptions
        try:
            return _option_tables[options][f]
        except Exception:  # noqa: BLE001 - as below
            return _cv_slow(f, options)
    try:
        return _table[f]
    except Exception:  # noqa: BLE001 - KeyError, or an unhashable / odd __eq__: slow path
        return _cv_slow(f)


def converted_call(f: Any, args: tuple, kwargs: dict | None = None) -> Any:
    """Calls `f` converted (see `cv`).

    Plain Python equivalent: `f(*args, **kwargs)`.
    """
    if kwargs:
        return cv(f)(*args, **kwargs)
    return cv(f)(*args)


def stage(ctx: Any, unit_id: int, exc: BaseException, local_vars: dict) -> Any:
    """Runs the functional form of statement `unit_id`, whose header met a tensor
    (autograph.staging.stage). Plain Python equivalent: `raise exc`."""
    from autograph import staging

    return staging.stage(ctx, unit_id, exc, local_vars)
