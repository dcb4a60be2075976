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
from fleet_models.engines.fast.laws import FAMILIES, _life_arrays
from fleet_models.engines.fast.loop import _run
from fleet_models.engines.fast.rng import _replication_key
from fleet_models.engines.fast.setup import _simulate
from fleet_models.engines.streams import Streams
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

# --------------------------------------------------------------------------- what it models


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













# --------------------------------------------------------------------------- life laws


















# --------------------------------------------------------------------------- event heap














# --------------------------------------------------------------------------- accounting








# --------------------------------------------------------------------------- jobs (the fabric)
# JP = (GPUs per port, job GPUs, last job's GPUs, dual slow-down, exclude hours, restart hours)














# --------------------------------------------------------------------------- the loop


















# --------------------------------------------------------------------------- the engine






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
        jp=np.array([plan.jobs.gpp, plan.jobs.size if plan.jobs.size > 0 else 1.0,
                     plan.jobs.last_size, plan.slowdown, plan.exclude_hours, plan.restart]),
        months=max(1, math.ceil(plan.horizon / MONTH_HOURS)),
        columns=tuple(failure_column(n) for n in plan.names),
        lives=_life_arrays(plan.lives) if fixed else None)


class FastEngine:
    """The compiled engine behind the contract (:mod:`fleet_models.engines.contract`)."""

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
            pp.jp, plan.jobs.n, plan.dual, plan.ntf_test_hours,
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

    from fleet_models.engines.contract import compile_plan
    from fleet_models.model.spec import Repair
    from reliability.models import LifeModel

    t0 = time.perf_counter()
    comp = Component("c", 1, None, LifeModel.exponential(10.0), repair=Repair.REPLACE_SWITCH)
    sc = Scenario("warm", 20.0, Fleet(1, 1), (Architecture("a", (comp,)),))
    FastEngine().simulate(compile_plan(sc, sc.architectures[0]), 0)
    return time.perf_counter() - t0
