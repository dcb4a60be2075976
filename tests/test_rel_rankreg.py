"""Median-rank regression against the `reliability` package's documented examples and the
least-squares line computed by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.readers import samples_path
from failure_data.table import LifeTable
from reliability.errors import ParameterError
from reliability.rankreg import fit_rank_regression, median_ranks
from reliability.records import group_records

COMPLETE = [25, 43, 53, 65, 76, 86, 95, 115, 132, 150]


def test_median_ranks_with_suspensions_are_the_documented_ones():
    # reliability (M. Reid), docs "How are the plotting positions calculated", rank adjustment for
    # censored data: failures 150, 560, 800, 1720, 5230, 6890; suspensions 340, 1130, 2470, 4210
    fail = [150, 560, 800, 1720, 5230, 6890]
    cens = [340, 1130, 2470, 4210]
    table = LifeTable.from_durations(fail + cens, [True] * 6 + [False] * 4)
    t, f = median_ranks(group_records(table))
    assert t.tolist() == fail
    assert f == pytest.approx([0.06730769, 0.1741453, 0.28098291, 0.40562678, 0.61336657, 0.82110636],
                              abs=5e-9)


def test_counts_give_the_ranks_of_the_expanded_units():
    table = LifeTable.from_durations([10, 20, 30], [True, False, True], count=[2, 3, 1])
    expanded = LifeTable.from_durations([10, 10, 20, 20, 20, 30], [1, 1, 0, 0, 0, 1])
    a, b = median_ranks(group_records(table)), median_ranks(group_records(expanded))
    assert a[0].tolist() == b[0].tolist() and a[1] == pytest.approx(b[1], rel=1e-15)


def test_rry_is_the_documented_least_squares_fit():
    # reliability docs "How does Least Squares Estimation work": numpy.polyfit of y on x for
    # COMPLETE gives alpha = 96.37348533880761, beta = 2.02739072618974
    r = fit_rank_regression(LifeTable.from_durations(COMPLETE, [True] * 10), "weibull", "rry")
    assert r.parameters["scale"] == pytest.approx(96.37348533880761, rel=1e-12)
    assert r.parameters["shape"] == pytest.approx(2.02739072618974, rel=1e-12)
    assert r.interval_method == "none" and math.isnan(r.summary.loc["shape", "lower"])


def test_rrx_is_x_on_y_by_hand():
    # x = ln t regressed on y = ln(-ln(1 - F)), Benard F = (i - 0.3)/(n + 0.4): slope b = Sxy/Syy
    n = len(COMPLETE)
    f = (np.arange(1, n + 1) - 0.3) / (n + 0.4)
    x, y = np.log(COMPLETE), np.log(-np.log1p(-f))
    b = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((y - y.mean()) ** 2)
    a = x.mean() - b * y.mean()
    r = fit_rank_regression(LifeTable.from_durations(COMPLETE, [True] * n), "weibull", "rrx")
    assert r.parameters["shape"] == pytest.approx(1 / b, rel=1e-12)
    assert r.parameters["scale"] == pytest.approx(math.exp(a), rel=1e-12)
    assert r.model.provenance["r_squared"] == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2, rel=1e-12)
    # the two lines' slopes: shape by x on y = Syy/Sxy, by y on x = Sxy/Sxx, so their ratio is 1/r^2
    rry = fit_rank_regression(LifeTable.from_durations(COMPLETE, [True] * n), "weibull", "rry")
    r2 = r.model.provenance["r_squared"]
    assert r.parameters["shape"] == pytest.approx(rry.parameters["shape"] / r2, rel=1e-12)


def test_lognormal_and_exponential_lines():
    from scipy import stats

    n = len(COMPLETE)
    f = (np.arange(1, n + 1) - 0.3) / (n + 0.4)
    x = np.log(COMPLETE)
    z = stats.norm.ppf(f)
    b = np.sum((x - x.mean()) * (z - z.mean())) / np.sum((z - z.mean()) ** 2)
    table = LifeTable.from_durations(COMPLETE, [True] * n)
    ln = fit_rank_regression(table, "lognormal", "rrx")
    assert ln.parameters["sigma"] == pytest.approx(b, rel=1e-12)
    assert ln.parameters["mu"] == pytest.approx(x.mean() - b * z.mean(), rel=1e-12)
    ex = fit_rank_regression(table, "exponential", "rrx")  # slope 1 on Weibull paper
    assert ex.parameters["scale"] == pytest.approx(math.exp(np.mean(x - np.log(-np.log1p(-f)))), rel=1e-12)


def test_refusals():
    with pytest.raises(ParameterError, match="rank regression needs every unit's age"):
        from failure_data.readers import read_life_table

        fit_rank_regression(read_life_table(samples_path("engine_inspections.csv")), "weibull")
    with pytest.raises(ParameterError, match="rank regression takes"):
        fit_rank_regression(LifeTable.from_durations(COMPLETE, [True] * 10), "gengamma")


def test_cli_rank_regression():
    r = CliRunner().invoke(app, ["fit", str(samples_path("three_failures.csv")), "--method", "rrx", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["method"] == "rrx" and doc["interval_method"] == "none" and 0 < doc["r_squared"] <= 1
    assert doc["quantities"][0]["quantity"] == "B10" and doc["quantities"][0]["lower"] is None
    r = CliRunner().invoke(app, ["fit", str(samples_path("engine_inspections.csv")), "--method", "rrx"])
    assert r.exit_code == 1 and "--method mle" in r.output
    r = CliRunner().invoke(app, ["fit", str(samples_path("three_failures.csv")), "--method", "lsq"])
    assert r.exit_code == 2
