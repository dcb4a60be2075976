"""Data no parametric fit can be made to, refused with the reason and the fix: no failures
(bound the rate instead), or ages too large to compute with (a wrong time unit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from failure_data.errors import option
from reliability.errors import FitError

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable
    from reliability.records import GroupedRecords


def refuse_zero_failures(table: LifeTable, rec: GroupedRecords | None = None) -> None:
    facts = table if rec is None else rec
    if facts.n_failures == 0:
        raise FitError(
            f"the data has 0 failures among {facts.n_units:,} units: a parametric fit cannot be made "
            "(the likelihood has no optimum). Bound the failure rate instead: "
            f"{option('bound', 'reliability.bounds.rate_upper_bound')} with {option('failures')} 0 and "
            f"{option('device_hours')} {facts.device_hours:.6g}, or with an assumed Weibull shape, "
            f"{option('bound', 'reliability.bounds.weibayes_from_table')} with {option('shape')} BETA "
            "(Weibayes)."
        )


MAX_AGE_HOURS = 1e150
"""Ages a fit computes with: its covariance holds the scale squared, which overflows a float
above about 1e154 h (and no field log has ages of 1e146 years)."""


def refuse_unfittable(table: LifeTable, rec: GroupedRecords | None = None) -> None:
    """Refuse, with the reason and the fix, data no parametric fit can be made to: no failures
    (bound the rate instead), or ages too large to compute with (a wrong time unit)."""
    refuse_zero_failures(table, rec)
    lower, upper = table.data["lower"].to_numpy(float), table.data["upper"].to_numpy(float)
    top = max(float(lower.max(initial=0.0)), float(upper[np.isfinite(upper)].max(initial=0.0)))
    if top > MAX_AGE_HOURS:
        raise FitError(
            f"ages reach {top:.3g} h ({top / 8766:.3g} years), more than a fit can compute with (its "
            f"covariance overflows above about {MAX_AGE_HOURS:g} h); check the time unit "
            f"({option('time_unit')}): ages are read as hours unless it says otherwise")
