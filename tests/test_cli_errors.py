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
