"""Domain errors become one message and exit 1 in one place (cli._common), for every layer."""

from __future__ import annotations

import json

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
