"""Accelerated-life fits held to written-out Weibull/lognormal life-stress likelihoods."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from failure_data.table import LifeTable
from reliability.alt import ALTSpec, StressModel, fit_alt
from reliability.errors import ParameterError
from reliability.models import BOLTZMANN_EV, arrhenius_factor

TEMPS = np.repeat([85.0, 105.0, 125.0], 60)
EA, SHAPE, SCALE_USE, T_USE, CENSOR = 0.7, 1.8, 2e5, 45.0, 5000.0


def _x(temp_c):
    return 1.0 / (BOLTZMANN_EV * (np.asarray(temp_c) + 273.15))


def _arrhenius_data(seed=3):
    rng = np.random.default_rng(seed)
    scale = SCALE_USE * np.exp(EA * (_x(TEMPS) - _x(T_USE)))
    t = scale * rng.weibull(SHAPE, TEMPS.size)
    d, e = np.minimum(t, CENSOR), t <= CENSOR
    return LifeTable.from_durations(d, e, covariates={"temperature_c": TEMPS}), d, e


def _weibull_stress_nll(th, d, e, x):
    """-log L of Weibull with ln scale = a + b x (x centred at use), common shape e^g."""
    a, b, g = th
    k = math.exp(g)
    s = np.exp(a + b * x)
    z = d / s
    return -(np.sum(e * (np.log(k) - np.log(s) + (k - 1) * np.log(z))) - np.sum(z**k))


def test_arrhenius_weibull_matches_written_out_likelihood():
    table, d, e = _arrhenius_data()
    r = fit_alt(table, ALTSpec("temperature_c", StressModel.arrhenius, T_USE))
    x = _x(TEMPS) - _x(T_USE)
    ref = optimize.minimize(_weibull_stress_nll, [math.log(1e5), 0.5, 0.0], args=(d, e, x),
                            method="Nelder-Mead",
                            options={"xatol": 1e-11, "fatol": 1e-12, "maxiter": 40_000, "maxfev": 80_000})
    a, b, g = ref.x
    p = r.fit.parameters
    assert p["scale"] == pytest.approx(math.exp(a), rel=1e-4)  # parameters are at the use temperature
    assert p["shape"] == pytest.approx(math.exp(g), rel=1e-4)
    assert r.coefficient == pytest.approx(b, rel=1e-4)  # Ea in eV is the slope in 1/(kT)
    assert r.fit.log_likelihood == pytest.approx(-ref.fun, rel=1e-8)
    # acceleration factors: exp(Ea/k (1/T_use - 1/T_test)), the models module's Arrhenius formula
    for row in r.acceleration_factors.itertuples():
        assert row.acceleration_factor == pytest.approx(
            arrhenius_factor(T_USE, row.stress, r.coefficient), rel=1e-10)
    assert r.acceleration_factors["n_units"].tolist() == [60, 60, 60]
    # interval covers the simulated truth; the saved model is the use-condition one
    lo, hi = r.coefficient_interval
    assert lo < EA < hi
    assert r.fit.model.provenance["use_stress"] == T_USE
    assert r.fit.model.covariance is not None


def test_arrhenius_use_model_covariance_delta_method():
    table, d, e = _arrhenius_data()
    r = fit_alt(table, ALTSpec("temperature_c", StressModel.arrhenius, T_USE))
    x = _x(TEMPS) - _x(T_USE)
    th = [math.log(r.fit.parameters["scale"]), r.coefficient, math.log(r.fit.parameters["shape"])]
    # numerical Hessian of the written-out likelihood in (a, b, g); delta method to (shape, scale)
    h = 1e-4
    f = lambda v: _weibull_stress_nll(v, d, e, x)  # noqa: E731
    n = 3
    hess = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            hess[i, j] = (f(th + ei + ej) - f(th + ei - ej) - f(th - ei + ej) + f(th - ei - ej)) / (4 * h * h)
    vc = np.linalg.inv(hess)
    jac = np.array([[0, 0, r.fit.parameters["shape"]], [r.fit.parameters["scale"], 0, 0]])
    np.testing.assert_allclose(np.asarray(r.fit.model.covariance), jac @ vc @ jac.T, rtol=2e-3)
    assert r.coefficient_se == pytest.approx(math.sqrt(vc[1, 1]), rel=2e-3)


def test_power_law_lognormal_matches_written_out_likelihood():
    rng = np.random.default_rng(8)
    cur = np.repeat([150.0, 200.0, 300.0], 50)
    n_true, mu_use, sigma, use = 1.8, math.log(3e5), 0.6, 80.0
    mu = mu_use - n_true * (np.log(cur) - math.log(use))
    t = np.exp(rng.normal(mu, sigma))
    c = 2e4
    d, e = np.minimum(t, c), t <= c
    table = LifeTable.from_durations(d, e, covariates={"current_ma": cur})
    r = fit_alt(table, ALTSpec("current_ma", StressModel.power, use, distribution="lognormal"))
    x = np.log(cur) - math.log(use)

    def nll(th):
        a, b, ls = th
        s = math.exp(ls)
        z = (np.log(d) - (a + b * x)) / s
        return -(np.sum(e * (stats.norm.logpdf(z) - math.log(s) - np.log(d))) + np.sum(~e * stats.norm.logsf(z)))

    ref = optimize.minimize(nll, [12.0, -1.0, 0.0], method="Nelder-Mead",
                            options={"xatol": 1e-11, "fatol": 1e-12, "maxiter": 40_000, "maxfev": 80_000})
    a, b, ls = ref.x
    assert r.fit.parameters["mu"] == pytest.approx(a, rel=1e-4)
    assert r.fit.parameters["sigma"] == pytest.approx(math.exp(ls), rel=1e-4)
    assert r.coefficient == pytest.approx(-b, rel=1e-4)  # life ∝ I^-n
    assert r.fit.log_likelihood == pytest.approx(-ref.fun, rel=1e-8)
    lo, hi = r.coefficient_interval
    assert lo < n_true < hi
    # AF from a test current to use: (I_test/I_use)^n
    for row in r.acceleration_factors.itertuples():
        assert row.acceleration_factor == pytest.approx((row.stress / use) ** r.coefficient, rel=1e-10)


@pytest.mark.parametrize(
    "spec, bad",
    [
        (ALTSpec("temperature_c", StressModel.arrhenius, 45.0, distribution="cauchy"), "cauchy"),
        (ALTSpec("humidity", StressModel.arrhenius, 45.0), "humidity"),
        (ALTSpec("temperature_c", StressModel.arrhenius, -300.0), "-300"),
    ],
)
def test_alt_refusals_quote_the_value(spec, bad):
    table, _, _ = _arrhenius_data()
    with pytest.raises(ParameterError, match=bad):
        fit_alt(table, spec)


def test_single_stress_level_refused():
    t = LifeTable.from_durations([10.0, 20.0, 30.0], [True, True, False], covariates={"temperature_c": [85] * 3})
    with pytest.raises(ParameterError, match="two stress levels"):
        fit_alt(t, ALTSpec("temperature_c", StressModel.arrhenius, 45.0))


def test_arrhenius_interval_censored_matches_written_out_likelihood():
    rng = np.random.default_rng(3)
    temps = np.repeat([85.0, 105.0, 125.0], 80)
    x = _x(temps) - _x(T_USE)
    t = 2e5 * np.exp(0.7 * x) * rng.weibull(1.8, temps.size)
    insp = np.arange(250.0, 5001.0, 250.0)  # inspected every 250 h until 5,000 h
    k = np.searchsorted(insp, t)
    lo = np.where(k == 0, 0.0, insp[np.maximum(k - 1, 0)])
    hi = np.where(k < insp.size, insp[np.minimum(k, insp.size - 1)], np.inf)
    lo = np.where(np.isinf(hi), insp[-1], lo)
    table = LifeTable.from_intervals(lo, hi, covariates={"temperature_c": temps})
    r = fit_alt(table, ALTSpec("temperature_c", StressModel.arrhenius, T_USE))

    def nll(th):  # log(S(lo) - S(hi)) per unit, S(inf) = 0
        a, b, g = th
        s = np.exp(a + b * x)
        sf = lambda u: np.exp(-((u / s) ** math.exp(g)))  # noqa: E731
        p = sf(lo) - np.where(np.isinf(hi), 0.0, sf(np.where(np.isinf(hi), 1.0, hi)))
        return -np.sum(np.log(p))

    ref = optimize.minimize(nll, [12.0, 0.5, 0.5], method="Nelder-Mead",
                            options={"xatol": 1e-11, "fatol": 1e-12, "maxiter": 40_000, "maxfev": 80_000})
    assert r.fit.parameters["scale"] == pytest.approx(math.exp(ref.x[0]), rel=1e-4)
    assert r.coefficient == pytest.approx(ref.x[1], rel=1e-4)
    assert r.fit.parameters["shape"] == pytest.approx(math.exp(ref.x[2]), rel=1e-4)
    assert r.fit.log_likelihood == pytest.approx(-ref.fun, rel=1e-8)


def test_alt_fit_lifelines_cannot_finish_is_polished_to_the_same_optimum(monkeypatch):
    import lifelines
    from lifelines.exceptions import ConvergenceError

    table, _, _ = _arrhenius_data()
    spec = ALTSpec("temperature_c", StressModel.arrhenius, T_USE)
    reference = fit_alt(table, spec)

    def boom(self, *a, **k):
        raise ConvergenceError("Fitting did not converge")

    monkeypatch.setattr(lifelines.WeibullAFTFitter, "fit", boom)
    r = fit_alt(table, spec)
    assert r.fit.optimizer == "scipy trust-exact polish from a data-driven start"
    assert r.fit.model.provenance["optimizer"] == r.fit.optimizer
    # one likelihood, one optimum: lifelines' own answer when it finishes (checked to 1e-9)
    assert r.fit.log_likelihood == pytest.approx(reference.fit.log_likelihood, rel=1e-10)
    assert r.coefficient == pytest.approx(reference.coefficient, rel=1e-5)
    assert r.coefficient_se == pytest.approx(reference.coefficient_se, rel=1e-3)
    for k in ("shape", "scale"):
        assert r.fit.parameters[k] == pytest.approx(reference.fit.parameters[k], rel=1e-5)
