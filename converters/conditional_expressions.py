"""After this pass no ternary `x if c else y` is left outside comprehensions: each is an `ag__.if_exp` call with lazy branches."""

import ast

import gast

from autograph.pyct import anno, templates

_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _source(node):
    return ast.unparse(gast.gast_to_ast(node))


def _binds_names(nodes):
    """Whether an expression assigns a name (`:=`), which a lambda would make local to itself."""
    return any(isinstance(n, gast.NamedExpr) for node in nodes for n in gast.walk(node))


class ConditionalExpressionTransformer(gast.NodeTransformer):
    """`body if test else orelse` -> `ag__.if_exp(test, lambda: body, lambda: orelse, 'test')`."""

    def visit(self, node):
        # if/while headers of the fast form stay native: their handlers stage them.
        if anno.getanno(node, anno.Basic.SKIP_PROCESSING, False):
            return node
        return super().visit(node)

    def __init__(self, ctx):
        self.ctx = ctx

    def visit_IfExp(self, node):
        if _binds_names([node.body, node.orelse]):
            return self.generic_visit(node)
        expr_repr = gast.Constant(value=_source(node.test), kind=None)
        self.generic_visit(node)
        return templates.replace_as_expression(
            'ag__.if_exp(test, lambda: body, lambda: orelse, expr_repr)',
            test=node.test, body=node.body, orelse=node.orelse, expr_repr=expr_repr)

    def _leave_alone(self, node):
        return node

    # Comprehensions keep their own syntax (only their calls are converted, elsewhere).
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _leave_alone


def transform(node, ctx):
    return ConditionalExpressionTransformer(ctx).visit(node)
