"""Staging: what happens when a statement of the fast form meets a tensor in its header.

The fast form (converters/native_control_flow.py) calls `stage(ctx, unit_id, exc, locals())`
from the handler of a statement's `try`. This module decides whether the failure really came
from the header, builds the statement's functional form on first use (TensorFlow's protocol,
lowered by autograph/functional.py), compiles it, and runs it on the current local values.

A unit's functional form is a function of the statement's variables:

    def ag__unit(x, y, ag__header):      # ag__header: the tensor test, or the iterable
        <the statement, then its continuation>
        return (x,)                      # strategy 'none': the outputs
        return (code, value, (x,))       # other strategies: how it ended, and the outputs

and a check function `ag__check(x, y)` that evaluates the header again, functionally (so an
`and` on a tensor or `range(tensor)` gives a tensor or a loop descriptor instead of raising).
"""

from __future__ import annotations

import builtins
import copy
import threading

import gast

from autograph import errors
from autograph.converters import logical_expressions
from autograph.converters.native_control_flow import BREAK, CONTINUE, FALL, RETURN
from autograph.pyct import activity, anno, loader, origin_info, parser, qual_names, templates

_ITER_BUILTINS = {"range": "range_", "enumerate": "enumerate_", "zip": "zip_"}
_BUILTINS = {n: getattr(builtins, n) for n in _ITER_BUILTINS}
_FUNCTION_NODES = (gast.FunctionDef, gast.AsyncFunctionDef)
_LOOP_NODES = (gast.While, gast.For)


class StagedUnit:
    """A compiled functional form: `check(*params)` and `run(*params, header)`."""

    def __init__(self, params, check, run):
        self.params, self.check, self.run = params, check, run


class ConversionContext:
    """Per converted function: the data its handlers pass to `stage` as `ag__ctx`.

    source/info: the user's function source and where it lives (parser.SourceInfo).
    units: converters.native_control_flow.Unit for each handler, by id.
    globals_: the module globals the converted function runs with.
    options: the ConversionOptions used.
    """

    def __init__(self, source, info, units, globals_, options, namespace):
        self.source = source
        self.info = info
        self.units = units
        self.globals_ = globals_
        self.options = options
        self.namespace = namespace
        self._staged = {}
        self._lock = threading.Lock()

    def staged_unit(self, unit_id: int, link: int, local_vars: dict,
                    first_test: bool = False) -> StagedUnit:
        key = (unit_id, link, first_test)
        staged = self._staged.get(key)
        if staged is None:
            with self._lock:
                staged = self._staged.get(key)
                if staged is None:
                    staged = _build_unit(self, self.units[unit_id], link, local_vars,
                                         first_test)
                    self._staged[key] = staged
        return staged


def stage(ctx: ConversionContext, unit_id: int, exc: BaseException, local_vars: dict):
    """Runs statement `unit_id` in functional form if `exc` came from its header on a tensor.

    Plain Python equivalent: `raise exc` — this is only ever called from an `except` clause.
    """
    from autograph import runtime

    unit = ctx.units[unit_id]
    tb = exc.__traceback__
    link = unit.header_lines.get(tb.tb_lineno if tb is not None else None)
    if link is None:
        raise exc
    header = _captured_header(unit, link, exc, local_vars)
    # A `while` whose test kept its value uses it as its first test (see _first_test).
    staged = ctx.staged_unit(unit_id, link, local_vars,
                             first_test=unit.kind == "while" and header is not _FAILED)
    args = [local_vars[name] if name in local_vars else runtime.Undefined(name)
            for name in staged.params]
    if header is _FAILED:
        header = _evaluate_header(staged, args)
    if header is _FAILED or not _needs_staging(unit, header, exc):
        raise exc
    if unit.kind == "while" and local_vars.get(unit.marker):
        raise _became_tensor_error(ctx, unit, staged, local_vars)
    result = staged.run(*args, header)
    if unit.strategy == "none" or (unit.strategy == "barrier" and unit.barrier == "function"):
        return result
    code = result[0]
    if unit.barrier == "loop" and not isinstance(code, int):
        raise _tensor_jump_error(ctx, unit)
    if unit.strategy == "block" and not isinstance(code, int):
        raise _tensor_jump_error(ctx, unit)
    return result


_FAILED = object()


def _captured_header(unit, link, exc, local_vars):
    """The value of an `if` test that the fast form kept (`if (ag__test := ...):`), when it is
    the very tensor whose truth value failed: the test then ran to its end, and evaluating it
    again would repeat its calls (a Variable's assign_add would count twice). Otherwise (the
    failure came from inside the test, or the backend's error does not say which tensor it
    was), _FAILED: the staged form evaluates the test."""
    name = unit.captures.get(link)
    tensor = getattr(exc, "tensor", None)
    if name is None or tensor is None or local_vars.get(name) is not tensor:
        return _FAILED
    return tensor


def _evaluate_header(staged, args):
    try:
        return staged.check(*args)
    except TypeError:
        return _FAILED


def _needs_staging(unit, header, exc):
    from autograph import runtime

    if unit.kind == "for":
        return isinstance(exc, runtime.StagingRequired) or runtime.registry.claims(header)
    # The native test failed on its own line and its functional form gives a value: a part of
    # it met a tensor (`0 < (0 if t else 0)`), even when the whole is a Python value again
    # (both arms equal). The functional form runs that value as Python would.
    return True


def _where(ctx, unit):
    node = _locate(_parse(ctx), unit.path)[0]
    origin = anno.getanno(node, anno.Basic.ORIGIN, None)
    if origin is None:
        return ctx.info.filename, ctx.info.lineno, ""
    return origin.filename, origin.lineno, origin.source_line


def _became_tensor_error(ctx, unit, staged, local_vars):
    from autograph import runtime

    tensors = sorted(name for name in staged.params
                     if name in local_vars and runtime.is_tensor(local_vars[name]))
    filename, lineno, line = _where(ctx, unit)
    names = ", ".join(repr(n) for n in tensors) or "a variable of its condition"
    return errors.StagingError(
        f"{filename}:{lineno}: the condition of this while loop became a tensor after the loop "
        f"had already run as a Python loop ({names} turned into a tensor in the body): `{line}`."
        f" Make {names} a tensor before the loop (for example with autograph.constant) so the "
        "whole loop is staged, or keep the condition a Python value.")


def _tensor_jump_error(ctx, unit):
    filename, lineno, line = _where(ctx, unit)
    jumps = [j for j, present in (("break", unit.has_break), ("return", unit.has_return),
                                  ("continue", unit.has_continue)) if present]
    what = "/".join(jumps) or "jump"
    return errors.StagingError(
        f"{filename}:{lineno}: a `{what}` inside this statement depends on a tensor, but it has "
        f"to stop a Python loop (or leave a try/with block), which cannot be staged: `{line}`. "
        "Make the enclosing loop a staged loop (loop over a tensor, or a range of tensors), or "
        "move the condition into the loop's test.")


# Building units ---------------------------------------------------------------------------


def _parse(ctx):
    tree = getattr(ctx, "_tree", None)
    if tree is None:
        module = parser.parse_str(ctx.source)
        tree = module.body[0]
        from autograph import conversion
        conversion.apply_renames(tree, getattr(ctx, "renames", None))
        origin_info.resolve(tree, ctx.source, ctx.info)
        qual_names.resolve(tree)
        activity.resolve(tree)
        ctx._tree = tree
    return tree


def _locate(tree, path):
    """Follows `path` from the function node; returns (node, parents) where parents lists
    (container_node, field, index) from the innermost outward."""
    node, parents = tree, []
    steps = list(path)
    while steps:
        field = steps.pop(0)
        value = getattr(node, field)
        if steps and isinstance(steps[0], int):
            index = steps.pop(0)
            parents.append((node, field, index))
            node = value[index]
        else:
            node = value
    parents.reverse()
    return node, parents


def _build_unit(ctx, unit, link, local_vars, first_test=False):
    from autograph import functional, runtime
    from autograph.converter import Context

    tree = copy.deepcopy(_parse(ctx))
    stmt, parents = _locate(tree, unit.path)
    function = next((p[0] for p in parents if isinstance(p[0], _FUNCTION_NODES)), tree)
    scope = anno.getanno(function, anno.Static.SCOPE)
    # The statement's variables: the function's own locals (bound or not yet) and the free
    # variables it sees (present in locals()). Globals and builtins are looked up as usual.
    local_names = (_names(scope.modified | scope.bound) | set(local_vars)) - _names(scope.globals)
    local_names |= set(getattr(scope, "params", None) or ())

    header = "ag__header"
    for _ in range(link):  # the failing link of an elif chain
        stmt = stmt.orelse[0]
    shadowed = local_names | {n for n in _ITER_BUILTINS
                              if n in ctx.globals_ and ctx.globals_[n] is not _BUILTINS.get(n)}
    # A copy: lowering the check function rewrites its tree, which must not touch the unit's.
    check_expr = copy.deepcopy(_header_expression(stmt, unit, shadowed))
    if unit.kind != "for":  # the check gives an if/while test: only its truth is used
        logical_expressions.mark_truth(check_expr)
    first = _with_header(stmt, unit, header)
    body = [first] + _continuation(parents, unit)
    if first_test:
        body[:1] = _first_test(stmt, header, _namer(tree))
    outputs = list(unit.outputs)
    params = sorted((_referenced(body) | set(outputs) | _referenced([check_expr])) & local_names)
    globals_declared = sorted(_names(scope.globals) & _referenced(body))
    if unit.strategy == "none":
        body.append(templates.replace("return outs", outs=_tuple(outputs))[0])
    elif unit.barrier == "function" and unit.strategy == "barrier":
        # The user's own returns end the unit: it returns what the function returns (and the
        # nonlocals that the rest of the function assigns, for the handler to write back).
        if outputs:
            body = _with_outputs(body, params, outputs, globals_declared)
    else:
        body = _with_jump_codes(body, params, outputs, unit, globals_declared)
    run_fn = _function_def("ag__unit", params + [header], body, globals_declared)
    check_fn = _function_def("ag__check", params, templates.replace(
        "return expr", expr=check_expr), [])
    origin = anno.getanno(stmt, anno.Basic.ORIGIN, None)
    if origin is not None:  # generated statements report the staged statement by default
        for fn in (run_fn, check_fn):
            anno.setanno(fn, anno.Basic.ORIGIN, origin)
            for sub in fn.body:
                if isinstance(sub, gast.FunctionDef):
                    anno.setanno(sub, anno.Basic.ORIGIN, origin)

    converter_ctx = Context(namer=_namer(tree), options=ctx.options, info=ctx.info,
                            namespace=ctx.namespace, mode="functional")
    loaded = []
    for fn in (check_fn, run_fn):
        lowered = functional.lower_function(fn, converter_ctx)
        loaded.append(loader.load_function(
            lowered, None, {"ag__": runtime}, name=fn.name,
            filename_hint=ctx.info.filename, globals_=ctx.globals_).fn)
    return StagedUnit(params, loaded[0], loaded[1])


def _names(qns):
    return {str(qn) for qn in qns if not qn.is_composite()}


def _referenced(nodes):
    names = set()
    for node in nodes:
        for sub in gast.walk(node):
            if isinstance(sub, gast.Name):
                names.add(sub.id)
    return names


def _namer(tree):
    from autograph.pyct import naming
    return naming.Namer(naming.collect_names(tree))


def _tuple(names):
    return gast.Tuple([gast.Name(n, gast.Load(), None, None) for n in names], gast.Load())


def _with_jump_codes(body, params, outputs, unit, globals_declared):
    """The unit's body inside `ag__inner`, whose jumps set `ag__code`/`ag__val` and return:

        ag__code, ag__val = 0, None
        def ag__inner():
            nonlocal ag__code, ag__val, <the params it assigns>
            <body: `break` -> ag__code = 1; return ...>
        ag__inner()
        return (ag__code, ag__val, (outputs...))
    """
    body = _JumpsToCodes(unit.barrier).visit_block(body)
    assigned = _assigned(body) & set(params)
    declarations = []
    if globals_declared:
        declarations.append(gast.Global(names=list(globals_declared)))
    declarations.append(gast.Nonlocal(names=["ag__code", "ag__val"] + sorted(assigned)))
    inner = _function_def("ag__inner", [], declarations + body, [])
    # `ag__val` is not `always_returns`: a path that falls off the unit leaves it undefined,
    # so a staged `if` that returns in one branch only stays an error (a tensor-dependent
    # return that has to leave a Python loop or a try/with block cannot be staged).
    return (templates.replace("ag__code = 0\nag__val = ag__.UndefinedReturnValue()")
            + [inner]
            + templates.replace("ag__inner()\nreturn (ag__code, ag__val, outs)",
                                outs=_tuple(outputs)))


def _with_outputs(body, params, outputs, globals_declared):
    """The unit's body inside `ag__body`, whose value is returned with the outputs:

        def ag__body():
            nonlocal <the params it assigns>
            <body>
        ag__value = ag__body()
        return (ag__value, (outputs...))
    """
    declarations = []
    if globals_declared:
        declarations.append(gast.Global(names=list(globals_declared)))
    assigned = sorted(_assigned(body) & set(params))
    if assigned:
        declarations.append(gast.Nonlocal(names=assigned))
    inner = _function_def("ag__body", [], declarations + body, [])
    return [inner] + templates.replace("ag__value = ag__body()\nreturn (ag__value, outs)",
                                       outs=_tuple(outputs))


def _assigned(nodes):
    """The names `nodes` bind, including the bases of item assignments and the receivers of
    `x.append(v)`/`x.pop()`: the functional form rebinds `a` for `a[i] = v`
    (`a = ag__.setitem(a, i, v)`, converters/slices.py) and `x` for an append or pop
    (`x = ag__.list_append(x, v)`, converters/lists.py), so `ag__inner` must declare it
    nonlocal too."""
    names = set()
    for node in nodes:
        for sub in gast.walk(node):
            if isinstance(sub, gast.Name) and isinstance(sub.ctx, (gast.Store, gast.Del)):
                names.add(sub.id)
            elif (isinstance(sub, gast.Subscript) and isinstance(sub.ctx, gast.Store)
                  and isinstance(sub.value, gast.Name)):
                names.add(sub.value.id)
            elif (isinstance(sub, gast.Call) and isinstance(sub.func, gast.Attribute)
                  and sub.func.attr in ("append", "pop")
                  and isinstance(sub.func.value, gast.Name)):
                names.add(sub.func.value.id)
    return names


def _jump(code, value=None):
    stmts = templates.replace("ag__code = code", code=gast.Constant(code, None))
    if value is not None:
        stmts += templates.replace("ag__val = value", value=value)
    return stmts + [gast.Return(value=None)]


def _header_expression(stmt, unit, shadowed):
    if unit.kind == "for":
        return _iterables(stmt.iter, shadowed)
    return stmt.test


def _iterables(node, shadowed):
    """`range(...)`, `enumerate(...)`, `zip(...)` (also nested) as the runtime's versions,
    which give a loop descriptor when an argument is a tensor."""
    if (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
            and node.func.id in _ITER_BUILTINS and node.func.id not in shadowed):
        call = templates.replace_as_expression("ag__.helper()",
                                               helper=_ITER_BUILTINS[node.func.id])
        call.args = [_iterables(a, shadowed) for a in node.args]
        call.keywords = node.keywords
        return call
    return node


def _with_header(stmt, unit, header):
    name = gast.Name(header, gast.Load(), None, None)
    if unit.kind == "if":
        stmt.test = name
    elif unit.kind == "for":
        stmt.iter = name
    return stmt


def _first_test(stmt, header, namer):
    """`while test: body` whose first test has been evaluated (its value is `header`):

        ag__first = True
        while (header if ag__first else test):
            ag__first = False
            body

    The test runs from the second iteration on, so an effect in it (a Variable's assign_add)
    happens once per test, as in Python, not once more outside the staged loop."""
    first = namer.new_symbol("ag__first")
    stmt.test = templates.replace_as_expression(
        "header if first else test", header=header, first=first, test=stmt.test)
    stmt.body = templates.replace("first = False", first=first) + stmt.body
    return templates.replace("first = True", first=first) + [stmt]


def _continuation(parents, unit):
    """The statements after the unit's statement, up to its barrier (see Unit.strategy)."""
    if unit.strategy == "none":
        return []
    following = []
    for container, field, index in parents:
        following.extend(getattr(container, field)[index + 1:])
        if unit.strategy == "block":
            break
        # An if branch, or a loop's else clause, continues after its statement.
        if isinstance(container, gast.If) or (
                isinstance(container, _LOOP_NODES) and field == "orelse"):
            continue
        break
    return following


def _function_def(name, params, body, globals_declared):
    args = gast.arguments(
        args=[gast.Name(p, gast.Param(), None, None) for p in params], posonlyargs=[],
        vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    if globals_declared:
        body = [gast.Global(names=globals_declared)] + body
    fn = gast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                          type_comment=None, **({"type_params": []} if "type_params"
                                               in gast.FunctionDef._fields else {}))
    return gast.fix_missing_locations(fn) if hasattr(gast, "fix_missing_locations") else fn


class _JumpsToCodes(gast.NodeTransformer):
    """Turns the jumps that leave a unit into `ag__code = K; [ag__val = v;] return`."""

    def __init__(self, barrier):
        self.barrier = barrier
        self.loop_depth = 0

    def visit_block(self, stmts):
        out = []
        for stmt in stmts:
            result = self.visit(stmt)
            out.extend(result if isinstance(result, list) else [result])
        return out

    def visit_Return(self, node):
        return _jump(RETURN, node.value or gast.Constant(None, None))

    def visit_Break(self, node):
        return node if self.loop_depth else _jump(BREAK)

    def visit_Continue(self, node):
        if self.loop_depth:
            return node
        # In a loop barrier's continuation, continuing is the same as falling off the end.
        return _jump(CONTINUE if self.barrier != "loop" else FALL)

    def _loop(self, node):
        self.loop_depth += 1
        node.body = self.visit_block(node.body)
        self.loop_depth -= 1
        node.orelse = self.visit_block(node.orelse)
        return node

    visit_While = visit_For = _loop

    def visit_If(self, node):
        node.body = self.visit_block(node.body)
        node.orelse = self.visit_block(node.orelse)
        return node

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef

    def generic_visit(self, node):
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(node, field, None), list):
                setattr(node, field, self.visit_block(getattr(node, field)))
        for handler in getattr(node, "handlers", []):
            handler.body = self.visit_block(handler.body)
        for case in getattr(node, "cases", []):
            case.body = self.visit_block(case.body)
        return node
