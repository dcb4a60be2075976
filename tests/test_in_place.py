"""A share of a replace-switch unit's events cleared in place (issue 26, section 1).

``in_place_fraction = f`` splits the unit's constant-rate events into two independent Poisson
streams (thinning): f of them are a visit that takes the unit's ports down for detection +
``in_place_hours`` (labour and a service event, no part: a no-trouble-found swap in the ledger),
the rest replace the switch. Both engines are held to the same closed forms, within 4 standard
errors computed from the run (fixed seeds).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from fleet_models.engines.contract import IN_PLACE, compile_plan
from fleet_models.model.ledger import EventKind
from fleet_models.model.spec import (
    Architecture,
    Component,
    Fleet,
    Policy,
    Repair,
    Scenario,
    Workload,
)
from fleet_models.runs.runner import run
from reliability.models import LifeModel

MEAN = 4000.0  # h: the engine's events, exponential
F = 0.75  # share cleared in place
IN_PLACE_H, DETECT, REPLACE = 0.5, 0.25, 6.0
S, P, H = 200, 4, 40_000.0


def _scenario(f: float = F, reps: int = 4, seed: int = 11) -> Scenario:
    engine = Component("oe", 1, P, LifeModel.exponential(MEAN), repair=Repair.REPLACE_SWITCH,
                       in_place_fraction=f, in_place_hours=IN_PLACE_H)
    pol = Policy(detection_hours=DETECT, switch_replacement_hours=REPLACE)
    return Scenario("in-place", H, Fleet(S, P), (Architecture("cpo", (engine,)),), policy=pol,
                    workload=Workload(gpus_per_port=0.0), replications=reps, seed=seed)


@pytest.mark.parametrize("engine", ["des", "fast"])
def test_in_place_share_against_the_alternating_renewal_closed_form(engine):
    # Each switch alternates an up time ~ Exp(mean 4000 h) with a service: in place with
    # probability f (down DETECT + IN_PLACE_H = 0.75 h), else a switch replacement (down
    # DETECT + REPLACE = 6.25 h), after which a new engine starts (exponential: memoryless, so
    # either way the next event is Exp(mean) after the service). Renewal-reward: cycles per
    # switch over H ~ H / (MEAN + f 0.75 + (1 - f) 6.25); a share f of them in place; port
    # availability MEAN / cycle. (A hard failure during an in-place visit, probability
    # ~ 0.75 / 4000 = 2e-4 per visit, is outside this form: far below the tolerance.)
    sc = _scenario()
    res = run(sc, workers=1, engine=engine, dated_events=True)
    cycle = MEAN + F * (DETECT + IN_PLACE_H) + (1 - F) * (DETECT + REPLACE)
    events = S * H / cycle
    frame = res.replications
    # counts: Poisson-like, SE from the run's replications
    for col, expected in (("swaps", F * events), ("switch_replacements", (1 - F) * events),
                          ("failures_oe", events)):
        x = frame[col].to_numpy(float)
        se = max(x.std(ddof=1), math.sqrt(expected)) / math.sqrt(x.size)
        assert abs(x.mean() - expected) < 4 * se, (engine, col, x.mean(), expected, se)
    # port availability: down a share (f 0.75 + (1 - f) 6.25) / cycle of the time
    a = frame["port_availability"].to_numpy(float)
    expected_a = MEAN / cycle
    se_a = max(a.std(ddof=1) / math.sqrt(a.size), 1e-7)
    assert abs(a.mean() - expected_a) < 4 * se_a + 2e-6, (engine, a.mean(), expected_a)
    # labour: IN_PLACE_H per visit, REPLACE per replacement (the last ones cut at H: < 1e-4 of it)
    t = frame["technician_hours"].to_numpy(float)
    sw, rp = frame["swaps"].to_numpy(float), frame["switch_replacements"].to_numpy(float)
    assert np.allclose(t, sw * IN_PLACE_H + rp * REPLACE, rtol=1e-3)
    # the ledger: a visit is a no-trouble-found swap of the engine (no part), never a swap
    led = res.ledgers[(0, "cpo")]
    visits = led.kind == EventKind.NTF_SWAP
    assert visits.sum() == frame["swaps"].iloc[0] and (led.component[visits] == 0).all()
    assert not (led.kind == EventKind.SWAP).any()


def test_no_share_is_the_component_alone():
    # f = 0 adds no kind: the plan and every number of the run are those of the unit as before
    sc = _scenario(f=0.0, reps=2)
    plan = compile_plan(sc, sc.architectures[0])
    assert plan.names == ("oe",) and float(plan.share[0]) == 1.0
    plain = dataclasses.replace(sc, architectures=(Architecture("cpo", (dataclasses.replace(
        sc.architectures[0].components[0], in_place_hours=0.25),)),))  # unused without a share
    for engine in ("des", "fast"):
        a = run(sc, workers=1, engine=engine).replications
        b = run(plain, workers=1, engine=engine).replications
        assert a.equals(b), engine


def test_the_in_place_kind_has_its_own_streams_and_the_split_rates():
    plan = compile_plan(_scenario(), _scenario().architectures[0])
    assert plan.names == ("oe", "oe" + IN_PLACE)
    assert list(plan.component) == [0, 0] and list(plan.share) == [1 - F, F]
    rates = [1.0 / life.mean() for life in plan.lives]
    assert rates == pytest.approx([(1 - F) / MEAN, F / MEAN], rel=1e-12)
    assert float(plan.swap_hours[1]) == IN_PLACE_H and bool(plan.swap[1]) and not bool(plan.swap[0])
    assert int(plan.pool[1]) == -1 and float(plan.ntf[1]) == 1.0  # no part, no pool


@pytest.mark.parametrize("engine", ["des", "fast"])
def test_a_component_s_own_swap_hours(engine):
    # two swapped kinds, 1 h and 0.1 h a swap: labour is each kind's swaps x its own hours
    a = Component("a", 2, 1, LifeModel.exponential(500.0), swap_hours=1.0)
    b = Component("b", 2, 1, LifeModel.exponential(500.0), swap_hours=0.1)
    sc = Scenario("swaps", 5000.0, Fleet(5, 4), (Architecture("x", (a, b)),),
                  policy=Policy(detection_hours=0.0, swap_hours=3.0),
                  workload=Workload(gpus_per_port=0.0), replications=2, seed=3)
    res = run(sc, workers=1, engine=engine, dated_events=True)
    for rep in range(2):
        led = res.ledgers[(rep, "x")]
        swaps = led.kind == EventKind.SWAP
        hours = {c: led.hours[swaps & (led.component == c)] for c in (0, 1)}
        assert hours[0].size and hours[1].size
        # every swap but one cut at the horizon takes its kind's hours
        assert np.sum(~np.isclose(hours[0], 1.0)) <= 1 and np.sum(~np.isclose(hours[1], 0.1)) <= 1
