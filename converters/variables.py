"""After this pass (functional form only) `del x` of a local variable is `x = ag__.Undefined('x')`.

A deleted variable is state like any other for the body functions of a staged statement: their
`get_state` reads it, which a real `del` would make fail with an internal NameError. As in
TensorFlow AutoGraph, the variable holds `Undefined('x')` instead: a staged `if` that leaves it
undefined in one branch only, and is read after, raises a StagingError naming it. Deleting an
item or an attribute (`del a[0]`, `del a.b`) and a global stays a real `del` (an item's owner
is then carried as state, see below).
"""

from __future__ import annotations

import gast

from autograph.pyct import origin_info, templates


class Variables(gast.NodeTransformer):
    """`del x, a[0]` -> `x = ag__.Undefined('x')` then `del a[0]` (the targets in order)."""

    def __init__(self, globals_):
        self.globals_ = globals_

    def visit_Delete(self, node):
        if not any(self._local(t) or self._item_of_local(t) for t in node.targets):
            return node
        out, rest = [], []
        for target in node.targets:
            if self._local(target):
                if rest:
                    out.append(gast.Delete(targets=rest))
                    rest = []
                out.extend(templates.replace(
                    "name = ag__.Undefined(label)", name=target.id,
                    label=gast.Constant(value=target.id, kind=None)))
            else:
                rest.append(target)
        if rest:
            out.append(gast.Delete(targets=rest))
        # `del a[i]` changes `a`: `a = a` after it makes control_flow carry `a` as the state of
        # a staged statement (a list whose length depends on a tensor is then refused, by name).
        for target in node.targets:
            if self._item_of_local(target):
                out.extend(templates.replace("name = name", name=target.value.id))
        return origin_info.attribute_to(out, node, location=True)

    def _local(self, target):
        return isinstance(target, gast.Name) and target.id not in self.globals_

    def _item_of_local(self, target):
        return isinstance(target, gast.Subscript) and self._local(target.value)


def transform(node, ctx):
    globals_ = {name for n in gast.walk(node) if isinstance(n, gast.Global) for name in n.names}
    return Variables(globals_).visit(node)
