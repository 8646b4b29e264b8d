"""Special values: a variable with no value on this path, and a function that has not returned."""

from __future__ import annotations

from typing import Any

__all__ = ["Undefined", "UndefinedReturnValue", "is_undefined"]


class Undefined:
    """The value of a variable that has no value on this path: `Undefined('x')`.

    Plain Python equivalent: the variable is unbound (`del x`). Reading it through `read()`
    raises the UnboundLocalError Python would. Like TensorFlow's, attribute and item access
    give the Undefined itself, so that `x.y` or `x[0]` of an undefined `x` is undefined too.

    A staged `if` that leaves a live variable Undefined in one branch only, or a staged loop
    that starts with a live variable Undefined, raises a StagingError naming the variable.
    """

    __slots__ = ("symbol_name",)

    def __init__(self, symbol_name: str):
        object.__setattr__(self, "symbol_name", symbol_name)

    def read(self) -> Any:
        raise UnboundLocalError(
            f"cannot access local variable '{self.symbol_name}' where it is not associated "
            "with a value")

    def __getattribute__(self, name: str) -> Any:
        try:
            return object.__getattribute__(self, name)
        except AttributeError:
            return self

    def __getitem__(self, key: Any) -> Undefined:
        return self

    def __repr__(self) -> str:
        return f"Undefined({self.symbol_name!r})"


class UndefinedReturnValue(Undefined):
    """The return value of a function that has not executed a `return` yet:
    `UndefinedReturnValue(always_returns=False)`. Plain Python equivalent: falling off the end
    returns None.

    A subclass of Undefined (so `is_undefined` is true for it). A staged loop that may return
    gets a placeholder of the returned value's dtype and shape, which is replaced before it is
    ever read. A staged `if` that returns in one branch only:

    - `always_returns=True` (the converted function ends in an explicit `return` on every
      path, converters/return_statements.py): the value of the branch that has not returned is
      never read (every path that sets the return flag sets the value, and every other path
      reaches a later `return`), so it gets a placeholder with the other branch's structure,
      dtypes and shapes, as in TensorFlow's AutoGraph;
    - `always_returns=False` (a value that stays undefined may be observed, e.g. a staged unit
      that ends without returning): a StagingError.
    """

    __slots__ = ("always_returns",)

    def __init__(self, symbol_name: str = "<return value>", always_returns: bool = False):
        super().__init__(symbol_name)
        object.__setattr__(self, "always_returns", bool(always_returns))

    def __repr__(self) -> str:
        if self.always_returns:
            return "UndefinedReturnValue(always_returns=True)"
        return "UndefinedReturnValue()"


def is_undefined(value: Any) -> bool:
    """Whether `value` is `Undefined` (including `UndefinedReturnValue`)."""
    return isinstance(value, Undefined)
