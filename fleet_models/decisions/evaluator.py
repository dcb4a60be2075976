"""Decisions under uncertainty: sweeps, tornados, break-even values, and what a pilot proves.

Everything here varies a scenario through field paths (:mod:`fleet_models.paths`) and compares
architectures on common random numbers: every variant of a scenario is run with the same seed,
and an architecture's replications depend only on its own inputs (``fleet_models.engines.streams``), so
two variants differ only by what was varied. The :class:`Evaluator` makes that cheap:

- an architecture is simulated once per distinct set of the inputs it depends on (itself, the
  fleet, the policy, the workload, the horizon): varying a CPO engine's rate re-simulates the CPO
  architectures only, the baseline's replications are reused;
- prices (``costs.*``) are a post-process of the ledgers' sums (``fleet_models.runs.tco``): varying
  one re-simulates nothing, except the discount rate, which the sums are made with.

Uncertain inputs come from the catalog of published figures: every scenario value that cites a
catalog entry with a published low and high (``fleet_models.builtins.field_sources``) can move
between them, every value citing the same entry moving by the same factor (so ``switch-price``
moves every architecture's switch at once).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fleet_models.errors import DecisionError
from fleet_models.model.spec import Architecture, Scenario
from fleet_models.runs.results import FleetResult, mean_ci95
from fleet_models.scenario.variants import only

HIGHER_IS_BETTER = {"port_availability": True, "goodput": True, "tco_usd": False}
METRICS = {"tco": "tco_usd", "availability": "port_availability", "goodput": "goodput"}




# ---------------------------------------------------------------------- evaluating variants


def _engine_key(scenario: Scenario, arch_index: int) -> str:
    """What one architecture's replications depend on (not prices, not the other architectures)."""
    s = scenario
    # the discount rate is the one cost input a run's reduced ledgers hold (fleet_models.runs.tco)
    return repr((_unpriced(s.architectures[arch_index]), s.fleet, s.policy, s.workload, s.horizon_hours,
                 s.costs.discount_rate,
                 s.uncertainty, s.uncertain if s.uncertainty else None,
                 {k: getattr(s, k) for k in _extra_engine_fields(s)}))


def _unpriced(arch: Architecture) -> Architecture:
    """The architecture as the engine sees it: prices, power and words do not change its events."""
    comps = tuple(dataclasses.replace(c, price_usd=0.0, power_w=0.0, source=None)
                  for c in arch.components)
    return dataclasses.replace(arch, components=comps, switch_price_usd=0.0, switch_power_w=0.0,
                               description="")


def _extra_engine_fields(s: Scenario) -> list[str]:
    """Scenario tables the engine reads beyond the fixed ones (e.g. a fabric table), by name."""
    fixed = {"name", "horizon_hours", "fleet", "architectures", "policy", "costs", "workload",
             "replications", "seed", "uncertainty", "uncertain"}
    return [f.name for f in dataclasses.fields(s) if f.name not in fixed]


class Evaluator:
    """Runs scenario variants with one seed and replication count, simulating each architecture
    only once per distinct engine input (see the module docstring). ``runs`` counts simulations."""

    def __init__(self, *, replications: int | None = None, seed: int | None = None,
                 workers: int | None = None, force: bool = False,
                 progress: Callable[[str], None] | None = None, executor: Any = None) -> None:
        self.replications, self.seed, self.workers, self.force = replications, seed, workers, force
        self.progress = progress
        # every simulation of every point goes through this one executor (a
        # fleet_models.runs.parallel.Workers: local processes or a Dask cluster); None: each run
        # starts its own ``workers`` processes
        self.executor = executor
        self.runs = 0
        self._cache: dict[str, FleetResult] = {}

    def reuse(self, result: FleetResult) -> None:
        """Keep the architectures of a run already made (``fleet_models.runs.runner.run`` of
        ``result.spec``) so variants that leave an architecture's engine inputs alone reuse it:
        a report's comparison run feeds its tornado. A run with another seed or replication
        count than this evaluator's is refused, since mixing them would break the pairing."""
        sc = result.spec
        if sc is None:
            raise DecisionError("this result carries no scenario (spec) to reuse")
        seed = sc.seed if self.seed is None else self.seed
        n = sc.replications if self.replications is None else self.replications
        if (result.seed, result.n_replications) != (seed, n):
            raise DecisionError(f"a run of seed {result.seed} with {result.n_replications} replications "
                                f"cannot be reused by an evaluator of seed {seed} with {n}")
        for i, arch in enumerate(sc.architectures):
            one = dataclasses.replace(sc, architectures=(arch,))
            frame = result.replications[result.replications["architecture"] == arch.name]
            self._cache.setdefault(_engine_key(sc, i), FleetResult(
                scenario=sc.name, seed=result.seed, horizon_hours=result.horizon_hours,
                n_replications=result.n_replications, components={arch.name: result.components[arch.name]},
                replications=frame.reset_index(drop=True), spec=one, engine=result.engine,
                ledgers={k: v for k, v in result.ledgers.items() if k[1] == arch.name}))

    def result(self, scenario: Scenario) -> FleetResult:
        """The FleetResult of ``scenario`` (its own costs), reusing cached architectures."""
        from fleet_models.runs.runner import run

        parts: list[FleetResult] = []
        for i, arch in enumerate(scenario.architectures):
            key = _engine_key(scenario, i)
            if key not in self._cache:
                one = only(scenario, (arch.name,))
                if self.progress:
                    self.progress(f"simulating {arch.name}")
                self._cache[key] = run(one, replications=self.replications, seed=self.seed,
                                       workers=self.workers, force=self.force,
                                       executor=self.executor)
                self.runs += 1
            parts.append(self._cache[key])
        return merge(scenario, parts)


def merge(scenario: Scenario, parts: Sequence[FleetResult]) -> FleetResult:
    """One FleetResult of ``scenario`` from single-architecture results run with one seed."""
    from fleet_models.runs.runner import result_columns

    names = [a.name for a in scenario.architectures]
    order = {n: i for i, n in enumerate(names)}
    frame = pd.concat([p.replications for p in parts], ignore_index=True)
    frame = frame.sort_values(["replication", "architecture"], key=lambda c: c.map(order)
                              if c.name == "architecture" else c, kind="stable")
    frame = frame.reindex(columns=["replication", "architecture", *result_columns(scenario)])
    ledgers = {k: v for p in parts for k, v in p.ledgers.items()}
    first = parts[0]
    engines = {p.engine for p in parts}  # which engine ran them: dated_ledger re-simulates with it
    return FleetResult(scenario=scenario.name, seed=first.seed, horizon_hours=first.horizon_hours,
                       n_replications=first.n_replications,
                       engine=engines.pop() if len(engines) == 1 else "mixed",
                       components={a.name: tuple(c.name for c in a.components)
                                   for a in scenario.architectures},
                       replications=frame.reset_index(drop=True), spec=scenario, ledgers=ledgers)


def _pair(scenario: Scenario, arch: str, against: str) -> Scenario:
    """The scenario with only ``arch`` and ``against`` (the others would be simulated for nothing);
    an unknown name is refused with the choices."""
    names = [a.name for a in scenario.architectures]
    for name in (arch, against):
        if name not in names:
            raise DecisionError(f"{name!r} is not an architecture of the scenario; choose one of "
                                + ", ".join(names))
    if arch == against:
        raise DecisionError(f"{arch!r} is compared with itself; name another architecture to compare "
                            "against")
    return only(scenario, (arch, against))


def paired(result: FleetResult, metric: str, arch: str, against: str) -> np.ndarray:
    """Per replication, ``metric`` of ``arch`` minus that of ``against`` (common random numbers)."""
    for name in (arch, against):
        if name not in result.architectures:
            raise DecisionError(f"{name!r} is not an architecture of the scenario; choose one of "
                                + ", ".join(result.architectures))
    frame = result.tco if metric in result.tco.columns else result.replications
    wide = frame.pivot(index="replication", columns="architecture", values=metric)
    return (wide[arch] - wide[against]).to_numpy(dtype=float)


def difference(result: FleetResult, metric: str, arch: str, against: str) -> dict[str, float]:
    """Mean paired difference with its ci95 and the share of replications ``arch`` wins in."""
    d = paired(result, metric, arch, against)
    mean, lo, hi, _ = mean_ci95(d)
    wins = d > 0 if HIGHER_IS_BETTER.get(metric, False) else d < 0
    return {"mean": mean, "ci95_low": lo, "ci95_high": hi, "p_better": float(np.mean(wins))}


# ---------------------------------------------------------------------- sweep






# ---------------------------------------------------------------------- uncertain inputs








# ---------------------------------------------------------------------- tornado






# ---------------------------------------------------------------------- break-even












# ---------------------------------------------------------------------- pilot
















