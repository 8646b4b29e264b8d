"""After this pass every call that may reach a user function goes through `ag__.cv(f)(...)`.

Calls whose target resolves, at conversion time, to something that is never converted
(builtins, numpy, the standard library, frameworks, autograph, classes) stay plain calls, so
`len(x)` or `np.sum(x)` in a hot loop pay nothing. Method calls on locals stay plain when the
method is a common container method (`lst.append(x)`): those are almost always builtins, and
converting them would cost a lookup per call in the loops that use them most.
"""

from __future__ import annotations

import builtins

import gast

from autograph.pyct import templates

# Methods that are, in practice, always the builtin container/array methods.
PLAIN_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "copy",
    "update", "setdefault", "popitem", "add", "discard", "get", "keys", "values", "items",
    "count", "index", "join", "split", "rsplit", "strip", "lstrip", "rstrip", "format",
    "startswith", "endswith", "replace", "lower", "upper", "encode", "decode", "find",
    "astype", "reshape", "sum", "mean", "max", "min", "any", "all", "tolist", "item",
    "transpose", "flatten", "ravel", "fill", "dot", "argmax", "argmin", "cumsum", "prod",
    "at", "set",
})
# Calls that must see the caller's own frame, or are the runtime itself.
_NEVER_WRAPPED = frozenset({"locals", "globals", "vars", "eval", "exec", "super", "ag__"})


UNKNOWN = object()


def resolve(func, namespace):
    """The object that the call target `func` (a name or attribute chain) names in the
    function's globals `namespace` or the builtins, or UNKNOWN (a local, a subscript, a
    property that raises...: decided at run time)."""
    if isinstance(func, gast.Name):
        if namespace and func.id in namespace:
            return namespace[func.id]
        return getattr(builtins, func.id, UNKNOWN)
    if isinstance(func, gast.Attribute):
        owner = resolve(func.value, namespace)
        if owner is UNKNOWN:
            return UNKNOWN
        try:
            return getattr(owner, func.attr)
        except Exception:  # a property raising, a missing attribute: decide at run time
            return UNKNOWN
    return UNKNOWN


class CallLookup(gast.NodeTransformer):
    """Wraps the targets of calls that may be user functions in `ag__.cv`."""

    def __init__(self, ctx, local_names):
        self.ctx = ctx
        self.local_names = local_names
        self.cv = ("ag__.cv(func)" if ctx.options == type(ctx.options)()
                   else "ag__.cv(func, ag__ctx.options)")

    def visit_Call(self, node):
        self.generic_visit(node)
        if self._is_plain(node.func):
            return node
        node.func = templates.replace_as_expression(self.cv, func=node.func)
        return node

    def visit_FunctionDef(self, node):
        # Decorators run once, at definition time: leave them alone.
        for field in ("body", "args", "returns"):
            value = getattr(node, field)
            if isinstance(value, list):
                setattr(node, field, [self.visit(v) for v in value])
            elif value is not None:
                setattr(node, field, self.visit(value))
        return node

    def _is_plain(self, func):
        if (isinstance(func, gast.Call) and isinstance(func.func, gast.Attribute)
                and isinstance(func.func.value, gast.Name) and func.func.value.id == "ag__"):
            return True  # `ag__.cv(f)(x)` already: the pass is idempotent
        root = func
        while isinstance(root, gast.Attribute):
            root = root.value
        if not isinstance(root, gast.Name):
            return False
        if root.id in _NEVER_WRAPPED:
            return True
        if root.id in self.local_names:
            return isinstance(func, gast.Attribute) and func.attr in PLAIN_METHODS
        target = resolve(func, self.ctx.namespace)
        return target is not UNKNOWN and _never_converted(target)


def _never_converted(target):
    """Whether calling `target` never needs a conversion lookup."""
    import types

    from autograph.runtime import calls

    if isinstance(target, type):
        return True  # classes are called as they are
    if isinstance(target, (types.BuiltinFunctionType, types.BuiltinMethodType,
                           types.MethodWrapperType, types.WrapperDescriptorType,
                           types.MethodDescriptorType)):
        return True
    module = getattr(target, "__module__", None)
    if isinstance(target, (types.FunctionType, types.MethodType)):
        func = getattr(target, "__func__", target)
        return (func.__dict__.get("__ag_do_not_convert__", False)
                or func.__dict__.get("__ag_is_converted__", False)
                or calls.never_converted_module(module))
    # ufuncs, numpy/jax callables and other objects from never-converted packages.
    return calls.never_converted_module(module or type(target).__module__)


_FUNCTIONS = (gast.FunctionDef, gast.AsyncFunctionDef)


def transform(node, ctx, local_names=frozenset()):
    """Converts the calls in `node`; `local_names` are the function's local variables.

    Only a call's `func` changes, so the calls are found with one walk and changed in place
    (a visitor rebuilding every field costs about twice as much); the calls of decorators
    are left alone, as CallLookup.visit_FunctionDef does."""
    lookup = CallLookup(ctx, local_names)
    calls, decorators = [], set()
    stack = [node]
    while stack:
        n = stack.pop()
        t = type(n)
        if t is gast.Call:
            calls.append(n)
        elif t in _FUNCTIONS and n.decorator_list:
            decorators.update(id(c) for d in n.decorator_list for c in gast.walk(d))
        stack.extend(gast.iter_child_nodes(n))
    for call in calls:
        if id(call) not in decorators and not lookup._is_plain(call.func):
            call.func = templates.replace_as_expression(lookup.cv, func=call.func)
    return node
