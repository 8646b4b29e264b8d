"""After this pass every `if`/`while`/`for` runs natively and stages itself when its header meets a tensor.

The fast form of a compound statement keeps the user's syntax inside a `try` whose handler
calls `ag__.stage`, which re-raises unless the failure came from the statement's own header
(known from the generated line) on a tensor. Nothing else is added to the hot path except a
`ag__ran_N = True` marker at the top of `while` bodies and one call that checks a `for` iterable.

A statement whose `return`/`break`/`continue` leaves it is staged together with its
continuation: the rest of the enclosing blocks up to the loop body or function body (the
"barrier"). When an enclosing `try`/`with`/`match` stands in the way, the continuation stops
at the statement's own block, which then moves into the `try`'s `else:` so that it is skipped
when the handler has run it.
"""

from __future__ import annotations

import builtins
import dataclasses

import gast

from autograph.pyct import activity, anno, templates

# Codes a staged unit returns for the jump it ended with.
FALL, BREAK, RETURN, CONTINUE = 0, 1, 2, 3

_LOOPS = (gast.While, gast.For, gast.AsyncFor)
_MAX_BLOCKS = 19
_MAX_INDENT = 98
_KINDS = {gast.If: "if", gast.While: "while", gast.For: "for"}
_TRY = tuple(getattr(gast, name) for name in ("Try", "TryStar") if hasattr(gast, name))
_MATCH = tuple(getattr(gast, name) for name in ("Match",) if hasattr(gast, name))
_ITER_BUILTINS = {"range": "py_range", "enumerate": "py_enumerate", "zip": "py_zip"}


@dataclasses.dataclass
class Unit:
    """What `ag__.stage` needs to know about one converted statement.

    path: where the statement sits in the user's function, as (field, index) pairs from the
        FunctionDef, so the staging code can find it again in a fresh parse.
    kind: 'if', 'while' or 'for'.
    strategy: 'none' (no jump leaves it), 'barrier' (staged with its continuation up to the
        loop or function body; the handler ends with a native jump) or 'block' (staged with the
        rest of its own block, which the fast form skips through the try's `else:`).
    barrier: 'function' or 'loop' (strategy 'barrier'); whether there is an enclosing loop.
    outputs: local names the handler assigns back.
    header_nodes: the generated nodes whose lines are this statement's header (filled into
        `header_lines` once the source is unparsed).
    marker: the `while` marker variable's name.
    captures: link -> the variable that an `if` test with calls assigns its value to
        (`if (ag__test := f(x) > 0):`), so that staging uses that value instead of evaluating
        the test (and its calls, which may have effects) a second time.
    """

    path: tuple
    kind: str
    strategy: str = "none"
    barrier: str = "function"
    outputs: tuple = ()
    has_return: bool = False
    has_break: bool = False
    has_continue: bool = False
    header_nodes: list = dataclasses.field(default_factory=list)
    header_lines: dict = dataclasses.field(default_factory=dict)
    marker: str | None = None
    captures: dict = dataclasses.field(default_factory=dict)
    exc_name: str = "ag__e"


class _Jumps:
    """Finds the `return`/`break`/`continue` statements that leave a statement.

    Jumps are statements, so only statement lists are walked (never expressions), and nested
    function and class bodies are skipped.
    """

    def __init__(self):
        self.has_return = self.has_break = self.has_continue = False

    def visit(self, stmt, in_loop=False):
        kind = type(stmt)
        if kind is gast.Return:
            self.has_return = True
        elif kind is gast.Break:
            self.has_break |= not in_loop
        elif kind is gast.Continue:
            self.has_continue |= not in_loop
        elif kind in _LOOP_KINDS:
            self.visit_loop(stmt, in_loop)
        elif kind not in _OPAQUE:
            for field in _BLOCK_FIELDS:
                block = getattr(stmt, field, None)
                if block:
                    for child in block:
                        self.visit(child, in_loop)
            for handler in getattr(stmt, "handlers", ()):
                for child in handler.body:
                    self.visit(child, in_loop)
            for case in getattr(stmt, "cases", ()):
                for child in case.body:
                    self.visit(child, in_loop)

    def visit_loop(self, loop, in_loop):
        for child in loop.body:
            self.visit(child, True)
        for child in loop.orelse:  # a loop's else clause belongs to the enclosing loop
            self.visit(child, in_loop)


_LOOP_KINDS = (gast.While, gast.For, gast.AsyncFor)
_OPAQUE = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)
_BLOCK_FIELDS = ("body", "orelse", "finalbody")


_BLOCK_KINDS = (gast.While, gast.For, gast.AsyncFor, gast.With, gast.AsyncWith) + tuple(
    getattr(gast, n) for n in ("Try", "TryStar") if hasattr(gast, n))


def _extent(stmt, memo):
    """(the deepest nesting of blocks, of indented bodies) inside and including `stmt`."""
    hit = memo.get(id(stmt))
    if hit is not None:
        return hit
    blocks = height = 0
    children = []
    for field in ("body", "orelse", "finalbody"):
        children.extend(getattr(stmt, field, None) or ())
    for part in getattr(stmt, "handlers", ()) or ():
        children.extend(part.body)
    for part in getattr(stmt, "cases", ()) or ():
        children.extend(part.body)
    for child in children:
        if isinstance(child, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue  # a code object of its own (its indentation is small next to the limit)
        b, h = _extent(child, memo)
        blocks, height = max(blocks, b), max(height, h)
    if children:
        height += 1
    if isinstance(stmt, _BLOCK_KINDS):
        blocks += 1
    memo[id(stmt)] = (blocks, height)
    return blocks, height


def _jumps_of(stmt):
    finder = _Jumps()
    if isinstance(stmt, _LOOPS):
        # The loop's own break/continue stay inside it; only returns (and those in its
        # else clause) leave it.
        finder.visit_loop(stmt, False)
    else:
        finder.visit(stmt)
    return finder


def _stops_loop(loop):
    """Whether the body of `loop` has a `break` of its own or a `return`."""
    finder = _Jumps()
    for child in loop.body:
        finder.visit(child)
    return finder.has_break or finder.has_return


def _simple_names(qns):
    return {str(qn) for qn in qns if not qn.is_composite()}


class NativeControlFlow:
    """Rewrites the compound statements of one function into their fast form."""

    def __init__(self, ctx, fn_node):
        self.ctx = ctx
        self.units = []
        self.fn_node = fn_node
        self.jump = ctx.namer.new_symbol("ag__jump")
        # Generated code must stay within CPython's limits of 20 nested blocks (try, loops,
        # with) per function and 100 indentation levels: a statement whose `try` would go past
        # them stays native, unwrapped (it still stages as part of an enclosing staged one).
        self.blocks = 0
        self.indent = 0
        self.extents = {}
        self.value = ctx.namer.new_symbol("ag__value")

    # Blocks ------------------------------------------------------------------------------

    def function(self, fn, path):
        scope = anno.getanno(fn, anno.Static.SCOPE, None)
        saved = getattr(self, "scope", None)
        self.scope = scope
        self.globals = _simple_names(scope.globals) if scope is not None else set()
        self.nonlocals = _simple_names(scope.nonlocals) if scope is not None else set()
        self.locals = (_simple_names(scope.bound) | self.nonlocals) if scope is not None \
            else set()
        saved_blocks, self.blocks = self.blocks, 0  # blocks count per code object
        fn.body = self.block(fn.body, path + ("body",), _Where("function", None, []))
        self.blocks = saved_blocks
        if saved is not None:
            self.scope = saved
            self.globals = _simple_names(saved.globals)
            self.nonlocals = _simple_names(saved.nonlocals)
            self.locals = _simple_names(saved.bound) | self.nonlocals
        return fn

    def block(self, stmts, path, where, start=0):
        """Returns the fast form of a block (`stmts` start at index `start` of the user's block).

        where: the barrier of this block and the statements that follow it up to the barrier
            (None when an enclosing try/with/match cuts the continuation).
        """
        self.indent += 1
        try:
            return self._block(stmts, path, where, start)
        finally:
            self.indent -= 1

    def _fits(self, stmt):
        """Whether wrapping `stmt` keeps it and everything inside it within the limits."""
        blocks, height = _extent(stmt, self.extents)
        # The handler's own code runs inside two blocks (the except clause and its cleanup).
        return (self.blocks + max(1 + blocks, 2) <= _MAX_BLOCKS
                and self.indent + 1 + height <= _MAX_INDENT)

    def _nested(self, blocks, fn, *args):
        self.blocks += blocks
        try:
            return fn(*args)
        finally:
            self.blocks -= blocks

    def _block(self, stmts, path, where, start):
        out = []
        for offset, stmt in enumerate(stmts):
            index = start + offset
            stmt_path = path + (index,)
            rest = stmts[offset + 1:]
            if isinstance(stmt, (gast.If, gast.While, gast.For)):
                if not self._fits(stmt):
                    out.append(stmt)
                    continue
                unit = self._unit(stmt, stmt_path, where, rest)
                loop = isinstance(stmt, (gast.While, gast.For))
                self.indent += 1
                try:
                    converted = self._nested(1 + loop, self.compound, stmt, stmt_path, where,
                                             rest, unit)
                    if unit.strategy == "block":
                        converted[-1].orelse.extend(self.block(rest, path, where, index + 1))
                finally:
                    self.indent -= 1
                if unit.strategy == "block":
                    out.extend(converted)
                    return out
                out.extend(converted)
            elif isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef)):
                out.append(self.function(stmt, stmt_path))
            elif isinstance(stmt, _TRY):
                cut = where.cut()
                stmt.body = self._nested(1, self.block, stmt.body, stmt_path + ("body",), cut)
                for h_index, handler in enumerate(stmt.handlers):
                    handler.body = self.block(handler.body,
                                              stmt_path + ("handlers", h_index, "body"), cut)
                stmt.orelse = self.block(stmt.orelse, stmt_path + ("orelse",), cut)
                stmt.finalbody = self._nested(1, self.block, stmt.finalbody,
                                              stmt_path + ("finalbody",), cut)
                out.append(stmt)
            elif isinstance(stmt, (gast.With, gast.AsyncWith)):
                stmt.body = self._nested(1, self.block, stmt.body, stmt_path + ("body",),
                                         where.cut())
                out.append(stmt)
            elif isinstance(stmt, _MATCH):
                for c_index, case in enumerate(stmt.cases):
                    case.body = self.block(case.body, stmt_path + ("cases", c_index, "body"),
                                           where.cut())
                out.append(stmt)
            else:
                out.append(stmt)
        return out

    def _unit(self, stmt, path, where, rest):
        jumps = _jumps_of(stmt)
        unit = Unit(path, _KINDS[type(stmt)], barrier=where.barrier,
                    has_return=jumps.has_return, has_break=jumps.has_break,
                    has_continue=jumps.has_continue)
        if not (jumps.has_return or jumps.has_break or jumps.has_continue):
            unit.strategy = "none"
            unit.outputs = self._live_modified([stmt], anno.getanno(stmt, anno.Static.LIVE_VARS_OUT))
        elif where.following is not None:
            unit.strategy = "barrier"
            continuation = [stmt] + list(rest) + where.following
            for follower in continuation:
                more = _jumps_of(follower)
                unit.has_return |= more.has_return
                unit.has_break |= more.has_break
            if where.barrier == "loop":
                loop = where.node
                live = (anno.getanno(loop, anno.Static.LIVE_VARS_IN)
                        | anno.getanno(loop, anno.Static.LIVE_VARS_OUT))
                unit.outputs = self._live_modified(continuation, live)
            else:  # the handler returns what the staged rest of the function returns,
                # after writing back the nonlocals the rest of the function assigns
                unit.outputs = tuple(sorted(self._modified(continuation) & self.nonlocals))
        else:
            unit.strategy = "block"
            block = [stmt] + list(rest)
            unit.outputs = self._live_modified(
                block, anno.getanno(block[-1], anno.Static.LIVE_VARS_OUT))
        return unit

    def _modified(self, stmts):
        names = set()
        for stmt in stmts:
            scope = activity.stmt_scope(stmt)
            for qn in scope.modified:
                # `a[i] = v` on a local array is staged as `a = ag__.setitem(a, i, v)`: the
                # handler writes `a` back too.
                names.add(str(qn.root) if qn.has_subscript() else str(qn))
            # `del x` is staged as `x = ag__.Undefined('x')` (converters/variables.py); after
            # `del a[i]` the handler writes `a` back, as after `a[i] = v`.
            names.update(str(qn.root) if qn.has_subscript() else str(qn)
                         for qn in scope.deleted)
        names = {n for n in names if "." not in n and "[" not in n}
        # Only the function's own locals (and its nonlocals) can be written back: assigning a
        # free variable in the handler would make it a local of the converted function.
        return (names & self.locals) - self.globals

    def _live_modified(self, stmts, live):
        return tuple(sorted(self._modified(stmts) & _simple_names(live)))

    # Statements --------------------------------------------------------------------------

    def compound(self, stmt, path, where, rest, unit):
        self.units.append(unit)
        unit.exc_name = self.ctx.namer.new_symbol("ag__e")  # outer statements first
        origin = anno.getanno(stmt, anno.Basic.ORIGIN, None)
        if isinstance(stmt, gast.If):
            converted = self._if(stmt, path, where, rest, unit)
        elif isinstance(stmt, gast.While):
            converted = self._while(stmt, path, where, rest, unit)
        else:
            converted = self._for(stmt, path, where, rest, unit)
        if origin is not None:  # tracebacks through the handler show the user's statement
            for node in converted:
                _inherit_origin(node, origin)
        return converted

    def _if(self, stmt, path, where, rest, unit):
        # Each link of an elif chain is a header of this unit; each branch continues with the
        # rest of this block.
        branch_where = where.branch(rest)
        link, link_path = stmt, path
        while True:
            unit.header_nodes.append(link)
            self._capture_test(link, unit)
            link.body = self.block(link.body, link_path + ("body",), branch_where)
            if len(link.orelse) == 1 and isinstance(link.orelse[0], gast.If):
                link, link_path = link.orelse[0], link_path + ("orelse", 0)
                continue
            link.orelse = self.block(link.orelse, link_path + ("orelse",), branch_where)
            break
        return self._wrap([stmt], unit)

    def _while(self, stmt, path, where, rest, unit):
        unit.header_nodes.append(stmt)
        self._capture_test(stmt, unit)
        unit.marker = self.ctx.namer.new_symbol("ag__ran")
        body = self.block(stmt.body, path + ("body",), _Where("loop", stmt, []))
        stmt.body = templates.replace("marker = True", marker=unit.marker) + body
        stmt.orelse = self.block(stmt.orelse, path + ("orelse",), where.branch(rest))
        init = templates.replace("marker = False", marker=unit.marker)
        return init + self._wrap([stmt], unit)

    def _for(self, stmt, path, where, rest, unit):
        iterable = self.ctx.namer.new_symbol("ag__iter")
        source = stmt.iter
        if self._is_iter_builtin(source):
            helper = _ITER_BUILTINS[source.func.id]
            if helper == "py_range" and _stops_loop(stmt):
                # A jump on a tensor can only stop a staged loop: py_range_jumps lets a
                # backend that builds a graph stage this one (the engine, docs/graph_mode.md).
                helper = "py_range_jumps"
            call = templates.replace_as_expression("ag__.helper()", helper=helper)
            # `enumerate(zip(xs, ys))`: the inner builtins build loop descriptors.
            call.args = [self._inner_iterables(a) for a in source.args]
            call.keywords = source.keywords
        else:
            call = templates.replace_as_expression("ag__.py_iter(source)", source=source)
        evaluate = templates.replace("iterable = call", iterable=iterable, call=call)
        unit.header_nodes.append(evaluate[0])
        stmt.iter = gast.Name(iterable, gast.Load(), None, None)
        stmt.body = self.block(stmt.body, path + ("body",), _Where("loop", stmt, []))
        stmt.orelse = self.block(stmt.orelse, path + ("orelse",), where.branch(rest))
        wrapped = self._wrap(evaluate, unit)
        wrapped[-1].orelse = [stmt]
        return wrapped

    def _capture_test(self, stmt, unit):
        """`if (ag__test := test):` for a test with calls (see Unit.captures)."""
        if any(isinstance(n, gast.Call) for n in gast.walk(stmt.test)):
            name = self.ctx.namer.new_symbol("ag__test")
            unit.captures[len(unit.header_nodes) - 1] = name
            stmt.test = gast.NamedExpr(
                target=gast.Name(name, gast.Store(), None, None), value=stmt.test)

    def _is_iter_builtin(self, node):
        return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
                and node.func.id in _ITER_BUILTINS and self._is_builtin(node.func.id))

    def _inner_iterables(self, node):
        if self._is_iter_builtin(node):
            node.func = templates.replace_as_expression(
                "ag__.helper", helper=node.func.id + "_")
            node.args = [self._inner_iterables(a) for a in node.args]
        return node

    def _is_builtin(self, name):
        """Whether `name` in this function means the builtin (not a local or a global)."""
        if self.scope is not None and name in _simple_names(self.scope.modified | self.scope.bound):
            return False
        namespace = self.ctx.namespace or {}
        if name in namespace:
            return namespace[name] is getattr(builtins, name, None)
        return True

    # Handlers ----------------------------------------------------------------------------

    def _wrap(self, body, unit):
        exc = unit.exc_name
        call = templates.replace_as_expression(
            "ag__.stage(ag__ctx, unit_id, exc, locals())",
            unit_id=gast.Constant(self.units.index(unit), None), exc=exc)
        return templates.replace(
            "try:\n    body\nexcept TypeError as exc:\n    handler",
            body=body, exc=exc, handler=self._handler(call, unit))

    def _handler(self, call, unit):
        targets = gast.Tuple([gast.Name(n, gast.Store(), None, None) for n in unit.outputs],
                             gast.Store())
        if unit.strategy == "none":
            if not unit.outputs:
                return [gast.Expr(call)]
            return templates.replace("targets = call", targets=targets, call=call)
        if unit.strategy == "barrier" and unit.barrier == "function":
            if unit.outputs:
                return templates.replace("value, targets = call\nreturn value",
                                         value=self.value, targets=targets, call=call)
            return templates.replace("return call", call=call)
        head = templates.replace("jump, value, targets = call", jump=self.jump,
                                 value=self.value, targets=targets, call=call)
        if unit.has_return:
            head += templates.replace("if jump == code:\n    return value", jump=self.jump,
                                      value=self.value, code=gast.Constant(RETURN, None))
        if unit.has_break:
            head += templates.replace("if jump == code:\n    break", jump=self.jump,
                                      code=gast.Constant(BREAK, None))
        if unit.strategy == "barrier":
            head += templates.replace("continue")
        elif unit.has_continue:
            head += templates.replace("if jump == code:\n    continue", jump=self.jump,
                                      code=gast.Constant(CONTINUE, None))
        return head


def _inherit_origin(node, origin):
    """Gives the generated statements under `node` (those with no origin) `origin`."""
    if anno.hasanno(node, anno.Basic.ORIGIN):
        return
    anno.setanno(node, anno.Basic.ORIGIN, origin)
    for field in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(node, field, None) or ():
            _inherit_origin(child, origin)


class _Where:
    """A block's barrier ('function' or 'loop', with its node) and what follows the block up
    to the barrier (None once a try/with/match cuts the continuation)."""

    def __init__(self, barrier, node, following):
        self.barrier, self.node, self.following = barrier, node, following

    def branch(self, rest):
        if self.following is None:
            return self
        return _Where(self.barrier, self.node, list(rest) + self.following)

    def cut(self):
        return _Where(self.barrier, self.node, None)


def transform(node, ctx):
    """Converts `node` (a FunctionDef) in place; returns (node, units)."""
    converter = NativeControlFlow(ctx, node)
    converter.function(node, ())
    return node, converter.units
