"""Shared by the converter tests: a conversion context, golden comparison, running lowered code."""

import ast
import inspect
import textwrap
import types

import gast

from autograph import functional, runtime
from autograph.converter import Context, ConversionOptions
from autograph.pyct import naming


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
    """`f` lowered to the functional form and loaded with `ag__` bound to autograph.runtime."""
    node = parse_function(inspect.getsource(f))
    node.decorator_list = []
    namespace = dict(f.__globals__)
    lowered = functional.lower_function(node, make_ctx(node, namespace, **options))
    factory = gast.FunctionDef(
        name='ag__factory', args=gast.arguments(
            args=[gast.Name('ag__', gast.Param(), None, None)], posonlyargs=[], vararg=None,
            kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=[lowered, gast.Return(gast.Name(lowered.name, gast.Load(), None, None))],
        decorator_list=[], returns=None, type_comment=None, type_params=[])
    module = ast.fix_missing_locations(gast.gast_to_ast(gast.Module([factory], [])))
    code = compile(module, '<lowered %s>' % f.__name__, 'exec')
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    return types.FunctionType(factory_code, f.__globals__)(runtime), to_source(lowered)
