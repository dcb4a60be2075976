"""A saved run is data: `cpo simulate --out DIR` writes what rebuilds its result exactly, and
`cpo compare --from DIR` / `cpo report --from DIR` re-price and re-report it without simulating
(the way NREL WOMBAT rebuilds its metrics from a run's saved outputs)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import fleet_models.runs.runner as runner
from cli.main import app
from fleet_models.builtins.scenarios import builtin_scenarios
from fleet_models.errors import FleetError
from fleet_models.runs.runner import run
from fleet_models.runs.saved import load, repriced, save
from fleet_models.scenario.variants import with_value
from fleet_models.scenario.write import scenario_to_toml


def _pilot(**changes):
    sc = builtin_scenarios()["cpo-pilot"]
    return dataclasses.replace(sc, replications=8, **changes)


@pytest.mark.parametrize("uncertainty", [False, True])
def test_a_saved_run_loads_back_to_the_same_result_bit_for_bit(tmp_path, uncertainty):
    res = run(_pilot(uncertainty=uncertainty), workers=1)
    save(res, tmp_path)
    back = load(tmp_path)
    assert back.spec == res.spec and (back.seed, back.engine) == (res.seed, res.engine)
    pd.testing.assert_frame_equal(back.replications, res.replications, check_exact=True)
    pd.testing.assert_frame_equal(back.tco, res.tco, check_exact=True)
    pd.testing.assert_frame_equal(back.summary(), res.summary(), check_exact=True)
    assert (back.draws is None) == (not uncertainty)


def test_re_pricing_equals_running_the_priced_scenario(tmp_path):
    sc = _pilot(uncertainty=True)  # the drawn prices follow the new value's range
    save(run(sc, workers=1), tmp_path)
    dearer = with_value(sc, "costs.gpu_hour_usd", 4.0)
    got = repriced(load(tmp_path), dearer).tco
    want = run(dearer, workers=1).tco
    np.testing.assert_array_equal(got["tco_usd"].to_numpy(), want["tco_usd"].to_numpy())


def test_re_pricing_refuses_a_scenario_that_simulates_otherwise_naming_the_field(tmp_path):
    sc = _pilot()
    save(run(sc, workers=1), tmp_path)
    with pytest.raises(FleetError, match=r"policy\.swap_hours differs between the saved run"):
        repriced(load(tmp_path), with_value(sc, "policy.swap_hours", 0.5))
    with pytest.raises(FleetError, match=r"costs\.discount_rate differs"):  # the sums hold it
        repriced(load(tmp_path), with_value(sc, "costs.discount_rate", 0.03))


def test_compare_from_a_saved_folder_simulates_nothing_and_answers_alike(tmp_path, monkeypatch):
    out = tmp_path / "run"
    r = CliRunner().invoke(app, ["simulate", "cpo-pilot", "-n", "6", "-w", "1", "--quiet",
                                 "--out", str(out)])
    assert r.exit_code == 0, r.output
    fresh = CliRunner().invoke(app, ["compare", "cpo-pilot", "-n", "6", "-w", "1", "--json"])

    def no_run(*a, **k):
        raise AssertionError("a saved run must not be simulated again")

    monkeypatch.setattr(runner, "run_chunk", no_run)
    saved = CliRunner().invoke(app, ["compare", "--from", str(out), "--json"])
    assert saved.exit_code == 0, saved.output
    a, b = json.loads(fresh.stdout), json.loads(saved.stdout)
    # the table's run (inputs fixed) and its verdict over chance are the saved run's to the bit;
    # the share over the inputs and the hinges need simulations, so a saved run has neither
    for key in ("architectures", "differences", "replications", "seed", "engine"):
        assert a[key] == b[key], key
    assert a["answer"]["probabilities"]["chance"] == b["answer"]["probabilities"]["chance"]
    assert a["answer"]["probabilities"]["inputs"] is not None and a["hinges"]
    assert b["answer"]["probabilities"]["inputs"] is None and b["hinges"] == []
    assert "not drawn here" in b["verdict"]
    # re-priced with a file that changes a price only
    sc = with_value(builtin_scenarios()["cpo-pilot"], "costs.gpu_hour_usd", 4.0)
    f = tmp_path / "dearer.toml"
    f.write_text(scenario_to_toml(sc), encoding="utf-8")
    dearer = CliRunner().invoke(app, ["compare", str(f), "--from", str(out), "--json"])
    assert dearer.exit_code == 0, dearer.output
    name = "cpo-els"
    assert (json.loads(dearer.stdout)["architectures"][name]["tco_usd"]["mean"]
            > b["architectures"][name]["tco_usd"]["mean"])


def test_a_folder_that_holds_no_run_is_refused_with_the_fix(tmp_path):
    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")  # an old --out folder
    r = CliRunner().invoke(app, ["compare", "--from", str(tmp_path)])
    assert r.exit_code == 1
    assert "holds no saved run" in r.stderr and "cpo simulate --out DIR" in r.stderr
    assert "Traceback" not in r.output


def test_report_from_a_saved_folder(tmp_path):
    out = tmp_path / "run"
    assert CliRunner().invoke(app, ["simulate", "cpo-pilot", "-n", "4", "-w", "1", "--quiet",
                                    "--out", str(out)]).exit_code == 0
    page = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["report", "--from", str(out), "-o", str(page), "-w", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "CPO decision report: cpo-pilot" in page.read_text(encoding="utf-8")
