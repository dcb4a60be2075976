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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

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

    @property
    def fit_upper(self) -> float:
        return self.rate_upper_per_hour * FIT_HOURS

    @property
    def mttf_lower_hours(self) -> float:
        return 1.0 / self.rate_upper_per_hour

    @property
    def point_fit(self) -> float:
        """R / T in FIT (the maximum-likelihood rate; 0 with zero failures)."""
        return self.failures / self.device_hours * FIT_HOURS


@dataclass(frozen=True)
class WeibayesBound:
    """Weibayes lower bound on the Weibull scale for an assumed shape."""

    shape: float
    failures: int
    n_units: int
    sum_t_beta: float
    confidence: float
    scale_lower_hours: float

    @property
    def mttf_lower_hours(self) -> float:
        return self.scale_lower_hours * math.gamma(1.0 + 1.0 / self.shape)


def chi2_quantile(failures: int, confidence: float) -> float:
    return float(stats.chi2.ppf(confidence, 2 * failures + 2))


def rate_upper_bound(failures: int, device_hours: float, confidence: float = 0.95) -> RateBound:
    """Upper bound on a constant failure rate from ``failures`` in ``device_hours``."""
    r = check_count("failures", failures)
    t = check_positive("device_hours", device_hours)
    c = check_confidence(confidence)
    return RateBound(r, t, c, chi2_quantile(r, c) / (2.0 * t))


def weibayes_scale_lower(
    times, failures: int, shape: float, confidence: float = 0.95, *, entry=None, counts=None
) -> WeibayesBound:
    """Weibayes lower bound on the Weibull scale (hours) for an assumed ``shape``.

    ``times`` are every unit's age at failure or at the end of observation;
    ``entry`` the ages at which observation began (left truncation, default 0);
    ``counts`` how many units each time stands for.
    """
    beta = check_positive("shape", shape)
    r = check_count("failures", failures)
    c = check_confidence(confidence)
    t = np.asarray(times, dtype=float)
    if t.size == 0 or not np.all(np.isfinite(t)) or np.any(t <= 0):
        bad = t[~(np.isfinite(t) & (t > 0))] if t.size else t
        raise ParameterError(
            f"times must be finite ages > 0 hours; got {bad[:3].tolist() if bad.size else 'no times'}"
        )
    e = np.zeros_like(t) if entry is None else np.asarray(entry, dtype=float)
    n = np.ones_like(t) if counts is None else np.asarray(counts, dtype=float)
    s = float(np.sum(n * (t**beta - e**beta)))
    scale = (2.0 * s / chi2_quantile(r, c)) ** (1.0 / beta)
    return WeibayesBound(beta, r, int(n.sum()), s, c, scale)


def weibayes_from_table(table: LifeTable, shape: float, confidence: float = 0.95) -> WeibayesBound:
    """Weibayes on a LifeTable of exact failures and right-censored units."""
    d = table.data
    unknown = d["kind"].isin(("left", "interval"))
    if unknown.any():
        line = int(d.loc[unknown, "line"].iloc[0])
        raise ParameterError(
            f"Weibayes needs every unit's age (exact failures or running units); line {line} is "
            f"{d.loc[unknown, 'kind'].iloc[0]}-censored. Fit it with `cpo fit` instead."
        )
    if len(d) == 0:
        raise ParameterError("the table has no units to bound; check the file and --component")
    return weibayes_scale_lower(
        d["lower"].to_numpy(), table.n_failures, shape, confidence,
        entry=d["entry"].to_numpy(), counts=d["count"].to_numpy(),
    )


def rate_bound_from_table(table: LifeTable, confidence: float = 0.95) -> RateBound:
    """Chi-square bound from a table's failures and device-hours (exact/right rows only)."""
    if not table.device_hours_known:
        raise ParameterError(
            "the table has left- or interval-censored rows, so its device-hours are not known; "
            "use `cpo bound --failures R --device-hours T` with your own exposure figure"
        )
    return rate_upper_bound(table.n_failures, table.device_hours, confidence)


def bound_document(rate: RateBound | None, weibayes: WeibayesBound | None) -> dict[str, Any]:
    """The one JSON shape of `cpo bound` (keys not applying to the method are null)."""
    if rate is not None:
        return {
            "method": "chi-square",
            "confidence": rate.confidence,
            "failures": rate.failures,
            "device_hours": rate.device_hours,
            "rate_upper_per_hour": rate.rate_upper_per_hour,
            "fit_upper": rate.fit_upper,
            "mttf_lower_hours": rate.mttf_lower_hours,
            "shape": None,
            "scale_lower_hours": None,
            "n_units": None,
        }
    assert weibayes is not None
    return {
        "method": "weibayes",
        "confidence": weibayes.confidence,
        "failures": weibayes.failures,
        "device_hours": None,
        "rate_upper_per_hour": None,
        "fit_upper": None,
        "mttf_lower_hours": weibayes.mttf_lower_hours,
        "shape": weibayes.shape,
        "scale_lower_hours": weibayes.scale_lower_hours,
        "n_units": weibayes.n_units,
    }
