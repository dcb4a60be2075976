"""Grouped life records: the distinct ``(lower, upper, entry)`` rows of a LifeTable with their
summed counts, the form every fit and nonparametric estimate works on (a million-unit fleet
costs what its distinct records cost)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from failure_data.errors import option
from reliability.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable


@dataclass(frozen=True)
class GroupedRecords:
    """Distinct ``(lower, upper, entry)`` records of a LifeTable with their summed counts."""

    lower: np.ndarray
    upper: np.ndarray
    entry: np.ndarray
    weight: np.ndarray

    @property
    def exact(self) -> np.ndarray:
        return self.lower == self.upper

    @property
    def right_only(self) -> bool:
        """Only exact failures and right-censored rows (entry allowed)."""
        return bool(np.all(self.exact | np.isinf(self.upper)))

    @property
    def n_exact(self) -> float:
        return float(self.weight[self.exact].sum())

    def __len__(self) -> int:
        return len(self.lower)

    def scaled(self, c: float) -> GroupedRecords:
        """Times divided by ``c``. A single distinct record is split into two half-weight copies
        (same likelihood): lifelines squeezes length-1 inputs to scalars and fails."""
        if len(self.lower) == 1:
            two = np.repeat
            return GroupedRecords(two(self.lower / c, 2), two(self.upper / c, 2), two(self.entry / c, 2),
                                  two(self.weight / 2.0, 2))
        return GroupedRecords(self.lower / c, self.upper / c, self.entry / c, self.weight)

    def typical_time(self) -> float:
        """Exposure per failure (the exponential MLE for exact/right data): a time unit in which
        the optimum sits near 1, so lifelines' optimiser is well scaled."""
        t = np.where(np.isinf(self.upper), self.lower,
                     np.where(self.lower > 0, 0.5 * (self.lower + self.upper), self.upper))
        exposure = float(np.sum(self.weight * np.maximum(t - self.entry, 0.0)))
        failures = self.n_failures
        if failures > 0 and exposure > 0:
            return exposure / failures
        ok = t > 0
        return float(np.exp(np.average(np.log(t[ok]), weights=self.weight[ok]))) if ok.any() else 1.0

    # facts about the data, computed on the distinct records (cheap for a million-unit table)
    @property
    def n_units(self) -> int:
        return int(self.weight.sum())

    @property
    def n_failures(self) -> int:
        return int(self.weight[np.isfinite(self.upper)].sum())

    @property
    def device_hours(self) -> float:
        """Observed hours of exact and right-censored records, from entry (as LifeTable.device_hours)."""
        known = self.exact | np.isinf(self.upper)
        return float(np.sum(((self.lower - self.entry) * self.weight)[known]))

    def units_by_kind(self) -> dict[str, int]:
        right = np.isinf(self.upper)
        exact = self.exact
        left = (self.lower == 0) & ~right & ~exact
        interval = ~(right | exact | left)
        return {k: int(self.weight[m].sum()) for k, m in
                (("exact", exact), ("right", right), ("left", left), ("interval", interval))}

    @property
    def n_left_truncated(self) -> int:
        return int(self.weight[self.entry > 0].sum())


def group_records(table: LifeTable) -> GroupedRecords:
    """Group identical ``(lower, upper, entry)`` rows, summing ``count``; sorted by
    ``(lower, upper, entry)``."""
    d = table.data
    fast = _group_exact_right(d["lower"].to_numpy(), d["upper"].to_numpy(), d["entry"].to_numpy(),
                              d["count"].to_numpy())
    if fast is not None:
        return fast
    g = (
        d[["lower", "upper", "entry", "count"]]
        .groupby(["lower", "upper", "entry"], sort=True, observed=True)["count"]
        .sum()
    )
    idx = g.index
    return GroupedRecords(
        lower=idx.get_level_values(0).to_numpy(dtype=float),
        upper=idx.get_level_values(1).to_numpy(dtype=float),
        entry=idx.get_level_values(2).to_numpy(dtype=float),
        weight=g.to_numpy(dtype=float),
    )


def _group_exact_right(lower: np.ndarray, upper: np.ndarray, entry: np.ndarray, count: np.ndarray
                       ) -> GroupedRecords | None:
    """The usual field log (exact failures and right-censoring, no late entry) grouped in one
    pass: a record is then its age and whether it is censored, so the ages are factorised once
    and the counts summed by ``2 * age rank + censored`` (exact before censored at the same age,
    the order of the general grouping). A million rows take a few hundredths of a second and a
    few MB, against a tenth of a second and ~50 MB for a three-column groupby. None when the
    records are of another kind."""
    import pandas as pd

    right = np.isinf(upper)
    if entry.any() or not np.all(right | (upper == lower)):
        return None
    codes, ages = pd.factorize(lower, sort=True)
    codes *= 2
    codes += right
    weight = np.bincount(codes, weights=count, minlength=2 * len(ages))
    used = np.flatnonzero(weight)
    age = np.asarray(ages, dtype=float)[used // 2]
    censored = (used % 2).astype(bool)
    return GroupedRecords(lower=age, upper=np.where(censored, np.inf, age), entry=np.zeros(len(used)),
                          weight=weight[used])


def select_component(table: LifeTable, component: str | None) -> LifeTable:
    """The rows of one component; a name that matches nothing is refused, naming those that exist."""
    if component is None:
        return table
    if "component" not in table.data.columns:
        raise ParameterError(
            f"{option('component')} {component!r} was given but the data has no 'component' column; "
            f"its columns are {table.covariate_columns}"
        )
    sub = table.select(component=component)
    if sub.n_units == 0:
        names = sorted({str(v) for v in table.data["component"].dropna().unique()})
        raise ParameterError(f"component {component!r} matches no rows; the components are {names}")
    return sub
