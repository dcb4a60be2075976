"""Likelihood-ratio (profile) intervals held to an independent profile likelihood written here.

The reference in each test is its own log-likelihood (Weibull, lognormal or exponential with
right censoring, written out below), maximised with scipy's Nelder-Mead, profiled by a bounded
one-dimensional maximisation over the other parameter, and solved for
2 (LLmax - LLprofile) = chi2(0.95, 1) with brentq (Meeker & Escobar 1998, §8.3): different
optimisers, a different parametrisation and a different root finder from reliability.profile.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from failure_data.readers import read_life_table, samples_path
from failure_data.table import LifeTable
from reliability import profile
from reliability.fitting import fit
from reliability.intervals import LIKELIHOOD_RATIO, WALD_LOG

CRIT = stats.chi2.ppf(0.95, 1)
Z = stats.norm.ppf(0.975)

# the sample three_failures.csv: failures at 7, 15, 27 h, 22 units running at 29.9 h
T_FAIL = np.array([7.0, 15.0, 27.0])
T_RUN = np.full(22, 29.9)


def weibull_ll(shape, scale, fail=T_FAIL, run=T_RUN):
    z_f, z_r = (fail / scale) ** shape, (run / scale) ** shape
    return float(np.sum(np.log(shape / scale) + (shape - 1) * np.log(fail / scale) - z_f) - np.sum(z_r))


def lognormal_ll(mu, sigma, fail=T_FAIL, run=T_RUN):
    return float(np.sum(stats.norm.logpdf((np.log(fail) - mu) / sigma) - np.log(sigma * fail))
                 + np.sum(stats.norm.logsf((np.log(run) - mu) / sigma)))


def _max(ll2, x0):
    """Maximise a two-parameter log-likelihood of (log a, b) with a tight Nelder-Mead."""
    r = optimize.minimize(lambda x: -ll2(*x), x0, method="Nelder-Mead",
                          options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 20000})
    return r.x, -r.fun


def _profile_bounds(ll_of_v, v_hat, ll_max, lo_search, hi_search):
    """Roots of 2 (ll_max - ll_of_v(v)) = CRIT below and above v_hat (brentq)."""
    def g(v):
        return 2 * (ll_max - ll_of_v(v)) - CRIT
    return optimize.brentq(g, lo_search, v_hat, xtol=1e-12), optimize.brentq(g, v_hat, hi_search, xtol=1e-12)


def _over_log_shape(f):
    """max over ln(shape) in (-5, 5) of f(shape): a bounded 1-D maximisation."""
    r = optimize.minimize_scalar(lambda b: -f(math.exp(b)), bounds=(-5, 5), method="bounded",
                                 options={"xatol": 1e-11})
    return -r.fun


@pytest.fixture(scope="module")
def three():
    table = read_life_table(samples_path("three_failures.csv"))
    return fit(table, "weibull")


@pytest.fixture(scope="module")
def weibull_reference():
    (lb, ls), llmax = _max(lambda lb, ls: weibull_ll(math.exp(lb), math.exp(ls)), [0.3, 5.0])
    return math.exp(lb), math.exp(ls), llmax


def test_three_failures_wald_is_the_issue_case_and_lr_reaches_far_beyond(three, weibull_reference):
    shape, scale, llmax = weibull_reference
    assert three.log_likelihood == pytest.approx(llmax, abs=1e-7)
    wald = profile.intervals(three, "wald")
    lr = profile.intervals(three, "lr")
    assert wald.method == WALD_LOG and lr.method == LIKELIHOOD_RATIO
    # issue 30: "[20.5, 859] by Wald-log where the likelihood allows up to about 19,000"
    lo, hi = wald.parameters.loc["scale", ["lower", "upper"]]
    assert lo == pytest.approx(20.44, abs=0.01) and hi == pytest.approx(857.1, abs=0.1)
    # the independent profile of the scale: max over shape at each fixed scale
    ref_lo, ref_hi = _profile_bounds(
        lambda ls: _over_log_shape(lambda b: weibull_ll(b, math.exp(ls))), math.log(scale), llmax,
        math.log(scale) - 5, math.log(scale) + 10)
    got = lr.parameters.loc["scale", ["lower", "upper"]]
    assert got.iloc[0] == pytest.approx(math.exp(ref_lo), rel=1e-6)
    assert got.iloc[1] == pytest.approx(math.exp(ref_hi), rel=1e-6)
    assert 18_000 < got.iloc[1] < 21_000  # "about 19,000"


def test_weibull_shape_interval_against_independent_profile(three, weibull_reference):
    shape, scale, llmax = weibull_reference

    def prof(lb):  # max over ln(scale) at fixed shape
        r = optimize.minimize_scalar(lambda ls: -weibull_ll(math.exp(lb), math.exp(ls)),
                                     bounds=(0, 25), method="bounded", options={"xatol": 1e-11})
        return -r.fun

    ref = _profile_bounds(prof, math.log(shape), llmax, math.log(shape) - 4, math.log(shape) + 4)
    got = profile.intervals(three, "lr").parameters.loc["shape", ["lower", "upper"]]
    assert got.tolist() == pytest.approx(np.exp(ref).tolist(), rel=1e-6)


@pytest.mark.parametrize("p", [0.1, 0.01])
def test_weibull_b_life_against_independent_profile(three, weibull_reference, p):
    shape, scale, llmax = weibull_reference
    k = -math.log1p(-p)

    def prof(lt):  # fix t_p = exp(lt): scale = t_p / k^(1/shape); max over shape
        return _over_log_shape(lambda b: weibull_ll(b, math.exp(lt) / k ** (1 / b)))

    t_hat = scale * k ** (1 / shape)
    ref = _profile_bounds(prof, math.log(t_hat), llmax, math.log(t_hat) - 15, math.log(t_hat) + 10)
    q = profile.intervals(three, "lr", quantiles=[p]).quantities.set_index("quantity").loc[f"B{p * 100:g}"]
    assert q.estimate == pytest.approx(t_hat, rel=1e-6)
    assert [q.lower, q.upper] == pytest.approx(np.exp(ref).tolist(), rel=1e-6)
    assert q.bounded


def test_weibull_reliability_at_a_time_against_independent_profile(three, weibull_reference):
    shape, scale, llmax = weibull_reference
    t = 50.0

    def prof(logit_r):  # fix R(t): (t/scale)^shape = -ln R, so scale = t / (-ln R)^(1/shape)
        r = 1 / (1 + math.exp(-logit_r))
        return _over_log_shape(lambda b: weibull_ll(b, t / (-math.log(r)) ** (1 / b)))

    r_hat = math.exp(-((t / scale) ** shape))
    v = math.log(r_hat / (1 - r_hat))
    ref = _profile_bounds(prof, v, llmax, v - 8, v + 8)
    q = profile.intervals(three, "lr", at_hours=[t]).quantities.set_index("quantity").loc["R(50 h)"]
    assert q.estimate == pytest.approx(r_hat, rel=1e-7)
    expit = [1 / (1 + math.exp(-x)) for x in ref]
    assert [q.lower, q.upper] == pytest.approx(expit, rel=1e-6)


def test_lognormal_mu_and_b10_against_independent_profile():
    table = read_life_table(samples_path("three_failures.csv"))
    res = fit(table, "lognormal")
    (mu, ls), llmax = _max(lambda m, ls: lognormal_ll(m, math.exp(ls)), [4.0, 0.0])
    # the same optimum: its log-likelihood to 1e-8 (mu itself to 1e-4: with 3 failures the
    # likelihood is so flat that 3e-5 in mu costs 4e-10 in log-likelihood)
    assert res.log_likelihood == pytest.approx(llmax, abs=1e-8)
    assert res.parameters["mu"] == pytest.approx(mu, abs=1e-4)

    def over_sigma(f):
        r = optimize.minimize_scalar(lambda s: -f(math.exp(s)), bounds=(-5, 5), method="bounded",
                                     options={"xatol": 1e-11})
        return -r.fun

    ref_mu = _profile_bounds(lambda m: over_sigma(lambda s: lognormal_ll(m, s)), mu, llmax, mu - 10, mu + 20)
    z10 = stats.norm.ppf(0.1)
    lt_hat = mu + math.exp(ls) * z10
    ref_b = _profile_bounds(lambda lt: over_sigma(lambda s: lognormal_ll(lt - s * z10, s)), lt_hat, llmax,
                            lt_hat - 10, lt_hat + 10)
    found = profile.intervals(res, "lr")
    assert found.parameters.loc["mu", ["lower", "upper"]].tolist() == pytest.approx(list(ref_mu), rel=1e-6)
    b10 = found.quantities.set_index("quantity").loc["B10"]
    assert [b10.lower, b10.upper] == pytest.approx(np.exp(ref_b).tolist(), rel=1e-6)


def test_exponential_interval_against_its_closed_form_likelihood():
    # r failures in total time T: ll(theta) = -r ln theta - T / theta, theta_hat = T / r
    table = read_life_table(samples_path("three_failures.csv"))
    res = fit(table, "exponential")
    r, big_t = 3, float(T_FAIL.sum() + T_RUN.sum())
    hat = big_t / r

    def ll(lt):
        return -r * lt - big_t / math.exp(lt)

    ref = _profile_bounds(ll, math.log(hat), ll(math.log(hat)), math.log(hat) - 5, math.log(hat) + 8)
    got = profile.intervals(res, "lr").parameters.loc["scale", ["lower", "upper"]]
    assert got.tolist() == pytest.approx(np.exp(ref).tolist(), rel=1e-7)
    mttf = profile.intervals(res, "lr").quantities.set_index("quantity").loc["MTTF"]
    assert [mttf.lower, mttf.upper] == pytest.approx(got.tolist(), rel=1e-7)  # the MTTF is the scale


def test_wald_b_life_is_the_delta_method_on_its_log(three):
    # ln t_p = ln scale + ln(-ln(1-p)) / shape: gradient (-ln k / shape, 1) in (ln shape, ln scale)
    shape, scale = three.parameters["shape"], three.parameters["scale"]
    cov = np.asarray(three.model.covariance)
    jinv = np.diag([1 / shape, 1 / scale])
    cov_log = jinv @ cov @ jinv
    lk = math.log(-math.log(0.9))
    g = np.array([-lk / shape, 1.0])
    se = math.sqrt(g @ cov_log @ g)
    tp = scale * math.exp(lk / shape)
    b10 = profile.intervals(three, "wald").quantities.set_index("quantity").loc["B10"]
    assert [b10.lower, b10.upper] == pytest.approx([tp * math.exp(-Z * se), tp * math.exp(Z * se)], rel=1e-5)


def test_auto_is_lr_for_few_failures_and_wald_for_many():
    rng = np.random.default_rng(5)
    t = 1000 * rng.weibull(1.5, 400)
    many = fit(LifeTable.from_durations(np.minimum(t, 900), t < 900), "weibull")
    assert many.n_failures >= profile.LR_BELOW_FAILURES
    assert profile.intervals(many, "auto").method == WALD_LOG
    three = fit(read_life_table(samples_path("three_failures.csv")), "weibull")
    assert profile.intervals(three, "auto").method == LIKELIHOOD_RATIO


def test_lr_and_wald_agree_when_failures_are_many():
    # the log-likelihood is near quadratic with ~300 failures: the two methods within a few %
    rng = np.random.default_rng(6)
    t = 1000 * rng.weibull(1.5, 400)
    res = fit(LifeTable.from_durations(np.minimum(t, 1500), t < 1500), "weibull")
    w, lr = profile.intervals(res, "wald"), profile.intervals(res, "lr")
    for name in ("shape", "scale"):
        assert lr.parameters.loc[name, "lower"] == pytest.approx(w.parameters.loc[name, "lower"], rel=0.03)
        assert lr.parameters.loc[name, "upper"] == pytest.approx(w.parameters.loc[name, "upper"], rel=0.03)


def test_with_intervals_reports_the_method_in_the_result_and_its_model(three):
    found = profile.intervals(three, "lr")
    res = profile.with_intervals(three, found)
    assert res.interval_method == LIKELIHOOD_RATIO
    assert res.to_dict()["interval_method"] == LIKELIHOOD_RATIO
    assert res.model.provenance["interval_method"] == LIKELIHOOD_RATIO
    assert res.intervals["scale"][1] == pytest.approx(found.parameters.loc["scale", "upper"])


def test_bad_choices_are_refused():
    from reliability.errors import ParameterError

    with pytest.raises(ParameterError, match="interval 'profile' is not known"):
        profile.choose("profile", 3)
    with pytest.raises(ParameterError, match=r"quantile 1.5 must be a probability"):
        profile.quantile(1.5)
    with pytest.raises(ParameterError, match="mission time -3"):
        profile.reliability_at(-3)


def test_alt_activation_energy_lr_against_independent_profile():
    # Weibull life with ln scale = b0 + Ea (x - x_use), x = 1/(k T), common shape: the
    # log-likelihood written out here on laser_htol.csv, Ea profiled over (b0, ln shape)
    from reliability.alt import ALTSpec, StressModel, fit_alt
    from reliability.models import BOLTZMANN_EV

    table = read_life_table(samples_path("laser_htol.csv"))
    alt = fit_alt(table, ALTSpec("temperature_c", StressModel.arrhenius, 45.0))
    d = table.data
    x = 1 / (BOLTZMANN_EV * (d["temperature_c"].to_numpy(float) + 273.15)) - 1 / (BOLTZMANN_EV * 318.15)
    t, failed = d["lower"].to_numpy(float), (d["kind"] == "exact").to_numpy()

    def ll(b0, ea, lb):
        k = math.exp(lb)
        z = t / np.exp(b0 + ea * x)
        return float(np.sum(np.where(failed, np.log(k) + k * np.log(z) - np.log(t), 0.0) - z ** k))

    r = optimize.minimize(lambda v: -ll(*v), [12.0, 0.4, 0.5], method="Nelder-Mead",
                          options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    b0, ea_hat, lb = r.x
    assert ea_hat == pytest.approx(alt.coefficient, rel=1e-5)

    def prof(ea):
        q = optimize.minimize(lambda v: -ll(v[0], ea, v[1]), [b0, lb], method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12})
        return -q.fun

    ref = _profile_bounds(prof, ea_hat, -r.fun, ea_hat - 0.5, ea_hat + 0.5)
    found, (lo, hi) = profile.alt_intervals(alt, "lr")
    assert [lo, hi] == pytest.approx(list(ref), rel=1e-5)
    assert found.method == LIKELIHOOD_RATIO
    # the use-condition scale: LR on the regression's likelihood, wider than the Wald-log one
    # for the long extrapolation from 85-125 degC to 45 degC
    w, _ = profile.alt_intervals(alt, "wald")
    assert found.parameters.loc["scale", "upper"] > w.parameters.loc["scale", "lower"]
    assert found.parameters.loc["scale", "estimate"] == pytest.approx(alt.fit.parameters["scale"])


def test_a_quantity_the_likelihood_does_not_bound_is_reported_as_the_edge():
    # 2 early failures among 52 units: shapes down to ~0.06 stay within the LR region, where a
    # Weibull's mean, scale * Gamma(1 + 1/shape), reaches beyond e^60 (profile.LOG_REACH) times
    # the estimate: reported as infinite with bounded = False, never a number
    table = LifeTable.from_durations([5, 6] + [100] * 50, [1, 1] + [0] * 50)
    found = profile.intervals(fit(table, "weibull"), "lr")
    mttf = found.quantities.set_index("quantity").loc["MTTF"]
    assert mttf.upper == math.inf and not mttf.bounded
    assert 0 < mttf.lower < mttf.estimate
    assert found.quantity_records()[1]["upper"] is None  # JSON null, not a figure
