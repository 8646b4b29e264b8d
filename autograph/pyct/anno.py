"""AST node annotations.

Annotations are arbitrary values attached to AST nodes under an enum key. They live in a
plain dict stored in the node attribute ``___pyct_anno``; the attribute is *not* added to
``node._fields``, so annotations never reach ``ast.unparse`` or ``compile`` and cost nothing
when a tree is converted back to ``ast``.

Every key used by the compiler is a member of :class:`Basic` (general bookkeeping) or
:class:`Static` (results of the static analyses). Each member's value is its documentation:
what it holds, and which pass sets it.
"""

import enum

import gast

__all__ = [
    'Basic', 'Static', 'NoValue', 'getanno', 'setanno', 'hasanno', 'delanno', 'copyanno', 'dup',
    'keys', 'clearanno',
]

FIELD = '___pyct_anno'


class NoValue(enum.Enum):
    """Base class for annotation keys: the value of a member is its docstring."""

    def __repr__(self):  # pragma: no cover - cosmetic
        return '%s.%s' % (type(self).__name__, self.name)

    def __str__(self):
        return self.name

    # Identity hash (members are singletons): dict lookups with a key then stay in C, instead
    # of calling Enum.__hash__ (Python code) on every getanno/setanno.
    __hash__ = object.__hash__


class Basic(NoValue):
    """General-purpose annotation keys."""

    QN = ('qual_names.QN of a Name/Attribute/Subscript whose chain is made of names, attributes '
          'and name/constant subscripts. Set by qual_names.resolve (and activity.resolve).')
    SKIP_PROCESSING = ('True on a node that converters must leave alone (generated code). Set by '
                       'the converters / templates.')
    ORIGIN = ('origin_info.OriginInfo: the user source location a node came from. Set by '
              'origin_info.resolve.')
    DIRECTIVES = ('dict: directive name -> arguments, for autograph directives applied to a '
                  'statement (e.g. loop options). Set by the directives converter.')
    TRUTH_TEST = ('True on a BoolOp whose value is only tested for truth: the test of an '
                  'if/while/assert/ternary, an operand of `not`, or an operand of such a BoolOp. '
                  'Set by logical_expressions.mark_truth_tests.')
    EXTRA_LOOP_TEST = ('gast expression: an extra condition checked before each iteration of a '
                       'For loop (used when lowering break). Set by the break converter; the '
                       'CFG and activity analyses account for it.')


class Static(NoValue):
    """Keys of the static analysis results (see autograph/pyct/*.py)."""

    SCOPE = ('activity.Scope. On a statement: the activity of the statement, nested blocks '
             'included (a nested def or class contributes its free reads and its name). On a '
             'FunctionDef/Lambda: the whole function (isolated scope). On If/While.test, '
             'For.iter/target, withitem, ExceptHandler (header only), match_case pattern and '
             'guard: the activity of that CFG node. On comprehensions: their isolated scope. '
             'Set by activity.resolve.')
    ARGS_SCOPE = ('activity.Scope of a FunctionDef/Lambda parameters: bound/modified = the '
                  'parameter names, read = names in defaults and annotations. Also stored as '
                  'SCOPE on the `arguments` node. Set by activity.resolve.')
    DEF_SCOPE = ('activity.Scope of a FunctionDef/ClassDef/Lambda seen as a statement of the '
                 'enclosing code: reads of decorators, defaults, annotations, bases and the '
                 'free variables of the body; modifies/binds the defined name. Set by '
                 'activity.resolve.')
    BODY_SCOPE = ('activity.Scope of the body block of If/While/For/Try/With/ExceptHandler/'
                  'match_case, and of a ClassDef body (isolated) or FunctionDef body. Set by '
                  'activity.resolve.')
    ORELSE_SCOPE = ('activity.Scope of the orelse block of If/While/For/Try (empty scope when '
                    'there is none). Set by activity.resolve.')
    COND_SCOPE = ('activity.Scope of the test of If/While, of the iter expression of For, of the '
                  'subject of Match. Set by activity.resolve.')
    ITERATE_SCOPE = ('activity.Scope of the target of a For loop (what each iteration binds). '
                     'Set by activity.resolve.')
    LIVE_VARS_IN = ('frozenset[QN]: symbols live right before a statement (for If/While/For: '
                    'before its test/iter is evaluated). Set by liveness.resolve.')
    LIVE_VARS_OUT = ('frozenset[QN]: symbols live right after a statement (for compound '
                     'statements: after the whole statement). Set by liveness.resolve.')
    DEFINED_VARS_IN = ('frozenset[QN]: symbols defined on at least one path reaching a statement '
                       '(or If/While test, For iter). Set by reaching_definitions.resolve.')
    DEFINITELY_DEFINED_IN = ('frozenset[QN]: symbols defined on every path reaching a statement '
                             '(or If/While test, For iter). Set by reaching_definitions.resolve.')


_FAIL = object()


def getanno(node, key, default=_FAIL):
    """Returns the annotation `key` of `node`; `default` if absent, else raises KeyError."""
    annos = node.__dict__.get(FIELD)
    if annos is not None:
        value = annos.get(key, _FAIL)
        if value is not _FAIL:
            return value
    if default is _FAIL:
        raise KeyError('%s has no annotation %r' % (type(node).__name__, key))
    return default


def hasanno(node, key):
    annos = node.__dict__.get(FIELD)
    return annos is not None and key in annos


def setanno(node, key, value):
    annos = node.__dict__.get(FIELD)
    if annos is None:
        node.__dict__[FIELD] = {key: value}
    else:
        annos[key] = value


def delanno(node, key):
    annos = node.__dict__.get(FIELD)
    if annos is None or key not in annos:
        raise KeyError('%s has no annotation %r' % (type(node).__name__, key))
    del annos[key]


def keys(node):
    """Returns the annotation keys set on `node` (a frozenset)."""
    annos = node.__dict__.get(FIELD)
    return frozenset(annos) if annos else frozenset()


def clearanno(node):
    """Removes every annotation of every node under `node` (inclusive)."""
    for n in gast.walk(node):
        n.__dict__.pop(FIELD, None)


def copyanno(from_node, to_node, key):
    """Copies annotation `key` from one node to another, if `from_node` has it."""
    annos = from_node.__dict__.get(FIELD)
    if annos is not None and key in annos:
        setanno(to_node, key, annos[key])


def dup(node, copy_map):
    """Recursively duplicates annotations under new keys.

    Args:
      node: the root of the tree to process.
      copy_map: dict mapping a source key to a destination key; every node under `node` that
        has the source key gets the same value under the destination key.
    """
    for n in gast.walk(node):
        annos = n.__dict__.get(FIELD)
        if not annos:
            continue
        for src, dst in copy_map.items():
            if src in annos:
                annos[dst] = annos[src]
