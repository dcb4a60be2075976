"""What a pilot proves: P(cheaper) with a component's failure rate drawn from its gamma prior
and from the posterior after the pilot's failures and device-hours."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from failure_data.catalog import default_catalog
from failure_data.errors import option
from fleet_models.decisions.evaluator import Evaluator, difference
from fleet_models.errors import DecisionError
from fleet_models.model.ledger import MONTH_HOURS
from fleet_models.model.paths import get_value
from fleet_models.model.spec import Scenario
from fleet_models.runs.draws import Draws
from fleet_models.scenario.variants import only
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
    engine: str = ""  # the engine both sides ran on ("fast", "des"; "mixed" if they differed)

    def to_dict(self) -> dict[str, Any]:
        def g(r: GammaRate) -> dict[str, float | None]:
            return {"shape": float(r.shape), "rate_per_device_hour": float(r.rate),
                    "mean_fit": float(r.mean_fit()) if r.proper else None}

        return {"component": self.component, "arch": self.arch, "against": self.against,
                "prior": g(self.prior), "posterior": g(self.posterior),
                "p_cheaper_before": self.p_before, "p_cheaper_after": self.p_after,
                "target": self.target, "more_switch_months_for_target": self.more_switch_months,
                "note": self.note, "engine": self.engine}


def pilot(scenario: Scenario, evaluator: Evaluator, component: str, device_hours: float,
          failures: int, *, arch: str | None = None, against: str | None = None,
          prior: GammaRate | None = None, target: float = 0.9) -> PilotAnswer:
    """What a pilot proves: P(``arch`` cheaper than ``against``) with the component's failure rate
    drawn per replication from the prior and from the posterior after ``failures`` in
    ``device_hours``, and how many more failure-free switch-months move it past ``target``.

    The rate is drawn by inverse transform from one uniform per replication (seeded by the run's
    seed), the same for the prior, the posterior and every search step, and set on every
    architecture holding ``component``; the others are simulated once."""
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
    index = {i: next(j for j, c in enumerate(scenario.architectures[i].components)
                     if c.name == component) for i in holders}
    for i in holders:  # an exponential life: refuse a Weibull one with the reason
        get_value(scenario, f"architectures[{i}].components[{index[i]}].life.fit_per_1e9h")
    note = ""
    if prior is None:
        prior, note = _catalog_prior(scenario, holders[0], component)
    post = prior.update(failures, device_hours)
    n = evaluator.replications or scenario.replications
    seed = scenario.seed if evaluator.seed is None else evaluator.seed
    u = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        entropy=seed, spawn_key=(0x9170, 0)))).random(n)
    sub = only(scenario, (arch, against))

    def p_cheaper(rate: GammaRate) -> float:
        # every replication's rate from one uniform (inverse transform), set on every holder of the
        # component through the runner, which runs each side on the same engine as the other
        fits = np.maximum(np.asarray(rate.fit_quantile(u), dtype=float), 1e-9)  # 0 FIT is no life
        overrides = {scenario.architectures[i].name: Draws.overrides(
            {f"architectures[0].components[{index[i]}].life.fit_per_1e9h": fits}) for i in holders}
        return difference(evaluator.result(sub, overrides), "tco_usd", arch, against)["p_better"]

    before = p_cheaper(prior) if prior.proper else None
    after = p_cheaper(post)
    hours_per_switch_month = _units(scenario, holders[0], component) * MONTH_HOURS
    more = _more_months(post, hours_per_switch_month, after, target, p_cheaper)
    engine = next(iter(evaluator.engines)) if len(evaluator.engines) == 1 else "mixed"
    return PilotAnswer(component, arch, against, prior, post, before, after, more, target, note,
                       engine)


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
