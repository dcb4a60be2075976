"""Domain errors become one message and exit 1 in one place (cli._common), for every layer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app


def test_scenario_error_json_lists_every_problem_with_its_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nhorizon_years = -1\nreplicatons = 3\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", str(bad), "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    fields = {p["field"] for p in doc["problems"]}
    # both the out-of-range horizon and the misspelt key are reported, each by its path
    assert "horizon_years" in fields and "replicatons" in fields, doc
    assert "Traceback" not in r.output


def test_data_error_json_lists_line_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("duration,failed\n10,1\n-5,0\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["data", "validate", str(bad), "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert any(p["line"] == 3 and p["column"] == "duration" for p in doc["problems"]), doc


@pytest.mark.parametrize("args, flag", [
    (["fit", "failure_data/samples/cpo_els_pilot.csv", "--save", "{missing}/m.json"], "--save"),
    (["fit", "failure_data/samples/cpo_els_pilot.csv", "--plot", "{missing}/p.png"], "--plot"),
    (["data", "synth", "--units", "5", "-o", "{missing}/log.csv"], "-o"),
])
def test_output_into_a_missing_folder_is_refused_before_work(tmp_path, args, flag):
    missing = tmp_path / "no" / "such"
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    argv = [str(root / a) if a.startswith("failure_data/") else a.format(missing=missing) for a in args]
    r = CliRunner().invoke(app, argv, env={"COLUMNS": "400"})  # no wrapping inside the error box
    assert r.exit_code == 2  # a usage error: the README's exit code for a bad option
    assert r.exception is None or isinstance(r.exception, SystemExit)  # no traceback
    out = " ".join(r.output.split())
    assert flag in out and "does not exist" in out and "mkdir -p" in out
    assert not missing.exists()  # nothing half-made


# ------------------------------------------------------------------ awkward inputs (issue 16)
def _parquet_int_ids(path):
    import pandas as pd

    # what pandas writes: int ids, a categorical, a nullable boolean with one value missing
    pd.DataFrame({
        "unit_id": [1, 2, 3],
        "component": pd.Categorical(["laser", "els", "laser"]),
        "duration": [5.0, 6.0, 7.0],
        "failed": pd.array([True, None, False], dtype="boolean"),
    }).to_parquet(path)


def _parquet_nested(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"unit_id": pa.array([[1], [2]]), "duration": [5.0, 6.0], "failed": [1, 0]}), path)


@pytest.mark.parametrize("name, content, line, column, fragment", [
    ("ids.parquet", _parquet_int_ids, 3, "failed", "is empty"),
    ("nested.parquet", _parquet_nested, 1, "unit_id", "nested Arrow column"),
    ("mac.csv", b"duration,failed\r5,1\r6,maybe\r", 3, "failed", "boolean-like"),
    ("excel.csv", b"sep=,\r\nduration,failed\r\n5,1\r\n-6,0\r\n", 4, "duration", "negative"),
    ("excel-semicolon.csv", b"sep=;\nduration;failed\n5;1\n", 1, None, "';'-separated; save it comma-separated"),
    ("cut.csv", b'unit_id,component,duration,failed\nA1,laser,5,1\nA2,"laser', 3, "component",
     "ends inside a quoted field that starts on line 3"),
])
def test_awkward_logs_exit_1_with_json_naming_line_and_column(tmp_path, name, content, line, column, fragment):
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    r = CliRunner().invoke(app, ["data", "validate", str(path), "--json"])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)  # no traceback
    doc = json.loads(r.stdout)
    assert str(path) in doc["error"]
    assert [(p["line"], p["column"]) for p in doc["problems"]] == [(line, column)], doc
    assert fragment in doc["problems"][0]["message"]


@pytest.mark.parametrize("value, model, fragment", [
    ("-300", "arrhenius", "absolute zero"),
    ("1e400", "arrhenius", "overflows to infinity"),
    ("1e400", "power", "overflows to infinity"),
    ("0", "power", "not above 0"),
])
def test_alt_stress_value_errors_name_line_and_column(tmp_path, value, model, fragment):
    rows = [f"{100 + i},{i % 2},{t}" for i, t in enumerate([85, 105, 125] * 3)]
    rows[4] = rows[4].rsplit(",", 1)[0] + f",{value}"  # file line 6
    path = tmp_path / "htol.csv"
    path.write_text("duration,failed,temperature_c\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["fit", str(path), "--stress", "temperature_c", "--model", model,
                                 "--at", "45", "--json"])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    doc = json.loads(r.stdout)
    assert "nothing was fitted" in doc["error"]
    assert [(p["line"], p["column"]) for p in doc["problems"]] == [(6, "temperature_c")], doc
    assert fragment in doc["problems"][0]["message"]
