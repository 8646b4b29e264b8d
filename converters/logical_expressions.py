"""After this pass `and`/`or`/`not` and chained comparisons outside comprehensions are `ag__.and_`/`ag__.or_`/`ag__.not_` calls with lazy right operands."""

import gast

from autograph.pyct import anno, templates

_OPERATORS = {gast.And: 'ag__.and_', gast.Or: 'ag__.or_'}


def _binds_names(nodes):
    """Whether an expression assigns a name (`:=`), which a lambda would make local to itself."""
    return any(isinstance(n, gast.NamedExpr) for node in nodes for n in gast.walk(node))


def _lazy(op, left, right):
    return templates.replace_as_expression(
        op + '(left, lambda: right)', left=left, right=right)


class LogicalExpressionTransformer(gast.NodeTransformer):
    """`a and b` -> `ag__.and_(a, lambda: b)`; `a < b < c` -> `ag__.and_(a < b, lambda: b < c)`."""

    def visit(self, node):
        # if/while headers of the fast form stay native: their handlers stage them.
        if anno.getanno(node, anno.Basic.SKIP_PROCESSING, False):
            return node
        return super().visit(node)

    def __init__(self, ctx):
        self.ctx = ctx

    def visit_BoolOp(self, node):
        if _binds_names(node.values[1:]):
            return self.generic_visit(node)
        self.generic_visit(node)
        result = node.values[-1]
        for left in reversed(node.values[:-1]):
            result = _lazy(_OPERATORS[type(node.op)], left, result)
        return result

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if not isinstance(node.op, gast.Not):
            return node
        return templates.replace_as_expression('ag__.not_(operand)', operand=node.operand)

    def visit_Compare(self, node):
        if len(node.ops) == 1 or _binds_names(node.comparators[1:]):
            return self.generic_visit(node)
        self.generic_visit(node)
        # a < b < c: `b` is evaluated once, `c` only when `a < b` holds.
        links, left = [], node.left
        for i, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            reused = templates.copy_tree(right)
            if i < len(node.ops) - 1 and not isinstance(right, (gast.Name, gast.Constant)):
                temp = self.ctx.namer.new_symbol('cmp')
                reused = gast.Name(id=temp, ctx=gast.Load(), annotation=None, type_comment=None)
                right = gast.NamedExpr(
                    target=gast.Name(id=temp, ctx=gast.Store(), annotation=None,
                                     type_comment=None),
                    value=right)
            links.append(gast.Compare(left=left, ops=[op], comparators=[right]))
            left = reused
        result = links[-1]
        for link in reversed(links[:-1]):
            result = _lazy('ag__.and_', link, result)
        return result

    def _leave_alone(self, node):
        return node

    # Comprehensions keep their own syntax (only their calls are converted, elsewhere).
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _leave_alone


def transform(node, ctx):
    return LogicalExpressionTransformer(ctx).visit(node)
