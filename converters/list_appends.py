"""After this pass `x.append(v)` statements also work when `x` is a backend's list.

A Python list that a staged loop appends to leaves the loop as the backend's list (the
engine's TensorList, JAX's JaxList), whose `append` returns a new list instead of changing
the old one. The statement stays native (a Python list is appended to in place, at native
speed), but its result is kept: `list.append` returns None, so a result that is not None
goes through `ag__.list_appended`, which rebinds `x` to the new list when `x` is a backend's
list (and leaves any other object, whose `append` may return what it likes, as it was):

    ag__appended = x.append(v)
    if ag__appended is not None:
        x = ag__.list_appended(x, ag__appended)

Only receivers the function may rebind (its locals, globals and nonlocals) are rewritten. The
functional form rewrites the same statements into `x = ag__.list_append(x, v)` (lists.py).
"""

from __future__ import annotations

import gast

from autograph.pyct import anno, origin_info, templates


class ListAppends(gast.NodeTransformer):
    """Keeps the result of `x.append(v)` statements (see the module docstring)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.local_names = [set()]  # per enclosing function: the names it may rebind
        self.result_names = [None]  # per enclosing function: its temporary, made on first use

    def visit_FunctionDef(self, node):
        scope = anno.getanno(node, anno.Static.SCOPE, None)
        names = set() if scope is None else {
            str(s) for s in scope.bound | scope.globals | scope.nonlocals}
        self.local_names.append(names)
        self.result_names.append(None)
        self.generic_visit(node)
        self.local_names.pop()
        self.result_names.pop()
        return node

    def generic_visit(self, node):
        # Only statements can be `x.append(v)` statements: expressions are not walked (and an
        # append in a lambda is an expression, never a statement).
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            value = getattr(node, field, None)
            if type(value) is list and value and isinstance(value[0], gast.AST):
                setattr(node, field, self._statements(value))
        return node

    def _statements(self, stmts):
        out = []
        for stmt in stmts:
            result = self.visit(stmt)
            out.extend(result if type(result) is list else [result])
        return out

    def visit_Expr(self, node):
        call = node.value
        if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute)
                and call.func.attr == "append" and isinstance(call.func.value, gast.Name)
                and call.func.value.id in self.local_names[-1]
                and len(call.args) == 1 and not call.keywords
                and not isinstance(call.args[0], gast.Starred)):
            return node
        if self.result_names[-1] is None:
            self.result_names[-1] = self.ctx.namer.new_symbol("appended")
        result = self.result_names[-1]
        target = call.func.value.id
        stmts = templates.replace(
            "result = call\n"
            "if result is not None:\n"
            "    target = ag__.list_appended(target, result)",
            result=result, call=call, target=target)
        # Errors in the append (or its value) show the user's line.
        origin_info.attribute_to(
            [n for stmt in stmts for n in gast.walk(stmt) if isinstance(n, gast.stmt)], node)
        return stmts


def transform(node, ctx):
    return ListAppends(ctx).visit(node)
