"""Shared by the functional-form converters: walking blocks, and lowering a jump to a flag that guards what follows it."""

import gast

# How a statement may end, as far as the jump being lowered is concerned.
NEVER, MAYBE, ALWAYS = 0, 1, 2

SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)
_TRY = tuple(getattr(gast, n) for n in ('Try', 'TryStar') if hasattr(gast, n))
_MATCH = tuple(getattr(gast, n) for n in ('Match',) if hasattr(gast, n))


def name(id_, ctx=gast.Load):
    return gast.Name(id=id_, ctx=ctx(), annotation=None, type_comment=None)


def assign(target, value):
    if not isinstance(value, gast.AST):  # True, False, None
        value = gast.Constant(value=value, kind=None)
    return gast.Assign(targets=[name(target, gast.Store)], value=value, type_comment=None)


def not_(flag):
    return gast.UnaryOp(op=gast.Not(), operand=name(flag))


def blocks(stmt):
    """The statement lists of a compound statement (its handlers' and cases' included)."""
    for part in [stmt] + list(getattr(stmt, 'handlers', ())) + list(getattr(stmt, 'cases', ())):
        for field in ('body', 'orelse', 'finalbody'):
            block = getattr(part, field, None)
            if block:
                yield part, field, block


def bound_names(stmts):
    """Names that statements bind in the function they belong to (nested scopes excluded)."""
    names, todo = set(), list(stmts)
    while todo:
        node = todo.pop()
        if isinstance(node, gast.Name) and not isinstance(node.ctx, gast.Load):
            names.add(node.id)
        elif isinstance(node, (gast.Global, gast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, (gast.Import, gast.ImportFrom)):
            names.update((a.asname or a.name).split('.')[0] for a in node.names)
        if isinstance(node, SCOPES):
            if not isinstance(node, gast.Lambda):
                names.add(node.name)
        else:
            todo.extend(gast.iter_child_nodes(node))
    return names


def has_jump(stmts, jump_type):
    """Whether `stmts` hold a `jump_type` statement that leaves them (a `break`/`continue` in
    a nested loop's body, or any jump in a nested function, does not)."""
    todo = list(stmts)
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, jump_type):
            return True
        if isinstance(stmt, SCOPES):
            continue
        if isinstance(stmt, (gast.For, gast.AsyncFor, gast.While)):
            todo.extend(stmt.orelse)
            continue
        for _, _, block in blocks(stmt):
            todo.extend(block)
    return False


def loop_ending(loop, orelse_jumped):
    """How a loop statement may end, given how its `else:` clause may: a `break` skips it."""
    if orelse_jumped == ALWAYS and has_jump(loop.body, gast.Break):
        return MAYBE
    return orelse_jumped


class FlagLowering:
    """Walks blocks; after a statement that may have jumped, the rest of its block runs under
    `if not <flag>:`, up to the region the jump leaves (a loop body or a function body).

    Subclasses lower the jump itself (`visit_Break` etc. return the replacing statements and
    ALWAYS) and the statements that open a new region (loops, functions).
    """

    flag = None  # the flag of the innermost region
    guards = True  # whether a statement that may have jumped guards the statements after it

    def __init__(self, ctx):
        self.ctx = ctx
        self.flag_reads = {}  # flag -> how many generated statements read it

    def guard(self, stmts):
        self.flag_reads[self.flag] = self.flag_reads.get(self.flag, 0) + 1
        return gast.If(test=not_(self.flag), body=stmts, orelse=[])

    def visit_block(self, stmts):
        """Returns the lowered block and how it may end: NEVER, MAYBE or ALWAYS jumped."""
        out, result = [], NEVER
        for i, stmt in enumerate(stmts):
            new, jumped = self.statement(stmt)
            out.extend(new)
            if jumped == ALWAYS:
                return out, ALWAYS  # what follows is unreachable
            if jumped == MAYBE:
                result = MAYBE
                if self.guards and i + 1 < len(stmts):
                    rest, _ = self.visit_block(stmts[i + 1:])
                    if rest:
                        out.append(self.guard(rest))
                    return out, MAYBE
        return out, result

    def statement(self, stmt):
        """Lowers one statement: returns (statements, NEVER/MAYBE/ALWAYS)."""
        visitor = getattr(self, 'visit_' + type(stmt).__name__, None)
        if visitor is not None:
            return visitor(stmt)
        if isinstance(stmt, gast.If):
            return self.branches(stmt, ('body', 'orelse'))
        if isinstance(stmt, (gast.With, gast.AsyncWith)):
            # Never ALWAYS: a context manager may swallow an exception raised before the jump.
            new, jumped = self.branches(stmt, ('body',))
            return new, min(jumped, MAYBE)
        if isinstance(stmt, _TRY):
            return self.try_(stmt)
        if isinstance(stmt, _MATCH):
            jumps = [self.branches(case, ('body',))[1] for case in stmt.cases]
            return [stmt], (MAYBE if any(jumps) else NEVER)
        if isinstance(stmt, SCOPES):
            return self.scope(stmt)
        return [stmt], NEVER

    def branches(self, stmt, fields):
        """Lowers the blocks of a statement that runs one of them (or its only one) once."""
        jumps = []
        for field in fields:
            block, jumped = self.visit_block(getattr(stmt, field))
            setattr(stmt, field, block or ([gast.Pass()] if field == 'body' else []))
            jumps.append(jumped)
        if all(j == ALWAYS for j in jumps):
            return [stmt], ALWAYS
        return [stmt], (MAYBE if any(jumps) else NEVER)

    def try_(self, stmt):
        stmt.body, body_jumped = self.visit_block(stmt.body)
        stmt.body = stmt.body or [gast.Pass()]
        jumps = [body_jumped]
        for handler in stmt.handlers:
            handler.body, jumped = self.visit_block(handler.body)
            handler.body = handler.body or [gast.Pass()]
            jumps.append(jumped)
        stmt.orelse, jumped = self.visit_block(stmt.orelse)
        jumps.append(jumped)
        if body_jumped and stmt.orelse and self.guards:
            stmt.orelse = [self.guard(stmt.orelse)]  # `else:` runs only if the body completed
        stmt.finalbody, jumped = self.visit_block(stmt.finalbody)
        jumps.append(jumped)
        return [stmt], (MAYBE if any(jumps) else NEVER)

    def scope(self, node):
        """A nested function or class: its jumps are its own."""
        if not isinstance(node, gast.Lambda):
            saved, self.flag = self.flag, None
            node.body, _ = self.visit_block(node.body)
            self.flag = saved
        return [node], NEVER


def remove_assignments(stmts, flag):
    """Drops every `flag = ...` under `stmts` (a flag nothing reads); keeps blocks valid."""
    out = []
    for stmt in stmts:
        if (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], gast.Name) and stmt.targets[0].id == flag):
            continue
        if not isinstance(stmt, SCOPES):
            for part, field, block in list(blocks(stmt)):
                block = remove_assignments(block, flag)
                setattr(part, field, block or ([gast.Pass()] if field != 'orelse' else []))
        out.append(stmt)
    return out
