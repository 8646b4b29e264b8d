"""Reaching definitions.

`resolve(node, graphs)` annotates, in every function of `graphs` (from `cfg.build`;
activity.resolve must have run), every statement and every other CFG node (If/While `test`,
For `iter` and `target`, withitem, ExceptHandler, match patterns and guards) with:

- `anno.Static.DEFINED_VARS_IN`: frozenset of QNs defined on at least one path that reaches
  the node (TensorFlow AutoGraph's meaning);
- `anno.Static.DEFINITELY_DEFINED_IN`: frozenset of QNs defined on every path that reaches it.

For a compound statement the paths are those entering it from outside (a loop's back edges
are excluded: they reach its test/iter, which is annotated separately).

A definition is any write found by activity analysis (`SCOPE.modified`): assignments,
augmented assignments, loop/with/except/match targets, imports, def/class names, walrus
targets, mutating method calls. Parameters are defined at the function's entry; a nested
function defined directly in another one also starts with the definitions that reach its
`def` (less the names it binds itself). `del x` undefines `x`; redefining or deleting a simple
name `a` also undefines the composites built on it (`a.b`, `x[a]`). A match pattern's captures
are definitely defined only past its success edge (they may be defined past its failure edge).
"""

import gast

from autograph.pyct import anno
from autograph.pyct.cfg import _FUNCTION_DEFS
from autograph.pyct.liveness import _Bits, _extend_kills, _node_scope, _pattern_flags

__all__ = ['resolve']

_FIELD = anno.FIELD
_SCOPE = anno.Static.SCOPE
_DEFINED = anno.Static.DEFINED_VARS_IN
_DEFINITELY = anno.Static.DEFINITELY_DEFINED_IN
_EMPTY = frozenset()


def _analyze(graph, inherited):
    nodes = graph.nodes
    n_nodes = len(nodes)
    bits = _Bits()
    gen = [0] * n_nodes
    kill = [0] * n_nodes
    for n in nodes:
        sc = _node_scope(n.ast_node)
        if sc is None:
            continue
        i = n.idx
        if sc.modified:
            gen[i] = bits.mask(sc.modified)
        if sc.deleted:
            kill[i] = bits.mask(sc.deleted)
        kill[i] |= gen[i]
    entry = graph.entry.idx
    may_entry = must_entry = 0
    if inherited is not None:
        may_entry = bits.mask(inherited[0])
        must_entry = bits.mask(inherited[1])
    _extend_kills(kill, bits.dependents())
    universe = (1 << len(bits.qns)) - 1

    # Reachability from the entry.
    reach = bytearray(n_nodes)
    stack = [graph.entry]
    while stack:
        m = stack.pop()
        if reach[m.idx]:
            continue
        reach[m.idx] = 1
        stack.extend(m.next)

    succ = graph.succ
    pred = graph.pred
    may_in = [0] * n_nodes
    may_out = [0] * n_nodes
    must_in = [0] * n_nodes
    must_out = [universe if reach[i] else 0 for i in range(n_nodes)]
    is_pattern = _pattern_flags(nodes)
    work = [i for i in range(n_nodes - 1, -1, -1) if reach[i]]
    in_work = bytearray(n_nodes)
    for i in work:
        in_work[i] = 1
    pop = work.pop
    push = work.append
    while work:
        i = pop()
        in_work[i] = 0
        if i == entry:
            mi = may_entry
            si = must_entry
        else:
            mi = 0
            si = universe
            for p in pred[i]:
                if reach[p]:
                    mi |= may_out[p]
                    if is_pattern is not None and is_pattern[p] and i != p + 1:
                        # The failure edge of a match pattern: its captures may be unbound.
                        si &= must_in[p]
                    else:
                        si &= must_out[p]
        old_si = must_in[i]
        may_in[i] = mi
        must_in[i] = si
        k = ~kill[i]
        mo = gen[i] | (mi & k)
        so = gen[i] | (si & k)
        if (mo != may_out[i] or so != must_out[i]
                or (is_pattern is not None and is_pattern[i] and si != old_si)):
            may_out[i] = mo
            must_out[i] = so
            for s in succ[i]:
                if not in_work[s] and reach[s]:
                    in_work[s] = 1
                    push(s)
    return bits, may_in, may_out, must_in, must_out, reach, is_pattern


def _annotate(graph, bits, may_in, may_out, must_in, must_out, reach, is_pattern):
    to_set = bits.to_set
    for ast_node, n in graph.index.items():
        annos = ast_node.__dict__.get(_FIELD)
        if annos is None:
            annos = ast_node.__dict__[_FIELD] = {}
        i = n.idx
        annos[_DEFINED] = to_set(may_in[i])
        annos[_DEFINITELY] = to_set(must_in[i])
    universe = (1 << len(bits.qns)) - 1
    for s, (a, b) in graph.spans.items():
        may = 0
        must = universe
        any_pred = False
        for p in graph.stmt_prev[s]:
            i = p.idx
            if not reach[i]:
                continue
            any_pred = True
            may |= may_out[i]
            if is_pattern is not None and is_pattern[i] and not a <= i + 1 < b:
                must &= must_in[i]
            else:
                must &= must_out[i]
        if not any_pred:
            must = 0
        annos = s.__dict__.get(_FIELD)
        if annos is None:
            annos = s.__dict__[_FIELD] = {}
        annos[_DEFINED] = to_set(may)
        annos[_DEFINITELY] = to_set(must)


def resolve(node, graphs, definition_factory=None):
    """Annotates DEFINED_VARS_IN / DEFINITELY_DEFINED_IN (see module docstring).

    Args:
      node: the node the graphs were built from (every graph in `graphs` is processed).
      graphs: dict function node -> cfg.Graph, from cfg.build (parents before children).
      definition_factory: ignored; accepted for TensorFlow API compatibility.

    Returns:
      `node`.
    """
    del definition_factory
    inherited = {}
    for fn, graph in graphs.items():
        if type(fn) is gast.Lambda:
            continue
        result = _analyze(graph, inherited.get(fn))
        bits, may_in, may_out, must_in, must_out, reach, _ = result
        _annotate(graph, *result)
        # Nested functions defined directly here inherit what reaches their def.
        for ast_node, n in graph.index.items():
            if (ast_node is not fn and isinstance(ast_node, _FUNCTION_DEFS)
                    and ast_node in graphs):
                fs = anno.getanno(ast_node, _SCOPE, None)
                local = fs.bound if fs is not None else _EMPTY
                i = n.idx
                may = {q for q in bits.to_set(may_out[i]) if q.root not in local}
                must = {q for q in bits.to_set(must_out[i]) if q.root not in local}
                inherited[ast_node] = (may, must)
    return node
