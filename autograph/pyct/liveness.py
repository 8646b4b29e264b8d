"""Live variable analysis.

`resolve(node, graphs)` annotates every statement of every function in `graphs` (as built by
`cfg.build`; activity.resolve must have run) with:

- `anno.Static.LIVE_VARS_IN`: frozenset of QNs live right before the statement. For If/While
  that is before the test, for For before the iterable, for Try/With/Match at the statement's
  entry.
- `anno.Static.LIVE_VARS_OUT`: frozenset of QNs live right after the statement; for compound
  statements, right after the whole statement (at its normal continuation and at the targets
  of jumps that leave it).

A symbol is live at a point when some path from there reads it before writing it. Gen and
kill sets come from the activity `SCOPE` of each CFG node:

- reading `a.b` (or `a[i]`) makes `a.b` and `a` (and `i`) live;
- writing `a.b` kills `a.b` but reads `a`, so the owner stays live;
- writing or deleting a simple name `a` also kills every composite built on it (`a.b`,
  `x[a]`), since those name other values afterwards;
- a nested def or class makes its free variables live at the definition, and at every point
  the definition reaches (the closure may run later);
- names declared `global`/`nonlocal` are live at the function's exit (normal or exceptional);
- a match pattern binds its captures only when it matches: on its failure edge they are not
  killed.
"""

from itertools import compress as _compress

import gast

from autograph.pyct import anno
from autograph.pyct.cfg import _FUNCTION_DEFS

__all__ = ['resolve']

_FIELD = anno.FIELD
_SCOPE = anno.Static.SCOPE
_DEF_SCOPE = anno.Static.DEF_SCOPE
_IN = anno.Static.LIVE_VARS_IN
_OUT = anno.Static.LIVE_VARS_OUT
_EMPTY = frozenset()
_DEF_TYPES = frozenset(_FUNCTION_DEFS + (gast.ClassDef,))
_BIT_TABLE = bytes.maketrans(b'01', b'\x00\x01')


class _Bits:
    """Assigns bit positions to QNs; converts sets to/from int bitmasks."""

    __slots__ = ('bit', 'qns', 'cache', 'has_composites')

    def __init__(self):
        self.bit = {}
        self.qns = []
        self.cache = {0: _EMPTY}
        self.has_composites = False

    def mask(self, qset):
        bit = self.bit
        get = bit.get
        m = 0
        for q in qset:
            b = get(q)
            if b is None:
                b = bit[q] = 1 << len(self.qns)
                self.qns.append(q)
                if q._kind:
                    self.has_composites = True
            m |= b
        return m

    def dependents(self):
        """Maps the bit of each simple name to the mask of composites supported by it."""
        deps = {}
        if not self.has_composites:
            return deps
        bit = self.bit
        for q, b in list(bit.items()):
            if q._kind:
                for s in q.support:
                    sb = bit.get(s)
                    if sb is None:
                        sb = self.mask((s,))
                    deps[sb] = deps.get(sb, 0) | b
        return deps

    def to_set(self, m):
        s = self.cache.get(m)
        if s is None:
            # bin() lists the bits high to low; reversed and mapped to 0/1 bytes it selects
            # the QNs in C.
            s = self.cache[m] = frozenset(
                _compress(self.qns, bin(m)[:1:-1].encode().translate(_BIT_TABLE)))
        return s


def _extend_kills(kill, deps):
    """Adds to each mask of `kill` the composites depending on the simple names in it."""
    if not deps:
        return
    dep_mask = 0
    for b in deps:
        dep_mask |= b
    for i, k in enumerate(kill):
        x = k & dep_mask
        while x:
            low = x & -x
            k |= deps[low]
            x ^= low
        kill[i] = k


_PATTERN = getattr(gast, 'pattern', None)


def _pattern_flags(nodes):
    """A bytearray flagging the match-pattern nodes, or None when there are none."""
    if _PATTERN is None:
        return None
    flags = None
    for n in nodes:
        if isinstance(n.ast_node, _PATTERN):
            if flags is None:
                flags = bytearray(len(nodes))
            flags[n.idx] = 1
    return flags


def _node_scope(ast_node):
    annos = ast_node.__dict__.get(_FIELD)
    if annos is None:
        return None
    s = annos.get(_DEF_SCOPE)
    if s is None:
        s = annos.get(_SCOPE)
    return s


def _closure_reads(ast_node):
    """Symbols a nested def/class may read whenever it runs later."""
    t = type(ast_node)
    if t is gast.ClassDef:
        body = anno.getanno(ast_node, anno.Static.BODY_SCOPE, None)
        return body.free_vars if body is not None else _EMPTY
    fs = anno.getanno(ast_node, _SCOPE, None)
    if fs is None:
        return _EMPTY
    bound = fs.bound
    globs = fs.globals
    return {q for q in fs.read if q.root not in bound and q.root not in globs}


def _analyze(graph, include_annotations):
    nodes = graph.nodes
    n_nodes = len(nodes)
    bits = _Bits()
    gen = [0] * n_nodes
    kill = [0] * n_nodes
    defs = []
    mask = bits.mask
    for n in nodes:
        sc = _node_scope(n.ast_node)
        if sc is None:
            continue
        g = sc.read
        if not include_annotations and sc.annotations:
            g = g - sc.annotations
        i = n.idx
        if g:
            gen[i] = mask(g)
        if sc.modified:
            kill[i] = mask(sc.modified)
        if sc.deleted:
            kill[i] |= mask(sc.deleted)
        t = type(n.ast_node)
        if t in _DEF_TYPES:
            defs.append(n)

    # Exit: names the function declares global/nonlocal.
    fn_scope = anno.getanno(graph.node, _SCOPE, None)
    exit_live = 0
    if fn_scope is not None and (fn_scope.globals or fn_scope.nonlocals):
        exit_live = bits.mask(fn_scope.globals) | bits.mask(fn_scope.nonlocals)
    base_out = [0] * n_nodes
    if exit_live:
        for n in graph.exit:
            base_out[n.idx] = exit_live
        for n in graph.error:
            base_out[n.idx] = exit_live

    # Closures: free reads of nested definitions are live wherever the definition reaches,
    # and after the exits it reaches (the closure may outlive the call).
    for d in defs:
        closure = bits.mask(_closure_reads(d.ast_node))
        if not closure:
            continue
        seen = bytearray(n_nodes)
        stack = [d]
        while stack:
            m = stack.pop()
            i = m.idx
            if seen[i]:
                continue
            seen[i] = 1
            if m is not d:
                gen[i] |= closure
            if m in graph.exit or m in graph.error:
                base_out[i] |= closure
            stack.extend(m.next)

    _extend_kills(kill, bits.dependents())
    succ = graph.succ
    pred = graph.pred

    live_in = [0] * n_nodes
    live_out = [0] * n_nodes
    # Worklist, seeded so that the last nodes are processed first.
    work = list(range(n_nodes))
    in_work = bytearray(b'\x01') * n_nodes
    pop = work.pop
    push = work.append
    is_pattern = _pattern_flags(nodes)
    while work:
        i = pop()
        in_work[i] = 0
        out = base_out[i]
        if is_pattern is not None and is_pattern[i]:
            # A match pattern binds its captures only on its success edge (to i + 1).
            fail = out
            for s in succ[i]:
                if s != i + 1:
                    fail |= live_in[s]
            ok = live_in[i + 1]
            live_out[i] = ok | fail
            new_in = gen[i] | (ok & ~kill[i]) | fail
        else:
            for s in succ[i]:
                out |= live_in[s]
            live_out[i] = out
            new_in = gen[i] | (out & ~kill[i])
        if new_in != live_in[i]:
            live_in[i] = new_in
            for p in pred[i]:
                if not in_work[p]:
                    in_work[p] = 1
                    push(p)
    return bits, live_in, live_out, base_out


def _annotate(graph, bits, live_in, live_out, base_out):
    to_set = bits.to_set
    for ast_node, n in graph.index.items():
        if isinstance(ast_node, gast.stmt):
            annos = ast_node.__dict__.get(_FIELD)
            if annos is None:
                annos = ast_node.__dict__[_FIELD] = {}
            i = n.idx
            annos[_IN] = to_set(live_in[i])
            annos[_OUT] = to_set(live_out[i])
    nodes = graph.nodes
    exit_nodes = graph.exit
    has_base = any(base_out)
    stmt_next = graph.stmt_next
    stmt_entry = graph.stmt_entry
    for s, (a, b) in graph.spans.items():
        out = 0
        for q in stmt_next[s]:
            out |= live_in[q.idx]
        if has_base:
            for n in nodes[a:b]:
                if n in exit_nodes and type(n.ast_node) is not gast.Return:
                    out |= base_out[n.idx]
        # Entry: the nodes of the statement reached from outside it.
        entries = stmt_entry[s]
        if entries:
            entry = 0
            for n in entries:
                entry |= live_in[n.idx]
        else:
            entry = live_in[a]
        annos = s.__dict__.get(_FIELD)
        if annos is None:
            annos = s.__dict__[_FIELD] = {}
        annos[_IN] = to_set(entry)
        annos[_OUT] = to_set(out)


def resolve(node, graphs, include_annotations=True):
    """Annotates statements with LIVE_VARS_IN / LIVE_VARS_OUT.

    Args:
      node: the node the graphs were built from (kept for API compatibility; every graph in
        `graphs` is processed).
      graphs: dict function node -> cfg.Graph, from cfg.build.
      include_annotations: if False, names read only in type annotations are not live.

    Returns:
      `node`.
    """
    for graph in graphs.values():
        if type(graph.node) is gast.Lambda:
            continue
        bits, live_in, live_out, base_out = _analyze(graph, include_annotations)
        _annotate(graph, bits, live_in, live_out, base_out)
    return node
