"""gast (or ast) -> source text, with the line where each statement starts.

The output is exactly what the standard library's `ast.unparse` prints for the same tree
(astunparse is not used: it cannot print newer syntax such as `match`). The printer is a
subclass of `ast._Unparser` that reads gast nodes directly, without converting the tree to
`ast` first (the few places where gast and ast differ, or where the base class tests node
types with `isinstance`, are overridden), and that records, for every statement node of the
input tree, the 1-based line of the output where it starts. Newlines are counted
incrementally, once per output chunk, so the whole print stays linear in the output size.
"""

from __future__ import annotations

import ast

import gast

__all__ = ["unparse", "unparse_with_lines"]

_Precedence = ast._Precedence
_BaseUnparser = ast._Unparser

_NAME = (gast.Name, ast.Name)
_CONSTANT = (gast.Constant, ast.Constant)
_TUPLE = (gast.Tuple, ast.Tuple)
_IF = (gast.If, ast.If)
_EXPR = (gast.Expr, ast.Expr)
_DOC_OWNERS = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Module,
               ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)
_LINE_NODES = (ast.stmt, ast.excepthandler, gast.match_case, ast.match_case)
_GAST_FSTRING = (gast.JoinedStr, gast.FormattedValue)


class _Block:
    """`with self.block():` without a generator (the base class uses contextmanager)."""

    __slots__ = ("printer",)

    def __init__(self, printer):
        self.printer = printer

    def __enter__(self):
        self.printer._indent += 1

    def __exit__(self, *exc):
        self.printer._indent -= 1


class _Delimit:
    __slots__ = ("printer", "end")

    def __init__(self, printer, end):
        self.printer = printer
        self.end = end

    def __enter__(self):
        pass

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.printer._source.append(self.end)


class _Nothing:
    __slots__ = ()

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        pass


_NOTHING = _Nothing()
_TEST = _Precedence.TEST


def _arg_name(a):
    return a.arg if a.__class__ is ast.arg else a.id


class _LineUnparser(_BaseUnparser):
    """ast._Unparser over gast or ast nodes, recording statement lines."""

    def __init__(self, **kwargs):  # 3.10-3.12 pass _avoid_backslashes; 3.13 takes nothing
        super().__init__(**kwargs)
        self.lines = {}  # id(statement) -> 1-based line in the output
        self._pending = None  # the statement whose first `fill` is its own line
        self._nl = 0  # newlines in self._source[:self._scanned]
        self._scanned = 0
        self._fills = None  # indices of the chunks that start a line (when tracked)

    # Dispatch, blocks and line tracking -------------------------------------------------

    def traverse(self, node):
        dispatch = _DISPATCH
        if node.__class__ is list:
            for item in node:
                self._pending = item
                method = dispatch.get(item.__class__)
                if method is None:
                    method = _method(item.__class__)
                method(self, item)
        else:
            method = dispatch.get(node.__class__)
            if method is None:
                method = _method(node.__class__)
            method(self, node)

    def block(self, *, extra=None):
        self._source.append(":")
        if extra:
            self._source.append(extra)
        return _Block(self)

    def delimit(self, start, end):
        self._source.append(start)
        return _Delimit(self, end)

    def delimit_if(self, start, end, condition):
        if condition:
            self._source.append(start)
            return _Delimit(self, end)
        return _NOTHING

    def require_parens(self, precedence, node):
        if self._precedences.get(node, _TEST) > precedence:
            self._source.append("(")
            return _Delimit(self, ")")
        return _NOTHING

    def fill(self, text=""):
        src = self._source
        if src:
            src.append("\n")
        if self._fills is not None:
            self._fills.append(len(src))
        src.append("    " * self._indent + text)
        pending = self._pending
        if pending is not None and text != "@":
            self._pending = None
            if isinstance(pending, _LINE_NODES):
                self._nl += "".join(src[self._scanned:]).count("\n")
                self._scanned = len(src)
                self.lines[id(pending)] = self._nl + 1

    def _write_docstring_and_traverse_body(self, node):
        docstring = self.get_raw_docstring(node)
        if docstring:
            self._pending = node.body[0]
            self._write_docstring(docstring)
            self.traverse(node.body[1:])
        else:
            self.traverse(node.body)

    # gast/ast differences ----------------------------------------------------------------

    def get_raw_docstring(self, node):
        if not isinstance(node, _DOC_OWNERS) or not node.body:
            return None
        node = node.body[0]
        if not isinstance(node, _EXPR):
            return None
        node = node.value
        if isinstance(node, _CONSTANT) and isinstance(node.value, str):
            return node
        return None

    def get_type_comment(self, node):
        return None

    def visit_Module(self, node):
        self._type_ignores = {}
        self._write_docstring_and_traverse_body(node)

    def visit_AnnAssign(self, node):
        self.fill()
        with self.delimit_if("(", ")", not node.simple and isinstance(node.target, _NAME)):
            self.traverse(node.target)
        self.write(": ")
        self.traverse(node.annotation)
        if node.value:
            self.write(" = ")
            self.traverse(node.value)

    def visit_ExceptHandler(self, node):
        self._pending = node
        self.fill("except*" if getattr(self, "_in_try_star", False) else "except")
        if node.type:
            self.write(" ")
            self.traverse(node.type)
        name = node.name
        if name:
            self.write(" as ")
            self.write(name if name.__class__ is str else name.id)
        with self.block():
            self.traverse(node.body)

    def visit_If(self, node):
        self.fill("if ")
        self.traverse(node.test)
        with self.block():
            self.traverse(node.body)
        # Collapse nested ifs into elifs; each elif is its own statement (line).
        while node.orelse and len(node.orelse) == 1 and isinstance(node.orelse[0], _IF):
            node = node.orelse[0]
            self._pending = node
            self.fill("elif ")
            self.traverse(node.test)
            with self.block():
                self.traverse(node.body)
        if node.orelse:
            self.fill("else")
            with self.block():
                self.traverse(node.orelse)

    def visit_match_case(self, node):
        self._pending = node
        super().visit_match_case(node)

    def visit_JoinedStr(self, node):
        if isinstance(node, _GAST_FSTRING):
            node = gast.gast_to_ast(node)  # f-strings: rare, and printed by the base class
        super().visit_JoinedStr(node)

    def visit_FormattedValue(self, node):
        if isinstance(node, _GAST_FSTRING):
            node = gast.gast_to_ast(node)
        super().visit_FormattedValue(node)

    def visit_Attribute(self, node):
        self.set_precedence(_Precedence.ATOM, node.value)
        self.traverse(node.value)
        # `3 .real`: an int literal needs a space before the dot.
        value = node.value
        if isinstance(value, _CONSTANT) and isinstance(value.value, int):
            self.write(" ")
        self.write(".")
        self.write(node.attr)

    def visit_Subscript(self, node):
        self.set_precedence(_Precedence.ATOM, node.value)
        self.traverse(node.value)
        with self.delimit("[", "]"):
            s = node.slice
            if isinstance(s, _TUPLE) and s.elts:
                self.items_view(self.traverse, s.elts)
            else:
                self.traverse(s)

    def _write_arg(self, a):
        self.write(_arg_name(a))
        annotation = getattr(a, "annotation", None)
        if annotation:
            self.write(": ")
            self.traverse(annotation)

    def visit_arg(self, node):
        self._write_arg(node)

    def visit_arguments(self, node):
        first = True
        all_args = node.posonlyargs + node.args
        defaults = [None] * (len(all_args) - len(node.defaults)) + node.defaults
        nposonly = len(node.posonlyargs)
        for index, (a, d) in enumerate(zip(all_args, defaults, strict=False), 1):
            if first:
                first = False
            else:
                self.write(", ")
            self._write_arg(a)
            if d:
                self.write("=")
                self.traverse(d)
            if index == nposonly:
                self.write(", /")
        if node.vararg or node.kwonlyargs:
            if first:
                first = False
            else:
                self.write(", ")
            self.write("*")
            if node.vararg:
                self._write_arg(node.vararg)
        if node.kwonlyargs:
            for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=False):
                self.write(", ")
                self._write_arg(a)
                if d:
                    self.write("=")
                    self.traverse(d)
        if node.kwarg:
            if not first:
                self.write(", ")
            self.write("**")
            self._write_arg(node.kwarg)


_DISPATCH = {}


def _method(cls):
    method = getattr(_LineUnparser, "visit_" + cls.__name__, None)
    if method is None:
        method = _BaseUnparser.generic_visit
    _DISPATCH[cls] = method
    return method


def unparse_with_lines(node, indent=0, first_line=1, dedented=False):
    """Like `unparse`, with every line indented by `indent` levels (4 spaces each) and
    numbered from `first_line`.

    Returns (source, line_of, line_count, plain): `plain` is the same text without the
    `indent` levels (string literals untouched) when `dedented` is true, else None.
    """
    printer = _LineUnparser()
    printer._indent = indent
    printer._nl = first_line - 1
    if dedented and indent:
        printer._fills = []
    if isinstance(node, _LINE_NODES):
        printer._pending = node
    printer.traverse(node)
    src = printer._source
    source = "".join(src)
    plain = None
    if dedented:
        if indent:
            cut = 4 * indent
            for i in printer._fills:
                src[i] = src[i][cut:]
            plain = "".join(src)
        else:
            plain = source
    return source, printer.lines, source.count("\n") + 1, plain


def unparse(node, indent=0):
    """Prints a gast (or ast) tree as `ast.unparse` would.

    Returns (source, line_of): `line_of` maps `id(statement)` to the 1-based line of
    `source` where that statement starts, for every statement of the input tree (and for
    every `except` handler and `case` clause). An `elif` is the line of its own If node.
    Keep the tree alive while you use the ids.
    """
    source, lines, _, _ = unparse_with_lines(node, indent)
    return source, lines
