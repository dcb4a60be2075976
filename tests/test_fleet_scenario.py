"""Scenario files: strict validation with field paths, life forms, `base` merges, round trips, built-ins."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import tomllib

import pytest

from cli._common import in_cli_words
from fleet_models.builtins.generic import GENERIC
from fleet_models.builtins.kit import default_costs, default_policy
from fleet_models.builtins.provenance import field_sources
from fleet_models.builtins.scenarios import (
    builtin_architectures,
    builtin_scenarios,
    default_scenario,
)
from fleet_models.errors import FleetError, ScenarioError
from fleet_models.model.fields import declared as table_fields
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fabric,
    Fleet,
    HandsOn,
    Policy,
    Repair,
    Scenario,
    SparePool,
    Workload,
)
from fleet_models.scenario.read import load_scenario, parse_scenario
from fleet_models.scenario.write import scenario_to_dict, scenario_to_toml
from reliability.models import BOLTZMANN_EV, HOURS_PER_YEAR, LifeModel

MINIMAL = {
    "name": "t",
    "horizon_years": 2,
    "fleet": {"switches": 4, "ports_per_switch": 8},
    "architectures": [
        {"name": "a", "components": [
            {"name": "m", "per_switch": 8, "ports_per_unit": 1,
             "life": {"distribution": "weibull", "shape": 1.5, "scale": 1e6}},
        ]},
        {"name": "b", "components": [
            {"name": "e", "per_switch": 2, "ports_per_unit": 4, "repair": "replace-switch",
             "life": {"fit_per_1e9h": 100}},
        ]},
    ],
}


def doc(**changes):
    """MINIMAL with changes: keys are dotted paths ('architectures.1.components.0.life.shape'), None deletes."""
    d = copy.deepcopy(MINIMAL)
    for path, value in changes.items():
        *head, last = path.split("__")
        node = d
        for part in head:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return d


def errors_of(data, **kw) -> str:
    """The message as the CLI prints it (library hints in the CLI's words, cli._common)."""
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data, **kw)
    return in_cli_words(e.value.raw)


# ---------------------------------------------------------------------- the minimal file


def test_minimal_scenario_fills_every_default():
    s = parse_scenario(MINIMAL)
    assert s.horizon_hours == 2 * HOURS_PER_YEAR  # 2 Julian years of 8766 h
    assert s.fleet == Fleet(switches=4, ports_per_switch=8, port_gbps=800.0)
    assert s.policy == default_policy() and s.costs == default_costs()
    m = s.architectures[0].components[0]
    assert m == Component(name="m", per_switch=8, ports_per_unit=1, life=LifeModel.weibull(1.5, 1e6))
    e = s.architectures[1].components[0]
    assert e.repair is Repair.REPLACE_SWITCH
    # a constant rate of 100 FIT is an exponential life of mean 1e9 / 100 h
    assert e.life == LifeModel.exponential(1e7)
    assert (s.replications, s.seed, s.uncertainty) == (200, 20261123, False)


def test_catalog_defaults_for_policy_and_costs():
    p, c = default_policy(), default_costs()
    assert p.swap_hours == pytest.approx(5 / 60)  # swap-time: upper end of 2-5 min
    assert p.detection_hours == 0.25  # placeholder
    # drain and swap 1-4 h (nvl72-switch-tray) + re-fibre 2-5 h (cpo-refibre), midpoints 2.5 + 3.5
    assert (p.switch_swap_hours, p.refibre_hours, p.replacement_hours) == (2.5, 3.5, 6.0)
    assert p.spares == {} and p.technicians == 0
    # power-price (SemiAnalysis 2024), pue (Uptime 2025), job (llama3-interrupts), gpu-hour (the H100
    # 1-yr contract index at its latest point, Mar 2026: the 2026-12 table calls it a time series, not a range)
    assert (c.electricity_usd_per_kwh, c.pue, c.gpu_hour_usd) == (0.078, 1.54, 2.35)
    from fleet_models.builtins.kit import default_fabric, default_workload
    from fleet_models.model.spec import Homing

    w, f = default_workload(), default_fabric()
    # llama3-interrupts: a 16,384-GPU job; the fabric: single-homed NICs (stall-fraction: the job
    # stalls whole), exclusion after 0.25 h (exclude-hours, placeholder), slow-link: up to 40 %
    assert w.job_gpus == 16384
    assert (f.homing, f.exclude_hours, f.degraded_slowdown) == (Homing.SINGLE, 0.25, 0.4)
    # service-event: one hour of remote hands (labour-remote midpoint 140), a placeholder
    assert c.service_event_usd == 140.0
    from fleet_models.builtins.kit import default_support
    from fleet_models.model.spec import AfterSupport

    # support: 3 years (support-years), 10 %/yr (support-fee), then a switch is bought with a
    # 35-day lead (switch-buy-lead-days: switch-lead's 4-6 weeks) or depot-repaired for 30 % in
    # 30 days (depot-repair, depot-days): placeholders, each with a stated range
    s = default_support()
    assert (s.years, s.fee_fraction, s.after, s.buy_lead_days) == (3.0, 0.1, AfterSupport.BUY, 35.0)
    assert (s.depot_fraction, s.depot_days) == (0.3, 30.0)


def test_every_spec_field_is_an_accepted_key():
    """Allowed keys come from the spec dataclasses, so a field added there is accepted unchanged."""
    s = default_scenario()
    d = scenario_to_dict(s)
    for cls, table in ((Policy, d["policy"]), (Costs, d["costs"]), (Workload, d["workload"]),
                       (Fleet, d["fleet"]), (Fabric, d["fabric"])):
        for f in table_fields(cls):
            value = getattr(getattr(s, cls.__name__.lower()), f)
            if f != "spares" and value is not None and value != ():  # no [[fabric.tiers]]: not written
                # a total that is the sum of its terms is written as a comment (see below)
                assert f in table or (cls is Policy and s.policy.derived(f)), (cls.__name__, f)
    comp = s.architectures[0].components[1]
    for f in table_fields(Component):
        if getattr(comp, f) is not None:  # an unset optional is not written
            assert f in d["architectures"][0]["components"][1], f
    for f in table_fields(Architecture):
        if getattr(s.architectures[0], f) not in (None, {}):  # unset optional, not a design: not written
            assert f in d["architectures"][0], f
    tiered = scenario_to_dict(builtin_scenarios()["two-tier"])  # a fabric of tiers writes them
    assert "tiers" in tiered["fabric"] and "tiers" in tiered["architectures"][0]


# ---------------------------------------------------------------------- invalid files, one sweep

INVALID = [
    # (id, document, text the message must contain: the path and the bad value)
    ("unknown top key", doc(horizon_yeras=5),
     ["horizon_yeras = 5", "did you mean 'horizon_years'", "allowed keys"]),
    ("unknown fleet key", doc(fleet__swiches=3), ["fleet.swiches = 3", "did you mean 'switches'"]),
    ("unknown policy key", doc(policy__swap_hour=1.0), ["policy.swap_hour = 1.0", "'swap_hours'"]),
    ("unknown costs key", doc(costs__pue2=1.2), ["costs.pue2 = 1.2", "'pue'"]),
    ("unknown architecture key", doc(architectures__0__switch_prize_usd=1.0),
     ["architectures[0].switch_prize_usd = 1.0", "'switch_price_usd'"]),
    ("unknown component key", doc(architectures__1__components__0__per_swich=2),
     ["architectures[1].components[0].per_swich = 2", "'per_switch'"]),
    ("unknown life key", doc(architectures__0__components__0__life__shap=2.0),
     ["architectures[0].components[0].life.shap = 2.0", "'shape'"]),
    ("unknown spares key", doc(policy__spares={"switch": {"stock": 1, "lead_time_days": 3, "stok": 2}}),
     ["policy.spares.switch.stok = 2", "'stock'"]),
    ("life shape < 0", doc(architectures__1__components__0__life={
        "distribution": "weibull", "shape": -1, "scale": 1e6}),
     ["architectures[1].components[0].life.shape = -1: must be > 0"]),
    ("life param missing", doc(architectures__0__components__0__life={"distribution": "lognormal", "mu": 3}),
     ["architectures[0].components[0].life.sigma: missing"]),
    ("unknown distribution", doc(architectures__0__components__0__life={"distribution": "weibul"}),
     ['life.distribution = "weibul"', "did you mean 'weibull'"]),
    ("two life forms", doc(architectures__0__components__0__life={"fit_per_1e9h": 5, "catalog": "dfb-fit"}),
     ["architectures[0].components[0].life", "exactly one of", "fit_per_1e9h, catalog"]),
    ("life not a table", doc(architectures__0__components__0__life=5),
     ["architectures[0].components[0].life = 5: must be a table"]),
    ("fit <= 0", doc(architectures__1__components__0__life={"fit_per_1e9h": 0}),
     ["architectures[1].components[0].life.fit_per_1e9h = 0: must be in (0, "]),
    ("bad catalog key", doc(architectures__0__components__0__life={"catalog": "dfb-fitt"}),
     ['life.catalog = "dfb-fitt"', "'dfb-fit'", "cpo scenario catalog"]),
    ("catalog entry without life", doc(architectures__0__components__0__life={"catalog": "pue"}),
     ['life.catalog = "pue"', "has no life model", "dfb-fit"]),
    ("missing model file", doc(architectures__0__components__0__life={"model": "nope.json"}),
     ['life.model = "nope.json"', "not found", "cpo fit FILE --save"]),
    ("temperature without reference", doc(architectures__1__components__0__life={
        "fit_per_1e9h": 5, "temperature_c": 80}),
     ["architectures[1].components[0].life.reference_temperature_c: missing"]),
    ("temperature out of range", doc(architectures__0__components__0__life={
        "catalog": "dfb-fit", "temperature_c": 900}),
     ["life.temperature_c = 900: must be in [-60, 200]"]),
    ("activation energy <= 0", doc(architectures__0__components__0__life={
        "catalog": "dfb-fit", "temperature_c": 80, "activation_energy_ev": -0.5}),
     ["life.activation_energy_ev = -0.5: must be in (0, 3]"]),
    ("reference alone", doc(architectures__0__components__0__life={
        "catalog": "dfb-fit", "reference_temperature_c": 40}),
     ["life.reference_temperature_c = 40", "no effect without temperature_c"]),
    ("both horizons", doc(horizon_hours=100.0), ["horizon_years = 2", "not both"]),
    ("no horizon", doc(horizon_years=None), ["horizon_years: missing"]),
    ("horizon <= 0", doc(horizon_years=0), ["horizon_years = 0: must be in (0, 1000]"]),
    ("replications 0", doc(replications=0), ["replications = 0: must be in [1, 100_000]"]),
    ("replications too many", doc(replications=100001), ["replications = 100001"]),
    ("replications float", doc(replications=10.0), ["replications = 10.0: must be an integer"]),
    ("negative seed", doc(seed=-1), ["seed = -1: must be in [0, "]),
    ("uncertainty not bool", doc(uncertainty="yes"), ['uncertainty = "yes": must be true or false']),
    ("name wrong type", doc(name=5), ["name = 5: must be a string"]),
    ("switches 0", doc(fleet__switches=0), ["fleet.switches = 0: must be in [1, "]),
    ("switches bool", doc(fleet__switches=True), ["fleet.switches = true: must be an integer"]),
    ("fleet missing", doc(fleet=None), ["fleet: missing"]),
    ("ports missing", doc(fleet={"switches": 3}), ["fleet.ports_per_switch: missing"]),
    ("pue < 1", doc(costs__pue=0.9), ["costs.pue = 0.9: must be in [1, 5]"]),
    ("discount rate 1", doc(costs__discount_rate=1.0), ["costs.discount_rate = 1.0: must be in [0, 1)"]),
    ("job gpus float", doc(workload__job_gpus=1.5), ["workload.job_gpus = 1.5: must be an integer"]),
    ("job gpus in the old table", doc(costs__job_gpus=1024),
     ["costs.job_gpus = 1024: moved to the [workload] table", "job_gpus = 1024"]),
    ("swap hours negative", doc(policy__swap_hours=-1), ["policy.swap_hours = -1: must be in [0, "]),
    ("technicians < 0", doc(policy__technicians=-2), ["policy.technicians = -2"]),
    ("hands_on typo", doc(policy__hands_on="exponentail"),
     ['policy.hands_on = "exponentail"', "did you mean 'exponential'"]),
    ("k > ports", doc(policy__replace_switch_when_ports_down=9),
     ["policy.replace_switch_when_ports_down = 9: must be in [1, 8]"]),
    ("k = 0", doc(policy__replace_switch_when_ports_down=0),
     ["policy.replace_switch_when_ports_down = 0: must be in [1, "]),
    ("window 0", doc(policy__maintenance_window_days=0), ["policy.maintenance_window_days = 0: must be in (0, "]),
    ("spares unknown name", doc(policy__spares={"lazer": {"stock": 1, "lead_time_days": 3}}),
     ["policy.spares.lazer", "not a component", "allowed: e, m, switch"]),
    ("spares for a never-swapped component", doc(policy__spares={"e": {"stock": 1, "lead_time_days": 3}}),
     ["policy.spares.e", "never swapped", "policy.spares.switch"]),
    ("spares negative stock", doc(policy__spares={"m": {"stock": -1, "lead_time_days": 3}}),
     ["policy.spares.m.stock = -1: must be in [0, "]),
    ("spares both lead times", doc(policy__spares={"m": {"stock": 1, "lead_time_days": 3,
                                                         "lead_time_hours": 72.0}}),
     ["policy.spares.m.lead_time_days = 3", "not both"]),
    ("spares no lead time", doc(policy__spares={"m": {"stock": 1}}), ["policy.spares.m.lead_time_days: missing"]),
    ("spares not a table", doc(policy__spares={"m": 3}), ["policy.spares.m = 3: must be a table"]),
    ("needed > elements", doc(architectures__0__components__0__elements=2,
                              architectures__0__components__0__needed=3),
     ["architectures[0].components[0].needed = 3: must be <= elements = 2"]),
    ("ports_per_unit word", doc(architectures__0__components__0__ports_per_unit="all"),
     ['architectures[0].components[0].ports_per_unit = "all"', '"switch"']),
    ("ports_per_unit 0", doc(architectures__0__components__0__ports_per_unit=0),
     ["architectures[0].components[0].ports_per_unit = 0"]),
    ("blocks past the last port", doc(architectures__1__components__0__per_switch=3),
     ["architectures[1].components[0].per_switch = 3", "3 x 4 = 12", "fleet.ports_per_switch = 8"]),
    ("repair typo", doc(architectures__1__components__0__repair="replace_switch"),
     ['architectures[1].components[0].repair = "replace_switch"', "did you mean 'replace-switch'"]),
    ("negative price", doc(architectures__0__components__0__price_usd=-5),
     ["architectures[0].components[0].price_usd = -5: must be in [0, "]),
    ("component missing life", doc(architectures__0__components__0__life=None),
     ["architectures[0].components[0].life: missing"]),
    ("component named switch", doc(architectures__0__components__0__name="switch"),
     ['architectures[0].components[0].name = "switch"', "reserved"]),
    ("duplicate component", doc(architectures__0__components=[
        MINIMAL["architectures"][0]["components"][0]] * 2),
     ['architectures[0].components[1].name = "m"', "used twice"]),
    ("duplicate architecture", doc(architectures__1__name="a"), ['architectures[1].name = "a"', "used twice"]),
    ("no components", doc(architectures__0__components=[]), ["architectures[0].components: missing"]),
    ("architectures empty", doc(architectures=[]), ["architectures = []", "non-empty"]),
    ("bad base", doc(architectures__0__base="cpo-elss"), ['architectures[0].base = "cpo-elss"', "'cpo-els'"]),
    ("non-finite number", doc(costs__pue=math.inf), ["costs.pue = inf", "finite"]),
    ("in place on a swapped unit", doc(architectures__0__components__0__in_place_fraction=0.5),
     ["architectures[0].components[0].in_place_fraction = 0.5", "ntf_fraction"]),
    ("in place on a Weibull life", doc(architectures__1__components__0__in_place_fraction=0.5,
                                        architectures__1__components__0__life={
                                            "distribution": "weibull", "shape": 2, "scale": 1e5}),
     ["architectures[1].components[0].in_place_fraction = 0.5", "constant-rate life", "weibull"]),
    ("in place on several elements", doc(architectures__1__components__0__in_place_fraction=0.5,
                                          architectures__1__components__0__elements=2),
     ["architectures[1].components[0].in_place_fraction = 0.5", "elements = 2"]),
    ("in place share > 1", doc(architectures__1__components__0__in_place_fraction=1.5),
     ["architectures[1].components[0].in_place_fraction = 1.5: must be in [0, 1]"]),
    ("swap hours on a replaced unit", doc(architectures__1__components__0__swap_hours=0.5),
     ["architectures[1].components[0].swap_hours = 0.5", "never swapped", "remove it"]),
]


@pytest.mark.parametrize("data,expected", [(d, e) for _, d, e in INVALID], ids=[i for i, _, _ in INVALID])
def test_invalid_scenarios_name_the_path_and_value(data, expected):
    msg = errors_of(data)
    for text in expected:
        assert text in msg, f"{text!r} not in:\n{msg}"


def test_all_problems_are_reported_together():
    data = doc(replications=0, fleet__switches=-1, costs__pue=9.0,
               architectures__1__components__0__life={"distribution": "weibull", "shape": -1, "scale": 1e6})
    msg = errors_of(data)
    assert "4 problems" in msg
    for path in ("replications = 0", "fleet.switches = -1", "costs.pue = 9.0",
                 "architectures[1].components[0].life.shape = -1"):
        assert path in msg
    with pytest.raises(FleetError) as e:  # ScenarioError is a FleetError: the CLI's domain errors
        parse_scenario(data)
    assert [p.path for p in e.value.problems] == [
        "replications", "fleet.switches", "costs.pue", "architectures[1].components[0].life.shape"]


# ---------------------------------------------------------------------- life forms


def test_life_forms_catalog_model_file_and_temperature(tmp_path):
    fitted = LifeModel.weibull(2.0, 5e5, covariance=((0.01, 0.0), (0.0, 1e8)),
                               provenance={"file": "lab.csv", "temperature_c": 85.0})
    (tmp_path / "models").mkdir()
    fitted.save(tmp_path / "models" / "laser.json")
    text = """
name = "forms"
horizon_hours = 1000.0
[fleet]
switches = 1
ports_per_switch = 4
[[architectures]]
name = "x"
[[architectures.components]]
name = "from-file"
per_switch = 4
ports_per_unit = 1
life = { model = "models/laser.json" }
[[architectures.components]]
name = "from-file-cooler"
per_switch = 4
ports_per_unit = 1
life = { model = "models/laser.json", temperature_c = 55.0 }
[[architectures.components]]
name = "catalog-hot"
per_switch = 1
ports_per_unit = "switch"
life = { catalog = "dfb-fit", temperature_c = 85.0, activation_energy_ev = 0.7 }
"""
    path = tmp_path / "s.toml"
    path.write_text(text)
    s = load_scenario(path)  # the model path is relative to the scenario file, not the cwd
    c = {x.name: x for x in s.architectures[0].components}
    assert c["from-file"].life == fitted
    assert c["from-file"].ports_per_unit == 1 and c["catalog-hot"].ports_per_unit is None

    def af(t_from, t_to, ea):  # Arrhenius acceleration factor, written out independently
        return math.exp(ea / BOLTZMANN_EV * (1 / (t_from + 273.15) - 1 / (t_to + 273.15)))

    # the saved model says it was fitted at 85 °C: running at 55 °C lengthens life by 1/AF,
    # with the default activation energy 0.52 eV (catalog laser-ea)
    assert c["from-file-cooler"].life.parameters["scale"] == pytest.approx(5e5 / af(85, 55, 0.52), rel=1e-12)
    assert c["from-file-cooler"].life.parameters["shape"] == 2.0
    # dfb-fit: 125 FIT quoted at 70 °C, run at 85 °C with Ea 0.7 eV
    assert c["catalog-hot"].life.mean() == pytest.approx(1e9 / 125 / af(70, 85, 0.7), rel=1e-12)
    assert c["catalog-hot"].life.provenance["source"] == "dfb-fit"
    # and the resolved form gives back equal models
    assert parse_scenario(tomllib.loads(scenario_to_toml(s))) == s


def test_bad_model_file_is_a_scenario_error(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    data = doc(architectures__0__components__0__life={"model": "bad.json"})
    msg = errors_of(data, base_dir=tmp_path)
    assert 'architectures[0].components[0].life.model = "bad.json"' in msg and "cpo fit" in msg


def test_load_scenario_file_errors(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(tmp_path / "none.toml")
    assert "not found; write a starting one with `cpo scenario init`" in in_cli_words(e.value.raw)
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n")
    with pytest.raises(ScenarioError, match="bad.toml: not valid TOML"):
        load_scenario(bad)
    bad.write_text("name = 'x'\nhorizon_years = -1\n")
    with pytest.raises(ScenarioError, match=r"(?s)bad\.toml: invalid scenario.*horizon_years = -1"):
        load_scenario(bad)


# ---------------------------------------------------------------------- base merges


def test_base_overrides_fields_and_components_by_name():
    data = {
        "name": "merge", "horizon_years": 1, "fleet": {"switches": 2, "ports_per_switch": 128},
        "architectures": [
            {"base": "cpo-els"},
            {"base": "cpo-els", "name": "cpo-els-cheap", "switch_price_usd": 1000.0,
             "components": [
                 {"name": "els", "price_usd": 10.0, "needed": 7,
                  "life": {"catalog": "dfb-fit", "temperature_c": 55.0}},
                 {"name": "fan", "per_switch": 2, "ports_per_unit": "switch", "elements": 2,
                  "life": {"fit_per_1e9h": 1000}, "repair": "swap"},
             ]},
        ],
    }
    s = parse_scenario(data)
    base = builtin_architectures()["cpo-els"]
    assert s.architectures[0] == base  # name defaults to the base's
    cheap = s.architectures[1]
    assert cheap.name == "cpo-els-cheap" and cheap.switch_price_usd == 1000.0
    assert cheap.switch_power_w == base.switch_power_w and cheap.description == base.description
    assert [c.name for c in cheap.components] == [c.name for c in base.components] + ["fan"]
    old = {c.name: c for c in base.components}["els"]
    new = {c.name: c for c in cheap.components}["els"]
    # only the given fields changed
    assert dataclasses.replace(new, price_usd=old.price_usd, needed=old.needed, life=old.life) == old
    assert new.price_usd == 10.0 and new.needed == 7
    assert new.life.mean() > old.life.mean()  # 55 °C is cooler than the 70 °C the catalog figure is quoted at
    assert cheap.components[:2] == base.components[:2]


def test_base_override_is_validated_with_its_path():
    data = {"name": "m", "horizon_years": 1, "fleet": {"switches": 2, "ports_per_switch": 128},
            "architectures": [{"base": "lpo", "components": [{"name": "lpo-module", "per_switch": 200}]}]}
    msg = errors_of(data)
    assert "architectures[0].components[0].per_switch = 200" in msg


def test_builtin_on_a_smaller_switch_says_which_component_does_not_fit():
    data = {"name": "m", "horizon_years": 1, "fleet": {"switches": 2, "ports_per_switch": 64},
            "architectures": [{"base": "pluggable-dsp"}]}
    msg = errors_of(data)
    assert "architectures[0].components['dsp-module' from base pluggable-dsp].per_switch = 128" in msg


# ---------------------------------------------------------------------- round trips and built-ins


@pytest.mark.parametrize("name", list(builtin_scenarios()))
def test_builtin_scenarios_round_trip_through_toml_and_json(name):
    s = builtin_scenarios()[name]
    text = scenario_to_toml(s)
    assert parse_scenario(tomllib.loads(text)) == s
    assert parse_scenario(json.loads(json.dumps(scenario_to_dict(s)))) == s
    assert "# source: pluggable-device-field (inferred)" in text or name != "default"


def test_round_trip_of_odd_values():
    arch = builtin_architectures()["lpo"]
    comp = dataclasses.replace(
        arch.components[1], per_switch=96, life=LifeModel.lognormal(
            12.5, 0.7, covariance=((0.01, 0.001), (0.001, 0.002)), confidence=0.9,
            provenance={"file": "x.csv", "rows": 12, "nested": {"a": [1, 2]}}))
    s = Scenario(
        name="odd \"quoted\" name", horizon_hours=1234.5678, fleet=Fleet(3, 128, 400.0),
        architectures=(dataclasses.replace(arch, components=(arch.components[0], comp), description=""),),
        policy=Policy(maintenance_window_days=7.5, hands_on=HandsOn.EXPONENTIAL, technicians=3,
                      spares={"switch": SparePool(2, 100.0), "lpo-module": SparePool(0, 24.0 * 7)}),
        costs=Costs(pue=1.1), replications=3, seed=0, uncertainty=True,
    )
    text = scenario_to_toml(s)
    assert "lead_time_hours = 100.0" in text  # 100 h = 4.1666... days: kept in hours and "lead_time_days = 7.0" in text
    assert "horizon_hours = 1234.5678" in text
    assert "ports 96-127 have no lpo-module" in text
    assert parse_scenario(tomllib.loads(text)) == s


def test_builtin_architectures_numbers_and_sources():
    a = {n: x for n, x in builtin_architectures().items() if n in GENERIC}
    assert list(a) == ["pluggable-dsp", "lpo", "cpo-internal-laser", "cpo-els"]
    for arch in a.values():
        ports = {c.name: (c.per_switch, c.ports_per_unit) for c in arch.components}
        assert ports["switch-board"] == (1, None)
        for c in arch.components:
            assert c.source, (arch.name, c.name)  # every component cites the catalog
            if c.ports_per_unit is not None:
                assert c.per_switch * c.ports_per_unit == 128  # every port covered exactly once
    dsp = a["pluggable-dsp"].components[1]
    assert (dsp.price_usd, dsp.power_w, dsp.repair) == (1250.0, 16.5, Repair.SWAP)
    # pluggable-device-field: meta-mtbf-cmp's 550e3 h per 400G device x 2 per 800G module (the
    # default device_unit, read as the engines are)
    assert dsp.life.constant_fit() == pytest.approx(2 * 1e9 / 550e3, rel=1e-5)
    lpo = a["lpo"].components[1]
    # lpo-device-field: that rate less the DSP share 300 / 700 (module-parts-fit, dfb-fit)
    assert (lpo.power_w, lpo.life.constant_fit()) == (8.5, pytest.approx(2 * 1e9 / 550e3 * 4 / 7, rel=1e-5))
    eng = a["cpo-internal-laser"].components[1]
    assert (eng.per_switch, eng.ports_per_unit, eng.repair) == (32, 4, Repair.REPLACE_SWITCH)
    # cpo-engine-field: meta-mtbf-cmp's 2.6e6 h per 400G device x 8 per 3.2T engine
    assert eng.life.constant_fit() == pytest.approx(8 * 1e9 / 2.6e6, rel=1e-5)
    assert eng.power_w == pytest.approx(4 * 5.5)  # bailly-power per 800G port
    els = a["cpo-els"].components[2]
    assert (els.per_switch, els.ports_per_unit, els.elements, els.needed, els.repair) == (16, 8, 8, 8, Repair.SWAP)
    board = a["lpo"].components[0]
    # hpn-tor, the modern ToR rate: 700 FIT, i.e. 1 - exp(-8766 h x 700e-9) = 0.61 % a year
    assert 1 - math.exp(-HOURS_PER_YEAR / board.life.mean()) == pytest.approx(0.0061, abs=5e-5)


def test_default_scenario_and_its_sources():
    s = default_scenario()
    assert (s.fleet.switches, s.fleet.ports_per_switch, s.horizon_hours) == (128, 128, 5 * HOURS_PER_YEAR)
    assert [a.name for a in s.architectures] == list(GENERIC) == list(builtin_architectures())[:4]
    # 4 spares (switch-spares, placeholder) refilled by 4-hour advance replacement (adv-repl)
    assert s.policy.spares["switch"] == SparePool(4, 4.0)
    assert builtin_scenarios()["supply-crunch"].policy.spares["switch"] == SparePool(4, 182.625 * 24)
    src = field_sources(s)
    assert src["policy.swap_hours"] == "swap-time" and src["workload.job_gpus"] == "llama3-interrupts"
    assert src["architectures[0].components[1].price_usd"] == "module-price"
    assert src["architectures[3].components[2].life"] == "dfb-fit"
    changed = dataclasses.replace(s, policy=dataclasses.replace(s.policy, swap_hours=1.0))
    assert "policy.swap_hours" not in field_sources(changed)  # a value the user set cites nothing


def test_starter_file_documents_every_field_and_validates():
    from fleet_models.scenario.docs import FIELD_DOCS, TABLES, documented_keys, starter_toml

    text = starter_toml()
    s = parse_scenario(tomllib.loads(text))
    assert [a.name for a in s.architectures] == ["pluggable-dsp", "lpo", "cpo-internal-laser", "cpo-els-hot"]
    for cls in TABLES.values():
        for key in documented_keys(cls):
            assert f"{key} =" in text, (cls.__name__, key)
    for d in FIELD_DOCS:
        assert d.meaning in text or d.key in ("base",), d.key


# ---------------------------------------------------------------------- round trip, property-based

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_pos = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw):
    ports = draw(st.integers(1, 256))
    ppu = draw(st.integers(1, ports))
    life = draw(st.one_of(
        st.builds(LifeModel.weibull, _pos, _pos),
        st.builds(LifeModel.lognormal, st.floats(-20, 20), _pos),
        st.builds(LifeModel.from_fit_rate, st.floats(1e-3, 1e6)),
    ))
    comp = Component(
        name=draw(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and s != "switch")),
        per_switch=draw(st.integers(1, ports // ppu)), ports_per_unit=draw(st.sampled_from([ppu, None])),
        life=life, repair=draw(st.sampled_from(list(Repair))), elements=3, needed=draw(st.integers(1, 3)),
        price_usd=draw(st.floats(0, 1e6)), power_w=draw(st.floats(0, 1e3)),
    )
    policy = Policy(
        detection_hours=draw(st.floats(0, 100)), technicians=draw(st.integers(0, 50)),
        swap_hours=draw(_pos.filter(lambda x: x < 1e3)), replace_switch_when_ports_down=draw(st.integers(1, ports)),
        maintenance_window_days=draw(st.one_of(st.none(), st.floats(0.01, 365))),
        spares={"switch": SparePool(draw(st.integers(0, 100)), draw(st.floats(0, 8766)))},
    )
    return Scenario(
        name="p", horizon_hours=draw(st.floats(0.01, 50 * 8766)), fleet=Fleet(draw(st.integers(1, 1000)), ports),
        architectures=(Architecture(name="a", components=(comp,)),), policy=policy,
        costs=Costs(pue=draw(st.floats(1, 5)), discount_rate=draw(st.floats(0, 0.99))),
        replications=draw(st.integers(1, 100_000)), seed=draw(st.integers(0, 2**63 - 1)),
    )


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_any_valid_scenario_round_trips_exactly(s):
    assert parse_scenario(tomllib.loads(scenario_to_toml(s))) == s


def test_spec_defaults_equal_the_catalog_defaults():
    # a hand-built Policy()/Costs() must mean what an empty TOML table means
    from fleet_models.builtins.kit import default_costs, default_policy
    from fleet_models.model.spec import Costs, Policy

    assert Policy() == default_policy()
    assert Costs() == default_costs()


def test_scenario_show_states_both_readings_of_the_cpo_engine_rate():
    from fleet_models.builtins.provenance import field_comments

    comments = field_comments(default_scenario())
    text = comments["architectures[2].components[1].life"]
    assert "3,077 FIT per 3.2T unit" in text and "384.6 FIT" in text and "8x" in text
