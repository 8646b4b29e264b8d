"""After this pass no `break` is left: a flag stops the loop (its test, or a `for`'s extra test) and guards what follows."""

import gast

from autograph.converters import _jumps
from autograph.converters._jumps import ALWAYS, MAYBE, NEVER
from autograph.pyct import anno


class BreakTransformer(_jumps.FlagLowering):
    """`while c: ... break ...` -> `break_ = False` / `while not break_ and c: ... break_ = True`.

    A `for` loop gets `not break_` as its extra test (anno.Basic.EXTRA_LOOP_TEST), checked
    before each iteration. The loop's `else:` moves after it, under `if not break_:`.
    """

    def visit_Break(self, node):
        return [_jumps.assign(self.flag, True)], ALWAYS

    def _loop(self, node):
        saved = self.flag
        if _jumps.has_jump(node.body, gast.Break):
            self.flag = self.ctx.namer.new_symbol('break')
        flag = self.flag
        node.body, _ = self.visit_block(node.body)
        self.flag = saved
        node.body = node.body or [gast.Pass()]
        # A break in the `else:` clause leaves the enclosing loop.
        orelse, orelse_jumped = self.visit_block(node.orelse)
        if flag is saved:
            node.orelse = orelse
            return [node], orelse_jumped
        if isinstance(node, gast.While):
            node.test = gast.BoolOp(op=gast.And(), values=[_jumps.not_(flag), node.test])
        else:
            extra_test = anno.getanno(node, anno.Basic.EXTRA_LOOP_TEST, None)
            test = _jumps.not_(flag)
            if extra_test is not None:
                test = gast.BoolOp(op=gast.And(), values=[test, extra_test])
            anno.setanno(node, anno.Basic.EXTRA_LOOP_TEST, test)
        node.orelse = []
        after = []
        if orelse:
            after = [gast.If(test=_jumps.not_(flag), body=orelse, orelse=[])]
        return [_jumps.assign(flag, False), node] + after, (MAYBE if orelse_jumped else NEVER)

    visit_While = visit_For = visit_AsyncFor = _loop


def transform(node, ctx):
    node.body, _ = BreakTransformer(ctx).visit_block(node.body)
    return node
