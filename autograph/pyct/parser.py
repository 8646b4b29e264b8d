"""Parsing Python entities (functions, methods, lambdas) and strings into gast.

`parse_entity(f)` finds the source of a function from its code object (file, first line and,
on Python 3.11+, the instructions' positions), parses just that function, and returns a gast
tree whose line numbers are relative to the function's dedented source, together with a
SourceInfo that maps them back to the user's file.

Speed: the `ast` tree that `ast.parse` builds in C is turned into a gast tree *in place*
(each node's class is swapped for its gast twin and the few differing fields are fixed up),
which is 3-4x faster than `gast.ast_to_gast` and gives the same tree (equal under
`gast.dump(..., include_attributes=True)`). For entities, the same walk also sets every
node's ORIGIN annotation (origin_info.resolve is then free).
"""

from __future__ import annotations

import ast
import inspect
import linecache
import os
import sys
import textwrap
import types
from typing import NamedTuple

import gast

from autograph import errors

__all__ = ["SourceInfo", "parse_entity", "parse_str", "parse_expression", "ast_to_gast"]

_PY311 = sys.version_info >= (3, 11)


class SourceInfo(NamedTuple):
    """Where a parsed entity lives.

    filename: the file of the entity's code object.
    lineno: 1-based line in that file of line 1 of the parsed source (the `def` line, after
        any decorators; for a lambda, the line where the lambda starts).
    col_offset: how many columns the source was dedented by (the indentation of that line).
    name: the code object's name (`<lambda>` for lambdas).
    qualname: the code object's qualified name.
    source_lines: the lines of the dedented source (without line ends).
    decorators: the source text of the decorators that were stripped (already applied).
    """

    filename: str
    lineno: int
    col_offset: int
    name: str
    qualname: str
    source_lines: tuple
    decorators: tuple = ()


# In-place ast -> gast ---------------------------------------------------------------------

def _gast_twin(cls):
    name = cls.__name__
    if name == "TypeIgnore":
        name = "type_ignore"
    return getattr(gast, name, None)


_AST_CLASSES = [c for c in vars(ast).values()
                if isinstance(c, type) and issubclass(c, ast.AST) and c.__module__ == "ast"]
_TWIN = {}
for _c in _AST_CLASSES:
    _t = _gast_twin(_c)
    if _t is not None and _c is not ast.arg:
        _TWIN[_c] = _t
_TWIN[ast.arg] = gast.Name

# ctx, operators: ast.parse shares one instance per class; gast wants one node per use.
_LEAF = {c: _TWIN[c] for c in _TWIN
         if issubclass(c, (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop))}

_SCALAR_FIELDS = frozenset({
    "id", "attr", "arg", "module", "level", "is_async", "simple", "conversion", "kind",
    "type_comment", "rest", "kwd_attrs", "tag", "asname",
})
_TYPE_ALIAS = getattr(ast, "TypeAlias", None)


def _child_fields(cls):
    out = []
    for f in cls._fields:
        if f in _SCALAR_FIELDS:
            continue
        if f == "name" and cls is not _TYPE_ALIAS:
            continue
        if f == "names" and cls not in (ast.Import, ast.ImportFrom):
            continue
        if f == "value" and cls in (ast.Constant, ast.MatchSingleton):
            continue
        out.append(f)
    return tuple(out)


_HAS_TYPE_PARAMS = "type_params" in ast.FunctionDef._fields
_new_leaf = ast.AST.__new__
_LEAF_FIELDS = ("ctx", "op")  # always a shared ctx/operator singleton in ast.parse output

# Node kinds that need more than a class swap.
_PLAIN, _NAME, _ARG, _HANDLER, _DEF, _STRING, _COMPARE = range(7)


def _kind(cls):
    if cls is ast.Name:
        return _NAME
    if cls is ast.arg:
        return _ARG
    if cls is ast.ExceptHandler:
        return _HANDLER
    if cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) and not _HAS_TYPE_PARAMS:
        return _DEF
    if cls in (ast.Constant, ast.JoinedStr):
        return _STRING
    if cls is ast.Compare:
        return _COMPARE
    return _PLAIN


def _info(cls):
    children = tuple(f for f in _child_fields(cls) if f not in _LEAF_FIELDS and f != "ops")
    leaves = tuple(f for f in _LEAF_FIELDS if f in cls._fields)
    return (_TWIN[cls], children, leaves, _kind(cls), "lineno" in cls._attributes)


_INFO = {c: _info(c) for c in _TWIN if c not in _LEAF}


def ast_to_gast(root, line_shift=0, col_shift=0, strings=None, origin=None):
    """Turns the `ast` tree `root` into a gast tree, in place; returns the new root.

    The tree must come straight from `ast.parse` (it is consumed). `line_shift` is added to
    every line number and `col_shift` subtracted from every column (clamped at 0). When
    `strings` is a list, the (first, last) lines of every string literal that spans several
    lines are appended to it (after shifting).

    `origin`, when given, is (filename, first_line, name, file_lines): every node with a
    position also gets its origin_info.OriginInfo under anno.Basic.ORIGIN, as
    origin_info.resolve would give it (line 1 after shifting is `first_line` of
    `filename`, columns move back by `col_shift`; `name` is the function's name, nested
    functions get theirs). Doing it here saves a second walk over the tree.
    """
    shift = bool(line_shift or col_shift)
    infos = _INFO
    leaf = _LEAF
    new_leaf = _new_leaf
    gname, gparam, gstore = gast.Name, gast.Param, gast.Store
    root_cls = root.__class__
    if root_cls in leaf:
        return new_leaf(leaf[root_cls])
    if origin is not None:
        filename, first_line, fname, file_lines = origin
        line_add = first_line - 1
        nfile = len(file_lines)
        origin_key = _ORIGIN_KEY
        anno_field = _ANNO_FIELD
        origins = {}
        texts = {}
        scopes = _SCOPE_NODES
        make = tuple.__new__
        origin_cls = _origin_cls()
    else:
        fname = None
    stack = [(root, fname)]
    pop = stack.pop
    push = stack.append
    while stack:
        node, fname = pop()
        cls = node.__class__
        d = node.__dict__
        try:
            g, children, leaves, kind, positioned = infos[cls]
        except KeyError:
            raise TypeError(f"cannot convert {cls.__name__} nodes to gast") from None
        node.__class__ = g
        if positioned:
            if shift:
                d["lineno"] += line_shift
                end = d["end_lineno"]
                if end is not None:
                    d["end_lineno"] = end + line_shift
                if col_shift:
                    c = d["col_offset"] - col_shift
                    d["col_offset"] = c if c > 0 else 0
                    c = d["end_col_offset"]
                    if c is not None:
                        c -= col_shift
                        d["end_col_offset"] = c if c > 0 else 0
            if fname is not None:
                line = d["lineno"]
                col = d["col_offset"]
                key = (line, col, fname)
                proto = origins.get(key)
                if proto is None:
                    file_line = line + line_add
                    text = texts.get(file_line)
                    if text is None:
                        text = texts[file_line] = (file_lines[file_line - 1].strip()
                                                   if 0 < file_line <= nfile else "")
                    # One annotation dict per origin, copied per node: dict.copy() does not
                    # hash the (enum) key again, which costs a Python-level call each time.
                    proto = origins[key] = {origin_key: make(
                        origin_cls, (filename, file_line, col + col_shift, fname, text))}
                d[anno_field] = proto.copy()
                if cls in scopes and node is not root:
                    fname = d.get("name", "<lambda>")
        for field in leaves:
            d[field] = new_leaf(leaf[d[field].__class__])
        if kind:
            if kind == _NAME:
                d["annotation"] = None
                d["type_comment"] = None
            elif kind == _COMPARE:
                d["ops"] = [new_leaf(leaf[op.__class__]) for op in d["ops"]]
            elif kind == _ARG:
                d["id"] = d.pop("arg")
                d["ctx"] = new_leaf(gparam)
            elif kind == _STRING:
                if strings is not None and d["end_lineno"] != d["lineno"]:
                    strings.append((d["lineno"], d["end_lineno"]))
            elif kind == _HANDLER:
                name = d["name"]
                if name is not None:
                    d["name"] = gname(name, new_leaf(gstore), None, None)
            elif kind == _DEF:
                d["type_params"] = []
        for field in children:
            v = d[field]
            if v is None:
                continue
            if v.__class__ is list:
                for x in v:
                    if x is not None:
                        push((x, fname))
            else:
                push((v, fname))
    if origin is not None:
        root.__dict__[_RESOLVED] = origin[0:3]
    return root


_SCOPE_NODES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
_RESOLVED = "___ag_origin_resolved"  # set on a root annotated while parsing


def _origin_cls():
    from autograph.pyct import origin_info

    return origin_info.OriginInfo


def _anno_names():
    from autograph.pyct import anno

    return anno.Basic.ORIGIN, getattr(anno, "FIELD", "___pyct_anno")


_ORIGIN_KEY, _ANNO_FIELD = _anno_names()


# Strings ----------------------------------------------------------------------------------

def parse_str(src: str) -> gast.Module:
    """Parses `src` (dedented first if its first line is indented) into a gast.Module."""
    stripped = src.lstrip("\n")
    if stripped[:1] in (" ", "\t"):
        src = textwrap.dedent(src)
    return ast_to_gast(ast.parse(src))


def parse_expression(src: str):
    """Parses a single Python expression into a gast expression node."""
    src = src.strip()
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as e:
        raise ValueError(f"expected a single expression, got {src!r}: {e}") from None
    return ast_to_gast(tree.body)


# Entities ---------------------------------------------------------------------------------

_REPL_FILES = ("<stdin>", "<console>", "<input>", "<pyshell", "<python-input")


def _unwrap(entity):
    """The plain function behind a method, classmethod or staticmethod."""
    if isinstance(entity, (types.MethodType, classmethod, staticmethod)):
        return _unwrap(entity.__func__)
    return entity


def _display_name(obj):
    return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)


def _not_a_function_error(fn):
    name = _display_name(fn)
    if isinstance(fn, (types.BuiltinFunctionType, types.BuiltinMethodType,
                       types.MethodWrapperType, types.WrapperDescriptorType,
                       types.MethodDescriptorType, types.ClassMethodDescriptorType)):
        return errors.SourceUnavailableError(
            f"`{name}` is a built-in function implemented in C; it has no Python source to "
            "convert.")
    if inspect.isclass(fn):
        return errors.SourceUnavailableError(
            f"`{name}` is a class, not a function; convert its methods instead.")
    if callable(fn) and not hasattr(fn, "__code__"):
        return errors.SourceUnavailableError(
            f"`{name}` ({type(fn).__name__}) is not a Python function, so it has no source to "
            "convert; convert the Python function it wraps instead.")
    return errors.SourceUnavailableError(f"`{name}` is not a Python function.")


def _missing_source_error(fn, code):
    filename = code.co_filename
    name = _display_name(fn)
    where = dict(filename=filename, lineno=code.co_firstlineno, col_offset=None)
    if filename.startswith("<") and filename.endswith(">"):
        if filename.startswith(_REPL_FILES):
            return errors.SourceUnavailableError(
                f"`{name}` was defined in the interactive interpreter ({filename}), which does "
                "not keep the source of what you type; define it in a file (a module or a "
                "script) to convert it.", **where)
        if filename.startswith("<frozen"):
            return errors.SourceUnavailableError(
                f"`{name}` comes from a frozen module ({filename}) that has no source file.",
                **where)
        return errors.SourceUnavailableError(
            f"`{name}` was created by exec() or eval() (its file name is {filename!r}), so "
            "there is no source file to read it from; define it in a module, or register "
            "the source text with `linecache` under that file name.", **where)
    if not os.path.exists(filename):
        base, ext = os.path.splitext(filename)
        cached = ext == ".py" and (os.path.exists(base + ".pyc") or _has_pycache(filename))
        if ext == ".pyc" or cached:
            return errors.SourceUnavailableError(
                f"only the compiled bytecode (.pyc) of `{name}` is installed; its source file "
                f"{filename!r} is missing, so it cannot be converted.", **where)
        return errors.SourceUnavailableError(
            f"the source file of `{name}` no longer exists ({filename!r}).", **where)
    return errors.SourceUnavailableError(
        f"could not read the source of `{name}` from {filename!r}.", **where)


def _has_pycache(filename):
    directory, base = os.path.split(filename)
    cache = os.path.join(directory, "__pycache__")
    stem = os.path.splitext(base)[0] + "."
    try:
        return any(f.startswith(stem) and f.endswith(".pyc") for f in os.listdir(cache))
    except OSError:
        return False


def _mismatch_error(fn, code, detail=""):
    name = _display_name(fn)
    return errors.SourceUnavailableError(
        f"the source of `{name}` in {code.co_filename!r} at line {code.co_firstlineno} does "
        f"not match the running code{detail}; was the file edited after it was imported? "
        "Restart the program (or reload the module) to convert it.",
        filename=code.co_filename, lineno=code.co_firstlineno)


def _source_lines(fn, code):
    lines = linecache.getlines(code.co_filename, getattr(fn, "__globals__", None))
    if not lines:
        raise _missing_source_error(fn, code)
    return lines


def _indentation(line):
    return line[:len(line) - len(line.lstrip(" \t\f"))]


def _last_line(code):
    """The last source line that the code object's instructions cover."""
    last = code.co_firstlineno
    if _PY311:
        for pos in code.co_positions():
            end = pos[1]
            if end is not None and end > last:
                last = end
    else:
        for _, _, line in code.co_lines():
            if line is not None and line > last:
                last = line
    return last


def _block_end(lines, last, indent_len):
    """Extends line `last` (1-based) over the more-indented lines that follow it."""
    end = last
    i, n = last, len(lines)
    while i < n:
        line = lines[i]
        s = line.lstrip(" \t\f")
        if not s or s[0] in "\n\r#":
            i += 1
            continue
        if len(line) - len(s) <= indent_len:
            break
        i += 1
        end = i
    return end


def _def_end(lines, start, indent_len):
    """Guesses the last line of the def starting (decorators included) at line `start`
    from indentation alone: the header (decorators, `def`, closing brackets at the margin),
    then every more-indented line. A wrong guess fails to parse (an unterminated string or
    bracket), and the caller falls back to a slower method."""
    i, n = start - 1, len(lines)
    end = start
    seen_def = False
    while i < n:
        line = lines[i]
        s = line.lstrip(" \t\f")
        if not s or s[0] in "\n\r#":
            i += 1
            continue
        if len(line) - len(s) <= indent_len:
            c = s[0]
            if seen_def:
                if c not in ")]}":
                    break
            elif s.startswith(("def ", "def\t", "async ")):
                seen_def = True
            elif c not in "@)]}":
                break
        i += 1
        end = i
    return end


def _parse_chunk(chunk_lines, indent):
    """Parses lines that start at indentation `indent`; returns (module, prefix_lines)."""
    text = "".join(chunk_lines)
    if indent:
        return ast.parse("if 1:\n" + text), 1
    return ast.parse(text), 0


def _dedent(lines, indent, strings, first_line):
    """The source text of `lines` dedented by `indent`, except the lines inside multi-line
    strings (kept verbatim, so that string values do not change)."""
    n = len(indent)
    if not n:
        out = "".join(lines)
        return out if out.endswith("\n") else out + "\n"
    keep = set()
    for start, end in strings:
        keep.update(range(start + 1 - first_line, end + 1 - first_line))
    out = []
    for i, line in enumerate(lines):
        if i in keep:
            out.append(line)
        elif line.startswith(indent):
            out.append(line[n:])
        elif not line.strip():
            out.append("\n")
        else:
            out.append(line)
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


def parse_entity(entity):
    """Parses a Python function, method, nested function or lambda.

    Returns (node, source, info): `node` is a gast.FunctionDef (or AsyncFunctionDef) with no
    decorators, or a gast.Lambda; `source` is the dedented source of just that function (for
    a lambda: of the lines that hold it); `info` is a SourceInfo. Line 1 / column 0 of `node`
    positions is line `info.lineno` / column `info.col_offset` of `info.filename`.

    Raises errors.SourceUnavailableError, saying why, when there is no usable source.
    """
    fn = _unwrap(entity)
    if not isinstance(fn, types.FunctionType):
        raise _not_a_function_error(fn)
    code = fn.__code__
    lines = _source_lines(fn, code)
    if code.co_firstlineno > len(lines):
        raise _mismatch_error(fn, code, " (the file is shorter than that)")
    if code.co_name == "<lambda>":
        return _parse_lambda(fn, code, lines)
    return _parse_def(fn, code, lines)


def _qualname(fn, code):
    return getattr(code, "co_qualname", None) or fn.__qualname__


def _def_node(module, prefix):
    node = (module.body[0].body if prefix else module.body)[0]
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _parse_def(fn, code, lines):
    start = code.co_firstlineno
    indent = _indentation(lines[start - 1])
    node = None
    # 1. The block from indentation alone (cheap, almost always right); 2. up to the last
    # line the instructions cover, then the more-indented lines; 3. the tokenizer.
    for attempt in (1, 2, 3):
        try:
            if attempt == 1:
                end = _def_end(lines, start, len(indent))
                chunk = lines[start - 1:end]
            elif attempt == 2:
                end = _block_end(lines, _last_line(code), len(indent))
                chunk = lines[start - 1:end]
            else:
                chunk = inspect.getblock(lines[start - 1:])
                end = start - 1 + len(chunk)
            module, prefix = _parse_chunk(chunk, indent)
            node = _def_node(module, prefix)
        except (SyntaxError, IndexError, ValueError) as e:
            if attempt == 3:
                detail = f" (it does not parse: {e.msg})" if isinstance(e, SyntaxError) else ""
                raise _mismatch_error(fn, code, detail) from None
            continue
        if node is not None:
            break
    if node is None or node.name != code.co_name:
        found = getattr(node, "name", None) or "something else"
        raise _mismatch_error(fn, code, f" (found `{found}` there, expected `{code.co_name}`)")

    text_def_line = node.lineno  # in the parsed text
    def_index = text_def_line - 1 - prefix  # index of the def line in lines[start - 1:]
    decorators = ()
    if node.decorator_list:
        text = ("if 1:\n" if prefix else "") + "".join(lines[start - 1:end])
        decorators = tuple(ast.get_source_segment(text, d) or "" for d in node.decorator_list)
        node.decorator_list = []
    strings = []
    first = start + def_index
    ast_to_gast(node, 1 - text_def_line, len(indent), strings,
                (code.co_filename, first, code.co_name, lines))
    source = _dedent(lines[first - 1:end], indent, strings, 1)
    info = SourceInfo(code.co_filename, first, len(indent), code.co_name, _qualname(fn, code),
                      tuple(source.splitlines()), decorators)
    return node, source, info


# Lambdas ----------------------------------------------------------------------------------

def _instruction_spans(code):
    """(line, col, end_line, end_col) of the code's instructions (Python 3.11+)."""
    if not _PY311:
        return []
    spans = []
    for line, end_line, col, end_col in code.co_positions():
        if line is None or col is None or end_line is None or end_col is None:
            continue
        if line == end_line and col == end_col:
            continue  # RESUME and friends: no real span
        spans.append((line, col, end_line, end_col))
    return spans


def _lambda_signature(args):
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    if args.vararg is not None:
        names.append(args.vararg.arg)
    if args.kwarg is not None:
        names.append(args.kwarg.arg)
    return tuple(names)


def _code_signature(code):
    n = code.co_argcount + code.co_kwonlyargcount
    n += bool(code.co_flags & inspect.CO_VARARGS) + bool(code.co_flags & inspect.CO_VARKEYWORDS)
    return tuple(code.co_varnames[:n])


class _Candidate:
    __slots__ = ("node", "span", "body", "signature", "line_delta")

    def __init__(self, node, line_delta):
        # line_delta: add to the node's line numbers to get file lines.
        self.node = node
        self.line_delta = line_delta
        self.span = (node.lineno + line_delta, node.col_offset,
                     node.end_lineno + line_delta, node.end_col_offset)
        b = node.body
        self.body = (b.lineno + line_delta, b.col_offset, b.end_lineno + line_delta,
                     b.end_col_offset)
        self.signature = _lambda_signature(node.args)


def _contains(outer, span):
    return ((outer[0], outer[1]) <= (span[0], span[1])
            and (span[2], span[3]) <= (outer[2], outer[3]))


def _identifiers_fit(cand, code):
    known = set(code.co_names) | set(code.co_varnames) | set(code.co_freevars)
    known |= set(code.co_cellvars)
    for n in ast.walk(cand.node.body):
        if isinstance(n, ast.Name) and n.id not in known:
            return False
        if isinstance(n, ast.Attribute) and n.attr not in known:
            return False
        if isinstance(n, ast.Lambda):
            return True  # nested code objects: names live in other co_names
    return True


_LOADS = {"LOAD_GLOBAL", "LOAD_DEREF", "LOAD_FAST", "LOAD_NAME", "LOAD_CLASSDEREF",
          "LOAD_FAST_CHECK", "LOAD_FROM_DICT_OR_DEREF", "LOAD_FROM_DICT_OR_GLOBALS"}
_STORES = {"STORE_GLOBAL", "STORE_DEREF", "STORE_FAST", "STORE_NAME"}


def _shape(code):
    """The code's opcodes, with the kind of variable access erased (a lambda compiled on its
    own reads its free variables as globals)."""
    import dis

    out = []
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op in _LOADS:
            op = "LOAD"
        elif op in _STORES:
            op = "STORE"
        elif op in ("RESUME", "COPY_FREE_VARS", "MAKE_CELL", "NOP"):
            continue
        out.append((op, ins.argval if op == "LOAD_CONST" else None))
    return out


def _bytecode_fits(cand, code):
    """Whether the candidate, compiled on its own, gives the same instructions (Python 3.10,
    where code objects have no column positions)."""
    try:
        compiled = compile(ast.Expression(cand.node), "<lambda>", "eval")
    except (SyntaxError, ValueError, TypeError):
        return True
    inner = next((c for c in compiled.co_consts if isinstance(c, types.CodeType)), None)
    return inner is not None and _shape(inner) == _shape(code)


def _select_lambda(fn, code, candidates, spans):
    if len(candidates) > 1 and spans:
        fits = [c for c in candidates if all(_contains(c.body, s) for s in spans)]
        if fits:
            # Nested lambdas: the innermost body that holds every instruction.
            fits.sort(key=lambda c: (c.body[0], c.body[1]), reverse=True)
            return fits[0]
    signature = _code_signature(code)
    fits = [c for c in candidates if c.signature == signature] or candidates
    if len(fits) > 1:
        fits = [c for c in fits if _identifiers_fit(c, code)] or fits
    if len(fits) > 1:
        fits = [c for c in fits if _bytecode_fits(c, code)] or fits
    if len(fits) == 1:
        return fits[0]
    if not fits:
        raise _mismatch_error(fn, code, " (no lambda found on that line)")
    raise errors.SourceUnavailableError(
        f"cannot tell which of the {len(fits)} lambdas on line {code.co_firstlineno} of "
        f"{code.co_filename!r} is `{_display_name(fn)}`; give it a name with `def`, or put it "
        "on its own line.", filename=code.co_filename, lineno=code.co_firstlineno)


def _lambdas_at(tree, line, line_delta):
    return [_Candidate(n, line_delta) for n in ast.walk(tree)
            if isinstance(n, ast.Lambda) and n.lineno + line_delta == line]


_FILE_LAMBDAS: dict = {}  # filename -> (lines list, {line: [ast.Lambda]}): whole-file fallback


def _parse_lambda(fn, code, lines):
    start = code.co_firstlineno
    spans = _instruction_spans(code)
    last = max([start] + [s[2] for s in spans]) if spans else _last_line(code)
    indent = _indentation(lines[start - 1])
    candidates = []
    try:
        module, prefix = _parse_chunk(lines[start - 1:last], indent)
        candidates = _lambdas_at(module, start, start - 1 - prefix)
    except SyntaxError:
        pass
    if not candidates:
        # The lambda sits inside a statement that starts on an earlier line, or ends on a
        # later one: parse the whole file (once per file).
        cached = _FILE_LAMBDAS.get(code.co_filename)
        if cached is None or cached[0] is not lines:
            try:
                module = ast.parse("".join(lines))
            except SyntaxError as e:
                raise _mismatch_error(fn, code, f" (the file does not parse: {e.msg})") from None
            by_line = {}
            for n in ast.walk(module):
                if isinstance(n, ast.Lambda):
                    by_line.setdefault(n.lineno, []).append(n)
            cached = _FILE_LAMBDAS[code.co_filename] = (lines, by_line)
        candidates = [_Candidate(n, 0) for n in cached[1].get(start, ())]
        if not candidates:
            raise _mismatch_error(fn, code, " (no lambda found on that line)")
        chosen = _select_lambda(fn, code, candidates, spans)
        # The cached tree must stay intact: re-parse just this lambda.
        node, end = _reparse_lambda(lines, chosen.span), chosen.span[2]
        line_shift = -1  # the lambda is on line 2 of the re-parsed text
    else:
        chosen = _select_lambda(fn, code, candidates, spans)
        node, end = chosen.node, chosen.span[2]
        line_shift = 1 - (start - chosen.line_delta)
    strings = []
    ast_to_gast(node, line_shift, len(indent), strings,
                (code.co_filename, start, code.co_name, lines))
    source = _dedent(lines[start - 1:end], indent, strings, 1)
    info = SourceInfo(code.co_filename, start, len(indent), code.co_name, _qualname(fn, code),
                      tuple(source.splitlines()), ())
    return node, source, info


def _reparse_lambda(lines, span):
    line, col, end_line, end_col = span
    first = lines[line - 1].encode("utf-8")
    if line == end_line:
        seg = [first[col:end_col].decode("utf-8")]
    else:
        seg = [first[col:].decode("utf-8").rstrip("\r\n")]
        seg.extend(x.rstrip("\r\n") for x in lines[line:end_line - 1])
        seg.append(lines[end_line - 1].encode("utf-8")[:end_col].decode("utf-8"))
    # "(\n" + padding keeps the lambda at its original line offset + 1 and column.
    text = "(\n" + " " * col + "\n".join(seg) + "\n)"
    return ast.parse(text, mode="eval").body
