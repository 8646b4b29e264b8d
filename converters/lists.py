"""After this pass `x.append(v)` statements rebind `x` through `ag__.list_append` and `x.pop()` calls go through `ag__.list_pop`.

The functional form uses both rewrites. The fast form uses only the pops (`appends=False`;
its appends stay native, see list_appends.py): a list grown in a staged loop is the
backend's immutable list after it, whose `pop()` returns `(new_list, value)`, so a native
pop would give the pair and leave the list as it was.
"""

import gast

from autograph.pyct import activity, anno, origin_info, templates

_SCOPES = (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _root(node):
    """The name of a receiver that can be rebound to the operator's result (`x`, not `x.y`:
    an attribute may be a read-only property), else None."""
    return node.id if isinstance(node, gast.Name) else None


class ListTransformer(gast.NodeTransformer):
    """`x.append(v)` -> `x = ag__.list_append(x, v)`; `y = x.pop()` -> `x, t = ag__.list_pop(x, None)`, `y = t`."""

    def __init__(self, ctx, appends=True):
        self.ctx = ctx
        self.appends = appends
        self.hoisted = None
        self.local_names = [set()]  # per enclosing function: the names it may rebind

    def visit_FunctionDef(self, node):
        scope = anno.getanno(node, anno.Static.SCOPE)
        self.local_names.append({str(s) for s in scope.bound | scope.globals | scope.nonlocals})
        self.generic_visit(node)
        self.local_names.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def _method_call(self, node, name, nargs):
        # Only a receiver the function may rebind: `x.append(v)` on a closure's list stays.
        return (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
                and node.func.attr == name
                and _root(node.func.value) in self.local_names[-1]
                and not node.keywords and len(node.args) in nargs
                and not any(isinstance(a, gast.Starred) for a in node.args))

    def visit_Expr(self, node):
        dropped_pop = self._method_call(node.value, 'pop', (0, 1))
        stmts = self._hoist_pops(node, ('value',))
        call = node.value
        if dropped_pop:
            del stmts[-1]
        elif self.appends and self._method_call(call, 'append', (1,)):
            stmts[-1:] = templates.replace('target = ag__.list_append(target, value)',
                                           target=call.func.value, value=call.args[0])
        return stmts

    def visit_Assign(self, node):
        return self._hoist_pops(node, ('value', 'targets'))

    def visit_AugAssign(self, node):
        return self._hoist_pops(node, ('target', 'value'))

    def visit_AnnAssign(self, node):
        return self._hoist_pops(node, ('value', 'target'))

    def visit_Return(self, node):
        return self._hoist_pops(node, ('value',))

    def visit_If(self, node):  # the test runs once, before the branches
        stmts = self._hoist_pops(node, ('test',))
        self.generic_visit(node)
        return stmts

    def visit_For(self, node):  # the iterable is evaluated once, before the loop
        stmts = self._hoist_pops(node, ('iter',))
        self.generic_visit(node)
        return stmts

    def _hoist_pops(self, node, fields):
        """Moves the eagerly evaluated `x.pop()` calls of `node`'s `fields` before it."""
        self.hoisted = []
        for field in fields:
            value = getattr(node, field)
            if isinstance(value, list):
                setattr(node, field, [self._replace_pops(v) for v in value])
            elif value is not None:
                setattr(node, field, self._replace_pops(value))
        hoisted, self.hoisted = self.hoisted, None
        # An error in a hoisted pop shows the user's line.
        return origin_info.attribute_to(hoisted, node) + [node]

    def _replace_pops(self, node):
        if isinstance(node, _SCOPES):
            return node
        if isinstance(node, gast.BoolOp):  # only the first operand is always evaluated
            node.values[0] = self._replace_pops(node.values[0])
            return node
        if isinstance(node, gast.IfExp):
            node.test = self._replace_pops(node.test)
            return node
        for field, value in gast.iter_fields(node):
            if isinstance(value, list):
                setattr(node, field, [self._replace_pops(v) if isinstance(v, gast.AST) else v
                                      for v in value])
            elif isinstance(value, gast.AST):
                setattr(node, field, self._replace_pops(value))
        if not self._method_call(node, 'pop', (0, 1)):
            return node
        target = node.func.value
        popped = self.ctx.namer.new_symbol(target.id + '_pop')
        index = node.args[0] if node.args else gast.Constant(value=None, kind=None)
        self.hoisted.extend(templates.replace(
            'target, popped = ag__.list_pop(target, index)',
            target=target, popped=popped, index=index))
        return gast.Name(id=popped, ctx=gast.Load(), annotation=None, type_comment=None)


def transform(node, ctx, appends=True):
    # The fast form (appends=False) keeps the scopes of the user's functions from the analysis
    # the pipeline ran first (it adds no functions); the functional form has new ones.
    if appends or not anno.hasanno(node, anno.Static.SCOPE):
        activity.resolve(node)
    return ListTransformer(ctx, appends).visit(node)
