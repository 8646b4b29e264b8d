"""List building."""


def running_max(xs):
    out = []
    best = None
    for x in xs:
        if best is None or x > best:
            best = x
        out.append(best)
    return out


def histogram(xs, nbins, lo, hi):
    counts = [0] * nbins
    width = (hi - lo) / nbins
    outliers = 0
    for x in xs:
        if x < lo or x >= hi:
            outliers += 1
            continue
        b = int((x - lo) / width)
        if b >= nbins:
            b = nbins - 1
        counts[b] += 1
    return counts, outliers


def merge_sorted(a, b):
    i = 0
    j = 0
    out = []
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    while i < len(a):
        out.append(a[i])
        i += 1
    while j < len(b):
        out.append(b[j])
        j += 1
    return out


def run_length_encode(xs):
    runs = []
    if not xs:
        return runs
    current = xs[0]
    count = 1
    for x in xs[1:]:
        if x == current:
            count += 1
        else:
            runs.append((current, count))
            current = x
            count = 1
    runs.append((current, count))
    return runs


def chunk_and_sum(xs, size):
    sums = []
    chunk = []
    for x in xs:
        chunk.append(x)
        if len(chunk) == size:
            sums.append(sum(chunk))
            chunk = []
    if chunk:
        sums.append(sum(chunk))
    return sums


CASES = {
    "running_max": [([],), ([3, 1, 4, 1, 5, 9, 2, 6],)],
    "histogram": [([0.1, 0.5, 0.9, 1.5, -1.0, 0.99], 4, 0.0, 1.0)],
    "merge_sorted": [([1, 4, 7], [2, 3, 8, 9]), ([], [1]), ([5], [])],
    "run_length_encode": [([],), (["a", "a", "b", "c", "c", "c"],)],
    "chunk_and_sum": [([1, 2, 3, 4, 5, 6, 7], 3), ([], 2)],
}
