"""Where converted code came from: the user's file, line, column and source text.

`resolve` annotates every node of a freshly parsed entity (see parser.parse_entity) with an
OriginInfo under `anno.Basic.ORIGIN`; the loader turns these annotations into the source map of
the generated code (generated line -> OriginInfo), which errors.py uses to show the user's own
file, line and text in tracebacks and staging errors.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

import gast

from autograph.pyct import anno

__all__ = ["OriginInfo", "resolve", "origin_of"]


class OriginInfo(NamedTuple):
    """A location in the user's code (lineno 1-based, col_offset 0-based)."""

    filename: str
    lineno: int
    col_offset: int
    function_name: str
    source_line: str

    def __str__(self):
        return f"{self.filename}:{self.lineno}"

    def location(self) -> str:
        """`file:line:col` with a 1-based column, as compilers print it."""
        return f"{self.filename}:{self.lineno}:{self.col_offset + 1}"


_ORIGIN = anno.Basic.ORIGIN
_FIELD = getattr(anno, "FIELD", None)  # anno's storage attribute: written directly (fast path)
_AST = ast.AST
_new = tuple.__new__
_RESOLVED = "___ag_origin_resolved"  # parser.ast_to_gast marks the roots it annotated
_SCOPES = frozenset((gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, ast.FunctionDef,
                     ast.AsyncFunctionDef, ast.Lambda))


def resolve(node, source: str, info, function_name: str | None = None) -> None:
    """Annotates every node under `node` that has a `lineno` with its OriginInfo.

    `node` was parsed from `source` (line 1 of `source` is line `info.lineno` of
    `info.filename`, and `source` is dedented by `info.col_offset` columns); `info` is a
    parser.SourceInfo. Existing ORIGIN annotations are overwritten.

    parser.parse_entity already annotates the tree it returns (in the same walk that builds
    it); resolving that tree again with its own SourceInfo is then free.
    """
    marker = node.__dict__.get(_RESOLVED)
    if marker is not None and marker == (info.filename, info.lineno, info.name) and (
            function_name is None or function_name == info.name):
        return
    lines = info.source_lines if getattr(info, "source_lines", None) else source.splitlines()
    filename = info.filename
    line_shift = info.lineno - 1
    col_shift = info.col_offset
    name = function_name or info.name
    stripped: dict = {}
    cache: dict = {}
    nlines = len(lines)
    stack = [(node, name)]
    pop = stack.pop
    push = stack.append
    ast_type = _AST
    scopes = _SCOPES
    while stack:
        n, fname = pop()
        d = n.__dict__
        lineno = d.get("lineno")
        if lineno is not None:
            col = d.get("col_offset") or 0
            key = (lineno, col, fname)
            proto = cache.get(key)
            if proto is None:
                text = stripped.get(lineno)
                if text is None:
                    text = lines[lineno - 1].strip() if 0 < lineno <= nlines else ""
                    stripped[lineno] = text
                # {key: origin}, copied per node: dict.copy() does not hash the enum key
                # again (a Python-level __hash__ call).
                proto = cache[key] = {_ORIGIN: _new(
                    OriginInfo, (filename, lineno + line_shift, col + col_shift, fname, text))}
            if _FIELD is None:
                anno.setanno(n, _ORIGIN, proto[_ORIGIN])
            else:
                annos = d.get(_FIELD)
                if annos is None:
                    d[_FIELD] = proto.copy()
                else:
                    annos.update(proto)
        cls = n.__class__
        if cls in scopes and n is not node:
            fname = d.get("name", "<lambda>")
        for field in cls._fields:
            v = d.get(field)
            if v.__class__ is list:
                for x in v:
                    if isinstance(x, ast_type):
                        push((x, fname))
            elif isinstance(v, ast_type):
                push((v, fname))


def origin_of(node, default=None):
    """The OriginInfo of `node`, or `default`."""
    return anno.getanno(node, _ORIGIN, default)


def attribute_to(stmts, node, location=False):
    """Makes the statements generated for `node` report its user line in tracebacks and
    errors: each gets `node`'s OriginInfo (unless it has its own) and, with `location`, its
    position. Returns `stmts`."""
    origin = anno.getanno(node, _ORIGIN, None)
    for stmt in stmts:
        if location:
            gast.copy_location(stmt, node)
        if origin is not None and not anno.hasanno(stmt, _ORIGIN):
            anno.setanno(stmt, _ORIGIN, origin)
    return stmts
