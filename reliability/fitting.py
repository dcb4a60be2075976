"""Parametric life-data fits through lifelines, for every censoring kind a `LifeTable` holds.

* Identical records ``(lower, upper, entry)`` are grouped first and fitted with
  ``weights=`` (their summed ``count``), so a million-unit fleet costs what its
  distinct records cost.
* Pure exact/right-censored data (optionally left-truncated) goes through
  lifelines' ``fit(durations, event_observed, entry=, weights=)``; anything with
  left- or interval-censored rows through ``fit_interval_censoring(lower, upper,
  entry=, weights=)``, which handles exact, right, left and interval rows together.
* Times are divided by a data-driven factor ``c`` before lifelines sees them (its
  optimiser works on the raw scale parameter and stops early when that is
  1e5-1e7 hours); parameters, covariance and the log-likelihood are mapped back
  exactly: ``scale_h = c * scale``, ``mu_h = mu + ln c``, and
  ``LL_h = LL - (exact failures) * ln c`` (the density's Jacobian; survival and
  interval probabilities do not change). ``log_likelihood`` is therefore the full
  weighted log-likelihood in hours, the number lifelines reports when it is fed hours.
* Intervals are Wald intervals on the log scale for positive parameters
  (``exp(ln p +- z se/p)``) and plain Wald intervals for the others (lognormal
  ``mu``, gengamma ``mu``, ``ln_sigma``, ``lambda_``): ``interval_method = "wald-log"``.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special  # ndtri = the normal quantile; scipy.stats takes ~0.5 s to import

from failure_data.errors import option
from failure_data.words import with_article
from reliability._checks import check_confidence, covariance_is_usable
from reliability.doa import attach, note, read_for_fit
from reliability.errors import FitError, ParameterError
from reliability.families import FAMILIES, Family
from reliability.intervals import INTERVAL_METHODS, WALD_LOG
from reliability.mixtures import edge_problem, fit_records
from reliability.models import LifeModel
from reliability.records import GroupedRecords, group_records  # noqa: F401  (re-exported)
from reliability.refusals import MAX_AGE_HOURS, refuse_unfittable, refuse_zero_failures  # noqa: F401  (re-exported)

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

INTERVAL_METHOD = WALD_LOG  # what a fit computes; reliability.profile gives likelihood-ratio ones
INTERVAL_METHOD_TEXT = (
    "Wald on the log scale for positive parameters, exp(ln p +- z*se/p); "
    "logit-scale Wald for shares; plain Wald for unrestricted ones"
)


class _DistributionBase(StrEnum):
    @classmethod
    def parse(cls, value: str | Distribution) -> Distribution:
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ParameterError(
                f"distribution {value!r} is not known; use one of {[d.value for d in cls]}"
            ) from None


Distribution = _DistributionBase(
    "Distribution", {name: name for name in FAMILIES}, module=__name__, qualname="Distribution"
)
Distribution.__doc__ = "Life distributions that can be fitted: one per registered family (reliability.families)."

PARAMETER_UNITS: dict[str, Mapping[str, str]] = {name: fam.units for name, fam in FAMILIES.items()}
"""Unit of every parameter, by distribution (read from the families)."""


# ---------------------------------------------------------------------- result
@dataclass(frozen=True)
class FitResult:
    """A fitted life model with its summary, likelihood and data facts.

    ``summary`` is indexed by parameter with columns ``estimate``, ``se``,
    ``lower``, ``upper``, ``unit``. ``log_likelihood`` is the full weighted
    log-likelihood with times in hours.
    """

    distribution: Distribution
    model: LifeModel
    summary: pd.DataFrame = field(compare=False)
    log_likelihood: float
    aic: float
    converged: bool
    n_units: int
    n_failures: int
    n_records: int
    confidence: float
    interval_method: str = INTERVAL_METHOD
    optimizer: str = "lifelines"
    """Which optimiser finished the fit: lifelines, or the scipy polish and where it started."""
    table: Any = field(default=None, repr=False, compare=False)
    ranking: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    """One row per distribution fitted (all of them for ``auto``), best AIC first."""

    @property
    def parameters(self) -> dict[str, float]:
        return dict(self.model.parameters)

    @property
    def intervals(self) -> dict[str, list[float]]:
        return {k: [float(r.lower), float(r.upper)] for k, r in self.summary.iterrows()}

    @property
    def mttf_hours(self) -> float:
        return _safe(self.model.mean)

    @property
    def b10_hours(self) -> float:
        return _safe(lambda: self.model.b_life(0.10))

    def with_ranking(self, ranking: pd.DataFrame) -> FitResult:
        from dataclasses import replace

        return replace(self, ranking=ranking)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `cpo fit --json` (without the ``alt`` and ``ranking`` keys)."""
        return {
            "distribution": self.distribution.value,
            "parameters": self.parameters,
            "units": dict(PARAMETER_UNITS[self.distribution.value]),
            "intervals": self.intervals,
            "standard_errors": {k: float(v) for k, v in self.summary["se"].items()},
            "covariance": [list(r) for r in self.model.covariance] if self.model.covariance else None,
            "confidence": self.confidence,
            "interval_method": self.interval_method,
            "log_likelihood": self.log_likelihood,
            "aic": self.aic,
            "converged": self.converged,
            "optimizer": self.optimizer,
            "n_units": self.n_units,
            "n_failures": self.n_failures,
            "n_records": self.n_records,
            "mttf_hours": self.mttf_hours,
            "b10_hours": self.b10_hours,
            "dead_on_arrival": self.model.provenance.get("dead_on_arrival"),
        }

    def summary_table(self, title: str | None = None):
        """A rich Table in the spirit of lifelines' ``print_summary``."""
        from rich.table import Table
        from rich.text import Text  # a title or unit from the user is never read as markup

        pct = f"{self.confidence * 100:g}%"
        t = Table(title=Text(title or f"{self.distribution.value} fit (maximum likelihood{', lifelines' * bool(_family(self.distribution).fitter)})"))
        for col in ("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}", "unit"):
            t.add_column(col, justify="left" if col in ("parameter", "unit") else "right")
        for name, r in self.summary.iterrows():
            t.add_row(Text(str(name)), _g(r.estimate), _g(r.se), _g(r.lower), _g(r.upper), Text(str(r.unit)))
        t.caption = Text(
            f"units {self.n_units:,}  failures {self.n_failures:,}  distinct records {self.n_records:,}\n"
            f"log-likelihood {self.log_likelihood:.4f} (hours)  AIC {self.aic:.4f}\n"
            f"MTTF {_g(self.mttf_hours)} h  B10 {_g(self.b10_hours)} h{self._left_out()}\n"
            f"intervals: {self.interval_method} ({INTERVAL_METHODS[self.interval_method]})\n"
            f"optimiser: {self.optimizer}"
        )
        return t

    def _left_out(self) -> str:
        zero = self.model.provenance.get("n_zero_exposure", 0) or 0
        return note(self) + (f"  ({zero:,} with zero exposure: not in the fit)" if zero else "")

    def print_summary(self, console=None) -> None:
        from rich.console import Console

        (console or Console()).print(self.summary_table())

    def plot_probability(self, ax=None):
        """Probability plot (Weibull paper for Weibull fits) with band and nonparametric points."""
        from reliability.plotting import plot_probability

        return plot_probability(self, ax=ax)


def _safe(f) -> float:
    try:
        v = float(f())
    except (ValueError, OverflowError, ZeroDivisionError):
        return math.nan
    return v


def _g(x: float) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.6g}"


# ---------------------------------------------------------------------- fitting
def _family(dist: Distribution) -> Family:
    return FAMILIES[dist.value]


@dataclass(frozen=True)
class _Lifelines:
    """What lifelines' optimiser left on already-scaled records (our parameter names)."""

    params: dict[str, float] | None  # its optimum, or its last iterate when it stopped short
    cov: np.ndarray | None  # only when it reported success
    ll: float | None
    why: str  # empty when it reported success
    source: str = "lifelines"  # or reliability.native's Newton method


@contextlib.contextmanager
def quiet_lifelines():
    """Silence lifelines' warnings while it fits (cosmetic only: no verdict depends on them, so a
    fit in a threaded worker, where the filter is shared, still gets the right answer)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _raw_fit(dist: Distribution, rec: GroupedRecords, confidence: float, initial: np.ndarray | None
             ) -> _Lifelines:
    """One lifelines fit on already-scaled records; never raises for a fit that stops short."""
    from lifelines.exceptions import ConvergenceError

    fam = _family(dist)
    fitter = fam.fitter_class()(alpha=1 - confidence)
    # lifelines minimises the mean negative log-likelihood; with few failures among many units its
    # gradient is tiny, and L-BFGS-B's default gtol (1e-5) stops ~1e-4 short of the optimum
    opts = {"ftol": 1e-14} if fitter._scipy_fit_method == "SLSQP" else {"gtol": 1e-11}
    iterates: list[np.ndarray] = []
    fitter._scipy_fit_callback = lambda xk, *_: iterates.append(np.array(xk, dtype=float))
    names = list(fitter._fitted_parameter_names)
    inv = {q.lifelines: q.name for q in fam.parameters}

    def last_iterate() -> dict[str, float] | None:
        return {inv[n]: float(v) for n, v in zip(names, iterates[-1], strict=True)} if iterates else None

    with quiet_lifelines():
        try:
            if rec.right_only:
                fitter.fit(
                    np.where(rec.exact, rec.upper, rec.lower), rec.exact,
                    entry=rec.entry, weights=rec.weight, initial_point=initial, fit_options=opts,
                )
            else:
                fitter.fit_interval_censoring(
                    rec.lower, rec.upper, entry=rec.entry, weights=rec.weight, initial_point=initial,
                    fit_options=opts,
                )
        except ConvergenceError:
            return _Lifelines(last_iterate(), None, None, "the optimiser did not converge")
        except (ValueError, TypeError, ZeroDivisionError, OverflowError, FloatingPointError,
                np.linalg.LinAlgError) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            return _Lifelines(last_iterate(), None, None, f"lifelines refused the fit ({first})")
    params, cov = _to_ours(dist, fitter)
    if not covariance_is_usable(fitter.variance_matrix_.to_numpy(dtype=float)):
        return _Lifelines(params, None, None, "the Hessian at the optimum is not invertible or not positive")
    return _Lifelines(params, cov, float(fitter.log_likelihood_), "")


def _not_converged(dist: Distribution, why: str) -> FitError:
    others = [name for name, fam in FAMILIES.items() if name != dist.value and fam.offered]
    return FitError(
        f"the {dist.value} fit did not converge: {why}; no estimates are reported. "
        f"Try another {option('dist')} ({', '.join(others)}, or auto to compare them), check that "
        f"the time unit ({option('time_unit')}) is right, or add data (more failures make a better-defined optimum)."
    )


def _to_ours(dist: Distribution, fitter) -> tuple[dict[str, float], np.ndarray]:
    attrs = [q.lifelines for q in _family(dist).parameters]
    params = {q.name: float(getattr(fitter, q.lifelines)) for q in _family(dist).parameters}
    cov = fitter.variance_matrix_.loc[attrs, attrs].to_numpy()
    return params, np.asarray(cov, dtype=float)


def _initial(dist: Distribution, params: Mapping[str, float]) -> np.ndarray:
    fam = _family(dist)
    order = list(fam.fitter_class()._fitted_parameter_names)
    inv = {q.lifelines: q.name for q in fam.parameters}
    return np.array([params[inv[n]] for n in order], dtype=float)


def _rescale(dist: Distribution, params: Mapping[str, float], cov: np.ndarray, c: float):
    """Parameters/covariance with times multiplied by ``c``."""
    fam = _family(dist)
    new = fam.time_scale(dict(params), 1.0 / c)
    jac = np.array([c if k in fam.scale_params else 1.0 for k in fam.params])
    return new, cov * np.outer(jac, jac)


def _refuse_single_failure_age(rec: GroupedRecords, dist: Distribution) -> None:
    """With every failure at one age (or in one interval) and no unit seen running beyond it, a
    2+ parameter family has no unique optimum: the likelihood grows without bound as the law
    concentrates there, or is flat along a ridge. (Units running beyond make it well posed.)"""
    if len(_family(dist).params) < 2:
        return
    failed = np.isfinite(rec.upper)
    ages = {(float(a), float(b)) for a, b in zip(rec.lower[failed], rec.upper[failed], strict=True)}
    if len(ages) == 1:
        (a, b), = ages
        if np.any(rec.lower[~failed] > b):
            return
        where = f"at {a:g} h" if a == b else f"in ({a:g}, {b:g}] h"
        raise FitError(
            f"every failure happened {where}: {with_article(dist.value)} has no unique maximum-likelihood fit "
            f"to one failure age. Use {option('dist')} exponential, or bound the rate with "
            f"{option('bound', 'reliability.bounds')}."
        )


@dataclass(frozen=True)
class Estimate:
    """A converged fit on grouped records, in hours."""

    params: dict[str, float]
    cov: np.ndarray
    log_likelihood: float
    optimizer: str  # which optimiser finished it (OPTIMIZER_* below)


OPTIMIZER_LIFELINES = "lifelines"
OPTIMIZER_POLISH = "scipy trust-exact polish from {start}"


def to_theta(dist: Distribution, params: Mapping[str, float]) -> np.ndarray:
    """Unconstrained coordinates: the log of positive parameters, the others as they are."""
    fam = _family(dist)
    return np.array([math.log(params[k]) if k in fam.positive else params[k] for k in fam.params])


def from_theta(dist: Distribution, theta: np.ndarray) -> dict[str, float]:
    fam = _family(dist)
    return {k: (math.exp(v) if k in fam.positive else float(v)) for k, v in zip(fam.params, theta, strict=True)}


def _theta_jacobian(dist: Distribution, params: Mapping[str, float]) -> np.ndarray:
    """d params / d theta (diagonal)."""
    fam = _family(dist)
    return np.diag([params[k] if k in fam.positive else 1.0 for k in fam.params])


def _negative_ll(dist: Distribution, rec: GroupedRecords):
    from reliability.likelihood import Records, log_likelihood

    r = Records(rec.lower, rec.upper, rec.entry, rec.weight)

    def nll(theta: np.ndarray) -> float:
        try:
            return -log_likelihood(dist.value, from_theta(dist, theta), r)
        except OverflowError:
            return math.inf

    return nll


def finish(dist: Distribution, rec: GroupedRecords, found: _Lifelines) -> tuple[dict, np.ndarray, float, str]:
    """lifelines' result if it is a checked optimum of the written-out likelihood; otherwise the
    polish from its endpoint and from a data-driven start. Parameters, covariance and
    log-likelihood in the units of ``rec``; refuses when no start reaches an interior optimum."""
    from reliability.likelihood import LIFELINES
    from reliability.likelihood import finish as settle

    pos = _family(dist).positive
    usable = found.params is not None and all(
        math.isfinite(v) and (k not in pos or v > 0) for k, v in found.params.items())
    candidate = to_theta(dist, found.params) if usable else None
    opt = settle(_negative_ll(dist, rec), candidate, found.cov is not None,
                 to_theta(dist, _family(dist).data_start))
    if opt is None:
        why = found.why or "the Hessian is not positive definite where the optimiser stopped"
        raise _not_converged(dist, f"{why}, and no interior optimum was found from a data-driven start")
    if opt.start == LIFELINES:
        return found.params, found.cov, found.ll, found.source
    params = from_theta(dist, opt.x)
    jac = _theta_jacobian(dist, params)
    return params, jac @ opt.covariance @ jac.T, -opt.nll, OPTIMIZER_POLISH.format(start=opt.start)


def _native(dist: Distribution, rec: GroupedRecords) -> _Lifelines | None:
    from reliability.native import OPTIMIZER, applies
    from reliability.native import fit as newton

    got = newton(dist.value, rec) if applies(dist.value, rec) else None
    return None if got is None else _Lifelines(*got, "", OPTIMIZER)


def fit_grouped(
    rec: GroupedRecords, dist: Distribution, confidence: float, start: Mapping[str, float] | None = None
) -> Estimate:
    """Fit grouped records; parameters, covariance and log-likelihood in hours."""
    _refuse_single_failure_age(rec, dist)
    fam = _family(dist)
    c = rec.typical_time()
    if fam.fitter is None:  # a family lifelines has no fitter for: the project's own likelihood
        return Estimate(*fit_records(dist.value, rec.lower, rec.upper, rec.entry, rec.weight, c, rec.n_exact))
    if start is None and fam.warm_start is not None:
        # start from the optimum of a simpler family it contains (gengamma: the Weibull)
        start = fam.from_warm(fit_grouped(rec, Distribution(fam.warm_start), confidence).params)
    p_u = dict(fam.default_start) if start is None else fam.time_scale(dict(start), c)
    found = _native(dist, rec.scaled(c))  # a Weibull or exponential of exact and right data
    for _ in range(3 if found is None else 0):
        found = _raw_fit(dist, rec.scaled(c), confidence, _initial(dist, p_u))
        if found.why:
            break
        loc = fam.location(found.params)
        if abs(math.log(loc)) < math.log(4.0):
            break
        # the optimum sits far from 1 in these units: refit with the time unit at the optimum
        c *= loc
        p_u = fam.time_scale(found.params, loc)
    p_u, cov_u, ll_u, optimizer = finish(dist, rec.scaled(c), found)
    ll = ll_u - rec.n_exact * math.log(c)
    params, cov = _rescale(dist, p_u, cov_u, c)
    if not all(math.isfinite(v) for v in params.values()) or not math.isfinite(ll):
        raise _not_converged(dist, "the optimiser returned non-finite values")
    why = fam.degenerate(params) or edge_problem(dist.value, rec, params, ll)
    if why:
        raise _not_converged(dist, why)
    try:
        np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise _not_converged(dist, "the covariance matrix is not positive definite") from None
    return Estimate(params, cov, ll, optimizer)


def summary_frame(
    dist: Distribution, params: Mapping[str, float], cov: np.ndarray, confidence: float
) -> pd.DataFrame:
    """Estimate, se, interval (``wald-log``) and unit per parameter."""
    z = special.ndtri(0.5 + confidence / 2)
    fam = _family(dist)
    rows = []
    for i, k in enumerate(fam.params):
        est, se = params[k], math.sqrt(cov[i, i])
        if k in fam.fractions:  # a share: Wald on the logit scale, inside (0, 1)
            y, w = math.log(est / (1 - est)), z * se / (est * (1 - est))
            lo, hi = 1 / (1 + math.exp(-(y - w))), 1 / (1 + math.exp(-(y + w)))
        elif k in fam.positive:
            w = min(z * se / est, 700.0)  # beyond exp(700) the interval is unbounded anyway
            lo, hi = est * math.exp(-w), est * math.exp(w)
        else:
            lo, hi = est - z * se, est + z * se
        rows.append((k, est, se, lo, hi, fam.units[k]))
    return pd.DataFrame(rows, columns=["parameter", "estimate", "se", "lower", "upper", "unit"]).set_index(
        "parameter"
    )


def _provenance(table: LifeTable, dist: Distribution, rec: GroupedRecords, extra) -> dict[str, Any]:
    prov = table.provenance
    out = {
        "file": prov.path,
        "sha256": prov.sha256,
        "format": prov.format,
        "rows": prov.rows,
        "as_of": prov.as_of,
        "time_unit_in_file": prov.time_unit,
        "n_units": rec.n_units,
        "n_failures": rec.n_failures,
        "n_records_fitted": len(rec),
        "units_by_kind": rec.units_by_kind(),
        "n_left_truncated": rec.n_left_truncated,
        "n_dead_on_arrival": table.n_dead_on_arrival,
        "n_zero_exposure": int(getattr(table, "n_zero_exposure", 0)),
        "method": f"maximum likelihood, {'lifelines ' + (_family(dist).fitter or '') if _family(dist).fitter else 'project likelihood'}, grouped records weighted by count",
        "interval_method": INTERVAL_METHOD,
    }
    out.update(extra or {})
    return out


def fit(
    table: LifeTable,
    dist: Distribution | str = Distribution.weibull,
    *,
    confidence: float = 0.95,
    extra_provenance: Mapping[str, Any] | None = None,
    doa: str = "auto", doa_hours: float | None = None,
) -> FitResult:
    """Maximum-likelihood fit of one distribution to a LifeTable.

    Dead-on-arrival units are kept, read as ``doa`` says (:func:`reliability.doa.read_dead_on_arrival`).
    Raises FitError for zero failures (pointing to `cpo bound`) and for fits that
    do not converge (never returns numbers from an unconverged optimiser).
    """
    confidence = check_confidence(confidence)
    if isinstance(dist, str) and str(dist).lower() == "auto":
        return fit_auto(table, confidence=confidence, extra_provenance=extra_provenance, doa=doa, doa_hours=doa_hours)
    dist = Distribution.parse(dist)
    table, dead, extra = read_for_fit(table, doa, doa_hours, confidence, extra_provenance)
    rec = group_records(table)
    refuse_unfittable(table, rec)
    est = fit_grouped(rec, dist, confidence)
    result = attach(_result(table, dist, rec, est, confidence, extra), dead)
    return result.with_ranking(_ranking({dist: result}))


def _result(table, dist, rec, est: Estimate, confidence, extra) -> FitResult:
    params, cov, ll = est.params, est.cov, est.log_likelihood
    k = len(params)
    model = LifeModel(
        dist.value, params, covariance=tuple(map(tuple, cov)), confidence=confidence,
        provenance=_provenance(table, dist, rec, {"optimizer": est.optimizer, **(extra or {})}),
    )
    return FitResult(
        distribution=dist,
        model=model,
        summary=summary_frame(dist, params, cov, confidence),
        log_likelihood=ll,
        aic=2 * k - 2 * ll,
        converged=True,
        n_units=rec.n_units,
        n_failures=rec.n_failures,
        n_records=len(rec),
        confidence=confidence,
        optimizer=est.optimizer,
        table=table,
    )


def fit_all(
    table: LifeTable, *, confidence: float = 0.95, extra_provenance: Mapping[str, Any] | None = None,
    doa: str = "auto", doa_hours: float | None = None,
) -> dict[Distribution, FitResult | FitError]:
    """Every distribution fitted (or the FitError saying why not); dead on arrival as in `fit`."""
    confidence = check_confidence(confidence)
    table, dead, extra = read_for_fit(table, doa, doa_hours, confidence, extra_provenance)
    rec = group_records(table)
    refuse_unfittable(table, rec)
    out: dict[Distribution, FitResult | FitError] = {}
    for dist in Distribution:
        try:
            est = fit_grouped(rec, dist, confidence)
            out[dist] = attach(_result(table, dist, rec, est, confidence, extra), dead)
        except FitError as e:
            out[dist] = e
    return out



def _ranking(fits: Mapping[Distribution, FitResult | FitError]) -> pd.DataFrame:
    rows = []
    for d, r in fits.items():
        if isinstance(r, FitResult):
            rows.append((d.value, len(r.parameters), r.log_likelihood, r.aic, True, "", r.b10_hours,
                         float(r.model.scalar_cdf(5 * 8766.0))))  # F at 5 years (reliability.selection)
        else:
            rows.append((d.value, len(FAMILIES[d.value].params), math.nan, math.nan, False, str(r), math.nan,
                         math.nan))
    df = pd.DataFrame(rows, columns=["distribution", "n_parameters", "log_likelihood", "aic", "converged",
                                     "message", "b10_hours", "f_5y"])
    df = df.sort_values(["converged", "aic"], ascending=[False, True], kind="stable").reset_index(drop=True)
    df.insert(4, "delta_aic", df["aic"] - df["aic"].min())
    return df


def rank_distributions(table: LifeTable, *, confidence: float = 0.95) -> pd.DataFrame:
    """One row per distribution: log_likelihood, aic, delta_aic, converged; best (lowest AIC) first."""
    return _ranking(fit_all(table, confidence=confidence))


def fit_auto(
    table: LifeTable, *, confidence: float = 0.95, extra_provenance: Mapping[str, Any] | None = None,
    doa: str = "auto", doa_hours: float | None = None,
) -> FitResult:
    """Fit every distribution, return the lowest-AIC one with ``ranking`` attached."""
    fits = fit_all(table, confidence=confidence, extra_provenance=extra_provenance, doa=doa, doa_hours=doa_hours)
    ranking = _ranking(fits)
    if not ranking["converged"].any():
        raise FitError(
            "no distribution converged on this data: "
            + "; ".join(str(e).split(":")[0] for e in fits.values())
            + f". Check the time unit ({option('time_unit')}) and the data, or bound the rate with "
            + f"{option('bound', 'reliability.bounds')}."
        )
    best = Distribution(ranking.loc[0, "distribution"])
    return fits[best].with_ranking(ranking)  # type: ignore[union-attr]


