"""`cpo fit`, `cpo bound`, `cpo plan-pilot` through the CLI: exit codes, JSON shape, --save, errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from cli.main import app
from reliability.models import FAMILIES, LifeModel

SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[1] / "failure_data" / "samples"
FIT_KEYS = {"distribution", "parameters", "intervals", "confidence", "log_likelihood", "aic", "n_units",
            "n_failures", "mttf_hours", "b10_hours", "interval_method", "ranking", "alt", "component",
            "source", "saved_to", "plot", "units", "standard_errors", "covariance", "converged", "optimizer",
            "n_records", "interval_requested", "quantities", "method", "r_squared", "by", "nonparametric", "goodness_of_fit",
            "dead_on_arrival", "auto"}
BOUND_KEYS = {"method", "confidence", "failures", "device_hours", "rate_upper_per_hour", "fit_upper",
              "mttf_lower_hours", "shape", "scale_lower_hours", "n_units", "source",
              "sides", "rate_lower_per_hour", "fit_lower", "fit_estimate", "mttf_upper_hours", "scale_hours",
              "scale_upper_hours"}

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def durations_csv(tmp_path_factory):
    rng = np.random.default_rng(4)
    n = 300
    t = 5e4 * rng.weibull(1.5, n)
    c = rng.uniform(1e4, 4e4, n)
    p = tmp_path_factory.mktemp("d") / "log.csv"
    pd.DataFrame({
        "duration": np.minimum(t, c).round(2), "failed": (t <= c).astype(int),
        "component": np.where(np.arange(n) % 2 == 0, "laser", "dsp"),
    }).to_csv(p, index=False)
    return p


def test_fit_json_shape_and_save_round_trip(durations_csv, tmp_path):
    model_path = tmp_path / "m.json"
    res = _run("fit", durations_csv, "--json", "--save", model_path, "--interval", "wald")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == FIT_KEYS
    assert "2 components pooled" in res.stderr  # the log mixes laser and dsp rows
    assert doc["distribution"] == "weibull" and set(doc["parameters"]) == {"shape", "scale"}
    assert doc["interval_method"] == "wald-log"
    lo, hi = doc["intervals"]["scale"]
    assert lo < doc["parameters"]["scale"] < hi
    assert doc["n_units"] == 300 and len(doc["ranking"]) == 1 and doc["alt"] is None
    m = LifeModel.load(model_path)
    assert m.parameters == doc["parameters"]
    assert m.provenance["sha256"] == doc["source"]["sha256"] and m.provenance["rows"] == 300
    assert LifeModel.from_json(m.to_json()) == m
    # MTTF and B10 are those of the saved model
    assert doc["mttf_hours"] == pytest.approx(m.mean(), rel=1e-12)
    assert doc["b10_hours"] == pytest.approx(m.b_life(0.1), rel=1e-12)


def test_fit_auto_component_and_human_output(durations_csv, tmp_path):
    res = _run("fit", durations_csv, "--dist", "auto", "--component", "laser", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == FIT_KEYS
    assert doc["n_units"] == 150 and doc["component"] == "laser"
    assert [r["distribution"] for r in doc["ranking"]][0] == doc["distribution"]
    assert len(doc["ranking"]) == len(FAMILIES)  # every family of reliability.families
    png = tmp_path / "p.png"
    res = _run("fit", durations_csv, "--plot", png)
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 5000
    assert "likelihood-ratio" in res.stdout  # auto: LR with fewer than 100 failures (here 70-odd) and "hours" in res.stdout and "log-likelihood" in res.stdout


def test_fit_unknown_component_names_existing_ones(durations_csv):
    res = _run("fit", durations_csv, "--component", "modulator")
    assert res.exit_code == 1
    assert "'modulator'" in res.stderr and "dsp" in res.stderr and "laser" in res.stderr
    assert "Traceback" not in res.output


def test_fit_zero_failures_points_to_bound(tmp_path):
    p = tmp_path / "z.csv"
    pd.DataFrame({"duration": [100.0, 200.0], "failed": [0, 0]}).to_csv(p, index=False)
    res = _run("fit", p, "--json")
    assert res.exit_code == 1
    assert "`cpo bound` with --failures 0 and --device-hours 300" in res.stderr
    assert "cpo bound" in json.loads(res.stdout)["error"]


def test_alt_fit_on_shipped_htol_sample(tmp_path):
    path = SAMPLES / "laser_htol.csv"
    model_path = tmp_path / "use.json"
    res = _run("fit", path, "--stress", "temperature_c", "--model", "arrhenius", "--at", "45", "--json",
               "--save", model_path)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == FIT_KEYS
    alt = doc["alt"]
    lo, hi = alt["coefficient_interval"]
    assert lo < alt["activation_energy_ev"] < hi
    # the sample's documented truth (failure_data/samples/README.md): Ea 0.52 eV, scale 2e5 h at 45 °C
    assert lo < 0.52 < hi
    assert doc["intervals"]["scale"][0] < 2e5 < doc["intervals"]["scale"][1]
    assert [a["stress"] for a in alt["acceleration_factors"]] == [85.0, 105.0, 125.0]
    # saved model is the use-condition one
    assert LifeModel.load(model_path).parameters == doc["parameters"]


@pytest.mark.parametrize("name, args", [
    ("dated", ["pluggable_800g_dated.csv", "--as-of", "2025-12-31"]),
    ("intervals", ["engine_inspections.csv"]),
])
def test_fit_shipped_samples(name, args):
    res = _run("fit", SAMPLES / args[0], *args[1:], "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["source"]["format"] == name and doc["n_failures"] > 0


def test_bound_counts_json():
    res = _run("bound", "--failures", "0", "--device-hours", "1e6", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == BOUND_KEYS
    assert doc["fit_upper"] == pytest.approx(stats.chi2.ppf(0.95, 2) / 2e6 * 1e9, rel=1e-12)
    assert doc["mttf_lower_hours"] == pytest.approx(2e6 / stats.chi2.ppf(0.95, 2), rel=1e-12)
    assert doc["confidence"] == 0.95


def test_bound_file_modes(tmp_path):
    p = tmp_path / "w.csv"
    pd.DataFrame({"duration": [1000.0, 2000.0, 3000.0], "failed": [0, 0, 1]}).to_csv(p, index=False)
    res = _run("bound", p, "--shape", "2", "--confidence", "0.9", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == BOUND_KEYS and doc["method"] == "weibayes"
    ref = math.sqrt(2 * (1000**2 + 2000**2 + 3000**2) / stats.chi2.ppf(0.9, 4))
    assert doc["scale_lower_hours"] == pytest.approx(ref, rel=1e-12)
    res = _run("bound", p, "--json")
    doc = json.loads(res.stdout)
    assert doc["method"] == "chi-square" and doc["device_hours"] == 6000.0 and doc["failures"] == 1
    res = _run("bound", p)
    assert res.exit_code == 0 and "FIT" in res.stdout


def test_plan_pilot_json():
    res = _run("plan-pilot", "--target-fit", "100", "--units", "1024", "--units-per-switch", "64",
               "--switches", "16", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    th = stats.chi2.ppf(0.95, 2) / (2 * 100e-9)
    assert doc["device_hours"] == pytest.approx(th, rel=1e-12)
    assert doc["hours_per_unit"] == pytest.approx(th / 1024, rel=1e-12)
    assert doc["months"] == pytest.approx(th / 1024 / 730.5, rel=1e-12)
    res = _run("plan-pilot", "--target-fit", "100", "--json")
    doc2 = json.loads(res.stdout)
    assert set(doc2) == set(doc) and doc2["months"] is None and doc2["hours_per_unit"] is None


@pytest.mark.parametrize("args", [
    ["bound"],  # neither FILE nor counts
    ["bound", "--failures", "1"],  # device-hours missing
    ["fit", "x.csv", "--stress", "temperature_c"],  # --at missing
    ["fit", "x.csv", "--dist", "gumbel"],  # not a choice (normal now is one)
    ["fit", "x.csv", "--plot", "p.pdf"],
])
def test_usage_errors_exit_2(args):
    res = _run(*args)
    assert res.exit_code == 2, res.output


def test_power_law_alt_via_cli(tmp_path):
    rng = np.random.default_rng(12)
    cur = np.repeat([150.0, 200.0, 300.0], 60)
    t = 3e5 * (cur / 80.0) ** -1.8 * rng.weibull(1.5, cur.size)
    p = tmp_path / "cur.csv"
    pd.DataFrame({"duration": np.minimum(t, 2e4).round(1), "failed": (t <= 2e4).astype(int),
                  "current_ma": cur}).to_csv(p, index=False)
    res = _run("fit", p, "--stress", "current_ma", "--model", "power", "--at", "80", "--json")
    assert res.exit_code == 0, res.output
    alt = json.loads(res.stdout)["alt"]
    assert alt["model"] == "power" and alt["activation_energy_ev"] is None
    lo, hi = alt["coefficient_interval"]
    assert lo < alt["power_exponent_n"] < hi
    # AF from test current I to use current 80 mA: (I/80)^n
    for a in alt["acceleration_factors"]:
        assert a["acceleration_factor"] == pytest.approx((a["stress"] / 80.0) ** alt["power_exponent_n"], rel=1e-10)
    res = _run("fit", p, "--stress", "current_ma", "--model", "power", "--at", "80")
    assert res.exit_code == 0 and "power_exponent_n" in res.stdout


def test_time_unit_days_scales_hours(tmp_path, durations_csv):
    df = pd.read_csv(durations_csv)
    df["duration"] = df["duration"] / 24.0
    p = tmp_path / "days.csv"
    df.to_csv(p, index=False)
    hours = json.loads(_run("fit", durations_csv, "--json").stdout)
    days = json.loads(_run("fit", p, "--time-unit", "days", "--json").stdout)
    # the same lives in days, converted once at the edge: the same model in hours
    assert days["parameters"]["scale"] == pytest.approx(hours["parameters"]["scale"], rel=1e-6)
    assert days["parameters"]["shape"] == pytest.approx(hours["parameters"]["shape"], rel=1e-6)
    assert days["source"]["time_unit"] == "days"


# ---------------------------------------------------------------- dead on arrival, mixtures
def test_fit_keeps_dead_on_arrival_units_and_fits_a_mixture_from_the_cli(tmp_path):
    r = _run("fit", SAMPLES / "pluggable_800g_dated.csv", "--as-of", "2025-12-31", "--dist", "mixture",
             "--json", "--save", tmp_path / "mix.json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["distribution"] == "mixture" and doc["n_failures"] == 77
    assert doc["dead_on_arrival"]["how"] == "interval" and doc["dead_on_arrival"]["dead"] == 12
    assert set(doc["parameters"]) == {"weight", "shape1", "scale1", "shape2", "scale2"}
    assert 0 < doc["intervals"]["weight"][0] < 0.03 < doc["intervals"]["weight"][1] < 1
    assert LifeModel.load(tmp_path / "mix.json").distribution == "mixture"
    r = _run("fit", SAMPLES / "pluggable_800g_dated.csv", "--as-of", "2025-12-31", "--doa", "atom", "--json")
    doc = json.loads(r.stdout)
    assert doc["dead_on_arrival"]["share"] == pytest.approx(12 / 2000) and "dead_on_arrival" in doc["intervals"]


def test_dead_on_arrival_options_are_checked(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("duration,failed\n0,1\n100,1\n250,0\n300,1\n")
    r = _run("fit", p, "--doa", "interval")
    assert r.exit_code == 1 and "--doa-hours" in r.output and "line(s) 2" in r.output
    assert _run("fit", p, "--doa", "interval", "--doa-hours", "12").exit_code == 0
    assert _run("fit", p, "--doa", "dropped").exit_code == 2
