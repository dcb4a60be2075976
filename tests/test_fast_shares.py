"""The fast engine's dead-on-arrival and defective shares (fleet_models.engines.fast.laws: _cdf_z,
_ppf_z, _hazard_to_z, _life_at_z): the compiled law F(t) = d + (1 - d) p F0(t) against the
LifeModel's own, the plain law's arithmetic kept to the bit when d = 0 and p = 1, and both
engines against the closed form of a geometric count of installation failures, d / (1 - d) per
position (each new unit, first or replacement, dead with probability d), within 4 standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from fleet_models.engines.contract import compile_plan
from fleet_models.engines.fast.laws import (
    _cdf,
    _cdf_z,
    _hazard_to_z,
    _life_arrays,
    _life_at_z,
    _life_shares,
    _ppf_z,
)
from fleet_models.engines.registry import get_engine, select_engine
from fleet_models.model.spec import Architecture, Component, Fleet, Repair, Scenario
from reliability.models import LifeModel

LIVES = [
    LifeModel.weibull(1.4, 2e4, dead_on_arrival=0.05),
    LifeModel.lognormal(10.0, 1.0, dead_on_arrival=0.2),
    LifeModel("lfp", {"defective": 0.3, "shape": 0.8, "scale": 3e3}),
    LifeModel("lfp", {"defective": 0.6, "shape": 2.0, "scale": 1e4}, dead_on_arrival=0.01),
]


@pytest.mark.parametrize("life", LIVES, ids=lambda m: f"{m.distribution}-d{m.dead_on_arrival:g}")
def test_the_compiled_law_is_the_life_models(life):
    (fam,), (a,), (b,) = _life_arrays([life])
    (d,), (p,) = _life_shares([life])
    for t in (0.0, 10.0, 1e3, 2e4, 1e5):
        assert _cdf_z(fam, a, b, d, p, t) == pytest.approx(life.scalar_cdf(t), rel=1e-12)
    top = life.scalar_cdf(1e300)
    for q in (0.5 * d, 0.999 * d + 0.001 * top, 0.5 * (d + top), 0.99 * top):
        assert _ppf_z(fam, a, b, d, p, q) == pytest.approx(float(life.scalar_ppf(q)), rel=1e-12)
    if top < 1:  # a limited failure population: beyond the share that ever fails, never
        assert math.isinf(_ppf_z(fam, a, b, d, p, top + 0.5 * (1 - top)))
    for t in (50.0, 5e3, 3e4):  # the cohort's inverse cumulative hazard
        h = _hazard_to_z(fam, a, b, d, p, t)
        assert h == pytest.approx(-math.log1p(-life.scalar_cdf(t)), rel=1e-12)
        # h carries d's hazard -log(1 - d) beside F0's: the age found is exact to h's own
        # precision, a few ulps of probability (in t that is larger where F0 is tiny beside d)
        back = _life_at_z(fam, a, b, d, p, h)
        assert life.scalar_cdf(back) == pytest.approx(life.scalar_cdf(t), abs=1e-15)
    assert _life_at_z(fam, a, b, d, p, 0.5 * -math.log1p(-d)) == 0.0  # within the share dead at once


def test_a_plain_life_keeps_its_own_arithmetic():
    life = LifeModel.weibull(1.3, 1e5)
    (fam,), (a,), (b,) = _life_arrays([life])
    (d,), (p,) = _life_shares([life])
    assert (d, p) == (0.0, 1.0)
    for t in (1.0, 1e3, 1e5, 1e7):
        assert _cdf_z(fam, a, b, d, p, t) == _cdf(fam, a, b, t)  # the same bits


def _scenario(life, repair):
    comp = Component("m", 8, 1, life, repair=repair)
    return Scenario("shares", 17532.0, Fleet(20, 8), (Architecture("a", (comp,)),), replications=1, seed=11)


@pytest.mark.parametrize("life, d", [(LifeModel.weibull(1.0, 1e15, dead_on_arrival=0.2), 0.2),
                                     (LifeModel("lfp", {"defective": 0.25, "shape": 2.0, "scale": 5.0}), 0.25)],
                         ids=["dead-on-arrival", "defective"])
def test_both_engines_fail_new_units_as_the_closed_form_says(life, d):
    sc = _scenario(life, Repair.SWAP)
    assert select_engine(sc, "auto")[0] == "fast"
    plan = compile_plan(sc, sc.architectures[0])
    positions, n = 20 * 8, 30
    want = positions * d / (1 - d)
    se = math.sqrt(positions * d / (1 - d) ** 2 / n)  # geometric variance d / (1 - d)^2
    for name in ("fast", "des"):
        counts = np.array([get_engine(name).simulate(plan, r).metrics["failures_m"] for r in range(n)])
        assert abs(counts.mean() - want) < 4 * se, name


def test_both_engines_agree_when_a_dead_unit_replaces_the_switch():
    sc = _scenario(LifeModel.weibull(1.0, 1e15, dead_on_arrival=0.1), Repair.REPLACE_SWITCH)
    plan = compile_plan(sc, sc.architectures[0])
    n = 40
    fast, des = (np.array([get_engine(e).simulate(plan, r).metrics["failures_m"] for r in range(n)])
                 for e in ("fast", "des"))
    se = math.sqrt((fast.var(ddof=1) + des.var(ddof=1)) / n)
    assert abs(fast.mean() - des.mean()) < 4 * se
