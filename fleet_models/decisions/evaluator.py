"""Decisions under uncertainty run through one :class:`Evaluator`: scenario variants compared on
common random numbers, each architecture simulated once per distinct set of the inputs it
depends on.

Everything in ``fleet_models.decisions`` varies a scenario through field paths
(:mod:`fleet_models.model.paths`) and compares architectures on common random numbers: every
variant of a scenario is run with the same seed, and an architecture's replications depend only
on its own inputs (``fleet_models.engines.streams``), so two variants differ only by what was
varied. The :class:`Evaluator` makes that cheap:

- an architecture is simulated once per distinct view of its engine inputs (:func:`engine_key`:
  every field whose declared role is an engine input, of the architecture itself and of the
  fleet, policy, workload, fabric and horizon): varying a CPO engine's rate re-simulates the CPO
  architectures only, the baseline's replications are reused;
- prices (fields of role ``post``: ``costs.*``, unit and switch prices, power) are a post-process
  of the ledgers' sums (``fleet_models.runs.tco``): varying one re-simulates nothing, except the
  discount rate (role ``sums``), which the sums are made with.

The decisions: ``sweep`` (a grid of values), ``tornado`` (each uncertain input at its ends, and
how much of the spread the inputs explain), ``breakeven`` (the value of a field at which two
architectures are equal) and ``pilot`` (what a pilot's failure count proves).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from fleet_models.errors import DecisionError
from fleet_models.model.checks import known_architecture
from fleet_models.model.metrics import BY_NAME as METRICS
from fleet_models.model.metrics import COMPARED
from fleet_models.model.metrics import HIGHER_IS_BETTER as _HIGHER
from fleet_models.model.spec import Scenario
from fleet_models.runs.draws import Draws
from fleet_models.runs.keys import engine_key
from fleet_models.runs.results import FleetResult, mean_ci95
from fleet_models.runs.runner import run
from fleet_models.scenario.variants import only

HIGHER_IS_BETTER = {m: m in _HIGHER for m in COMPARED}
__all__ = ["METRICS", "Evaluator", "difference", "pair", "paired"]


class Evaluator:
    """Runs scenario variants with one seed and replication count, simulating each architecture
    only once per distinct engine input (see the module docstring). ``runs`` counts simulations."""

    def __init__(self, *, replications: int | None = None, seed: int | None = None,
                 workers: int | None = None, force: bool = False, engine: str = "auto",
                 progress: Callable[[str], None] | None = None, executor: Any = None) -> None:
        self.replications, self.seed, self.workers, self.force = replications, seed, workers, force
        self.engine = engine
        self.progress = progress
        # every simulation of every point goes through this one executor (a
        # fleet_models.runs.parallel.Workers: local processes or a Dask cluster); None: each run
        # starts its own ``workers`` processes
        self.executor = executor
        self.runs = 0
        self.engines: set[str] = set()  # the engines that ran this evaluator's simulations
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
            self._cache.setdefault(engine_key(sc, i), result.only(arch.name))
        self.engines.add(result.engine)

    def result(self, scenario: Scenario, overrides: Mapping[str, Draws] | None = None) -> FleetResult:
        """The FleetResult of ``scenario`` (its own costs), reusing cached architectures;
        ``overrides`` gives an architecture (by name) numbers set per replication."""
        parts: list[FleetResult] = []
        for i, arch in enumerate(scenario.architectures):
            extra = (overrides or {}).get(arch.name)
            key = engine_key(scenario, i, extra)
            if key not in self._cache:
                one = only(scenario, (arch.name,))
                if self.progress:
                    self.progress(f"simulating {arch.name}")
                self._cache[key] = run(one, replications=self.replications, seed=self.seed,
                                       workers=self.workers, force=self.force, engine=self.engine,
                                       executor=self.executor, overrides=extra)
                self.runs += 1
                self.engines.add(self._cache[key].engine)
            parts.append(self._cache[key])
        return FleetResult.merge(scenario, parts)


def pair(scenario: Scenario, arch: str, against: str) -> Scenario:
    """The scenario with only ``arch`` and ``against`` (the others would be simulated for nothing);
    an unknown name is refused with the choices."""
    names = [a.name for a in scenario.architectures]
    for name in (arch, against):
        known_architecture(name, names)
    if arch == against:
        raise DecisionError(f"{arch!r} is compared with itself; name another architecture to compare "
                            "against")
    return only(scenario, (arch, against))


def paired(result: FleetResult, metric: str, arch: str, against: str) -> np.ndarray:
    """Per replication, ``metric`` of ``arch`` minus that of ``against`` (common random numbers)."""
    for name in (arch, against):
        known_architecture(name, result.architectures)
    frame = result.tco if metric in result.tco.columns else result.replications
    wide = frame.pivot(index="replication", columns="architecture", values=metric)
    return (wide[arch] - wide[against]).to_numpy(dtype=float)


def difference(result: FleetResult, metric: str, arch: str, against: str) -> dict[str, float]:
    """Mean paired difference with its ci95, the share of replications ``arch`` wins in and the
    share in which the two are exactly equal (a tie is neither a win nor a loss)."""
    d = paired(result, metric, arch, against)
    mean, lo, hi, _ = mean_ci95(d)
    wins = d > 0 if HIGHER_IS_BETTER.get(metric, False) else d < 0
    return {"mean": mean, "ci95_low": lo, "ci95_high": hi, "p_better": float(np.mean(wins)),
            "p_equal": float(np.mean(d == 0))}
