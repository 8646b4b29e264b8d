"""After this pass no `assert` statement is left: each is an `ag__.assert_stmt` call with a lazy message."""

import gast

from autograph.pyct import templates


class AssertTransformer(gast.NodeTransformer):
    """`assert test, msg` -> `ag__.assert_stmt(test, lambda: msg)`; `assert test` -> `ag__.assert_stmt(test)`."""

    def __init__(self, ctx):
        self.ctx = ctx

    def visit_Assert(self, node):
        self.generic_visit(node)
        if node.msg is None:
            return templates.replace('ag__.assert_stmt(test)', test=node.test)
        return templates.replace('ag__.assert_stmt(test, lambda: msg)', test=node.test,
                                 msg=node.msg)


def transform(node, ctx):
    return AssertTransformer(ctx).visit(node)
