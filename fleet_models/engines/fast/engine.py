"""The fast engine's Python side: :class:`FastEngine` behind the contract, what it refuses
(:func:`unsupported`), compiling and the cache (:func:`warm_up`, :func:`compiled`).

It consumes the same :class:`~fleet_models.engines.contract.FleetPlan` and fills the same
metrics and :class:`~fleet_models.model.ledger.Ledger` as the SimPy engine
(:mod:`fleet_models.engines.des`, whose docstring states the semantics); the two engines are not
bit-identical (their random numbers differ) but their per-replication metric distributions
agree (tests/test_fast_engine.py holds them to that).

:func:`unsupported` names what the plan holds that this engine does not model (a life family
without a compiled law, a scenario field it does not model set away from its default);
``engine="auto"`` then runs the SimPy engine and says why.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import zlib

import numpy as np

from fleet_models.engines.contract import FleetPlan, ReplicationOutcome
from fleet_models.engines.fast.jit import numba
from fleet_models.engines.fast.laws import COMPILED, SHARED, _life_arrays, _life_shares
from fleet_models.engines.fast.loop import _run
from fleet_models.engines.fast.rng import _replication_key
from fleet_models.engines.fast.setup import _simulate
from fleet_models.engines.streams import Streams
from fleet_models.model.fields import SIMULATED, declared
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
    Support,
    Workload,
)

# --------------------------------------------------------------------------- what it models

MODELS: dict[type, frozenset[str]] = {
    Scenario: frozenset({"horizon_hours", "uncertainty", "device_unit"}),  # device_unit: in the lives
    Fleet: frozenset({"switches", "ports_per_switch"}),
    Architecture: frozenset({"gpus_per_switch"}),  # a design's tiers: a plan per tier
    Component: frozenset({"name", "per_switch", "ports_per_unit", "life", "repair", "elements", "needed",
                          "repair_scope", "moves_on_replacement", "spare_units", "ntf_fraction",
                          "in_place_fraction", "in_place_hours", "swap_hours", "predicted"}),
    Policy: frozenset({"detection_hours", "technicians", "swap_hours", "in_place_hours",
                       "switch_replacement_hours",
                       "replace_switch_when_ports_down", "maintenance_window_days", "hands_on",
                       "ntf_test_days", "switch_swap_hours", "refibre_hours",
                       "predict_lead_days", "predict_miss_rate",
                       "predict_false_alarms_per_switch_year"}),
    SparePool: frozenset({"stock", "lead_time_hours"}),
    Costs: frozenset({"discount_rate"}),  # the ledger's sums are reduced at it, after the loop
    Workload: frozenset({"gpus_per_port", "job_gpus", "restart_hours", "comm_share"}),
    Fabric: frozenset({"homing", "exclude_hours", "degraded_slowdown", "failover_hours",
                       "link_utilization"}),  # a tier's lost links: rebuilt from its ledger
    Support: frozenset({"years", "after", "buy_lead_days", "depot_days"}),  # the switch pool's leads
}
"""The engine inputs (fields whose declared role re-simulates: ``fleet_models.model.fields``) this
engine models. An engine input a new feature adds is refused until it is modelled here too (then
added to this table): :func:`unsupported` names it when it is set away from its default."""


def _unmodelled(obj: object, where: str) -> list[str]:
    """``field = value`` of every engine input of ``obj`` (a spec object, its tables recursed) this
    engine does not model, set away from its default."""
    out: list[str] = []
    for name, d in declared(type(obj)).items():
        value = getattr(obj, name)
        if d.setting.table:
            items = value.items() if isinstance(value, dict) else (
                ((getattr(x, "name", i), x) for i, x in enumerate(value)) if isinstance(value, tuple)
                else [(None, value)])
            for key, x in items:
                out += _unmodelled(x, f"{where}{name}{'' if key is None else '.' + str(key)}.")
            continue
        if d.setting.role not in SIMULATED or name in MODELS.get(type(obj), ()):
            continue
        field = next(f for f in dataclasses.fields(obj) if f.name == name)  # type: ignore[arg-type]
        default = (field.default_factory() if field.default_factory is not dataclasses.MISSING
                   else field.default)
        if default is dataclasses.MISSING or value != default:
            out.append(f"{where}{name} = {value!r}")
    return out


def unsupported(plan: FleetPlan) -> str | None:
    """Why the fast engine cannot run ``plan`` faithfully, or None."""
    if numba is None:
        return "numba is not installed"
    sc, arch = plan.scenario, plan.architecture
    # the plan's scenario with only its own architecture; drawn inputs reach it as numbers
    problems = _unmodelled(dataclasses.replace(sc, architectures=(arch,), uncertain={}), "")
    for c in arch.components:
        if c.life.family.name not in COMPILED and c.life.family.name not in SHARED:
            problems.append(f"{arch.name}.{c.name}: life family {c.life.family.name!r} has no "
                            "compiled cdf/ppf")
    if not problems:
        return None
    return "the fast engine does not model " + "; ".join(problems)


# --------------------------------------------------------------------------- random numbers


# --------------------------------------------------------------------------- life laws


# --------------------------------------------------------------------------- event heap


# --------------------------------------------------------------------------- accounting


# --------------------------------------------------------------------------- jobs (the fabric)
# JP = (GPUs per port, job GPUs, last job's GPUs, dual slow-down, exclude hours, restart hours,
#       dual failover hours, gpu_ports, record the link ports below gpu_ports, and from it)


# --------------------------------------------------------------------------- the loop


# --------------------------------------------------------------------------- the engine


@dataclasses.dataclass(frozen=True, eq=False)
class _PerPlan:
    """What the loop is given alike in every replication of a plan, made once per plan."""

    words: np.ndarray  # the crc32 of each component name (the first word _stream_key mixes in)
    jp: np.ndarray  # the jobs' numbers (see _job_rate)
    months: int
    pool_lead: np.ndarray  # (pools, 3): lead time, when it changes (the support's end), after
    columns: tuple[str, ...]  # the failure-count metric of each component
    component: np.ndarray | None  # int32: the component of each kind (None: kind k is component k)
    lives: tuple[np.ndarray, np.ndarray, np.ndarray] | None  # None: drawn per replication
    predicted: np.ndarray  # bool per kind: its failures raise alarms (none at a miss rate of 1)
    false_alarm_rate: float  # per switch-hour where a kind is predicted, else 0
    false_alarm_word: np.uint64  # the crc32 false alarms are keyed by
    shares: tuple[np.ndarray, np.ndarray] | None  # each life's dead-on-arrival and ever-failing shares


@functools.lru_cache(maxsize=64)
def _per_plan(plan: FleetPlan) -> _PerPlan:
    fixed = not plan.scenario.uncertainty
    return _PerPlan(
        words=np.array([zlib.crc32(n.encode()) for n in plan.names], dtype=np.uint64),
        jp=np.array([plan.jobs.gpp, plan.jobs.size if plan.jobs.size > 0 else 1.0,
                     plan.jobs.last_size, plan.slowdown, plan.exclude_hours, plan.restart,
                     plan.failover_hours, plan.gpu_ports, float(plan.links_low),
                     float(plan.links_high)]),
        months=max(1, math.ceil(plan.horizon / MONTH_HOURS)),
        pool_lead=np.column_stack([plan.pool_lead, plan.pool_change, plan.pool_lead_after]
                                  ).reshape(len(plan.pool_lead), 3),
        columns=tuple(failure_column(c.name) for c in plan.architecture.components),
        component=(None if len(plan.names) == len(plan.architecture.components)
                   else plan.component.astype(np.int32)),
        lives=_life_arrays(plan.lives) if fixed else None,
        predicted=plan.predicted & (plan.predict_miss < 1.0),
        false_alarm_rate=plan.false_alarm_rate if plan.predicted.any() else 0.0,
        false_alarm_word=np.uint64(zlib.crc32(Streams.FALSE_ALARMS.encode())),
        shares=_life_shares(plan.lives) if fixed else None)



class FastEngine:
    """The compiled engine behind the contract (:mod:`fleet_models.engines.contract`)."""

    name = "fast"

    def supports(self, plan: FleetPlan) -> str | None:
        return unsupported(plan)

    def simulate(self, plan: FleetPlan, replication: int) -> ReplicationOutcome:
        seed = plan.seed
        streams = Streams(seed, replication)  # validates seed and replication
        pp = _per_plan(plan)
        lives = None if pp.lives else plan.lives_for(replication, streams)
        fam, pa, pb = pp.lives or _life_arrays(lives)
        pdoa, ptop = pp.shares or _life_shares(lives)
        x0 = np.uint64(_replication_key(seed, replication))
        out, fails, events, lt, lk, lc, lh, dbm, lbm, lg = _simulate(
            plan.switches, plan.ports, plan.horizon, plan.detection, plan.swap_hours,
            plan.replacement_hours, plan.exponential_hands_on, plan.technicians, plan.k, plan.window,
            pp.jp, plan.jobs.n, plan.dual, plan.ntf_test_hours,
            plan.per_switch, plan.spares, plan.span, plan.wide, plan.elements, plan.needed, plan.swap,
            plan.unit_scope, plan.moves, plan.pool, plan.ntf, fam, pa, pb, pdoa, ptop,
            plan.pool_stock, pp.pool_lead, plan.switch_pool,
            x0, pp.words, pp.months, pp.predicted, plan.predict_lead, plan.predict_miss,
            pp.false_alarm_rate, pp.false_alarm_word)
        m: dict[str, float] = {"port_availability": float(out[0])}
        if pp.component is not None:  # an in-place kind's failures and ledger rows are its component's
            fails = np.bincount(pp.component, weights=fails, minlength=len(pp.columns))
            lc = np.where(lc >= 0, pp.component[np.maximum(lc, 0)], lc).astype(np.int32)
        for column, f in zip(pp.columns, fails.tolist(), strict=True):
            m[column] = float(f)
        for j, name in enumerate(COMMON):
            m[name] = float(out[1 + j])
        return ReplicationOutcome(m, int(events), Ledger(lt, lk, lc, lh, dbm, lbm, lg))


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

    from fleet_models.engines.contract import compile_plan
    from fleet_models.model.spec import Repair
    from reliability.models import LifeModel

    t0 = time.perf_counter()
    comp = Component("c", 1, None, LifeModel.exponential(10.0), repair=Repair.REPLACE_SWITCH)
    sc = Scenario("warm", 20.0, Fleet(1, 1), (Architecture("a", (comp,)),))
    FastEngine().simulate(compile_plan(sc, sc.architectures[0]), 0)
    return time.perf_counter() - t0
