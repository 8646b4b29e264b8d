"""Control flow graphs of Python functions, over gast.

`build(node)` returns one `Graph` per function: the given FunctionDef/Lambda (or every
function in a Module/ClassDef) and every function and lambda nested in it. A nested def or
class is a single opaque statement of the enclosing graph; its body has its own graph.

CFG nodes are AST nodes, in the style of TensorFlow AutoGraph:

- simple statements (assignments, expressions, return, raise, assert, del, pass, break,
  continue, global, nonlocal, import, nested def/class) are nodes;
- `If`/`While`: the `test` expression is the node (a While's test is the loop head);
- `For`: the `iter` expression is the loop head (back edges and `continue` go there), followed
  by the `target` (what each iteration binds), then the body. When the For carries an
  `anno.Basic.EXTRA_LOOP_TEST` expression, that expression is a node between the target and
  the body, and its false edge leaves the loop (like a break: the orelse is skipped);
- `With`: each `withitem`;
- `Try`: the body statements; each `ExceptHandler` (its header: type and name); the orelse
  and finalbody statements. An exception may be raised at any point of the try body, so every
  node of the body (but return/break/continue), and every predecessor of the try, has an edge
  to each handler. The finalbody is entered from the normal ends of the body, orelse and
  handlers, and from the jumps (return, break, continue, raise statements) that leave the try;
  its last nodes then lead to the normal continuation (if the try can complete normally) and
  to each such jump's destination. Implicit exceptions are not routed through the finalbody
  (as in TensorFlow): after the finalbody, control only continues where the try could;
- `Match`: the `subject`, then each case's `pattern` node and optional `guard` node; a case
  that does not match falls through to the next pattern; an irrefutable last case (`case _`,
  `case x`) has no fall-through;
- `while True:` (any truthy constant test) has no exit edge from its test;
- a function's entry node is its `arguments` node; a lambda's graph is `args -> body`.

`Graph.exit` holds the nodes after which the function returns normally (return statements, or
the last nodes of the body, or the last nodes of a finally entered by a return);
`Graph.error` holds the nodes after which an exception leaves the function (raise statements
not caught by a catch-all handler, or the last nodes of a finally that such a raise goes
through).

`Graph.stmt_prev[s]` / `Graph.stmt_next[s]`, for every statement `s` (and ExceptHandler and
match_case): the CFG nodes outside `s` that lead into / out of it. For a loop, back edges are
inside the statement, so `stmt_prev` only holds the nodes before the loop.
"""

import gast

from autograph.pyct import anno
from autograph.pyct.qual_names import _FIELDS_CACHE, child_fields

__all__ = ['Node', 'Graph', 'build']


class Node:
    """A CFG node.

    Attributes:
      ast_node: the gast node this node stands for.
      prev: frozenset of predecessor Nodes.
      next: frozenset of successor Nodes.
      idx: position of the node in `Graph.nodes` (creation order, roughly source order).
    """

    __slots__ = ('next', 'prev', 'ast_node', 'idx')

    def __init__(self, ast_node, idx):
        self.ast_node = ast_node
        self.idx = idx
        self.next = set()
        self.prev = set()

    def __repr__(self):
        n = self.ast_node
        try:
            src = gast.unparse(n) if hasattr(gast, 'unparse') else None
        except Exception:  # pragma: no cover - debugging aid only
            src = None
        if src is None:
            src = type(n).__name__
        src = src.strip().split('\n', 1)[0]
        if isinstance(n, (gast.If, gast.While, gast.For, gast.FunctionDef, gast.ClassDef)):
            src = src.rstrip(':')
        return '%s' % src


class Graph:
    """A control flow graph.

    Attributes:
      entry: the entry Node (the function's `arguments`).
      exit: frozenset of Nodes after which the function returns.
      error: frozenset of Nodes after which an exception leaves the function.
      index: dict AST node -> Node.
      stmt_prev, stmt_next: dict statement -> frozenset of Nodes (see module docstring).
      nodes: list of all Nodes, `nodes[i].idx == i`.
      spans: dict compound statement -> (start, end): the statement owns `nodes[start:end]`.
      stmt_entry: dict compound statement -> tuple of its Nodes entered from outside it.
      succ, pred: lists of tuples of node indices (`succ[i]` = indices of `nodes[i].next`).
      node: the FunctionDef/Lambda this graph belongs to.
    """

    __slots__ = ('entry', 'exit', 'error', 'index', 'stmt_prev', 'stmt_next', 'nodes', 'spans',
                 'node', 'succ', 'pred', 'stmt_entry')

    def __init__(self, entry, exit, error, index, stmt_prev, stmt_next, nodes, spans, node,
                 succ, pred, stmt_entry):
        self.entry = entry
        self.exit = exit
        self.error = error
        self.index = index
        self.stmt_prev = stmt_prev
        self.stmt_next = stmt_next
        self.nodes = nodes
        self.spans = spans
        self.node = node
        self.succ = succ
        self.pred = pred
        self.stmt_entry = stmt_entry

    def __repr__(self):
        lines = []
        for n in self.nodes:
            lines.append('%d: %r -> [%s]%s' % (
                n.idx, n, ', '.join(str(s.idx) for s in sorted(n.next, key=_idx)),
                ' (exit)' if n in self.exit else ' (error)' if n in self.error else ''))
        return '\n'.join(lines)


def _idx(n):
    return n.idx


_LOOP, _TRY, _FINALLY = 0, 1, 2
_BREAK, _CONTINUE, _RETURN, _RAISE = 'break', 'continue', 'return', 'raise'

_FUNCTION_DEFS = tuple(c for c in (gast.FunctionDef, getattr(gast, 'AsyncFunctionDef', None))
                       if c is not None)
_TRY_TYPES = tuple(c for c in (gast.Try, getattr(gast, 'TryStar', None)) if c is not None)
_FOR_TYPES = tuple(c for c in (gast.For, getattr(gast, 'AsyncFor', None)) if c is not None)
_WITH_TYPES = tuple(c for c in (gast.With, getattr(gast, 'AsyncWith', None)) if c is not None)
_MATCH = getattr(gast, 'Match', None)
_LEAVES = frozenset((gast.Name, gast.Constant))
_JUMPS = (gast.Return, gast.Break, gast.Continue)
_Lambda = gast.Lambda


class _Frame:
    __slots__ = ('kind', 'head', 'breaks', 'catch_all', 'pending')

    def __init__(self, kind, head=None, catch_all=False):
        self.kind = kind
        self.head = head
        self.breaks = set() if kind == _LOOP else None
        self.catch_all = catch_all
        self.pending = [] if kind == _FINALLY else None


def _catch_all(handlers):
    for h in handlers:
        t = h.type
        if t is None:
            return True
        if type(t) is gast.Name and t.id in ('BaseException', 'Exception'):
            return True
    return False


def _truthy_constant(test):
    return type(test) is gast.Constant and bool(test.value)


def _irrefutable(p):
    t = type(p).__name__
    if t == 'MatchAs':
        return p.pattern is None or _irrefutable(p.pattern)
    if t == 'MatchOr':
        return any(_irrefutable(c) for c in p.patterns)
    return False


class _Builder:
    """Builds the graph of one function; collects nested functions into `pending`."""

    def __init__(self, pending):
        self.pending = pending
        self.nodes = []
        self.index = {}
        self.spans = {}
        self.frames = []
        self.exits = set()
        self.errors = set()
        self.handlers = {
            gast.If: self._if,
            gast.While: self._while,
            gast.Return: self._return,
            gast.Break: self._break,
            gast.Continue: self._continue,
            gast.Raise: self._raise,
            gast.FunctionDef: self._def,
            gast.ClassDef: self._class,
        }
        for c in _FOR_TYPES:
            self.handlers[c] = self._for
        for c in _TRY_TYPES:
            self.handlers[c] = self._try
        for c in _WITH_TYPES:
            self.handlers[c] = self._with
        for c in _FUNCTION_DEFS:
            self.handlers[c] = self._def
        if _MATCH is not None:
            self.handlers[_MATCH] = self._match

    # -- basics ------------------------------------------------------------

    def _node(self, ast_node, preds):
        n = Node(ast_node, len(self.nodes))
        self.nodes.append(n)
        self.index[ast_node] = n
        for p in preds:
            p.next.add(n)
            n.prev.add(p)
        return n

    @staticmethod
    def _connect(preds, n):
        for p in preds:
            p.next.add(n)
            n.prev.add(p)

    def _route(self, leaves, kind):
        """Sends `leaves` to the destination of a jump of `kind`, through finally blocks."""
        if not leaves:
            return
        frames = self.frames
        for i in range(len(frames) - 1, -1, -1):
            f = frames[i]
            fk = f.kind
            if fk == _LOOP:
                if kind == _BREAK:
                    f.breaks.update(leaves)
                    return
                if kind == _CONTINUE:
                    self._connect(leaves, f.head)
                    return
            elif fk == _FINALLY:
                f.pending.append((frozenset(leaves), kind))
                return
            elif fk == _TRY:
                # Edges to the handlers are added when the try is complete.
                if kind == _RAISE and f.catch_all:
                    return
        if kind == _RETURN:
            self.exits.update(leaves)
        elif kind == _RAISE:
            self.errors.update(leaves)

    def _scan(self, node):
        """Finds the lambdas under an expression (or a simple statement)."""
        stack = [node]
        pop = stack.pop
        push = stack.append
        fields_of = _FIELDS_CACHE
        while stack:
            n = pop()
            t = type(n)
            if t is _Lambda:
                self.pending.append(n)
                continue
            fields = fields_of.get(t)
            if fields is None:
                fields = child_fields(t)
            for f in fields:
                v = getattr(n, f, None)
                if v is None:
                    continue
                tv = type(v)
                if tv is list:
                    for c in v:
                        tc = type(c)
                        if tc not in _LEAVES and c is not None and tc is not str:
                            push(c)
                elif tv not in _LEAVES and isinstance(v, gast.AST):
                    push(v)

    def _scan_defs(self, stmts):
        """Collects nested functions/lambdas of statements that get no CFG (class bodies)."""
        for s in stmts:
            if isinstance(s, _FUNCTION_DEFS):
                self._scan_def_header(s)
                self.pending.append(s)
            elif type(s) is gast.ClassDef:
                self._scan_class_header(s)
                self._scan_defs(s.body)
            else:
                self._scan_generic(s)

    def _scan_generic(self, node):
        for f in child_fields(type(node)):
            v = getattr(node, f, None)
            if v is None:
                continue
            for c in (v if type(v) is list else (v,)):
                if c is None or isinstance(c, str):
                    continue
                if isinstance(c, gast.stmt):
                    self._scan_defs((c,))
                elif isinstance(c, gast.expr):
                    self._scan(c)
                elif isinstance(c, gast.AST):
                    self._scan_generic(c)

    def _scan_def_header(self, node):
        for d in node.decorator_list:
            self._scan(d)
        self._scan(node.args)
        if node.returns is not None:
            self._scan(node.returns)

    def _scan_class_header(self, node):
        for d in node.decorator_list:
            self._scan(d)
        for b in node.bases:
            self._scan(b)
        for k in node.keywords:
            self._scan(k)

    # -- statements --------------------------------------------------------

    def _block(self, stmts, preds):
        handlers = self.handlers
        for s in stmts:
            h = handlers.get(type(s))
            if h is None:
                n = self._node(s, preds)
                self._scan(s)
                preds = (n,)
            else:
                preds = h(s, preds)
        return preds

    def _return(self, node, preds):
        n = self._node(node, preds)
        if node.value is not None:
            self._scan(node.value)
        self._route((n,), _RETURN)
        return ()

    def _break(self, node, preds):
        n = self._node(node, preds)
        self._route((n,), _BREAK)
        return ()

    def _continue(self, node, preds):
        n = self._node(node, preds)
        self._route((n,), _CONTINUE)
        return ()

    def _raise(self, node, preds):
        n = self._node(node, preds)
        self._scan(node)
        self._route((n,), _RAISE)
        return ()

    def _def(self, node, preds):
        n = self._node(node, preds)
        self._scan_def_header(node)
        self.pending.append(node)
        return (n,)

    def _class(self, node, preds):
        n = self._node(node, preds)
        self._scan_class_header(node)
        self._scan_defs(node.body)
        return (n,)

    def _if(self, node, preds):
        start = len(self.nodes)
        test = node.test
        t = self._node(test, preds)
        self._scan(test)
        t_leaves = (t,)
        leaves = set(self._block(node.body, t_leaves))
        if node.orelse:
            leaves.update(self._block(node.orelse, t_leaves))
        else:
            leaves.add(t)
        self.spans[node] = (start, len(self.nodes))
        return leaves

    def _while(self, node, preds):
        start = len(self.nodes)
        test = node.test
        t = self._node(test, preds)
        self._scan(test)
        frame = _Frame(_LOOP, head=t)
        self.frames.append(frame)
        body_leaves = self._block(node.body, (t,))
        self._connect(body_leaves, t)
        self.frames.pop()
        normal = () if _truthy_constant(test) else (t,)
        if node.orelse:
            leaves = set(self._block(node.orelse, normal))
        else:
            leaves = set(normal)
        leaves |= frame.breaks
        self.spans[node] = (start, len(self.nodes))
        return leaves

    def _for(self, node, preds):
        start = len(self.nodes)
        it = self._node(node.iter, preds)
        self._scan(node.iter)
        tg = self._node(node.target, (it,))
        self._scan(node.target)
        cur = (tg,)
        frame = _Frame(_LOOP, head=it)
        extra = anno.getanno(node, anno.Basic.EXTRA_LOOP_TEST, None)
        if extra is not None:
            e = self._node(extra, cur)
            self._scan(extra)
            cur = (e,)
            frame.breaks.add(e)
        self.frames.append(frame)
        body_leaves = self._block(node.body, cur)
        self._connect(body_leaves, it)
        self.frames.pop()
        if node.orelse:
            leaves = set(self._block(node.orelse, (it,)))
        else:
            leaves = {it}
        leaves |= frame.breaks
        self.spans[node] = (start, len(self.nodes))
        return leaves

    def _with(self, node, preds):
        start = len(self.nodes)
        for item in node.items:
            n = self._node(item, preds)
            self._scan(item)
            preds = (n,)
        leaves = self._block(node.body, preds)
        self.spans[node] = (start, len(self.nodes))
        return leaves

    def _match(self, node, preds):
        start = len(self.nodes)
        s = self._node(node.subject, preds)
        self._scan(node.subject)
        cur = (s,)
        leaves = set()
        nodes = self.nodes
        for case in node.cases:
            cstart = len(nodes)
            p = self._node(case.pattern, cur)
            self._scan(case.pattern)
            entry = (p,)
            fail = [p]
            if case.guard is not None:
                g = self._node(case.guard, entry)
                self._scan(case.guard)
                entry = (g,)
                fail.append(g)
            leaves.update(self._block(case.body, entry))
            self.spans[case] = (cstart, len(nodes))
            cur = () if (case.guard is None and _irrefutable(case.pattern)) else fail
        leaves.update(cur)
        self.spans[node] = (start, len(nodes))
        return leaves

    def _try(self, node, preds):
        nodes = self.nodes
        start = len(nodes)
        fin = None
        if node.finalbody:
            fin = _Frame(_FINALLY)
            self.frames.append(fin)
        handlers = node.handlers
        if handlers:
            self.frames.append(_Frame(_TRY, catch_all=_catch_all(handlers)))
        body_start = len(nodes)
        leaves = self._block(node.body, preds)
        body_end = len(nodes)
        if handlers:
            self.frames.pop()
        if node.orelse:
            leaves = self._block(node.orelse, leaves)
        leaves = set(leaves)
        if handlers:
            # An exception may interrupt the body anywhere.
            exc_sources = list(preds)
            for n in nodes[body_start:body_end]:
                if type(n.ast_node) not in _JUMPS:
                    exc_sources.append(n)
            for h in handlers:
                hstart = len(nodes)
                hn = self._node(h, exc_sources)
                if h.type is not None:
                    self._scan(h.type)
                leaves.update(self._block(h.body, (hn,)))
                self.spans[h] = (hstart, len(nodes))
        if fin is not None:
            self.frames.pop()
            fin_preds = set(leaves)
            for jl, _ in fin.pending:
                fin_preds.update(jl)
            fl = self._block(node.finalbody, fin_preds)
            normal = bool(leaves)
            kinds = []
            for _, kind in fin.pending:
                if kind not in kinds:
                    kinds.append(kind)
            for kind in kinds:
                self._route(fl, kind)
            leaves = set(fl) if normal else set()
        self.spans[node] = (start, len(nodes))
        return leaves

    # -- functions ---------------------------------------------------------

    def function(self, node):
        entry = self._node(node.args, ())
        leaves = self._block(node.body, (entry,))
        self.exits.update(leaves)
        return self._finish(node, entry)

    def lambda_(self, node):
        entry = self._node(node.args, ())
        self._scan(node.args)
        body = self._node(node.body, (entry,))
        self._scan(node.body)
        self.exits.add(body)
        return self._finish(node, entry)

    def _finish(self, fn_node, entry):
        nodes = self.nodes
        succ = []
        pred = []
        for n in nodes:
            nxt = n.next
            n.prev = frozenset(n.prev)
            n.next = frozenset(nxt)
            succ.append(tuple([m.idx for m in nxt]))
        for n in nodes:
            pred.append(tuple([m.idx for m in n.prev]))
        stmt_prev = {}
        stmt_next = {}
        stmt = gast.stmt
        for ast_node, n in self.index.items():
            if isinstance(ast_node, stmt):
                stmt_prev[ast_node] = n.prev
                stmt_next[ast_node] = n.next
        stmt_entry = {}
        spans = self.spans
        if spans:
            # Spans nest: give every node its innermost span, every span its parent, then walk
            # each edge up the span tree of its ends to find the spans it leaves or enters.
            order = sorted(spans.items(), key=_span_order)
            innermost = [None] * len(nodes)
            parent = {}
            bounds = {}
            for s, (a, b) in order:
                parent[s] = innermost[a]
                bounds[s] = (a, b)
                innermost[a:b] = [s] * (b - a)
            prev_sets = {s: set() for s in spans}
            next_sets = {s: set() for s in spans}
            entry_sets = {s: set() for s in spans}
            for i, targets in enumerate(succ):
                si = innermost[i]
                for j in targets:
                    sj = innermost[j]
                    if si is sj:
                        continue
                    s = si
                    while s is not None:
                        a, b = bounds[s]
                        if a <= j < b:
                            break
                        next_sets[s].add(nodes[j])
                        s = parent[s]
                    s = sj
                    while s is not None:
                        a, b = bounds[s]
                        if a <= i < b:
                            break
                        prev_sets[s].add(nodes[i])
                        entry_sets[s].add(j)
                        s = parent[s]
            for s in spans:
                stmt_prev[s] = frozenset(prev_sets[s])
                stmt_next[s] = frozenset(next_sets[s])
                stmt_entry[s] = tuple([nodes[j] for j in sorted(entry_sets[s])])
        return Graph(entry, frozenset(self.exits), frozenset(self.errors), self.index, stmt_prev,
                     stmt_next, nodes, spans, fn_node, succ, pred, stmt_entry)


def _span_order(item):
    a, b = item[1]
    return (a, -b)


def build(node):
    """Builds the CFGs of a function and of everything nested in it.

    Args:
      node: a gast FunctionDef/AsyncFunctionDef/Lambda, or a Module/ClassDef (every function
        in it is built).

    Returns:
      dict: FunctionDef/Lambda node -> Graph, parents before their nested functions.
    """
    pending = []
    graphs = {}
    if isinstance(node, (_FUNCTION_DEFS + (_Lambda,))):
        pending.append(node)
    elif isinstance(node, gast.Module):
        _Builder(pending)._scan_defs(node.body)
    elif isinstance(node, gast.ClassDef):
        _Builder(pending)._scan_defs([node])
    else:
        raise ValueError('cfg.build expects a function, lambda, class or module, got %s'
                         % type(node).__name__)
    i = 0
    while i < len(pending):
        fn = pending[i]
        i += 1
        b = _Builder(pending)
        if type(fn) is _Lambda:
            graphs[fn] = b.lambda_(fn)
        else:
            graphs[fn] = b.function(fn)
    return graphs
