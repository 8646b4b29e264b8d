"""After this pass a `match` statement reports a tensor subject as a StagingError.

`match` stays native Python: its patterns compare the subject with `==`, `isinstance` and
lengths, which need the subject's value, and a tensor's value is not known until the graph
runs. Without this pass the engine's or JAX's "truth value of a tensor" error leaks out of a
function that *is* converted. The statement is wrapped as

    try:
        match (ag__subject := <subject>):
            ...
    except TypeError as ag__e:
        ag__.match_error(ag__e, ag__subject, '<subject source>')

and `match_error` (runtime/misc.py) raises a StagingError naming the subject when the error
came from a `match`/`case` line and the subject holds a tensor; it re-raises anything else.
"""

from __future__ import annotations

import ast

import gast

from autograph.pyct import origin_info, templates

# CPython allows 20 statically nested blocks; the fast form already adds a `try` around each
# if/while/for. A match nested deeper than this stays as it is.
_MAX_DEPTH = 8
_BLOCKS = (gast.For, gast.While, gast.If, gast.Try, gast.With, gast.AsyncFor, gast.AsyncWith)


class MatchStatements(gast.NodeTransformer):

    def __init__(self, ctx):
        self.ctx = ctx
        self.depth = 0

    def generic_visit(self, node):
        nested = isinstance(node, _BLOCKS) or (
            hasattr(gast, 'TryStar') and isinstance(node, gast.TryStar))
        self.depth += nested
        try:
            return super().generic_visit(node)
        finally:
            self.depth -= nested

    def visit_Match(self, node):
        self.depth += 1
        try:
            node = super().generic_visit(node)
        finally:
            self.depth -= 1
        if self.depth >= _MAX_DEPTH:
            return node
        subject = self.ctx.namer.new_symbol('ag__subject')
        exc = self.ctx.namer.new_symbol('ag__e')
        text = ast.unparse(gast.gast_to_ast(node.subject))
        init = templates.replace('subject = ag__.Undefined(text)', subject=subject,
                                 text=gast.Constant(value=text, kind=None))
        node.subject = gast.NamedExpr(
            target=gast.Name(id=subject, ctx=gast.Store(), annotation=None, type_comment=None),
            value=node.subject)
        wrapped = templates.replace(
            'try:\n    stmt\nexcept TypeError as exc:\n    ag__.match_error(exc, subject, text)',
            stmt=node, exc=exc, subject=subject, text=gast.Constant(value=text, kind=None))
        return origin_info.attribute_to(init + wrapped, node, location=True)


def transform(node, ctx):
    return MatchStatements(ctx).visit(node)
