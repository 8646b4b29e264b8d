"""The embedded graph engine as a runtime backend: converted control flow on engine tensors.

Each primitive maps onto the engine's own control flow (`cond`, `switch_case`, `while_loop`,
`TensorList`, `Variable`, `print`, `assert_that`); the generic runtime has already flattened
the state and passes the user's variable names, which the engine puts in its errors.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from autograph.runtime import engine, registry


class EngineBackend(registry.Backend):
    """Stages converted control flow on `autograph.Tensor` values into the default graph."""

    name = "engine"
    tensor_types = (engine.Tensor,)
    priority = 0
    short_circuit = True
    weak_numbers = True  # engine.cond gives a Python number the other branch's dtype
    jump_gate = engine.graph.building  # wants_jump_range is False while no graph is built

    # Values ------------------------------------------------------------------------------

    def to_tensor(self, value: Any, like: Any = None) -> Any:
        if isinstance(value, engine.Tensor):
            return value
        if like is not None and isinstance(like, engine.Tensor) and isinstance(
                value, (bool, int, float)) and not isinstance(like, engine.TensorList):
            return engine.constant(np.asarray(value).astype(like.dtype)
                                   if np.can_cast(np.result_type(value, like.dtype), like.dtype)
                                   else value)
        return engine.convert_to_tensor(value)

    def zeros_like(self, value: Any) -> Any:
        if isinstance(value, engine.TensorList):
            # The placeholder of a list (a return value first set in a staged loop): an empty
            # list of the same elements, so that the loop carries one kind of list.
            return engine.TensorList(dtype=value.element_dtype,
                                     element_shape=value.element_shape)
        shape = tuple(d if d is not None else 0 for d in (value.shape or ()))
        return engine.constant(np.zeros(shape, dtype=value.dtype))

    def spec(self, value: Any):
        if isinstance(value, engine.TensorList):
            return None
        return (value.dtype, value.shape)

    # Control flow ------------------------------------------------------------------------

    def cond(self, pred, true_fn: Callable[[], tuple], false_fn: Callable[[], tuple],
             names: Sequence[str]) -> tuple:
        out = engine.cond(pred, lambda: tuple(true_fn()), lambda: tuple(false_fn()),
                          names=list(names))
        return tuple(out)

    def switch(self, index, branch_fns, names) -> tuple:
        fns = [(lambda fn=fn: tuple(fn())) for fn in branch_fns]
        return tuple(engine.switch_case(index, fns, names=list(names)))

    def while_loop(self, cond_fn, body_fn, init: tuple, names: Sequence[str],
                   opts: dict) -> tuple:
        if not init:  # a loop with no state still needs one variable to carry
            engine.while_loop(lambda _: cond_fn(), lambda k: (body_fn(), k)[1], (0,),
                              maximum_iterations=opts.get("maximum_iterations"))
            return ()
        invariants = opts.get("shape_invariants") or {}
        shape_invariants = None
        if invariants:
            shape_invariants = [invariants.get(n) for n in names]
        out = engine.while_loop(lambda *s: cond_fn(*s), lambda *s: tuple(body_fn(*s)),
                                tuple(init), maximum_iterations=opts.get("maximum_iterations"),
                                shape_invariants=shape_invariants, names=list(names))
        return tuple(out)

    def for_range(self, start, stop, step, body_fn, init, names, opts) -> tuple:
        # Normalize to a trip count so that either sign of step works:
        # n = max(0, ceil((stop - start) / step)).
        start, stop, step = (engine.convert_to_tensor(v) if not isinstance(v, engine.Tensor)
                             else v for v in (start, stop, step))
        trips = np.maximum((stop - start + step - np.sign(step)) // step, 0)
        # range(n): the loop counter is the loop index itself (the engine then keeps it a
        # Python int where it can), when that gives it the same dtype
        plain = _const_value(start) == 0 and _const_value(step) == 1 and \
            np.result_type(start.dtype, step.dtype, trips.dtype) == trips.dtype

        def body(k, *state):
            return (k + 1,) + tuple(body_fn(k if plain else start + k * step, *state))

        out = self.while_loop(lambda k, *state: k < trips, body,
                              (engine.constant(np.zeros((), trips.dtype)),) + tuple(init),
                              ("<loop index>",) + tuple(names), opts)
        return out[1:]

    def wants_jump_range(self) -> bool:
        # A Python range loop with a break/return, while a graph is being built: offered to
        # for_jump_range, which stages it when a jump depends on a tensor.
        return engine.in_graph_context()

    def for_jump_range(self, start, stop, step, body_fn, init, names, opts, extra_test,
                       from_python):
        """A `for` over a Python range whose body breaks or returns, while a graph is built.

        Staged as a `While` when whether the loop stops depends on a tensor (the loop test, the
        jump flags and-ed in, reads a tensor of the graph, or a loop variable that was a tensor
        or becomes one from a tensor); else the loop just built is discarded and the loop runs
        in Python, unrolled like any Python loop at trace time (returns NotImplemented). Also
        runs in Python when the loop cannot be built as a `While` (the Python loop then
        reports a jump on a tensor)."""
        if len(range(start, stop, step)) == 0:
            return NotImplemented  # nothing runs: keep the Python values as they are
        from autograph.runtime.control_flow import _local, _Retry

        graph = engine.get_default_graph()
        mark = len(graph.get_operations())
        try:
            out = registry._range_with_while(self, start, stop, step, body_fn, init, names,
                                             opts, extra_test)
        except _Retry:
            raise  # the runtime retries with return-value placeholders
        except Exception:  # noqa: BLE001 - any failure to stage: the Python loop decides
            graph._discard_since(mark)
            return NotImplemented
        if getattr(_local, "probe", 0):
            # A trace that only finds the types of return values (its staged ifs run one
            # branch), thrown away: its loop cannot tell, and is kept staged.
            return out
        loops = [op for op in graph.get_operations()[mark:] if op.type == "While"]
        if loops and not _stops_on_tensor(loops[-1], (False,) + tuple(
                not p for p in from_python)):
            graph._discard_since(mark)
            return NotImplemented
        return out

    def for_tensor(self, xs, body_fn, init, names, opts) -> tuple:
        items = xs if isinstance(xs, tuple) else (xs,)
        items = tuple(engine.convert_to_tensor(x) if not isinstance(x, engine.Tensor) else x
                      for x in items)
        lengths = [np.shape(x)[0] for x in items]
        n = lengths[0]
        for other in lengths[1:]:
            n = np.minimum(n, other)

        def body(k, *state):
            x = tuple(item[k] for item in items) if isinstance(xs, tuple) else items[0][k]
            return (k + 1,) + tuple(body_fn(k, x, *state))

        zero = engine.constant(np.int64(0))
        out = self.while_loop(lambda k, *state: k < n, body, (zero,) + tuple(init),
                              ("<loop index>",) + tuple(names), opts)
        return out[1:]

    # Operators ---------------------------------------------------------------------------

    def logical_and(self, a, b):
        return np.logical_and(a, b)

    def logical_or(self, a, b):
        return np.logical_or(a, b)

    def logical_not(self, a):
        return np.logical_not(a)

    def select(self, c, a, b):
        return np.where(c, a, b)

    def assert_(self, cond, message):
        return engine.assert_that(cond, message)

    def print_(self, *args, **kwargs):
        return engine.print(*args, **kwargs)

    # Lists -------------------------------------------------------------------------------

    def list_new(self):
        return engine.TensorList()

    def list_append(self, lst, x):
        if isinstance(lst, engine.TensorList):
            return lst.append(x)
        lst.append(x)
        return lst

    def list_pop(self, lst, i=None):
        if isinstance(lst, engine.TensorList):
            if i is not None and not (type(i) is int and i == -1):  # -1: the last one too
                raise TypeError("autograph engine: a TensorList only pops its last element "
                                "(list.pop() with no index)")
            return lst.pop()
        value = lst.pop() if i is None else lst.pop(i)
        return lst, value

    def list_length(self, lst):
        if isinstance(lst, engine.TensorList):
            return lst.size()
        return NotImplemented

    def list_stack(self, lst, opts=None):
        if isinstance(lst, engine.TensorList):
            return lst.stack()
        return np.stack(lst)

    def setitem(self, x, key, value):
        return engine.setitem(x, key, value)


def _const_value(t):
    """The value of a constant engine tensor, else None."""
    if t.op.type == "Const":
        v = t.op.attrs["value"]
        if np.ndim(v) == 0:
            return v
    return None


def _stops_on_tensor(loop, tensor_vars) -> bool:
    """Whether the condition of the `While` op `loop` depends on a tensor: on a tensor of an
    enclosing graph, a non-constant source, or a loop variable flagged in `tensor_vars` (one
    per variable: it was a tensor before the loop), or that the body computes from one."""
    cond_graph, body_graph = loop.attrs["cond_graph"], loop.attrs["body_graph"]
    tainted = list(tensor_vars)
    if len(tainted) != len(body_graph.outputs):
        return True
    changed = True
    while changed:  # to a fixed point: a variable computed from a tainted one is tainted
        changed = False
        for k, out in enumerate(body_graph.outputs):
            if not tainted[k] and _reads_tensor(out, body_graph, tainted):
                tainted[k] = changed = True
    return _reads_tensor(cond_graph.outputs[0], cond_graph, tainted)


def _reads_tensor(t, graph, tainted) -> bool:
    stack, seen = [t], set()
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        op = t.op
        if not graph.is_ancestor_of(op.graph):
            return True  # a tensor of an enclosing graph that the loop reads
        if op.type == "LoopVar" and op.graph is graph:
            k = next(k for k, v in enumerate(graph.inputs) if v is t)
            if tainted[k]:
                return True
        elif "branches" in op.attrs:  # cond / switch_case: the selector and that output
            k = next(k for k, v in enumerate(op.outputs) if v is t)
            stack.append(op.inputs[0])
            stack.extend(sub.outputs[k] for sub in op.attrs["branches"])
        elif not op.inputs:
            if op.type != "Const":
                return True  # a variable's value, a placeholder: known only at run time
        else:
            stack.extend(op.inputs)
    return False


def load_backend() -> EngineBackend:
    return EngineBackend()
