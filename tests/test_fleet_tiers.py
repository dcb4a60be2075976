"""A fabric of tiers (issue 28): designs name an architecture per tier, a spine's lost links slow
the jobs by the stated rule, a host-side module costs what a leaf port costs, and designs that
differ in one tier differ only by that tier's events.

The closed-form cases force one outage with lives that fail at a known time (Weibull shape 1e6:
within ~1e-3 h of its scale), on both engines; every duration is a fixed delay after the
failure, so they hold to rounding.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fleet_models.builtins.scenarios import builtin_scenarios
from fleet_models.engines.tiers import TieredLedger, views
from fleet_models.errors import ScenarioError
from fleet_models.model.ledger import EventKind
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
    Tier,
    TierSwitch,
    Workload,
)
from fleet_models.runs.runner import run
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.write import scenario_to_toml
from reliability.models import LifeModel

SHARP = LifeModel.weibull(1e6, 1000.0)  # fails at 1000 h; its renewal after the 1500 h horizon
NEVER = LifeModel.exponential(1e15)  # F(1500 h) = 1.5e-12: no failure drawn
COSTS = Costs(electricity_usd_per_kwh=0.1, pue=1.5, discount_rate=0.08, technician_usd_per_hour=100.0,
              gpu_hour_usd=2.0, service_event_usd=150.0)
# 1 leaf of 4 GPU ports (one GPU each) and 4 up-links, 1 spine of 4 ports: 4 links, one job of
# 4 GPUs (one failure per case: a stall then spans exactly its repair)
TIERS = (Tier("leaf", 1, 8, 4), Tier("spine", 1, 4, 0))
WORK = Workload(gpus_per_port=1.0, job_gpus=4, checkpoint_interval_hours=1.0, restart_hours=0.5,
                comm_share=0.5)
POLICY = Policy(detection_hours=0.5, swap_hours=2.0, switch_swap_hours=3.0, refibre_hours=1.0)
R = 0.5 + 2.0  # a swap: detection + hands-on
QUIET = Component("quiet", 1, None, NEVER, repair=Repair.REPLACE_SWITCH)


def _design(name: str, leaf: tuple[Component, ...], spine: tuple[Component, ...]) -> Architecture:
    comps = tuple(dataclasses.replace(c, name=f"leaf:{c.name}") for c in leaf) + tuple(
        dataclasses.replace(c, name=f"spine:{c.name}") for c in spine)
    return Architecture(name, comps, tiers={"leaf": TierSwitch("a"), "spine": TierSwitch("b")})


def _scenario(*designs: Architecture, utilization: float = 0.9, homing: Homing = Homing.SINGLE,
              exclude: float = 20.0) -> Scenario:
    fabric = Fabric(homing=homing, exclude_hours=exclude, tiers=TIERS, link_utilization=utilization)
    return Scenario("tiers", 1500.0, Fleet(1, 8), designs, policy=POLICY, costs=COSTS,
                    support=Support(years=0.0, fee_fraction=0.0), workload=WORK, fabric=fabric,
                    replications=1, seed=5)


def _one(sc: Scenario, engine: str):
    res = run(sc, workers=1, engine=engine, dated_events=True)
    return res, res.tco.set_index("architecture"), res.replications.set_index("architecture")


ENGINES = ["des", "fast"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("utilization, lost", [
    # a 2-port unit of the spine down for R: 2 of 4 links lost, l = 0.5. Headroom 1 - u = 0.1:
    # the missing share of the demand m = (0.5 - 0.1) / 0.9 = 4/9; 4 GPUs x comm_share 0.5 x m x R
    (0.9, 4 * 0.5 * (0.5 - 0.1) / 0.9 * R),
    # u = 0.4: the headroom 0.6 > 0.5 carries the traffic: nothing lost
    (0.4, 0.0),
    # u = 1: no headroom, m = l = 0.5: 4 x 0.5 x 0.5 x R
    (1.0, 4 * 0.5 * 0.5 * R),
], ids=["past-headroom", "within-headroom", "no-headroom"])
def test_a_spine_failure_slows_the_jobs_by_the_lost_share_past_the_headroom(engine, utilization, lost):
    unit = Component("engine", 1, 2, SHARP)  # ports 0-1 of the spine, swapped
    sc = _scenario(_design("d", (QUIET,), (QUIET, unit)), utilization=utilization)
    res, tco, reps = _one(sc, engine)
    led = res.ledgers[(0, "d")]
    assert isinstance(led, TieredLedger)
    assert reps.loc["d", "job_interruptions"] == 0  # no stall, no rollback
    assert not any((p.kind == EventKind.DRAIN).any() or (p.kind == EventKind.LINKS).any()
                   for p in led.parts)  # the rows the loss was rebuilt from are gone
    assert sum(p.lost_by_month.sum() for p in led.parts) == pytest.approx(lost, rel=1e-6, abs=1e-9)
    assert tco.loc["d", "gpu_hours_lost"] == pytest.approx(lost, rel=1e-6, abs=1e-9)
    assert reps.loc["d", "port_down_hours"] == pytest.approx(2 * R, rel=1e-6)
    # port availability over every port of the fabric: 1 x 8 + 1 x 4 = 12 ports
    assert reps.loc["d", "port_availability"] == pytest.approx(1 - 2 * R / (12 * 1500.0), rel=1e-9)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_spine_replacement_drains_its_links_and_stalls_no_job(engine):
    # the spine's board fails at 1000 h and replaces the switch: every link down from the failure
    # (detection 0.5) through the replacement (3 + 1 = 4 h): l = 1, m = 1 at u = 0.9, so the 4 GPUs
    # lose comm_share 0.5 of their time for 4.5 h
    board = Component("board", 1, None, SHARP, repair=Repair.REPLACE_SWITCH)
    sc = _scenario(_design("d", (QUIET,), (board,)))
    res, tco, reps = _one(sc, engine)
    assert reps.loc["d", "switch_replacements"] == 1
    assert reps.loc["d", "job_interruptions"] == 0
    assert tco.loc["d", "gpu_hours_lost"] == pytest.approx(4 * 0.5 * (0.5 + 4.0), rel=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_host_module_failure_costs_what_a_leaf_port_failure_costs(engine):
    # port 0 of the leaf goes down at 1000 h for R, once by its NIC-side module, once by the
    # leaf's own module: single homing, exclude 20 h > R, so the one 4-GPU job stalls R and is
    # interrupted once: 4 x R GPU-hours plus 4 x (checkpoint / 2 + restart)
    host = Component("host-module", 1, 1, SHARP, moves_on_replacement=True)
    port = Component("port-module", 1, 1, SHARP)
    a = _design("host", (QUIET, host), (QUIET,))
    b = _design("port", (QUIET, port), (QUIET,))
    res, tco, reps = _one(_scenario(a, b), engine)
    closed = 4 * R + 4 * (1.0 / 2 + 0.5)
    assert tco.loc["host", "gpu_hours_lost"] == pytest.approx(closed, rel=1e-6)
    assert tco.loc["port", "gpu_hours_lost"] == pytest.approx(closed, rel=1e-6)
    assert reps.loc["host", "job_interruptions"] == reps.loc["port", "job_interruptions"] == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_leaf_unit_over_gpu_ports_and_uplinks_stalls_its_job_and_loses_the_links(engine):
    # one unit over all 8 leaf ports: its 4 GPU ports stall the job for R (4 x R and one
    # interruption), its 4 up-links are the fabric's 4 links, lost for R: at u = 1, m = 1,
    # 4 GPUs x 0.5 x R more
    unit = Component("leaf-optics", 1, 8, SHARP)
    sc = _scenario(_design("d", (QUIET, unit), (QUIET,)), utilization=1.0)
    res, tco, reps = _one(sc, engine)
    closed = 4 * R + 4 * (1.0 / 2 + 0.5) + 4 * 0.5 * 1.0 * R
    assert reps.loc["d", "job_interruptions"] == 1
    assert tco.loc["d", "gpu_hours_lost"] == pytest.approx(closed, rel=1e-6)


def test_designs_that_differ_in_the_spine_differ_only_by_the_spines_events():
    sc = builtin_scenarios()["two-tier"]
    leaf, spine = sc.fabric.tiers
    small = dataclasses.replace(sc, fabric=dataclasses.replace(sc.fabric, tiers=(
        dataclasses.replace(leaf, switches=8), dataclasses.replace(spine, switches=4))),
        fleet=dataclasses.replace(sc.fleet, switches=8), replications=12)
    twin = dataclasses.replace(small.architectures[0], name="twin")
    small = dataclasses.replace(small, architectures=(*small.architectures, twin))
    res = run(small, workers=1)
    frame = res.replications.set_index(["replication", "architecture"])
    tco = res.tco.set_index(["replication", "architecture"])["tco_usd"]
    for i in range(12):
        # identical twins: exactly zero difference
        assert tco[(i, "twin")] == tco[(i, "all-pluggable")]
        # cpo-spine keeps all-pluggable's leaves: every leaf event is the same
        for col in [c for c in frame.columns if c.startswith("failures_leaf:")
                    and not np.isnan(frame.loc[(i, "all-pluggable"), c])]:
            assert frame.loc[(i, "cpo-spine"), col] == frame.loc[(i, "all-pluggable"), col], col
        assert frame.loc[(i, "cpo-spine"), "job_interruptions"] == \
            frame.loc[(i, "all-pluggable"), "job_interruptions"]


def test_the_two_tier_built_in_is_a_full_clos_with_host_modules_on_every_gpu_link():
    sc = builtin_scenarios()["two-tier"]
    leaf, spine = sc.fabric.tiers
    assert leaf.switches * leaf.uplinks == spine.switches * spine.downlinks() == 8192
    assert [a.name for a in sc.architectures] == ["all-pluggable", "all-lpo", "cpo-spine", "all-cpo"]
    for design in sc.architectures:
        host = next(c for c in design.components if c.name == "leaf:host-module")
        assert host.per_switch == leaf.downlinks() and host.ports_per_unit == 1
        assert host.repair is Repair.SWAP and host.moves_on_replacement
        assert [v.gpu_ports for v in views(sc, design)] == [64, 0]
    spine_kinds = {a.name: a.tiers["spine"].architecture for a in sc.architectures}
    assert spine_kinds == {"all-pluggable": "pluggable-dsp", "all-lpo": "lpo",
                           "cpo-spine": "spectrum-x", "all-cpo": "spectrum-x"}


def test_a_written_tiered_scenario_reads_back_the_same():
    sc = builtin_scenarios()["two-tier"]
    import tomllib

    assert parse_scenario(tomllib.loads(scenario_to_toml(sc))) == sc


SHORT = """
name = "mine"
horizon_years = 2
[[fabric.tiers]]
name = "leaf"
switches = 16
ports_per_switch = 128
uplinks = 64
[[fabric.tiers]]
name = "spine"
switches = 8
ports_per_switch = 128
[[architectures]]
name = "cpo-spine"
tiers = { leaf = "pluggable-dsp", spine = "cpo-els" }
"""


def test_the_short_form_names_a_built_in_per_tier():
    import tomllib

    sc = parse_scenario(tomllib.loads(SHORT))
    d = sc.architectures[0]
    assert sc.fleet.switches == 16 and sc.fleet.ports_per_switch == 128  # the first tier
    assert d.tiers["spine"].architecture == "cpo-els"
    assert {c.name for c in d.components} >= {"leaf:dsp-module", "leaf:host-module", "spine:optical-engine"}


@pytest.mark.parametrize("change, message", [
    (("spine = \"cpo-els\"", "spin = \"cpo-els\""), "must name an architecture for each tier"),
    (("switches = 8", "switches = 9"), "every link has an end in each tier"),
    (("uplinks = 64", "uplinks = 128"), "must be < ports_per_switch"),
    (("name = \"leaf\"", "name = \"le:af\""), "without ':'"),
    (("tiers = { leaf = \"pluggable-dsp\", spine = \"cpo-els\" }", "base = \"cpo-els\""),
     "every architecture is a design"),
    (("spine = \"cpo-els\"", "spine = \"cpo-elz\""), "must be a built-in architecture"),
], ids=["missing-tier", "links-unequal", "no-downlinks", "colon", "not-a-design", "unknown-kind"])
def test_bad_tiers_are_refused_naming_the_field_and_the_fix(change, message):
    import tomllib

    with pytest.raises(ScenarioError, match=message):
        parse_scenario(tomllib.loads(SHORT.replace(*change)))


def test_a_design_without_tiers_in_the_fabric_is_refused():
    import tomllib

    text = SHORT.split("[[architectures]]")[0].split("[[fabric.tiers]]")[0] + \
        "[fleet]\nswitches = 4\nports_per_switch = 128\n[[architectures]]" + SHORT.split("[[architectures]]")[1]
    with pytest.raises(ScenarioError, match="no \\[\\[fabric.tiers\\]\\]"):
        parse_scenario(tomllib.loads(text))


def test_the_commands_take_a_tiered_scenario(tmp_path):
    # compare (JSON), the tornado, a break-even on the spine rule's input, and the report, on a
    # small fabric of designs: each exits 0 and names the designs
    import json

    from typer.testing import CliRunner

    from cli.main import app

    path = tmp_path / "fabric.toml"
    path.write_text(SHORT.replace("switches = 16", "switches = 4").replace("switches = 8", "switches = 2")
                    + '[[architectures]]\nname = "all-pluggable"\n'
                    'tiers = { leaf = "pluggable-dsp", spine = "pluggable-dsp" }\n', encoding="utf-8")
    run_ = CliRunner().invoke
    r = run_(app, ["compare", str(path), "-n", "3", "--workers", "1", "--hinges", "0", "--json", "-q"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc["architectures"]) == {"cpo-spine", "all-pluggable"}
    r = run_(app, ["tornado", str(path), "-n", "2", "--workers", "1", "-q"])
    assert r.exit_code == 0 and "link-utilization" in r.output, r.output
    r = run_(app, ["breakeven", str(path), "--vary", "fabric.link_utilization", "--between", "0.5", "1",
                   "-n", "2", "--workers", "1", "-q"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "r.html"
    r = run_(app, ["report", str(path), "-o", str(out), "-n", "2", "--workers", "1", "--hinges", "0", "-q"])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "2 tiers of 800G" in page and "cpo-spine" in page
