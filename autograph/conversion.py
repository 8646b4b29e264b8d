"""Converting entities: functions, methods, lambdas, partials, callable objects; and the cache.

A conversion is cached per code object (by identity, holding a reference so the id cannot be
reused) and per options; instantiating it for a function object binds that object's own
closure cells, defaults and globals. Each function object also remembers its converted
version, so converting it again costs one dictionary lookup.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
import types
import warnings

import gast

from autograph import errors
from autograph.converter import Context, ConversionOptions

_CACHE_ATTR = "__ag_converted__"  # on a user function: {options: converted function}
CONVERTED_ATTR = "__ag_is_converted__"  # on a converted function: True
DO_NOT_CONVERT_ATTR = "__ag_do_not_convert__"

_code_cache: dict = {}  # (id(code), id(globals), options) -> (code, _Converted)
_locks: dict = {}
_global_lock = threading.Lock()
DEFAULT_OPTIONS = ConversionOptions()
_GENERATOR_FLAGS = (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
                    | inspect.CO_ITERABLE_COROUTINE)


class _Converted:
    """A converted code object and what is needed to make functions from it."""

    def __init__(self, code, ctx, source, loaded):
        self.code = code
        self.ctx = ctx
        self.source = source
        self.loaded = loaded


def convert(entity, options: ConversionOptions = DEFAULT_OPTIONS):
    """Returns the converted version of `entity` (raises ConversionError if it cannot be)."""
    if isinstance(entity, types.FunctionType):
        return convert_function(entity, options)
    if isinstance(entity, types.MethodType):
        return types.MethodType(convert(entity.__func__, options), entity.__self__)
    if isinstance(entity, functools.partial):
        return functools.partial(convert(entity.func, options), *entity.args,
                                 **entity.keywords)
    if isinstance(entity, (classmethod, staticmethod)):
        return type(entity)(convert(entity.__func__, options))
    if isinstance(entity, (types.BuiltinFunctionType, types.BuiltinMethodType,
                           types.MethodWrapperType, types.WrapperDescriptorType)):
        name = getattr(entity, "__qualname__", repr(entity))
        raise errors.SourceUnavailableError(
            f"`{name}` is a built-in function implemented in C; it has no Python source to "
            "convert.")
    if inspect.isclass(entity):
        raise errors.ConversionError(
            f"{entity.__qualname__} is a class; convert its methods (decorate them with "
            "@autograph.to_graph) or the function that uses it.")
    call = getattr(type(entity), "__call__", None)  # noqa: B004 - the function itself
    if isinstance(call, types.FunctionType):
        return types.MethodType(convert_function(call, options), entity)
    raise errors.ConversionError(f"cannot convert {entity!r}: it is not a Python function.")


def convert_function(f: types.FunctionType, options: ConversionOptions = DEFAULT_OPTIONS):
    """The converted version of a plain Python function (cached)."""
    cache = f.__dict__.get(_CACHE_ATTR)
    if cache is not None:
        converted = cache.get(options)
        if converted is not None:
            return converted
    if f.__dict__.get(CONVERTED_ATTR):
        return f
    entry = _converted_code(f, options)
    converted = _instantiate(f, entry)
    f.__dict__.setdefault(_CACHE_ATTR, {})[options] = converted
    return converted


def _converted_code(f, options):
    key = (id(f.__code__), id(f.__globals__), options)
    hit = _code_cache.get(key)
    if hit is not None:
        return hit[1]
    with _global_lock:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:  # one conversion per code object, even when threads race for it
        hit = _code_cache.get(key)
        if hit is not None:
            return hit[1]
        entry = _convert_code(f, options)
        _code_cache[key] = (f.__code__, entry)
        return entry


def _convert_code(f, options):
    # The passes recurse once per level of the syntax tree: long elif chains and long sums
    # are deep trees. Give conversion some headroom, then say clearly when even that is short.
    limit = sys.getrecursionlimit()
    if limit < _CONVERSION_RECURSION_LIMIT:
        sys.setrecursionlimit(_CONVERSION_RECURSION_LIMIT)
    try:
        return _convert_code_unguarded(f, options)
    except RecursionError:
        code = f.__code__
        raise errors.ConversionError(
            f"{code.co_filename}:{code.co_firstlineno}:1: `{code.co_name}` is nested or "
            "chained too deeply for the converter (Python's recursion limit); split it into "
            "smaller functions, or raise the limit with sys.setrecursionlimit.") from None
    finally:
        if limit < _CONVERSION_RECURSION_LIMIT:
            sys.setrecursionlimit(limit)


_CONVERSION_RECURSION_LIMIT = 8000


RESERVED_NAMES = frozenset({"ag__", "ag__ctx"})


def reserved_renames(node, names, namer, info):
    """{user name: fresh name} for the user's locals called `ag__`/`ag__ctx`.

    Generated code reads the runtime as `ag__` and the conversion context as `ag__ctx`. A local
    variable of the user's with one of those names is renamed, consistently, in the whole
    function (the staging code applies the same map to its own parse). A parameter, or a name
    the function only reads (a global), cannot be renamed without changing what it means:
    those are refused up front.
    """
    clash = RESERVED_NAMES & names
    if not clash:
        return {}
    params = {a.id for a in gast.walk(node.args) if isinstance(a, gast.Name)}
    stored, declared, first_line = set(), set(), {}
    for sub in gast.walk(node):
        if isinstance(sub, gast.Name) and sub.id in clash:
            first_line.setdefault(sub.id, getattr(sub, "lineno", 1))
            if isinstance(sub.ctx, (gast.Store, gast.Del)):
                stored.add(sub.id)
        elif isinstance(sub, (gast.Global, gast.Nonlocal)):
            declared.update(set(sub.names) & clash)
        elif isinstance(sub, (gast.FunctionDef, gast.ClassDef)) and sub.name in clash:
            declared.add(sub.name)
    for name in sorted(clash):
        if name in params or name in declared or name not in stored:
            line = info.lineno + first_line.get(name, 1) - 1
            what = "a parameter" if name in params else "a global or free variable"
            raise errors.UnsupportedFeatureError(
                f"{info.filename}:{line}:1: the name `{name}` is reserved for autograph's "
                f"generated code and cannot be renamed here ({what}); rename it.",
                filename=info.filename, lineno=line, col_offset=0)
    return {name: namer.new_symbol(name.rstrip("_") + "_user") for name in sorted(clash)}


def apply_renames(node, renames):
    if renames:
        for sub in gast.walk(node):
            if isinstance(sub, gast.Name) and sub.id in renames:
                sub.id = renames[sub.id]


def _convert_code_unguarded(f, options):
    from autograph import pipeline, runtime, staging
    from autograph.pyct import loader, naming, parser

    node, source, info = parser.parse_entity(f)
    if isinstance(node, gast.Lambda):
        node = _lambda_as_def(node)
    else:
        _check_source_is_current(f, info)
    names = naming.collect_names(node)
    namer = naming.Namer(names)
    renames = reserved_renames(node, names, namer, info)
    apply_renames(node, renames)
    ctx = Context(namer=namer, options=options, info=info, namespace=f.__globals__)
    ctx.free_names = tuple(f.__code__.co_freevars)
    node, units = pipeline.convert_fast(node, source, ctx)
    conversion_ctx = staging.ConversionContext(source, info, units, f.__globals__, options,
                                               f.__globals__)
    conversion_ctx.renames = renames
    loaded = loader.load_function(node, f, {"ag__": runtime, "ag__ctx": conversion_ctx},
                                  name=f.__name__, filename_hint=info.filename)
    line_of = loaded.line_of
    for unit in units:
        unit.header_lines = {line_of[id(n)]: k for k, n in enumerate(unit.header_nodes)}
        if unit.kind != "if":
            unit.header_lines = {line: 0 for line in unit.header_lines}
        unit.header_nodes = []  # the tree is not needed any more
    return _Converted(loaded.fn.__code__, conversion_ctx, loaded.source, loaded)


def _check_source_is_current(f, info):
    """Refuses to convert a function whose source file changed after it was compiled.

    The parser finds the function by the line its code object starts at; a file edited since
    may hold other code there (or the same function moved or changed), and converting it
    would run code that is not the function's. Two cheap checks (a few microseconds; no
    compilation): the module's bytecode cache records the size and mtime of the source it was
    compiled from; and the lines the code object's instructions cover must lie in the parsed
    function, whose `def` must be where the code object starts."""
    code = f.__code__
    if _source_changed_since_compiled(f.__globals__, code.co_filename) or not _lines_match(
            code, info):
        raise errors.SourceUnavailableError(
            f"the source file {code.co_filename!r} was edited after `{f.__qualname__}` was "
            f"compiled (its text at line {code.co_firstlineno} is not the running code), so "
            "autograph cannot convert it: it would convert the new text. Reload the module "
            "(importlib.reload) or restart the program, then convert it again.",
            filename=code.co_filename, lineno=code.co_firstlineno)


def _source_changed_since_compiled(globals_, filename):
    import importlib.util
    import os

    if globals_.get("__file__") != filename:
        return False  # a function from exec(), or compiled from another file: no cache to ask
    cached = globals_.get("__cached__")
    if not cached or cached == filename:
        return False
    try:
        with open(cached, "rb") as pyc:
            header = pyc.read(16)
        st = os.stat(filename)
    except OSError:
        return False
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return False
    if int.from_bytes(header[4:8], "little") != 0:
        return False  # a hash-based cache: no mtime to compare
    mtime = int.from_bytes(header[8:12], "little")
    size = int.from_bytes(header[12:16], "little")
    return (mtime != int(st.st_mtime) & 0xFFFFFFFF) or (size != st.st_size & 0xFFFFFFFF)


def _lines_match(code, info):
    lines = [line for _, _, line in code.co_lines() if line is not None]
    if not lines:
        return True
    first, last = info.lineno, info.lineno + len(info.source_lines) - 1
    if not info.decorators and first != code.co_firstlineno:
        return False  # the def is not where the code object says it starts
    # (Lines of the text without instructions prove nothing: the compiler drops dead code.)
    return code.co_firstlineno <= min(lines) and max(lines) <= last


def _lambda_as_def(node):
    """`lambda args: body` as `def ag__lambda(args): return body`, so passes see statements."""
    body = gast.Return(node.body)
    gast.copy_location(body, node.body)
    fn = gast.FunctionDef(name="ag__lambda", args=node.args, body=[body], decorator_list=[],
                          returns=None, type_comment=None,
                          **({"type_params": []} if "type_params" in gast.FunctionDef._fields
                             else {}))
    return gast.copy_location(fn, node)


def _instantiate(f, entry):
    from autograph import runtime

    code = entry.code
    cells = []
    user_freevars = f.__code__.co_freevars
    for name in code.co_freevars:
        if name == "ag__":
            cells.append(types.CellType(runtime))
        elif name == "ag__ctx":
            cells.append(types.CellType(entry.ctx))
        elif name in user_freevars:
            cells.append(f.__closure__[user_freevars.index(name)])
        else:
            cells.append(types.CellType())
    fn = types.FunctionType(code, f.__globals__, f.__name__, f.__defaults__, tuple(cells))
    fn.__kwdefaults__ = f.__kwdefaults__
    fn.__annotations__ = f.__annotations__
    fn.__doc__ = f.__doc__
    fn.__module__ = f.__module__
    fn.__qualname__ = f.__qualname__
    fn.__dict__.update({k: v for k, v in f.__dict__.items() if k != _CACHE_ATTR})
    fn.__dict__[CONVERTED_ATTR] = True
    fn.__ag_source__ = entry.source
    fn.__ag_original__ = f
    return fn


def convert_for_call(f, options: ConversionOptions = DEFAULT_OPTIONS):
    """What converted code calls in place of the user function `f`.

    The converted function; or `f` itself, with a warning that says why, when it cannot be
    converted (strict mode raises instead).
    """
    if isinstance(f, types.FunctionType) and f.__code__.co_flags & _GENERATOR_FLAGS:
        return f  # generators and coroutines run as they are: they cannot be converted
    try:
        return convert(f, options)
    except errors.ConversionError as e:
        if options.strict:
            raise
        name = getattr(f, "__qualname__", repr(f))
        warnings.warn(f"autograph could not convert {name}, so it runs unconverted: {e}",
                      errors.AutographWarning, stacklevel=3)
        return f


def source_of(converted) -> str:
    """The generated source of a converted function."""
    return converted.__ag_source__


def convert_source(text: str, filename: str, node, qualname: str,
                   options: ConversionOptions = DEFAULT_OPTIONS, mode: str = "fast") -> str:
    """The converted source of one function given as text (the CLI: nothing is executed).

    `text` holds the function (decorators included) as it appears in `filename`; `node` is
    its standard-library ast node (for the line numbers).
    """
    import textwrap

    from autograph import functional, pipeline
    from autograph.pyct import naming, parser, unparser

    decorators = getattr(node, "decorator_list", [])
    first_line = min([d.lineno for d in decorators] + [node.lineno])
    dedented = textwrap.dedent(text)
    fn = parser.parse_str(dedented).body[0]
    fn.decorator_list = []
    info = parser.SourceInfo(filename, first_line, node.col_offset, node.name, qualname,
                             tuple(dedented.splitlines()))
    names = naming.collect_names(fn)
    namer = naming.Namer(names)
    apply_renames(fn, reserved_renames(fn, names, namer, info))
    ctx = Context(namer=namer, options=options, info=info, namespace={})
    ctx.free_names = ()
    if mode == "functional":
        ctx.mode = "functional"
        from autograph.pyct import origin_info
        origin_info.resolve(fn, dedented, info)
        return functional.source(functional.lower_function(fn, ctx))
    fn, _ = pipeline.convert_fast(fn, dedented, ctx)
    return unparser.unparse(fn)[0]


def functional_source(f: types.FunctionType, options: ConversionOptions = DEFAULT_OPTIONS) -> str:
    """The whole function `f` in functional form (to_code(f, mode='functional'))."""
    from autograph import functional
    from autograph.pyct import naming, parser

    node, source, info = parser.parse_entity(f)
    if isinstance(node, gast.Lambda):
        node = _lambda_as_def(node)
        node.name = "ag__lambda"
    names = naming.collect_names(node)
    namer = naming.Namer(names)
    apply_renames(node, reserved_renames(node, names, namer, info))
    ctx = Context(namer=namer, options=options, info=info, namespace=f.__globals__,
                  mode="functional")
    return functional.source(functional.lower_function(node, ctx))
