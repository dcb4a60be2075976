"""`cpo compare`: the comparison table, the verdict, the JSON document, the baseline and its errors."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cli.main import app
from cli.render.compare import comparison
from fleet_models.decisions.verdict import of_run, question, verdict
from fleet_models.runs.runner import run
from fleet_models.scenario.read import parse_scenario

SMALL = {
    "name": "small", "horizon_years": 2, "replications": 12, "seed": 5,
    "fleet": {"switches": 4, "ports_per_switch": 8},
    "architectures": [
        {"name": "plug", "switch_price_usd": 20_000.0, "components": [
            {"name": "module", "per_switch": 8, "ports_per_unit": 1, "life": {"fit_per_1e9h": 20_000},
             "price_usd": 1_000.0, "power_w": 15.0}]},
        {"name": "cpo", "switch_price_usd": 20_000.0, "components": [
            {"name": "engine", "per_switch": 2, "ports_per_unit": 4, "life": {"fit_per_1e9h": 5_000},
             "repair": "replace-switch", "price_usd": 3_000.0, "power_w": 20.0}]},
    ],
}


@pytest.fixture(scope="module")
def result():
    return run(parse_scenario(SMALL), workers=1)


def test_table_has_a_column_per_architecture_and_the_measures(result):
    t = comparison(result)
    assert list(t.columns) == ["plug", "cpo"]
    for label in ("port availability", "downtime per port-year", "TCO (mean)", "TCO p5 – p95 (one fleet)",
                  "TCO per port-year", "TCO per Tbps-year", "vs plug (mean)", "P(cheaper), chance alone"):
        assert label in t.index, label
    assert t.loc["vs plug (mean)", "plug"] == "baseline"


def test_differences_are_paired_per_replication(result):
    d = result.differences("plug").iloc[0]
    wide = result.tco.pivot(index="replication", columns="architecture", values="tco_usd")
    diff = (wide["cpo"] - wide["plug"]).to_numpy()
    assert d["mean"] == pytest.approx(diff.mean())  # mean of the per-replication differences
    assert d["p_cheaper"] == pytest.approx(np.mean(diff < 0))
    assert d["ci95_low"] < d["mean"] < d["ci95_high"]


def test_verdict_judges_the_cpo_architecture_and_says_only_chance_varied(result):
    answer = of_run(result, "plug")
    assert (answer.arch, answer.against) == ("cpo", "plug")
    d = result.differences("plug").iloc[0]
    assert (answer.mean, answer.p_chance, answer.p_inputs) == (d["mean"], d["p_cheaper"], None)
    words = answer.text()
    assert "cpo" in words and "plug" in words and "only chance varies" in words
    assert "not drawn here" in words  # its inputs have ranges: the other share needs `cpo compare`


def test_the_question_is_cpo_against_the_baseline_not_the_cheapest():
    # a third, pluggable architecture cheaper than both: the verdict still judges the CPO one
    cheap = {"name": "cheap", "switch_price_usd": 1.0, "components": [
        {"name": "module", "per_switch": 8, "ports_per_unit": 1, "life": {"fit_per_1e9h": 10},
         "price_usd": 1.0}]}
    sc = parse_scenario({**SMALL, "architectures": [*SMALL["architectures"], cheap]})
    res = run(sc, workers=1)
    tco = res.summary().query("metric == 'tco_usd'").set_index("architecture")["mean"]
    assert tco.idxmin() == "cheap"
    assert question(sc, res) == ("cpo", "plug")
    assert question(sc, res, arch="cheap") == ("cheap", "plug")


def test_the_two_probabilities_are_each_run_s_share_of_cheaper_replications(tmp_path):
    # `cpo compare` runs the scenario with its inputs fixed and drawn (common random numbers):
    # each probability is the share of paired differences < 0 in its own run
    sc = parse_scenario(SMALL)
    fixed = run(dataclasses.replace(sc, uncertainty=False), workers=1)
    drawn = run(dataclasses.replace(sc, uncertainty=True), workers=1)
    answer = verdict(fixed, "cpo", "plug", drawn)
    for res, p in ((fixed, answer.p_chance), (drawn, answer.p_inputs)):
        wide = res.tco.pivot(index="replication", columns="architecture", values="tco_usd")
        assert p == pytest.approx(np.mean((wide["cpo"] - wide["plug"]).to_numpy() < 0))
    assert drawn.draws is not None and answer.inputs > 0
    assert f"its {answer.inputs} inputs" in answer.text() and "only chance varies" in answer.text()
    path = tmp_path / "s.toml"
    from fleet_models.scenario.write import scenario_to_toml

    path.write_text(scenario_to_toml(sc), encoding="utf-8")
    r = CliRunner().invoke(app, ["compare", str(path), "--json", "-w", "1", "--hinges", "1"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["answer"]["probabilities"]["chance"] == pytest.approx(answer.p_chance)
    assert doc["answer"]["probabilities"]["inputs"] == pytest.approx(answer.p_inputs)
    (hinge,) = doc["hinges"]
    assert hinge["input"] in hinge["text"] and "flip" in hinge["text"]


def test_a_fitted_life_s_covariance_is_uncertainty_over_the_inputs():
    # a life with a covariance (cpo fit --save) is drawn per replication in the second run even
    # when nothing else is uncertain: 8 failures in 96 units do not read as certainty
    from fleet_models.decisions.verdict import uncertain_count
    from fleet_models.model.spec import Uncertain  # noqa: F401
    from reliability.models import LifeModel

    sc = parse_scenario(SMALL)
    cov = LifeModel("weibull", {"shape": 1.2, "scale": 2e5}, covariance=((0.01, 0.0), (0.0, 4e8)))
    arch = sc.architectures[1]
    eng = dataclasses.replace(arch.components[0], life=cov)
    sc = dataclasses.replace(sc, architectures=(sc.architectures[0], dataclasses.replace(
        arch, components=(eng,))), uncertain={"costs.pue": Uncertain(low=1.5, high=1.5)})
    assert uncertain_count(sc) == 2  # the declared pue (one key) and the fitted life
    from fleet_models.engines.contract import compile_plan

    plan = compile_plan(dataclasses.replace(sc, uncertainty=True), sc.architectures[1])
    shapes = {plan.lives_for(i)[0].parameters["shape"] for i in range(5)}
    assert len(shapes) == 5  # each replication draws its own parameters from the covariance


def test_cli_compare_json_is_simulate_plus_differences(tmp_path):
    path = tmp_path / "s.toml"
    from fleet_models.scenario.write import scenario_to_toml

    path.write_text(scenario_to_toml(parse_scenario(SMALL)), encoding="utf-8")
    r = CliRunner().invoke(app, ["compare", str(path), "--json", "-w", "1", "--baseline", "cpo"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc) >= {"scenario", "architectures", "differences", "verdict"}
    assert [d["architecture"] for d in doc["differences"]] == ["plug"]
    assert doc["differences"][0]["baseline"] == "cpo"
    assert set(doc["architectures"]["plug"]["tco_usd"]) >= {"mean", "ci95", "p5", "p95", "breakdown"}


def test_cli_compare_table_and_unknown_baseline(tmp_path):
    from fleet_models.scenario.write import scenario_to_toml

    path = tmp_path / "s.toml"
    path.write_text(scenario_to_toml(parse_scenario(SMALL)), encoding="utf-8")
    r = CliRunner().invoke(app, ["compare", str(path), "-w", "1"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "TCO (mean)" in r.stdout and "only chance varies" in r.stdout and "Flips if" in r.stdout
    r = CliRunner().invoke(app, ["compare", str(path), "--baseline", "nope", "--json"])
    assert r.exit_code == 1
    assert "--baseline 'nope'" in json.loads(r.stdout)["error"]


@pytest.mark.parametrize("command", ["compare", "simulate"])
def test_a_builtin_scenario_name_is_a_scenario_argument(command):
    r = CliRunner().invoke(app, [command, "cpo-pilot", "--json", "-n", "2", "-w", "1"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["scenario"] == "cpo-pilot"
    r = CliRunner().invoke(app, [command, "no-such-scenario", "--json"])
    assert r.exit_code == 1
    assert "neither a scenario file nor a built-in scenario" in json.loads(r.stdout)["error"]


def test_identical_twins_tie_in_every_replication_and_the_verdict_says_so():
    # the same architecture under two names: common random numbers make every replication's TCO
    # the same to the last bit, which is a tie, never "cheaper in 0 %"
    from fleet_models.builtins.scenarios import builtin_scenarios

    sc = builtin_scenarios()["cpo-pilot"]
    twin = dataclasses.replace(sc.architectures[1], name="twin")
    sc = dataclasses.replace(sc, architectures=(sc.architectures[1], twin), replications=6)
    res = run(sc, workers=1)
    d = res.differences().iloc[0]
    assert (d["p_cheaper"], d["p_equal"], d["mean"]) == (0.0, 1.0, 0.0)
    words = of_run(res, arch="twin").text()
    assert "costs the same" in words and "equal in 100 % of replications" in words
    assert "cheaper in 0 %" not in words
    assert comparison(res).loc["P(cheaper), chance alone", "twin"] == "0 % (equal in 100 %)"
