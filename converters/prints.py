"""After this pass, when `runtime_print` is on, calls of the builtin `print` are `ag__.print_` calls."""

import builtins

import gast

from autograph.converters.call_trees import local_names


class PrintTransformer(gast.NodeTransformer):
    """`print(a, sep=s)` -> `ag__.print_(a, sep=s)`, so a graph backend prints at run time."""

    def __init__(self, ctx, local_names):
        self.ctx = ctx
        self.local_names = local_names

    def _is_builtin_print(self, func):
        if not isinstance(func, gast.Name) or func.id != 'print' or 'print' in self.local_names:
            return False
        return self.ctx.namespace.get('print', builtins.print) is builtins.print

    def visit_Call(self, node):
        self.generic_visit(node)
        if self._is_builtin_print(node.func):
            node.func = gast.Attribute(
                value=gast.Name(id='ag__', ctx=gast.Load(), annotation=None, type_comment=None),
                attr='print_', ctx=gast.Load())
        return node


def transform(node, ctx):
    if not ctx.options.runtime_print:
        return node
    return PrintTransformer(ctx, local_names(node)).visit(node)
