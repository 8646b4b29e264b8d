"""The embedded graph engine: numpy-backed graphs with control flow and a compiled executor.

Symbolic :class:`Tensor` values record numpy operations into a :class:`Graph`; ``cond``,
``switch_case`` and ``while_loop`` add control flow; ``Variable``, ``print`` and
``assert_that`` add effects that run in program order. ``graph.run`` (or ``graph.compile``)
turns the graph, once, into straight-line Python over numpy and runs it.

This package depends on numpy only (never on the compiler). See ``docs/engine.md``.
"""

from __future__ import annotations

from . import numpy_api
from .control_flow import TensorList, cond, switch_case, while_loop
from .effects import assert_that, print
from .errors import GraphAssertionError, GraphTensorError, UnsupportedNumpyError
from .graph import Graph, Operation, get_default_graph, in_graph_context, reset_default_graph
from .numpy_api import setitem, supported_functions
from .tensor import Tensor, TensorSpec, constant, convert_to_tensor, is_tensor, placeholder
from .variables import Variable

__all__ = [
    "Graph", "Tensor", "TensorSpec", "constant", "placeholder", "is_tensor", "cond",
    "switch_case", "while_loop", "TensorList", "Variable", "print", "assert_that",
    # more
    "Operation", "GraphTensorError", "GraphAssertionError", "UnsupportedNumpyError", "setitem",
    "convert_to_tensor", "get_default_graph", "reset_default_graph", "in_graph_context",
    "numpy_api", "supported_functions",
]
