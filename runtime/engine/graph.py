"""Graphs, operations and the thread-local default-graph stack."""

from __future__ import annotations

import contextlib
import re
import threading
from typing import Any, Iterator, List, Optional

__all__ = ["Graph", "Operation", "get_default_graph", "reset_default_graph", "in_graph_context"]

_state = threading.local()
_global_lock = threading.Lock()
_global_default: Optional["Graph"] = None
#: How many `as_default` blocks are open, in all threads: 0 means no graph is being built
#: anywhere, which lets converted code skip asking (the engine backend's `jump_gate`).
building = [0]


def _stack() -> list:
    try:
        return _state.stack
    except AttributeError:
        _state.stack = []
        return _state.stack


def in_graph_context() -> bool:
    """True while some graph was entered with ``with graph.as_default():`` on this thread."""
    return bool(_stack())


def get_default_graph() -> "Graph":
    """The innermost graph entered on this thread, else the global default graph."""
    stack = _stack()
    if stack:
        return stack[-1]
    global _global_default
    if _global_default is None:
        with _global_lock:
            if _global_default is None:
                _global_default = Graph(name="default")
    return _global_default


def reset_default_graph() -> None:
    """Replace the global default graph with a fresh one (only outside any ``as_default``)."""
    global _global_default
    if _stack():
        raise RuntimeError("reset_default_graph() cannot be called inside graph.as_default()")
    _global_default = None


class Operation:
    """One node of a graph: ``type`` (e.g. ``'add'``, ``'Cond'``), unique ``name``, ``inputs``
    and ``outputs`` (tensors), and ``attrs`` (static attributes)."""

    __slots__ = ("graph", "type", "name", "kind", "inputs", "outputs", "attrs", "stateful",
                 "__weakref__")

    def __init__(self, graph: "Graph", kind, type_: str, name: str, inputs: list, attrs: dict,
                 stateful: bool):
        self.graph = graph
        self.kind = kind
        self.type = type_
        self.name = name
        self.inputs: List[Any] = inputs
        self.outputs: List[Any] = []
        self.attrs = attrs
        self.stateful = stateful

    @property
    def subgraphs(self) -> list:
        """The sub-graphs of a control-flow op (branches, or loop condition and body)."""
        return self.kind.subgraphs(self)

    def __repr__(self) -> str:
        return f"<Operation '{self.name}' type={self.type}>"


_NAME_RE = re.compile(r"[^A-Za-z0-9_.\-/]")


class Graph:
    """A dataflow graph of numpy operations, with control flow of its own.

    Build it under ``with graph.as_default():`` (or let tensors pick their graph), then run it
    with :meth:`run` or compile a callable with :meth:`compile`.

    >>> import numpy as np
    >>> import autograph.runtime.engine as ag
    >>> g = ag.Graph()
    >>> with g.as_default():
    ...     x = ag.placeholder(np.float64, shape=(None,), name='x')
    ...     y = np.sum(x * 2.0)
    >>> g.run(y, {x: np.array([1.0, 2.0])})
    np.float64(6.0)
    """

    is_subgraph = False

    def __init__(self, name: Optional[str] = None):
        self.name = name or "graph"
        self._ops: List[Operation] = []
        self.outer: Optional[Graph] = None
        self.root: Graph = self
        self.depth = 0
        self._names: dict = {}
        self._stateful = False
        self._frozen = False
        self._lock = threading.RLock()
        self._run_cache: dict = {}
        self._run_cache_feed: dict = {}
        self._compile_cache: dict = {}
        self._placeholders: dict = {}
        self._version = 0

    # -- building -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator["Graph"]:
        """Make this graph the default one on this thread inside the ``with`` block."""
        stack = _stack()
        stack.append(self)
        with _global_lock:
            building[0] += 1
        try:
            yield self
        finally:
            with _global_lock:
                building[0] -= 1
            # Pop this graph even if an inner block forgot to (it cannot with contextlib).
            if stack and stack[-1] is self:
                stack.pop()
            else:  # pragma: no cover - defensive
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i] is self:
                        del stack[i]
                        break

    def _unique_name(self, base: str) -> str:
        names = self.root._names
        base = _NAME_RE.sub("_", base) or "op"
        if base not in names:
            names[base] = 1
            return base
        i = names[base]
        while f"{base}_{i}" in names:
            i += 1
        names[base] = i + 1
        name = f"{base}_{i}"
        names[name] = 1
        return name

    def _add(self, op: Operation) -> None:
        if self._frozen:
            raise RuntimeError(
                f"autograph engine: cannot add operation '{op.name}' to {self.describe()}, "
                "which is already finished")
        self._ops.append(op)
        if op.stateful:
            self._stateful = True
        self.root._invalidate()

    def _discard_since(self, n: int) -> None:
        """Removes the ops added after the first `n`: an abandoned attempt (the runtime
        built a loop to inspect it, then ran it in Python instead) whose outputs nobody uses."""
        del self._ops[n:]
        self._stateful = any(op.stateful for op in self._ops)
        self.root._invalidate()

    def _invalidate(self) -> None:
        self._version += 1
        if self._run_cache:
            self._run_cache = {}
        if self._run_cache_feed:
            self._run_cache_feed = {}
        if self._compile_cache:
            self._compile_cache = {}

    def describe(self) -> str:
        return f"graph '{self.name}'"

    def is_ancestor_of(self, other: "Graph") -> bool:
        g = other
        while g is not None:
            if g is self:
                return True
            g = g.outer
        return False

    # -- inspecting ---------------------------------------------------------------------------
    def get_operations(self) -> List[Operation]:
        """The operations of this graph, in the order they were added (sub-graphs excluded:
        see ``op.subgraphs`` of control-flow ops)."""
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        for op in self._walk_ops():
            if op.name == name:
                return op
        raise KeyError(f"no operation named {name!r} in {self.describe()}")

    def get_tensor_by_name(self, name: str):
        """A tensor by its name (``'x:0'``), or a placeholder by its bare name (``'x'``)."""
        if ":" in name:
            opname, _, idx = name.rpartition(":")
            op = self.get_operation_by_name(opname)
            return op.outputs[int(idx)]
        op = self.get_operation_by_name(name)
        if len(op.outputs) != 1:
            raise KeyError(f"operation {name!r} has {len(op.outputs)} outputs; name one as "
                           f"'{name}:i'")
        return op.outputs[0]

    def _walk_ops(self) -> Iterator[Operation]:
        for op in self._ops:
            yield op
            for sub in op.subgraphs:
                yield from sub._walk_ops()

    def placeholders(self) -> list:
        """The placeholders of this graph, in creation order."""
        return [op.outputs[0] for op in self._ops if op.type == "Placeholder"]

    def __len__(self) -> int:
        return len(self._ops)

    def __repr__(self) -> str:
        return f"<Graph '{self.name}' with {len(self._ops)} ops>"

    def __str__(self) -> str:
        return self.as_text()

    def as_text(self) -> str:
        """A readable listing: one line per operation, sub-graphs indented."""
        from .printing import graph_as_text

        return graph_as_text(self)

    def to_dot(self) -> str:
        """Graphviz source (render with ``dot -Tsvg``); sub-graphs are drawn as clusters."""
        from .printing import graph_to_dot

        return graph_to_dot(self)

    # -- running ------------------------------------------------------------------------------
    def run(self, fetches, feed_dict: Optional[dict] = None):
        """Run the graph and return the values of ``fetches``.

        Args:
            fetches: a tensor, a Variable (its value after the run), an operation (gives None),
                a plain Python/numpy value (returned as is), or nested lists/tuples/dicts of them.
            feed_dict: placeholder (or its name) to value. Values are checked against the
                placeholder's dtype and shape.

        Returns:
            numpy values in the structure of ``fetches``. Every effect of the graph
            (Variable writes, prints, assertions) runs once per call, in program order.
        """
        if feed_dict:
            try:
                fn = self._run_cache_feed[(fetches, *feed_dict)]
            except (KeyError, TypeError):
                fn = self._run_slow(fetches, feed_dict)
            return fn(*feed_dict.values())
        try:
            fn = self._run_cache[fetches]
        except (KeyError, TypeError):
            fn = self._run_slow(fetches, None)
        return fn()

    def _run_slow(self, fetches, feed_dict):
        from .executor import compile_for_run

        return compile_for_run(self, fetches, feed_dict)

    def compile(self, fetches, feeds=()):
        """Compile once to a Python callable: ``fn(*feed_values)`` returns the fetches' values.

        ``feeds`` lists the placeholders (or their names) in the order their values will be
        passed. The callable's generated source is in ``fn.source``.
        """
        from .executor import compile_graph

        return compile_graph(self, fetches, feeds)


class SubGraph(Graph):
    """A branch of a ``cond``/``switch_case``, or the condition/body of a ``while_loop``.

    It may use (capture) tensors of the graphs around it; they are read by reference.
    """

    is_subgraph = True

    def __init__(self, outer: Graph, purpose: str):
        super().__init__(name=purpose)
        self.outer = outer
        self.root = outer.root
        self.depth = outer.depth + 1
        self.purpose = purpose
        self.captures: dict = {}
        self.inputs: list = []
        self.outputs: list = []
        self.owner: Optional[Operation] = None

    def describe(self) -> str:
        return f"the {self.purpose}"

    def _invalidate(self) -> None:  # pragma: no cover - caches live on the root
        self.root._invalidate()

    def run(self, fetches, feed_dict=None):
        raise TypeError("a sub-graph (branch or loop body) cannot be run on its own; run the "
                        "graph that contains it")

    compile = run
