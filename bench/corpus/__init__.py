"""The benchmark corpus: realistic plain-Python functions that autograph and malt both convert.

Each module is self-contained (it imports only the standard library) and defines `CASES`, a
dict from the name of each benchmarked function to a list of argument tuples used to check
that the converted function returns what the original returns. Functions not named in `CASES`
are helpers that the benchmarked functions call. `hot.py` holds the functions of the run-time
benchmarks; it is not part of the conversion corpus.
"""

CORPUS_MODULES = ("numeric", "branches", "search", "lists", "helpers", "simulation")
HOT_MODULE = "hot"
