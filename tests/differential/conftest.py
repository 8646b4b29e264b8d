"""Differential tests: report which modes can run in this environment."""

import importlib.util


def pytest_report_header(config):
    from .harness import IDENTITY

    try:
        import autograph

        api = [n for n in ("to_graph", "to_code", "function") if hasattr(autograph, n)]
    except ImportError as e:  # pragma: no cover
        api = [f"<autograph not importable: {e}>"]
    jax = "yes" if importlib.util.find_spec("jax") else "no (jax mode skipped)"
    mode = "IDENTITY (AUTOGRAPH_TEST_IDENTITY=1: harness check only)" if IDENTITY else "compiler"
    return [f"autograph differential: conversion={mode}; api={', '.join(api)}; jax={jax}"]
