"""Zero- and few-failure analysis: chi-square bounds on a constant rate, and Weibayes.

* ``rate_upper_bound``: with R failures in T device-hours, the one-sided upper
  confidence bound on a constant failure rate is ``chi2.ppf(C, 2R+2) / (2T)``
  per hour (time-terminated test; Epstein 1960, Nelson 1982 ch. 8). In FIT that
  is x 1e9; the MTTF lower bound is its reciprocal.
* ``weibayes_scale_lower``: with an assumed Weibull shape beta, ``t**beta`` is
  exponential with mean ``scale**beta``, so the same bound gives
  ``scale_lower = (2 * sum(t_i**beta - entry_i**beta) / chi2.ppf(C, 2R+2))**(1/beta)``
  (Abernethy, The New Weibull Handbook, 5th ed., ch. 6 "Weibayes"; with R = 0 this
  is the zero-failure Weibayes lower bound).

Two-sided (``two_sided=True``): each bound at (1 + C)/2, the upper as above and the lower from
``chi2.ppf((1 - C)/2, 2R)`` (0 with R = 0: no failures cannot bound a rate from below), so the
rate lies in ``[chi2((1-C)/2, 2R)/(2T), chi2((1+C)/2, 2R+2)/(2T)]`` with confidence C (the exact
interval for a time-terminated test; Meeker & Escobar 1998, §7.6). Weibayes likewise gives the
scale's upper bound ``(2 sum t^beta / chi2((1-C)/2, 2R))^(1/beta)`` (infinite with R = 0) and,
with failures, its estimate, the maximum-likelihood scale for the known shape,
``(sum t^beta / R)^(1/beta)`` (Weibayes with failures; Abernethy, ch. 6).

Every figure is range-checked in logs, and Weibayes is computed in logs as a
log-sum-exp over the units, ``ln scale = m + (ln 2 - ln chi2 + ln sum n_i w_i
exp(beta (ln t_i - m))) / beta`` with ``m = max ln t_i`` and ``w_i = 1 - (e_i/t_i)**beta``,
so an extreme assumed shape (50, 0.05) gives a finite result whenever the true value
is a float. A figure that is not a normal float (above 1.8e308 or below 2.2e-308) is
refused with a ParameterError saying so, never returned as ``inf`` or ``0``.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special, stats

from failure_data.errors import option
from reliability._checks import check_confidence, check_count, check_positive
from reliability.errors import ParameterError
from reliability.models import FIT_HOURS

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable


@dataclass(frozen=True)
class RateBound:
    """One-sided chi-square upper bound on a constant failure rate."""

    failures: int
    device_hours: float
    confidence: float
    rate_upper_per_hour: float
    rate_lower_per_hour: float | None = None
    """Two-sided: the lower bound (each bound at (1 + C)/2); None for a one-sided bound."""

    @property
    def fit_upper(self) -> float:
        return self.rate_upper_per_hour * FIT_HOURS

    @property
    def mttf_lower_hours(self) -> float:
        return 1.0 / self.rate_upper_per_hour

    @property
    def two_sided(self) -> bool:
        return self.rate_lower_per_hour is not None

    @property
    def mttf_upper_hours(self) -> float | None:
        """Two-sided: the MTTF's upper bound (infinite with no failures); None when one-sided."""
        if self.rate_lower_per_hour is None:
            return None
        return math.inf if self.rate_lower_per_hour == 0 else 1.0 / self.rate_lower_per_hour

    @property
    def point_fit(self) -> float:
        """R / T in FIT (the maximum-likelihood rate; 0 with zero failures)."""
        return self.failures / self.device_hours * FIT_HOURS


@dataclass(frozen=True)
class WeibayesBound:
    """Weibayes lower bound on the Weibull scale for an assumed shape.

    Held in logs (``t**shape`` overflows for shape 50 and ages of 1e7 h); the
    properties give the figures, refusing (ParameterError) one that is not a float.
    :func:`weibayes_scale_lower` has already checked that the scale and MTTF bounds are.
    """

    shape: float
    failures: int
    n_units: int
    log_sum_t_beta: float
    confidence: float
    log_scale_lower: float
    log_scale_upper: float | None = None
    """Two-sided: ln of the scale's upper bound (inf with no failures); None when one-sided."""

    @property
    def two_sided(self) -> bool:
        return self.log_scale_upper is not None

    @property
    def scale_upper_hours(self) -> float | None:
        if self.log_scale_upper is None:
            return None
        if math.isinf(self.log_scale_upper):
            return math.inf
        return from_log(self.log_scale_upper, "the Weibayes upper bound on the Weibull scale",
                        _shape_fix(self.shape), unit="hours")

    @property
    def mttf_upper_hours(self) -> float | None:
        """Two-sided: scale_upper * Gamma(1 + 1/shape) (infinite with no failures)."""
        if self.log_scale_upper is None or math.isinf(self.log_scale_upper):
            return None if self.log_scale_upper is None else math.inf
        return from_log(self.log_scale_upper + math.lgamma(1.0 + 1.0 / self.shape),
                        "the Weibayes MTTF upper bound", _shape_fix(self.shape), unit="hours")

    @property
    def scale_hours(self) -> float | None:
        """The maximum-likelihood scale for the assumed shape, (sum t^beta / R)^(1/beta), with
        failures (Weibayes with failures); None with none (there is no estimate, only a bound)."""
        if self.failures == 0:
            return None
        return from_log((self.log_sum_t_beta - math.log(self.failures)) / self.shape,
                        "the Weibayes scale estimate", _shape_fix(self.shape), unit="hours")

    @property
    def sum_t_beta(self) -> float:
        """sum(count * (t**shape - entry**shape)), hours**shape."""
        return from_log(self.log_sum_t_beta, "the sum of t**shape over the units",
                        f"shape = {self.shape!r}; use log_sum_t_beta")

    @property
    def scale_lower_hours(self) -> float:
        return from_log(self.log_scale_lower, "the Weibayes lower bound on the Weibull scale",
                        _shape_fix(self.shape), unit="hours")

    @property
    def log_mttf_lower(self) -> float:
        """ln of the MTTF lower bound, scale_lower * Gamma(1 + 1/shape)."""
        return self.log_scale_lower + math.lgamma(1.0 + 1.0 / self.shape)

    @property
    def mttf_lower_hours(self) -> float:
        return from_log(self.log_mttf_lower, "the Weibayes MTTF lower bound", _shape_fix(self.shape),
                        unit="hours")


LOG_FLOAT_MAX = math.log(sys.float_info.max)  # 709.78: exp() of more overflows
LOG_FLOAT_MIN = math.log(sys.float_info.min)  # -708.40: below, floats are subnormal (few digits) or 0


def _power_of_ten(log_value: float) -> str:
    if not math.isfinite(log_value):
        return "more than 10^308" if log_value > 0 else "less than 10^-308"
    return f"about 10^{log_value / math.log(10):.6g}"


def from_log(log_value: float, what: str, fix: str, *, unit: str = "") -> float:
    """``exp(log_value)``, refused (ParameterError naming ``what`` and ``fix``) unless a normal float.

    Above 1.8e308 a float is ``inf``; below 2.2e-308 it loses digits and then becomes 0,
    so neither can be shown as the figure.
    """
    u = f" {unit}" if unit else ""
    if math.isnan(log_value):
        raise ParameterError(f"{what} cannot be computed (it is not a number); {fix}")
    if log_value > LOG_FLOAT_MAX:
        raise ParameterError(f"{what} is {_power_of_ten(log_value)}{u}, larger than the largest "
                             f"floating-point number (1.8e308), so it cannot be given as a number; {fix}")
    if log_value < LOG_FLOAT_MIN:
        raise ParameterError(f"{what} is {_power_of_ten(log_value)}{u}, smaller than the smallest "
                             f"normal floating-point number (2.2e-308), so it cannot be given as a "
                             f"number; {fix}")
    return math.exp(log_value)


def _shape_fix(beta: float) -> str:
    return (f"shape = {beta!r} ({option('shape')}) raises the bound to the power 1/shape = {1.0 / beta:.6g}; "
            "check the assumed Weibull shape")


def count_arg(name: str, value: int) -> int:
    """check_count, with a number too large for a float refused instead of an OverflowError."""
    try:
        float(value)
    except OverflowError:
        digits = str(value)
        raise ParameterError(f"{name} = {digits[:20]}... ({len(digits)} digits) is too large; "
                             "give a whole number below 1e300") from None
    except (TypeError, ValueError):
        pass  # check_count says why
    return check_count(name, value)


def chi2_quantile(failures: int, confidence: float) -> float:
    """chi2.ppf(confidence, 2 * failures + 2), refused unless a finite positive number."""
    r = count_arg("failures", failures)
    q = float(stats.chi2.ppf(confidence, 2.0 * r + 2.0))
    if not (math.isfinite(q) and q > 0):
        raise ParameterError(
            f"the chi-square quantile chi2({confidence!r}, 2R+2) with R = failures = {r} cannot be "
            f"computed (got {q!r}); use fewer failures"
        )
    return q


def _lower_quantile(failures: int, confidence: float) -> float:
    """chi2.ppf((1 - C)/2, 2R) of a two-sided bound at C (0 with no failures)."""
    return 0.0 if failures == 0 else float(stats.chi2.ppf((1 - confidence) / 2, 2.0 * failures))


def rate_upper_bound(failures: int, device_hours: float, confidence: float = 0.95, *,
                     two_sided: bool = False) -> RateBound:
    """Upper bound on a constant failure rate from ``failures`` in ``device_hours`` (and with
    ``two_sided`` the lower bound too, each at (1 + C)/2)."""
    r = count_arg("failures", failures)
    t = check_positive("device_hours", device_hours)
    c = check_confidence(confidence)
    q = chi2_quantile(r, (1 + c) / 2 if two_sided else c)
    log_rate = math.log(q) - math.log(2.0) - math.log(t)
    fix = (f"check device_hours = {t!r} ({option('device_hours')}) and confidence = {c!r} "
           f"({option('confidence')}); "
           "the bound is chi2(C, 2R+2) / (2T)")
    from_log(log_rate, "the failure-rate upper bound", fix, unit="per hour")
    from_log(log_rate + math.log(FIT_HOURS), "the FIT upper bound", fix, unit="FIT")
    from_log(-log_rate, "the MTTF lower bound", fix, unit="hours")
    lower = _lower_quantile(r, c) / 2.0 / t if two_sided else None
    return RateBound(r, t, c, (q / 2.0) / t, lower)  # one division: exact to rounding, range checked above


def weibayes_scale_lower(
    times, failures: int, shape: float, confidence: float = 0.95, *, entry=None, counts=None,
    two_sided: bool = False,
) -> WeibayesBound:
    """Weibayes lower bound on the Weibull scale (hours) for an assumed ``shape``.

    ``times`` are every unit's age at failure or at the end of observation;
    ``entry`` the ages at which observation began (left truncation, default 0);
    ``counts`` how many units each time stands for; ``two_sided`` adds the upper bound (each
    bound at (1 + C)/2).
    """
    beta = check_positive("shape", shape)
    r = count_arg("failures", failures)
    c = check_confidence(confidence)
    t = np.asarray(times, dtype=float).ravel()
    if t.size == 0 or not np.all(np.isfinite(t)) or np.any(t <= 0):
        bad = t[~(np.isfinite(t) & (t > 0))] if t.size else t
        raise ParameterError(
            f"times must be finite ages > 0 hours; got {bad[:3].tolist() if bad.size else 'no times'}"
        )
    e = np.zeros_like(t) if entry is None else np.asarray(entry, dtype=float).ravel()
    n = np.ones_like(t) if counts is None else np.asarray(counts, dtype=float).ravel()
    for name, v in (("entry", e), ("counts", n)):
        if v.shape != t.shape:
            raise ParameterError(f"{name} has {v.size} values for {t.size} times; give one per time")
    bad_e = ~(np.isfinite(e) & (e >= 0) & (e <= t))
    if bad_e.any():
        i = int(np.flatnonzero(bad_e)[0])
        raise ParameterError(f"entry age {e[i]!r} for time {t[i]!r} must be finite, >= 0 and <= the time")
    bad_n = ~(np.isfinite(n) & (n >= 0))
    if bad_n.any():
        raise ParameterError(f"counts must be finite numbers >= 0; got {n[bad_n][:3].tolist()}")
    q = chi2_quantile(r, (1 + c) / 2 if two_sided else c)
    # each unit's exposure on the t**beta scale: t**beta - e**beta = t**beta * w with
    # w = 1 - (e/t)**beta = -expm1(beta ln(e/t)); all in logs, so nothing overflows
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_t = np.log(t)
        log_w = np.log(-np.expm1(beta * np.log(e / t)))
        log_n = np.log(n)
    live = (log_w > -np.inf) & (log_n > -np.inf)
    if not live.any():
        raise ParameterError("the units have no exposure (every age equals its entry age, or every "
                             "count is 0), so there is nothing to bound; check the file")
    m = float(np.max(log_t[live]))
    rel = log_n[live] + log_w[live] + beta * (log_t[live] - m)  # each <= ln n_i: no overflow
    big_l = float(special.logsumexp(rel))  # ln sum n_i w_i (t_i / t_max)**beta
    log_scale = m + (math.log(2.0) - math.log(q) + big_l) / beta
    upper = None
    if two_sided:
        q_lo = _lower_quantile(r, c)
        upper = math.inf if q_lo == 0 else m + (math.log(2.0) - math.log(q_lo) + big_l) / beta
    wb = WeibayesBound(beta, r, int(n.sum()), beta * m + big_l, c, log_scale, upper)
    scale = wb.scale_lower_hours  # refused here when not a float, so the properties then hold
    try:
        wb.mttf_lower_hours  # noqa: B018
        wb.scale_upper_hours  # noqa: B018
        wb.mttf_upper_hours  # noqa: B018
        wb.scale_hours  # noqa: B018
    except ParameterError as err:
        raise ParameterError(f"{err} (the Weibull scale lower bound itself is {scale:.6g} hours)") from None
    return wb


def weibayes_from_table(table: LifeTable, shape: float, confidence: float = 0.95, *,
                        two_sided: bool = False) -> WeibayesBound:
    """Weibayes on a LifeTable of exact failures and right-censored units."""
    d = table.data
    unknown = d["kind"].isin(("left", "interval"))
    if unknown.any():
        line = int(d.loc[unknown, "line"].iloc[0])
        raise ParameterError(
            f"Weibayes needs every unit's age (exact failures or running units); line {line} is "
            f"{d.loc[unknown, 'kind'].iloc[0]}-censored. Fit it with {option('fit', 'reliability.fitting.fit')} instead."
        )
    if len(d) == 0:
        raise ParameterError(f"the table has no units to bound; check the file and {option('component')}")
    return weibayes_scale_lower(
        d["lower"].to_numpy(), table.n_failures, shape, confidence,
        entry=d["entry"].to_numpy(), counts=d["count"].to_numpy(), two_sided=two_sided,
    )


def rate_bound_from_table(table: LifeTable, confidence: float = 0.95, *, two_sided: bool = False
                          ) -> RateBound:
    """Chi-square bound from a table's failures and device-hours (exact/right rows only)."""
    if not table.device_hours_known:
        raise ParameterError(
            "the table has left- or interval-censored rows, so its device-hours are not known; "
            f"use {option('bound', 'reliability.bounds.rate_upper_bound')} with {option('failures')} R and "
            f"{option('device_hours')} T, your own exposure figure"
        )
    return rate_upper_bound(table.n_failures, table.device_hours, confidence, two_sided=two_sided)


def bound_document(rate: RateBound | None, weibayes: WeibayesBound | None) -> dict[str, Any]:
    """The one JSON shape of `cpo bound` (keys not applying to the method are null)."""
    if rate is not None:
        lower = rate.rate_lower_per_hour
        return {
            "method": "chi-square",
            "confidence": rate.confidence,
            "sides": 2 if rate.two_sided else 1,
            "failures": rate.failures,
            "device_hours": rate.device_hours,
            "rate_upper_per_hour": rate.rate_upper_per_hour,
            "rate_lower_per_hour": lower,
            "fit_upper": rate.fit_upper,
            "fit_lower": None if lower is None else lower * FIT_HOURS,
            "fit_estimate": rate.point_fit,
            "mttf_lower_hours": rate.mttf_lower_hours,
            "mttf_upper_hours": rate.mttf_upper_hours,
            "shape": None,
            "scale_hours": None,
            "scale_lower_hours": None,
            "scale_upper_hours": None,
            "n_units": None,
        }
    assert weibayes is not None
    return {
        "method": "weibayes",
        "confidence": weibayes.confidence,
        "sides": 2 if weibayes.two_sided else 1,
        "failures": weibayes.failures,
        "device_hours": None,
        "rate_upper_per_hour": None,
        "rate_lower_per_hour": None,
        "fit_upper": None,
        "fit_lower": None,
        "fit_estimate": None,
        "mttf_lower_hours": weibayes.mttf_lower_hours,
        "mttf_upper_hours": weibayes.mttf_upper_hours,
        "shape": weibayes.shape,
        "scale_hours": weibayes.scale_hours,
        "scale_lower_hours": weibayes.scale_lower_hours,
        "scale_upper_hours": weibayes.scale_upper_hours,
        "n_units": weibayes.n_units,
    }
