"""The SimPy engine's state: a kind of unit, a spare pool, a switch, fail-in-place slots, and a
life's fast scalar cdf and ppf."""

from __future__ import annotations

import numpy as np
import simpy
from simpy.events import Timeout

from fleet_models.engines.contract import FleetPlan
from reliability.models import LifeModel


class _Life:
    """Fast scalar cdf and ppf of a LifeModel: its family's closed forms (``Family.cdf`` /
    ``Family.ppf``, the same laws as ``LifeModel.dist``; scipy's for families without one).
    Scalar scipy calls cost tens of microseconds; these run once or twice per failure."""

    def __init__(self, model: LifeModel) -> None:
        self.model = model
        self.family = model.family
        self.p = model.parameters

    def cdf(self, t: float) -> float:
        if self.model.dead_on_arrival:  # a share fails at installation (LifeModel.scalar_cdf)
            return self.model.scalar_cdf(t)
        return self.family.cdf(self.p, t)

    def ppf(self, q):
        """Inverse cdf, for an array or a float ``q`` in [0, 1): 0 (at installation) below a
        dead-on-arrival share."""
        if self.model.dead_on_arrival:
            return self.model.scalar_ppf(q)
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


class _Kind:
    """One component kind of the plan (index ``index`` of its arrays)."""

    __slots__ = ("index", "name", "per_switch", "ppu", "elements", "needed", "swap", "life",
                 "pool", "down_at", "unit_scope", "moves", "spares", "units", "ntf", "component",
                 "component_name", "swap_hours")

    def __init__(self, plan: FleetPlan, index: int, life: LifeModel, pool: _Pool | None) -> None:
        self.index = index
        self.name = plan.names[index]  # its streams' key
        self.component = int(plan.component[index])  # the component it is (failures, ledger)
        self.component_name = plan.architecture.components[self.component].name
        self.swap_hours = float(plan.swap_hours[index])
        self.per_switch = int(plan.per_switch[index])
        self.ppu = None if plan.wide[index] else int(plan.span[index])  # None: the whole switch
        self.elements = int(plan.elements[index])
        self.needed = int(plan.needed[index])
        self.swap = bool(plan.swap[index])
        self.life = _Life(life)
        self.pool = pool
        self.down_at = self.elements - self.needed + 1  # failed elements that take the unit down
        # one swap renews the whole unit (an ELS module), instead of one swap per failed element
        self.unit_scope = bool(plan.unit_scope[index])
        # a pluggable part outlives the chassis: a switch replacement moves it with its age
        self.moves = bool(plan.moves[index])
        # fail in place (replace-switch units only): units on the switch beyond per_switch; every
        # one is powered, ages and may fail
        self.spares = int(plan.spares[index])
        self.units = self.per_switch + self.spares
        self.ntf = float(plan.ntf[index])  # share of swaps with no trouble found (swap kinds only)


class _Pool:
    """Base-stock spare pool: a simpy.Container (FCFS gets) refilled by orders after the lead time."""

    def __init__(self, env: simpy.Environment, stock: int, lead_time_hours: float,
                 change: float = float("inf"), lead_after: float | None = None) -> None:
        self.env = env
        self.lead = lead_time_hours
        self.change = change  # from this time on an order takes lead_after (the support period's end)
        self.lead_after = lead_time_hours if lead_after is None else lead_after
        self.store = simpy.Container(env, init=stock)
        self.ordered = 0  # parts ordered (every demand but those of no-trouble-found swaps)
        self.returned = 0  # units removed with no trouble found, scheduled back to stock

    def order(self) -> None:
        self.ordered += 1
        ev = Timeout(self.env, self.lead if self.env.now < self.change else self.lead_after)
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
