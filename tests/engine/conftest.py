"""Fixtures for the engine tests."""

from __future__ import annotations

import pytest

import autograph.runtime.engine as ag


@pytest.fixture
def graph():
    """A fresh graph, entered as the default one for the test."""
    g = ag.Graph()
    with g.as_default():
        yield g
