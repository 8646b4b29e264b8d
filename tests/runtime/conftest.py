"""Fixtures for the runtime tests: a registered toy backend, the StagingError class."""

from __future__ import annotations

import os
import sys

import pytest

if os.path.dirname(__file__) not in sys.path:  # toy_backend, whatever the import mode
    sys.path.insert(0, os.path.dirname(__file__))
from toy_backend import ToyBackend  # noqa: E402

from autograph.runtime import registry  # noqa: E402


@pytest.fixture
def toy():
    backend = registry.register(ToyBackend())
    try:
        yield backend
    finally:
        registry.unregister(backend)


@pytest.fixture
def StagingError():  # noqa: N802 - it is a class
    return registry.staging_error_class()
