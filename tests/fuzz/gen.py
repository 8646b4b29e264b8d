"""The fuzzer's program generator: `tests/differential/program_gen.py` extended (issue 6).

On top of the base grammar (nested `if`/`elif`/`else`, bounded `while`, `for` over ranges and
lists, `break`/`continue`/`return` at any depth, `and`/`or`/`not`, ternaries, augmented
assignment, variables defined in only some branches, helper calls, list appends, `print`, over
ints, floats and bools) this adds:

- numpy arrays: a float64 parameter `arr` and an int64 parameter `iarr` (same length, 1 to 4
  elements), and a float64 local `acc` (a fresh array, never an alias of `arr`); array
  expressions (`acc * 0.5`, `np.where(...)`, `np.abs`, `np.maximum`, `acc - arr`), reductions
  and indexing as scalars (`arr.sum()`, `acc[0]`, `(iarr > k).sum()`, `len(arr)`), array
  conditions (`(arr > k).any()`, `acc.sum() < v`), array assignment, augmented assignment and
  item assignment (`acc[0] = v`);
- `for` over numpy arrays (`for e in arr`, `for k, e in enumerate(iarr)`): the array a loop
  iterates is never mutated in its body (numpy would show the loop the mutation; a graph loop
  iterates the value the loop started with);
- helpers of three kinds, each calling the helpers defined before it: `gK(p, q)` (ints),
  `fK(s, t)` (floats), `aK(v, s)` (an array and a float, returning an array);
- reads of a variable defined in only some branches *without* its flag (`maybe_undefined`):
  `UnboundLocalError` on the paths where it is not defined, to be matched exactly.

Switches in `FuzzConfig` turn off what staged modes cannot express the same way as Python
(see docs/fuzzing.md): `div_by_var` (integer division by a zero tensor is 0, not
`ZeroDivisionError`; both branches of a staged `if` are traced, so a division by a Python 0 in
the branch not taken raises while tracing), `int_conditions` (an int used as a condition, or
`and`/`or` mixing int and bool operands in a condition), `maybe_undefined` (a read that raises
in the branch not taken raises while tracing it), `np_functions` (jax only: numpy functions do
not take jax tracers). `minmax` and `builtin_casts` (`min`/`max`, `float()`, `len()`) are on
in every configuration since the builtins have tensor overloads (runtime/py_builtins.py).
Two more switches, `int_andor` (int-valued `and`/`or`) and `append_after_loops`, and the
`array_setitem` weight, let the CI campaign leave out the constructs of open wrong-value bugs
(`known.CI_EXCLUSIONS`).

`staged_config()` is the configuration for graph and jax campaigns; `python_config()` the
one for Python mode (everything on).
"""

from __future__ import annotations

import dataclasses

from tests.differential import program_gen
from tests.differential.program_gen import (
    DEFAULT_WEIGHTS,
    Builder,
    Chooser,
    GenConfig,
    Param,
    Program,
    Scope,
    Var,
)

FUZZ_WEIGHTS = dict(DEFAULT_WEIGHTS)
FUZZ_WEIGHTS.update({
    "for_array": 2,
    "array_assign": 3,
    "array_setitem": 1,
    "maybe_undefined": 1,
})


@dataclasses.dataclass(frozen=True)
class FuzzConfig(GenConfig):
    floats: bool = True
    helpers: int = 3
    arrays: bool = True
    minmax: bool = True
    int_conditions: bool = True
    maybe_undefined: bool = True
    builtin_casts: bool = True  # `float(int_expr)`, `len(array)`
    int_andor: bool = True  # `and`/`or` as int values: `(x and y)` is x or y, not a bool
    append_after_loops: bool = True  # `out.append(...)` after a loop has ended
    np_functions: bool = True  # `np.where`, `np.abs`, `np.maximum`, `np.sum` (not on jax tracers)
    weights: tuple = tuple(FUZZ_WEIGHTS.items())


def python_config(**kw) -> FuzzConfig:
    """Everything on: Python mode must match plain Python on all of it."""
    return FuzzConfig(**kw)


def staged_config(jax=False, **kw) -> FuzzConfig:
    """For graph (and jax: no numpy functions, which do not take jax tracers): off what
    tensors cannot mean the same way as Python values."""
    base = dict(div_by_var=False, int_conditions=False, maybe_undefined=False, loop_limit=4)
    if jax:
        base["np_functions"] = False
    base.update(kw)
    return FuzzConfig(**base)


@dataclasses.dataclass
class FScope(Scope):
    frozen: tuple = ()  # arrays a loop around this point iterates: never mutated here


FARRAY = "farray"
IARRAY = "iarray"


class FuzzBuilder(Builder):
    STATEMENTS = dict(Builder.STATEMENTS)
    STATEMENTS.update({
        "for_array": "stmt_for_array",
        "array_assign": "stmt_array_assign",
        "array_setitem": "stmt_array_setitem",
        "maybe_undefined": "stmt_maybe_undefined",
    })

    def __init__(self, *args, fhelpers=(), ahelpers=(), **kw):
        super().__init__(*args, **kw)
        self.fhelpers = list(fhelpers)  # float helpers: (name, 2)
        self.ahelpers = list(ahelpers)  # array helpers: (name, 2)
        self.loops_closed = 0  # loops ended so far
        self.append_in_loop = False  # an append inside a loop that has not ended yet

    def function(self):
        """`Builder.function`, with array parameters and locals in scope."""
        return _function_with_arrays(self)

    # ---------------------------------------------------------------- scopes
    def child(self, scope, loop=False):
        return FScope(list(scope.defined), scope.depth + 1,
                      scope.loop_depth + (1 if loop else 0), top_level=False,
                      frozen=getattr(scope, "frozen", ()))

    def arrays_of(self, scope, kinds=(FARRAY,)):
        return [v for v in scope.defined if v.kind in kinds]

    def mutable_arrays(self, scope):
        frozen = getattr(scope, "frozen", ())
        return [v for v in scope.defined if v.kind == FARRAY and v.name != "arr"
                and v.name not in frozen]

    # ---------------------------------------------------------------- expressions
    def int_leaf(self, scope):
        iarrs = self.arrays_of(scope, (IARRAY,))
        farrs = self.arrays_of(scope)
        if (iarrs or farrs) and self.c.boolean(0.125):
            kind = self.c.integer(0, 3)
            if kind == 0 and iarrs:
                return f"{self.c.choice(iarrs).name}[{self.c.choice(['0', '-1'])}]"
            if kind == 1 and iarrs:
                return f"{self.c.choice(iarrs).name}.sum()"
            if kind == 2 and farrs:
                a = self.c.choice(farrs).name
                return f"len({a})" if self.cfg.builtin_casts else f"{a}.shape[0]"
            if farrs:
                op = self.c.choice([">", "<", ">="])
                return f"({self.c.choice(farrs).name} {op} {self.c.choice(['0.0', '1.5', '-0.5'])}).sum()"
        return super().int_leaf(scope)

    def int_expr(self, scope, depth=0):
        if (not self.cfg.minmax or not self.cfg.int_andor) and depth < self.cfg.max_expr_depth:
            # the base grammar's `min`/`max` or `and`/`or` options, redrawn until the
            # expression is something else
            for _ in range(8):
                e = super().int_expr(scope, depth)
                if not self._excluded(e):
                    return e
            return self.int_leaf(scope)
        return super().int_expr(scope, depth)

    def _excluded(self, e):
        if not self.cfg.minmax and e.startswith(("min(", "max(")):
            return True
        if not self.cfg.int_andor and e.startswith("(") and e.endswith(")"):
            inner, depth = e[1:-1], 0
            for i, ch in enumerate(inner):  # a top-level ` and ` / ` or `: `(a and b)`
                if ch in "([":
                    depth += 1
                elif ch in ")]":
                    depth -= 1
                elif depth == 0 and inner.startswith((" and ", " or "), i):
                    return True
        return False

    def float_expr(self, scope, depth=0):
        farrs = self.arrays_of(scope)
        if farrs and depth < self.cfg.max_expr_depth and self.c.boolean(0.125):
            kind = self.c.integer(0, 4)
            a = self.c.choice(farrs).name
            if kind == 0:
                return f"{a}.sum()"
            if kind == 1:
                return f"{a}[{self.c.choice(['0', '-1'])}]"
            if kind == 2:
                return f"{a}.max()"
            if kind == 3:
                np_sum = "np.sum(" if self.cfg.np_functions else "("
                tail = ")" if self.cfg.np_functions else ").sum()"
                return f"{np_sum}{a} * {self.float_expr(scope, depth + 1)}{tail}"
            return f"{a}.mean()"
        if self.fhelpers and depth < self.cfg.max_expr_depth and self.c.boolean(0.125):
            name, _ = self.c.choice(self.fhelpers)
            return f"{name}({self.float_expr(scope, depth + 1)}, {self.float_expr(scope, depth + 1)})"
        e = super().float_expr(scope, depth)
        if not self.cfg.builtin_casts and e.startswith("float("):
            e = f"({e[len('float('):-1]} + 0.0)"  # the same value and type, without float()
        return e

    def array_expr(self, scope, depth=0):
        farrs = self.arrays_of(scope)
        a = self.c.choice(farrs).name
        if depth >= 1:
            return f"({a} * {self.c.choice(['1.0', '0.5', '-1.0'])})"
        options = [("scale", 3), ("shift", 3), ("diff", 2), ("abs", 1), ("int", 1)]
        if self.cfg.np_functions:
            options += [("where", 2), ("maximum", 1)]
        if self.ahelpers:
            options.append(("call", 2))
        kind = self.c.weighted(options)
        if kind == "scale":
            return f"({a} * {self.c.choice(['0.5', '2.0', '-1.0', '1.0'])})"
        if kind == "shift":
            return f"({a} + {self.float_expr(scope, 1)})"
        if kind == "diff":
            return f"({a} - {self.array_expr(scope, depth + 1)})"
        if kind == "abs":
            fn = "np.abs" if self.cfg.np_functions else "abs"
            return f"{fn}({self.array_expr(scope, depth + 1)})"
        if kind == "where":
            t = self.c.choice(["0.0", "1.0", "-0.5"])
            return f"np.where({a} > {t}, {a}, {self.array_expr(scope, depth + 1)})"
        if kind == "maximum":
            return f"np.maximum({a}, {self.float_expr(scope, 1)})"
        if kind == "int":
            iarrs = self.arrays_of(scope, (IARRAY,))
            if iarrs:
                return f"({a} + {self.c.choice(iarrs).name})"
            return f"({a} * 1.0)"
        name, _ = self.c.choice(self.ahelpers)
        return f"{name}({self.array_expr(scope, depth + 1)}, {self.float_expr(scope, 1)})"

    def cond(self, scope, depth=0):
        farrs = self.arrays_of(scope, (FARRAY, IARRAY))
        if farrs and self.c.boolean(0.125):
            a = self.c.choice(farrs).name
            kind = self.c.integer(0, 2)
            k = self.c.choice(["0", "1", "-1", "2"])
            if kind == 0:
                return f"({a} > {k}).any()"
            if kind == 1:
                return f"({a} != {k}).all()"
            return f"{a}.sum() {self.c.choice(['<', '>='])} {self.int_leaf(scope)}"
        if not self.cfg.int_conditions:
            return self.bool_expr(scope, depth)
        return super().cond(scope, depth)

    def not_operand(self, scope, depth):
        # the base class's `not (cond)` may give an int operand back through `cond`
        if not self.cfg.int_conditions:
            return self.bool_expr(scope, depth)
        return super().not_operand(scope, depth)

    # ---------------------------------------------------------------- statements
    def pick_statement(self, scope):
        budget_left = self.n_statements < self.cfg.max_statements
        compound = budget_left and scope.depth < self.cfg.max_depth
        has_arrays = bool(self.arrays_of(scope, (FARRAY, IARRAY)))
        undefined = [v for v, _ in self.flagged if v not in scope.defined]
        options = []
        for kind, w in self.cfg.weights:
            if w <= 0:
                continue
            if kind in ("if", "while", "for_range", "for_list", "for_array") and not compound:
                continue
            if kind in ("break", "continue") and scope.loop_depth == 0:
                continue
            if kind == "append" and not (self.cfg.lists and self.has_list
                                         and self._out_defined(scope)):
                continue
            if not self.cfg.append_after_loops:
                # no append may run after a loop has run: none after a loop ends, and no loop
                # after an append inside a loop (the next iteration would append after it)
                if kind == "append" and self.loops_closed:
                    continue
                if kind in ("while", "for_range", "for_list", "for_array") and self.append_in_loop:
                    continue
            if kind == "print" and not self.cfg.prints:
                continue
            if kind == "cond_assign" and scope.top_level:
                continue
            if kind == "for_array" and not has_arrays:
                continue
            if kind in ("array_assign", "array_setitem") and not self.mutable_arrays(scope):
                continue
            if kind == "maybe_undefined" and not (self.cfg.maybe_undefined and undefined):
                continue
            options.append((kind, w))
        return self.c.weighted(options)

    def _loop_else(self, scope):
        self.loops_closed += 1  # every loop ends here (its `else` block runs after it)
        if scope.loop_depth == 0:
            self.append_in_loop = False
        super()._loop_else(scope)

    def stmt_append(self, scope):
        if scope.loop_depth:
            self.append_in_loop = True
        return super().stmt_append(scope)

    def stmt_for_array(self, scope):
        self._for_array(scope)

    def _for_array(self, scope):
        arrays = self.arrays_of(scope, (FARRAY, IARRAY))
        a = self.c.choice(arrays)
        target = Var(f"i{self.n_loops}", "float" if a.kind == FARRAY else "int")
        self.n_loops += 1
        body = self.child(scope, loop=True)
        body.frozen = tuple(body.frozen) + (a.name,)
        if self.c.boolean(0.25):
            idx = Var(f"i{self.n_loops}", "int")
            self.n_loops += 1
            self.emit(scope, f"for {idx.name}, {target.name} in enumerate({a.name}):")
            body.defined.append(idx)
        else:
            self.emit(scope, f"for {target.name} in {a.name}:")
        body.defined.append(target)
        self.block(body)
        self._loop_else(scope)

    def stmt_array_assign(self, scope):
        v = self.c.choice(self.mutable_arrays(scope))
        kind = self.c.integer(0, 3)
        if kind == 0:
            self.emit(scope, f"{v.name} += {self.float_expr(scope, 1)}")
        elif kind == 1:
            self.emit(scope, f"{v.name} *= {self.c.choice(['0.5', '-1.0', '2.0'])}")
        else:
            self.emit(scope, f"{v.name} = {self.array_expr(scope)}")

    def stmt_array_setitem(self, scope):
        v = self.c.choice(self.mutable_arrays(scope))
        if self.c.boolean(0.5):
            value = self.float_expr(scope, self.c.integer(0, 1))
        else:  # an int expression may raise (`n // 0`): the traceback must show this line
            e = self.int_expr(scope)
            value = f"float({e})" if self.cfg.builtin_casts else f"({e} + 0.0)"
        self.emit(scope, f"{v.name}[{self.c.choice(['0', '-1'])}] = {value}")

    def stmt_maybe_undefined(self, scope):
        """Read a variable defined in only some branches without its flag: on the paths where
        it is not defined, UnboundLocalError."""
        undefined = [v for v, _ in self.flagged if v not in scope.defined]
        v = self.c.choice(undefined)
        targets = [t for t in self.assignable(scope) if t.kind == v.kind]
        if targets:
            self.emit(scope, f"{self.c.choice(targets).name} = {v.name}")
        else:
            self.emit(scope, f"print({v.name})" if self.cfg.prints else f"{v.name} = {v.name}")


# --------------------------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------------------------


def _helper(chooser, cfg, kind, k, helpers, fhelpers, ahelpers):
    hcfg = dataclasses.replace(cfg, max_depth=min(2, cfg.max_depth), helpers=0,
                               max_statements=8, prints=False, lists=False)
    if kind == "int":
        name, params, loc = f"g{k}", [Param("p", "int"), Param("q", "int")], [(Var("r", "int"), "p - q")]
    elif kind == "float":
        name, params = f"f{k}", [Param("s", "float"), Param("t", "float")]
        loc = [(Var("r", "float"), "s - t"), (Var("n", "int"), "0")]
    else:
        name, params = f"a{k}", [Param("v", FARRAY), Param("s", "float")]
        loc = [(Var("w", FARRAY), "v * 1.0"), (Var("n", "int"), "0")]
    b = FuzzBuilder(chooser, hcfg, name, params, loc, helpers=list(helpers),
                    fhelpers=list(fhelpers), ahelpers=list(ahelpers))
    if kind == "int":
        b.ret_exprs = lambda scope, b=b: b.int_expr(scope, 1)
    elif kind == "float":
        b.ret_exprs = lambda scope, b=b: b.float_expr(scope, 1)
    else:
        b.ret_exprs = lambda scope, b=b: b.array_expr(scope, 1)
    return name, b.function()


def build_program(chooser: Chooser, config: FuzzConfig = FuzzConfig()) -> Program:
    """Helpers first (each may call the ones before it), then `f`."""
    parts = ["# generated by tests/fuzz/gen.py", "import numpy as np", ""]
    helpers, fhelpers, ahelpers = [], [], []
    n_helpers = chooser.integer(0, config.helpers) if config.helpers else 0
    for k in range(n_helpers):
        kinds = ["int"] + (["float"] if config.floats else []) + (["array"] if config.arrays else [])
        kind = chooser.choice(kinds)
        name, src = _helper(chooser, config, kind, k, helpers, fhelpers, ahelpers)
        parts += [src, ""]
        {"int": helpers, "float": fhelpers, "array": ahelpers}[kind].append((name, 2))

    params = [Param("a", "int"), Param("b", "int"), Param("c", "int")]
    if config.floats:
        params.append(Param("d", "float"))
    if config.bools:
        params.append(Param("flag", "bool"))
    if config.lists:
        params.append(Param("xs", "list"))
    if config.arrays:
        params += [Param("arr", FARRAY), Param("iarr", IARRAY)]
    locals_ = [(Var("x", "int"), "0"), (Var("y", "int"), "a"), (Var("z", "int"), "b - c")]
    if config.floats:
        locals_.append((Var("u", "float"), "d * 0.5"))
    if config.arrays:
        locals_.append((Var("acc", FARRAY), "arr * 0.5"))
    if config.lists:
        locals_.append((Var("out", "list"), "[]"))
    names = [v.name for v, _ in locals_]
    b = FuzzBuilder(chooser, config, "f", params, locals_, helpers, fhelpers=fhelpers,
                    ahelpers=ahelpers, ret_exprs=lambda scope: "(" + ", ".join(names) + ",)")
    parts.append(_function_with_arrays(b))
    source = "\n".join(parts)

    inputs = []
    for _ in range(chooser.integer(*config.n_inputs)):
        n = chooser.integer(1, 4)
        args = []
        for p in params:
            if p.kind == "int":
                args.append(chooser.int_value())
            elif p.kind == "float":
                args.append(chooser.float_value())
            elif p.kind == "bool":
                args.append(chooser.boolean())
            elif p.kind == "list":
                args.append([chooser.int_value() for _ in range(chooser.integer(0, 4))])
            elif p.kind == FARRAY:
                args.append(ArrayArg("float64", [chooser.float_value() for _ in range(n)]))
            else:
                args.append(ArrayArg("int64", [chooser.int_value() for _ in range(n)]))
        inputs.append(tuple(args))
    return FuzzProgram(source, "f", tuple(params), inputs)


def _function_with_arrays(b: FuzzBuilder) -> str:
    """`Builder.function`, with array parameters and locals in scope."""
    header = f"def {b.name}({', '.join(p.name for p in b.params)}):"
    scope = FScope([Var(p.name, p.kind) for p in b.params if p.kind != "list"])
    init_lines = []
    for v, init in b.locals:
        init_lines.append(f"    {v.name} = {init}")
        if v.kind != "list":
            scope.defined.append(v)
    b.block(scope)
    final = f"    return {b.ret_exprs(scope)}"
    flags = [f"    {flag} = 0" for _, flag in b.flagged]
    return "\n".join([header] + init_lines + flags + b.lines + [final]) + "\n"


@dataclasses.dataclass(frozen=True)
class ArrayArg:
    """An array input, kept as (dtype, values) so that programs print and compare plainly."""

    dtype: str
    values: tuple

    def __init__(self, dtype, values):
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "values", tuple(values))

    def make(self):
        import numpy as np

        return np.array(self.values, dtype=self.dtype)

    def __repr__(self):
        return f"np.array({list(self.values)!r}, dtype=np.{self.dtype})"


class FuzzProgram(Program):
    def input_sets(self):
        """Argument tuples, with `ArrayArg`s made into fresh numpy arrays."""
        return [tuple(a.make() if isinstance(a, ArrayArg) else a for a in i) for i in self.inputs]

    def __repr__(self):
        return f"FuzzProgram(inputs={self.inputs!r}):\n{self.source}"


def programs(config: FuzzConfig = FuzzConfig()):
    """The hypothesis strategy of generated programs (they shrink)."""
    return program_gen.programs(config, build=build_program)


def generate(seed, config: FuzzConfig = FuzzConfig()) -> FuzzProgram:
    """A program from a seed, without hypothesis (long campaigns)."""
    return program_gen.generate(seed, config, build=build_program)


def main(argv=None):
    """`python -m tests.fuzz.gen [SEED] [--staged]`: print one program and its inputs."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int, nargs="?", default=0)
    ap.add_argument("--staged", action="store_true", help="the graph/jax configuration")
    ns = ap.parse_args(argv)
    prog = generate(ns.seed, staged_config() if ns.staged else python_config())
    print(prog.source)
    print("# inputs:", prog.inputs)


if __name__ == "__main__":
    main()
