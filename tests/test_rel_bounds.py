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
