"""Predictive replacement (issue 31, part B): a switch is drained and replaced in a planned window
before a predicted component's failure (a laser's bias current crossing its threshold).

Reference values: a closed form for one laser with a known crossing time and a perfect predictor
(one planned replacement at the crossing minus the lead, no stall, its cost the tco module's
pricing of one planned replacement written out in the test), bit-identity with replace-on-failure
for a predictor that misses everything, and Poisson counts for false alarms (tolerance from the
standard error).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from fleet_models.errors import ScenarioError
from fleet_models.model.ledger import MONTH_HOURS, EventKind
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fleet,
    Policy,
    Repair,
    Scenario,
    Support,
    Workload,
)
from fleet_models.runs.runner import run
from fleet_models.runs.tco import discount, discount_rate_per_hour, replaced_bill, tco_frame
from reliability.models import HOURS_PER_YEAR, LifeModel

TF, H, P, R, LEAD_DAYS = 10_000.0, 15_000.0, 4, 6.0, 14.0
GPP, RESTART = 2.0, 0.5
ENGINES = ["des", "fast"]


def _one_laser(predicted: bool = True, miss: float = 0.0, fa: float = 0.0, window: float | None = None,
               life: LifeModel | None = None, switches: int = 1, reps: int = 1) -> Scenario:
    # a lognormal of sigma 1e-9: the crossing at TF to 1e-9 relative, a known time
    laser = Component("laser", 1, None, life or LifeModel.lognormal(math.log(TF), 1e-9),
                      repair=Repair.REPLACE_SWITCH, predicted=predicted)
    pol = Policy(detection_hours=0.25, switch_replacement_hours=R, predict_miss_rate=miss,
                 predict_lead_days=LEAD_DAYS, predict_false_alarms_per_switch_year=fa,
                 maintenance_window_days=window)
    arch = Architecture("cpo", (laser,), switch_price_usd=30_000.0)
    return Scenario("predictive", H, Fleet(switches, P), (arch,), policy=pol,
                    workload=Workload(gpus_per_port=GPP, job_gpus=int(P * GPP), restart_hours=RESTART),
                    costs=Costs(discount_rate=0.08, technician_usd_per_hour=100.0,
                                service_event_usd=500.0, gpu_hour_usd=2.0),
                    support=Support(years=0.0), replications=reps, seed=3)


@pytest.mark.parametrize("engine", ENGINES)
def test_one_laser_known_crossing_perfect_predictor_closed_form(engine):
    sc = _one_laser()
    res = run(sc, workers=1, engine=engine, dated_events=True)
    m = res.replications.iloc[0]
    t_alarm = TF - LEAD_DAYS * 24.0  # no windows: the drain starts at the alarm
    # one planned replacement, no failure, no outage, no stall; the next laser crosses at
    # t_alarm + R + TF > H
    assert (m["switch_replacements"], m["failures_laser"], m["unplanned_outages"],
            m["job_interruptions"]) == (1, 0, 0, 0)
    assert m["port_down_hours"] == pytest.approx(P * R) and m["technician_hours"] == pytest.approx(R)
    led = res.ledgers[(0, "cpo")]
    assert sorted(led.kind.tolist()) == sorted([EventKind.PLANNED_REPLACEMENT, EventKind.DRAIN])
    assert np.allclose(led.time, t_alarm, rtol=1e-8)  # the lognormal's sigma 1e-9 x |z| < 6
    # its cost: a planned replacement priced as runs/tco.py's docstring says, written out here
    t_event = float(led.time[led.kind == EventKind.PLANNED_REPLACEMENT][0])  # t_alarm to 1e-8
    d = float(discount(t_event, discount_rate_per_hour(0.08)))
    c = sc.costs
    maintenance = d * (replaced_bill(sc.architectures[0]) + c.service_event_usd
                       + c.technician_usd_per_hour * R)  # bought: the support period is 0
    month = int(t_event // MONTH_HOURS)
    mid = (month + 0.5) * MONTH_HOURS
    gpus = P * GPP
    downtime = c.gpu_hour_usd * (gpus * RESTART * d  # the drain: a checkpoint and a restart
                                 + gpus * R * float(discount(mid, discount_rate_per_hour(0.08))))
    row = tco_frame(sc, res.ledgers).iloc[0]
    assert row["maintenance"] == pytest.approx(maintenance, rel=1e-12)
    assert row["downtime"] == pytest.approx(downtime, rel=1e-12)
    # replace on failure instead: an unplanned replacement after the failure, a stall
    off = run(_one_laser(predicted=False), workers=1, engine=engine).replications.iloc[0]
    assert (off["unplanned_outages"], off["job_interruptions"]) == (1, 1)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_window_after_the_failure_is_too_late(engine):
    # windows every 30 days: the first at or after the alarm (9,664 h) is day 420 = 10,080 h,
    # after the crossing: the prediction cannot be acted on, the failure is repaired as usual
    m = run(_one_laser(window=30.0), workers=1, engine=engine).replications.iloc[0]
    assert (m["failures_laser"], m["unplanned_outages"]) == (1, 1)
    # windows every 7 days: day 406 = 9,744 h, before it: a planned replacement there
    res = run(_one_laser(window=7.0), workers=1, engine=engine, dated_events=True)
    assert res.replications.iloc[0]["unplanned_outages"] == 0
    led = res.ledgers[(0, "cpo")]
    assert led.time[led.kind == EventKind.PLANNED_REPLACEMENT].tolist() == pytest.approx([406 * 24.0])


def _fleet(predicted: bool, miss: float, fa: float = 0.0) -> Scenario:
    """40 switches, a wear-out laser (lognormal) and a board failing at random, windows, k = 2."""
    board = Component("board", 1, None, LifeModel.exponential(60_000.0), repair=Repair.REPLACE_SWITCH)
    laser = Component("laser", 4, 1, LifeModel.lognormal(math.log(20_000.0), 0.5),
                      repair=Repair.REPLACE_SWITCH, predicted=predicted)
    sc = _one_laser(switches=40, reps=3)
    pol = dataclasses.replace(sc.policy, predict_miss_rate=miss, predict_false_alarms_per_switch_year=fa,
                              maintenance_window_days=7.0, replace_switch_when_ports_down=2)
    return dataclasses.replace(sc, horizon_hours=40_000.0, policy=pol,
                               architectures=(Architecture("cpo", (board, laser)),))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_predictor_that_misses_everything_is_replace_on_failure_bit_for_bit(engine):
    a = run(_fleet(False, 0.0), workers=1, engine=engine, dated_events=True)
    b = run(_fleet(True, 1.0), workers=1, engine=engine, dated_events=True)
    assert a.replications.equals(b.replications)
    for key, la in a.ledgers.items():
        lb = b.ledgers[key]
        for f in ("time", "kind", "component", "hours", "gpus", "down_by_month", "lost_by_month"):
            assert np.array_equal(getattr(la, f), getattr(lb, f)), (key, f)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_good_predictor_turns_failures_into_planned_replacements(engine):
    off = run(_fleet(False, 0.0), workers=1, engine=engine).replications
    on = run(_fleet(True, 0.0), workers=1, engine=engine).replications
    # every laser failure foreseen two weeks ahead, windows weekly: each is replaced before it
    # (a lead of 14 days always holds a window), so the lasers fail only where a replacement
    # was already under way; the board's random failures still stall jobs
    assert on["failures_laser"].sum() < 0.02 * off["failures_laser"].sum()
    assert on["job_interruptions"].sum() < off["job_interruptions"].sum()
    assert on["unplanned_outages"].sum() < 0.5 * off["unplanned_outages"].sum()


@pytest.mark.parametrize("engine", ENGINES)
def test_false_alarms_are_planned_replacements_at_their_rate(engine):
    # no failure inside the horizon (a laser crossing at 1e9 h), miss everything, false alarms at
    # 0.5 per switch-year without windows: planned replacements ~ Poisson(0.5 x 40 x H / 8766)
    life = LifeModel.lognormal(math.log(1e9), 1e-9)
    sc = dataclasses.replace(_one_laser(miss=1.0, fa=0.5, life=life, switches=40, reps=6),
                             horizon_hours=40_000.0)
    res = run(sc, workers=1, engine=engine, dated_events=True)
    n = res.replications["switch_replacements"].to_numpy(float)
    expected = 0.5 * 40 * 40_000.0 / HOURS_PER_YEAR
    assert abs(n.mean() - expected) < 4 * math.sqrt(expected / n.size), (n.mean(), expected)
    assert (res.replications["unplanned_outages"] == 0).all()
    kinds = np.concatenate([led.kind for led in res.ledgers.values()])
    assert not (kinds == EventKind.UNPLANNED_REPLACEMENT).any()


def test_the_two_engines_agree_in_distribution():
    # the fleet above (board at random, a predicted wear-out laser, weekly windows, k = 2, false
    # alarms), 40 replications a side: the means of the counts within 4 standard errors of
    # their difference (independent streams: the engines draw differently)
    sc = dataclasses.replace(_fleet(True, 0.2, fa=0.2), replications=40)
    a = run(sc, workers=1, engine="des").replications
    b = run(sc, workers=1, engine="fast").replications
    for col in ("switch_replacements", "failures_laser", "failures_board", "unplanned_outages",
                "job_interruptions", "port_down_hours"):
        x, y = a[col].to_numpy(float), b[col].to_numpy(float)
        se = math.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
        assert abs(x.mean() - y.mean()) < 4 * max(se, 1e-9), (col, x.mean(), y.mean(), se)
    # without a predicted component the predictor's numbers change nothing
    off = dataclasses.replace(_fleet(False, 0.3, fa=0.1), replications=3)
    base = dataclasses.replace(_fleet(False, 0.0), replications=3)
    assert run(off, workers=1, engine="fast").replications.equals(
        run(base, workers=1, engine="fast").replications)


@pytest.mark.parametrize("change,words", [
    ({"repair": Repair.SWAP}, "swapped unit"),
    ({"spare_units": 2, "ports_per_unit": 1}, "spare_units = 2"),
])
def test_predicted_only_where_it_plans_something(change, words):
    from fleet_models.scenario.validate import validate

    sc = _one_laser()
    arch = sc.architectures[0]
    comp = dataclasses.replace(arch.components[0], **change)
    bad = dataclasses.replace(sc, architectures=(dataclasses.replace(arch, components=(comp,)),))
    with pytest.raises(ScenarioError, match=words):
        validate(bad)


def test_the_predictors_numbers_are_uncertain_inputs_only_where_something_is_predicted():
    from fleet_models.builtins.scenarios import default_scenario
    from fleet_models.scenario.inputs import catalog_uncertain

    sc = default_scenario()
    assert not [p for p in catalog_uncertain(sc) if "predict" in p]
    arch = next(a for a in sc.architectures if a.name == "cpo-internal-laser")
    comps = tuple(dataclasses.replace(c, predicted=True) if c.name == "internal-laser-wearout" else c
                  for c in arch.components)
    pred = dataclasses.replace(sc, architectures=(dataclasses.replace(arch, components=comps),))
    got = catalog_uncertain(pred)
    assert got["policy.predict_miss_rate"].low == pytest.approx(0.05)
    assert got["policy.predict_miss_rate"].high == pytest.approx(0.5)
    assert got["policy.predict_lead_days"].source == "predict-lead"
    assert "policy.predict_false_alarms_per_switch_year" in got
