"""The SimPy fleet engine: one replication of one architecture.

What is simulated (the reference semantics; the README's "Fleet simulation"
section says the same in plain words):

Fleet and units
    ``fleet.switches`` switches of ``fleet.ports_per_switch`` ports, all new at
    t = 0. For every component kind a switch holds ``per_switch`` units; unit i
    covers ports [i*ppu, (i+1)*ppu) (``ports_per_unit`` None: every port of the
    switch). A replace-switch kind with ``spare_units`` s holds s more units
    (fail in place, see Repair): powered and ageing from t = 0 like the others
    (hot standby), serving no port until they take over. A unit has
    ``elements`` elements with independent lives drawn from ``life`` and works
    while at least ``needed`` of them do. A port is up only
    while every unit covering it is up and its switch is not being replaced.

Failure-driven sampling (cost grows with failures, not units)
    Of the N = switches*(per_switch + spare_units)*elements elements of a kind,
    alive and new from t0 with a remaining horizon H', only Binomial(N, F(H'))
    fail inside it:
    which ones is drawn without replacement and their times by truncated
    sampling (``LifeModel.sample_before``, closed forms for Weibull and
    exponential). Only those become events. A swapped element or a replaced
    switch draws fresh lives from age zero when the repair completes, thinned
    the same way to the remaining horizon (for one element: a uniform u gives the
    life ppf(u), which fails inside iff u < F(H'), so the same thinning). A unit
    under repair does not age; units keep ageing while their ports are down for
    another unit's repair. A switch replacement renews the units that go with the
    chassis (replace-switch units, and swap units with ``moves_on_replacement``
    false): the switch's generation counter is bumped so their pending failure and
    repair events are ignored, and they draw new lives. Swap units that move
    (pluggable modules, ELS: the default) keep their age, their pending failures
    and repairs; a failed one stays down after the replacement until it is swapped.

Repair
    A failure is detected ``detection_hours`` after it happens.
    ``swap``: at detection the repair orders a part from the component's spare
    pool if one is configured (base stock: every demand orders one part at once,
    it arrives after the lead time) and takes a part, waiting FCFS for the next
    arrival when none is on hand (``spare_waits`` counts those demands); then it
    queues FCFS for a technician (``policy.technicians``, 0 = unlimited) and
    holds them ``swap_hours`` (exponential with that mean when
    ``policy.hands_on`` is exponential); the element is back at the end. A unit
    of several elements with ``repair_scope`` "unit" is swapped only when it goes
    down, and the swap renews every element (a per-unit generation voids their
    pending failures); with "element" every failed element is repaired this way
    and the unit's ports are down only while fewer than ``needed`` elements are up.
    With ``ntf_fraction`` f > 0 each swap's removed unit had nothing wrong (no
    trouble found) with probability f, drawn when the failure happens: the swap
    is the same (detection, a part taken from the pool, a technician, the fault
    cleared and a fresh life), but it orders no part (only the other swaps do:
    orders = (1 - f) x demands on average) and the removed unit is back in the
    pool ``policy.ntf_test_days`` after its swap started; the ledger records it
    as an ``ntf_swap`` (labour, no part), the ``swaps`` metric counts both kinds.
    ``replace-switch``: with ``spare_units`` > 0 a unit that goes down first
    looks for a spare: an idle spare that goes down is just one spare fewer; a
    serving unit that goes down while an idle spare is left hands its block of
    ports to the lowest-numbered one (no port down, no outage, no interruption,
    no visit). A unit that goes down and finds no spare (every unit when
    ``spare_units`` is 0) takes its ports down at once and leaves the switch
    *degraded* (awaiting a replacement) from that moment. Element failures of
    such a unit that leave it working are latent: nothing is repaired until the
    switch is replaced. When a failure in a degraded switch is detected, a replacement is triggered at once
    if the switch has ``replace_switch_when_ports_down`` (k) or more ports down
    for replace-switch units (ports actually down: not those a spare serves, nor
    those down only for a swap under way), or if a switch-wide unit (ppu None)
    that found no spare is among its failed units; otherwise, with
    ``maintenance_window_days`` set, at the next window (windows at multiples of
    that period from t = 0); otherwise the switch runs degraded until k is
    reached or the horizon ends. A replacement takes a ``switch`` spare (pool
    ``switch`` if configured, same base-stock rules) and then a technician,
    and holds them ``switch_replacement_hours`` during which every port of the
    switch is down; it ends the degraded state when it starts, and every unit
    is new when it ends (with its spare units: a new switch brings new spares).
    A repair of a unit whose switch was replaced meanwhile is dropped (its part,
    if it took one, goes back to stock; the part it ordered still arrives).

Metrics (``metric_names``), all truncated at the horizon
    port_availability      up port-hours / (ports * horizon); replacement
                           downtime, planned or not, is down time
    failures_<component>   element failures of that kind inside the horizon
    swaps                  swap repairs whose hands-on time started
    switch_replacements    switch replacements that started
    port_down_hours        port-hours down
    unplanned_outages      failure events that took at least one port down at
                           the moment of failure
    degraded_switch_hours  switch-hours spent holding failed units awaiting
                           replacement (until the replacement starts)
    technician_hours       hands-on hours (swaps and replacements)
    spare_waits            part demands that found no part on hand
    job_interruptions      stalls that interrupted a job (below): with single
                           homing, an unplanned outage interrupts every job
                           owning a port it took down, unless that job is
                           stalled already or was interrupted less than
                           ``restart_hours`` ago; with dual homing none.

Jobs and the fabric (``scenario.fabric``; ``Ledger.lost_by_month``)
    The fleet's GPUs (``fleet_models.fabric``: switches*ports*gpus_per_port, or the
    architecture's gpus_per_switch spread over its ports) form max(1,
    floor(GPUs/job_gpus)) jobs over consecutive ports (a port belongs to the job of
    its first GPU; each job has job_gpus GPUs, the last the remainder). A port
    going down (a unit or a replacement taking it) is *unplanned* unless a
    maintenance-window replacement takes it. ``homing`` "single": an unplanned
    port-down stalls its job if it is running (whole or without excluded nodes):
    the job's G GPUs are lost until all its ports are back or ``exclude_hours``
    pass, whichever is first; after the exclusion the job loses min(d*gpp, G), d its
    ports down, until they are back. A planned port-down does not stall: the
    job is drained and runs without those GPUs (the TCO charges the drain's
    restart). ``homing`` "dual": while d > 0 the job loses
    ``degraded_slowdown``*G, and nothing interrupts it; once ``exclude_hours`` have passed
    since its first port went down, min(``degraded_slowdown``*G, d*gpp) (its operator drops
    the slow nodes when running without them loses less). The GPU-hours lost are
    accumulated per month like the port-down hours.

Determinism and common random numbers
    Replication i draws from streams ``SeedSequence(entropy=seed, spawn_key=(i,
    crc32(component name), tag))`` (:class:`Streams`): per component its parameter
    draw, its initial lives switch by switch, per switch its renewals, and per
    switch (a key one word longer: ``(i, crc32(name), 0, switch)``) whether each
    of its swaps found no trouble (drawn only when ``ntf_fraction`` > 0, so a
    share of 0 changes no other draw); hands-on times have their own. Results
    depend neither on how replications are grouped
    nor on the other architectures of the scenario, and components two
    architectures share fail at the same times in the same replication.
    Initial failures are scheduled sorted by (time, switch, unit, kind) and all
    later events in the order the (deterministic) simulation creates them; SimPy
    orders events by time then insertion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import numpy as np
import simpy
from simpy.events import Timeout

from fleet_models.contract import FleetPlan, ReplicationOutcome, metric_names  # noqa: F401  (re-exported)
from fleet_models.fabric import jobs
from fleet_models.model.checks import SWITCH
from fleet_models.model.ledger import MONTH_HOURS, EventKind, Ledger  # noqa: F401  (re-exported)
from fleet_models.model.metrics import COMMON, failure_column
from fleet_models.model.spec import (
    Architecture,
    Component,
    HandsOn,
    Homing,
    Repair,
    RepairScope,
    Scenario,
    SparePool,
)
from fleet_models.streams import Streams, replication_rng, replication_seed  # noqa: F401
from reliability.models import LifeModel

SWITCH_POOL = SWITCH  # declared once, in fleet_models.validate
"""Name of the spare pool (``policy.spares``) replacement switches come from."""

COMMON_METRICS = COMMON  # the metric list is declared once, in fleet_models.model.metrics
failure_metric = failure_column


def simulate(
    scenario: Scenario, architecture: Architecture, replication: int, seed: int | None = None
) -> ReplicationOutcome:
    """Run replication ``replication`` of ``architecture`` under ``scenario``.

    ``seed`` overrides ``scenario.seed``. With ``scenario.uncertainty`` every
    component whose life model has a covariance first draws its parameters
    (``LifeModel.draw_parameters``) from the replication's generator. The scenario must be
    valid (``fleet_models.validate.validate``; :func:`fleet_models.runner.run` checks it once per
    run, so replications do not re-check it).
    """
    streams = Streams(scenario.seed if seed is None else seed, replication)
    lives = [
        c.life.draw_parameters(streams.parameters(c.name))
        if scenario.uncertainty and c.life.covariance is not None else c.life
        for c in architecture.components
    ]
    return _FleetSim(scenario, architecture, lives, streams).run()


class SimPyEngine:
    """The reference engine behind the contract (:mod:`fleet_models.contract`): every feature."""

    name = "des"

    def supports(self, plan: FleetPlan) -> str | None:
        return None

    def simulate(self, plan: FleetPlan, replication: int) -> ReplicationOutcome:
        return simulate(plan.scenario, plan.architecture, replication, seed=plan.seed)


# --------------------------------------------------------------------------- sampling


class _Life:
    """Fast scalar cdf and ppf of a LifeModel: its family's closed forms (``Family.cdf`` /
    ``Family.ppf``, the same laws as ``LifeModel.dist``; scipy's for families without one).
    Scalar scipy calls cost tens of microseconds; these run once or twice per failure."""

    def __init__(self, model: LifeModel) -> None:
        self.model = model
        self.family = model.family
        self.p = model.parameters

    def cdf(self, t: float) -> float:
        return self.family.cdf(self.p, t)

    def ppf(self, q):
        """Inverse cdf, for an array or a float ``q`` in [0, 1)."""
        return self.family.ppf(self.p, q)

    def failing(self, n: int, horizon: float, rng: np.random.Generator):
        """Which of ``n`` new elements fail within ``horizon`` and after how long.

        Binomial thinning, then truncated sampling ppf(U * F(horizon)) as in
        ``LifeModel.sample_before``; returns (indices, times).
        """
        f = self.cdf(horizon)
        count = int(rng.binomial(n, f)) if f > 0.0 else 0
        if count == 0:
            return _EMPTY_I, _EMPTY_F
        idx = rng.choice(n, size=count, replace=False) if count < n else np.arange(n)
        times = np.asarray(self.ppf(rng.random(count) * f), dtype=float)
        return idx, times

    def one(self, horizon: float, rng: np.random.Generator) -> float | None:
        """Life of one new element if it fails within ``horizon``, else None.

        The same thinning for n = 1: with u uniform, P(u < F(h)) = F(h) and,
        given that, u / F(h) is uniform, so ppf(u) is the truncated draw.
        """
        u = rng.random()
        if u >= self.cdf(horizon):
            return None
        return float(self.ppf(u))


_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=float)


# --------------------------------------------------------------------------- state


class _Kind:
    __slots__ = ("index", "name", "per_switch", "ppu", "elements", "needed", "swap", "life",
                 "pool", "down_at", "unit_scope", "moves", "spares", "units", "ntf")

    def __init__(self, index: int, comp: Component, life: LifeModel, pool: _Pool | None) -> None:
        self.index = index
        self.name = comp.name
        self.per_switch = comp.per_switch
        self.ppu = comp.ports_per_unit
        self.elements = comp.elements
        self.needed = comp.needed
        self.swap = comp.repair is Repair.SWAP
        self.life = _Life(life)
        self.pool = pool
        self.down_at = comp.elements - comp.needed + 1  # failed elements that take the unit down
        # one swap renews the whole unit (an ELS module), instead of one swap per failed element
        self.unit_scope = (self.swap and comp.elements > 1
                           and comp.repair_scope is RepairScope.UNIT)
        # a pluggable part outlives the chassis: a switch replacement moves it with its age
        self.moves = self.swap and comp.moves_on_replacement
        # fail in place (replace-switch units only, validate.cross_checks): units on the switch
        # beyond per_switch; every one is powered, ages and may fail
        self.spares = 0 if self.swap else comp.spare_units
        self.units = comp.per_switch + self.spares
        self.ntf = comp.ntf_fraction if self.swap else 0.0  # share of swaps with no trouble found


class _Pool:
    """Base-stock spare pool: a simpy.Container (FCFS gets) refilled by orders after the lead time."""

    def __init__(self, env: simpy.Environment, spec: SparePool) -> None:
        self.env = env
        self.lead = spec.lead_time_hours
        self.store = simpy.Container(env, init=spec.stock)
        self.ordered = 0  # parts ordered (every demand but those of no-trouble-found swaps)
        self.returned = 0  # units removed with no trouble found, scheduled back to stock

    def order(self) -> None:
        self.ordered += 1
        ev = Timeout(self.env, self.lead)
        ev.callbacks.append(self._arrive)

    def give_back(self, delay: float) -> None:
        """A unit removed with nothing wrong is back in stock after its test, ``delay`` hours."""
        self.returned += 1
        ev = Timeout(self.env, delay)
        ev.callbacks.append(self._arrive)

    def _arrive(self, _ev) -> None:
        self.store.put(1)


class _Switch:
    __slots__ = ("gen", "reasons", "n_down", "rs_reasons", "rs_down", "failed", "degraded",
                 "awaiting", "switch_wide", "pending", "window_gen", "unit_gen", "in_place")

    def __init__(self, ports: int) -> None:
        self.gen = 0  # bumped when a replacement starts: older events are stale
        self.reasons = np.zeros(ports, dtype=np.int32)  # why each port is down (0 = up)
        self.n_down = 0
        # the same for replace-switch units only: k counts ports that a replacement would fix,
        # not ports down for a hot-swap under way (an ELS swap must not replace the switch)
        self.rs_reasons = np.zeros(ports, dtype=np.int32)
        self.rs_down = 0
        self.failed: dict[tuple[int, int], int] = {}  # (kind, unit) -> failed elements
        self.degraded = False  # holds replace-switch units that are down
        self.awaiting = 0  # detected down replace-switch units
        self.switch_wide = False  # a detected down replace-switch unit covers the whole switch
        self.pending = False  # a replacement is under way (queued or in progress)
        self.window_gen = -1  # generation a window replacement is scheduled for
        self.unit_gen: dict[tuple[int, int], int] = {}  # (kind, unit) -> renewals by a unit swap
        self.in_place: dict[int, _InPlace] = {}  # kind -> its units and spares (fail in place)


class _InPlace:
    """Which unit of a kind with spare units serves which block of ports in one switch (made at
    the switch's first failure of the kind; a replacement drops it: the new switch is as new)."""

    __slots__ = ("slot_of", "idle", "down")

    def __init__(self, k: _Kind) -> None:
        self.slot_of = {u: u for u in range(k.per_switch)}  # serving unit -> its block of ports
        self.idle = list(range(k.per_switch, k.units))  # working spares, lowest first
        self.down: list[int] = []  # blocks whose ports are down: their failure found no spare


class _FleetSim:
    def __init__(
        self,
        scenario: Scenario,
        architecture: Architecture,
        lives: Sequence[LifeModel],
        streams: Streams,
    ) -> None:
        self.streams = streams
        self.arch = architecture
        fleet, pol, work = scenario.fleet, scenario.policy, scenario.workload
        self.S, self.P, self.H = fleet.switches, fleet.ports_per_switch, float(scenario.horizon_hours)
        self.env = simpy.Environment()
        self.techs = simpy.Resource(self.env, capacity=pol.technicians) if pol.technicians > 0 else None
        self.detection = float(pol.detection_hours)
        self.ntf_test = float(pol.ntf_test_days) * 24.0
        self.swap_hours = float(pol.swap_hours)
        self.repl_hours = float(pol.switch_replacement_hours)
        self.exp_hands_on = pol.hands_on is HandsOn.EXPONENTIAL
        self.k = pol.replace_switch_when_ports_down
        self.window = (
            None if pol.maintenance_window_days is None else float(pol.maintenance_window_days) * 24.0
        )
        pools: dict[str, _Pool] = {}

        def pool(name: str) -> _Pool | None:
            if name not in pol.spares:
                return None
            if name not in pools:
                pools[name] = _Pool(self.env, pol.spares[name])
            return pools[name]

        self.kinds = [
            _Kind(i, c, life, pool(c.name) if c.repair is Repair.SWAP else None)
            for i, (c, life) in enumerate(zip(architecture.components, lives, strict=True))
        ]
        self.switch_pool = (
            pool(SWITCH_POOL) if any(not k.swap for k in self.kinds) else None
        )
        # jobs over consecutive ports (fleet_models.fabric); no GPUs behind the ports, or no
        # job: outages interrupt nothing and cost no GPU-hours
        self.layout = jobs(scenario, architecture)
        self.gpp, self.job_gpus, self.n_jobs = self.layout.gpp, self.layout.size, self.layout.n
        self.restart = float(work.restart_hours)
        self.last_interrupt: dict[int, float] = {}
        fab = scenario.fabric
        self.dual = fab.homing is Homing.DUAL
        self.exclude = float(fab.exclude_hours)
        self.slowdown = float(fab.degraded_slowdown)
        self.job_down: dict[int, int] = {}  # job -> its ports down (jobs with none are absent)
        self.stalled: dict[int, int] = {}  # job -> its stall number, until exclude_hours (single: stalled; dual: slowed)
        self.stalls = 0
        self.lost_rate = 0.0  # GPU-hours lost per hour, now
        # state and counters
        self.switches: dict[int, _Switch] = {}
        self.total_down = 0
        self.n_degraded = 0
        self.last = 0.0
        self.down_area = 0.0
        self.degraded_area = 0.0
        self.failures = [0] * len(self.kinds)
        self.swaps = 0
        self.replacements = 0
        self.outages = 0
        self.tech_hours = 0.0
        self.spare_waits = 0
        self.interruptions = 0
        self._ev_t: list[float] = []
        self._ev_kind: list[int] = []
        self._ev_comp: list[int] = []
        self._ev_hours: list[float] = []
        self.down_by_month = np.zeros(max(1, math.ceil(self.H / MONTH_HOURS)))
        self.lost_by_month = np.zeros_like(self.down_by_month)

    # ----------------------------------------------------------------- running
    def run(self) -> ReplicationOutcome:
        self._schedule_initial()
        env, horizon, n = self.env, self.H, 0
        while env.peek() < horizon:
            env.step()
            n += 1
        self._advance(horizon)
        port_hours = self.S * self.P * horizon
        m: dict[str, float] = {"port_availability": 1.0 - self.down_area / port_hours}
        for k in self.kinds:
            m[failure_metric(k.name)] = float(self.failures[k.index])
        m.update(
            swaps=float(self.swaps),
            switch_replacements=float(self.replacements),
            port_down_hours=self.down_area,
            unplanned_outages=float(self.outages),
            degraded_switch_hours=self.degraded_area,
            technician_hours=self.tech_hours,
            spare_waits=float(self.spare_waits),
            job_interruptions=float(self.interruptions),
        )
        ledger = Ledger(np.asarray(self._ev_t, dtype=float), np.asarray(self._ev_kind, dtype=np.int8),
                        np.asarray(self._ev_comp, dtype=np.int32), np.asarray(self._ev_hours, dtype=float),
                        self.down_by_month, self.lost_by_month)
        return ReplicationOutcome(m, n, ledger)

    def _event(self, kind: int, component: int, hours: float) -> None:
        self._ev_t.append(self.env.now)
        self._ev_kind.append(kind)
        self._ev_comp.append(component)
        self._ev_hours.append(hours)

    def _schedule_initial(self) -> None:
        times, sw, unit, kind = [], [], [], []
        for k in self.kinds:
            per = k.units * k.elements  # spare units (fail in place) are drawn like the others
            rng = self.streams.initial(k.name)
            f = k.life.cdf(self.H)
            if f <= 0.0:
                continue
            # switch by switch, in switch order: the same draws in any architecture with this
            # component (binomial thinning, then which elements, then truncated lives)
            counts = rng.binomial(per, f, size=self.S)
            hit = np.flatnonzero(counts)
            if not hit.size:
                continue
            for s in hit.tolist():
                c = int(counts[s])
                idx = rng.choice(per, size=c, replace=False) if c < per else np.arange(per)
                sw.append(np.full(c, s))
                unit.append(idx // k.elements)
                kind.append(np.full(c, k.index))
            times.append(np.asarray(k.life.ppf(rng.random(int(counts.sum())) * f), dtype=float))
        if not times:
            return
        t, s, u, ki = (np.concatenate(a) for a in (times, sw, unit, kind))
        order = np.lexsort((ki, u, s, t))
        for j in order.tolist():
            self._at(float(t[j]), partial(self._fail, self.kinds[ki[j]], int(s[j]), int(u[j]), 0))

    def _at(self, delay: float, callback) -> None:
        Timeout(self.env, delay).callbacks.append(callback)

    def _switch(self, s: int) -> _Switch:
        sw = self.switches.get(s)
        if sw is None:
            sw = self.switches[s] = _Switch(self.P)
        return sw

    def _advance(self, now: float | None = None) -> None:
        now = self.env.now if now is None else now
        dt = now - self.last
        if dt > 0.0:
            if self.total_down:
                self._by_month(self.down_by_month, self.total_down, self.last, now)
            if self.lost_rate:
                self._by_month(self.lost_by_month, self.lost_rate, self.last, now)
            self.down_area += self.total_down * dt
            self.degraded_area += self.n_degraded * dt
            self.last = now

    @staticmethod
    def _by_month(months: np.ndarray, rate: float, a: float, b: float) -> None:
        """Add rate x (b - a) to the months [a, b) spans (port-hours down, GPU-hours lost)."""
        m, last = int(a // MONTH_HOURS), len(months) - 1
        while a < b:
            end = min(b, (m + 1) * MONTH_HOURS) if m < last else b
            months[min(m, last)] += rate * (end - a)
            a, m = end, m + 1

    def _hands_on(self, mean: float) -> float:
        if self.exp_hands_on and mean > 0.0:
            return float(self.streams.hands_on().exponential(mean))
        return mean

    # ----------------------------------------------------------------- ports
    def _span(self, k: _Kind, u: int) -> tuple[int, int]:
        if k.ppu is None:
            return 0, self.P
        return u * k.ppu, (u + 1) * k.ppu

    def _unit_down(self, sw: _Switch, k: _Kind, u: int):
        """Mark unit ``u`` of kind ``k`` down; return the ports that went down (int or array)."""
        a, b = self._span(k, u)
        self._advance()
        if not k.swap:
            seg = sw.rs_reasons[a:b]
            sw.rs_down += int(np.count_nonzero(seg == 0))
            seg += 1
        if b - a == 1:
            r = sw.reasons
            v = r[a]
            r[a] = v + 1
            if v == 0:
                sw.n_down += 1
                self.total_down += 1
                return a
            return None
        seg = sw.reasons[a:b]
        newly = np.flatnonzero(seg == 0)
        seg += 1
        if newly.size:
            sw.n_down += newly.size
            self.total_down += newly.size
            return newly + a
        return None

    def _unit_up(self, sw: _Switch, k: _Kind, u: int):
        """Mark unit ``u`` of kind ``k`` up again; return the ports that came up (int or array)."""
        a, b = self._span(k, u)
        self._advance()
        if not k.swap:
            seg = sw.rs_reasons[a:b]
            seg -= 1
            sw.rs_down -= int(np.count_nonzero(seg == 0))
        if b - a == 1:
            r = sw.reasons
            v = r[a] - 1
            r[a] = v
            if v == 0:
                sw.n_down -= 1
                self.total_down -= 1
                return a
            return None
        seg = sw.reasons[a:b]
        seg -= 1
        up = np.flatnonzero(seg == 0)
        sw.n_down -= up.size
        self.total_down -= up.size
        return up + a if up.size else None

    # ----------------------------------------------------------------- jobs
    def _jobs_of(self, s: int, ports) -> tuple[list[int], list[int]]:
        """The distinct jobs owning ``ports`` of switch ``s``, in port order, and how many each."""
        if self.n_jobs == 1:  # one job over the whole fleet (the default): no arithmetic needed
            return [0], [ports.size if isinstance(ports, np.ndarray) else 1]
        base, last_job = s * self.P, self.n_jobs - 1
        if isinstance(ports, np.ndarray):
            ids = np.minimum(((base + ports) * self.gpp // self.job_gpus).astype(np.int64), last_job)
            if ids[0] == ids[-1]:  # ids grow with the port: one job
                return [int(ids[0])], [int(ids.size)]
            j, c = np.unique(ids, return_counts=True)
            return j.tolist(), c.tolist()
        return [min(int((base + ports) * self.gpp // self.job_gpus), last_job)], [1]

    def _job_rate(self, j: int) -> float:
        """GPU-hours job ``j`` loses per hour now. Single homing: all its GPUs while stalled, then
        those behind its down ports. Dual homing: its GPUs x the slow-down while a port of it is
        down, and once ``exclude_hours`` have passed the lesser of that and the GPUs behind its down
        ports (an operator drops slow nodes when running without them loses less)."""
        d = self.job_down.get(j, 0)
        if not d:
            return 0.0
        g = self.layout.gpus(j)
        excluded = min(d * self.gpp, g)
        if self.dual:
            slowed = self.slowdown * g
            return slowed if j in self.stalled else min(slowed, excluded)
        return g if j in self.stalled else excluded

    def _jobs_down(self, s: int, ports, planned: bool = False) -> None:
        """Ports of switch ``s`` went down (the clock is advanced): with single homing an unplanned
        outage stalls every running job owning one and interrupts it, unless it was interrupted
        less than ``restart_hours`` ago; a planned one (a drained switch) only takes the GPUs."""
        if not self.n_jobs:
            return
        now = self.env.now
        for j, c in zip(*self._jobs_of(s, ports), strict=True):
            before = self._job_rate(j)
            was_down = self.job_down.get(j, 0)
            self.job_down[j] = was_down + c
            if self.dual and not was_down:  # slowed from now; exclusion possible after exclude_hours
                self.stalls += 1
                self.stalled[j] = self.stalls
                self._at(self.exclude, partial(self._exclude, j, self.stalls))
            elif not self.dual and not planned and j not in self.stalled:
                self.stalls += 1
                self.stalled[j] = self.stalls
                self._at(self.exclude, partial(self._exclude, j, self.stalls))
                t = self.last_interrupt.get(j)
                if t is None or now - t >= self.restart:
                    self.interruptions += 1
                    self.last_interrupt[j] = now
                    self._event(EventKind.INTERRUPTION, -1, 0.0)
            self.lost_rate += self._job_rate(j) - before

    def _jobs_up(self, s: int, ports) -> None:
        """Ports of switch ``s`` came back (the clock is advanced): a stall of their job ends."""
        if not self.n_jobs or ports is None:
            return
        for j, c in zip(*self._jobs_of(s, ports), strict=True):
            before = self._job_rate(j)
            d = self.job_down[j] - c
            if d:
                self.job_down[j] = d
            else:
                del self.job_down[j]
                self.stalled.pop(j, None)
            self.lost_rate += self._job_rate(j) - before
        if not self.job_down:
            self.lost_rate = 0.0  # no residue of the running sum

    def _exclude(self, j: int, stall: int, _ev=None) -> None:
        """``exclude_hours`` into a stall: the job restarts without the nodes behind its down ports."""
        if self.stalled.get(j) != stall:
            return  # its ports came back first (or a later stall is under way)
        self._advance()
        before = self._job_rate(j)
        del self.stalled[j]
        self.lost_rate += self._job_rate(j) - before

    # ----------------------------------------------------------------- failures
    def _fail(self, k: _Kind, s: int, u: int, gen: int, _ev=None, *, ugen: int = 0) -> None:
        sw = self.switches.get(s)
        if sw is None:
            if gen != 0:
                return
            sw = self._switch(s)
        elif self._gen(sw, k) != gen:
            return  # the unit was renewed by a switch replacement
        if k.unit_scope and sw.unit_gen.get((k.index, u), 0) != ugen:
            return  # the element was renewed with its whole unit by a swap
        self.failures[k.index] += 1
        key = (k.index, u)
        f = sw.failed.get(key, 0) + 1
        sw.failed[key] = f
        went_down = f == k.down_at
        if went_down:
            slot = u
            if k.spares:
                slot = self._take_over(sw, k, u)
                if slot is None:
                    return  # a spare serves the unit's ports (or an idle spare failed): no visit
            newly = self._unit_down(sw, k, slot)
            if newly is not None:
                self.outages += 1
                self._jobs_down(s, newly)
        if k.swap and (went_down or not k.unit_scope):  # a unit swap waits for the unit to fail
            # no trouble found: drawn per failure from the (component, switch) stream, in the
            # order of the failures, only when the share is set (a share of 0 draws nothing)
            ntf = k.ntf > 0.0 and self.streams.ntf(k.name, s).random() < k.ntf
            if k.pool is None and self.techs is None:
                self._at(self.detection, partial(self._swap_detected, k, s, u, sw, gen, ntf=ntf))
            else:
                self.env.process(self._swap(k, s, u, sw, gen, ntf))
        elif went_down:
            if not sw.degraded:
                self._advance()
                sw.degraded = True
                self.n_degraded += 1
            self._at(self.detection, partial(self._replace_detected, k, s, sw, gen))

    @staticmethod
    def _take_over(sw: _Switch, k: _Kind, u: int) -> int | None:
        """Unit ``u`` of a kind with spare units went down: the block of ports that goes down with
        it, or None when an idle spare takes over its ports (or it was itself an idle spare)."""
        st = sw.in_place.get(k.index)
        if st is None:
            st = sw.in_place[k.index] = _InPlace(k)
        slot = st.slot_of.pop(u, None)
        if slot is None:  # an idle spare failed: one spare fewer
            st.idle.remove(u)
            return None
        if st.idle:  # the lowest idle spare now serves the block
            st.slot_of[st.idle.pop(0)] = slot
            return None
        st.down.append(slot)
        return slot

    @staticmethod
    def _gen(sw: _Switch, k: _Kind) -> int:
        """The generation a unit's events carry: the switch's, bumped by a replacement, for units
        that go with the chassis; 0 for moving units, which a replacement does not renew."""
        return 0 if k.moves else sw.gen

    def _renew_element(self, k: _Kind, s: int, u: int, sw: _Switch) -> None:
        life = k.life.one(self.H - self.env.now, self.streams.renewals(k.name, s))
        if life is not None:
            self._at(life, partial(self._fail, k, s, u, self._gen(sw, k)))

    def _renew_switch(self, s: int, sw: _Switch) -> None:
        remaining = self.H - self.env.now
        items = []
        for k in self.kinds:
            if k.moves:
                continue  # moved to the new chassis with its age: its pending events stand
            n = k.units * k.elements  # a new switch brings new spare units
            rng = self.streams.renewals(k.name, s)
            if n == 1:  # the same thinning, one uniform instead of three array draws
                life = k.life.one(remaining, rng)
                if life is not None:
                    items.append((life, 0, k.index))
                continue
            idx, t = k.life.failing(n, remaining, rng)
            if t.size:  # most renewals see no failure within the horizon
                items += zip(t.tolist(), (idx // k.elements).tolist(), [k.index] * t.size, strict=True)
        items.sort()
        for tj, j, ki in items:
            self._at(tj, partial(self._fail, self.kinds[ki], s, j, sw.gen))

    # ----------------------------------------------------------------- swap repair
    def _take_part(self, pool: _Pool, order: bool = True):
        if order:
            pool.order()
        get = pool.store.get(1)
        if not get.triggered:
            self.spare_waits += 1
        return get

    def _swap(self, k: _Kind, s: int, u: int, sw: _Switch, gen: int, ntf: bool = False):
        """Swap repair that may queue (for a part or a technician): a SimPy process. With ``ntf``
        the removed unit had nothing wrong: it orders no part and goes back to stock after its test."""
        yield Timeout(self.env, self.detection)
        if self._gen(sw, k) != gen:
            return
        self._consider_replacement(s, sw)
        if k.pool is not None:
            yield self._take_part(k.pool, order=not ntf)
            if self._gen(sw, k) != gen:
                k.pool.store.put(1)
                return
        req = None
        if self.techs is not None:
            req = self.techs.request()
            yield req
            if self._gen(sw, k) != gen:
                self.techs.release(req)
                return
        yield Timeout(self.env, self._start_swap(k, ntf))
        if req is not None:
            self.techs.release(req)
        self._swap_done(k, s, u, sw, gen)

    def _swap_detected(self, k: _Kind, s: int, u: int, sw: _Switch, gen: int, _ev=None, *,
                       ntf: bool = False) -> None:
        """Swap repair that never queues (no pool, unlimited technicians): two timed callbacks
        instead of a process, the same steps and order as :meth:`_swap`."""
        if self._gen(sw, k) != gen:
            return
        self._consider_replacement(s, sw)
        self._at(self._start_swap(k, ntf), partial(self._swap_done, k, s, u, sw, gen))

    def _start_swap(self, k: _Kind, ntf: bool = False) -> float:
        hold = self._hands_on(self.swap_hours)
        self.swaps += 1
        labour = min(hold, self.H - self.env.now)
        self.tech_hours += labour
        self._event(EventKind.NTF_SWAP if ntf else EventKind.SWAP, k.index, labour)
        if ntf and k.pool is not None:  # the removed unit is tested and restocked
            k.pool.give_back(self.ntf_test)
        return hold

    def _swap_done(self, k: _Kind, s: int, u: int, sw: _Switch, gen: int, _ev=None) -> None:
        if self._gen(sw, k) != gen:
            return
        key = (k.index, u)
        if k.unit_scope:  # the whole unit is new: every element, failed or not, gets a fresh life
            if sw.failed.pop(key, 0) >= k.down_at:
                self._jobs_up(s, self._unit_up(sw, k, u))
            ugen = sw.unit_gen[key] = sw.unit_gen.get(key, 0) + 1
            idx, t = k.life.failing(k.elements, self.H - self.env.now, self.streams.renewals(k.name, s))
            for tj in np.sort(t).tolist():
                self._at(tj, partial(self._fail, k, s, u, self._gen(sw, k), ugen=ugen))
            return
        f = sw.failed[key] - 1
        if f == k.down_at - 1:
            self._jobs_up(s, self._unit_up(sw, k, u))
        if f:
            sw.failed[key] = f
        else:
            del sw.failed[key]
        self._renew_element(k, s, u, sw)

    # ----------------------------------------------------------------- switch replacement
    def _replace_detected(self, k: _Kind, s: int, sw: _Switch, gen: int, _ev=None) -> None:
        if sw.gen != gen:
            return
        sw.awaiting += 1
        if k.ppu is None:
            sw.switch_wide = True
        self._consider_replacement(s, sw)

    def _consider_replacement(self, s: int, sw: _Switch) -> None:
        """At a detection: replace now if k ports are down or a switch-wide unit failed,
        else book the next maintenance window (if any)."""
        if sw.pending or not sw.awaiting:
            return
        if sw.switch_wide or sw.rs_down >= self.k:
            self.env.process(self._replace(s, sw, planned=False))
        elif self.window is not None and sw.window_gen != sw.gen:
            sw.window_gen = sw.gen
            now = self.env.now
            at = math.ceil(now / self.window) * self.window
            self._at(at - now, partial(self._window, s, sw, sw.gen))

    def _window(self, s: int, sw: _Switch, gen: int, _ev=None) -> None:
        if sw.gen == gen and not sw.pending and sw.awaiting:
            self.env.process(self._replace(s, sw, planned=True))

    def _replace(self, s: int, sw: _Switch, planned: bool):
        sw.pending = True
        if self.switch_pool is not None:
            yield self._take_part(self.switch_pool)
        req = None
        if self.techs is not None:
            req = self.techs.request()
            yield req
        # the replacement starts: every port down; the old lives of the units that go with the
        # chassis are void; moving units (pluggables) keep theirs, failed or not
        self.replacements += 1
        self._advance()
        sw.gen += 1
        if sw.degraded:
            sw.degraded = False
            self.n_degraded -= 1
        r = sw.reasons
        newly = np.flatnonzero(r == 0)  # ports the replacement takes down
        for key, f in list(sw.failed.items()):
            k = self.kinds[key[0]]
            if not k.moves:
                if f >= k.down_at and not k.spares:  # its reason to be down goes with the old chassis
                    a, b = self._span(k, key[1])
                    r[a:b] -= 1
                del sw.failed[key]
        for ki, st in sw.in_place.items():  # with spare units: the blocks that found no spare
            for slot in st.down:
                a, b = self._span(self.kinds[ki], slot)
                r[a:b] -= 1
        sw.in_place.clear()
        for key in [key for key in sw.unit_gen if not self.kinds[key[0]].moves]:
            del sw.unit_gen[key]
        r += 1  # the replacement itself: one more reason on every port
        self.total_down += newly.size
        sw.n_down = self.P
        if newly.size:
            self._jobs_down(s, newly, planned)
        sw.rs_reasons[:] = 0
        sw.rs_down = 0
        sw.awaiting = 0
        sw.switch_wide = False
        hold = self._hands_on(self.repl_hours)
        labour = min(hold, self.H - self.env.now)
        self.tech_hours += labour
        self._event(EventKind.PLANNED_REPLACEMENT if planned else EventKind.UNPLANNED_REPLACEMENT, -1, labour)
        yield Timeout(self.env, hold)
        if req is not None:
            self.techs.release(req)
        self._advance()
        r -= 1
        still = int(np.count_nonzero(r))  # ports of moved units still failed
        self.total_down -= self.P - still
        sw.n_down = still
        if still < self.P:
            self._jobs_up(s, np.flatnonzero(r == 0))
        sw.pending = False
        self._renew_switch(s, sw)
