#!/usr/bin/env python
"""Benchmarks of the embedded graph engine's executor, each measured side by side in one run.

    python bench/engine_bench.py [--quick]

1. Executor overhead per op: a 60-op graph on small arrays (8 float64 elements), run through
   its compiled callable, against the same numpy calls written as straight-line Python.
2. Fixed overhead per call: a graph that adds 1 to a 0-d input, through ``graph.run(y, feed)``
   and through ``graph.compile(y, [x])``, against calling a Python function that does ``x + 1``.
3. A ``while_loop`` of 1,000 iterations on scalars against the same loop in plain Python over
   numpy scalars.

Prints a table (median of interleaved rounds, microseconds). Samples are the benchmarking
thread's CPU time (``time.thread_time``), which load from other processes on a shared machine
barely moves; ``--wall`` uses the wall clock instead. No assertions: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

import autograph.runtime.engine as ag

CLOCK = time.thread_time


def timeit(fns, number, repeat):
    """Time of one call of each function (seconds): (median, best) over ``repeat`` rounds.
    The functions are timed in turn within each round, so that load from other processes on
    the machine hits them alike."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            t0 = CLOCK()
            for _ in range(number):
                fn()
            times[k].append((CLOCK() - t0) / number)
    return [(statistics.median(t), min(t)) for t in times]


# -- 1. per-op overhead ------------------------------------------------------------------------
N_BLOCKS = 10  # six numpy calls per block


def numpy_chain(x, w):
    for _ in range(N_BLOCKS):
        a = x * w
        b = np.sin(a)
        c = np.maximum(b, 0.1)
        d = c + x
        e = np.sqrt(np.abs(d))
        x = e / 1.5
    return x


def numpy_chain_straight(x, w):
    # what a person would write out by hand: the same 60 calls, unrolled
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    a = x * w; b = np.sin(a); c = np.maximum(b, 0.1); d = c + x; e0 = np.abs(d); e = np.sqrt(e0); x = e / 1.5  # noqa: E501,E702
    return x


def bench_per_op(number, repeat):
    g = ag.Graph("chain")
    with g.as_default():
        x = ag.placeholder(np.float64, (8,), name="x")
        w = ag.placeholder(np.float64, (8,), name="w")
        y = numpy_chain(x, w)
    n_ops = len(g.get_operations()) - 2
    fn = g.compile(y, [x, w])
    xv = np.linspace(0.1, 0.9, 8)
    wv = np.linspace(1.0, 2.0, 8)
    np.testing.assert_allclose(fn(xv, wv), numpy_chain_straight(xv, wv))
    t_graph, t_np = timeit([lambda: fn(xv, wv), lambda: numpy_chain_straight(xv, wv)], number,
                           repeat)
    return n_ops, t_graph, t_np


# -- 2. fixed overhead -------------------------------------------------------------------------
def bench_fixed(number, repeat):
    g = ag.Graph("tiny")
    with g.as_default():
        x = ag.placeholder(np.float64, (), name="x")
        y = x + 1.0
    fn = g.compile(y, [x])
    xv = np.float64(2.0)
    feed = {x: xv}

    def direct(v):
        return v + 1.0

    assert fn(xv) == direct(xv) == g.run(y, feed)
    return timeit([lambda: direct(xv), lambda: fn(xv), lambda: g.run(y, feed),
                   lambda: g.run(y, {x: 2.0})], number, repeat)


# -- 3. while loop ------------------------------------------------------------------------------
def py_loop(n):
    i = np.int64(0)
    s = np.float64(0.0)
    while i < n:
        s = s + i * 0.5
        i = i + 1
    return i, s


def bench_loop(number, repeat):
    g = ag.Graph("loop")
    with g.as_default():
        n = ag.placeholder(np.int64, (), name="n")
        out = ag.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i * 0.5),
                            (np.int64(0), np.float64(0.0)))
    fn = g.compile(out, [n])
    nv = np.int64(1000)
    assert fn(nv) == py_loop(nv)
    return timeit([lambda: fn(nv), lambda: py_loop(nv)], number, repeat)


def bench_build(repeat):
    """One-off costs: tracing the 70-op chain into a graph, then compiling it."""
    builds, compiles = [], []
    for _ in range(repeat):
        t0 = CLOCK()
        g = ag.Graph("chain")
        with g.as_default():
            x = ag.placeholder(np.float64, (8,), name="x")
            w = ag.placeholder(np.float64, (8,), name="w")
            y = numpy_chain(x, w)
        t1 = CLOCK()
        g.compile(y, [x, w])
        t2 = CLOCK()
        builds.append(t1 - t0)
        compiles.append(t2 - t1)
    return statistics.median(builds), statistics.median(compiles)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--wall", action="store_true", help="time with the wall clock")
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = time.perf_counter if args.wall else time.thread_time
    scale = 0.2 if args.quick else 1.0
    rep = 5 if args.quick else 21

    us = 1e6
    n_ops, (g_med, g_min), (np_med, np_min) = bench_per_op(int(1000 * scale), rep)
    d, c, r, rp = bench_fixed(int(50_000 * scale), rep)
    (l_med, l_min), (p_med, p_min) = bench_loop(int(60 * scale), rep)
    t_build, t_compile = bench_build(rep)

    clock = "wall clock" if args.wall else "thread CPU time"
    print(f"autograph engine benchmarks (python {sys.version.split()[0]}, numpy "
          f"{np.__version__}); median of {rep} interleaved rounds, {clock}, microseconds")
    print()
    print(f"{'benchmark':58} {'engine':>10} {'baseline':>10} {'ratio':>7} {'target':>8}")
    print("-" * 97)
    print(f"{f'1. {n_ops}-op graph, arrays of 8 (per call)':58} {g_med * us:10.2f} "
          f"{np_med * us:10.2f} {g_med / np_med:7.2f} {'<= 1.2x':>8}")
    print(f"{'   per op':58} {g_med * us / n_ops:10.3f} {np_med * us / n_ops:10.3f}")
    print(f"{'2. compiled call, x + 1 on a 0-d input':58} {c[0] * us:10.3f} {d[0] * us:10.3f} "
          f"{c[0] / d[0]:7.2f}")
    print(f"{'   fixed overhead of the compiled callable (difference)':58} "
          f"{(c[0] - d[0]) * us:10.3f} {'':10} {'':7} {'<= 3 us':>8}")
    print(f"{'   graph.run(y, {x: np.float64}) (dict feed)':58} {r[0] * us:10.3f} "
          f"{d[0] * us:10.3f} {r[0] / d[0]:7.2f}")
    print(f"{'   fixed overhead of graph.run (difference)':58} {(r[0] - d[0]) * us:10.3f} "
          f"{'':10} {'':7} {'<= 3 us':>8}")
    print(f"{'   graph.run(y, {x: 2.0}) (Python float, converted)':58} "
          f"{rp[0] * us:10.3f} {d[0] * us:10.3f} {rp[0] / d[0]:7.2f}")
    print(f"{'3. while_loop, 1,000 iterations on scalars':58} {l_med * us:10.1f} "
          f"{p_med * us:10.1f} {l_med / p_med:7.2f} {'<= 1.5x':>8}")
    print(f"{'4. one-off: trace the 70-op graph (shape inference)':58} {t_build * us:10.0f}")
    print(f"{'   one-off: compile it (passes + code generation)':58} {t_compile * us:10.0f}")
    print()
    print("baselines: 1. the same numpy calls as straight-line Python; 2. a Python function "
          "computing x + 1;\n3. the same while loop in plain Python over numpy scalars.")


if __name__ == "__main__":
    main()
