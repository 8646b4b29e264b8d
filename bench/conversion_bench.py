#!/usr/bin/env python
"""Benchmarks the autograph compiler side by side with diastatic-malt.

    python bench/conversion_bench.py                # full run, about 1-2 minutes
    python bench/conversion_bench.py --quick        # tiny repeat counts (smoke test)
    python bench/conversion_bench.py --json out.json
    python bench/conversion_bench.py --profile      # cProfile of our cold conversions

Prints one table; each row gives our figure, malt's figure, their ratio (malt / ours) and the
target. Every figure is measured in this run, with the systems interleaved (the machines are
shared and noisy). Rows:

1. cold conversion (`to_graph`) per function: median over the corpus, and the largest function.
   Each repetition converts a fresh copy of the corpus: a new module file in a temporary
   folder, its lines shifted and its `def` lines salted with a comment, so that neither
   system's cache (malt: code-object equality; ours: code-object identity) can hit.
2. cache hit: `to_graph` of a function that was already converted.
3. converted code called with plain Python values, relative to the original.
4. a loop that calls a small user function from converted code, relative to the original.
5. `to_code` output tokens per input token (`tokenize`), averaged over the corpus.

The script installs nothing. Without malt (`pip install diastatic-malt`, or the `[bench]` extra)
its columns read "n/a" with a note.
"""

from __future__ import annotations

import argparse
import copy
import gc
import importlib.util  # malt's impl/api.py uses importlib.util after only `import importlib`
import inspect
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import tokenize
import traceback
import warnings
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CORPUS_DIR = BENCH_DIR / "corpus"

OURS, MALT = "ours", "malt"

# The clock of every timed sample. The machines are shared: wall time also counts the time
# slices other processes take from us (a 27 µs loop reads anywhere from 27 to 150 µs under
# load), while this thread's CPU time stays put. --wall switches to time.perf_counter.
clock = time.thread_time


# ---------------------------------------------------------------------------------------------
# The systems under test

class System:
    def __init__(self, name, to_graph, to_code, version, is_converted):
        self.name = name
        self.to_graph = to_graph
        self.to_code = to_code
        self.version = version
        self._is_converted = is_converted

    def convert(self, f):
        """to_graph(f), raising if the result is not a converted function."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # our non-strict fallback warns, then runs as is
            g = self.to_graph(f)
        if g is f or not self._is_converted(g):
            raise RuntimeError(f"{self.name}: to_graph returned {g!r} unconverted")
        return g


def load_systems(notes):
    systems = {}
    try:
        import autograph
        rev = _git_rev()
        systems[OURS] = System(
            "autograph", autograph.to_graph, autograph.to_code,
            f"{autograph.__version__} ({rev})",
            lambda g: getattr(g, "__ag_source__", None) is not None or hasattr(g, "__wrapped__"))
    except Exception as e:  # the compiler under test is broken: say so, measure malt anyway
        notes.append(f"autograph failed to import ({type(e).__name__}: {e}); 'ours' column "
                     "is n/a")
    try:
        import malt
        from malt import _version as malt_version
        systems[MALT] = System(
            "malt", malt.to_graph, malt.to_code, malt_version.__version__,
            lambda g: hasattr(g, "ag_module") or hasattr(g, "autograph_info__"))
    except ImportError:
        notes.append("malt is not installed: its columns are n/a. Install it with "
                     "`pip install diastatic-malt` (or `pip install -e '.[bench]'`).")
    return systems


def _git_rev():
    try:
        out = subprocess.run(["git", "-C", str(BENCH_DIR), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "-C", str(BENCH_DIR), "status", "--porcelain"],
                               capture_output=True, text=True, timeout=5)
        return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except Exception:
        return "unknown"


# ---------------------------------------------------------------------------------------------
# Loading the corpus, and fresh copies of it

_loaded_names = []


def load_module(path, name):
    """Imports the file at `path` as module `name` (registered, so inspect finds it fast)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    _loaded_names.append(name)
    spec.loader.exec_module(mod)
    return mod


def _corpus_index():
    spec = importlib.util.spec_from_file_location("ag_bench_corpus", CORPUS_DIR / "__init__.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.CORPUS_MODULES, mod.HOT_MODULE


CORPUS_MODULES, HOT_MODULE = _corpus_index()


_DEF_LINE = re.compile(r"^(def [^\n]*?)$", re.M)


def fresh_copy(module_name, tag, shift, folder):
    """A copy of corpus module `module_name` whose functions no converter has seen.

    Its lines are shifted down by `shift` blank lines (new co_firstlineno: code objects no
    longer compare equal), its top-level `def` lines end in a comment naming `tag` (new source
    text), and it lives in its own file under a new module name (new code objects, new
    globals). Nothing about the functions' behaviour changes.
    """
    text = (CORPUS_DIR / f"{module_name}.py").read_text()
    text = "\n" * shift + _DEF_LINE.sub(lambda m: f"{m.group(1)}  # {tag}", text)
    path = Path(folder) / f"{module_name}_{tag}.py"
    path.write_text(text)
    return load_module(path, f"ag_bench_copy_{module_name}_{tag}")


def corpus_functions():
    """[(module_name, function_name, original function, cases)] in corpus order."""
    out = []
    for m in CORPUS_MODULES:
        mod = load_module(CORPUS_DIR / f"{m}.py", f"ag_bench_corpus_{m}")
        for name, cases in mod.CASES.items():
            out.append((m, name, getattr(mod, name), cases))
    return out


def source_lines(f):
    return len(inspect.getsource(f).splitlines())


# ---------------------------------------------------------------------------------------------
# Timing helpers

def _timed(fn, number):
    """Seconds per call of fn() over `number` calls, with the collector off (as timeit)."""
    gc_was = gc.isenabled()
    gc.disable()
    try:
        t0 = clock()
        for _ in range(number):
            fn()
        return (clock() - t0) / number
    finally:
        if gc_was:
            gc.enable()


def _calibrate(fn, target_s):
    """How many calls of fn() take about target_s."""
    number = 1
    while True:
        t = _timed(fn, number) * number
        if t >= target_s / 5 or number >= 1 << 22:
            return max(1, int(number * target_s / max(t, 1e-9)))
        number *= 4


def interleaved(fns, rounds, sample_s):
    """Per-call seconds of each fn in `fns` (name -> zero-argument callable), measured in
    `rounds` rounds; within a round each fn runs one sample of about sample_s, in an order that
    rotates from round to round. Returns name -> list of per-call times, one per round."""
    numbers = {k: _calibrate(fn, sample_s) for k, fn in fns.items()}
    names = list(fns)
    times = {k: [] for k in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        if r % 2:
            order.reverse()
        for k in order:
            times[k].append(_timed(fns[k], numbers[k]))
    return times


def median(xs):
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------------------------------------
# The measurements

def validate(systems, funcs, notes):
    """Converts every corpus function with every system and checks it against the original.
    Returns the names both convert correctly, and name -> system -> converted function."""
    good = []
    converted = {}
    failures = {k: [] for k in systems}
    for m, name, f, cases in funcs:
        converted[name] = {}
        ok = True
        for key, s in systems.items():
            try:
                g = s.convert(f)
                for args in cases:
                    want = _outcome(f, args)
                    got = _outcome(g, args)
                    if got != want:
                        raise AssertionError(f"{name}{args!r}: got {got!r}, want {want!r}")
                converted[name][key] = g
            except Exception as e:
                ok = False
                failures[key].append(f"{s.name} fails on corpus function {m}.{name}: "
                                     f"{type(e).__name__}: {_first_line(e)}")
        if ok:
            good.append(name)
    for key, failed in failures.items():
        if len(failed) == len(funcs):  # broken as a whole: measure the others anyway
            notes.append(f"{systems[key].name} converts no corpus function, so its column is "
                         f"n/a; the first failure: {failed[0]}")
            del systems[key]
        else:
            notes.extend(failed)
    if len(good) < len(funcs) and len(systems) < len(failures):
        good = [name for _, name, _, _ in funcs if set(converted[name]) >= set(systems)]
    return good, converted


def _outcome(f, args):
    try:
        return ("ok", f(*copy.deepcopy(args)))
    except Exception as e:
        return ("raised", type(e).__name__)


def _first_line(e):
    text = str(e).strip().splitlines()
    return text[0][:200] if text else ""


def cold_conversion(systems, funcs, good, reps, notes):
    """name -> system -> list of seconds, one per repetition, each on a fresh copy."""
    by_name = {name: m for m, name, _, _ in funcs}
    names = [n for _, n, _, _ in funcs if n in good]
    modules = sorted({by_name[n] for n in names})
    times = {n: {k: [] for k in systems} for n in names}
    seen_code = {k: {} for k in systems}
    with tempfile.TemporaryDirectory(prefix="ag_bench_") as folder:
        _warm_up(systems, folder, notes)
        # All copies are imported before any timing starts: only to_graph is timed.
        copies = {(k, r): {m: fresh_copy(m, f"{k}_r{r}", 1 + r * 3 + i, folder)
                           for m in modules}
                  for r in range(reps) for i, k in enumerate(systems)}
        keys = list(systems)
        for r in range(reps):
            gc.collect()
            for j, n in enumerate(names):
                order = keys if (r + j) % 2 == 0 else keys[::-1]
                for k in order:
                    f = getattr(copies[(k, r)][by_name[n]], n)
                    t, g = _time_one_conversion(systems[k], f)
                    times[n][k].append(t)
                    code = inspect.unwrap(g).__code__
                    if any(c is code for c in seen_code[k].get(n, ())):
                        notes.append(f"{systems[k].name}: cold conversion of {n} returned "
                                     "code seen before (a cache hit?)")
                    seen_code[k].setdefault(n, []).append(code)
    return times


def _time_one_conversion(system, f):
    gc.disable()
    try:
        t0 = clock()
        g = system.to_graph(f)
        t = clock() - t0
    finally:
        gc.enable()
    if g is f:
        raise RuntimeError(f"{system.name} returned {f.__name__} unconverted")
    return t, g


def _warm_up(systems, folder, notes=None):
    """First conversions pay one-off costs (lazy imports, template parsing): not cold costs.
    (validate() has converted the corpus already; this adds a function from a fresh file.)"""
    path = Path(folder) / "warm_up.py"
    path.write_text(textwrap.dedent("""
        def warm(x, n):
            total = 0
            for i in range(n):
                if i % 2 == 0 and x > 0:
                    total += helper(i)
                else:
                    continue
            while total > 100 or x < 0:
                total -= 1
                if total < 0:
                    return -1
            return [total, x]

        def helper(i):
            return i + 1
    """))
    mod = load_module(path, "ag_bench_warm_up")
    for s in systems.values():
        try:
            g = s.convert(mod.warm)
            g(1, 10)
            g(-1, 300)
        except Exception as e:
            if notes is not None:
                notes.append(f"{s.name} fails on the warm-up function: {type(e).__name__}: "
                             f"{_first_line(e)}")


def cache_hit(systems, funcs, good, rounds, sample_s):
    """Seconds per to_graph call on an already-converted function (all corpus functions,
    round robin)."""
    fs = [f for _, n, f, _ in funcs if n in good]
    for s in systems.values():
        for f in fs:
            s.to_graph(f)

    def make(to_graph):
        def run():
            for f in fs:
                to_graph(f)
        return run

    times = interleaved({k: make(s.to_graph) for k, s in systems.items()}, rounds, sample_s)
    return {k: [t / len(fs) for t in ts] for k, ts in times.items()}


def run_time(systems, rounds, sample_s, notes):
    """name -> {"label", "orig": [s], system: [s], system + "_ratio": [paired ratios]}."""
    hot = load_module(CORPUS_DIR / f"{HOT_MODULE}.py", "ag_bench_hot")
    results = {}
    for name, (label, args) in hot.BENCHES.items():
        f = getattr(hot, name)
        want = f(*args)
        fns = {"orig": lambda f=f, args=args: f(*args)}
        for k, s in systems.items():
            try:
                g = s.convert(f)
                got = g(*args)  # also converts called helpers (lazily, once)
                if got != want:
                    raise AssertionError(f"got {got!r}, want {want!r}")
            except Exception as e:
                notes.append(f"{s.name} fails on run-time benchmark {name}: "
                             f"{type(e).__name__}: {_first_line(e)}")
                continue
            fns[k] = lambda g=g, args=args: g(*args)
        times = interleaved(fns, rounds, sample_s)
        res = {"label": label, **times}
        for k in systems:
            if k in times:
                res[k + "_ratio"] = [t / o for t, o in zip(times[k], times["orig"], strict=True)]
        results[name] = res
    return results


_SKIP_TOKENS = {tokenize.ENCODING, tokenize.ENDMARKER, tokenize.NEWLINE, tokenize.NL,
                tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT}


def count_tokens(source):
    toks = tokenize.generate_tokens(io.StringIO(textwrap.dedent(source)).readline)
    return sum(1 for t in toks if t.type not in _SKIP_TOKENS)


def output_size(systems, funcs, good, notes):
    """system -> {name: output tokens / input tokens}."""
    out = {k: {} for k in systems}
    for _, n, f, _ in funcs:
        if n not in good:
            continue
        n_in = count_tokens(inspect.getsource(f))
        for k, s in systems.items():
            try:
                out[k][n] = count_tokens(s.to_code(f)) / n_in
            except Exception as e:
                notes.append(f"{s.name}.to_code fails on {n}: {type(e).__name__}: "
                             f"{_first_line(e)}")
    return out


def profile_cold(systems, funcs, good, top):
    """cProfile of one cold conversion of every corpus function by autograph (fresh copies)."""
    import cProfile
    import pstats

    by_name = {name: m for m, name, _, _ in funcs}
    with tempfile.TemporaryDirectory(prefix="ag_bench_prof_") as folder:
        _warm_up({OURS: systems[OURS]}, folder)
        copies = {m: fresh_copy(m, "prof", 2, folder) for m in set(by_name.values())}
        fs = [getattr(copies[by_name[n]], n) for n in good]
        prof = cProfile.Profile()
        prof.enable()
        for f in fs:
            systems[OURS].to_graph(f)
        prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    print(f"cProfile: one cold to_graph of each of {len(fs)} corpus functions (autograph)")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


# ---------------------------------------------------------------------------------------------
# The table

def _fmt_time(s):
    if s is None:
        return "n/a"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.2f} µs"


def _fmt_x(x):
    if x is None:
        return "n/a"
    return f"{x:.2f}×" if x < 100 else f"{x:.0f}×"


def build_rows(systems, funcs, good, cold, hit, rt, size):
    rows = []

    def add(key, label, ours, theirs, fmt, target, limit):
        ratio = theirs / ours if ours and theirs else None
        meets = None if ours is None or limit is None else ours <= limit
        rows.append({"key": key, "label": label, "ours": ours, "malt": theirs, "ratio": ratio,
                     "target": target, "meets": meets, "fmt": fmt})

    def sys_median(values_by_sys, k):
        return median(values_by_sys.get(k, [])) if k in systems else None

    per_fn = {k: {n: median(ts[k]) for n, ts in cold.items() if ts.get(k)} for k in systems}
    add("cold_median", f"cold conversion, corpus median ({len(cold)} functions)",
        median(list(per_fn.get(OURS, {}).values())) or None,
        median(list(per_fn.get(MALT, {}).values())) or None, "time", "≤ 2 ms", 2e-3)
    if cold:
        lines = {n: source_lines(f) for _, n, f, _ in funcs if n in cold}
        big = max(lines, key=lines.get)
        add("cold_largest", f"cold conversion, largest ({big}, {lines[big]} lines)",
            per_fn.get(OURS, {}).get(big), per_fn.get(MALT, {}).get(big), "time",
            "(report)", None)
    add("cache_hit", "cache hit (to_graph of a converted function)",
        sys_median(hit, OURS), sys_median(hit, MALT), "time", "≤ 2 µs", 2e-6)
    for name, res in rt.items():
        calls = name == "loop_calling_helper"
        add(f"runtime_{name}",
            ("calls from converted code: " if calls else "plain-Python run time: ")
            + res["label"] + " (× original)",
            median(res.get(OURS + "_ratio", [])), median(res.get(MALT + "_ratio", [])), "x",
            "≤ 2×" if calls else "≤ 1.3×", 2.0 if calls else 1.3)
    means = {k: statistics.mean(v.values()) if v else None for k, v in size.items()}
    add("tokens", "to_code output tokens per input token (corpus mean)",
        means.get(OURS), means.get(MALT), "x", "(report)", None)
    return rows


def format_table(rows):
    head = ("", "ours", "malt", "malt/ours", "target", "met")
    body = []
    for r in rows:
        fmt = _fmt_time if r["fmt"] == "time" else _fmt_x
        met = {None: "", True: "yes", False: "NO"}[r["meets"]]
        body.append((r["label"], fmt(r["ours"]), fmt(r["malt"]), _fmt_x(r["ratio"]),
                     r["target"], met))
    widths = [max(len(row[i]) for row in [head] + body) for i in range(len(head))]
    lines = []
    for i, row in enumerate([head] + body):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="tiny repeat counts: proves the bench works, measures nothing well")
    p.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    p.add_argument("--reps", type=int, help="cold-conversion repetitions (default 9; quick 1)")
    p.add_argument("--profile", type=int, nargs="?", const=25, metavar="TOP",
                   help="instead of the table: cProfile our cold conversions (TOP rows)")
    p.add_argument("--wall", action="store_true",
                   help="time with the wall clock instead of this thread's CPU time")
    args = p.parse_args(argv)
    global clock
    clock = time.perf_counter if args.wall else time.thread_time
    reps = args.reps or (1 if args.quick else 9)
    rounds = 3 if args.quick else 21
    sample_s = 0.0005 if args.quick else 0.005

    t_start = time.perf_counter()
    notes = []
    systems = load_systems(notes)
    funcs = corpus_functions()
    sizes = [source_lines(f) for _, _, f, _ in funcs]
    good, _ = validate(systems, funcs, notes)
    if args.profile:
        if OURS not in systems:
            print("\n".join(notes))
            return 1
        profile_cold(systems, funcs, good, args.profile)
        return 0
    try:
        cold = cold_conversion(systems, funcs, good, reps, notes) if systems else {}
        hit = cache_hit(systems, funcs, good, rounds, sample_s) if systems else {}
        rt = run_time(systems, rounds, sample_s, notes) if systems else {}
        size = output_size(systems, funcs, good, notes)
    finally:
        for name in _loaded_names:
            sys.modules.pop(name, None)
    rows = build_rows(systems, funcs, good, cold, hit, rt, size)
    elapsed = time.perf_counter() - t_start

    meta = {
        "command": " ".join(["python", "bench/conversion_bench.py"] + list(sys.argv[1:]
                                                                          if argv is None
                                                                          else argv)),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "versions": {k: s.version for k, s in systems.items()},
        "corpus": f"{len(funcs)} functions of {min(sizes)}-{max(sizes)} lines "
                  f"({len(good)} converted correctly by every system)",
        "clock": "wall (time.perf_counter)" if args.wall else "thread CPU time (time.thread_time)",
        "cold_reps": reps, "rounds": rounds, "sample_s": sample_s,
        "elapsed_s": round(elapsed, 1),
    }
    print(f"autograph vs malt: Python {meta['python']}, {meta['machine']}; "
          + ", ".join(f"{systems[k].name} {v}" for k, v in meta["versions"].items()))
    print(f"corpus: {meta['corpus']}; cold: median of {reps} fresh copies per function; "
          f"times: median of {rounds} interleaved rounds; clock: {meta['clock']}")
    print()
    print(format_table(rows))
    print()
    for note in dict.fromkeys(notes):
        print("note:", note)
    print(f"({elapsed:.0f} s)")

    if args.json:
        detail = {
            "cold_s": cold, "cache_hit_s": hit,
            "run_time": rt, "tokens_ratio": size, "notes": list(dict.fromkeys(notes)),
        }
        with open(args.json, "w") as fh:
            json.dump({"meta": meta, "rows": rows, "detail": detail}, fh, indent=1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:
        traceback.print_exc()
        sys.exit(1)
