"""The SimPy engine's simulation of one replication (the semantics: the package docstring,
:mod:`fleet_models.engines.des`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import numpy as np
import simpy
from simpy.events import Timeout

from fleet_models.engines.contract import FleetPlan, ReplicationOutcome, compile_plan
from fleet_models.engines.des.jobs import _Jobs
from fleet_models.engines.des.state import _InPlace, _Kind, _Pool, _Switch
from fleet_models.engines.streams import Streams
from fleet_models.model.ledger import MONTH_HOURS, EventKind, Ledger
from fleet_models.model.metrics import COMMON, failure_column
from fleet_models.model.spec import Architecture, Scenario
from reliability.models import LifeModel


def simulate(
    scenario: Scenario, architecture: Architecture, replication: int, seed: int | None = None
) -> ReplicationOutcome:
    """Run replication ``replication`` of ``architecture`` under ``scenario`` (which must be valid:
    ``fleet_models.scenario.validate.validate``) on the SimPy engine; ``seed`` overrides
    ``scenario.seed``. The same as compiling the plan (``compile_plan``) and simulating it."""
    return SimPyEngine().simulate(compile_plan(scenario, architecture, seed), replication)


class SimPyEngine:
    """The reference engine behind the contract (:mod:`fleet_models.engines.contract`): every
    feature. With ``scenario.uncertainty`` every component whose life model has a covariance first
    draws its parameters from its parameter stream (``FleetPlan.lives_for``)."""

    name = "des"

    def supports(self, plan: FleetPlan) -> str | None:
        return None

    def simulate(self, plan: FleetPlan, replication: int) -> ReplicationOutcome:
        streams = plan.streams(replication)
        return _FleetSim(plan, plan.lives_for(replication, streams), streams).run()


class _FleetSim(_Jobs):
    """One replication of a plan (:class:`fleet_models.engines.contract.FleetPlan`): every number
    it runs on is the plan's, the lives are ``lives`` (the plan's, or its replication's draws)."""

    def __init__(self, plan: FleetPlan, lives: Sequence[LifeModel], streams: Streams) -> None:
        self.streams = streams
        self.S, self.P, self.H = plan.switches, plan.ports, plan.horizon
        self.env = simpy.Environment()
        self.techs = simpy.Resource(self.env, capacity=plan.technicians) if plan.technicians > 0 else None
        self.detection = plan.detection
        self.ntf_test = plan.ntf_test_hours
        self.repl_hours = plan.replacement_hours
        self.exp_hands_on = plan.exponential_hands_on
        self.k = plan.k
        self.window = plan.window if plan.window > 0 else None
        pools = [_Pool(self.env, int(stock), float(lead), float(change), float(after))
                 for stock, lead, change, after in zip(plan.pool_stock, plan.pool_lead, plan.pool_change,
                                                       plan.pool_lead_after, strict=True)]
        self.kinds = [_Kind(plan, i, life, pools[plan.pool[i]] if plan.pool[i] >= 0 else None)
                      for i, life in enumerate(lives)]
        self.switch_pool = pools[plan.switch_pool] if plan.switch_pool >= 0 else None
        # predictive replacement: the kinds whose failures raise alarms (none: nothing is drawn)
        self.predicted = [bool(x) for x in plan.predicted] if plan.predict_miss < 1.0 else [False] * len(self.kinds)
        self.lead, self.miss = plan.predict_lead, plan.predict_miss
        self.false_alarms = plan.false_alarm_rate * self.H if any(plan.predicted) else 0.0
        self._init_jobs(plan)
        # state and counters: the metrics of fleet_models.model.metrics after the availability
        self.switches: dict[int, _Switch] = {}
        self.total_down = 0
        self.n_degraded = 0
        self.last = 0.0
        self.count = dict.fromkeys(COMMON, 0.0)
        self.failures = [0] * len(self.kinds)
        self._ev_t: list[float] = []
        self._ev_kind: list[int] = []
        self._ev_comp: list[int] = []
        self._ev_hours: list[float] = []
        self._ev_gpus: list[float] = []
        self.down_by_month = np.zeros(max(1, math.ceil(self.H / MONTH_HOURS)))
        self.lost_by_month = np.zeros_like(self.down_by_month)

    # ----------------------------------------------------------------- running
    def run(self) -> ReplicationOutcome:
        self._schedule_initial()
        if self.false_alarms > 0.0:
            self._schedule_false_alarms()
        env, horizon, n = self.env, self.H, 0
        while env.peek() < horizon:
            env.step()
            n += 1
        self._advance(horizon)
        port_hours = self.S * self.P * horizon
        m: dict[str, float] = {"port_availability": 1.0 - self.count["port_down_hours"] / port_hours}
        for k in self.kinds:  # an in-place kind's events are its component's
            col = failure_column(k.component_name)
            m[col] = m.get(col, 0.0) + float(self.failures[k.index])
        m.update(self.count)
        ledger = Ledger(np.asarray(self._ev_t, dtype=float), np.asarray(self._ev_kind, dtype=np.int8),
                        np.asarray(self._ev_comp, dtype=np.int32), np.asarray(self._ev_hours, dtype=float),
                        self.down_by_month, self.lost_by_month, np.asarray(self._ev_gpus, dtype=float))
        return ReplicationOutcome(m, n, ledger)

    def _event(self, kind: int, component: int, hours: float, gpus: float = 0.0) -> None:
        self._ev_t.append(self.env.now)
        self._ev_kind.append(kind)
        self._ev_comp.append(component)
        self._ev_hours.append(hours)
        self._ev_gpus.append(gpus)

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
        self._schedule_alarms(t, s, ki, 0.0, 0)

    def _schedule_false_alarms(self) -> None:
        """A Poisson count of false alarms per switch, at uniform times, from its own stream."""
        for s in range(self.S):
            rng = self.streams.predict(Streams.FALSE_ALARMS, s)
            for a in np.sort(rng.uniform(0.0, self.H, int(rng.poisson(self.false_alarms)))).tolist():
                self._at(a, partial(self._false_alarm, s))

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
            self.count["port_down_hours"] += self.total_down * dt
            self.count["degraded_switch_hours"] += self.n_degraded * dt
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
                self.count["unplanned_outages"] += 1
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
        if items and any(self.predicted):
            self._schedule_alarms(np.array([x[0] for x in items]), np.full(len(items), s),
                                  np.array([x[2] for x in items]), self.env.now, sw.gen)

    # ----------------------------------------------------------------- predictive replacement
    def _schedule_alarms(self, t: np.ndarray, s: np.ndarray, ki: np.ndarray, start: float, gen: int) -> None:
        """The alarms of the failures at delays ``t`` (switches ``s``, kinds ``ki``) of chassis
        generation ``gen`` that began at ``start``: each failure of a predicted kind is foreseen
        unless a draw from its (kind, switch) stream, in the order of its failures, falls below
        the miss rate; a foreseen one's alarm sounds the lead before it, but not before the
        failure of its kind on that chassis before it (nor the chassis' start): the fast
        engine's cohorts draw a failure only when the one before it happens."""
        for k in self.kinds:
            if not self.predicted[k.index]:
                continue
            mine = np.flatnonzero(ki == k.index)
            prev, last_s = 0.0, -1
            for j in mine[np.lexsort((t[mine], s[mine]))].tolist():
                sj, tj = int(s[j]), float(t[j])
                if sj != last_s:
                    prev, last_s = 0.0, sj
                alarm, prev = max(tj - self.lead, prev), tj
                if self.streams.predict(k.name, sj).random() < self.miss:
                    continue
                self._at(alarm, partial(self._alarm, k, sj, gen, start + tj))

    def _alarm(self, k: _Kind, s: int, gen: int, failure_at: float, _ev=None) -> None:
        """A predicted failure's alarm: the switch is replaced at the next window at or after now
        (now without windows) if that comes before the failure; void if the switch was replaced
        since its failure was drawn."""
        sw = self._switch(s)
        if self._gen(sw, k) == gen:
            self._book(s, sw, failure_at)

    def _false_alarm(self, s: int, _ev=None) -> None:
        """An alarm with no failure coming: a planned replacement at the next window all the same."""
        self._book(s, self._switch(s), math.inf)

    def _book(self, s: int, sw: _Switch, before: float) -> None:
        now = self.env.now
        at = now if self.window is None else math.ceil(now / self.window) * self.window
        if at >= before:
            return  # no window before the failure: it happens, and is repaired as any other
        if at == now:
            self._predicted(s, sw, sw.gen)
        else:
            self._at(at - now, partial(self._predicted, s, sw, sw.gen))

    def _predicted(self, s: int, sw: _Switch, gen: int, _ev=None) -> None:
        if sw.gen == gen and not sw.pending:
            self.env.process(self._replace(s, sw, planned=True))

    # ----------------------------------------------------------------- swap repair
    def _take_part(self, pool: _Pool, order: bool = True):
        if order:
            pool.order()
        get = pool.store.get(1)
        if not get.triggered:
            self.count["spare_waits"] += 1
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
        hold = self._hands_on(k.swap_hours)
        self.count["swaps"] += 1
        labour = min(hold, self.H - self.env.now)
        self.count["technician_hours"] += labour
        self._event(EventKind.NTF_SWAP if ntf else EventKind.SWAP, k.component, labour)
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
        self.count["switch_replacements"] += 1
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
        self.count["technician_hours"] += labour
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
