"""autograph: Python control flow to graph control flow, source to source.

>>> import autograph
>>> def f(x):
...     if x > 0:
...         x = x * x
...     return x
>>> autograph.to_graph(f)(3)
9
"""

from autograph.api import do_not_convert, to_code, to_graph
from autograph.converter import ConversionOptions
from autograph.directives import set_loop_options
from autograph.errors import (
    AutographError,
    AutographWarning,
    ConversionError,
    SourceUnavailableError,
    StagingError,
    UnsupportedFeatureError,
)
from autograph.function import ConcreteFunction, Function, function
from autograph.runtime.engine import (
    Graph,
    Tensor,
    TensorList,
    TensorSpec,
    Variable,
    assert_that,
    cond,
    constant,
    is_tensor,
    placeholder,
    print,
    switch_case,
    while_loop,
)

__version__ = "0.1.0"

__all__ = [
    "ConcreteFunction",
    "Function",
    "Graph",
    "Tensor",
    "TensorList",
    "TensorSpec",
    "Variable",
    "assert_that",
    "cond",
    "constant",
    "function",
    "is_tensor",
    "placeholder",
    "print",
    "switch_case",
    "while_loop",
    "AutographError",
    "AutographWarning",
    "ConversionError",
    "ConversionOptions",
    "SourceUnavailableError",
    "StagingError",
    "UnsupportedFeatureError",
    "do_not_convert",
    "set_loop_options",
    "to_code",
    "to_graph",
]
