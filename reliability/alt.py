"""Accelerated life tests: Arrhenius (temperature) and inverse power law (current, voltage).

The life's log-scale follows a line in a transformed stress ``x`` with a common
shape (lifelines AFT regression, ``WeibullAFTFitter`` or ``LogNormalAFTFitter``):

* Arrhenius: ``x = 1 / (k_B T)`` with T in kelvin, so ``ln scale = b0 + Ea * x``;
  the coefficient of x is the activation energy ``Ea`` in eV.
* Inverse power: ``x = ln(stress)``, so ``scale ∝ stress^(-n)``; ``n = -b1``.

``x`` is centred at the use stress (x - x_use) so the intercept is the log-scale
at use and the optimiser is well conditioned; times are divided by a typical
age before lifelines sees them and mapped back exactly as in
:mod:`reliability.fitting`. The saved model is the use-condition one, with
covariance over its (shape, scale) or (mu, sigma) by the delta method from the
regression's variance matrix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from failure_data.errors import MAX_PROBLEMS, DataValidationError, Problem, option
from reliability._checks import check_confidence
from reliability.errors import FitError, ParameterError
from reliability.families import FAMILIES, SCALE, Family
from reliability.fitting import (
    Distribution,
    FitResult,
    _provenance,
    refuse_zero_failures,
    summary_frame,
)
from reliability.models import BOLTZMANN_EV, LifeModel
from reliability.records import group_records

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

KELVIN = 273.15


class StressModel(StrEnum):
    arrhenius = "arrhenius"
    power = "power"

    @classmethod
    def parse(cls, value: str | StressModel) -> StressModel:
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ParameterError(
                f"stress model {value!r} is not known; use one of {[m.value for m in cls]}"
            ) from None


def stress_transform(model: StressModel, stress) -> np.ndarray:
    """The regression covariate: 1/(k_B T) for Arrhenius (stress in °C), ln(stress) for power."""
    s = np.asarray(stress, dtype=float)
    if model == StressModel.arrhenius:
        bad = ~(np.isfinite(s) & (s > -KELVIN))
        if bad.any():
            raise ParameterError(
                f"temperature {float(s[bad][0])!r} °C is not a finite temperature above absolute zero"
            )
        return 1.0 / (BOLTZMANN_EV * (s + KELVIN))
    bad = ~(np.isfinite(s) & (s > 0))
    if bad.any():
        raise ParameterError(f"stress {float(s[bad][0])!r} must be a finite number > 0 for the power law")
    return np.log(s)


class StressValueError(DataValidationError):
    """Values of the stress column an accelerated-life fit cannot use, each with its file line."""

    def _render(self) -> str:
        return super()._render().replace("; nothing was read.", "; nothing was fitted.", 1)


def stress_values(table: LifeTable, column: str, model: StressModel) -> np.ndarray:
    """The stress column of ``table`` as numbers, or a `StressValueError` naming every row that
    cannot be one (its file line, the column, the value and the fix): empty, not a number, not
    finite (1e400 overflows to infinity), at or below absolute zero (Arrhenius, °C) or not above 0
    (power law)."""
    raw = table.data[column]
    s = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    empty = raw.isna().to_numpy()
    if raw.dtype == object:  # a text column: "" is an empty CSV cell
        empty |= raw.astype(str).str.strip().eq("").to_numpy()
    arrhenius = model == StressModel.arrhenius
    what = "test temperature in °C" if arrhenius else "test stress (current, voltage, ...)"
    checks = [
        (empty, f"is empty; every unit of an accelerated-life fit needs its {what}: fill it in or "
         "drop the row"),
        (np.isnan(s) & ~empty, f"is not a number; write the {what} as a plain number (e.g. 85)"),
        (np.isinf(s), f"is not finite (a number as large as 1e400 overflows to infinity); write the "
         f"{what} as a finite number"),
    ]
    if arrhenius:
        checks.append((np.isfinite(s) & (s <= -KELVIN), f"is at or below absolute zero ({-KELVIN} °C); "
                       "write the test temperature in °C (e.g. 85), not a difference or a code"))
    else:
        checks.append((np.isfinite(s) & (s <= 0), "is not above 0; the power law needs a stress > 0 "
                       "(e.g. a current in mA): fix the value or its unit"))
    problems: list[Problem] = []
    total = 0
    lines = table.data["line"].to_numpy()
    for mask, message in checks:
        idx = np.flatnonzero(mask)
        total += len(idx)
        problems += [Problem(int(lines[i]), column, None if empty[i] else str(raw.iloc[i]), message)
                     for i in idx[:MAX_PROBLEMS]]
    if total:
        problems.sort(key=lambda q: q.line if q.line is not None else 0)
        raise StressValueError(problems[:MAX_PROBLEMS], source=table.provenance.path, total=total)
    return s


@dataclass(frozen=True)
class ALTSpec:
    """What to fit: the stress column, the life-stress model, the use stress."""

    stress_column: str
    model: StressModel
    use_stress: float
    distribution: Distribution = Distribution.weibull


@dataclass(frozen=True)
class ALTResult:
    """ALT fit: the use-condition life model and the life-stress relationship."""

    spec: ALTSpec
    fit: FitResult  # the use-condition model (parameters at use_stress)
    coefficient: float  # Ea (eV) for Arrhenius, n for power
    coefficient_se: float
    coefficient_interval: tuple[float, float]
    acceleration_factors: pd.DataFrame = field(compare=False)  # stress, n_units, n_failures, af
    likelihood: Any = field(default=None, compare=False, repr=False)
    """The regression's likelihood over (b0, b1, g0) (a ``reliability.profile.Likelihood``)."""

    @property
    def coefficient_name(self) -> str:
        return "activation_energy_ev" if self.spec.model == StressModel.arrhenius else "power_exponent_n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.spec.model.value,
            "stress_column": self.spec.stress_column,
            "use_stress": self.spec.use_stress,
            "coefficient_name": self.coefficient_name,
            "activation_energy_ev": self.coefficient if self.spec.model == StressModel.arrhenius else None,
            "power_exponent_n": self.coefficient if self.spec.model == StressModel.power else None,
            "coefficient_se": self.coefficient_se,
            "coefficient_interval": list(self.coefficient_interval),
            "acceleration_factors": [
                {"stress": float(r.stress), "n_units": int(r.n_units), "n_failures": int(r.n_failures),
                 "acceleration_factor": float(r.acceleration_factor)}
                for r in self.acceleration_factors.itertuples()
            ],
        }


def _aft_family(dist: Distribution) -> Family:
    return FAMILIES[dist.value]


def _aft_names() -> list[str]:
    """The families an accelerated-life fit takes: every one (lifelines' AFT regression where the
    family has one, ``Family.aft``; the written-out likelihood polished by scipy otherwise)."""
    return list(FAMILIES)


def _common(fam: Family) -> list:
    """The parameters other than the time location: held common across stress levels, each a
    coordinate of theta = (b0, b1, *these) (the log of a positive one)."""
    loc = fam._location_parameter.name
    return [q for q in fam.parameters if q.name != loc]


def _grouped(table: LifeTable, col: str) -> pd.DataFrame:
    d = table.data
    g = d.groupby(["lower", "upper", "entry", col], sort=True, observed=True)["count"].sum().reset_index()
    return g


def fit_alt(table: LifeTable, spec: ALTSpec, *, confidence: float = 0.95,
            extra_provenance: Mapping[str, Any] | None = None) -> ALTResult:
    """Fit a common-shape life whose scale follows the stress model; report it at ``use_stress``."""
    confidence = check_confidence(confidence)
    dist = Distribution.parse(spec.distribution)
    model = StressModel.parse(spec.model)
    fam = _aft_family(dist)
    from reliability.groups import check_column

    check_column(table, spec.stress_column, "stress")
    refuse_zero_failures(table)
    raw_stress = pd.Series(stress_values(table, spec.stress_column, model), index=table.data.index)
    levels = np.unique(raw_stress.to_numpy(dtype=float))
    if levels.size < 2:
        raise ParameterError(
            f"an accelerated-life fit needs at least two stress levels in {spec.stress_column!r}; "
            f"found only {levels.tolist()}"
        )
    failed_at = np.unique(raw_stress.to_numpy(dtype=float)[(table.data["kind"] != "right").to_numpy()])
    if failed_at.size < 2:
        # survivors alone only say "life is longer at lower stress": the likelihood keeps rising
        # along the slope, so no finite estimate exists (a ridge, not an optimum)
        n_fail = int(table.data.loc[table.data["kind"] != "right", "count"].sum())
        raise ParameterError(
            f"all {n_fail:,} failures are at {spec.stress_column} = {failed_at[0]:g}, so the acceleration "
            f"(slope) cannot be estimated; the life at {spec.use_stress:g} needs failures at a second "
            "stress level (run that cell longer), or convert the single level with an assumed "
            "activation energy instead"
        )
    x_use = float(stress_transform(model, [spec.use_stress])[0])

    g = _grouped(table.select(), spec.stress_column)
    g["x"] = stress_transform(model, g[spec.stress_column].to_numpy(dtype=float)) - x_use
    exact = (g["lower"] == g["upper"]).to_numpy()
    right_only = bool(np.all(exact | np.isinf(g["upper"].to_numpy())))
    obs = np.where(np.isinf(g["upper"]), g["lower"], g["upper"]).astype(float)
    c = float(np.exp(np.average(np.log(obs[obs > 0]), weights=g["count"].to_numpy()[obs > 0])))

    rec = _Scaled(g, c, right_only)
    theta, vcov, ll_u, optimizer = _fit_regression(dist, rec, confidence)
    b1 = float(theta[1])
    n_exact = float(g["count"].to_numpy(dtype=float)[exact].sum())
    ll = ll_u - n_exact * math.log(c)
    how = f"lifelines {fam.aft.fitter}" if fam.aft is not None else "the written-out likelihood"

    params, jac = _use_parameters(fam, theta, c)
    why = fam.degenerate(params)
    if why:
        raise _alt_not_converged(dist, why)
    cov = jac @ vcov @ jac.T
    try:
        np.linalg.cholesky(vcov)
    except np.linalg.LinAlgError:
        raise _alt_not_converged(dist, "the covariance matrix is not positive definite") from None

    sign = 1.0 if model == StressModel.arrhenius else -1.0
    coef, coef_se = sign * b1, math.sqrt(vcov[1, 1])
    z = stats.norm.ppf(0.5 + confidence / 2)
    coef_ci = (coef - z * coef_se, coef + z * coef_se)

    x_levels = stress_transform(model, levels) - x_use
    per = table.data.assign(_s=raw_stress.to_numpy(dtype=float))
    units = per.groupby("_s")["count"].sum()
    fails = per.loc[per["kind"] != "right"].groupby("_s")["count"].sum()
    afs = pd.DataFrame({
        "stress": levels,
        "n_units": [int(units.get(s, 0)) for s in levels],
        "n_failures": [int(fails.get(s, 0)) for s in levels],
        # life at use / life at the test stress: exp(b0) / exp(b0 + b1 (x_s - x_use))
        "acceleration_factor": np.exp(-b1 * x_levels),
    })
    extra = {
        "alt_model": model.value, "stress_column": spec.stress_column, "use_stress": spec.use_stress,
        ("activation_energy_ev" if model == StressModel.arrhenius else "power_exponent_n"): coef,
        "method_alt": f"{how}, common shape, covariate centred at the use stress",
        "optimizer": optimizer,
        **(extra_provenance or {}),
    }
    k = len(theta)
    model_use = LifeModel(dist.value, params, covariance=tuple(map(tuple, cov)), confidence=confidence,
                          provenance={**_provenance(table, dist, group_records(table), extra),
                                      "n_records_fitted": len(g)})
    result = FitResult(
        distribution=dist, model=model_use, summary=summary_frame(dist, params, cov, confidence),
        log_likelihood=ll, aic=2 * k - 2 * ll, converged=True, n_units=table.n_units,
        n_failures=table.n_failures, n_records=len(g), confidence=confidence, optimizer=optimizer,
        table=_at_use(table, raw_stress.to_numpy(dtype=float), stress_transform(model, raw_stress.to_numpy(dtype=float)) - x_use, b1),
    )
    ranking = pd.DataFrame([{
        "distribution": dist.value, "n_parameters": k, "log_likelihood": ll, "aic": result.aic,
        "delta_aic": 0.0, "converged": True, "message": "",
    }])
    from reliability.profile import Likelihood

    like = Likelihood(fam, _regression_nll(dist, rec), np.asarray(theta, dtype=float), np.asarray(vcov),
                      lambda th: _use_parameters(fam, th, c)[0], 0,
                      {fam._location_parameter.name: 0, **{q.name: 2 + i for i, q in enumerate(_common(fam))}})
    return ALTResult(spec=replace(spec, model=model, distribution=dist), fit=result.with_ranking(ranking),
                     coefficient=coef, coefficient_se=coef_se, coefficient_interval=coef_ci,
                     acceleration_factors=afs, likelihood=like)


def _use_parameters(fam: Family, theta: np.ndarray, c: float) -> tuple[dict[str, float], np.ndarray]:
    """The use-condition parameters in hours from theta = (b0, b1, *common) (the log-life ``b0``
    in units of ``c``), and their Jacobian d params / d theta."""
    params, rows = {}, []
    common = {q.name: 2 + i for i, q in enumerate(_common(fam))}
    for q in fam.parameters:
        row = np.zeros(len(theta))
        if q.name in common:
            j = common[q.name]
            v = math.exp(theta[j]) if q.positive else float(theta[j])
            row[j] = v if q.positive else 1.0
        elif q.role == SCALE:
            v = c * math.exp(theta[0])
            row[0] = v
        else:  # LOG_SCALE: the family's time location
            v = float(theta[0]) + math.log(c)
            row[0] = 1.0
        params[q.name] = v
        rows.append(row)
    return params, np.array(rows)


def _record_parameters(fam: Family, theta: np.ndarray, x: np.ndarray) -> dict[str, object]:
    """Parameters per record: the time location from the life-stress line ``b0 + b1 x`` (the log
    of a SCALE parameter, a LOG_SCALE one itself), the others common."""
    common = {q.name: 2 + i for i, q in enumerate(_common(fam))}
    with np.errstate(over="ignore"):
        line = theta[0] + theta[1] * x
        out: dict[str, object] = {}
        for q in fam.parameters:
            if q.name in common:
                v = theta[common[q.name]]
                out[q.name] = math.exp(v) if q.positive else float(v)
            else:
                out[q.name] = np.exp(line) if q.role == SCALE else line
        return out


@dataclass(frozen=True)
class _Scaled:
    """Grouped ALT records with times divided by ``c`` (x centred at the use stress)."""

    g: pd.DataFrame  # lower, upper, entry, count, x
    c: float
    right_only: bool

    @property
    def lower(self) -> np.ndarray:
        return self.g["lower"].to_numpy(dtype=float) / self.c

    @property
    def upper(self) -> np.ndarray:
        return self.g["upper"].to_numpy(dtype=float) / self.c

    @property
    def entry(self) -> np.ndarray:
        return self.g["entry"].to_numpy(dtype=float) / self.c

    @property
    def weight(self) -> np.ndarray:
        return self.g["count"].to_numpy(dtype=float)

    @property
    def x(self) -> np.ndarray:
        return self.g["x"].to_numpy(dtype=float)


def _lifelines_regression(dist: Distribution, rec: _Scaled, confidence: float):
    """lifelines' AFT fit: (theta, vcov, log-likelihood) on the scaled records, or the reason it
    stopped short as a string."""
    import lifelines
    from lifelines.exceptions import ConvergenceError

    from reliability._checks import covariance_is_usable
    from reliability.fitting import quiet_lifelines

    cls_name, loc_name, shp_name, _ = _aft_family(dist).aft
    df = pd.DataFrame({"x": rec.x, "w": rec.weight, "entry": rec.entry})
    fitter = getattr(lifelines, cls_name)(alpha=1 - confidence, penalizer=0.0)
    # BFGS on lifelines' mean negative log-likelihood: the default gtol (1e-5) stops short of the
    # optimum when failures are few among many units
    kw: dict[str, Any] = {"weights_col": "w", "entry_col": "entry", "fit_options": {"gtol": 1e-10}}
    if not df["entry"].gt(0).any():
        df = df.drop(columns="entry")
        kw.pop("entry_col")
    with quiet_lifelines():
        try:
            if rec.right_only:
                df["T"] = np.where(np.isinf(rec.upper), rec.lower, rec.upper)
                df["E"] = rec.lower == rec.upper
                fitter.fit(df, duration_col="T", event_col="E", **kw)
            else:
                df["lo"], df["hi"] = rec.lower, rec.upper
                fitter.fit_interval_censoring(df, lower_bound_col="lo", upper_bound_col="hi", **kw)
        except ConvergenceError:
            return "the optimiser did not converge"
        except (ValueError, FloatingPointError, np.linalg.LinAlgError) as e:
            return f"lifelines refused the fit ({str(e).splitlines()[0]})"
    keys = [(loc_name, "Intercept"), (loc_name, "x"), (shp_name, "Intercept")]
    theta = fitter.params_.loc[keys].to_numpy(dtype=float)
    vcov = fitter.variance_matrix_.loc[keys, keys].to_numpy(dtype=float)
    if not covariance_is_usable(vcov):
        return "the Hessian at the optimum is not invertible or not positive", theta
    return theta, vcov, float(fitter.log_likelihood_)


def _regression_nll(dist: Distribution, rec: _Scaled):
    """-log L of the common-shape life-stress model: ln scale (Weibull) or mu (lognormal) =
    b0 + b1 x, shape or sigma = exp(g0)."""
    from reliability.likelihood import Records, log_likelihood

    r, x = Records(rec.lower, rec.upper, rec.entry, rec.weight), rec.x
    fam = _aft_family(dist)

    def nll(theta: np.ndarray) -> float:
        p = _record_parameters(fam, theta, x)
        try:
            return -log_likelihood(dist.value, p, r)
        except OverflowError:
            return math.inf

    return nll


def _data_start(dist: Distribution, rec: _Scaled) -> np.ndarray:
    """Per stress level the exponential MLE (exposure per failure); a weighted line through their
    logs against x gives b0, b1; the family's data start (``Family.data_start``) maps it in:
    shifted to the family's log location (the exponential's median for the lognormal), its shape."""
    t = np.where(np.isinf(rec.upper), rec.lower,
                 np.where(rec.lower > 0, 0.5 * (rec.lower + rec.upper), rec.upper))
    d = pd.DataFrame({"x": rec.x, "exp": rec.weight * np.maximum(t - rec.entry, 0.0),
                      "f": rec.weight * np.isfinite(rec.upper)}).groupby("x").sum()
    d = d[(d["f"] > 0) & (d["exp"] > 0)]
    if len(d) >= 2:
        b1, b0 = np.polyfit(d.index.to_numpy(), np.log(d["exp"] / d["f"]), 1, w=np.sqrt(d["f"]))
    else:
        b0, b1 = (math.log(float(d["exp"].sum() / d["f"].sum())) if len(d) else 0.0), 0.0
    fam = _aft_family(dist)
    b0 += fam.log_location(fam.data_start)
    rest = [math.log(fam.data_start[q.name]) if q.positive else fam.data_start[q.name] for q in _common(fam)]
    return np.array([b0, b1, *rest])


def _fit_regression(dist: Distribution, rec: _Scaled, confidence: float):
    """lifelines' fit if it is a checked optimum of the written-out likelihood, else the polish
    from its endpoint and from a data-driven start: (theta, vcov, log-likelihood, optimizer)."""
    from reliability.fitting import OPTIMIZER_LIFELINES, OPTIMIZER_POLISH
    from reliability.likelihood import LIFELINES, finish

    found = (_lifelines_regression(dist, rec, confidence) if _aft_family(dist).aft is not None
             else f"lifelines has no {dist.value} regression")
    if isinstance(found, str):
        why, candidate, trusted = found, None, False
    elif len(found) == 2:
        (why, candidate), trusted = found, False
    else:
        why, candidate, trusted = "", found[0], True
    opt = finish(_regression_nll(dist, rec), candidate, trusted, _data_start(dist, rec))
    if opt is None:
        why = why or "the Hessian is not positive definite where the optimiser stopped"
        raise _alt_not_converged(dist, f"{why}, and no interior optimum was found from a data-driven start")
    if opt.start == LIFELINES:
        theta, vcov, ll = found
        return theta, vcov, ll, OPTIMIZER_LIFELINES
    return opt.x, opt.covariance, -opt.nll, OPTIMIZER_POLISH.format(start=opt.start)


def _at_use(table: LifeTable, stress: np.ndarray, x: np.ndarray, b1: float) -> LifeTable:
    """The records with every age multiplied by its acceleration factor to the use stress: the
    equivalent use-condition sample, for probability plots of the use-condition model."""
    from failure_data.table import LifeTable as _LifeTable

    af = np.exp(-b1 * x)
    d = table.data.copy()
    for c in ("lower", "upper", "entry"):
        d[c] = d[c].to_numpy() * af
    return _LifeTable(d, table.dead_on_arrival, table.provenance)


def _alt_not_converged(dist: Distribution, why: str) -> FitError:
    other = " or ".join(name for name in _aft_names() if name != dist.value)
    return FitError(
        f"the accelerated-life {dist.value} fit did not converge: {why}; no estimates are reported. "
        f"Try {option('dist')} {other}, check the stress column's values and unit (°C for arrhenius), "
        "or add failures at more stress levels."
    )
