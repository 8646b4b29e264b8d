"""Conversion from 8 threads at once: no corrupted cache, no duplicate conversion."""

import threading

import numpy as np

import autograph
from autograph import conversion

N_THREADS = 8

SOURCE = """
def f{k}(x, n):
    s = 0
    for i in range(n):
        if i % 2 == x % 2:
            s += i * {k}
        elif i > x:
            break
    while s > 100:
        s //= 2
    return s
"""


def _run_threads(target):
    barrier = threading.Barrier(N_THREADS)
    results = [None] * N_THREADS
    errors = []

    def run(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def _counting(monkeypatch):
    calls = []
    lock = threading.Lock()
    real = conversion._convert_code

    def counted(f, options):
        with lock:
            calls.append(f.__name__)
        return real(f, options)

    monkeypatch.setattr(conversion, "_convert_code", counted)
    return calls


def test_eight_threads_convert_one_function_once(module, monkeypatch):
    mod = module(SOURCE.format(k=3))
    calls = _counting(monkeypatch)
    results = _run_threads(lambda i: autograph.to_graph(mod.f3)(i, 12))
    assert results == [mod.f3(i, 12) for i in range(N_THREADS)]
    assert calls == ["f3"], calls  # the per-code lock: one conversion, no duplicate
    keys = [k for k in conversion._code_cache if k[0] == id(mod.f3.__code__)]
    assert len(keys) == 1
    # the cache still answers, without converting again
    assert autograph.to_graph(mod.f3)(1, 5) == mod.f3(1, 5) and calls == ["f3"]


def test_eight_threads_convert_eight_functions(module, monkeypatch):
    mod = module("".join(SOURCE.format(k=k) for k in range(N_THREADS)))
    calls = _counting(monkeypatch)
    fns = [getattr(mod, f"f{k}") for k in range(N_THREADS)]
    results = _run_threads(lambda i: [autograph.to_graph(fns[(i + j) % N_THREADS])(j, 9)
                                      for j in range(N_THREADS)])
    for i, res in enumerate(results):
        assert res == [fns[(i + j) % N_THREADS](j, 9) for j in range(N_THREADS)]
    assert sorted(calls) == sorted(f"f{k}" for k in range(N_THREADS)), calls
    for fn in fns:  # each function's cache entry is its own conversion
        assert autograph.to_code(fn).startswith(f"def {fn.__name__}(")


def test_eight_threads_call_a_converted_function_that_calls_others(module, monkeypatch):
    """Lazy conversion of callees races too: `helper` is converted once."""
    mod = module("""
        def helper(v):
            if v > 3:
                return v - 3
            return v + 1

        def f(n):
            total = 0
            for i in range(n):
                total += helper(i)
            return total
    """)
    conv = autograph.to_graph(mod.f)
    calls = _counting(monkeypatch)
    results = _run_threads(lambda i: conv(20 + i))
    assert results == [mod.f(20 + i) for i in range(N_THREADS)]
    assert calls == ["helper"], calls


def test_eight_threads_trace_one_graph_function_once(module):
    mod = module(SOURCE.format(k=2))
    fn = autograph.function(mod.f2)
    results = _run_threads(lambda i: fn(np.int64(i), np.int64(10)))
    assert [int(r) for r in results] == [mod.f2(i, 10) for i in range(N_THREADS)]
    assert fn.tracing_count == 1
