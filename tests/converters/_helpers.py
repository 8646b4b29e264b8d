"""Shared by the converter tests: a conversion context, golden comparison, running lowered code."""

import ast
import inspect
import textwrap

import gast

from autograph import functional, runtime
from autograph.converter import Context, ConversionOptions
from autograph.pyct import loader, naming


def parse_function(source):
    return gast.parse(textwrap.dedent(source)).body[0]


def make_ctx(node, namespace=None, **options):
    return Context(namer=naming.Namer(naming.collect_names(node)),
                   options=ConversionOptions(**options), namespace=namespace or {},
                   mode='functional')


def normalize(source):
    return ast.unparse(ast.parse(textwrap.dedent(source)))


def to_source(node):
    return functional.source(node)


def convert(converter, source, **options):
    """Runs one converter on the function in `source`; returns the result's source."""
    node = parse_function(source)
    return to_source(converter.transform(node, make_ctx(node, **options)))


def assert_converts(converter, source, expected, idempotent=False, **options):
    result = convert(converter, source, **options)
    assert normalize(result) == normalize(expected), '\n' + result
    if idempotent:
        assert normalize(convert(converter, result, **options)) == normalize(result)


def lower(f, **options):
    """`f` lowered to the functional form and loaded (autograph.pyct.loader, with the original's
    closure cells and globals) with `ag__` bound to autograph.runtime; and its source."""
    node = parse_function(inspect.getsource(f))
    node.decorator_list = []
    lowered = functional.lower_function(node, make_ctx(node, dict(f.__globals__), **options))
    source = to_source(lowered)
    return loader.load_function(lowered, f, {'ag__': runtime}).fn, source
