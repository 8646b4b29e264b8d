"""After this pass every call that may reach user code is an `ag__.converted_call(f, args, kwargs)` call."""

import builtins
import types

import gast

from autograph.pyct import templates

# Calls that must run in the caller's own frame.
_FRAME_SENSITIVE = frozenset({'super', 'locals', 'globals', 'vars', 'eval', 'exec'})
_UNKNOWN = object()


def local_names(node):
    """The names bound anywhere in `node` (assigned, parameters, defs, imports)."""
    names = set()
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
            names.add(n.id)
        elif isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            names.add(n.name)
        elif isinstance(n, (gast.Import, gast.ImportFrom)):
            names.update((a.asname or a.name).split('.')[0] for a in n.names)
    return names


def converted_here(node):
    """Names that, in `node`, only ever hold functions (and lambdas) defined and converted in
    `node`: calling them directly is calling converted code."""
    defs, others, lambda_targets = set(), set(), set()
    for n in gast.walk(node):
        if (isinstance(n, gast.Assign) and len(n.targets) == 1
                and isinstance(n.targets[0], gast.Name) and isinstance(n.value, gast.Lambda)):
            defs.add(n.targets[0].id)
            lambda_targets.add(id(n.targets[0]))
        elif isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef)) and n is not node:
            (others if n.decorator_list else defs).add(n.name)
        elif (isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))
              and id(n) not in lambda_targets):
            others.add(n.id)
        elif isinstance(n, (gast.Global, gast.Nonlocal)):
            others.update(n.names)
    return defs - others


def _never_converted(target):
    from autograph.runtime import calls

    check = getattr(calls, 'is_never_converted', None)
    if check is not None:
        return check(target)
    module = getattr(target, '__module__', None)  # pragma: no cover - older runtime
    return module == 'builtins' or calls.never_converted_module(module)


class CallTreeTransformer(gast.NodeTransformer):
    """`f(a, *b, k=c, **d)` -> `ag__.converted_call(f, (a, *b), {'k': c, **d})`."""

    def __init__(self, ctx, local_names, converted_here):
        self.ctx = ctx
        self.local_names = local_names
        self.converted_here = converted_here
        self.first_params = []  # per enclosing function: its first parameter (`self`)

    def visit_Call(self, node):
        self.generic_visit(node)
        if self._is_bare_super(node):
            # Body functions have no `self`: spell out what `super()` means in the method.
            node.args = [gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)
                         for n in ('__class__', self.first_params[-1])]
        if self._stays_plain(node.func):
            return node
        args = gast.Tuple(elts=node.args, ctx=gast.Load())
        if node.keywords:
            kwargs = gast.Dict(
                keys=[None if k.arg is None else gast.Constant(value=k.arg, kind=None)
                      for k in node.keywords],
                values=[k.value for k in node.keywords])
        else:
            kwargs = gast.Constant(value=None, kind=None)
        return templates.replace_as_expression(
            'ag__.converted_call(func, args, kwargs)', func=node.func, args=args, kwargs=kwargs)

    def visit_FunctionDef(self, node):
        # Decorators run once, when the function is defined: they stay plain calls.
        decorators, node.decorator_list = node.decorator_list, []
        params = node.args.posonlyargs + node.args.args
        self.first_params.append(params[0].id if params else None)
        self.generic_visit(node)
        self.first_params.pop()
        node.decorator_list = decorators
        return node

    def _is_bare_super(self, node):
        return (isinstance(node.func, gast.Name) and node.func.id == 'super' and not node.args
                and not node.keywords and 'super' not in self.local_names
                and bool(self.first_params) and self.first_params[-1] is not None)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _stays_plain(self, func):
        root = func
        while isinstance(root, gast.Attribute):
            root = root.value
        if not isinstance(root, gast.Name):
            return False
        if root.id == 'ag__' or (func is root and root.id in _FRAME_SENSITIVE):
            return True
        if func is root and root.id in self.converted_here:  # a nested def, converted too
            return True
        if root.id in self.local_names:
            return False
        target = self._resolve(func)
        return target is not _UNKNOWN and _never_converted(target)

    def _resolve(self, func):
        """The object `func` names at conversion time (globals, closure, builtins) or _UNKNOWN."""
        if isinstance(func, gast.Name):
            if func.id in self.ctx.namespace:
                return self.ctx.namespace[func.id]
            return getattr(builtins, func.id, _UNKNOWN)
        owner = self._resolve(func.value)
        if not isinstance(owner, types.ModuleType):
            return _UNKNOWN  # only modules are safe to look into (no properties run)
        return getattr(owner, func.attr, _UNKNOWN)


def transform(node, ctx):
    return CallTreeTransformer(ctx, local_names(node), converted_here(node)).visit(node)
