"""Service logs of repeated events on the same systems (repairs per switch chassis), read into
an :class:`EventLog` for reliability growth and mean-cumulative-function analyses
(:mod:`reliability.growth`).

A CSV (or Parquet) with one row per event and one end-of-observation row per system:

==========  ==================================================================
column      meaning
==========  ==================================================================
unit_id     the system (a switch chassis): text
age         its age (or cumulative test hours) at the row, hours, >= 0
event       1: a repair (failure) at that age; 0: the end of its observation
==========  ==================================================================

Every system needs exactly one ``event = 0`` row, at or after its last event. Problems are
reported together, each with its file line (header = line 1), column, value and fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from failure_data.errors import DataValidationError, Problem

COLUMNS = ("unit_id", "age", "event")


@dataclass(frozen=True)
class EventLog:
    """Events per system: ``events`` (unit_id, age, line; one row per repair) and ``ends``
    (unit_id -> the age its observation ended)."""

    events: pd.DataFrame
    ends: pd.Series
    source: str | None = None

    @property
    def n_systems(self) -> int:
        return len(self.ends)

    @property
    def n_events(self) -> int:
        return len(self.events)


def read_events(path: str | Path) -> EventLog:
    """The event log in ``path`` (CSV, or Parquet by its bytes or suffix), every row checked; the
    file is read as every field log is (encodings, separators, ragged rows: failure_data._raw)."""
    from failure_data._raw import load_table

    source = str(path)
    table, lines, header_line, _ = load_table(path, source, lambda c: str(c).strip().lower())
    raw = table.to_pandas()
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError([Problem(header_line, c, None, f"required column is missing; an event "
                                           f"log has columns {', '.join(COLUMNS)} (event: 1 a repair, 0 "
                                           "the end of observation)") for c in missing], source=source)
    return events_from_frame(raw, source=source, lines=lines)


def events_from_frame(raw: pd.DataFrame, *, source: str | None = None,
                      lines: np.ndarray | None = None) -> EventLog:
    """An EventLog from a frame with columns unit_id, age, event (``lines``: each row's file line;
    default row + 2, a header on line 1)."""
    problems: list[Problem] = []
    lines = np.arange(len(raw)) + 2 if lines is None else np.asarray(lines, dtype=np.int64)
    unit = raw["unit_id"].astype(str).str.strip()
    age = pd.to_numeric(raw["age"].astype(str).str.strip(), errors="coerce").to_numpy(float)
    ev_text = raw["event"].astype(str).str.strip().str.lower()
    event = ev_text.map({"1": 1, "0": 0, "1.0": 1, "0.0": 0, "true": 1, "false": 0})
    for i in np.flatnonzero(unit.eq("").to_numpy() | raw["unit_id"].isna().to_numpy()):
        problems.append(Problem(int(lines[i]), "unit_id", None, "empty: name the system (e.g. its serial)"))
    for i in np.flatnonzero(~np.isfinite(age) | (age < 0)):
        problems.append(Problem(int(lines[i]), "age", str(raw["age"].iloc[i]),
                                "must be a number of hours >= 0"))
    for i in np.flatnonzero(event.isna().to_numpy()):
        problems.append(Problem(int(lines[i]), "event", str(raw["event"].iloc[i]),
                                "must be 1 (a repair) or 0 (the end of the system's observation)"))
    if problems:
        raise DataValidationError(problems, source=source)
    frame = pd.DataFrame({"unit_id": unit.to_numpy(), "age": age, "event": event.to_numpy(int), "line": lines})
    ends = frame[frame["event"] == 0]
    repeat = ends[ends["unit_id"].duplicated(keep="first")]
    problems += [Problem(int(r.line), "event", "0", f"a second end of observation for {r.unit_id}: keep one")
                 for r in repeat.itertuples()]
    end_of = ends.drop_duplicates("unit_id").set_index("unit_id")["age"]
    ev = frame[frame["event"] == 1]
    no_end = ev[~ev["unit_id"].isin(end_of.index)].drop_duplicates("unit_id")
    problems += [Problem(int(r.line), "unit_id", r.unit_id, "this system has no end-of-observation row "
                         "(event = 0 at the age its observation ended): add one") for r in no_end.itertuples()]
    late = ev[ev["unit_id"].isin(end_of.index)]
    late = late[late["age"].to_numpy() > end_of.reindex(late["unit_id"]).to_numpy()]
    problems += [Problem(int(r.line), "age", f"{r.age:g}", f"is after the end of {r.unit_id}'s observation "
                         f"({end_of[r.unit_id]:g} h): fix the age or the end row") for r in late.itertuples()]
    if problems:
        raise DataValidationError(problems, source=source)
    if end_of.empty:
        raise DataValidationError([Problem(None, "event", None, "no system has an end-of-observation row")],
                                  source=source)
    return EventLog(ev[["unit_id", "age", "line"]].reset_index(drop=True), end_of.astype(float), source)
