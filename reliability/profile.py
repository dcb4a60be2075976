"""Likelihood-ratio (profile) intervals for parameters, B-lives, MTTF and reliability at a time.

Meeker & Escobar (1998), *Statistical Methods for Reliability Data*, §8.3: the set of values
``v`` of a quantity whose profile log-likelihood

    L*(v) = max { log L(theta) : g(theta) = v }

satisfies ``2 (log L(theta_hat) - L*(v)) <= chi2(C, 1)`` is an approximate ``C`` confidence
interval for ``g``. With few failures it holds its confidence far better than the Wald interval
(M&E §8.4.2 and their Fig. 8.6 recommend it for small samples and heavy censoring; the Wald
interval's normal approximation on the log scale is symmetric where the likelihood is not).
Where the profile never rises to the critical value on one side (the data do not bound the
quantity there) the bound is reported as the edge of the quantity's range (0, 1 or infinity),
``bounded`` saying so, rather than a number the likelihood does not support.

Coordinates: a fit's unconstrained ``theta`` (:func:`reliability.fitting.to_theta`: the log of
positive parameters), one of whose coordinates shifts the log of every life (the log scale, or
``mu``); an accelerated-life regression's ``(b0, b1, g0)`` with ``b0`` the log-life at use.
Quantities are profiled by fixing the quantity and solving that coordinate for it, the other
coordinates maximised: a B-life, the MTTF and a reliability at a time are all proportional to
``exp(theta[loc])`` given the others, so the constraint is solved in closed form (and checked).

Wald intervals for the same quantities (``interval_method = "wald-log"``) are the delta method
on the log of a life and on the logit of a reliability (M&E §8.4.3 and eq. 8.10).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize, special  # not scipy.stats: ~0.5 s to import on a plain fit

from reliability._checks import check_confidence
from reliability.errors import ParameterError
from reliability.families import FAMILIES, Family
from reliability.fitting import (
    Distribution,
    FitResult,
    _negative_ll,
    from_theta,
    to_theta,
)
from reliability.intervals import (  # noqa: F401
    CHOICES,
    INTERVAL_METHODS,
    LIKELIHOOD_RATIO,
    LR_BELOW_FAILURES,
    WALD_LOG,
    choose,
)
from reliability.likelihood import gradient
from reliability.records import group_records

if TYPE_CHECKING:  # pragma: no cover
    from reliability.records import GroupedRecords

LOG_REACH = 60.0
"""How far, in log units (a factor of e^60 = 1e26), a profile walks before it reports a bound as
the edge of the range: the data then do not bound the quantity on that side."""

SE_REACH = 40.0
"""...and no further than this many Wald standard errors (a likelihood-ratio bound lies within a
few of them unless the likelihood is flat there, and then it is the edge)."""


# ---------------------------------------------------------------------- quantities
@dataclass(frozen=True)
class Quantity:
    """A function of a life model: a B-life (``quantile`` p), the MTTF, or the reliability at
    ``hours``."""

    kind: str  # "quantile" | "mttf" | "reliability"
    value: float = math.nan  # p for a quantile, hours for a reliability

    @property
    def name(self) -> str:
        if self.kind == "quantile":
            return f"B{self.value * 100:g}"
        if self.kind == "reliability":
            return f"R({self.value:g} h)"
        return "MTTF"

    @property
    def unit(self) -> str:
        return "-" if self.kind == "reliability" else "hours"

    def of(self, fam: Family, params: Mapping[str, float]) -> float:
        """The quantity's value under ``params`` (hours, or a probability)."""
        if self.kind == "quantile":
            return float(fam.ppf(params, self.value))
        if self.kind == "reliability":
            return 1.0 - fam.cdf(params, self.value)
        return float(fam.mean(params))

    def working(self, x: float) -> float:
        """The scale intervals are built on: log of a life, logit of a reliability."""
        with np.errstate(divide="ignore"):
            if self.kind == "reliability":
                return float(np.log(x) - np.log1p(-x)) if 0 < x < 1 else (math.inf if x >= 1 else -math.inf)
            return math.log(x) if x > 0 else -math.inf

    def natural(self, v: float) -> float:
        if self.kind == "reliability":
            return float(1.0 / (1.0 + np.exp(-v)))
        return math.exp(v) if v < 709 else math.inf


def quantile(p: float) -> Quantity:
    p = float(p)
    if not 0 < p < 1:
        raise ParameterError(f"quantile {p!r} must be a probability in (0, 1), e.g. 0.1 for B10")
    return Quantity("quantile", p)


def reliability_at(hours: float) -> Quantity:
    h = float(hours)
    if not (math.isfinite(h) and h > 0):
        raise ParameterError(f"mission time {hours!r} must be a number of hours > 0")
    return Quantity("reliability", h)


MTTF = Quantity("mttf")


# ---------------------------------------------------------------------- the model being profiled
@dataclass(frozen=True)
class Likelihood:
    """What a profile needs: the negative log-likelihood over unconstrained ``theta``, its optimum,
    the covariance of theta there, the life model's parameters as a function of theta and which
    coordinate shifts the log of every life."""

    family: Family
    nll: Callable[[np.ndarray], float]
    theta: np.ndarray
    cov: np.ndarray  # of theta
    params_of: Callable[[np.ndarray], dict[str, float]]
    loc: int
    coordinate_of: Mapping[str, int]  # parameter name -> the theta coordinate it is a monotone map of

    @property
    def nll_hat(self) -> float:
        return self.nll(self.theta)


def of_fit(dist: Distribution | str, rec: GroupedRecords, params: Mapping[str, float],
           cov: np.ndarray) -> Likelihood:
    """The likelihood of a plain (single-distribution) fit on grouped records in hours."""
    dist = Distribution.parse(dist)
    fam = FAMILIES[dist.value]
    theta = to_theta(dist, params)
    jinv = np.diag([1.0 / params[k] if k in fam.positive else 1.0 for k in fam.params])
    loc = fam.params.index(fam._location_parameter.name)
    return Likelihood(fam, _negative_ll(dist, rec), theta, jinv @ np.asarray(cov) @ jinv.T,
                      lambda th: from_theta(dist, th), loc, {k: i for i, k in enumerate(fam.params)})


# ---------------------------------------------------------------------- the profile
def _minimise(f: Callable[[np.ndarray], float], x0: np.ndarray) -> tuple[float, np.ndarray]:
    if x0.size == 0:
        return f(x0), x0
    f0 = f(x0)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        r = optimize.minimize(f, x0, method="BFGS", options={"gtol": 1e-8})
        best = (r.fun, r.x) if math.isfinite(r.fun) and r.fun <= f0 else (f0, x0)
        if not r.success:  # BFGS lost its line search (an infinite edge): the simplex does not care
            s = optimize.minimize(f, best[1], method="Nelder-Mead",
                                  options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 400 * x0.size})
            if math.isfinite(s.fun) and s.fun < best[0]:
                best = (s.fun, s.x)
    return float(best[0]), np.asarray(best[1], dtype=float)


@dataclass
class _Profile:
    """The profile of one function of theta: fix ``v``, maximise over the nuisance coordinates."""

    like: Likelihood
    build: Callable[[float, np.ndarray], np.ndarray | None]  # (v, nuisance) -> theta, None if impossible
    nuisance: np.ndarray  # at the optimum

    def deviance(self, v: float, start: np.ndarray) -> tuple[float, np.ndarray]:
        def f(nu: np.ndarray) -> float:
            th = self.build(v, nu)
            if th is None:
                return math.inf
            val = self.like.nll(th)
            return val if math.isfinite(val) else math.inf

        val, nu = _minimise(f, start)
        return 2.0 * (val - self.like.nll_hat), nu

    def bound(self, v_hat: float, step: float, side: int, crit: float, reach: float) -> float:
        """The crossing of ``crit`` on one side of ``v_hat`` (``side`` +1 or -1), or +-inf when the
        deviance stays below it within ``reach`` of the estimate."""
        step = step if math.isfinite(step) and step > 0 else 0.1 * (1 + abs(v_hat))
        reach = min(reach, SE_REACH * step)
        lo_v, lo_nu = v_hat, self.nuisance
        d = step * math.sqrt(crit)  # the Wald bound first, then further out
        while True:
            v = v_hat + side * min(d, reach)
            dev, nu = self.deviance(v, lo_nu)
            if dev >= crit:
                break
            if d >= reach:
                return side * math.inf
            lo_v, lo_nu = v, nu
            d *= 2.0
        hi_v = v
        start = lo_nu

        def g(x: float) -> float:
            return self.deviance(x, start)[0] - crit

        return float(optimize.brentq(g, lo_v, hi_v, xtol=1e-10 * (1 + abs(v_hat)), rtol=1e-12))

    def interval(self, v_hat: float, step: float, crit: float, reach: float) -> tuple[float, float]:
        return (self.bound(v_hat, step, -1, crit, reach), self.bound(v_hat, step, +1, crit, reach))


def _without(x: np.ndarray, i: int) -> np.ndarray:
    return np.delete(x, i)


def _with(nu: np.ndarray, i: int, v: float) -> np.ndarray:
    return np.insert(np.asarray(nu, dtype=float), i, v)


def _critical(confidence: float) -> float:
    # chi2(C, 1) is the square of the normal's (1 + C)/2 quantile
    return float(special.ndtri(0.5 + check_confidence(confidence) / 2) ** 2)


def coordinate_interval(like: Likelihood, i: int, confidence: float) -> tuple[float, float]:
    """LR interval for theta[i] (on its own, unconstrained, scale)."""
    prof = _Profile(like, lambda v, nu: _with(nu, i, v), _without(like.theta, i))
    reach = LOG_REACH
    return prof.interval(float(like.theta[i]), math.sqrt(like.cov[i, i]), _critical(confidence), reach)


def _solve_location(like: Likelihood, q: Quantity, v: float, nu: np.ndarray) -> np.ndarray | None:
    """theta with the nuisance ``nu`` and the location coordinate set so that ``q`` equals the
    value whose working-scale value is ``v``: a life is proportional to exp(theta[loc]) given the
    rest, so one step solves it; a second corrects a family where that is not exact."""
    target = q.natural(v)
    th = _with(nu, like.loc, 0.0)
    for _ in range(4):
        try:
            if q.kind == "reliability":  # the life whose cdf at the mission time is 1 - R ...
                life, want = float(like.family.ppf(like.params_of(th), 1.0 - target)), q.value
            else:
                life, want = q.of(like.family, like.params_of(th)), target
        except (ValueError, OverflowError, ZeroDivisionError):
            return None
        if not (math.isfinite(life) and life > 0):
            return None
        shift = math.log(want) - math.log(life)
        if abs(shift) < 1e-12:
            return th
        th = th.copy()
        th[like.loc] += shift
    return th


def quantity_estimate(like: Likelihood, q: Quantity) -> float:
    try:
        return q.of(like.family, like.params_of(like.theta))
    except (ValueError, OverflowError, ZeroDivisionError):
        return math.nan


def quantity_interval(like: Likelihood, q: Quantity, confidence: float, method: str
                      ) -> tuple[float, float, float]:
    """(estimate, lower, upper) of ``q`` by ``method`` (likelihood-ratio or wald-log)."""
    est = quantity_estimate(like, q)
    v_hat = q.working(est)
    if not math.isfinite(v_hat):
        return est, math.nan, math.nan
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = gradient(lambda th: q.working(q.of(like.family, like.params_of(th))), like.theta)
    se = float(math.sqrt(max(g @ like.cov @ g, 0.0))) if np.all(np.isfinite(g)) else math.nan
    if method == WALD_LOG:
        z = special.ndtri(0.5 + confidence / 2)
        return est, q.natural(v_hat - z * se), q.natural(v_hat + z * se)
    prof = _Profile(like, lambda v, nu: _solve_location(like, q, v, nu), _without(like.theta, like.loc))
    lo, hi = prof.interval(v_hat, se, _critical(confidence), LOG_REACH)
    return est, q.natural(lo), q.natural(hi)


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class Intervals:
    """The parameter intervals and quantity estimates of one fit by one method."""

    method: str
    confidence: float
    parameters: pd.DataFrame  # the FitResult summary's columns: estimate, se, lower, upper, unit
    quantities: pd.DataFrame  # quantity, estimate, lower, upper, unit, bounded

    def quantity_records(self) -> list[dict]:
        return [{k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in r.items()}
                for r in self.quantities.to_dict(orient="records")]


QUANTITY_COLUMNS = ["quantity", "kind", "value", "estimate", "lower", "upper", "unit", "bounded"]


def parameter_frame(like: Likelihood, summary: pd.DataFrame, confidence: float, method: str) -> pd.DataFrame:
    """``summary`` (estimate, se, unit: the Wald-log frame) with its bounds by ``method``."""
    if method == WALD_LOG:
        return summary
    out = summary.copy()
    for name, i in like.coordinate_of.items():
        lo, hi = coordinate_interval(like, i, confidence)
        for col, v in (("lower", lo), ("upper", hi)):
            if math.isinf(v):
                out.loc[name, col] = _edge(like, name, v)
            else:
                th = like.theta.copy()
                th[i] = v
                out.loc[name, col] = like.params_of(th)[name]
    return out


def _edge(like: Likelihood, name: str, v: float) -> float:
    positive = name in like.family.positive
    if v < 0:
        return 0.0 if positive else -math.inf
    return math.inf


def quantity_frame(like: Likelihood, quantities: Sequence[Quantity], confidence: float,
                   method: str) -> pd.DataFrame:
    rows = []
    for q in quantities:
        est, lo, hi = quantity_interval(like, q, confidence, method)
        edge_lo = 0.0
        edge_hi = 1.0 if q.kind == "reliability" else math.inf
        bounded = bool(math.isfinite(lo) and math.isfinite(hi) and lo > edge_lo and hi < edge_hi)
        rows.append((q.name, q.kind, None if math.isnan(q.value) else q.value, est, lo, hi, q.unit, bounded))
    return pd.DataFrame(rows, columns=QUANTITY_COLUMNS)


def default_quantities(quantiles: Sequence[float] = (), at_hours: Sequence[float] = ()) -> list[Quantity]:
    """B10 and the MTTF, then every asked-for quantile and mission time (each once)."""
    out: list[Quantity] = []
    for q in [quantile(0.1), MTTF, *(quantile(p) for p in quantiles), *(reliability_at(h) for h in at_hours)]:
        if q not in out:  # MTTF's value is nan, but it is the same object
            out.append(q)
    return out


def intervals(result: FitResult, interval: str = "auto", *, quantiles: Sequence[float] = (),
              at_hours: Sequence[float] = (), likelihood: Likelihood | None = None) -> Intervals:
    """The fit's parameter intervals and its B10, MTTF, ``quantiles`` and reliabilities at
    ``at_hours`` with their intervals, by ``interval`` (``auto``, ``lr`` or ``wald``)."""
    method = choose(interval, result.n_failures, len(result.parameters))
    like = likelihood if likelihood is not None else of_fit(
        result.distribution, group_records(result.table), result.model.parameters,
        np.asarray(result.model.covariance, dtype=float))
    qs = default_quantities(quantiles, at_hours)
    return Intervals(method, result.confidence, parameter_frame(like, result.summary, result.confidence, method),
                     quantity_frame(like, qs, result.confidence, method))


def estimates_only(result: FitResult, *, quantiles: Sequence[float] = (), at_hours: Sequence[float] = ()
                   ) -> Intervals:
    """The quantities of a fit without intervals (a rank-regression fit has no likelihood ones)."""
    fam = FAMILIES[result.distribution.value]
    rows = []
    for q in default_quantities(quantiles, at_hours):
        try:
            est = q.of(fam, result.model.parameters)
        except (ValueError, OverflowError, ZeroDivisionError):
            est = math.nan
        rows.append((q.name, q.kind, None if math.isnan(q.value) else q.value, est, math.nan, math.nan,
                     q.unit, False))
    return Intervals(result.interval_method, result.confidence, result.summary,
                     pd.DataFrame(rows, columns=QUANTITY_COLUMNS))


def alt_intervals(alt, interval: str = "auto", *, quantiles: Sequence[float] = (),
                  at_hours: Sequence[float] = ()) -> tuple[Intervals, tuple[float, float]]:
    """An accelerated-life fit's use-condition intervals and its coefficient's (activation energy
    or power exponent) interval, profiled on the regression's own likelihood (the acceleration's
    uncertainty included), or Wald."""
    res = alt.fit
    found = intervals(res, interval, quantiles=quantiles, at_hours=at_hours, likelihood=alt.likelihood)
    if found.method == WALD_LOG:
        return found, tuple(alt.coefficient_interval)
    lo, hi = coordinate_interval(alt.likelihood, 1, res.confidence)
    sign = 1.0 if alt.coefficient_name == "activation_energy_ev" else -1.0  # Ea = b1, n = -b1
    return found, tuple(sorted((sign * lo, sign * hi)))


def with_intervals(result: FitResult, found: Intervals) -> FitResult:
    """``result`` reporting ``found``'s parameter intervals and method."""
    if found.method not in INTERVAL_METHODS:  # pragma: no cover  (choose() gives only these)
        raise ParameterError(f"unknown interval method {found.method!r}")
    model = replace(result.model, provenance={**result.model.provenance, "interval_method": found.method})
    return replace(result, model=model, summary=found.parameters, interval_method=found.method)
