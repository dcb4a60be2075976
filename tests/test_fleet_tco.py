"""Total cost of ownership (fleet_models.runs.tco) against hand-computed cash flows.

References are the README's formulas written out here with the numbers of each case: discount
factor exp(-ln(1 + r) t / 8766), energy as the integral of a constant flow, one cost per event.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from fleet_models.model.ledger import MONTH_HOURS, EventKind
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fleet,
    Policy,
    Repair,
    Scenario,
    SparePool,
    Workload,
)
from fleet_models.runs.runner import run
from fleet_models.runs.tco import discount_rate_per_hour
from reliability.models import LifeModel

COSTS = Costs(electricity_usd_per_kwh=0.1, pue=1.5, discount_rate=0.08, technician_usd_per_hour=100.0,
              gpu_hour_usd=2.0, service_event_usd=150.0, rma_credit_fraction=0.25)
WORK = Workload(gpus_per_port=1.0, job_gpus=1, checkpoint_interval_hours=1.0, restart_hours=0.5)
NEVER = LifeModel.exponential(1e18)  # F(1 year) ~ 1e-14: no failure in any replication


def _scenario(components, *, horizon=8766.0, switches=2, ports=4, policy=Policy(detection_hours=0.5,
              swap_hours=2.0), costs=COSTS, reps=2):
    arch = Architecture("a", tuple(components), switch_price_usd=10_000.0, switch_power_w=300.0)
    return Scenario("t", horizon, Fleet(switches, ports), (arch,), policy=policy, costs=costs,
                    workload=WORK, replications=reps, seed=3)


def test_discount_factor_is_the_annual_rate_compounded_continuously():
    delta = discount_rate_per_hour(0.08)
    assert math.exp(-delta * 8766.0) == pytest.approx(1 / 1.08, rel=1e-14)  # one year: 1 / (1 + r)
    assert math.exp(-delta * 5 * 8766.0) == pytest.approx(1.08**-5, rel=1e-13)


def test_failure_free_fleet_costs_exactly_capex_and_energy():
    module = Component("m", per_switch=4, ports_per_unit=1, life=NEVER, price_usd=500.0, power_w=10.0)
    sc = _scenario([module], policy=Policy(spares={"switch": SparePool(1, 24.0), "m": SparePool(3, 24.0)}))
    res = run(sc, workers=1)
    t = res.tco
    # capex: 2 switches x (10,000 + 4 x 500) + 1 spare switch with its full bill + 3 spare modules
    # (the switch pool counts only when a component needs whole-switch replacement: here none does)
    capex = 2 * (10_000 + 4 * 500) + 3 * 500
    # energy: 2 x (300 + 4 x 10) W = 0.68 kW x 1.5 x 0.1 USD/kWh, discounted over one year
    delta = math.log(1.08) / 8766
    energy = 0.68 * 1.5 * 0.1 * (1 - math.exp(-delta * 8766)) / delta
    assert (t["maintenance"] == 0).all() and (t["downtime"] == 0).all()
    np.testing.assert_allclose(t["capex"], capex, rtol=1e-12)
    np.testing.assert_allclose(t["energy"], energy, rtol=1e-12)
    np.testing.assert_allclose(t["tco_usd"], capex + energy, rtol=1e-12)
    assert (t["goodput"] == 1.0).all()


def test_one_forced_swap_adds_its_part_labour_service_event_and_downtime():
    # one module per switch, life ~1000 h (Weibull shape 1e4): one failure per switch in 1500 h
    module = Component("m", per_switch=1, ports_per_unit=1, life=LifeModel.weibull(1e4, 1000.0),
                       price_usd=500.0)
    sc = _scenario([module], horizon=1500.0, switches=1, ports=1, reps=1)
    res = run(sc, workers=1, dated_events=True)
    led = res.ledgers[(0, "a")]
    swap = led.kind == EventKind.SWAP
    assert swap.sum() == 1 and (led.kind == EventKind.INTERRUPTION).sum() == 1
    t_fail = float(led.time[led.kind == EventKind.INTERRUPTION][0])
    t_swap = float(led.time[swap][0])
    assert t_swap == pytest.approx(t_fail + 0.5)  # detection
    delta = math.log(1.08) / 8766
    d = lambda t: math.exp(-delta * t)  # noqa: E731
    maintenance = d(t_swap) * (500.0 + 2.0 * 100.0 + 150.0)
    # down 2.5 h (detection 0.5 + swap 2) inside month 1 = [730.5, 1461): priced at its midpoint;
    # the interruption loses checkpoint/2 + restart = 1 GPU-hour at the failure time
    assert MONTH_HOURS < t_fail and t_swap + 2.0 < 2 * MONTH_HOURS
    downtime = 2.0 * (2.5 * d(1.5 * MONTH_HOURS) + 1.0 * d(t_fail))
    row = res.tco.iloc[0]
    assert row["maintenance"] == pytest.approx(maintenance, rel=1e-12)
    assert row["downtime"] == pytest.approx(downtime, rel=1e-9)
    assert row["gpu_hours_lost"] == pytest.approx(2.5 + 1.0, rel=1e-9)
    assert row["goodput"] == pytest.approx(1 - 3.5 / 1500.0, rel=1e-9)


def test_a_switch_replacement_costs_a_new_switch_less_the_rma_credit():
    engine = Component("e", per_switch=1, ports_per_unit=None, life=LifeModel.weibull(1e4, 1000.0),
                       repair=Repair.REPLACE_SWITCH, price_usd=4_000.0)
    policy = Policy(detection_hours=0.5, switch_replacement_hours=8.0)
    sc = _scenario([engine], horizon=1500.0, switches=1, ports=4, policy=policy, reps=1)
    res = run(sc, workers=1, dated_events=True)
    led = res.ledgers[(0, "a")]
    repl = led.kind == EventKind.UNPLANNED_REPLACEMENT
    assert repl.sum() == 1
    t = float(led.time[repl][0])
    delta = math.log(1.08) / 8766
    bill = 10_000.0 + 4_000.0  # the new switch carries every unit
    expected = math.exp(-delta * t) * (bill * (1 - 0.25) + 8.0 * 100.0 + 150.0)
    assert res.tco.iloc[0]["maintenance"] == pytest.approx(expected, rel=1e-12)


def test_port_down_hours_by_month_add_up_to_the_metric():
    module = Component("m", per_switch=4, ports_per_unit=1, life=LifeModel.exponential(3000.0))
    sc = _scenario([module], horizon=3 * 8766.0, reps=3)
    res = run(sc, workers=1, dated_events=True)
    for i in range(3):
        led = res.ledgers[(i, "a")]
        assert led.down_by_month.size == 36
        row = res.replications[res.replications["replication"] == i].iloc[0]
        assert led.down_by_month.sum() == pytest.approx(row["port_down_hours"], rel=1e-12)
        assert (led.kind == EventKind.SWAP).sum() == row["swaps"]


def test_zero_discount_rate_sums_flows_undiscounted():
    module = Component("m", per_switch=1, ports_per_unit=1, life=LifeModel.weibull(1e4, 1000.0),
                       price_usd=500.0)
    costs = Costs(**{**COSTS.__dict__, "discount_rate": 0.0})
    res = run(_scenario([module], horizon=1500.0, switches=1, ports=1, costs=costs, reps=1), workers=1)
    row = res.tco.iloc[0]
    assert row["maintenance"] == pytest.approx(500.0 + 200.0 + 150.0, rel=1e-12)
    assert row["downtime"] == pytest.approx(2.0 * 3.5, rel=1e-9)


def test_a_spare_pool_price_overrides_the_bill_in_the_capex():
    engine = Component("e", per_switch=1, ports_per_unit=None, life=NEVER, repair=Repair.REPLACE_SWITCH,
                       price_usd=4_000.0)
    full = run(_scenario([engine], policy=Policy(spares={"switch": SparePool(2, 24.0)})), workers=1).tco
    cheap = run(_scenario([engine], policy=Policy(spares={"switch": SparePool(2, 24.0, unit_price_usd=1e3)})),
                workers=1).tco
    # 2 switches x (10,000 + 4,000); spares: 2 x the full 14,000 bill, or 2 x 1,000
    assert full.iloc[0]["capex"] == pytest.approx(2 * 14_000 + 2 * 14_000)
    assert cheap.iloc[0]["capex"] == pytest.approx(2 * 14_000 + 2 * 1_000)
