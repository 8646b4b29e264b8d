"""The TensorFlow AutoGraph guide's table, reproduced on autograph and numpy.

`sum_even` is run three ways, 100 calls each, side by side:

- the original function, on a numpy array;
- the converted function (`autograph.to_graph(sum_even)`), on the same numpy array;
- graph mode (`autograph.function(sum_even)`): traced once, then the compiled graph.

over `[10, 12, 15, 20]`, then over 1,000 and 100,000 elements; and the first call of graph
mode (conversion, trace and compile).

    python bench/guide_bench.py                 # thread CPU time, about 30 s
    python bench/guide_bench.py --wall          # the wall clock instead
    python bench/guide_bench.py --quick         # tiny repeat counts (the smoke test)
    python bench/guide_bench.py --json out.json # the figures and the raw samples
    python bench/guide_bench.py --hotspots      # also: where graph mode's time goes, per loop
                                                # iteration (the generated loop against the
                                                # same loop by hand and the earlier lowerings)

The three ways are timed in turn within each round, in an order that rotates, so that load on
a shared machine hits them alike; each figure is the median over rounds, and each ratio the
median of the per-round ratios. The collector is off inside a sample.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import autograph


def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


SUM_EVEN_SOURCE = '''
def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s
'''

TARGET_CONVERTED = 1.3  # converted function on numpy, relative to the original
TARGET_GRAPH = 1.0  # autograph.function, relative to the original

# The guide's own figures and TensorFlow 2.21 measured on this kind of machine
# (/work/shared/notes/anchors.md), for context.
TF_CONTEXT = {
    "guide (TF 2.0 beta), 100 calls on 4 elements": "eager 0.052 s, converted 0.112 s (2.2x), "
                                                     "graph 0.034 s (0.66x)",
    "TF 2.21 here, per call on 4 elements": "eager 21.6 us, converted 28.8 us (1.33x), "
                                            "graph 6.5 us (0.30x), first call 112 ms",
    "TF 2.21 here, per call on 1,000 elements": "eager 54 ms, graph 1.4 ms",
    "TF 2.21 here, per call on 100,000 elements": "eager 4.7 s, graph 120 ms",
}


def make_inputs():
    return [
        ("4", "[10, 12, 15, 20]", np.array([10, 12, 15, 20])),
        ("1000", "1,000 elements", np.arange(1000)),
        ("100000", "100,000 elements", np.arange(100_000)),
    ]


# Timing --------------------------------------------------------------------------------------


def sample(fn, x, calls, clock):
    """Seconds per call of `fn(x)`, over `calls` calls, the collector off."""
    gc_was = gc.isenabled()
    gc.disable()
    try:
        t0 = clock()
        for _ in range(calls):
            fn(x)
        t1 = clock()
    finally:
        if gc_was:
            gc.enable()
    return (t1 - t0) / calls


def interleaved(ways, x, rounds, calls, clock):
    """{name: [seconds per call, one per round]}; the order rotates each round."""
    names = list(ways)
    samples = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            samples[n].append(sample(ways[n], x, calls, clock))
        gc.collect()
    return samples


def median_ratio(num, den):
    return statistics.median(a / b for a, b in zip(num, den))


def first_call_cold(x, repeats, clock, tmp):
    """Seconds for the first call of `autograph.function(f)(x)` where `f` is a fresh copy of
    sum_even that autograph has never seen (new file, new code object): conversion, trace,
    compile, and one run."""
    times = []
    for i in range(repeats):
        path = Path(tmp) / f"guide_sum_even_{i}.py"
        path.write_text(f"# copy {i}\n" + "\n" * i + SUM_EVEN_SOURCE)
        spec = importlib.util.spec_from_file_location(f"guide_sum_even_{i}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        t0 = clock()
        result = autograph.function(mod.sum_even)(x)
        times.append(clock() - t0)
        assert result == sum_even(x)
    return times


def first_call_trace(x, repeats, clock):
    """Seconds for the first call of a new `autograph.function(sum_even)` (conversion cached):
    trace, compile, and one run."""
    times = []
    for _ in range(repeats):
        fn = autograph.function(sum_even)
        t0 = clock()
        fn(x)
        times.append(clock() - t0)
    return times


# The hotspot study ----------------------------------------------------------------------------
# Where graph mode's time goes per loop iteration: the engine's generated code for sum_even (a
# loop over `items.tolist()` on Python ints, see runtime/engine/scalar_loops.py), against the
# same loop written by hand, the same graph on numpy scalars (`passes.SCALAR_LOOPS = False`,
# what graph mode ran before) and the plain lowering (`passes.LOWERING = False`: a numpy int64
# loop counter, `items[i]` with it, the `continue` flag as a value, one assignment per op).

_ZERO = np.int64(0)


def loop_by_hand(items):
    """What the engine now generates for sum_even, written by hand (the check of the sum's
    range stands for the rerun on numpy scalars that a failed check starts)."""
    s = 0
    for c in items.tolist():
        if not c % 2 > 0:
            s = s + c
            if not -9223372036854775808 <= s <= 9223372036854775807:
                raise OverflowError
    return _ZERO + s


def compiled_with(x, **flags):
    """sum_even's graph compiled with these engine settings (a new trace)."""
    from autograph.runtime.engine import passes

    old = {k: getattr(passes, k) for k in flags}
    for k, v in flags.items():
        setattr(passes, k, v)
    try:
        return autograph.function(sum_even).get_concrete_function(x)._compiled
    finally:
        for k, v in old.items():
            setattr(passes, k, v)


def hotspots(fn, x, rounds, clock):
    """Per-call cost of the engine's generated loop for sum_even, of the same loop by hand and
    of the earlier lowerings, with the original. Returns rows (label, seconds per call)."""
    concrete = fn.get_concrete_function(x)
    fns = {
        "original (Python over numpy)": sum_even,
        "the generated loop, written by hand": loop_by_hand,
        "generated code, as compiled": concrete._compiled,
        "numpy scalars (passes.SCALAR_LOOPS = False)": compiled_with(x, SCALAR_LOOPS=False),
        "plain lowering (passes.LOWERING = False)": compiled_with(x, LOWERING=False),
    }
    for label, f in fns.items():
        assert f(x) == sum_even(x), label
    samples = interleaved(fns, x, rounds, 1 if x.size > 10_000 else 10, clock)
    return [(label, statistics.median(s)) for label, s in samples.items()]


# Report --------------------------------------------------------------------------------------


def fmt_time(seconds):
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny repeat counts (smoke test)")
    ap.add_argument("--wall", action="store_true", help="wall clock instead of CPU time")
    ap.add_argument("--json", metavar="FILE", help="write figures and samples as JSON")
    ap.add_argument("--hotspots", action="store_true",
                    help="also time the generated loop against the same loop by hand and "
                         "the earlier lowerings")
    args = ap.parse_args(argv)
    clock = time.perf_counter if args.wall else time.thread_time
    clock_name = "wall clock" if args.wall else "thread CPU time"

    converted = autograph.to_graph(sum_even)
    graph_fn = autograph.function(sum_even)
    inputs = make_inputs()
    for _, _, x in inputs:  # correct before fast
        expected = sum_even(x)
        assert converted(x) == expected and graph_fn(x) == expected

    # rounds x calls per round; 100 calls of each way at least, per input size
    plan = {"4": (200, 100), "1000": (20, 100), "100000": (10, 10)}
    if args.quick:
        plan = {"4": (3, 100), "1000": (2, 5), "100000": (1, 1)}

    results = []
    for key, label, x in inputs:
        rounds, calls = plan[key]
        concrete = graph_fn.get_concrete_function(x)
        ways = {"original": sum_even, "converted": converted, "graph": graph_fn,
                "compiled graph alone": concrete._compiled}
        s = interleaved(ways, x, rounds, calls, clock)
        med = {n: statistics.median(v) for n, v in s.items()}
        results.append({
            "key": key, "input": label, "rounds": rounds, "calls_per_round": calls,
            "per_call": med,
            "per_100_calls": {n: v * 100 for n, v in med.items()},
            "ratio_converted": median_ratio(s["converted"], s["original"]),
            "ratio_graph": median_ratio(s["graph"], s["original"]),
            "ratio_compiled": median_ratio(s["compiled graph alone"], s["original"]),
            "function_overhead": statistics.median(
                g - c for g, c in zip(s["graph"], s["compiled graph alone"])),
            "samples": s,
        })

    with tempfile.TemporaryDirectory() as tmp:
        cold = first_call_cold(inputs[0][2], 1 if args.quick else 5, clock, tmp)
    first = {}
    for key, _, x in inputs:
        first[key] = first_call_trace(x, 1 if args.quick else 5, clock)

    # The table ---------------------------------------------------------------------------
    print(f"sum_even three ways, {clock_name}; Python {platform.python_version()}, numpy "
          f"{np.__version__}, {platform.machine()}")
    print()
    head = (f"| input | calls | original | converted | ratio (target <= {TARGET_CONVERTED}) "
            f"| graph mode | ratio (target <= {TARGET_GRAPH}) | met |")
    print(head)
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    for r in results:
        t = r["per_100_calls"]
        met = r["ratio_converted"] <= TARGET_CONVERTED and r["ratio_graph"] <= TARGET_GRAPH
        print(f"| {r['input']} | 100 | {fmt_time(t['original'])} | {fmt_time(t['converted'])} "
              f"| {r['ratio_converted']:.2f}x | {fmt_time(t['graph'])} "
              f"| {r['ratio_graph']:.2f}x | {'yes' if met else 'no'} |")
    print()
    print("| input | per call: original | converted | graph mode | compiled graph alone | "
          "autograph.function's own cost per call |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        p = r["per_call"]
        print(f"| {r['input']} | {fmt_time(p['original'])} | {fmt_time(p['converted'])} | "
              f"{fmt_time(p['graph'])} | {fmt_time(p['compiled graph alone'])} "
              f"({r['ratio_compiled']:.2f}x) | {fmt_time(r['function_overhead'])} |")
    print()
    print("| first call of graph mode | median |")
    print("|---|---:|")
    print(f"| never-seen function on [10, 12, 15, 20]: convert + trace + compile + run "
          f"| {fmt_time(statistics.median(cold))} |")
    for key, label, _ in inputs:
        print(f"| new autograph.function on {label}: trace + compile + run "
              f"| {fmt_time(statistics.median(first[key]))} |")
    print()
    print("For context (not measured here):")
    for k, v in TF_CONTEXT.items():
        print(f"  {k}: {v}")

    hot_rows = None
    if args.hotspots:
        print()
        print("Where graph mode's time goes: the engine's generated loop vs the same loop by hand "
              "and the earlier lowerings, per call")
        print()
        print("| input | code | per call | per loop iteration |")
        print("|---|---|---:|---:|")
        hot_rows = []
        for _, label, x in inputs[:2]:
            rows = hotspots(graph_fn, x, 3 if args.quick else 30, clock)
            for name, t in rows:
                print(f"| {label} | {name} | {fmt_time(t)} | {fmt_time(t / x.size)} |")
                hot_rows.append({"input": label, "code": name, "per_call": t})
        print()
        print("The generated source (sum_even on [10, 12, 15, 20]):")
        print(graph_fn.get_concrete_function(inputs[0][2]).source)

    if args.json:
        data = {
            "meta": {"clock": clock_name, "python": platform.python_version(),
                     "numpy": np.__version__, "quick": args.quick},
            "rows": [{k: v for k, v in r.items()} for r in results],
            "first_call": {"cold": cold, **first},
            "targets": {"converted": TARGET_CONVERTED, "graph": TARGET_GRAPH},
            "hotspots": hot_rows,
        }
        Path(args.json).write_text(json.dumps(data, indent=1))
    return results


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
