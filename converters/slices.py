"""After this pass item assignments to a name (`a[i] = v`, `a[i, j] += v`) rebind the name to an `ag__.setitem` result."""

import gast

from autograph.converters import item_assignment
from autograph.pyct import activity, anno, templates


def _as_list(result):
    return result if isinstance(result, list) else [result]


def _is_simple(node):
    """Whether evaluating `node` twice is the same as evaluating it once."""
    if isinstance(node, (gast.Name, gast.Constant)):
        return True
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        return _is_simple(node.operand)
    if isinstance(node, gast.Tuple):
        return all(_is_simple(e) for e in node.elts)
    if isinstance(node, gast.Slice):
        return all(p is None or _is_simple(p) for p in (node.lower, node.upper, node.step))
    return False


def _as_value(key):
    """The key as a value: `1:2` is only syntax inside brackets, `slice(1, 2)` is a value."""
    if isinstance(key, gast.Slice):
        parts = [p if p is not None else gast.Constant(value=None, kind=None)
                 for p in (key.lower, key.upper, key.step)]
        if key.step is None:
            parts.pop()
        return gast.Call(func=gast.Name(id='slice', ctx=gast.Load(), annotation=None,
                                        type_comment=None), args=parts, keywords=[])
    if isinstance(key, gast.Tuple):
        return gast.Tuple(elts=[_as_value(e) for e in key.elts], ctx=gast.Load())
    return key


class SliceTransformer(gast.NodeTransformer):
    """`a[k] = v` -> `a = ag__.setitem(a, k, v)`; `a[k] += v` -> `a = ag__.setitem(a, k, a[k] + v)`."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.local_names = [set()]  # per enclosing function: the names it may rebind

    def visit_FunctionDef(self, node):
        scope = anno.getanno(node, anno.Static.SCOPE)
        self.local_names.append({str(s) for s in scope.bound | scope.globals | scope.nonlocals})
        self.generic_visit(node)
        self.local_names.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def _target(self, target):
        # Only a name the function may rebind: `a[i] = v` on a closure's list stays.
        if (isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name)
                and target.value.id in self.local_names[-1]):
            return target
        return None

    def visit_Assign(self, node):
        if len(node.targets) == 1 and item_assignment.has_item_target(node.targets[0],
                                                                      self._target):
            # `a[i], b = v` -> `t1, t2 = v; a[i] = t1; b = t2`, then each part as below.
            return [s for stmt in item_assignment.split_unpacking(node, self.ctx.namer)
                    for s in _as_list(self.visit(stmt))]
        self.generic_visit(node)
        target = self._target(node.targets[0]) if len(node.targets) == 1 else None
        if target is None:
            return node
        return templates.replace('base = ag__.setitem(base, key, value)', base=target.value,
                                 key=_as_value(target.slice), value=node.value)

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        target = self._target(node.target)
        if target is None:
            return node
        key, reread = _as_value(target.slice), templates.copy_tree(target.slice)
        if not _is_simple(target.slice):  # evaluate the key once, as Python does
            temp = self.ctx.namer.new_symbol('key')
            key = gast.NamedExpr(target=gast.Name(id=temp, ctx=gast.Store(), annotation=None,
                                                  type_comment=None), value=key)
            reread = gast.Name(id=temp, ctx=gast.Load(), annotation=None, type_comment=None)
        current = gast.Subscript(value=templates.copy_tree(target.value), slice=reread,
                                 ctx=gast.Load())
        value = gast.BinOp(left=current, op=node.op, right=node.value)
        return templates.replace('base = ag__.setitem(base, key, value)', base=target.value,
                                 key=key, value=value)


def transform(node, ctx):
    activity.resolve(node)
    return SliceTransformer(ctx).visit(node)
