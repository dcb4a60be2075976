"""Defective subpopulations (limited failure population, ``lfp``) and two-Weibull mixtures
(``mixture``), fitted by the project's likelihood (reliability.mixtures), held to:

* the truth of the shipped sample (failure_data/samples/README.md: 3 % Weibull(0.5, 500 h),
  97 % Weibull(1.2, 6e5 h)): its B10 and F(5 y), computed here from that mixture, inside the
  fit's 95 % intervals;
* a log-likelihood written out in this file (the mixture's density and survival from
  scipy.stats.weibull_min) and maximised with scipy's Nelder-Mead from the truth;
* simulated LFP data (Meeker & Escobar 1998, §11.5's setting: a defective share failing early,
  the rest never) whose share and shape are recovered within their intervals;
* the fleet: a saved life of each kind loads in a scenario, and the SimPy engine's count of
  failures is the geometric d / (1 - d) per position when the defective units fail at once.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from failure_data import samples_path
from failure_data.readers import read_life_table
from failure_data.table import LifeTable
from fleet_models.engines.des.sim import simulate
from fleet_models.engines.registry import select_engine
from fleet_models.model.spec import Architecture, Component, Fleet, Scenario
from fleet_models.scenario.read import load_scenario
from reliability.errors import FitError
from reliability.fitting import fit
from reliability.mixtures import delta_interval
from reliability.models import LifeModel

FIVE_YEARS = 5 * 8766.0
TRUE = [(0.03, stats.weibull_min(c=0.5, scale=500.0)), (0.97, stats.weibull_min(c=1.2, scale=6e5))]


def _true_cdf(t: float) -> float:
    return sum(w * law.cdf(t) for w, law in TRUE)


TRUE_B10 = optimize.brentq(lambda t: _true_cdf(t) - 0.10, 1.0, 1e7, xtol=1e-6)
TRUE_F5 = _true_cdf(FIVE_YEARS)


@pytest.fixture(scope="module")
def sample():
    return read_life_table(samples_path("pluggable_800g_dated.csv"), as_of="2025-12-31")


@pytest.fixture(scope="module")
def mixture_fit(sample):
    return fit(sample, "mixture")


def test_the_truth_is_what_the_samples_readme_says():
    assert TRUE_B10 == pytest.approx(69_000, rel=0.02)
    assert TRUE_F5 == pytest.approx(0.07, abs=0.005)


def test_the_mixture_recovers_the_samples_b10_and_five_year_failures(sample, mixture_fit):
    m = mixture_fit.model
    b10, b_lo, b_hi = delta_interval(m, lambda x: x.b_life(0.10), "log", 0.95)
    f5, f_lo, f_hi = delta_interval(m, lambda x: float(x.cdf(FIVE_YEARS)), "logit", 0.95)
    assert b_lo < TRUE_B10 < b_hi and f_lo < TRUE_F5 < f_hi
    assert b10 == pytest.approx(mixture_fit.b10_hours, rel=1e-12)
    # the weak share itself: 3 % inside its logit-Wald interval, which stays inside (0, 1)
    lo, hi = mixture_fit.intervals["weight"]
    assert 0 < lo < 0.03 < hi < 1
    # and the default Weibull, by contrast, misses B10 by far more than its own interval
    w = fit(sample, "weibull").model
    _, wlo, whi = delta_interval(w, lambda x: x.b_life(0.10), "log", 0.95)
    assert wlo > 2 * TRUE_B10


def _mixture_nll(theta, lower, upper, weight):
    """The two-Weibull mixture's negative log-likelihood, written out: exact rows by the density,
    right-censored by the survival, left-censored (dead on arrival, in (0, 24] h) by the cdf."""
    w = 1 / (1 + math.exp(-theta[0]))
    a = stats.weibull_min(c=math.exp(theta[1]), scale=math.exp(theta[2]))
    b = stats.weibull_min(c=math.exp(theta[3]), scale=math.exp(theta[4]))
    exact, right = lower == upper, np.isinf(upper)
    left = ~exact & ~right
    ll = np.log(w * a.pdf(upper[exact]) + (1 - w) * b.pdf(upper[exact])) @ weight[exact]
    ll += np.log(w * a.sf(lower[right]) + (1 - w) * b.sf(lower[right])) @ weight[right]
    ll += np.log(w * a.cdf(upper[left]) + (1 - w) * b.cdf(upper[left])) @ weight[left]
    return -ll


def test_the_mixture_is_the_maximum_of_an_independent_likelihood(sample, mixture_fit):
    from reliability.doa import read_dead_on_arrival
    from reliability.records import group_records

    rec = group_records(read_dead_on_arrival(sample)[0])
    args = (rec.lower, rec.upper, rec.weight)
    p = mixture_fit.parameters
    ours = np.array([math.log(p["weight"] / (1 - p["weight"])), math.log(p["shape1"]), math.log(p["scale1"]),
                     math.log(p["shape2"]), math.log(p["scale2"])])
    assert -_mixture_nll(ours, *args) == pytest.approx(mixture_fit.log_likelihood, rel=1e-10)
    truth = np.array([math.log(0.03 / 0.97), math.log(0.5), math.log(500.0), math.log(1.2), math.log(6e5)])
    theirs = optimize.minimize(_mixture_nll, truth, args=args, method="Nelder-Mead",
                               options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 40_000, "maxfev": 40_000})
    assert mixture_fit.log_likelihood >= -theirs.fun - 1e-6
    np.testing.assert_allclose(ours, theirs.x, atol=2e-3)


def _lfp_table(n=3000, p=0.1, shape=1.5, scale=2000.0, end=8000.0, seed=21):
    rng = np.random.default_rng(seed)
    defective = rng.random(n) < p
    t = np.where(defective, stats.weibull_min(c=shape, scale=scale).rvs(n, random_state=rng), np.inf)
    return LifeTable.from_durations(np.minimum(t, end), t < end)


def test_a_limited_failure_population_recovers_its_share_and_shape():
    table = _lfp_table()
    r = fit(table, "lfp")
    lo, hi = r.intervals["defective"]
    assert lo < 0.1 < hi and 0 < lo and hi < 1
    lo, hi = r.intervals["shape"]
    assert lo < 1.5 < hi

    # an independent likelihood: exact ln(p f), right-censored ln(1 - p F)
    d = table.data
    t, failed = d["lower"].to_numpy(), (d["kind"] == "exact").to_numpy()

    def nll(theta):
        q, law = 1 / (1 + math.exp(-theta[0])), stats.weibull_min(c=math.exp(theta[1]), scale=math.exp(theta[2]))
        return -(np.sum(np.log(q * law.pdf(t[failed]))) + np.sum(np.log1p(-q * law.cdf(t[~failed]))))

    theirs = optimize.minimize(nll, [math.log(0.1 / 0.9), math.log(1.5), math.log(2000.0)], method="Nelder-Mead",
                               options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000})
    assert r.log_likelihood == pytest.approx(-theirs.fun, rel=1e-10)
    got = r.parameters
    np.testing.assert_allclose([math.log(got["defective"] / (1 - got["defective"])), math.log(got["shape"]),
                                math.log(got["scale"])], theirs.x, atol=1e-4)


def test_a_share_that_runs_to_one_is_refused_as_a_plain_weibull():
    rng = np.random.default_rng(4)
    t = stats.weibull_min(c=2.0, scale=100.0).rvs(200, random_state=rng)
    table = LifeTable.from_durations(np.minimum(t, 400.0), t < 400.0)  # nearly all fail: no limit
    with pytest.raises(FitError, match="no interior maximum-likelihood optimum.*plain Weibull"):
        fit(table, "lfp")


def _geometric_scenario(life: LifeModel, switches=20, ports=8) -> Scenario:
    comp = Component("m", ports, 1, life)
    return Scenario("def", 17532.0, Fleet(switches, ports), (Architecture("a", (comp,)),),
                    replications=1, seed=13)


@pytest.mark.parametrize("life", [
    LifeModel("lfp", {"defective": 0.25, "shape": 2.0, "scale": 5.0}),
    LifeModel("mixture", {"weight": 0.25, "shape1": 2.0, "scale1": 5.0, "shape2": 1.0, "scale2": 1e15}),
], ids=["lfp", "mixture"])
def test_the_simpy_engine_draws_a_defective_share(life):
    # the defective units fail within hours and the rest never within the horizon, so each
    # position fails a geometric number of times: sum of p^k = p / (1 - p)
    sc = _geometric_scenario(life)
    # the fast engine compiles the LFP (tests/test_fast_shares.py), not the mixture
    assert select_engine(sc, "auto")[0] == ("fast" if life.distribution == "lfp" else "des")
    counts = np.array([simulate(sc, sc.architectures[0], r).metrics["failures_m"] for r in range(30)])
    p, positions = 0.25, 20 * 8
    want = positions * p / (1 - p)
    se = math.sqrt(positions * p / (1 - p) ** 2 / len(counts))
    assert abs(counts.mean() - want) < 4 * se


def test_a_saved_mixture_loads_in_a_scenario_and_draws_its_parameters(tmp_path, mixture_fit):
    mixture_fit.model.save(tmp_path / "mix.json")
    (tmp_path / "s.toml").write_text("""
name = "m"
horizon_years = 1
[fleet]
switches = 2
ports_per_switch = 4
[[architectures]]
name = "x"
[[architectures.components]]
name = "optic"
per_switch = 4
ports_per_unit = 1
life = { model = "mix.json" }
""")
    s = load_scenario(tmp_path / "s.toml")
    life = s.architectures[0].components[0].life
    assert life == mixture_fit.model
    drawn = life.draw_parameters(np.random.default_rng(1))
    assert 0 < drawn.parameters["weight"] < 1 and drawn.parameters != life.parameters


def _example(name):
    """A law of each family whose failures within 2e4 h are plentiful (F(2e4) well inside (0, 1))."""
    return {"weibull": {"shape": 1.5, "scale": 3e4}, "lognormal": {"mu": 10.0, "sigma": 1.0},
            "exponential": {"scale": 3e4}, "loglogistic": {"shape": 2.0, "scale": 3e4},
            "gengamma": {"mu": 10.0, "ln_sigma": 0.0, "lambda_": 0.5},
            "lfp": {"defective": 0.3, "shape": 1.2, "scale": 5e3},
            "mixture": {"weight": 0.1, "shape1": 0.6, "scale1": 500.0, "shape2": 2.0, "scale2": 4e4},
            "weibull3": {"shape": 2.0, "scale": 2e4, "threshold": 3e3}, "gamma": {"shape": 2.0, "scale": 1e4},
            "normal": {"mu": 2.5e4, "sigma": 4e3}, "sev": {"mu": 2.5e4, "sigma": 1e3}}[name]


@pytest.mark.parametrize("name", list(__import__("reliability.families", fromlist=["x"]).FAMILIES))
def test_a_saved_life_of_every_family_loads_in_a_scenario_and_the_simpy_engine_draws_it(name, tmp_path):
    from fleet_models.engines.des.state import _Life

    m = LifeModel(name, _example(name))
    m.save(tmp_path / "life.json")
    (tmp_path / "s.toml").write_text(f"""
name = "{name}"
horizon_hours = 20000.0
[fleet]
switches = 1
ports_per_switch = 4
[[architectures]]
name = "x"
[[architectures.components]]
name = "optic"
per_switch = 4
ports_per_unit = 1
life = {{ model = "life.json" }}
""")
    life = load_scenario(tmp_path / "s.toml").architectures[0].components[0].life
    assert life == m
    # binomial thinning at F(H), then truncated lives: the count is Binomial(n, F(H)), every life <= H
    n, h = 20_000, 2e4
    f = float(m.cdf(h))
    idx, times = _Life(life).failing(n, h, np.random.default_rng(9))
    assert abs(len(idx) - n * f) < 4 * math.sqrt(n * f * (1 - f))
    assert np.all((times >= 0) & (times <= h))
    # and the drawn lives follow the law below H: their median is the law's conditional median
    cond_median = float(m.ppf(0.5 * f))
    assert abs(float(np.mean(times <= cond_median)) - 0.5) < 4 * math.sqrt(0.25 / len(times))
