"""The fast engine's event queues: a binary heap, FIFO lanes, and the initial failures in time order.

Events are ordered by (time, insertion sequence) as SimPy orders its events: those a fixed delay
after their scheduling (detections, exclusions, lead times, fixed hands-on times) wait in FIFO
lanes, one per delay, the rest (lives) in one binary heap per replication; the initial failures
are a time-sorted stream (:func:`_time_order`) merged with both, their sequence numbers first.
The loop's integer and float state (``IS``, ``FS``) are arrays indexed by the constants here, so
helpers can update them.
"""

from __future__ import annotations

import numpy as np

from fleet_models.engines.fast.jit import _helper, njit

# event types; an event's data: ed[i] = (type, a, b, c, d, e)
_FAIL, _SWAP_DET, _SWAP_DONE, _ARRIVE, _REPL_DET, _WINDOW, _REPL_DONE, _EXCLUDE, _FAILOVER = range(9)
_PREDICT, _FALSE_ALARM = 9, 10  # predictive replacement: a planned replacement, a false alarm


# the loop's integer state (IS) and float state (FS): arrays, so helpers can update them
(_TOTAL_DOWN, _N_DEGRADED, _BUSY, _SEQ, _LN, _HN, _NFREE, _TOP, _SWAPS, _REPL, _OUTAGES, _WAITS,
 _INTERRUPTS, _STALLS, _JOBS_DOWN, _CI, _TQH, _TQL, _EVENTS, _MONTH, _LINK_LO, _LINK_HI) = range(22)
# _LINK_LO / _LINK_HI: fabric-link ports down below / from the plan's gpu_ports (tiers only)


_LAST, _DOWN_AREA, _DEG_AREA, _LOST_RATE, _TECH, _MONTH_END = range(6)


@_helper
def _push(IS, et, eseq, ed, hp, fr, t, typ, a, b, c, d, e):
    """Schedule an event at t: its data in a free slot of the event pool, its slot in the heap
    (ordered by time, then insertion sequence, as SimPy orders events)."""
    if IS[_NFREE] > 0:
        IS[_NFREE] -= 1
        i = fr[IS[_NFREE]]
    else:
        i = IS[_TOP]
        IS[_TOP] += 1
    sq = IS[_SEQ]
    IS[_SEQ] = sq + 1
    et[i] = t
    eseq[i] = sq
    ed[i, 0] = typ
    ed[i, 1] = a
    ed[i, 2] = b
    ed[i, 3] = c
    ed[i, 4] = d
    ed[i, 5] = e
    j = IS[_HN]
    IS[_HN] = j + 1
    while j > 0:  # sift the hole up
        p = (j - 1) >> 1
        q = hp[p]
        if et[q] > t or (et[q] == t and eseq[q] > sq):
            hp[j] = q
            j = p
        else:
            break
    hp[j] = i


@_helper
def _pop(IS, et, eseq, hp, fr):
    """Remove the first event and return its slot, already freed: read it before the next push."""
    top = hp[0]
    n = IS[_HN] - 1
    IS[_HN] = n
    if n > 0:
        x = hp[n]
        tx = et[x]
        sx = eseq[x]
        j = 0
        while True:
            left = 2 * j + 1
            if left >= n:
                break
            m = left
            if left + 1 < n:
                a = hp[left]
                b = hp[left + 1]
                if et[b] < et[a] or (et[b] == et[a] and eseq[b] < eseq[a]):
                    m = left + 1
            y = hp[m]
            if et[y] < tx or (et[y] == tx and eseq[y] < sx):
                hp[j] = y
                j = m
            else:
                break
        hp[j] = x
    fr[IS[_NFREE]] = top
    IS[_NFREE] += 1
    return top


# Lanes: an event scheduled a fixed delay after the moment it is scheduled (a detection, a
# job's exclusion, a part's lead time, a fixed hands-on time) comes after every event its
# lane already holds, since the clock never goes back: each lane is a FIFO queue (a ring
# buffer), and the loop takes the least (time, sequence) of the lanes' first events, the
# heap's first and the initial stream's. The order is the heap's order, at a fraction of its
# cost. lanes = (times, sequence numbers, data, heads, lengths).
_L_DETECT, _L_EXCLUDE, _L_NTF, _L_REPL_DONE, _L_FAILOVER, _L_VAR = range(6)
# then one lane per kind for its swaps' ends (a kind's swaps take its own hands-on time, so only
# one kind's ends are in time order), then one per pool (_L_VAR + K + pool)


@_helper
def _later(IS, lanes, lane, t, typ, a, b, c, d, e):
    """Schedule an event at t at the end of lane ``lane`` (t is no earlier than its last)."""
    qt, qs, qd, qh, qn = lanes
    r = (qh[lane] + qn[lane]) & (qt.shape[1] - 1)  # a power of two: no division
    qn[lane] += 1
    qt[lane, r] = t
    qs[lane, r] = IS[_SEQ]
    IS[_SEQ] += 1
    qd[lane, r, 0] = typ
    qd[lane, r, 1] = a
    qd[lane, r, 2] = b
    qd[lane, r, 3] = c
    qd[lane, r, 4] = d
    qd[lane, r, 5] = e


@_helper
def _done_at(IS, et, eseq, ed, hp, fr, lanes, lane, exp_hands_on, t, typ, a, b, c, d, e):
    """Schedule the end of a hands-on time: in its lane when hands-on times are fixed, in the
    heap when they are drawn (exponential)."""
    if exp_hands_on:
        _push(IS, et, eseq, ed, hp, fr, t, typ, a, b, c, d, e)
    else:
        _later(IS, lanes, lane, t, typ, a, b, c, d, e)


_CROWDED = 64  # a bucket this full: the data is far from uniform, and a merge sort takes over


@njit(cache=True)
def _time_order(t, n, H):
    """The stable order of t[:n], times in [0, H] (ties keep their index order, as a stable
    merge sort gives): a bucket per expected element, then insertion within each bucket.
    Initial failures are nearly uniform over the horizon, so this takes linear time, a third
    of a merge sort's on the default's 900; a crowded bucket (far from uniform) falls back to
    the merge sort."""
    nb = max(n, 1)
    bucket = np.empty(n, dtype=np.int64)
    start = np.zeros(nb + 1, dtype=np.int64)
    scale = nb / H
    for i in range(n):
        k = min(max(np.int64(t[i] * scale), 0), nb - 1)
        bucket[i] = k
        start[k + 1] += 1
    for k in range(nb):
        if start[k + 1] > _CROWDED:
            return np.argsort(t[:n], kind="mergesort")
        start[k + 1] += start[k]
    order = np.empty(n, dtype=np.int64)
    fill = start[:nb].copy()
    for i in range(n):  # in index order, so each bucket holds its elements in index order
        order[fill[bucket[i]]] = i
        fill[bucket[i]] += 1
    for k in range(nb):  # insertion by time; strictly later moves, so ties keep index order
        for j in range(start[k] + 1, start[k + 1]):
            x = order[j]
            tx = t[x]
            m = j - 1
            while m >= start[k] and t[order[m]] > tx:
                order[m + 1] = order[m]
                m -= 1
            order[m + 1] = x
    return order


@njit(cache=True)
def _room(it, isw, iu, ik, tot, c):
    """The initial failures' arrays with room for c more after the first tot (grown if short)."""
    if tot + c <= it.shape[0]:
        return it, isw, iu, ik
    m = max(2 * it.shape[0], tot + c)
    it2 = np.empty(m)
    it2[:tot] = it[:tot]
    a2 = np.empty(m, dtype=np.int64)
    a2[:tot] = isw[:tot]
    a3 = np.empty(m, dtype=np.int64)
    a3[:tot] = iu[:tot]
    a4 = np.empty(m, dtype=np.int64)
    a4[:tot] = ik[:tot]
    return it2, a2, a3, a4
