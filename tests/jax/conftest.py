"""The JAX backend tests: every module skips without jax."""

import pytest

pytest.importorskip("jax")
