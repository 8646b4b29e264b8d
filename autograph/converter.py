"""What every converter receives: the conversion options and the per-function context."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class ConversionOptions:
    """Options that change the generated code (part of the conversion cache key).

    recursive: convert user functions called from converted code (lazily, at run time).
    runtime_print: route `print` through `ag__.print_`, so a graph backend prints tensors
        when the graph runs rather than once while tracing.
    strict: turn every "run it unconverted, with a warning" fallback into an error.
    """

    recursive: bool = True
    runtime_print: bool = False
    strict: bool = False


@dataclasses.dataclass
class Context:
    """The state converters share while converting one function.

    namer: hands out fresh `ag__` names that avoid the user's names.
    options: the ConversionOptions in force.
    info: the parser's SourceInfo (file, line, function name) of the entity.
    namespace: the names visible to the function at conversion time (its globals, then its
        closure values), used to decide statically which calls never need conversion.
    mode: 'fast' while building the fast form, 'functional' while lowering a staged unit.
    """

    namer: Any
    options: ConversionOptions
    info: Any = None
    namespace: dict = dataclasses.field(default_factory=dict)
    mode: str = "fast"
