"""Zero/few-failure bounds, Weibayes and pilot planning held to the chi-square formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from failure_data.table import LifeTable
from reliability.bounds import (
    bound_document,
    rate_bound_from_table,
    rate_upper_bound,
    weibayes_from_table,
    weibayes_scale_lower,
)
from reliability.errors import ParameterError
from reliability.planning import HOURS_PER_MONTH, PilotRequest, plan_pilot


@pytest.mark.parametrize("r", [0, 1, 3])
@pytest.mark.parametrize("c", [0.6, 0.9, 0.95])
def test_rate_bound_is_chi_square_formula(r, c):
    t = 2.5e6
    b = rate_upper_bound(r, t, c)
    lam = stats.chi2.ppf(c, 2 * r + 2) / (2 * t)  # one-sided, time-terminated
    assert b.rate_upper_per_hour == pytest.approx(lam, rel=1e-12)
    assert b.fit_upper == pytest.approx(lam * 1e9, rel=1e-12)
    assert b.mttf_lower_hours == pytest.approx(1 / lam, rel=1e-12)


def test_meta_cpo_zero_failure_bound():
    # the chi-square bound behind meta-cpo-bound, at a round 1e6 port-hours (the catalog row uses
    # meta-cpo-hours, 1.05e6): 0 failures -> 95 % bound ~ 3e-6 /h
    # (chi2(0.95, 2)/2 = -ln(0.05) = 2.9957)
    b = rate_upper_bound(0, 1e6, 0.95)
    assert b.rate_upper_per_hour == pytest.approx(2.9957e-6, rel=1e-4)
    assert b.rate_upper_per_hour == pytest.approx(-math.log(0.05) / 1e6, rel=1e-12)
    assert b.fit_upper == pytest.approx(2995.7, rel=1e-4)


def test_weibayes_formula_and_exponential_consistency():
    t = np.array([1200.0, 3000.0, 4500.0, 800.0])
    w = weibayes_scale_lower(t, 0, 2.0, 0.9)
    # (2 sum t^beta / chi2(C, 2R+2))^(1/beta)
    ref = (2 * np.sum(t**2) / stats.chi2.ppf(0.9, 2)) ** 0.5
    assert w.scale_lower_hours == pytest.approx(ref, rel=1e-12)
    assert w.mttf_lower_hours == pytest.approx(ref * math.gamma(1.5), rel=1e-12)
    # shape 1 is the exponential: scale lower = MTTF lower of the chi-square bound with T = sum t
    w1 = weibayes_scale_lower(t, 2, 1.0, 0.95)
    assert w1.scale_lower_hours == pytest.approx(rate_upper_bound(2, t.sum(), 0.95).mttf_lower_hours, rel=1e-12)


def test_weibayes_from_table_counts_and_entry():
    table = LifeTable.from_durations([1000.0, 2000.0, 1500.0], [False, True, False],
                                     entry=[0.0, 500.0, 0.0], count=[10, 1, 4])
    w = weibayes_from_table(table, 1.5, 0.95)
    s = 10 * 1000**1.5 + (2000**1.5 - 500**1.5) + 4 * 1500**1.5  # truncation: t^b - entry^b
    assert w.sum_t_beta == pytest.approx(s, rel=1e-12)
    assert w.failures == 1 and w.n_units == 15
    assert w.scale_lower_hours == pytest.approx((2 * s / stats.chi2.ppf(0.95, 4)) ** (1 / 1.5), rel=1e-12)
    rb = rate_bound_from_table(table, 0.95)
    assert rb.device_hours == pytest.approx(10 * 1000 + 1500 + 4 * 1500)
    doc = bound_document(None, w)
    assert doc["scale_lower_hours"] == w.scale_lower_hours and doc["fit_upper"] is None
    assert set(doc) == set(bound_document(rb, None))  # one JSON shape for both methods


@pytest.mark.parametrize("r", [0, 2])
def test_pilot_plan_formula_and_round_trip(r):
    plan = plan_pilot(PilotRequest(100.0, 0.9, r, units=2000, units_per_switch=64, switches=32))
    th = stats.chi2.ppf(0.9, 2 * r + 2) / (2 * 100e-9)
    assert plan.device_hours == pytest.approx(th, rel=1e-12)
    assert plan.hours_per_unit == pytest.approx(th / 2000, rel=1e-12)
    assert plan.months == pytest.approx(th / (64 * 32) / (8766 / 12), rel=1e-12)
    assert HOURS_PER_MONTH == 730.5
    # running the planned test and seeing r failures bounds the rate at exactly the target
    assert rate_upper_bound(r, plan.device_hours, 0.9).fit_upper == pytest.approx(100.0, rel=1e-12)
    d = plan_pilot(PilotRequest(100.0)).to_dict()
    assert d["hours_per_unit"] is None and d["months"] is None and set(d) == set(plan.to_dict())


# ---------------------------------------------------------------- extreme inputs (issue 16)
# Weibayes and the chi-square figures are computed in logs; each reference below is computed
# independently, by exact algebra that keeps the numbers in range, or by a closed form.


@pytest.mark.parametrize("beta", [50.0, 120.0])
def test_weibayes_large_shape_and_ages_is_finite_and_exact(beta):
    # ages k * 1e7 h: t**50 = 1e350 k**50 overflows a float, but (exact algebra)
    # (2 sum (k T0)**b / q)**(1/b) = T0 (2 sum k**b / q)**(1/b), with sum k**b of small integers
    t0, k = 1e7, np.array([1.0, 2.0, 3.0])
    w = weibayes_scale_lower(k * t0, 1, beta, 0.95)
    q = stats.chi2.ppf(0.95, 4)
    ref = t0 * (2 * np.sum(k**beta) / q) ** (1 / beta)
    assert math.isfinite(w.scale_lower_hours)
    assert w.scale_lower_hours == pytest.approx(ref, rel=1e-12)
    assert w.mttf_lower_hours == pytest.approx(ref * math.gamma(1 + 1 / beta), rel=1e-12)
    assert w.log_sum_t_beta == pytest.approx(beta * math.log(t0) + math.log(np.sum(k**beta)), rel=1e-14)
    with pytest.raises(ParameterError, match="sum of t\\*\\*shape .* larger than the largest"):
        w.sum_t_beta  # noqa: B018  (1e350 x ..., not a float: refused, not inf)


def test_weibayes_large_shape_with_entry_ages():
    # t**b - e**b = T0**b (k_t**b - k_e**b) for t = k_t T0, e = k_e T0 (left truncation)
    t0, beta = 1e7, 50.0
    w = weibayes_scale_lower([2 * t0, 3 * t0], 0, beta, 0.9, entry=[1 * t0, 0.0], counts=[4, 1])
    ref = t0 * (2 * (4 * (2**50 - 1) + 3**50) / stats.chi2.ppf(0.9, 2)) ** (1 / beta)
    assert w.scale_lower_hours == pytest.approx(ref, rel=1e-12)
    assert w.n_units == 5


def test_weibayes_small_shape_matches_the_direct_formula():
    # at shape 0.05 t**b stays small, so the textbook formula is computable directly;
    # Gamma(1 + 1/0.05) = Gamma(21) = 20!
    t = np.array([1e7, 2e7, 3e7])
    w = weibayes_scale_lower(t, 1, 0.05, 0.95)
    ref = (2 * np.sum(t**0.05) / stats.chi2.ppf(0.95, 4)) ** 20
    assert w.scale_lower_hours == pytest.approx(ref, rel=1e-12)
    assert w.mttf_lower_hours == pytest.approx(ref * math.factorial(20), rel=1e-12)


def test_weibayes_huge_shape_tends_to_the_oldest_age():
    # closed form of the limit: (2 sum t**b / q)**(1/b) = t_max (2 n_max / q + o(1))**(1/b) -> t_max
    w = weibayes_scale_lower([1e7, 2e7, 3e7], 0, 1e300, 0.95)
    assert w.scale_lower_hours == pytest.approx(3e7, rel=1e-12)


def test_weibayes_figure_beyond_a_float_is_refused_with_its_size():
    t = np.array([1e7, 2e7, 3e7])
    # shape 0.005: scale = (2 sum t**b / q)**200 is a float, MTTF = scale Gamma(201) is not
    x = 2 * np.sum(t**0.005) / stats.chi2.ppf(0.95, 4)
    log10_mttf = (200 * math.log(x) + math.lgamma(201.0)) / math.log(10)
    assert log10_mttf > 308.3  # the reference: truly beyond 1.8e308
    with pytest.raises(ParameterError) as e:
        weibayes_scale_lower(t, 1, 0.005, 0.95)
    msg = str(e.value)
    assert "MTTF lower bound" in msg and "larger than the largest floating-point number" in msg
    assert f"about 10^{log10_mttf:.6g} hours" in msg and "shape = 0.005" in msg
    assert f"scale lower bound itself is {x**200:.6g} hours" in msg
    # shape 1e-5: the scale bound is about 10^-19894 hours, below any float (not 0.0)
    with pytest.raises(ParameterError, match=r"scale is about 10\^-1\d{4}.* smaller than the smallest"):
        weibayes_scale_lower(t, 1, 1e-5, 0.95)


def test_rate_bound_at_the_ends_of_the_float_range():
    # R = 0: chi2(C, 2)/2 = -ln(1 - C) (closed form)
    b = rate_upper_bound(0, 1e308, 0.95)
    assert b.rate_upper_per_hour == pytest.approx(-math.log(0.05) / 1e308, rel=1e-12)
    assert b.mttf_lower_hours == pytest.approx(1e308 / -math.log(0.05), rel=1e-12)
    with pytest.raises(ParameterError, match=r"FIT upper bound is about 10\^309.477 FIT.*device_hours = 1e-300"):
        rate_upper_bound(0, 1e-300, 0.95)  # -ln(0.05) / 1e-300 x 1e9 = 10^309.477


def test_pilot_plan_with_extreme_target_and_confidence_is_exact_or_refused():
    # R = 0: T = -ln(1 - C) x 1e9 / target (closed form); at C = 1e-20, -ln(1 - C) = 1e-20 to 1e-40,
    # so T = 1e-20 x 1e9 / 1e-305 = 1e294 device-hours: finite, and computed to full precision
    # (2 x 1e-305 / 1e9 is a subnormal 2e-314 with only ~31 bits, which the old formula divided by)
    plan = plan_pilot(PilotRequest(1e-305, 1e-20))
    assert plan.device_hours == pytest.approx(1e294, rel=1e-12)
    plan = plan_pilot(PilotRequest(1e-290, 0.95, units=10**200))
    assert plan.device_hours == pytest.approx(-math.log(0.05) * 1e299, rel=1e-12)
    assert plan.hours_per_unit == pytest.approx(-math.log(0.05) * 1e99, rel=1e-12)
    # 1e-310 FIT needs -ln(0.05) x 1e319 = 10^319.477 device-hours: not a float, refused
    with pytest.raises(ParameterError, match=r"about 10\^319.477 device-hours.*target_fit = 1e-310") as e:
        plan_pilot(PilotRequest(1e-310))
    fit_min = float(str(e.value).split("at least ")[1].split(" FIT")[0])
    assert plan_pilot(PilotRequest(fit_min)).device_hours < 1.8e308  # the suggested target works
