"""Decisions under uncertainty: sweeps, tornados, break-even values, and what a pilot proves.

Everything here varies a scenario through field paths (:mod:`fleet_models.paths`) and compares
architectures on common random numbers: every variant of a scenario is run with the same seed,
and an architecture's replications depend only on its own inputs (``fleet_models.engines.streams``), so
two variants differ only by what was varied. The :class:`Evaluator` makes that cheap:

- an architecture is simulated once per distinct set of the inputs it depends on (itself, the
  fleet, the policy, the workload, the horizon): varying a CPO engine's rate re-simulates the CPO
  architectures only, the baseline's replications are reused;
- prices (``costs.*``) are a post-process of the ledgers' sums (``fleet_models.tco``): varying
  one re-simulates nothing, except the discount rate, which the sums are made with.

Uncertain inputs come from the catalog of published figures: every scenario value that cites a
catalog entry with a published low and high (``fleet_models.builtins.field_sources``) can move
between them, every value citing the same entry moving by the same factor (so ``switch-price``
moves every architecture's switch at once).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from failure_data.catalog import Catalog, default_catalog
from failure_data.errors import option
from fleet_models.errors import FleetError, ScenarioError
from fleet_models.model.paths import get_value
from fleet_models.model.spec import Architecture, Scenario
from fleet_models.results import FleetResult, mean_ci95
from fleet_models.scenario.variants import only, with_values

HIGHER_IS_BETTER = {"port_availability": True, "goodput": True, "tco_usd": False}
METRICS = {"tco": "tco_usd", "availability": "port_availability", "goodput": "goodput"}


class DecisionError(FleetError):
    """A decision command that cannot give an answer (no sign change, no such component...)."""


# ---------------------------------------------------------------------- evaluating variants


def _engine_key(scenario: Scenario, arch_index: int) -> str:
    """What one architecture's replications depend on (not prices, not the other architectures)."""
    s = scenario
    # the discount rate is the one cost input a run's reduced ledgers hold (fleet_models.tco)
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
        # fleet_models.parallel.Workers: local processes or a Dask cluster); None: each run
        # starts its own ``workers`` processes
        self.executor = executor
        self.runs = 0
        self._cache: dict[str, FleetResult] = {}

    def reuse(self, result: FleetResult) -> None:
        """Keep the architectures of a run already made (``fleet_models.runner.run`` of
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
        from fleet_models.runner import run

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
    from fleet_models.runner import result_columns

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


def sweep(scenario: Scenario, grid: Mapping[str, Sequence[float]], evaluator: Evaluator,
          baseline: str | None = None) -> pd.DataFrame:
    """Every point of the grid (the product of each path's values): one row per point and
    architecture with its mean TCO (ci95), availability, goodput and the paired TCO difference
    from ``baseline`` (default the first architecture) with P(cheaper)."""
    paths = list(grid)
    for path in paths:
        get_value(scenario, path)  # refuse an unknown path before any run
    baseline = baseline or scenario.architectures[0].name
    rows = []
    for point in itertools.product(*(grid[p] for p in paths)):
        values = dict(zip(paths, point, strict=True))
        result = evaluator.result(with_values(scenario, values))
        summ = result.summary().set_index(["architecture", "metric"])
        for arch in result.architectures:
            t = summ.loc[(arch, "tco_usd")]
            row = {**values, "architecture": arch, "tco_mean": t["mean"], "tco_ci95_low": t["ci95_low"],
                   "tco_ci95_high": t["ci95_high"],
                   "port_availability": summ.loc[(arch, "port_availability")]["mean"],
                   "goodput": summ.loc[(arch, "goodput")]["mean"]}
            if arch == baseline:
                row.update(diff_mean=0.0, diff_ci95_low=0.0, diff_ci95_high=0.0, p_cheaper=math.nan)
            else:
                d = difference(result, "tco_usd", arch, baseline)
                row.update(diff_mean=d["mean"], diff_ci95_low=d["ci95_low"],
                           diff_ci95_high=d["ci95_high"], p_cheaper=d["p_better"])
            rows.append(row)
    return pd.DataFrame(rows)


def parse_vary(text: str) -> tuple[str, list[float]]:
    """``PATH=V1,V2,...`` -> (path, [v1, v2, ...]); a bad one is refused with the form."""
    path, sep, values = text.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise ScenarioError(f"{option('vary', 'grid')} {text!r}: write PATH=V1,V2,... e.g. "
                            "policy.switch_replacement_hours=4,8,16")
    out = []
    for v in values.split(","):
        try:
            x = float(v)
        except ValueError:
            raise ScenarioError(f"{option('vary', 'grid')} {text!r}: {v.strip()!r} is not a number") from None
        if not math.isfinite(x):
            raise ScenarioError(f"{option('vary', 'grid')} {text!r}: {v.strip()!r} is not a finite number")
        out.append(x)
    return path.strip(), out


# ---------------------------------------------------------------------- uncertain inputs


@dataclass(frozen=True)
class Input:
    """An uncertain input as a tornado moves it: every path of one catalog key (or one path) to
    its low end and to its high end together. ``low`` / ``high`` are shown in ``unit``."""

    key: str
    paths: tuple[str, ...]
    lows: tuple[float, ...]  # per path
    highs: tuple[float, ...]
    low: float
    high: float
    unit: str
    confidence: str

    def values(self, side: str) -> dict[str, float]:
        """Path -> value with the input at its ``side`` ("low" or "high")."""
        return dict(zip(self.paths, self.lows if side == "low" else self.highs, strict=True))


def uncertain_inputs(scenario: Scenario, catalog: Catalog | None = None) -> list[Input]:
    """The scenario's uncertain inputs (its ``uncertain`` table, else the published ranges of the
    catalog entries its values cite), grouped by what is drawn together (a catalog key or a
    path)."""
    from fleet_models.model.distributions import ends, stream_key
    from fleet_models.scenario.inputs import catalog_uncertain

    cat = catalog or default_catalog()
    table = dict(scenario.uncertain) or catalog_uncertain(scenario, cat)
    groups: dict[str, list[str]] = {}
    for path, u in table.items():
        groups.setdefault(stream_key(path, u), []).append(path)
    out = []
    for key, paths in groups.items():
        lows, highs = zip(*(ends(table[p]) for p in paths), strict=True)
        entry = cat.get(key) if key in cat else None
        if entry is not None and entry.low is not None and entry.high is not None:
            shown, unit, conf = (entry.low, entry.high), entry.unit, str(entry.confidence)
        else:
            shown, unit, conf = (lows[0], highs[0]), "", "user"
        out.append(Input(key, tuple(paths), tuple(lows), tuple(highs), float(shown[0]),
                         float(shown[1]), unit, conf))
    return out


def spread_sources(uncertain: FleetResult, fixed: FleetResult, baseline: str | None = None,
                   metric: str = "tco_usd") -> pd.DataFrame:
    """How much of the spread across replications comes from not knowing the inputs and how much
    from chance (fleet luck): ``uncertain`` drew the inputs per replication, ``fixed`` ran the
    same replications with them at their central values. Per architecture, and per paired
    difference from ``baseline``: the sd of each run and the inputs' share of the variance,
    1 - var(fixed) / var(uncertain) (chance measured at the central values; 0 if negative)."""
    baseline = baseline or uncertain.architectures[0]
    rows = []

    def row(what: str, u: np.ndarray, f: np.ndarray) -> dict[str, Any]:
        vu, vf = float(np.var(u, ddof=1)), float(np.var(f, ddof=1))
        share = max(0.0, 1.0 - vf / vu) if vu > 0 else 0.0
        return {"of": what, "sd_total": math.sqrt(vu), "sd_chance": math.sqrt(vf),
                "share_from_inputs": share, "share_from_chance": 1.0 - share}

    def values(r: FleetResult, arch: str) -> np.ndarray:
        frame = r.tco if metric in r.tco.columns else r.replications
        return frame[frame["architecture"] == arch][metric].to_numpy(dtype=float)

    for arch in uncertain.architectures:
        rows.append(row(arch, values(uncertain, arch), values(fixed, arch)))
        if arch != baseline:
            rows.append(row(f"{arch} - {baseline}", paired(uncertain, metric, arch, baseline),
                            paired(fixed, metric, arch, baseline)))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- tornado


def tornado(scenario: Scenario, evaluator: Evaluator, arch: str, against: str,
            inputs: Sequence[Input] | None = None, metric: str = "tco_usd") -> pd.DataFrame:
    """Each input (default: :func:`uncertain_inputs`) at its low and its high, the others at their values:
    the mean paired difference ``arch`` - ``against`` at each, ranked by the swing |high - low|
    (largest first). The scenario runs with its inputs fixed (``uncertainty`` off)."""
    scenario = dataclasses.replace(_pair(scenario, arch, against), uncertainty=False)
    chosen = list(uncertain_inputs(scenario) if inputs is None else inputs)
    if not chosen:
        raise DecisionError("the scenario has no uncertain inputs: no value cites a catalog entry "
                            "with a published range; vary fields yourself with "
                            f"{option('sweep', 'fleet_models.decisions.sweep')}")
    central = difference(evaluator.result(scenario), metric, arch, against)["mean"]
    rows = []
    for inp in chosen:
        ends = {}
        for side in ("low", "high"):
            ends[side] = difference(evaluator.result(with_values(scenario, inp.values(side))),
                                    metric, arch, against)
        rows.append({"input": inp.key, "low": inp.low, "high": inp.high,
                     "unit": inp.unit, "confidence": inp.confidence,
                     "at_low": ends["low"]["mean"], "at_high": ends["high"]["mean"],
                     "swing": abs(ends["high"]["mean"] - ends["low"]["mean"]),
                     "base": central, "paths": ", ".join(inp.paths)})
    frame = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable")
    return frame.reset_index(drop=True)


def plot_tornado(frame: pd.DataFrame, ax: Any = None, title: str = ""):
    """Horizontal bars from the base difference to the low and high ends; returns the axes."""
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(7, 0.5 * len(frame) + 1.5)).add_subplot()
    f = frame.iloc[::-1]
    y = np.arange(len(f))
    base = float(frame["base"].iloc[0]) if len(frame) else 0.0
    ax.barh(y, f["at_low"] - base, left=base, color="#4c72b0", label="input at its low")
    ax.barh(y, f["at_high"] - base, left=base, color="#dd8452", label="input at its high")
    ax.axvline(base, color="black", lw=0.8)
    ax.axvline(0.0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(y, [f"{k} [{lo:g}, {hi:g}]" for k, lo, hi in zip(f["input"], f["low"], f["high"],
                                                                     strict=True)])
    ax.set_xlabel("mean paired difference")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")
    return ax


# ---------------------------------------------------------------------- break-even


@dataclass(frozen=True)
class BreakEven:
    path: str
    metric: str
    arch: str
    against: str
    value: float | None  # where the mean paired difference crosses zero (None: no crossing)
    interval: tuple[float | None, float | None]  # where the ci95 bounds cross zero
    at_lo: float
    at_hi: float
    lo: float
    hi: float
    evaluations: int

    def text(self) -> str:
        what = {"tco_usd": "total cost of ownership", "port_availability": "port availability",
                "goodput": "goodput"}[self.metric]
        if self.value is None:
            better = self.at_lo < 0 if not HIGHER_IS_BETTER[self.metric] else self.at_lo > 0
            side = "better" if better else "worse"
            return (f"no break-even for {self.path} in [{self.lo:g}, {self.hi:g}]: {self.arch} is "
                    f"{side} than {self.against} on {what} over the whole range (mean difference "
                    f"{self.at_lo:,.4g} at {self.lo:g}, {self.at_hi:,.4g} at {self.hi:g}); widen "
                    f"{option('between', 'lo and hi')}")
        lo, hi = self.interval
        ci = (f"95 % interval {_g(lo)} to {_g(hi)}" if lo is not None and hi is not None else
              "its 95 % interval reaches past the range searched")
        return (f"{self.arch} equals {self.against} on {what} at {self.path} = {self.value:.4g} "
                f"({ci})")


def _g(x: float | None) -> str:
    return "?" if x is None else f"{x:.4g}"


def bisect(f: Callable[[float], float], lo: float, hi: float, *, log: bool = False,
           rtol: float = 1e-3, max_steps: int = 40) -> float | None:
    """A zero of ``f`` in [lo, hi] by bisection (geometric midpoints with ``log``), refined by
    linear interpolation inside the last bracket; None when f has the same sign at both ends."""
    a, b = lo, hi
    fa, fb = f(a), f(b)
    if not (math.isfinite(fa) and math.isfinite(fb)) or fa * fb > 0:
        return None
    if fa == 0:
        return a
    for _ in range(max_steps):
        if fb == 0 or (b - a) <= rtol * max(abs(a), abs(b)):
            break
        m = math.sqrt(a * b) if log else 0.5 * (a + b)
        fm = f(m)
        if fa * fm <= 0:
            b, fb = m, fm
        else:
            a, fa = m, fm
    return a if fb == fa else a - fa * (b - a) / (fb - fa)


def default_range(scenario: Scenario, path: str) -> tuple[float, float]:
    """The range a break-even search takes when none is given: the value / 100 to x 100, if the
    field allows both ends."""
    v = get_value(scenario, path)
    lo, hi = v / 100, v * 100
    if v <= 0:
        raise DecisionError(f"{path} is {v:g}, so no default range (value / 100 to x 100) exists; "
                            f"give {option('between', 'lo and hi')}")
    for x in (lo, hi):
        try:
            with_values(scenario, {path: x})
        except ScenarioError as e:
            raise DecisionError(f"the default range of {path}, {lo:g} to {hi:g} (its value / 100 to "
                                f"x 100), leaves the field's range ({str(e).splitlines()[-1]}); give "
                                f"{option('between', 'lo and hi')}") from None
    return lo, hi


def breakeven(scenario: Scenario, evaluator: Evaluator, path: str, arch: str, against: str,
              lo: float, hi: float, metric: str = "tco_usd", rtol: float = 1e-3,
              max_evaluations: int = 40) -> BreakEven:
    """The value of ``path`` in [lo, hi] at which ``arch`` and ``against`` are equal on ``metric``
    (mean paired difference zero), with the values where its ci95 bounds are zero as the interval.

    Every value is run on the same seed, so the difference is a deterministic function of the
    value (per replication monotone in a rate when lives are drawn by inverse transform): found by
    bisection, on a log scale when lo > 0 and hi / lo > 10.
    """
    if not lo < hi:
        raise DecisionError(f"{option('between', 'lo and hi')} {lo:g} {hi:g}: the low end must be "
                            "below the high end")
    get_value(scenario, path)
    scenario = _pair(scenario, arch, against)
    cache: dict[float, dict[str, float]] = {}

    def d(x: float) -> dict[str, float]:
        if x not in cache:
            cache[x] = difference(evaluator.result(with_values(scenario, {path: x})), metric, arch,
                                  against)
        return cache[x]

    log = lo > 0 and hi / lo > 10

    def root(key: str) -> float | None:
        return bisect(lambda x: d(x)[key], lo, hi, log=log, rtol=rtol, max_steps=max_evaluations)

    value = root("mean")
    interval = (root("ci95_low"), root("ci95_high"))
    if None not in interval:
        interval = tuple(sorted(interval))  # type: ignore[assignment]
    return BreakEven(path, metric, arch, against, value, interval, d(lo)["mean"],
                     d(hi)["mean"], lo, hi, len(cache))


# ---------------------------------------------------------------------- pilot


@dataclass(frozen=True)
class GammaRate:
    """A failure rate lambda (per device-hour) ~ Gamma(shape, rate): the conjugate prior of a
    Poisson count. ``rate`` is in device-hours; shape 1 and rate 0 is the flat (weakest) prior,
    whose posterior after r failures in T hours, Gamma(r + 1, T), has the chi-square upper bound
    chi2(c; 2r + 2) / 2T as its c-quantile."""

    shape: float
    rate: float

    @classmethod
    def flat(cls) -> GammaRate:
        return cls(1.0, 0.0)

    @classmethod
    def from_range(cls, low_fit: float, high_fit: float, coverage: float = 0.90) -> GammaRate:
        """The gamma whose central ``coverage`` interval is [low_fit, high_fit] FIT."""
        from scipy import optimize, stats

        if not 0 < low_fit < high_fit:
            raise DecisionError(f"a prior range needs 0 < low < high FIT, got [{low_fit:g}, {high_fit:g}]")
        q = (1 - coverage) / 2
        ratio = high_fit / low_fit

        def gap(log_shape: float) -> float:
            a = math.exp(log_shape)
            return math.log(stats.gamma.ppf(1 - q, a) / stats.gamma.ppf(q, a)) - math.log(ratio)

        lo, hi = math.log(0.2), math.log(1e6)  # shape 0.2 spans ~1e7x; 1e6 is a point mass
        if gap(lo) < 0:
            raise DecisionError(f"the prior range [{low_fit:g}, {high_fit:g}] FIT spans more than a gamma "
                                "prior can hold; give a narrower range or use the flat prior")
        if gap(hi) > 0:
            raise DecisionError(f"the prior range [{low_fit:g}, {high_fit:g}] FIT is too narrow for a "
                                "prior; fix the rate in the scenario instead")
        a = math.exp(optimize.brentq(gap, lo, hi))
        scale_fit = low_fit / stats.gamma.ppf(q, a)  # in FIT
        return cls(float(a), float(1e9 / scale_fit))

    @property
    def proper(self) -> bool:
        return self.rate > 0

    def update(self, failures: int, device_hours: float) -> GammaRate:
        """The posterior after ``failures`` in ``device_hours`` (Poisson likelihood)."""
        return GammaRate(self.shape + failures, self.rate + device_hours)

    def mean_fit(self) -> float:
        return self.shape / self.rate * 1e9 if self.proper else math.inf

    def fit_quantile(self, u: np.ndarray | float):
        """FIT at probability ``u`` (inverse transform: a fixed u per replication gives common
        random numbers across priors and posteriors)."""
        from scipy import stats

        if not self.proper:
            raise DecisionError("the flat prior has no quantiles before any device-hours are observed")
        return stats.gamma.ppf(u, self.shape, scale=1.0 / self.rate) * 1e9


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
    :func:`fleet_models.runner.run_chunk` returns them (numbers, metric rows, reduced ledgers)."""
    from fleet_models.engines.des.sim import simulate
    from fleet_models.runner import result_columns
    from fleet_models.tco import reduce_ledger

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
    from fleet_models.parallel import default_workers, open_workers
    from fleet_models.runner import _frame, result_columns

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
