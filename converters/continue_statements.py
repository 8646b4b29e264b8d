"""After this pass no `continue` is left: a flag, reset at the top of the loop body, guards the rest of the body."""

import gast

from autograph.converters import _jumps
from autograph.converters._jumps import ALWAYS


class ContinueTransformer(_jumps.FlagLowering):
    """`for x in xs: ... continue ...` -> `continue_ = False` at the top of the body,
    `continue_ = True` for the jump, and `if not continue_:` around what follows it."""

    def visit_Continue(self, node):
        return [_jumps.assign(self.flag, True)], ALWAYS

    def _loop(self, node):
        saved = self.flag
        if _jumps.has_jump(node.body, gast.Continue):
            self.flag = self.ctx.namer.new_symbol('continue')
        flag = self.flag
        body, _ = self.visit_block(node.body)
        self.flag = saved
        if flag is not saved:
            if self.flag_reads.get(flag):
                body.insert(0, _jumps.assign(flag, False))
            else:  # nothing follows a continue: the flag is never read
                body = _jumps.remove_assignments(body, flag)
        node.body = body or [gast.Pass()]
        # A continue in the `else:` clause continues the enclosing loop.
        node.orelse, orelse_jumped = self.visit_block(node.orelse)
        return [node], _jumps.loop_ending(node, orelse_jumped)

    visit_While = visit_For = visit_AsyncFor = _loop


def transform(node, ctx):
    node.body, _ = ContinueTransformer(ctx).visit_block(node.body)
    return node
