"""Built-in architectures and scenarios, every number read from the catalog of published figures.

Architectures (128 x 800G switches, as Nvidia Spectrum-X Photonics: key ``sx-photonics``):

- ``pluggable-dsp``: one 800G DSP module per port, hot-swapped.
- ``lpo``: one linear-drive (no DSP) module per port, hot-swapped.
- ``cpo-internal-laser``: 32 optical engines of 4 ports and one internal laser
  per port on the package; either failure means replacing the switch.
- ``cpo-els``: the same engines (replace the switch) fed by 16 front-panel
  external laser sources of 8 lasers, hot-swapped.

Each also has a ``switch-board`` component (ASIC, board, power, fans: a failure
takes every port down and replaces the switch), the same in all four.

Each number's catalog key is kept per field (`field_sources`) so `cpo scenario
show` can print ``# source: KEY (conf)`` beside it; ``Component.source`` lists
the keys of a component.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

from failure_data.catalog import Catalog, default_catalog
from fleet_models.fields import catalog_defaults, declared
from fleet_models.spec import (
    Architecture,
    Component,
    Costs,
    Fabric,
    Fleet,
    Policy,
    Repair,
    Scenario,
    SparePool,
    Workload,
)
from reliability.models import FIT_HOURS, HOURS_PER_YEAR, LifeModel

DEFAULT_SEED = 20261123
PORTS = 128  # sx-photonics: 128 x 800G


def catalog_life(key: str, catalog: Catalog | None = None) -> LifeModel:
    """The life model of a catalog entry, as a scenario's ``life = { catalog = KEY }`` gives it."""
    from fleet_models.lifeforms import parse_life
    from fleet_models.validate import Problems

    p = Problems()
    model = parse_life({"catalog": key}, f"catalog.{key}", p, None, catalog)
    if model is None:
        raise p.error("catalog")
    return model


# ---------------------------------------------------------------------- policy and cost defaults


def default_policy(catalog: Catalog | None = None) -> Policy:
    """The maintenance policy a scenario gets for every field it does not set (no spare pools):
    each field with a catalog ``source`` read from ``catalog``."""
    return Policy(**catalog_defaults(Policy, catalog))


def default_costs(catalog: Catalog | None = None) -> Costs:
    """The costs a scenario gets for every field it does not set."""
    return Costs(**catalog_defaults(Costs, catalog))


def default_workload(catalog: Catalog | None = None) -> Workload:
    """The workload a scenario gets for every field it does not set."""
    return Workload(**catalog_defaults(Workload, catalog))


def default_fabric(catalog: Catalog | None = None) -> Fabric:
    """The fabric a scenario gets for every field it does not set (single-homed NICs)."""
    return Fabric(**catalog_defaults(Fabric, catalog))


def default_switch_spares(catalog: Catalog | None = None) -> SparePool:
    """Spare switches as early deployments are serviced: a small stock on site (switch-spares,
    placeholder) refilled by the vendor's advance replacement within 4 hours (adv-repl)."""
    c = catalog or default_catalog()
    return SparePool(stock=int(c.value("switch-spares")), lead_time_hours=c.value("adv-repl", "four-hour"))


def long_lead_switch_spares(catalog: Catalog | None = None) -> SparePool:
    """The same stock when a failed switch must be bought new: the 2025 lead-time forecast
    (switch-lead-days, 182.6 days), the ``supply-crunch`` built-in."""
    c = catalog or default_catalog()
    return SparePool(stock=int(c.value("switch-spares")), lead_time_hours=c.value("switch-lead-days") * 24.0)


# ---------------------------------------------------------------------- architectures


@dataclasses.dataclass
class _Built:
    arch: Architecture
    sources: dict[str, Any]  # field -> key; "components" -> {name: {field -> key}}


def _comp(name: str, sources: dict[str, str], **fields: Any) -> tuple[Component, dict[str, str]]:
    keys = sorted({k.strip() for s in sources.values() for k in s.split(",") if k.strip()})
    return Component(name=name, source=", ".join(keys), **fields), sources


def _switch_board(c: Catalog) -> tuple[Component, dict[str, str]]:
    return _comp(
        "switch-board", {"life": "hpn-tor"},
        per_switch=1, ports_per_unit=None, life=catalog_life("hpn-tor", c),
        repair=Repair.REPLACE_SWITCH,
    )


def _arch(c: Catalog, name: str, description: str, comps: list[tuple[Component, dict[str, str]]]) -> _Built:
    arch = Architecture(
        name=name, components=tuple(c for c, _ in comps),
        switch_price_usd=c.value("switch-price"), switch_power_w=0.0, description=description,
    )
    return _Built(arch, {"switch_price_usd": "switch-price",
                         "components": {c.name: s for c, s in comps}})


def _pluggable_dsp(c: Catalog) -> _Built:
    module = _comp(
        "dsp-module",
        {"per_switch": "sx-photonics", "life": "module-field-fit", "price_usd": "module-price",
         "power_w": "module-power"},
        per_switch=PORTS, ports_per_unit=1, life=catalog_life("module-field-fit", c), repair=Repair.SWAP,
        price_usd=c.value("module-price", "dr8-800g"), power_w=c.value("module-power", "dsp-800g"),
    )
    return _arch(c, "pluggable-dsp", "128 x 800G DSP pluggable modules (1,268.5 FIT, the field "
                 "rate; 16.5 W), hot-swapped",
                 [_switch_board(c), module])


def _lpo(c: Catalog) -> _Built:
    module = _comp(
        "lpo-module",
        {"per_switch": "sx-photonics", "life": "lpo-field-fit", "price_usd": "module-price",
         "power_w": "module-power"},
        per_switch=PORTS, ports_per_unit=1, life=catalog_life("lpo-field-fit", c), repair=Repair.SWAP,
        price_usd=c.value("module-price", "lpo-800g"), power_w=c.value("module-power", "lpo-800g"),
    )
    return _arch(c, "lpo", "128 x 800G linear-drive modules without DSP (725 FIT inferred, 8.5 W), "
                 "hot-swapped", [_switch_board(c), module])


def _engine(c: Catalog, laser: str) -> tuple[Component, dict[str, str]]:
    n = int(c.value("cpo-engine-count", "engines"))
    return _comp(
        "optical-engine",
        {"per_switch": "cpo-engine-count", "ports_per_unit": "cpo-engine-count",
         "life": "cpo-engine-field", "repair": "humboldt-laser", "price_usd": "cpo-engine-price",
         "power_w": "cpo-engine-power"},
        per_switch=n, ports_per_unit=int(c.value("cpo-engine-count", "ports-per-engine")),
        life=catalog_life("cpo-engine-field", c), repair=Repair.REPLACE_SWITCH,
        price_usd=c.value("cpo-engine-price", laser), power_w=c.value("cpo-engine-power", laser),
    )


def _cpo_internal_laser(c: Catalog) -> _Built:
    lasers = _comp(
        "internal-laser",
        {"per_switch": "cpo-lasers-per-port", "life": "dfb-fit", "repair": "humboldt-laser"},
        per_switch=int(c.value("cpo-lasers-per-port") * PORTS), ports_per_unit=1,
        life=catalog_life("dfb-fit", c), repair=Repair.REPLACE_SWITCH,
    )
    return _arch(
        c, "cpo-internal-laser",
        "32 x 3.2T optical engines (4 ports each, 3,077 FIT: meta-mtbf-cmp per 400G port) and 128 internal lasers "
        "(125 FIT) on the package: any failure means replacing the switch; price and power in the engines",
        [_switch_board(c), _engine(c, "internal-laser"), lasers],
    )


def _cpo_els(c: Catalog) -> _Built:
    per_els = int(c.value("els-size"))
    els = _comp(
        "els",
        {"per_switch": "els-size, cpo-lasers-per-port", "ports_per_unit": "els-size", "elements": "els-size",
         "needed": "els-size", "life": "dfb-fit", "repair": "humboldt-laser", "price_usd": "els-price",
         "power_w": "els-temp"},
        per_switch=int(c.value("cpo-lasers-per-port") * PORTS) // per_els, ports_per_unit=per_els,
        elements=per_els, needed=per_els, life=catalog_life("dfb-fit", c), repair=Repair.SWAP,
        price_usd=c.value("els-price"), power_w=c.value("els-temp", "aoi-power-w"),
    )
    return _arch(
        c, "cpo-els",
        "32 x 3.2T optical engines (replace the switch) fed by 16 external laser sources of 8 lasers "
        "(125 FIT each), hot-swapped; a laser failure counts its ELS's 8 ports down until the swap",
        [_switch_board(c), _engine(c, "external-laser"), els],
    )


@functools.lru_cache(maxsize=8)
def _built_from(c: Catalog) -> dict[str, _Built]:
    return {b.arch.name: b for b in (_pluggable_dsp(c), _lpo(c), _cpo_internal_laser(c), _cpo_els(c))}


def _built(catalog: Catalog | None = None) -> dict[str, _Built]:
    return _built_from(catalog or default_catalog())


def builtin_architectures(catalog: Catalog | None = None) -> dict[str, Architecture]:
    """The four built-in architectures by name, every number read from ``catalog``."""
    return {name: b.arch for name, b in _built(catalog).items()}


# ---------------------------------------------------------------------- scenarios

SCENARIO_DESCRIPTIONS = {
    "default": "early deployment: 128 switches of 128 x 800G, 5 years, all four architectures, "
               "4 spare switches refilled by 4-hour advance replacement",
    "supply-crunch": "the default when a replacement switch must be bought new: the same 4 spares "
                     "on a 6-month lead time",
    "cpo-pilot": "pilot: 16 switches, 2 years, pluggable DSP vs CPO with external lasers; a failed "
                 "engine waits for the 30-day maintenance window unless 8 ports (two engines) are down",
}


def default_scenario(catalog: Catalog | None = None) -> Scenario:
    """The scenario `cpo simulate` runs without a file."""
    archs = builtin_architectures(catalog)
    return Scenario(
        name="default", horizon_hours=5 * HOURS_PER_YEAR,
        fleet=Fleet(switches=128, ports_per_switch=PORTS, port_gbps=800.0),
        architectures=tuple(archs.values()),
        policy=dataclasses.replace(default_policy(catalog), spares={"switch": default_switch_spares(catalog)}),
        costs=default_costs(catalog), workload=default_workload(catalog),
        fabric=default_fabric(catalog), replications=200,
        seed=DEFAULT_SEED,
    )


def _supply_crunch(catalog: Catalog | None) -> Scenario:
    s = default_scenario(catalog)
    return dataclasses.replace(s, name="supply-crunch", policy=dataclasses.replace(
        s.policy, spares={"switch": long_lead_switch_spares(catalog)}))


def _cpo_pilot(catalog: Catalog | None) -> Scenario:
    archs = builtin_architectures(catalog)
    return Scenario(
        name="cpo-pilot", horizon_hours=2 * HOURS_PER_YEAR,
        fleet=Fleet(switches=16, ports_per_switch=PORTS, port_gbps=800.0),
        architectures=(archs["pluggable-dsp"], archs["cpo-els"]),
        policy=dataclasses.replace(
            default_policy(catalog), replace_switch_when_ports_down=8, maintenance_window_days=30.0,
            spares={"switch": dataclasses.replace(default_switch_spares(catalog), stock=1)},
        ),
        costs=default_costs(catalog), workload=default_workload(catalog),
        fabric=default_fabric(catalog), replications=500, seed=DEFAULT_SEED,
    )


def builtin_scenarios(catalog: Catalog | None = None) -> dict[str, Scenario]:
    """The built-in scenarios by name (``default`` first)."""
    return {"default": default_scenario(catalog), "supply-crunch": _supply_crunch(catalog),
            "cpo-pilot": _cpo_pilot(catalog)}


# ---------------------------------------------------------------------- sources for comments


def field_sources(scenario: Scenario, catalog: Catalog | None = None) -> dict[str, str]:
    """Field path -> catalog key(s), for every value equal to the catalog default it came from.

    A value the scenario changed cites nothing (it is the user's). Paths are
    as in error messages: ``policy.swap_hours``, ``architectures[0].components[1].price_usd``.
    """
    out: dict[str, str] = {}
    for obj, prefix in ((scenario.policy, "policy"), (scenario.costs, "costs"),
                        (scenario.workload, "workload"), (scenario.fabric, "fabric")):
        for f, d in declared(type(obj)).items():
            if d.setting.source is not None and getattr(obj, f) == d.setting.source.value(catalog):
                out[f"{prefix}.{f}"] = d.setting.source.key
    pool, long_lead = default_switch_spares(catalog), long_lead_switch_spares(catalog)
    sw = scenario.policy.spares.get("switch")
    if sw is not None:
        if sw.stock == pool.stock:
            out["policy.spares.switch.stock"] = "switch-spares"
        if sw.lead_time_hours == pool.lead_time_hours:
            out["policy.spares.switch.lead_time_hours"] = "adv-repl"  # 4 h: written in hours
        elif sw.lead_time_hours == long_lead.lead_time_hours:
            out["policy.spares.switch.lead_time_days"] = "switch-lead-days"
    if scenario.fleet.ports_per_switch == PORTS:
        out["fleet.ports_per_switch"] = "sx-photonics"
    if scenario.fleet.port_gbps == 800.0:
        out["fleet.port_gbps"] = "sx-photonics"
    built = _built(catalog)
    for i, arch in enumerate(scenario.architectures):
        ref = built.get(arch.name)
        if ref is not None:
            for f, key in ref.sources.items():
                if f != "components" and getattr(arch, f) == getattr(ref.arch, f):
                    out[f"architectures[{i}].{f}"] = key
        for j, comp in enumerate(arch.components):
            cpath = f"architectures[{i}].components[{j}]"
            for f, key in _component_sources(comp, ref, built).items():
                out[f"{cpath}.{f}"] = key
            src = comp.life.provenance.get("source")
            if isinstance(src, str) and src in (catalog or default_catalog()):
                out[f"{cpath}.life"] = src
    return out


def _component_sources(comp: Component, ref: _Built | None, built: dict[str, _Built]) -> dict[str, str]:
    """Sources of ``comp``'s fields that equal a built-in component of the same name."""
    candidates = ([ref] if ref is not None else []) + list(built.values())
    for b in candidates:
        same = next((c for c in b.arch.components if c.name == comp.name), None)
        if same is not None:
            src = b.sources["components"][comp.name]
            return {f: k for f, k in src.items() if f != "life" and getattr(comp, f) == getattr(same, f)}
    return {}


# Built-in values that cite no figure, and why (written as comments while they are unchanged).
_NOTES: dict[tuple[str, str], str] = {
    ("switch-board", "price_usd"): "the switch itself is priced by switch_price_usd",
    ("switch-board", "power_w"): "the switch itself is powered by switch_power_w",
    ("internal-laser", "price_usd"): "included in the optical engine's price (cpo-asp prices engine + laser)",
    ("internal-laser", "power_w"): "included in the optical engine's power (bailly-power is per port)",
}
_SWITCH_POWER_NOTE = ("optics power only: ASIC, fans and power supplies are taken as alike in "
                      "every architecture (whole-switch figures to compare: catalog switch-power)")


def _cite(key: str, catalog: Catalog | None = None) -> str:
    e = (catalog or default_catalog()).get(key)
    return e.cite() + (f" from {', '.join(e.derived_from)}" if e.derived_from else "")


def _notes(scenario: Scenario, catalog: Catalog | None) -> dict[str, str]:
    out: dict[str, str] = {}
    built = _built(catalog)
    for i, arch in enumerate(scenario.architectures):
        if arch.name in built and arch.switch_power_w == built[arch.name].arch.switch_power_w == 0.0:
            out[f"architectures[{i}].switch_power_w"] = _SWITCH_POWER_NOTE
        for j, comp in enumerate(arch.components):
            for (name, f), note in _NOTES.items():
                if comp.name == name and getattr(comp, f) == 0.0:
                    out[f"architectures[{i}].components[{j}].{f}"] = note
    return out


def field_comments(scenario: Scenario, catalog: Catalog | None = None) -> dict[str, str]:
    """The comments `scenario_to_toml` writes: sources with confidence, FITs, port coverage."""
    out = {path: "source: " + ", ".join(_cite(k.strip(), catalog) for k in keys.split(","))
           for path, keys in field_sources(scenario, catalog).items()}
    out.update(_notes(scenario, catalog))
    if scenario.policy.maintenance_window_days is None:
        out["policy.maintenance_window_days"] = ("not set: a triggered switch replacement starts at "
                                                 "once (set a number of days to batch them)")
    out["policy.technicians"] = out.get("policy.technicians", "0 = unlimited")
    out["policy.replace_switch_when_ports_down"] = "a policy choice: 1 = replace at once"
    out["policy.hands_on"] = "a policy choice: fixed or exponential hands-on times"
    if scenario.uncertainty is False:
        out["uncertainty"] = "true: draw life parameters per replication from their covariance"
    n = scenario.fleet.ports_per_switch
    for i, arch in enumerate(scenario.architectures):
        for j, comp in enumerate(arch.components):
            cpath = f"architectures[{i}].components[{j}]"
            out[f"{cpath}.ports_per_unit"] = _coverage(comp, n)
            life = _life_summary(comp.life)
            if life:
                out[f"{cpath}.life"] = f"{out[cpath + '.life']}: {life}" if cpath + ".life" in out else life
    readings: dict[str, str] = {}
    for i, arch in enumerate(scenario.architectures):
        for j, comp in enumerate(arch.components):
            if comp.life.provenance.get("source") == "cpo-engine-field":
                c = catalog or default_catalog()
                per_port, per_engine = (c.value("cpo-engine-field", "per-port-400g"),
                                        c.value("cpo-engine-field", "per-engine"))
                readings[f"architectures[{i}].components[{j}].life"] = (
                    f"meta-mtbf-cmp's device read per 400G port: {per_port:,.0f} FIT per engine (this "
                    f"default, the pessimistic reading); read per engine: {per_engine:,.1f} FIT, "
                    f"{per_port / per_engine:.0f}x less (cpo-device-unit)")
    for path, text in readings.items():
        out[path] = f"{out[path]}; {text}" if path in out else text
    return out


def _coverage(comp: Component, ports: int) -> str:
    if comp.ports_per_unit is None:
        return f"a failure takes all {ports} ports of the switch down"
    covered = comp.per_switch * comp.ports_per_unit
    if covered == ports:
        return f"{comp.per_switch} units x {comp.ports_per_unit} ports cover all {ports} ports"
    return (f"{comp.per_switch} units x {comp.ports_per_unit} ports cover ports 0-{covered - 1}; "
            f"ports {covered}-{ports - 1} have no {comp.name}")


def _life_summary(life: LifeModel) -> str:
    if life.distribution == "exponential":
        return f"{FIT_HOURS / life.parameters['scale']:.4g} FIT, MTTF {life.mean():.4g} h"
    return f"MTTF {life.mean():.4g} h"  # mean() is inf, not an error, when it does not exist


def sources_table(scenario: Scenario) -> Mapping[str, str]:
    """Alias of `field_sources` for callers that want ``{path: key}``."""
    return field_sources(scenario)
