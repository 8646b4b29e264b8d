"""After this pass `a[i] = v` and `a[i] += v` also work when `a` is an immutable array.

The assignment stays native (lists and numpy arrays are updated in place, at native speed);
when it raises a TypeError (JAX arrays and graph tensors do not support item assignment),
the handler rebinds `a = ag__.setitem(a, i, v)`, the functional update. A graph tensor assigned
into a numpy array's item makes numpy raise a ValueError instead (it takes the tensor for a
sequence): a second handler, `ag__.setitem_after_value_error`, does the same update then and
raises any other ValueError again. Index and value
expressions that could have side effects are evaluated once, into temporaries, first.
"""

from __future__ import annotations

import gast

from autograph.pyct import origin_info, templates

_PURE = (gast.Name, gast.Constant)


class ItemAssignment(gast.NodeTransformer):
    """Gives item assignments on names and attributes a functional fallback."""

    def __init__(self, ctx):
        self.ctx = ctx

    def visit_Assign(self, node):
        if len(node.targets) == 1 and has_item_target(node.targets[0], self._convertible):
            return [s for stmt in split_unpacking(node, self.ctx.namer)
                    for s in _as_list(self.visit(stmt))]
        if len(node.targets) != 1 or not self._convertible(node.targets[0]):
            return node
        target = node.targets[0]
        prelude, key, value = self._hoist(target.slice, node.value, node)
        target.slice, node.value = key, value
        return prelude + self._guarded(node, target, value)

    def visit_AugAssign(self, node):
        if not self._convertible(node.target):
            return node
        target = node.target
        prelude, key, value = self._hoist(target.slice, node.value, node)
        target.slice, node.value = key, value
        current = gast.Subscript(_load(target.value), _copy(key), gast.Load())
        combined = gast.BinOp(current, node.op, _copy(value))
        return prelude + self._guarded(node, target, combined)

    @staticmethod
    def _convertible(target):
        return (isinstance(target, gast.Subscript)
                and isinstance(target.value, (gast.Name, gast.Attribute)))

    def _hoist(self, key, value, stmt=None):
        prelude = []
        if not _is_pure(key):
            name = self.ctx.namer.new_symbol("ag__key")
            prelude += templates.replace("name = key", name=name, key=key)
            key = gast.Name(name, gast.Load(), None, None)
        if not _is_pure(value):
            name = self.ctx.namer.new_symbol("ag__value")
            prelude += templates.replace("name = value", name=name, value=value)
            value = gast.Name(name, gast.Load(), None, None)
        if stmt is not None:  # an error in the hoisted key or value shows the user's line
            origin_info.attribute_to(prelude, stmt)
        return prelude, key, value

    @staticmethod
    def _update(target, value, operator="setitem"):
        return templates.replace(
            f"owner = ag__.{operator}(owner_value, key, value)",
            owner=_store(target.value), owner_value=_load(target.value),
            key=_as_value(_copy(target.slice)), value=_copy(value))

    def _guarded(self, stmt, target, value):
        """`stmt` inside try: a TypeError (an immutable array) falls back to the functional
        update; so does the ValueError numpy raises for a tensor assigned into a numpy array's
        item (it takes the tensor for a sequence), which any other ValueError passes through."""
        return templates.replace(
            "try:\n    stmt\nexcept TypeError:\n    fallback\n"
            "except ValueError:\n    fallback_value_error",
            stmt=stmt, fallback=self._update(target, value),
            fallback_value_error=self._update(target, value, "setitem_after_value_error"))


def has_item_target(target, convertible):
    """Whether `target` is an unpacking target (`a[0], b = ...`) that holds an item
    assignment `convertible` accepts."""
    if not isinstance(target, (gast.Tuple, gast.List)):
        return False
    for elt in target.elts:
        elt = elt.value if isinstance(elt, gast.Starred) else elt
        if convertible(elt) or has_item_target(elt, convertible):
            return True
    return False


def split_unpacking(node, namer):
    """`a[i], (b, c[j]) = v` -> `t1, t2 = v; a[i] = t1; b, c[j] = t2`.

    Python unpacks the value first, then assigns the targets left to right, each evaluating
    its own subscript at that time: the same order, so each item assignment can get its
    functional form. A starred target stays starred (`t1, *t2 = v`)."""
    target = node.targets[0]
    temps, parts = [], []
    for elt in target.elts:
        starred = isinstance(elt, gast.Starred)
        name = namer.new_symbol('ag__unpacked')
        temp = gast.Name(name, gast.Store(), None, None)
        temps.append(gast.Starred(temp, gast.Store()) if starred else temp)
        parts.append(gast.Assign(targets=[elt.value if starred else elt],
                                 value=gast.Name(name, gast.Load(), None, None)))
    first = gast.Assign(targets=[gast.Tuple(temps, gast.Store())], value=node.value)
    return origin_info.attribute_to([first] + parts, node, location=True)


def _as_list(result):
    return result if isinstance(result, list) else [result]


def _is_pure(node):
    if isinstance(node, _PURE):
        return True
    if isinstance(node, gast.Tuple):
        return all(_is_pure(e) for e in node.elts)
    if isinstance(node, gast.Slice):
        return all(p is None or _is_pure(p) for p in (node.lower, node.upper, node.step))
    if isinstance(node, gast.UnaryOp):
        return _is_pure(node.operand)
    return False


def _as_value(key):
    """A subscript's key as an ordinary expression: `a[:, j]` -> `(slice(None, None), j)`."""
    if isinstance(key, gast.Slice):
        parts = [p if p is not None else gast.Constant(None, None)
                 for p in (key.lower, key.upper, key.step)]
        return gast.Call(gast.Name("slice", gast.Load(), None, None), parts, [])
    if isinstance(key, gast.Tuple):
        key.elts = [_as_value(e) for e in key.elts]
    return key


def _copy(node):
    import copy
    return copy.deepcopy(node)


def _load(node):
    node = _copy(node)
    node.ctx = gast.Load()
    return node


def _store(node):
    node = _copy(node)
    node.ctx = gast.Store()
    return node


def transform(node, ctx):
    return ItemAssignment(ctx).visit(node)
