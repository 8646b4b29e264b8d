"""After this pass no ternary `x if c else y` is left outside comprehensions: each is an `ag__.if_exp` call with lazy branches."""

import ast

import gast

from autograph.pyct import anno, templates

_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _source(node):
    return ast.unparse(gast.gast_to_ast(node))


def _name_counts(nodes):
    counts = {}
    for node in nodes:
        for n in gast.walk(node):
            if isinstance(n, gast.Name):
                counts[n.id] = counts.get(n.id, 0) + 1
    return counts


class ConditionalExpressionTransformer(gast.NodeTransformer):
    """`body if test else orelse` -> `ag__.if_exp(test, lambda: body, lambda: orelse, 'test')`."""

    def __init__(self, ctx, function):
        self.ctx = ctx
        self.counts = _name_counts([function])  # every name's occurrences in the function

    def visit(self, node):
        # if/while headers of the fast form stay native: their handlers stage them.
        if anno.getanno(node, anno.Basic.SKIP_PROCESSING, False):
            return node
        return super().visit(node)

    def _binds_names(self, nodes):
        """Whether the arms assign (`:=`) a name seen outside them: a lambda would make it
        local to itself. A name that occurs only inside the arm (the `ag__cmp` temporary of a
        chained comparison, converters/logical_expressions.py) behaves the same in the lambda.
        """
        for node in nodes:
            inside = _name_counts([node])
            if any(isinstance(n, gast.NamedExpr)
                   and inside.get(n.target.id, 0) != self.counts.get(n.target.id, 0)
                   for n in gast.walk(node)):
                return True
        return False

    def visit_IfExp(self, node):
        if self._binds_names([node.body, node.orelse]):
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
    return ConditionalExpressionTransformer(ctx, node).visit(node)
