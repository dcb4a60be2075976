"""Nonparametric estimates: Kaplan-Meier (with weights and late entry) and Turnbull (interval data).

Both return a pandas DataFrame with columns ``time`` (hours), ``survival``,
``lower``, ``upper`` (pointwise confidence band of the survival function),
``events`` (units failing at that age; NaN for Turnbull, whose failures are
interval-censored) and ``method``.

* Kaplan-Meier: lifelines ``KaplanMeierFitter`` on the grouped records with
  ``weights=`` and ``entry=``; the band is lifelines' exponential Greenwood
  ("log-log") interval.
* Turnbull: lifelines' NPMLE (``KaplanMeierFitter.fit_interval_censoring``). The
  NPMLE is only defined up to where the mass sits inside each Turnbull interval;
  ``survival`` is the right-continuous estimate at the interval ends. The band
  is a percentile bootstrap over the grouped records (multinomial resampling of
  the counts, ``n_boot`` replicates from an explicit seed); each replicate is a
  full EM fit, so the band costs ``n_boot`` times the estimate (``n_boot=0``
  skips it: lower/upper are then NaN).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliability._checks import check_confidence
from reliability.errors import ParameterError
from reliability.records import GroupedRecords, group_records

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

COLUMNS = ["time", "survival", "lower", "upper", "events", "method"]


def kaplan_meier(table: LifeTable, *, confidence: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier estimate for exact and right-censored rows (left truncation honoured)."""
    confidence = check_confidence(confidence)
    return _km(_right_only(table, "Kaplan-Meier"), confidence)


def _right_only(table: LifeTable, method: str) -> GroupedRecords:
    """The grouped records, refused unless every row is exact or right-censored."""
    rec = group_records(table)
    if not rec.right_only:
        raise ParameterError(
            f"{method} needs exact or right-censored rows; this table has left- or "
            "interval-censored rows: use turnbull()"
        )
    return rec


def _fit_counting(fitter, rec: GroupedRecords):
    """Fit a lifelines counting-process estimator (KM, Nelson-Aalen) to grouped records,
    with weights and late entry; lifelines' warnings about weights are expected here."""
    t = np.where(rec.exact, rec.upper, rec.lower)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(t, rec.exact, entry=rec.entry if (rec.entry > 0).any() else None,
                   weights=rec.weight)
    return fitter


def _km(rec: GroupedRecords, confidence: float) -> pd.DataFrame:
    from lifelines import KaplanMeierFitter

    kmf = _fit_counting(KaplanMeierFitter(alpha=1 - confidence), rec)
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_survival_function_
    out = pd.DataFrame({
        "time": sf.index.to_numpy(dtype=float),
        "survival": sf.to_numpy(dtype=float),
        "lower": ci.iloc[:, 0].to_numpy(dtype=float),
        "upper": ci.iloc[:, 1].to_numpy(dtype=float),
    })
    ev = kmf.event_table["observed"].reindex(sf.index).fillna(0.0)
    out["events"] = ev.to_numpy(dtype=float)
    out["method"] = "kaplan-meier"
    return out[out["time"] > 0].reset_index(drop=True)[COLUMNS]


def nelson_aalen(table: LifeTable, *, confidence: float = 0.95) -> pd.DataFrame:
    """Nelson-Aalen cumulative hazard H(t) = sum d_i / n_i (exact/right rows, weights, late entry).

    Columns ``time``, ``cumulative_hazard``, ``lower``, ``upper`` (lifelines' log-transformed
    pointwise interval), ``events``.
    """
    from lifelines import NelsonAalenFitter

    confidence = check_confidence(confidence)
    rec = _right_only(table, "Nelson-Aalen")
    # d/n, no tie smoothing
    naf = _fit_counting(NelsonAalenFitter(alpha=1 - confidence, nelson_aalen_smoothing=False), rec)
    h = naf.cumulative_hazard_.iloc[:, 0]
    ci = naf.confidence_interval_
    out = pd.DataFrame({
        "time": h.index.to_numpy(dtype=float),
        "cumulative_hazard": h.to_numpy(dtype=float),
        "lower": ci.iloc[:, 0].to_numpy(dtype=float),
        "upper": ci.iloc[:, 1].to_numpy(dtype=float),
        "events": naf.event_table["observed"].reindex(h.index).fillna(0.0).to_numpy(dtype=float),
    })
    return out[out["time"] > 0].reset_index(drop=True)


def _npmle_sf(lower: np.ndarray, upper: np.ndarray, weight: np.ndarray, grid: np.ndarray,
              tol: float = 1e-8) -> np.ndarray:
    from lifelines.fitters.npmle import npmle, reconstruct_survival_function

    keep = weight > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(0) inside lifelines' EM bookkeeping
        res = npmle(lower[keep], upper[keep], weights=weight[keep], tol=tol)
    sf = reconstruct_survival_function(*res, grid, label="s")
    # two columns: the estimate just before / at the Turnbull interval ends; take the lower envelope
    return sf.loc[grid].to_numpy(dtype=float).min(axis=1)


def turnbull(
    table: LifeTable, *, confidence: float = 0.95, n_boot: int = 50, seed: int = 20240601
) -> pd.DataFrame:
    """Turnbull NPMLE of the survival function for any mix of exact, right, left, interval rows."""
    confidence = check_confidence(confidence)
    rec = group_records(table)
    if (rec.entry > 0).any():
        raise ParameterError(
            "the Turnbull estimate here does not handle late entry (left truncation); "
            f"{int((rec.weight[rec.entry > 0]).sum())} units entered late"
        )
    # lifelines' NPMLE takes closed intervals; ours are (lower, upper]: open them at lower
    lower = np.where(rec.exact, rec.lower, np.nextafter(rec.lower, np.inf) * (1 + 1e-12))
    upper = np.where(np.isinf(rec.upper), np.inf, rec.upper)
    grid = np.unique(np.concatenate([rec.lower[rec.lower > 0], upper[np.isfinite(upper)]]))
    est = _npmle_sf(lower, upper, rec.weight, grid)
    lo = np.full_like(est, np.nan)
    hi = np.full_like(est, np.nan)
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        n = int(rec.weight.sum())
        p = rec.weight / rec.weight.sum()
        draws = np.empty((n_boot, grid.size))
        for b in range(n_boot):
            w = rng.multinomial(n, p).astype(float)
            draws[b] = _npmle_sf(lower, upper, w, grid, tol=1e-6)
        a = (1 - confidence) / 2
        lo, hi = np.quantile(draws, [a, 1 - a], axis=0)
    out = pd.DataFrame({"time": grid, "survival": est, "lower": lo, "upper": hi, "events": np.nan})
    out["method"] = "turnbull"
    return out[COLUMNS]


def nonparametric(table: LifeTable, *, confidence: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier for exact/right data, Turnbull otherwise."""
    rec = group_records(table)
    if rec.right_only:
        return _km(rec, check_confidence(confidence))
    return turnbull(table, confidence=confidence)
