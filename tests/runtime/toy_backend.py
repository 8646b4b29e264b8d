"""A toy tracing backend for the runtime tests.

`Sym` is a symbolic value (an expression node); the backend records every staged construct in
`backend.ops` and builds nodes that `evaluate(sym, inputs)` interprets, so a staged function can
be checked against the same function run in Python mode on concrete values.
"""

from __future__ import annotations

import operator

import numpy as np

from autograph.runtime import registry


def _dtype_of(v):
    if isinstance(v, Sym):
        return v.dtype
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float"
    if isinstance(v, (list, np.ndarray)):
        return "array:" + _dtype_of(v[0]) if len(v) else "array:int"
    return type(v).__name__


def _arith(a, b):
    da, db = _dtype_of(a), _dtype_of(b)
    return "float" if "float" in (da, db) else "int"


class Sym:
    __slots__ = ("op", "args", "dtype")
    __hash__ = object.__hash__

    def __init__(self, op, args=(), dtype="int"):
        self.op, self.args, self.dtype = op, args, dtype

    def __bool__(self):
        raise TypeError("a Sym cannot be used as a Python bool")

    def __iter__(self):
        raise TypeError("a Sym cannot be iterated in Python")

    def __index__(self):
        raise TypeError("a Sym cannot be used as a Python int")

    def __repr__(self):
        return f"Sym({self.op}, {self.dtype})"

    def _bin(name, dtype=None, swap=False):
        def method(self, other):
            a, b = (other, self) if swap else (self, other)
            return Sym(name, (a, b), dtype or _arith(a, b))
        return method

    __add__, __radd__ = _bin("add"), _bin("add", swap=True)
    __sub__, __rsub__ = _bin("sub"), _bin("sub", swap=True)
    __mul__, __rmul__ = _bin("mul"), _bin("mul", swap=True)
    __floordiv__, __mod__ = _bin("floordiv"), _bin("mod")
    __truediv__ = _bin("truediv", "float")
    __lt__, __le__ = _bin("lt", "bool"), _bin("le", "bool")
    __gt__, __ge__ = _bin("gt", "bool"), _bin("ge", "bool")
    __eq__, __ne__ = _bin("eq", "bool"), _bin("ne", "bool")
    del _bin

    def __neg__(self):
        return Sym("neg", (self,), self.dtype)

    def __getitem__(self, key):
        return Sym("getitem", (self, key), self.dtype.replace("array:", ""))


def inp(name, dtype="int"):
    return Sym("input", (name,), dtype)


_BINOPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
           "floordiv": operator.floordiv, "mod": operator.mod, "truediv": operator.truediv,
           "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
           "eq": operator.eq, "ne": operator.ne}


def evaluate(x, env):
    """The value of `x` (a Sym, or a tuple/list of them) with inputs/params bound in `env`."""
    if isinstance(x, tuple):
        return tuple(evaluate(e, env) for e in x)
    if isinstance(x, list):
        return [evaluate(e, env) for e in x]
    if not isinstance(x, Sym):
        return x
    op, a = x.op, x.args
    if op == "input":
        return env[a[0]]
    if op == "param":
        return env[x]
    if op == "const":
        v = a[0]
        return np.asarray([evaluate(e, env) for e in v]) if isinstance(v, list) else v
    if op in _BINOPS:
        return _BINOPS[op](evaluate(a[0], env), evaluate(a[1], env))
    if op == "neg":
        return -evaluate(a[0], env)
    if op == "getitem":
        return evaluate(a[0], env)[evaluate(a[1], env)]
    if op == "not":
        return not evaluate(a[0], env)
    if op == "and":
        return bool(evaluate(a[0], env)) and bool(evaluate(a[1], env))
    if op == "or":
        return bool(evaluate(a[0], env)) or bool(evaluate(a[1], env))
    if op == "select":
        return evaluate(a[1], env) if evaluate(a[0], env) else evaluate(a[2], env)
    if op == "out":
        return evaluate(a[0], env)[a[1]]
    if op == "cond":
        pred, touts, fouts = a
        return evaluate(touts if evaluate(pred, env) else fouts, env)
    if op == "while":
        params, test, outs, init = a
        vals = evaluate(init, env)
        while True:
            inner = {**env, **dict(zip(params, vals, strict=False))}
            if not evaluate(test, inner):
                return vals
            vals = evaluate(outs, inner)
    if op == "scan":
        i_param, x_param, params, outs, xs, init = a
        vals = evaluate(init, env)
        seqs = evaluate(xs, env)
        zipped = isinstance(xs, tuple)
        n = min(len(s) for s in seqs) if zipped else len(seqs)
        for i in range(n):
            inner = {**env, **dict(zip(params, vals, strict=False)), i_param: i}
            if zipped:
                inner.update(dict(zip(x_param, (s[i] for s in seqs), strict=False)))
            else:
                inner[x_param] = seqs[i]
            vals = evaluate(outs, inner)
        return vals
    if op == "list_new":
        return []
    if op == "append":
        return evaluate(a[0], env) + [evaluate(a[1], env)]
    if op == "pop_list":
        return evaluate(a[0], env)[:-1]
    if op == "pop_val":
        return evaluate(a[0], env)[-1]
    if op == "stack":
        return np.array(evaluate(a[0], env))
    if op == "setitem":
        arr = np.array(evaluate(a[0], env))
        arr[evaluate(a[1], env)] = evaluate(a[2], env)
        return arr
    raise NotImplementedError(op)


class ToyBackend(registry.Backend):
    """Records staged constructs into `ops`; builds Sym nodes that `evaluate` interprets."""

    name = "toy"
    tensor_types = (Sym,)

    def __init__(self, short_circuit=True, false_first=False, static_range=False):
        self.ops = []
        self.short_circuit = short_circuit
        self.false_first = false_first
        self.static_range = static_range

    def to_tensor(self, value, like=None):
        dtype = _dtype_of(value)
        if like is not None and dtype in ("int", "bool") and like.dtype == "float":
            dtype = "float"
        if isinstance(value, (list, np.ndarray)):
            value = [v for v in value]
        return Sym("const", (value,), dtype)

    def zeros_like(self, value):
        return Sym("const", ({"float": 0.0, "bool": False}.get(value.dtype, 0),), value.dtype)

    def spec(self, value):
        return value.dtype

    def _check(self, kind, a, b, names):
        if len(a) != len(b):
            raise AssertionError(f"{kind}: {len(a)} != {len(b)} outputs")
        for k, (x, y) in enumerate(zip(a, b, strict=False)):
            if not isinstance(x, Sym) or not isinstance(y, Sym):
                raise AssertionError(f"{kind}: output {names[k]} is not a tensor: {x!r} {y!r}")
            if x.dtype != y.dtype:
                raise registry.staging_error(
                    f"toy {kind}: '{names[k]}' is {x.dtype} and {y.dtype}", variable=names[k])

    def _outs(self, node, like):
        return tuple(Sym("out", (node, k), v.dtype) for k, v in enumerate(like))

    def cond(self, pred, true_fn, false_fn, names):
        self.ops.append("cond")
        first, second = (false_fn, true_fn) if self.false_first else (true_fn, false_fn)
        r1, r2 = tuple(first()), tuple(second())
        touts, fouts = (r2, r1) if self.false_first else (r1, r2)
        self._check("cond", touts, fouts, names)
        return self._outs(Sym("cond", (pred, touts, fouts)), touts)

    def while_loop(self, cond_fn, body_fn, init, names, opts):
        self.ops.append("while")
        params = tuple(Sym("param", (n,), v.dtype) for n, v in zip(names, init, strict=False))
        test = cond_fn(*params)
        outs = tuple(body_fn(*params))
        self._check("while", init, outs, names)
        return self._outs(Sym("while", (params, test, outs, tuple(init))), init)

    def for_tensor(self, xs, body_fn, init, names, opts):
        self.ops.append("scan")
        i = Sym("param", ("i",), "int")
        if isinstance(xs, tuple):
            x = tuple(Sym("param", ("x",), s.dtype.replace("array:", "")) for s in xs)
        else:
            x = Sym("param", ("x",), xs.dtype.replace("array:", ""))
        params = tuple(Sym("param", (n,), v.dtype) for n, v in zip(names, init, strict=False))
        outs = tuple(body_fn(i, x, *params))
        self._check("scan", init, outs, names)
        return self._outs(Sym("scan", (i, x, params, outs, xs, tuple(init))), init)

    def wants_static_range(self):
        return self.static_range

    def for_static_range(self, start, stop, step, body_fn, init, names, opts):
        self.ops.append("static_range")
        return self.for_range(start, stop, step, body_fn, init, names, opts)

    def logical_and(self, a, b):
        return Sym("and", (a, b), "bool")

    def logical_or(self, a, b):
        return Sym("or", (a, b), "bool")

    def logical_not(self, a):
        return Sym("not", (a,), "bool")

    def select(self, c, a, b):
        return Sym("select", (c, a, b), _dtype_of(a))

    def assert_(self, cond, message):
        self.ops.append(("assert", cond, message))

    def print_(self, *args, **kwargs):
        self.ops.append(("print", args, kwargs))

    def list_new(self):
        return Sym("list_new", (), "list")

    def list_append(self, lst, x):
        return Sym("append", (lst, x), "list")

    def list_pop(self, lst, i=None):
        return Sym("pop_list", (lst,), "list"), Sym("pop_val", (lst,), "int")

    def list_stack(self, lst, opts=None):
        if isinstance(lst, list):
            lst = Sym("const", (lst,), "list")
        return Sym("stack", (lst,), "array")

    def setitem(self, x, key, value):
        return Sym("setitem", (x, key, value), x.dtype)
