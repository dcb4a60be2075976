"""Dead-on-arrival units as data: kept in the fit, never dropped.

A unit removed failed at age 0 (``LifeTable.dead_on_arrival``: zero duration) failed at or just
after installation. Two readings of it, both maximum likelihood:

* ``interval``: it failed in ``(0, H]``, H the log's resolution (a dated log counts whole days,
  so a removal on the installation day is a failure within its first 24 h); it joins the life
  table as a left-censored failure and the life law itself accounts for it (a mixture or a
  limited-failure-population fit then sees the early failures it is made for).
* ``atom``: a share ``d`` of new units fails at installation, a mass at age 0 beside the life law:
  F(t) = d + (1 - d) F0(t) (:class:`reliability.laws.ZeroInflated`). The likelihood factorises,
  ``d^k (1 - d)^(n - k) x L0(the others)``, so ``d = k / n`` (k dead of the n units observed from
  new; a unit that entered observation late survived its installation and says nothing on d)
  and F0 is the fit of the other units. Its interval is Clopper-Pearson's (exact binomial).

``auto`` reads a dated log by ``interval`` (its resolution is a day) and any other log by
``atom`` (a zero duration has no resolution to read). Units observed for no time that had not
failed (installed on the as-of date) carry no information and stay out of the fit, as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from failure_data.errors import option
from reliability.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

FitResult = Any  # reliability.fitting's (which imports this module)

DATED_RESOLUTION_HOURS = 24.0
"""A dated log's resolution: dates are days."""


class DOAReading(StrEnum):
    auto = "auto"
    interval = "interval"
    atom = "atom"


@dataclass(frozen=True)
class DeadOnArrival:
    """How a table's dead-on-arrival units were read: ``how`` (interval or atom), their count
    ``dead`` of ``installed`` units observed from new, and the interval's upper end ``hours``."""

    how: str
    dead: int
    installed: int
    hours: float | None = None

    @property
    def share(self) -> float:
        return self.dead / self.installed

    def interval(self, confidence: float) -> tuple[float, float]:
        """Clopper-Pearson (exact binomial) interval of the share at ``confidence``."""
        from scipy import stats

        k, n, a = self.dead, self.installed, 1.0 - confidence
        lo = 0.0 if k == 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
        hi = 1.0 if k == n else float(stats.beta.ppf(1 - a / 2, k + 1, n - k))
        return lo, hi

    def to_dict(self, confidence: float) -> dict[str, Any]:
        lo, hi = self.interval(confidence)
        return {"how": self.how, "dead": self.dead, "installed": self.installed, "hours": self.hours,
                "share": self.share, "interval": [lo, hi],
                "interval_method": "clopper-pearson" if self.how == "atom" else None}

    def text(self) -> str:
        if self.how == "interval":
            return (f"{self.dead:,} dead on arrival: fitted as failures in (0, {self.hours:g}] h")
        return (f"{self.dead:,} dead on arrival of {self.installed:,} new: a share {self.share:.4g} "
                "failing at installation, beside the law")


def read_dead_on_arrival(table: LifeTable, how: str | DOAReading = DOAReading.auto,
                         hours: float | None = None) -> tuple[LifeTable, DeadOnArrival | None]:
    """The table to fit and how its dead-on-arrival units were read (None: it has none).

    ``interval`` moves them into the life table as failures in ``(0, hours]`` (``hours``
    defaults to a dated log's day); ``atom`` leaves the table as it is and returns the count."""
    try:
        how = DOAReading(str(how))
    except ValueError:
        raise ParameterError(f"{option('doa')} {how!r} is not known; use one of "
                             f"{', '.join(m.value for m in DOAReading)}") from None
    if hours is not None and not (isinstance(hours, int | float) and math.isfinite(hours) and hours > 0):
        raise ParameterError(f"{option('doa_hours')} {hours!r} must be a number of hours > 0, e.g. 24")
    doa = table.dead_on_arrival
    dead_rows = doa.loc[doa["kind"] != "right"]
    k = int(dead_rows["count"].sum())
    if k == 0:
        if hours is not None:
            raise ParameterError(f"{option('doa_hours')} {hours:g} was given but the data has no unit "
                                 "dead on arrival (removed failed at age 0): remove it")
        return table, None
    dated = table.provenance.format == "dated"
    if how == DOAReading.auto:
        how = DOAReading.interval if (dated or hours is not None) else DOAReading.atom
    if how == DOAReading.atom:
        if hours is not None:
            raise ParameterError(f"{option('doa_hours')} is the end of the interval of the "
                                 f"interval reading; with {option('doa')} atom leave it out")
        d = table.data
        new = int(d.loc[d["entry"] == 0, "count"].sum())
        return table, DeadOnArrival("atom", k, k + new)
    if hours is None:
        if not dated:
            lines = ", ".join(str(int(x)) for x in dead_rows["line"].head(5))
            raise ParameterError(
                f"{k:,} unit(s) failed at age 0 (file line(s) {lines}); this log has no time resolution "
                f"to read them as failures within their first hours: give {option('doa_hours')} H "
                f"(failed in (0, H] hours), or {option('doa')} atom (a share failing at installation)")
        hours = DATED_RESOLUTION_HOURS
    from failure_data.table import LEFT, LifeTable, _kinds

    moved = dead_rows.copy()
    moved["lower"] = 0.0
    moved["upper"] = float(hours)
    moved["kind"] = _kinds(np.full(len(moved), LEFT, dtype=np.int8))
    data = pd.concat([table.data, moved[table.data.columns]], ignore_index=True)
    rest = doa.loc[doa["kind"] == "right"].reset_index(drop=True)
    return LifeTable(data, rest, table.provenance), DeadOnArrival("interval", k, k + int(
        table.data.loc[table.data["entry"] == 0, "count"].sum()), float(hours))


def read_for_fit(table: LifeTable, doa: str, hours: float | None, confidence: float,
                 extra: dict[str, Any] | None) -> tuple[LifeTable, DeadOnArrival | None, dict[str, Any] | None]:
    """What a fit reads: the table to fit, how its dead-on-arrival units were read, and the
    provenance to record (``extra`` with the reading)."""
    table, dead = read_dead_on_arrival(table, doa, hours)
    if dead is not None:
        extra = {**(extra or {}), "dead_on_arrival": dead.to_dict(confidence)}
    return table, dead, extra


def attach(result: FitResult, dead: DeadOnArrival | None) -> FitResult:
    """The fit with an atom's share beside its law (:func:`with_atom`); as it is otherwise."""
    return with_atom(result, dead) if dead is not None and dead.how == "atom" else result


def with_atom(result: FitResult, doa: DeadOnArrival) -> FitResult:
    """``result`` (the fit of the other units) with the dead-on-arrival share beside its law: the
    model carries it (and its counts, so a fleet's parameter draws draw it), the summary a row,
    the log-likelihood its binomial term ``k ln d + (n - k) ln(1 - d)`` and the AIC one parameter."""
    k, n = doa.dead, doa.installed
    d = doa.share
    ll_atom = k * math.log(d) + ((n - k) * math.log1p(-d) if n > k else 0.0)
    model = replace(result.model, dead_on_arrival=d, dead_on_arrival_counts=(k, n),
                    provenance={**result.model.provenance, "dead_on_arrival": doa.to_dict(result.confidence)})
    lo, hi = doa.interval(result.confidence)
    row = pd.DataFrame([(d, math.sqrt(d * (1 - d) / n), lo, hi, "share")], index=["dead_on_arrival"],
                       columns=["estimate", "se", "lower", "upper", "unit"])
    row.index.name = result.summary.index.name
    summary = pd.concat([result.summary, row])
    return replace(result, model=model, summary=summary, log_likelihood=result.log_likelihood + ll_atom,
                   aic=result.aic + 2 - 2 * ll_atom, n_units=result.n_units + k, n_failures=result.n_failures + k)


def note(result: FitResult) -> str:
    """The summary's words on the dead-on-arrival units ("" without any)."""
    d = result.model.provenance.get("dead_on_arrival")
    if not d:  # a fit that does not read them (an accelerated-life fit) says they are left out
        n = result.model.provenance.get("n_dead_on_arrival", 0) or 0
        return f"  ({n:,} dead on arrival: not in the fit)" if n else ""
    return "  (" + DeadOnArrival(d["how"], d["dead"], d["installed"], d["hours"]).text() + ")"
