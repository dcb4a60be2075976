"""Telemetry in, degradation path model out (issue 31, part A).

Reference values and where they come from:

* the synthetic sample (failure_data/samples/laser_telemetry.csv) is drawn from
  ``TelemetrySpec()`` (its README states the model): the fit's 95 % intervals must cover the true
  mu, tau, sigma, gamma and the true B10 of the time to +20 %, B10 = exp(mu_T + z_0.1 sigma_T),
  mu_T = ln 1000 + (ln 0.2 - mu) / gamma, sigma_T = tau / gamma (the closed form of the model);
* over 10 fresh seeds the estimates' means sit within 3 standard errors (of that mean, from the
  seeds' spread) of the truth: no bias beyond chance;
* Meeker & Escobar's GaAs lasers (tests/data/gaas_laser.md): their approximate analysis (M&E
  section 13.8: each unit's least-squares line through the origin, its pseudo failure time
  at +10 %, a lognormal fitted to the 15 of them) is computed independently in the test, and the
  full ML fit's lognormal time to threshold must agree with it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from failure_data.errors import DataValidationError
from failure_data.readers import samples_path
from failure_data.telemetry import Telemetry, TelemetrySpec, read_telemetry, synthesize_telemetry
from reliability.degradation import fit_degradation, parse_threshold
from reliability.errors import FitError, ParameterError
from reliability.models import LifeModel

SPEC = TelemetrySpec()
Z10 = stats.norm.ppf(0.10)


def _true_life(threshold: float) -> tuple[float, float]:
    return math.log(SPEC.t_ref_hours) + (math.log(threshold) - SPEC.mu) / SPEC.gamma, SPEC.tau / SPEC.gamma


def test_sample_is_reproduced_by_its_generator():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "make_samples", Path(__file__).resolve().parents[1] / "scripts" / "make_samples.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.build("laser_telemetry.csv") == samples_path("laser_telemetry.csv").read_bytes()


def test_fit_recovers_the_stated_model_within_its_intervals():
    fit = fit_degradation(read_telemetry(samples_path("laser_telemetry.csv")), "20%", form="power")
    s = fit.summary()
    for name, true in (("mu", SPEC.mu), ("tau", SPEC.tau), ("sigma", SPEC.sigma), ("gamma", SPEC.gamma)):
        assert s.loc[name, "lower"] <= true <= s.loc[name, "upper"], (name, true, s.loc[name].tolist())
    mu_t, s_t = _true_life(0.20)
    b10_true = math.exp(mu_t + Z10 * s_t)
    b10, lo, hi = fit.quantile(0.10)
    assert lo <= b10_true <= hi, (b10_true, lo, hi)
    life = fit.life_model()
    assert life.distribution == "lognormal" and life.covariance is not None
    assert life.b_life(0.10) == pytest.approx(b10, rel=1e-9)  # one closed form, two routes


def test_estimates_are_unbiased_over_seeds():
    est = []
    for seed in range(100, 110):
        frame = synthesize_telemetry(SPEC, np.random.default_rng(seed))
        est.append(fit_degradation(Telemetry.from_frame(frame), 0.2, form="power").parameters)
    df = pd.DataFrame(est)
    for name, true in (("mu", SPEC.mu), ("tau", SPEC.tau), ("sigma", SPEC.sigma), ("gamma", SPEC.gamma)):
        se = df[name].std(ddof=1) / math.sqrt(len(df))
        assert abs(df[name].mean() - true) < 3 * se, (name, df[name].mean(), true, se)


def _gaas() -> pd.DataFrame:
    from pathlib import Path

    raw = pd.read_csv(Path(__file__).parent / "data" / "gaas_laser.csv")
    return pd.DataFrame({"unit_id": raw["unit"].astype(str), "hours": raw["hours"].astype(float),
                         "increase": raw["percent_increase"] / 100.0})


def test_gaas_lasers_agree_with_the_pseudo_failure_time_analysis():
    frame = _gaas()
    assert frame["unit_id"].nunique() == 15 and len(frame) == 15 * 17
    fit = fit_degradation(frame, "10%", form="linear")
    life = fit.life_model()
    # M&E 13.8, computed here: slope_i = sum(t y) / sum(t^2), pseudo failure time 0.10 / slope_i
    later = frame[frame["hours"] > 0]
    slopes = later.groupby("unit_id").apply(
        lambda g: (g["hours"] * g["increase"]).sum() / (g["hours"] ** 2).sum(), include_groups=False)
    log_t = np.log(0.10 / slopes.to_numpy())
    mu_pseudo, sigma_pseudo = log_t.mean(), log_t.std(ddof=0)  # lognormal ML on complete data
    # with readings this precise (sigma ~ 0.2 % of start) the random slope is nearly seen: the
    # two analyses agree to a small fraction of the lognormal's standard errors
    se = np.sqrt(np.diag(np.asarray(life.covariance)))
    assert abs(life.parameters["mu"] - mu_pseudo) < 0.05 * se[0]
    assert abs(life.parameters["sigma"] - sigma_pseudo) < 0.1 * se[1]
    # three units read at or over +10 % by 4,000 h (units 1, 6 and 10 of the data); the fitted
    # F(4000 h)'s interval holds that share, 3/15
    over = fit.predictions["observed_over_hours"].dropna()
    assert sorted(over.index) == ["1", "10", "6"]
    f4000, lo, hi = fit.cdf(4000.0)
    assert lo <= 3 / 15 <= hi
    # the power form nests the linear one: gamma's interval covers 1 for these lasers
    power = fit_degradation(frame, "10%", form="power").summary()
    assert power.loc["gamma", "lower"] <= 1.0 <= power.loc["gamma", "upper"]


def test_per_unit_predictions_bracket_and_order():
    fit = fit_degradation(_gaas(), "10%")
    p = fit.predictions
    assert (p["lower_hours"] < p["predicted_hours"]).all() and (p["predicted_hours"] < p["upper_hours"]).all()
    # a unit that reached +10.9 % at 4,000 h (unit 1) is predicted to have crossed before 4,000 h
    assert p.loc["1", "predicted_hours"] < 4000 < p.loc["3", "predicted_hours"]


def test_life_saved_and_loaded_like_any_other(tmp_path):
    fit = fit_degradation(_gaas(), "10%")
    path = tmp_path / "life.json"
    fit.life_model().save(path)
    back = LifeModel.load(path)
    assert back == fit.life_model()
    assert back.provenance["threshold"] == 0.10


@pytest.mark.parametrize("text,value", [("20%", 0.2), ("0.5", 0.5), (" 10 % ".replace(" ", ""), 0.1)])
def test_threshold_forms(text, value):
    assert parse_threshold(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["20", "-5%", "abc", "0"])
def test_threshold_refusals(text):
    with pytest.raises(ParameterError, match="threshold"):
        parse_threshold(text)


def test_too_few_units_is_a_fit_error():
    frame = _gaas()
    with pytest.raises(FitError, match="at least 3"):
        fit_degradation(frame[frame["unit_id"].isin(["1", "2"])], "10%")


# ---------------------------------------------------------------------- reading and validation
def _csv(tmp_path, text: str):
    p = tmp_path / "t.csv"
    p.write_text(text, encoding="utf-8")
    return p


def _problems(path, **kw) -> list:
    with pytest.raises(DataValidationError) as e:
        read_telemetry(path, **kw)
    return e.value.problems


def test_out_of_order_reading_names_line_field_value_and_fix(tmp_path):
    p = _csv(tmp_path, "unit_id,hours,bias_ma\nA,0,50\nA,500,51\nA,250,50.5\nB,0,40\nB,10,41\n")
    (q,) = _problems(p)
    assert (q.line, q.column, q.value) == (4, "hours", "250")
    assert "earlier than this unit's reading on line 3" in q.message and "sort the file" in q.message


def test_single_reading_unit(tmp_path):
    p = _csv(tmp_path, "unit_id,hours,bias_ma\nA,0,50\nA,500,51\nB,0,40\n")
    (q,) = _problems(p)
    assert (q.line, q.column, q.value) == (4, "unit_id", "B") and "only this one reading" in q.message


@pytest.mark.parametrize("value,words", [("-3", "not above 0"), ("0", "not above 0"),
                                         ("abc", "not a number"), ("", "is empty")])
def test_bad_current(tmp_path, value, words):
    p = _csv(tmp_path, f"unit_id,hours,bias_ma\nA,0,50\nA,500,{value}\nB,0,40\nB,10,41\n")
    (q,) = _problems(p)
    assert (q.line, q.column) == (3, "bias_ma") and words in q.message


def test_bad_hours_and_repeated_age(tmp_path):
    p = _csv(tmp_path, "unit_id,hours,bias_ma\nA,0,50\nA,x,51\nB,0,40\nB,0,41\nB,5,41\n")
    probs = _problems(p)
    assert [(q.line, q.column) for q in probs] == [(3, "hours"), (5, "hours")]
    assert "not a number" in probs[0].message and "repeats the age" in probs[1].message


def test_dated_readings_and_as_of(tmp_path):
    p = _csv(tmp_path, "unit_id,date,bias_ma\nA,2025-01-01,50\nB,2025-01-03,40\nA,2025-02-01,51\n"
                       "B,2025-03-03,41\n")
    t = read_telemetry(p)
    assert t.provenance.as_of == "2025-03-03"
    assert t.data["hours"].tolist() == [0.0, 31 * 24.0, 0.0, 59 * 24.0]  # ages since each unit's first
    assert t.data["increase"].tolist() == pytest.approx([0.0, 0.02, 0.0, 0.025])
    (q,) = _problems(p, as_of="2025-02-15")
    assert (q.line, q.column, q.value) == (5, "date", "2025-03-03") and "as-of" in q.message


def test_parquet_reads_as_csv(tmp_path):
    frame = pd.read_csv(samples_path("laser_telemetry.csv"))
    pq = tmp_path / "t.parquet"
    frame.to_parquet(pq)
    a, b = read_telemetry(pq).data, read_telemetry(samples_path("laser_telemetry.csv")).data
    pd.testing.assert_frame_equal(a.drop(columns="line"), b.drop(columns="line"))


def test_header_problems(tmp_path):
    (q,) = _problems(_csv(tmp_path, "unit_id,bias_ma\nA,1\n"))
    assert q.column == "hours" and "no time column" in q.message
    (q,) = _problems(_csv(tmp_path, "unit_id,hours\nA,1\n"))
    assert q.column == "bias_ma" and "missing" in q.message


# ---------------------------------------------------------------------- the command
def test_cli_degrade_json_save_and_plot(tmp_path):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    save, plot = tmp_path / "ttt.json", tmp_path / "paths.png"
    r = CliRunner().invoke(app, ["degrade", str(samples_path("laser_telemetry.csv")), "--threshold",
                                 "20%", "--form", "power", "--json", "--save", str(save), "--plot", str(plot)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["n_units"] == 48 and doc["threshold"] == 0.2 and len(doc["predictions"]) == 48
    assert LifeModel.load(save).to_dict() == doc["life"]
    assert plot.stat().st_size > 10_000


def test_cli_degrade_bad_file_is_one_message(tmp_path):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    p = _csv(tmp_path, "unit_id,hours,bias_ma\nA,0,50\nA,500,0\nB,0,40\nB,10,41\n")
    r = CliRunner().invoke(app, ["degrade", str(p), "--threshold", "20%", "--json"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    doc = json.loads(r.stdout)
    assert doc["problems"][0]["line"] == 3 and doc["problems"][0]["column"] == "bias_ma"
    r = CliRunner().invoke(app, ["degrade", str(samples_path("laser_telemetry.csv")), "--threshold", "20"])
    assert r.exit_code == 1 and "ambiguous" in r.output


def test_plot_returns_axes():
    ax = fit_degradation(_gaas(), "10%").plot()
    assert ax.get_xlabel().startswith("hours") and len(ax.lines) >= 15 + 2


def test_a_scenario_loads_the_saved_time_to_threshold_and_draws_from_its_covariance(tmp_path):
    import dataclasses

    from fleet_models.runs.runner import run
    from fleet_models.scenario.read import load_scenario

    fit = fit_degradation(read_telemetry(samples_path("laser_telemetry.csv")), "20%", form="power")
    fit.life_model().save(tmp_path / "laser_ttt.json")
    (tmp_path / "s.toml").write_text(
        'name = "ttt"\nhorizon_hours = 20000\nuncertainty = true\n\n[fleet]\nswitches = 4\n'
        'ports_per_switch = 8\n\n[[architectures]]\nname = "cpo"\n[[architectures.components]]\n'
        'name = "laser"\nper_switch = 8\nports_per_unit = 1\nrepair = "replace-switch"\n'
        'life = { model = "laser_ttt.json" }\n', encoding="utf-8")
    sc = load_scenario(tmp_path / "s.toml")
    life = sc.architectures[0].components[0].life
    assert life.parameters == fit.life_model().parameters and life.covariance is not None
    res = run(dataclasses.replace(sc, replications=4), workers=1, engine="fast")
    assert (res.replications["failures_laser"] > 0).all()  # B10 ~5,500 h: lasers cross within 20,000 h


# ---------------------------------------------------------------------- with a failure log
def test_a_unit_failing_before_it_crosses_failed_of_another_mode():
    from failure_data.table import LifeTable
    from reliability.degradation import other_mode

    frame = _gaas()
    # unit 3 (at +6.9 % by 4,000 h: it never reads over +10 %) failed at 2,100 h: its readings
    # stop at 2,000 h; unit 1 (over +10 % at 4,000 h) failed at 4,000 h, after crossing
    frame = frame[~((frame["unit_id"] == "3") & (frame["hours"] > 2000))]
    log = LifeTable.from_durations([2100.0, 4000.0, 4000.0], [True, True, False],
                                   covariates={"unit_id": ["3", "1", "2"]})
    fit = fit_degradation(frame, "10%")
    fit, mode = other_mode(fit, frame, log)
    p = fit.predictions
    assert p.loc["3", "failed_other_mode_hours"] == 2100.0
    assert np.isnan(p.loc["1", "failed_other_mode_hours"]) and np.isnan(p.loc["2", "failed_other_mode_hours"])
    assert (mode.n_failures, mode.failed_over) == (1, 1)
    t = mode.table.data.set_index("unit_id")
    # the other mode's life table: unit 3 failed at 2,100 h; unit 1 censored at its crossing
    # (4,000 h), unit 10 at its first reading over +10 % (3,500 h), unit 2 at its last (4,000 h)
    assert t.loc["3", "kind"] == "exact" and t.loc["3", "lower"] == 2100.0
    assert (t.loc["1", "kind"], t.loc["1", "lower"]) == ("right", 4000.0)
    assert t.loc["10", "lower"] == 3500.0 and t.loc["2", "lower"] == 4000.0
    # a reading after the failure the log records is refused, naming the unit
    with pytest.raises(FitError, match="unit '2' has a reading at age 4000"):
        other_mode(fit, frame, LifeTable.from_durations([3000.0], [True], covariates={"unit_id": ["2"]}))
    with pytest.raises(FitError, match="no unit_id"):
        other_mode(fit, frame, LifeTable.from_durations([3000.0], [True]))


def test_cli_degrade_with_a_failure_log():
    import json

    from typer.testing import CliRunner

    from cli.main import app

    r = CliRunner().invoke(app, ["degrade", str(samples_path("laser_telemetry.csv")), "-t", "20%",
                                 "--failures", str(samples_path("laser_telemetry_failures.csv")), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["other_mode"]["n_failures"] == 1 and doc["other_mode"]["failed_over_threshold"] == 1
    by_unit = {p["unit_id"]: p for p in doc["predictions"]}
    assert by_unit["LZ20"]["failed_other_mode_hours"] == 8000.0
    assert by_unit["LZ09"]["failed_other_mode_hours"] is None
