"""The fast fleet engine: the SimPy engine's semantics as one event loop compiled with numba.

It consumes the same :class:`~fleet_models.contract.FleetPlan` and fills the same metrics and
:class:`~fleet_models.model.ledger.Ledger` as :mod:`fleet_models.engine` (whose docstring states the
semantics); the two engines are not bit-identical (their random numbers differ) but their
per-replication metric distributions agree (tests/test_fast_engine.py holds them to that).

How
    Events are ordered by (time, insertion sequence) as SimPy orders its events: those a fixed
    delay after their scheduling (detections, exclusions, lead times, fixed hands-on times) in
    FIFO lanes, one per delay, the rest (lives) in one binary heap per replication; spare pools
    (base stock, lead time) and technicians are FCFS queues.
    Switch state lives in dense arrays (ports down and why, failed elements per unit,
    generations), so one event costs a few hundred nanoseconds.

Random numbers
    xoshiro256** streams. Their keys: numpy ``SeedSequence(seed, (replication,))`` once per
    replication, then SplitMix64 of that with the component name's crc32 and the stream's tags
    (the same tags as :class:`fleet_models.streams.Streams`: initial lives, renewals, NTF,
    hands-on), and for a per-switch stream the switch index mixed in. So a result depends
    neither on the number of workers nor on the other architectures, and two architectures
    sharing a component see the same failures of it (common random numbers).
    Lives are drawn two ways, both exact in law:

    * a cohort: the elements of a replace-switch kind on one chassis start together and only
      the chassis' replacement renews them, so their failures are drawn in order, one at a
      time, each when the one before it happens (Renyi: the cumulative hazard grows by an
      exponential over the number of survivors at each failure; the element is a uniform
      choice among the survivors). A replacement thus leaves no stale lives behind.
    * the others (swapped units, which renew one at a time): which elements fail within the
      horizon H' left by geometric skips (Bernoulli thinning at F(H') per element, the exact
      law of binomial thinning plus a uniform choice), then their lives by truncated sampling
      ppf(U F(H')).

What it models
    Everything the SimPy engine does: k-of-n units with unit or element scope, swaps and switch
    replacements with detection, base-stock spare pools and FCFS technicians, maintenance
    windows, spare units on the switch (fail in place), no-trouble-found swaps (their own
    stream per (component, switch), the unit back in its pool after its test), and the
    [fabric]'s jobs (single homing: stall, interruption, exclusion after exclude_hours; dual:
    slow-down, then the lesser of it and the excluded GPUs), accumulated as GPU-hours lost per
    month. Initial failures are a time-sorted stream merged with the heap (their sequence
    numbers come first), so the heap holds only events in flight.

What it refuses
    :func:`unsupported` names what the plan holds that this engine does not model (a life
    family without a compiled cdf/ppf, any scenario field it does not know set away from its
    default); ``engine="auto"`` then runs the SimPy engine and says why. To add a feature to
    the SimPy engine: model it in ``_simulate`` too, then add its field to ``_KNOWN``.

Cache
    Compiled code is cached (``@njit(cache=True)``) in ``NUMBA_CACHE_DIR`` if set, else in
    ``~/.cache/cpo-analyzer/numba`` (if that cannot be created, numba's own default beside the
    module, or none).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import zlib
from pathlib import Path

import numpy as np

from fleet_models.contract import FleetPlan, ReplicationOutcome
from fleet_models.model.ledger import MONTH_HOURS, Ledger
from fleet_models.model.metrics import COMMON, failure_column
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fabric,
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

# The loop's helpers index arrays their caller owns and allocate nothing, so they are compiled
# without NRT reference counting: with it, every call made an atomic incref and decref of each
# array argument (up to 12), about 40 % of the loop's time. Only _simulate, which allocates the
# arrays, keeps it.
_helper = njit(cache=True, _nrt=False)


# --------------------------------------------------------------------------- what it models

FAMILIES = {"weibull": 0, "exponential": 1, "lognormal": 2, "loglogistic": 3}
"""Life families with a compiled cdf/ppf (code passed to the loop)."""

# Fields the fast engine models or that do not change a simulation (names, prices, power, the
# costs the ledger is priced with afterwards). Any other field set away from its declared
# default makes :func:`unsupported` refuse the plan.
_KNOWN: dict[type, set[str]] = {
    Scenario: {"name", "horizon_hours", "fleet", "architectures", "policy", "costs", "workload",
               "fabric", "replications", "seed", "uncertainty", "uncertain"},
    Fleet: {"switches", "ports_per_switch", "port_gbps"},
    Architecture: {"name", "components", "switch_price_usd", "switch_power_w", "description",
                   "gpus_per_switch"},
    Component: {"name", "per_switch", "ports_per_unit", "life", "repair", "elements", "needed",
                "repair_scope", "moves_on_replacement", "price_usd", "power_w", "source",
                "spare_units", "ntf_fraction"},
    Policy: {"detection_hours", "technicians", "swap_hours", "switch_replacement_hours",
             "replace_switch_when_ports_down", "maintenance_window_days", "hands_on", "spares",
             "ntf_test_days", "switch_swap_hours", "refibre_hours"},  # the two terms reach it as their sum
    SparePool: {"stock", "lead_time_hours", "unit_price_usd"},
    Costs: {f.name for f in dataclasses.fields(Costs)},  # priced after the run, from the ledger
    Workload: {f.name for f in dataclasses.fields(Workload)},
    Fabric: {f.name for f in dataclasses.fields(Fabric)},
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
    for c in arch.components:
        where = f"{arch.name}.{c.name}: "
        problems += _unknown_fields(c, where)
        if c.life.family.name not in FAMILIES:
            problems.append(f"{where}life family {c.life.family.name!r} has no compiled cdf/ppf")
    if not problems:
        return None
    return "the fast engine does not model " + "; ".join(problems)


# --------------------------------------------------------------------------- random numbers

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
# the tags of Streams, and NTF's second word (a per-switch stream's switch goes in afterwards)
_INITIAL = np.uint64(Streams.INITIAL)
_SWITCH0 = np.uint64(Streams.SWITCH0)
_NTF = np.uint64(Streams.NTF)
_HANDS_ON = np.uint64(Streams.HANDS_ON)
_NTF_TAG = np.uint64(1 << 40)


@_helper
def _splitmix(x):
    z = x + _GOLDEN
    z = (z ^ (z >> _U30)) * _M1
    z = (z ^ (z >> _U27)) * _M2
    return z ^ (z >> _U31)


@_helper
def _seed_stream(st, i, key):
    x = key
    for j in range(4):
        x = x + _GOLDEN
        st[i, j] = _splitmix(x)


@_helper
def _stream_key(x0, word, tag):
    """A stream's key: the replication's key x0 (:func:`_replication_key`) with a word (a
    component name's crc32) and a tag mixed in, one SplitMix64 finaliser each; it depends on
    nothing else, so two architectures sharing a component draw the same lives of it."""
    return _splitmix(_splitmix(x0 ^ word) ^ tag)


@_helper
def _rotl(x, k):
    return (x << k) | (x >> (np.uint64(64) - k))


@_helper
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


@_helper
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


@_helper
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


@_helper
def _ppf(fam, a, b, q):
    if fam == 1:  # exponential: b (-log(1 - q)), what the Weibull line gives at a = 1, no pow
        return -b * math.log1p(-q)
    if fam == 0:
        return b * (-math.log1p(-q)) ** (1.0 / a)
    if fam == 2:
        return math.exp(a + b * _ndtri(q))
    return b * (q / (1.0 - q)) ** (1.0 / a)


@_helper
def _hazard_to(fam, a, b, t):
    """The cumulative hazard -log S(t) at age t."""
    if t <= 0.0:
        return 0.0
    if fam == 1:
        return t / b
    if fam == 0:
        return (t / b) ** a
    if fam == 2:
        return -math.log(0.5 * math.erfc(((math.log(t) - a) / b) / math.sqrt(2.0)))
    return math.log1p((t / b) ** a)


@_helper
def _life_at(fam, a, b, h):
    """The age at which the cumulative hazard -log S reaches h (the inverse of H(t))."""
    if fam == 1:
        return b * h
    if fam == 0:
        return b * h ** (1.0 / a)
    if fam == 2:  # S = 1 - Phi(z): z = ndtri(1 - S), from the tail that keeps its digits
        z = _ndtri(-math.expm1(-h)) if h < 0.6931471805599453 else -_ndtri(math.exp(-h))
        return math.exp(a + b * z)
    return b * math.expm1(h) ** (1.0 / a)  # loglogistic: S = 1 / (1 + (t/b)^a)


@_helper
def _cohort_age(st, r, c, u_any, fam, a, b, h_end, ch_h, ch_left):
    """The age of cohort c's next failure, inf if it comes after the horizon: the cumulative
    hazard (ch_h[c]) grows by an exponential E = -log(1 - u) over the ch_left[c] survivors
    (Renyi), which are one fewer after. u_any is the chance that a new cohort sees a failure
    within the horizon at all (1 for a cohort under way): a uniform above it needs no
    logarithm, and an h beyond the horizon's h_end no age."""
    u = _uniform(st, r)
    h = np.inf if u >= u_any else ch_h[c] - math.log1p(-u) / ch_left[c]
    ch_h[c] = h
    ch_left[c] -= 1
    return _life_at(fam, a, b, h) if h <= h_end else np.inf


@_helper
def _survivor(st, r, n, elements, s, base, failed):
    """The unit of an element drawn uniformly among the survivors of a cohort of n elements
    (units from base, ``elements`` each): a unit's elements are alike, so its first
    failed[s, unit] of them stand for its failed ones, and a draw landing on one is drawn again."""
    while True:
        j = min(np.int64(_uniform(st, r) * n), n - 1)
        u = j // elements
        if j - u * elements >= failed[s, base + u]:
            return u


@_helper
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

# event types; an event's data: ed[i] = (type, a, b, c, d, e)
_FAIL, _SWAP_DET, _SWAP_DONE, _ARRIVE, _REPL_DET, _WINDOW, _REPL_DONE, _EXCLUDE = range(8)

# the loop's integer state (IS) and float state (FS): arrays, so helpers can update them
(_TOTAL_DOWN, _N_DEGRADED, _BUSY, _SEQ, _LN, _HN, _NFREE, _TOP, _SWAPS, _REPL, _OUTAGES, _WAITS,
 _INTERRUPTS, _STALLS, _JOBS_DOWN, _CI, _TQH, _TQL, _EVENTS, _MONTH) = range(20)
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
_L_DETECT, _L_EXCLUDE, _L_NTF, _L_SWAP_DONE, _L_REPL_DONE, _L_POOL = range(6)  # then one per pool


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


# --------------------------------------------------------------------------- accounting


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
def _record(IS, lt, lk, lc, lh, t, kind, comp, hours):
    n = IS[_LN]
    lt[n] = t
    lk[n] = kind
    lc[n] = comp
    lh[n] = hours
    IS[_LN] = n + 1


# --------------------------------------------------------------------------- jobs (the fabric)
# JP = (GPUs per port, job GPUs, last job's GPUs, dual slow-down, exclude hours, restart hours)


@_helper
def _job_of(s, p, P, JP, n_jobs):
    return min(np.int64(((s * P + p) * JP[0]) // JP[1]), n_jobs - 1)


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
        slowed = JP[3] * g
        return slowed if stalled[j] > 0 else min(slowed, excluded)
    return g if stalled[j] > 0 else excluded


@_helper
def _jobs_down(now, s, P, ports, cnt, planned, jd, stalled, last_int, JP, n_jobs, dual,
               IS, FS, lanes, lt, lk, lc, lh):
    """Ports ports[:cnt] (increasing) of switch s went down (the clock is advanced): single homing
    stalls and interrupts the running jobs owning them (unless planned), dual homing slows them."""
    i = 0
    while i < cnt:
        j, c = _job_group(s, P, ports, i, cnt, JP, n_jobs)
        i += c
        before = _job_rate(j, jd, stalled, JP, n_jobs, dual)
        was = jd[j]
        jd[j] = was + c
        if was == 0:
            IS[_JOBS_DOWN] += 1
        if (dual and was == 0) or (not dual and not planned and stalled[j] == 0):
            IS[_STALLS] += 1
            stalled[j] = IS[_STALLS]
            _later(IS, lanes, _L_EXCLUDE, now + JP[4], _EXCLUDE, j, IS[_STALLS], 0, 0, 0)
            if not dual and now - last_int[j] >= JP[5]:
                IS[_INTERRUPTS] += 1
                last_int[j] = now
                _record(IS, lt, lk, lc, lh, now, 3, -1, 0.0)
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
def _ports_up(now, s, a0, b0, P, reasons, ports_buf, jd, stalled, JP, n_jobs, dual, IS, FS, dbm, lbm):
    """One reason fewer on ports [a0, b0) of switch s (the clock advanced first): those left with
    none are up again, and the stalls of their jobs end."""
    _advance(now, IS, FS, dbm, lbm)
    cnt = 0
    if n_jobs > 1:  # which ports: their jobs are told
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
    if cnt > 0 and n_jobs > 0:
        _jobs_up(s, P, ports_buf, cnt, jd, stalled, JP, n_jobs, dual, IS, FS)


# --------------------------------------------------------------------------- the loop


@_helper
def _stream(st, seeded, row, key, s):
    """Row ``row`` of the stream table, seeded on first use from ``key`` mixed with switch s."""
    if not seeded[row]:
        seeded[row] = True
        _seed_stream(st, row, key + np.uint64(s + 1) * _GOLDEN)
    return row


@_helper
def _hands_on(st, K, mean, exp_hands_on):
    if exp_hands_on and mean > 0.0:
        return -mean * math.log(1.0 - _uniform(st, K))
    return mean


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


@njit(cache=True)
def _simulate(S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
              JP, n_jobs, dual, ntf_test,
              per_switch, spares, span, wide, elements, needed, swap, unit_scope, moves, kpool, ntf,
              fam, pa, pb,
              pool_stock, pool_lead, switch_pool,
              x0, words, months):
    K = per_switch.shape[0]
    # stream keys (see _stream_key): initial lives, renewals and NTF per kind, hands-on for the fleet
    init_key = np.empty(K, dtype=np.uint64)
    renew_key = np.empty(K, dtype=np.uint64)
    ntf_key = np.empty(K, dtype=np.uint64)
    for k in range(K):
        init_key[k] = _stream_key(x0, words[k], _INITIAL)
        renew_key[k] = _stream_key(x0, words[k], _SWITCH0)
        ntf_key[k] = _splitmix(_stream_key(x0, words[k], _NTF) ^ _NTF_TAG)
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

    # random streams: rows 0..K-1 initial lives, K hands-on, then per (k, s) renewals and NTF
    renew0 = K + 1
    ntf0 = K + 1 + K * S
    st = np.empty((K + 1 + 2 * K * S, 4), dtype=np.uint64)
    seeded = np.zeros(K + 1 + 2 * K * S, dtype=np.bool_)
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
        h_end[k] = _hazard_to(fam[k], pa[k], pb[k], H)
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

    IS = np.zeros(20, dtype=np.int64)
    FS = np.zeros(6)
    FS[_MONTH_END] = MONTH_HOURS if months > 1 else np.inf  # see _advance
    fails = np.zeros(K, dtype=np.int64)
    dbm = np.zeros(months)
    lbm = np.zeros(months)

    # ledger
    lt = np.empty(1024)
    lk = np.empty(1024, dtype=np.int8)
    lc = np.empty(1024, dtype=np.int32)
    lh = np.empty(1024)

    # FCFS queues; rows (what: 0 swap / 1 replacement, kind, switch, unit, gen, ntf or planned);
    # rings of a power-of-two size (64, doubled when full): an index is a mask
    pq = np.empty((Q, 64, 6), dtype=np.int64)  # per pool: ring buffer
    pq_head = np.zeros(Q, dtype=np.int64)
    pq_len = np.zeros(Q, dtype=np.int64)
    tq = np.empty((64, 6), dtype=np.int64)
    # lanes (see _later): detection, exclusion, NTF test, swap and replacement hands-on, pools
    n_lanes = _L_POOL + Q
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
                t = _cohort_age(st, k, c, u_any[k], fam[k], pa[k], pb[k], h_end[k], ch_h, ch_left)
                if t < H:
                    it[tot] = t
                    isw[tot] = s
                    iu[tot] = _survivor(st, k, n, elements[k], s, uoff[k], failed)
                    ik[tot] = k
                    tot += 1
            continue
        f = _cdf(fam[k], pa[k], pb[k], H)
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
            it[j] = _ppf(fam[k], pa[k], pb[k], _uniform(st, k) * f)
    order = _time_order(it, tot, H)
    IS[_SEQ] = tot

    cap = 1024 + push_bound
    et = np.empty(cap)
    eseq = np.empty(cap, dtype=np.int64)
    ed = np.empty((cap, 6), dtype=np.int64)
    hp = np.empty(cap, dtype=np.int64)
    fr = np.empty(cap, dtype=np.int64)

    IS[_CI] = 0
    cfg = (S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
           JP, n_jobs, dual, ntf_test, K, Q, renew0, ntf0, tot, push_bound, switch_pool, lane_bound)
    kinds = (per_switch, spares, units, uoff, down_at, span, wide, elements, swap, unit_scope,
             moves, kpool, ntf, fam, pa, pb, pool_lead, renew_key, ntf_key, h_end, u_any, f_end)
    switches = (reasons, rs_reasons, rs_down, failed, nfk, unit_gen, serve, block_down, in_place, gen,
                degraded, awaiting, switch_wide, pending, window_gen, ch_h, ch_left, ch_t0)
    work = (st, seeded, stock, ports_buf, idx, fails, dbm, lbm, jd, stalled, last_int,
            it, isw, iu, ik, order)
    # the loop runs until the horizon, or until an array needs room: then it is grown here and
    # the loop resumes (arrays are never reassigned inside the loop, which keeps numba from
    # reference-counting them at every event)
    while _run(cfg, kinds, switches, work, IS, FS, et, eseq, ed, hp, fr, lt, lk, lc, lh,
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
        if IS[_LN] + 2 * P + 8 > lt.shape[0]:
            m = 2 * lt.shape[0] + 2 * P + 8
            ln = IS[_LN]
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
    return (out, fails, IS[_EVENTS], lt[:ln].copy(), lk[:ln].copy(), lc[:ln].copy(), lh[:ln].copy(),
            dbm, lbm)


@_helper
def _run(cfg, kinds, switches, work, IS, FS, et, eseq, ed, hp, fr, lt, lk, lc, lh,
         pq, pq_head, pq_len, tq, lanes):
    """The event loop: handle events until the horizon (returns False) or until one of the
    arrays may lack room for what the next event adds (returns True: the caller grows them)."""
    (S, P, H, detection, swap_hours, repl_hours, exp_hands_on, techs, K_ports, window,
     JP, n_jobs, dual, ntf_test, K, Q, renew0, ntf0, tot, push_bound, switch_pool, lane_bound) = cfg
    (per_switch, spares, units, uoff, down_at, span, wide, elements, swap, unit_scope,
     moves, kpool, ntf, fam, pa, pb, pool_lead, renew_key, ntf_key, h_end, u_any, f_end) = kinds
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
        room = (IS[_HN] + push_bound <= et.shape[0] and IS[_LN] + 2 * P + 8 <= lt.shape[0]
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
                t = ch_t0[s] + _cohort_age(st, r, c, 1.0, fam[k], pa[k], pb[k], h_end[k], ch_h,
                                           ch_left)
                if t < H:
                    v = _survivor(st, r, units[k] * elements[k], elements[k], s, uoff[k], failed)
                    _push(IS, et, eseq, ed, hp, fr, t, _FAIL, k, s, v, ed4, 0)
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
                    if n_jobs > 0:
                        _jobs_down(now, s, P, ports_buf, cnt, False, jd, stalled, last_int, JP, n_jobs,
                                   dual, IS, FS, lanes, lt, lk, lc, lh)
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
                        _later(IS, lanes, _L_POOL + q, now + pool_lead[q], _ARRIVE, q, 0, 0, 0, 0)
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
                              IS, FS, dbm, lbm)
                # fresh lives: the whole unit (unit scope) or the one element
                r = _stream(st, seeded, renew0 + k * S + s, renew_key[k], s)
                rem = H - now
                if unit_scope[k]:
                    unit_gen[s, uid] += 1
                    f = _cdf(fam[k], pa[k], pb[k], rem)
                    c = _failing(st, r, elements[k], f, idx)
                    for _j in range(c):
                        life = _ppf(fam[k], pa[k], pb[k], _uniform(st, r) * f)
                        _push(IS, et, eseq, ed, hp, fr, now + life, _FAIL, k, s, u, g, unit_gen[s, uid])
                else:  # one element: v < F(H') fails inside, and then ppf(v) is its truncated
                    # life; v >= F(H) >= F(H') cannot (no cdf to compute: most swaps)
                    v = _uniform(st, r)
                    if v < f_end[k] and v < _cdf(fam[k], pa[k], pb[k], rem):
                        _push(IS, et, eseq, ed, hp, fr, now + _ppf(fam[k], pa[k], pb[k], v), _FAIL,
                              k, s, u, g, 0)

        elif typ == _EXCLUDE:
            j = ea
            if stalled[j] == eb:  # exclude_hours into a stall: the job restarts without those nodes
                _advance(now, IS, FS, dbm, lbm)
                before = _job_rate(j, jd, stalled, JP, n_jobs, dual)
                stalled[j] = 0
                FS[_LOST_RATE] += _job_rate(j, jd, stalled, JP, n_jobs, dual) - before

        elif typ == _REPL_DONE:
            s = ea
            release = eb == 1
            _ports_up(now, s, 0, P, P, reasons, ports_buf, jd, stalled, JP, n_jobs, dual, IS, FS,
                      dbm, lbm)
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
                    t = now + _cohort_age(st, r, c, u_any[k], fam[k], pa[k], pb[k], h_end[k], ch_h,
                                          ch_left)
                    if t < H:
                        v = _survivor(st, r, n, elements[k], s, uoff[k], failed)
                        _push(IS, et, eseq, ed, hp, fr, t, _FAIL, k, s, v, gen[s], 0)
                    continue
                f = _cdf(fam[k], pa[k], pb[k], rem)
                c = _failing(st, r, units[k] * elements[k], f, idx)
                for j in range(c):
                    life = _ppf(fam[k], pa[k], pb[k], _uniform(st, r) * f)
                    _push(IS, et, eseq, ed, hp, fr, now + life, _FAIL, k, s, idx[j] // elements[k],
                          gen[s], 0)

        # ---- a swap holding its part asks for a technician
        if to_tech_swap:
            if techs == 0 or IS[_BUSY] < techs:
                if techs > 0:
                    IS[_BUSY] += 1
                hold = _start_swap(now, H, sk, sn, swap_hours, exp_hands_on, st, K, kpool, ntf_test,
                                   IS, FS, lanes, lt, lk, lc, lh)
                _done_at(IS, et, eseq, ed, hp, fr, lanes, _L_SWAP_DONE, exp_hands_on, now + hold,
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
                    hold = _start_swap(now, H, wk, tq[h, 5], swap_hours, exp_hands_on, st, K, kpool,
                                       ntf_test, IS, FS, lanes, lt, lk, lc, lh)
                    _done_at(IS, et, eseq, ed, hp, fr, lanes, _L_SWAP_DONE, exp_hands_on, now + hold,
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
                _later(IS, lanes, _L_POOL + q, now + pool_lead[q], _ARRIVE, q, 0, 0, 0, 0)
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
            cnt = 0
            if n_jobs > 1:
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
            if cnt > 0 and n_jobs > 0:
                _jobs_down(now, s, P, ports_buf, cnt, req_planned == 1, jd, stalled, last_int, JP,
                           n_jobs, dual, IS, FS, lanes, lt, lk, lc, lh)
            rs_down[s] = 0
            awaiting[s] = 0
            switch_wide[s] = False
            hold = _hands_on(st, K, repl_hours, exp_hands_on)
            labour = min(hold, H - now)
            FS[_TECH] += labour
            _record(IS, lt, lk, lc, lh, now, 2 if req_planned else 1, -1, labour)
            _done_at(IS, et, eseq, ed, hp, fr, lanes, _L_REPL_DONE, exp_hands_on, now + hold,
                     _REPL_DONE, s, sg, 0, 0, 0)

    IS[_CI] = ci
    IS[_TQH] = tq_head
    IS[_TQL] = tq_len
    IS[_EVENTS] = events
    return False


@_helper
def _start_swap(now, H, k, nt, swap_hours, exp_hands_on, st, K, kpool, ntf_test,
                IS, FS, lanes, lt, lk, lc, lh):
    """A swap's hands-on time starts: count it, its labour, its ledger row; a unit removed with no
    trouble found goes back to its pool after its test. Returns the hands-on hours."""
    hold = _hands_on(st, K, swap_hours, exp_hands_on)
    IS[_SWAPS] += 1
    labour = min(hold, H - now)
    FS[_TECH] += labour
    _record(IS, lt, lk, lc, lh, now, 4 if nt else 0, k, labour)
    if nt and kpool[k] >= 0:
        _later(IS, lanes, _L_NTF, now + ntf_test, _ARRIVE, kpool[k], 0, 0, 0, 0)
    return hold


# --------------------------------------------------------------------------- the engine


@functools.lru_cache(maxsize=256)
def _replication_key(seed: int, replication: int) -> int:
    """The key of (seed, replication): numpy's SeedSequence, once per replication (cached: the
    architectures of a replication share it)."""
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(replication,))
    return int(ss.generate_state(1, np.uint64)[0])


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


@dataclasses.dataclass(frozen=True, eq=False)
class _PerPlan:
    """What the loop is given alike in every replication of a plan, made once per plan."""

    words: np.ndarray  # the crc32 of each component name (the first word _stream_key mixes in)
    jp: np.ndarray  # the jobs' numbers (see _job_rate)
    months: int
    columns: tuple[str, ...]  # the failure-count metric of each kind
    lives: tuple[np.ndarray, np.ndarray, np.ndarray] | None  # None: drawn per replication


@functools.lru_cache(maxsize=64)
def _per_plan(plan: FleetPlan) -> _PerPlan:
    fixed = not plan.scenario.uncertainty
    return _PerPlan(
        words=np.array([zlib.crc32(n.encode()) for n in plan.names], dtype=np.uint64),
        jp=np.array([plan.gpus_per_port, plan.job_gpus if plan.job_gpus > 0 else 1.0,
                     plan.last_job_gpus, plan.slowdown, plan.exclude_hours, plan.restart]),
        months=max(1, math.ceil(plan.horizon / MONTH_HOURS)),
        columns=tuple(failure_column(n) for n in plan.names),
        lives=_life_arrays(plan.lives) if fixed else None)


class FastEngine:
    """The compiled engine behind the contract (:mod:`fleet_models.contract`)."""

    name = "fast"

    def supports(self, plan: FleetPlan) -> str | None:
        return unsupported(plan)

    def simulate(self, plan: FleetPlan, replication: int) -> ReplicationOutcome:
        seed = plan.seed
        streams = Streams(seed, replication)  # validates seed and replication
        pp = _per_plan(plan)
        fam, pa, pb = pp.lives or _life_arrays(plan.lives_for(replication, streams))
        x0 = np.uint64(_replication_key(seed, replication))
        out, fails, events, lt, lk, lc, lh, dbm, lbm = _simulate(
            plan.switches, plan.ports, plan.horizon, plan.detection, plan.swap_hours,
            plan.replacement_hours, plan.exponential_hands_on, plan.technicians, plan.k, plan.window,
            pp.jp, plan.n_jobs, plan.dual, plan.ntf_test_hours,
            plan.per_switch, plan.spares, plan.span, plan.wide, plan.elements, plan.needed, plan.swap,
            plan.unit_scope, plan.moves, plan.pool, plan.ntf, fam, pa, pb,
            plan.pool_stock, plan.pool_lead, plan.switch_pool,
            x0, pp.words, pp.months)
        m: dict[str, float] = {"port_availability": float(out[0])}
        for column, f in zip(pp.columns, fails.tolist(), strict=True):
            m[column] = float(f)
        for j, name in enumerate(COMMON):
            m[name] = float(out[1 + j])
        return ReplicationOutcome(m, int(events), Ledger(lt, lk, lc, lh, dbm, lbm))


def compiled() -> bool:
    """Whether the loop's machine code is in the cache for this source (a run then loads it in
    about a second instead of compiling it for a minute or more). Reads numba's cache index
    through its internals: on any surprise it answers False (the caller's note is then merely
    unneeded)."""
    try:
        return all(bool(f._cache._cache_file._load_index()) for f in (_simulate, _run))
    except Exception:  # noqa: BLE001 - numba internals changed: assume a compile
        return False


def cache_dir() -> str:
    """Where compiled code is cached (numba's default beside the module when unset)."""
    return os.environ.get("NUMBA_CACHE_DIR") or "__pycache__ beside fleet_models/fast_engine.py"


def warm_up() -> float:
    """Compile (or load from the cache) the loop; returns the seconds it took."""
    import time

    from fleet_models.contract import compile_plan
    from fleet_models.model.spec import Repair
    from reliability.models import LifeModel

    t0 = time.perf_counter()
    comp = Component("c", 1, None, LifeModel.exponential(10.0), repair=Repair.REPLACE_SWITCH)
    sc = Scenario("warm", 20.0, Fleet(1, 1), (Architecture("a", (comp,)),))
    FastEngine().simulate(compile_plan(sc, sc.architectures[0]), 0)
    return time.perf_counter() - t0
