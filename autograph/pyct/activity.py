"""Activity analysis: what each scope reads, modifies, binds and deletes.

`resolve(node)` walks a FunctionDef, Lambda or Module once and annotates (see anno.Static):

- every FunctionDef/Lambda: `SCOPE` (the whole function, an isolated scope), `ARGS_SCOPE`
  (its parameters), `BODY_SCOPE` (FunctionDef only) and `DEF_SCOPE` (the definition seen as a
  statement of the enclosing code; FunctionDef only);
- every statement: `SCOPE` (the statement with its nested blocks; a nested def or class
  contributes only its name and its free reads);
- If/While: `COND_SCOPE` (the test), `BODY_SCOPE`, `ORELSE_SCOPE`;
- For: `COND_SCOPE` (the iter), `ITERATE_SCOPE` (the target), `BODY_SCOPE`, `ORELSE_SCOPE`;
- Try: `BODY_SCOPE`, `ORELSE_SCOPE`; ExceptHandler: `SCOPE` (type and name only), `BODY_SCOPE`;
  With: `BODY_SCOPE`, each withitem `SCOPE`; Match: `COND_SCOPE`, each match_case `SCOPE`,
  `BODY_SCOPE`, and its pattern and guard `SCOPE`;
- the nodes the CFG uses for headers: If/While `test`, For `iter` and `target`, a For's
  `EXTRA_LOOP_TEST`, `withitem`, `ExceptHandler`, match_case `pattern`/`guard`, Match
  `subject`, `arguments`: `SCOPE` (the activity of that node alone);
- comprehensions: `SCOPE` (isolated: their targets are local, their other reads leak out);
- every Name/Attribute/Subscript with a qualified name: `anno.Basic.QN` (this pass subsumes
  qual_names.resolve, so calling that first is optional).

Semantics (TensorFlow AutoGraph's, with these precisions):

- `a.b = v`, `a[i] = v`, `a[i] += v` modify the composite (`a.b`, `a[i]`) and read its support
  (`a`, `i`). A store through a subscript that has no qualified name (`a[1:2] = v`,
  `a[i, j] = v`, `a[i + 1] = v`) modifies the owner (`a`).
- `x.append(v)` (any method in `mutating_methods`) modifies `x` (x may be composite).
- `x += v` reads and modifies `x`. `del x` reads and deletes `x`.
- `x: T` (no value) binds `x` without modifying it. Annotation reads are also listed in
  `Scope.annotations`.
- Comprehension targets are local to the comprehension; walrus targets bind in the enclosing
  function (or lambda).
- `bound` holds the simple names bound in the scope in the sense of Python's execution model
  (parameters, assignment targets, def/class names, imports, except/with/match/for targets,
  del targets), minus names declared `global`/`nonlocal` there.
- `free_vars` of a function scope: the simple names it reads (directly or through nested
  functions) that it neither binds nor declares global; nonlocal names are free.
"""

import gast

from autograph.pyct import anno
from autograph.pyct.qual_names import QN, child_fields, subscript_qn
from autograph.pyct.qual_names import _clear as _clear_qn
from autograph.pyct.qual_names import _set as _set_qn

__all__ = ['Scope', 'resolve', 'DEFAULT_MUTATING_METHODS', 'stmt_scope']

DEFAULT_MUTATING_METHODS = frozenset({
    'append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse', 'update',
    'setdefault', 'popitem', 'add', 'discard',
})

_FIELD = anno.FIELD
_QN_KEY = anno.Basic.QN
_SCOPE = anno.Static.SCOPE
_ARGS_SCOPE = anno.Static.ARGS_SCOPE
_DEF_SCOPE = anno.Static.DEF_SCOPE
_BODY_SCOPE = anno.Static.BODY_SCOPE
_ORELSE_SCOPE = anno.Static.ORELSE_SCOPE
_COND_SCOPE = anno.Static.COND_SCOPE
_ITERATE_SCOPE = anno.Static.ITERATE_SCOPE
_EXTRA_LOOP_TEST = anno.Basic.EXTRA_LOOP_TEST


class Scope:
    """Symbol activity of a code region.

    Scopes do not necessarily match Python scopes: the body of an `if` has its own
    (non-isolated) Scope. All sets hold `QN`s; treat them as read-only once built.

    Attributes:
      parent: the innermost enclosing isolated Scope (function, lambda, class, comprehension,
        module), or None.
      isolated: True for a real Python scope (function, lambda, class body, comprehension,
        module), False for a statement or block.
      read: symbols read (composites included: reading `a.b` reads `a.b` and `a`).
      modified: symbols written (assigned, aug-assigned, mutated by a mutating method).
      bound: simple names bound (see module docstring).
      deleted: symbols deleted by `del`.
      globals / nonlocals: names declared `global` / `nonlocal`.
      annotations: symbols read only as part of type annotations (a subset of `read`).
      params: dict parameter name (str) -> its gast.Name node (function / lambda / args
        scopes only).
    """

    __slots__ = ('parent', 'isolated', 'read', 'modified', 'bound', 'deleted', 'globals',
                 'nonlocals', 'annotations', 'params')

    def __init__(self, parent=None, isolated=False):
        self.parent = parent
        self.isolated = isolated
        self.read = set()
        self.modified = set()
        self.bound = set()
        self.deleted = set()
        self.globals = set()
        self.nonlocals = set()
        self.annotations = set()
        self.params = {}

    @property
    def enclosing_scope(self):
        """The innermost isolated scope that contains this one (possibly itself)."""
        s = self
        while not s.isolated and s.parent is not None:
            s = s.parent
        return s

    @property
    def free_vars(self):
        """Simple names read here (or in nested functions) that this scope does not bind.

        For a non-isolated scope this is the free_vars of its enclosing isolated scope.
        """
        if not self.isolated and self.parent is not None:
            return self.parent.free_vars
        return _free_names(self)

    @property
    def referenced(self):
        """Symbols read in this scope or any enclosing one."""
        if self.parent is not None:
            return self.read | self.parent.referenced
        return set(self.read)

    def merge_from(self, other):
        """Adds the activity of `other` to this scope."""
        self.read |= other.read
        self.modified |= other.modified
        self.bound |= other.bound
        self.deleted |= other.deleted
        if other.globals:
            self.globals |= other.globals
        if other.nonlocals:
            self.nonlocals |= other.nonlocals
        if other.annotations:
            self.annotations |= other.annotations

    def __repr__(self):
        def fmt(s):
            return '{%s}' % ', '.join(sorted(str(q) for q in s))
        return 'Scope(read=%s, modified=%s, bound=%s%s)' % (
            fmt(self.read), fmt(self.modified), fmt(self.bound),
            ', deleted=%s' % fmt(self.deleted) if self.deleted else '')


def _free_names(scope):
    bound = scope.bound
    globs = scope.globals
    out = set()
    for q in scope.read:
        r = q.root
        if r not in bound and r not in globs and r.is_symbol():
            out.add(r)
    return out


def _free_reads(scope):
    """Reads of `scope` whose root is free (composites included)."""
    bound = scope.bound
    globs = scope.globals
    return {q for q in scope.read if q.root not in bound and q.root not in globs}


def _drop_modified(stmts, symbols):
    """Removes `symbols` from the `modified` sets annotated under `stmts` (nested functions,
    lambdas and classes keep theirs)."""
    stack = list(stmts)
    while stack:
        node = stack.pop()
        annos = node.__dict__.get(_FIELD)
        if annos:
            for value in annos.values():
                if type(value) is Scope and value.modified:
                    value.modified -= symbols
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda,
                             gast.ClassDef)):
            continue
        for child in gast.iter_child_nodes(node):
            stack.append(child)


def stmt_scope(node):
    """The activity of a statement as seen by the code around it.

    That is `DEF_SCOPE` for a FunctionDef (whose `SCOPE` is the function itself), `SCOPE`
    otherwise. Raises KeyError if activity.resolve has not annotated the node.
    """
    annos = node.__dict__.get(_FIELD)
    if annos is None:
        raise KeyError('node %s has no activity annotations' % type(node).__name__)
    s = annos.get(_DEF_SCOPE)
    if s is None:
        s = annos[_SCOPE]
    return s


def _setanno(node, key, value):
    annos = node.__dict__.get(_FIELD)
    if annos is None:
        node.__dict__[_FIELD] = {key: value}
    else:
        annos[key] = value


_Load = gast.Load
_Store = gast.Store
_Del = gast.Del
_Param = gast.Param

_FUNCTION_DEFS = tuple(c for c in (gast.FunctionDef, getattr(gast, 'AsyncFunctionDef', None))
                       if c is not None)
_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.GeneratorExp, gast.DictComp)
_TRY_TYPES = tuple(c for c in (gast.Try, getattr(gast, 'TryStar', None)) if c is not None)


class _Analyzer:

    def __init__(self, mutating_methods):
        self.mutating = mutating_methods
        self.mutations = []  # receivers of mutating-method calls in the current function
        self.qns = {}
        # Names declared global/nonlocal in the innermost function (or class/module) body.
        self.declared = set()
        # The innermost isolated scope.
        self.fn_scope = None
        # Where a walrus target binds, while inside a comprehension (None: current scope).
        self.walrus_sc = None
        self.in_annotation = False
        # Free reads of functions defined directly in a class body (they skip the class scope).
        self.class_free = None
        self.stmt_handlers = {
            gast.Expr: self._simple_value,
            gast.Return: self._simple_value,
            gast.Assign: self._assign,
            gast.AugAssign: self._augassign,
            gast.AnnAssign: self._annassign,
            gast.If: self._if,
            gast.While: self._while,
            gast.For: self._for,
            gast.Try: self._try,
            gast.With: self._with,
            gast.FunctionDef: self._functiondef,
            gast.ClassDef: self._classdef,
            gast.Delete: self._generic_stmt,
            gast.Raise: self._generic_stmt,
            gast.Assert: self._generic_stmt,
            gast.Pass: self._nothing,
            gast.Break: self._nothing,
            gast.Continue: self._nothing,
            gast.Global: self._global,
            gast.Nonlocal: self._nonlocal,
            gast.Import: self._import,
            gast.ImportFrom: self._import,
        }
        for name, h in (('AsyncFunctionDef', self._functiondef), ('AsyncFor', self._for),
                        ('AsyncWith', self._with), ('TryStar', self._try),
                        ('Match', self._match)):
            cls = getattr(gast, name, None)
            if cls is not None:
                self.stmt_handlers[cls] = h

    # -- helpers -----------------------------------------------------------

    def _qn(self, name):
        q = self.qns.get(name)
        if q is None:
            q = self.qns[name] = QN(name)
        return q

    def _bind(self, q, sc):
        """Records a store to simple name `q`."""
        sc.modified.add(q)
        if q.qn[0] not in self.declared:
            sc.bound.add(q)

    def _new(self, node=None):
        return Scope(self.fn_scope, False)

    # -- expressions -------------------------------------------------------

    def _expr(self, node, sc):
        """Records the activity of expression `node` into `sc`; returns its QN or None."""
        t = type(node)
        if t is gast.Name:
            name = node.id
            q = self.qns.get(name)
            if q is None:
                q = self.qns[name] = QN(name)
            d = node.__dict__
            annos = d.get(_FIELD)
            if annos is None:
                d[_FIELD] = {_QN_KEY: q}
            else:
                annos[_QN_KEY] = q
            ctx = type(node.ctx)
            if ctx is _Load:
                sc.read.add(q)
                if self.in_annotation:
                    sc.annotations.add(q)
            elif ctx is _Store:
                self._bind(q, sc)
            elif ctx is _Del:
                sc.read.add(q)
                sc.deleted.add(q)
                if node.id not in self.declared:
                    sc.bound.add(q)
            return q
        if t is gast.Constant:
            return None
        if t is gast.Attribute:
            base = self._expr(node.value, sc)
            if base is None:
                _clear_qn(node)
                return None
            q = QN(base, attr=node.attr)
            _set_qn(node, q)
            self._track_composite(node, q, sc)
            return q
        if t is gast.Subscript:
            base = self._expr(node.value, sc)
            sq = self._expr(node.slice, sc)
            q = None if base is None else subscript_qn(base, node.slice, sq)
            if q is None:
                _clear_qn(node)
                if base is not None and type(node.ctx) is not _Load:
                    # a[1:2] = v, a[i + 1] = v, del a[i, j]: the owner is modified.
                    sc.modified.add(base)
                return None
            _set_qn(node, q)
            self._track_composite(node, q, sc)
            return q
        if t is gast.Call:
            func = node.func
            if type(func) is gast.Attribute:
                base = self._expr(func.value, sc)
                if base is None:
                    _clear_qn(func)
                else:
                    q = QN(base, attr=func.attr)
                    _set_qn(func, q)
                    sc.read.add(q)
                    if func.attr in self.mutating:
                        sc.modified.add(base)
                        self.mutations.append(base)
            else:
                self._expr(func, sc)
            for a in node.args:
                self._expr(a, sc)
            for k in node.keywords:
                self._expr(k.value, sc)
            return None
        if t in _COMPREHENSIONS:
            self._comprehension(node, sc)
            return None
        if t is gast.Lambda:
            self._lambda(node, sc)
            return None
        if t is gast.NamedExpr:
            self._expr(node.value, sc)
            target = node.target
            q = self._qn(target.id)
            _set_qn(target, q)
            self._bind(q, self.walrus_sc or sc)
            return None
        # Generic expression: visit children.
        expr = self._expr
        for f in child_fields(t):
            v = getattr(node, f, None)
            if v is None:
                continue
            if type(v) is list:
                for c in v:
                    if c is not None:
                        expr(c, sc)
            elif isinstance(v, gast.AST):
                expr(v, sc)
        return None

    def _track_composite(self, node, q, sc):
        ctx = type(node.ctx)
        if ctx is _Load:
            sc.read.add(q)
            if self.in_annotation:
                sc.annotations.add(q)
        elif ctx is _Store:
            sc.modified.add(q)
        elif ctx is _Del:
            sc.read.add(q)
            sc.deleted.add(q)

    def _annotation(self, node, sc):
        if node is None:
            return
        saved = self.in_annotation
        self.in_annotation = True
        self._expr(node, sc)
        self.in_annotation = saved

    def _comprehension(self, node, sc):
        cs = Scope(self.fn_scope, True)
        saved_walrus = self.walrus_sc
        if saved_walrus is None:
            self.walrus_sc = sc
        declared = self.declared
        gens = node.generators
        for i, g in enumerate(gens):
            # The outermost iterable is evaluated in the enclosing scope.
            self._expr(g.iter, sc if i == 0 else cs)
            # Targets are local to the comprehension, whatever the function declares.
            self.declared = ()
            self._expr(g.target, cs)
            self.declared = declared
            for cond in g.ifs:
                self._expr(cond, cs)
        if type(node) is gast.DictComp:
            self._expr(node.key, cs)
            self._expr(node.value, cs)
        else:
            self._expr(node.elt, cs)
        self.walrus_sc = saved_walrus
        _setanno(node, _SCOPE, cs)
        local = cs.bound
        for q in cs.read:
            if q.root not in local:
                sc.read.add(q)
        for q in cs.modified:
            if q.root not in local:
                sc.modified.add(q)

    def _args(self, args, owner_scope, outer_sc):
        """Builds the ARGS_SCOPE of a function; defaults/annotations are read in outer_sc."""
        a_sc = Scope(owner_scope, False)
        for group in (args.posonlyargs, args.args, args.kwonlyargs):
            if not group:
                continue
            for arg in group:
                self._param(arg, a_sc, outer_sc)
        if args.vararg is not None:
            self._param(args.vararg, a_sc, outer_sc)
        if args.kwarg is not None:
            self._param(args.kwarg, a_sc, outer_sc)
        for d in args.defaults:
            self._expr(d, a_sc)
        for d in args.kw_defaults:
            if d is not None:
                self._expr(d, a_sc)
        outer_sc.read |= a_sc.read
        outer_sc.annotations |= a_sc.annotations
        _setanno(args, _SCOPE, a_sc)
        return a_sc

    def _param(self, arg, a_sc, outer_sc):
        q = self._qn(arg.id)
        _set_qn(arg, q)
        a_sc.bound.add(q)
        a_sc.modified.add(q)
        a_sc.params[arg.id] = arg
        ann = getattr(arg, 'annotation', None)
        if ann is not None:
            self._annotation(ann, a_sc)

    def _lambda(self, node, sc):
        ls = Scope(self.fn_scope, True)
        a_sc = self._args(node.args, ls, sc)
        ls.bound |= a_sc.bound
        ls.params.update(a_sc.params)
        saved = self.fn_scope, self.declared, self.walrus_sc, self.in_annotation
        self.fn_scope, self.declared, self.walrus_sc, self.in_annotation = ls, set(), None, False
        self._expr(node.body, ls)
        self.fn_scope, self.declared, self.walrus_sc, self.in_annotation = saved
        _setanno(node, _SCOPE, ls)
        _setanno(node, _ARGS_SCOPE, a_sc)
        sc.read |= _free_reads(ls)

    # -- patterns ----------------------------------------------------------

    def _pattern(self, p, sc):
        t = type(p).__name__
        if t == 'MatchValue':
            self._expr(p.value, sc)
        elif t == 'MatchAs':
            if p.pattern is not None:
                self._pattern(p.pattern, sc)
            if p.name is not None:
                self._bind(self._qn(p.name), sc)
        elif t == 'MatchStar':
            if p.name is not None:
                self._bind(self._qn(p.name), sc)
        elif t in ('MatchSequence', 'MatchOr'):
            for c in p.patterns:
                self._pattern(c, sc)
        elif t == 'MatchMapping':
            for k in p.keys:
                self._expr(k, sc)
            for c in p.patterns:
                self._pattern(c, sc)
            if p.rest is not None:
                self._bind(self._qn(p.rest), sc)
        elif t == 'MatchClass':
            self._expr(p.cls, sc)
            for c in p.patterns:
                self._pattern(c, sc)
            for c in p.kwd_patterns:
                self._pattern(c, sc)
        # MatchSingleton: nothing.

    # -- statements --------------------------------------------------------

    def _stmt(self, node):
        """Analyzes a statement; returns the Scope the enclosing block should merge."""
        h = self.stmt_handlers.get(type(node))
        if h is None:
            return self._generic_stmt(node)
        return h(node)

    def _block(self, stmts):
        bs = Scope(self.fn_scope, False)
        stmt = self._stmt
        for s in stmts:
            bs.merge_from(stmt(s))
        return bs

    def _nothing(self, node):
        sc = self._new(node)
        _setanno(node, _SCOPE, sc)
        return sc

    def _simple_value(self, node):
        sc = self._new(node)
        if node.value is not None:
            self._expr(node.value, sc)
        _setanno(node, _SCOPE, sc)
        return sc

    def _generic_stmt(self, node):
        sc = self._new(node)
        expr = self._expr
        for f in child_fields(type(node)):
            v = getattr(node, f, None)
            if v is None:
                continue
            if type(v) is list:
                for c in v:
                    if isinstance(c, gast.expr):
                        expr(c, sc)
                    elif isinstance(c, gast.stmt):
                        sc.merge_from(self._stmt(c))
            elif isinstance(v, gast.AST):
                expr(v, sc)
        _setanno(node, _SCOPE, sc)
        return sc

    def _assign(self, node):
        sc = self._new(node)
        self._expr(node.value, sc)
        for t in node.targets:
            self._expr(t, sc)
        _setanno(node, _SCOPE, sc)
        return sc

    def _augassign(self, node):
        sc = self._new(node)
        self._expr(node.value, sc)
        q = self._expr(node.target, sc)
        if q is not None:
            sc.read.add(q)
        _setanno(node, _SCOPE, sc)
        return sc

    def _annassign(self, node):
        sc = self._new(node)
        if node.value is not None:
            self._expr(node.value, sc)
            self._expr(node.target, sc)
        else:
            target = node.target
            if type(target) is gast.Name:
                q = self._qn(target.id)
                _set_qn(target, q)
                if target.id not in self.declared:
                    sc.bound.add(q)
            else:
                # `a.b: int` evaluates `a` but assigns nothing.
                self._expr(target.value, sc)
                if type(target) is gast.Subscript:
                    self._expr(target.slice, sc)
        self._annotation(node.annotation, sc)
        _setanno(node, _SCOPE, sc)
        return sc

    def _global(self, node):
        sc = self._new(node)
        for name in node.names:
            q = self._qn(name)
            sc.globals.add(q)
            self.declared.add(name)
        _setanno(node, _SCOPE, sc)
        return sc

    def _nonlocal(self, node):
        sc = self._new(node)
        for name in node.names:
            q = self._qn(name)
            sc.nonlocals.add(q)
            self.declared.add(name)
        _setanno(node, _SCOPE, sc)
        return sc

    def _import(self, node):
        sc = self._new(node)
        for alias in node.names:
            if alias.asname:
                name = alias.asname
            elif alias.name == '*':
                continue
            else:
                name = alias.name.split('.', 1)[0]
            self._bind(self._qn(name), sc)
        _setanno(node, _SCOPE, sc)
        return sc

    def _cond(self, test):
        ts = self._new(test)
        self._expr(test, ts)
        _setanno(test, _SCOPE, ts)
        return ts

    def _if(self, node):
        ts = self._cond(node.test)
        bs = self._block(node.body)
        os = self._block(node.orelse)
        sc = self._new(node)
        sc.merge_from(ts)
        sc.merge_from(bs)
        sc.merge_from(os)
        _setanno(node, _COND_SCOPE, ts)
        _setanno(node, _BODY_SCOPE, bs)
        _setanno(node, _ORELSE_SCOPE, os)
        _setanno(node, _SCOPE, sc)
        return sc

    _while = _if

    def _for(self, node):
        its = self._cond(node.iter)
        tgs = self._new(node.target)
        self._expr(node.target, tgs)
        _setanno(node.target, _SCOPE, tgs)
        extra = anno.getanno(node, _EXTRA_LOOP_TEST, None)
        if extra is not None:
            es = self._cond(extra)
            tgs.merge_from(es)
        bs = self._block(node.body)
        os = self._block(node.orelse)
        sc = self._new(node)
        sc.merge_from(its)
        sc.merge_from(tgs)
        sc.merge_from(bs)
        sc.merge_from(os)
        _setanno(node, _COND_SCOPE, its)
        _setanno(node, _ITERATE_SCOPE, tgs)
        _setanno(node, _BODY_SCOPE, bs)
        _setanno(node, _ORELSE_SCOPE, os)
        _setanno(node, _SCOPE, sc)
        return sc

    def _try(self, node):
        sc = self._new(node)
        bs = self._block(node.body)
        sc.merge_from(bs)
        for h in node.handlers:
            hs = self._new(h)
            if h.type is not None:
                self._expr(h.type, hs)
            if h.name is not None:
                self._expr(h.name, hs)
            _setanno(h, _SCOPE, hs)
            hb = self._block(h.body)
            _setanno(h, _BODY_SCOPE, hb)
            sc.merge_from(hs)
            sc.merge_from(hb)
        os = self._block(node.orelse)
        fs = self._block(node.finalbody)
        sc.merge_from(os)
        sc.merge_from(fs)
        _setanno(node, _BODY_SCOPE, bs)
        _setanno(node, _ORELSE_SCOPE, os)
        _setanno(node, _SCOPE, sc)
        return sc

    def _with(self, node):
        sc = self._new(node)
        for item in node.items:
            ws = self._new(item)
            self._expr(item.context_expr, ws)
            if item.optional_vars is not None:
                self._expr(item.optional_vars, ws)
            _setanno(item, _SCOPE, ws)
            sc.merge_from(ws)
        bs = self._block(node.body)
        sc.merge_from(bs)
        _setanno(node, _BODY_SCOPE, bs)
        _setanno(node, _SCOPE, sc)
        return sc

    def _match(self, node):
        sc = self._new(node)
        ss = self._cond(node.subject)
        sc.merge_from(ss)
        _setanno(node, _COND_SCOPE, ss)
        for case in node.cases:
            cs = self._new(case)
            ps = self._new(case.pattern)
            self._pattern(case.pattern, ps)
            _setanno(case.pattern, _SCOPE, ps)
            cs.merge_from(ps)
            if case.guard is not None:
                cs.merge_from(self._cond(case.guard))
            bs = self._block(case.body)
            _setanno(case, _BODY_SCOPE, bs)
            cs.merge_from(bs)
            _setanno(case, _SCOPE, cs)
            sc.merge_from(cs)
        _setanno(node, _SCOPE, sc)
        return sc

    def _function_body(self, node, fs, body):
        saved = (self.fn_scope, self.declared, self.walrus_sc, self.in_annotation,
                 self.class_free)
        self.fn_scope = fs
        self.declared = set()
        self.walrus_sc = None
        self.in_annotation = False
        self.class_free = None
        bs = self._block(body)
        (self.fn_scope, self.declared, self.walrus_sc, self.in_annotation,
         self.class_free) = saved
        return bs

    def _functiondef(self, node):
        ds = self._new(node)
        for d in node.decorator_list:
            self._expr(d, ds)
        fs = Scope(self.fn_scope, True)
        a_sc = self._args(node.args, fs, ds)
        if node.returns is not None:
            self._annotation(node.returns, ds)
        outer_mutations, self.mutations = self.mutations, []
        bs = self._function_body(node, fs, node.body)
        fs.merge_from(bs)
        fs.bound |= a_sc.bound
        fs.params.update(a_sc.params)
        # `np.append(a, v)` or `LOG.append(v)` on a global (not declared `global`) mutates
        # nothing this function can rebind: it is not a modification of the function's state.
        foreign = {b for b in self.mutations if b.root not in fs.bound
                   and b.root not in fs.globals and b.root not in fs.nonlocals}
        self.mutations = outer_mutations
        if foreign:
            fs.modified -= foreign
            bs.modified -= foreign
            _drop_modified(node.body, foreign)
        free = _free_reads(fs)
        ds.read |= free
        if self.class_free is not None:
            self.class_free |= free
        name = self._qn(node.name)
        self._bind(name, ds)
        _setanno(node, _SCOPE, fs)
        _setanno(node, _ARGS_SCOPE, a_sc)
        _setanno(node, _BODY_SCOPE, bs)
        _setanno(node, _DEF_SCOPE, ds)
        return ds

    def _classdef(self, node):
        ds = self._new(node)
        for d in node.decorator_list:
            self._expr(d, ds)
        for b in node.bases:
            self._expr(b, ds)
        for k in node.keywords:
            self._expr(k.value, ds)
        cs = Scope(self.fn_scope, True)
        saved = (self.fn_scope, self.declared, self.walrus_sc, self.in_annotation,
                 self.class_free)
        self.fn_scope, self.declared, self.walrus_sc, self.in_annotation = cs, set(), None, False
        self.class_free = method_free = set()
        bs = self._block(node.body)
        (self.fn_scope, self.declared, self.walrus_sc, self.in_annotation,
         self.class_free) = saved
        cs.merge_from(bs)
        free = _free_reads(cs)
        free |= method_free
        ds.read |= free
        if self.class_free is not None:
            self.class_free |= free
        self._bind(self._qn(node.name), ds)
        _setanno(node, _BODY_SCOPE, cs)
        _setanno(node, _DEF_SCOPE, ds)
        _setanno(node, _SCOPE, ds)
        return ds


def resolve(node, mutating_methods=DEFAULT_MUTATING_METHODS, parent_scope=None):
    """Runs activity analysis on a FunctionDef, Lambda or Module (see module docstring).

    Args:
      node: gast.FunctionDef/AsyncFunctionDef/Lambda/Module.
      mutating_methods: method names whose call `x.m(...)` counts as modifying `x`.
      parent_scope: optional Scope used as the parent of the top-level function scope.

    Returns:
      `node`, annotated in place.
    """
    a = _Analyzer(frozenset(mutating_methods))
    if isinstance(node, gast.Module):
        ms = Scope(parent_scope, True)
        a.fn_scope = ms
        ms.merge_from(a._block(node.body))
        _setanno(node, _SCOPE, ms)
    elif isinstance(node, _FUNCTION_DEFS):
        a.fn_scope = parent_scope
        a._functiondef(node)
    elif isinstance(node, gast.Lambda):
        a.fn_scope = parent_scope
        a._lambda(node, Scope(parent_scope, True))
    else:
        raise ValueError('activity.resolve expects a FunctionDef, Lambda or Module, got %s'
                         % type(node).__name__)
    return node
