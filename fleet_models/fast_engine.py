"""The fast fleet engine: the SimPy engine's semantics as one event loop compiled with numba.

It consumes the same :class:`~fleet_models.contract.FleetPlan` and fills the same metrics and
:class:`~fleet_models.ledger.Ledger` as :mod:`fleet_models.engine` (whose docstring states the
semantics); the two engines are not bit-identical (their random numbers differ) but their
per-replication metric distributions agree (tests/test_fast_engine.py holds them to that).

How
    One binary heap of events per replication, ordered by (time, insertion sequence) as SimPy
    orders its events; spare pools (base stock, lead time) and technicians are FCFS queues.
    Switch state lives in dense arrays (ports down and why, failed elements per unit,
    generations), so one event costs a few hundred nanoseconds.

Random numbers
    xoshiro256** streams seeded from numpy ``SeedSequence`` values computed in Python with the
    same keys as :class:`fleet_models.streams.Streams`: per (seed, replication, component name)
    one stream for the initial lives and one key for renewals, mixed with the switch index
    (SplitMix64) into one stream per (component, switch); hands-on times have their own. So a
    result depends neither on the number of workers nor on the other architectures, and two
    architectures sharing a component see the same failures of it (common random numbers).
    Which elements fail within a horizon is drawn by geometric skips (Bernoulli thinning at
    F(H') per element, the exact law of binomial thinning plus a uniform choice), then their
    lives by truncated sampling ppf(U F(H')).

What it refuses
    :func:`unsupported` names what the plan holds that this engine does not model (a life
    family without a compiled cdf/ppf, fail in place, any scenario field it does not know set
    away from its default); ``engine="auto"`` then runs the SimPy engine and says why. To add a
    feature: model it in ``_simulate``, then add its field to ``_KNOWN``.

Cache
    Compiled code is cached (``@njit(cache=True)``) in ``NUMBA_CACHE_DIR`` if set, else in
    ``~/.cache/cpo-analyzer/numba`` (if that cannot be created, numba's own default beside the
    module, or none).
"""

from __future__ import annotations

import dataclasses
import math
import os
import zlib
from pathlib import Path

import numpy as np

from fleet_models.contract import FleetPlan, ReplicationOutcome
from fleet_models.ledger import MONTH_HOURS, Ledger
from fleet_models.metrics import COMMON, failure_column
from fleet_models.spec import (
    Architecture,
    Component,
    Costs,
    Fleet,
    Policy,
    Scenario,
    SparePool,
    Workload,
)
from fleet_models.streams import Streams


def _cache_dir() -> None:
    """Point numba's cache at a writable directory before numba is imported."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    path = Path.home() / ".cache" / "cpo-analyzer" / "numba"
    try:
        path.mkdir(parents=True, exist_ok=True)
        if os.access(path, os.W_OK):
            os.environ["NUMBA_CACHE_DIR"] = str(path)
    except OSError:
        pass  # numba falls back to __pycache__ beside the module, or to no cache


_cache_dir()

try:
    import numba
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; auto falls back without it
    numba = None

    def njit(*args, **kwargs):
        def wrap(f):
            return f
        return wrap


# --------------------------------------------------------------------------- what it models

FAMILIES = {"weibull": 0, "exponential": 1, "lognormal": 2, "loglogistic": 3}
"""Life families with a compiled cdf/ppf (code passed to the loop)."""

# Fields the fast engine models or that do not change a simulation (names, prices, power, the
# costs the ledger is priced with afterwards). Any other field set away from its declared
# default makes :func:`unsupported` refuse the plan.
_KNOWN: dict[type, set[str]] = {
    Scenario: {"name", "horizon_hours", "fleet", "architectures", "policy", "costs", "workload",
               "replications", "seed", "uncertainty"},
    Fleet: {"switches", "ports_per_switch", "port_gbps"},
    Architecture: {"name", "components", "switch_price_usd", "switch_power_w", "description"},
    Component: {"name", "per_switch", "ports_per_unit", "life", "repair", "elements", "needed",
                "repair_scope", "moves_on_replacement", "price_usd", "power_w", "source"},
    Policy: {"detection_hours", "technicians", "swap_hours", "switch_replacement_hours",
             "replace_switch_when_ports_down", "maintenance_window_days", "hands_on", "spares",
             "switch_swap_hours", "refibre_hours"},  # the two terms reach it as their sum
    SparePool: {"stock", "lead_time_hours", "unit_price_usd"},
    Costs: {f.name for f in dataclasses.fields(Costs)},  # priced after the run, from the ledger
    Workload: {"gpus_per_port", "job_gpus", "restart_hours", "checkpoint_interval_hours",
               "stall_fraction"},
}


def _unknown_fields(obj: object, where: str) -> list[str]:
    out: list[str] = []
    known = _KNOWN.get(type(obj))
    if known is None:
        return out
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if f.name not in known:
            if f.default is not dataclasses.MISSING:
                default = f.default
            elif f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            else:
                out.append(f"{where}{f.name} = {value!r}")
                continue
            if value != default:
                out.append(f"{where}{f.name} = {value!r}")
    return out


def unsupported(plan: FleetPlan) -> str | None:
    """Why the fast engine cannot run ``plan`` faithfully, or None."""
    if numba is None:
        return "numba is not installed"
    sc, arch = plan.scenario, plan.architecture
    problems = _unknown_fields(sc, "") + _unknown_fields(sc.fleet, "fleet.")
    problems += _unknown_fields(sc.policy, "policy.") + _unknown_fields(sc.costs, "costs.")
    problems += _unknown_fields(sc.workload, "workload.") + _unknown_fields(arch, f"{arch.name}: ")
    for name, pool in sc.policy.spares.items():
        problems += _unknown_fields(pool, f"policy.spares.{name}.")
    if plan.n_jobs:  # the [fabric]'s per-job stalls, exclusions and slow-downs are SimPy's alone
        problems.append(f"{arch.name}: the jobs' GPU-hours under the [fabric] (workload.job_gpus and "
                        "gpus_per_port > 0)")
    for c in arch.components:
        where = f"{arch.name}.{c.name}: "
        if c.spare_units:
            problems.append(f"{where}spare_units = {c.spare_units} (fail in place)")
        problems += [p for p in _unknown_fields(c, where) if "spare_units" not in p]
        if c.life.family.name not in FAMILIES:
            problems.append(f"{where}life family {c.life.family.name!r} has no compiled cdf/ppf")
    if not problems:
        return None
    return "the fast engine does not model " + "; ".join(problems)


# --------------------------------------------------------------------------- random numbers

_U1 = np.uint64(1)
_U7 = np.uint64(7)
_U9 = np.uint64(9)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U27 = np.uint64(27)
_U30 = np.uint64(30)
_U31 = np.uint64(31)
_U45 = np.uint64(45)
_U5 = np.uint64(5)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO53 = 1.0 / 9007199254740992.0


@njit(cache=True)
def _splitmix(x):
    z = x + _GOLDEN
    z = (z ^ (z >> _U30)) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> _U31)


@njit(cache=True)
def _seed_stream(st, i, key):
    x = key
    for j in range(4):
        x = x + _GOLDEN
        st[i, j] = _splitmix(x)


@njit(cache=True)
def _rotl(x, k):
    return (x << k) | (x >> (np.uint64(64) - k))


@njit(cache=True)
def _uniform(st, i):
    """xoshiro256** step of stream i: a double in [0, 1)."""
    s0 = st[i, 0]
    s1 = st[i, 1]
    s2 = st[i, 2]
    s3 = st[i, 3]
    result = _rotl(s1 * _U5, _U7) * _U9
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _U45)
    st[i, 0] = s0
    st[i, 1] = s1
    st[i, 2] = s2
    st[i, 3] = s3
    return np.float64(result >> _U11) * _TWO53


# --------------------------------------------------------------------------- life laws


@njit(cache=True)
def _ndtri(p):
    """Inverse standard normal cdf: Acklam's rational approximation, one Halley step."""
    if p <= 0.0:
        return -np.inf
    if p >= 1.0:
        return np.inf
    plow = 0.02425
    if p < plow:
        q = math.sqrt(-2.0 * math.log(p))
        x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
               - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) / \
            ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
              + 3.754408661907416e+00) * q + 1.0)
    elif p <= 1.0 - plow:
        q = p - 0.5
        r = q * q
        x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
               + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q / \
            (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
               + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1.0)
    else:
        q = math.sqrt(-2.0 * math.log1p(-p))
        x = -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) / \
            ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
              + 3.754408661907416e+00) * q + 1.0)
    e = 0.5 * math.erfc(-x / math.sqrt(2.0)) - p
    u = e * math.sqrt(2.0 * math.pi) * math.exp(x * x / 2.0)
    return x - u / (1.0 + x * u / 2.0)


@njit(cache=True)
def _cdf(fam, a, b, t):
    if t <= 0.0:
        return 0.0
    if fam == 0 or fam == 1:  # weibull (shape a, scale b); exponential: a = 1
        log_h = a * math.log(t / b)
        return 1.0 if log_h > 700.0 else -math.expm1(-math.exp(log_h))
    if fam == 2:  # lognormal (mu a, sigma b)
        return 0.5 * math.erfc(-((math.log(t) - a) / b) / math.sqrt(2.0))
    z = -a * math.log(t / b)  # loglogistic (shape a, scale b)
    return 0.0 if z > 700.0 else 1.0 / (1.0 + math.exp(z))


@njit(cache=True)
def _ppf(fam, a, b, q):
    if fam == 0 or fam == 1:
        return b * (-math.log1p(-q)) ** (1.0 / a)
    if fam == 2:
        return math.exp(a + b * _ndtri(q))
    return b * (q / (1.0 - q)) ** (1.0 / a)


@njit(cache=True)
def _failing(st, sid, n, f, out):
    """Which of n new elements fail (each with probability f): geometric skips over the indices
    (for f > 1/2 over the survivors); writes the indices in increasing order, returns the count."""
    if f <= 0.0:
        return 0
    if f >= 1.0:
        for i in range(n):
            out[i] = i
        return n
    g = f if f <= 0.5 else 1.0 - f
    lq = math.log1p(-g)
    c = 0
    i = -1
    while True:
        # a float floor: the gap may exceed any integer when g is tiny (numba's math.floor
        # would overflow int64)
        gap = np.floor(math.log(1.0 - _uniform(st, sid)) / lq)
        if i + 1.0 + gap >= n:
            break
        i += 1 + np.int64(gap)
        out[c] = i
        c += 1
    if f <= 0.5:
        return c
    # out[:c] are the survivors: return the complement
    m = 0
    j = 0
    for i in range(n):
        if j < c and out[j] == i:
            j += 1
        else:
            out[c + m] = i
            m += 1
    for i in range(m):
        out[i] = out[c + i]
    return m


# --------------------------------------------------------------------------- event heap

_FAIL, _SWAP_DET, _SWAP_DONE, _ARRIVE, _REPL_DET, _WINDOW, _REPL_DONE = 0, 1, 2, 3, 4, 5, 6


@njit(cache=True)
def _less(ht, hs, i, j):
    return ht[i] < ht[j] or (ht[i] == ht[j] and hs[i] < hs[j])


@njit(cache=True)
def _swap_rows(ht, hs, hd, i, j):
    t = ht[i]
    ht[i] = ht[j]
    ht[j] = t
    s = hs[i]
    hs[i] = hs[j]
    hs[j] = s
    for c in range(hd.shape[1]):
        d = hd[i, c]
        hd[i, c] = hd[j, c]
        hd[j, c] = d


@njit(cache=True)
def _push(ht, hs, hd, n, seq, t, typ, a, b, c, d, e):
    ht[n] = t
    hs[n] = seq
    hd[n, 0] = typ
    hd[n, 1] = a
    hd[n, 2] = b
    hd[n, 3] = c
    hd[n, 4] = d
    hd[n, 5] = e
    i = n
    while i > 0:
        p = (i - 1) >> 1
        if _less(ht, hs, i, p):
            _swap_rows(ht, hs, hd, i, p)
            i = p
        else:
            break
    return n + 1


@njit(cache=True)
def _pop(ht, hs, hd, n):
    """Move the smallest event to row n - 1 (read it there); return the new size."""
    n -= 1
    _swap_rows(ht, hs, hd, 0, n)
    i = 0
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        m = left
        if left + 1 < n and _less(ht, hs, left + 1, left):
            m = left + 1
        if _less(ht, hs, m, i):
            _swap_rows(ht, hs, hd, i, m)
            i = m
        else:
            break
    return n


# --------------------------------------------------------------------------- the loop


@njit(cache=True)
def _simulate(S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
              gpp, job_gpus, n_jobs, restart,
              per_switch, span, wide, elements, needed, swap, unit_scope, moves, kpool,
              fam, pa, pb,
              pool_stock, pool_lead, switch_pool,
              init_key, renew_key, hands_key, months):
    K = per_switch.shape[0]
    Q = pool_stock.shape[0]
    # units of a switch: kind k's units are uoff[k] .. uoff[k] + per_switch[k] - 1
    uoff = np.zeros(K + 1, dtype=np.int64)
    maxn = 1
    push_bound = 16
    for k in range(K):
        uoff[k + 1] = uoff[k] + per_switch[k]
        n = per_switch[k] * elements[k]
        if n > maxn:
            maxn = n
        push_bound += n
    U = uoff[K]
    down_at = elements - needed + 1

    # random streams: 0..K-1 initial lives, K hands-on, K+1+k*S+s renewals of (k, s)
    st = np.empty((K + 1 + K * S, 4), dtype=np.uint64)
    seeded = np.zeros(K * S, dtype=np.bool_)
    for k in range(K):
        _seed_stream(st, k, init_key[k])
    _seed_stream(st, K, hands_key)

    # state
    reasons = np.zeros((S, P), dtype=np.int32)
    rs_reasons = np.zeros((S, P), dtype=np.int32)
    rs_down = np.zeros(S, dtype=np.int64)
    failed = np.zeros((S, U), dtype=np.int32)
    unit_gen = np.zeros((S, U), dtype=np.int64)
    gen = np.zeros(S, dtype=np.int64)
    degraded = np.zeros(S, dtype=np.bool_)
    awaiting = np.zeros(S, dtype=np.int64)
    switch_wide = np.zeros(S, dtype=np.bool_)
    pending = np.zeros(S, dtype=np.bool_)
    window_gen = np.full(S, -1, dtype=np.int64)
    last_int = np.full(max(n_jobs, 1), -np.inf)
    stock = pool_stock.copy()
    busy = 0
    ports_buf = np.empty(P, dtype=np.int64)
    idx = np.empty(maxn, dtype=np.int64)

    # counters
    total_down = 0
    n_degraded = 0
    last = 0.0
    down_area = 0.0
    degraded_area = 0.0
    fails = np.zeros(K, dtype=np.int64)
    swaps = 0
    replacements = 0
    outages = 0
    tech_hours = 0.0
    spare_waits = 0
    interruptions = 0
    down_by_month = np.zeros(months)

    # ledger
    lcap = 1024
    lt = np.empty(lcap)
    lk = np.empty(lcap, dtype=np.int8)
    lc = np.empty(lcap, dtype=np.int32)
    lh = np.empty(lcap)
    ln = 0

    # FCFS queues: rows (what: 0 swap / 1 replacement, kind, switch, unit, gen, planned)
    qcap = 64
    pq = np.empty((Q, qcap, 6), dtype=np.int64)  # per pool: ring buffer
    pq_head = np.zeros(Q, dtype=np.int64)
    pq_len = np.zeros(Q, dtype=np.int64)
    tq = np.empty((qcap, 6), dtype=np.int64)
    tq_head = 0
    tq_len = 0

    # initial failures, in time order
    tot = 0
    cap0 = 1024
    it = np.empty(cap0)
    isw = np.empty(cap0, dtype=np.int64)
    iu = np.empty(cap0, dtype=np.int64)
    ik = np.empty(cap0, dtype=np.int64)
    for k in range(K):
        f = _cdf(fam[k], pa[k], pb[k], H)
        if f <= 0.0:
            continue
        n = per_switch[k] * elements[k]
        first = tot
        for s in range(S):
            c = _failing(st, k, n, f, idx)
            if tot + c > it.shape[0]:
                m = max(2 * it.shape[0], tot + c)
                it2 = np.empty(m)
                it2[:tot] = it[:tot]
                it = it2
                a2 = np.empty(m, dtype=np.int64)
                a2[:tot] = isw[:tot]
                isw = a2
                a3 = np.empty(m, dtype=np.int64)
                a3[:tot] = iu[:tot]
                iu = a3
                a4 = np.empty(m, dtype=np.int64)
                a4[:tot] = ik[:tot]
                ik = a4
            for j in range(c):
                isw[tot] = s
                iu[tot] = idx[j] // elements[k]
                ik[tot] = k
                tot += 1
        # lives of this kind's failing elements (after the choices, as SimPy draws them)
        for j in range(first, tot):
            it[j] = _ppf(fam[k], pa[k], pb[k], _uniform(st, k) * f)
    order = np.argsort(it[:tot], kind="mergesort")

    hcap = max(1024, 2 * tot + push_bound)
    ht = np.empty(hcap)
    hs = np.empty(hcap, dtype=np.int64)
    hd = np.empty((hcap, 6), dtype=np.int64)
    hn = 0
    seq = 0
    for j in order:
        hn = _push(ht, hs, hd, hn, seq, it[j], _FAIL, ik[j], isw[j], iu[j], 0, 0)
        seq += 1

    events = 0
    while hn > 0:
        # room for what one event may add
        if hn + push_bound > ht.shape[0]:
            m = 2 * ht.shape[0] + push_bound
            a = np.empty(m)
            a[:hn] = ht[:hn]
            ht = a
            b = np.empty(m, dtype=np.int64)
            b[:hn] = hs[:hn]
            hs = b
            d = np.empty((m, 6), dtype=np.int64)
            d[:hn] = hd[:hn]
            hd = d
        if ln + P + 8 > lt.shape[0]:
            m = 2 * lt.shape[0] + P + 8
            a = np.empty(m)
            a[:ln] = lt[:ln]
            lt = a
            a = np.empty(m)
            a[:ln] = lh[:ln]
            lh = a
            k8 = np.empty(m, dtype=np.int8)
            k8[:ln] = lk[:ln]
            lk = k8
            c32 = np.empty(m, dtype=np.int32)
            c32[:ln] = lc[:ln]
            lc = c32
        grow = tq_len + 2 > tq.shape[0]
        for q in range(Q):
            if pq_len[q] + 2 > pq.shape[1]:
                grow = True
        if grow:  # double every queue's ring, unrolled to its head
            m = 2 * tq.shape[0]
            t2 = np.empty((m, 6), dtype=np.int64)
            for j in range(tq_len):
                t2[j] = tq[(tq_head + j) % tq.shape[0]]
            tq = t2
            tq_head = 0
            p2 = np.empty((Q, m, 6), dtype=np.int64)
            for q in range(Q):
                for j in range(pq_len[q]):
                    p2[q, j] = pq[q, (pq_head[q] + j) % pq.shape[1]]
                pq_head[q] = 0
            pq = p2

        if ht[0] >= H:
            break
        hn = _pop(ht, hs, hd, hn)
        now = ht[hn]
        typ = hd[hn, 0]
        ea = hd[hn, 1]
        eb = hd[hn, 2]
        ec = hd[hn, 3]
        ed = hd[hn, 4]
        ee = hd[hn, 5]
        events += 1

        # what this event starts, handled after its own logic (-1: nothing)
        start_swap = False
        start_repl = False
        req_repl = -1
        req_planned = 0
        to_tech_swap = False  # a swap that holds its part and now asks for a technician
        release = False
        sk = 0
        ss = 0
        su = 0
        sg = 0

        if typ == _FAIL:
            k = ea
            s = eb
            u = ec
            g = 0 if moves[k] else gen[s]
            if g != ed:
                continue
            uid = uoff[k] + u
            if unit_scope[k] and unit_gen[s, uid] != ee:
                continue
            fails[k] += 1
            fcount = failed[s, uid] + 1
            failed[s, uid] = fcount
            went_down = fcount == down_at[k]
            if went_down:
                # the unit's ports go down
                dt = now - last
                if dt > 0.0:
                    if total_down:
                        aa = last
                        mm = int(aa // MONTH_HOURS)
                        while aa < now:
                            end = min(now, (mm + 1) * MONTH_HOURS) if mm < months - 1 else now
                            down_by_month[min(mm, months - 1)] += total_down * (end - aa)
                            aa = end
                            mm += 1
                    down_area += total_down * dt
                    degraded_area += n_degraded * dt
                    last = now
                a0 = 0 if wide[k] else u * span[k]
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
                total_down += cnt
                if cnt > 0:
                    outages += 1
                    if n_jobs > 0:
                        prev = -1
                        for j in range(cnt):
                            job = min(np.int64(((s * P + ports_buf[j]) * gpp) // job_gpus), n_jobs - 1)
                            if job == prev:
                                continue
                            prev = job
                            if now - last_int[job] >= restart:
                                interruptions += 1
                                last_int[job] = now
                                lt[ln] = now
                                lk[ln] = 3
                                lc[ln] = -1
                                lh[ln] = 0.0
                                ln += 1
            if swap[k] and (went_down or not unit_scope[k]):
                hn = _push(ht, hs, hd, hn, seq, now + detection, _SWAP_DET, k, s, u, ed, 0)
                seq += 1
            elif went_down:
                if not degraded[s]:
                    dt = now - last
                    if dt > 0.0:
                        if total_down:
                            aa = last
                            mm = int(aa // MONTH_HOURS)
                            while aa < now:
                                end = min(now, (mm + 1) * MONTH_HOURS) if mm < months - 1 else now
                                down_by_month[min(mm, months - 1)] += total_down * (end - aa)
                                aa = end
                                mm += 1
                        down_area += total_down * dt
                        degraded_area += n_degraded * dt
                        last = now
                    degraded[s] = True
                    n_degraded += 1
                hn = _push(ht, hs, hd, hn, seq, now + detection, _REPL_DET, k, s, ed, 0, 0)
                seq += 1
            continue

        if typ == _SWAP_DET or typ == _REPL_DET:
            k = ea
            s = eb
            if typ == _SWAP_DET:
                g = 0 if moves[k] else gen[s]
                if g != ed:
                    continue
            else:
                if gen[s] != ec:
                    continue
                awaiting[s] += 1
                if wide[k]:
                    switch_wide[s] = True
            # consider a replacement of switch s
            if not pending[s] and awaiting[s] > 0:
                if switch_wide[s] or rs_down[s] >= K_ports:
                    req_repl = s
                    req_planned = 0
                elif window > 0.0 and window_gen[s] != gen[s]:
                    window_gen[s] = gen[s]
                    at = math.ceil(now / window) * window
                    hn = _push(ht, hs, hd, hn, seq, now + (at - now), _WINDOW, s, gen[s], 0, 0, 0)
                    seq += 1
            if typ == _SWAP_DET:
                sk = k
                ss = s
                su = ec
                sg = ed
                q = kpool[k]
                if q >= 0:
                    hn = _push(ht, hs, hd, hn, seq, now + pool_lead[q], _ARRIVE, q, 0, 0, 0, 0)
                    seq += 1
                    if stock[q] > 0 and pq_len[q] == 0:
                        stock[q] -= 1
                        to_tech_swap = True
                    else:
                        spare_waits += 1
                        r = (pq_head[q] + pq_len[q]) % pq.shape[1]
                        pq[q, r, 0] = 0
                        pq[q, r, 1] = k
                        pq[q, r, 2] = s
                        pq[q, r, 3] = ec
                        pq[q, r, 4] = ed
                        pq[q, r, 5] = 0
                        pq_len[q] += 1
                else:
                    to_tech_swap = True

        elif typ == _WINDOW:
            s = ea
            if gen[s] == eb and not pending[s] and awaiting[s] > 0:
                req_repl = s
                req_planned = 1

        elif typ == _ARRIVE:
            q = ea
            # the part goes to the first waiter still wanting it, else to stock
            placed = False
            while pq_len[q] > 0 and not placed:
                h = pq_head[q]
                w_what = pq[q, h, 0]
                wk = pq[q, h, 1]
                ws = pq[q, h, 2]
                wu = pq[q, h, 3]
                wg = pq[q, h, 4]
                wpl = pq[q, h, 5]
                pq_head[q] = (h + 1) % pq.shape[1]
                pq_len[q] -= 1
                if w_what == 0:
                    g = 0 if moves[wk] else gen[ws]
                    if g != wg:
                        continue  # a stale swap puts the part back
                    placed = True
                    to_tech_swap = True
                    sk = wk
                    ss = ws
                    su = wu
                    sg = wg
                else:
                    placed = True
                    # a replacement with its switch: now a technician
                    if techs == 0 or busy < techs:
                        if techs > 0:
                            busy += 1
                        start_repl = True
                        ss = ws
                        req_planned = wpl
                        sg = 1 if techs > 0 else 0
                    else:
                        r = (tq_head + tq_len) % tq.shape[0]
                        tq[r, 0] = 1
                        tq[r, 1] = 0
                        tq[r, 2] = ws
                        tq[r, 3] = 0
                        tq[r, 4] = 0
                        tq[r, 5] = wpl
                        tq_len += 1
            if not placed:
                stock[q] += 1

        elif typ == _SWAP_DONE:
            k = ea
            s = eb
            u = ec
            release = ee == 1
            g = 0 if moves[k] else gen[s]
            if g == ed:
                uid = uoff[k] + u
                a0 = 0 if wide[k] else u * span[k]
                b0 = a0 + span[k]
                up = False
                if unit_scope[k]:
                    up = failed[s, uid] >= down_at[k]
                    failed[s, uid] = 0
                else:
                    failed[s, uid] -= 1
                    up = failed[s, uid] == down_at[k] - 1
                if up:
                    dt = now - last
                    if dt > 0.0:
                        if total_down:
                            aa = last
                            mm = int(aa // MONTH_HOURS)
                            while aa < now:
                                end = min(now, (mm + 1) * MONTH_HOURS) if mm < months - 1 else now
                                down_by_month[min(mm, months - 1)] += total_down * (end - aa)
                                aa = end
                                mm += 1
                        down_area += total_down * dt
                        degraded_area += n_degraded * dt
                        last = now
                    for p in range(a0, b0):
                        reasons[s, p] -= 1
                        if reasons[s, p] == 0:
                            total_down -= 1
                # fresh lives: the whole unit (unit scope) or the one element
                sid = K + 1 + k * S + s
                if not seeded[k * S + s]:
                    seeded[k * S + s] = True
                    _seed_stream(st, sid, renew_key[k] + np.uint64(s + 1) * _GOLDEN)
                rem = H - now
                f = _cdf(fam[k], pa[k], pb[k], rem)
                if unit_scope[k]:
                    unit_gen[s, uid] += 1
                    c = _failing(st, sid, elements[k], f, idx)
                    for _j in range(c):
                        life = _ppf(fam[k], pa[k], pb[k], _uniform(st, sid) * f)
                        hn = _push(ht, hs, hd, hn, seq, now + life, _FAIL, k, s, u, g, unit_gen[s, uid])
                        seq += 1
                else:
                    c = _failing(st, sid, 1, f, idx)
                    if c:
                        life = _ppf(fam[k], pa[k], pb[k], _uniform(st, sid) * f)
                        hn = _push(ht, hs, hd, hn, seq, now + life, _FAIL, k, s, u, g, 0)
                        seq += 1

        elif typ == _REPL_DONE:
            s = ea
            release = eb == 1
            dt = now - last
            if dt > 0.0:
                if total_down:
                    aa = last
                    mm = int(aa // MONTH_HOURS)
                    while aa < now:
                        end = min(now, (mm + 1) * MONTH_HOURS) if mm < months - 1 else now
                        down_by_month[min(mm, months - 1)] += total_down * (end - aa)
                        aa = end
                        mm += 1
                down_area += total_down * dt
                degraded_area += n_degraded * dt
                last = now
            still = 0
            for p in range(P):
                reasons[s, p] -= 1
                if reasons[s, p] != 0:
                    still += 1
            total_down -= P - still
            pending[s] = False
            # every unit that goes with the chassis is new
            rem = H - now
            for k in range(K):
                if moves[k]:
                    continue
                sid = K + 1 + k * S + s
                if not seeded[k * S + s]:
                    seeded[k * S + s] = True
                    _seed_stream(st, sid, renew_key[k] + np.uint64(s + 1) * _GOLDEN)
                f = _cdf(fam[k], pa[k], pb[k], rem)
                c = _failing(st, sid, per_switch[k] * elements[k], f, idx)
                for j in range(c):
                    life = _ppf(fam[k], pa[k], pb[k], _uniform(st, sid) * f)
                    hn = _push(ht, hs, hd, hn, seq, now + life, _FAIL, k, s, idx[j] // elements[k],
                               gen[s], 0)
                    seq += 1

        # ---- a swap holding its part asks for a technician
        if to_tech_swap:
            if techs == 0 or busy < techs:
                if techs > 0:
                    busy += 1
                start_swap = True
            else:
                r = (tq_head + tq_len) % tq.shape[0]
                tq[r, 0] = 0
                tq[r, 1] = sk
                tq[r, 2] = ss
                tq[r, 3] = su
                tq[r, 4] = sg
                tq[r, 5] = 0
                tq_len += 1
        if start_swap:
            hold = swap_hours
            if exp_hands_on and hold > 0.0:
                hold = -swap_hours * math.log(1.0 - _uniform(st, K))
            swaps += 1
            labour = min(hold, H - now)
            tech_hours += labour
            lt[ln] = now
            lk[ln] = 0
            lc[ln] = sk
            lh[ln] = labour
            ln += 1
            hn = _push(ht, hs, hd, hn, seq, now + hold, _SWAP_DONE, sk, ss, su, sg,
                       1 if techs > 0 else 0)
            seq += 1
        # ---- a technician freed: the next waiter still wanting one starts
        if release:
            handed = False
            while tq_len > 0 and not handed:
                h = tq_head
                w_what = tq[h, 0]
                wk = tq[h, 1]
                ws = tq[h, 2]
                wu = tq[h, 3]
                wg = tq[h, 4]
                wpl = tq[h, 5]
                tq_head = (h + 1) % tq.shape[0]
                tq_len -= 1
                if w_what == 0:
                    g = 0 if moves[wk] else gen[ws]
                    if g != wg:
                        continue
                    handed = True
                    hold = swap_hours
                    if exp_hands_on and hold > 0.0:
                        hold = -swap_hours * math.log(1.0 - _uniform(st, K))
                    swaps += 1
                    labour = min(hold, H - now)
                    tech_hours += labour
                    lt[ln] = now
                    lk[ln] = 0
                    lc[ln] = wk
                    lh[ln] = labour
                    ln += 1
                    hn = _push(ht, hs, hd, hn, seq, now + hold, _SWAP_DONE, wk, ws, wu, wg, 1)
                    seq += 1
                else:
                    handed = True
                    start_repl = True
                    ss = ws
                    req_planned = wpl
                    sg = 1
            if not handed:
                busy -= 1
        # ---- a replacement is requested: its switch part, then a technician
        if req_repl >= 0:
            s = req_repl
            pending[s] = True
            got = True
            if switch_pool >= 0:
                q = switch_pool
                hn = _push(ht, hs, hd, hn, seq, now + pool_lead[q], _ARRIVE, q, 0, 0, 0, 0)
                seq += 1
                if stock[q] > 0 and pq_len[q] == 0:
                    stock[q] -= 1
                else:
                    got = False
                    spare_waits += 1
                    r = (pq_head[q] + pq_len[q]) % pq.shape[1]
                    pq[q, r, 0] = 1
                    pq[q, r, 1] = 0
                    pq[q, r, 2] = s
                    pq[q, r, 3] = 0
                    pq[q, r, 4] = 0
                    pq[q, r, 5] = req_planned
                    pq_len[q] += 1
            if got:
                if techs == 0 or busy < techs:
                    if techs > 0:
                        busy += 1
                    start_repl = True
                    ss = s
                    sg = 1 if techs > 0 else 0
                else:
                    r = (tq_head + tq_len) % tq.shape[0]
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
            replacements += 1
            dt = now - last
            if dt > 0.0:
                if total_down:
                    aa = last
                    mm = int(aa // MONTH_HOURS)
                    while aa < now:
                        end = min(now, (mm + 1) * MONTH_HOURS) if mm < months - 1 else now
                        down_by_month[min(mm, months - 1)] += total_down * (end - aa)
                        aa = end
                        mm += 1
                down_area += total_down * dt
                degraded_area += n_degraded * dt
                last = now
            gen[s] += 1
            if degraded[s]:
                degraded[s] = False
                n_degraded -= 1
            cnt = 0
            for p in range(P):  # ports the replacement takes down
                if reasons[s, p] == 0:
                    ports_buf[cnt] = p
                    cnt += 1
            for k in range(K):
                if moves[k]:
                    continue
                for u in range(per_switch[k]):
                    uid = uoff[k] + u
                    if failed[s, uid] > 0:
                        if failed[s, uid] >= down_at[k]:
                            a0 = 0 if wide[k] else u * span[k]
                            for p in range(a0, a0 + span[k]):
                                reasons[s, p] -= 1
                        failed[s, uid] = 0
                    unit_gen[s, uid] = 0
            for p in range(P):
                reasons[s, p] += 1
                rs_reasons[s, p] = 0
            total_down += cnt
            if req_planned == 0 and cnt > 0 and n_jobs > 0:
                prev = -1
                for j in range(cnt):
                    job = min(np.int64(((s * P + ports_buf[j]) * gpp) // job_gpus), n_jobs - 1)
                    if job == prev:
                        continue
                    prev = job
                    if now - last_int[job] >= restart:
                        interruptions += 1
                        last_int[job] = now
                        lt[ln] = now
                        lk[ln] = 3
                        lc[ln] = -1
                        lh[ln] = 0.0
                        ln += 1
            rs_down[s] = 0
            awaiting[s] = 0
            switch_wide[s] = False
            hold = repl_hours
            if exp_hands_on and hold > 0.0:
                hold = -repl_hours * math.log(1.0 - _uniform(st, K))
            labour = min(hold, H - now)
            tech_hours += labour
            lt[ln] = now
            lk[ln] = 2 if req_planned else 1
            lc[ln] = -1
            lh[ln] = labour
            ln += 1
            hn = _push(ht, hs, hd, hn, seq, now + hold, _REPL_DONE, s, sg, 0, 0, 0)
            seq += 1

    # the horizon: close the areas
    dt = H - last
    if dt > 0.0:
        if total_down:
            aa = last
            mm = int(aa // MONTH_HOURS)
            while aa < H:
                end = min(H, (mm + 1) * MONTH_HOURS) if mm < months - 1 else H
                down_by_month[min(mm, months - 1)] += total_down * (end - aa)
                aa = end
                mm += 1
        down_area += total_down * dt
        degraded_area += n_degraded * dt
    out = np.empty(9)
    out[0] = 1.0 - down_area / (S * P * H)
    out[1] = swaps
    out[2] = replacements
    out[3] = down_area
    out[4] = outages
    out[5] = degraded_area
    out[6] = tech_hours
    out[7] = spare_waits
    out[8] = interruptions
    return (out, fails, events, lt[:ln].copy(), lk[:ln].copy(), lc[:ln].copy(), lh[:ln].copy(),
            down_by_month)


# --------------------------------------------------------------------------- the engine


def _key(seed: int, replication: int, name: str, tag: int) -> np.uint64:
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(replication, zlib.crc32(name.encode()), tag))
    return ss.generate_state(1, np.uint64)[0]


def _life_arrays(lives) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fam = np.empty(len(lives), dtype=np.int64)
    pa = np.empty(len(lives))
    pb = np.empty(len(lives))
    for i, life in enumerate(lives):
        name, p = life.family.name, life.parameters
        fam[i] = FAMILIES[name]
        if name == "weibull" or name == "loglogistic":
            pa[i], pb[i] = p["shape"], p["scale"]
        elif name == "exponential":
            pa[i], pb[i] = 1.0, p["scale"]
        else:  # lognormal
            pa[i], pb[i] = p["mu"], p["sigma"]
    return fam, pa, pb


class FastEngine:
    """The compiled engine behind the contract (:mod:`fleet_models.contract`)."""

    name = "fast"

    def supports(self, plan: FleetPlan) -> str | None:
        return unsupported(plan)

    def simulate(self, plan: FleetPlan, replication: int) -> ReplicationOutcome:
        seed = plan.seed
        streams = Streams(seed, replication)  # validates seed and replication
        fam, pa, pb = _life_arrays(plan.lives_for(replication, streams))
        init_key = np.array([_key(seed, replication, n, Streams.INITIAL) for n in plan.names],
                            dtype=np.uint64)
        renew_key = np.array([_key(seed, replication, n, Streams.SWITCH0) for n in plan.names],
                             dtype=np.uint64)
        hands_key = _key(seed, replication, "", Streams.HANDS_ON)
        months = max(1, math.ceil(plan.horizon / MONTH_HOURS))
        out, fails, events, lt, lk, lc, lh, dbm = _simulate(
            plan.switches, plan.ports, plan.horizon, plan.detection, plan.swap_hours,
            plan.replacement_hours, plan.exponential_hands_on, plan.technicians, plan.k, plan.window,
            plan.gpus_per_port, plan.job_gpus if plan.job_gpus > 0 else 1.0, plan.n_jobs, plan.restart,
            plan.per_switch, plan.span, plan.wide, plan.elements, plan.needed, plan.swap,
            plan.unit_scope, plan.moves, plan.pool, fam, pa, pb,
            plan.pool_stock, plan.pool_lead, plan.switch_pool,
            init_key, renew_key, hands_key, months)
        m: dict[str, float] = {"port_availability": float(out[0])}
        for name, f in zip(plan.names, fails.tolist(), strict=True):
            m[failure_column(name)] = float(f)
        for j, name in enumerate(COMMON):
            m[name] = float(out[1 + j])
        # the plans it runs carry no job (unsupported refuses the others): no GPU-hours lost
        return ReplicationOutcome(m, int(events), Ledger(lt, lk, lc, lh, dbm, np.zeros_like(dbm)))


def warm_up() -> float:
    """Compile (or load from the cache) the loop; returns the seconds it took."""
    import time

    from fleet_models.contract import compile_plan
    from fleet_models.spec import Repair
    from reliability.models import LifeModel

    t0 = time.perf_counter()
    comp = Component("c", 1, None, LifeModel.exponential(10.0), repair=Repair.REPLACE_SWITCH)
    sc = Scenario("warm", 20.0, Fleet(1, 1), (Architecture("a", (comp,)),))
    FastEngine().simulate(compile_plan(sc, sc.architectures[0]), 0)
    return time.perf_counter() - t0
