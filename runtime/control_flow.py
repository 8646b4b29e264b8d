"""Control flow operators: `if_stmt`, `while_stmt`, `for_stmt` (TensorFlow AutoGraph's protocol).

Plain values run as plain Python. When the condition or iterable is owned by a backend, the
generic code here does the protocol work and calls the backend's pure, flat primitives:

- get_state/set_state: the statement's variables (`symbol_names`) are read and written through
  them; nested tuples/lists/dicts/namedtuples are flattened into leaves named `x[0]`, `d['k']`;
- a staged `if` traces both branches from the same state (restoring it, including the contents
  of lists and dicts, between them); an output that is the same Python value in both branches
  stays a Python value; a variable undefined in one branch only is an error naming it;
- a staged loop lifts Python numbers to tensors (`to_tensor`), keeps other Python values fixed
  (changing one is an error), turns a Python list that grows into the backend's list, gives a
  return value first set in the loop a placeholder (by abandoning a first trace of the body),
  and checks that every variable keeps its structure, dtype and shape (`Backend.spec`);
- break/return flags (`extra_test`) are and-ed into the loop test.
"""

from __future__ import annotations

import math
import re
import threading
from typing import Any, Callable, Sequence

import numpy as np

from . import iteration as _iteration
from . import registry
from .registry import _cache, _lookup, backend_of, staging_error
from .special_values import Undefined, UndefinedReturnValue

__all__ = ["if_stmt", "while_stmt", "for_stmt"]

_local = threading.local()


def _noop() -> None:
    pass


# ---------------------------------------------------------------------------------------------
# The operators
# ---------------------------------------------------------------------------------------------


def if_stmt(cond: Any, body: Callable[[], None], orelse: Callable[[], None],
            get_state: Callable[[], tuple], set_state: Callable[[tuple], None],
            symbol_names: Sequence[str], nouts: int) -> None:
    """Functional form of an `if` statement.

    Plain Python equivalent::

        if cond:
            body()
        else:
            orelse()

    `get_state()` returns the values of the variables the statement modifies (named by
    `symbol_names`); the first `nouts` of them are live after it (the outputs); `set_state`
    assigns them. With a tensor `cond` both branches are traced and combined by the backend's
    `cond`.
    """
    if cond is True:
        body()
        return
    if cond is False:
        orelse()
        return
    try:
        backend = _cache[type(cond)]
    except KeyError:
        backend = _lookup(cond)
    if backend is None:
        if cond:
            body()
        else:
            orelse()
        return
    _staged_if(backend, cond, body, orelse, get_state, set_state, tuple(symbol_names), nouts)


def while_stmt(test: Callable[[], Any], body: Callable[[], None],
               get_state: Callable[[], tuple], set_state: Callable[[tuple], None],
               symbol_names: Sequence[str], opts: dict | None = None) -> None:
    """Functional form of a `while` loop.

    Plain Python equivalent::

        while test():
            body()

    The test is evaluated before every iteration. If its first value is a tensor the loop is
    staged (the backend's `while_loop` over the variables in `symbol_names`); if it is a Python
    value and becomes a tensor later, a StagingError names the variables of the test that
    became tensors. `opts`: `maximum_iterations`, `shape_invariants` (a list of
    `(value, shape)`), `loop_name` (the user's 'file:line').
    """
    t = test()
    if t is not True and t is not False:
        try:
            backend = _cache[type(t)]
        except KeyError:
            backend = _lookup(t)
        if backend is not None:
            _staged_while(backend, test, body, get_state, set_state, symbol_names, opts or {})
            return
    while True:
        if t is False:
            return
        if t is not True:
            try:
                backend = _cache[type(t)]
            except KeyError:
                backend = _lookup(t)
            if backend is not None:
                raise _became_tensor_error(test, get_state, symbol_names, opts or {})
            if not t:
                return
        body()
        t = test()


def for_stmt(iter_: Any, extra_test: Callable[[], Any] | None, body: Callable[[Any], None],
             get_state: Callable[[], tuple], set_state: Callable[[tuple], None],
             symbol_names: Sequence[str], opts: dict | None = None) -> None:
    """Functional form of a `for` loop.

    Plain Python equivalent (extra_test, the break/return flags, is checked before each
    iteration, before the next item is taken from the iterator)::

        for x in iter_:
            if extra_test is not None and not extra_test():
                break
            body(x)

    Any iterable runs as a Python loop. A backend-owned tensor (loop over its first axis), or a
    `range_`/`enumerate_`/`zip_` descriptor with tensor arguments, is staged. `opts`:
    `iterate_names` (the loop target, for messages), `maximum_iterations`,
    `shape_invariants`, `loop_name`.
    """
    t = type(iter_)
    if t in _DESC_TYPES:
        _staged_for_desc(iter_, extra_test, body, get_state, set_state, symbol_names,
                         opts or {})
        return
    try:
        backend = _cache[t]
    except KeyError:
        backend = _lookup(iter_)
    if backend is None:
        if t is range and (_iteration._static_check or extra_test is not None):
            if _static_range_for(iter_, extra_test, body, get_state, set_state, symbol_names,
                                 opts or {}):
                return
        _py_for(iter_, extra_test, body, get_state, symbol_names, opts)
        return
    if backend.claims_iterable(iter_):
        _staged_for_tensor(backend, iter_, lambda i, x: x, extra_test, body, get_state,
                           set_state, symbol_names, opts or {})
        return
    _py_for(iter_, extra_test, body, get_state, symbol_names, opts)


# ---------------------------------------------------------------------------------------------
# Python loops
# ---------------------------------------------------------------------------------------------


def _py_for(iter_, extra_test, body, get_state, symbol_names, opts):
    if extra_test is None:
        for x in iter_:
            body(x)
        return
    e = extra_test()
    if e is not True and (e is False or not _py_truth(e, extra_test, opts)):
        return
    for x in iter_:
        body(x)
        e = extra_test()
        if e is not True and (e is False or not _py_truth(e, extra_test, opts)):
            return


def _py_truth(value, extra_test, opts):
    if backend_of(value) is not None:
        raise _tensor_jump_error(extra_test, opts or {})
    return bool(value)


def _closure_tensors(fn) -> list:
    """Names of `fn`'s free variables (and their nested closures') whose values are tensors."""
    found = []
    code = getattr(fn, "__code__", None)
    cells = getattr(fn, "__closure__", None) or ()
    if code is None:
        return found
    for name, cell in zip(code.co_freevars, cells, strict=False):
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if backend_of(value) is not None and name not in found:
            found.append(name)
    return found


def _quote(names) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _became_tensor_error(test, get_state, symbol_names, opts):
    names = [n for n in _closure_tensors(test) if not n.startswith("ag__")]
    try:
        state = tuple(get_state())
    except Exception:  # noqa: BLE001 - only used for the message
        state = ()
    for n, v in zip(symbol_names, state, strict=False):
        if backend_of(v) is not None and n not in names and not n.startswith("ag__"):
            names.append(n)
    what = _quote(names) if names else "a variable of its condition"
    verb = "is" if len(names) == 1 else "are"
    return staging_error(
        f"the condition of this while loop was a Python value when the loop started, then "
        f"became a tensor: {what} {verb} now a tensor. A loop that has begun running in Python "
        f"cannot be staged half-way. Fix: initialize {what} as a tensor before the loop, so "
        "that the whole loop is staged, or keep the condition a Python value.",
        variable=names[0] if names else None, location=opts.get("loop_name"))


def _tensor_jump_error(extra_test, opts):
    names = _closure_tensors(extra_test)
    user = [n for n in names if not n.startswith("ag__") and n not in ("do_return",)]
    what = f" (through {_quote(user)})" if user else ""
    target = opts.get("iterate_names")
    loop = f"this Python for loop over '{target}'" if target else "this Python for loop"
    return staging_error(
        f"a break or return inside {loop} depends on a tensor{what}, and a tensor cannot stop "
        "a Python loop. Fix: make the loop itself a staged loop (iterate over a tensor, or a "
        "range of tensors), or make the condition of the break/return a Python value.",
        variable=user[0] if user else None, location=opts.get("loop_name"))


# ---------------------------------------------------------------------------------------------
# Flattening state
# ---------------------------------------------------------------------------------------------


def _flatten(values, names, keep=()):
    """-> (leaves, leaf_names, trees, owner): owner[k] is the variable index of leaf k.
    Variables whose index is in `keep` are leaves themselves."""
    leaves, lnames, owner, trees = [], [], [], []
    for idx, (v, n) in enumerate(zip(values, names, strict=True)):
        if idx in keep:
            trees.append(None)
            leaves.append(v)
            lnames.append(n)
            owner.append(idx)
        else:
            trees.append(_flat1(v, n, idx, leaves, lnames, owner))
    return leaves, lnames, tuple(trees), owner


def _flat1(v, n, idx, leaves, lnames, owner):
    t = type(v)
    if t is tuple or t is list:
        return ("seq", t, tuple(_flat1(e, f"{n}[{i}]", idx, leaves, lnames, owner)
                                for i, e in enumerate(v)))
    if t is dict:
        keys = tuple(v)
        return ("dict", keys, tuple(_flat1(v[k], f"{n}[{k!r}]", idx, leaves, lnames, owner)
                                    for k in keys))
    if isinstance(v, tuple) and hasattr(t, "_fields"):
        return ("nt", t, tuple(_flat1(getattr(v, f), f"{n}.{f}", idx, leaves, lnames, owner)
                               for f in t._fields))
    leaves.append(v)
    lnames.append(n)
    owner.append(idx)
    return None


def _unflatten(trees, leaves):
    it = iter(leaves)
    return tuple(_unflat1(t, it) for t in trees)


def _unflat1(tree, it):
    if tree is None:
        return next(it)
    kind, typ, children = tree
    if kind == "seq":
        return typ([_unflat1(c, it) for c in children])
    if kind == "dict":
        return {k: _unflat1(c, it) for k, c in zip(typ, children, strict=True)}
    return typ(*[_unflat1(c, it) for c in children])


def _snapshot(values):
    """The contents of every list and dict reachable from `values` (to restore in place)."""
    snaps, seen = [], set()

    def rec(v):
        t = type(v)
        if t is list or t is dict:
            if id(v) in seen:
                return
            seen.add(id(v))
            snaps.append((v, list(v) if t is list else dict(v)))
            for e in (v if t is list else v.values()):
                rec(e)
        elif isinstance(v, tuple):
            for e in v:
                rec(e)

    for v in values:
        rec(v)
    return snaps


def _restore(snaps):
    for obj, content in snaps:
        if type(obj) is list:
            obj[:] = content
        else:
            obj.clear()
            obj.update(content)


_NUMERIC = frozenset({bool, int, float, complex})
_EQ_TYPES = frozenset({bool, int, float, complex, str, bytes, type(None)})


def _liftable(v) -> bool:
    t = type(v)
    return t in _NUMERIC or isinstance(v, (np.number, np.bool_, np.ndarray))


def _same(a, b) -> bool:
    """Whether two branch/iteration values are the same Python value (kept as Python)."""
    if a is b:
        return True
    t = type(a)
    if t is not type(b):
        return False
    if isinstance(a, Undefined):
        return True
    if t in _EQ_TYPES or (isinstance(a, np.generic) and not isinstance(a, np.ndarray)):
        try:
            if not bool(a == b):
                return False
        except Exception:  # noqa: BLE001
            return False
        if t is float and a == 0.0:
            return math.copysign(1.0, a) == math.copysign(1.0, b)
        return True
    return False


def _spec_text(spec) -> str:
    """`(dtype('int64'), (3,))` as `int64 of shape (3,)`; other specs as they print."""
    if isinstance(spec, tuple) and len(spec) == 2:
        dtype, shape = spec
        shape_text = "unknown" if shape is None else str(tuple(
            "?" if d is None else d for d in shape)).replace("'", "")
        return f"{getattr(dtype, 'name', dtype)} of shape {shape_text}"
    return str(spec)


def _describe(v) -> str:
    if isinstance(v, _Released):
        return v.text
    if isinstance(v, UndefinedReturnValue):
        return "not returned yet"
    if isinstance(v, Undefined):
        return "undefined"
    if v is None:
        return "None"
    t = type(v)
    if t is list:
        return f"a list of length {len(v)}"
    if t is tuple:
        return f"a tuple of length {len(v)}"
    if t is dict:
        return f"a dict with keys {list(v)}"
    if isinstance(v, tuple) and hasattr(t, "_fields"):
        return f"a {t.__name__}"
    b = backend_of(v)
    if b is not None:
        spec = b.spec(v)
        article = "an" if b.name[:1] in "aeiou" else "a"
        return f"{article} {b.name} tensor" + (f" {spec}" if spec is not None else "")
    if t in _EQ_TYPES:
        return f"the Python {t.__name__} {v!r}"
    return f"a Python {t.__name__}"


def _is_tensor(v) -> bool:
    return backend_of(v) is not None


# ---------------------------------------------------------------------------------------------
# Staged if
# ---------------------------------------------------------------------------------------------


class _Branch:
    __slots__ = ("label", "leaves", "lnames", "tree", "owner", "outs", "kinds", "unset",
                 "hints")


class _Released:
    """A tensor made in the first traced branch of a staged if, after that branch's trace has
    ended: what the second branch is compared with (its spec, its description, and an
    abstract value to lift a Python number like it, `backend.abstract`). Keeping the tensor
    itself would keep a value of a finished trace alive, which `jax.checking_leaks()`
    reports as a leak."""

    __slots__ = ("spec", "like", "text")

    def __init__(self, backend, value):
        self.spec = backend.spec(value)
        abstract = getattr(backend, "abstract", None)  # optional (registry.Backend has it)
        self.like = abstract(value) if abstract is not None else value
        self.text = _describe(value)


def _release(backend, br, init_leaves):
    """Replaces the tensors the first branch made (its outputs that are not values from
    before the if) by `_Released` stand-ins."""
    for k, kind in enumerate(br.kinds):
        v = br.leaves[k]
        if kind == "tensor" and not any(v is x for x in init_leaves):
            br.leaves[k] = _Released(backend, v)
        if type(br.outs[k]) not in _NUMERIC:  # a number given to a `weak_numbers` backend
            br.outs[k] = _Released(backend, br.outs[k])


def _spec_of(backend, v):
    return v.spec if isinstance(v, _Released) else backend.spec(v)


def _like(v):
    return v.like if isinstance(v, _Released) else v


def _staged_if(backend, pred, body, orelse, get_state, set_state, names, nouts):
    init = tuple(get_state())
    if nouts is None:
        nouts = len(init)
    snaps = _snapshot(init)
    out_names = names[:nouts]
    rest = init[nouts:]
    if getattr(_local, "probe", 0):
        _probe_if(backend, body, orelse, get_state, set_state, init, snaps, nouts, rest)
        return
    init_leaves, init_lnames, init_tree, _ = _flatten(init[:nouts], out_names)
    # Placeholders (by output index) for a return value that the first traced branch has not
    # set while the second has (known only after tracing both: see `_fill_returns`).
    placeholders: dict = {}
    attempt = object()

    def trace_both():
        leaf_names = list(init_lnames)
        traced: list = []
        static: set = set()

        def make(fn, label):
            def run():
                _restore(snaps)
                set_state(init)
                fn()
                vals = tuple(get_state())[:nouts]
                vals, filled = _fill_returns(backend, vals, traced, placeholders, attempt)
                leaves, lnames, tree, owner = _flatten(vals, out_names)
                br = _Branch()
                br.label, br.leaves, br.lnames, br.tree = label, leaves, lnames, tree
                br.owner = owner
                br.unset = {idx for idx, v in enumerate(vals) if _placeholder_ok(v)}
                if not traced:
                    hints = init_leaves if tree == init_tree else None
                    if hints is None:
                        leaf_names[:] = lnames
                    br.hints = hints
                    br.outs, br.kinds = [], []
                    for k, v in enumerate(leaves):
                        if _is_tensor(v):
                            br.outs.append(v)
                            br.kinds.append("tensor")
                        elif _liftable(v):
                            hint = (hints[k] if hints is not None and _is_tensor(hints[k])
                                    else None)
                            # A Python number's dtype is known only once the other branch is
                            # traced (`_join`): a `weak_numbers` backend takes it as it is.
                            br.outs.append(v if type(v) in _NUMERIC
                                           and getattr(backend, "weak_numbers", False)
                                           else backend.to_tensor(v, like=hint))
                            br.kinds.append("py")
                        else:
                            br.outs.append(backend.to_tensor(False))
                            br.kinds.append("opaque")
                    traced.append(br)
                    outs = tuple(br.outs)
                    _release(backend, br, init_leaves)
                else:
                    first = traced[0]
                    if tree != first.tree:
                        raise _if_structure_error(first, br, vals, out_names)
                    # A placeholder made from the first branch's tensor matches it by
                    # construction (zeros of its dtype and shape): no spec check.
                    outs = tuple(v if owner[k] in filled and first.kinds[k] == "tensor"
                                 and not _same(v, first.leaves[k])
                                 else _second_branch_leaf(backend, k, v, first, br, static)
                                 for k, v in enumerate(leaves))
                    br.leaves = None  # no value of this branch's trace outlives it
                    traced.append(br)
                # The variables too: back to their values before the if.
                _restore(snaps)
                set_state(init)
                return outs

            return run

        results = backend.cond(pred, make(body, "if"), make(orelse, "else"), leaf_names)
        return results, traced, static

    for _ in range(nouts + 1):
        try:
            results, traced, static = trace_both()
        except _ReturnPlaceholder as r:
            if r.attempt is not attempt:
                raise
            # Outside the branch traces: zeros of the dtypes and shapes of the abandoned
            # trace's tensors; its Python values as they are (the same in both branches, they
            # stay Python values, as in `_first_branch_placeholder`).
            placeholders[r.index] = _placeholder(backend, r.value, lift=False)
            _restore(snaps)
            set_state(init)
            continue
        break
    else:  # pragma: no cover - each retry fills one more output
        raise RuntimeError("autograph: could not stage this if (too many retries)")
    if not traced:
        raise RuntimeError(f"backend {backend.name!r}: cond() called neither branch")
    first = traced[0]
    one = len(traced) == 1
    results = tuple(results)
    final = []
    for k, kind in enumerate(first.kinds):
        if k in static or (one and kind != "tensor"):
            final.append(first.leaves[k])
        else:
            final.append(results[k])
    _restore(snaps)
    outs = list(_unflatten(first.tree, final))
    if first.tree == init_tree:  # keep unchanged containers (identity) as they were
        _, _, _, owner = _flatten(init[:nouts], out_names)
        for idx in range(nouts):
            if type(init[idx]) in (list, dict, tuple) and all(
                    final[k] is init_leaves[k] for k in range(len(final)) if owner[k] == idx):
                outs[idx] = init[idx]
    set_state(tuple(outs) + rest)


class _ReturnPlaceholder(Exception):
    """Abandons the traces of a staged if whose first branch left the return value unset
    while the second set it: the if is traced again with a placeholder for the first."""

    def __init__(self, attempt, index, value):
        super().__init__("internal: retrying a staged if")
        self.attempt, self.index, self.value = attempt, index, value


def _placeholder_ok(v) -> bool:
    """Whether `v` is a return value not set yet that a placeholder may stand for: the
    function returns explicitly on every path, so this branch's value is never read."""
    return isinstance(v, UndefinedReturnValue) and v.always_returns


def _fill_returns(backend, vals, traced, placeholders, attempt):
    """A staged if's branch outputs `vals`, with placeholders for the return values this
    branch has not set but the other branch has (TensorFlow's AutoGraph does the same).

    Returns (vals, filled): `filled` holds the indices given a placeholder made from the first
    branch's value here (in the second branch's trace). When the first branch is the one that
    has not set it, raises _ReturnPlaceholder for `_staged_if` to trace both branches again.
    """
    filled = set()
    first = traced[0] if traced else None
    out = None
    for idx, v in enumerate(vals):
        if _placeholder_ok(v):
            if idx in placeholders:
                ph = placeholders[idx]
            elif first is not None and idx not in first.unset:
                ph = _first_branch_placeholder(backend, first, idx)
                if ph is _NONE:
                    continue  # (a backend list): the error below names the return value
                filled.add(idx)
            else:
                continue
            if out is None:
                out = list(vals)
            out[idx] = ph
        elif first is not None and idx in first.unset and not isinstance(v, Undefined):
            raise _ReturnPlaceholder(attempt, idx, v)
    return (vals if out is None else tuple(out)), filled


_NONE = object()


def _first_branch_placeholder(backend, first, idx):
    """A value with the structure of output `idx` of the first traced branch: its Python
    values themselves, values from before the if as they are, and zeros of the dtype and shape
    of the tensors it made (only their `_Released` stand-ins are left)."""
    leaves = []
    for k, v in enumerate(first.leaves):
        if first.owner[k] != idx:
            continue
        if isinstance(v, _Released):
            v = _zeros_like_released(backend, v)
            if v is _NONE:
                return _NONE
        leaves.append(v)
    return _unflatten((first.tree[idx],), leaves)[0]


def _zeros_like_released(backend, released):
    like = released.like
    if _is_tensor(like):
        return backend.zeros_like(like)
    shape, dtype = getattr(like, "shape", None), getattr(like, "dtype", None)
    if shape is None or dtype is None:
        return _NONE
    # An abstract value (JAX's aval): its static dtype and shape.
    return backend.to_tensor(np.zeros(tuple(d if type(d) is int else 0 for d in shape), dtype))


def _second_branch_leaf(backend, k, v, first, br, static):
    ov, kind, oout = first.leaves[k], first.kinds[k], first.outs[k]
    name = br.lnames[k]
    if _same(v, ov):
        static.add(k)
        if kind == "tensor":
            return v
        if kind == "py":
            return v if type(oout) in _NUMERIC else backend.to_tensor(v, like=_like(oout))
        return backend.to_tensor(False)
    if isinstance(v, Undefined) or isinstance(ov, Undefined):
        raise _if_undefined_error(name, first, br, ov, v)
    v_tensor = _is_tensor(v)
    if kind == "opaque" or not (v_tensor or _liftable(v)):
        shown = _shown(name)
        if _is_return_value(name):
            fix = "Fix: return tensors or numbers on every path of the function"
            if ov is None or v is None:
                fix += " (a function that ends without a return statement returns None: add one)"
            fix += "."
        else:
            fix = (f"Fix: give {shown} the same value in both branches, or make it a tensor in "
                   "both.")
        raise staging_error(
            f"{shown} is {_describe(ov)} in the {first.label} branch and {_describe(v)} "
            f"in the {br.label} branch of this staged if. A value that is not a number or a "
            f"tensor cannot be chosen by a tensor condition; it must be the same in both "
            f"branches. {fix}", variable=_user_name(name))
    if getattr(backend, "weak_numbers", False):
        return _join_leaf(backend, k, v, first, br)
    if v_tensor:
        if kind == "tensor":
            s1, s2 = _spec_of(backend, ov), backend.spec(v)
            if s1 is not None and s2 is not None and s1 != s2:
                raise staging_error(
                    f"{_shown(name)} is {s1} in the {first.label} branch and {s2} in the "
                    f"{br.label} branch of this staged if. Fix: make both branches give "
                    f"{_shown(name)} the same dtype and shape (cast one of them).",
                    variable=_user_name(name))
            return v
        out = v
    else:
        out = backend.to_tensor(v, like=_like(oout))
    # A Python number in one branch and a tensor (or a number) of another dtype in the other
    # (`r and True` with an int r; `1.5 if c else n`): the value's dtype would depend on the
    # tensor condition. The backend may still join them (JAX's weakly typed numbers).
    s1, s2 = _spec_of(backend, oout), backend.spec(out)
    if s1 is not None and s2 is not None and s1 != s2 and _dtype(s1) != _dtype(s2):
        raise _if_dtype_error(name, first, br, ov, v, _dtype(s1), _dtype(s2))
    return out


def _dtype(spec):
    if isinstance(spec, tuple) and len(spec) == 2:
        return spec[0]
    return getattr(spec, "dtype", None)


# ---------------------------------------------------------------------------------------------
# Joining the dtypes of a staged if's branches (and of a ternary's two values). The rule
# (docs/graph_mode.md, "Branch values and their dtypes"; docs/jax.md), the same in either
# branch order and on every `weak_numbers` backend, is NEP 50's and JAX's for weakly typed
# values: a tensor keeps its dtype; a Python number takes the other side's dtype when it fits
# (a bool a bool; an int an integer dtype it fits in, or a float or complex one; a float a
# float or complex one); two numbers of different kinds join as the wider kind (`3 if c else
# 2.5` is a float: the values are equal as numbers). Anything else is a StagingError: a bool
# with a number, two tensors of different dtypes, a number that does not fit the tensor.
# ---------------------------------------------------------------------------------------------

_PY_KIND = {bool: "b", int: "i", float: "f", complex: "c"}
_WEAK_TYPE = {"b": bool, "i": int, "f": float, "c": complex}


def _number_type(backend, v):
    """(dtype, weak kind) of a branch output: a Python number is weakly typed (no dtype yet);
    a tensor or numpy value has its dtype, weakly typed when its backend says so (JAX's
    `weak_type`); (None, None) when its dtype is not known (a list, a backend's own spec)."""
    kind = _PY_KIND.get(type(v))
    if kind is not None:
        return None, kind
    if isinstance(v, (np.ndarray, np.generic)):
        return v.dtype, None
    spec = v.spec if isinstance(v, _Released) else backend.spec(v)
    dtype = _dtype(spec)
    if dtype is None:
        return None, None
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        return None, None
    if getattr(spec, "weak_type", False):
        return dtype, "i" if dtype.kind == "u" else dtype.kind
    return dtype, None


def _fits(kind, value, dtype) -> bool:
    """Whether a weakly typed number of `kind` (`value`, when it is a Python number) takes
    `dtype` (NEP 50)."""
    target = dtype.kind
    if kind == "b":
        return target == "b"
    if kind == "i":
        if target in "iu":
            if type(value) is not int:
                return True
            info = np.iinfo(dtype)
            return info.min <= value <= info.max
        return target in "fc"
    if kind == "f":
        return target in "fc"
    return target == "c"


def _join(t1, t2, v1, v2, hint):
    """The joined dtype of two branch values of types `t1`, `t2` (`_number_type`): a numpy
    dtype, a Python type (two weakly typed numbers: the backend's default dtype of that kind),
    None (not known: the backend checks), or why they do not join ('bool', 'dtypes',
    'number'). `hint`: the dtype of the variable before the if, which two numbers that both
    fit it take (so that a loop variable keeps its dtype)."""
    (d1, w1), (d2, w2) = t1, t2
    if w1 is None and w2 is None:
        if d1 is None or d2 is None or d1 == d2:
            return d1 if d2 is None else d2
        return "bool" if (d1.kind == "b") != (d2.kind == "b") else "dtypes"
    if w1 is not None and w2 is not None:
        if (w1 == "b") != (w2 == "b"):
            return "bool"
        if hint is not None and _fits(w1, v1, hint) and _fits(w2, v2, hint):
            return hint
        return _WEAK_TYPE[max(w1, w2, key="bifc".index)]
    kind, value, dtype = (w1, v1, d2) if w2 is None else (w2, v2, d1)
    if dtype is None:
        return None
    if _fits(kind, value, dtype):
        return dtype
    return "bool" if "b" in (kind, dtype.kind) else "number"


def _shape(spec):
    return tuple(spec[1]) if isinstance(spec, tuple) and len(spec) == 2 and spec[1] is not None \
        else None


def _join_leaf(backend, k, v, first, br):
    """Output `k` of the second traced branch of a staged if (on a `weak_numbers` backend),
    once its dtype is joined with the first's: a Python number lifted to the joined dtype (a
    number the first branch gave is joined by the backend's `cond`), a tensor as it is."""
    ov, oout, name = first.leaves[k], first.outs[k], br.lnames[k]
    hint = first.hints[k] if first.hints is not None else None
    hint_dtype = _number_type(backend, hint) if _is_tensor(hint) else (None, "?")
    t1, t2 = _number_type(backend, oout), _number_type(backend, v)
    joined = _join(t1, t2, oout, v, hint_dtype[0] if hint_dtype[1] is None else None)
    if isinstance(joined, str):
        raise _if_dtype_error(name, first, br, ov, v, t1[0], t2[0], joined)
    if _is_tensor(v) or type(v) not in _NUMERIC:  # a tensor (or numpy value) keeps its dtype
        out = v if _is_tensor(v) else backend.to_tensor(v)
        if first.kinds[k] == "tensor" or (first.kinds[k] == "py" and type(ov) not in _NUMERIC):
            s1 = _spec_of(backend, oout) if _is_tensor(oout) or isinstance(oout, _Released) \
                else (getattr(oout, "dtype", None), np.shape(oout))
            s2 = backend.spec(out)
            if s1 is not None and s2 is not None and (
                    s1 != s2 if first.kinds[k] == "tensor" else _shape(s1) != _shape(s2)):
                raise staging_error(
                    f"{_shown(name)} is {_spec_text(s1)} in the {first.label} branch and "
                    f"{_spec_text(s2)} in the {br.label} branch of this staged if. Fix: make "
                    f"both branches give {_shown(name)} the same dtype and shape.",
                    variable=_user_name(name))
        return out
    if isinstance(joined, type):  # two numbers: the backend's dtype of their kind
        return backend.to_tensor(joined(v))
    if joined is None:
        return backend.to_tensor(v, like=None if type(oout) in _NUMERIC else _like(oout))
    like = _like(oout) if t1[0] == joined and t1[1] is None else hint
    return backend.to_tensor(v, like=like)


_JOIN_FIX = {
    "bool": ("A bool is not joined with a number: Python would give a bool in one case and a "
             "number in the other",
             "give both a bool (compare a number: `x != 0`) or both a number (`int(flag)`, "
             "or 1 and 0)"),
    "dtypes": ("Two tensors of different dtypes are not promoted (a tensor keeps its dtype)",
               "cast one of them to the other's dtype (`.astype(...)`)"),
    "number": ("A Python number takes a tensor's dtype only when it fits it (an int an int "
               "tensor it fits in or a float tensor, a float a float tensor), and a tensor "
               "keeps its dtype",
               "cast the tensor to a dtype that holds both (e.g. `x.astype(float)`, or "
               "`x * 1.0`), or give a number of the tensor's kind"),
    None: ("", "cast one of them, e.g. with float(...) or .astype, or compare: `x != 0`"),
}


def _if_dtype_error(name, first, br, ov, v, d1, d2, reason=None):
    what = {"<and>": "this `and` expression", "<or>": "this `or` expression"}.get(name)
    if what is None and any(c in name for c in " ()<>=!"):  # a ternary's test, not a name
        what = f"the conditional expression on `{name}`"
    one, other = _with_dtype(ov, d1), _with_dtype(v, d2)
    why, fix = _JOIN_FIX.get(reason, _JOIN_FIX[None])
    why = f" {why}." if why else ""
    if what is not None:
        return staging_error(
            f"the value of {what} is {one} in one case and {other} in the other: its dtype "
            f"would depend on the value of a tensor, which is not known until the graph runs."
            f"{why} Fix: make both give one dtype ({fix}).", variable=None)
    return staging_error(
        f"{_shown(name)} is {one} in the {first.label} branch and {other} in the "
        f"{br.label} branch of this staged if: its dtype would depend on the value of a tensor."
        f"{why} Fix: make both branches give {_shown(name)} one dtype ({fix}).",
        variable=_user_name(name))


def _with_dtype(v, dtype):
    if dtype is None:
        return _describe(v)
    dtype = getattr(dtype, "name", dtype)
    if isinstance(v, _Released) or _is_tensor(v):
        return f"a tensor of dtype {dtype}"
    return f"{_describe(v)} (dtype {dtype} as a tensor)"


class _Side:
    """One value of a ternary chosen by `select` (both evaluated), for `_if_dtype_error`."""

    __slots__ = ("label",)

    def __init__(self, label):
        self.label = label


def check_select(backend, a, b, expr_repr):
    """Raises the StagingError of a staged if when `a if c else b`, evaluated on both sides
    for a backend's `select` (`short_circuit` False), does not join by the rule above
    (`jnp.where` would promote a bool to a number, an int tensor to a float one)."""
    for x in (a, b):  # lists and other values: `select` reports them
        if not (type(x) in _NUMERIC or isinstance(x, (np.ndarray, np.generic))
                or _is_tensor(x)):
            return
    t1, t2 = _number_type(backend, a), _number_type(backend, b)
    joined = _join(t1, t2, a, b, None)
    if isinstance(joined, str):
        raise _if_dtype_error(expr_repr, _Side("if"), _Side("else"), a, b, t1[0], t2[0],
                              joined)


def _if_undefined_error(name, first, br, ov, v):
    undefined_branch, defined_branch = (br, first) if isinstance(v, Undefined) else (first, br)
    if isinstance(ov if undefined_branch is first else v, UndefinedReturnValue):
        return staging_error(
            f"this staged if returns a value in its {defined_branch.label} branch but not in "
            f"its {undefined_branch.label} branch. A function whose return depends on a tensor "
            f"must return a value on every path (and inside a Python loop, a return that "
            f"depends on a tensor cannot stop the loop). Fix: add a return statement to the "
            f"{undefined_branch.label} branch (or after the if), or make the enclosing loop a "
            f"staged loop.", variable=None)
    return staging_error(
        f"{_shown(name)} is assigned in the {defined_branch.label} branch of this staged "
        f"if but not in the {undefined_branch.label} branch, and it is used after the if. Fix: "
        f"give {_shown(name)} a value before the if, or assign it in both branches.",
        variable=_user_name(name))


def _if_structure_error(first, br, vals, out_names):
    for idx, name in enumerate(out_names):  # noqa: B007
        if first.tree[idx] != br.tree[idx]:
            break
    else:  # pragma: no cover
        idx, name = 0, out_names[0]
    new = vals[idx]
    old = _unflatten((first.tree[idx],), [first.leaves[k] for k in range(len(first.leaves))
                                           if first.owner[k] == idx])[0]
    if type(old) is list and type(new) is list:
        carry = _carry_with_list(name)
        if carry is not None:
            return _Retry(carry, lift={carry.var_names.index(name)})
    if isinstance(old, Undefined) or isinstance(new, Undefined):
        return _if_undefined_error(name, first, br, old, new)
    variable = _user_name(name)
    name, old, new = _innermost_difference(name, old, new, first.tree[idx], br.tree[idx])
    return staging_error(
        f"{_shown(name)} is {_describe(old)} in the {first.label} branch and "
        f"{_describe(new)} in the {br.label} branch of this staged if. Both branches must give "
        "it the same structure (same type, length and keys). Fix: build it the same way in "
        "both branches.", variable=variable)


def _innermost_difference(name, old, new, old_tree, new_tree):
    """The part of two values of different structure where they differ: when both are
    containers of the same type and length (`(out,)` in both branches, `out` of another length
    in each), the message names `name[i]`, not two identical descriptions of the container."""
    while (old_tree is not None and new_tree is not None and old_tree[:2] == new_tree[:2]
           and len(old_tree[2]) == len(new_tree[2])):
        for i, (a, b) in enumerate(zip(old_tree[2], new_tree[2], strict=True)):  # noqa: B007
            if a != b:
                break
        else:  # pragma: no cover - the trees differ somewhere
            break
        if old_tree[0] == "dict":
            key = old_tree[1][i]
            name, old, new = f"{name}[{key!r}]", old[key], new[key]
        elif old_tree[0] == "nt":
            field = old_tree[1]._fields[i]
            name, old, new = f"{name}.{field}", getattr(old, field), getattr(new, field)
        else:
            name, old, new = f"{name}[{i}]", old[i], new[i]
        old_tree, new_tree = a, b
    return name, old, new


# How messages name autograph's own variables (return_statements, break_statements,
# continue_statements, staging.py's jump codes): never by their generated names.
_INTERNAL_WORDS = {
    "retval": "the return value", "val": "the return value", "value": "the return value",
    "do_return": "the flag that records a return", "break": "the flag that records a break",
    "continue": "the flag that records a continue", "code": "the jump code",
}
_INTERNAL = re.compile(r"ag__([a-z_]+?)(?:_\d+)?(?=$|[\[.])")


def _internal_word(name):
    m = _INTERNAL.match(name)
    if m is None:
        return None
    word = _INTERNAL_WORDS.get(m.group(1), "a variable autograph made")
    part = name[m.end():]
    return f"{word} (part {part})" if part else word


def _shown(name) -> str:
    """`'x'` for the user's variable x; in words for autograph's own (`the return value`)."""
    word = _internal_word(name)
    return f"'{name}'" if word is None else word


def _user_name(name):
    """`name` for a StagingError's `variable`, None for autograph's own variables."""
    return None if _internal_word(name) is not None else name


def _is_return_value(name) -> bool:
    return (_internal_word(name) or "").startswith("the return value")


_SCALARS = (bool, int, float)


def _probe_if(backend, body, orelse, get_state, set_state, init, snaps, nouts, rest):
    """While probing a loop body for the types of values first set in it: run both branches
    in Python and merge (the trace is abandoned afterwards, so no cond is needed)."""
    outs = []
    for fn in (body, orelse):
        _restore(snaps)
        set_state(init)
        fn()
        outs.append(tuple(get_state())[:nouts])
    merged = []
    for a, b in zip(*outs, strict=True):
        if isinstance(a, Undefined):
            merged.append(b)
        elif isinstance(b, Undefined):
            merged.append(a)
        elif not _is_tensor(a) and _is_tensor(b):
            merged.append(b)
        elif (not _is_tensor(a) and type(a) in _SCALARS and type(b) in _SCALARS
              and a != b):
            # A flag the branches set differently (`continue`, `return`) is a tensor after a
            # staged if: lift it, so that the code it guards is probed too.
            merged.append(backend.to_tensor(a))
        else:
            merged.append(a)
    _restore(snaps)
    set_state(tuple(merged) + rest)


# ---------------------------------------------------------------------------------------------
# Staged loops
# ---------------------------------------------------------------------------------------------


class _Retry(Exception):
    """Abandons a trace of a loop body, to stage the loop again knowing more."""

    def __init__(self, carry, lift=(), found=None, probed=False):
        super().__init__("internal: retrying a staged loop")
        self.carry = carry
        self.lift = set(lift)
        self.found = found or {}
        self.probed = probed


def _carries() -> list:
    stack = getattr(_local, "carries", None)
    if stack is None:
        stack = _local.carries = []
    return stack


def _carry_with_list(name):
    """The innermost loop being staged that has a Python-list variable `name` not lifted yet."""
    for carry in reversed(_carries()):
        if name in carry.var_names:
            idx = carry.var_names.index(name)
            if idx not in carry.lift and type(carry.init_vars[idx]) is list:
                return carry
            return None
    return None


class _Carry:
    """The flattened state of one staged loop: dynamic leaves (tensors, passed to the backend)
    and static leaves (Python values held fixed)."""

    def __init__(self, backend, init, names, what, opts, lift, probe):
        self.backend = backend
        self.var_names = names
        self.init_vars = init
        self.what = what
        self.location = opts.get("loop_name")
        self.lift = lift
        self.probe = probe
        leaves, lnames, tree, owner = _flatten(init, names, keep=lift)
        self.leaves, self.lnames, self.tree, self.owner = leaves, lnames, tree, owner
        invariants = {}
        for value, shape in opts.get("shape_invariants") or ():
            for k, leaf in enumerate(leaves):
                if leaf is value:
                    invariants[lnames[k]] = shape
        self.invariants = invariants
        self.kinds = []
        self.dyn_idx = []
        dyn = []
        self.has_urv = False
        for k, v in enumerate(leaves):
            name = lnames[k]
            if _is_tensor(v):
                kind, value = "dyn", v
            elif isinstance(v, UndefinedReturnValue):
                kind, value = "urv", v
                self.has_urv = True
            elif isinstance(v, Undefined):
                raise staging_error(
                    f"{_shown(name)} has no value before this staged {what} loop, but the loop "
                    f"assigns it and it is used after the loop (or in the next iteration). "
                    f"Fix: initialize {_shown(name)} before the loop, with the dtype and shape "
                    f"it has in the loop (for example {name} = 0, or zeros of the right shape).",
                    variable=_user_name(name), location=self.location)
            elif owner[k] in lift and type(v) is list:
                kind, value = "dyn", self._lift_list(v)
            elif _liftable(v):
                kind, value = "dyn", backend.to_tensor(v)
            else:
                kind, value = "static", v
            self.kinds.append(kind)
            if kind == "dyn":
                self.dyn_idx.append(k)
                dyn.append(value)
        self.init = tuple(dyn)
        self.dyn_names = tuple(lnames[k] for k in self.dyn_idx)
        self.opts = {
            "maximum_iterations": opts.get("maximum_iterations"),
            "shape_invariants": invariants,
            "loop_name": self.location,
            "iterate_names": opts.get("iterate_names"),
        }

    def _lift_list(self, items):
        lst = self.backend.list_new()
        for x in items:
            lst = self.backend.list_append(lst, x)
        return lst

    def set(self, set_state, dyn):
        full = list(self.leaves)
        for j, k in enumerate(self.dyn_idx):
            full[k] = dyn[j]
        set_state(_unflatten(self.tree, full))

    def reset(self, set_state):
        """Back to the values before the loop, when a traced loop function returns: the
        variables must not keep values of a trace that has ended (a backend such as JAX
        checks that no value outlives its trace: `jax.checking_leaks()`)."""
        self.set(set_state, self.init)

    def get(self, get_state):
        vals = tuple(get_state())
        found = {}
        if self.has_urv:  # a return value first set in the loop: needs a placeholder
            vals = list(vals)
            for idx, v0 in enumerate(self.init_vars):
                if isinstance(v0, UndefinedReturnValue) and not isinstance(vals[idx], Undefined):
                    found[self.var_names[idx]] = vals[idx]
                    vals[idx] = v0
            vals = tuple(vals)
        leaves, lnames, tree, owner = _flatten(vals, self.var_names, keep=self.lift)
        if tree != self.tree:
            raise self._structure_error(vals, tree)
        backend = self.backend
        out = []
        dyn_pos = 0
        for k, v in enumerate(leaves):
            kind = self.kinds[k]
            name = lnames[k]
            if kind == "dyn":
                before = self.init[dyn_pos]
                dyn_pos += 1
                if _is_tensor(v):
                    if name not in self.invariants:
                        s1, s2 = backend.spec(before), backend.spec(v)
                        if s1 is not None and s2 is not None and s1 != s2:
                            raise staging_error(
                                f"{_shown(name)} is {_spec_text(s1)} before this staged "
                                f"{self.what} loop and {_spec_text(s2)} after one iteration: a "
                                f"loop variable must keep its dtype and shape. Fix: initialize "
                                f"{_shown(name)} before the loop with the dtype and shape it has "
                                f"in the loop (or cast it in the loop).",
                                variable=_user_name(name), location=self.location)
                    out.append(v)
                elif _liftable(v):
                    out.append(backend.to_tensor(v, like=before))
                else:
                    raise staging_error(
                        f"{_shown(name)} is a tensor in this staged {self.what} loop but becomes "
                        f"{_describe(v)} in its body. Fix: keep {_shown(name)} a tensor (or a "
                        f"number) in the loop.", variable=_user_name(name), location=self.location)
            elif kind == "urv":
                pass
            elif not _same(v, self.leaves[k]):
                old = self.leaves[k]
                raise staging_error(
                    f"{_shown(name)} is {_describe(old)} before this staged {self.what} loop and "
                    f"{_describe(v)} after one iteration. A Python value that is not a number "
                    f"cannot change in a staged loop. Fix: initialize {_shown(name)} as a tensor "
                    f"(or a number) before the loop, or do not change it in the loop.",
                    variable=_user_name(name), location=self.location)
        if found or self.probe:
            raise _Retry(self, found=found, probed=self.probe)
        return tuple(out)

    def _structure_error(self, vals, tree):
        for idx, name in enumerate(self.var_names):  # noqa: B007
            if tree[idx] != self.tree[idx]:
                break
        else:  # pragma: no cover
            idx, name = 0, self.var_names[0]
        old, new = self.init_vars[idx], vals[idx]
        if type(old) is list and idx not in self.lift and (type(new) is list or _is_tensor(new)):
            return _Retry(self, lift={idx})  # a list that grows (or became a backend list)
        return staging_error(
            f"{_shown(name)} is {_describe(old)} before this staged {self.what} loop and "
            f"{_describe(new)} after one iteration: a loop variable must keep its structure "
            f"(type, length and keys). Fix: give {_shown(name)} its final structure before the "
            "loop.",
            variable=_user_name(name), location=self.location)

    def finish(self, set_state, dyn):
        full = list(self.leaves)
        for j, k in enumerate(self.dyn_idx):
            full[k] = dyn[j]
        vals = list(_unflatten(self.tree, full))
        for idx in range(len(vals)):
            ks = [k for k in range(len(full)) if self.owner[k] == idx]
            if ks and all(self.kinds[k] != "dyn" for k in ks):
                vals[idx] = self.init_vars[idx]
        set_state(tuple(vals))


_MAX_ATTEMPTS = 8


def _run_staged_loop(backend, get_state, set_state, names, opts, what, launch):
    """Stages a loop: builds the carry, calls `launch(carry)` (which calls the backend), retries
    with lifted lists / return-value placeholders when a trace asks for it, sets the final
    state. Returns NotImplemented if `launch` does (the caller then runs a Python loop)."""
    init = tuple(get_state())
    names = tuple(names)
    lift: set = set()
    placeholders: dict = {}  # variable name -> placeholder for a return value set in the loop
    probed = False
    stack = _carries()
    for _ in range(_MAX_ATTEMPTS):
        start = tuple(placeholders.get(n, v) if isinstance(v, UndefinedReturnValue) else v
                      for n, v in zip(names, init, strict=True))
        carry = _Carry(backend, start, names, what, opts, lift, probe=False)
        carry.probe = carry.has_urv and not probed
        stack.append(carry)
        if carry.probe:
            _local.probe = getattr(_local, "probe", 0) + 1
        try:
            final = launch(carry)
        except _Retry as r:
            if r.carry is not carry:
                raise
            lift |= r.lift
            for name, v in r.found.items():
                placeholders[name] = _placeholder(backend, v)
            probed = probed or r.probed
            set_state(init)
            continue
        finally:
            stack.pop()
            if carry.probe:
                _local.probe -= 1
        if final is NotImplemented:
            set_state(init)
            return NotImplemented
        carry.finish(set_state, tuple(final))
        return None
    raise RuntimeError("autograph: could not stage this loop (too many retries)")


def _placeholder(backend, value, lift=True):
    """Zeros with the structure, dtypes and shapes of `value` (from an abandoned trace);
    Python numbers become zeros tensors too unless `lift` is false."""
    leaves, _, trees, _ = _flatten((value,), ("v",))
    out = []
    for v in leaves:
        if _is_tensor(v):
            out.append(backend.zeros_like(v))
        elif lift and _liftable(v):
            out.append(backend.zeros_like(backend.to_tensor(v)))
        else:
            out.append(v)
    return _unflatten(trees, out)[0]


def _pred(backend, t):
    if _is_tensor(t):
        return t
    return backend.to_tensor(bool(t))


def _staged_while(backend, test, body, get_state, set_state, names, opts):
    def launch(carry):
        def cond_fn(*dyn):
            carry.set(set_state, dyn)
            try:
                return _pred(backend, test())
            finally:
                carry.reset(set_state)

        def body_fn(*dyn):
            carry.set(set_state, dyn)
            try:
                body()
                return carry.get(get_state)
            finally:
                carry.reset(set_state)

        return backend.while_loop(cond_fn, body_fn, carry.init, carry.dyn_names, carry.opts)

    _run_staged_loop(backend, get_state, set_state, names, opts, "while", launch)


def _staged_for_range(backend, start, stop, step, extra_test, body, get_state, set_state,
                      names, opts):
    def launch(carry):
        def body_fn(i, *dyn):
            carry.set(set_state, dyn)
            try:
                body(i)
                return carry.get(get_state)
            finally:
                carry.reset(set_state)

        if extra_test is None:
            return backend.for_range(start, stop, step, body_fn, carry.init, carry.dyn_names,
                                     carry.opts)

        def extra(*dyn):
            carry.set(set_state, dyn)
            try:
                return extra_test()
            finally:
                carry.reset(set_state)

        return registry._range_with_while(backend, start, stop, step, body_fn, carry.init,
                                          carry.dyn_names, carry.opts, extra)

    _run_staged_loop(backend, get_state, set_state, names, opts, "for", launch)


def _staged_for_tensor(backend, xs, make_iterate, extra_test, body, get_state, set_state,
                       names, opts):
    names = tuple(names)

    def launch(carry):
        def body_fn(i, x, *dyn):
            carry.set(set_state, dyn)
            try:
                itr = make_iterate(i, x)
                if extra_test is None:
                    body(itr)
                else:
                    if_stmt(extra_test(), lambda: body(itr), _noop, get_state, set_state,
                            names, len(names))
                return carry.get(get_state)
            finally:
                carry.reset(set_state)

        return backend.for_tensor(xs, body_fn, carry.init, carry.dyn_names, carry.opts)

    _run_staged_loop(backend, get_state, set_state, names, opts, "for", launch)


def _static_range_for(r, extra_test, body, get_state, set_state, names, opts) -> bool:
    """A Python range while a backend wants static ranges staged (or, for a loop with a
    break/return, `extra_test`, ranges with jumps). True if it was staged."""
    backend = registry.wants_static_range(extra_test is not None)
    if backend is None:
        return False
    # A loop over a Python range is a Python loop, staged only to keep the trace small: it
    # runs every iteration, as it does unstaged (maximum_iterations caps staged loops only).
    opts = {k: v for k, v in opts.items() if k != "maximum_iterations"}
    init = tuple(get_state())
    if any(type(v) is list for v in init):  # a list may grow: keep Python semantics
        return False
    leaves, _, _, _ = _flatten(init, tuple(names))
    if not all(_is_tensor(v) or _liftable(v) or (extra_test is not None and isinstance(
            v, Undefined)) for v in leaves):  # a return value not set yet: found by probing
        return False

    def launch(carry):
        def body_fn(i, *dyn):
            carry.set(set_state, dyn)
            try:
                body(i)
                return carry.get(get_state)
            finally:
                carry.reset(set_state)

        if extra_test is not None:
            # A break/return in the loop: a while loop whose test also checks the flags (not
            # reverse-differentiable, as in JAX itself).
            def extra(*dyn):
                carry.set(set_state, dyn)
                try:
                    return extra_test()
                finally:
                    carry.reset(set_state)

            from_python = tuple(not _is_tensor(carry.leaves[k]) for k in carry.dyn_idx)
            return backend.for_jump_range(r.start, r.stop, r.step, body_fn, carry.init,
                                          carry.dyn_names, carry.opts, extra, from_python)
        return backend.for_static_range(r.start, r.stop, r.step, body_fn, carry.init,
                                        carry.dyn_names, carry.opts)

    return _run_staged_loop(backend, get_state, set_state, names, opts, "for",
                            launch) is not NotImplemented


def _staged_for_desc(desc, extra_test, body, get_state, set_state, names, opts):
    from .iteration import EnumerateDesc, RangeDesc, ZipDesc

    backend = desc.backend
    if type(desc) is RangeDesc:
        _staged_for_range(backend, desc.start, desc.stop, desc.step, extra_test, body,
                          get_state, set_state, names, opts)
        return
    if type(desc) is EnumerateDesc:
        start = desc.start
        inner = desc.iterable
        if type(inner) is ZipDesc:
            xs = _zip_operands(backend, inner)

            def make_iterate(i, x):
                return (i if _is_zero(start) else i + start, tuple(x))
        elif _is_tensor(inner):
            xs = inner

            def make_iterate(i, x):
                return (i if _is_zero(start) else i + start, x)
        else:
            raise staging_error(
                f"enumerate() over {_describe(inner)} cannot be staged. Fix: iterate over a "
                "tensor (or zip of tensors), or count with a separate variable.")
        _staged_for_tensor(backend, xs, make_iterate, extra_test, body, get_state, set_state,
                           names, opts)
        return
    xs = _zip_operands(backend, desc)
    _staged_for_tensor(backend, xs, lambda i, x: tuple(x), extra_test, body, get_state,
                       set_state, names, opts)


def _is_zero(v) -> bool:
    return type(v) is int and v == 0


def _zip_operands(backend, desc):
    from .iteration import _DESC_TYPES

    xs = []
    for x in desc.iterables:
        if _is_tensor(x):
            xs.append(x)
        elif type(x) is range:
            xs.append(backend.to_tensor(np.arange(x.start, x.stop, x.step)))
        elif type(x) in _DESC_TYPES:
            raise staging_error(
                "zip() of a range or enumerate of tensors cannot be staged. Fix: zip tensors "
                "(for example an arange tensor), or count with a separate variable.")
        else:
            xs.append(backend.to_tensor(list(x)))
    return tuple(xs)


from .iteration import _DESC_TYPES  # noqa: E402  (iteration imports nothing from here)
