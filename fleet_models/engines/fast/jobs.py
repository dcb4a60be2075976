"""The fast engine's clock areas and the [fabric]'s jobs: port-down hours and GPU-hours lost by
month, the ledger's rows, and what a port going down or up does to the job owning it (single
homing: stall, interruption, exclusion after exclude_hours; dual: slow-down, then the lesser of
it and the excluded GPUs)."""

from __future__ import annotations

import numpy as np

from fleet_models.engines.fast.jit import _helper
from fleet_models.engines.fast.queues import (
    _DEG_AREA,
    _DOWN_AREA,
    _EXCLUDE,
    _FAILOVER,
    _INTERRUPTS,
    _JOBS_DOWN,
    _L_EXCLUDE,
    _L_FAILOVER,
    _LAST,
    _LINK_HI,
    _LINK_LO,
    _LN,
    _LOST_RATE,
    _MONTH,
    _MONTH_END,
    _N_DEGRADED,
    _STALLS,
    _TOTAL_DOWN,
    _later,
)
from fleet_models.model.ledger import MONTH_HOURS


@_helper
def _by_month(months, rate, a, b):
    """Add rate x (b - a) to the months [a, b) spans (port-hours down, GPU-hours lost)."""
    last = months.shape[0] - 1
    m = int(a // MONTH_HOURS)
    while a < b:
        end = min(b, (m + 1) * MONTH_HOURS) if m < last else b
        months[min(m, last)] += rate * (end - a)
        a = end
        m += 1


@_helper
def _advance(now, IS, FS, dbm, lbm):
    """Bring the areas (port-hours down, degraded switch-hours, GPU-hours lost) up to now.
    IS[_MONTH] is a month the clock has reached and FS[_MONTH_END] its end (inf for the last
    month): while now is within it, so is the whole step, which goes to that month alone (what
    _by_month would do, without its division); past it, _by_month splits the step."""
    last = FS[_LAST]
    dt = now - last
    if dt > 0.0:
        td = IS[_TOTAL_DOWN]
        lr = FS[_LOST_RATE]
        if now <= FS[_MONTH_END]:
            m = IS[_MONTH]
            if td:
                dbm[m] += td * dt
            if lr != 0.0:
                lbm[m] += lr * dt
        else:
            if td:
                _by_month(dbm, td, last, now)
            if lr != 0.0:
                _by_month(lbm, lr, last, now)
            m = int(now // MONTH_HOURS)
            final = dbm.shape[0] - 1
            IS[_MONTH] = min(m, final)
            FS[_MONTH_END] = (m + 1) * MONTH_HOURS if m < final else np.inf
        FS[_DOWN_AREA] += td * dt
        FS[_DEG_AREA] += IS[_N_DEGRADED] * dt
        FS[_LAST] = now


@_helper
def _record(IS, lt, lk, lc, lf, t, kind, comp, hours, gpus):
    """A ledger row: its time, kind, component, hands-on hours and (a job's event) GPUs."""
    n = IS[_LN]
    lt[n] = t
    lk[n] = kind
    lc[n] = comp
    lf[n, 0] = hours
    lf[n, 1] = gpus
    IS[_LN] = n + 1


@_helper
def _links(now, ports, cnt, listed, sign, JP, IS, lt, lk, lc, lf):
    """``cnt`` ports of a switch went down (sign 1) or came up (-1): of them, those below the
    plan's gpu_ports (JP[7]; ``ports[:cnt]`` increasing when ``listed``, else all of them) and
    the rest; a plan of a tiered fabric records the fabric-link ports it watches (JP[8]: those
    below gpu_ports, JP[9]: the rest) as ledger rows of kind 6 (EventKind.LINKS): time, the side
    (0 below, 1 from gpu_ports) and that side's ports down after the change. Returns how many
    were below gpu_ports (the GPU-facing ones where the plan has jobs)."""
    lo = cnt
    if listed:
        g = JP[7]
        lo = 0
        while lo < cnt and ports[lo] < g:
            lo += 1
    if JP[8] > 0.0 and lo > 0:
        IS[_LINK_LO] += sign * lo
        _record(IS, lt, lk, lc, lf, now, 6, 0, float(IS[_LINK_LO]), 0.0)
    if JP[9] > 0.0 and cnt > lo:
        IS[_LINK_HI] += sign * (cnt - lo)
        _record(IS, lt, lk, lc, lf, now, 6, 1, float(IS[_LINK_HI]), 0.0)
    return lo


@_helper
def _job_of(s, p, P, JP, n_jobs):
    """The job of port p of switch s: GPUs sit behind the first JP[7] (gpu_ports) ports of each
    switch, numbered switch by switch."""
    return min(np.int64(((s * np.int64(JP[7]) + p) * JP[0]) // JP[1]), n_jobs - 1)


@_helper
def _job_group(s, P, ports, i, cnt, JP, n_jobs):
    """The job of ports[i] and how many of ports[i:cnt] (increasing) it owns: jobs grow with the
    port, so when the last port is the same job, all of them (one division, not one per port)."""
    if n_jobs == 1:  # one job owns every port (no division needed)
        return 0, cnt - i
    j = _job_of(s, ports[i], P, JP, n_jobs)
    if _job_of(s, ports[cnt - 1], P, JP, n_jobs) == j:
        return j, cnt - i
    c = 1
    while i + c < cnt and _job_of(s, ports[i + c], P, JP, n_jobs) == j:
        c += 1
    return j, c


@_helper
def _job_rate(j, jd, stalled, JP, n_jobs, dual):
    """GPU-hours job j loses per hour now (the SimPy engine's ``_job_rate``)."""
    d = jd[j]
    if d == 0:
        return 0.0
    g = JP[2] if j == n_jobs - 1 else JP[1]
    excluded = min(d * JP[0], g)
    if dual:
        if stalled[j] < 0:  # failing over to the other plane: all its GPUs wait
            return g
        slowed = JP[3] * g
        return slowed if stalled[j] > 0 else min(slowed, excluded)
    return g if stalled[j] > 0 else excluded


@_helper
def _jobs_down(now, s, P, ports, cnt, planned, jd, stalled, last_int, JP, n_jobs, dual,
               IS, FS, lanes, lt, lk, lc, lf):
    """Ports ports[:cnt] (increasing) of switch s went down (the clock is advanced): single homing
    stalls and interrupts the running jobs owning them (unless planned), dual homing slows them;
    a planned replacement drains each job owning one (a drain row with its GPUs)."""
    i = 0
    while i < cnt:
        j, c = _job_group(s, P, ports, i, cnt, JP, n_jobs)
        i += c
        before = _job_rate(j, jd, stalled, JP, n_jobs, dual)
        was = jd[j]
        jd[j] = was + c
        if was == 0:
            IS[_JOBS_DOWN] += 1
        if planned:
            _record(IS, lt, lk, lc, lf, now, 5, -1, 0.0, JP[2] if j == n_jobs - 1 else JP[1])
        if (dual and was == 0) or (not dual and not planned and stalled[j] == 0):
            IS[_STALLS] += 1
            stalled[j] = IS[_STALLS]
            _later(IS, lanes, _L_EXCLUDE, now + JP[4], _EXCLUDE, j, IS[_STALLS], 0, 0, 0)
            if dual and JP[6] > 0.0:  # a path dropped: the job fails over first (its number < 0)
                stalled[j] = -IS[_STALLS]
                _later(IS, lanes, _L_FAILOVER, now + JP[6], _FAILOVER, j, IS[_STALLS], 0, 0, 0)
            if not dual and now - last_int[j] >= JP[5]:
                IS[_INTERRUPTS] += 1
                last_int[j] = now
                _record(IS, lt, lk, lc, lf, now, 3, -1, 0.0, JP[2] if j == n_jobs - 1 else JP[1])
        FS[_LOST_RATE] += _job_rate(j, jd, stalled, JP, n_jobs, dual) - before


@_helper
def _jobs_up(s, P, ports, cnt, jd, stalled, JP, n_jobs, dual, IS, FS):
    """Ports ports[:cnt] (increasing) of switch s came back: a stall of their job ends."""
    i = 0
    while i < cnt:
        j, c = _job_group(s, P, ports, i, cnt, JP, n_jobs)
        i += c
        before = _job_rate(j, jd, stalled, JP, n_jobs, dual)
        d = jd[j] - c
        jd[j] = d
        if d == 0:
            stalled[j] = 0
            IS[_JOBS_DOWN] -= 1
        FS[_LOST_RATE] += _job_rate(j, jd, stalled, JP, n_jobs, dual) - before
    if IS[_JOBS_DOWN] == 0:
        FS[_LOST_RATE] = 0.0  # no residue of the running sum


@_helper
def _ports_up(now, s, a0, b0, P, reasons, ports_buf, jd, stalled, JP, n_jobs, dual, IS, FS, dbm, lbm,
              lt, lk, lc, lf):
    """One reason fewer on ports [a0, b0) of switch s (the clock advanced first): those left with
    none are up again, and the stalls of their jobs end."""
    _advance(now, IS, FS, dbm, lbm)
    cnt = 0
    listed = n_jobs > 1 or JP[7] < P  # which ports: their jobs (or their side) are told
    if listed:
        for p in range(a0, b0):
            reasons[s, p] -= 1
            if reasons[s, p] == 0:
                ports_buf[cnt] = p
                cnt += 1
    else:  # how many (one job or none): a pass without branches
        for p in range(a0, b0):
            reasons[s, p] -= 1
            cnt += reasons[s, p] == 0
    IS[_TOTAL_DOWN] -= cnt
    if cnt > 0:
        lo = _links(now, ports_buf, cnt, JP[7] < P, -1, JP, IS, lt, lk, lc, lf)
        if lo > 0 and n_jobs > 0:
            _jobs_up(s, P, ports_buf, lo, jd, stalled, JP, n_jobs, dual, IS, FS)


@_helper
def _all_ports_down(s, P, reasons, rs_reasons, ports_buf, listed):
    """A switch replacement: a reason more on every port of switch s and no replace-switch
    reason left; returns how many ports went down (listed in ports_buf only where their jobs,
    or their side of a tier, must be told which: one pass either way)."""
    cnt = 0
    if listed:
        for p in range(P):
            if reasons[s, p] == 0:
                ports_buf[cnt] = p
                cnt += 1
            reasons[s, p] += 1
            rs_reasons[s, p] = 0
    else:
        for p in range(P):
            cnt += reasons[s, p] == 0
            reasons[s, p] += 1
            rs_reasons[s, p] = 0
    return cnt
