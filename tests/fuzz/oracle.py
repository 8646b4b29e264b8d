"""The fuzzing oracle: run a generated function unconverted and in every mode, and compare.

`check_program(fn, input_sets, modes)` returns a list of `Divergence` (empty: every mode agrees
with plain Python). It never raises for a divergence, so a campaign can go on and count.

Modes (the comparison rules are those of `tests/differential/harness.py`, which this reuses):

- `python`: `autograph.to_graph(fn)` on the plain inputs: the same result (deep, type-exact),
  the same stdout, the same exception type and message, the same argument mutation, and the
  same user line in the traceback of an exception (autograph rewrites tracebacks of converted
  code to the user's lines).
- `python-np`: the same with numeric scalar arguments turned into numpy scalars (run with
  `graph`, whose inputs these are).
- `graph`: `autograph.function(fn)` (the embedded engine; array and numpy-scalar arguments
  become placeholders) against the original run eagerly on the same numpy inputs.
- `jax`: `jax.jit(autograph.to_graph(fn))` against the original on numpy (float32 tolerance,
  dtypes compared by kind). Skipped when jax is not installed.

In a staged mode (`graph`, `jax`) the one accepted difference is `autograph.StagingError` whose
message names one of the function's variables (or a `return`): the documented refusal to stage
what cannot be staged (and, as the harness allows, a Python int result staged as a float of
exactly the same value: the documented join of `3 if c else 2.5`). Anything else (a wrong value, another exception, a crash, a
`GraphTensorError` leaking out, a fallback warning) is a divergence: a compiler bug until
triaged. In every mode an `AutographWarning` (the function ran unconverted) is a divergence
too: generated programs are all convertible.

A staged divergence on a run whose original holds values beyond the tensor's number range
(`RANGE_LIMITS`) is marked `inconclusive`: Python ints do not overflow, tensors do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import io
import re
import traceback
import warnings

import numpy as np

from tests.differential import harness

PY_MODES = ("python", "python-np")
STAGED_MODES = ("graph", "jax")
ALL_MODES = ("python", "python-np", "graph", "jax")


def have_jax():
    return importlib.util.find_spec("jax") is not None


def expand_modes(modes):
    """`graph` brings `python-np` along (its inputs); `jax` is dropped without jax."""
    out = []
    for m in modes:
        if m not in ALL_MODES:
            raise ValueError(f"unknown mode {m!r} (choose from {', '.join(ALL_MODES)})")
        if m == "jax" and not have_jax():
            continue
        if m not in out:
            out.append(m)
        if m == "graph" and "python-np" not in out:
            out.append("python-np")
    return tuple(m for m in ALL_MODES if m in out)


@dataclasses.dataclass
class Divergence:
    mode: str
    args: tuple
    problems: list
    signature: str  # a short class of the divergence (mode, outcome kinds)
    report: str  # the full report (original/converted outcomes, traceback, program)
    detail: str = ""  # the converted side's error message or first problem, normalized
    inconclusive: bool = False  # the original's values left the staged mode's number range

    @property
    def key(self):
        """What a shrunk program must keep failing with: the signature and the message."""
        return f"{self.signature} | {self.detail}"

    def __str__(self):
        return self.report


# --------------------------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------------------------


def _convert(fn, mode):
    import autograph

    if mode in PY_MODES:
        return autograph.to_graph(fn)
    if mode == "graph":
        return autograph.function(fn)
    if mode == "jax":
        import jax

        return jax.jit(autograph.to_graph(fn))
    raise ValueError(mode)


def _names_of(fn):
    """Every variable and function name the user's code (and generated helpers) binds."""
    names = set()
    codes = [fn.__code__]
    for v in fn.__globals__.values():  # generated helpers live in the same module
        code = getattr(v, "__code__", None)
        if code is not None and getattr(v, "__module__", None) == fn.__module__:
            codes.append(code)
    while codes:
        code = codes.pop()
        names.update(code.co_varnames + code.co_cellvars + code.co_freevars)
        codes += [k for k in code.co_consts if hasattr(k, "co_varnames")]
    return names


def accepted_staging_error(fn, exc) -> bool:
    """A StagingError that names one of the user's variables, or a `return`."""
    import autograph

    if not isinstance(exc, autograph.StagingError):
        return False
    msg = str(exc)
    names = _names_of(fn)
    if getattr(exc, "variable", None) in names:
        return True
    if re.search(r"\breturn\b", msg):
        return True
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", msg) for n in names)


# --------------------------------------------------------------------------------------------
# Running one mode
# --------------------------------------------------------------------------------------------


def _signature(mode, orig, got, problems):
    """A short, stable class of a divergence (outcome kinds and what differs, not values)."""
    def kind(o):
        return "value" if o.exc is None else type(o.exc).__name__

    first = problems[0] if problems else ""
    for prefix, what in (("exception location", "exception location"),
                         ("ran unconverted", "ran unconverted"),
                         ("stdout", "wrong stdout"), ("argument mutation", "wrong mutation"),
                         ("exception message", "exception message")):
        if first.startswith(prefix):
            return f"{mode}: {what}"
    if orig.exc is None and got.exc is None:
        return f"{mode}: wrong value"
    return f"{mode}: {kind(orig)} -> {kind(got)}"


def normalize_message(text):
    """An error message (or a problem line) without what changes from program to program:
    file locations, quoted names, numbers, tensor names, and compared values."""
    text = str(text).splitlines()[0] if str(text) else ""
    text = re.sub(r"\(original (returned|raised) .*\)$", "", text)
    text = re.sub(r"^result\S*: (values|type \w+ != \w+|dtype (?:kind )?\S+ != \S+|shape|length)\b.*",
                  lambda m: f"result: {m.group(1)}", text)
    text = re.sub(r"\S+\.py:\d+(:\d+)?:?", "<file>:", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'_'", text)
    text = re.sub(r"\[\d+\]", "[]", text)
    text = re.sub(r"\b\d+(\.\d+)?\b", "0", text)
    return text.strip()[:200]


# Tensors have fixed-width numbers (graph: int64/float64; jax without x64: int32/float32);
# Python ints do not overflow. A staged divergence on a run whose original values leave this
# range is not a compiler bug: it is reported as inconclusive, not as a divergence.
RANGE_LIMITS = {"graph": (2 ** 62, 1e300), "jax": (2 ** 30, 2 ** 24)}


def _out_of_range(value, int_limit, float_limit):
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return abs(int(value)) >= int_limit
    if isinstance(value, (float, np.floating)):
        return bool(np.isfinite(value)) and abs(float(value)) >= float_limit
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf" and value.size:
        limit = int_limit if value.dtype.kind in "iu" else float_limit
        with np.errstate(all="ignore"):
            finite = value[np.isfinite(value)] if value.dtype.kind == "f" else value
            return bool(finite.size) and float(np.max(np.abs(finite.astype(np.float64)))) >= limit
    if isinstance(value, (list, tuple)):
        return any(_out_of_range(v, int_limit, float_limit) for v in value)
    return False


def leaves_range(fn, args, mode):
    """Whether the original, run on `args`, ever holds a local value outside `mode`'s range."""
    import sys

    int_limit, float_limit = RANGE_LIMITS[mode]
    filename = fn.__code__.co_filename
    hit = []

    def local_trace(frame, event, arg):
        if event in ("line", "return") and not hit:
            values = list(frame.f_locals.values()) + ([arg] if event == "return" else [])
            if any(_out_of_range(v, int_limit, float_limit) for v in values):
                hit.append(True)
        return local_trace

    def global_trace(frame, event, arg):
        if frame.f_code.co_filename == filename:
            return local_trace
        return None

    old = sys.gettrace()
    sys.settrace(global_trace)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            harness.run(fn, args, {})
    finally:
        sys.settrace(old)
    return bool(hit)


def _user_entry(exc, filename):
    """The innermost traceback entry in the user's file."""
    entries = [e for e in traceback.extract_tb(exc.__traceback__) if e.filename == filename]
    return entries[-1] if entries else None


def _compare_location(fn, a, b):
    """Python modes: the converted traceback (rewritten by autograph) names the same user line
    as the original's.

    CPython 3.11 reports an UnboundLocalError raised by the second half of a specialized
    superinstruction (STORE_FAST__LOAD_FAST, ...) at the line of the first half, once the code
    has been quickened (after a few calls): there the check is that the converted traceback's
    line reads the variable."""
    filename = fn.__code__.co_filename
    want, got = _user_entry(a, filename), _user_entry(b, filename)
    if want is None or (got is not None and (want.lineno, want.name) == (got.lineno, got.name)):
        return []
    if isinstance(a, UnboundLocalError) and got is not None and want.name == got.name:
        m = re.search(r"variable '(\w+)'", str(a))
        if m and re.search(rf"\b{m.group(1)}\b", got.line or ""):
            return []
    shown = "no user line" if got is None else f"line {got.lineno} (in {got.name})"
    return [f"exception location: the original raised at line {want.lineno} (in {want.name}), "
            f"the converted traceback shows {shown}"]


def _fallback_warnings(caught):
    import autograph

    return [str(w.message) for w in caught if issubclass(w.category, autograph.AutographWarning)
            and re.search(r"could not convert|runs? unconverted", str(w.message))]


def run_mode(fn, conv, args, mode):
    """Run `fn` and its conversion `conv` on `args` in `mode`; a list of problems and outcomes."""
    opts = dict(harness.CHECK_OPTIONS)
    if mode != "python":
        args = tuple(harness.tensorize(a) for a in args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy overflow/invalid warnings: both sides alike
        orig = harness.run(fn, args, {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if mode in STAGED_MODES:
            with contextlib.redirect_stdout(io.StringIO()):
                got = harness.run(conv, args, {})
        else:
            got = harness.run(conv, args, {})
    fallbacks = _fallback_warnings(caught)
    inconclusive = False
    if mode in STAGED_MODES:
        if got.exc is not None and accepted_staging_error(fn, got.exc):
            problems = []
        else:
            opts["stageable"] = True  # any other StagingError is a divergence
            problems = harness._compare_staged(fn, orig, got, mode, opts)
            if problems and leaves_range(fn, args, mode):
                inconclusive = True
    else:
        problems = harness._compare_python(orig, got, opts)
        if not problems and orig.exc is not None:
            problems += _compare_location(fn, orig.exc, got.exc)
    problems += [f"ran unconverted (AutographWarning): {m}" for m in fallbacks]
    return problems, orig, got, inconclusive


def _report(fn, args, mode, orig, got, problems, source):
    lines = [f"{fn.__name__}{harness.call(*args)!r} diverges in {mode} mode:"]
    lines += [f"  - {p}" for p in problems]
    lines.append(f"  original:  {orig.describe()}")
    lines.append(f"  converted: {got.describe()}")
    if got.exc is not None:
        tb = "".join(traceback.format_exception(type(got.exc), got.exc, got.exc.__traceback__))
        lines.append("  converted traceback (last lines):")
        lines += ["    " + ln for ln in tb.strip().splitlines()[-16:]]
    if source:
        lines.append("  program:")
        lines += ["    " + ln for ln in source.rstrip().splitlines()]
    return "\n".join(lines)


def check_program(fn, input_sets, modes=("python",), source=None, stop_at_first=False,
                  expand=True):
    """Check `fn` (a generated function, loaded from a real file) on every input set in every
    mode (`expand`: with `python-np` for `graph`, without jax where it is not installed).
    Returns the list of divergences (one per failing mode and input set)."""
    out = []
    for mode in (expand_modes(modes) if expand else modes):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                conv = _convert(fn, mode)
            fallbacks = _fallback_warnings(caught)
            if fallbacks:
                out.append(Divergence(mode, (), [f"ran unconverted (AutographWarning): {fallbacks[0]}"],
                                      f"{mode}: ran unconverted",
                                      f"{fn.__name__} runs unconverted in {mode} mode: "
                                      f"{fallbacks[0]}" + (f"\n  program:\n{source}" if source else ""),
                                      normalize_message(fallbacks[0])))
                if stop_at_first:
                    return out
        except Exception as e:  # noqa: BLE001 - a conversion failure is a divergence
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
            out.append(Divergence(mode, (), [f"conversion failed: {type(e).__name__}: {e}"],
                                  f"{mode}: conversion {type(e).__name__}",
                                  f"conversion of {fn.__name__} failed in {mode} mode:\n{tb}"
                                  + (f"\n  program:\n{source}" if source else "")))
            if stop_at_first:
                return out
            continue
        for args in input_sets:
            args = tuple(args)
            try:
                problems, orig, got, inconclusive = run_mode(fn, conv, args, mode)
            except Exception as e:  # noqa: BLE001 - the oracle itself must not stop a campaign
                tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
                out.append(Divergence(mode, args, [f"oracle error: {type(e).__name__}: {e}"],
                                      f"{mode}: oracle {type(e).__name__}", tb))
                continue
            if problems:
                detail = str(got.exc) if got.exc is not None else problems[0]
                sig = _signature(mode, orig, got, problems)
                if inconclusive:
                    sig = f"{mode}: inconclusive (values out of the tensor range)"
                out.append(Divergence(mode, args, problems, sig,
                                      _report(fn, args, mode, orig, got, problems, source),
                                      normalize_message(detail), inconclusive))
                if stop_at_first and not inconclusive:
                    return out
    return out


def assert_agrees(source, inputs, modes=("python",), name="f"):
    """Load `source` (a module) from a real file and fail on any divergence of `name`."""
    from tests.differential.program_gen import Program

    fn = Program(source, name, (), list(inputs)).load()
    divs = [d for d in check_program(fn, inputs, modes, source=source) if not d.inconclusive]
    if divs:
        raise AssertionError("\n\n".join(d.report for d in divs))


__all__ = ["Divergence", "check_program", "assert_agrees", "accepted_staging_error",
           "expand_modes", "have_jax", "ALL_MODES", "STAGED_MODES"]
