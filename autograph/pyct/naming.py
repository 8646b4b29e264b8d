"""Fresh names for generated code.

Every generated name starts with the reserved prefix `ag__` and avoids every name the user's
code uses (`collect_names`) and every name handed out before: `ag__cond`, `ag__cond_1`, ...
"""

from __future__ import annotations

import ast
import re

__all__ = ["PREFIX", "Namer", "collect_names", "names_in_source"]

PREFIX = "ag__"
_NOT_IDENT = re.compile(r"\W")
_IDENT = re.compile(r"[^\W\d]\w*")


class Namer:
    """Hands out names that collide with nothing in `used_names` nor with each other."""

    def __init__(self, used_names=()):
        self.used = set(used_names)
        self._next = {}  # base -> next suffix to try (keeps many symbols O(1) each)

    def new_symbol(self, base: str, reserved=()) -> str:
        """A new name `ag__<base>` (or `ag__<base>_N`), also avoiding `reserved`.

        `base` may already start with `ag__`; characters that cannot appear in an
        identifier become `_`.
        """
        base = _NOT_IDENT.sub("_", base) if base else "tmp"
        if not base.startswith(PREFIX):
            base = PREFIX + base
        used = self.used
        n = self._next.get(base, 0)
        name = base if n == 0 else f"{base}_{n}"
        while name in used or name in reserved:
            n += 1
            name = f"{base}_{n}"
        self._next[base] = n + 1
        used.add(name)
        return name

    def reserve(self, *names):
        """Marks `names` as used (names the generated code introduces by other means)."""
        self.used.update(names)


def names_in_source(source: str) -> set:
    """Every identifier-like word of `source` (a superset of its names; C speed)."""
    return set(_IDENT.findall(source))


def collect_names(node) -> set:
    """Every identifier used in the tree: names, parameters, attributes, function and class
    names, import aliases (the first component of a dotted module), global/nonlocal names,
    keyword-argument names, except-handler names and match captures."""
    names = set()
    add = names.add
    update = names.update
    ast_type = ast.AST
    tables = _TABLES
    stack = [node]
    pop = stack.pop
    push = stack.append
    while stack:
        n = pop()
        cls = n.__class__
        table = tables.get(cls)
        if table is None:
            table = _table(cls)
        idents, dotted, children = table
        d = n.__dict__
        for field in idents:
            v = d.get(field)
            if v:
                if v.__class__ is str:
                    add(v)
                elif v.__class__ is list:
                    update(x for x in v if x.__class__ is str)
                elif isinstance(v, ast_type):
                    push(v)  # gast's ExceptHandler.name is a Name node
        for field in dotted:
            v = d.get(field)
            if v:
                add(v.partition(".")[0])
        for field in children:
            v = d.get(field)
            if v is None:
                continue
            if v.__class__ is list:
                for x in v:
                    if x is not None and x._fields:
                        push(x)
            elif v._fields:
                push(v)
    return names


_IDENT_FIELDS = frozenset({"id", "arg", "attr", "name", "asname", "names", "rest",
                           "kwd_attrs", "module"})
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "conversion", "kind", "type_comment", "level",
                           "is_async", "simple"})
_TABLES = {}


def _table(cls):
    """(identifier fields, dotted identifier fields, child node fields) of a node class."""
    name = cls.__name__
    idents, dotted, children = [], [], []
    for f in cls._fields:
        if f in _IDENT_FIELDS and not (f == "names" and name in ("Import", "ImportFrom")):
            if (f == "module") or (f == "name" and name == "alias"):
                dotted.append(f)
            else:
                idents.append(f)
        elif f in _NOT_CHILDREN or (f == "value" and name in ("Constant", "MatchSingleton")):
            continue
        else:
            children.append(f)
    table = _TABLES[cls] = (tuple(idents), tuple(dotted), tuple(children))
    return table
