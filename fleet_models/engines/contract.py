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

from fleet_models.engines.fabric import Jobs, jobs
from fleet_models.engines.streams import Streams
from fleet_models.model.checks import SWITCH
from fleet_models.model.ledger import Ledger
from fleet_models.model.metrics import engine_columns
from fleet_models.model.spec import Architecture, HandsOn, Homing, Repair, RepairScope, Scenario
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
    swap_hours: float
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
    # kinds (arrays of length K)
    names: tuple[str, ...]
    lives: tuple[LifeModel, ...]
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
    switch_pool: int

    def streams(self, replication: int) -> Streams:
        return Streams(self.seed, replication)

    def lives_for(self, replication: int, streams: Streams | None = None) -> tuple[LifeModel, ...]:
        """The life models of replication ``replication``: with ``scenario.uncertainty`` every
        model with a covariance draws its parameters from the component's parameter stream."""
        if not self.scenario.uncertainty:
            return self.lives
        streams = streams or self.streams(replication)
        return tuple(
            life.draw_parameters(streams.parameters(name)) if life.covariance is not None else life
            for name, life in zip(self.names, self.lives, strict=True)
        )


def compile_plan(scenario: Scenario, architecture: Architecture, seed: int | None = None) -> FleetPlan:
    """The plan of ``architecture`` under ``scenario`` (which must be valid), seeded with ``seed``
    (default ``scenario.seed``)."""
    fleet, pol, work = scenario.fleet, scenario.policy, scenario.workload
    comps = architecture.components
    pool_names: list[str] = []

    def pool(name: str) -> int:
        if name not in pol.spares:
            return -1
        if name not in pool_names:
            pool_names.append(name)
        return pool_names.index(name)

    kind_pool = [pool(c.name) if c.repair is Repair.SWAP else -1 for c in comps]
    switch_pool = pool(SWITCH) if any(c.repair is not Repair.SWAP for c in comps) else -1
    S, P = fleet.switches, fleet.ports_per_switch
    swap = np.array([c.repair is Repair.SWAP for c in comps], dtype=bool)
    return FleetPlan(
        scenario=scenario, architecture=architecture,
        seed=int(scenario.seed if seed is None else seed),
        switches=S, ports=P, horizon=float(scenario.horizon_hours),
        detection=float(pol.detection_hours), swap_hours=float(pol.swap_hours),
        replacement_hours=float(pol.replacement_hours),
        exponential_hands_on=pol.hands_on is HandsOn.EXPONENTIAL,
        technicians=int(pol.technicians), k=int(pol.replace_switch_when_ports_down),
        window=0.0 if pol.maintenance_window_days is None else float(pol.maintenance_window_days) * 24.0,
        jobs=jobs(scenario, architecture), restart=float(work.restart_hours),
        dual=scenario.fabric.homing is Homing.DUAL, exclude_hours=float(scenario.fabric.exclude_hours),
        slowdown=float(scenario.fabric.degraded_slowdown),
        failover_hours=float(scenario.fabric.failover_hours), ntf_test_hours=float(pol.ntf_test_days) * 24.0,
        names=tuple(c.name for c in comps), lives=tuple(c.life for c in comps),
        per_switch=np.array([c.per_switch for c in comps], dtype=np.int64),
        span=np.array([P if c.ports_per_unit is None else c.ports_per_unit for c in comps], dtype=np.int64),
        wide=np.array([c.ports_per_unit is None for c in comps], dtype=bool),
        elements=np.array([c.elements for c in comps], dtype=np.int64),
        needed=np.array([c.needed for c in comps], dtype=np.int64),
        swap=swap,
        unit_scope=np.array([c.repair is Repair.SWAP and c.elements > 1
                             and c.repair_scope is RepairScope.UNIT for c in comps], dtype=bool),
        moves=np.array([c.repair is Repair.SWAP and c.moves_on_replacement for c in comps], dtype=bool),
        pool=np.array(kind_pool, dtype=np.int64),
        spares=np.array([0 if c.repair is Repair.SWAP else c.spare_units for c in comps], dtype=np.int64),
        ntf=np.array([c.ntf_fraction if c.repair is Repair.SWAP else 0.0 for c in comps], dtype=float),
        pool_names=tuple(pool_names),
        pool_stock=np.array([pol.spares[n].stock for n in pool_names], dtype=np.int64),
        pool_lead=np.array([pol.spares[n].lead_time_hours for n in pool_names], dtype=float),
        switch_pool=switch_pool,
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
