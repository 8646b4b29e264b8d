"""Divergences found by fuzzing, reported, and not fixed yet.

Two lists, maintained together with the `xfail(strict=True)` regression tests in
`test_regressions.py` (when a bug is fixed its test passes, strict xfail fails it, and the mark
and the entries here are removed together):

- `KNOWN`: divergences recognised by their key (`oracle.Divergence.key`: mode, outcome kinds
  and the normalized error message; an entry matches the keys it starts), optionally narrowed by a regular expression that the
  program's source must match. The CI campaign (`test_fuzz_campaign.py`) counts these instead
  of failing; the long campaign (`campaign.py`) files them apart from new ones and does not
  shrink them again.
- `CI_EXCLUSIONS`: generator settings the CI campaign uses while a *wrong-value* bug is open.
  A wrong value has no message to recognise it by ("result: values" is every wrong value), so
  the CI campaign leaves out the construct instead of tolerating the key; the long campaign
  keeps everything on and reports those divergences as new every time.

The oracle itself knows nothing of either list.
"""

import re

# key -> (regression test, source pattern or None)
_INT_ANDOR = r"\b(and|or)\b"
_APPEND = r"out\.append\("
_TRUTH = ("autograph engine: the truth value of graph tensor '_' (dtype {}, shape ()) is not "
          "known until the graph runs, so it cannot be used as a Python bool (`if`, `while`, "
          "`and`/`or`/`not`, `assert`). Pytho")

KNOWN = {
    "graph: value -> TypeError | autograph engine: constants of dtype object are not supported "
    "(got ndarray)": ("test_staged_while_with_append_and_return", None),
    "graph: value -> TypeError | autograph engine: variable '_' has dtype bool in the true "
    "branch but int64 in the false branch; make both branches give it the same dtype (e.g. "
    "with .astype)": ("test_int_and_bool_operands_as_a_value", None),
    "graph: value -> TypeError | autograph engine: graph tensor '_' (dtype float64, shape "
    "(0,)) is immutable, so `t[key] = value` cannot change it; use `t = autograph.setitem(t, "
    "key, value)` (or `t = t.at[key].set(value)`), which giv": (
        "test_item_assignment_in_a_functional_continuation[graph]", None),
    "graph: value -> ValueError | autograph engine: cannot fetch tensor '_': it lives inside "
    "the ": ("test_append_after_a_staged_continue", _APPEND),
    "graph: value -> ValueError | autograph engine: tensor '_' was created inside the ": (
        "test_append_after_a_staged_continue", _APPEND),
    "jax: wrong value | result: type list != JaxList": (
        "test_jax_list_appended_in_a_staged_loop", None),
    "jax: value -> ValueError | Triggering __jax_array__() during abstractification is no "
    "longer supported. To avoid this error, either explicitly convert your object using "
    "jax.numpy.array(), or register your object as a pytree.": (
        "test_jax_lists_across_staged_loops", _APPEND),
    "jax: value -> TypeError | scan body function carry input and carry output must have the "
    "same pytree structure, but they differ:": ("test_jax_lists_across_staged_loops", _APPEND),
    "jax: value -> TypeError | while_loop body function carry input and carry output must have "
    "the same pytree structure, but they differ:": (
        "test_jax_lists_across_staged_loops", _APPEND),
    "jax: value -> AttributeError | '_' object has no attribute '_'": (
        "test_jax_lists_across_staged_loops", _APPEND),
    "jax: value -> UnexpectedTracerError | Encountered an unexpected tracer.": (
        "test_append_after_a_staged_continue[jax]", _APPEND),
    "jax: value -> TypeError | JAX arrays are immutable and do not support in-place item "
    "assignment. Instead of x[idx] = y, use x = x.at[idx].set(y) or another .at[] method: "
    "https://docs.jax.dev/en/latest/_autosummary/jax.numpy.nda": (
        "test_item_assignment_in_a_functional_continuation[jax]", None),
    "jax: wrong value | result: dtype kind int64 != bool": (
        "test_jax_int_and_or_values", _INT_ANDOR),
    "jax: value -> TypeError | neg does not accept dtype bool. Accepted dtypes are subtypes of "
    "integer, floating, complexfloating.": ("test_jax_int_and_or_values", _INT_ANDOR),
    "jax: value -> TypeError | sub does not accept dtype bool at position 0. Accepted dtypes at "
    "position 0 are subtypes of integer, floating, complexfloating.": (
        "test_jax_int_and_or_values", _INT_ANDOR),
}

# mode -> {FuzzConfig field: value}, each with the open bug it stands for
CI_EXCLUSIONS = {
    "graph": {
        # test_append_after_a_staged_loop
        "append_after_loops": False,
    },
    "jax": {
        "int_andor": False,  # test_jax_int_and_or_values
    },
}


def known_keys():
    return list(KNOWN)


def is_known(key, source=""):
    """Whether a divergence with this key, found on this program, is a reported bug."""
    for prefix, (_, pattern) in KNOWN.items():
        if key.startswith(prefix) and (pattern is None or re.search(pattern, source or "")):
            return True
    return False


def ci_config(base, mode):
    """`base` (a FuzzConfig) with the CI exclusions of `mode` applied."""
    import dataclasses

    changes = dict(CI_EXCLUSIONS.get(mode, {}))
    weights = dict(base.weights)
    for name in [k for k in changes if k in weights]:
        weights[name] = changes.pop(name)
    return dataclasses.replace(base, weights=tuple(weights.items()), **changes)
