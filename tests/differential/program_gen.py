"""Random program generator: deterministic, terminating Python functions as source text.

The generator builds one function (and optionally helper functions it calls) with:

- nested `if`/`elif`/`else`;
- bounded `while` loops (a counter guard `wN` that is incremented first in the body, so that
  `continue` cannot skip it), with an optional `else`;
- `for` over `range(...)` (constant bounds, expression bounds reduced modulo a small number,
  any step sign), list and tuple literals, the list parameter, and `enumerate`, with an optional
  `else`;
- `break`/`continue` (inside loops) and `return` at any depth;
- `and`/`or`/`not` (on conditions and on ints, which return an operand), chained comparisons,
  ternaries, `abs`/`min`/`max`, `//` and `%`;
- augmented assignment;
- variables defined in only some branches: a variable `vN` first assigned inside a nested block
  is followed by `hN = 1`, where the flag `hN = 0` is set at the top of the function, and it is
  read outside that block only as `(vN if hN else k)` or `(hN and vN > k)`;
- list appends and `print` (stdout is compared);
- calls to generated helper functions.

Values are ints, and optionally floats and bools (`GenConfig`).

Every choice goes through a `Chooser`. `HypothesisChooser` draws from hypothesis (so failing
programs shrink), `RandomChooser` from `random.Random(seed)` (for long campaigns and statistics
without hypothesis). `programs(config)` is the hypothesis strategy; `generate(seed, config)`
the seeded variant. Both give a `Program` (source, function name, parameters, input sets) whose
`load()` writes the source to a real file and imports it, so `inspect.getsource` works.

Extension points (issue 6): `GenConfig` flags and weights; `Builder.STATEMENTS` maps a statement
kind to its method (add one there and a weight in `GenConfig.weights`); `Builder.int_expr`,
`float_expr`, `cond` are the expression grammars; `Param` kinds decide the input strategies.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import importlib.util
import random
import shutil
import sys
import tempfile
from typing import Any

# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------

DEFAULT_WEIGHTS = {
    "assign": 6,
    "augassign": 5,
    "cond_assign": 3,
    "if": 5,
    "while": 3,
    "for_range": 3,
    "for_list": 2,
    "break": 2,
    "continue": 2,
    "return": 2,
    "append": 2,
    "print": 1,
}


@dataclasses.dataclass(frozen=True)
class GenConfig:
    max_depth: int = 3  # nesting of compound statements
    max_block: int = 4  # statements per block
    max_statements: int = 30  # per function
    max_expr_depth: int = 2
    loop_limit: int = 5  # while guard and range sizes
    floats: bool = False
    bools: bool = True
    lists: bool = True  # list parameter, list literals, appends
    helpers: int = 1  # at most this many helper functions
    div_by_var: bool = True  # `e // v` may raise ZeroDivisionError (compared)
    prints: bool = True
    loop_else: bool = True
    minmax: bool = True  # min()/max() (compare in Python: not stageable on tensors)
    int_andor: bool = True  # `a and b` on ints, as a value
    ternary: bool = True
    chained: bool = True  # chained comparisons `a < b <= c`
    truthy: bool = True  # ints as conditions (`if x:`, `(h0 and v0 > 1)`): and/or mix int and bool
    n_inputs: tuple = (2, 4)
    weights: tuple = tuple(DEFAULT_WEIGHTS.items())

    def weight(self, kind):
        return dict(self.weights).get(kind, 0)

    @classmethod
    def for_staging(cls, **overrides):
        """A grammar for graph/jax modes: ints only, no lists/prints/bools, no expressions
        that need a Python bool in the middle of an expression (min/max, int and/or)."""
        base = dict(floats=False, bools=False, lists=False, prints=False, div_by_var=False,
                    minmax=False, int_andor=False, truthy=False, helpers=0)
        base.update(overrides)
        return cls(**base)


# --------------------------------------------------------------------------------------------
# Choosers
# --------------------------------------------------------------------------------------------


class Chooser:
    """The source of every random decision."""

    def integer(self, lo, hi):  # inclusive
        raise NotImplementedError

    def choice(self, options):
        return options[self.integer(0, len(options) - 1)]

    def boolean(self, p=0.5):
        # a cheap biased coin: p in 1/8ths
        return self.integer(0, 7) < round(p * 8)

    def weighted(self, pairs):
        """Pick a key from (key, weight) pairs; earlier keys are 'simpler' (shrink target)."""
        pairs = [(k, w) for k, w in pairs if w > 0]
        total = sum(w for _, w in pairs)
        r = self.integer(0, total - 1)
        for k, w in pairs:
            if r < w:
                return k
            r -= w
        return pairs[-1][0]

    # input values
    def int_value(self):
        return self.choice([0, 1, -1, 2, 3, -3, 5, 7, -8, 12, self.integer(-20, 20)])

    def float_value(self):
        return self.choice([0.0, 1.5, -2.25, 0.5, -0.0, 3.0, 1e-3, float(self.integer(-9, 9))])


class HypothesisChooser(Chooser):
    def __init__(self, draw):
        from hypothesis import strategies as st

        self._draw = draw
        self._st = st

    def integer(self, lo, hi):
        return self._draw(self._st.integers(lo, hi))


class RandomChooser(Chooser):
    def __init__(self, seed):
        self._rng = random.Random(seed)

    def integer(self, lo, hi):
        return self._rng.randint(lo, hi)


# --------------------------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    kind: str  # 'int' | 'float' | 'bool' | 'list'


_TMPDIR = None
_LOADED: dict = {}


def _tmpdir():
    global _TMPDIR
    if _TMPDIR is None:
        _TMPDIR = tempfile.mkdtemp(prefix="autograph_gen_")
        atexit.register(shutil.rmtree, _TMPDIR, True)
    return _TMPDIR


@dataclasses.dataclass
class Program:
    source: str
    name: str
    params: tuple
    inputs: list  # of argument tuples

    def __repr__(self):
        return f"Program({self.name}, inputs={self.inputs!r}):\n{self.source}"

    @property
    def digest(self):
        return hashlib.sha1(self.source.encode()).hexdigest()[:16]

    def load(self, directory=None):
        """Write the source to a real .py file, import it, and return the function."""
        key = (self.digest, directory)
        mod = _LOADED.get(key)
        if mod is None:
            import os

            modname = f"ag_gen_{self.digest}"
            path = os.path.join(directory or _tmpdir(), modname + ".py")
            with open(path, "w") as f:
                f.write(self.source)
            spec = importlib.util.spec_from_file_location(modname, path)
            mod = importlib.util.module_from_spec(spec)
            sys.modules[modname] = mod
            spec.loader.exec_module(mod)
            _LOADED[key] = mod
        return getattr(mod, self.name)

    def input_sets(self):
        return [tuple(i) for i in self.inputs]


# --------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Var:
    name: str
    kind: str  # 'int' | 'float' | 'bool'


@dataclasses.dataclass
class Scope:
    defined: list  # Vars defined on every path reaching this point
    depth: int = 0  # nesting of compound statements
    loop_depth: int = 0
    top_level: bool = True  # not inside any branch or loop (new names become defined)


class Builder:
    """Builds one function's source. `fn_kind` is 'main' or 'helper'."""

    STATEMENTS = {
        "assign": "stmt_assign",
        "augassign": "stmt_augassign",
        "cond_assign": "stmt_cond_assign",
        "if": "stmt_if",
        "while": "stmt_while",
        "for_range": "stmt_for_range",
        "for_list": "stmt_for_list",
        "break": "stmt_break",
        "continue": "stmt_continue",
        "return": "stmt_return",
        "append": "stmt_append",
        "print": "stmt_print",
    }
    JUMPS = ("break", "continue", "return")

    def __init__(self, chooser: Chooser, config: GenConfig, name="f", params=(), locals_=(),
                 helpers=(), ret_exprs=None):
        self.c = chooser
        self.cfg = config
        self.name = name
        self.params = list(params)
        self.locals = list(locals_)  # (Var, init source)
        self.helpers = list(helpers)  # (name, arity)
        self.lines: list[str] = []
        self.n_statements = 0
        self.n_flags = 0
        self.n_loops = 0
        self.flagged: list[tuple[Var, str]] = []  # conditional vars and their flags
        self.ret_exprs = ret_exprs  # callable(scope) -> return expression source
        self.has_list = any(p.kind == "list" for p in self.params) or any(
            v.name == "out" for v, _ in self.locals)

    # ---------------------------------------------------------------- output
    def emit(self, scope, text):
        self.lines.append("    " * (scope.depth + 1) + text)

    # ---------------------------------------------------------------- expressions
    def vars_of(self, scope, kinds):
        return [v for v in scope.defined if v.kind in kinds]

    def small_int(self):
        return self.c.choice([0, 1, 2, 3, -1, -2, 5, 7, 10])

    def nonzero_int(self):
        return self.c.choice([2, 3, 1, -2, 5, -3, 7])

    def int_leaf(self, scope):
        ints = self.vars_of(scope, ("int",))
        guarded = [(v, f) for v, f in self.flagged if v.kind == "int" and v not in scope.defined]
        options = [("const", 2)]
        if ints:
            options.insert(0, ("var", 6))
        if guarded:
            options.append(("guarded", 2))
        kind = self.c.weighted(options)
        if kind == "var":
            return self.c.choice(ints).name
        if kind == "guarded":
            v, flag = self.c.choice(guarded)
            return f"({v.name} if {flag} else {self.small_int()})"
        return str(self.small_int())

    def int_expr(self, scope, depth=0):
        if depth >= self.cfg.max_expr_depth:
            return self.int_leaf(scope)
        options = [("leaf", 6), ("add", 3), ("sub", 3), ("mulk", 2), ("neg", 1), ("floordivk", 1),
                   ("modk", 1), ("abs", 1)]
        if self.cfg.minmax:
            options.append(("minmax", 1))
        if self.cfg.ternary:
            options.append(("ternary", 2))
        if self.cfg.int_andor:
            options.append(("andor", 1))
        if self.cfg.div_by_var:
            options.append(("divvar", 1))
        if self.helpers:
            options.append(("call", 2))
        if self.cfg.bools and self.vars_of(scope, ("bool",)):
            options.append(("boolint", 1))
        kind = self.c.weighted(options)
        sub = lambda: self.int_expr(scope, depth + 1)  # noqa: E731
        if kind == "leaf":
            return self.int_leaf(scope)
        if kind == "add":
            return f"({sub()} + {sub()})"
        if kind == "sub":
            return f"({sub()} - {sub()})"
        if kind == "mulk":
            return f"({sub()} * {self.c.choice([2, 3, -1, 0])})"
        if kind == "neg":
            return f"-{sub()}"
        if kind == "floordivk":
            return f"({sub()} // {self.nonzero_int()})"
        if kind == "modk":
            return f"({sub()} % {self.nonzero_int()})"
        if kind == "abs":
            return f"abs({sub()})"
        if kind == "minmax":
            return f"{self.c.choice(['min', 'max'])}({sub()}, {sub()})"
        if kind == "ternary":
            return f"({sub()} if {self.cond(scope, depth + 1)} else {sub()})"
        if kind == "andor":
            return f"({sub()} {self.c.choice(['and', 'or'])} {sub()})"
        if kind == "divvar":
            ints = self.vars_of(scope, ("int",))
            divisor = self.c.choice(ints).name if ints else str(self.nonzero_int())
            return f"({sub()} // {divisor})"
        if kind == "call":
            hname, arity = self.c.choice(self.helpers)
            return f"{hname}({', '.join(sub() for _ in range(arity))})"
        if kind == "boolint":
            return f"({self.c.choice(self.vars_of(scope, ('bool',))).name} + {sub()})"
        raise AssertionError(kind)

    def float_expr(self, scope, depth=0):
        floats = self.vars_of(scope, ("float",))
        if depth >= self.cfg.max_expr_depth:
            if floats and self.c.boolean(0.75):
                return self.c.choice(floats).name
            return self.c.choice(["0.5", "1.5", "-2.0", "0.0", "3.25"])
        kind = self.c.weighted([("leaf", 5), ("int", 2), ("add", 2), ("mul", 2), ("divk", 1),
                                ("ternary", 1 if self.cfg.ternary else 0), ("abs", 1)])
        sub = lambda: self.float_expr(scope, depth + 1)  # noqa: E731
        if kind == "leaf":
            return self.float_expr(scope, self.cfg.max_expr_depth)
        if kind == "int":
            return f"float({self.int_expr(scope, depth + 1)})"
        if kind == "add":
            return f"({sub()} {self.c.choice(['+', '-'])} {sub()})"
        if kind == "mul":
            return f"({sub()} * {self.c.choice(['0.5', '2.0', '-1.0'])})"
        if kind == "divk":
            return f"({sub()} / {self.c.choice(['2.0', '-4.0', '0.5'])})"
        if kind == "ternary":
            return f"({sub()} if {self.cond(scope, depth + 1)} else {sub()})"
        return f"abs({sub()})"

    def expr_of(self, kind, scope):
        if kind == "int":
            return self.int_expr(scope)
        if kind == "float":
            return self.float_expr(scope)
        return self.bool_expr(scope)

    def bool_expr(self, scope, depth=0):
        """A condition whose value is always a bool (`cond` may return an int operand)."""
        options = [("compare", 4), ("not", 1)]
        if self.vars_of(scope, ("bool",)):
            options.append(("boolvar", 2))
        if depth < self.cfg.max_expr_depth:
            options += [("and", 1), ("or", 1)]
        kind = self.c.weighted(options)
        if kind == "compare":
            return self.compare(scope, depth)
        if kind == "not":
            return f"not ({self.not_operand(scope, depth + 1)})"
        if kind == "boolvar":
            return self.c.choice(self.vars_of(scope, ("bool",))).name
        return f"({self.bool_expr(scope, depth + 1)} {kind} {self.bool_expr(scope, depth + 1)})"

    def not_operand(self, scope, depth):
        """The operand of a `not` (any condition: `not` gives a bool of an int too)."""
        return self.cond(scope, depth)

    def compare(self, scope, depth):
        op = lambda: self.c.choice(["<", "<=", ">", ">=", "==", "!="])  # noqa: E731
        use_float = self.cfg.floats and self.vars_of(scope, ("float",)) and self.c.boolean(0.3)
        e = (lambda: self.float_expr(scope, depth + 1)) if use_float else (
            lambda: self.int_expr(scope, depth + 1))
        if self.cfg.chained and self.c.boolean(0.2):
            return f"{e()} {op()} {e()} {op()} {e()}"
        return f"{e()} {op()} {e()}"

    def cond(self, scope, depth=0):
        options = [("compare", 6), ("truthy", 1 if self.cfg.truthy else 0)]
        guarded = [(v, f) for v, f in self.flagged if v.kind == "int" and v not in scope.defined]
        if guarded:
            options.append(("guarded", 1))
        if self.cfg.bools and self.vars_of(scope, ("bool",)):
            options.append(("boolvar", 2))
        if depth < self.cfg.max_expr_depth:
            options += [("not", 1), ("and", 2), ("or", 2)]
        kind = self.c.weighted(options)
        if kind == "compare":
            return self.compare(scope, depth)
        if kind == "truthy":
            return self.int_leaf(scope)
        if kind == "guarded":
            v, flag = self.c.choice(guarded)
            test = flag if self.cfg.truthy else f"{flag} == 1"
            return f"({test} and {v.name} > {self.small_int()})"
        if kind == "boolvar":
            return self.c.choice(self.vars_of(scope, ("bool",))).name
        if kind == "not":
            return f"not ({self.cond(scope, depth + 1)})"
        return f"({self.cond(scope, depth + 1)} {kind} {self.cond(scope, depth + 1)})"

    # ---------------------------------------------------------------- statements
    def block(self, scope):
        """Emit a block of 1..max_block statements, ending early after an unconditional jump.

        Each statement method returns True when it always jumps (break/continue/return)."""
        n = self.c.integer(1, self.cfg.max_block)
        for _ in range(n):
            kind = self.pick_statement(scope)
            self.n_statements += 1
            if getattr(self, self.STATEMENTS[kind])(scope):
                return True
        return False

    def pick_statement(self, scope):
        budget_left = self.n_statements < self.cfg.max_statements
        compound = budget_left and scope.depth < self.cfg.max_depth
        options = []
        for kind, _ in self.cfg.weights:
            w = self.cfg.weight(kind)
            if kind in ("if", "while", "for_range", "for_list") and not compound:
                continue
            if kind in ("break", "continue") and scope.loop_depth == 0:
                continue
            if kind == "append" and not (self.cfg.lists and self.has_list and self._out_defined(scope)):
                continue
            if kind == "print" and not self.cfg.prints:
                continue
            if kind == "cond_assign" and scope.top_level:
                continue
            options.append((kind, w))
        return self.c.weighted(options)

    def _out_defined(self, scope):
        return any(v.name == "out" for v, _ in self.locals)

    def assignable(self, scope):
        return [v for v in scope.defined if v.kind in ("int", "float", "bool")]

    def stmt_assign(self, scope):
        targets = self.assignable(scope)
        if not targets:
            return self.stmt_cond_assign(scope)
        v = self.c.choice(targets)
        self.emit(scope, f"{v.name} = {self.expr_of(v.kind, scope)}")

    def stmt_augassign(self, scope):
        targets = [v for v in self.assignable(scope) if v.kind in ("int", "float")]
        if not targets:
            return self.stmt_assign(scope)
        v = self.c.choice(targets)
        if v.kind == "int":
            op = self.c.choice(["+=", "-=", "*=", "//=", "%=", "|=", "^="])
            rhs = self.int_expr(scope) if op in ("+=", "-=", "|=", "^=") else None
            if op == "*=":
                rhs = str(self.c.choice([2, 3, -1]))
            elif op in ("//=", "%="):
                rhs = str(self.nonzero_int())
            self.emit(scope, f"{v.name} {op} {rhs}")
        else:
            op = self.c.choice(["+=", "-=", "*="])
            rhs = self.float_expr(scope) if op != "*=" else self.c.choice(["0.5", "-1.5"])
            self.emit(scope, f"{v.name} {op} {rhs}")

    def stmt_cond_assign(self, scope):
        """Assign a new variable here; outside this block it is read only through its flag."""
        kinds = ["int"] + (["float"] if self.cfg.floats else [])
        v = Var(f"v{self.n_flags}", self.c.choice(kinds))
        flag = f"h{self.n_flags}"
        self.n_flags += 1
        self.emit(scope, f"{v.name} = {self.expr_of(v.kind, scope)}")
        self.emit(scope, f"{flag} = 1")
        self.flagged.append((v, flag))
        scope.defined.append(v)
        return False

    def child(self, scope, loop=False):
        return Scope(list(scope.defined), scope.depth + 1,
                     scope.loop_depth + (1 if loop else 0), top_level=False)

    def stmt_if(self, scope):
        self.emit(scope, f"if {self.cond(scope)}:")
        self.block(self.child(scope))
        for _ in range(self.c.choice([0, 0, 1, 2])):
            self.emit(scope, f"elif {self.cond(scope)}:")
            self.block(self.child(scope))
        if self.c.boolean(0.5):
            self.emit(scope, "else:")
            self.block(self.child(scope))

    def _loop_else(self, scope):
        if self.cfg.loop_else and self.c.boolean(0.15):
            self.emit(scope, "else:")
            self.block(self.child(scope))

    def stmt_while(self, scope):
        guard = f"w{self.n_loops}"
        self.n_loops += 1
        limit = self.c.integer(0, self.cfg.loop_limit)
        self.emit(scope, f"{guard} = 0")
        if self.c.boolean(0.75):
            self.emit(scope, f"while {guard} < {limit} and {self.cond(scope)}:")
            body = self.child(scope, loop=True)
            self.emit(body, f"{guard} += 1")
        else:
            self.emit(scope, "while True:")
            body = self.child(scope, loop=True)
            self.emit(body, f"{guard} += 1")
            self.emit(body, f"if {guard} > {limit}:")
            self.emit(self.child(body), "break")
        self.block(body)
        self._loop_else(scope)

    def stmt_for_range(self, scope):
        target = Var(f"i{self.n_loops}", "int")
        self.n_loops += 1
        lim = self.cfg.loop_limit + 1
        form = self.c.integer(0, 3)
        if form == 0:
            it = f"range({self.int_expr(scope, 1)} % {lim})"
        elif form == 1:
            lo = self.c.integer(-3, 3)
            it = f"range({lo}, {lo + self.c.integer(-2, lim)})"
        elif form == 2:
            lo, step = self.c.integer(-3, 4), self.c.choice([1, 2, -1, -2, 3])
            hi = lo + step * self.c.integer(-1, lim)
            it = f"range({lo}, {hi}, {step})"
        else:
            it = f"range({self.c.integer(-2, 2)}, {self.int_expr(scope, 1)} % {lim})"
        self.emit(scope, f"for {target.name} in {it}:")
        body = self.child(scope, loop=True)
        body.defined.append(target)
        self.block(body)
        self._loop_else(scope)

    def stmt_for_list(self, scope):
        target = Var(f"i{self.n_loops}", "int")
        self.n_loops += 1
        lists = [p.name for p in self.params if p.kind == "list"] if self.cfg.lists else []
        form = self.c.integer(0, 2 if lists else 1)
        consts = [str(self.c.integer(-4, 6)) for _ in range(self.c.integer(0, 4))]
        if form == 0:
            it = "[" + ", ".join(consts) + "]"
        elif form == 1:
            it = "(" + "".join(c + ", " for c in consts) + ")" if consts else "()"
        else:
            it = self.c.choice(lists)
        body = self.child(scope, loop=True)
        if self.c.boolean(0.2):
            idx = Var(f"i{self.n_loops}", "int")
            self.n_loops += 1
            self.emit(scope, f"for {idx.name}, {target.name} in enumerate({it}):")
            body.defined.append(idx)
        else:
            self.emit(scope, f"for {target.name} in {it}:")
        body.defined.append(target)
        self.block(body)
        self._loop_else(scope)

    def stmt_break(self, scope):
        return self._jump(scope, "break")

    def stmt_continue(self, scope):
        return self._jump(scope, "continue")

    def stmt_return(self, scope):
        # at the top level only guarded: the final return is added by `function`
        return self._jump(scope, f"return {self.ret_exprs(scope)}", guarded=scope.top_level)

    def _jump(self, scope, text, guarded=False):
        if guarded or self.c.boolean(0.5):
            # `if cond: jump`, and the block goes on after it
            self.emit(scope, f"if {self.cond(scope)}:")
            self.emit(self.child(scope), text)
            return False
        self.emit(scope, text)
        return True

    def stmt_append(self, scope):
        self.emit(scope, f"out.append({self.int_expr(scope)})")

    def stmt_print(self, scope):
        vals = [self.int_expr(scope, 1) for _ in range(self.c.integer(1, 2))]
        self.emit(scope, f"print({', '.join(vals)})")

    # ---------------------------------------------------------------- the function
    def function(self):
        header = f"def {self.name}({', '.join(p.name for p in self.params)}):"
        scope = Scope([Var(p.name, p.kind) for p in self.params if p.kind != "list"])
        init_lines = []
        for v, init in self.locals:
            init_lines.append(f"    {v.name} = {init}")
            if v.kind != "list":
                scope.defined.append(v)
        self.block(scope)
        final = f"    return {self.ret_exprs(scope)}"
        flags = [f"    {flag} = 0" for _, flag in self.flagged]
        return "\n".join([header] + init_lines + flags + self.lines + [final]) + "\n"


def _main_return(locals_):
    names = [v.name for v, _ in locals_]

    def ret(scope):
        return "(" + ", ".join(names) + ",)"

    return ret


def build_program(chooser: Chooser, config: GenConfig = GenConfig()) -> Program:
    """Build a Program (helpers first, then `f`) from a chooser's decisions."""
    parts = ["# generated by tests/differential/program_gen.py", ""]
    helpers = []
    n_helpers = chooser.integer(0, config.helpers) if config.helpers else 0
    helper_cfg = dataclasses.replace(config, max_depth=min(2, config.max_depth), helpers=0,
                                     max_statements=8, prints=False, lists=False)
    for k in range(n_helpers):
        hname = f"g{k}"
        params = [Param("p", "int"), Param("q", "int")]
        loc = [(Var("r", "int"), "p - q")]
        b = Builder(chooser, helper_cfg, hname, params, loc, helpers=[])
        b.ret_exprs = lambda scope, b=b: b.int_expr(scope, 1)
        parts.append(b.function())
        parts.append("")
        helpers.append((hname, 2))

    params = [Param("a", "int"), Param("b", "int"), Param("c", "int")]
    if config.floats:
        params.append(Param("d", "float"))
    if config.bools:
        params.append(Param("flag", "bool"))
    if config.lists:
        params.append(Param("xs", "list"))
    locals_ = [(Var("x", "int"), "0"), (Var("y", "int"), "a"), (Var("z", "int"), "b - c")]
    if config.floats:
        locals_.append((Var("u", "float"), "d * 0.5"))
    if config.lists:
        locals_.append((Var("out", "list"), "[]"))
    b = Builder(chooser, config, "f", params, locals_, helpers, ret_exprs=_main_return(locals_))
    parts.append(b.function())
    source = "\n".join(parts)

    inputs = []
    for _ in range(chooser.integer(*config.n_inputs)):
        args = []
        for p in params:
            if p.kind == "int":
                args.append(chooser.int_value())
            elif p.kind == "float":
                args.append(chooser.float_value())
            elif p.kind == "bool":
                args.append(chooser.boolean())
            else:
                args.append([chooser.int_value() for _ in range(chooser.integer(0, 4))])
        inputs.append(tuple(args))
    return Program(source, "f", tuple(params), inputs)


def programs(config: GenConfig = GenConfig(), build=None):
    """The hypothesis strategy of Programs (`build`: another generator's `build_program`)."""
    from hypothesis import strategies as st

    build = build or build_program

    @st.composite
    def _programs(draw):
        return build(HypothesisChooser(draw), config)

    return _programs()


def generate(seed, config: GenConfig = GenConfig(), build=None) -> Program:
    """A Program from a seed, without hypothesis (long campaigns, statistics)."""
    return (build or build_program)(RandomChooser(seed), config)


def main(argv=None):
    """`python -m tests.differential.program_gen [SEED] [--floats]`: print one program."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int, nargs="?", default=0)
    ap.add_argument("--floats", action="store_true")
    ns = ap.parse_args(argv)
    prog = generate(ns.seed, GenConfig(floats=ns.floats))
    print(prog.source)
    print("# inputs:", prog.inputs)


if __name__ == "__main__":
    main()


__all__: Any = ["GenConfig", "Program", "programs", "generate", "build_program", "Builder",
                "Chooser", "HypothesisChooser", "RandomChooser", "DEFAULT_WEIGHTS"]
