"""One replication of the fast engine: its arrays made, its initial failures drawn, the loop run,
its metrics and ledger returned."""

from __future__ import annotations

import math

import numpy as np

from fleet_models.engines.fast.jit import njit
from fleet_models.engines.fast.jobs import _advance
from fleet_models.engines.fast.laws import (
    _cdf_z,
    _cohort_age,
    _failing,
    _hazard_to_z,
    _ppf_z,
    _survivor,
)
from fleet_models.engines.fast.loop import _run
from fleet_models.engines.fast.predict import _window_at
from fleet_models.engines.fast.queues import (
    _CI,
    _DEG_AREA,
    _DOWN_AREA,
    _EVENTS,
    _FALSE_ALARM,
    _HN,
    _INTERRUPTS,
    _L_VAR,
    _LN,
    _MONTH_END,
    _NFREE,
    _OUTAGES,
    _PREDICT,
    _REPL,
    _SEQ,
    _SWAPS,
    _TECH,
    _TOP,
    _TQH,
    _TQL,
    _WAITS,
    _push,
    _room,
    _time_order,
)
from fleet_models.engines.fast.rng import (
    _HANDS_ON,
    _INITIAL,
    _NTF,
    _NTF_TAG,
    _SWITCH0,
    _seed_stream,
    _splitmix,
    _stream,
    _stream_key,
    _uniform,
)
from fleet_models.engines.fast.rng import (
    _PREDICT as _PREDICT_TAG,
)
from fleet_models.model.ledger import MONTH_HOURS


@njit(cache=True)
def _simulate(S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
              JP, n_jobs, dual, ntf_test,
              per_switch, spares, span, wide, elements, needed, swap, unit_scope, moves, kpool, ntf,
              fam, pa, pb, pdoa, ptop,
              pool_stock, pool_lead, switch_pool,
              x0, words, months, predicted, lead, miss, fa_rate, fa_word):
    K = per_switch.shape[0]
    # stream keys (see _stream_key): initial lives, renewals and NTF per kind, hands-on for the fleet
    init_key = np.empty(K, dtype=np.uint64)
    renew_key = np.empty(K, dtype=np.uint64)
    ntf_key = np.empty(K, dtype=np.uint64)
    for k in range(K):
        init_key[k] = _stream_key(x0, words[k], _INITIAL)
        renew_key[k] = _stream_key(x0, words[k], _SWITCH0)
        ntf_key[k] = _splitmix(_stream_key(x0, words[k], _NTF) ^ _NTF_TAG)
    pred_key = np.empty(K, dtype=np.uint64)
    for k in range(K):
        pred_key[k] = _splitmix(_stream_key(x0, words[k], _PREDICT_TAG) ^ _NTF_TAG)
    fa_key = _splitmix(_stream_key(x0, fa_word, _PREDICT_TAG) ^ _NTF_TAG)
    hands_key = _stream_key(x0, np.uint64(0), _HANDS_ON)  # crc32 of "" is 0
    Q = pool_stock.shape[0]
    units = per_switch + spares
    # units of a switch: kind k's units are uoff[k] .. uoff[k] + units[k] - 1 (spares last)
    uoff = np.zeros(K + 1, dtype=np.int64)
    maxn = 1
    push_bound = 16 + P
    for k in range(K):
        uoff[k + 1] = uoff[k] + units[k]
        n = units[k] * elements[k]
        if n > maxn:
            maxn = n
        push_bound += n
    U = uoff[K]
    down_at = elements - needed + 1
    predicting = predicted.any()
    if predicting:  # a cohort's next failure may bring its planned replacement (a new chassis: K)
        push_bound += K + 1

    # random streams: rows 0..K-1 initial lives, K hands-on, then per (k, s) renewals and NTF
    # (and with a predicted kind per (k, s) its predictions, per switch its false alarms)
    renew0 = K + 1
    ntf0 = K + 1 + K * S
    pred0 = K + 1 + 2 * K * S
    rows = pred0 + (K * S + S if predicting or fa_rate > 0.0 else 0)
    st = np.empty((rows, 4), dtype=np.uint64)
    seeded = np.zeros(rows, dtype=np.bool_)
    for k in range(K):
        _seed_stream(st, k, init_key[k])
    _seed_stream(st, K, hands_key)

    # switch state
    reasons = np.zeros((S, P), dtype=np.int32)  # why each port is down (0: up)
    rs_reasons = np.zeros((S, P), dtype=np.int32)  # the same for replace-switch units only
    rs_down = np.zeros(S, dtype=np.int64)
    failed = np.zeros((S, U), dtype=np.int32)  # failed elements per unit
    # (made only where a kind needs them: unit swaps, spare units; else empty and never read)
    unit_gen = np.zeros((S if unit_scope.any() else 0, U), dtype=np.int32)  # renewals by a unit swap
    fip = S if (spares > 0).any() else 0
    serve = np.zeros((fip, U), dtype=np.int32)  # fail in place: block served (-1 idle, -2 down)
    # units of kind k in switch s with a failed element: a replacement visits only those kinds
    # (at 10,000 switches every row it reads is a cache miss)
    nfk = np.zeros(S * K, dtype=np.int32)
    block_down = np.zeros((fip, U), dtype=np.bool_)  # fail in place: its block found no spare
    in_place = np.zeros(S * K, dtype=np.bool_)  # serve/block_down made for (s, k)
    gen = np.zeros(S, dtype=np.int64)
    # per kind: the cumulative hazard at the horizon, and the chance that a cohort of its
    # elements (units x elements) sees a failure before it: a cohort's draw beyond them needs no
    # age computed, nor a renewed element's beyond f_end its cdf
    h_end = np.empty(K)
    u_any = np.empty(K)
    f_end = np.empty(K)  # and the chance that one element does
    for k in range(K):
        h_end[k] = _hazard_to_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], H)
        u_any[k] = -math.expm1(-units[k] * elements[k] * h_end[k])
        f_end[k] = -math.expm1(-h_end[k])
    # cohorts: the elements of a replace-switch kind on one chassis start together, and nothing
    # renews one of them until the chassis goes, so their failures are drawn one at a time in
    # order (the next only when the last one happens): the cumulative hazard reached by the
    # last failure drawn, the elements yet to fail, and when the chassis' lives began
    ch_h = np.zeros(S * K)
    ch_left = np.zeros(S * K, dtype=np.int64)
    ch_t0 = np.zeros(S)
    degraded = np.zeros(S, dtype=np.bool_)
    awaiting = np.zeros(S, dtype=np.int64)
    switch_wide = np.zeros(S, dtype=np.bool_)
    pending = np.zeros(S, dtype=np.bool_)
    window_gen = np.full(S, -1, dtype=np.int64)
    # jobs
    nj = max(n_jobs, 1)
    jd = np.zeros(nj, dtype=np.int64)  # ports down per job
    stalled = np.zeros(nj, dtype=np.int64)  # its stall number until exclude_hours (0: none)
    last_int = np.full(nj, -np.inf)
    stock = pool_stock.copy()
    ports_buf = np.empty(P, dtype=np.int64)
    idx = np.empty(maxn, dtype=np.int64)

    IS = np.zeros(22, dtype=np.int64)
    FS = np.zeros(6)
    FS[_MONTH_END] = MONTH_HOURS if months > 1 else np.inf  # see _advance
    fails = np.zeros(K, dtype=np.int64)
    dbm = np.zeros(months)
    lbm = np.zeros(months)

    # ledger
    lt = np.empty(1024)
    lk = np.empty(1024, dtype=np.int8)
    lc = np.empty(1024, dtype=np.int32)
    lf = np.empty((1024, 2))  # hands-on hours, a job's GPUs

    # FCFS queues; rows (what: 0 swap / 1 replacement, kind, switch, unit, gen, ntf or planned);
    # rings of a power-of-two size (64, doubled when full): an index is a mask
    pq = np.empty((Q, 64, 6), dtype=np.int64)  # per pool: ring buffer
    pq_head = np.zeros(Q, dtype=np.int64)
    pq_len = np.zeros(Q, dtype=np.int64)
    tq = np.empty((64, 6), dtype=np.int64)
    # lanes (see _later): detection, exclusion, NTF test, swap and replacement hands-on, pools
    n_lanes = _L_VAR + K + 2 * Q  # a pool has a lane before its lead time changes and one after
    lane_bound = 2 * P + 4  # what one event may add to a lane (an exclusion per job it stalls)
    lane_cap = 64
    while lane_cap < 64 + lane_bound:  # a power of two, so a ring's index is a mask, not a division
        lane_cap *= 2
    qt = np.empty((n_lanes, lane_cap))
    qs = np.empty((n_lanes, lane_cap), dtype=np.int64)
    qd = np.empty((n_lanes, lane_cap, 6), dtype=np.int64)
    qh = np.zeros(n_lanes, dtype=np.int64)
    qn = np.zeros(n_lanes, dtype=np.int64)

    # initial failures, sorted by time: a stream merged with the heap (their sequence numbers
    # 0 .. tot-1 come before every later event's, so ties go to them as in one heap)
    tot = 0
    it = np.empty(1024)
    isw = np.empty(1024, dtype=np.int64)
    iu = np.empty(1024, dtype=np.int64)
    ik = np.empty(1024, dtype=np.int64)
    for k in range(K):
        n = units[k] * elements[k]
        if not swap[k]:  # a cohort: the first failure of each switch's (see _run, _FAIL)
            it, isw, iu, ik = _room(it, isw, iu, ik, tot, S)
            for s in range(S):
                c = s * K + k
                ch_h[c] = 0.0  # a new cohort: all n elements survive
                ch_left[c] = n
                t = _cohort_age(st, k, c, u_any[k], fam[k], pa[k], pb[k], pdoa[k], ptop[k], h_end[k], ch_h, ch_left)
                if t < H:
                    it[tot] = t
                    isw[tot] = s
                    iu[tot] = _survivor(st, k, n, elements[k], s, uoff[k], failed)
                    ik[tot] = k
                    tot += 1
            continue
        f = _cdf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], H)
        if f <= 0.0:
            continue
        first = tot
        for s in range(S):
            c = _failing(st, k, n, f, idx)
            it, isw, iu, ik = _room(it, isw, iu, ik, tot, c)
            for j in range(c):
                isw[tot] = s
                iu[tot] = idx[j] // elements[k]
                ik[tot] = k
                tot += 1
        for j in range(first, tot):  # lives of this kind's failing elements, after the choices
            it[j] = _ppf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], _uniform(st, k) * f)
    order = _time_order(it, tot, H)
    IS[_SEQ] = tot

    # predictive replacement: the planned replacements the initial failures bring, and the
    # false alarms (a Poisson process per switch), pushed before the loop starts
    pw = np.empty(tot + 1)
    ps = np.empty(tot + 1, dtype=np.int64)
    np_ = 0
    fw = np.empty(16)
    fs = np.empty(16, dtype=np.int64)
    nf = 0
    if predicting:  # (none at a miss rate of 1: see _PerPlan.predicted)
        for j in range(tot):
            k = ik[j]
            if not predicted[k]:
                continue
            s = isw[j]
            r = _stream(st, seeded, pred0 + k * S + s, pred_key[k], s)
            if _uniform(st, r) < miss:
                continue
            w = _window_at(max(it[j] - lead, 0.0), window)
            if w < it[j]:
                pw[np_] = w
                ps[np_] = s
                np_ += 1
    if fa_rate > 0.0:  # (only where a kind is predicted: see _PerPlan.false_alarm_rate)
        for s in range(S):
            r = _stream(st, seeded, pred0 + K * S + s, fa_key, s)
            t = -math.log(1.0 - _uniform(st, r)) / fa_rate
            while t < H:
                if nf == fw.shape[0]:
                    fw2 = np.empty(2 * nf)
                    fw2[:nf] = fw
                    fw = fw2
                    fs2 = np.empty(2 * nf, dtype=np.int64)
                    fs2[:nf] = fs
                    fs = fs2
                fw[nf] = t
                fs[nf] = s
                nf += 1
                t += -math.log(1.0 - _uniform(st, r)) / fa_rate

    cap = 1024 + push_bound + np_ + nf
    et = np.empty(cap)
    eseq = np.empty(cap, dtype=np.int64)
    ed = np.empty((cap, 6), dtype=np.int64)
    hp = np.empty(cap, dtype=np.int64)
    fr = np.empty(cap, dtype=np.int64)
    for j in range(np_):
        _push(IS, et, eseq, ed, hp, fr, pw[j], _PREDICT, ps[j], 0, 0, 0, 0)
    for j in range(nf):
        _push(IS, et, eseq, ed, hp, fr, fw[j], _FALSE_ALARM, fs[j], 0, 0, 0, 0)

    IS[_CI] = 0
    cfg = (S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
           JP, n_jobs, dual, ntf_test, K, Q, renew0, ntf0, tot, push_bound, switch_pool, lane_bound,
           (pred0, lead, miss))
    kinds = (per_switch, spares, units, uoff, down_at, span, wide, elements, swap, unit_scope,
             moves, kpool, ntf, fam, pa, pb, pdoa, ptop, pool_lead, renew_key, ntf_key, h_end, u_any, f_end,
             (predicted, pred_key))
    switches = (reasons, rs_reasons, rs_down, failed, nfk, unit_gen, serve, block_down, in_place, gen,
                degraded, awaiting, switch_wide, pending, window_gen, ch_h, ch_left, ch_t0)
    work = (st, seeded, stock, ports_buf, idx, fails, dbm, lbm, jd, stalled, last_int,
            it, isw, iu, ik, order)
    # the loop runs until the horizon, or until an array needs room: then it is grown here and
    # the loop resumes (arrays are never reassigned inside the loop, which keeps numba from
    # reference-counting them at every event)
    while _run(cfg, kinds, switches, work, IS, FS, et, eseq, ed, hp, fr, lt, lk, lc, lf,
               pq, pq_head, pq_len, tq, (qt, qs, qd, qh, qn)):
        if IS[_HN] + push_bound > et.shape[0]:
            m = 2 * et.shape[0] + push_bound
            top = IS[_TOP]
            a = np.empty(m)
            a[:top] = et[:top]
            et = a
            b = np.empty(m, dtype=np.int64)
            b[:top] = eseq[:top]
            eseq = b
            d = np.empty((m, 6), dtype=np.int64)
            d[:top] = ed[:top]
            ed = d
            b = np.empty(m, dtype=np.int64)
            b[:IS[_HN]] = hp[:IS[_HN]]
            hp = b
            b = np.empty(m, dtype=np.int64)
            b[:IS[_NFREE]] = fr[:IS[_NFREE]]
            fr = b
        if IS[_LN] + 2 * P + 16 > lt.shape[0]:
            m = 2 * lt.shape[0] + 2 * P + 16
            ln = IS[_LN]
            a = np.empty(m)
            a[:ln] = lt[:ln]
            lt = a
            f2 = np.empty((m, 2))
            f2[:ln] = lf[:ln]
            lf = f2
            k8 = np.empty(m, dtype=np.int8)
            k8[:ln] = lk[:ln]
            lk = k8
            c32 = np.empty(m, dtype=np.int32)
            c32[:ln] = lc[:ln]
            lc = c32
        tq_head = IS[_TQH]
        tq_len = IS[_TQL]
        grow = tq_len + 2 > tq.shape[0]
        for q in range(Q):
            if pq_len[q] + 2 > pq.shape[1]:
                grow = True
        if grow:  # double every queue's ring, unrolled to its head
            m = 2 * tq.shape[0]
            t2 = np.empty((m, 6), dtype=np.int64)
            for j in range(tq_len):
                t2[j] = tq[(tq_head + j) & (tq.shape[0] - 1)]
            tq = t2
            IS[_TQH] = 0
            p2 = np.empty((Q, m, 6), dtype=np.int64)
            for q in range(Q):
                for j in range(pq_len[q]):
                    p2[q, j] = pq[q, (pq_head[q] + j) & (pq.shape[1] - 1)]
                pq_head[q] = 0
            pq = p2
        if (qn + lane_bound > qt.shape[1]).any():  # double every lane's ring, unrolled to its head
            m = 2 * qt.shape[1]
            qt2 = np.empty((n_lanes, m))
            qs2 = np.empty((n_lanes, m), dtype=np.int64)
            qd2 = np.empty((n_lanes, m, 6), dtype=np.int64)
            for lane in range(n_lanes):
                for j in range(qn[lane]):
                    r = (qh[lane] + j) & (qt.shape[1] - 1)
                    qt2[lane, j] = qt[lane, r]
                    qs2[lane, j] = qs[lane, r]
                    qd2[lane, j] = qd[lane, r]
                qh[lane] = 0
            qt = qt2
            qs = qs2
            qd = qd2

    _advance(H, IS, FS, dbm, lbm)  # the horizon: close the areas
    out = np.empty(9)
    out[0] = 1.0 - FS[_DOWN_AREA] / (S * P * H)
    out[1] = IS[_SWAPS]
    out[2] = IS[_REPL]
    out[3] = FS[_DOWN_AREA]
    out[4] = IS[_OUTAGES]
    out[5] = FS[_DEG_AREA]
    out[6] = FS[_TECH]
    out[7] = IS[_WAITS]
    out[8] = IS[_INTERRUPTS]
    ln = IS[_LN]
    return (out, fails, IS[_EVENTS], lt[:ln].copy(), lk[:ln].copy(), lc[:ln].copy(), lf[:ln, 0].copy(),
            dbm, lbm, lf[:ln, 1].copy())
