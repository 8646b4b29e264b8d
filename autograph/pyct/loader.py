"""Compiling and loading generated functions, bound to the user's closure cells and globals.

The generated function is printed inside a factory function whose parameters are its free
variables:

    def ag__factory(counter, ag__, ag__ctx):     # line 1
        global f                                 # `f` in f's body is the module's, as before
        def f(x):                                # line 3: the generated function
            nonlocal counter
            ...

The module is compiled once; the factory is never run. The inner function's code object is
taken from the factory's constants and turned into a function with `types.FunctionType`,
whose closure holds:

- for each free variable of the original function, the ORIGINAL cell (so `nonlocal` writes
  reach the user's enclosing scope; `__class__` too, so zero-argument `super()` works);
- for each name of `extra_cells` (`ag__`, `ag__ctx`, ...), a new cell holding the value, or
  the value itself when it already is a cell.

The function shares the original's module globals (so `global` statements work, and no
generated name lands in the user's module). A method that uses private names (`self.__x`,
compiled as `self._Cls__x`) is printed inside `class Cls:` so that they are mangled the same.

The generated text is registered in `linecache` under a unique file name
`<autograph:BASENAME:QUALNAME:N>` (so `inspect.getsource`, `traceback` and `pdb` can show
it), and its source map (generated line -> the user's OriginInfo) in `SOURCE_MAPS`. Both
entries go away when the code object is garbage collected.
"""

from __future__ import annotations
import __future__

import ast
import itertools
import linecache
import os
import types
import weakref
from typing import NamedTuple

import gast

from autograph import errors
from autograph.pyct import anno, unparser

__all__ = ["LoadedFunction", "SOURCE_MAPS", "load_function", "source_map_of"]

SOURCE_MAPS: dict = {}  # generated file name -> {generated line: OriginInfo}

_counter = itertools.count(1)
_FACTORY = "ag__factory"
_ORIGIN = anno.Basic.ORIGIN
_ANNO_FIELD = getattr(anno, "FIELD", "___pyct_anno")
_FUTURE_MASK = 0
for _name in __future__.all_feature_names:
    _FUTURE_MASK |= getattr(__future__, _name).compiler_flag
_FUNCTION_NODES = (gast.FunctionDef, gast.AsyncFunctionDef, ast.FunctionDef,
                   ast.AsyncFunctionDef)
_LAMBDA_NODES = (gast.Lambda, ast.Lambda)
_CONTAINERS = ("body", "orelse", "finalbody", "handlers", "cases")


class LoadedFunction(NamedTuple):
    """What load_function produced.

    fn: the loaded function.
    source: the generated source of just the function (not indented, no factory).
    filename: the file name it was compiled under (registered in linecache, SOURCE_MAPS).
    source_map: {generated line: OriginInfo} for the lines of the function.
    line_of: {id(statement node): line in the generated file} for every statement of the
        tree that was loaded (also `except` handlers and `case` clauses).
    module_source: the whole generated file, as compiled (factory included).
    """

    fn: types.FunctionType
    source: str
    filename: str
    source_map: dict
    line_of: dict
    module_source: str


def source_map_of(filename):
    """The source map of a generated file name, or None."""
    return SOURCE_MAPS.get(filename)


def _forget(filename):
    SOURCE_MAPS.pop(filename, None)
    entry = linecache.cache.get(filename)
    if entry is not None and entry[1] is None:
        linecache.cache.pop(filename, None)


def _mangling_class(original):
    """The class whose name Python mangled private names with, if any of them is used."""
    if original is None:
        return None
    parts = original.__qualname__.split(".")
    if len(parts) < 2 or parts[-2] == "<locals>":
        return None
    cls = parts[-2]
    prefix = "_" + cls.lstrip("_") + "__"
    if prefix == "___":
        return None  # a class named only with underscores mangles nothing
    stack = [original.__code__]
    while stack:
        code = stack.pop()
        for names in (code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars):
            for n in names:
                if n.startswith(prefix):
                    return cls
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return None


def _find_code(code, name):
    stack = [code]
    while stack:
        c = stack.pop()
        for const in c.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == name and c.co_name == _FACTORY:
                    return const
                stack.append(const)
    raise errors.ConversionError(f"internal error: no code object for `{name}` in the "
                                 "generated module")


def _source_map(node, line_of, origins, total_lines, first_line):
    """{generated line: OriginInfo}: each statement's origin (its own, else the enclosing
    statement's), carried forward over the lines that start no statement."""
    entries = {}
    root = origins.get(id(node)) if origins else None
    if root is None:
        root = anno.getanno(node, _ORIGIN, None)
    if root is not None:
        entries[first_line] = root
    stack = [(node, root)]
    field = _ANNO_FIELD
    while stack:
        n, inherited = stack.pop()
        for container in _CONTAINERS:
            items = n.__dict__.get(container)
            if items.__class__ is not list:
                continue
            for s in items:
                annos = s.__dict__.get(field)
                origin = annos.get(_ORIGIN) if annos else None
                if origins:
                    origin = origins.get(id(s), origin)
                if origin is None:
                    origin = inherited
                line = line_of.get(id(s))
                if line is not None and origin is not None:
                    entries[line] = origin
                stack.append((s, origin))
    smap = {}
    current = None
    for line in range(first_line, total_lines + 1):
        current = entries.get(line, current)
        if current is not None:
            smap[line] = current
    return smap


def _basename(original, filename_hint):
    path = filename_hint or (original.__code__.co_filename if original is not None else "")
    base = os.path.basename(path) or path or "generated"
    return base.replace(":", "_").replace(">", "_").replace("<", "_")


def _literal_node(source):
    module = ast.parse(source)
    if len(module.body) != 1:
        raise ValueError("load_function expects the source of exactly one function")
    return module.body[0]


def load_function(fn_node_or_source, original=None, extra_cells=None, name=None,
                  filename_hint=None, origins=None, *, globals_=None, class_name=None):
    """Compiles a generated function and binds it to the original's cells and globals.

    Args:
      fn_node_or_source: a gast (or ast) FunctionDef / Lambda, or the source of one function.
      original: the user's function (types.FunctionType) this one replaces, or None for a
        standalone generated function.
      extra_cells: {free variable name: value or types.CellType} for names the generated
        code reads from its closure (e.g. `ag__`, `ag__ctx`; with `original=None`, the
        user's own cells by name).
      name: the function's `__name__` (default: the original's, else the def's).
      filename_hint: the user's file name (its base name goes into the generated name).
      origins: extra origins: with a node, {id(statement): OriginInfo} (overriding the
        ORIGIN annotations); with source text, {line of that text: OriginInfo}.
      globals_: the module globals when `original` is None (required then).
      class_name: print the function inside `class <class_name>:` (private-name mangling);
        found automatically from `original`.

    Returns a LoadedFunction.
    """
    extra_cells = extra_cells or {}
    if original is not None:
        globals_ = original.__globals__
        orig_code = original.__code__
        orig_free = orig_code.co_freevars
    elif globals_ is None:
        raise ValueError("load_function: pass `globals_` when there is no original function")
    else:
        orig_code = None
        orig_free = ()
    clash = [k for k in extra_cells if k in orig_free]
    if clash:
        raise errors.ConversionError(
            f"the function uses the name(s) {', '.join(clash)} as free variables, which are "
            "reserved for autograph's generated code; rename them.")

    if isinstance(fn_node_or_source, str):
        node = _literal_node(fn_node_or_source)
        text_origins = origins or {}
        origins = None
    else:
        node = fn_node_or_source
        text_origins = None
    is_lambda = isinstance(node, _LAMBDA_NODES)
    if not is_lambda and not isinstance(node, _FUNCTION_NODES):
        raise TypeError(f"load_function expects a function definition or a lambda, got "
                        f"{type(node).__name__}")
    fn_name = "<lambda>" if is_lambda else node.name
    if name is None:
        name = original.__name__ if original is not None else fn_name
    qualname = original.__qualname__ if original is not None else name
    if class_name is None:
        class_name = _mangling_class(original)

    params = list(orig_free) + [k for k in extra_cells if k not in orig_free]
    header = f"def {_FACTORY}({', '.join(params)}):\n"
    depth = 1
    if class_name:
        header = f"class {class_name}:\n    " + header
        depth = 2
    if not is_lambda and fn_name not in params:
        # The def must not bind its name in the factory: the function's own references to
        # its name (recursion) mean the module global, as in the original.
        header += "    " * depth + f"global {fn_name}\n"
    first_line = header.count("\n") + 1

    if is_lambda:
        expr, _ = unparser.unparse(node)
        body = "    " * depth + "return " + expr
        plain = expr
        line_of = {}
    else:
        body, line_of, _, plain = unparser.unparse_with_lines(node, depth, first_line, True)
    total_lines = header.count("\n") + body.count("\n") + 1
    if not is_lambda:  # after the function: its line numbers do not move
        body += "\n" + "    " * depth + f"return {fn_name}"
    module_source = header + body + "\n"

    filename = f"<autograph:{_basename(original, filename_hint)}:{qualname}:{next(_counter)}>"
    flags = orig_code.co_flags & _FUTURE_MASK if orig_code is not None else 0
    try:
        module_code = compile(module_source, filename, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as e:
        raise errors.ConversionError(
            f"internal error: the generated code of `{qualname}` does not compile ({e.msg}, "
            f"line {e.lineno}):\n{module_source}") from e
    code = _find_code(module_code, fn_name)
    if hasattr(code, "co_qualname"):
        code = code.replace(co_qualname=qualname)

    closure = []
    for free in code.co_freevars:
        if free in orig_free:
            closure.append(original.__closure__[orig_free.index(free)])
        else:
            value = extra_cells[free]
            closure.append(value if isinstance(value, types.CellType) else types.CellType(value))
    closure = tuple(closure) or None

    if original is not None:
        fn = types.FunctionType(code, globals_, name, original.__defaults__, closure)
        fn.__kwdefaults__ = original.__kwdefaults__
        fn.__annotations__ = original.__annotations__
        fn.__doc__ = original.__doc__
        fn.__module__ = original.__module__
        fn.__qualname__ = original.__qualname__
        if original.__dict__:
            fn.__dict__.update({k: v for k, v in original.__dict__.items()
                                if not k.startswith("__ag_")})
    else:
        defaults = kwdefaults = None
        annotations = {}
        args = node.args
        if args.defaults or any(d is not None for d in args.kw_defaults) or _annotated(node):
            # Evaluate defaults and annotations as Python would: run the factory once.
            # On a copy of the globals: the factory's `global` def must not touch them.
            factory = types.FunctionType(_find_factory(module_code), dict(globals_))
            values = [_cell_value(extra_cells[p]) for p in params]
            made = factory(*values)
            defaults, kwdefaults = made.__defaults__, made.__kwdefaults__
            annotations = made.__annotations__
        fn = types.FunctionType(code, globals_, name, defaults, closure)
        fn.__kwdefaults__ = kwdefaults
        if annotations:
            fn.__annotations__ = annotations
        fn.__qualname__ = qualname
        module = globals_.get("__name__")
        if module is not None:
            fn.__module__ = module

    lines = module_source.splitlines(True)
    linecache.cache[filename] = (len(module_source), None, lines, filename)
    if text_origins is not None:
        origins = {}
        for s in ast.walk(node):
            if isinstance(s, ast.stmt) and id(s) in line_of:
                o = text_origins.get(s.lineno)
                if o is not None:
                    origins[id(s)] = o
    smap = _source_map(node, line_of, origins, total_lines, first_line)
    SOURCE_MAPS[filename] = smap
    weakref.finalize(code, _forget, filename)
    return LoadedFunction(fn, plain if plain.endswith("\n") else plain + "\n", filename, smap,
                          line_of, module_source)


def _find_factory(module_code):
    stack = [module_code]
    while stack:
        c = stack.pop()
        for const in c.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name == _FACTORY:
                    return const
                stack.append(const)
    raise errors.ConversionError("internal error: no factory in the generated module")


def _cell_value(value):
    if isinstance(value, types.CellType):
        try:
            return value.cell_contents
        except ValueError:
            return None
    return value


def _annotated(node):
    if isinstance(node, _LAMBDA_NODES):
        return False
    if node.returns is not None:
        return True
    args = node.args
    for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
        if a is not None and getattr(a, "annotation", None) is not None:
            return True
    return False
