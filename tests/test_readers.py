"""failure_data.readers: formats, conversions and every refused input (line and column named)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from failure_data.errors import MAX_PROBLEMS, DataValidationError
from failure_data.readers import LogFormat, detect_format, read_life_table, samples_path
from failure_data.units import HOURS_PER_YEAR


def _write(tmp_path, text: str | bytes, name: str = "log.csv"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def _refused(path, **kw) -> DataValidationError:
    with pytest.raises(DataValidationError) as e:
        read_life_table(path, **kw)
    return e.value


# ------------------------------------------------------------------ the refusal sweep
# (case id, file content, read options, expected line, expected column, text in the message)
# line None / column None: the problem is the file as a whole, not a cell.
REFUSED = [
    ("missing-required-column", "duration\n5\n", {}, 1, "failed", "missing"),
    ("missing-upper", "lower\n5\n", {}, 1, "upper", "missing"),
    ("missing-removed", "installed,failed\n2024-01-01,0\n", {}, 1, "removed", "missing"),
    ("no-format", "age,broken\n5,1\n", {}, 1, None, "match no field-log format"),
    ("two-formats", "duration,failed,lower,upper\n5,1,1,2\n", {}, 1, "duration", "several formats"),
    ("reserved-name", "duration,failed,kind\n5,1,x\n", {}, 1, "kind", "reserved"),
    ("duplicate-column", "duration,failed,failed\n5,1,1\n", {}, 1, "failed", "more than once"),
    ("non-numeric", "duration,failed\n5,1\nabc,1\n", {}, 3, "duration", "not a number"),
    ("decimal-comma", "duration,failed\n\"5,5\",1\n", {}, 2, "duration", "not a number"),
    ("non-numeric-upper", "lower,upper\n1,x\n", {}, 2, "upper", "not a number"),
    ("non-date", "installed,removed,failed\n2024-13-01,,0\n", {}, 2, "installed", "not a date"),
    ("non-date-feb-30", "installed,removed,failed\n2024-01-01,2024-02-30,1\n", {}, 2, "removed",
     "not a date"),
    ("non-date-unpadded", "installed,removed,failed\n2024-1-5,,0\n", {}, 2, "installed", "YYYY-MM-DD"),
    ("nan-required", "duration,failed\n5,1\nNaN,0\n", {}, 3, "duration", "NaN"),
    ("empty-required", "duration,failed\n,1\n", {}, 2, "duration", "empty"),
    ("empty-lower", "lower,upper\n,5\n", {}, 2, "lower", "empty"),
    ("empty-installed", "installed,removed,failed\n,,0\n", {}, 2, "installed", "empty"),
    ("infinite-duration", "duration,failed\ninf,1\n", {}, 2, "duration", "finite"),
    ("negative-duration", "duration,failed\n-3,1\n", {}, 2, "duration", "negative"),
    ("negative-lower", "lower,upper\n-1,5\n", {}, 2, "lower", "negative"),
    ("entry-not-below-duration", "duration,failed,entry\n5,1,5\n", {}, 2, "entry", "not below"),
    ("entry-above-duration", "duration,failed,entry\n5,0,7\n", {}, 2, "entry", "not below"),
    ("entry-not-below-upper", "lower,upper,entry\n2,5,6\n", {}, 2, "entry", "not below"),
    ("lower-above-upper", "lower,upper\n9,5\n", {}, 2, "lower", "above upper"),
    ("removed-before-installed", "installed,removed,failed\n2024-05-01,2024-04-01,1\n", {}, 2,
     "removed", "before the installation"),
    ("installed-after-as-of", "installed,removed,failed\n2024-05-01,,0\n", {"as_of": "2024-04-01"}, 2,
     "installed", "after the as-of date"),
    ("removed-after-as-of", "installed,removed,failed\n2024-01-01,2024-05-01,1\n",
     {"as_of": "2024-04-01"}, 2, "removed", "after the as-of date"),
    ("failed-not-removed", "installed,removed,failed\n2024-01-01,,1\n", {}, 2, "removed",
     "set failed to 0"),
    ("count-zero", "duration,failed,count\n5,1,0\n", {}, 2, "count", "whole number >= 1"),
    ("count-fractional", "duration,failed,count\n5,1,2.5\n", {}, 2, "count", "whole number >= 1"),
    ("count-empty", "duration,failed,count\n5,1,\n", {}, 2, "count", "whole number >= 1"),
    ("failed-not-boolean", "duration,failed\n5,maybe\n", {}, 2, "failed", "boolean-like"),
    ("failed-two", "duration,failed\n5,2\n", {}, 2, "failed", "boolean-like"),
    ("failed-empty", "duration,failed\n5,\n", {}, 2, "failed", "empty"),
    ("duplicate-unit-in-component", "unit_id,component,duration,failed\nA1,laser,5,1\nA1,engine,5,1\n"
     "A1,laser,6,0\n", {}, 4, "unit_id", "first on line 2"),
    ("duplicate-unit-no-component", "unit_id,duration,failed\nA1,5,1\nA1,6,0\n", {}, 3, "unit_id",
     "appears again"),
    ("empty-file", "", {}, None, None, "empty"),
    ("blank-file", "\n\n", {}, None, None, "empty"),
    ("header-only", "duration,failed\n", {}, 1, None, "no data rows"),
    ("semicolon-separated", "duration;failed\n5;1\n", {}, 1, None, "';'-separated"),
    ("tab-separated", "duration\tfailed\n5\t1\n", {}, 1, None, "tab-separated"),
    ("not-utf8", "duration,failed,component\n5,1,laser\n6,0,caf\xe9\n".encode("latin-1"), {}, 3, None,
     "re-save it as UTF-8"),
    ("excel-workbook", b"PK\x03\x04\x14\x00 rest of a zip", {}, None, None, "export the sheet as CSV"),
    ("ragged-row", "duration,failed\n5,1\n6,0,7\n", {}, 3, None, "fields"),
    ("bad-as-of", "installed,removed,failed\n2024-01-01,,0\n", {"as_of": "01/02/2024"}, None, "as_of",
     "YYYY-MM-DD"),
    ("bad-time-unit", "duration,failed\n5,1\n", {"time_unit": "weeks"}, None, "time_unit", "time unit"),
    # not a CSV text: None = no file at all; a name ending in .parquet = written as that file
    ("missing-file", None, {}, None, None, "file not found"),
    ("corrupt-parquet", b"PAR1 this is not really parquet", {"name": "log.parquet"}, None, None,
     "not a readable Parquet file"),
    ("empty-parquet", b"", {"name": "log.parquet"}, None, None, "empty"),
]


@pytest.mark.parametrize("content,options,line,column,text", [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_refused_inputs_name_line_and_column(tmp_path, content, options, line, column, text):
    options = dict(options)
    name = options.pop("name", "log.csv")
    path = tmp_path / name if content is None else _write(tmp_path, content, name=name)
    e = _refused(path, **options)
    assert any(p.line == line and p.column == column for p in e.problems), e.problems
    message = str(e)
    assert text in message
    if line is not None:
        assert f"line {line}" in message
    if column is not None:
        assert f"column '{column}'" in message
    assert str(path) in message  # the file is named


def test_a_directory_is_refused(tmp_path):
    assert "is a directory" in str(_refused(tmp_path))


def test_parquet_problems_count_rows_like_lines(tmp_path):
    # row index 2 of the Parquet table is reported as "line 4", the CSV numbering
    p = tmp_path / "log.parquet"
    pd.DataFrame({"duration": [5.0, 6.0, -1.0], "failed": [True, False, True]}).to_parquet(p)
    e = _refused(p)
    assert [(q.line, q.column) for q in e.problems] == [(4, "duration")]


def test_parquet_with_typed_columns(tmp_path):
    # native Parquet types: dates, booleans and integers, with nulls for "empty"
    p = tmp_path / "log.parquet"
    pd.DataFrame({
        "unit_id": ["a", "b", "c"],
        "installed": [dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 2, 1)],
        "removed": [dt.date(2024, 1, 3), None, None],
        "failed": [True, False, False],
        "count": [1, 2, 1],
    }).to_parquet(p)
    t = read_life_table(p, as_of="2024-02-11")
    assert t.data["lower"].tolist() == [48.0, 41 * 24.0, 10 * 24.0]
    assert t.data["kind"].tolist() == ["exact", "right", "right"]
    assert t.n_units == 4 and t.data["installed"].tolist() == ["2024-01-01", "2024-01-01", "2024-02-01"]
    q = tmp_path / "bad.parquet"
    pd.DataFrame({"duration": [1.0, float("nan")], "failed": [1, 3]}).to_parquet(q)
    e = _refused(q)
    assert [(x.line, x.column) for x in e.problems] == [(3, "duration"), (3, "failed")]


def test_parquet_timestamps_must_be_whole_days(tmp_path):
    p = tmp_path / "ts.parquet"
    pd.DataFrame({
        "installed": pd.to_datetime(["2024-01-01T00:00:00", "2024-01-01T00:00:00.5"], format="ISO8601"),
        "removed": pd.to_datetime(["2024-01-02", None]),
        "failed": [1, 0],
    }).to_parquet(p)
    e = _refused(p, as_of="2024-02-01")
    assert [(x.line, x.column) for x in e.problems] == [(3, "installed")]


def test_every_problem_is_reported_together_sorted_by_line(tmp_path):
    text = "unit_id,duration,failed,count\nA,5,1,1\nB,-1,1,1\nC,x,maybe,1\nD,7,0,0\nA,8,0,1\n"
    e = _refused(_write(tmp_path, text))
    got = [(p.line, p.column) for p in e.problems]
    assert got == [(3, "duration"), (4, "duration"), (4, "failed"), (5, "count"), (6, "unit_id")]
    assert e.total == 5
    assert "5 problems found; nothing was read" in str(e)


def test_problem_list_is_capped_but_counted(tmp_path):
    n_bad = 3 * MAX_PROBLEMS
    text = "duration,failed\n" + "".join(f"{-i - 1},1\n" for i in range(n_bad))
    e = _refused(_write(tmp_path, text))
    assert len(e.problems) == MAX_PROBLEMS
    assert e.total == n_bad
    assert [p.line for p in e.problems] == list(range(2, MAX_PROBLEMS + 2))
    assert f"and {n_bad - MAX_PROBLEMS} more" in str(e)


def test_blank_lines_keep_true_line_numbers(tmp_path):
    e = _refused(_write(tmp_path, "duration,failed\n5,1\n\n\r\n7,x\n"))
    assert [(p.line, p.column) for p in e.problems] == [(5, "failed")]


# ------------------------------------------------------------------ formats
@pytest.mark.parametrize(
    "columns,fmt",
    [
        (["duration", "failed"], LogFormat.durations),
        (["unit_id", "Duration ", "FAILED", "count", "entry"], LogFormat.durations),
        (["lower", "upper", "component"], LogFormat.intervals),
        (["installed", "removed", "failed"], LogFormat.dated),
        # installation dates kept beside durations are a covariate, not a dated log
        (["duration", "failed", "installed"], LogFormat.durations),
    ],
)
def test_detect_format(columns, fmt):
    assert detect_format(columns) is fmt


def test_durations_grouped_and_late_entry(tmp_path):
    text = "component,duration,failed,entry,count,temperature_c\nlaser,100,1,,3,85\nlaser,250.5,no,50,2,85\n"
    t = read_life_table(_write(tmp_path, text))
    d = t.data
    assert list(d["kind"]) == ["exact", "right"]
    assert list(d["lower"]) == [100.0, 250.5]
    assert list(d["upper"]) == [100.0, math.inf]
    assert list(d["entry"]) == [0.0, 50.0]  # empty entry = observed from new
    assert list(d["count"]) == [3, 2]
    assert (t.n_units, t.n_failures, t.n_left_truncated) == (5, 3, 2)
    # device-hours counted from entry: 3 x 100 + 2 x (250.5 - 50)
    assert t.device_hours == 3 * 100 + 2 * 200.5
    assert d["temperature_c"].tolist() == [85, 85] and d["temperature_c"].dtype.kind == "i"
    assert t.provenance.format == "durations" and t.provenance.rows == 2


def test_boolean_words(tmp_path):
    words = ["1", "0", "true", "FALSE", "Yes", "no", "y", "N", "t", "f", " 1 "]
    text = "duration,failed\n" + "".join(f"5,{w}\n" for w in words)
    t = read_life_table(_write(tmp_path, text))
    assert (t.data["kind"] == "exact").tolist() == [True, False, True, False, True, False, True,
                                                    False, True, False, True]


def test_dead_on_arrival_counted_apart(tmp_path):
    t = read_life_table(_write(tmp_path, "duration,failed\n0,1\n0,0\n5,1\n8,0\n"))
    # line 2 failed at age 0 (dead on arrival); line 3 was observed for 0 h without failing
    assert (t.n_dead_on_arrival, t.n_zero_exposure) == (1, 1)
    assert (t.n_units, t.n_failures) == (2, 1)
    assert sorted(t.dead_on_arrival["line"]) == [2, 3]
    assert (t.data["lower"] > 0).all()


def test_time_unit_conversion(tmp_path):
    p = _write(tmp_path, "duration,failed,entry\n2,1,0.5\n")
    days = read_life_table(p, time_unit="days")
    assert days.data["lower"].tolist() == [48.0] and days.data["entry"].tolist() == [12.0]
    years = read_life_table(p, time_unit="years")
    assert years.data["lower"].tolist() == [2 * HOURS_PER_YEAR]  # Julian year, 8766 h
    assert years.provenance.time_unit == "years"
    q = _write(tmp_path, "lower,upper\n1,2\n", name="iv.csv")
    assert read_life_table(q, time_unit="days").data[["lower", "upper"]].values.tolist() == [[24.0, 48.0]]


def test_intervals_kinds(tmp_path):
    text = "lower,upper\n0,100\n100,200\n300,\n150,150\n0,\n"
    t = read_life_table(_write(tmp_path, text))
    assert t.data["kind"].tolist() == ["left", "interval", "right", "exact"]
    assert t.data["upper"].tolist() == [100.0, 200.0, math.inf, 150.0]
    # lower = 0 with no upper: no exposure and no failure, kept apart but not dead on arrival
    assert (t.n_dead_on_arrival, t.n_zero_exposure) == (0, 1)
    assert not t.device_hours_known


def test_dated_hours_are_exact_days(tmp_path):
    text = (
        "unit_id,installed,removed,failed\n"
        "a,2024-02-28,2024-03-01,1\n"  # leap day in between: 2 days
        "b,2024-01-01,2024-01-11,0\n"  # suspension: right-censored at removal
        "c,2024-01-01,,0\n"  # in service: censored at the as-of date
        "d,2024-03-01,2024-03-01,1\n"  # failed on its installation day: dead on arrival
    )
    t = read_life_table(_write(tmp_path, text), as_of=dt.date(2024, 3, 31))
    d = t.data
    assert d["kind"].tolist() == ["exact", "right", "right"]
    assert d["lower"].tolist() == [48.0, 240.0, 90 * 24.0]  # 2024-01-01 -> 2024-03-31 = 90 days
    assert d["installed"].tolist() == ["2024-02-28", "2024-01-01", "2024-01-01"]
    assert t.n_dead_on_arrival == 1 and t.dead_on_arrival["unit_id"].tolist() == ["d"]
    assert t.provenance.as_of == "2024-03-31" and t.provenance.format == "dated"


def test_dated_default_as_of_is_latest_date(tmp_path):
    text = "installed,removed,failed\n2024-01-01,,0\n2024-01-05,2024-02-10,1\n2024-03-01,,0\n"
    t = read_life_table(_write(tmp_path, text))
    assert t.provenance.as_of == "2024-03-01"
    # the unit installed on the as-of date has zero exposure: dead on arrival by the zero-duration rule
    assert t.data["lower"].tolist() == [60 * 24.0, 36 * 24.0]


def test_covariates_kept_as_they_are(tmp_path):
    text = "unit_id,component,site,duration,failed,temperature_c\n007,els,A1,5,1,45.5\n010,els,2,6,0,\n"
    t = read_life_table(_write(tmp_path, text))
    d = t.data
    assert d["unit_id"].tolist() == ["007", "010"]  # identifiers stay text
    assert d["site"].tolist() == ["A1", "2"]  # mixed column stays text
    assert d["temperature_c"].iloc[0] == 45.5 and np.isnan(d["temperature_c"].iloc[1])
    assert t.covariate_columns == ["unit_id", "component", "site", "temperature_c"]


def test_header_case_bom_and_crlf(tmp_path):
    t = read_life_table(_write(tmp_path, b"\xef\xbb\xbfDuration , Failed\r\n5,1\r\n7,0\r\n"))
    assert t.data["lower"].tolist() == [5.0, 7.0] and t.n_failures == 1


def test_provenance_hash_is_of_the_file_bytes(tmp_path):
    import hashlib

    p = _write(tmp_path, "duration,failed\n5,1\n")
    assert read_life_table(p).provenance.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_samples_path_and_unknown_sample():
    assert samples_path("laser_htol.csv").is_file()
    with pytest.raises(DataValidationError, match="no such sample"):
        samples_path("nope.csv")
