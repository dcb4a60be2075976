"""Where a value came from is carried with it from where it is made (the built-ins cite as they
build), not inferred by rebuilding the built-ins and comparing: a renamed architecture keeps
every source it did not change, a changed value cites nothing, and a written scenario loads back
with its sources."""

from __future__ import annotations

import dataclasses
import tomllib

from fleet_models.builtins.provenance import field_sources
from fleet_models.builtins.scenarios import builtin_scenarios
from fleet_models.model.fields import cited
from fleet_models.scenario.inputs import catalog_uncertain
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.write import scenario_to_toml

FILE = """
name = "renamed"
horizon_years = 5
[fleet]
switches = 128
ports_per_switch = 128
[[architectures]]
base = "pluggable-dsp"
[[architectures]]
base = "cpo-els"
name = "{name}"
"""


def _by_name(sources: dict[str, str], sc) -> dict[str, str]:
    """Paths by architecture position -> by what they are (so a renamed one compares)."""
    return {p: k for p, k in sources.items() if p.startswith("architectures[1]")}


def test_a_renamed_built_in_keeps_every_source_it_did_not_change():
    same = parse_scenario(tomllib.loads(FILE.format(name="cpo-els")))
    renamed = parse_scenario(tomllib.loads(FILE.format(name="my-cpo")))
    assert renamed.architectures[1].name == "my-cpo"
    a, b = field_sources(same), field_sources(renamed)
    assert _by_name(a, same) == _by_name(b, renamed)
    assert b["architectures[1].switch_price_usd"] == "switch-price"
    assert b["architectures[1].components[1].price_usd"].startswith("cpo-engine-price")


def test_the_tornado_moves_a_renamed_architectures_switch_price_with_the_others():
    renamed = parse_scenario(tomllib.loads(FILE.format(name="my-cpo")))
    price = catalog_uncertain(renamed)
    assert {"architectures.pluggable-dsp.switch_price_usd", "architectures.my-cpo.switch_price_usd"} \
        <= set(price)
    assert {price[p].source for p in price if p.endswith("switch_price_usd")} == {"switch-price"}


def test_a_changed_value_cites_nothing_and_the_others_keep_theirs():
    sc = builtin_scenarios()["default"]
    arch = sc.architectures[3]
    engine = arch.components[1]
    cheaper = dataclasses.replace(engine, price_usd=engine.price_usd / 2)
    assert "price_usd" in cited(engine) and "price_usd" not in cited(cheaper)
    assert cited(cheaper)["per_switch"] == cited(engine)["per_switch"]  # untouched fields stay cited


def test_a_written_scenario_loads_back_with_its_sources():
    for name in ("default", "quantum-x", "spectrum-x", "cpo-pilot"):
        sc = builtin_scenarios()[name]
        back = parse_scenario(tomllib.loads(scenario_to_toml(sc)))
        assert back == sc
        assert field_sources(back) == field_sources(sc), name


def test_a_hand_built_value_equal_to_nothing_built_in_cites_nothing():
    from fleet_models.model.spec import Architecture, Component
    from reliability.models import LifeModel

    c = Component("m", 1, 1, LifeModel.from_fit_rate(100.0))
    a = Architecture("a", (c,), switch_price_usd=200_000.0)  # the catalog's price, typed in
    assert cited(a) == {} and cited(c) == {}
