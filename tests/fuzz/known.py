"""Divergences found by fuzzing, reported, and not fixed yet.

Each entry maps a divergence key (`oracle.Divergence.key`) to the regression test that
reproduces it (in `test_regressions.py`, marked `xfail(strict=True)`: when the bug is fixed the
test passes, xfail-strict fails it, and the entry and the mark are removed together). The CI
campaign (`test_fuzz_campaign.py`) and the long campaign count these keys apart from new ones;
the oracle itself knows nothing of them.
"""

KNOWN: dict = {}


def known_keys():
    return list(KNOWN)


def is_known(key):
    return key in KNOWN
