"""Write a `LifeTable` back to a field log (CSV or Parquet) that reads back the same.

``write_life_table(table, path, fmt)`` writes the records of the table and its
dead-on-arrival units together, in source-line order, so reading the file
gives an equal table (lines are renumbered 2, 3, ... in that order).

- durations: ``duration``, ``failed`` (1/0), plus ``entry`` when any unit
  entered late and ``count`` when any row stands for several units (grouped).
  Interval- and left-censored rows cannot be written this way.
- intervals: ``lower``, ``upper`` (empty = still working); exact failures are
  written ``lower == upper``.
- dated: ``installed``, ``removed``, ``failed``. Installation dates come from
  the table's ``installed`` covariate (what the dated reader keeps) or, when it
  has none, ``start_date`` for every unit. Ages must be whole days. A
  right-censored unit whose censoring date is the as-of date (``as_of`` or the
  table's ``provenance.as_of``) is written still in service (empty
  ``removed``); other right-censored units are written as suspensions
  (removed, failed = 0).

Covariates are written as they are: ``unit_id`` and ``component`` first, then
the format's columns, then the other covariates.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from failure_data.errors import DataError
from failure_data.files import atomic_path
from failure_data.readers import TEXT_COVARIATES, LogFormat
from failure_data.table import CORE_COLUMNS, LifeTable
from failure_data.units import HOURS_PER_DAY, TimeUnit


class WriteError(DataError):
    """A table cannot be written in the requested format (the message says why and what to use)."""


def _records(table: LifeTable) -> pd.DataFrame:
    both = pd.concat([table.data, table.dead_on_arrival], ignore_index=True)
    return both.sort_values("line", kind="stable").reset_index(drop=True)


def _layout(records: pd.DataFrame, core: dict[str, object]) -> pd.DataFrame:
    covs = [c for c in records.columns if c not in CORE_COLUMNS]
    first = [c for c in TEXT_COVARIATES if c in covs]
    rest = [c for c in covs if c not in first]
    out = {c: records[c].to_numpy() for c in first}
    out.update(core)
    out.update({c: records[c].to_numpy() for c in rest})
    return pd.DataFrame(out)


def _grouping(records: pd.DataFrame, out: dict[str, object], unit: TimeUnit) -> None:
    if (records["entry"] > 0).any():
        out["entry"] = records["entry"].to_numpy() / unit.hours_per_unit
    if (records["count"] != 1).any():
        out["count"] = records["count"].to_numpy()


def _refuse_kinds(records: pd.DataFrame, kinds: tuple[str, ...], fmt: str, advice: str) -> None:
    bad = records["kind"].isin(kinds)
    if bad.any():
        k = records.loc[bad, "kind"].iloc[0]
        raise WriteError(
            f"the table has {int(bad.sum())} {k}-censored record(s) (first from line "
            f"{int(records.loc[bad, 'line'].iloc[0])}); the {fmt} format cannot hold them: {advice}"
        )


def _durations(records: pd.DataFrame, unit: TimeUnit) -> pd.DataFrame:
    _refuse_kinds(records, ("left", "interval"), "durations", "write it as intervals")
    core: dict[str, object] = {
        "duration": records["lower"].to_numpy() / unit.hours_per_unit,
        "failed": (records["kind"] == "exact").astype(np.int8).to_numpy(),
    }
    _grouping(records, core, unit)
    return _layout(records, core)


def _intervals(records: pd.DataFrame, unit: TimeUnit) -> pd.DataFrame:
    up = records["upper"].to_numpy(dtype=float)
    core: dict[str, object] = {
        "lower": records["lower"].to_numpy() / unit.hours_per_unit,
        "upper": np.where(np.isinf(up), np.nan, up / unit.hours_per_unit),
    }
    _grouping(records, core, unit)
    return _layout(records, core)


def _date(x: _dt.date | str | None, what: str) -> _dt.date | None:
    if x is None or isinstance(x, _dt.date):
        return x.date() if isinstance(x, _dt.datetime) else x
    try:
        return _dt.date.fromisoformat(str(x))
    except ValueError:
        raise WriteError(f"{what} {x!r} is not a date; write it as YYYY-MM-DD") from None


def _dated(records: pd.DataFrame, start_date, as_of) -> pd.DataFrame:
    _refuse_kinds(records, ("left", "interval"), "dated", "write it as intervals")
    if (records["entry"] > 0).any():
        raise WriteError("the table has late-entry (left-truncated) records; a dated log cannot "
                         "hold them: write it as durations")
    days = records["lower"].to_numpy(dtype=float) / HOURS_PER_DAY
    if not np.all(days == np.round(days)):
        i = int(np.flatnonzero(days != np.round(days))[0])
        raise WriteError(f"line {int(records['line'].iloc[i])}: age {float(records['lower'].iloc[i])!r} h "
                         "is not a whole number of days; a dated log holds whole days: write it "
                         "as durations")
    start = _date(start_date, "start_date")
    if "installed" in records.columns:
        installed = pd.to_datetime(records["installed"], format="%Y-%m-%d", errors="coerce")
        if installed.isna().any():
            i = int(np.flatnonzero(installed.isna())[0])
            raise WriteError(f"installed {records['installed'].iloc[i]!r} (line "
                             f"{int(records['line'].iloc[i])}) is not a YYYY-MM-DD date")
        installed = installed.to_numpy().astype("datetime64[D]")
    elif start is not None:
        installed = np.full(len(records), np.datetime64(start, "D"))
    else:
        raise WriteError("a dated log needs installation dates: the table has no 'installed' "
                         "column, so give start_date")
    end = installed + days.astype(np.int64).astype("timedelta64[D]")
    failed = (records["kind"] == "exact").to_numpy()
    in_service = np.zeros(len(records), dtype=bool)
    if as_of is not None:
        cut = np.datetime64(as_of, "D")
        late = end > cut
        if late.any():
            i = int(np.flatnonzero(late)[0])
            raise WriteError(f"line {int(records['line'].iloc[i])} ends on {end[i]}, after the "
                             f"as-of date {as_of}; give a later as_of")
        in_service = ~failed & (end == cut)
    iso = np.datetime_as_string(end, unit="D").astype(object)
    core: dict[str, object] = {
        "installed": np.datetime_as_string(installed, unit="D").astype(object),
        "removed": np.where(in_service, None, iso),
        "failed": failed.astype(np.int8),
    }
    if (records["count"] != 1).any():
        core["count"] = records["count"].to_numpy()
    return _layout(records.drop(columns=["installed"], errors="ignore"), core)


def life_table_frame(
    table: LifeTable,
    fmt: LogFormat | str,
    *,
    time_unit: TimeUnit | str = "hours",
    start_date: _dt.date | str | None = None,
    as_of: _dt.date | str | None = None,
) -> pd.DataFrame:
    """The file layout of ``table`` in format ``fmt`` as a DataFrame (what `write_life_table` writes)."""
    try:
        fmt = LogFormat(str(fmt))
    except ValueError:
        raise WriteError(f"format {fmt!r} is not one of {', '.join(LogFormat)}") from None
    unit = TimeUnit(str(time_unit))
    records = _records(table)
    if fmt is LogFormat.durations:
        return _durations(records, unit)
    if fmt is LogFormat.intervals:
        return _intervals(records, unit)
    cut = _date(as_of, "as_of") or _date(table.provenance.as_of, "provenance.as_of")
    return _dated(records, start_date, cut)


def write_frame(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a log layout to ``.csv`` (UTF-8, comma, ``\\n``) or ``.parquet``."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".parquet", ".pq", ".csv"):
        raise WriteError(f"cannot tell the file type of {str(p)!r}; name it .csv or .parquet")
    with atomic_path(p) as tmp:  # an interrupted write leaves the old file
        if suffix == ".csv":
            frame.to_csv(tmp, index=False, lineterminator="\n")
        else:
            frame.to_parquet(tmp, index=False)


def write_life_table(
    table: LifeTable,
    path: str | Path,
    fmt: LogFormat | str,
    *,
    time_unit: TimeUnit | str = "hours",
    start_date: _dt.date | str | None = None,
    as_of: _dt.date | str | None = None,
) -> None:
    """Write ``table`` as a ``fmt`` log to ``path`` (CSV or Parquet by extension).

    ``time_unit`` is the unit of the duration-like columns written
    (durations, intervals). ``start_date`` and ``as_of`` are for dated logs
    (see the module docstring). Raises `WriteError` when the table cannot be
    expressed in ``fmt``.
    """
    write_frame(life_table_frame(table, fmt, time_unit=time_unit, start_date=start_date,
                                 as_of=as_of), path)
