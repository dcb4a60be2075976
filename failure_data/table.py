"""The one validated container for life records: `LifeTable`.

Whatever shape a field log arrives in (durations, intervals, dated records,
grouped counts, late entry), it ends up here with hours as the time unit and an
explicit censoring kind per row:

=========  ==========================  =====================
kind       meaning                     lower, upper (hours)
=========  ==========================  =====================
exact      failed at a known age       t, t
right      still working at age t      t, inf
left       failed before age t         0, t
interval   failed between two ages     a, b   (0 < a < b)
=========  ==========================  =====================

``entry`` is the age at which observation began (left truncation, 0 = from new)
and ``count`` the number of identical units the row stands for (grouped data).
Dead-on-arrival units (zero duration) are never part of the life table: they
are kept apart in ``dead_on_arrival`` and counted in the summary.

Readers in :mod:`failure_data.readers` turn files into a LifeTable and report
problems with file line numbers; this class checks the finished arrays again
(cheaply, vectorised) so a LifeTable built by hand is as trustworthy as one read
from a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from failure_data.errors import DataValidationError, Problem

KINDS = ("exact", "right", "left", "interval")
EXACT, RIGHT, LEFT, INTERVAL = range(4)  # codes of the categorical ``kind`` column
CORE_COLUMNS = ("lower", "upper", "entry", "count", "kind", "line")


@dataclass(frozen=True)
class Provenance:
    """Where a table came from: enough to say which data a fit was made on."""

    path: str | None = None
    sha256: str | None = None
    format: str | None = None
    rows: int | None = None
    as_of: str | None = None
    time_unit: str = "hours"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, eq=False)
class LifeTable:
    """Validated life records, one row per record, times in hours.

    Build one with :meth:`from_durations` or :meth:`from_intervals` (or the
    readers); the constructor checks the frame it is given and refuses it with
    every problem listed.

    Attributes
    ----------
    data:
        Columns ``lower``, ``upper``, ``entry`` (float hours), ``count`` (int >= 1),
        ``kind`` (one of ``KINDS``), ``line`` (source line, header = 1, or row
        number + 2 for in-memory data) and any covariate columns
        (``unit_id``, ``component``, ``temperature_c``, ...), kept as given.
    dead_on_arrival:
        Rows with zero duration, same columns, never passed to a life fit: units
        that failed at age zero (dead on arrival, :attr:`n_dead_on_arrival`) and
        units observed for no time at all that had not failed (installed on the
        as-of date, say: :attr:`n_zero_exposure`).
    provenance:
        Source file, hash, format, row count.
    """

    data: pd.DataFrame
    dead_on_arrival: pd.DataFrame = field(default=None)  # type: ignore[assignment]
    provenance: Provenance = field(default_factory=Provenance)

    def __post_init__(self) -> None:
        data = _normalise(self.data)
        doa = self.dead_on_arrival
        doa = data.iloc[0:0].copy() if doa is None else _normalise(doa, allow_zero=True)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "dead_on_arrival", doa)

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_durations(
        cls,
        duration: Iterable[float],
        failed: Iterable[bool],
        *,
        entry: Iterable[float] | None = None,
        count: Iterable[int] | None = None,
        covariates: Mapping[str, Iterable[Any]] | pd.DataFrame | None = None,
        provenance: Provenance | None = None,
        lines: Iterable[int] | None = None,
    ) -> LifeTable:
        """Records of exact failure ages (``failed`` true) or right-censoring ages.

        Zero durations become dead-on-arrival units.
        """
        d = np.asarray(duration, dtype=float)
        f = np.asarray(failed)
        if f.dtype != bool:
            f = f.astype(float)
            bad = ~np.isin(f, (0.0, 1.0))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                line = i + 2 if lines is None else int(np.asarray(lines)[i])
                raise DataValidationError(
                    [Problem(line, "failed", str(f[i]), "must be 1/0 or true/false")]
                )
            f = f.astype(bool)
        upper = np.where(f, d, np.inf)
        kind = _kinds(np.where(f, np.int8(EXACT), np.int8(RIGHT)))
        return cls._split_doa(_columns(d, upper, kind, entry, count, covariates, lines), provenance)

    @classmethod
    def from_intervals(
        cls,
        lower: Iterable[float],
        upper: Iterable[float],
        *,
        entry: Iterable[float] | None = None,
        count: Iterable[int] | None = None,
        covariates: Mapping[str, Iterable[Any]] | pd.DataFrame | None = None,
        provenance: Provenance | None = None,
        lines: Iterable[int] | None = None,
    ) -> LifeTable:
        """Inspection records: failed in ``(lower, upper]``.

        ``lower == 0`` is left-censored; ``upper`` missing/inf is right-censored
        at ``lower``; ``lower == upper`` is an exact failure age.
        """
        lo = np.asarray(lower, dtype=float)
        hi = np.asarray(upper, dtype=float)
        hi = np.where(np.isnan(hi), np.inf, hi)
        kind = _kinds(np.select([np.isinf(hi), lo == hi, lo == 0], [RIGHT, EXACT, LEFT], INTERVAL))
        return cls._split_doa(_columns(lo, hi, kind, entry, count, covariates, lines), provenance)

    @classmethod
    def _split_doa(cls, columns: dict[str, Any], provenance: Provenance | None) -> LifeTable:
        """The records (from `_columns`: they may be the caller's arrays) split into the life table
        and the dead-on-arrival rows. Each column is copied once, straight into frames no one else
        holds, which are then checked in place: a million-row log is not copied three times over."""
        lower, upper = columns["lower"], columns["upper"]
        zero = (upper == 0) | ((columns["kind"].codes == RIGHT) & (lower == 0))
        if zero.any():
            data, doa = _frame(columns, ~zero), _frame(columns, zero)
        else:
            data, doa = _frame(columns, None), _frame(columns, zero)
        table = cls.__new__(cls)  # the frames are this call's own: checked without another copy
        object.__setattr__(table, "data", _normalise(data, copy=False))
        object.__setattr__(table, "dead_on_arrival", _normalise(doa, allow_zero=True, copy=False))
        object.__setattr__(table, "provenance", provenance or Provenance(rows=len(lower)))
        return table

    # ------------------------------------------------------------------ views
    @property
    def covariate_columns(self) -> list[str]:
        return [c for c in self.data.columns if c not in CORE_COLUMNS]

    @property
    def n_rows(self) -> int:
        return len(self.data)

    @property
    def n_units(self) -> int:
        """Units in the life table (sum of counts), dead-on-arrival excluded."""
        return int(self.data["count"].sum())

    @property
    def n_failures(self) -> int:
        """Failed units (exact, left- and interval-censored), dead-on-arrival excluded."""
        return int(self.data.loc[self.data["kind"] != "right", "count"].sum())

    @property
    def n_dead_on_arrival(self) -> int:
        """Units that failed at age zero (kept out of the life table)."""
        d = self.dead_on_arrival
        return int(d.loc[d["kind"] != "right", "count"].sum())

    @property
    def n_zero_exposure(self) -> int:
        """Units observed for zero hours without failing (kept out of the life table):
        they carry no information on life, and are not dead on arrival either."""
        d = self.dead_on_arrival
        return int(d.loc[d["kind"] == "right", "count"].sum())

    def units_by_kind(self) -> dict[str, int]:
        s = self.data.groupby("kind", observed=False)["count"].sum()
        return {k: int(s.get(k, 0)) for k in KINDS}

    @property
    def n_left_truncated(self) -> int:
        return int(self.data.loc[self.data["entry"] > 0, "count"].sum())

    @property
    def device_hours(self) -> float:
        """Hours observed, where they are known: exact and right-censored rows,
        counted from ``entry``. Interval and left-censored rows are excluded
        (their failure age is unknown); see :attr:`device_hours_known`."""
        d = self.data
        known = d["kind"].isin(("exact", "right"))
        return float(((d.loc[known, "lower"] - d.loc[known, "entry"]) * d.loc[known, "count"]).sum())

    @property
    def device_hours_known(self) -> bool:
        return bool(self.data["kind"].isin(("exact", "right")).all())

    def select(self, **equals: Any) -> LifeTable:
        """Rows whose covariates equal the given values, e.g. ``select(component="laser")``."""
        mask = np.ones(len(self.data), dtype=bool)
        dmask = np.ones(len(self.dead_on_arrival), dtype=bool)
        for col, value in equals.items():
            if col not in self.data.columns:
                raise DataValidationError(
                    [Problem(None, col, None, f"no such column; columns are {self.covariate_columns}")]
                )
            mask &= (self.data[col] == value).to_numpy()
            dmask &= (self.dead_on_arrival[col] == value).to_numpy()
        return LifeTable(
            self.data.loc[mask].reset_index(drop=True),
            self.dead_on_arrival.loc[dmask].reset_index(drop=True),
            self.provenance,
        )

    def equals(self, other: LifeTable) -> bool:
        """Same records, same order, same covariates (dtype-insensitive for covariates)."""
        return _frames_equal(self.data, other.data) and _frames_equal(
            self.dead_on_arrival, other.dead_on_arrival
        )

    def __repr__(self) -> str:
        k = self.units_by_kind()
        return (
            f"LifeTable(rows={self.n_rows}, units={self.n_units}, failures={self.n_failures}, "
            f"right={k['right']}, left={k['left']}, interval={k['interval']}, "
            f"dead_on_arrival={self.n_dead_on_arrival}, zero_exposure={self.n_zero_exposure})"
        )


# ---------------------------------------------------------------------- helpers
def _kinds(codes: np.ndarray) -> pd.Categorical:
    """The ``kind`` column from codes (EXACT, RIGHT, ...): a categorical over ``KINDS``,
    cheap to build and compare for millions of rows."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=KINDS)


def _columns(lower, upper, kind, entry, count, covariates, lines) -> dict[str, Any]:
    """The records as named columns, sharing the given arrays (`_frame` copies)."""
    n = len(lower)
    columns: dict[str, Any] = {
        "lower": np.asarray(lower, dtype=float),
        "upper": np.asarray(upper, dtype=float),
        "entry": _Fill(0.0, np.float64) if entry is None else np.nan_to_num(np.asarray(entry, float)),
        "count": _Fill(1, np.int64) if count is None else np.asarray(count),
        "kind": kind,
        "line": np.arange(2, n + 2) if lines is None else np.asarray(lines, dtype=np.int64),
    }
    if covariates is not None:
        cov = pd.DataFrame(covariates).copy(deep=False)  # shallow: the caller's frame is untouched
        clash = [c for c in cov.columns if c in CORE_COLUMNS]
        if clash:
            raise DataValidationError(
                [Problem(None, c, None, "is a reserved life-table column; rename it") for c in clash]
            )
        if len(cov) != n:
            raise DataValidationError(
                [Problem(None, None, None, f"covariates have {len(cov)} rows, records have {n}")]
            )
        columns.update({c: cov[c].array for c in cov.columns})  # by position, whatever the index
    return columns


@dataclass(frozen=True)
class _Fill:
    """A column of one value (no entry column: 0; no count: 1), made at the size it ends up."""

    value: float
    dtype: type


def _frame(columns: Mapping[str, Any], rows: np.ndarray | None) -> pd.DataFrame:
    """A frame of its own holding the ``rows`` (a mask) of ``columns`` (all of them when None):
    each column copied once (a mask selects into a new array), and kept as its own block (no
    consolidation copy)."""
    n = len(columns["lower"]) if rows is None else int(np.count_nonzero(rows))

    def own(v: Any) -> Any:
        if isinstance(v, _Fill):  # zeros from calloc take no memory until written
            return np.zeros(n, dtype=v.dtype) if v.value == 0 else np.full(n, v.value, dtype=v.dtype)
        if rows is None:
            return v.copy()  # an Arrow-backed column's copy shares its immutable buffers
        return v[rows]

    return pd.DataFrame({c: own(v) for c, v in columns.items()}, index=pd.RangeIndex(n), copy=False)


def _normalise(frame: pd.DataFrame, *, allow_zero: bool = False, copy: bool = True) -> pd.DataFrame:
    """Check a finished life-table frame; raise with every problem (vectorised). ``copy=False``:
    the frame is the caller's own (just built), so it is fixed up in place; a column is only
    replaced when its type needs converting."""
    missing = [c for c in CORE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError(
            [Problem(None, c, None, "required life-table column is missing") for c in missing]
        )
    f = frame.copy() if copy else frame
    raw_kind = f["kind"]
    if not (isinstance(raw_kind.dtype, pd.CategoricalDtype)
            and tuple(raw_kind.cat.categories) == KINDS):
        f["kind"] = pd.Categorical(raw_kind.astype(object), categories=KINDS)
    for c in ("lower", "upper", "entry"):
        if f[c].dtype != np.float64:
            f[c] = pd.to_numeric(f[c], errors="coerce").astype(float)
    cnt = f["count"] if f["count"].dtype == np.int64 else pd.to_numeric(f["count"], errors="coerce")
    line = f["line"].to_numpy()
    lower, upper, entry = (f[c].to_numpy() for c in ("lower", "upper", "entry"))
    cnt_values = cnt.to_numpy()
    codes = f["kind"].cat.codes.to_numpy()
    whole = (cnt_values >= 1) if cnt.dtype == np.int64 else (cnt_values >= 1) & (cnt_values == np.floor(cnt_values))
    # each mask is made when its check runs and dropped after it: a million-row table holds one
    # mask at a time, not all of them at once
    checks: list[tuple[Callable[[], np.ndarray], str, pd.Series, str]] = [
        (lambda: np.isnan(lower), "lower", f["lower"], "must be a number"),
        (lambda: np.isnan(upper), "upper", f["upper"], "must be a number (inf for right-censored)"),
        (lambda: lower < 0, "lower", f["lower"], "must not be negative"),
        (lambda: upper < lower, "upper", f["upper"], "must not be below lower"),
        (lambda: entry < 0, "entry", f["entry"], "must not be negative"),
        (lambda: ~whole, "count", f["count"], "must be a whole number >= 1"),
        (lambda: codes < 0, "kind", raw_kind, f"must be one of {KINDS}"),
    ]
    if not allow_zero:
        # observation must begin before the event or the censoring age (with every entry 0, the
        # usual log, no row can fail this: its bound would have to be both <= 0 and > 0)
        if entry.any():
            def late() -> np.ndarray:
                bound = np.where(codes == RIGHT, lower, upper)
                return (entry >= bound) & (bound > 0)

            checks.append((late, "entry", f["entry"], "entry age must be below the failure or censoring age"))
        checks.append((lambda: upper == 0, "upper", f["upper"],
                       "zero duration is dead-on-arrival; keep it out of the life table"))
    problems: list[Problem] = []
    for make_mask, col, values, msg in checks:
        for i in np.flatnonzero(make_mask())[:20]:
            problems.append(Problem(int(line[i]), col, str(values.iloc[i]), msg))
    if problems:
        raise DataValidationError(problems)
    if f["count"].dtype != np.int64:
        f["count"] = cnt.astype(np.int64)
    if f["line"].dtype != np.int64:
        f["line"] = f["line"].astype(np.int64)
    # exact failure ages keep lower == upper; right-censored upper is inf
    f.index = pd.RangeIndex(len(f))  # f is a copy already (or the caller's own): no copy for the index
    return f


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for c in a.columns:
        x, y = a[c].to_numpy(), b[c].to_numpy()
        if c in ("lower", "upper", "entry"):
            if not np.array_equal(x.astype(float), y.astype(float)):
                return False
        elif not (pd.Series(x).astype(str).to_numpy() == pd.Series(y).astype(str).to_numpy()).all():
            return False
    return True
