"""Competing failure modes: each cause fitted with the other causes' failures as censored.

A log with a ``mode`` column (the cause of each failure: laser wear-out, driver, fibre attach)
describes units that fail by the first of several independent modes. Under independence the
likelihood of the modes factorises (Meeker & Escobar 1998, §15.2; Nelson 1982, ch. 5): mode m's
own fit sees its failures as failures and every other failure as a unit still free of mode m,
censored at its age (a failure known only to lie in (a, b] is censored at a). Each mode is then
any family with every censoring kind the log holds; the unit's life is the minimum, its survival
the product S(t) = prod_m S_m(t), and each mode's life is saved on its own, so a fleet scenario
gets one component per mode (the ELS and ELS wear-out components of the built-ins are this split).

Dead-on-arrival units keep their mode: read as a dated log's first-day failures, or as a share
per mode beside its law (``reliability.doa``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from failure_data.errors import option
from reliability.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable

MODE_COLUMN = "mode"
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class CompetingFit:
    """One fit per mode (``fits``: mode -> FitResult), the unit's life being their minimum."""

    fits: Mapping[str, Any]

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(self.fits)

    def sf(self, t):
        """Survival of the unit: the product of the modes' survivals."""
        out = np.ones_like(np.asarray(t, dtype=float))
        for r in self.fits.values():
            out = out * np.asarray(r.model.sf(t), dtype=float)
        return out

    def cdf(self, t):
        return 1.0 - self.sf(t)

    def b_life(self, p: float) -> float:
        """Age by which a share ``p`` of units has failed of any mode (bisection in ln t)."""
        from reliability.laws import invert_cdf

        if not 0 < p < 1:
            raise ParameterError(f"b_life fraction p = {p!r} must be in (0, 1)")
        each = [r.model.b_life(p) for r in self.fits.values()]  # the minimum fails no later
        lo = min(r.model.b_life(1 - (1 - p) ** (1 / len(each))) for r in self.fits.values())
        hi = min(each)
        if not math.isfinite(hi):
            return math.inf
        return float(invert_cdf(lambda t: self.cdf(t), np.array(p), max(lo, 1e-300), hi))

    def to_dict(self) -> dict[str, Any]:
        return {"modes": {m: r.to_dict() for m, r in self.fits.items()},
                "b10_hours": _finite(self.b_life(0.10))}


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def mode_table(table: LifeTable, mode: str, column: str = MODE_COLUMN) -> LifeTable:
    """The table mode ``mode`` is fitted on: its failures kept, every other failure censored at the
    age it was last known free of this mode (exact: its age; in (a, b]: a; in (0, b]: 0, no
    exposure), dead-on-arrival units of other modes observed for no time."""
    from failure_data.table import LifeTable

    def recast(d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        other = (d["kind"] != "right").to_numpy() & (d[column].astype(object) != mode).to_numpy()
        d.loc[other, "upper"] = np.inf
        return d

    frames = [recast(table.data), recast(table.dead_on_arrival)]
    both = pd.concat(frames, ignore_index=True)
    covs = both.drop(columns=["lower", "upper", "entry", "count", "kind", "line"])
    out = LifeTable.from_intervals(both["lower"].to_numpy(float), both["upper"].to_numpy(float),
                                   entry=both["entry"].to_numpy(float), count=both["count"].to_numpy(),
                                   covariates=covs, provenance=table.provenance,
                                   lines=both["line"].to_numpy())
    return out


def modes_of(table: LifeTable, column: str = MODE_COLUMN) -> list[str]:
    """The failure modes of the log, refusing a failure without one (naming its lines)."""
    if column not in table.data.columns:
        raise ParameterError(
            f"{option('modes')} needs a '{column}' column giving each failure's cause (e.g. laser, "
            f"driver, fibre-attach); the log's columns are {table.covariate_columns}")
    both = pd.concat([table.data, table.dead_on_arrival], ignore_index=True)
    failed = both[both["kind"] != "right"]
    empty = failed[column].isna() | (failed[column].astype(str).str.strip() == "")
    if empty.any():
        lines = ", ".join(str(int(x)) for x in failed.loc[empty, "line"].head(5))
        raise ParameterError(
            f"{int(failed.loc[empty, 'count'].sum()):,} failure(s) have no {column} (file line(s) "
            f"{lines}{', ...' if empty.sum() > 5 else ''}): give each failure its cause, or "
            f"'unknown' for those not analysed (they are then a mode of their own)")
    names = sorted({str(v) for v in failed[column]})
    bad = [n for n in names if not SAFE_NAME.match(n)]
    if bad:
        raise ParameterError(f"{column} value {bad[0]!r} cannot name a saved life file: use letters, "
                             "digits, '-', '_' and '.', starting with a letter or digit")
    return names


def fit_modes(table: LifeTable, dist: str = "weibull", *, column: str = MODE_COLUMN,
              confidence: float = 0.95, doa: str = "auto", doa_hours: float | None = None,
              extra_provenance: Mapping[str, Any] | None = None) -> CompetingFit:
    """One maximum-likelihood fit per failure mode, the others' failures censored
    (:func:`mode_table`); ``dist`` (any family, or auto) for every mode."""
    from reliability.fitting import fit

    out = {}
    for m in modes_of(table, column):
        extra = {**(extra_provenance or {}), "failure_mode": m,
                 "method_modes": "competing risks: the other modes' failures censored"}
        out[m] = fit(mode_table(table, m, column), dist, confidence=confidence, doa=doa,
                     doa_hours=doa_hours, extra_provenance=extra)
    return CompetingFit(out)
