"""Code templates: quoted Python with placeholders, turned into gast nodes.

    templates.replace("try:\\n    body\\nexcept TypeError as exc:\\n    handler",
                      body=stmts, exc="ag__e", handler=handler_stmts)

A placeholder is any identifier of the template that is a key of the replacements: a name,
a parameter, a function or class name, an attribute name (`ag__.op`), a keyword-argument
name, a name in `global`/`nonlocal`. A replacement is:

- a str: a name (`"a.b"` becomes an attribute chain);
- a gast node: used as it is (see "Copies");
- a list or tuple of nodes/strs: spliced into the enclosing list (a block of statements,
  call arguments, parameters, tuple/list elements, `global` names...); keyword nodes in a
  call's arguments move to its keywords;
- an object with an `.ast()` method (qual_names.QN): its node;
- None, an int, float, complex, bool or bytes: a constant (in statement position, None or
  an empty list removes the statement; a block left empty gets a `pass`).

The expression context (Load/Store/Del/Param) of a replacement is set from its position:
`a.b` or `a[i]` as a target gets Store on the outer node and Load inside; tuples, lists and
starred targets pass it on to their elements. Expressions without a context get Load.

Copies: the first use of a replacement node (or of each node of a replacement list) is the
node itself, so callers can keep referring to it (e.g. to find its line after loading);
every further use, in the same call, is a deep copy (annotations kept, shallow-copied).

Templates are parsed once per template string; the cached tree is never modified: each call
builds the result while copying it (template nodes carry no line numbers).
"""

from __future__ import annotations

import ast
import textwrap

import gast

from autograph.pyct import parser

__all__ = ["replace", "replace_as_expression", "copy_tree"]

_CACHE: dict = {}
_AST = ast.AST
_POSITIONS = frozenset({"lineno", "col_offset", "end_lineno", "end_col_offset"})
_BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody"})
_COPY_NEW = ast.AST.__new__
_DECLARATIONS = (gast.Global, gast.Nonlocal)
_IDENT_NODES = frozenset({gast.Attribute, gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef,
                          gast.keyword, gast.Call, gast.arguments, gast.Global, gast.Nonlocal})
_ANNO_FIELD = "___pyct_anno"


def _template_tree(template):
    tree = _CACHE.get(template)
    if tree is None:
        tree = parser.ast_to_gast(ast.parse(textwrap.dedent(template)))
        for n in gast.walk(tree):  # template positions mean nothing in the output
            for a in _POSITIONS:
                n.__dict__.pop(a, None)
        _CACHE[template] = tree
    return tree


# Copying --------------------------------------------------------------------------------

def copy_tree(node):
    """A deep copy of a gast node (or list of nodes), annotations shallow-copied."""
    if node.__class__ is list:
        return [copy_tree(x) if isinstance(x, _AST) else x for x in node]
    cls = node.__class__
    new = _COPY_NEW(cls)
    nd = new.__dict__
    for k, v in node.__dict__.items():
        vc = v.__class__
        if vc is list:
            nd[k] = [copy_tree(x) if isinstance(x, _AST) else x for x in v]
        elif isinstance(v, _AST):
            nd[k] = copy_tree(v)
        elif vc is dict and k == _ANNO_FIELD:
            nd[k] = dict(v)
        else:
            nd[k] = v
    return new


# Contexts -------------------------------------------------------------------------------

def _load(node):
    """Gives Load to the expressions of `node` that have no context (or a stale one at the
    top of an attribute/subscript chain)."""
    stack = [node]
    while stack:
        n = stack.pop()
        d = n.__dict__
        if "ctx" in n._fields and d.get("ctx") is None:
            d["ctx"] = gast.Load()
        for f in n._fields:
            v = d.get(f)
            if v.__class__ is list:
                stack.extend(x for x in v if isinstance(x, gast.expr))
            elif isinstance(v, gast.expr):
                stack.append(v)


def _set_ctx(node, ctx_cls):
    """Sets the context of a replacement according to its position."""
    cls = node.__class__
    if cls is gast.Name:
        node.ctx = ctx_cls()
    elif cls is gast.Attribute or cls is gast.Subscript:
        node.ctx = ctx_cls()
        _set_ctx(node.value, gast.Load)
        if cls is gast.Subscript:
            _set_ctx(node.slice, gast.Load)
    elif cls is gast.Tuple or cls is gast.List:
        node.ctx = ctx_cls()
        for e in node.elts:
            _set_ctx(e, ctx_cls)
    elif cls is gast.Starred:
        node.ctx = ctx_cls()
        _set_ctx(node.value, ctx_cls)
    elif isinstance(node, gast.expr):
        _load(node)


# Building -------------------------------------------------------------------------------

def _name_node(value, ctx_cls):
    if "." in value:
        parts = value.split(".")
        node = gast.Name(parts[0], gast.Load(), None, None)
        for part in parts[1:-1]:
            node = gast.Attribute(node, part, gast.Load())
        return gast.Attribute(node, parts[-1], ctx_cls())
    return gast.Name(value, ctx_cls(), None, None)


class _Builder:
    """Copies a template tree, substituting placeholders."""

    __slots__ = ("repl", "used")

    def __init__(self, replacements):
        self.repl = replacements
        self.used = set()

    def _own(self, node):
        """The node itself on first use, a copy afterwards."""
        key = id(node)
        if key in self.used:
            return copy_tree(node)
        self.used.add(key)
        return node

    def _value(self, key, ctx_cls):
        """The replacement for placeholder `key`: a node or a list of nodes."""
        value = self.repl[key]
        if value.__class__ is list or value.__class__ is tuple:
            return [self._one(v, ctx_cls) for v in value]
        return self._one(value, ctx_cls)

    def _one(self, value, ctx_cls):
        if isinstance(value, _AST):
            node = self._own(value)
            if ctx_cls is not None and isinstance(node, gast.expr):
                _set_ctx(node, ctx_cls)
            return node
        if value.__class__ is str:
            return _name_node(value, ctx_cls or gast.Load)
        if hasattr(value, "ast") and callable(value.ast):
            node = value.ast()
            if ctx_cls is not None:
                _set_ctx(node, ctx_cls)
            return node
        if value is None or isinstance(value, (bool, int, float, complex, bytes)):
            return gast.Constant(value, None)
        raise ValueError(f"cannot use {value!r} ({type(value).__name__}) as a template "
                         "replacement; use a str, a gast node, a list of them, or a QN")

    def _ident(self, name):
        """The replacement of an identifier that must stay an identifier (str)."""
        if name not in self.repl:
            return name
        value = self.repl[name]
        if value.__class__ is str:
            return value
        if isinstance(value, (gast.Name, ast.Name)):
            return value.id
        if hasattr(value, "ast") and callable(value.ast):
            return str(value)
        raise ValueError(f"the placeholder `{name}` names a function, attribute, keyword or "
                         f"parameter: its replacement must be a str or a Name, not {value!r}")

    # The walk --------------------------------------------------------------------------

    def node(self, t):
        """Copy of template node `t`; a Name placeholder may give a list."""
        cls = t.__class__
        td = t.__dict__
        if cls is gast.Name:
            key = td["id"]
            if key in self.repl:
                ctx = td["ctx"].__class__
                return self._value(key, ctx)
        new = _COPY_NEW(cls)
        nd = new.__dict__
        for f, v in td.items():
            vc = v.__class__
            if vc is list:
                nd[f] = self.seq(t, f, v)
            elif isinstance(v, _AST):
                r = self.node(v)
                if r.__class__ is list:
                    if len(r) != 1:
                        raise ValueError(
                            f"a list of {len(r)} nodes cannot replace the single "
                            f"`{cls.__name__}.{f}` of the template")
                    r = r[0]
                nd[f] = r
            else:
                nd[f] = v
        if cls in _IDENT_NODES and self.repl:
            self._identifiers(cls, nd)
        return new

    def seq(self, parent, field, items):
        out = []
        block = field in _BLOCK_FIELDS and isinstance(parent, (gast.stmt, gast.Module,
                                                               gast.excepthandler,
                                                               gast.match_case))
        for x in items:
            if not isinstance(x, _AST):
                if x.__class__ is str and x in self.repl:  # global/nonlocal names
                    out.extend(self._names(x))
                else:
                    out.append(x)
                continue
            if block and x.__class__ is gast.Expr and x.value.__class__ is gast.Name:
                key = x.value.id
                if key in self.repl:
                    out.extend(self._statements(key))
                    continue
            r = self.node(x)
            if r.__class__ is list:
                out.extend(r)
            elif r.__class__ in _DECLARATIONS and not r.names:
                continue  # an emptied `global`/`nonlocal` is a syntax error: drop it
            else:
                out.append(r)
        if block and not out and field == "body" and parent.__class__ is not gast.Module:
            out.append(gast.Pass())
        return out

    def _statements(self, key):
        value = self.repl[key]
        if value is None:
            return []
        values = value if value.__class__ in (list, tuple) else [value]
        out = []
        for v in values:
            node = self._one(v, None)
            if isinstance(node, gast.expr):
                _load(node)
                node = gast.Expr(node)
            out.append(node)
        return out

    def _names(self, key):
        value = self.repl[key]
        values = value if value.__class__ in (list, tuple) else [value]
        out = []
        for v in values:
            if v.__class__ is str:
                out.append(v)
            elif isinstance(v, (gast.Name, ast.Name)):
                out.append(v.id)
            else:
                out.append(str(v))
        return out

    def _identifiers(self, cls, nd):
        repl = self.repl
        if cls is gast.Attribute:
            if nd["attr"] in repl:
                nd["attr"] = self._ident(nd["attr"])
        elif cls is gast.FunctionDef or cls is gast.AsyncFunctionDef or cls is gast.ClassDef:
            if nd["name"] in repl:
                nd["name"] = self._ident(nd["name"])
        elif cls is gast.keyword:
            if nd["arg"] is not None and nd["arg"] in repl:
                nd["arg"] = self._ident(nd["arg"])
        elif cls is gast.Call:
            args = nd["args"]
            if any(a.__class__ is gast.keyword for a in args):
                nd["keywords"] = [a for a in args if a.__class__ is gast.keyword] + nd["keywords"]
                nd["args"] = [a for a in args if a.__class__ is not gast.keyword]
        elif cls is gast.arguments:
            args = nd["args"]
            if len(args) == 1 and args[0].__class__ is gast.arguments:
                whole = args[0]
                nd.clear()
                nd.update(whole.__dict__)
        elif cls is gast.Global or cls is gast.Nonlocal:
            seen = set()
            nd["names"] = [n for n in nd["names"] if not (n in seen or seen.add(n))]


def _build(template, replacements):
    tree = _template_tree(template)
    builder = _Builder(replacements)
    return builder.seq(tree, "body", tree.body)


def replace(template: str, **replacements) -> list:
    """Parses `template`, substitutes the placeholders; returns the list of gast statements."""
    if replacements:
        for key, value in replacements.items():
            if value.__class__ is str and not value.replace(".", "").isidentifier():
                raise ValueError(f"replacement {key}={value!r} is not a valid name")
    return _build(template, replacements)


def replace_as_expression(template: str, **replacements):
    """Like `replace`, for a template that is a single expression; returns the expression."""
    body = replace(template, **replacements)
    if len(body) != 1 or not isinstance(body[0], gast.Expr):
        raise ValueError(f"the template {template!r} is not a single expression")
    return body[0].value
