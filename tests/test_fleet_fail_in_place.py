"""Fail in place (spare units on the switch) and no-trouble-found swaps (issue 15).

Statistical checks compare a Monte Carlo estimate with a closed form written beside it, within
four standard errors computed from the same run (fixed seeds); the others are exact invariants
that hold in every replication.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy import stats

from fleet_models.engines import theory
from fleet_models.engines.contract import compile_plan
from fleet_models.engines.des.sim import _FleetSim
from fleet_models.engines.streams import Streams
from fleet_models.errors import ScenarioError
from fleet_models.model.ledger import EventKind, Ledger
from fleet_models.model.spec import (
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
from fleet_models.runs.estimate import estimate
from fleet_models.runs.runner import run
from fleet_models.runs.tco import capex, energy, replication_tco, switch_bill
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.validate import validate
from reliability.models import LifeModel

MEAN = 100.0  # h: exponential engine lives, lambda = 0.01 / h
LAM = 1 / MEAN
N, S = 4, 2  # engines carrying traffic, spare engines
# A replacement that outlasts the horizon: every switch is replaced at most once, so a switch's
# (one) replacement time is its first, and the replacement count is the switches replaced.
ONE_REPLACEMENT = Policy(detection_hours=0.0, switch_replacement_hours=87_660.0)


def _engine(spares: int = S, per_switch: int = N, **kw) -> Component:
    return Component("oe", per_switch=per_switch, ports_per_unit=1, life=LifeModel.exponential(MEAN),
                     repair=Repair.REPLACE_SWITCH, spare_units=spares, **kw)


def _scenario(archs, *, switches: int, horizon: float, policy: Policy = ONE_REPLACEMENT,
              reps: int = 1, seed: int = 5, ports: int = N) -> Scenario:
    return Scenario("fip", horizon, Fleet(switches, ports), tuple(archs), policy=policy,
                    replications=reps, seed=seed)


# ---------------------------------------------------------------------- fail in place


def test_first_replacement_is_the_s_plus_1_th_order_statistic():
    # k = 1, no window, detection 0: a switch is replaced at the (s+1)-th failure among its n+s
    # engines. Exponential order statistics: E[T_(s+1)] = sum_{j=0}^{s} 1 / ((n+s-j) lambda),
    # Var = sum_{j=0}^{s} 1 / ((n+s-j) lambda)^2. n = 4, s = 2, mean 100 h: 100 (1/6 + 1/5 + 1/4)
    # = 61.67 h; without spares 1 / (4 lambda) = 25 h. Horizon 2000 h = 20 means: a switch not
    # replaced by then has P(Bin(6, 1 - e^-20) <= 2) ~ 1e-24, so every switch is replaced once.
    n_sw = 2000
    sc = _scenario([Architecture("spares", (_engine(),)), Architecture("none", (_engine(0),))],
                   switches=n_sw, horizon=2000.0)
    res = run(sc, workers=1, dated_events=True)
    for name, s in (("spares", S), ("none", 0)):
        led = res.ledgers[(0, name)]
        t = led.time[led.kind == EventKind.UNPLANNED_REPLACEMENT]
        assert t.size == n_sw  # one per switch
        rates = [(N + s - j) * LAM for j in range(s + 1)]
        expected = sum(1 / r for r in rates)
        se = math.sqrt(sum(1 / r**2 for r in rates) / n_sw)
        assert abs(t.mean() - expected) < 4 * se, (name, t.mean(), expected, se)
    assert sum(1 / ((N + S - j) * LAM) for j in range(S + 1)) == pytest.approx(61.6667, abs=1e-3)


def test_share_of_switches_replaced_is_the_binomial_tail():
    # horizon 50 h: each of the n+s = 6 engines has failed with F(H) = 1 - exp(-0.5) = 0.3935;
    # a switch is replaced iff at least s+1 = 3 have: P(Bin(6, F(H)) >= 3) = 0.4421 (the lives
    # are thinned to the horizon: this checks the truncated draws among per_switch + spare_units)
    n_sw, reps, h = 2000, 4, 50.0
    sc = _scenario([Architecture("spares", (_engine(),))], switches=n_sw, horizon=h, reps=reps)
    res = run(sc, workers=1).replications
    share = res["switch_replacements"].sum() / (n_sw * reps)
    p = stats.binom.sf(S, N + S, 1 - math.exp(-h / MEAN))
    assert p == pytest.approx(0.4421, abs=1e-4)
    se = math.sqrt(p * (1 - p) / (n_sw * reps))
    assert abs(share - p) < 4 * se, (share, p, se)


@pytest.mark.parametrize("k", [1, 2])
def test_no_failure_that_finds_a_spare_takes_a_port_down(k):
    # one switch per replication, so each replication's metrics are one switch's history; one
    # replacement at most (it outlasts the horizon), so every failure counted is one of the first
    # generation's n+s engines, each failing once. Exact, in every replication: the first s
    # failures find a spare (nothing down, no visit); the (s+1)-th takes its port down and makes
    # the switch degraded (for 0 h with k = 1 and no detection delay: it is replaced at once);
    # the switch is replaced iff s + k failures happened (k counts ports actually down, never
    # the ones a spare serves).
    policy = dataclasses.replace(ONE_REPLACEMENT, replace_switch_when_ports_down=k)
    sc = _scenario([Architecture("a", (_engine(),))], switches=1, horizon=70.0, policy=policy,
                   reps=300, seed=9)
    res = run(sc, workers=1).replications
    f = res["failures_oe"].to_numpy()
    absorbed = f <= S
    assert (res["port_availability"][absorbed] == 1.0).all()
    for m in ("port_down_hours", "unplanned_outages", "degraded_switch_hours", "switch_replacements",
              "job_interruptions", "technician_hours"):
        assert (res[m][absorbed] == 0).all(), m
    assert (res["unplanned_outages"] == np.maximum(f - S, 0)).all()  # one port per failure past s
    assert ((res["switch_replacements"] > 0) == (f >= S + k)).all()
    if k == 2:
        assert (res["degraded_switch_hours"][~absorbed] > 0).all()
    assert (res["port_availability"][~absorbed] < 1.0).all()
    # not vacuous: Bin(6, 1 - e^-0.7 = 0.50) puts ~34 % of 300 replications at <= 2 failures,
    # ~66 % beyond
    assert absorbed.sum() > 50 and (~absorbed).sum() > 50 and (f >= S + k).sum() > 50


def test_spare_units_draw_their_lives_like_the_other_units():
    # common random numbers: the initial lives are drawn among (per_switch + spare_units) x
    # elements elements, so 4 + 2 spares and 6 + 0 fail at the same times. With k = 6 ports no
    # failure is voided by a replacement before the last one (4 + 2 spares can take 4 ports
    # down: never replaced; 6 + 0 is replaced at its 6th failure, when none is left), so both
    # count every failure of the first generation
    archs = [Architecture("fip", (_engine(),)), Architecture("six", (_engine(0, per_switch=6),))]
    policy = dataclasses.replace(ONE_REPLACEMENT, replace_switch_when_ports_down=6)
    sc = _scenario(archs, switches=50, horizon=60.0, reps=3, ports=6, policy=policy)
    res = run(sc, workers=1).replications
    a, b = (res[res["architecture"] == n]["failures_oe"].to_numpy() for n in ("fip", "six"))
    assert a.sum() > 0 and (a == b).all()
    # and the spares change the outcome: fewer outages than with every engine carrying traffic
    out = {n: res[res["architecture"] == n]["unplanned_outages"].sum() for n in ("fip", "six")}
    assert out["fip"] < out["six"]


def test_a_switch_replacement_brings_new_spares():
    # k = 1 and an 8 h replacement: a switch is replaced at the 3rd failure of its generation and
    # starts over with 4 + 2 new engines. Exact: every replacement took 3 failures. Renewal
    # theory: the cycles X = T_(3) + 8 h are i.i.d. (mean mu = 69.67 h, Var = sum 1/((6-j)
    # lambda)^2 = 1303 h^2) and the k-th replacement starts at S_k - 8 h, so the starts inside H
    # are N(H + 8), E N(t) = t / mu + (Var / mu^2 - 1) / 2 + o(1) (second-order renewal
    # expansion), Var N(t) ~ t Var / mu^3. If a new switch kept the old one's spent spares, its
    # cycles would end at the next failure (mean 1/(4 lambda) = 25 h): ~2.8x the replacements.
    policy = Policy(detection_hours=0.0, switch_replacement_hours=8.0)
    n_sw, h = 50, 10_000.0
    sc = _scenario([Architecture("a", (_engine(),))], switches=n_sw, horizon=h, policy=policy, seed=3)
    row = run(sc, workers=1).replications.iloc[0]
    assert row["switch_replacements"] * (S + 1) <= row["failures_oe"]
    mu = sum(1 / ((N + S - j) * LAM) for j in range(S + 1)) + 8.0
    var = sum(1 / ((N + S - j) * LAM) ** 2 for j in range(S + 1))
    expected = n_sw * ((h + 8.0) / mu + (var / mu**2 - 1) / 2)
    se = math.sqrt(n_sw * (h + 8.0) * var / mu**3)
    assert abs(row["switch_replacements"] - expected) < 4 * se, (row["switch_replacements"], expected, se)


def test_capex_power_and_run_size_count_the_spare_units():
    eng = _engine(price_usd=1_000.0, power_w=10.0)
    arch = Architecture("a", (eng,), switch_price_usd=5_000.0, switch_power_w=200.0)
    costs = Costs(electricity_usd_per_kwh=0.1, pue=1.5, discount_rate=0.0)
    sc = dataclasses.replace(_scenario([arch], switches=3, horizon=1000.0), costs=costs)
    # a switch's bill: 5,000 + (4 + 2) x 1,000; its power: 200 + (4 + 2) x 10 W (hot standby)
    assert switch_bill(arch) == 5_000.0 + 6 * 1_000.0
    assert capex(sc, arch) == 3 * 11_000.0
    assert energy(sc, arch) == pytest.approx(3 * 0.26 * 1.5 * 0.1 * 1000.0, rel=1e-12)
    # the run-size estimate counts every engine that ages: 3 switches x 6 x 2 replications
    assert estimate(sc, replications=2).units == 3 * 6 * 2


def _problems(arch: Architecture) -> str:
    sc = _scenario([arch], switches=1, horizon=100.0)
    with pytest.raises(ScenarioError) as e:
        validate(sc)
    return str(e.value)


def test_validation_refuses_spares_and_ntf_on_the_wrong_repair():
    swapped = Component("m", 4, 1, LifeModel.exponential(MEAN), spare_units=2)
    msg = _problems(Architecture("a", (swapped,)))
    assert "architectures[0].components[0].spare_units = 2" in msg
    assert 'repair = "swap"' in msg and "set spare_units = 0" in msg and 'repair = "replace-switch"' in msg
    msg = _problems(Architecture("a", (_engine(ntf_fraction=0.5),)))
    assert "architectures[0].components[0].ntf_fraction = 0.5" in msg
    assert 'repair = "replace-switch"' in msg and "set ntf_fraction = 0" in msg
    msg = _problems(Architecture("a", (Component("m", 4, 1, LifeModel.exponential(MEAN), ntf_fraction=1.5),)))
    assert "ntf_fraction = 1.5: must be in [0, 1]" in msg
    # a scenario file is held to the same rules
    data = {"name": "x", "horizon_hours": 100.0, "fleet": {"switches": 1, "ports_per_switch": 4},
            "architectures": [{"name": "a", "components": [
                {"name": "m", "per_switch": 4, "ports_per_unit": 1, "life": {"fit_per_1e9h": 100.0},
                 "spare_units": 1}]}]}
    with pytest.raises(ScenarioError, match=r"spare_units = 1: spare units \(fail in place\)"):
        parse_scenario(data)
    data["architectures"][0]["components"][0].update(spare_units=0, repair="replace-switch")
    assert parse_scenario(data).architectures[0].components[0].repair is Repair.REPLACE_SWITCH


# ---------------------------------------------------------------------- no trouble found


def _module(ntf: float, name: str = "m", **kw) -> Component:
    return Component(name, per_switch=kw.pop("per_switch", 64), ports_per_unit=1,
                     life=kw.pop("life", LifeModel.exponential(2000.0)), ntf_fraction=ntf, **kw)


def test_parts_ordered_are_the_swaps_with_trouble_found():
    # a pool ample enough that no demand waits, detection and swap 0 h: each failure is one
    # demand and one swap at once. Exact: the pool orders one part per swap the ledger records
    # as SWAP, none for an NTF_SWAP (whose unit is given back instead), and SWAP + NTF_SWAP is
    # the swaps metric; the NTF share is binomial around 0.8 (4 SE).
    f = 0.8
    policy = Policy(detection_hours=0.0, swap_hours=0.0, spares={"m": SparePool(10_000, 500.0)})
    arch = Architecture("a", (_module(f),))
    sc = Scenario("ntf", 8766.0, Fleet(20, 64), (arch,), policy=policy, seed=4)
    plan = compile_plan(sc, arch)
    sim = _FleetSim(plan, plan.lives, Streams(sc.seed, 0))
    out = sim.run()
    pool, kind = sim.kinds[0].pool, out.ledger.kind
    swaps, ntf = int((kind == EventKind.SWAP).sum()), int((kind == EventKind.NTF_SWAP).sum())
    assert swaps + ntf == out.metrics["swaps"] == out.metrics["failures_m"]
    assert pool.ordered == swaps and pool.returned == ntf
    assert out.metrics["spare_waits"] == 0
    n = swaps + ntf  # ~20 x 64 x 8766 / 2000 = 5,600
    assert abs(ntf / n - f) < 4 * math.sqrt(f * (1 - f) / n), (ntf, n)


def test_palm_with_no_trouble_found_orders_only_the_faulty_share():
    # 2000 units, exponential lives (mean 2e5 h): demand ~ Poisson(lambda = 0.01 / h). Pool:
    # stock 2, lead 300 h, NTF share 0.8 with a test delay of 0: an NTF swap takes a part and
    # gives its removed unit back at once, so only the faulty 20 % are outstanding: orders are a
    # thinned Poisson stream, outstanding ~ Poisson(0.2 lambda L = 0.6), and by PASTA a demand
    # waits with P(X >= 2) = 0.122 (Palm); without NTF it would be P(Poisson(3) >= 2) = 0.80.
    # The first 300 h start with a full pool (0.3 % of the demands): bias < 0.001, SE ~ 0.004.
    n, mttf, lead, stock, f = 2000, 2e5, 300.0, 2, 0.8
    policy = Policy(detection_hours=0.0, swap_hours=0.25, ntf_test_days=0.0,
                    spares={"m": SparePool(stock, lead)})
    sc = Scenario("palm", 1e5, Fleet(1, n), (Architecture("a", (_module(f, per_switch=n,
                  life=LifeModel.exponential(mttf)),)),), policy=policy, replications=20, seed=15)
    res = run(sc, workers=1).replications
    x = (res["spare_waits"] / res["failures_m"]).to_numpy()
    mean, se = x.mean(), x.std(ddof=1) / math.sqrt(x.size)
    expected = theory.palm_wait_probability(n / mttf, (1 - f) * lead, stock)
    assert expected == pytest.approx(1 - math.exp(-0.6) * 1.6, rel=1e-12)
    assert abs(mean - expected) < 4 * se, (mean, expected, se)
    assert abs(mean - theory.palm_wait_probability(n / mttf, lead, stock)) > 20 * se


def test_an_ntf_unit_is_back_in_stock_after_its_test():
    # one module failing every ~1000 h (Weibull shape 1e4: lives within a few hours of 1000 h),
    # stock 1, a lead time past the horizon (orders never arrive), every swap NTF, detection and
    # swap 0 h, horizon 2500 h: the 1st failure (~1000 h) takes the spare and gives its unit
    # back after the test; the 2nd (~2000 h) finds it if the test is shorter than ~1000 h.
    # 10-day test: no wait, the port is never down. 60-day test (1,440 h): the 2nd swap waits
    # until ~1000 + 1440 h, down ~440 h. Without NTF the part never comes: down ~2000-2500 h.
    life = LifeModel.weibull(1e4, 1000.0)

    def down(ntf: float, test_days: float) -> tuple[float, float]:
        policy = Policy(detection_hours=0.0, swap_hours=0.0, ntf_test_days=test_days,
                        spares={"m": SparePool(1, 87_000.0)})
        sc = Scenario("t", 2500.0, Fleet(1, 1), (Architecture("a", (_module(ntf, per_switch=1, life=life),)),),
                      policy=policy, replications=1, seed=1)
        row = run(sc, workers=1).replications.iloc[0]
        assert row["failures_m"] == 2
        return row["port_down_hours"], row["spare_waits"]

    assert down(1.0, 10.0) == (0.0, 0)
    hours, waits = down(1.0, 60.0)
    assert waits == 1 and hours == pytest.approx(1440.0 - 1000.0, abs=5.0)
    hours, waits = down(0.0, 10.0)
    assert waits == 1 and hours == pytest.approx(2500.0 - 2000.0, abs=5.0)


COSTS = Costs(electricity_usd_per_kwh=0.1, pue=1.5, discount_rate=0.08, technician_usd_per_hour=100.0,
              gpu_hour_usd=2.0, service_event_usd=150.0)
WORK = Workload(gpus_per_port=1.0, job_gpus=1, checkpoint_interval_hours=1.0, restart_hours=0.5)
NO_SUPPORT = Support(years=0.0, fee_fraction=0.0)  # every part is bought, no fee


def test_an_ntf_swap_costs_labour_service_and_downtime_but_no_part():
    # a hand-written ledger: a swap at 1000 h and an NTF swap at 2000 h, 2 h of labour each,
    # 3 port-hours down and 3 GPU-hours lost (one GPU per port) in month 0. Maintenance =
    # d(1000) (500 + 200 + 150) + d(2000) (200 + 150); downtime = 3 GPU-h x 2 USD at month 0's
    # midpoint, the same whatever the swap found
    m = Component("m", 1, 1, LifeModel.exponential(1e6), price_usd=500.0, ntf_fraction=0.8)
    sc = Scenario("c", 8766.0, Fleet(1, 1), (Architecture("a", (m,)),), costs=COSTS, workload=WORK,
                  support=NO_SUPPORT)
    months = np.zeros(12)
    months[0] = 3.0
    led = Ledger(np.array([1000.0, 2000.0]), np.array([EventKind.SWAP, EventKind.NTF_SWAP], dtype=np.int8),
                 np.array([0, 0], dtype=np.int32), np.array([2.0, 2.0]), months, months, np.zeros(2))
    row = replication_tco(sc, sc.architectures[0], led)
    d = lambda t: math.exp(-math.log(1.08) * t / 8766)  # noqa: E731
    assert row["maintenance"] == pytest.approx(d(1000) * 850.0 + d(2000) * 350.0, rel=1e-12)
    assert row["downtime"] == pytest.approx(2.0 * 3.0 * d(8766 / 24), rel=1e-12)


def test_ntf_changes_only_which_swaps_buy_a_part():
    # common random numbers: the NTF draws have their own stream, so with no pool (unlimited
    # parts) an NTF share changes no failure, swap or outage: engine metrics are identical, and
    # the TCO differs by exactly the discounted part price of each NTF swap
    life = LifeModel.exponential(3000.0)
    archs = [Architecture("zero", (_module(0.0, per_switch=4, life=life, price_usd=500.0),)),
             Architecture("half", (_module(0.5, per_switch=4, life=life, price_usd=500.0),))]
    sc = Scenario("crn", 8766.0, Fleet(10, 4), tuple(archs), policy=Policy(detection_hours=0.5, swap_hours=2.0),
                  costs=COSTS, workload=WORK, replications=3, seed=8, support=NO_SUPPORT)
    res = run(sc, workers=1, dated_events=True)
    r = res.replications
    metrics = [c for c in r.columns if c not in ("replication", "architecture")]
    a, b = (r[r["architecture"] == n][metrics].reset_index(drop=True) for n in ("zero", "half"))
    assert a.equals(b)
    t = res.tco
    for i in range(3):
        la, lb = res.ledgers[(i, "zero")], res.ledgers[(i, "half")]
        np.testing.assert_array_equal(la.time, lb.time)
        assert not (la.kind == EventKind.NTF_SWAP).any()
        ntf = lb.kind == EventKind.NTF_SWAP
        assert 0 < ntf.sum() < (lb.kind != EventKind.INTERRUPTION).sum()
        saved = 500.0 * np.exp(-math.log(1.08) * lb.time[ntf] / 8766).sum()
        ta = t[(t["replication"] == i) & (t["architecture"] == "zero")].iloc[0]
        tb = t[(t["replication"] == i) & (t["architecture"] == "half")].iloc[0]
        assert ta["maintenance"] - tb["maintenance"] == pytest.approx(saved, rel=1e-9)
        assert ta["downtime"] == tb["downtime"]


def test_builtin_modules_take_their_ntf_share_from_the_catalog():
    from failure_data.catalog import default_catalog
    from fleet_models.builtins.provenance import field_sources
    from fleet_models.builtins.scenarios import builtin_architectures, default_scenario

    archs = builtin_architectures()
    e = default_catalog().get("ntf-returns")
    assert (e.value, e.low) == (80.0, 30.0)  # ~80 % (the table); 30 % contamination (huawei-afr)
    for arch, comp in (("pluggable-dsp", "dsp-module"), ("lpo", "lpo-module")):
        c = next(c for c in archs[arch].components if c.name == comp)
        assert c.ntf_fraction == 0.8 and "ntf-returns" in c.source
    src = field_sources(default_scenario())
    assert src["architectures[0].components[1].ntf_fraction"] == "ntf-returns"
    assert Policy().ntf_test_days == default_catalog().value("ntf-test-days")


def test_the_readme_example_loads_with_its_spares_and_ntf():
    import re
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example: fail in place;.*?-->\n```toml\n(.*?)```", readme, re.S).group(1)
    sc = parse_scenario(tomllib.loads(block))
    plug, cpo = sc.architectures
    assert next(c for c in plug.components if c.name == "dsp-module").ntf_fraction == 0.3
    engine = next(c for c in cpo.components if c.name == "optical-engine")
    assert (engine.per_switch, engine.spare_units) == (32, 4)
    assert sc.policy.ntf_test_days == 14.0
