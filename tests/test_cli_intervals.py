"""`cpo fit --interval / --quantile / --at-hours` through the CLI: the three-failure case side by
side, the JSON keys, and usage errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.readers import read_life_table, samples_path
from reliability import profile
from reliability.fitting import fit

THREE = str(samples_path("three_failures.csv"))
runner = CliRunner()


def _json(*args):
    r = runner.invoke(app, ["fit", *map(str, args), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_three_failures_default_is_lr_and_says_so():
    doc = _json(THREE)
    assert doc["interval_method"] == "likelihood-ratio" and doc["interval_requested"] == "auto"
    # the library's LR profile (held to an independent profile in tests/test_rel_profile.py)
    ref = profile.intervals(fit(read_life_table(THREE), "weibull"), "lr")
    assert doc["intervals"]["scale"] == pytest.approx(ref.parameters.loc["scale", ["lower", "upper"]].tolist())
    assert doc["intervals"]["scale"][1] > 18_000


def test_wald_and_lr_side_by_side_with_quantities():
    wald = _json(THREE, "--interval", "wald", "--quantile", "0.01", "--at-hours", "50")
    lr = _json(THREE, "--interval", "lr", "--quantile", "0.01", "--at-hours", "50")
    assert wald["interval_method"] == "wald-log"
    assert wald["intervals"]["scale"] == pytest.approx([20.44, 857.1], abs=0.1)  # issue 30's [20.5, 859]
    assert lr["intervals"]["scale"][1] / wald["intervals"]["scale"][1] > 20
    names = [q["quantity"] for q in lr["quantities"]]
    assert names == ["B10", "MTTF", "B1", "R(50 h)"]
    for q in lr["quantities"]:
        assert q["lower"] < q["estimate"] < q["upper"], q
    r50 = lr["quantities"][3]
    assert r50["kind"] == "reliability" and r50["value"] == 50 and r50["unit"] == "-"
    assert 0 < r50["lower"] < r50["upper"] < 1


def test_the_table_names_the_method():
    r = runner.invoke(app, ["fit", THREE, "--at-hours", "50"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "likelihood-ratio" in r.output and "R(50 h)" in r.output


def test_alt_lr_coefficient_in_json():
    doc = _json(samples_path("laser_htol.csv"), "--stress", "temperature_c", "--at", "45", "--interval", "lr")
    assert doc["alt"]["coefficient_interval_method"] == "likelihood-ratio"
    lo, hi = doc["alt"]["coefficient_interval"]
    assert lo < doc["alt"]["activation_energy_ev"] < hi
    wald = _json(samples_path("laser_htol.csv"), "--stress", "temperature_c", "--at", "45", "--interval", "wald")
    assert wald["alt"]["coefficient_interval_method"] == "wald"
    assert wald["alt"]["coefficient_interval"] != pytest.approx([lo, hi])


@pytest.mark.parametrize("args,needle", [
    (["--interval", "profile"], "--interval"),
    (["--quantile", "1.5"], "--quantile"),
    (["--quantile", "0"], "--quantile"),
    (["--at-hours", "-4"], "--at-hours"),
])
def test_bad_options_are_usage_errors(args, needle):
    r = runner.invoke(app, ["fit", THREE, *args])
    assert r.exit_code == 2
    assert needle in r.output
