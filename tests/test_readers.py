"""failure_data.readers: formats, conversions and every refused input (line and column named)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
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


def _parquet(**columns) -> bytes:
    """A Parquet file's bytes: the columns as given (pyarrow arrays or lists)."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue().to_pybytes()


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
    # classic-Mac line ends (CR only) are read; lines are counted as the file has them
    ("cr-only-line-ends", b"duration,failed\r5,1\r\r6,x\r", {}, 4, "failed", "boolean-like"),
    ("cr-only-not-utf8", b"duration,failed,component\r5,1,laser\r6,0,caf\xe9\r", {}, 3, None,
     "re-save it as UTF-8"),
    # Excel's "sep=," first line is skipped: the header is line 2, the lines stay the file's
    ("excel-sep-line", "sep=,\nduration,failed\n5,1\n6,x\n", {}, 4, "failed", "boolean-like"),
    ("excel-sep-line-header", "sep=,\r\nduration,failed,kind\r\n5,1,x\r\n", {}, 2, "kind", "reserved"),
    ("excel-sep-line-ragged", "sep=,\nduration,failed\n5,1\n6,0,7\n", {}, 4, None, "fields"),
    ("excel-sep-line-only", "sep=,\n", {}, 1, None, "only the 'sep=,' line"),
    ("excel-sep-semicolon", "sep=;\nduration;failed\n5;1\n", {}, 1, None,
     "the file is ';'-separated; save it comma-separated"),
    ("excel-sep-tab", "sep=\t\nduration\tfailed\n5\t1\n", {}, 1, None, "tab-separated"),
    # a file cut in the middle of a quoted field, with or without a line break in it
    ("cut-in-quoted-field", 'unit_id,component,duration,failed\nA1,laser,5,1\nA2,"laser', {}, 3,
     "component", "ends inside a quoted field that starts on line 3; the file may be cut short"),
    ("cut-in-quoted-field-crlf", 'duration,failed,unit_id\r\n5,1,"A1"\r\n6,0,"A2\r\n', {}, 3,
     "unit_id", "may be cut short"),
    ("cut-quote-swallows-rows", 'duration,failed,note\n5,1,"open\n6,0,x\n7,1,y\n', {}, 2, "note",
     "starts on line 2"),
    ("cut-after-escaped-quote", 'duration,failed,note\n5,1,"a ""b"" c"\n6,0,"12"" pa', {}, 3, "note",
     "cut short"),
    ("cut-after-bare-quote", 'duration,failed,note\n5,1,12" panel\n6,0,"open', {}, 3, "note",
     "cut short"),
    ("cut-in-header", '"duration,failed\n5,1\n', {}, 1, None, "starts on line 1"),
    # Parquet columns whose Arrow type cannot be that column: refused by name and type
    ("parquet-nested-unit-id", _parquet(unit_id=pa.array([[1], [2]]), duration=[5.0, 6.0], failed=[1, 0]),
     {"name": "log.parquet"}, 1, "unit_id", "nested Arrow column"),
    ("parquet-struct-covariate", _parquet(duration=[5.0, 6.0], failed=[1, 0],
                                          site=pa.array([{"a": 1}, {"a": 2}])),
     {"name": "log.parquet"}, 1, "site", "flatten it"),
    ("parquet-timedelta-duration", _parquet(duration=pa.array([dt.timedelta(hours=5)] * 2), failed=[1, 0]),
     {"name": "log.parquet"}, 1, "duration", "time span"),
    ("parquet-date-failed", _parquet(duration=[5.0, 6.0], failed=pa.array([dt.date(2024, 1, 1)] * 2)),
     {"name": "log.parquet"}, 1, "failed", "not a boolean or number column"),
    ("parquet-number-installed", _parquet(installed=[20240101, 20240102], removed=["", ""], failed=[0, 0]),
     {"name": "log.parquet"}, 2, "installed", "holds integers (int64), not dates"),
    ("parquet-binary-not-text", _parquet(unit_id=pa.array([b"ok", b"\xff"]), duration=[5.0, 6.0],
                                         failed=[1, 0]),
     {"name": "log.parquet"}, 1, "unit_id", "not UTF-8"),
    # nulls of a nullable boolean / integer are empty cells, refused where a value is required
    ("parquet-nullable-failed-null", _parquet(unit_id=[7, 8], duration=[5.0, 6.0],
                                              failed=pa.array([True, None])),
     {"name": "log.parquet"}, 3, "failed", "is empty"),
    ("parquet-int-unit-id-duplicate", _parquet(unit_id=[7, 7], component=pa.array(["a", "a"]).dictionary_encode(),
                                               duration=[5.0, 6.0], failed=[1, 0]),
     {"name": "log.parquet"}, 3, "unit_id", "first on line 2"),
    ("parquet-tz-timestamp-time-of-day", _parquet(
        installed=pa.array([dt.datetime(2024, 1, 1, 23)], pa.timestamp("us", tz="UTC")),
        removed=pa.array([None], pa.date32()), failed=[0]),
     {"name": "log.parquet"}, 2, "installed", "time of day"),
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


@pytest.mark.parametrize("text", [
    "duration,failed\n5,1\n6,0\n7,x\n",  # no blank line: the counted fast path
    "duration,failed\n5,1\n6,0\n7,x",  # no final line end
    "duration,failed\r\n5,1\r\n6,0\r\n7,x\r\n",
    "\nduration,failed\n5,1\n6,0\n7,x\n",  # a blank line before the header
    "duration,failed\n5,1\n6,0\n7,x\n\n\n",  # blank lines at the end only
    "duration,failed\n5,1\n\r\n6,0\n\n7,x",
])
def test_line_numbers_fast_path_equals_line_by_line(text):
    from failure_data._csv_bytes import _line_numbers

    # reference: the file's lines one by one, blank ones (nothing, or a lone CR) skipped
    lines = [i for i, ln in enumerate(text.split("\n"), start=1) if ln not in ("", "\r")]
    header, rows = lines[0], lines[1:]
    data = text.encode()[text.index("duration"):]  # the reader passes the bytes from the header on
    got = _line_numbers(data, len(rows)) + (header - 1)
    assert got.tolist() == rows


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


# ------------------------------------------------------------------ awkward exports that read
def _assert_same_table(got, want):
    pd.testing.assert_frame_equal(got.data, want.data)
    pd.testing.assert_frame_equal(got.dead_on_arrival, want.dead_on_arrival)
    assert (got.provenance.format, got.provenance.rows, got.provenance.as_of) == (
        want.provenance.format, want.provenance.rows, want.provenance.as_of)


DURATIONS_CSV = ("unit_id,component,duration,failed,count,temperature_c\n"
                 "7,laser,5.5,1,1,85\n8,els,6,0,2,\n9,laser,0,1,1,105\n10,els,12.25,true,1,85\n")


def _pandas_export(path):
    # what pandas writes: nullable Int64 ids, a categorical, a nullable boolean, a non-default index
    pd.DataFrame({
        "unit_id": pd.array([7, 8, 9, 10], dtype="Int64"),
        "component": pd.Categorical(["laser", "els", "laser", "els"]),
        "duration": [5.5, 6.0, 0.0, 12.25],
        "failed": pd.array([True, False, True, True], dtype="boolean"),
        "count": [1, 2, 1, 1],
        "temperature_c": pd.array([85, None, 105, 85], dtype="Int64"),
    }, index=[3, 5, 8, 13]).to_parquet(path)


def _arrow_export(path):
    # large_string ids, a dictionary of ints, decimals, an int32 column with a null
    import decimal

    pq.write_table(pa.table({
        "unit_id": pa.array(["7", "8", "9", "10"], pa.large_string()),
        "component": pa.array(["laser", "els", "laser", "els"]).dictionary_encode(),
        "duration": pa.array([decimal.Decimal(v) for v in ("5.5", "6", "0", "12.25")]),
        "failed": pa.array([1, 0, 1, 1], pa.int8()),
        "count": pa.array([1, 2, 1, 1]).dictionary_encode(),
        "temperature_c": pa.array([85, None, 105, 85], pa.int32()),
    }), path)


def _spark_export(path):
    # int64 ids, plain strings, doubles and booleans, several row groups
    pq.write_table(pa.table({
        "unit_id": pa.array([7, 8, 9, 10], pa.int64()),
        "component": ["laser", "els", "laser", "els"],
        "duration": [5.5, 6.0, 0.0, 12.25],
        "failed": [True, False, True, True],
        "count": pa.array([1, 2, 1, 1], pa.int32()),
        "temperature_c": [85.0, None, 105.0, 85.0],
    }), path, row_group_size=2)


@pytest.mark.parametrize("export", [_pandas_export, _arrow_export, _spark_export],
                         ids=["pandas", "arrow", "spark"])
def test_parquet_exports_read_like_the_csv(tmp_path, export):
    want = read_life_table(_write(tmp_path, DURATIONS_CSV))
    export(tmp_path / "log.parquet")
    got = read_life_table(tmp_path / "log.parquet")
    _assert_same_table(got, want)
    assert got.data["unit_id"].tolist() == ["7", "8", "10"]  # numbers as their text; 9 is DOA
    assert got.dead_on_arrival["unit_id"].tolist() == ["9"]
    assert "__index_level_0__" not in got.data.columns


DATED_CSV = ("unit_id,component,installed,removed,failed\n"
             "A,laser,2024-01-01,2024-01-03,1\nB,els,2024-01-01,,0\nC,els,2024-02-01,2024-02-01,1\n")
_DAYS = [dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 2, 1)]


@pytest.mark.parametrize("installed", [
    pa.array(_DAYS, pa.date32()),
    pa.array(_DAYS, pa.date64()),
    pa.array([dt.datetime.combine(d, dt.time()) for d in _DAYS], pa.timestamp("ns")),
    pa.array([dt.datetime.combine(d, dt.time()) for d in _DAYS], pa.timestamp("us", tz="UTC")),
    # midnight in Berlin is 23:00 UTC the day before: the date is the one written in that zone
    pa.array(pd.to_datetime([d.isoformat() for d in _DAYS]).tz_localize("Europe/Berlin")),
    pa.array(pd.to_datetime([d.isoformat() for d in _DAYS]).tz_localize("America/Los_Angeles")),
], ids=lambda a: str(a.type))
def test_parquet_dates_and_timestamps_read_like_the_csv(tmp_path, installed):
    want = read_life_table(_write(tmp_path, DATED_CSV), as_of="2024-02-11")
    pq.write_table(pa.table({
        "unit_id": ["A", "B", "C"],
        "component": pa.array(["laser", "els", "els"]).dictionary_encode(),
        "installed": installed,
        "removed": pa.array([dt.datetime(2024, 1, 3), None, dt.datetime(2024, 2, 1)], pa.timestamp("ms")),
        "failed": pa.array([True, False, True]),
    }), tmp_path / "log.parquet")
    got = read_life_table(tmp_path / "log.parquet", as_of="2024-02-11")
    _assert_same_table(got, want)
    assert got.data["installed"].tolist() == ["2024-01-01", "2024-01-01"]
    assert got.data["lower"].tolist() == [48.0, 41 * 24.0]
    assert got.n_dead_on_arrival == 1 and got.dead_on_arrival["component"].tolist() == ["els"]
    # (a null component, like an empty cell, is refused as blank: tests/test_messages.py)


def test_parquet_float_ids_and_empty_columns(tmp_path):
    # ids made float by a missing one (pandas), an all-null column (Arrow null type), bytes as text
    pq.write_table(pa.table({
        "unit_id": [7.0, 8.0, None],
        "component": pa.array([b"laser", b"els", b"els"]),
        "duration": [5.0, 6.0, 7.0],
        "failed": [1, 0, 0],
        "entry": pa.array([None, None, None], pa.null()),
    }), tmp_path / "log.parquet")
    t = read_life_table(tmp_path / "log.parquet")
    assert t.data["unit_id"].tolist() == ["7", "8", ""]  # the empty id is an empty cell, as in CSV
    assert t.data["component"].tolist() == ["laser", "els", "els"]
    assert t.data["entry"].tolist() == [0.0, 0.0, 0.0]


def test_cr_only_and_excel_sep_line_read_like_plain_csv(tmp_path):
    text = "unit_id,duration,failed\nA,5,1\n\nB,7,0\n"
    want = read_life_table(_write(tmp_path, text))
    cr = read_life_table(_write(tmp_path, text.replace("\n", "\r").encode(), name="cr.csv"))
    _assert_same_table(cr, want)
    assert cr.data["line"].tolist() == [2, 4]  # the blank line is counted
    sep = read_life_table(_write(tmp_path, "sep=,\r\n" + text.replace("\n", "\r\n"), name="sep.csv"))
    pd.testing.assert_frame_equal(sep.data.drop(columns="line"), want.data.drop(columns="line"))
    assert sep.data["line"].tolist() == [3, 5]  # the lines of the file, sep line included


def test_quotes_that_close_are_not_taken_for_a_cut(tmp_path):
    # escaped quotes, a line break inside a quoted value and a bare quote in an unquoted value
    text = 'duration,failed,note\n5,1,"say ""hi"""\n6,0,"two\nlines"\n7,1,12" panel\n8,0,""\n'
    t = read_life_table(_write(tmp_path, text))
    assert t.data["note"].tolist() == ['say "hi"', "two\nlines", '12" panel', ""]


# ------------------------------------------------------------------ ALT stress values (their lines)
@pytest.mark.parametrize("model,value,fragment", [
    ("arrhenius", "-300", "at or below absolute zero (-273.15 °C)"),
    ("arrhenius", "-273.15", "absolute zero"),
    ("arrhenius", "1e400", "1e400 overflows to infinity"),
    ("arrhenius", "hot", "is not a number"),
    ("arrhenius", "", "is empty"),
    ("power", "0", "is not above 0"),
    ("power", "-5", "is not above 0"),
    ("power", "1e400", "overflows"),
])
def test_alt_stress_values_are_refused_with_line_and_column(tmp_path, model, value, fragment):
    from reliability.alt import ALTSpec, StressModel, fit_alt

    text = f"unit_id,duration,failed,temperature_c\nA,100,1,85\nB,200,0,125\nC,150,1,{value}\nD,90,1,105\n"
    path = _write(tmp_path, text)
    table = read_life_table(path)
    with pytest.raises(DataValidationError) as e:
        fit_alt(table, ALTSpec("temperature_c", StressModel(model), 45.0))
    assert [(p.line, p.column) for p in e.value.problems] == [(4, "temperature_c")]
    message = str(e.value)
    assert fragment in message and str(path) in message and "nothing was fitted" in message
