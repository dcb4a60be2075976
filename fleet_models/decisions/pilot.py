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
from failure_data.numbers import number
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
    device: PilotDevice | None = None  # what one device-hour of the pilot is

    def to_dict(self) -> dict[str, Any]:
        per_unit = self.device.per_unit if self.device is not None else 1.0

        def g(r: GammaRate) -> dict[str, float | None]:
            # the gamma's own parameters (shape, and rate in device-hours: a failure rate is
            # shape / rate), then the failure rate it means
            mean = float(r.mean_fit()) if r.proper else None
            return {"gamma_shape": float(r.shape), "gamma_rate_device_hours": float(r.rate),
                    "mean_fit_per_device": mean,
                    "mean_fit_per_unit": None if mean is None else mean * per_unit}

        return {"component": self.component, "arch": self.arch, "against": self.against,
                "device": None if self.device is None else self.device.to_dict(),
                "prior": g(self.prior), "posterior": g(self.posterior),
                "p_cheaper_before": self.p_before, "p_cheaper_after": self.p_after,
                "target": self.target, "more_switch_months_for_target": self.more_switch_months,
                "note": self.note, "engine": self.engine}


@dataclass(frozen=True)
class PilotDevice:
    """What one device-hour of a pilot is: the device the component's rate counts, as the
    scenario's ``device_unit`` reads a catalog rate per device (a 400G port by default: a 3.2T
    engine is 8 devices), or the component's unit itself when its rate is per unit."""

    component: str
    per_unit: float  # devices one unit of the component is
    reading: str | None  # the device_unit that reads it ("port-400g", "device"); None: per unit
    device_hours: float  # the pilot's exposure in device-hours

    @property
    def name(self) -> str:
        """How the device-hours are written: "400G port-device-hours", "device-hours"."""
        if self.reading == "port-400g":
            return "400G port-device-hours"
        return f"{self.component}-hours" if self.reading is None else "device-hours"

    @property
    def unit_hours(self) -> float:
        return self.device_hours / self.per_unit

    def text(self) -> str:
        """The exposure in its unit and in the component's unit-hours."""
        if self.per_unit == 1.0:
            what = ("one device per unit" if self.reading else "the component's rate is per unit")
            return f"{number(self.device_hours, 6)} {self.name} ({what})"
        return (f"{number(self.device_hours, 6)} {self.name} = {number(self.unit_hours, 6)} "
                f"{self.component}-hours "
                f"({self.per_unit:g} devices per {self.component} under device_unit = {self.reading})")

    def to_dict(self) -> dict[str, Any]:
        return {"device_hours": self.device_hours, "unit": self.name, "device_unit": self.reading,
                "devices_per_unit": self.per_unit, "unit_hours": self.unit_hours}


def pilot_device(scenario: Scenario, component: str, device_hours: float | None = None,
                 unit_hours: float | None = None, arch: str | None = None) -> PilotDevice:
    """A pilot's exposure as device-hours of ``component`` (``arch``, else the first architecture
    holding it, says what its device is: ``life.provenance['devices_per_unit']``), from exactly one of
    ``device_hours`` (already in devices) or ``unit_hours`` (hours of the component's units,
    converted)."""
    if (device_hours is None) == (unit_hours is None):
        raise DecisionError(f"give the pilot's exposure once: {option('device_hours')} (hours of "
                            f"the device the rate counts) or {option('unit_hours')} (hours of "
                            f"{component} units)")
    comp = next((c for a in scenario.architectures if arch in (None, a.name)
                 for c in a.components if c.name == component), None)
    if comp is None:
        names = sorted({c.name for a in scenario.architectures for c in a.components})
        raise DecisionError(f"no architecture has a component {component!r}; choose one of "
                            + ", ".join(names))
    per_unit, reading = devices_of(comp)
    given = device_hours if device_hours is not None else unit_hours
    if given is None or not (math.isfinite(given) and given > 0):
        flag = option("device_hours") if device_hours is not None else option("unit_hours")
        raise DecisionError(f"{flag} {given!r}: a pilot's exposure is a positive, finite number of "
                            "hours")
    if device_hours is not None and given > 1e30:
        raise DecisionError(f"{option('device_hours')} {given!r} is more device-hours than any "
                            "pilot can observe; give the hours the pilot ran")
    hours = device_hours if device_hours is not None else given * per_unit
    if not math.isfinite(hours) or hours > 1e30:  # 1e30 device-hours: 1e17 times any fleet's life
        raise DecisionError(f"{option('unit_hours')} {given!r} is {hours:g} device-hours "
                            f"({per_unit:g} per {component}), more than any pilot can observe; "
                            "give the hours the pilot ran")
    return PilotDevice(component, per_unit, reading, float(hours))


def pilot(scenario: Scenario, evaluator: Evaluator, component: str, device_hours: float | None,
          failures: int, *, arch: str | None = None, against: str | None = None,
          prior: GammaRate | None = None, target: float = 0.9,
          unit_hours: float | None = None) -> PilotAnswer:
    """What a pilot proves: P(``arch`` cheaper than ``against``) with the component's failure rate
    drawn per replication from the prior and from the posterior after ``failures`` in
    ``device_hours``, and how many more failure-free switch-months move it past ``target``.

    The rate is per device (:class:`PilotDevice`): the device a catalog rate per device counts
    as the scenario's ``device_unit`` reads it (a 400G port by default), else the component's
    unit; ``device_hours`` are in that device, or ``unit_hours`` in the component's units
    (converted). The prior (``prior``, else the catalog range of the component's life entry) is a
    rate per device too; a unit's rate is the devices per unit times it.

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
    if failures < 0:
        raise DecisionError(f"{option('failures')} {failures}: a pilot's failures are a count, 0 or more")
    judged = next((i for i in holders if scenario.architectures[i].name == arch), holders[0])
    device = pilot_device(scenario, component, device_hours, unit_hours,
                          scenario.architectures[judged].name)
    device_hours = device.device_hours
    index = {i: next(j for j, c in enumerate(scenario.architectures[i].components)
                     if c.name == component) for i in holders}
    for i in holders:  # an exponential life: refuse a Weibull one with the reason
        get_value(scenario, f"architectures[{i}].components[{index[i]}].life.fit_per_1e9h")
    per_unit = {i: devices_of(scenario.architectures[i].components[index[i]])[0] for i in holders}
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
        per_device = np.asarray(rate.fit_quantile(u), dtype=float)
        overrides = {scenario.architectures[i].name: Draws.overrides(
            {f"architectures[0].components[{index[i]}].life.fit_per_1e9h":
             np.maximum(per_device * per_unit[i], 1e-9)}) for i in holders}  # FIT per unit; 0 is no life
        return difference(evaluator.result(sub, overrides), "tco_usd", arch, against)["p_better"]

    before = p_cheaper(prior) if prior.proper else None
    after = p_cheaper(post)
    hours_per_switch_month = _units(scenario, judged, component) * MONTH_HOURS * device.per_unit
    more = _more_months(post, hours_per_switch_month, after, target, p_cheaper)
    engine = next(iter(evaluator.engines)) if len(evaluator.engines) == 1 else "mixed"
    return PilotAnswer(component, arch, against, prior, post, before, after, more, target, note,
                       engine, device)


def devices_of(comp: Any) -> tuple[float, str | None]:
    """Devices one unit of a component is, and the device_unit that reads it (None: its rate is
    per unit, one device)."""
    prov = comp.life.provenance
    if "devices_per_unit" not in prov:
        return 1.0, None
    return float(prov["devices_per_unit"]), str(prov.get("device_unit"))


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
                    f"prior: gamma with 90 % of its mass in {key}'s range [{e.low:g}, {e.high:g}] FIT "
                    f"{'per device' if 'devices_per_unit' in c.life.provenance else 'per unit'}")
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
