"""The public conversion API: to_graph, to_code, do_not_convert."""

from __future__ import annotations

import functools
import inspect
import types
import warnings
from typing import Any, Callable, TypeVar, overload

from autograph import conversion, errors
from autograph.converter import ConversionOptions

F = TypeVar("F", bound=Callable[..., Any])


@overload
def to_graph(entity: F, recursive: bool = True, *, runtime_print: bool = False,
             strict: bool = False) -> F: ...


@overload
def to_graph(entity: None = None, recursive: bool = True, *, runtime_print: bool = False,
             strict: bool = False) -> Callable[[F], F]: ...


def to_graph(entity=None, recursive=True, *, runtime_print=False, strict=False):
    """Converts a Python function so that its control flow can run on graph tensors.

    The result behaves like `entity` on plain Python values (at nearly the same speed) and
    stages `if`/`while`/`for`, `and`/`or`/`not`, `assert` and friends into graph control
    flow when their conditions are tensors of a registered backend (the embedded engine, JAX).

    Args:
        entity: a function, method, lambda, `functools.partial`, classmethod/staticmethod or
            callable object. Usable as a decorator, with or without arguments.
        recursive: also convert the user functions it calls (lazily, at run time).
        runtime_print: make `print` print tensors when the graph runs (through the backend's
            print) instead of once while tracing.
        strict: raise instead of running unconverted (with a warning) what cannot be
            converted.

    >>> import autograph
    >>> @autograph.to_graph
    ... def collatz_steps(n):
    ...     steps = 0
    ...     while n != 1:
    ...         n = n // 2 if n % 2 == 0 else 3 * n + 1
    ...         steps += 1
    ...     return steps
    >>> collatz_steps(27)
    111
    """
    if recursive is True and not runtime_print and not strict:
        options = conversion.DEFAULT_OPTIONS  # no allocation on the cache-hit path
    else:
        options = ConversionOptions(recursive=recursive, runtime_print=runtime_print,
                                    strict=strict)
    if entity is None:
        return functools.partial(_to_graph, options=options)
    return _to_graph(entity, options)


def _to_graph(entity, options):
    if getattr(entity, conversion.CONVERTED_ATTR, False):
        return entity
    if isinstance(entity, types.FunctionType):
        cached = entity.__dict__.get("__ag_to_graph__")
        if cached is not None and options in cached:
            return cached[options]
    try:
        converted = conversion.convert(entity, options)
    except errors.ConversionError as e:
        if options.strict:
            raise
        name = getattr(entity, "__qualname__", repr(entity))
        warnings.warn(f"autograph could not convert {name}, so it runs unconverted: {e}",
                      errors.AutographWarning, stacklevel=3)
        return entity
    if isinstance(converted, types.FunctionType):
        wrapper = _wrap(converted)
        entity.__dict__.setdefault("__ag_to_graph__", {})[options] = wrapper
        return wrapper
    if isinstance(converted, types.MethodType):
        return types.MethodType(_wrap(converted.__func__), converted.__self__)
    return converted


def _wrap(converted):
    """A thin entry point that shows tracebacks in the user's own source."""
    make = _entry_factory(converted.__code__)
    if make is not None:
        # the function's own parameters: no *args/**kwargs packing on each call (0.1 us)
        wrapper = make(converted, errors.rewrite_traceback)
        # argument errors say "f() missing ...", as the function's own would
        wrapper.__code__ = wrapper.__code__.replace(co_name=converted.__code__.co_name)
        wrapper.__defaults__ = converted.__defaults__
        wrapper.__kwdefaults__ = converted.__kwdefaults__
        functools.update_wrapper(wrapper, converted)
    else:
        @functools.wraps(converted)
        def wrapper(*args, **kwargs):
            try:
                return converted(*args, **kwargs)
            except Exception as e:
                errors.rewrite_traceback(e)
                raise

    wrapper.__wrapped__ = converted  # inspect.getsource(wrapper) shows the converted code
    wrapper.__dict__[conversion.CONVERTED_ATTR] = True
    wrapper.__ag_source__ = converted.__ag_source__
    return wrapper


_ENTRY_FACTORIES: dict = {}
_ENTRY_FILE = "<autograph to_graph entry point>"


def _entry_factory(code):
    """A function making entry points with the parameter list of `code` (names, kinds; the
    defaults are set on each), compiled once per parameter list; None for unusual ones."""
    names = code.co_varnames
    npos, nkw = code.co_argcount, code.co_kwonlyargcount
    star = bool(code.co_flags & inspect.CO_VARARGS)
    dstar = bool(code.co_flags & inspect.CO_VARKEYWORDS)
    key = (names[:npos + nkw + star + dstar], code.co_posonlyargcount, npos, star, dstar)
    make = _ENTRY_FACTORIES.get(key, _MISSING)
    if make is not _MISSING:
        return make
    make = None
    params = list(key[0])
    if len(params) <= 64 and not any(n.startswith("ag__") or not n.isidentifier()
                                     for n in params):
        pos, kwonly = params[:npos], params[npos:npos + nkw]
        rest = params[npos + nkw:]
        sig = pos[:code.co_posonlyargcount] + (["/"] if code.co_posonlyargcount else [])
        sig += pos[code.co_posonlyargcount:]
        call = list(pos)
        if star:
            sig.append(f"*{rest[0]}")
            call.append(f"*{rest[0]}")
        elif kwonly:
            sig.append("*")
        sig += kwonly
        call += [f"{k}={k}" for k in kwonly]
        if dstar:
            sig.append(f"**{rest[-1]}")
            call.append(f"**{rest[-1]}")
        src = (f"def ag__make(ag__f, ag__rewrite):\n"
               f"    def wrapper({', '.join(sig)}):\n"
               f"        try:\n"
               f"            return ag__f({', '.join(call)})\n"
               f"        except Exception as ag__e:\n"
               f"            ag__rewrite(ag__e)\n"
               f"            raise\n"
               f"    return wrapper\n")
        ns: dict = {}
        exec(compile(src, _ENTRY_FILE, "exec"), ns)
        make = ns["ag__make"]
    if len(_ENTRY_FACTORIES) < 1024:
        _ENTRY_FACTORIES[key] = make
    return make


_MISSING = object()


def to_code(entity: Callable[..., Any], recursive: bool = True, *, runtime_print: bool = False,
            mode: str = "fast") -> str:
    """Returns the converted source of `entity`.

    mode='fast' (default) shows the code that runs: the user's statements, native, with the
    handlers that stage them when they meet tensors. mode='functional' shows the whole
    function in functional form, as it is traced when every condition is a tensor.
    """
    options = ConversionOptions(recursive=recursive, runtime_print=runtime_print)
    target = _function_of(entity)
    if mode == "functional":
        return conversion.functional_source(target, options)
    if mode != "fast":
        raise ValueError(f"to_code(mode={mode!r}): mode must be 'fast' or 'functional'.")
    return conversion.source_of(conversion.convert_function(target, options))


def _function_of(entity):
    if getattr(entity, conversion.CONVERTED_ATTR, False):
        entity = getattr(entity, "__ag_original__", None) or entity.__wrapped__
        while getattr(entity, conversion.CONVERTED_ATTR, False):
            entity = getattr(entity, "__ag_original__", None) or entity.__wrapped__
    if isinstance(entity, (types.MethodType, classmethod, staticmethod)):
        return _function_of(entity.__func__)
    if isinstance(entity, functools.partial):
        return _function_of(entity.func)
    if isinstance(entity, types.FunctionType):
        return entity
    conversion.convert(entity)  # raises the right error for builtins, classes, ...
    call = getattr(type(entity), "__call__", None)  # noqa: B004 - the function itself
    if isinstance(call, types.FunctionType):
        return call
    raise errors.ConversionError(f"cannot convert {entity!r}: it is not a Python function.")


def do_not_convert(func: F) -> F:
    """Marks `func` so that autograph never converts it (it runs as written).

    >>> import autograph
    >>> @autograph.do_not_convert
    ... def helper(x):
    ...     return x + 1
    >>> autograph.to_graph(lambda x: helper(x) * 2)(1)
    4
    """
    try:
        func.__dict__[conversion.DO_NOT_CONVERT_ATTR] = True
    except AttributeError:
        pass
    return func
