"""Two-sided chi-square and Weibayes bounds, and Weibayes with failures, against independent
computations: the Poisson tail probabilities the chi-square quantiles stand for, and the Weibull
likelihood with its shape fixed, maximised numerically."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import optimize, stats
from typer.testing import CliRunner

from cli.main import app
from failure_data.readers import read_life_table, samples_path
from reliability.bounds import rate_upper_bound, weibayes_from_table, weibayes_scale_lower


@pytest.mark.parametrize("r", [1, 3, 10])
def test_two_sided_rate_bounds_are_the_poisson_tails(r):
    # time-terminated test: the upper bound lu solves P(Poisson(lu T) <= r) = (1 - C)/2, the lower
    # ll solves P(Poisson(ll T) >= r) = (1 - C)/2 (Meeker & Escobar 1998, 7.6; Garwood 1936)
    t, c = 2.5e6, 0.9
    b = rate_upper_bound(r, t, c, two_sided=True)
    a = (1 - c) / 2
    up = optimize.brentq(lambda lam: stats.poisson.cdf(r, lam * t) - a, 1e-12, 1e-3, xtol=1e-20)
    lo = optimize.brentq(lambda lam: stats.poisson.sf(r - 1, lam * t) - a, 1e-14, 1e-3, xtol=1e-20)
    assert b.rate_upper_per_hour == pytest.approx(up, rel=1e-9)
    assert b.rate_lower_per_hour == pytest.approx(lo, rel=1e-9)
    assert b.mttf_upper_hours == pytest.approx(1 / lo, rel=1e-9)


def test_one_sided_is_unchanged_and_zero_failures_have_no_lower_bound():
    one = rate_upper_bound(0, 1e6, 0.95)
    assert one.rate_lower_per_hour is None and one.mttf_upper_hours is None
    assert one.fit_upper == pytest.approx(-math.log(0.05) / 1e6 * 1e9, rel=1e-12)  # chi2(.95, 2)/2 = -ln .05
    two = rate_upper_bound(0, 1e6, 0.95, two_sided=True)
    assert two.rate_lower_per_hour == 0 and two.mttf_upper_hours == math.inf
    assert two.fit_upper == pytest.approx(-math.log(0.025) / 1e6 * 1e9, rel=1e-12)


def test_weibayes_with_failures_is_the_mle_for_the_known_shape():
    table = read_life_table(samples_path("three_failures.csv"))
    beta = 1.5
    wb = weibayes_from_table(table, beta, 0.95, two_sided=True)
    d = table.data
    t, failed = d["lower"].to_numpy(float), (d["kind"] == "exact").to_numpy()

    def nll(log_eta):  # Weibull with right censoring and the shape fixed, written out
        z = t / math.exp(log_eta)
        return -float(np.sum(np.where(failed, math.log(beta) + beta * np.log(z) - np.log(t), 0.0) - z ** beta))

    r = optimize.minimize_scalar(nll, bounds=(0, 15), method="bounded", options={"xatol": 1e-12})
    assert wb.scale_hours == pytest.approx(math.exp(r.x), rel=1e-8)
    # closed form of the brief: eta = (sum t^beta / r)^(1/beta)
    assert wb.scale_hours == pytest.approx((np.sum(t ** beta) / 3) ** (1 / beta), rel=1e-12)
    # two-sided 95 %: 2 sum t^beta / eta^beta ~ chi2 with 2r (upper on eta) and 2r + 2 (lower) dof
    s = float(np.sum(t ** beta))
    assert wb.scale_lower_hours == pytest.approx((2 * s / stats.chi2.ppf(0.975, 8)) ** (1 / beta), rel=1e-12)
    assert wb.scale_upper_hours == pytest.approx((2 * s / stats.chi2.ppf(0.025, 6)) ** (1 / beta), rel=1e-12)
    assert wb.scale_lower_hours < wb.scale_hours < wb.scale_upper_hours


def test_weibayes_zero_failures_two_sided_has_no_upper_bound_and_no_estimate():
    wb = weibayes_scale_lower([100.0] * 10, 0, 2.0, 0.9, two_sided=True)
    assert wb.scale_hours is None and wb.scale_upper_hours == math.inf
    assert wb.scale_lower_hours == pytest.approx((2 * 10 * 100.0 ** 2 / stats.chi2.ppf(0.95, 2)) ** 0.5)


def test_cli_two_sided_json_and_table():
    runner = CliRunner()
    r = runner.invoke(app, ["bound", "--failures", "0", "--device-hours", "1e6", "--two-sided", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["sides"] == 2 and doc["fit_lower"] == 0 and doc["mttf_upper_hours"] is None  # inf -> null
    r = runner.invoke(app, ["bound", str(samples_path("three_failures.csv")), "--shape", "1.5",
                            "--two-sided"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "two-sided 95% (97.5% each)" in r.output and "Weibull scale estimate" in r.output
    r = runner.invoke(app, ["bound", "--failures", "0", "--device-hours", "1e6", "--two-sided"],
                      env={"COLUMNS": "200"})
    assert "none (no failures)" in r.output


def test_cpo_fit_shape_is_weibayes_with_failures_and_exact_intervals():
    # three_failures.csv with beta = 1.5: scale (sum t^b / 3)^(1/b); its 95 % interval from
    # chi2(0.975, 8) and chi2(0.025, 6); B10 = scale (-ln 0.9)^(1/b) at each bound
    r = CliRunner().invoke(app, ["fit", str(samples_path("three_failures.csv")), "--shape", "1.5",
                                 "--at-hours", "50", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    t = np.array([7, 15, 27] + [29.9] * 22)
    s = float(np.sum(t ** 1.5))
    lo, hi = (2 * s / stats.chi2.ppf(0.975, 8)) ** (1 / 1.5), (2 * s / stats.chi2.ppf(0.025, 6)) ** (1 / 1.5)
    assert doc["method"] == "weibayes" and doc["interval_method"] == "weibayes-chi-square"
    assert doc["parameters"] == pytest.approx({"shape": 1.5, "scale": (s / 3) ** (1 / 1.5)}, rel=1e-12)
    assert doc["intervals"]["scale"] == pytest.approx([lo, hi], rel=1e-12)
    b10 = doc["quantities"][0]
    k = (-math.log(0.9)) ** (1 / 1.5)
    assert [b10["lower"], b10["upper"]] == pytest.approx([lo * k, hi * k], rel=1e-12)
    r50 = doc["quantities"][2]
    assert [r50["lower"], r50["upper"]] == pytest.approx([math.exp(-(50 / lo) ** 1.5),
                                                          math.exp(-(50 / hi) ** 1.5)], rel=1e-12)


def test_cpo_fit_shape_refusals():
    f = str(samples_path("three_failures.csv"))
    assert CliRunner().invoke(app, ["fit", f, "--shape", "-1"]).exit_code == 2
    r = CliRunner().invoke(app, ["fit", f, "--shape", "1.5", "--dist", "lognormal"])
    assert r.exit_code == 1 and "--shape (Weibayes) fits a Weibull" in r.output
