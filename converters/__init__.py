"""Converters: one source-to-source pass per module."""
