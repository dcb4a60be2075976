"""Property tests: a valid field log or scenario with one random corruption is refused with a
message naming where (line and column, or the field path); never another exception, never read.

The valid inputs round-trip (tests/test_writers_roundtrip.py, tests/test_fleet_scenario.py); here
each example takes one and breaks it the ways users' files break: a cell replaced, a column
dropped, a row cut short, units written into a cell, the encoding changed, a key misspelt.
"""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failure_data.errors import DataError, DataValidationError
from failure_data.readers import read_life_table
from fleet_models.errors import ScenarioError
from fleet_models.scenario.docs import starter_toml
from fleet_models.scenario.read import parse_scenario

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def logs(draw):
    """A valid durations log: header and rows as lists of cells."""
    n = draw(st.integers(1, 12))
    rows = [[repr(draw(st.floats(0, 1e6, allow_nan=False))), draw(st.sampled_from(["0", "1", "true", "no"])),
             str(draw(st.integers(1, 50)))] for _ in range(n)]
    return ["duration", "failed", "count"], rows


def _text(header, rows) -> str:
    return "\n".join(",".join(r) for r in [header, *rows]) + "\n"


BAD_CELLS = {
    "duration": ["abc", "-1", "1e400", "nan", "12 h", "1,5"],
    "failed": ["maybe", "2", "-1", "x"],
    "count": ["0", "-3", "1.5", "many"],
}


@SETTINGS
@given(log=logs(), data=st.data())
def test_a_replaced_cell_is_refused_naming_its_line_and_column(tmp_path, log, data):
    header, rows = log
    i = data.draw(st.integers(0, len(rows) - 1))
    j = data.draw(st.integers(0, 2))
    bad = data.draw(st.sampled_from(BAD_CELLS[header[j]]))
    rows[i][j] = f'"{bad}"' if "," in bad else bad
    f = tmp_path / "log.csv"
    f.write_text(_text(header, rows), encoding="utf-8")
    with pytest.raises(DataValidationError) as e:
        read_life_table(f)
    p = e.value.problems[0]
    assert (p.line, p.column) == (i + 2, header[j]), str(e.value)  # the header is line 1


@SETTINGS
@given(log=logs(), data=st.data())
def test_a_dropped_required_column_is_refused_naming_it(tmp_path, log, data):
    header, rows = log
    j = data.draw(st.integers(0, 1))  # duration or failed
    f = tmp_path / "log.csv"
    f.write_text(_text([h for k, h in enumerate(header) if k != j],
                       [[c for k, c in enumerate(r) if k != j] for r in rows]), encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_life_table(f)
    assert header[j] in str(e.value) and "line 1" in str(e.value)  # the header names it


@SETTINGS
@given(log=logs(), data=st.data())
def test_a_row_cut_short_is_refused_naming_its_line(tmp_path, log, data):
    header, rows = log
    i = data.draw(st.integers(0, len(rows) - 1))
    rows[i] = rows[i][: data.draw(st.integers(1, 2))]
    f = tmp_path / "log.csv"
    f.write_text(_text(header, rows), encoding="utf-8")
    with pytest.raises(DataValidationError) as e:
        read_life_table(f)
    assert e.value.problems[0].line == i + 2, str(e.value)


@SETTINGS
@given(log=logs(), encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-32"]))
def test_another_encoding_is_refused_with_the_fix(tmp_path, log, encoding):
    f = tmp_path / "log.csv"
    f.write_bytes(_text(*log).encode(encoding))
    with pytest.raises(DataError) as e:
        read_life_table(f)
    assert "UTF-" in str(e.value) and "UTF-8" in str(e.value)


def test_a_byte_order_mark_and_crlf_read_as_plain_utf8(tmp_path):
    header, rows = ["duration", "failed"], [["100", "1"], ["250.5", "0"]]
    plain, excel = tmp_path / "a.csv", tmp_path / "b.csv"
    plain.write_text(_text(header, rows), encoding="utf-8")
    excel.write_bytes(b"\xef\xbb\xbf" + _text(header, rows).replace("\n", "\r\n").encode())
    assert read_life_table(plain).equals(read_life_table(excel))


# ---------------------------------------------------------------------- scenarios

STARTER = starter_toml()
NUMERIC_KEYS = ["switches", "ports_per_switch", "horizon_years", "replications"]


@SETTINGS
@given(key=st.sampled_from(NUMERIC_KEYS),
       bad=st.sampled_from(['"ten"', "-5", "0", "1e400", "true", "[1, 2]"]))
def test_a_scenario_number_replaced_is_refused_naming_its_field(key, bad):
    lines = STARTER.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(f"{key} ="))
    lines[i] = f"{key} = {bad}"
    try:
        data = tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError:
        return  # not TOML at all: the loader says so (tests/data/bad/not_toml.toml)
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data)
    assert key in str(e.value)


@SETTINGS
@given(key=st.sampled_from(NUMERIC_KEYS), typo=st.sampled_from(["s", "_x", "es"]))
def test_a_misspelt_key_is_refused_with_the_spelling_it_meant(key, typo):
    text = STARTER.replace(f"\n{key} =", f"\n{key}{typo} =", 1)
    with pytest.raises(ScenarioError) as e:
        parse_scenario(tomllib.loads(text))
    assert f"{key}{typo}" in str(e.value) and "unknown key" in str(e.value)
