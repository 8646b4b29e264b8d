"""After this pass every `if`/`while`/`for` is an `ag__.if_stmt`/`while_stmt`/`for_stmt` call on body functions that carry the statement's state."""

import ast
import builtins

import gast

from autograph.converters import directives
from autograph.converters._jumps import SCOPES, blocks, bound_names
from autograph.pyct import (
    activity,
    anno,
    cfg,
    liveness,
    origin_info,
    reaching_definitions,
    templates,
)

_ITERATORS = {'range': 'ag__.range_', 'enumerate': 'ag__.enumerate_', 'zip': 'ag__.zip_'}


def _const(value):
    return gast.Constant(value=value, kind=None)


def _declarations(names, globals_):
    """`global`/`nonlocal` statements that let a body function assign `names`."""
    simple = sorted(str(s) for s in names if s.is_simple())
    declared = [[n for n in simple if n in globals_], [n for n in simple if n not in globals_]]
    return [decl(names=ns) for decl, ns in zip((gast.Global, gast.Nonlocal), declared,
                                                strict=True) if ns]


class ControlFlowTransformer(gast.NodeTransformer):
    """`if c: a` -> `def if_body(): a` ... `ag__.if_stmt(c, if_body, else_body, get_state,
    set_state, ('x',), 1)`; loops likewise, with `loop_test`/`loop_body`/`extra_test`."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.scopes = []  # activity scopes of the enclosing user functions
        self.generated = set()  # ids of the body functions made here

    def visit_FunctionDef(self, node):
        scope = anno.getanno(node, anno.Static.SCOPE)
        self.scopes.append(scope)
        node = self.generic_visit(node)
        self.scopes.pop()
        params = {a.id for a in gast.walk(node.args) if isinstance(a, gast.Name)}
        node.body = self._bind_state(node.body, params)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit(self, node):
        # The statements that replace an if/while/for (body functions, state functions, the
        # operator call) report the user's statement in tracebacks and errors.
        result = super().visit(node)
        if isinstance(result, list):
            origin_info.attribute_to(result, node)
        return result

    def visit_ClassDef(self, node):  # a class body keeps its statements; methods convert
        node.body = [self.visit(s) if isinstance(s, SCOPES) else s for s in node.body]
        return node

    def _bind_state(self, body, bound):
        """Gives each name that a body function declares `nonlocal` a binding in the function
        that holds it (a variable local to an enclosing branch or loop body)."""
        bound = bound | bound_names(body)
        out = []
        for stmt in body:
            if id(stmt) in self.generated:
                for decl in stmt.body:
                    if isinstance(decl, gast.Nonlocal):
                        missing = [n for n in decl.names if n not in bound]
                        out.extend(self._undefined(missing))
                        bound.update(missing)
            elif not isinstance(stmt, SCOPES):
                for _, _, block in blocks(stmt):
                    block[:] = self._bind_state(block, bound)
            out.append(stmt)
        return out

    def _undefined(self, names):
        return [templates.replace('var = ag__.Undefined(name)', var=n, name=_const(n))[0]
                for n in sorted(names)]

    def _state(self, node, modified, outputs_first=False):
        """(state symbols, sorted (an if's outputs first); how many are outputs; the state
        symbols that are not defined before the statement)."""
        live_in = anno.getanno(node, anno.Static.LIVE_VARS_IN)
        live_out = anno.getanno(node, anno.Static.LIVE_VARS_OUT)
        scope = self.scopes[-1]
        declared = scope.globals | scope.nonlocals
        state = set()
        for s in modified:
            if s.is_simple():
                if s in live_in or s in live_out or s in declared:
                    state.add(s)
            elif all(p in live_in for p in s.support_set if p.is_symbol()):
                state.add(s)  # `self.n`, `a.b[0]`: composites whose owners are live
        inputs_only = {s for s in state if s.is_simple() and s in live_in and s not in live_out
                       and s not in declared}
        ordered = sorted(state, key=lambda s: (outputs_first and s in inputs_only, str(s)))
        defined_in = anno.getanno(node, anno.Static.DEFINED_VARS_IN)
        undefined = [str(s) for s in ordered
                     if s.is_simple() and s not in defined_in and s not in declared]
        return ordered, len(ordered) - len(inputs_only), undefined

    def _names(self, *bases):
        """Fresh names, taken before the nested statements take theirs (source order)."""
        return [self.ctx.namer.new_symbol(base) for base in bases]

    def _body_fn(self, name, body, state, args=()):
        globals_ = {str(s) for s in self.scopes[-1].globals}
        body = _declarations(state, globals_) + [s for s in body if not isinstance(s, gast.Pass)]
        fn = templates.replace('def name(args):\n    body', name=name, args=list(args),
                               body=body or [gast.Pass()])[0]
        self.generated.add(id(fn))
        bound = set(args) | {str(s) for s in state if s.is_simple()}
        fn.body = self._bind_state(fn.body, bound)
        return fn

    def _lowered(self, undefined, fns, state, state_names, call, **replacements):
        """Undefined initial values, body functions, get_state/set_state, the operator call."""
        get_state, set_state, vars_ = state_names
        symbols = gast.Tuple(elts=[s.ast() for s in state], ctx=gast.Load())
        if state:
            decls = _declarations(state, {str(s) for s in self.scopes[-1].globals})
            state_fns = templates.replace(
                'def get_state():\n    return symbols\n'
                'def set_state(vars_):\n    decls\n    symbols = vars_',
                get_state=get_state, set_state=set_state, vars_=vars_, symbols=symbols,
                decls=decls)
        else:
            state_fns = templates.replace(
                'def get_state():\n    return ()\ndef set_state(vars_):\n    pass',
                get_state=get_state, set_state=set_state, vars_=vars_)
        self.generated.add(id(state_fns[1]))
        names = gast.Tuple(elts=[_const(str(s)) for s in state], ctx=gast.Load())
        return (self._undefined(undefined) + fns + state_fns + templates.replace(
            call, get_state=get_state, set_state=set_state, names=names, **replacements))

    def visit_If(self, node):
        body_scope = anno.getanno(node, anno.Static.BODY_SCOPE)
        orelse_scope = anno.getanno(node, anno.Static.ORELSE_SCOPE)
        body_mod = body_scope.modified | body_scope.bound
        orelse_mod = orelse_scope.modified | orelse_scope.bound
        state, nouts, undefined = self._state(node, body_mod | orelse_mod, outputs_first=True)
        body, orelse, *state_names = self._names(
            'if_body', 'else_body', 'get_state', 'set_state', 'vars')
        node = self.generic_visit(node)
        fns = [self._body_fn(body, node.body, [s for s in state if s in body_mod]),
               self._body_fn(orelse, node.orelse, [s for s in state if s in orelse_mod])]
        return self._lowered(
            undefined, fns, state, state_names,
            'ag__.if_stmt(test, body, orelse, get_state, set_state, names, nouts)',
            test=node.test, body=body, orelse=orelse, nouts=_const(nouts))

    def visit_While(self, node):
        body_scope = anno.getanno(node, anno.Static.BODY_SCOPE)
        test_scope = anno.getanno(node, anno.Static.COND_SCOPE)  # `while (x := f()):`
        body_mod = body_scope.modified | body_scope.bound
        test_mod = test_scope.modified | test_scope.bound
        state, _, undefined = self._state(node, body_mod | test_mod)
        test, body, *state_names = self._names(
            'loop_test', 'loop_body', 'get_state', 'set_state', 'vars')
        node = self.generic_visit(node)
        fns = [self._body_fn(test, templates.replace('return expr', expr=node.test),
                             [s for s in state if s in test_mod]),
               self._body_fn(body, node.body, [s for s in state if s in body_mod])]
        return self._lowered(
            undefined, fns, state, state_names,
            'ag__.while_stmt(test, body, get_state, set_state, names, opts)',
            test=test, body=body, opts=self._options(node, {})) + node.orelse

    def visit_For(self, node):
        body_scope = anno.getanno(node, anno.Static.BODY_SCOPE)
        iterate_scope = anno.getanno(node, anno.Static.ITERATE_SCOPE)
        modified = body_scope.modified | body_scope.bound | iterate_scope.modified
        state, _, undefined = self._state(node, modified)
        extra_test = anno.getanno(node, anno.Basic.EXTRA_LOOP_TEST, None)
        # `def loop_body(i):` when the target is a name local to the body, else
        # `def loop_body(itr):` that starts with `i, j = itr`.
        plain_target = (isinstance(node.target, gast.Name)
                        and all(str(s) != node.target.id for s in state))
        body = self.ctx.namer.new_symbol('loop_body')
        itr = node.target.id if plain_target else self.ctx.namer.new_symbol('itr')
        extra = self.ctx.namer.new_symbol('extra_test') if extra_test is not None else None
        state_names = self._names('get_state', 'set_state', 'vars')
        targets = node.target.elts if isinstance(node.target, gast.Tuple) else [node.target]
        iterate_names = _const(', '.join(ast.unparse(gast.gast_to_ast(t)) for t in targets))
        node = self.generic_visit(node)
        stmts = node.body
        if not plain_target:
            stmts = templates.replace('target = itr', target=node.target, itr=itr) + stmts
        fns = [self._body_fn(body, stmts, state, [itr])]
        if extra_test is not None:
            fns += templates.replace('def extra():\n    return test', extra=extra,
                                     test=extra_test)
        return self._lowered(
            undefined, fns, state, state_names,
            'ag__.for_stmt(iter_, extra, body, get_state, set_state, names, opts)',
            iter_=self._iterated(node.iter), extra=extra, body=body,
            opts=self._options(node, {'iterate_names': iterate_names})) + node.orelse

    def _iterated(self, iter_):
        """`range(n)` -> `ag__.range_(n)` (also `enumerate`, `zip`) when it is the builtin."""
        name = getattr(getattr(iter_, 'func', None), 'id', None)
        builtin = getattr(builtins, name or '', None)
        scope = self.scopes[-1]
        if (name in _ITERATORS and self.ctx.namespace.get(name, builtin) is builtin
                and all(str(s) != name for s in scope.bound | scope.modified)):
            iter_.func = templates.replace_as_expression(_ITERATORS[name])
        return iter_

    def _options(self, node, opts):
        origin = anno.getanno(node, anno.Basic.ORIGIN, None)
        if origin is not None:
            opts['loop_name'] = _const(str(origin))
        opts.update(directives.loop_options(node))  # autograph.set_loop_options in the body
        return gast.Dict(keys=[_const(k) for k in opts], values=list(opts.values()))


def transform(node, ctx):
    graphs = cfg.build(node)
    activity.resolve(node)
    reaching_definitions.resolve(node, graphs)
    liveness.resolve(node, graphs)
    return ControlFlowTransformer(ctx).visit(node)
