"""After this pass `and`/`or`/`not` and chained comparisons outside comprehensions are `ag__.and_`/`ag__.or_`/`ag__.not_` calls with lazy right operands."""

import gast

from autograph.pyct import anno, templates

_OPERATORS = {gast.And: 'ag__.and_', gast.Or: 'ag__.or_'}


def _binds_names(nodes):
    """Whether an expression assigns a name (`:=`), which a lambda would make local to itself."""
    return any(isinstance(n, gast.NamedExpr) for node in nodes for n in gast.walk(node))


def _lazy(op, left, right, test=False):
    template = '(left, lambda: right, test=True)' if test else '(left, lambda: right)'
    return templates.replace_as_expression(op + template, left=left, right=right)


def mark_truth(expr):
    """Marks `expr` as only tested for truth (see mark_truth_tests)."""
    if isinstance(expr, gast.BoolOp):
        anno.setanno(expr, anno.Basic.TRUTH_TEST, True)
        for value in expr.values:
            mark_truth(value)
    elif isinstance(expr, gast.UnaryOp) and isinstance(expr.op, gast.Not):
        mark_truth(expr.operand)


def mark_truth_tests(node):
    """Marks (anno.Basic.TRUTH_TEST) the `and`/`or` whose value is only tested for truth, so
    that they stage with a numeric tensor operand: `if n and x > 0:` only needs `n != 0`,
    while `n and x > 0` as a value has no single dtype. Runs before control_flow moves the
    tests into operator calls, in either pipeline."""
    for n in gast.walk(node):
        if isinstance(n, (gast.If, gast.While, gast.IfExp, gast.Assert)):
            mark_truth(n.test)
        elif isinstance(n, gast.UnaryOp) and isinstance(n.op, gast.Not):
            mark_truth(n.operand)


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
        test = anno.getanno(node, anno.Basic.TRUTH_TEST, False)
        result = node.values[-1]
        for left in reversed(node.values[:-1]):
            result = _lazy(_OPERATORS[type(node.op)], left, result, test)
        return result

    def _visit_tested(self, node):
        mark_truth(node.test)
        return self.generic_visit(node)

    visit_If = visit_While = visit_IfExp = visit_Assert = _visit_tested

    def visit_UnaryOp(self, node):
        if not isinstance(node.op, gast.Not):
            return self.generic_visit(node)
        mark_truth(node.operand)
        self.generic_visit(node)
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
