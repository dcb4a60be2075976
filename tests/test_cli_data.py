"""`cpo data validate` and `cpo data synth` through typer's CliRunner: exit codes, JSON, stderr."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.readers import read_life_table, samples_path

runner = CliRunner()

JSON_KEYS = {"file", "sha256", "format", "as_of", "time_unit", "rows", "units", "failures",
             "right_censored", "left_censored", "interval_censored", "left_truncated",
             "dead_on_arrival", "zero_exposure", "device_hours", "components", "problems"}


def _log(tmp_path, text, name="log.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_validate_summary_json(tmp_path):
    text = ("unit_id,component,duration,failed,entry,count\n"
            "a,laser,100,1,,1\nb,laser,200,0,50,2\nc,engine,0,1,,1\nd,engine,300,0,,1\n")
    r = runner.invoke(app, ["data", "validate", _log(tmp_path, text), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)  # stdout is one JSON document and nothing else
    assert set(doc) == JSON_KEYS
    assert (doc["rows"], doc["units"], doc["failures"], doc["right_censored"]) == (4, 4, 1, 3)
    assert (doc["left_truncated"], doc["dead_on_arrival"], doc["problems"]) == (2, 1, [])
    # device-hours: 100 + 2 x (200 - 50) + 300
    assert doc["device_hours"] == 700.0
    assert doc["components"] == {
        "engine": {"units": 1, "failures": 0, "device_hours": 300.0, "dead_on_arrival": 1},
        "laser": {"units": 3, "failures": 1, "device_hours": 400.0, "dead_on_arrival": 0},
    }


def test_validate_human_output_and_as_of_note():
    r = runner.invoke(app, ["data", "validate", str(samples_path("pluggable_800g_dated.csv"))])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())  # the table title wraps with the path's length and the width
    assert "valid dated log" in text and "per component" in text
    assert "(latest date in the file; set --as-of to change)" in " ".join(r.stderr.split())
    r = runner.invoke(app, ["data", "validate", str(samples_path("pluggable_800g_dated.csv")),
                            "--as-of", "2025-12-31", "--json"])
    assert json.loads(r.stdout)["as_of"] == "2025-12-31" and "as-of date" not in r.stderr


def test_validate_intervals_device_hours_are_null():
    r = runner.invoke(app, ["data", "validate", str(samples_path("engine_inspections.csv")), "--json"])
    doc = json.loads(r.stdout)
    assert doc["device_hours"] is None and doc["components"]["engine"]["device_hours"] is None
    assert doc["interval_censored"] > 0


def test_validate_refusal_lists_every_problem(tmp_path):
    path = _log(tmp_path, "duration,failed\n5,1\n-1,1\nx,maybe\n")
    r = runner.invoke(app, ["data", "validate", path, "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert set(doc) == {"error", "problems"}
    assert [(p["line"], p["column"], p["value"]) for p in doc["problems"]] == [
        (3, "duration", "-1"), (4, "duration", "x"), (4, "failed", "maybe")]
    assert all(p["message"] for p in doc["problems"])
    assert "3 problems found" in r.stderr and "line 4, column 'failed'" in r.stderr
    r = runner.invoke(app, ["data", "validate", path])
    assert r.exit_code == 1 and r.stdout == "" and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args,code,text",
    [
        (["data", "validate", "no/such/file.csv"], 1, "file not found"),
        (["data", "validate", "{log}", "--time-unit", "weeks"], 2, "weeks"),
        (["data", "validate", "{log}", "--as-of", "yesterday"], 1, "YYYY-MM-DD"),
        (["data", "validate"], 2, "Missing argument"),
    ],
)
def test_validate_exit_codes(tmp_path, args, code, text):
    log = _log(tmp_path, "duration,failed\n5,1\n")
    r = runner.invoke(app, [a.replace("{log}", log) for a in args])
    assert r.exit_code == code
    assert text in r.output + r.stderr


SYNTH = ["data", "synth", "--dist", "weibull", "--shape", "1.3", "--scale", "2e4", "--units", "200",
         "--horizon", "2y", "--stagger", "180d", "--seed", "42"]


@pytest.mark.parametrize("fmt", ["durations", "intervals", "dated", "grouped"])
def test_synth_same_seed_same_bytes(tmp_path, fmt):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for p in (a, b):
        r = runner.invoke(app, [*SYNTH, "--format", fmt, "-o", str(p)])
        assert r.exit_code == 0, r.output
    assert a.read_bytes() == b.read_bytes()
    r = runner.invoke(app, [*SYNTH, "--format", fmt])  # without -o: the CSV on stdout
    assert r.stdout.encode() == a.read_bytes()
    other = runner.invoke(app, [*SYNTH[:-1], "43", "--format", fmt])
    assert other.stdout != r.stdout


def test_synth_then_validate_agree(tmp_path):
    out = tmp_path / "log.parquet"
    r = runner.invoke(app, [*SYNTH, "--format", "dated", "--component", "engine", "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    made = json.loads(r.stdout)
    assert made["as_of"] == "2025-12-31" and made["model"]["parameters"] == {"shape": 1.3, "scale": 2e4}
    assert f"read it with --as-of {made['as_of']}" in r.stderr
    table = read_life_table(out, as_of=made["as_of"])
    assert table.n_units + table.n_dead_on_arrival == made["units"] == 200
    r = runner.invoke(app, ["data", "validate", str(out), "--as-of", made["as_of"], "--json"])
    doc = json.loads(r.stdout)
    assert doc["failures"] + doc["components"]["engine"]["dead_on_arrival"] == made["failures"]


@pytest.mark.parametrize(
    "extra,text",
    [
        (["--dist", "weibull", "--scale", "1e4"], "weibull needs --shape"),
        (["--dist", "weibull", "--shape", "1", "--scale", "1e4", "--mu", "3"], "--mu 3.0 does not apply"),
        (["--dist", "lognormal", "--mu", "9", "--sigma", "-0.5"], "-0.5"),
        (["--dist", "exponential", "--scale", "0"], "0.0"),
        (["--dist", "gamma", "--scale", "1"], "gamma"),
        (["--dist", "exponential", "--scale", "1e4", "--horizon", "soon"], "soon"),
        (["--dist", "exponential", "--scale", "1e4", "--stagger", "3y"], "3y"),
        (["--dist", "exponential", "--scale", "1e4", "--stagger", "150%"], "150%"),
        (["--dist", "exponential", "--scale", "1e4", "--units", "0"], "0: the number of units"),
        (["--dist", "exponential", "--scale", "1e4", "--start-date", "2024-02-30"], "2024-02-30"),
        (["--dist", "exponential", "--scale", "1e4", "-o", "log.xlsx"], "log.xlsx"),
        (["--dist", "exponential", "--scale", "1e4", "--json"], "--json needs -o"),
        (["--dist", "exponential", "--scale", "1e4", "--format", "weekly"], "weekly"),
    ],
)
def test_synth_bad_parameters_are_usage_errors(extra, text):
    r = runner.invoke(app, ["data", "synth", *extra])
    assert r.exit_code == 2
    assert text in " ".join((r.output + r.stderr).split())  # rich wraps long lines
    assert "Traceback" not in r.output + r.stderr


def test_validate_notes_options_that_do_not_apply(tmp_path):
    r = runner.invoke(app, ["data", "validate", _log(tmp_path, "duration,failed\n5,1\n"), "--as-of", "2024-01-01"])
    assert r.exit_code == 0 and "--as-of applies to dated logs only" in r.stderr
    dated = _log(tmp_path, "installed,removed,failed\n2024-01-01,,0\n", name="d.csv")
    r = runner.invoke(app, ["data", "validate", dated, "--time-unit", "days", "--as-of", "2024-01-03", "--json"])
    assert r.exit_code == 0 and "does not apply to dated logs" in r.stderr
    assert json.loads(r.stdout)["device_hours"] == 48.0
