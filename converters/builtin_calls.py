"""After this pass calls of `len`, `min`, `max`, `sum`, `any`, `all`, `float`, `int` and `bool`
reach their overloads `ag__.len_` ... (runtime/py_builtins.py) when an argument is a tensor;
the overloads give a tensor's answer where the builtin would ask a tensor for its length,
truth value or Python number.

Only a call through the builtin's own name counts, and only when that name means the builtin
here: not a local, parameter or free variable of the function (anywhere in it, nested
functions included) nor a global of its module.

The functional form calls the overloads directly. The fast form keeps the builtins native,
since an overload costs one Python call more (a loop calling `len` and `max` ran 1.6x slower):

- a simple statement whose only calls are such builtins stays native inside
  `try: <stmt> except TypeError: <stmt with the overloads>`, which costs nothing until a
  tensor makes the builtin raise (the statement then runs again, with the overloads: only
  its builtins and operators ran the first time, so nothing else happens twice);
- the tests and iterables of if/while/for stay native: their handlers stage them, and the
  functional form uses the overloads;
- any other statement (one that also calls other functions, which must not run twice, or one
  nested too deeply for another `try`) calls the overloads directly.
"""

from __future__ import annotations

import builtins

import gast

from autograph.pyct import origin_info, templates
from autograph.runtime.py_builtins import OVERLOADS

# Statements that can be run again by the handler; the others call the overloads directly.
_RERUNNABLE = (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Expr, gast.Return)
# CPython allows 20 statically nested blocks; the fast form already nests a `try` in each
# if/while/for. Deeper than this, a statement calls the overloads directly.
_MAX_BLOCKS = 12
_BLOCKS = (gast.For, gast.While, gast.Try, gast.With)


# Runtime operators that only evaluate the expressions given to them (as thunks, walked too).
_PURE_OPERATORS = frozenset({'and_', 'or_', 'not_', 'if_exp'})
# Builtins without side effects (on their arguments or elsewhere): a statement may run again
# with them. (Not `list`, `next`, `sorted`...: they consume iterators.)
_PURE_BUILTINS = frozenset({
    'abs', 'round', 'divmod', 'pow', 'isinstance', 'issubclass', 'type', 'str', 'repr',
    'format', 'hash', 'id', 'range', 'slice', 'complex', 'chr', 'ord', 'hex', 'oct', 'bin',
    'callable'})


def _overloaded(call, names):
    return type(call) is gast.Call and type(call.func) is gast.Name and call.func.id in names


def _operator(call):
    func = call.func
    return (type(func) is gast.Attribute and type(func.value) is gast.Name
            and func.value.id == 'ag__' and func.attr in _PURE_OPERATORS)


def _use_overloads(node, names):
    """Rewrites, in place, every overloaded builtin call under `node`."""
    for n in gast.walk(node):
        if _overloaded(n, names):
            func = gast.Attribute(
                value=gast.Name(id='ag__', ctx=gast.Load(), annotation=None, type_comment=None),
                attr=OVERLOADS[n.func.id], ctx=gast.Load())
            n.func = gast.copy_location(func, n.func)
    return node


class FastBuiltinCalls(gast.NodeTransformer):
    """The fast form's strategy (see the module docstring)."""

    def __init__(self, names, pure, lines):
        self.names = names
        self.pure = pure  # the names of _PURE_BUILTINS that mean the builtins here
        self.lines = lines  # the lines of the candidate calls (None: a call without one)
        self.blocks = 0

    def _block(self, node):
        self.blocks += 1
        try:
            return self.generic_visit(node)
        finally:
            self.blocks -= 1

    def visit_If(self, node):  # the test stays native: its handler stages it
        node.body = self._statements(node.body)
        node.orelse = self._statements(node.orelse)
        return node

    def visit_While(self, node):
        self.blocks += 1
        node.body = self._statements(node.body)
        node.orelse = self._statements(node.orelse)
        self.blocks -= 1
        return node

    def visit_For(self, node):
        self.blocks += 1
        node.body = self._statements(node.body)
        node.orelse = self._statements(node.orelse)
        self.blocks -= 1
        return node

    visit_Try = visit_With = _block

    def generic_visit(self, node):
        for field in ('body', 'orelse', 'finalbody'):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], gast.stmt):
                setattr(node, field, self._statements(value))
        for handler in getattr(node, 'handlers', ()) or ():
            handler.body = self._statements(handler.body)
        for case in getattr(node, 'cases', ()) or ():
            case.body = self._statements(case.body)
        if isinstance(node, gast.stmt) and not isinstance(
                node, (gast.If, gast.While, gast.For, gast.Try, gast.With, gast.FunctionDef,
                       gast.ClassDef, gast.Match)):
            return self._simple(node)
        return node

    def _statements(self, stmts):
        out = []
        for stmt in stmts:
            result = self.visit(stmt)
            out.extend(result if isinstance(result, list) else [result])
        return out

    def _simple(self, stmt):
        first = getattr(stmt, 'lineno', None)
        if first is not None and None not in self.lines and not any(
                line in self.lines for line in range(first, (stmt.end_lineno or first) + 1)):
            return stmt  # no candidate call on its lines: no need to walk it
        calls = [n for n in gast.walk(stmt) if type(n) is gast.Call and not _operator(n)
                 and not _overloaded(n, self.pure)]
        overloaded = [c for c in calls if _overloaded(c, self.names)]
        if not overloaded:
            return stmt
        if (not isinstance(stmt, _RERUNNABLE) or len(overloaded) != len(calls)
                or self.blocks >= _MAX_BLOCKS):
            return _use_overloads(stmt, self.names)
        again = _use_overloads(templates.copy_tree(stmt), self.names)
        wrapped = templates.replace('try:\n    stmt\nexcept TypeError:\n    again', stmt=stmt,
                                    again=again)
        return origin_info.attribute_to(wrapped, stmt, location=True)


def transform(node, ctx):
    # One walk finds both the candidate calls and every name bound anywhere in the function
    # (assigned, parameters, defs, classes, imports, global/nonlocal).
    used, bound, lines = set(), set(), set()
    for n in gast.walk(node):
        t = type(n)
        if t is gast.Call:
            if type(n.func) is gast.Name:
                used.add(n.func.id)
                if n.func.id in OVERLOADS:
                    lines.add(getattr(n, 'lineno', None))
        elif t is gast.Name:
            if type(n.ctx) is not gast.Load:
                bound.add(n.id)
        elif t in (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef):
            bound.add(n.name)
        elif t in (gast.Import, gast.ImportFrom):
            bound.update((a.asname or a.name).split('.')[0] for a in n.names)
        elif t in (gast.Global, gast.Nonlocal):
            bound.update(n.names)
    if not used & OVERLOADS.keys():
        return node
    bound.update(getattr(ctx, 'free_names', ()) or ())
    namespace = ctx.namespace or {}

    def builtin_here(name):
        return (name not in bound
                and namespace.get(name, getattr(builtins, name)) is getattr(builtins, name))

    names = {name for name in used & OVERLOADS.keys() if builtin_here(name)}
    if not names:
        return node
    if getattr(ctx, 'mode', 'fast') == 'functional':
        return _use_overloads(node, names)
    pure = {name for name in used & _PURE_BUILTINS if builtin_here(name)}
    node.body = FastBuiltinCalls(names, pure, lines)._statements(node.body)
    return node
