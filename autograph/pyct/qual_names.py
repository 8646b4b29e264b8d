"""Qualified names: symbols like `x`, `x.y`, `x[0]`, `x[i].z`.

A `QN` names a value the program can read or write without evaluating anything but names,
attribute lookups and subscripts by a name or a constant. `resolve(node)` annotates every
gast Name/Attribute/Subscript that has such a name with `anno.Basic.QN`.

QNs are immutable and hashable; two QNs are equal when they spell the same chain.
"""

import gast

from autograph.pyct import anno

__all__ = ['QN', 'Literal', 'from_str', 'resolve', 'QnResolveError', 'subscript_qn', 'child_fields']

_QN_KEY = anno.Basic.QN
_FIELD = anno.FIELD

_SIMPLE, _ATTR, _SUBSCRIPT = 0, 1, 2


class QnResolveError(ValueError):
    pass


class Literal:
    """A constant used as a subscript, e.g. the `0` in `x[0]` or the `'a'` in `x['a']`."""

    __slots__ = ('value', '_hash')

    def __init__(self, value):
        self.value = value
        self._hash = hash((Literal, type(value), value))

    def __eq__(self, other):
        return (isinstance(other, Literal) and type(self.value) is type(other.value)
                and self.value == other.value)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._hash

    def __str__(self):
        return repr(self.value)

    __repr__ = __str__


_INTERN = {}


def _rebuild(kind, a, b):
    if kind == _ATTR:
        return QN(a, attr=b)
    if kind == _SUBSCRIPT:
        return QN(a, subscript=b)
    return QN(a)


class QN:
    """A qualified name.

    Construction:
      QN('x')                         -> x
      QN(QN('x'), attr='y')           -> x.y
      QN(QN('x'), subscript=QN('i'))  -> x[i]
      QN(QN('x'), subscript=0)        -> x[0]   (same as subscript=QN(Literal(0)))
      QN(Literal(0))                  -> 0 (only meaningful as a subscript)

    QNs are interned: equal names are the same object, so hashing and equality are identity
    operations (fast in sets and dicts). copy/deepcopy/pickle preserve this.

    Attributes:
      qn: the tuple form: ('x',) for a simple name, (parent_qn, 'y') for an attribute,
        (parent_qn, index_qn) for a subscript.
    """

    __slots__ = ('qn', '_kind', '_root', '_str', '_support', '__weakref__')

    def __new__(cls, base, attr=None, subscript=None):
        if attr is not None:
            if subscript is not None:
                raise ValueError('a QN can be either an attribute or a subscript, not both')
            if not isinstance(base, QN):
                raise ValueError('for attributes, the base must be a QN, got %r' % (base,))
            key = (base, attr, _ATTR)
            q = _INTERN.get(key)
            if q is not None:
                return q
            q = object.__new__(cls)
            q.qn = (base, attr)
            q._kind = _ATTR
            q._root = base._root
        elif subscript is not None:
            if not isinstance(base, QN):
                raise ValueError('for subscripts, the base must be a QN, got %r' % (base,))
            if not isinstance(subscript, QN):
                subscript = QN(subscript if isinstance(subscript, Literal)
                               else Literal(subscript))
            key = (base, subscript, _SUBSCRIPT)
            q = _INTERN.get(key)
            if q is not None:
                return q
            q = object.__new__(cls)
            q.qn = (base, subscript)
            q._kind = _SUBSCRIPT
            q._root = base._root
        else:
            if isinstance(base, str):
                key = base
            elif isinstance(base, Literal):
                key = ('#literal', type(base.value), base.value)
            else:
                raise ValueError('a simple QN needs a str or Literal base, got %r' % (base,))
            q = _INTERN.get(key)
            if q is not None:
                return q
            q = object.__new__(cls)
            q.qn = (base,)
            q._kind = _SIMPLE
            q._root = q
        q._str = None
        q._support = None
        return _INTERN.setdefault(key, q)

    def __reduce__(self):
        if self._kind == _SIMPLE:
            return (_rebuild, (_SIMPLE, self.qn[0], None))
        return (_rebuild, (self._kind, self.qn[0], self.qn[1]))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # -- structure ---------------------------------------------------------

    def is_symbol(self):
        """True for a simple name (not a literal, not composite)."""
        return self._kind == _SIMPLE and isinstance(self.qn[0], str)

    def is_simple(self):
        return self._kind == _SIMPLE

    def is_composite(self):
        return self._kind != _SIMPLE

    def has_attr(self):
        return self._kind == _ATTR

    def has_subscript(self):
        return self._kind == _SUBSCRIPT

    def is_literal(self):
        return self._kind == _SIMPLE and isinstance(self.qn[0], Literal)

    @property
    def attr(self):
        if self._kind != _ATTR:
            raise ValueError('cannot get attr of non-attribute QN %s' % self)
        return self.qn[1]

    @property
    def parent(self):
        """The QN this one is an attribute or subscript of (`x` for `x.y`)."""
        if self._kind == _SIMPLE:
            raise ValueError('cannot get parent of simple name %s' % self)
        return self.qn[0]

    @property
    def root(self):
        """The base simple name: `x` for `x.y[0].z`."""
        return self._root

    @property
    def owner_set(self):
        """All QNs this one is a part of: {x, x.y} for `x.y.z`."""
        owners = set()
        q = self
        while q._kind != _SIMPLE:
            q = q.qn[0]
            owners.add(q)
        return owners

    @property
    def support_set(self):
        """The simple names read to compute this QN: {x, i} for `x[i].y` (a new set)."""
        return set(self.support)

    @property
    def support(self):
        """Like support_set, as a cached frozenset."""
        s = self._support
        if s is None:
            if self._kind == _SIMPLE:
                s = frozenset((self,)) if isinstance(self.qn[0], str) else frozenset()
            elif self._kind == _ATTR:
                s = self.qn[0].support
            else:
                s = self.qn[0].support | self.qn[1].support
            self._support = s
        return s

    # -- protocol ----------------------------------------------------------

    # Interned: the default identity __eq__/__hash__ are exact (and run in C).

    def __lt__(self, other):
        return str(self) < str(other)

    def __str__(self):
        s = self._str
        if s is None:
            if self._kind == _SIMPLE:
                s = str(self.qn[0])
            elif self._kind == _ATTR:
                s = '%s.%s' % (self.qn[0], self.qn[1])
            else:
                s = '%s[%s]' % (self.qn[0], self.qn[1])
            self._str = s
        return s

    def __repr__(self):
        return str(self)

    def ssf(self):
        """A string form usable as a Python identifier: `x_y`, `x_sub_0`."""
        if self._kind == _SIMPLE:
            b = self.qn[0]
            if isinstance(b, Literal):
                return ''.join(c if c.isalnum() else '_' for c in str(b.value))
            return b
        if self._kind == _ATTR:
            return '%s_%s' % (self.qn[0].ssf(), self.qn[1])
        return '%s_sub_%s' % (self.qn[0].ssf(), self.qn[1].ssf())

    def ast(self, ctx=None):
        """Builds a gast expression for this name (Load context unless `ctx` is given)."""
        if ctx is None:
            ctx = gast.Load()
        if self._kind == _SUBSCRIPT:
            return gast.Subscript(value=self.qn[0].ast(), slice=self.qn[1].ast(), ctx=ctx)
        if self._kind == _ATTR:
            return gast.Attribute(value=self.qn[0].ast(), attr=self.qn[1], ctx=ctx)
        base = self.qn[0]
        if isinstance(base, Literal):
            return gast.Constant(value=base.value, kind=None)
        return gast.Name(id=base, ctx=ctx, annotation=None, type_comment=None)

    @classmethod
    def from_str(cls, s):
        return from_str(s)


def from_str(qn_str):
    """Parses a QN from its string form, e.g. `x.y[0]['k'].z`, `a[i]`."""
    try:
        node = gast.parse(qn_str.strip(), mode='eval').body
    except SyntaxError:
        raise QnResolveError('not a qualified name: %r' % (qn_str,)) from None
    qn = _qn_of(node, {})
    if qn is None:
        raise QnResolveError('not a qualified name: %r' % (qn_str,))
    return qn


def _literal_of(node):
    """The Literal for a constant subscript (including `-1`), else None."""
    if type(node) is gast.Constant:
        v = node.value
        if v is Ellipsis:
            return None
        return Literal(v)
    if (type(node) is gast.UnaryOp and type(node.op) is gast.USub
            and type(node.operand) is gast.Constant
            and type(node.operand.value) in (int, float, complex)):
        return Literal(-node.operand.value)
    return None


def _qn_of(node, cache):
    """Computes (without annotating) the QN of an expression, or None."""
    t = type(node)
    if t is gast.Name:
        q = cache.get(node.id)
        if q is None:
            q = cache[node.id] = QN(node.id)
        return q
    if t is gast.Attribute:
        base = _qn_of(node.value, cache)
        return None if base is None else QN(base, attr=node.attr)
    if t is gast.Subscript:
        base = _qn_of(node.value, cache)
        if base is None:
            return None
        return subscript_qn(base, node.slice, _qn_of(node.slice, cache))
    return None


def subscript_qn(base, slice_node, slice_qn):
    """The QN of `base[slice_node]` given the QN of the slice expression (or None)."""
    if slice_qn is None:
        lit = _literal_of(slice_node)
        if lit is None:
            return None
        slice_qn = QN(lit)
    return QN(base, subscript=slice_qn)


# -- resolve -----------------------------------------------------------------

# Fields that never hold child expressions/statements worth visiting.
_SCALAR_FIELDS = frozenset({
    'ctx', 'type_comment', 'kind', 'is_async', 'level', 'simple', 'id', 'attr', 'arg', 'op',
    'ops', 'module', 'conversion', 'asname', 'rest',
})


def _child_fields(cls):
    fields = []
    for f in getattr(cls, '_fields', ()):
        if f in _SCALAR_FIELDS:
            continue
        fields.append(f)
    return tuple(fields)


_FIELDS_CACHE = {}


def child_fields(cls):
    """Fields of a gast node class that may hold child nodes (cached)."""
    f = _FIELDS_CACHE.get(cls)
    if f is None:
        f = _FIELDS_CACHE[cls] = _child_fields(cls)
    return f


class _Resolver:
    __slots__ = ('cache',)

    def __init__(self):
        self.cache = {}

    def visit(self, node):
        """Annotates the subtree; returns the QN of `node` (or None)."""
        t = type(node)
        if t is gast.Name:
            name = node.id
            q = self.cache.get(name)
            if q is None:
                q = self.cache[name] = QN(name)
            _set(node, q)
            ann = node.annotation
            if ann is not None:
                self.visit(ann)
            return q
        if t is gast.Attribute:
            base = self.visit(node.value)
            if base is None:
                _clear(node)
                return None
            q = QN(base, attr=node.attr)
            _set(node, q)
            return q
        if t is gast.Subscript:
            base = self.visit(node.value)
            sq = self.visit(node.slice)
            q = None if base is None else subscript_qn(base, node.slice, sq)
            if q is None:
                _clear(node)
            else:
                _set(node, q)
            return q
        if t is gast.Constant:
            return None
        visit = self.visit
        for f in child_fields(t):
            v = getattr(node, f, None)
            if v is None:
                continue
            if type(v) is list:
                for c in v:
                    if c is not None and not isinstance(c, str):
                        visit(c)
            elif isinstance(v, gast.AST):
                visit(v)
        return None


def _set(node, q):
    annos = node.__dict__.get(_FIELD)
    if annos is None:
        node.__dict__[_FIELD] = {_QN_KEY: q}
    else:
        annos[_QN_KEY] = q


def _clear(node):
    annos = node.__dict__.get(_FIELD)
    if annos is not None:
        annos.pop(_QN_KEY, None)


def resolve(node):
    """Annotates every Name/Attribute/Subscript under `node` with `anno.Basic.QN`.

    Nodes that do not name a qualified value (e.g. `f().x`, `x[i + 1]`, `x[1:2]`) get no
    annotation (a stale one is removed). Returns `node`.
    """
    if isinstance(node, list):
        r = _Resolver()
        for n in node:
            r.visit(n)
    else:
        _Resolver().visit(node)
    return node
