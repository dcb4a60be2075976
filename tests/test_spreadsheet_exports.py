"""Issue 29, section 4, exports of spreadsheets and logging tools: encodings, separators, decimal
commas, thousands separators and dates as a person types them. A log is read as written when it
is CSV UTF-8 (with or without a BOM, CRLF or LF); anything else is refused by every command that
reads logs, naming the line, the value and what it should have been."""

from __future__ import annotations

import codecs
import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.spelled import SERIAL_EPOCH, date_fix, number_fix

runner = CliRunner()
READERS = [["data", "validate"], ["fit", "--dist", "exponential"], ["bound"]]
ROWS = [["unit_id", "component", "duration", "failed"], ["U1", "els", "100.5", "1"],
        ["U2", "els", "200", "0"], ["U3", "els", "300.25", "1"]]
CSV = "\n".join(",".join(r) for r in ROWS) + "\n"


def _run(tmp_path, command, data: bytes, name="log.csv"):
    f = tmp_path / name
    f.write_bytes(data)
    r = runner.invoke(app, [*command, str(f), "--json"])
    return r, json.loads(r.stdout) if r.stdout.strip() else None


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
@pytest.mark.parametrize("what, data", [
    ("UTF-8 with a BOM (Excel's CSV UTF-8)", codecs.BOM_UTF8 + CSV.encode()),
    ("CRLF line ends", CSV.replace("\n", "\r\n").encode()),
])
def test_what_a_spreadsheet_saves_as_csv_utf8_is_read(tmp_path, command, what, data):
    r, doc = _run(tmp_path, command, data)
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
@pytest.mark.parametrize("what, data, says", [
    ("UTF-16 with a BOM", CSV.encode("utf-16"), "is UTF-16 text"),
    ("UTF-16LE without a BOM", CSV.encode("utf-16-le"), "is UTF-16 text"),
    ("Windows-1252", "unit_id,component,duration,failed\nU1,émetteur,100,1\n".encode("cp1252"),
     "byte 0xe9"),
    ("semicolons", "\n".join(";".join(r) for r in ROWS).encode(), "looks like ';'-separated"),
    ("tabs", "\n".join("\t".join(r) for r in ROWS).encode(), "looks like tab-separated"),
    ("Excel's sep= line", ("sep=;\n" + "\n".join(";".join(r) for r in ROWS)).encode(),
     "the first line says the file is ';'-separated"),
    ("semicolons and empty trailing cells", "\n".join(";".join(r) + ";;" for r in ROWS).encode(),
     "looks like ';'-separated"),
])
def test_an_export_in_another_encoding_or_separator_is_refused_naming_it(tmp_path, command, what,
                                                                          data, says):
    r, doc = _run(tmp_path, command, data)
    assert r.exit_code == 1, r.output
    assert says in json.dumps(doc) and "Traceback" not in r.output


@pytest.mark.parametrize("typed, fix", [
    ("100,5", "100.5 (a decimal point, not a comma)"),
    ("1.234,5", "1234.5 (a decimal point, no thousands separators)"),
    ("1,234.5", "1234.5 (without the thousands separators)"),
    ("1 234,5", "1234.5 (without the thousands separators)"),
    ("1,234", "1234 (thousands grouped) or 1.234 (a decimal comma)"),  # ambiguous: both said
    ("100 h", "100 (the number alone; the unit is the column's)"),
    ("\u22125", "-5 (with an ASCII minus sign)"),
])
@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_number_as_a_spreadsheet_writes_it_is_refused_with_the_plain_number(tmp_path, command,
                                                                               typed, fix):
    text = f'unit_id,duration,failed\nU1,"{typed}",1\nU2,200,0\n'
    r, doc = _run(tmp_path, command, text.encode())
    assert r.exit_code == 1, r.output
    (p,) = doc["problems"]
    assert (p["line"], p["column"], p["value"]) == (2, "duration", typed)
    assert p["message"].endswith(f"here: {fix}") or f"here: {fix}" in p["message"]


@pytest.mark.parametrize("typed, fix", [
    ("13/2/2024", "2024-02-13 (day first)"),
    ("2/13/2024", "2024-02-13 (month first)"),
    ("1/2/2024", "2024-01-02 (month first) or 2024-02-01 (day first)"),  # ambiguous: never guessed
    ("02.01.2024", "2024-01-02 (day.month.year)"),
    ("2024/01/02", "2024-01-02 (with dashes)"),
    ("Jan 2, 2024", "2024-01-02 (the month as a number)"),
    ("2 January 2024", "2024-01-02 (the month as a number)"),
    ("2-Jan-2024", "2024-01-02 (the month as a number)"),
    ("2024-01-02 08:30", "2024-01-02 (the date alone, without the time of day)"),
    ("2024-01-02T08:30:00Z", "2024-01-02 (the date alone, without the time of day)"),
    ("45293", "2024-01-02 (it looks like a spreadsheet's serial day number"),
])
@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_date_as_a_person_types_it_is_refused_with_the_iso_date(tmp_path, command, typed, fix):
    text = f'unit_id,installed,removed,failed\nA,2023-12-01,"{typed}",1\nB,2023-12-01,,0\n'
    r, doc = _run(tmp_path, command, text.encode())
    assert r.exit_code == 1, r.output
    (p,) = doc["problems"]
    assert (p["line"], p["column"], p["value"]) == (2, "removed", typed)
    assert f"here: {fix}" in p["message"]


def test_the_serial_day_number_is_the_spreadsheets():
    # 1900 date system: 1 is 1900-01-01, and the (non-existent) 1900-02-29 is day 60, so from
    # March 1900 on day n is 1899-12-30 + n; 45293 is 2024-01-02 (=DATE(2024,1,2) in a sheet)
    import datetime as dt

    assert SERIAL_EPOCH + dt.timedelta(days=45293) == dt.date(2024, 1, 2)
    assert SERIAL_EPOCH + dt.timedelta(days=61) == dt.date(1900, 3, 1)


@pytest.mark.parametrize("typed", ["abc", "1e3x", "", "12/31/24", "31/02/2024", "32.01.2024"])
def test_what_cannot_be_read_is_not_guessed(typed):
    assert date_fix(typed) is None
    assert number_fix(typed) is None


def test_an_as_of_date_as_typed_gets_the_fix_too(tmp_path):
    f = tmp_path / "log.csv"
    f.write_text("unit_id,installed,removed,failed\nA,2023-12-01,2024-01-05,1\n", encoding="utf-8")
    r = runner.invoke(app, ["data", "validate", str(f), "--as-of", "31/12/2024", "--json"])
    assert r.exit_code == 1
    assert "here: 2024-12-31 (day first)" in json.dumps(json.loads(r.stdout))
