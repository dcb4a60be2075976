"""What a pilot proves: P(cheaper) with a component's failure rate drawn from its gamma prior
and from the posterior after the pilot's failures and device-hours."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from failure_data.catalog import default_catalog
from failure_data.errors import option
from fleet_models.decisions.evaluator import Evaluator, difference, merge
from fleet_models.errors import DecisionError
from fleet_models.model.paths import get_value
from fleet_models.model.spec import Scenario
from fleet_models.runs.results import FleetResult
from fleet_models.scenario.variants import only, with_values
from reliability.rates import GammaRate


@dataclass(frozen=True)
class PilotAnswer:
    component: str
    arch: str
    against: str
    prior: GammaRate
    posterior: GammaRate
    p_before: float | None  # None: the prior is flat (no answer before data)
    p_after: float
    more_switch_months: float | None  # more failure-free switch-months for P >= target
    target: float
    note: str

    def to_dict(self) -> dict[str, Any]:
        def g(r: GammaRate) -> dict[str, float | None]:
            return {"shape": float(r.shape), "rate_per_device_hour": float(r.rate),
                    "mean_fit": float(r.mean_fit()) if r.proper else None}

        return {"component": self.component, "arch": self.arch, "against": self.against,
                "prior": g(self.prior), "posterior": g(self.posterior),
                "p_cheaper_before": self.p_before, "p_cheaper_after": self.p_after,
                "target": self.target, "more_switch_months_for_target": self.more_switch_months,
                "note": self.note}


def _draw_chunk(scenario: Scenario, ai: int, reps: Sequence[int], seed: int, paths: Sequence[str],
                fits: Sequence[float]):
    """Replications of architecture ``ai``, replication i with every path at fits[i] FIT: as
    :func:`fleet_models.runs.runner.run_chunk` returns them (numbers, metric rows, reduced ledgers)."""
    from fleet_models.engines.des.sim import simulate
    from fleet_models.runs.runner import result_columns
    from fleet_models.runs.tco import reduce_ledger

    columns = {c: j for j, c in enumerate(result_columns(scenario))}
    values = np.full((len(reps), len(columns)), np.nan)
    ledgers = {}
    for k, (i, fit) in enumerate(zip(reps, fits, strict=True)):
        sc = with_values(scenario, dict.fromkeys(paths, float(fit)))
        arch = sc.architectures[ai]
        out = simulate(sc, arch, i, seed=seed)
        for name, v in out.metrics.items():
            values[k, columns[name]] = v
        ledgers[(i, arch.name)] = reduce_ledger(out.ledger, len(arch.components),
                                                sc.costs.discount_rate, sc.horizon_hours)
    return np.asarray(reps, dtype=np.int64), values, ledgers


def _run_drawn(scenario: Scenario, ai: int, paths: Sequence[str], fits: np.ndarray,
               evaluator: Evaluator) -> FleetResult:
    """One architecture's replications, replication i with its paths at fits[i] FIT, through the
    evaluator's executor (or ``workers`` processes started for this run)."""
    from fleet_models.runs.parallel import default_workers, open_workers
    from fleet_models.runs.runner import _frame, result_columns

    seed = scenario.seed if evaluator.seed is None else evaluator.seed
    n = len(fits)
    parts: list = []
    ledgers: dict = {}

    def chunks(workers: Any) -> None:
        size = max(1, math.ceil(n / (workers.slots * 4)))
        tasks = [tuple(range(s, min(n, s + size))) for s in range(0, n, size)]
        futures = [workers.executor.submit(_draw_chunk, scenario, ai, r, seed, paths, fits[list(r)])
                   for r in tasks]
        for fut in futures:
            reps, values, led = workers.result(fut)
            parts.append((0, reps, values))
            ledgers.update(led)

    if evaluator.executor is not None:
        chunks(evaluator.executor)
    else:
        with open_workers(min(evaluator.workers or default_workers(), n)) as w:
            chunks(w)
    evaluator.runs += 1
    one = only(scenario, (scenario.architectures[ai].name,))
    frame = _frame(parts, [one.architectures[0].name], result_columns(scenario))
    frame = frame.reindex(columns=["replication", "architecture", *result_columns(one)])
    return FleetResult(scenario=scenario.name, seed=seed, horizon_hours=scenario.horizon_hours,
                       n_replications=n, components={one.architectures[0].name: tuple(
                           c.name for c in one.architectures[0].components)},
                       replications=frame, spec=one, ledgers=ledgers)


def pilot(scenario: Scenario, evaluator: Evaluator, component: str, device_hours: float,
          failures: int, *, arch: str | None = None, against: str | None = None,
          prior: GammaRate | None = None, target: float = 0.9) -> PilotAnswer:
    """What a pilot proves: P(``arch`` cheaper than ``against``) with the component's failure rate
    drawn per replication from the prior and from the posterior after ``failures`` in
    ``device_hours``, and how many more failure-free switch-months move it past ``target``.

    The rate is drawn by inverse transform from one uniform per replication (seeded by the run's
    seed), the same for the prior, the posterior and every search step, and set on every
    architecture holding ``component``; the others are simulated once."""
    from scipy import stats as _stats  # noqa: F401  (fail early if scipy is missing)

    holders = [i for i, a in enumerate(scenario.architectures)
               if any(c.name == component for c in a.components)]
    if not holders:
        names = sorted({c.name for a in scenario.architectures for c in a.components})
        raise DecisionError(f"no architecture has a component {component!r}; choose one of "
                            + ", ".join(names))
    arch = arch or scenario.architectures[holders[0]].name
    against = against or scenario.architectures[0].name
    if arch == against:
        raise DecisionError(f"the architecture compared ({arch}) is the baseline; name another with "
                            f"{option('against')}")
    if failures < 0 or not (math.isfinite(device_hours) and device_hours > 0):
        raise DecisionError(f"a pilot needs failures >= 0 and device-hours > 0, got {failures} "
                            f"failures in {device_hours:g} h")
    paths = {i: [f"architectures[{i}].components.{component}.life.fit_per_1e9h"] for i in holders}
    for _i, ps in paths.items():
        get_value(scenario, ps[0])  # an exponential life: refuse a Weibull one with the reason
    note = ""
    if prior is None:
        prior, note = _catalog_prior(scenario, holders[0], component)
    post = prior.update(failures, device_hours)
    n = evaluator.replications or scenario.replications
    seed = scenario.seed if evaluator.seed is None else evaluator.seed
    u = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        entropy=seed, spawn_key=(0x9170, 0)))).random(n)

    def p_cheaper(rate: GammaRate) -> float:
        fits = np.asarray(rate.fit_quantile(u), dtype=float)
        fits = np.maximum(fits, 1e-9)  # a rate of exactly 0 FIT is not a life
        parts = []
        for i, a in enumerate(scenario.architectures):
            if a.name not in (arch, against):
                continue
            if i in paths:
                parts.append(_run_drawn(scenario, i, paths[i], fits, evaluator))
            else:
                parts.append(evaluator.result(only(scenario, (a.name,))))
        sub = only(scenario, (arch, against))
        return difference(merge(sub, parts), "tco_usd", arch, against)["p_better"]

    before = p_cheaper(prior) if prior.proper else None
    after = p_cheaper(post)
    hours_per_switch_month = _units(scenario, holders[0], component) * 730.5
    more = _more_months(post, hours_per_switch_month, after, target, p_cheaper)
    return PilotAnswer(component, arch, against, prior, post, before, after, more, target, note)


def _units(scenario: Scenario, ai: int, component: str) -> int:
    c = next(c for c in scenario.architectures[ai].components if c.name == component)
    return c.per_switch + getattr(c, "spare_units", 0)


def _catalog_prior(scenario: Scenario, ai: int, component: str) -> tuple[GammaRate, str]:
    """The prior from the catalog range of the component's life entry, else the flat prior."""
    c = next(c for c in scenario.architectures[ai].components if c.name == component)
    key = c.life.provenance.get("source")
    cat = default_catalog()
    if isinstance(key, str) and key in cat:
        e = cat.get(key)
        if e.low is not None and e.high is not None and 0 < e.low < e.high:
            return (GammaRate.from_range(e.low, e.high),
                    f"prior: gamma with 90 % of its mass in {key}'s range [{e.low:g}, {e.high:g}] FIT")
    return GammaRate.flat(), ("prior: flat (the weakest: the posterior's quantiles are the "
                              "chi-square bounds); the component's life cites no catalog range")


def _more_months(post: GammaRate, per_month: float, now: float, target: float,
                 p_cheaper: Callable[[GammaRate], float]) -> float | None:
    """Failure-free switch-months more after which P(cheaper) reaches ``target`` (0 if it has);
    None if not within 1e6 switch-months (the rate is not what decides it)."""
    if now >= target:
        return 0.0
    lo, hi = 0.0, 1e6
    if p_cheaper(post.update(0, hi * per_month)) < target:
        return None
    a, b = 1.0, hi
    if p_cheaper(post.update(0, a * per_month)) >= target:
        return a
    while b / a > 1.05:
        m = math.sqrt(a * b)
        if p_cheaper(post.update(0, m * per_month)) >= target:
            b = m
        else:
            a = m
    del lo
    return b
