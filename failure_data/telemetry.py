"""Read laser telemetry (periodic bias-current readings) into one validated `Telemetry` table.

A telemetry log is one row per reading of one laser:

===============  ==========================================================================
column           what it holds
===============  ==========================================================================
``unit_id``      the laser (required; text)
``hours``        its age in hours at the reading (or days/years with ``time_unit``), or
``date``         the reading's date (YYYY-MM-DD): the age is then the days since the
                 unit's first reading x 24, and ``as_of`` (default: the latest date) is the
                 day the readings end; a date after it is refused
``bias_ma``      the laser's bias (operating) current at the reading, mA (required; > 0)
``temperature_c`` optional: the laser's temperature at the reading, °C
===============  ==========================================================================

Any other column (``switch_id``, ``component``, ...) is kept as it is, as text. Each unit's
readings are in the order they were taken (rising age; file order within a unit), and a unit
has at least two readings: its first is its start, and the relative increase of the bias
current over that start, ``increase = bias_ma / start - 1``, is what a degradation path model
(:mod:`reliability.degradation`) fits. A file with problems is refused as a whole, each named
with its line, column, value and fix (the errors and machinery of :mod:`failure_data.readers`:
CSV or Parquet, the same line numbering).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from failure_data._columns import _Column, _dates, _numbers, _plain, _text_series
from failure_data._raw import load_table
from failure_data.errors import DataValidationError, Problem, option
from failure_data.readers import _as_date, _Problems, _time_unit
from failure_data.table import Provenance
from failure_data.units import HOURS_PER_DAY, TimeUnit

REQUIRED = ("unit_id", "bias_ma")
TIME_COLUMNS = ("hours", "date")
OPTIONAL = ("temperature_c",)
_KNOWN = (*REQUIRED, *TIME_COLUMNS, *OPTIONAL)
COLUMNS = ("unit_id", "hours", "bias_ma", "increase", "temperature_c", "line")
"""The columns of :attr:`Telemetry.data` (``temperature_c`` only when the log has it; any
other column of the log after them)."""
_FORM = "unit_id, hours (or date), bias_ma and optionally temperature_c"


def _canonical(name: str) -> str:
    key = str(name).strip().lower()
    return key if key in _KNOWN else str(name).strip()


@dataclass(frozen=True, eq=False)
class Telemetry:
    """Validated telemetry: one row per reading, grouped by unit in reading order.

    Attributes
    ----------
    data:
        :data:`COLUMNS` (``hours`` is the age in hours, ``increase`` the relative increase of
        ``bias_ma`` over the unit's first reading, 0 there) and any other column of the log.
    provenance:
        Source file, hash, ``format`` ("telemetry"), rows, as-of date (dated readings).
    """

    data: pd.DataFrame
    provenance: Provenance

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(self.data["unit_id"]))

    @property
    def n_units(self) -> int:
        return int(self.data["unit_id"].nunique())

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str | None = None) -> Telemetry:
        """A table from an in-memory frame of ``unit_id``, ``hours``, ``bias_ma`` (and
        ``temperature_c``), checked as a file is ("line" = row number + 2)."""
        import pyarrow as pa

        table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
        lines = np.arange(2, len(frame) + 2, dtype=np.int64)
        return _validate(table, lines, 1, source or "(frame)", None, TimeUnit.hours, None)


def read_telemetry(path: str | Path, *, as_of: _dt.date | str | None = None,
                   time_unit: TimeUnit | str = "hours") -> Telemetry:
    """Read and validate a CSV or Parquet telemetry log (see the module docstring).

    Raises
    ------
    DataValidationError
        With every problem in the file (up to ``MAX_PROBLEMS`` listed, all counted).
    """
    source = str(path)
    unit = _time_unit(time_unit, source)
    when = _as_date(as_of, source)
    table, lines, header_line, digest = load_table(path, source, _canonical)
    return _validate(table, lines, header_line, source, when, unit, digest)


def _header(names: list[str], header_line: int, source: str) -> str:
    """Which time column the log has ("hours" or "date"), or the problems of its header."""
    probs = [Problem(header_line, c, None, f"required column is missing; a telemetry log has "
                     f"columns {_FORM}") for c in REQUIRED if c not in names]
    times = [c for c in TIME_COLUMNS if c in names]
    if not times:
        probs.append(Problem(header_line, "hours", None, "no time column; give each reading's age "
                             "as hours (or its date as date, YYYY-MM-DD)"))
    elif len(times) == 2:
        probs.append(Problem(header_line, "date", "date", "both hours and date are given; keep one "
                             "(hours: the age at the reading; date: the day it was read)"))
    if probs:
        raise DataValidationError(probs, source=source)
    return times[0]


def _validate(table, lines: np.ndarray, header_line: int, source: str, as_of: _dt.date | None,
              unit: TimeUnit, digest: str | None) -> Telemetry:
    names = [_canonical(c) for c in table.column_names]
    time_col = _header(names, header_line, source)
    roles = {"unit_id": "text", "hours": "number", "bias_ma": "number", "temperature_c": "number",
             "date": "date"}
    plain = [_plain(n, table.column(i), roles.get(n, "text")) for i, n in enumerate(names)]
    wrong = [q for q in plain if isinstance(q, Problem)]
    if wrong:
        raise DataValidationError(wrong, source=source)
    cols = {n: _Column(n, arr) for n, arr in zip(names, plain, strict=True)}  # type: ignore[arg-type]
    probs = _Problems(lines, {n: i for i, n in enumerate(names)})

    ids = cols["unit_id"]
    blank = ids.empty()
    probs.add(blank, "unit_id", ids.text, "is empty; every reading names its laser (unit_id)")
    uid = pd.Series(_text_series(ids.trimmed()), copy=False).astype(str).to_numpy()

    bias, empty, bad = _numbers(cols["bias_ma"])
    bcol = cols["bias_ma"]
    probs.add(empty, "bias_ma", bcol.text, "is empty; every reading needs the bias current in mA")
    probs.add(bad, "bias_ma", bcol.text, "is not a number; write the bias current in mA as a plain "
              "number (e.g. 52.3)")
    probs.add(np.isnan(bias) & ~empty & ~bad, "bias_ma", bcol.text, "is NaN; write the bias current "
              "in mA, or drop the reading")
    probs.add(np.isinf(bias), "bias_ma", bcol.text, "must be finite")
    probs.add(bias <= 0, "bias_ma", bcol.text, "is not above 0; a laser's bias current is a positive "
              "number of mA: fix the reading or drop it (a laser reading 0 mA is off, not degraded)")

    as_of_iso = None
    if time_col == "hours":
        tcol = cols["hours"]
        hours, empty, bad = _numbers(tcol)
        probs.add(empty, "hours", tcol.text, f"is empty; every reading needs the laser's age in {unit}")
        probs.add(bad, "hours", tcol.text, f"is not a number; write the age in {unit} as a plain "
                  "number (e.g. 1250.5)")
        probs.add(np.isnan(hours) & ~empty & ~bad, "hours", tcol.text, f"is NaN; write the age in {unit}")
        probs.add(np.isinf(hours), "hours", tcol.text, "must be finite")
        probs.add(hours < 0, "hours", tcol.text, "is negative; an age cannot be below 0")
        hours = hours * unit.hours_per_unit
    else:
        dcol = cols["date"]
        days, empty, bad, _ = _dates(dcol)
        probs.add(empty, "date", dcol.text, "is empty; every reading needs its date (YYYY-MM-DD)")
        probs.add(bad, "date", dcol.text, "is not a date; write it as YYYY-MM-DD")
        if as_of is not None:
            last = float((as_of - _dt.date(1970, 1, 1)).days)
            probs.add(days > last, "date", dcol.text, f"is after the as-of date {as_of.isoformat()}; "
                      f"fix the date or pass a later {option('as_of')}")
        else:
            last = float(np.nanmax(days)) if np.isfinite(days).any() else np.nan
        if np.isfinite(last):
            as_of_iso = (_dt.date(1970, 1, 1) + _dt.timedelta(days=int(last))).isoformat()
        hours = days * HOURS_PER_DAY  # made ages since each unit's first reading below

    temp = None
    if "temperature_c" in cols:
        ccol = cols["temperature_c"]
        temp, empty, bad = _numbers(ccol)
        probs.add(bad, "temperature_c", ccol.text, "is not a number; write the laser's temperature "
                  "in °C as a plain number, or leave it empty")
        probs.add(np.isinf(temp) | (temp <= -273.15), "temperature_c", ccol.text,
                  "is not a temperature in °C (finite, above -273.15)")

    # order within each unit: file order, rising age; a unit needs a start and a later reading
    ok = ~blank & np.isfinite(hours)
    key = np.unique(uid, return_inverse=True)[1]
    frame = pd.DataFrame({"k": key, "t": hours, "i": np.arange(len(uid))})
    frame = frame[ok]
    prev_t = frame.groupby("k")["t"].shift(1)
    prev_i = frame.groupby("k")["i"].shift(1)
    tname = time_col
    tcolumn = cols[tname]
    back = (frame["t"] < prev_t).to_numpy()
    same = (frame["t"] == prev_t).to_numpy()
    rows = frame["i"].to_numpy()
    prev_line = np.where(np.isfinite(prev_i.to_numpy()), lines[np.nan_to_num(prev_i.to_numpy()).astype(int)], 0)
    mask = np.zeros(len(uid), dtype=bool)
    mask[rows[back]] = True
    pl = dict(zip(rows, prev_line, strict=True))
    what = "age" if tname == "hours" else "date"
    probs.add(mask, tname, tcolumn.text, lambda i: (
        f"is earlier than this unit's reading on line {pl[i]}; a unit's readings go in the order "
        f"they were taken: sort the file by unit_id and {tname}, or fix the {what}"))
    mask = np.zeros(len(uid), dtype=bool)
    mask[rows[same]] = True
    probs.add(mask, tname, tcolumn.text, lambda i: (
        f"repeats the {what} of this unit's reading on line {pl[i]}; keep one reading per {what} "
        "(drop the repeat, or average the two into one row)"))
    named = ~blank  # a reading with a bad age still counts as one of its unit's readings
    counts = np.bincount(key[named], minlength=int(key.max()) + 1 if len(key) else 0)
    mask = named & (counts[key] == 1)
    probs.add(mask, "unit_id", ids.text, "has only this one reading; a degradation path needs the "
              "unit's start and at least one later reading: add its readings or drop the unit")
    probs.raise_if_any(source)

    start_idx = frame.groupby("k")["i"].transform("first").to_numpy()
    start = np.empty(len(uid))
    start[rows] = bias[start_idx]
    t0 = np.empty(len(uid))
    t0[rows] = hours[start_idx]
    age = hours - t0 if time_col == "date" else hours
    out = pd.DataFrame({"unit_id": pd.Series(uid, dtype="string"), "hours": age, "bias_ma": bias,
                        "increase": bias / start - 1.0})
    if temp is not None:
        out["temperature_c"] = temp
    out["line"] = lines
    for n, c in cols.items():
        if n not in _KNOWN:
            out[n] = _text_series(c.arr)
    if time_col == "date":
        out["date"] = _text_series(cols["date"].trimmed())
    # grouped by unit (in order of first appearance), readings in order
    first = pd.Series(np.arange(len(uid))).groupby(key).transform("min").to_numpy()
    out = out.iloc[np.lexsort((np.arange(len(uid)), first))].reset_index(drop=True)
    prov = Provenance(path=source, sha256=digest, format="telemetry", rows=table.num_rows,
                      as_of=as_of_iso, time_unit=str(unit) if time_col == "hours" else "hours")
    return Telemetry(out, prov)


# ---------------------------------------------------------------------- synthetic telemetry
@dataclass(frozen=True)
class TelemetrySpec:
    """A known path model to draw telemetry from (the model :mod:`reliability.degradation` fits).

    Laser i of ``units`` starts at a bias current ``I0_i`` ~ Uniform[``start_ma``] (its first
    reading, exact), draws ``b_i`` ~ Normal(``mu``, ``tau``^2), and is read every ``every_hours``
    up to ``horizon_hours``; the reading at age t is ``I0_i (1 + exp(b_i) (t / t_ref)^gamma +
    e)``, e ~ Normal(0, ``sigma``^2), rounded to 0.001 mA. Lasers sit ``per_switch`` to a switch
    (``switch_id``)."""

    units: int = 48
    per_switch: int = 8
    every_hours: float = 500.0
    horizon_hours: float = 8000.0
    mu: float = -3.912023005428146  # ln 0.02: a 2 % rise at t_ref for the median laser
    tau: float = 0.35
    sigma: float = 0.003
    gamma: float = 1.1
    t_ref_hours: float = 1000.0
    start_ma: tuple[float, float] = (40.0, 60.0)
    unit_prefix: str = "LZ"


def synthesize_telemetry(spec: TelemetrySpec, rng: np.random.Generator) -> pd.DataFrame:
    """A telemetry log drawn from ``spec`` (columns unit_id, switch_id, hours, bias_ma); draws in a
    fixed order (start currents, coefficients, then the noise reading by reading) so a seed gives
    the same log."""
    n = spec.units
    ages = np.arange(0.0, spec.horizon_hours + 1e-9, spec.every_hours)
    i0 = rng.uniform(*spec.start_ma, size=n)
    b = rng.normal(spec.mu, spec.tau, size=n)
    noise = rng.normal(0.0, spec.sigma, size=(n, len(ages)))
    noise[:, 0] = 0.0  # the first reading is the start
    path = np.exp(b)[:, None] * (ages[None, :] / spec.t_ref_hours) ** spec.gamma
    bias = np.round(i0[:, None] * (1.0 + path + noise), 3)
    width = len(str(n))
    ids = [f"{spec.unit_prefix}{k + 1:0{width}d}" for k in range(n)]
    switches = [f"SW{k // spec.per_switch + 1:02d}" for k in range(n)]
    return pd.DataFrame({
        "unit_id": np.repeat(ids, len(ages)), "switch_id": np.repeat(switches, len(ages)),
        "hours": np.tile(ages, n), "bias_ma": bias.ravel(),
    })
