"""Write -> read gives the same LifeTable, for every format, CSV and Parquet (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failure_data.readers import LogFormat, read_life_table
from failure_data.table import LifeTable
from failure_data.writers import WriteError, life_table_frame, write_life_table

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTS = st.sampled_from([".csv", ".parquet"])
AGES = st.floats(min_value=0.0, max_value=1e7, allow_nan=False, allow_infinity=False)
COMPONENTS = st.sampled_from(["laser", "engine", "els", "module, 800G"])  # a comma needs quoting


def _roundtrip(table: LifeTable, fmt: str, ext: str, **kw) -> LifeTable:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"log{ext}"
        write_life_table(table, path, fmt, **kw)
        return read_life_table(path, as_of=kw.get("as_of") or table.provenance.as_of)


@st.composite
def duration_tables(draw):
    n = draw(st.integers(1, 25))
    dur = draw(st.lists(AGES, min_size=n, max_size=n))
    failed = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    entry = None
    if draw(st.booleans()):
        frac = draw(st.lists(st.floats(0.0, 0.99), min_size=n, max_size=n))
        # observation begins before the end (products of denormals can round up to d)
        entry = [f * d if f * d < d else 0.0 for f, d in zip(frac, dur, strict=True)]
    count = draw(st.lists(st.integers(1, 1000), min_size=n, max_size=n)) if draw(st.booleans()) else None
    cov = {
        "unit_id": [f"U{i:03d}" for i in range(n)],
        "component": draw(st.lists(COMPONENTS, min_size=n, max_size=n)),
        "temperature_c": draw(st.lists(st.floats(-40, 150), min_size=n, max_size=n)),
    }
    return LifeTable.from_durations(dur, failed, entry=entry, count=count, covariates=cov)


@st.composite
def interval_tables(draw):
    n = draw(st.integers(1, 25))
    lo, hi = [], []
    for _ in range(n):
        shape = draw(st.sampled_from(["left", "interval", "right", "exact"]))
        a = draw(AGES)
        if shape == "left":
            lo.append(0.0)
            hi.append(a)
        elif shape == "interval":
            lo.append(a)
            hi.append(a + draw(st.floats(0.01, 1e6)))
        elif shape == "right":
            lo.append(a)
            hi.append(math.nan)
        else:
            lo.append(a)
            hi.append(a)
    cov = {"component": draw(st.lists(COMPONENTS, min_size=n, max_size=n))}
    return LifeTable.from_intervals(lo, hi, covariates=cov)


@st.composite
def dated_logs(draw):
    """A dated log as a file would hold it, plus its as-of date."""
    n = draw(st.integers(1, 25))
    start = dt.date(2023, 1, 1)
    horizon = draw(st.integers(1, 1500))
    rows = []
    for i in range(n):
        inst = draw(st.integers(0, horizon))
        state = draw(st.sampled_from(["failed", "suspended", "in service"]))
        end = draw(st.integers(inst, horizon))
        rows.append({
            "unit_id": f"U{i}",
            "installed": (start + dt.timedelta(days=inst)).isoformat(),
            "removed": "" if state == "in service" else (start + dt.timedelta(days=end)).isoformat(),
            "failed": int(state == "failed"),
        })
    return pd.DataFrame(rows), (start + dt.timedelta(days=horizon)).isoformat()


@SETTINGS
@given(table=duration_tables(), ext=EXTS)
def test_durations_round_trip(table, ext):
    back = _roundtrip(table, "durations", ext)
    assert back.equals(table)
    assert back.n_dead_on_arrival == table.n_dead_on_arrival
    assert back.provenance.format == "durations"
    assert back.provenance.rows == table.n_rows + len(table.dead_on_arrival)


@SETTINGS
@given(table=duration_tables(), ext=EXTS)
def test_durations_also_round_trip_as_intervals(table, ext):
    assert _roundtrip(table, "intervals", ext).equals(table)


@SETTINGS
@given(table=interval_tables(), ext=EXTS)
def test_intervals_round_trip(table, ext):
    back = _roundtrip(table, "intervals", ext)
    assert back.equals(table)
    assert back.units_by_kind() == table.units_by_kind()


@SETTINGS
@given(log=dated_logs(), ext=EXTS)
def test_dated_round_trip(log, ext):
    frame, as_of = log
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "src.csv"
        frame.to_csv(src, index=False)
        table = read_life_table(src, as_of=as_of)
    assert table.provenance.as_of == as_of
    back = _roundtrip(table, "dated", ext)
    assert back.equals(table)
    # a dated table is also a durations table with its installation dates as a covariate
    assert _roundtrip(table, "durations", ext).equals(table)


def test_dated_writer_keeps_in_service_and_suspensions_apart():
    table = LifeTable.from_durations(
        [48.0, 240.0, 2160.0], [True, False, False],
        covariates={"installed": ["2024-02-28", "2024-01-01", "2024-01-01"]},
    )
    frame = life_table_frame(table, "dated", as_of="2024-03-31")
    assert frame["removed"].tolist() == ["2024-03-01", "2024-01-11", None]
    assert frame["failed"].tolist() == [1, 0, 0]


def test_dated_writer_from_a_start_date():
    table = LifeTable.from_durations([24.0, 72.0], [True, False])
    back = _roundtrip(table, "dated", ".csv", start_date="2024-01-01", as_of="2024-01-04")
    assert back.data["lower"].tolist() == [24.0, 72.0]
    assert back.data["kind"].tolist() == ["exact", "right"]
    assert back.data["installed"].tolist() == ["2024-01-01", "2024-01-01"]


def test_written_time_unit(tmp_path):
    table = LifeTable.from_durations([48.0, 8766.0], [True, False])
    write_life_table(table, tmp_path / "d.csv", LogFormat.durations, time_unit="days")
    assert (tmp_path / "d.csv").read_text() == "duration,failed\n2.0,1\n365.25,0\n"
    assert read_life_table(tmp_path / "d.csv", time_unit="days").equals(table)


@pytest.mark.parametrize(
    "table,fmt,kw,text",
    [
        (LifeTable.from_intervals([1.0], [2.0]), "durations", {}, "write it as intervals"),
        (LifeTable.from_intervals([0.0], [2.0]), "dated", {"start_date": "2024-01-01"}, "intervals"),
        (LifeTable.from_durations([30.0], [True]), "dated", {"start_date": "2024-01-01"}, "whole number of days"),
        (LifeTable.from_durations([48.0], [True]), "dated", {}, "give start_date"),
        (LifeTable.from_durations([48.0], [True], entry=[24.0]), "dated", {"start_date": "2024-01-01"},
         "late-entry"),
        (LifeTable.from_durations([48.0], [False]), "dated", {"start_date": "2024-01-01", "as_of": "2024-01-02"},
         "after the as-of date"),
        (LifeTable.from_durations([48.0], [True]), "weekly", {}, "is not one of"),
    ],
)
def test_unwritable_tables_are_refused(tmp_path, table, fmt, kw, text):
    with pytest.raises(WriteError, match=text):
        write_life_table(table, tmp_path / "x.csv", fmt, **kw)


def test_unknown_extension_is_refused(tmp_path):
    with pytest.raises(WriteError, match=r"\.csv or \.parquet"):
        write_life_table(LifeTable.from_durations([1.0], [True]), tmp_path / "x.xlsx", "durations")


def test_records_are_written_in_line_order_with_dead_on_arrival_in_place():
    table = LifeTable.from_durations([5.0, 0.0, 7.0], [True, True, False])
    frame = life_table_frame(table, "durations")
    assert frame["duration"].tolist() == [5.0, 0.0, 7.0]
    assert np.array_equal(frame["failed"], [1, 1, 0])
