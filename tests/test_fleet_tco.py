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
    AfterSupport,
    Architecture,
    Component,
    Costs,
    Fleet,
    Policy,
    Repair,
    Scenario,
    SparePool,
    Support,
    Workload,
)
from fleet_models.runs.runner import run
from fleet_models.runs.tco import discount_rate_per_hour
from reliability.models import LifeModel

COSTS = Costs(electricity_usd_per_kwh=0.1, pue=1.5, discount_rate=0.08, technician_usd_per_hour=100.0,
              gpu_hour_usd=2.0, service_event_usd=150.0)
NO_SUPPORT = Support(years=0.0, fee_fraction=0.0)  # the operator buys every replacement, no fee
WORK = Workload(gpus_per_port=1.0, job_gpus=1, checkpoint_interval_hours=1.0, restart_hours=0.5)
NEVER = LifeModel.exponential(1e18)  # F(1 year) ~ 1e-14: no failure in any replication


def _scenario(components, *, horizon=8766.0, switches=2, ports=4, policy=Policy(detection_hours=0.5,
              swap_hours=2.0), costs=COSTS, reps=2, support=NO_SUPPORT):
    arch = Architecture("a", tuple(components), switch_price_usd=10_000.0, switch_power_w=300.0)
    return Scenario("t", horizon, Fleet(switches, ports), (arch,), policy=policy, costs=costs,
                    workload=WORK, replications=reps, seed=3, support=support)


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


def _one_replacement(support: Support, moving: bool = False):
    """One switch whose engine fails at ~1000 h (Weibull shape 1e4): one replacement, drawn the
    same whatever the support terms (they change prices and, after the period, the switch
    pool's lead time: here there is no pool). With ``moving`` it also holds 4 modules at 1,000
    USD that move to the new chassis with their age."""
    engine = Component("e", per_switch=1, ports_per_unit=None, life=LifeModel.weibull(1e4, 1000.0),
                       repair=Repair.REPLACE_SWITCH, price_usd=4_000.0)
    modules = [Component("m", 4, 1, NEVER, price_usd=1_000.0)] if moving else []
    policy = Policy(detection_hours=0.5, switch_replacement_hours=8.0)
    sc = _scenario([engine, *modules], horizon=1500.0, switches=1, ports=4, policy=policy, reps=1,
                   support=support)
    res = run(sc, workers=1, dated_events=True)
    led = res.ledgers[(0, "a")]
    repl = led.kind == EventKind.UNPLANNED_REPLACEMENT
    assert repl.sum() == 1
    return res.tco.iloc[0], float(led.time[repl][0])


DELTA = math.log(1.08) / 8766
LABOUR = 8.0 * 100.0 + 150.0  # the replacement's hands-on hours x rate + one service event


def test_a_replacement_after_the_support_period_buys_what_it_replaces():
    # support.years = 0.05 (438 h) ends before the failure at ~1000 h: the switch is bought
    row, t = _one_replacement(Support(years=0.05, fee_fraction=0.0))
    bill = 10_000.0 + 4_000.0  # the new switch with its (soldered) engine
    assert row["maintenance"] == pytest.approx(math.exp(-DELTA * t) * (bill + LABOUR), rel=1e-12)
    # or repaired at a depot for 30 % of it
    row, t = _one_replacement(Support(years=0.05, fee_fraction=0.0, after=AfterSupport.DEPOT,
                                      depot_fraction=0.3))
    assert row["maintenance"] == pytest.approx(math.exp(-DELTA * t) * (0.3 * bill + LABOUR), rel=1e-12)


def test_a_replacement_does_not_buy_again_the_units_that_move_to_the_new_chassis():
    # the 4 modules (4,000 USD) move with their age: the replacement buys 14,000, not 18,000
    row, t = _one_replacement(Support(years=0.0, fee_fraction=0.0), moving=True)
    assert row["maintenance"] == pytest.approx(math.exp(-DELTA * t) * (14_000.0 + LABOUR), rel=1e-12)
    assert row["capex"] == pytest.approx(18_000.0)  # bought once, at the start


def test_a_replacement_within_the_support_period_is_the_vendor_s_hardware_for_a_fee():
    # years = 1 (8,766 h) outlasts the 1,500 h horizon: no hardware is paid for at the
    # replacement, labour and the service event still are; the fee is 10 % of the switch bill
    # (with the moving modules: what the contract covers, 18,000 USD) a switch-year, a constant
    # flow over the 1,500 h: 1,800 / 8,766 USD/h x (1 - exp(-delta 1500)) / delta
    row, t = _one_replacement(Support(years=1.0, fee_fraction=0.1), moving=True)
    assert row["maintenance"] == pytest.approx(math.exp(-DELTA * t) * LABOUR, rel=1e-12)
    fee = 0.1 * 18_000.0 / 8766.0 * (1 - math.exp(-DELTA * 1500.0)) / DELTA
    assert row["support"] == pytest.approx(fee, rel=1e-12)
    assert row["tco_usd"] == pytest.approx(row["capex"] + row["energy"] + row["maintenance"]
                                           + row["support"] + row["downtime"], rel=1e-12)
    # a period ending inside the horizon charges the fee up to its end only (0.05 yr = 438.3 h)
    row, _ = _one_replacement(Support(years=0.05, fee_fraction=0.1), moving=True)
    end = 0.05 * 8766.0
    assert row["support"] == pytest.approx(0.1 * 18_000.0 / 8766.0 * (1 - math.exp(-DELTA * end)) / DELTA,
                                           rel=1e-12)


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


@pytest.mark.parametrize("engine", ["des", "fast"])
@pytest.mark.parametrize("years, after, wait", [
    (1.0, AfterSupport.BUY, 4.0),  # within the period: advance replacement, the pool's 4 h
    (0.05, AfterSupport.BUY, 10 * 24.0),  # after it: a switch bought, buy_lead_days = 10
    (0.05, AfterSupport.DEPOT, 3 * 24.0),  # or the failed one back from the depot, depot_days = 3
])
def test_the_switch_pool_refills_by_the_support_terms(engine, years, after, wait):
    # no spare on site (stock 0): the replacement of the switch that fails at ~1000 h waits for
    # the part the failure orders, so its 4 ports are down detection (0.5 h) + the wait + the
    # replacement's 8 h; the support period ends at 438 h (0.05 yr) or outlasts the horizon
    eng = Component("e", per_switch=1, ports_per_unit=None, life=LifeModel.weibull(1e4, 1000.0),
                    repair=Repair.REPLACE_SWITCH)
    policy = Policy(detection_hours=0.5, switch_replacement_hours=8.0,
                    spares={"switch": SparePool(0, 4.0)})
    support = Support(years=years, fee_fraction=0.0, after=after, buy_lead_days=10.0, depot_days=3.0)
    sc = _scenario([eng], horizon=1500.0, switches=1, ports=4, policy=policy, reps=1, support=support)
    row = run(sc, workers=1, engine=engine).replications.iloc[0]
    assert row["spare_waits"] == 1
    # a Weibull of shape 1e4 fails within 1000 h x (1 +- 1e-3): the down hours are exact
    assert row["port_down_hours"] == pytest.approx(4 * (0.5 + wait + 8.0), rel=1e-9)
