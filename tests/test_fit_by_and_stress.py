"""`--stress` resolves against the file's own columns, a repeated `--stress` is refused, and
`--by` fits each group with a likelihood-ratio test of a common shape (held to the Weibull
log-likelihood written out here and maximised with scipy)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import optimize, stats
from typer.testing import CliRunner

from cli.main import app
from failure_data.readers import read_life_table, samples_path
from reliability.errors import ParameterError
from reliability.groups import fit_by

HTOL = str(samples_path("laser_htol.csv"))
runner = CliRunner()


@pytest.mark.parametrize("column", ["line", "count", "lower", "kind"])
def test_stress_refuses_the_readers_own_columns(column):
    r = runner.invoke(app, ["fit", HTOL, "--stress", column, "--at", "45"])
    assert r.exit_code == 1
    assert f"--stress '{column}' is not a column of the file" in r.output
    assert "temperature_c" in r.output  # the columns that exist are named


def test_stress_on_a_file_without_that_column_names_the_columns():
    r = runner.invoke(app, ["fit", str(samples_path("three_failures.csv")), "--stress", "voltage", "--at", "1"])
    assert r.exit_code == 1 and "'voltage' is not a column of the file" in r.output
    assert "['unit_id', 'component']" in r.output


def test_repeated_stress_is_refused_not_the_last_one():
    r = runner.invoke(app, ["fit", HTOL, "--stress", "temperature_c", "--stress", "unit_id", "--at", "45"])
    assert r.exit_code == 2 and "given 2 times" in r.output


def _weibull_ll(k, lam, t, failed):
    z = t / lam
    return float(np.sum(np.where(failed, np.log(k) + k * np.log(z) - np.log(t), 0.0) - z ** k))


def test_common_shape_lr_test_against_written_out_likelihood():
    table = read_life_table(HTOL)
    g = fit_by(table, "temperature_c", "weibull")
    assert list(g.fits) == ["85.0", "105.0", "125.0"]  # numbers in their order
    d = table.data
    temp = d["temperature_c"].to_numpy(float)
    t, failed = d["lower"].to_numpy(float), (d["kind"] == "exact").to_numpy()
    levels = [85.0, 105.0, 125.0]

    def sep(level):
        m = temp == level
        r = optimize.minimize(lambda v: -_weibull_ll(math.exp(v[0]), math.exp(v[1]), t[m], failed[m]),
                              [0.5, 9.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
        return -r.fun

    def joint(v):  # one log shape, three log scales
        return -sum(_weibull_ll(math.exp(v[0]), math.exp(v[1 + i]), t[temp == lv], failed[temp == lv])
                    for i, lv in enumerate(levels))

    r = optimize.minimize(joint, [0.5, 10.0, 9.0, 8.4], method="Nelder-Mead",
                          options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000, "maxfev": 80000})
    ll_sep = sum(sep(lv) for lv in levels)
    lr = 2 * (ll_sep + r.fun)
    assert g.common.log_likelihood == pytest.approx(-r.fun, abs=1e-6)
    assert g.common.df == 2
    assert g.common.lr_statistic == pytest.approx(lr, abs=2e-6)
    assert g.common.p_value == pytest.approx(stats.chi2.sf(lr, 2), abs=1e-6)
    shapes = {p["shape"] for p in g.common.parameters.values()}
    assert len(shapes) == 1 and math.exp(r.x[0]) == pytest.approx(shapes.pop(), rel=1e-5)


def test_shapes_that_differ_are_found():
    # two groups, Weibull shapes 0.7 and 3: the test rejects a common shape
    from failure_data.table import LifeTable

    rng = np.random.default_rng(3)
    a, b = 1000 * rng.weibull(0.7, 200), 1000 * rng.weibull(3.0, 200)
    t = np.concatenate([a, b])
    table = LifeTable.from_durations(np.minimum(t, 1500), t < 1500,
                                     covariates={"mode": ["early"] * 200 + ["wear"] * 200})
    g = fit_by(table, "mode", "weibull")
    assert g.common.p_value < 1e-6


def test_by_refusals():
    table = read_life_table(HTOL)
    with pytest.raises(ParameterError, match="'line' is not a column of the file"):
        fit_by(table, "line")
    with pytest.raises(ParameterError, match="not a grouping"):
        fit_by(table, "unit_id")
    with pytest.raises(ParameterError, match="two groups at least"):
        fit_by(table, "component")


def test_by_in_the_cli_json():
    r = runner.invoke(app, ["fit", HTOL, "--by", "temperature_c", "--json"])
    assert r.exit_code == 0, r.output
    by = json.loads(r.stdout)["by"]
    assert [g["group"] for g in by["groups"]] == ["85.0", "105.0", "125.0"]
    assert by["common_shape"]["df"] == 2 and 0 < by["common_shape"]["p_value"] <= 1
    assert all(g["interval_method"] == "likelihood-ratio" for g in by["groups"])  # < 100 failures each
    r = runner.invoke(app, ["fit", HTOL, "--by", "temperature_c", "--save", "x.json"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["fit", HTOL, "--by", "temperature_c", "--dist", "exponential", "--json"])
    assert json.loads(r.stdout)["by"]["why_no_test"].startswith("the exponential has no shape")


def test_kaplan_meier_numbers_in_json_are_the_product_limit():
    # three_failures.csv: failures at 7, 15, 27 h among 25 units, 22 running at 29.9 h:
    # S = 24/25, then x 23/24, then x 22/23 (the product-limit estimate by hand)
    r = runner.invoke(app, ["fit", str(samples_path("three_failures.csv")), "--nonparametric", "--json"])
    assert r.exit_code == 0, r.output
    km = [p for p in json.loads(r.stdout)["nonparametric"] if p["events"] > 0]
    assert [p["time"] for p in km] == [7, 15, 27]
    assert [p["survival"] for p in km] == pytest.approx([24 / 25, 23 / 25, 22 / 25], rel=1e-12)
    assert all(p["method"] == "kaplan-meier" and p["lower"] < p["survival"] < p["upper"] for p in km)


def test_turnbull_numbers_for_interval_data():
    r = runner.invoke(app, ["fit", str(samples_path("engine_inspections.csv")), "--nonparametric", "--json"])
    doc = json.loads(r.stdout)
    assert {p["method"] for p in doc["nonparametric"]} == {"turnbull"}
    s = [p["survival"] for p in doc["nonparametric"]]
    assert all(a >= b for a, b in zip(s, s[1:], strict=False)) and 0.85 < s[-1] < 1  # 25 of 400 failed


def test_gof_exponential_against_weibull_is_the_closed_form_lr():
    # exponential MLE log-likelihood in closed form: -r ln(T/r) - r (r failures, T total time)
    from reliability.fitting import fit

    table = read_life_table(samples_path("three_failures.csv"))
    r_, big_t = 3, 7 + 15 + 27 + 22 * 29.9
    ll_exp = -r_ * math.log(big_t / r_) - r_
    ll_wei = fit(table, "weibull").log_likelihood
    out = runner.invoke(app, ["fit", str(samples_path("three_failures.csv")), "--dist", "exponential",
                              "--gof", "--json"])
    g = json.loads(out.stdout)["goodness_of_fit"]
    assert g["against"] == "weibull" and g["df"] == 1
    assert g["log_likelihood"] == pytest.approx(ll_exp, rel=1e-9)
    assert g["lr_statistic"] == pytest.approx(2 * (ll_wei - ll_exp), rel=1e-7)
    assert g["p_value"] == pytest.approx(stats.chi2.sf(2 * (ll_wei - ll_exp), 1), rel=1e-6)


def test_gof_rejects_an_exponential_for_wear_out():
    from failure_data.table import LifeTable
    from reliability.fitting import fit
    from reliability.gof import nested_test

    rng = np.random.default_rng(8)
    t = 1000 * rng.weibull(3.0, 100)
    g = nested_test(fit(LifeTable.from_durations(t, np.ones(100, bool)), "exponential"))
    assert g["p_value"] < 1e-6 and "ask for the weibull" in g["verdict"]
    assert nested_test(fit(LifeTable.from_durations(t, np.ones(100, bool)), "loglogistic"))["message"]


@pytest.mark.parametrize("dist", ["exponential", "loglogistic"])
def test_alt_takes_families_lifelines_has_no_regression_for(dist):
    # the Arrhenius life-stress model written out: ln(scale) = b0 + Ea (x - x_use), x = 1/(kT),
    # a common shape (log-logistic), maximised with Nelder-Mead on laser_htol.csv
    from reliability.alt import ALTSpec, StressModel, fit_alt
    from reliability.models import BOLTZMANN_EV

    table = read_life_table(HTOL)
    r = fit_alt(table, ALTSpec("temperature_c", StressModel.arrhenius, 45.0, dist))
    d = table.data
    x = 1 / (BOLTZMANN_EV * (d["temperature_c"].to_numpy(float) + 273.15)) - 1 / (BOLTZMANN_EV * 318.15)
    t, failed = d["lower"].to_numpy(float), (d["kind"] == "exact").to_numpy()

    def ll(v):
        b0, ea = v[0], v[1]
        k = math.exp(v[2]) if dist == "loglogistic" else 1.0
        u = k * (np.log(t) - (b0 + ea * x))
        if dist == "exponential":
            return float(np.sum(np.where(failed, u - np.log(t), 0.0) - np.exp(u)))
        log_sf = -np.logaddexp(0.0, u)
        log_pdf = math.log(k) - np.log(t) + u - 2 * np.logaddexp(0.0, u)
        return float(np.sum(np.where(failed, log_pdf, log_sf)))

    x0 = [12.0, 0.5] + ([0.5] if dist == "loglogistic" else [])
    ref = optimize.minimize(lambda v: -ll(v), x0, method="Nelder-Mead",
                            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    assert r.fit.log_likelihood == pytest.approx(-ref.fun, abs=1e-6)
    assert r.coefficient == pytest.approx(ref.x[1], rel=1e-4)
    assert r.fit.parameters["scale"] == pytest.approx(math.exp(ref.x[0]), rel=1e-4)
