"""The closed forms of fleet_models.engines.theory against independent references."""

from __future__ import annotations

import math

import numpy as np
import pytest

from fleet_models.engines import theory
from fleet_models.errors import FleetError
from reliability.models import LifeModel


def test_renewal_availability_is_mttf_over_cycle():
    # MTTF / (MTTF + MTTR) by definition (renewal-reward theorem)
    assert theory.renewal_availability(900.0, 100.0) == pytest.approx(0.9)
    assert theory.renewal_availability(5.0, 0.0) == 1.0


def test_renewal_function_exponential_is_linear():
    # Poisson process: M(t) = t / scale exactly
    m = theory.renewal_function(LifeModel.exponential(100.0), 1000.0, steps=2000)
    assert m == pytest.approx(10.0, rel=1e-5)


def _erlang2(phase_mean: float) -> LifeModel:
    # lifelines' generalised gamma with lambda = sigma = 1/sqrt(2) is a gamma law of shape
    # 1/lambda^2 = 2 and scale exp(mu) * lambda^2 (see reliability.families.GenGamma.scipy):
    # an Erlang-2 with phase mean exp(mu) / 2.
    lam = 1.0 / math.sqrt(2.0)
    return LifeModel("gengamma", {"mu": math.log(2 * phase_mean), "ln_sigma": math.log(lam),
                                  "lambda_": lam})


@pytest.mark.parametrize("t", [30.0, 100.0, 1000.0])
def test_renewal_function_erlang2_closed_form(t):
    # Erlang-2 with phase rate r: M(t) = r t / 2 - 1/4 + exp(-2 r t) / 4
    # (Cox, Renewal Theory, 1962, sec. 4.2; by Laplace transform of the renewal equation)
    life = _erlang2(50.0)
    assert life.mean() == pytest.approx(100.0)
    r = 1 / 50.0
    exact = r * t / 2 - 0.25 + math.exp(-2 * r * t) / 4
    assert theory.renewal_function(life, t, steps=2000) == pytest.approx(exact, rel=1e-4, abs=1e-6)


def test_renewal_function_weibull_asymptote():
    # M(t) = t/mu + (sigma^2/mu^2 - 1)/2 + o(1) (Smith's renewal theorem); Weibull shape 2
    # settles within 1e-4 by t = 20 means
    life = LifeModel.weibull(2.0, 1000.0)
    mu, var = life.mean(), float(life.dist.var())
    t = 20000.0
    assert theory.renewal_function(life, t, steps=4000) == pytest.approx(
        t / mu + (var / mu**2 - 1) / 2, abs=1e-3
    )


def test_machine_repair_single_unit_is_two_state():
    # one unit: P(down) = lambda / (lambda + mu)
    q = theory.machine_repair(1, 0.01, 0.2, 1)
    assert q.mean_failed == pytest.approx(0.01 / 0.21)


def test_machine_repair_unlimited_is_binomial():
    # with a technician per unit the units are independent: failed ~ Binomial(N, lam/(lam+mu))
    from scipy import stats

    q = theory.machine_repair(10, 0.02, 0.1, 0)
    np.testing.assert_allclose(q.probabilities, stats.binom.pmf(np.arange(11), 10, 0.02 / 0.12))


def test_k_of_n_generator_agrees_with_birth_death_product_form():
    # the k-of-n chain is the machine-repair birth-death chain on failed elements, so the
    # numerical generator solution equals the product form
    for c in (None, 1, 2):
        kn = theory.k_of_n(5, 3, 0.01, 0.05, c)
        mr = theory.machine_repair(5, 0.01, 0.05, 0 if c is None else c)
        np.testing.assert_allclose(kn.probabilities, mr.probabilities, atol=1e-12)


def test_k_of_n_two_of_three_independent_repair():
    # independent elements, each down with p = lam/(lam+mu): A = P(at most 1 of 3 down)
    p = 0.01 / (0.01 + 0.05)
    exact = (1 - p) ** 3 + 3 * p * (1 - p) ** 2
    assert theory.k_of_n(3, 2, 0.01, 0.05).availability == pytest.approx(exact)


def test_palm_wait_probability():
    # P(Poisson(3) >= 3) = 1 - e^-3 (1 + 3 + 9/2)
    exact = 1 - math.exp(-3) * (1 + 3 + 4.5)
    assert theory.palm_wait_probability(0.01, 300.0, 3) == pytest.approx(exact)
    assert theory.palm_wait_probability(0.01, 300.0, 0) == 1.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: theory.renewal_availability(0.0, 1.0),
        lambda: theory.renewal_availability(1.0, -1.0),
        lambda: theory.machine_repair(0, 0.1, 0.1, 1),
        lambda: theory.machine_repair(3, -0.1, 0.1, 1),
        lambda: theory.machine_repair(3, 0.1, 0.1, -1),
        lambda: theory.k_of_n(3, 4, 0.1, 0.1),
        lambda: theory.k_of_n(3, 0, 0.1, 0.1),
        lambda: theory.palm_wait_probability(0.1, 0.0, 1),
        lambda: theory.palm_wait_probability(0.1, 1.0, -1),
        lambda: theory.renewal_function(LifeModel.exponential(1.0), -5.0),
        lambda: theory.renewal_function(LifeModel.exponential(1.0), 5.0, steps=1),
    ],
)
def test_invalid_inputs_are_refused(call):
    with pytest.raises(FleetError, match="must be"):
        call()
