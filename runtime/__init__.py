"""The runtime: the operators converted code calls (seen there as `ag__`), the backend registry,
the embedded graph engine (`engine/`) and the backends (`backends/`).

See docs/design.md (the operators) and docs/backends.md (the registry contract).
"""

from . import registry
from .calls import converted_call, cv, stage
from .control_flow import for_stmt, if_stmt, while_stmt
from .iteration import (
                        enumerate_,
                        py_enumerate,
                        py_iter,
                        py_range,
                        py_range_jumps,
                        py_zip,
                        range_,
                        zip_,
)
from .lists import list_append, list_appended, list_pop, list_stack, new_list
from .logical import and_, if_exp, not_, or_
from .misc import assert_stmt, match_error, print_, setitem, setitem_after_value_error
from .py_builtins import all_, any_, bool_, float_, int_, len_, max_, min_, sum_
from .registry import StagingRequired, is_tensor
from .special_values import Undefined, UndefinedReturnValue, is_undefined

__all__ = [
    # control flow
    "if_stmt", "while_stmt", "for_stmt",
    # logical operators and conditional expressions
    "and_", "or_", "not_", "if_exp",
    # statements
    "assert_stmt", "print_", "setitem", "setitem_after_value_error", "match_error",
    # lists
    "new_list", "list_append", "list_appended", "list_pop", "list_stack",
    # calls, and the builtins that meet tensors
    "converted_call", "cv", "stage",
    "len_", "min_", "max_", "sum_", "any_", "all_", "float_", "int_", "bool_",
    # iteration
    "range_", "enumerate_", "zip_", "py_range", "py_range_jumps", "py_enumerate", "py_zip",
    "py_iter",
    # special values, dispatch
    "Undefined", "UndefinedReturnValue", "is_undefined", "is_tensor", "StagingRequired",
    "registry",
]

registry.register_lazy("jax", "autograph.runtime.backends.jax_backend", static_range=True)
registry.register_lazy("autograph.runtime.engine", "autograph.runtime.backends.engine",
                       jump_range=True)
