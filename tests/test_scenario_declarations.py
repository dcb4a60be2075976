"""One declaration per scenario field (fleet_models.model.spec with fleet_models.model.fields.setting) and what
is derived from it: the validator's ranges, the README's table, the JSON Schema, catalog defaults;
one validate() for files and hand-built specs; the catalog passed in as an object."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.catalog import default_catalog
from fleet_models.builtins.kit import default_costs, default_policy
from fleet_models.builtins.scenarios import builtin_scenarios, default_scenario
from fleet_models.errors import ScenarioError
from fleet_models.model.fields import declared
from fleet_models.model.spec import Component, Costs, Fleet, Policy, Scenario
from fleet_models.scenario.docs import TABLES, json_schema, markdown_table, starter_toml
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.validate import validate
from fleet_models.scenario.write import scenario_to_dict, scenario_to_toml
from reliability.models import LifeModel

ROOT = Path(__file__).resolve().parents[1]


def test_every_spec_field_is_declared_with_a_doc():
    for cls in TABLES.values():
        for name, d in declared(cls).items():
            assert d.setting.doc.strip(), (cls.__name__, name)


def test_readme_field_table_is_the_generated_one():
    """The README's table is markdown_table() verbatim: edit the declaration, then paste the output."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme


def test_readme_table_cites_each_catalog_default_with_its_key():
    table = markdown_table()
    for cls in (Policy, Costs):
        for name, d in declared(cls).items():
            if d.setting.source is not None:
                assert f"(`{d.setting.source.key}`)" in table, name


@pytest.mark.parametrize("name", list(builtin_scenarios()))
def test_schema_accepts_the_builtins_and_the_starter_file(name):
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(tomllib.loads(scenario_to_toml(builtin_scenarios()[name])), schema)
    jsonschema.validate(tomllib.loads(starter_toml()), schema)


@pytest.mark.parametrize("edit, why", [
    (lambda d: d.update(replicatons=3), "unknown key"),
    (lambda d: d["fleet"].update(switches=0), "below the declared range [1, ...]"),
    (lambda d: d["costs"].update(discount_rate=1.0), "range [0, 1) is open at 1"),
    (lambda d: d["policy"].update(hands_on="sometimes"), "not one of the enum"),
    (lambda d: d["architectures"][0]["components"][0].update(ports_per_unit="half"), "int or switch"),
    (lambda d: d.update(horizon_hours=100.0), "horizon_years and horizon_hours both given"),
])
def test_schema_refuses_what_the_validator_refuses(edit, why):
    doc = scenario_to_dict(default_scenario())
    edit(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json_schema())
    with pytest.raises(ScenarioError):
        parse_scenario(doc)


def test_schema_command_prints_the_schema():
    r = CliRunner().invoke(app, ["scenario", "schema"])
    assert r.exit_code == 0
    assert json.loads(r.stdout) == json.loads(json.dumps(json_schema()))


def test_schema_ranges_and_defaults_are_the_declarations():
    props = json_schema()["properties"]
    assert props["replications"]["minimum"] == 1 and props["replications"]["maximum"] == 100_000
    assert props["costs"]["properties"]["discount_rate"]["exclusiveMaximum"] == 1
    # catalog default: pue 1.54 (catalog key pue, published-figures.md "Revision 2026-12")
    assert props["costs"]["properties"]["pue"]["default"] == default_catalog().value("pue")


# ------------------------------------------------------------ one validate() for hand-built specs
LIFE = LifeModel.from_fit_rate(1000.0)


def _hand_built(**changes):
    comp = Component("module", per_switch=4, ports_per_unit=1, life=LIFE)
    from fleet_models.model.spec import Architecture

    s = Scenario("hand", 8766.0, Fleet(2, 4), (Architecture("a", (comp,)),))
    return dataclasses.replace(s, **changes)


def test_validate_accepts_a_good_hand_built_spec_and_equals_its_round_trip():
    s = _hand_built()
    assert validate(s) is s
    assert parse_scenario(tomllib.loads(scenario_to_toml(s))) == s


@pytest.mark.parametrize("changes, field", [
    ({"replications": 0}, "replications"),
    ({"horizon_hours": -1.0}, "horizon_hours"),
    ({"fleet": Fleet(0, 4)}, "fleet.switches"),
    ({"costs": Costs(pue=0.5)}, "costs.pue"),
    ({"policy": Policy(replace_switch_when_ports_down=9)}, "policy.replace_switch_when_ports_down"),
    ({"policy": Policy(hands_on="sometimes")}, "policy.hands_on"),
    ({"architectures": ()}, "architectures"),
])
def test_validate_names_the_field_of_a_bad_hand_built_spec(changes, field):
    with pytest.raises(ScenarioError) as e:
        validate(_hand_built(**changes))
    assert field in {p.path for p in e.value.problems}, e.value.problems


def test_validate_checks_components_like_the_parser():
    from fleet_models.model.spec import Architecture

    bad = Component("switch", per_switch=8, ports_per_unit=1, life=LIFE, elements=2, needed=3)
    with pytest.raises(ScenarioError) as e:
        validate(_hand_built(architectures=(Architecture("a", (bad,)),)))
    paths = {p.path for p in e.value.problems}
    # the name is reserved and needed > elements; per_switch 8 x 1 > 4 ports is a cross-check,
    # run once the fields are right
    assert {"architectures[0].components[0].name", "architectures[0].components[0].needed"} <= paths


def test_runner_refuses_a_bad_hand_built_spec_before_any_replication():
    from fleet_models.runs.runner import run

    with pytest.raises(ScenarioError, match="fleet.switches"):
        run(_hand_built(fleet=Fleet(0, 4)), replications=1, workers=1)


# ------------------------------------------------------------ the catalog as an object
def test_a_varied_catalog_flows_into_defaults_builtins_and_parsing():
    base = default_catalog()
    varied = base.with_values({"pue": 1.2, "pluggable-device-field": 500.0, "switch-spares": 7})
    assert default_costs(varied).pue == 1.2 and default_costs().pue == base.value("pue")
    assert default_policy(varied) == default_policy()  # nothing of the policy varied
    s = default_scenario(varied)
    dsp = next(c for c in s.architectures[0].components if c.name == "dsp-module")
    # pluggable-device-field's life is its FIT value per 400G device, 2 of them per 800G module:
    # the varied value reaches the life model (FIT = 1e9 h / MTTF for a constant rate)
    assert dsp.life.constant_fit() == pytest.approx(2 * 500.0, rel=1e-12)
    assert default_scenario().architectures[0].components[1].life.constant_fit() == pytest.approx(
        2 * 1818.18)
    assert s.policy.spares["switch"].stock == 7
    doc = {"name": "x", "horizon_years": 1, "fleet": {"switches": 1, "ports_per_switch": 128},
           "architectures": [{"base": "pluggable-dsp"}]}
    assert parse_scenario(doc, catalog=varied).costs.pue == 1.2
    assert parse_scenario(doc).costs.pue == base.value("pue")
    with pytest.raises(Exception, match="not in the catalog"):
        base.with_values({"no-such-key": 1.0})


# ------------------------------------------------------------ the metric list, declared once
def test_readme_metric_table_is_the_generated_one():
    from fleet_models.model.metrics import markdown_table as metric_table

    assert metric_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_engine_fills_exactly_the_declared_metrics():
    from fleet_models.engines.contract import metric_names
    from fleet_models.engines.des.sim import simulate
    from fleet_models.model.spec import Architecture

    arch = Architecture("a", (Component("module", 4, 1, LIFE), Component("board", 1, None, LIFE)))
    sc = Scenario("m", 1000.0, Fleet(1, 4), (arch,), replications=1)
    out = simulate(sc, arch, 0)
    assert tuple(out.metrics) == metric_names(arch)
    assert metric_names(arch)[:3] == ("port_availability", "failures_module", "failures_board")
