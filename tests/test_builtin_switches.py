"""Defaults a 2026 operator recognises (issue 15): the CPO engine's device unit as a declared
choice, a switch replacement as two cited terms, laser wear-out, the switches that ship as
built-ins, and the README's generated "Where the defaults come from" table."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.catalog import default_catalog
from fleet_models.builtins.kit import default_policy
from fleet_models.builtins.provenance import field_comments, field_sources
from fleet_models.builtins.scenarios import builtin_architectures, builtin_scenarios
from fleet_models.errors import ScenarioError
from fleet_models.model.paths import get_value
from fleet_models.model.spec import Architecture, DeviceUnit, Policy, Repair
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.variants import with_value, with_values
from fleet_models.scenario.write import scenario_to_toml
from reliability.models import BOLTZMANN_EV, FIT_HOURS

ROOT = Path(__file__).resolve().parents[1]
PER_DEVICE = 1e9 / 2.6e6  # meta-mtbf-cmp: 2.6e6 device-hours MTBF -> FIT per device
SWITCHES = ("bailly", "quantum-x", "spectrum-x")


def fit(life) -> float:
    return FIT_HOURS / life.mean()


def doc(**policy) -> dict:
    d = {"name": "t", "horizon_years": 1, "fleet": {"switches": 2, "ports_per_switch": 128},
         "architectures": [{"base": "cpo-els"}]}
    if policy:
        d["policy"] = policy
    return d


def engine_life(life: dict, ports: int | str = 4, base: str = "cpo-els"):
    d = doc()
    d["architectures"] = [{"base": base, "components": [
        {"name": "optical-engine", "ports_per_unit": ports, "life": life}]}]
    if ports == "switch":
        d["architectures"][0]["components"][0]["per_switch"] = 1
    return d


# ------------------------------------------------------------ 1. device_unit, a declared choice

def test_device_unit_reads_the_per_device_rate_per_400g_port_or_per_device():
    per_port = parse_scenario(engine_life({"catalog": "cpo-engine-field"}))
    per_device = parse_scenario({**engine_life({"catalog": "cpo-engine-field"}), "device_unit": "device"})
    # a 3.2T engine (4 x 800G) is 3200 / 400 = 8 devices per 400G port; per device, one
    assert fit(per_port.architectures[0].components[1].life) == pytest.approx(8 * PER_DEVICE, rel=1e-5)
    assert fit(per_device.architectures[0].components[1].life) == pytest.approx(PER_DEVICE, rel=1e-5)
    two_ports = parse_scenario(engine_life({"catalog": "cpo-engine-field"}, ports=2))
    # ports_per_unit 2 x 800 Gb/s = 1.6T: 4 devices, computed from the bandwidth, not a constant
    assert fit(two_ports.architectures[0].components[1].life) == pytest.approx(4 * PER_DEVICE, rel=1e-5)


def test_device_unit_reads_both_sides_alike_and_follows_every_change():
    # the pluggable side of meta-mtbf-cmp (1e9 / 550e3 h per device) read the same way: an 800G
    # module is 2 devices per 400G port, 1 per device; the source's ratio per device, 2.6e6 /
    # 550e3 = 4.73, is kept under both readings
    s = builtin_scenarios()["default"]
    plug = PER_DEVICE * 2.6e6 / 550e3
    for unit, module, engine in (("port-400g", 2, 8), ("device", 1, 1)):
        sc = with_value(s, "device_unit", unit)
        a = {x.name: x for x in sc.architectures}
        assert fit(a["pluggable-dsp"].components[1].life) == pytest.approx(module * plug, rel=1e-5)
        assert fit(a["cpo-els"].components[1].life) == pytest.approx(engine * PER_DEVICE, rel=1e-5)
        # a rate varied first keeps its variation when the reading changes (set after numbers)
        path = "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"
        both = with_values(s, {"device_unit": unit, path: 2 * fit(s.architectures[3].components[1].life)})
        assert fit(both.architectures[3].components[1].life) == pytest.approx(2 * engine * PER_DEVICE, rel=1e-5)
    # a hand-built scenario is read by its own device_unit whatever its components were read by
    direct = dataclasses.replace(s, device_unit=DeviceUnit.DEVICE)
    assert fit(direct.architectures[3].components[1].life) == pytest.approx(PER_DEVICE, rel=1e-5)


@pytest.mark.parametrize("data, expected", [
    ({**doc(), "device_unit": "port"}, ['device_unit = "port"', '"port-400g", "device"']),
    (engine_life({"catalog": "cpo-engine-field", "device_unit": "engine"}),
     ["architectures[0].components[0].life.device_unit = \"engine\"", "the scenario's device_unit",
      'device_unit = "device"', "top of the scenario"]),
    (engine_life({"catalog": "cpo-engine-field"}, "switch"),
     ["architectures[0].components[0].life.catalog", "bandwidth", "give ports_per_unit"]),
])
def test_a_bad_device_unit_is_refused_naming_the_field_and_the_fix(data, expected):
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data)
    msg = str(e.value)
    for text in expected:
        assert text in msg, (text, msg)


@pytest.mark.parametrize("name, devices", [("bailly", 16), ("quantum-x", 4), ("spectrum-x", 8)])
def test_each_switch_states_both_readings_per_engine(name, devices):
    # engine Gb/s / 400: Bailly 6.4T -> 16, Quantum-X 1.6T -> 4, Spectrum-X 3.2T -> 8 (cpo-device-unit)
    s = builtin_scenarios()[name]
    i, arch = 1, s.architectures[1]
    j, eng = next((j, c) for j, c in enumerate(arch.components) if c.name == "optical-engine")
    assert fit(eng.life) == pytest.approx(devices * PER_DEVICE, rel=1e-5)
    text = field_comments(s)[f"architectures[{i}].components[{j}].life"]
    assert f"{devices * PER_DEVICE:,.0f} FIT per" in text and f"{PER_DEVICE:,.1f} FIT" in text
    assert f"{devices}x less" in text


def test_show_round_trips_a_per_device_reading():
    s = parse_scenario({**engine_life({"catalog": "cpo-engine-field"}), "device_unit": "device"})
    text = scenario_to_toml(s)
    assert parse_scenario(tomllib.loads(text)) == s
    assert 'device_unit = "device"' in text and "read per device (one unit): 384.6 FIT (this life)" in text


# ------------------------------------------------------------ 2. switch replacement as two terms

def test_switch_replacement_is_the_sum_of_two_cited_terms_unless_a_file_sets_it():
    p = default_policy()
    # nvl72-switch-tray 1-4 h and cpo-refibre 2-5 h, midpoints 2.5 and 3.5
    assert (p.switch_swap_hours, p.refibre_hours, p.switch_replacement_hours) == (2.5, 3.5, None)
    assert p.replacement_hours == 6.0
    assert parse_scenario(doc(refibre_hours=5.0)).policy.replacement_hours == 7.5  # 2.5 + 5
    old = parse_scenario(doc(switch_replacement_hours=8.0)).policy  # files that set it keep working
    assert old.switch_replacement_hours == old.replacement_hours == 8.0
    both = parse_scenario(doc(switch_replacement_hours=8.0, refibre_hours=1.0)).policy
    assert both.replacement_hours == 8.0
    assert Policy(switch_swap_hours=1.0, refibre_hours=2.0).replacement_hours == 3.0


def test_a_total_follows_its_terms_however_the_policy_is_changed():
    # dataclasses.replace used to leave the stored sum stale; the total is now computed when read
    p = dataclasses.replace(default_policy(), refibre_hours=10.0)
    assert p.replacement_hours == 12.5  # 2.5 + 10
    sc = with_value(builtin_scenarios()["default"], "policy.switch_swap_hours", 1.0)
    assert get_value(sc, "policy.switch_replacement_hours") == 4.5  # 1 + 3.5


def test_a_derived_total_is_written_as_a_comment_so_editing_a_term_changes_it():
    s = builtin_scenarios()["default"]
    text = scenario_to_toml(s)
    assert "\nswitch_replacement_hours =" not in text
    assert "# switch_replacement_hours: not set: switch_swap_hours + refibre_hours = 2.5 + 3.5 = 6 h" in text
    edited = tomllib.loads(text.replace("refibre_hours = 3.5", "refibre_hours = 1.5"))
    assert parse_scenario(edited).policy.replacement_hours == 4.0
    src = field_sources(s)
    assert (src["policy.switch_swap_hours"], src["policy.refibre_hours"]) == ("nvl72-switch-tray", "cpo-refibre")


# ------------------------------------------------------------ 3. laser wear-out

def test_lasers_wear_out_lognormally_with_an_assumed_sigma():
    a = builtin_architectures()
    c = default_catalog()
    assert c["laser-sigma"].kind == "assumption" and (c["laser-sigma"].low, c["laser-sigma"].high) == (0.3, 1.5)
    internal = {k.name: k for k in a["cpo-internal-laser"].components}
    wear = internal["internal-laser-wearout"]
    assert wear.life.distribution == "lognormal"
    # median dfb-ttf = 1e6 h at 80 °C, beside the ASIC: no shift; sigma laser-sigma = 0.9
    assert dict(wear.life.parameters) == {"mu": pytest.approx(math.log(1e6)), "sigma": 0.9}
    same = ("per_switch", "ports_per_unit", "repair", "elements", "needed")
    assert all(getattr(wear, f) == getattr(internal["internal-laser"], f) for f in same)
    els = {k.name: k for k in a["cpo-els"].components}
    # front panel 45 °C: Arrhenius exp(Ea/k (1/318.15 - 1/353.15)) with laser-ea 0.52 eV = 6.6x
    af = math.exp(0.52 / BOLTZMANN_EV * (1 / 318.15 - 1 / 353.15))
    assert af == pytest.approx(6.6, abs=0.05)  # the reference table's "x6.6 at 80 °C against 45 °C"
    assert math.exp(els["els-wearout"].life.parameters["mu"]) == pytest.approx(1e6 * af, rel=1e-9)
    assert (els["els-wearout"].elements, els["els-wearout"].repair) == (8, Repair.SWAP)


def test_the_sigma_is_swept_through_the_catalog():
    swept = builtin_architectures(default_catalog().with_values({"laser-sigma": 1.5}))
    wear = {k.name: k for k in swept["cpo-els"].components}["els-wearout"]
    assert wear.life.parameters["sigma"] == 1.5


# ------------------------------------------------------------ 4. the switches that ship

# (ports, engines, ports per engine, spare engines, ELS, lasers per ELS) from the catalog rows:
# bailly 8 x 6.4T = 51.2T = 64 x 800G, one laser per port (cpo-lasers-per-port) in ELS of 8;
# qx-photonics 144 x 800G, 72 x 1.6T, 18 ELS x 8; sx-oe-spares 32 active + 4 of 3.2T, 128 x 800G
COUNTS = {"bailly": (64, 8, 8, 0, 8, 8), "quantum-x": (144, 72, 2, 0, 18, 8),
          "spectrum-x": (128, 32, 4, 4, 16, 8)}


@pytest.mark.parametrize("name", SWITCHES)
def test_switch_counts_pairs_and_sources(name):
    ports, engines, per_engine, spares, n_els, lasers = COUNTS[name]
    s = builtin_scenarios()[name]
    assert (s.fleet.ports_per_switch, s.fleet.port_gbps) == (ports, 800.0)
    pluggable, cpo = s.architectures
    assert cpo == builtin_architectures()[name]
    comps = {k.name: k for k in cpo.components}
    eng, els = comps["optical-engine"], comps["els"]
    assert (eng.per_switch, eng.ports_per_unit, eng.spare_units, eng.repair) == (
        engines, per_engine, spares, Repair.REPLACE_SWITCH)
    assert (els.per_switch, els.ports_per_unit, els.elements, els.needed) == (n_els, ports // n_els, lasers, lasers)
    assert comps["els-wearout"].per_switch == n_els and comps["switch-board"].ports_per_unit is None
    modules = [k for k in pluggable.components if k.repair is Repair.SWAP]
    # the same ports, one pluggable each; Quantum-X's as qx-cost counts them: 72 x 1.6T modules
    per_module = 2 if name == "quantum-x" else 1
    assert [(m.per_switch, m.ports_per_unit) for m in modules] == [(ports // per_module, per_module)]
    for arch in (pluggable, cpo):
        for k in arch.components:
            assert k.source, (arch.name, k.name)
            if k.ports_per_unit is not None:
                assert k.per_switch * k.ports_per_unit == ports  # every port covered once
    src = field_sources(s)
    assert src["fleet.ports_per_switch"] == {"bailly": "bailly", "quantum-x": "qx-photonics",
                                             "spectrum-x": "sx-photonics"}[name]
    j = list(comps).index("optical-engine")
    assert src[f"architectures[1].components[{j}].per_switch"] in ("bailly", "qx-photonics", "sx-oe-spares")


def test_quantum_x_optics_are_priced_from_its_own_figure():
    comps = {k.name: k for k in builtin_architectures()["quantum-x"].components}
    # qx-cost: 80-90 k USD of CPO optics per switch (midpoint 85 k) = 72 engines + 18 ELS at 800 USD
    assert 72 * comps["optical-engine"].price_usd + 18 * comps["els"].price_usd == pytest.approx(85_000)
    # ... against ~72 k USD of pluggables, 72 x 1.6T at ~1,000 USD: its pluggable pair, the same source
    plug = {k.name: k for k in builtin_architectures()["quantum-x-pluggable"].components}["dsp-module"]
    assert plug.per_switch * plug.price_usd == pytest.approx(72_000)


def test_a_file_can_start_from_a_switch():
    d = doc()
    d["fleet"]["ports_per_switch"] = 144
    d["architectures"] = [{"base": "quantum-x"}, {"base": "quantum-x-pluggable"}]
    s = parse_scenario(d)
    assert [a.name for a in s.architectures] == ["quantum-x", "quantum-x-pluggable"]


def test_base_doc_names_every_builtin_architecture():
    for name in builtin_architectures():
        assert re.search(rf"\b{re.escape(name)}\b(?!-)", Architecture.BASE.doc), name


def test_every_builtin_scenario_has_a_description():
    from fleet_models.builtins.scenarios import SCENARIO_DESCRIPTIONS

    assert set(SCENARIO_DESCRIPTIONS) == set(builtin_scenarios())


# ------------------------------------------------------------ 5. every SCENARIO command takes a name

@pytest.mark.parametrize("name", SWITCHES)
def test_compare_runs_on_each_switch_builtin(name):
    r = CliRunner().invoke(app, ["compare", name, "--replications", "4", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    arch_names = [a.name for a in builtin_scenarios()[name].architectures]
    assert d["scenario"] == name and d["replications"] == 4
    assert list(d["architectures"]) == arch_names
    for a in arch_names:
        assert set(d["architectures"][a]["port_availability"]) >= {"mean", "ci95"}


@pytest.mark.parametrize("command", [["simulate"], ["scenario", "show"]])
def test_other_scenario_commands_take_a_switch_name(command):
    extra = ["--replications", "2"] if command == ["simulate"] else []
    r = CliRunner().invoke(app, [*command, "bailly", *extra, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)


# ------------------------------------------------------------ 6. where the defaults come from

def test_readme_defaults_table_is_the_generated_one():
    from fleet_models.scenario.docs import defaults_markdown_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- generated: fleet_models.scenario.docs.defaults_markdown_table();" in readme
    assert defaults_markdown_table() + "\n<!-- end generated -->" in readme


def test_defaults_table_cites_what_the_defaults_use_with_its_kind():
    from fleet_models.scenario.docs import defaults_markdown_table

    rows = {r.split(" | ")[0].strip("| `"): r for r in defaults_markdown_table().splitlines()[2:]}
    for key in ("cpo-engine-field", "meta-mtbf-cmp", "laser-sigma", "nvl72-switch-tray", "cpo-refibre",
                "switch-replacement-hours", "qx-photonics", "sx-oe-spares", "bailly", "hpn-tor"):
        assert key in rows, key
    assert "| lab |" in rows["meta-mtbf-cmp"] and "| field |" in rows["hpn-tor"]
    assert "| assumption | placeholder |" in rows["laser-sigma"]


def test_catalog_command_lists_every_revised_key():
    # the reference table lives in ../shared beside the repository (as tests/test_catalog.py reads it)
    reference = Path(__file__).resolve().parents[2] / "shared" / "reference" / "published-figures.md"
    c = default_catalog()
    revised = [k for k, e in c.items() if e.revised == "2026-12"]
    if reference.is_file():  # every "(rev)" row of the reference table is a revised entry
        assert set(re.findall(r"^\| ([\w-]+) \(rev\)", reference.read_text(), re.M)) == set(revised)
    r = CliRunner().invoke(app, ["scenario", "catalog"])
    assert r.exit_code == 0
    for key in revised:
        assert re.search(rf"^│ {re.escape(key)}\s", r.stdout, re.M), key
    j = CliRunner().invoke(app, ["scenario", "catalog", "--json"])
    entries = {e["key"]: e for e in json.loads(j.stdout)["entries"]}
    assert all(entries[k]["revised"] == "2026-12" and entries[k]["kind"] for k in revised)


def test_every_published_entry_says_its_kind():
    for key, e in default_catalog().items():
        if str(e.confidence) not in ("inferred", "placeholder", "–"):
            assert e.kind not in ("inferred", "placeholder", "unpublished"), key
    assert default_catalog()["meta-cpo-hours"].kind == "lab"  # since the 2026-12 revision


def test_an_entry_without_a_kind_is_refused():
    from failure_data.catalog import parse_catalog
    from failure_data.errors import DataError

    raw = {"x": {"section": "s", "parameter": "p", "text": "1", "unit": "", "source": "a", "confidence": "M"}}
    with pytest.raises(DataError, match="x: missing field 'kind'"):
        parse_catalog(raw)
    with pytest.raises(DataError, match=r"x.kind = 'lbo'"):
        parse_catalog({"x": {**raw["x"], "kind": "lbo"}})
    assert parse_catalog({"x": {**raw["x"], "kind": "lab"}})["x"].kind == "lab"


# ------------------------------------------------------------ the same event definition on both sides

PAIRS = {"default": ("pluggable-dsp", "cpo-els"), "bailly": ("bailly-pluggable", "bailly"),
         "quantum-x": ("quantum-x-pluggable", "quantum-x"), "spectrum-x": ("pluggable-dsp", "spectrum-x")}


@pytest.mark.parametrize("unit", ["port-400g", "device"])
@pytest.mark.parametrize("name", list(PAIRS))
def test_each_pair_keeps_its_source_s_ratio_of_events(name, unit, tmp_path):
    # from `cpo scenario show --json`: per port-year, the pluggable modules' events over the
    # engines' (both from meta-mtbf-cmp) are the source's per-device ratio, 2.6e6 h / 550e3 h =
    # 4.727, times the devices per port of each side: read per 400G port both are 2 per 800G port
    # (ratio 4.727); read per device, a module of m ports is 1 / m per port and an engine of e
    # ports 1 / e, so the ratio is 4.727 x e / m
    base = builtin_scenarios()[name]
    path = tmp_path / "s.toml"
    path.write_text(scenario_to_toml(with_value(base, "device_unit", unit)), encoding="utf-8")
    r = CliRunner().invoke(app, ["scenario", "show", str(path), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    rows = {(x["architecture"], x["component"]): x for x in doc["component_event_rates"]}
    plug, cpo = PAIRS[name]
    module, engine = rows[(plug, "dsp-module")], rows[(cpo, "optical-engine")]
    comps = {a.name: {c.name: c for c in a.components} for a in base.architectures}
    m, e = comps[plug]["dsp-module"].ports_per_unit, comps[cpo]["optical-engine"].ports_per_unit
    expected = 2.6e6 / 550e3 * (1.0 if unit == "port-400g" else e / m)
    assert module["events"] / engine["events"] == pytest.approx(expected, rel=1e-4)
    # per port-year, exactly: module 2 x 400G devices (or 1 / m) x 1e-9 / (1 / 550e3 h) ...
    per_year = 8766.0
    module_devices = 2.0 if unit == "port-400g" else 1.0 / m
    assert module["events"] == pytest.approx(module_devices * per_year / 550e3, rel=1e-5)
    # ... and what replaces hardware: a module's events less the no-trouble-found share, an
    # engine's less the share cleared in place (both 80 %: ntf-returns, cpo-in-place)
    assert module["part"] == pytest.approx(0.2 * module["events"])
    assert engine["replace_switch"] == pytest.approx(0.2 * engine["events"])
    totals = {x["architecture"]: x for x in doc["event_rates"]}
    for arch in (plug, cpo):
        share = totals[arch]["replace_switch"] / totals[arch]["events"]
        assert totals[arch]["replace_switch_share"] == pytest.approx(share)
    assert "events per port-year" in doc["comments"]["architectures[1].name"]
