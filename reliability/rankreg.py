"""Median-rank regression: the probability-plot fit of Weibull++ and Abernethy practice.

Maximum likelihood stays the default (`reliability.fitting.fit`); this is for engineers who
compare with Weibull++/Abernethy numbers (Abernethy, *The New Weibull Handbook*, 5th ed., ch. 2
and 5).

* Plotting positions: median ranks by Benard's approximation, ``F = (j - 0.3) / (n + 0.4)``,
  with Johnson's adjusted ranks for suspensions (right-censored units): in age order (failures
  before suspensions at a tie), each failure's rank is ``j = j_prev + (n + 1 - j_prev) / (1 + m)``
  with ``m`` the number of units at or beyond it (its reverse rank); ``j_prev`` starts at 0.
* The line on the family's probability paper, ``y = paper(F)`` against ``x = ln t``:
  ``rrx`` regresses x on y (X on Y, Abernethy's recommendation: the times carry the scatter, the
  ranks are fixed; Weibull++ "RRX"), ``rry`` y on x (Weibull++ "RRY", what a spreadsheet's trend
  line does). Either way the line ``x = a + b y`` gives the parameters: Weibull and log-logistic
  ``scale = exp(a)``, ``shape = 1/b``; lognormal ``mu = a``, ``sigma = b``; exponential (slope 1
  on Weibull paper) ``scale = exp(mean(x - y))``.

Only exact failures and right-censored units have ranks: interval-, left-censored or late-entry
data are refused (fit them by maximum likelihood). Rank regression has no likelihood interval:
the result's intervals are empty (``interval_method = "none"``) and its log-likelihood is the
likelihood's value at the regression's estimates, for comparison with the MLE.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from failure_data.errors import option
from reliability.errors import FitError, ParameterError
from reliability.families import FAMILIES
from reliability.fitting import Distribution, FitResult, _provenance, refuse_unfittable
from reliability.models import LifeModel
from reliability.records import GroupedRecords, group_records

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

BENARD = 0.3
"""Benard's approximation of the median rank: F = (j - 0.3)/(n + 0.4)."""

METHODS = {"rrx": "median-rank regression, X (ln t) on Y (Abernethy; Weibull++ RRX)",
           "rry": "median-rank regression, Y on X (ln t) (Weibull++ RRY)"}
NO_INTERVALS = "none"

LINES: dict[str, Callable[[float, float], dict[str, float]]] = {
    "weibull": lambda a, b: {"shape": 1.0 / b, "scale": math.exp(a)},
    "loglogistic": lambda a, b: {"shape": 1.0 / b, "scale": math.exp(a)},
    "lognormal": lambda a, b: {"mu": a, "sigma": b},
    "exponential": lambda a, b: {"scale": math.exp(a)},
}
"""The parameters from the line x = a + b y on each family's probability paper."""


def median_ranks(rec: GroupedRecords) -> tuple[np.ndarray, np.ndarray]:
    """(failure ages, median-rank F) with Johnson's adjusted ranks; one point per failed unit."""
    if not rec.right_only or (rec.entry > 0).any():
        raise ParameterError(
            "rank regression needs every unit's age (exact failures and running units, no late "
            f"entry); this data has interval-, left-censored or late-entry rows: fit it by maximum "
            f"likelihood ({option('method')} mle)")
    age = np.where(rec.exact, rec.upper, rec.lower)
    order = np.lexsort((~rec.exact, age))  # by age, failures first at a tie
    n = float(rec.weight.sum())
    before, j = 0.0, 0.0
    times, ranks = [], []
    for i in order:
        k = int(round(rec.weight[i]))
        if rec.exact[i]:
            for _ in range(k):
                m = n - before  # units at or beyond this one, itself included
                j += (n + 1.0 - j) / (1.0 + m)
                times.append(age[i])
                ranks.append(j)
                before += 1
        else:
            before += rec.weight[i]
    return np.array(times), (np.array(ranks) - BENARD) / (n + 1 - 2 * BENARD)


def regression_line(x: np.ndarray, y: np.ndarray, method: str, slope: float | None = None
                    ) -> tuple[float, float, float]:
    """(a, b, r^2) of the line x = a + b y, by ``rrx`` (x on y) or ``rry`` (y on x); with a fixed
    ``slope`` b only the intercept is fitted (the same either way)."""
    if slope is not None:
        a = float(np.mean(x - slope * y))
        b = slope
    elif method == "rrx":
        b, a = np.polyfit(y, x, 1)
    else:
        m, c = np.polyfit(x, y, 1)  # y = m x + c, i.e. x = -c/m + y/m
        a, b = -c / m, 1.0 / m
    r = np.corrcoef(x, y)[0, 1] if len(x) > 1 and np.ptp(x) > 0 and np.ptp(y) > 0 else math.nan
    return float(a), float(b), float(r * r)


def fit_rank_regression(table: LifeTable, dist: Distribution | str = "weibull", method: str = "rrx", *,
                        confidence: float = 0.95, extra_provenance: Mapping[str, Any] | None = None
                        ) -> FitResult:
    """Median-rank regression fit of ``dist`` (weibull, lognormal, loglogistic, exponential)."""
    from reliability.likelihood import Records, log_likelihood

    dist = Distribution.parse(dist)
    if method not in METHODS:
        raise ParameterError(f"rank-regression method {method!r} is not known; use one of {', '.join(METHODS)}")
    if dist.value not in LINES:
        raise ParameterError(f"rank regression takes {option('dist')} {', '.join(LINES)}, not {dist.value!r}; "
                             f"fit it by maximum likelihood ({option('method')} mle)")
    rec = group_records(table)
    refuse_unfittable(table, rec)
    t, f = median_ranks(rec)
    fam = FAMILIES[dist.value]
    one_parameter = len(fam.params) == 1
    if len(t) < (1 if one_parameter else 2) or (not one_parameter and np.ptp(t) == 0):
        raise FitError(f"rank regression of a {dist.value} needs failures at two ages at least; "
                       f"fit it by maximum likelihood ({option('method')} mle) or bound the rate "
                       f"({option('bound', 'reliability.bounds')})")
    x, y = np.log(t), fam.paper.to_y(f)
    a, b, r2 = regression_line(x, y, method, slope=1.0 if one_parameter else None)
    if not b > 0:
        raise FitError(f"the rank-regression line has slope {b:.4g} on {fam.paper.label} paper: no "
                       f"{dist.value} follows the data; fit it by maximum likelihood instead")
    params = LINES[dist.value](a, b)
    ll = log_likelihood(dist.value, params, Records(rec.lower, rec.upper, rec.entry, rec.weight))
    extra = {"method": METHODS[method], "r_squared": r2, "plotting_positions": "Benard median ranks, "
             "Johnson's adjusted ranks for suspensions", "interval_method": NO_INTERVALS,
             **(extra_provenance or {})}
    prov = _provenance(table, dist, rec, {})
    prov.update(extra)
    model = LifeModel(dist.value, params, confidence=confidence, provenance=prov)
    nan = math.nan
    summary = pd.DataFrame([(k, params[k], nan, nan, nan, fam.units[k]) for k in fam.params],
                           columns=["parameter", "estimate", "se", "lower", "upper", "unit"]).set_index("parameter")
    k = len(params)
    result = FitResult(distribution=dist, model=model, summary=summary, log_likelihood=ll, aic=2 * k - 2 * ll,
                       converged=True, n_units=rec.n_units, n_failures=rec.n_failures, n_records=len(rec),
                       confidence=confidence, interval_method=NO_INTERVALS, optimizer=METHODS[method],
                       table=table)
    ranking = pd.DataFrame([{"distribution": dist.value, "n_parameters": k, "log_likelihood": ll,
                             "aic": result.aic, "delta_aic": 0.0, "converged": True, "message": ""}])
    return result.with_ranking(ranking)
