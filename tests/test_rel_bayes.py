"""Bayesian fits (reliability.bayes) held to exact posteriors.

References: the gamma-Poisson conjugate posterior Gamma(a + r, b + T) of an exponential's rate
(``reliability.rates.GammaRate.update``, what ``cpo pilot`` draws); a Weibull posterior computed
here on a grid (scipy.stats.weibull_min's log density and survival, the lognormal prior written
out) and integrated numerically. Monte Carlo tolerances: 4 standard errors, the variance of the
resampled draws' mean taken as sd^2 (1/ESS + 1/draws) (importance weights, then resampling).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from cli.main import app
from failure_data import samples_path
from failure_data.readers import read_life_table
from failure_data.table import LifeTable
from reliability.bayes import fit_bayes
from reliability.errors import FitError, ParameterError
from reliability.models import LifeModel
from reliability.rates import GammaRate

PILOT = samples_path("cpo_els_pilot.csv")


def _se(sd, b):
    return sd * math.sqrt(1 / b.ess + 1 / len(b.draws))


def test_the_exponential_with_a_fit_range_is_the_gamma_poisson_posterior():
    table = read_life_table(PILOT)
    b = fit_bayes(table, "exponential", ["fit=100:1000"], draws=4000, seed=3)
    post = GammaRate.from_range(100, 1000).update(table.n_failures, table.device_hours)
    lam = 1.0 / b.draws[:, 0]
    exact = stats.gamma(post.shape, scale=1 / post.rate)
    assert abs(lam.mean() - exact.mean()) < 4 * _se(exact.std(), b)
    for p in (0.05, 0.5, 0.95):  # the share of draws below the exact quantile
        share = float(np.mean(lam <= exact.ppf(p)))
        assert abs(share - p) < 4 * math.sqrt(p * (1 - p) * (1 / b.ess + 1 / len(b.draws)))
    # the FIT quantiles cpo pilot reports, from the same posterior
    fit90 = np.quantile(lam * 1e9, 0.9)
    assert fit90 == pytest.approx(float(post.fit_quantile(0.9)), rel=0.05)


def _weibull_grid_posterior(t, failed, median, ef):
    """Posterior means of shape and ln(scale) by a 400 x 400 grid over (ln shape, ln scale)."""
    ls = np.linspace(math.log(median) - 5 * math.log(ef) / 1.645, math.log(median) + 5 * math.log(ef) / 1.645, 400)
    lsc = np.linspace(math.log(2e3), math.log(5e5), 400)
    K, S = np.meshgrid(np.exp(ls), np.exp(lsc), indexing="ij")
    ll = np.zeros_like(K)
    for x in t[failed]:
        ll += stats.weibull_min.logpdf(x, K, scale=S)
    for x in t[~failed]:
        ll += stats.weibull_min.logsf(x, K, scale=S)
    lp = ll - 0.5 * ((np.log(K) - math.log(median)) / (math.log(ef) / 1.645)) ** 2  # flat in ln scale
    w = np.exp(lp - lp.max())
    w /= w.sum()
    def mean_sd(x):
        m = float((w * x).sum())
        return m, float(np.sqrt((w * x**2).sum() - m**2))

    return mean_sd(K), mean_sd(np.log(S))


def test_a_weibull_shape_prior_updated_by_a_small_log_is_the_grid_posterior():
    rng = np.random.default_rng(8)
    life = stats.weibull_min(c=1.8, scale=3e4).rvs(40, random_state=rng)
    end = 2e4
    failed = life < end
    table = LifeTable.from_durations(np.minimum(life, end), failed)
    b = fit_bayes(table, "weibull", ["shape=1.5:1.3"], draws=4000, seed=2)
    (k_mean, k_sd), (lsc_mean, lsc_sd) = _weibull_grid_posterior(np.minimum(life, end), failed, 1.5, 1.3)
    assert abs(b.draws[:, 0].mean() - k_mean) < 4 * _se(k_sd, b)
    assert abs(np.log(b.draws[:, 1]).mean() - lsc_mean) < 4 * _se(lsc_sd, b)


def test_the_draws_travel_with_the_model_and_the_fleet_draws_them(tmp_path):
    import dataclasses
    import tomllib

    from fleet_models.engines.contract import compile_plan
    from fleet_models.model.spec import Architecture, Component, Fleet, Scenario
    from fleet_models.scenario.read import parse_scenario
    from fleet_models.scenario.write import scenario_to_toml

    b = fit_bayes(read_life_table(PILOT), "exponential", ["fit=100:1000"], draws=200, seed=1)
    b.model.save(tmp_path / "post.json")
    m = LifeModel.load(tmp_path / "post.json")
    assert m == b.model and len(m.posterior_draws) == 200 and m.uncertain
    sc = Scenario("bayes", 8766.0, Fleet(2, 4), (Architecture("a", (Component("els", 4, 1, m),)),),
                  replications=1, seed=5, uncertainty=True)
    sc = parse_scenario(tomllib.loads(scenario_to_toml(sc)))  # a written scenario keeps the draws
    plan = compile_plan(sc, sc.architectures[0])
    rows = {r[0] for r in m.posterior_draws}
    drawn = [plan.lives_for(r)[0].parameters["scale"] for r in range(6)]
    assert all(x in rows for x in drawn) and len(set(drawn)) > 1
    bad = {**m.to_dict(), "posterior_draws": [[1.0, 2.0]]}
    with pytest.raises(ParameterError, match="posterior_draws"):
        LifeModel.from_dict(bad)
    assert dataclasses.replace(m, posterior_draws=None).uncertain  # its covariance remains


def test_a_posterior_without_a_mode_or_a_bad_prior_is_refused():
    t = LifeTable.from_durations(np.full(20, 1000.0), np.zeros(20, bool))  # no failures
    with pytest.raises(FitError, match="no mode.*scale"):
        fit_bayes(t, "weibull", ["shape=1.5:1.3"])
    for bad, why in (("shape=1.5", "NAME=A:B"), ("rho=1:2", "no parameter 'rho'"), ("shape=1.5:0.9", "error factor"),
                     ("fit=10:100", "constant rate")):
        with pytest.raises(ParameterError, match=why):
            fit_bayes(t, "weibull", [bad])


def test_cpo_fit_prior_from_the_cli(tmp_path):
    r = CliRunner().invoke(app, ["fit", str(PILOT), "--dist", "exponential", "--prior", "fit=100:1000", "--json",
                                 "--save", str(tmp_path / "els.json")])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["draws"] == 1000 and doc["effective_sample_size"] > 1000
    lo, hi = doc["intervals"]["scale"]
    assert lo < doc["parameters"]["scale"] < hi
    assert len(LifeModel.load(tmp_path / "els.json").posterior_draws) == 1000
    assert CliRunner().invoke(app, ["fit", str(PILOT), "--dist", "auto", "--prior", "fit=1:2"]).exit_code == 2


def test_a_posterior_shifted_in_temperature_or_varied_by_path_moves_its_draws():
    from fleet_models.model.paths import _life

    m = fit_bayes(read_life_table(PILOT), "exponential", ["fit=100:1000"], draws=200, seed=1).model
    hot = m.accelerated(4.0)
    np.testing.assert_allclose(np.asarray(hot.posterior_draws), np.asarray(m.posterior_draws) / 4.0, rtol=1e-15)
    varied = _life(m, ["scale"], "x.life.scale", "x", 1e6)  # a sweep sets the value: no draws left to override it
    assert varied.posterior_draws is None and varied.parameters["scale"] == 1e6 and not varied.uncertain
