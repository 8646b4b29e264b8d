"""Corpus: list append/pop, subscript and attribute state, argument mutation, del."""

import numpy as np

from .harness import call, case


class Counter:
    def __init__(self, n=0):
        self.n = n
        self.history = []

    def add(self, k):
        self.n += k
        self.history.append(k)


class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b


@case(inputs=[0, 5])
def list_append_in_for(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


@case(inputs=[0, 6])
def list_append_in_while_with_if(n):
    evens = []
    odds = []
    i = 0
    while i < n:
        if i % 2 == 0:
            evens.append(i)
        else:
            odds.append(i)
        i += 1
    return evens, odds


@case(inputs=[[1, 2, 3], [], [7]])
def list_pop_in_while(lst):
    out = []
    while lst:
        out.append(lst.pop())
    return out, lst


@case(inputs=[[4, 5, 6, 7], [1]])
def list_pop_index(lst):
    out = []
    while len(lst) > 1:
        out.append(lst.pop(0))
    return out, lst


@case(inputs=[[]])
def list_pop_empty_raises(lst):
    return lst.pop()


@case(inputs=[[1, 2, 3], [-1, -2]])
def argument_list_mutated(lst):
    for i in range(len(lst)):
        if lst[i] > 0:
            lst[i] = lst[i] * 10
    lst.append(0)


@case(inputs=[{"a": 1}, {}])
def argument_dict_mutated(d):
    for k in list(d):
        d[k + k] = d.pop(k) + 1
    d["new"] = len(d)
    return sorted(d)


@case(inputs=[(2, 3), (0, 0), (1, 4)])
def subscript_2d_augassign(n, m):
    a = [[0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            a[i][j] += i * m + j
            if j > 0:
                a[i][j] += a[i][j - 1]
    return a


@case(inputs=[[3, 1, 2], [5]])
def subscript_swap_in_loop(lst):
    n = len(lst)
    for i in range(n // 2):
        lst[i], lst[n - 1 - i] = lst[n - 1 - i], lst[i]
    return lst


@case(inputs=[4, 0])
def dict_state_in_loop(n):
    counts = {}
    for i in range(n):
        key = "even" if i % 2 == 0 else "odd"
        if key in counts:
            counts[key] += 1
        else:
            counts[key] = 1
    return counts


@case(inputs=["abracadabra", ""])
def dict_get_setdefault(s):
    counts = {}
    groups = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
        groups.setdefault(counts[ch], []).append(ch)
    return counts, groups


@case(inputs=[3, 0, -1])
def attribute_state_self_n(n):
    c = Counter()
    i = 0
    while i < n:
        c.add(i)
        i += 1
    if c.n > 1:
        c.n += 100
    return c.n, c.history


@case(inputs=[call(Counter(5), 3), call(Counter(), 0)])
def attribute_state_argument(c, n):
    for i in range(n):
        if i % 2:
            c.n += i
        else:
            c.n -= 1
    return c.n


@case(inputs=[(1, 2), (5, -5)])
def attribute_swap(a, b):
    p = Pair(a, b)
    if p.a < p.b:
        p.a, p.b = p.b, p.a
    p.c = p.a - p.b
    return p


@case(inputs=[3, 0])
def attribute_of_attribute(n):
    outer = Pair(Pair(0, 0), [])
    for i in range(n):
        outer.a.a += i
        outer.a.b -= i
        outer.b.append(outer.a.a)
    return outer.a.a, outer.a.b, outer.b


@case(inputs=[np.zeros(4), np.arange(3.0)])
def numpy_setitem_in_loop(a):
    for i in range(a.shape[0]):
        if i % 2 == 0:
            a[i] = i * 10
        else:
            a[i] += 1
    return a


@case(inputs=[np.zeros((2, 3), dtype=np.int64)])
def numpy_2d_setitem(a):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = i - j
            a[i][j] += 1
    return a


@case(inputs=[3, -3])
def del_variable(x):
    y = x * 2
    del x
    if y > 0:
        x = y
    else:
        x = -y
    return x


@case(inputs=[[1, 2, 3, 4], [1]])
def del_subscript_in_loop(lst):
    i = 0
    while i < len(lst):
        if lst[i] % 2 == 0:
            del lst[i]
        else:
            i += 1
    return lst


@case(inputs=[3])
def del_then_read_raises(x):
    y = x
    del y
    return y  # noqa: F821 - UnboundLocalError, compared


@case(inputs=[(2, 4)])
def del_attribute_and_dict_key(a, b):
    p = Pair(a, b)
    d = {"a": a, "b": b}
    if a < b:
        del p.a
        del d["a"]
    return vars(p), d


@case(inputs=[4, 1])
def del_in_loop_body(n):
    out = []
    for i in range(n):
        tmp = i * 3
        out.append(tmp)
        del tmp
    return out


@case(inputs=[[1, 2, 3]])
def list_extend_insert_remove(lst):
    for v in list(lst):
        if v == 2:
            lst.remove(v)
        else:
            lst.insert(0, -v)
    lst.extend([9, 9])
    return lst


@case(inputs=[5, 0])
def set_state_in_loop(n):
    seen = set()
    dups = []
    for i in range(n * 2):
        k = i % max(n, 1)
        if k in seen:
            dups.append(k)
        seen.add(k)
    return sorted(seen), dups


@case(inputs=[3, 0])
def list_append_then_index(n):
    out = []
    for i in range(n):
        out.append(i)
        out[i] = out[i] * 2 + (out[i - 1] if i > 0 else 0)
    return out


class Accumulator:
    """Methods converted directly (unbound, bound, classmethod, staticmethod)."""

    scale = 2

    def __init__(self, n=0):
        self.n = n
        self.log = []

    def run(self, k):
        for i in range(k):
            if i % 2:
                self.n += 1
            else:
                self.log.append(i)
                if len(self.log) > 3:
                    break
        return self.n

    @classmethod
    def scaled(cls, v):
        while v > 10:
            v = v // cls.scale
        return v

    @staticmethod
    def clamp(v, lo=0, hi=5):
        if v < lo:
            return lo
        elif v > hi:
            return hi
        return v


case(inputs=[call(Accumulator(), 5), call(Accumulator(3), 0), call(Accumulator(), 12)],
     name="method_unbound_self_state")(Accumulator.run)
case(inputs=[100, 3, -4], name="method_classmethod")(Accumulator.scaled)
case(inputs=[-1, 3, 9, call(7, hi=10)], name="method_staticmethod")(Accumulator.clamp)
