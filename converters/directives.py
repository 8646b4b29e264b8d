"""After this pass no `autograph.set_loop_options(...)` call is left: its arguments are loop options annotated on the enclosing loop (`anno.Basic.DIRECTIVES`), which control_flow passes to `ag__.while_stmt`/`ag__.for_stmt`."""

import inspect

import gast

from autograph import directives, errors
from autograph.converters import call_lookup
from autograph.pyct import anno


class DirectivesTransformer(gast.NodeTransformer):
    """`while c: set_loop_options(maximum_iterations=n); body` -> `while c: body`, with
    `{'maximum_iterations': n}` (the expressions) annotated on the `while`."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.loops = [None]  # the innermost enclosing loop of this function, or None

    def _loop(self, node):
        self.loops.append(node)
        node.body = self._visit_block(node.body)
        self.loops.pop()
        # The header and the else block belong to the enclosing loop (if any).
        for field in ('test', 'iter', 'target'):
            if hasattr(node, field):
                setattr(node, field, self.visit(getattr(node, field)))
        node.orelse = self._visit_block(node.orelse) if node.orelse else []
        return node

    visit_While = visit_For = visit_AsyncFor = _loop

    def _scope(self, node):
        self.loops.append(None)  # a loop outside a nested function is not its loop
        node = self.generic_visit(node)
        self.loops.pop()
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _scope

    def _visit_block(self, stmts):
        out = []
        for stmt in stmts:
            new = self.visit(stmt)
            if isinstance(new, list):
                out.extend(new)
            elif new is not None:
                out.append(new)
        return out or [gast.Pass()]

    def visit_Expr(self, node):
        call = node.value
        if not (isinstance(call, gast.Call)
                and call_lookup.resolve(call.func, self.ctx.namespace) is directives.set_loop_options):
            return self.generic_visit(node)
        loop = self.loops[-1]
        if loop is None:  # a Python statement here: the directive is a no-op, as in Python
            return gast.Pass()
        options = anno.getanno(loop, anno.Basic.DIRECTIVES, None) or {}
        anno.setanno(loop, anno.Basic.DIRECTIVES, options)
        loop_options = options.setdefault('set_loop_options', {})
        for name, value in self._arguments(call).items():
            if name in directives.LOOP_OPTIONS:
                loop_options[name] = value
        return gast.Pass()

    def _arguments(self, call):
        """{parameter name: argument expression}, bound as Python would bind them."""
        params = list(inspect.signature(directives.set_loop_options).parameters)
        if any(isinstance(a, gast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords):
            self._refuse(call, "set_loop_options() takes its options as explicit arguments "
                               "(no *args or **kwargs), so that they are known when the loop "
                               "is converted")
        if len(call.args) > len(params):
            self._refuse(call, f"set_loop_options() takes at most {len(params)} arguments "
                               f"({', '.join(params)})")
        bound = dict(zip(params, call.args))
        for keyword in call.keywords:
            if keyword.arg not in params:
                self._refuse(call, f"set_loop_options() got an unexpected option "
                                   f"'{keyword.arg}' (options: {', '.join(params)})")
            if keyword.arg in bound:
                self._refuse(call, f"set_loop_options() got '{keyword.arg}' twice")
            bound[keyword.arg] = keyword.value
        return bound

    def _refuse(self, node, sentence):
        origin = anno.getanno(node, anno.Basic.ORIGIN, None)
        filename = getattr(origin, 'filename', None) or getattr(self.ctx.info, 'filename', '?')
        lineno = getattr(origin, 'lineno', None) or getattr(node, 'lineno', 0)
        col = getattr(origin, 'col_offset', None) or getattr(node, 'col_offset', 0)
        raise errors.ConversionError(f"{filename}:{lineno}:{col + 1}: {sentence}.")


def loop_options(node):
    """The options `set_loop_options` gave this loop: {name: argument expression}."""
    return (anno.getanno(node, anno.Basic.DIRECTIVES, None) or {}).get('set_loop_options', {})


def transform(node, ctx):
    return DirectivesTransformer(ctx).visit(node)
