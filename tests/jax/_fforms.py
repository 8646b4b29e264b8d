"""Tiny builders of TensorFlow-style functional forms over a dict of variables.

`state` is a dict name -> value; bodies are `fn(state)` that mutate it. These call the runtime
operators exactly as generated code does (get_state/set_state closures, symbol names).
"""

from autograph import runtime as ag__


def _accessors(state, names):
    def get_state():
        return tuple(state[n] for n in names)

    def set_state(values):
        state.update(zip(names, values))

    return get_state, set_state


def if_(state, cond, body, orelse=None, names=None, nouts=None):
    names = tuple(names if names is not None else state)
    gs, ss = _accessors(state, names)
    ag__.if_stmt(cond, lambda: body(state), (lambda: orelse(state)) if orelse else (lambda: None),
                 gs, ss, names, len(names) if nouts is None else nouts)
    return state


def while_(state, test, body, names=None, **opts):
    names = tuple(names if names is not None else state)
    gs, ss = _accessors(state, names)
    opts.setdefault("loop_name", "test_file.py:1")
    ag__.while_stmt(lambda: test(state), lambda: body(state), gs, ss, names, opts)
    return state


def for_(state, iter_, body, names=None, extra_test=None, **opts):
    names = tuple(names if names is not None else state)
    gs, ss = _accessors(state, names)
    opts.setdefault("loop_name", "test_file.py:1")
    opts.setdefault("iterate_names", "i")
    ag__.for_stmt(iter_, (lambda: extra_test(state)) if extra_test else None,
                  lambda i: body(state, i), gs, ss, names, opts)
    return state


def eqn_count(jaxpr):
    """Equations in a jaxpr, counting those of nested jaxprs (loop and branch bodies)."""
    from jax.extend import core

    def count(j):
        n = 0
        for e in j.eqns:
            n += 1
            for p in e.params.values():
                for sub in (p if isinstance(p, (tuple, list)) else (p,)):
                    if isinstance(sub, core.ClosedJaxpr):
                        n += count(sub.jaxpr)
                    elif isinstance(sub, core.Jaxpr):
                        n += count(sub)
        return n

    return count(jaxpr.jaxpr)
