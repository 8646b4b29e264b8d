"""Per-call costs of the runtime operators on plain Python values.

    python bench/runtime_bench.py [--quick]

Each row is measured side by side in one run (best of several repeats, in nanoseconds per call
or per loop): the plain Python construct, the runtime operator, and their ratio.
"""

from __future__ import annotations

import argparse
import timeit

import autograph.runtime as ag
from autograph.runtime import registry


def small(x):
    return x + 1


def loop_direct(n):
    s = 0
    for _ in range(n):
        s = small(s)
    return s


def loop_cv(n):
    cv = ag.cv
    s = 0
    for _ in range(n):
        s = cv(small)(s)
    return s


def _time(stmt, globs, number, repeat):
    t = timeit.Timer(stmt, globals=globs)
    return min(t.repeat(repeat=repeat, number=number)) / number * 1e9


def _pair(py, rt, globs, number, repeat):
    """Best-of-`repeat` ns per execution of two statements, measured interleaved (the machine
    may be shared: interleaving exposes both to the same load)."""
    tp, tr = timeit.Timer(py, globals=globs), timeit.Timer(rt, globals=globs)
    best_p = best_r = float("inf")
    for _ in range(repeat):
        best_p = min(best_p, tp.timeit(number))
        best_r = min(best_r, tr.timeit(number))
    return best_p / number * 1e9, best_r / number * 1e9


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    number = 20_000 if args.quick else 200_000
    repeat = 3 if args.quick else 7

    # cv on a user function: the decision (convert or not) is cached on the function. Without
    # the compiler's converter this measures the dispatch alone; with it, small's converted
    # form (identical code for this function) is called.
    from autograph.runtime import calls

    calls._table.pop(small, None)
    converter = "autograph.conversion"
    try:
        ag.cv(small)(1)
    except Exception as e:  # noqa: BLE001 - the compiler may be unfinished: measure cv alone
        converter = f"none ({type(e).__name__}); cv alone"
        calls._table[small] = small
    g = {"ag": ag, "small": small, "loop_direct": loop_direct, "loop_cv": loop_cv,
         "registry": registry, "a": 1, "b": 2, "xs": [1, 2, 3], "n": 10}
    noop = lambda: None  # noqa: E731
    g["noop"] = noop
    g["thunk"] = lambda: 2
    rows = [
        ("cv(f) lookup", "small", "ag.cv(small)"),
        ("call through cv", "small(1)", "ag.cv(small)(1)"),
        ("converted_call", "small(1)", "ag.converted_call(small, (1,))"),
        ("backend_of(int)", "type(a)", "registry.backend_of(a)"),
        ("py_range(10)", "range(n)", "ag.py_range(n)"),
        ("py_range(0, 10, 2)", "range(0, n, 2)", "ag.py_range(0, n, 2)"),
        ("py_iter(list)", "xs", "ag.py_iter(xs)"),
        ("py_enumerate(list)", "enumerate(xs)", "ag.py_enumerate(xs)"),
        ("py_zip(list, list)", "zip(xs, xs)", "ag.py_zip(xs, xs)"),
        ("range_(10)", "range(n)", "ag.range_(n)"),
        ("and_(1, thunk)", "a and thunk()", "ag.and_(a, thunk)"),
        ("or_(0, thunk)", "0 or thunk()", "ag.or_(0, thunk)"),
        ("not_(1)", "not a", "ag.not_(a)"),
        ("if_exp(1, thunk, thunk)", "thunk() if a else thunk()",
         "ag.if_exp(a, thunk, thunk, 'e')"),
        ("if_stmt(True, ...)", "noop() if a else noop()",
         "ag.if_stmt(True, noop, noop, noop, noop, (), 0)"),
        ("if_stmt(1, ...)", "noop() if a else noop()",
         "ag.if_stmt(a, noop, noop, noop, noop, (), 0)"),
        ("list_append", "xs.append(1); xs.pop()", "ag.list_append(xs, 1); xs.pop()"),
        ("setitem(list)", "xs.__setitem__(0, 1)", "ag.setitem(xs, 0, 1)"),
    ]
    print(f"converter: {converter}")
    print(f"{'operation':28} {'python ns':>10} {'runtime ns':>11} {'extra ns':>9} {'ratio':>7}")
    for name, py, rt in rows:
        t_py, t_rt = _pair(py, rt, g, number // 10, repeat * 10)
        print(f"{name:28} {t_py:10.1f} {t_rt:11.1f} {t_rt - t_py:9.1f} {t_rt / t_py:7.2f}")

    loops = max(number // 10_000, 1)
    rep = repeat * 5
    print()
    print(f"{'loop of 1000 iterations':28} {'python us':>10} {'runtime us':>11} {'ratio':>7}")

    def row(name, py, rt):
        t_py, t_rt = _pair(py, rt, g, loops, rep)
        print(f"{name:28} {t_py / 1e3:10.1f} {t_rt / 1e3:11.1f} {t_rt / t_py:7.2f}")

    row("call small(x) via cv", "loop_direct(1000)", "loop_cv(1000)")
    g["noop1"] = lambda x: None
    g["extra"] = lambda: True
    row("for_stmt over range", "for x in range(1000): noop1(x)",
        "ag.for_stmt(range(1000), None, noop1, noop, noop, (), None)")
    row("for_stmt with extra_test", "for x in range(1000):\n    if not extra(): break\n"
        "    noop1(x)", "ag.for_stmt(range(1000), extra, noop1, noop, noop, (), None)")
    g["box"] = [0]

    def test():
        return box[0] < 1000

    def wbody():
        box[0] += 1

    g["box"] = box = [0]
    g["test"], g["wbody"] = test, wbody
    row("while_stmt", "box[0] = 0\nwhile test(): wbody()",
        "box[0] = 0\nag.while_stmt(test, wbody, noop, noop, (), None)")


if __name__ == "__main__":
    main()
