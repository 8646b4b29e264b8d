"""After this pass a function has at most one `return`, its last statement; earlier returns set a return value and a `do_return` flag, and leave loops with `break`."""

import gast

from autograph.converters import _jumps
from autograph.converters._jumps import ALWAYS, MAYBE, NEVER
from autograph.pyct import templates

_FUNCTIONS = (gast.FunctionDef, gast.AsyncFunctionDef)
_LEAVES = (gast.Return, gast.Raise)
_LOOPS = (gast.For, gast.AsyncFor, gast.While)


def own_returns(node):
    """The `return` statements of function `node` (not those of nested functions)."""
    found, todo = [], list(node.body)
    while todo:
        n = todo.pop()
        if isinstance(n, gast.Return):
            found.append(n)
        elif not isinstance(n, _jumps.SCOPES):
            todo.extend(c for c in gast.iter_child_nodes(n) if isinstance(c, (gast.stmt, gast.AST)))
    return found


def _always_leaves(block):
    """Whether every path through `block` ends in a `return` or `raise`."""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, _LEAVES):
        return True
    if isinstance(last, gast.If):
        return _always_leaves(last.body) and _always_leaves(last.orelse)
    if isinstance(last, _LOOPS):  # a loop that cannot break ends through its `else:`
        return _always_leaves(last.orelse) and not _jumps.has_jump(last.body, gast.Break)
    return False


def merge_tails(stmts):
    """`if c: return a` + rest -> `if c: return a` / `else: rest` (and the mirror case), so
    that fewer paths need a `do_return` guard (TensorFlow's ConditionalReturnRewriter)."""
    out = []
    for i, stmt in enumerate(stmts):
        if not isinstance(stmt, _jumps.SCOPES):
            for part, field, block in list(_jumps.blocks(stmt)):
                setattr(part, field, merge_tails(block))
        out.append(stmt)
        rest = stmts[i + 1:]
        if rest and isinstance(stmt, gast.If):
            if _always_leaves(stmt.body):
                stmt.orelse = merge_tails(stmt.orelse + rest)
                return out
            if _always_leaves(stmt.orelse):
                stmt.body = merge_tails(stmt.body + rest)
                return out
    return out


class ReturnTransformer(_jumps.FlagLowering):
    """`return v` -> `retval = v` / `do_return = True` (plus `break` inside a loop); what
    follows runs under `if not do_return:`; the function ends with `return retval`. After a
    loop nested in a loop, `if do_return: break` passes the return on outward. `retval`
    starts as `ag__.UndefinedReturnValue()`, with `always_returns=True` when every path of the
    function ends in a `return` or `raise` (so that a staged `if` may give a branch that has
    not returned a placeholder); a function whose returns have no value gets none.
    """

    def __init__(self, ctx):
        super().__init__(ctx)
        self.retval = None
        self.always_returns = False
        self.lowered = 0

    def visit_Return(self, node):
        if self.flag is None:  # this function keeps its single, final return
            return [node], NEVER
        self.lowered += 1
        stmts = [_jumps.assign(self.flag, True)]
        if self.retval is not None:  # (a function whose returns all have no value has none)
            stmts.insert(0, _jumps.assign(self.retval, node.value))
        if not self.guards:  # inside a loop: leave it (the break converter lowers the break)
            stmts.append(gast.Break())
        return stmts, ALWAYS

    def _loop(self, node):
        lowered, guards, self.guards = self.lowered, self.guards, False
        node.body, _ = self.visit_block(node.body)
        self.guards = guards
        node.orelse, orelse_jumped = self.visit_block(node.orelse)
        if self.lowered == lowered:
            return [node], _jumps.loop_ending(node, orelse_jumped)
        if not self.guards:  # a loop in a loop: leave the outer one too
            self.flag_reads[self.flag] = self.flag_reads.get(self.flag, 0) + 1
            leave = gast.If(test=_jumps.name(self.flag), body=[gast.Break()], orelse=[])
            return [node, leave], NEVER
        return [node], MAYBE

    visit_While = visit_For = visit_AsyncFor = _loop

    def scope(self, node):
        if not isinstance(node, _FUNCTIONS):
            return super().scope(node)
        saved = self.flag, self.retval, self.guards, self.always_returns
        self.flag, self.retval, self.guards = None, None, True
        returns = own_returns(node)
        if returns and not (len(returns) == 1 and node.body[-1] is returns[0]):
            self.flag = self.ctx.namer.new_symbol('do_return')
            if any(r.value is not None for r in returns):
                self.retval = self.ctx.namer.new_symbol('retval')
                # When every path ends in an explicit `return` (or `raise`), a return value
                # still undefined on some path is never read (a later `return` sets it). A
                # function that may fall off its end keeps the error that says so.
                self.always_returns = _always_leaves(node.body)
                if not self.always_returns:  # falling off the end returns None
                    node.body.append(gast.Return(value=gast.Constant(value=None, kind=None)))
            node.body = merge_tails(node.body)
        body, _ = self.visit_block(node.body)
        if self.flag is not None:
            body = self._finish(body)
        node.body = body
        self.flag, self.retval, self.guards, self.always_returns = saved
        return [node], NEVER

    def _finish(self, body):
        """Adds the flags' initial values and the final `return retval`."""
        init = []
        if self.flag_reads.get(self.flag):
            init.append(_jumps.assign(self.flag, False))
            _drop_final_sets(body, self.flag)
        else:  # no statement ever needed the flag
            body = _jumps.remove_assignments(body, self.flag)
        if self.retval is not None:
            # always_returns lets a staged `if` give the branch that has not returned a
            # placeholder value (runtime/special_values.py).
            init += templates.replace(
                'retval = ag__.UndefinedReturnValue(always_returns=True)' if self.always_returns
                else 'retval = ag__.UndefinedReturnValue()', retval=self.retval)
            body.append(gast.Return(value=_jumps.name(self.retval)))
        # After the docstring and the `global`/`nonlocal` declarations.
        head = 1 if body and _is_docstring(body[0]) else 0
        while head < len(body) and isinstance(body[head], (gast.Global, gast.Nonlocal)):
            head += 1
        return body[:head] + init + body[head:] or [gast.Pass()]


def _drop_final_sets(block, flag):
    """Drops the `do_return = True` that end the function: nothing reads them any more."""
    last = block[-1] if block else None
    if isinstance(last, gast.Assign) and getattr(last.targets[0], 'id', None) == flag:
        block.pop()
    elif isinstance(last, gast.If):
        _drop_final_sets(last.body, flag)
        _drop_final_sets(last.orelse, flag)
        last.body = last.body or [gast.Pass()]
    elif isinstance(last, _LOOPS):
        _drop_final_sets(last.orelse, flag)


def _is_docstring(stmt):
    return (isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Constant)
            and isinstance(stmt.value.value, str))


def transform(node, ctx):
    return ReturnTransformer(ctx).scope(node)[0][0]
