"""A fit per group in one run, and the likelihood-ratio test of a common shape across groups.

Each group (a value of a column of the file: component, mode, vendor, ...) is fitted on its own;
then one model with the groups' own time locations (scale or mu) and every other parameter
(the shape) common is fitted to all of them. Twice the difference of log-likelihoods,

    LR = 2 (sum_g LL_g - LL_common),

is chi-square with (k - 1) x (parameters - 1) degrees of freedom under the hypothesis that the
shapes are equal (Meeker & Escobar 1998, §17.4 and §8.5; Nelson 1982, ch. 12): a small p-value
says the groups age differently, not just at different rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from failure_data.errors import option
from reliability.errors import FitError, ParameterError
from reliability.families import FAMILIES
from reliability.fitting import Distribution, FitResult, _negative_ll, fit, from_theta, to_theta
from reliability.records import group_records

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

MAX_GROUPS = 50
"""More distinct values than this is not a grouping (a unit id, a date): refused."""


def check_column(table: LifeTable, column: str, flag: str) -> None:
    """Refuse a column that is not one of the file's own (the reader's ages, counts and line
    numbers are not), naming the columns there are."""
    if column not in table.covariate_columns:
        own = " (a column the reader makes from the ages and counts, not one of the file's)" if (
            column in table.data.columns) else ""
        hint = option("stress") if flag == "stress" else option("by")  # the hints, written out
        raise ParameterError(f"{hint} {column!r} is not a column of the file{own}; the file's "
                             f"columns are {table.covariate_columns or 'none'}")


@dataclass(frozen=True)
class CommonShape:
    """The common-shape model over the groups and its likelihood-ratio test."""

    parameters: dict[str, dict[str, float]]  # group -> parameters (the shape the same in each)
    log_likelihood: float
    lr_statistic: float
    df: int
    p_value: float


@dataclass(frozen=True)
class GroupFits:
    column: str
    fits: dict[str, FitResult | FitError]
    common: CommonShape | None
    why_no_test: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, intervals: dict[str, Any] | None = None) -> dict[str, Any]:
        groups = []
        for name, r in self.fits.items():
            if isinstance(r, FitError):
                groups.append({"group": name, "converged": False, "message": str(r)})
                continue
            entry = {"group": name, "converged": True, "n_units": r.n_units, "n_failures": r.n_failures,
                     "parameters": r.parameters, "intervals": r.intervals,
                     "interval_method": r.interval_method, "log_likelihood": r.log_likelihood,
                     "b10_hours": r.b10_hours, "mttf_hours": r.mttf_hours}
            groups.append(entry)
        c = self.common
        test = None if c is None else {
            "parameters": c.parameters, "log_likelihood": c.log_likelihood,
            "lr_statistic": c.lr_statistic, "df": c.df, "p_value": c.p_value,
        }
        return {"column": self.column, "groups": groups, "common_shape": test,
                "why_no_test": self.why_no_test or None}


def fit_by(table: LifeTable, column: str, dist: Distribution | str = "weibull", *,
           confidence: float = 0.95) -> GroupFits:
    """Fit ``dist`` to each value of ``column``, then the common-shape model and its LR test."""
    check_column(table, column, "by")
    dist = Distribution.parse(dist)
    values = table.data[column]
    distinct = list(values.dropna().unique())
    try:
        distinct.sort()  # numbers in their order (85 before 105), text alphabetically
    except TypeError:
        distinct.sort(key=str)
    names = list(dict.fromkeys(str(v) for v in distinct))
    if len(names) < 2:
        raise ParameterError(f"{option('by')} {column!r} has {len(names)} value(s) ({names}): a fit per "
                             "group needs two groups at least")
    if len(names) > MAX_GROUPS:
        raise ParameterError(f"{option('by')} {column!r} has {len(names):,} distinct values (more than "
                             f"{MAX_GROUPS}): it is not a grouping; name a column such as component or mode")
    missing = int(values.isna().sum())
    if missing:
        line = int(table.data.loc[values.isna(), "line"].iloc[0])
        raise ParameterError(f"{option('by')} {column!r} is empty on {missing:,} row(s) (first on line {line}); "
                             "fill it in so every unit belongs to a group")
    as_text = values.astype(str)
    subsets = {}
    for n in names:
        sub = table.data.loc[(as_text == n).to_numpy()].reset_index(drop=True)
        subsets[n] = type(table)(sub, table.dead_on_arrival.iloc[0:0], table.provenance)
    fits: dict[str, FitResult | FitError] = {}
    for n, sub in subsets.items():
        try:
            fits[n] = fit(sub, dist, confidence=confidence, extra_provenance={"group": f"{column}={n}"})
        except FitError as e:
            fits[n] = e
    fam = FAMILIES[dist.value]
    if len(fam.params) < 2:
        return GroupFits(column, fits, None, f"the {dist.value} has no shape parameter to hold in common")
    failed = [n for n, r in fits.items() if isinstance(r, FitError)]
    if failed:
        return GroupFits(column, fits, None, f"group(s) {', '.join(failed)} could not be fitted on their own")
    try:
        return GroupFits(column, fits, _common_shape(dist, subsets, fits))
    except FitError as e:
        return GroupFits(column, fits, None, str(e))


def _common_shape(dist: Distribution, subsets, fits) -> CommonShape:
    from reliability.likelihood import polish

    fam = FAMILIES[dist.value]
    loc = fam.params.index(fam._location_parameter.name)
    names = list(subsets)
    k = len(names)
    nlls = [_negative_ll(dist, group_records(subsets[n])) for n in names]
    thetas = [to_theta(dist, fits[n].parameters) for n in names]
    weights = np.array([max(fits[n].n_failures, 1) for n in names], dtype=float)
    common0 = np.average([np.delete(t, loc) for t in thetas], axis=0, weights=weights)
    x0 = np.concatenate([[t[loc] for t in thetas], common0])

    def split(x: np.ndarray) -> list[np.ndarray]:
        return [np.insert(x[k:], loc, x[i]) for i in range(k)]

    def nll(x: np.ndarray) -> float:
        total = 0.0
        for f, th in zip(nlls, split(x), strict=True):
            total += f(th)
            if not math.isfinite(total):
                return math.inf
        return total

    opt = polish(nll, [("the groups' own fits", x0)])
    if opt is None:
        raise FitError(f"the common-shape {dist.value} fit over the groups did not converge; the "
                       "groups' own fits are reported without the test")
    ll_common = -opt.nll
    ll_sep = sum(fits[n].log_likelihood for n in names)
    lr = max(2.0 * (ll_sep - ll_common), 0.0)  # the separate fits contain the common one
    df = (k - 1) * (len(fam.params) - 1)
    params = {n: from_theta(dist, th) for n, th in zip(names, split(opt.x), strict=True)}
    return CommonShape(params, ll_common, lr, df, float(stats.chi2.sf(lr, df)))
