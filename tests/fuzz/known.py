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
_TRUTH = ("autograph engine: the truth value of graph tensor '_' (dtype {}, shape ()) is not "
          "known until the graph runs, so it cannot be used as a Python bool (`if`, `while`, "
          "`and`/`or`/`not`, `assert`). Pytho")

KNOWN = {
    "jax: wrong value | result: type list != JaxList": (
        "test_jax_list_appended_in_a_staged_loop", None),
}

# mode -> {FuzzConfig field: value}, each with the open bug it stands for
CI_EXCLUSIONS: dict = {}


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
