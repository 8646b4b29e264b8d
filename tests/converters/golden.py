"""Helpers for golden tests: run one pass on real Python and compare after unparsing."""

from __future__ import annotations

import ast
import textwrap

import gast

from autograph.converter import Context, ConversionOptions
from autograph.pyct import activity, cfg, liveness, naming, qual_names


def normalize(source: str) -> str:
    """The canonical text of `source`: parsed and unparsed by the standard library."""
    return ast.unparse(ast.parse(textwrap.dedent(source)))


def parse_function(source: str) -> gast.FunctionDef:
    node = gast.parse(textwrap.dedent(source)).body[0]
    qual_names.resolve(node)
    activity.resolve(node)
    liveness.resolve(node, cfg.build(node))
    return node


def make_context(node, namespace=None, **options) -> Context:
    ctx = Context(namer=naming.Namer(naming.collect_names(node)),
                  options=ConversionOptions(**options), namespace=namespace or {})
    ctx.free_names = ()
    return ctx


def unparse(node) -> str:
    return ast.unparse(ast.fix_missing_locations(gast.gast_to_ast(node)))
