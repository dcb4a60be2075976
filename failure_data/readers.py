"""Read a field failure log (CSV or Parquet) into one validated `LifeTable`.

The column names say which shape a log is (:class:`LogFormat`):

==========  ===================================  ==============================
format      required columns                     optional columns
==========  ===================================  ==============================
durations   ``duration``, ``failed``             ``entry`` (late entry), ``count``
intervals   ``lower``, ``upper``                 ``entry``, ``count``
dated       ``installed``, ``removed``,          ``count``
            ``failed``
==========  ===================================  ==============================

Grouped data is the durations format with a ``count`` column. Any other column
(``unit_id``, ``component``, ``temperature_c``, ...) is a covariate, kept as
it is: ``unit_id`` and ``component`` as text, other columns as numbers when
every non-empty value is a number, else as text. Dated logs also keep
``installed`` (ISO date text) so that they can be written back.

Every problem in a file is collected (vectorised, so a million rows take about
a second) and the file is refused as a whole with a
:class:`~failure_data.errors.DataValidationError` listing them: the line (the
header is line 1, the first data row line 2; for Parquet "line" N is row
N - 2 counted from 0, the same numbering), the column, the value and the fix.

CSV line ends may be LF, CRLF or a lone CR; Excel's first line ``sep=,`` is
skipped (line numbers stay those of the file: the header is then line 2); a
file that ends inside a quoted field is refused as cut short. Parquet columns
of every plain Arrow type are read (see :func:`_plain`): dictionary-encoded and
large text, numbers (a numeric ``unit_id`` becomes its text), nullable
booleans, dates and timestamps; a nested column is refused with its type.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from failure_data._columns import (
    DATE_FORMAT,
    _all_distinct,
    _booleans,
    _codes,
    _Column,
    _dates,
    _np,
    _numbers,
    _plain,
    _text_series,
)
from failure_data._raw import _refuse, load_table
from failure_data.errors import MAX_PROBLEMS, DataValidationError, Problem, option
from failure_data.spelled import date_fix, number_fix, with_fix
from failure_data.table import CORE_COLUMNS, LifeTable, Provenance
from failure_data.units import HOURS_PER_DAY, TimeUnit

TEXT_COVARIATES = ("unit_id", "component", "mode")  # mode: a failure's cause (reliability.competing)


class LogFormat(StrEnum):
    """The shapes a field log comes in (grouped data = durations with ``count``)."""

    durations = "durations"
    intervals = "intervals"
    dated = "dated"


REQUIRED: dict[LogFormat, tuple[str, ...]] = {
    LogFormat.durations: ("duration", "failed"),
    LogFormat.intervals: ("lower", "upper"),
    LogFormat.dated: ("installed", "removed", "failed"),
}
OPTIONAL: dict[LogFormat, tuple[str, ...]] = {
    LogFormat.durations: ("entry", "count"),
    LogFormat.intervals: ("entry", "count"),
    LogFormat.dated: ("count",),
}
# columns whose presence says which format a file is; ``installed`` alone marks a
# dated log only when no other format's columns are there (a durations log may
# keep installation dates as a covariate)
_MARKERS: dict[LogFormat, tuple[str, ...]] = {
    LogFormat.durations: ("duration",),
    LogFormat.intervals: ("lower", "upper"),
    LogFormat.dated: ("removed",),
}
_KNOWN = {c for cols in (*REQUIRED.values(), *OPTIONAL.values()) for c in cols}
_FORMS = "duration,failed (durations) or lower,upper (intervals) or installed,removed,failed (dated)"


def _canonical(name: str) -> str:
    """Known column names match whatever their case and surrounding spaces."""
    key = str(name).strip().lower()
    return key if key in _KNOWN or key in TEXT_COVARIATES else str(name).strip()


def detect_format(columns: Iterable[str]) -> LogFormat:
    """Which :class:`LogFormat` a header is, or a `DataValidationError` (line 1) saying why not.

    Known names match case-insensitively. A header naming columns of two
    formats, matching none, or lacking a required column is refused.
    """
    cols = [_canonical(c) for c in columns]
    present = set(cols)
    found = [f for f in LogFormat if any(m in present for m in _MARKERS[f])]
    if not found and "installed" in present:
        found = [LogFormat.dated]
    if not found:
        raise DataValidationError(
            [Problem(1, None, ",".join(map(str, columns)),
                     f"column names match no field-log format; name the columns {_FORMS}")]
        )
    if len(found) > 1:
        marks = sorted(m for f in found for m in _MARKERS[f] if m in present)
        raise DataValidationError(
            [Problem(1, m, m, f"columns of several formats ({', '.join(found)}) in one file; "
                     f"keep the columns of one format: {_FORMS}") for m in marks]
        )
    fmt = found[0]
    missing = [c for c in REQUIRED[fmt] if c not in present]
    if missing:
        raise DataValidationError(
            [Problem(1, c, None, f"required column of the {fmt} format is missing; add it "
                     f"(a {fmt} log has columns {', '.join(REQUIRED[fmt])})") for c in missing]
        )
    return fmt


# ---------------------------------------------------------------------- problems
class _Problems:
    """Collects problems check by check; keeps the first MAX_PROBLEMS of each, counts all."""

    def __init__(self, lines: np.ndarray, order: dict[str, int]):
        self.lines = lines
        self.order = order
        self.items: list[Problem] = []
        self.total = 0

    def add(self, mask: np.ndarray, column: str, text: Callable[[int], str | None],
            message: str | Callable[[int], str]) -> None:
        idx = np.flatnonzero(mask)
        self.total += len(idx)
        for i in idx[:MAX_PROBLEMS]:
            msg = message(int(i)) if callable(message) else message
            self.items.append(Problem(int(self.lines[i]), column, text(int(i)), msg))

    def raise_if_any(self, source: str) -> None:
        if self.total:
            ranked = sorted(
                self.items,
                key=lambda p: (p.line if p.line is not None else 0, self.order.get(p.column, 999)),
            )
            raise DataValidationError(ranked[:MAX_PROBLEMS], source=source, total=self.total)


def _role(name: str, fmt: LogFormat) -> str:
    """What a column must hold: number, boolean, date, text (identifiers) or covariate (anything)."""
    if fmt is LogFormat.dated and name in ("installed", "removed"):
        return "date"
    if name == "failed":
        return "boolean"
    if name in REQUIRED[fmt] or name in OPTIONAL[fmt]:
        return "number"
    return "text" if name in TEXT_COVARIATES else "covariate"


# ---------------------------------------------------------------------- validation
@dataclass
class _Parsed:
    """What the format-specific checks produce."""

    kind: str  # "durations" (duration/failed) or "intervals" (lower/upper)
    a: np.ndarray  # duration or lower, hours
    b: np.ndarray  # failed (bool) or upper (hours, NaN = right-censored)
    entry: np.ndarray | None
    count: np.ndarray | None
    extra: dict[str, object]  # covariates produced by the format (dated: installed)
    as_of: str | None


def _required_numbers(col: _Column, probs: _Problems, what: str) -> np.ndarray:
    vals, empty, bad = _numbers(col)
    probs.add(empty, col.name, col.text, f"is empty; every row needs {what}")
    probs.add(bad, col.name, col.text, lambda i: with_fix(
        f"is not a number; write {what} as a plain number (e.g. 1250.5)", number_fix(col.text(i))))
    nan = np.isnan(vals) & ~empty & ~bad
    probs.add(nan, col.name, col.text, f"is NaN; write {what} as a number")
    probs.add(np.isinf(vals), col.name, col.text, "must be finite")
    probs.add(vals < 0, col.name, col.text,
              "is negative; ages count from installation and cannot be below 0")
    return vals


def _failed(col: _Column, probs: _Problems) -> np.ndarray:
    vals, empty, bad = _booleans(col)
    probs.add(empty, col.name, col.text, "is empty; say whether the unit failed: 1/0, true/false or yes/no")
    probs.add(bad, col.name, col.text, "is not boolean-like; write 1/0, true/false or yes/no")
    return vals


def _count(col: _Column | None, probs: _Problems) -> np.ndarray | None:
    if col is None:
        return None
    vals, empty, bad = _numbers(col)
    wrong = ~empty & ~bad & ~((vals >= 1) & (vals == np.floor(vals)) & (vals < 2**53))
    probs.add(empty | bad | wrong, col.name, col.text, lambda i: with_fix(
        "count must be a whole number >= 1 (the number of identical units this row stands for)",
        number_fix(col.text(i))))
    return np.where(np.isfinite(vals), vals, 1).astype(np.int64)


def _entry(col: _Column | None, probs: _Problems, unit: TimeUnit) -> np.ndarray | None:
    if col is None:
        return None
    vals, empty, bad = _numbers(col)
    probs.add(bad, col.name, col.text, lambda i: with_fix(
        f"is not a number; write the age in {unit} when observation began (empty = from new)",
        number_fix(col.text(i))))
    probs.add(np.isnan(vals) & ~empty & ~bad, col.name, col.text, "is NaN; write a number (empty = from new)")
    probs.add(np.isinf(vals), col.name, col.text, "must be finite")
    probs.add(vals < 0, col.name, col.text, "is negative; the entry age cannot be below 0")
    return np.where(empty, 0.0, vals) * unit.hours_per_unit


def _check_durations(cols: dict[str, _Column], probs: _Problems, unit: TimeUnit) -> _Parsed:
    h = unit.hours_per_unit
    dur = _required_numbers(cols["duration"], probs, f"the age in {unit} at failure or end of observation")
    failed = _failed(cols["failed"], probs)
    entry = _entry(cols.get("entry"), probs, unit)
    if entry is not None:
        e = entry / h
        # only against a valid duration (a bad one is reported already)
        late = (e >= dur) & ~((e == 0) & (dur == 0)) & np.isfinite(dur) & (dur >= 0)
        probs.add(late, "entry", cols["entry"].text,
                  lambda i: f"entry age is not below the duration {cols['duration'].text(i)}; "
                  "observation must begin before the failure or censoring age: fix entry or duration")
    return _Parsed("durations", dur * h, failed, entry, _count(cols.get("count"), probs), {}, None)


def _check_intervals(cols: dict[str, _Column], probs: _Problems, unit: TimeUnit) -> _Parsed:
    h = unit.hours_per_unit
    lo = _required_numbers(cols["lower"], probs,
                           f"the age in {unit} at the last inspection the unit was seen working (0 = none)")
    up, empty, bad = _numbers(cols["upper"])
    ucol = cols["upper"]
    probs.add(bad, "upper", ucol.text, lambda i: with_fix(
        f"is not a number; write the age in {unit} at the inspection that found the unit failed, "
        "or leave it empty if it is still working", number_fix(ucol.text(i))))
    probs.add(np.isnan(up) & ~empty & ~bad, "upper", ucol.text,
              "is NaN; leave it empty for a unit still working")
    probs.add(np.isinf(up), "upper", ucol.text, "must be finite; leave it empty for a unit still working")
    probs.add(up < 0, "upper", ucol.text, "is negative; ages cannot be below 0")
    probs.add(lo > up, "lower", cols["lower"].text,
              lambda i: f"lower is above upper ({ucol.text(i)}); the unit failed between lower and "
              "upper: swap them or fix the inspection ages")
    entry = _entry(cols.get("entry"), probs, unit)
    if entry is not None:
        e = entry / h
        bound = np.where(np.isnan(up), lo, up)
        probs.add((e >= bound) & (bound > 0) & np.isfinite(bound), "entry", cols["entry"].text,
                  "entry age is not below the failure or censoring age; observation must begin "
                  "before it: fix entry, lower or upper")
    up = np.where(np.isinf(up), np.nan, up)
    return _Parsed("intervals", lo * h, up * h, entry, _count(cols.get("count"), probs), {}, None)


def _not_a_date(col: _Column, fix: str) -> str | Callable[[int], str]:
    if pa.types.is_timestamp(col.arr.type):  # a Parquet timestamp: only a time of day can be wrong
        return ("is a timestamp with a time of day, not a whole date (a date shifted into another "
                "time zone looks like this); export the column as dates (YYYY-MM-DD)")
    return lambda i: with_fix(f"is not a date; {fix}", date_fix(col.text(i)))


def _check_dated(cols: dict[str, _Column], probs: _Problems, as_of: _dt.date | None) -> _Parsed:
    icol, rcol = cols["installed"], cols["removed"]
    inst, iempty, ibad, iso = _dates(icol)
    rem, rempty, rbad, _ = _dates(rcol)
    probs.add(iempty, "installed", icol.text, "is empty; every row needs its installation date (YYYY-MM-DD)")
    probs.add(ibad, "installed", icol.text, _not_a_date(icol, "write it as YYYY-MM-DD"))
    probs.add(rbad, "removed", rcol.text, _not_a_date(
        rcol, "write it as YYYY-MM-DD, or leave it empty if the unit is still in service"))
    failed = _failed(cols["failed"], probs)
    probs.add(failed & rempty, "removed", rcol.text,
              "is empty but failed is 1; give the date the failed unit was removed, or set failed "
              "to 0 if it is still in service")
    probs.add(rem < inst, "removed", rcol.text,
              lambda i: f"removal date is before the installation date {icol.text(i)}; fix one of them")
    if as_of is None:
        latest = np.fmax(np.nanmax(inst) if np.isfinite(inst).any() else np.nan,
                         np.nanmax(rem) if np.isfinite(rem).any() else np.nan)
        as_of_day = latest
    else:
        as_of_day = float((as_of - _dt.date(1970, 1, 1)).days)
        later = f"is after the as-of date {as_of.isoformat()}; fix the date or pass a later {option('as_of')}"
        probs.add(inst > as_of_day, "installed", icol.text, later)
        probs.add(rem > as_of_day, "removed", rcol.text, later)
    end = np.where(rempty, as_of_day, rem)
    hours = (end - inst) * HOURS_PER_DAY
    as_of_iso = None
    if np.isfinite(as_of_day):
        as_of_iso = (_dt.date(1970, 1, 1) + _dt.timedelta(days=int(as_of_day))).isoformat()
    installed = _text_series(iso if iso is not None else icol.arr)
    return _Parsed("durations", hours, failed, None, _count(cols.get("count"), probs),
                   {"installed": installed}, as_of_iso)


def _blank_components(covs: dict[str, _Column], probs: _Problems) -> None:
    """A component column names every row's component: an empty or all-whitespace cell would make
    a group of its own (an empty name and a space are not one group, and neither is a
    component), so each is refused with its line."""
    if "component" in covs and covs["component"].is_text:
        col = covs["component"]
        probs.add(col.empty(), "component", col.text,
                  "is blank; write the row's component (e.g. els, optical-engine), or drop the "
                  "column if the file holds one component")


def _duplicates(covs: dict[str, _Column], probs: _Problems) -> None:
    """The same unit_id twice within a component (or within the file without a component column)."""
    if "unit_id" not in covs:
        return
    ids = covs["unit_id"]
    blank = ids.empty()
    group = covs["component"].trimmed().cast(pa.string()) if "component" in covs else None
    if not blank.any() and _all_distinct(ids.trimmed().cast(pa.string()), group):
        return  # fast path: every key distinct
    key, n_ids = _codes(ids)
    if "component" in covs:
        comp, _ = _codes(covs["component"])
        key = comp * (n_ids + 1) + key
    dup = pd.Series(key).duplicated(keep="first").to_numpy() & ~blank
    if not dup.any():
        return
    _, first_index, inverse = np.unique(key, return_index=True, return_inverse=True)
    first_line = probs.lines[first_index[inverse]]
    where = " within its component" if "component" in covs else ""

    def msg(i: int) -> str:
        return (f"unit_id appears again{where} (first on line {first_line[i]}); each unit must "
                "appear once: merge the rows or give distinct ids")

    probs.add(dup, "unit_id", ids.text, msg)


def _covariate(col: _Column) -> np.ndarray | pd.Series:
    """A covariate as it is: identifiers as text, all-numeric columns as numbers, else text."""
    if not col.is_text or col.name in TEXT_COVARIATES:
        return col.arr.to_pandas() if not col.is_text else _text_series(col.arr)
    empty = col.empty()
    vals, _, bad = _numbers(col)
    if bad.any() or empty.all():
        return _text_series(col.arr)
    if not empty.any() and np.all(vals == np.floor(vals)) and np.all(np.abs(vals) < 2**53):
        try:
            return _np(pc.cast(col.trimmed(), pa.int64())).astype(np.int64)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # "85.0" stays a float
    return vals


# ---------------------------------------------------------------------- public
SAMPLES = ("pluggable_800g_dated.csv", "cpo_els_pilot.csv", "laser_htol.csv", "engine_inspections.csv",
           "three_failures.csv", "engine_modes.csv")
TELEMETRY_SAMPLES = ("laser_telemetry.csv", "laser_telemetry_failures.csv", "laser_telemetry_temperatures.csv")
"""The sample telemetry (bias-current readings; read with
:func:`failure_data.telemetry.read_telemetry`) and the failure log of its lasers."""


def samples_path(name: str) -> Path:
    """Path of a sample log shipped in ``failure_data/samples`` (see the README there)."""
    from importlib.resources import files

    if name not in SAMPLES + TELEMETRY_SAMPLES:
        raise DataValidationError([Problem(None, None, name, "no such sample; samples are "
                                           f"{', '.join(SAMPLES + TELEMETRY_SAMPLES)}")])
    return Path(str(files("failure_data").joinpath("samples", name)))


def _time_unit(value: TimeUnit | str, source: str) -> TimeUnit:
    """A reader's time unit, or one message naming the ones there are."""
    try:
        return TimeUnit(str(value))
    except ValueError:
        raise _refuse(source, f"time unit must be one of {', '.join(TimeUnit)}",
                      column="time_unit", value=str(value)) from None


def _as_date(as_of: _dt.date | str | None, source: str) -> _dt.date | None:
    if as_of is None or isinstance(as_of, _dt.date):
        return as_of if not isinstance(as_of, _dt.datetime) else as_of.date()
    try:
        return _dt.datetime.strptime(str(as_of).strip(), DATE_FORMAT).date()
    except ValueError:
        raise _refuse(source, with_fix("the as-of date is not a date; write it as YYYY-MM-DD",
                                       date_fix(str(as_of))),
                      column="as_of", value=str(as_of)) from None


def read_life_table(
    path: str | Path,
    *,
    as_of: _dt.date | str | None = None,
    time_unit: TimeUnit | str = "hours",
) -> LifeTable:
    """Read and validate a CSV or Parquet field log; return its `LifeTable` (hours).

    Parameters
    ----------
    path:
        ``.parquet`` (or any file starting with Parquet's magic bytes) is read as
        Parquet, anything else as comma-separated UTF-8 text.
    as_of:
        Dated logs only: the date observation ended (units still in service are
        right-censored there). Default: the latest date in the file, recorded in
        ``provenance.as_of``. Dates after it are refused.
    time_unit:
        Unit of the duration-like columns (duration, entry, lower, upper):
        hours, days or years. Dated logs are exact: days x 24.

    Raises
    ------
    DataValidationError
        With every problem in the file (up to ``MAX_PROBLEMS`` listed, all counted).
    """
    source = str(path)
    unit = _time_unit(time_unit, source)
    when = _as_date(as_of, source)
    table, lines, header_line, digest = load_table(path, source, _canonical)

    names = [_canonical(c) for c in table.column_names]
    try:
        fmt = detect_format(table.column_names)
    except DataValidationError as e:  # detect_format numbers the header line 1
        raise DataValidationError([replace(q, line=header_line) if q.line == 1 else q for q in e.problems],
                                  source=source) from None
    used = set(REQUIRED[fmt]) | set(OPTIONAL[fmt])
    reserved = [n for n in names if n not in used and n != "installed" and n in (*CORE_COLUMNS, *_KNOWN)]
    if reserved:
        raise DataValidationError(
            [Problem(header_line, n, n, f"'{n}' is not a column of the {fmt} format and is a reserved "
                     "name; rename or drop it") for n in reserved], source=source)

    plain = [_plain(n, table.column(i), _role(n, fmt)) for i, n in enumerate(names)]
    wrong = [q for q in plain if isinstance(q, Problem)]
    if wrong:
        raise DataValidationError(wrong, source=source)
    cols = {n: _Column(n, arr) for n, arr in zip(names, plain, strict=True)}  # type: ignore[arg-type]
    order = {n: i for i, n in enumerate(names)}
    probs = _Problems(lines, order)
    if fmt is LogFormat.durations:
        parsed = _check_durations(cols, probs, unit)
    elif fmt is LogFormat.intervals:
        parsed = _check_intervals(cols, probs, unit)
    else:
        parsed = _check_dated(cols, probs, when)
    covs = {n: c for n, c in cols.items() if n not in used}
    _blank_components(covs, probs)
    _duplicates(covs, probs)
    probs.raise_if_any(source)

    covariates = pd.DataFrame({n: _covariate(c) for n, c in covs.items()}, copy=False)
    for k, v in parsed.extra.items():
        covariates[k] = v
    prov = Provenance(path=source, sha256=digest, format=str(fmt), rows=table.num_rows,
                      as_of=parsed.as_of, time_unit=str(unit))
    del table, plain, cols, covs  # the parsed text (and its trimmed copies) is not needed any more
    kw = dict(entry=parsed.entry, count=parsed.count, covariates=covariates if len(covariates.columns)
              else None, provenance=prov, lines=lines)
    if parsed.kind == "durations":
        return LifeTable.from_durations(parsed.a, parsed.b.astype(bool), **kw)
    return LifeTable.from_intervals(parsed.a, parsed.b, **kw)
