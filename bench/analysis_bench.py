#!/usr/bin/env python
"""Times the static analyses of autograph.pyct on a 30-line and a 60-line function.

    python bench/analysis_bench.py [--repeat N]

Prints, per function, the median and the best time of each analysis (microseconds) and of all
of them together, on a fresh parse each repetition (the analyses annotate the tree in place).
The best time is the steadier figure on a shared machine. No assertions: this is a benchmark,
not a test.

`activity.resolve` also sets the qualified-name annotations, so a pipeline that runs it does not
need `qual_names.resolve` first; the qual_names row is shown for reference only.
"""

import argparse
import statistics
import textwrap
import time

import gast

from autograph.pyct import activity, cfg, liveness, qual_names, reaching_definitions

SRC_30 = '''
def f30(xs, n, scale=2.0, *, verbose=False):
    total = 0
    count = 0
    out = []
    best = None
    for i, x in enumerate(xs):
        if x is None:
            continue
        y = x * scale
        if y > 100:
            if verbose:
                print('big', i, y)
            break
        elif y < 0:
            y = -y
        total += y
        count += 1
        out.append(y)
        if best is None or y > best:
            best = y
    else:
        print('no break')
    k = 0
    while k < n and total > 0:
        total -= k
        k += 1
    mean = total / count if count else 0.0
    stats = {'mean': mean, 'best': best, 'n': len(out)}
    return [v - mean for v in out], stats
'''

SRC_60 = '''
def f60(data, limit, self_obj, threshold=0.5):
    acc = 0
    hist = {}
    seen = set()
    result = []
    state = self_obj.state
    for row in data:
        key = row[0]
        if key in seen:
            continue
        seen.add(key)
        value = row[1] * threshold
        try:
            ratio = value / row[2]
        except ZeroDivisionError:
            ratio = 0.0
        finally:
            acc += 1
        if ratio > limit:
            hist[key] = hist.get(key, 0) + 1
            state.count += 1
        elif ratio < -limit:
            hist[key] = hist.get(key, 0) - 1
        else:
            result.append((key, ratio))
        j = 0
        while j < len(row):
            if row[j] is None:
                j += 1
                continue
            if row[j] == 'stop':
                break
            acc += row[j] if isinstance(row[j], int) else 0
            j += 1
        if acc > 10000:
            return None
    for k, v in sorted(hist.items()):
        if v > 2:
            result.append((k, float(v)))
    total = sum(r for _, r in result)
    def scale(z, factor=total):
        return z * factor / (acc or 1)
    scaled = [scale(r) for _, r in result if r]
    with open_log() as log:
        log.write(str(total))
    matrix = [[0] * 3 for _ in range(3)]
    for a in range(3):
        for b in range(3):
            matrix[a][b] = a * b + acc
    if (m := max(scaled, default=0)) > 1:
        scaled = [s / m for s in scaled]
    del seen
    assert len(matrix) == 3, 'bad matrix'
    self_obj.state = state
    out = {
        'acc': acc,
        'hist': hist,
        'scaled': scaled,
        'matrix': matrix,
    }
    return out
'''


def _fn(src):
    return gast.parse(textwrap.dedent(src)).body[0]


def bench(src, repeat):
    rows = {'qual_names': [], 'activity': [], 'cfg': [], 'liveness': [], 'reaching_defs': [],
            'all (activity+cfg+live+rd)': []}
    clock = time.perf_counter
    for _ in range(repeat):
        node = _fn(src)
        t0 = clock()
        qual_names.resolve(node)
        t1 = clock()
        activity.resolve(node)
        t2 = clock()
        graphs = cfg.build(node)
        t3 = clock()
        liveness.resolve(node, graphs)
        t4 = clock()
        reaching_definitions.resolve(node, graphs)
        t5 = clock()
        rows['qual_names'].append(t1 - t0)
        rows['activity'].append(t2 - t1)
        rows['cfg'].append(t3 - t2)
        rows['liveness'].append(t4 - t3)
        rows['reaching_defs'].append(t5 - t4)
        rows['all (activity+cfg+live+rd)'].append(t5 - t1)
    return {k: (statistics.median(v) * 1e6, min(v) * 1e6) for k, v in rows.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeat', type=int, default=300)
    args = ap.parse_args()
    results = {
        '30 lines': bench(SRC_30, args.repeat),
        '60 lines': bench(SRC_60, args.repeat),
    }
    names = list(next(iter(results.values())))
    header = ['%s %s' % (label, stat) for label in results for stat in ('median', 'best')]
    print('%-28s' % 'analysis (us)' + ''.join('%18s' % h for h in header))
    for name in names:
        cells = [v for r in results.values() for v in r[name]]
        print('%-28s' % name + ''.join('%18.1f' % c for c in cells))


if __name__ == '__main__':
    main()
