"""Before any other pass: the function uses nothing autograph cannot convert.

Each refusal names the user's file, line and column and says, in one sentence, what to do.
Nested generator or async functions are not refused: they are left as they are (their
bodies are not converted), since the converted function only defines them.
"""

from __future__ import annotations

import gast

from autograph import errors
from autograph.pyct import anno

_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


class UnsupportedFeatures(gast.NodeVisitor):
    """Raises UnsupportedFeatureError at the first construct that cannot be converted."""

    def __init__(self, ctx):
        self.ctx = ctx

    def check_entity(self, node):
        if isinstance(node, gast.AsyncFunctionDef):
            self._refuse(node, "async functions cannot be converted; convert the synchronous "
                               "functions it calls instead")
        for stmt in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(stmt)

    def _refuse(self, node, sentence):
        origin = anno.getanno(node, anno.Basic.ORIGIN, None)
        if origin is not None:
            filename, lineno, col = origin.filename, origin.lineno, origin.col_offset
        else:
            info = self.ctx.info
            filename = getattr(info, "filename", "<unknown>")
            lineno = getattr(info, "lineno", 0) + getattr(node, "lineno", 1) - 1
            col = getattr(node, "col_offset", 0)
        raise errors.UnsupportedFeatureError(
            f"{filename}:{lineno}:{col + 1}: {sentence}.", filename=filename, lineno=lineno,
            col_offset=col)

    def visit_Yield(self, node):
        self._refuse(node, "generators (`yield`) cannot be converted; call autograph on a "
                           "function that consumes the generator, or use "
                           "@autograph.do_not_convert on it")

    visit_YieldFrom = visit_Yield

    def visit_Await(self, node):
        self._refuse(node, "`await` cannot be converted; async code runs as-is")

    def visit_AsyncFor(self, node):
        self._refuse(node, "`async for` cannot be converted; async code runs as-is")

    visit_AsyncWith = visit_AsyncFor

    def generic_visit(self, node):
        if isinstance(node, _NESTED):
            return  # defined here, converted (or not) when it is called
        super().generic_visit(node)


def transform(node, ctx):
    """Raises errors.UnsupportedFeatureError if `node` cannot be converted; returns node."""
    UnsupportedFeatures(ctx).check_entity(node)
    return node
