"""The engine contract: what every fleet engine consumes and returns.

Two engines simulate a replication of an architecture: the SimPy one
(:mod:`fleet_models.engines.des`, the reference semantics its docstring states) and the compiled one
(:mod:`fleet_models.engines.fast`). Both consume the same :class:`FleetPlan` (a scenario and one
architecture compiled to plain numbers and arrays: the kinds, their port spans, the spare pools,
the policy numbers), draw from the same seeding (:mod:`fleet_models.engines.streams`: per replication,
component name and what the stream drives), fill the same metric schema
(:mod:`fleet_models.model.metrics`) and return a :class:`ReplicationOutcome` with a dated
:class:`~fleet_models.model.ledger.Ledger` that :mod:`fleet_models.runs.tco` prices.

An engine is an object with a ``name``, ``supports(plan) -> str | None`` (None, or the reason it
cannot run that plan) and ``simulate(plan, replication) -> ReplicationOutcome``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from failure_data.units import HOURS_PER_YEAR
from fleet_models.engines.fabric import Jobs, jobs
from fleet_models.engines.streams import Streams
from fleet_models.model.checks import SWITCH
from fleet_models.model.ledger import Ledger
from fleet_models.model.metrics import engine_columns
from fleet_models.model.spec import (
    Architecture,
    Component,
    HandsOn,
    Homing,
    Repair,
    RepairScope,
    Scenario,
)
from reliability.models import LifeModel


def metric_names(architecture: Architecture) -> tuple[str, ...]:
    """The metrics of one replication of ``architecture``, in output order."""
    return engine_columns([c.name for c in architecture.components])


@dataclass(frozen=True)
class ReplicationOutcome:
    """Metrics of one replication of one architecture, how many events it took, and its dated
    ledger (what happened when: the cash-flow basis a total cost of ownership discounts)."""

    metrics: dict[str, float]
    events: int
    ledger: Ledger


@dataclass(frozen=True, eq=False)
class FleetPlan:
    """One architecture of a scenario compiled for an engine: plain numbers and arrays, one
    entry per component kind (in the architecture's order) or per spare pool.

    The scenario and architecture stay attached (``scenario``, ``architecture``) for what is not
    numbers (life models, names) and for fields an engine must check before it claims a plan.
    """

    scenario: Scenario
    architecture: Architecture
    seed: int
    # fleet and horizon
    switches: int
    ports: int
    horizon: float
    # policy
    detection: float
    replacement_hours: float
    exponential_hands_on: bool
    technicians: int  # 0 = unlimited
    k: int
    window: float  # hours between maintenance windows; 0 = no windows
    # workload and fabric: jobs over consecutive ports (fleet_models.engines.fabric.jobs)
    jobs: Jobs
    restart: float
    dual: bool  # fabric.homing = "dual"
    exclude_hours: float
    slowdown: float  # fabric.degraded_slowdown
    failover_hours: float  # fabric.failover_hours (dual homing: the stall when a path drops)
    ntf_test_hours: float
    # kinds (arrays of length K): the architecture's components in order, then one kind per
    # component with a share of its events cleared in place (``in_place_kinds``)
    names: tuple[str, ...]  # what a kind's random streams are keyed by
    lives: tuple[LifeModel, ...]
    component: np.ndarray  # int64: the component a kind is (its failures, its ledger rows)
    share: np.ndarray  # float64: the share of its component's event rate the kind carries
    swap_hours: np.ndarray  # float64: hands-on time of a swap (or an in-place service) of the kind
    per_switch: np.ndarray  # int64
    span: np.ndarray  # int64: ports a unit covers (ports of the switch for a switch-wide unit)
    wide: np.ndarray  # bool: switch-wide unit (ports_per_unit None)
    elements: np.ndarray  # int64
    needed: np.ndarray  # int64
    swap: np.ndarray  # bool: repair = swap (else replace-switch)
    unit_scope: np.ndarray  # bool: a swap renews the whole unit
    moves: np.ndarray  # bool: a switch replacement moves the unit with its age
    pool: np.ndarray  # int64: index of the kind's spare pool, -1 = unlimited
    spares: np.ndarray  # int64: spare units per switch (fail in place; replace-switch kinds only)
    ntf: np.ndarray  # float64: share of swaps that find no trouble (swap kinds only)
    # spare pools (arrays of length Q); the switch pool is one of them or -1
    pool_names: tuple[str, ...]
    pool_stock: np.ndarray  # int64
    pool_lead: np.ndarray  # float64
    pool_change: np.ndarray  # float64: when a pool's lead time becomes pool_lead_after (inf: never)
    pool_lead_after: np.ndarray  # float64: the switch pool after the support period (support)
    switch_pool: int
    # predictive replacement (components with predicted = true; the SimPy engine models it)
    predicted: np.ndarray  # bool per kind: its failures raise alarms (the in-place kinds: False)
    predict_lead: float  # hours from an alarm to the failure it foresees
    predict_miss: float  # share of a predicted kind's failures without an alarm
    false_alarm_rate: float  # false alarms per switch-hour on a switch with a predicted kind
    # a tier of a fabric (fleet_models.runs.tiers): GPUs sit behind ports [0, gpu_ports) of a
    # switch (all of them outside a fabric of tiers), and the fabric-link ports the tier watches
    # below gpu_ports (links_low) and from it (links_high) are counted in the ledger
    # (EventKind.LINKS)
    gpu_ports: int = 0
    links_low: bool = False
    links_high: bool = False

    def streams(self, replication: int) -> Streams:
        return Streams(self.seed, replication)

    def lives_for(self, replication: int, streams: Streams | None = None) -> tuple[LifeModel, ...]:
        """The life models of replication ``replication``: with ``scenario.uncertainty`` every
        component's model with a covariance draws its parameters from the component's parameter
        stream, and each kind carries its share of its component's (drawn) rate."""
        if not self.scenario.uncertainty:
            return self.lives
        streams = streams or self.streams(replication)
        comps = self.architecture.components
        drawn = [c.life.draw_parameters(streams.parameters(c.name)) if c.life.uncertain
                 else None for c in comps]
        return tuple(life if drawn[int(c)] is None else _share_of(drawn[int(c)], float(f))
                     for life, c, f in zip(self.lives, self.component, self.share, strict=True))


IN_PLACE = "#in-place"
"""The suffix of an in-place kind's name (its streams' key): ``optical-engine#in-place``."""


def _share_of(life: LifeModel, share: float) -> LifeModel:
    """A constant-rate life carrying ``share`` of its rate (1: the life itself)."""
    if share == 1.0:
        return life
    return LifeModel.from_fit_rate(life.constant_fit() * share, provenance={
        **life.provenance, "share_of_events": share})


@dataclass(frozen=True)
class _KindSpec:
    """One kind of the plan: a component, or the share of its events cleared in place."""

    name: str
    component: int
    comp: Component
    share: float
    in_place: bool


def in_place_kinds(architecture: Architecture) -> list[_KindSpec]:
    """The plan's kinds: every component (a component clearing a share f of its events in place
    carries the rest, 1 - f, of its rate), then an in-place kind per such component: its share f
    of the rate, each event a visit that takes the unit's ports down for its in_place_hours and
    clears it, no part (a no-trouble-found swap). Splitting a Poisson stream of events by an
    independent coin gives two independent streams, so this is exact for the constant-rate
    lives the validator allows it on."""
    comps = architecture.components
    out = [_KindSpec(c.name, i, c, 1.0 - c.in_place_fraction, False) for i, c in enumerate(comps)]
    out += [_KindSpec(c.name + IN_PLACE, i, c, c.in_place_fraction, True)
            for i, c in enumerate(comps) if c.in_place_fraction > 0.0]
    return out


def _support_end(scenario: Scenario) -> float:
    """When the support period ends, in hours (inf when it outlasts the horizon)."""
    end = scenario.support.end_hours()
    return end if end < scenario.horizon_hours else np.inf


def _own(value: float | None, policy: float) -> float:
    """A component's own hands-on time, or the policy's."""
    return policy if value is None else float(value)


@dataclass(frozen=True)
class TierWiring:
    """How one tier of a fabric sits in it (``fleet_models.runs.tiers``): its streams' key prefix
    (``leaf:``), the ports of a switch facing GPUs (the rest face other switches), and which
    fabric-link ports its ledger counts."""

    prefix: str
    gpu_ports: int
    links_low: bool
    links_high: bool


def compile_plan(scenario: Scenario, architecture: Architecture, seed: int | None = None,
                 tier: TierWiring | None = None) -> FleetPlan:
    """The plan of ``architecture`` under ``scenario`` (which must be valid), seeded with ``seed``
    (default ``scenario.seed``); ``tier``: as one tier of a fabric of tiers."""
    fleet, pol, work = scenario.fleet, scenario.policy, scenario.workload
    kinds = in_place_kinds(architecture)
    pool_names: list[str] = []

    def pool(name: str) -> int:
        if name not in pol.spares:
            return -1
        if name not in pool_names:
            pool_names.append(name)
        return pool_names.index(name)

    def swapped(k: _KindSpec) -> bool:
        return k.in_place or k.comp.repair is Repair.SWAP

    kind_pool = [pool(k.comp.name) if k.comp.repair is Repair.SWAP and not k.in_place else -1
                 for k in kinds]
    switch_pool = pool(SWITCH) if any(not swapped(k) for k in kinds) else -1
    S, P = fleet.switches, fleet.ports_per_switch
    return FleetPlan(
        scenario=scenario, architecture=architecture,
        seed=int(scenario.seed if seed is None else seed),
        switches=S, ports=P, horizon=float(scenario.horizon_hours),
        detection=float(pol.detection_hours),
        replacement_hours=float(pol.replacement_hours),
        exponential_hands_on=pol.hands_on is HandsOn.EXPONENTIAL,
        technicians=int(pol.technicians), k=int(pol.replace_switch_when_ports_down),
        window=0.0 if pol.maintenance_window_days is None else float(pol.maintenance_window_days) * 24.0,
        jobs=jobs(scenario, architecture, None if tier is None else tier.gpu_ports),
        restart=float(work.restart_hours),
        dual=scenario.fabric.homing is Homing.DUAL, exclude_hours=float(scenario.fabric.exclude_hours),
        slowdown=float(scenario.fabric.degraded_slowdown),
        failover_hours=float(scenario.fabric.failover_hours), ntf_test_hours=float(pol.ntf_test_days) * 24.0,
        names=tuple(("" if tier is None else tier.prefix) + k.name for k in kinds),
        lives=tuple(_share_of(k.comp.life, k.share) for k in kinds),
        component=np.array([k.component for k in kinds], dtype=np.int64),
        share=np.array([k.share for k in kinds], dtype=float),
        swap_hours=np.array([_own(k.comp.in_place_hours, pol.in_place_hours) if k.in_place
                             else _own(k.comp.swap_hours, pol.swap_hours) for k in kinds], dtype=float),
        per_switch=np.array([k.comp.per_switch for k in kinds], dtype=np.int64),
        span=np.array([P if k.comp.ports_per_unit is None else k.comp.ports_per_unit for k in kinds],
                      dtype=np.int64),
        wide=np.array([k.comp.ports_per_unit is None for k in kinds], dtype=bool),
        elements=np.array([1 if k.in_place else k.comp.elements for k in kinds], dtype=np.int64),
        needed=np.array([1 if k.in_place else k.comp.needed for k in kinds], dtype=np.int64),
        swap=np.array([swapped(k) for k in kinds], dtype=bool),
        unit_scope=np.array([not k.in_place and k.comp.repair is Repair.SWAP and k.comp.elements > 1
                             and k.comp.repair_scope is RepairScope.UNIT for k in kinds], dtype=bool),
        moves=np.array([k.in_place or (k.comp.repair is Repair.SWAP and k.comp.moves_on_replacement)
                        for k in kinds], dtype=bool),
        pool=np.array(kind_pool, dtype=np.int64),
        spares=np.array([0 if swapped(k) else k.comp.spare_units for k in kinds], dtype=np.int64),
        ntf=np.array([1.0 if k.in_place else k.comp.ntf_fraction if swapped(k) else 0.0
                      for k in kinds], dtype=float),
        pool_names=tuple(pool_names),
        pool_stock=np.array([pol.spares[n].stock for n in pool_names], dtype=np.int64),
        pool_lead=np.array([pol.spares[n].lead_time_hours for n in pool_names], dtype=float),
        # after the support period a switch is bought or repaired at a depot: its pool refills
        # after that lead time instead of the advance replacement's (other pools keep theirs)
        pool_change=np.array([_support_end(scenario) if n == SWITCH else np.inf for n in pool_names],
                             dtype=float),
        pool_lead_after=np.array([scenario.support.lead_after_hours() if n == SWITCH
                                  else pol.spares[n].lead_time_hours for n in pool_names], dtype=float),
        switch_pool=switch_pool,
        predicted=np.array([not k.in_place and k.comp.predicted for k in kinds], dtype=bool),
        predict_lead=float(pol.predict_lead_days) * 24.0,
        predict_miss=float(pol.predict_miss_rate),
        false_alarm_rate=float(pol.predict_false_alarms_per_switch_year) / HOURS_PER_YEAR,
        gpu_ports=P if tier is None else tier.gpu_ports,
        links_low=tier is not None and tier.links_low,
        links_high=tier is not None and tier.links_high,
    )


def month_count(horizon: float) -> int:
    """Months of ``Ledger.down_by_month`` over ``horizon`` hours."""
    from fleet_models.model.ledger import MONTH_HOURS

    return max(1, math.ceil(horizon / MONTH_HOURS))


class Engine(Protocol):
    """A fleet engine."""

    name: str

    def supports(self, plan: FleetPlan) -> str | None:
        """None if the engine simulates ``plan`` faithfully, else the reason it does not."""

    def simulate(self, plan: FleetPlan, replication: int) -> ReplicationOutcome:
        """Replication ``replication`` of the plan."""
