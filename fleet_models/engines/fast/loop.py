"""The fast engine's event loop: one replication, event by event, as the SimPy engine would run it."""

from __future__ import annotations

import math

import numpy as np

from fleet_models.engines.fast.jit import _helper
from fleet_models.engines.fast.jobs import (
    _advance,
    _all_ports_down,
    _job_rate,
    _jobs_down,
    _links,
    _ports_up,
    _record,
)
from fleet_models.engines.fast.laws import _cdf_z, _cohort_age, _failing, _ppf_z, _survivor
from fleet_models.engines.fast.predict import _FALSE_ALARM, _PREDICT, _booked, _foresee
from fleet_models.engines.fast.queues import (
    _ARRIVE,
    _BUSY,
    _CI,
    _EVENTS,
    _EXCLUDE,
    _FAIL,
    _FAILOVER,
    _HN,
    _L_DETECT,
    _L_NTF,
    _L_REPL_DONE,
    _L_VAR,
    _LN,
    _LOST_RATE,
    _N_DEGRADED,
    _OUTAGES,
    _REPL,
    _REPL_DET,
    _REPL_DONE,
    _SWAP_DET,
    _SWAP_DONE,
    _SWAPS,
    _TECH,
    _TOTAL_DOWN,
    _TQH,
    _TQL,
    _WAITS,
    _WINDOW,
    _done_at,
    _later,
    _pop,
    _push,
)
from fleet_models.engines.fast.rng import _hands_on, _stream, _uniform


@_helper
def _run(cfg, kinds, switches, work, IS, FS, et, eseq, ed, hp, fr, lt, lk, lc, lf,
         pq, pq_head, pq_len, tq, lanes):
    """The event loop: handle events until the horizon (returns False) or until one of the
    arrays may lack room for what the next event adds (returns True: the caller grows them)."""
    (S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
     JP, n_jobs, dual, ntf_test, K, Q, renew0, ntf0, tot, push_bound, switch_pool, lane_bound, pf) = cfg
    (per_switch, spares, units, uoff, down_at, span, wide, elements, swap, unit_scope,
     moves, kpool, ntf, fam, pa, pb, pdoa, ptop, pool_lead, renew_key, ntf_key, h_end, u_any, f_end,
     pk) = kinds
    (reasons, rs_reasons, rs_down, failed, nfk, unit_gen, serve, block_down, in_place, gen,
     degraded, awaiting, switch_wide, pending, window_gen, ch_h, ch_left, ch_t0) = switches
    (st, seeded, stock, ports_buf, idx, fails, dbm, lbm, jd, stalled, last_int,
     it, isw, iu, ik, order) = work
    qt, qs, qd, qh, qn = lanes
    n_lanes = qh.shape[0]
    ci = IS[_CI]
    tq_head = IS[_TQH]
    tq_len = IS[_TQL]
    events = IS[_EVENTS]
    while True:
        room = (IS[_HN] + push_bound <= et.shape[0] and IS[_LN] + 2 * P + 16 <= lt.shape[0]
                and tq_len + 2 <= tq.shape[0])
        for q in range(Q):
            if pq_len[q] + 2 > pq.shape[1]:
                room = False
        for lane in range(n_lanes):
            if qn[lane] + lane_bound > qt.shape[1]:
                room = False
        if not room:
            IS[_CI] = ci
            IS[_TQH] = tq_head
            IS[_TQL] = tq_len
            IS[_EVENTS] = events
            return True
        # the next event: the least (time, sequence) of the initial stream's first (whose
        # sequence numbers come before all others), the heap's first and the lanes' first
        src = -3
        now = np.inf
        seq = 0
        if ci < tot:
            src = -2
            now = it[order[ci]]
            seq = -1
        if IS[_HN] > 0:
            x = hp[0]
            if et[x] < now or (et[x] == now and eseq[x] < seq):
                src = -1
                now = et[x]
                seq = eseq[x]
        for lane in range(n_lanes):
            if qn[lane] > 0:
                r = qh[lane]
                if qt[lane, r] < now or (qt[lane, r] == now and qs[lane, r] < seq):
                    src = lane
                    now = qt[lane, r]
                    seq = qs[lane, r]
        if src == -3 or now >= H:
            break
        if src == -2:
            j = order[ci]
            ci += 1
            typ = _FAIL
            ea = ik[j]
            eb = isw[j]
            ec = iu[j]
            ed4 = 0
            ee = 0
        elif src == -1:
            i = _pop(IS, et, eseq, hp, fr)
            typ = ed[i, 0]
            ea = ed[i, 1]
            eb = ed[i, 2]
            ec = ed[i, 3]
            ed4 = ed[i, 4]
            ee = ed[i, 5]
        else:
            r = qh[src]
            qh[src] = (r + 1) & (qt.shape[1] - 1)
            qn[src] -= 1
            typ = qd[src, r, 0]
            ea = qd[src, r, 1]
            eb = qd[src, r, 2]
            ec = qd[src, r, 3]
            ed4 = qd[src, r, 4]
            ee = qd[src, r, 5]
        events += 1

        # what this event starts, handled after its own logic
        start_repl = False
        req_repl = -1
        req_planned = 0
        to_tech_swap = False  # a swap that holds its part (if any) and now asks for a technician
        release = False  # a technician is freed
        sk = 0
        ss = 0
        su = 0
        sg = 0
        sn = 0

        if typ == _FAIL:
            k = ea
            s = eb
            u = ec
            g = 0 if moves[k] else gen[s]
            if g != ed4:
                continue  # the unit was renewed by a switch replacement
            uid = uoff[k] + u
            if unit_scope[k] and unit_gen[s, uid] != ee:
                continue  # renewed with its whole unit by a swap
            fails[k] += 1
            fcount = failed[s, uid] + 1
            if fcount == 1:
                nfk[s * K + k] += 1
            failed[s, uid] = fcount
            if not swap[k] and ch_left[s * K + k] > 0:  # the cohort's next failure
                c = s * K + k
                r = _stream(st, seeded, renew0 + k * S + s, renew_key[k], s)
                t = ch_t0[s] + _cohort_age(st, r, c, 1.0, fam[k], pa[k], pb[k], pdoa[k], ptop[k], h_end[k], ch_h,
                                           ch_left)
                if t < H:
                    v = _survivor(st, r, units[k] * elements[k], elements[k], s, uoff[k], failed)
                    _push(IS, et, eseq, ed, hp, fr, t, _FAIL, k, s, v, ed4, 0)
                    _foresee(IS, et, eseq, ed, hp, fr, st, seeded, pf, pk, k, S, s, t, now, window,
                             ed4)  # predictive replacement: its alarm, a lead ahead
            went_down = fcount == down_at[k]
            if went_down:
                slot = u
                if spares[k] > 0:  # fail in place: an idle spare takes over, or its block goes down
                    base = uoff[k]
                    if not in_place[s * K + k]:
                        in_place[s * K + k] = True
                        for v in range(units[k]):
                            serve[s, base + v] = v if v < per_switch[k] else -1
                    slot = serve[s, uid]
                    serve[s, uid] = -2
                    if slot >= 0:
                        for v in range(per_switch[k], units[k]):  # the lowest idle spare
                            if serve[s, base + v] == -1:
                                serve[s, base + v] = slot
                                slot = -1
                                break
                        if slot >= 0:
                            block_down[s, base + slot] = True
                    if slot < 0:
                        continue  # a spare serves the block (or an idle spare failed): no visit
                _advance(now, IS, FS, dbm, lbm)
                a0 = 0 if wide[k] else slot * span[k]
                b0 = a0 + span[k]
                if not swap[k]:
                    for p in range(a0, b0):
                        if rs_reasons[s, p] == 0:
                            rs_down[s] += 1
                        rs_reasons[s, p] += 1
                cnt = 0
                for p in range(a0, b0):
                    if reasons[s, p] == 0:
                        ports_buf[cnt] = p
                        cnt += 1
                    reasons[s, p] += 1
                IS[_TOTAL_DOWN] += cnt
                if cnt > 0:
                    IS[_OUTAGES] += 1
                    lo = _links(now, ports_buf, cnt, JP[7] < P, 1, JP, IS, lt, lk, lc, lf)
                    if n_jobs > 0 and lo > 0:
                        _jobs_down(now, s, P, ports_buf, lo, False, jd, stalled, last_int, JP, n_jobs,
                                   dual, IS, FS, lanes, lt, lk, lc, lf)
            if swap[k] and (went_down or not unit_scope[k]):
                nt = 0  # no trouble found: drawn per swap from the (kind, switch) stream
                if ntf[k] > 0.0:
                    r = _stream(st, seeded, ntf0 + k * S + s, ntf_key[k], s)
                    if _uniform(st, r) < ntf[k]:
                        nt = 1
                _later(IS, lanes, _L_DETECT, now + detection, _SWAP_DET, k, s, u, ed4, nt)
            elif went_down:
                if not degraded[s]:
                    _advance(now, IS, FS, dbm, lbm)
                    degraded[s] = True
                    IS[_N_DEGRADED] += 1
                _later(IS, lanes, _L_DETECT, now + detection, _REPL_DET, k, s, ed4, 0, 0)
            continue

        if typ == _SWAP_DET or typ == _REPL_DET:
            k = ea
            s = eb
            if typ == _SWAP_DET:
                g = 0 if moves[k] else gen[s]
                if g != ed4:
                    continue
            else:
                if gen[s] != ec:
                    continue
                awaiting[s] += 1
                if wide[k]:
                    switch_wide[s] = True
            # at a detection: replace switch s now if k ports are down or a switch-wide unit
            # failed, else book the next maintenance window (if any)
            if not pending[s] and awaiting[s] > 0:
                if switch_wide[s] or rs_down[s] >= K_ports:
                    req_repl = s
                    req_planned = 0
                elif window > 0.0 and window_gen[s] != gen[s]:
                    window_gen[s] = gen[s]
                    at = math.ceil(now / window) * window
                    _push(IS, et, eseq, ed, hp, fr, now + (at - now), _WINDOW, s, gen[s], 0, 0, 0)
            if typ == _SWAP_DET:
                sk = k
                ss = s
                su = ec
                sg = ed4
                sn = ee
                q = kpool[k]
                if q >= 0:
                    if sn == 0:  # a swap with no trouble found orders no part
                        _order(IS, lanes, K, q, now, pool_lead)
                    if stock[q] > 0 and pq_len[q] == 0:
                        stock[q] -= 1
                        to_tech_swap = True
                    else:
                        IS[_WAITS] += 1
                        r = (pq_head[q] + pq_len[q]) & (pq.shape[1] - 1)
                        pq[q, r, 0] = 0
                        pq[q, r, 1] = k
                        pq[q, r, 2] = s
                        pq[q, r, 3] = ec
                        pq[q, r, 4] = ed4
                        pq[q, r, 5] = sn
                        pq_len[q] += 1
                else:
                    to_tech_swap = True

        elif typ == _WINDOW:
            s = ea
            if gen[s] == eb and not pending[s] and awaiting[s] > 0:
                req_repl = s
                req_planned = 1

        elif typ == _PREDICT or typ == _FALSE_ALARM:  # predictive replacement: planned, no stall
            s = ea
            if _booked(IS, et, eseq, ed, hp, fr, typ, s, eb, now, window, gen, pending):
                req_repl, req_planned = s, 1

        elif typ == _ARRIVE:
            q = ea
            # the part goes to the first waiter still wanting it, else to stock
            placed = False
            while pq_len[q] > 0 and not placed:
                h = pq_head[q]
                w_what = pq[q, h, 0]
                wk = pq[q, h, 1]
                ws = pq[q, h, 2]
                pq_head[q] = (h + 1) & (pq.shape[1] - 1)
                pq_len[q] -= 1
                if w_what == 0:
                    g = 0 if moves[wk] else gen[ws]
                    if g != pq[q, h, 4]:
                        continue  # a stale swap puts the part back
                    placed = True
                    to_tech_swap = True
                    sk = wk
                    ss = ws
                    su = pq[q, h, 3]
                    sg = pq[q, h, 4]
                    sn = pq[q, h, 5]
                else:
                    placed = True  # a replacement with its switch: now a technician
                    if techs == 0 or IS[_BUSY] < techs:
                        if techs > 0:
                            IS[_BUSY] += 1
                        start_repl = True
                        ss = ws
                        req_planned = pq[q, h, 5]
                        sg = 1 if techs > 0 else 0
                    else:
                        r = (tq_head + tq_len) & (tq.shape[0] - 1)
                        tq[r, 0] = 1
                        tq[r, 1] = 0
                        tq[r, 2] = ws
                        tq[r, 3] = 0
                        tq[r, 4] = 0
                        tq[r, 5] = pq[q, h, 5]
                        tq_len += 1
            if not placed:
                stock[q] += 1

        elif typ == _SWAP_DONE:
            k = ea
            s = eb
            u = ec
            release = ee == 1
            g = 0 if moves[k] else gen[s]
            if g == ed4:
                uid = uoff[k] + u
                a0 = 0 if wide[k] else u * span[k]
                b0 = a0 + span[k]
                if unit_scope[k]:
                    up = failed[s, uid] >= down_at[k]
                    if failed[s, uid] > 0:
                        nfk[s * K + k] -= 1
                    failed[s, uid] = 0
                else:
                    failed[s, uid] -= 1
                    up = failed[s, uid] == down_at[k] - 1
                    if failed[s, uid] == 0:
                        nfk[s * K + k] -= 1
                if up:
                    _ports_up(now, s, a0, b0, P, reasons, ports_buf, jd, stalled, JP, n_jobs, dual,
                              IS, FS, dbm, lbm, lt, lk, lc, lf)
                # fresh lives: the whole unit (unit scope) or the one element
                r = _stream(st, seeded, renew0 + k * S + s, renew_key[k], s)
                rem = H - now
                if unit_scope[k]:
                    unit_gen[s, uid] += 1
                    f = _cdf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], rem)
                    c = _failing(st, r, elements[k], f, idx)
                    for _j in range(c):
                        life = _ppf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], _uniform(st, r) * f)
                        _push(IS, et, eseq, ed, hp, fr, now + life, _FAIL, k, s, u, g, unit_gen[s, uid])
                else:  # one element: v < F(H') fails inside, and then ppf(v) is its truncated
                    # life; v >= F(H) >= F(H') cannot (no cdf to compute: most swaps)
                    v = _uniform(st, r)
                    if v < f_end[k] and v < _cdf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], rem):
                        _push(IS, et, eseq, ed, hp, fr, now + _ppf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], v), _FAIL,
                              k, s, u, g, 0)

        elif typ == _EXCLUDE:
            j = ea
            if stalled[j] == eb:  # exclude_hours into a stall: the job restarts without those nodes
                _advance(now, IS, FS, dbm, lbm)
                before = _job_rate(j, jd, stalled, JP, n_jobs, dual)
                stalled[j] = 0
                FS[_LOST_RATE] += _job_rate(j, jd, stalled, JP, n_jobs, dual) - before

        elif typ == _FAILOVER:
            j = ea
            if stalled[j] == -eb:  # failover_hours into a path's loss: it runs on the other plane,
                _advance(now, IS, FS, dbm, lbm)  # slowed, or excluded if exclude_hours have passed
                before = _job_rate(j, jd, stalled, JP, n_jobs, dual)
                stalled[j] = eb if JP[6] < JP[4] else 0
                FS[_LOST_RATE] += _job_rate(j, jd, stalled, JP, n_jobs, dual) - before

        elif typ == _REPL_DONE:
            s = ea
            release = eb == 1
            _ports_up(now, s, 0, P, P, reasons, ports_buf, jd, stalled, JP, n_jobs, dual, IS, FS,
                      dbm, lbm, lt, lk, lc, lf)
            pending[s] = False
            # every unit that goes with the chassis is new (with its spare units)
            rem = H - now
            ch_t0[s] = now
            for k in range(K):
                if moves[k]:
                    continue
                r = _stream(st, seeded, renew0 + k * S + s, renew_key[k], s)
                if not swap[k]:  # a new cohort: its first failure
                    n = units[k] * elements[k]
                    c = s * K + k
                    ch_h[c] = 0.0
                    ch_left[c] = n
                    t = now + _cohort_age(st, r, c, u_any[k], fam[k], pa[k], pb[k], pdoa[k], ptop[k], h_end[k], ch_h,
                                          ch_left)
                    if t < H:
                        v = _survivor(st, r, n, elements[k], s, uoff[k], failed)
                        _push(IS, et, eseq, ed, hp, fr, t, _FAIL, k, s, v, gen[s], 0)
                        _foresee(IS, et, eseq, ed, hp, fr, st, seeded, pf, pk, k, S, s, t, now,
                                 window, gen[s])  # predictive replacement: its alarm
                    continue
                f = _cdf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], rem)
                c = _failing(st, r, units[k] * elements[k], f, idx)
                for j in range(c):
                    life = _ppf_z(fam[k], pa[k], pb[k], pdoa[k], ptop[k], _uniform(st, r) * f)
                    _push(IS, et, eseq, ed, hp, fr, now + life, _FAIL, k, s, idx[j] // elements[k],
                          gen[s], 0)

        # ---- a swap holding its part asks for a technician
        if to_tech_swap:
            if techs == 0 or IS[_BUSY] < techs:
                if techs > 0:
                    IS[_BUSY] += 1
                hold = _start_swap(now, H, sk, sn, swap_hours[sk], exp_hands_on, st, K, kpool, ntf_test,
                                   IS, FS, lanes, lt, lk, lc, lf)
                _done_at(IS, et, eseq, ed, hp, fr, lanes, _L_VAR + sk, exp_hands_on, now + hold,
                         _SWAP_DONE, sk, ss, su, sg, 1 if techs > 0 else 0)
            else:
                r = (tq_head + tq_len) & (tq.shape[0] - 1)
                tq[r, 0] = 0
                tq[r, 1] = sk
                tq[r, 2] = ss
                tq[r, 3] = su
                tq[r, 4] = sg
                tq[r, 5] = sn
                tq_len += 1
        # ---- a technician freed: the next waiter still wanting one starts
        if release:
            handed = False
            while tq_len > 0 and not handed:
                h = tq_head
                wk = tq[h, 1]
                ws = tq[h, 2]
                tq_head = (h + 1) & (tq.shape[0] - 1)
                tq_len -= 1
                if tq[h, 0] == 0:
                    g = 0 if moves[wk] else gen[ws]
                    if g != tq[h, 4]:
                        continue
                    handed = True
                    hold = _start_swap(now, H, wk, tq[h, 5], swap_hours[wk], exp_hands_on, st, K, kpool,
                                       ntf_test, IS, FS, lanes, lt, lk, lc, lf)
                    _done_at(IS, et, eseq, ed, hp, fr, lanes, _L_VAR + wk, exp_hands_on, now + hold,
                             _SWAP_DONE, wk, ws, tq[h, 3], g, 1)
                else:
                    handed = True
                    start_repl = True
                    ss = ws
                    req_planned = tq[h, 5]
                    sg = 1
            if not handed:
                IS[_BUSY] -= 1
        # ---- a replacement is requested: its switch part, then a technician
        if req_repl >= 0:
            s = req_repl
            pending[s] = True
            got = True
            if switch_pool >= 0:
                q = switch_pool
                _order(IS, lanes, K, q, now, pool_lead)
                if stock[q] > 0 and pq_len[q] == 0:
                    stock[q] -= 1
                else:
                    got = False
                    IS[_WAITS] += 1
                    r = (pq_head[q] + pq_len[q]) & (pq.shape[1] - 1)
                    pq[q, r, 0] = 1
                    pq[q, r, 1] = 0
                    pq[q, r, 2] = s
                    pq[q, r, 3] = 0
                    pq[q, r, 4] = 0
                    pq[q, r, 5] = req_planned
                    pq_len[q] += 1
            if got:
                if techs == 0 or IS[_BUSY] < techs:
                    if techs > 0:
                        IS[_BUSY] += 1
                    start_repl = True
                    ss = s
                    sg = 1 if techs > 0 else 0
                else:
                    r = (tq_head + tq_len) & (tq.shape[0] - 1)
                    tq[r, 0] = 1
                    tq[r, 1] = 0
                    tq[r, 2] = s
                    tq[r, 3] = 0
                    tq[r, 4] = 0
                    tq[r, 5] = req_planned
                    tq_len += 1
        # ---- a replacement starts on switch ss (planned: req_planned; holds a technician: sg)
        if start_repl:
            s = ss
            IS[_REPL] += 1
            _advance(now, IS, FS, dbm, lbm)
            gen[s] += 1
            if degraded[s]:
                degraded[s] = False
                IS[_N_DEGRADED] -= 1
            # the ports the replacement takes down (the up ones) and a reason more for every port:
            # one pass; the ports' list only where several jobs must be told which they are
            cnt = _all_ports_down(s, P, reasons, rs_reasons, ports_buf, n_jobs > 1 or JP[7] < P)
            # the old chassis' units and their reasons to be down go; moving units stay
            for k in range(K):
                if moves[k]:
                    continue
                left = nfk[s * K + k]
                nfk[s * K + k] = 0
                u = 0
                while left > 0:
                    uid = uoff[k] + u
                    if failed[s, uid] > 0:
                        left -= 1
                        if failed[s, uid] >= down_at[k] and spares[k] == 0:
                            a0 = 0 if wide[k] else u * span[k]
                            for p in range(a0, a0 + span[k]):
                                reasons[s, p] -= 1
                        failed[s, uid] = 0
                    u += 1
                if unit_scope[k]:
                    for u in range(units[k]):
                        unit_gen[s, uoff[k] + u] = 0
                if spares[k] > 0 and in_place[s * K + k]:  # the blocks that found no spare
                    in_place[s * K + k] = False
                    for slot in range(per_switch[k]):
                        if block_down[s, uoff[k] + slot]:
                            block_down[s, uoff[k] + slot] = False
                            a0 = 0 if wide[k] else slot * span[k]
                            for p in range(a0, a0 + span[k]):
                                reasons[s, p] -= 1
            IS[_TOTAL_DOWN] += cnt
            lo = _links(now, ports_buf, cnt, JP[7] < P, 1, JP, IS, lt, lk, lc, lf)
            if lo > 0 and n_jobs > 0:
                _jobs_down(now, s, P, ports_buf, lo, req_planned == 1, jd, stalled, last_int, JP,
                           n_jobs, dual, IS, FS, lanes, lt, lk, lc, lf)
            rs_down[s] = 0
            awaiting[s] = 0
            switch_wide[s] = False
            hold = _hands_on(st, K, repl_hours, exp_hands_on)
            labour = min(hold, H - now)
            FS[_TECH] += labour
            _record(IS, lt, lk, lc, lf, now, 2 if req_planned else 1, -1, labour, 0.0)
            _done_at(IS, et, eseq, ed, hp, fr, lanes, _L_REPL_DONE, exp_hands_on, now + hold,
                     _REPL_DONE, s, sg, 0, 0, 0)

    IS[_CI] = ci
    IS[_TQH] = tq_head
    IS[_TQL] = tq_len
    IS[_EVENTS] = events
    return False


@_helper
def _order(IS, lanes, K, q, now, pool_lead):
    """A part ordered for pool q: it arrives after the pool's lead time, the one after its change
    (the support period's end) if ordered then; each lead time has its own lane (a FIFO of one
    delay)."""
    if now < pool_lead[q, 1]:
        _later(IS, lanes, _L_VAR + K + q, now + pool_lead[q, 0], _ARRIVE, q, 0, 0, 0, 0)
    else:
        Q = pool_lead.shape[0]
        _later(IS, lanes, _L_VAR + K + Q + q, now + pool_lead[q, 2], _ARRIVE, q, 0, 0, 0, 0)


@_helper
def _start_swap(now, H, k, nt, swap_hours, exp_hands_on, st, K, kpool, ntf_test,
                IS, FS, lanes, lt, lk, lc, lf):
    """A swap's hands-on time starts: count it, its labour, its ledger row; a unit removed with no
    trouble found goes back to its pool after its test. Returns the hands-on hours."""
    hold = _hands_on(st, K, swap_hours, exp_hands_on)
    IS[_SWAPS] += 1
    labour = min(hold, H - now)
    FS[_TECH] += labour
    _record(IS, lt, lk, lc, lf, now, 4 if nt else 0, k, labour, 0.0)
    if nt and kpool[k] >= 0:
        _later(IS, lanes, _L_NTF, now + ntf_test, _ARRIVE, kpool[k], 0, 0, 0, 0)
    return hold
