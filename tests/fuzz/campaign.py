"""A long differential fuzzing campaign: generated programs, every mode, failures kept on disk.

    python -m tests.fuzz.campaign --programs 100000 --modes python,graph,jax --seed 1 \\
        --out fuzz-failures

Program `i` of seed `S` is `gen.generate(S * 1_000_000_007 + i, config)` (config: see
`--staged-fraction`), so any program can be rebuilt from its index (`--replay I`). Programs run
in chunks, each chunk in a fresh worker process (`--jobs` at a time, 1 by default: one core),
so memory stays flat and a crash or a hang costs one chunk, not the campaign. Every program
runs under a time limit (`--timeout`); a converted program that does not finish is a
divergence.

For each divergence the oracle (`oracle.py`) gives a key (mode, outcome kinds, normalized
message). The first program with a new key is shrunk (`reduce.py`) in the worker, once per
campaign; under `OUT/<key-hash>/` the campaign writes `shrunk.py` (a ready-to-paste regression
test), `first.py` (the program as generated, with its report and the `--replay` command) and
`count.txt`. Divergences that `known.py` lists (reported bugs with an xfail regression test)
are filed apart, as `known: KEY`, and not shrunk. `OUT/summary.txt` and `summary.json` are
rewritten after every chunk: programs run per mode, divergences per key.

Progress goes to stderr, one line per chunk. Exit status: 0 when no new divergence was found
(known ones allowed), 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
import traceback
import warnings

SEED_STRIDE = 1_000_000_007


def program_config(seed, index, modes, staged_fraction, exclude_open=False):
    """The generator configuration of program `index`, and the modes it is checked in.
    `exclude_open`: leave out the constructs of open wrong-value bugs (known.CI_EXCLUSIONS)."""
    from tests.fuzz import gen
    from tests.fuzz import known as known_bugs

    def ex(config, *modes):
        for mode in modes if exclude_open else ():
            config = known_bugs.ci_config(config, mode)
        return config

    staged = [m for m in modes if m in ("graph", "jax")]
    plain = tuple(m for m in modes if m in ("python", "python-np"))
    rng = random.Random(f"{seed}:{index}:config")
    if staged and rng.random() < staged_fraction:
        # a staged program runs in Python mode too (it costs little)
        if "jax" in staged and (len(staged) == 1 or rng.random() < 0.5):
            # jax programs use no numpy functions (they do not take tracers)
            return ex(gen.staged_config(jax=True), *staged), ("python",) + tuple(staged)
        return ex(gen.staged_config(), "graph"), ("python", "graph")
    return gen.python_config(), plain or ("python",)


def build(seed, index, modes, staged_fraction, exclude_open=False):
    from tests.fuzz import gen

    config, prog_modes = program_config(seed, index, modes, staged_fraction, exclude_open)
    return gen.generate(seed * SEED_STRIDE + index, config), prog_modes


def key_hash(key):
    return hashlib.sha1(key.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------------------------
# Worker: one chunk of programs, JSON lines to a results file
# --------------------------------------------------------------------------------------------


def _args_source(args):
    import numpy as np

    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"np.array({a.tolist()!r}, dtype=np.{a.dtype})")
        else:
            parts.append(repr(a))
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def regression_test(name, source, args, mode, key, count_note=""):
    """A plain pytest function with the program inline (what `shrunk.py` holds)."""
    body = source.rstrip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return (
        f"# divergence: {key}\n"
        f"# {count_note}\n"
        "import numpy as np  # noqa: F401 - the inputs may use it\n\n"
        "from tests.fuzz.oracle import assert_agrees\n\n\n"
        f"def test_{name}():\n"
        f'    source = """\\\n{body}\n"""\n'
        f"    assert_agrees(source, [{_args_source(args)}], modes=({mode!r},))\n"
    )


def shrink_divergence(source, div, budget=120.0):
    """Shrink `source` while it keeps diverging with `div.key` on `div.args` in `div.mode`."""
    from tests.fuzz import gen, oracle, reduce

    args = [div.args]

    def fails(text):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn = gen.FuzzProgram(text, "f", (), []).load()
        divs = oracle.check_program(fn, args, [div.mode], expand=False, stop_at_first=True)
        return any(d.key == div.key for d in divs)

    return reduce.shrink(source, fails, budget=budget)


def run_chunk(seed, start, count, modes, staged_fraction, timeout, shrunk, shrink, out,
              verbose=False, exclude_open=False):
    """Check programs start..start+count-1; JSON lines to `out`. `shrunk`: the divergence
    buckets already shrunk in this campaign."""
    from tests.fuzz import known as known_bugs
    from tests.fuzz import oracle, reduce

    shrunk = set(shrunk)

    def emit(record):
        out.write(json.dumps(record) + "\n")
        out.flush()

    import faulthandler
    import signal

    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 PID` prints where a worker is
    parent = os.getppid()
    for index in range(start, start + count):
        if os.getppid() != parent:  # the campaign was killed: stop too
            return
        prog, prog_modes = build(seed, index, modes, staged_fraction, exclude_open)
        timed_out = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fn = prog.load()
            with reduce.time_limit(timeout):
                divs = oracle.check_program(fn, prog.input_sets(), prog_modes, source=prog.source,
                                            stop_at_first=False)
        except reduce.CandidateTimeout:
            timed_out = True
            divs = [oracle.Divergence(prog_modes[-1], (), ["timed out"],
                                      f"{prog_modes[-1]}: timeout", "timed out:\n" + prog.source,
                                      "timeout")]
        except Exception as e:  # noqa: BLE001 - an oracle crash is itself a finding
            divs = [oracle.Divergence("oracle", (), [repr(e)], f"oracle: {type(e).__name__}",
                                      traceback.format_exc() + "\n" + prog.source,
                                      oracle.normalize_message(str(e)))]
        emit({"type": "program", "index": index, "modes": list(oracle.expand_modes(prog_modes)),
              "inconclusive": sum(d.inconclusive for d in divs), "timeout": timed_out})
        seen_here = set()
        for d in divs:
            if d.inconclusive:
                continue
            is_known = known_bugs.is_known(d.key, prog.source)
            bucket = ("known: " if is_known else "") + d.key
            if bucket in seen_here:
                continue
            seen_here.add(bucket)
            record = {"type": "divergence", "index": index, "key": bucket, "mode": d.mode,
                      "signature": d.signature, "report": d.report, "source": prog.source,
                      "args": _args_source(d.args), "known": is_known}
            if shrink and not is_known and bucket not in shrunk and d.args:
                try:
                    small = shrink_divergence(prog.source, d)
                except Exception as e:  # noqa: BLE001
                    small = f"# shrinking failed: {e!r}\n{prog.source}"
                record["shrunk"] = regression_test(f"fuzz_{key_hash(d.key)}", small, d.args,
                                                   d.mode, d.key, f"campaign seed {seed}, "
                                                   f"program {index}")
                shrunk.add(bucket)
            emit(record)
        if verbose:
            print(f"program {index}: {len(divs)} divergence(s)", file=sys.stderr, flush=True)
    emit({"type": "chunk", "start": start, "count": count})


# --------------------------------------------------------------------------------------------
# Parent: chunks, aggregation, files
# --------------------------------------------------------------------------------------------


class Campaign:
    def __init__(self, ns):
        self.ns = ns
        self.out = ns.out
        os.makedirs(self.out, exist_ok=True)
        self.counts = {}
        self.programs = 0
        self.inconclusive = 0
        self.timeouts = 0
        self.crashed_chunks = []
        self.keys = {}  # key -> {"count", "mode", "first", "known"}
        self.t0 = time.time()

    def handle(self, rec):
        if rec["type"] == "program":  # one per program checked (the parent watches for stalls)
            self.programs += 1
            self.inconclusive += rec["inconclusive"]
            self.timeouts += rec["timeout"]
            for m in rec["modes"]:
                self.counts[m] = self.counts.get(m, 0) + 1
            return
        if rec["type"] != "divergence":
            return
        key = rec["key"]
        entry = self.keys.get(key)
        is_known = rec["known"]
        if entry is None:
            entry = self.keys[key] = {"count": 0, "mode": rec["mode"], "first": rec["index"],
                                      "known": is_known}
            folder = os.path.join(self.out, key_hash(key))
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "first.py"), "w") as f:
                f.write(f"# {key}\n# seed {self.ns.seed}, program {rec['index']}: "
                        f"python -m tests.fuzz.campaign --seed {self.ns.seed} --replay "
                        f"{rec['index']} --modes {','.join(self.ns.modes)} --staged-fraction "
                        f"{self.ns.staged_fraction}"
                        f"{' --exclude-open-bugs' if self.ns.exclude_open_bugs else ''}\n")
                f.write("# " + rec["report"].replace("\n", "\n# ") + "\n\n" + rec["source"])
            if not is_known:
                print(f"\nNEW divergence {key_hash(key)}: {key}\n  (program {rec['index']}; "
                      f"{folder})", file=sys.stderr, flush=True)
        if rec.get("shrunk") and not os.path.exists(
                os.path.join(self.out, key_hash(key), "shrunk.py")):
            with open(os.path.join(self.out, key_hash(key), "shrunk.py"), "w") as f:
                f.write(rec["shrunk"])
        entry["count"] += 1
        with open(os.path.join(self.out, key_hash(key), "count.txt"), "w") as f:
            f.write(f"{entry['count']}\n")

    def new_keys(self):
        return [k for k, e in self.keys.items() if not e["known"]]

    def summary(self):
        el = time.time() - self.t0
        lines = [f"autograph fuzz campaign: seed {self.ns.seed}, modes {','.join(self.ns.modes)}",
                 f"programs run: {self.programs} in {el:.0f}s "
                 f"({self.programs / max(el, 1e-9):.1f}/s)",
                 "programs checked per mode: " + ", ".join(
                     f"{m} {c}" for m, c in self.counts.items() if c),
                 f"inconclusive (values beyond the tensor number range): {self.inconclusive}",
                 f"timeouts: {self.timeouts}; crashed chunks: {self.crashed_chunks or 'none'}",
                 f"divergence keys: {len(self.keys)} ({len(self.new_keys())} new, "
                 f"{len(self.keys) - len(self.new_keys())} known)"]
        for key, e in sorted(self.keys.items(), key=lambda kv: -kv[1]["count"]):
            tag = "known" if e["known"] else "NEW"
            lines.append(f"  {e['count']:6d}  {tag:5s} {key_hash(key)}  {key}")
        return "\n".join(lines) + "\n"

    def write_summary(self):
        with open(os.path.join(self.out, "summary.txt"), "w") as f:
            f.write(self.summary())
        with open(os.path.join(self.out, "summary.json"), "w") as f:
            json.dump({"seed": self.ns.seed, "modes": self.ns.modes, "programs": self.programs,
                       "counts": self.counts, "inconclusive": self.inconclusive,
                       "timeouts": self.timeouts, "crashed_chunks": self.crashed_chunks,
                       "keys": self.keys}, f, indent=1)

    def progress(self):
        el = time.time() - self.t0
        rate = self.programs / max(el, 1e-9)
        left = (self.ns.programs - self.programs) / max(rate, 1e-9)
        per_mode = " ".join(f"{m}={c}" for m, c in self.counts.items() if c)
        print(f"[{self.programs}/{self.ns.programs}] {per_mode} | divergences: "
              f"{sum(e['count'] for e in self.keys.values())} in {len(self.keys)} keys "
              f"({len(self.new_keys())} new) | {rate:.1f} programs/s, ETA {left / 60:.1f} min",
              file=sys.stderr, flush=True)


def _worker_cmd(ns, start, count, known_file, results):
    cmd = [sys.executable, "-m", "tests.fuzz.campaign", "--worker", "--seed", str(ns.seed),
           "--start", str(start), "--programs", str(count), "--modes", ",".join(ns.modes),
           "--staged-fraction", str(ns.staged_fraction), "--timeout", str(ns.timeout),
           "--known-file", known_file, "--results", results]
    if ns.no_shrink:
        cmd.append("--no-shrink")
    if ns.exclude_open_bugs:
        cmd.append("--exclude-open-bugs")
    return cmd


def _terminate(signum, frame):
    raise KeyboardInterrupt


def run_campaign(ns):
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    camp = Campaign(ns)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    known_file = os.path.join(camp.out, ".known_keys.json")
    chunks = [(s, min(ns.chunk, ns.start + ns.programs - s))
              for s in range(ns.start, ns.start + ns.programs, ns.chunk)]
    running = []  # (proc, start, count, stdout file)
    print(f"campaign: {ns.programs} programs, modes {','.join(ns.modes)}, seed {ns.seed}, "
          f"{ns.jobs} job(s), chunks of {ns.chunk}, failures in {camp.out}/", file=sys.stderr)

    def launch(start, count):
        with open(known_file, "w") as f:
            json.dump(sorted(camp.keys), f)
        results = os.path.join(camp.out, f".chunk_{start}.jsonl")
        open(results, "w").close()
        proc = subprocess.Popen(_worker_cmd(ns, start, count, known_file, results),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                cwd=root)
        running.append((proc, start, count, results))

    def collect(item):
        proc, start, count, results = item
        got_chunk = False
        with open(results) as log:
            for line in log:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                got_chunk |= rec["type"] == "chunk"
                camp.handle(rec)
        os.unlink(results)
        if proc.returncode != 0 or not got_chunk:
            camp.crashed_chunks.append(start)
            print(f"chunk at {start} crashed (exit {proc.returncode}); rerun it with "
                  f"--start {start} --programs {count} --jobs 1", file=sys.stderr)
        camp.write_summary()
        camp.progress()

    try:
        while chunks or running:
            while chunks and len(running) < ns.jobs:
                launch(*chunks.pop(0))
            time.sleep(0.2)
            for item in list(running):
                proc, start, _, results = item
                if proc.poll() is None and time.time() - os.path.getmtime(results) > ns.stall:
                    print(f"chunk at {start}: no progress for {ns.stall:.0f}s, killed",
                          file=sys.stderr)
                    proc.kill()
                    proc.wait()
                if proc.poll() is not None:
                    running.remove(item)
                    collect(item)
    except KeyboardInterrupt:
        print("interrupted: keeping what the running chunks found", file=sys.stderr)
    finally:
        for item in list(running):
            if item[0].poll() is None:
                item[0].kill()
                item[0].wait()
            running.remove(item)
            collect(item)
    camp.write_summary()
    sys.stdout.write(camp.summary())
    return 1 if camp.new_keys() else 0


def replay(ns):
    from tests.fuzz import oracle

    prog, prog_modes = build(ns.seed, ns.replay, ns.modes, ns.staged_fraction,
                             ns.exclude_open_bugs)
    print(prog.source)
    print("# inputs:", prog.inputs)
    print("# modes:", ", ".join(oracle.expand_modes(prog_modes)))
    divs = oracle.check_program(prog.load(), prog.input_sets(), prog_modes, source=prog.source)
    for d in divs:
        print("\n" + d.report)
    return 1 if any(not d.inconclusive for d in divs) else 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz.campaign",
                                 description="Differential fuzzing of autograph.")
    ap.add_argument("--programs", type=int, default=1000, help="how many programs (default 1000)")
    ap.add_argument("--modes", default="python,graph,jax",
                    help="comma-separated: python, python-np, graph, jax (default all; jax is "
                         "skipped where it is not installed)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="first program index (resume)")
    ap.add_argument("--out", default="fuzz-failures", help="folder for failing programs")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes at once (default 1)")
    ap.add_argument("--chunk", type=int, default=500, help="programs per worker process")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds per program, all modes (default 30)")
    ap.add_argument("--stall", type=float, default=900.0,
                    help="kill a worker that reports nothing for this long (seconds)")
    ap.add_argument("--staged-fraction", type=float, default=0.5,
                    help="share of programs drawn for the staged modes when graph/jax are asked")
    ap.add_argument("--no-shrink", action="store_true", help="keep failing programs unshrunk")
    ap.add_argument("--exclude-open-bugs", action="store_true",
                    help="leave out the constructs of open wrong-value bugs (known.CI_EXCLUSIONS)"
                         ", to look for other bugs")
    ap.add_argument("--replay", type=int, metavar="I", help="print and check program I only")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--known-file", help=argparse.SUPPRESS)
    ap.add_argument("--results", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    ns.modes = [m.strip() for m in ns.modes.split(",") if m.strip()]
    from tests.fuzz import oracle

    try:
        ns.modes = list(oracle.expand_modes(ns.modes))
    except ValueError as e:
        ap.error(str(e))
    if ns.replay is not None:
        return replay(ns)
    if ns.worker:
        known = []
        if ns.known_file:
            with open(ns.known_file) as f:
                known = json.load(f)
        with open(ns.results, "a") as out:
            run_chunk(ns.seed, ns.start, ns.programs, ns.modes, ns.staged_fraction, ns.timeout,
                      known, not ns.no_shrink, out, exclude_open=ns.exclude_open_bugs)
        return 0
    return run_campaign(ns)


if __name__ == "__main__":
    sys.exit(main())
