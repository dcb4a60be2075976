"""LifeModel math and JSON: property checks against definitions and numerical integrals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special

from reliability.errors import ParameterError
from reliability.models import BOLTZMANN_EV, FIT_HOURS, LifeModel, arrhenius_factor


def _integral_sf(m: LifeModel, a: float) -> float:
    """integral_a^inf S(t) dt, computed as integral of S(a + e^u) e^u du (quad on a log scale)."""
    d = m.dist
    lo = math.log(max(float(d.ppf(1e-14)), 1e-9))
    hi = math.log(float(d.isf(1e-14)) + a)
    val, _ = integrate.quad(lambda u: d.sf(a + math.exp(u)) * math.exp(u), lo, hi, limit=500,
                            epsabs=0, epsrel=1e-10)
    # below e^lo: S ~ 1 over [a, a + e^lo]
    return val + math.exp(lo) * float(d.sf(a))


MODELS = {
    "weibull": LifeModel.weibull(1.7, 5e4),
    "weibull_infant": LifeModel.weibull(0.6, 2e5),
    "lognormal": LifeModel.lognormal(10.5, 0.9),
    "exponential": LifeModel.exponential(3e5),
    "loglogistic": LifeModel("loglogistic", {"shape": 2.5, "scale": 4e4}),
    "gengamma_pos": LifeModel("gengamma", {"mu": 10.0, "ln_sigma": -0.3, "lambda_": 0.7}),
    "gengamma_neg": LifeModel("gengamma", {"mu": 10.0, "ln_sigma": -0.5, "lambda_": -0.4}),
}
IDS = list(MODELS)


@pytest.mark.parametrize("name", IDS)
def test_sf_cdf_pdf_hazard_identities(name):
    m = MODELS[name]
    t = np.geomspace(1.0, 1e6, 25)
    # definitions: S + F = 1, h = f/S, H = -ln S, b_life(p) = ppf(p) with F(ppf(p)) = p
    np.testing.assert_allclose(m.sf(t) + m.cdf(t), 1.0, rtol=0, atol=1e-12)
    s = m.sf(t)
    ok = s > 1e-200
    np.testing.assert_allclose(m.hazard(t)[ok], (m.pdf(t) / s)[ok], rtol=1e-8)
    np.testing.assert_allclose(np.exp(-m.cumulative_hazard(t)), s, rtol=1e-10)
    for p in (0.01, 0.1, 0.5, 0.9):
        assert m.b_life(p) == pytest.approx(float(m.ppf(p)), rel=1e-12)
        assert float(m.cdf(m.b_life(p))) == pytest.approx(p, rel=1e-8)
    # pdf integrates to the cdf: F(b) - F(a) = integral of f over [a, b]
    a, b = m.b_life(0.2), m.b_life(0.6)
    val, _ = integrate.quad(m.dist.pdf, a, b, limit=200)
    assert val == pytest.approx(0.4, rel=1e-7)


@pytest.mark.parametrize("name", IDS)
def test_mean_is_integral_of_sf(name):
    m = MODELS[name]
    # MTTF = integral_0^inf S(t) dt
    assert m.mean() == pytest.approx(_integral_sf(m, 0.0), rel=1e-6)
    assert m.mttf() == m.mean()


def test_weibull_closed_forms():
    m = LifeModel.weibull(2.0, 1000.0)
    assert m.mean() == pytest.approx(1000.0 * math.gamma(1.5), rel=1e-12)  # scale * Gamma(1 + 1/shape)
    assert m.b_life(0.10) == pytest.approx(1000.0 * (-math.log(0.9)) ** 0.5, rel=1e-12)  # B10
    assert float(m.sf(1000.0)) == pytest.approx(math.exp(-1.0), rel=1e-12)


def test_average_and_constant_fit():
    e = LifeModel.from_fit_rate(500.0)
    assert e.parameters["scale"] == pytest.approx(FIT_HOURS / 500.0)
    assert e.constant_fit() == pytest.approx(500.0, rel=1e-12)
    # average FIT over a window: F(t)/t x 1e9 (issue's definition)
    t = 8766.0
    assert e.average_fit(t) == pytest.approx(-math.expm1(-t * 500e-9) / t * 1e9, rel=1e-12)
    w = LifeModel.weibull(1.5, 1e6)
    assert w.average_fit(t) == pytest.approx(float(w.cdf(t)) / t * 1e9, rel=1e-12)
    with pytest.raises(ParameterError, match="exponential"):
        w.constant_fit()


@pytest.mark.parametrize("name", ["weibull", "lognormal", "loglogistic", "gengamma_pos"])
def test_residual_life_sampling_mean(name):
    m = MODELS[name]
    age = m.b_life(0.3)
    rng = np.random.default_rng(12345)
    r = m.sample_residual(np.full(40_000, age), rng)
    assert np.all(r >= 0)
    # E[T - a | T > a] = integral_0^inf S(a + t) dt / S(a)
    expected = _integral_sf(m, age) / float(m.sf(age))
    se = r.std(ddof=1) / math.sqrt(r.size)
    assert abs(r.mean() - expected) < 3 * se


def test_sampling_distribution_and_truncated_sampling():
    m = MODELS["weibull"]
    rng = np.random.default_rng(7)
    x = m.sample(50_000, rng)
    # fraction below the median ~ Binomial(n, 0.5): within 3 SE
    p = np.mean(x < m.b_life(0.5))
    assert abs(p - 0.5) < 3 * math.sqrt(0.25 / x.size)
    h = m.b_life(0.05)
    y = m.sample_before(20_000, h, np.random.default_rng(8))
    assert np.all(y <= h)
    # conditional on T < h, P(T < B2.5) = 0.025/0.05 = 0.5
    q = np.mean(y < m.b_life(0.025))
    assert abs(q - 0.5) < 3 * math.sqrt(0.25 / y.size)
    # same seed, same draws
    np.testing.assert_array_equal(m.sample(10, np.random.default_rng(1)), m.sample(10, np.random.default_rng(1)))


@pytest.mark.parametrize("lam", [0.7, -0.4, 1.0])
def test_gengamma_matches_lifelines_parametrisation(lam):
    # lifelines' GeneralizedGammaFitter: Z = (ln t - mu)/sigma; lambda > 0: S = Q(1/l^2, e^{lZ}/l^2),
    # lambda < 0: S = P(1/l^2, e^{lZ}/l^2) (regularised incomplete gammas), written out here.
    mu, ln_sigma = 10.0, -0.3
    m = LifeModel("gengamma", {"mu": mu, "ln_sigma": ln_sigma, "lambda_": lam})
    t = np.geomspace(1e3, 1e6, 20)
    z = (np.log(t) - mu) / math.exp(ln_sigma)
    u = np.exp(lam * z) / lam**2
    s = special.gammaincc(1 / lam**2, u) if lam > 0 else special.gammainc(1 / lam**2, u)
    np.testing.assert_allclose(m.sf(t), s, rtol=1e-9, atol=1e-300)
    if lam == 1.0:  # lambda = 1 is the Weibull with shape 1/sigma, scale e^mu
        w = LifeModel.weibull(math.exp(-ln_sigma), math.exp(mu))
        np.testing.assert_allclose(m.sf(t), w.sf(t), rtol=1e-9)


@pytest.mark.parametrize("name", IDS)
def test_json_round_trip_exact(name, tmp_path):
    m0 = MODELS[name]
    k = len(m0.parameters)
    cov = np.eye(k) * 0.01 + 0.001
    m = LifeModel(m0.distribution, dict(m0.parameters), covariance=tuple(map(tuple, cov)),
                  confidence=0.9, provenance={"file": "x.csv", "rows": 12, "sha256": "ab" * 32,
                                              "units_by_kind": {"exact": 3, "right": 9}})
    assert LifeModel.from_json(m.to_json()) == m
    p = tmp_path / "m.json"
    m.save(p)
    back = LifeModel.load(p)
    assert back == m
    assert back.parameters == m.parameters and back.covariance == m.covariance
    assert hash(back) == hash(m)


def test_accelerated_and_arrhenius():
    m = LifeModel.weibull(2.0, 1e5, covariance=((0.01, 0.0), (0.0, 1e6)))
    a = m.accelerated(4.0)
    assert a.parameters["scale"] == pytest.approx(2.5e4)
    assert a.parameters["shape"] == 2.0
    assert a.covariance[1][1] == pytest.approx(1e6 / 16)  # Var(scale/f) = Var(scale)/f^2
    ln = LifeModel.lognormal(10.0, 1.0).accelerated(math.e)
    assert ln.parameters["mu"] == pytest.approx(9.0)
    # AF = exp(Ea/k (1/T1 - 1/T2)) with T in kelvin
    af = arrhenius_factor(45.0, 85.0, 0.7)
    assert af == pytest.approx(math.exp(0.7 / BOLTZMANN_EV * (1 / 318.15 - 1 / 358.15)), rel=1e-12)
    assert m.at_temperature(45.0, 85.0, 0.7).parameters["scale"] == pytest.approx(1e5 / af)


def test_draw_parameters_centre_and_spread():
    cov = ((0.0025, 0.0), (0.0, (1e4) ** 2))
    m = LifeModel.weibull(2.0, 1e5, covariance=cov)
    rng = np.random.default_rng(99)
    draws = np.array([[d.parameters["shape"], d.parameters["scale"]]
                      for d in (m.draw_parameters(rng) for _ in range(4000))])
    # positive parameters are drawn log-normally: ln(shape) ~ N(ln 2, (0.05/2)^2)
    ls = np.log(draws[:, 0])
    assert abs(ls.mean() - math.log(2.0)) < 3 * (0.025 / math.sqrt(len(ls)))
    # relative SE of a sample SD is 1/sqrt(2(n-1)) = 0.0112 for n = 4000: 3 SE = 0.034
    assert ls.std(ddof=1) == pytest.approx(0.025, rel=3 / math.sqrt(2 * (len(ls) - 1)))
    assert np.all(draws > 0)
    assert LifeModel.weibull(2.0, 1e5).draw_parameters(rng) == LifeModel.weibull(2.0, 1e5)


def test_mean_is_infinite_when_the_moment_does_not_exist():
    # log-logistic: E[T] = integral of 1/(1 + (t/s)^k) dt diverges for k <= 1 (scipy returns nan)
    assert LifeModel("loglogistic", {"shape": 0.8, "scale": 1e4}).mean() == math.inf
    # gengamma with lambda < 0 is scipy gengamma(a = 1/l^2, c = l/sigma < 0): E[T] finite only if
    # a + 1/c > 0 (scipy returns a finite number regardless); here a + 1/c = 0.0085 - 1.28 < 0
    m = LifeModel("gengamma", {"mu": 9.8, "ln_sigma": 2.64, "lambda_": -10.9})
    assert m.mean() == math.inf
    # and the tail is indeed too heavy: S(t) ~ t^(-|c| a) with |c| a < 1, so t S(t) -> inf
    assert float(m.sf(1e40)) * 1e40 > float(m.sf(1e20)) * 1e20 > 1e10
    assert math.isfinite(MODELS["gengamma_neg"].mean())  # a + 1/c = 6.25 - 1.52 > 0


def test_mttf_text_says_in_words_a_mean_that_is_not_a_number():
    # log-logistic of shape <= 1: the mean integral diverges; lognormal of sigma 40:
    # exp(mu + sigma^2 / 2) = exp(812), past the largest double (about exp(709.8)), and computed
    # without numpy's overflow warning; a finite one is the number, exp(mu + sigma^2 / 2) by hand
    import warnings

    unbounded = "MTTF unbounded (the mean life does not exist or is beyond 1e308 h)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert LifeModel("loglogistic", {"shape": 0.8, "scale": 1e5}).mttf_text() == unbounded
        assert LifeModel("lognormal", {"mu": 12.0, "sigma": 40.0}).mttf_text() == unbounded
    assert LifeModel("lognormal", {"mu": 12.0, "sigma": 1.0}).mttf_text() == (
        f"MTTF {math.exp(12.5):,.4g} h")
