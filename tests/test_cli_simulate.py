"""`cpo simulate`: human table, pure JSON, --out files, the default scenario, clean errors."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from fleet_models.runs.runner import run
from fleet_models.scenario.read import load_scenario

SMALL = """
name = "small"
horizon_years = 2
replications = 3
seed = 7

[fleet]
switches = 4
ports_per_switch = 8

[policy]
detection_hours = 0.5
technicians = 1

[policy.spares.module]
stock = 1
lead_time_days = 10

[[architectures]]
name = "plug"
[[architectures.components]]
name = "module"
per_switch = 8
ports_per_unit = 1
life = { fit_per_1e9h = 20000 }
repair = "swap"

[[architectures]]
name = "cpo"
[[architectures.components]]
name = "engine"
per_switch = 2
ports_per_unit = 4
life = { distribution = "weibull", shape = 1.2, scale = 2e5 }
repair = "replace-switch"
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, ["simulate", *args])


def test_json_is_the_documented_shape_and_matches_the_library(small):
    res = invoke(str(small), "--json", "--workers", "1")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)  # stdout is one JSON document, nothing else
    assert list(doc) == ["scenario", "replications", "seed", "horizon_hours", "engine", "elapsed_s",
                       "architectures"]
    assert (doc["scenario"], doc["replications"], doc["seed"]) == ("small", 3, 7)
    assert doc["horizon_hours"] == pytest.approx(2 * 8766.0)
    assert list(doc["architectures"]) == ["plug", "cpo"]
    assert list(doc["architectures"]["plug"]["failures"]) == ["module"]
    # auto: the fast engine, which models everything this scenario holds (its training job too)
    assert doc["engine"] == "fast" and doc["elapsed_s"] > 0
    expected = run(load_scenario(small), workers=1).to_dict()
    doc.pop("elapsed_s"), expected.pop("elapsed_s")  # wall time: the one field that differs
    assert doc == json.loads(json.dumps(expected))


def test_replications_and_seed_override_the_scenario(small):
    res = invoke(str(small), "--json", "--replications", "2", "--seed", "11", "--workers", "1")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert (doc["replications"], doc["seed"]) == (2, 11)


def test_human_table(small):
    res = invoke(str(small), "--workers", "1", "--quiet")
    assert res.exit_code == 0, res.output
    for word in ("port_availability", "failures_module", "failures_engine", "job_interruptions",
                 "plug", "cpo", "ci95"):
        assert word in res.stdout


def test_one_replication_says_its_interval_is_a_point(small):
    res = invoke(str(small), "--workers", "1", "--replications", "1")
    assert res.exit_code == 0, res.output
    assert "one replication" in res.stdout


def test_out_writes_tidy_csv_and_summary(small, tmp_path):
    out = tmp_path / "results"
    res = invoke(str(small), "--out", str(out), "--json", "--workers", "2")
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out / "replications.csv")
    assert list(frame.columns[:2]) == ["replication", "architecture"]
    assert len(frame) == 3 * 2
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary == json.loads(res.stdout)


def test_default_scenario_runs_without_a_file():
    res = invoke("--replications", "2", "--workers", "1", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["scenario"] == "default" and doc["replications"] == 2
    assert len(doc["architectures"]) >= 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.toml"], "not found"),
        (["BAD"], "fleet.switches"),
    ],
)
def test_bad_scenario_is_one_clean_error(args, message, tmp_path):
    if args == ["BAD"]:
        bad = tmp_path / "bad.toml"
        bad.write_text(SMALL.replace("switches = 4", "switches = -4"), encoding="utf-8")
        args = [str(bad)]
    res = invoke(*args)
    assert res.exit_code == 1
    assert message in res.stderr
    assert "Traceback" not in res.output


def test_bad_scenario_with_json_writes_a_json_error(tmp_path):
    res = invoke(str(tmp_path / "missing.toml"), "--json")
    assert res.exit_code == 1
    assert "error" in json.loads(res.stdout)


@pytest.mark.parametrize("args", [["--replications", "0"], ["--workers", "0"], ["--seed", "-1"]])
def test_bad_options_are_usage_errors(args, small):
    assert invoke(str(small), *args).exit_code == 2


def test_unwritable_out_is_a_clean_error(small, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    res = invoke(str(small), "--out", str(blocker / "sub"), "--workers", "1")
    assert res.exit_code == 1
    assert "cannot write results" in res.stderr


@pytest.mark.parametrize("flag, value, allowed", [
    ("--replications", "1000000000", "[1, 100_000]"),  # the scenario file's range for replications
    ("--replications", "100001", "[1, 100_000]"),
])
def test_command_line_overrides_are_held_to_the_scenario_range(flag, value, allowed):
    r = CliRunner().invoke(app, ["simulate", flag, value, "--json"])
    assert r.exit_code == 1  # a domain error, refused before any replication runs
    doc = json.loads(r.stdout)  # stdout stays one JSON document
    assert value in doc["error"] and allowed in doc["error"] and flag in doc["error"]


def test_library_run_holds_seed_and_replications_to_the_scenario_range():
    from fleet_models.builtins.scenarios import default_scenario
    from fleet_models.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"seed = -1 must be in \[0,"):
        run(default_scenario(), replications=1, seed=-1, workers=1)
    with pytest.raises(ScenarioError, match=r"replications = True"):
        run(default_scenario(), replications=True, workers=1)


# ---------------------------------------------------------------- run size: cap and time estimate
BIG = SMALL.replace("switches = 4", "switches = 100000").replace("horizon_years = 2", "horizon_years = 100")


def test_estimate_counts_failures_by_the_renewal_rate():
    """Exponential lives: E[failures] per unit = H / mean (Poisson renewal count); a Weibull
    engine: max(F(H), H / mean). Reference: the formula written out here."""
    import math

    from fleet_models.runs.estimate import estimate
    from fleet_models.scenario.read import parse_scenario

    sc = parse_scenario(tomllib.loads(SMALL))
    h = 2 * 8766.0
    module = 4 * 8 * h * 20000e-9  # 32 modules, 20000 FIT
    eng = sc.architectures[1].components[0].life
    engine = 4 * 2 * max(float(eng.cdf(h)), h / eng.mean())
    est = estimate(sc, replications=3, workers=1)
    assert est.failures == pytest.approx(3 * (module + engine), rel=1e-12)
    assert est.units == 3 * (32 + 8)
    assert not est.too_large and est.seconds < 1
    assert math.isfinite(est.seconds)


def test_a_run_above_the_cap_is_refused_unless_forced(tmp_path):
    from fleet_models.errors import RunTooLarge
    from fleet_models.scenario.read import parse_scenario

    sc = parse_scenario(tomllib.loads(BIG))
    with pytest.raises(RunTooLarge, match="force=True") as e:
        run(sc, workers=1)
    assert e.value.estimate.failures > 2e7  # 100k switches x 100 years: far above the cap
    path = tmp_path / "big.toml"
    path.write_text(BIG, encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", str(path), "--json"], env={"COLUMNS": "400"})
    assert r.exit_code == 1
    doc = json.loads(r.stdout)  # valid JSON, the one error document
    assert "--force" in doc["error"] and "failure events" in doc["error"]
    assert re.search(r"about [\d.]+ (s|min|h|days) on", doc["error"]), doc  # how long it would take
    assert "Traceback" not in r.output


def test_a_long_run_says_how_long_it_will_take(small, monkeypatch):
    import fleet_models.runs.estimate as runner

    # make this 3-replication run look long (the real rate is measured in benchmarks/bench_estimate.py)
    monkeypatch.setattr(runner, "SECONDS_PER_FAILURE", 1.0)
    monkeypatch.setattr(runner, "SECONDS_PER_FAILURE_FAST", 1.0)
    r = CliRunner().invoke(app, ["simulate", str(small), "-w", "1"])
    assert r.exit_code == 0, r.output
    assert "simulating about" in r.stderr and "worker(s)" in r.stderr
    r = CliRunner().invoke(app, ["simulate", str(small), "-w", "1", "--quiet"])
    assert "simulating" not in r.stderr
