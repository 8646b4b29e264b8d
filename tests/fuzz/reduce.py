"""Shrinking a failing program to a minimal reproducer (a small delta debugger over the AST).

Hypothesis shrinks the programs that the pytest campaign (`test_fuzz_campaign.py`) finds, by
shrinking the choices that built them. A long campaign (`campaign.py`) draws programs from
seeds, without hypothesis, so that one run can collect every divergence; it shrinks each new one
here, on the program's source, with the same goal: the smallest program that still fails the
same way (the same `Divergence.signature`).

Passes, repeated until nothing changes:

- delete a statement (an emptied block gets `pass`), or a whole helper function;
- replace a compound statement (`if`/`while`/`for`) by its body or its `else` block;
- drop `elif`/`else` branches;
- replace an expression by one of its operands (`a + b` -> `a`, `x if c else y` -> `x`,
  `a and b` -> `b`, `f(a, b)` -> `a`, `not a` -> `a`) or by a constant `0`/`1`/`0.0`/`True`.

Every candidate runs under a time limit (a deleted loop counter can make a loop infinite).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import signal
import threading
import time
import warnings


class CandidateTimeout(BaseException):  # not swallowed by `except Exception`
    pass


@contextlib.contextmanager
def time_limit(seconds):
    """Raise CandidateTimeout after `seconds` (main thread only; elsewhere no limit)."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise CandidateTimeout(f"timed out after {seconds}s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------

_BLOCK_FIELDS = ("body", "orelse", "finalbody")


def _blocks(tree):
    """Every (node, field) that holds a list of statements."""
    for node in ast.walk(tree):
        for field in _BLOCK_FIELDS:
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield node, field


def _fix_empty(tree):
    for node, field in list(_blocks_all(tree)):
        block = getattr(node, field)
        if not block and field == "body":
            block.append(ast.Pass())
    return tree


def _blocks_all(tree):
    for node in ast.walk(tree):
        for field in _BLOCK_FIELDS:
            if isinstance(getattr(node, field, None), list):
                yield node, field


def _statement_candidates(tree):
    """Trees with one statement deleted or one compound statement unwrapped."""
    paths = []
    for node, field in _blocks(tree):
        for i in range(len(getattr(node, field))):
            paths.append((node, field, i))
    # later statements first: deleting the tail of a function keeps earlier state intact
    for node, field, i in reversed(paths):
        stmt = getattr(node, field)[i]
        yield _edit(tree, node, field, i, [])
        if isinstance(stmt, (ast.If, ast.While, ast.For)):
            yield _edit(tree, node, field, i, stmt.body)
            if stmt.orelse:
                yield _edit(tree, node, field, i, stmt.orelse)
                yield _edit_attr(tree, stmt, "orelse", [])


def _edit(tree, node, field, i, replacement):
    new = copy.deepcopy(tree)
    target = _find(new, tree, node)
    block = getattr(target, field)
    block[i:i + 1] = copy.deepcopy(replacement)
    return _fix_empty(new)


def _edit_attr(tree, node, attr, value):
    new = copy.deepcopy(tree)
    setattr(_find(new, tree, node), attr, copy.deepcopy(value))
    return _fix_empty(new)


def _find(new_tree, old_tree, old_node):
    """The node of `new_tree` (a deep copy of `old_tree`) at old_node's position."""
    for a, b in zip(ast.walk(old_tree), ast.walk(new_tree)):
        if a is old_node:
            return b
    raise LookupError(old_node)


def _targets(tree):
    """The expressions a pass may simplify, in a stable order, with where each one sits."""
    skip = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            skip.add(id(n.func))  # keep `f(...)`, `np.where(...)` callable
        elif isinstance(n, ast.Attribute):
            skip.add(id(n.value))
    out = []
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            items = value if isinstance(value, list) else [value]
            for i, child in enumerate(items):
                if not isinstance(child, ast.expr) or id(child) in skip:
                    continue
                if isinstance(child, ast.Constant):
                    continue
                if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                    continue
                if isinstance(child, (ast.Tuple, ast.List)) and not isinstance(
                        getattr(child, "ctx", ast.Load()), ast.Load):
                    continue
                out.append((parent, field, i if isinstance(value, list) else None, child))
    return out


def _simpler_expressions(node):
    """Simpler expressions that could stand for `node`."""
    if isinstance(node, ast.BinOp):
        yield node.left
        yield node.right
    elif isinstance(node, ast.BoolOp):
        yield from node.values
        if len(node.values) > 2:
            for i in range(len(node.values)):
                yield ast.BoolOp(node.op, node.values[:i] + node.values[i + 1:])
    elif isinstance(node, ast.UnaryOp):
        yield node.operand
    elif isinstance(node, ast.IfExp):
        yield node.body
        yield node.orelse
        yield node.test
    elif isinstance(node, ast.Compare):
        yield node.left
        if len(node.ops) > 1:
            yield ast.Compare(node.left, node.ops[:1], node.comparators[:1])
    elif isinstance(node, ast.Call):
        yield from node.args
    elif isinstance(node, (ast.Tuple, ast.List)) and node.elts:
        for i in range(len(node.elts)):
            yield type(node)(node.elts[:i] + node.elts[i + 1:], ast.Load())
    elif isinstance(node, ast.Subscript):
        yield node.value
    elif isinstance(node, ast.Attribute):
        yield node.value
    if not (isinstance(node, ast.Constant)):
        yield from (ast.Constant(0), ast.Constant(1), ast.Constant(True))


def _expression_candidates(tree):
    """Trees with one expression replaced by a simpler one (last expressions first)."""
    n = len(_targets(tree))
    for index in reversed(range(n)):
        node = _targets(tree)[index][3]
        for simpler in list(_simpler_expressions(node)):
            new = copy.deepcopy(tree)
            parent, field, i, _ = _targets(new)[index]
            if i is None:
                setattr(parent, field, copy.deepcopy(simpler))
            else:
                getattr(parent, field)[i] = copy.deepcopy(simpler)
            yield ast.fix_missing_locations(new)


def _size(text):
    """Smaller is simpler: length first, then the number of names read."""
    return (len(text), sum(isinstance(n, ast.Name) for n in ast.walk(ast.parse(text))))


def _source(tree):
    try:
        text = ast.unparse(tree)
    except Exception:  # noqa: BLE001 - an odd candidate: skip it
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<candidate>", "exec")
    except SyntaxError:
        return None
    return text + "\n"


# --------------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------------


def shrink(source: str, fails, max_steps: int = 2000, timeout: float | None = None,
           budget: float = 120.0, log=None) -> str:
    """The smallest source found for which `fails(source)` stays true.

    `fails` is called on candidate sources under a time limit (`timeout`, default ten times
    what `fails(source)` takes, at least half a second); a timeout or any exception counts as
    "does not fail the same way". Shrinking stops after `max_steps` candidates or `budget`
    seconds, with the best program so far.
    """
    start = time.monotonic()
    if timeout is None:
        fails(source)  # warm up (imports, first conversions)
        t0 = time.monotonic()
        fails(source)
        timeout = max(0.5, 10 * (time.monotonic() - t0))

    def still_fails(text):
        try:
            with time_limit(timeout):
                return bool(fails(text))
        except CandidateTimeout:
            return False
        except Exception:  # noqa: BLE001
            return False

    best = source
    tree = ast.parse(best)
    steps = 0
    progress = True
    while progress and steps < max_steps:
        progress = False
        for generator in (_statement_candidates, _expression_candidates):
            for cand in generator(tree):
                text = _source(cand)
                if text is None or _size(text) >= _size(best):
                    continue
                steps += 1
                if still_fails(text):
                    best, tree, progress = text, ast.parse(text), True
                    if log:
                        log(f"shrink: {len(best)} characters")
                    break
                if steps >= max_steps or time.monotonic() - start > budget:
                    steps = max_steps
                    break
            if progress or steps >= max_steps:
                break
    return best
