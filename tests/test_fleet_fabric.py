"""The [fabric] model: what a down port or switch costs the training jobs on it.

Each case forces one outage with lives that fail at a known time (Weibull shape 1e6: within
~1e-3 h of its scale) and holds the GPU-hours lost to the closed form written beside it. Every
duration in them is a fixed delay after the failure (detection, hands-on time, exclusion), so
they hold to rounding whatever the exact failure time.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from fleet_models.engines.des.sim import simulate
from fleet_models.errors import ScenarioError
from fleet_models.model.ledger import MONTH_HOURS, EventKind
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fabric,
    Fleet,
    Homing,
    Policy,
    Repair,
    Scenario,
    Support,
    Workload,
)
from fleet_models.runs.runner import run
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.write import scenario_to_toml
from reliability.models import LifeModel

SHARP = LifeModel.weibull(1e6, 1000.0)  # fails at 1000 h (sd 1.3e-3 h); its renewal after 1500 h
COSTS = Costs(electricity_usd_per_kwh=0.1, pue=1.5, discount_rate=0.08, technician_usd_per_hour=100.0,
              gpu_hour_usd=2.0, service_event_usd=150.0)
# one interruption loses job_gpus x (checkpoint / 2 + restart) = 8 x (0.5 + 0.5) = 8 GPU-hours
WORK = Workload(gpus_per_port=1.0, job_gpus=8, checkpoint_interval_hours=1.0, restart_hours=0.5)
PER_INTERRUPT = 8 * (1.0 / 2 + 0.5)
SINGLE_LONG = Fabric(homing=Homing.SINGLE, exclude_hours=20.0)
SINGLE_SHORT = Fabric(homing=Homing.SINGLE, exclude_hours=1.0)
DUAL = Fabric(homing=Homing.DUAL, exclude_hours=1.0, degraded_slowdown=0.4, failover_hours=0.0)


def _scenario(arch: Architecture, fabric: Fabric, *, switches: int, ports: int, policy: Policy,
              workload: Workload = WORK) -> Scenario:
    return Scenario("fabric", 1500.0, Fleet(switches, ports), (arch,), policy=policy, costs=COSTS,
                    support=Support(years=0.0, fee_fraction=0.0),
                    workload=workload, fabric=fabric, replications=1, seed=5)


def _tco(sc: Scenario):
    res = run(sc, workers=1, dated_events=True)
    return res.ledgers[(0, sc.architectures[0].name)], res.tco.iloc[0], res.replications.iloc[0]


# ------------------------------------------------------------------ a 4-port unit in an 8-GPU job

# one switch of 8 ports, one GPU each: one job of 8 GPUs; a unit covering ports 0-3 fails at
# ~1000 h and is swapped: down for detection 0.5 + swap 2 = R = 2.5 h
UNIT = Architecture("a", (Component("m", per_switch=1, ports_per_unit=4, life=SHARP),))
UNIT_POLICY = Policy(detection_hours=0.5, swap_hours=2.0)
R = 2.5


@pytest.mark.parametrize("fabric, lost, interruptions", [
    # exclude_hours 20 > R: the whole job (8 GPUs) stalls until the unit is back: 8 x 2.5
    (SINGLE_LONG, 8 * R, 1),
    # exclude_hours 1 < R: the job stalls 1 h, then runs without the 4 GPUs behind the down
    # ports until the repair: 8 x 1 + 4 x (2.5 - 1)
    (SINGLE_SHORT, 8 * 1.0 + 4 * (R - 1.0), 1),
    # dual homing: the job runs 40 % slower until the repair, no interruption: 8 x 0.4 x 2.5
    (DUAL, 8 * 0.4 * R, 0),
], ids=["single-exclude-after-repair", "single-exclude-before-repair", "dual"])
def test_one_forced_failure_costs_the_closed_form(fabric, lost, interruptions):
    led, row, metrics = _tco(_scenario(UNIT, fabric, switches=1, ports=8, policy=UNIT_POLICY))
    assert metrics["port_down_hours"] == pytest.approx(4 * R, rel=1e-9)  # the port metric is unchanged
    assert metrics["job_interruptions"] == interruptions
    assert (led.kind == EventKind.INTERRUPTION).sum() == interruptions
    assert led.lost_by_month.sum() == pytest.approx(lost, rel=1e-9)
    assert row["gpu_hours_lost"] == pytest.approx(lost + interruptions * PER_INTERRUPT, rel=1e-9)
    assert row["goodput"] == pytest.approx(1 - row["gpu_hours_lost"] / (8 * 1500.0), rel=1e-12)
    # downtime in USD: the lost GPU-hours fall in month 1 = [730.5, 1461) h, priced at its midpoint;
    # the interruption's rollback and restart at the failure time (~1000 h)
    delta = math.log(1.08) / 8766
    assert led.lost_by_month[1] == pytest.approx(lost, rel=1e-9)
    downtime = 2.0 * (lost * math.exp(-delta * 1.5 * MONTH_HOURS)
                      + interruptions * PER_INTERRUPT * math.exp(-delta * 1000.0))
    assert row["downtime"] == pytest.approx(downtime, rel=1e-6)  # 1e-3 h of failure time: 1e-8


def test_dual_homing_drops_slow_nodes_after_exclude_hours_when_that_loses_less():
    """A 32-GPU job (32 ports of one GPU) with one port down for R = 2.5 h: slowed it loses
    0.4 x 32 = 12.8 GPU-h per hour; without the one node behind the port, 1. Dual homing slows
    the job for exclude_hours = 1 h, then runs it without that node: 12.8 x 1 + 1 x 1.5."""
    arch = Architecture("a", (Component("m", per_switch=1, ports_per_unit=1, life=SHARP),))
    work = dataclasses.replace(WORK, job_gpus=32)
    led, _, metrics = _tco(_scenario(arch, DUAL, switches=1, ports=32, policy=UNIT_POLICY,
                                     workload=work))
    assert metrics["job_interruptions"] == 0
    assert led.lost_by_month.sum() == pytest.approx(0.4 * 32 * 1.0 + 1 * (R - 1.0), rel=1e-9)
    # with exclude_hours past the repair the job stays slowed throughout: 0.4 x 32 x 2.5
    long = dataclasses.replace(DUAL, exclude_hours=20.0)
    led, _, _ = _tco(_scenario(arch, long, switches=1, ports=32, policy=UNIT_POLICY, workload=work))
    assert led.lost_by_month.sum() == pytest.approx(0.4 * 32 * R, rel=1e-9)


def test_gpus_per_switch_sets_the_gpus_behind_each_port():
    # gpus_per_switch = 16 on 8 ports: 2 GPUs a port, one job of 16 GPUs (job_gpus 16); single
    # homing, exclude 1 h < R: 16 x 1 + (4 ports x 2 GPUs) x (2.5 - 1)
    arch = Architecture("a", UNIT.components, gpus_per_switch=16.0)
    work = Workload(gpus_per_port=1.0, job_gpus=16, checkpoint_interval_hours=1.0, restart_hours=0.5)
    led, row, _ = _tco(_scenario(arch, SINGLE_SHORT, switches=1, ports=8, policy=UNIT_POLICY,
                                 workload=work))
    assert led.lost_by_month.sum() == pytest.approx(16 * 1.0 + 8 * (R - 1.0), rel=1e-9)
    assert row["gpu_hours_lost"] == pytest.approx(28.0 + 16 * (0.5 + 0.5), rel=1e-9)
    assert row["goodput"] == pytest.approx(1 - row["gpu_hours_lost"] / (16 * 1500.0), rel=1e-12)


# ------------------------------------------------------------------ whole switches


# two switches of 4 ports carry one job of 8 GPUs; each switch's board fails at ~1000 h (ports
# "switch": the whole switch down) and needs a replacement of 8 h by the one technician: the first
# starts at detection (t + 0.5), the second queues until t + 8.5; every port is back at t + 16.5
BOARD = Architecture("a", (Component("board", per_switch=1, ports_per_unit=None, life=SHARP,
                                     repair=Repair.REPLACE_SWITCH),))
BOARD_POLICY = Policy(detection_hours=0.5, switch_replacement_hours=8.0, technicians=1)


@pytest.mark.parametrize("fabric, lost, interruptions", [
    # exclude 20 h > 16.5 h: the whole job stalls until every port is back: 8 x 16.5
    (SINGLE_LONG, 8 * 16.5, 1),
    # exclude 1 h: stalled 1 h (8 GPUs), then without the 8 GPUs of the two down switches until the
    # first is back (t + 8.5), then without the second's 4 until t + 16.5: 8 x 1 + 8 x 7.5 + 4 x 8
    (SINGLE_SHORT, 8 * 1.0 + 8 * 7.5 + 4 * 8.0, 1),
    # dual: 40 % slower while any port of the job is down: 8 x 0.4 x 16.5, no interruption
    (DUAL, 8 * 0.4 * 16.5, 0),
], ids=["single-exclude-after-repair", "single-exclude-before-repair", "dual"])
def test_switch_failures_cost_the_closed_form(fabric, lost, interruptions):
    led, row, metrics = _tco(_scenario(BOARD, fabric, switches=2, ports=4, policy=BOARD_POLICY))
    assert metrics["switch_replacements"] == 2
    # the second board fails ~1e-3 h after the first, while the job is stalled (single homing):
    # one interruption, not two
    assert metrics["job_interruptions"] == interruptions
    assert led.lost_by_month.sum() == pytest.approx(lost, rel=1e-9)
    assert row["gpu_hours_lost"] == pytest.approx(lost + interruptions * PER_INTERRUPT, rel=1e-9)


def test_a_drained_switch_costs_single_homing_a_restart_and_dual_homing_a_slowdown():
    # one switch of 8 ports, one job of 8 GPUs; an engine covering ports 0-3 fails at ~1000 h and
    # waits for the maintenance window at 1008 h (k = 8 is not reached): a planned replacement of
    # 8 h drains every port until 1016 h
    engine = Component("engine", per_switch=1, ports_per_unit=4, life=SHARP, repair=Repair.REPLACE_SWITCH)
    policy = Policy(detection_hours=0.5, switch_replacement_hours=8.0, replace_switch_when_ports_down=8,
                    maintenance_window_days=42.0)  # windows every 1008 h
    arch = Architecture("a", (engine,))
    led, row, m = _tco(_scenario(arch, SINGLE_SHORT, switches=1, ports=8, policy=policy))
    t = float(led.time[led.kind == EventKind.INTERRUPTION][0])  # the engine failure
    assert (led.kind == EventKind.PLANNED_REPLACEMENT).sum() == 1 and m["job_interruptions"] == 1
    # single: stalled 1 h (8 GPUs), without ports 0-3 (4 GPUs) until 1008 h, drained (8 GPUs, no
    # new stall: planned) until 1016 h; plus the interruption and one drain restart 8 x 0.5
    lost = 8 * 1.0 + 4 * (1008.0 - (t + 1.0)) + 8 * 8.0
    assert led.lost_by_month.sum() == pytest.approx(lost, rel=1e-9)
    assert row["gpu_hours_lost"] == pytest.approx(lost + PER_INTERRUPT + 8 * 0.5, rel=1e-9)
    # dual: 40 % slower from the failure to the end of the replacement; no interruption, no drain
    led, row, m = _tco(_scenario(arch, DUAL, switches=1, ports=8, policy=policy))
    assert m["job_interruptions"] == 0
    assert row["gpu_hours_lost"] == pytest.approx(8 * 0.4 * (1016.0 - t), rel=1e-9)


def test_no_job_means_no_gpu_hours_lost():
    sc = _scenario(UNIT, SINGLE_SHORT, switches=1, ports=8, policy=UNIT_POLICY,
                   workload=Workload(gpus_per_port=1.0, job_gpus=0))
    out = simulate(sc, UNIT, 0)
    assert out.metrics["port_down_hours"] == pytest.approx(4 * R, rel=1e-9)
    assert out.ledger.lost_by_month.sum() == 0 and out.metrics["job_interruptions"] == 0


# ------------------------------------------------------------------ scenario files

BASE = {"name": "t", "horizon_years": 1, "fleet": {"switches": 2, "ports_per_switch": 128},
        "architectures": [{"base": "pluggable-dsp"}]}


def test_fabric_table_parses_and_round_trips():
    sc = parse_scenario({**BASE, "fabric": {"homing": "dual", "degraded_slowdown": 0.25}})
    assert sc.fabric == Fabric(homing=Homing.DUAL, exclude_hours=0.25, degraded_slowdown=0.25)
    text = scenario_to_toml(sc)
    assert '[fabric]\nhoming = "dual"' in text
    import tomllib

    assert parse_scenario(tomllib.loads(text)) == sc
    with pytest.raises(ScenarioError, match=r'fabric.homing = "triple": must be one of "single", "dual"'):
        parse_scenario({**BASE, "fabric": {"homing": "triple"}})
    # a hand-built scenario is held to the same declarations
    from fleet_models.scenario.validate import validate

    bad = dataclasses.replace(sc, fabric=Fabric(degraded_slowdown=1.5))
    with pytest.raises(ScenarioError, match=r"fabric.degraded_slowdown = 1.5: must be in \[0, 1\]"):
        validate(bad)


@pytest.mark.parametrize("table, value, line", [
    ("workload", 1.0, '`homing = "single"`'),
    ("workload", 0.5, '`homing = "dual"`'),
    ("costs", 1.0, '`homing = "single"`'),  # files from before [workload] had it in [costs]
    ("workload", 0.7, '`homing = "single"` (a down port stalls the job) or `homing = "dual"`'),
])
def test_old_stall_fraction_is_refused_with_the_line_to_write(table, value, line):
    with pytest.raises(ScenarioError) as e:
        parse_scenario({**BASE, table: {"stall_fraction": value}})
    msg = str(e.value)
    assert f"{table}.stall_fraction = {value}: is replaced by the [fabric] table" in msg
    assert f"write {line}" in msg and "under [fabric]" in msg
    assert len(e.value.problems) == 1  # one problem, not also "unknown key"


def test_readme_fabric_example_parses():
    import re
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Fabric")[1].split("**Metrics**")[0]
    (example,) = re.findall(r"```toml\n(.*?)```", section, flags=re.S)
    sc = parse_scenario({**BASE, **tomllib.loads(example)})
    assert sc.fabric == Fabric(homing=Homing.DUAL, exclude_hours=0.5, degraded_slowdown=0.25,
                               failover_hours=0.01)


# ------------------------------------------------------------------ jobs of different sizes

# one switch of 10 ports, one GPU each, job_gpus 4: floor(10 / 4) = 2 jobs, the first of 4 GPUs
# (ports 0-3), the last of the remaining 6 (ports 4-9); two units of 4 ports (ports 0-3: the
# 4-GPU job; ports 4-7: the 6-GPU one) fail together at ~1000 h and are swapped: R = 2.5 h
TWO_JOBS = Workload(gpus_per_port=1.0, job_gpus=4, checkpoint_interval_hours=1.0, restart_hours=0.5)
PER_GPU = 1.0 / 2 + 0.5  # an interruption's rollback (half an interval) and restart, per GPU


@pytest.mark.parametrize("engine", ["des", "fast"])
def test_each_interrupted_job_is_charged_its_own_gpus(engine):
    arch = Architecture("a", (Component("m", per_switch=2, ports_per_unit=4, life=SHARP),))
    sc = _scenario(arch, SINGLE_LONG, switches=1, ports=10, policy=UNIT_POLICY, workload=TWO_JOBS)
    res = run(sc, workers=1, dated_events=True, engine=engine)
    led, row = res.ledgers[(0, "a")], res.tco.iloc[0]
    hit = led.kind == EventKind.INTERRUPTION
    assert sorted(led.gpus[hit]) == [4.0, 6.0]  # each interruption carries its job's size
    # exclude_hours 20 > R: both jobs stall whole until the swap: (4 + 6) x 2.5; each then rolls
    # back and restarts with its own GPUs: 4 x 1 + 6 x 1 (charged at job_gpus = 4 each, it was 8)
    assert led.lost_by_month.sum() == pytest.approx(10 * R, rel=1e-9)
    assert row["gpu_hours_lost"] == pytest.approx(10 * R + (4 + 6) * PER_GPU, rel=1e-9)


@pytest.mark.parametrize("engine", ["des", "fast"])
def test_a_planned_replacement_drains_each_job_on_the_switch_with_its_own_gpus(engine):
    # an engine of ports 0-1 (the 4-GPU job) fails at ~1000 h; k = 10 ports, so the switch waits
    # for the 1,100 h maintenance window and is then replaced planned: the ports it takes down
    # (2-9) belong to both jobs, each drained once and restarted with its own GPUs
    arch = Architecture("a", (Component("e", per_switch=1, ports_per_unit=2, life=SHARP,
                                        repair=Repair.REPLACE_SWITCH),))
    policy = Policy(detection_hours=0.5, swap_hours=2.0, switch_replacement_hours=3.0,
                    replace_switch_when_ports_down=10, maintenance_window_days=1100 / 24)
    sc = _scenario(arch, SINGLE_LONG, switches=1, ports=10, policy=policy, workload=TWO_JOBS)
    res = run(sc, workers=1, dated_events=True, engine=engine)
    led, row = res.ledgers[(0, "a")], res.tco.iloc[0]
    assert (led.kind == EventKind.PLANNED_REPLACEMENT).sum() == 1
    assert sorted(led.gpus[led.kind == EventKind.DRAIN]) == [4.0, 6.0]
    assert sorted(led.gpus[led.kind == EventKind.INTERRUPTION]) == [4.0]  # the engine's failure
    # beyond the GPU-hours of the stall and the drain: one rollback and restart of the 4-GPU job,
    # and a restart of each drained job: 4 x 1 + (4 + 6) x 0.5
    extra = row["gpu_hours_lost"] - led.lost_by_month.sum()
    assert extra == pytest.approx(4 * PER_GPU + (4 + 6) * 0.5, rel=1e-9)


# ------------------------------------------------------------------ dual homing: a lost path

@pytest.mark.parametrize("engine", ["des", "fast"])
@pytest.mark.parametrize("failover, exclude, lost", [
    # the unit's 4 ports down R = 2.5 h in an 8-GPU dual-homed job: it stalls whole while its
    # traffic fails over (f), then runs 40 % slower (3.2 GPUs' worth lost per hour; running
    # without the 4 down nodes would lose 4, more) until the repair: 8 f + 3.2 (R - f)
    (0.1, 1.0, 8 * 0.1 + 3.2 * (R - 0.1)),
    (0.0, 1.0, 3.2 * R),  # no failover stall: the slowdown alone
    # a failover longer than the repair: the job waits the whole outage, 8 x R
    (3.0, 1.0, 8 * R),
    # a failover past exclude_hours: at its end the job is already past the point of dropping
    # slow nodes, so it runs on the better of slowed or excluded: 8 f + min(3.2, 4) (R - f)
    (1.5, 1.0, 8 * 1.5 + 3.2 * (R - 1.5)),
], ids=["failover-then-slow", "no-failover", "failover-past-repair", "failover-past-exclusion"])
def test_a_dual_homed_job_stalls_for_its_failover_then_runs_slowed(engine, failover, exclude, lost):
    fabric = Fabric(homing=Homing.DUAL, exclude_hours=exclude, degraded_slowdown=0.4,
                    failover_hours=failover)
    sc = _scenario(UNIT, fabric, switches=1, ports=8, policy=UNIT_POLICY)
    res = run(sc, workers=1, dated_events=True, engine=engine)
    led, metrics = res.ledgers[(0, "a")], res.replications.iloc[0]
    assert metrics["job_interruptions"] == 0  # a failover is no interruption: no rollback
    assert led.lost_by_month.sum() == pytest.approx(lost, rel=1e-9)


def test_the_failover_stall_is_a_stated_assumption_with_a_range():
    from failure_data.catalog import default_catalog

    e = default_catalog().get("failover-stall")
    assert (e.low, e.value, e.high) == (0.0, 0.05, 0.1) and str(e.confidence) == "placeholder"
    assert Fabric().failover_hours == e.value  # the midpoint, not either end
