"""JAX backend benchmark: a loop of n iterations under jax.jit, three ways.

(a) the Python loop unrolled under jit (the original function: `range(n)` is static, so JAX
    unrolls it into n copies of the body);
(b) the converted function, `jax.jit(autograph.to_graph(f))` (the loop is staged as
    `lax.fori_loop`);
(c) the same function hand-written with `lax.fori_loop`.

For each n it measures the compile time (trace + lower + XLA compile, caches cleared first,
best of --repeat) and the run time (median of --calls calls of the compiled function), and the
number of jaxpr equations (nested bodies included). (b) and (c) are measured in turns, so that
load from other processes affects both alike. The trace columns time the Python side alone
(tracing to a jaxpr, best of 4 x --repeat), where the converted function's own overhead lives;
"same HLO" says whether (b) and (c) lower to identical StableHLO. A second table does the same for a loop
with a data-dependent `if` in its body ((b) vs (c) = `lax.cond` in `fori_loop`; the original
cannot run under jit at all).

Runs unchanged on CPU or GPU (whatever jax picks as its default backend):

    python bench/jax_bench.py                      # n = 10, 100, 1000, 10000
    python bench/jax_bench.py --sizes 10 100 --repeat 3 --calls 50
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time

import jax
import jax.numpy as jnp
from jax import lax

import autograph

# ---------------------------------------------------------------------------------------------
# The functions
# ---------------------------------------------------------------------------------------------


def damped_sum(x):
    """The user's function: a Python loop over a static range."""
    s = 0.0
    for i in range(x.shape[0]):
        s = s * 0.99 + jnp.sin(x[i])
    return s


def damped_sum_lax(x):
    """(c): the same, hand-written with lax."""
    return lax.fori_loop(0, x.shape[0], lambda i, s: s * 0.99 + jnp.sin(x[i]), 0.0)


def clipped_sum(x):
    """A data-dependent if in the loop body (cannot run under jit unconverted)."""
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0:
            s = s + x[i]
        else:
            s = s * 0.5
    return s


def clipped_sum_lax(x):
    def body(i, s):
        return lax.cond(x[i] > 0, lambda: s + x[i], lambda: s * 0.5)

    return lax.fori_loop(0, x.shape[0], body, 0.0)


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def eqn_count(closed_jaxpr) -> int:
    """Equations in a jaxpr, nested jaxprs (loop bodies, branches) included."""
    from jax.extend import core

    def count(j):
        n = 0
        for e in j.eqns:
            n += 1
            for p in e.params.values():
                for sub in (p if isinstance(p, (tuple, list)) else (p,)):
                    if isinstance(sub, core.ClosedJaxpr):
                        n += count(sub.jaxpr)
                    elif isinstance(sub, core.Jaxpr):
                        n += count(sub)
        return n

    return count(closed_jaxpr.jaxpr)


def compile_times(fns, x, repeat: int) -> tuple[list, list]:
    """Best-of-`repeat` seconds to trace, lower and compile `jax.jit(fn)` for `x`, for each of
    `fns`, measured in turns (so that a noisy neighbour slows all of them alike)."""
    best = [float("inf")] * len(fns)
    compiled = [None] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            jax.clear_caches()
            t0 = time.perf_counter()
            compiled[k] = jax.jit(fn).lower(x).compile()
            best[k] = min(best[k], time.perf_counter() - t0)
    return best, compiled


def run_times(compiled, x, calls: int) -> list:
    """Median seconds per call of each compiled function, calls taken in turns."""
    for c in compiled:
        jax.block_until_ready(c(x))  # warm up
    times = [[] for _ in compiled]
    for _ in range(calls):
        for k, c in enumerate(compiled):
            t0 = time.perf_counter()
            jax.block_until_ready(c(x))
            times[k].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def measure(fns, x, repeat, calls):
    cts, compiled = compile_times(fns, x, repeat)
    rts = run_times(compiled, x, calls)
    return [{"compile": ct, "run": rt, "eqns": eqn_count(jax.make_jaxpr(fn)(x)),
             "out": float(c(x))} for fn, c, ct, rt in zip(fns, compiled, cts, rts)]


def trace_times(fns, x, repeat: int) -> list:
    """Best-of-`repeat` seconds to trace each of `fns` to a jaxpr under jit (in turns)."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            jax.clear_caches()
            t0 = time.perf_counter()
            jax.jit(fn).trace(x)
            best[k] = min(best[k], time.perf_counter() - t0)
    return best


def same_hlo(f, g, x) -> bool:
    """Whether f and g lower to the same StableHLO (module names aside)."""
    def text(fn):
        return re.sub(r"@jit_\w+", "@jit", jax.jit(fn).lower(x).as_text())
    return text(f) == text(g)


def fmt_t(t: float | None) -> str:
    if t is None:
        return "—"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} µs"


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=9, help="compilations per measure (best of)")
    ap.add_argument("--calls", type=int, default=200, help="calls per run-time measure (median)")
    ap.add_argument("--unroll-limit", type=float, default=60.0,
                    help="stop the unrolled variant once one compile takes longer (s)")
    args = ap.parse_args(argv)

    dev = jax.devices()[0]
    print(f"jax {jax.__version__}, device: {dev.platform} ({dev.device_kind}), "
          f"python {sys.version.split()[0]}")
    t0 = time.perf_counter()
    converted = autograph.to_graph(damped_sum)
    converted_if = autograph.to_graph(clipped_sum)
    print(f"autograph.to_graph (once per function, cached): "
          f"{fmt_t(time.perf_counter() - t0)} for both functions")
    # Warm up: the first trace of a converted function also generates the functional form of
    # each staged statement (once per function, cached), and jax fills its own caches.
    x0 = jnp.ones(4, jnp.float32)
    for fn in (damped_sum, converted, damped_sum_lax, converted_if, clipped_sum_lax):
        jax.jit(fn).lower(x0).compile()
    print()

    print("### Loop with a branch-free body: `s = s * 0.99 + jnp.sin(x[i])`")
    print()
    print("| n | compile (a) unrolled | compile (b) converted | compile (c) lax | b/c | "
          "run (a) | run (b) | run (c) | b/c | eqns (a) | eqns (b) | eqns (c) | "
          "trace (b) | trace (c) | same HLO (b, c) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    unroll_ok = True
    for n in args.sizes:
        x = jnp.linspace(-1.0, 1.0, n, dtype=jnp.float32)
        a = None
        if unroll_ok:
            reps = args.repeat if n <= 1000 else 1
            (a,) = measure([damped_sum], x, reps, max(args.calls // 10, 5) if n > 1000
                           else args.calls)
            if a["compile"] > args.unroll_limit:
                unroll_ok = False
        b, c = measure([converted, damped_sum_lax], x, args.repeat, args.calls)
        assert abs(b["out"] - c["out"]) <= 1e-3 * max(1.0, abs(c["out"])), (b, c)
        tb, tc = trace_times([converted, damped_sum_lax], x, 4 * args.repeat)
        print(f"| {n} | {fmt_t(a and a['compile'])} | {fmt_t(b['compile'])} | "
              f"{fmt_t(c['compile'])} | {b['compile'] / c['compile']:.2f} | "
              f"{fmt_t(a and a['run'])} | {fmt_t(b['run'])} | {fmt_t(c['run'])} | "
              f"{b['run'] / c['run']:.2f} | {a['eqns'] if a else '—'} | {b['eqns']} | "
              f"{c['eqns']} | {fmt_t(tb)} | {fmt_t(tc)} | "
              f"{'yes' if same_hlo(converted, damped_sum_lax, x) else 'no'} |", flush=True)
    print()
    print("### Loop with a data-dependent if: `if x[i] > 0: s = s + x[i] else: s = s * 0.5`")
    print()
    print("| n | compile (b) converted | compile (c) lax | b/c | run (b) | run (c) | b/c | "
          "eqns (b) | eqns (c) | trace (b) | trace (c) | same HLO (b, c) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        x = jnp.linspace(-1.0, 1.0, n, dtype=jnp.float32)
        b, c = measure([converted_if, clipped_sum_lax], x, args.repeat, args.calls)
        assert abs(b["out"] - c["out"]) <= 1e-3 * max(1.0, abs(c["out"])), (b, c)
        tb, tc = trace_times([converted_if, clipped_sum_lax], x, 4 * args.repeat)
        print(f"| {n} | {fmt_t(b['compile'])} | {fmt_t(c['compile'])} | "
              f"{b['compile'] / c['compile']:.2f} | {fmt_t(b['run'])} | {fmt_t(c['run'])} | "
              f"{b['run'] / c['run']:.2f} | {b['eqns']} | {c['eqns']} | {fmt_t(tb)} | "
              f"{fmt_t(tc)} | {'yes' if same_hlo(converted_if, clipped_sum_lax, x) else 'no'} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
