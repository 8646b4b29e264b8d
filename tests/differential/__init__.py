"""Differential tests: every corpus function gives the same results converted and unconverted."""
