"""Larger functions: a small state machine and a queue simulation."""


def _service_time(customer_id, base):
    return base + (customer_id * 7) % 5


def tokenize_arithmetic(text):
    tokens = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == " ":
            i += 1
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            start = i
            seen_dot = False
            while i < n and (text[i].isdigit() or (text[i] == "." and not seen_dot)):
                if text[i] == ".":
                    seen_dot = True
                i += 1
            tokens.append(("num", float(text[start:i])))
        elif ch.isalpha() or ch == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            tokens.append(("name", text[start:i]))
        elif ch in "+-*/()":
            tokens.append(("op", ch))
            i += 1
        else:
            return None
    return tokens


def simulate_bank_queue(arrivals, n_tellers, base_time, max_queue):
    # arrivals: list of (time, customer_id), sorted by time.
    tellers = [0] * n_tellers
    per_teller = [0] * n_tellers
    queue = []
    longest_queue = 0
    served = 0
    turned_away = 0
    total_wait = 0
    longest_wait = 0
    clock = 0
    k = 0
    while k < len(arrivals) or queue:
        if k < len(arrivals) and (not queue or arrivals[k][0] <= clock):
            t, cid = arrivals[k]
            k += 1
            if t > clock:
                clock = t
            if len(queue) >= max_queue:
                turned_away += 1
                continue
            queue.append((t, cid))
            if len(queue) > longest_queue:
                longest_queue = len(queue)
        free = -1
        for idx in range(n_tellers):
            if tellers[idx] <= clock:
                free = idx
                break
        if free < 0:
            soonest = tellers[0]
            for busy_until in tellers:
                if busy_until < soonest:
                    soonest = busy_until
            if k < len(arrivals) and arrivals[k][0] < soonest:
                clock = max(clock, arrivals[k][0])
            else:
                clock = soonest
            continue
        if not queue:
            continue
        t, cid = queue.pop(0)
        wait = clock - t
        total_wait += wait
        if wait > longest_wait:
            longest_wait = wait
        tellers[free] = clock + _service_time(cid, base_time)
        per_teller[free] += 1
        served += 1
    if served == 0:
        mean_wait = 0.0
    else:
        mean_wait = total_wait / served
    busiest = 0
    for idx in range(1, n_tellers):
        if per_teller[idx] > per_teller[busiest]:
            busiest = idx
    return served, turned_away, mean_wait, longest_wait, longest_queue, busiest


CASES = {
    "tokenize_arithmetic": [("x1 + 2.5*(y - 3)",), ("",), ("a $ b",), (".5/_z",)],
    "simulate_bank_queue": [
        ([(0, 1), (1, 2), (1, 3), (2, 4), (5, 5), (6, 6), (6, 7), (9, 8)], 2, 3, 3),
        ([(0, i) for i in range(12)], 1, 2, 4),
        ([], 3, 1, 2),
    ],
}
