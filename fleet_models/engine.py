"""The SimPy fleet engine: one replication of one architecture.

What is simulated (the reference semantics; the README's "Fleet simulation"
section says the same in plain words):

Fleet and units
    ``fleet.switches`` switches of ``fleet.ports_per_switch`` ports, all new at
    t = 0. For every component kind a switch holds ``per_switch`` units; unit i
    covers ports [i*ppu, (i+1)*ppu) (``ports_per_unit`` None: every port of the
    switch). A unit has ``elements`` elements with independent lives drawn from
    ``life`` and works while at least ``needed`` of them do. A port is up only
    while every unit covering it is up and its switch is not being replaced.

Failure-driven sampling (cost grows with failures, not units)
    Of the N = switches*per_switch*elements elements of a kind, alive and new
    from t0 with a remaining horizon H', only Binomial(N, F(H')) fail inside it:
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
    ``replace-switch``: a unit that goes down (fewer than ``needed`` elements up)
    takes its ports down at once and leaves the switch *degraded* (awaiting a
    replacement) from that moment. Element failures of such a unit that leave it
    working are latent: nothing is repaired until the switch is replaced. When a
    failure in a degraded switch is detected, a replacement is triggered at once
    if the switch has ``replace_switch_when_ports_down`` (k) or more ports down
    for replace-switch units (ports down only for a swap under way do not count), or if a switch-wide unit (ppu None) is among its failed units; otherwise, with
    ``maintenance_window_days`` set, at the next window (windows at multiples of
    that period from t = 0); otherwise the switch runs degraded until k is
    reached or the horizon ends. A replacement takes a ``switch`` spare (pool
    ``switch`` if configured, same base-stock rules) and then a technician,
    and holds them ``switch_replacement_hours`` during which every port of the
    switch is down; it ends the degraded state when it starts, and every unit
    is new when it ends. A repair of a unit whose switch was replaced meanwhile
    is dropped (its part, if it took one, goes back to stock; the part it
    ordered still arrives).

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
    job_interruptions      the fleet's GPUs (switches*ports*gpus_per_port) form
                           max(1, floor(GPUs/job_gpus)) jobs over consecutive
                           ports (a port belongs to the job of its first GPU,
                           the remainder joins the last job); an unplanned
                           outage interrupts every job owning a port it took
                           down, unless that job was interrupted less than
                           ``restart_hours`` ago. A replacement triggered at
                           once (k reached or switch-wide failure) also
                           interrupts the jobs of the ports it takes down; a
                           maintenance-window replacement is planned and
                           interrupts nothing.

Determinism and common random numbers
    Replication i draws from streams ``SeedSequence(entropy=seed, spawn_key=(i,
    crc32(component name), tag))`` (:class:`Streams`): per component its parameter
    draw, its initial lives switch by switch, and per switch its renewals; hands-on
    times have their own. Results depend neither on how replications are grouped
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
from fleet_models.ledger import MONTH_HOURS, EventKind, Ledger  # noqa: F401  (re-exported)
from fleet_models.metrics import COMMON, failure_column
from fleet_models.spec import (
    Architecture,
    Component,
    HandsOn,
    Repair,
    RepairScope,
    Scenario,
    SparePool,
)
from fleet_models.streams import Streams, replication_rng, replication_seed  # noqa: F401
from fleet_models.validate import SWITCH
from reliability.models import LifeModel

SWITCH_POOL = SWITCH  # declared once, in fleet_models.validate
"""Name of the spare pool (``policy.spares``) replacement switches come from."""

COMMON_METRICS = COMMON  # the metric list is declared once, in fleet_models.metrics
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
                 "pool", "down_at", "unit_scope", "moves")

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


class _Pool:
    """Base-stock spare pool: a simpy.Container (FCFS gets) refilled by orders after the lead time."""

    def __init__(self, env: simpy.Environment, spec: SparePool) -> None:
        self.env = env
        self.lead = spec.lead_time_hours
        self.store = simpy.Container(env, init=spec.stock)

    def order(self) -> None:
        ev = Timeout(self.env, self.lead)
        ev.callbacks.append(self._arrive)

    def _arrive(self, _ev) -> None:
        self.store.put(1)


class _Switch:
    __slots__ = ("gen", "reasons", "n_down", "rs_reasons", "rs_down", "failed", "degraded",
                 "awaiting", "switch_wide", "pending", "window_gen", "unit_gen")

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
        # jobs over consecutive ports
        self.gpp = float(work.gpus_per_port)
        self.job_gpus = float(work.job_gpus)
        # no GPUs behind the ports, or no job: outages interrupt nothing
        self.n_jobs = (max(1, int(self.S * self.P * self.gpp // self.job_gpus))
                       if self.gpp > 0 and self.job_gpus > 0 else 0)
        self.restart = float(work.restart_hours)
        self.last_interrupt: dict[int, float] = {}
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
                        self.down_by_month)
        return ReplicationOutcome(m, n, ledger)

    def _event(self, kind: int, component: int, hours: float) -> None:
        self._ev_t.append(self.env.now)
        self._ev_kind.append(kind)
        self._ev_comp.append(component)
        self._ev_hours.append(hours)

    def _schedule_initial(self) -> None:
        times, sw, unit, kind = [], [], [], []
        for k in self.kinds:
            per = k.per_switch * k.elements
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
                self._down_by_month(self.last, now)
            self.down_area += self.total_down * dt
            self.degraded_area += self.n_degraded * dt
            self.last = now

    def _down_by_month(self, a: float, b: float) -> None:
        """Add total_down x (b - a) port-hours to the months [a, b) spans."""
        m, last = int(a // MONTH_HOURS), len(self.down_by_month) - 1
        while a < b:
            end = min(b, (m + 1) * MONTH_HOURS) if m < last else b
            self.down_by_month[min(m, last)] += self.total_down * (end - a)
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

    def _unit_up(self, sw: _Switch, k: _Kind, u: int) -> None:
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
            return
        seg = sw.reasons[a:b]
        seg -= 1
        up = int(np.count_nonzero(seg == 0))
        sw.n_down -= up
        self.total_down -= up

    def _interrupt(self, s: int, ports) -> None:
        """Interrupt the jobs owning ``ports`` of switch ``s`` (unless already restarting)."""
        if not self.n_jobs:
            return
        base, last_job = s * self.P, self.n_jobs - 1
        if isinstance(ports, np.ndarray):
            ids = np.minimum(((base + ports) * self.gpp // self.job_gpus).astype(np.int64), last_job)
            jobs = dict.fromkeys(ids.tolist())  # distinct, in port order
        else:
            jobs = (min(int((base + ports) * self.gpp // self.job_gpus), last_job),)
        now = self.env.now
        for j in jobs:
            t = self.last_interrupt.get(j)
            if t is None or now - t >= self.restart:
                self.interruptions += 1
                self.last_interrupt[j] = now
                self._event(EventKind.INTERRUPTION, -1, 0.0)

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
            newly = self._unit_down(sw, k, u)
            if newly is not None:
                self.outages += 1
                self._interrupt(s, newly)
        if k.swap and (went_down or not k.unit_scope):  # a unit swap waits for the unit to fail
            if k.pool is None and self.techs is None:
                self._at(self.detection, partial(self._swap_detected, k, s, u, sw, gen))
            else:
                self.env.process(self._swap(k, s, u, sw, gen))
        elif went_down:
            if not sw.degraded:
                self._advance()
                sw.degraded = True
                self.n_degraded += 1
            self._at(self.detection, partial(self._replace_detected, k, s, sw, gen))

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
            n = k.per_switch * k.elements
            rng = self.streams.renewals(k.name, s)
            if n == 1:  # the same thinning, one uniform instead of three array draws
                life = k.life.one(remaining, rng)
                if life is not None:
                    items.append((life, 0, k.index))
                continue
            idx, t = k.life.failing(n, remaining, rng)
            for j, tj in zip((idx // k.elements).tolist(), t.tolist(), strict=True):
                items.append((tj, j, k.index))
        items.sort()
        for tj, j, ki in items:
            self._at(tj, partial(self._fail, self.kinds[ki], s, j, sw.gen))

    # ----------------------------------------------------------------- swap repair
    def _take_part(self, pool: _Pool):
        pool.order()
        get = pool.store.get(1)
        if not get.triggered:
            self.spare_waits += 1
        return get

    def _swap(self, k: _Kind, s: int, u: int, sw: _Switch, gen: int):
        """Swap repair that may queue (for a part or a technician): a SimPy process."""
        yield Timeout(self.env, self.detection)
        if self._gen(sw, k) != gen:
            return
        self._consider_replacement(s, sw)
        if k.pool is not None:
            yield self._take_part(k.pool)
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
        yield Timeout(self.env, self._start_swap(k))
        if req is not None:
            self.techs.release(req)
        self._swap_done(k, s, u, sw, gen)

    def _swap_detected(self, k: _Kind, s: int, u: int, sw: _Switch, gen: int, _ev=None) -> None:
        """Swap repair that never queues (no pool, unlimited technicians): two timed callbacks
        instead of a process, the same steps and order as :meth:`_swap`."""
        if self._gen(sw, k) != gen:
            return
        self._consider_replacement(s, sw)
        self._at(self._start_swap(k), partial(self._swap_done, k, s, u, sw, gen))

    def _start_swap(self, k: _Kind) -> float:
        hold = self._hands_on(self.swap_hours)
        self.swaps += 1
        labour = min(hold, self.H - self.env.now)
        self.tech_hours += labour
        self._event(EventKind.SWAP, k.index, labour)
        return hold

    def _swap_done(self, k: _Kind, s: int, u: int, sw: _Switch, gen: int, _ev=None) -> None:
        if self._gen(sw, k) != gen:
            return
        key = (k.index, u)
        if k.unit_scope:  # the whole unit is new: every element, failed or not, gets a fresh life
            if sw.failed.pop(key, 0) >= k.down_at:
                self._unit_up(sw, k, u)
            ugen = sw.unit_gen[key] = sw.unit_gen.get(key, 0) + 1
            idx, t = k.life.failing(k.elements, self.H - self.env.now, self.streams.renewals(k.name, s))
            for tj in np.sort(t).tolist():
                self._at(tj, partial(self._fail, k, s, u, self._gen(sw, k), ugen=ugen))
            return
        f = sw.failed[key] - 1
        if f == k.down_at - 1:
            self._unit_up(sw, k, u)
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
                if f >= k.down_at:  # its reason to be down goes with the old chassis
                    a, b = self._span(k, key[1])
                    r[a:b] -= 1
                del sw.failed[key]
        for key in [key for key in sw.unit_gen if not self.kinds[key[0]].moves]:
            del sw.unit_gen[key]
        r += 1  # the replacement itself: one more reason on every port
        self.total_down += newly.size
        sw.n_down = self.P
        if not planned and newly.size:
            self._interrupt(s, newly)
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
        sw.pending = False
        self._renew_switch(s, sw)
