"""A Weibull fit with a known (assumed) shape when there are failures: Weibayes with failures.

With the shape beta known, t^beta is exponential with mean scale^beta, so the maximum-likelihood
scale is closed form, ``(sum (t^beta - entry^beta) / r)^(1/beta)`` over every unit (r failures),
and ``2 sum t^beta / scale^beta`` is chi-square: the two-sided interval on the scale is
``(2 sum / chi2((1+C)/2, 2r+2))^(1/beta)`` to ``(2 sum / chi2((1-C)/2, 2r))^(1/beta)``
(Abernethy, *The New Weibull Handbook*, ch. 6; Nelson 1982, ch. 8), the chi-square bounds of
`reliability.bounds` (``cpo bound FILE --shape BETA --two-sided``). Every B-life, the MTTF and a
reliability at a time grow with the scale at a fixed shape, so their intervals are theirs at the
scale's bounds: exact, not approximations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from reliability.bounds import weibayes_from_table
from reliability.errors import ParameterError
from reliability.families import FAMILIES
from reliability.fitting import Distribution, FitResult, _provenance, refuse_unfittable
from reliability.models import LifeModel
from reliability.profile import QUANTITY_COLUMNS, Intervals, default_quantities
from reliability.records import group_records

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

METHOD = "weibayes-chi-square"


def fit_weibayes(table: LifeTable, shape: float, *, confidence: float = 0.95,
                 quantiles: Sequence[float] = (), at_hours: Sequence[float] = (),
                 extra_provenance: Mapping[str, Any] | None = None) -> tuple[FitResult, Intervals]:
    """The Weibull with ``shape`` fixed and its scale fitted, with exact chi-square intervals."""
    from reliability.likelihood import Records, log_likelihood

    rec = group_records(table)
    refuse_unfittable(table, rec)  # zero failures: `cpo bound --shape` gives the one-sided bound
    wb = weibayes_from_table(table, shape, confidence, two_sided=True)
    scale, lo, hi = wb.scale_hours, wb.scale_lower_hours, wb.scale_upper_hours
    if scale is None:  # pragma: no cover  (refuse_unfittable refused zero failures)
        raise ParameterError("Weibayes with failures needs a failure")
    params = {"shape": float(shape), "scale": scale}
    ll = log_likelihood("weibull", params, Records(rec.lower, rec.upper, rec.entry, rec.weight))
    fam = FAMILIES["weibull"]
    prov = _provenance(table, Distribution.weibull, rec, {})
    prov.update({"method": f"Weibayes: Weibull with the shape assumed ({shape:g}), scale by maximum "
                 "likelihood (closed form)", "interval_method": METHOD, "assumed_shape": float(shape),
                 **(extra_provenance or {})})
    model = LifeModel("weibull", params, confidence=confidence, provenance=prov)
    summary = pd.DataFrame([("shape", float(shape), 0.0, float(shape), float(shape), "-"),
                            ("scale", scale, math.nan, lo, hi, fam.units["scale"])],
                           columns=["parameter", "estimate", "se", "lower", "upper", "unit"]).set_index("parameter")
    result = FitResult(distribution=Distribution.weibull, model=model, summary=summary, log_likelihood=ll,
                       aic=2 - 2 * ll, converged=True, n_units=rec.n_units, n_failures=rec.n_failures,
                       n_records=len(rec), confidence=confidence, interval_method=METHOD,
                       optimizer="closed form (shape assumed)", table=table)
    ranking = pd.DataFrame([{"distribution": "weibull", "n_parameters": 1, "log_likelihood": ll,
                             "aic": result.aic, "delta_aic": 0.0, "converged": True, "message": ""}])
    rows = []
    for q in default_quantities(quantiles, at_hours):
        at = [q.of(fam, {"shape": float(shape), "scale": s}) if math.isfinite(s) else
              (1.0 if q.kind == "reliability" else math.inf) for s in (scale, lo, hi)]
        rows.append((q.name, q.kind, None if math.isnan(q.value) else q.value, *at, q.unit,
                     bool(math.isfinite(hi))))
    return result.with_ranking(ranking), Intervals(METHOD, confidence, summary,
                                                   pd.DataFrame(rows, columns=QUANTITY_COLUMNS))
