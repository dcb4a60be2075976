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
import math
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
PORT_GBPS = 800.0  # sx-photonics, bailly, qx-photonics: 800G ports
ASIC_SIDE_C = 80.0  # internal lasers beside the ASIC: dfb-ttf's own 80 °C, so no shift
FRONT_PANEL_C = 45.0  # an ELS at the front panel: the top of Broadcom's 0-45 °C case range (els-temp)


def catalog_life(key: str, catalog: Catalog | None = None, unit_gbps: float | None = None,
                 **form: Any) -> LifeModel:
    """The life model of a catalog entry, as a scenario's ``life = { catalog = KEY, **form }`` gives
    it for a unit of ``unit_gbps`` (a per-device rate read per 400G port needs it)."""
    from fleet_models.lifeforms import parse_life
    from fleet_models.validate import Problems

    p = Problems()
    model = parse_life({"catalog": key, **form}, f"catalog.{key}", p, None, catalog, unit_gbps)
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
         "power_w": "module-power", "ntf_fraction": "ntf-returns"},
        per_switch=PORTS, ports_per_unit=1, life=catalog_life("module-field-fit", c), repair=Repair.SWAP,
        price_usd=c.value("module-price", "dr8-800g"), power_w=c.value("module-power", "dsp-800g"),
        ntf_fraction=c.value("ntf-returns") / 100.0,  # per cent in the catalog
    )
    return _arch(c, "pluggable-dsp", "128 x 800G DSP pluggable modules (1,268.5 FIT, the field "
                 "rate; 16.5 W), hot-swapped",
                 [_switch_board(c), module])


def _lpo(c: Catalog) -> _Built:
    module = _comp(
        "lpo-module",
        {"per_switch": "sx-photonics", "life": "lpo-field-fit", "price_usd": "module-price",
         "power_w": "module-power", "ntf_fraction": "ntf-returns"},
        per_switch=PORTS, ports_per_unit=1, life=catalog_life("lpo-field-fit", c), repair=Repair.SWAP,
        price_usd=c.value("module-price", "lpo-800g"), power_w=c.value("module-power", "lpo-800g"),
        ntf_fraction=c.value("ntf-returns") / 100.0,  # per cent in the catalog
    )
    return _arch(c, "lpo", "128 x 800G linear-drive modules without DSP (725 FIT inferred, 8.5 W), "
                 "hot-swapped", [_switch_board(c), module])


def _engine(c: Catalog, laser: str) -> tuple[Component, dict[str, str]]:
    n = int(c.value("cpo-engine-count", "engines"))
    ports = int(c.value("cpo-engine-count", "ports-per-engine"))
    return _comp(
        "optical-engine",
        {"per_switch": "cpo-engine-count", "ports_per_unit": "cpo-engine-count",
         "life": "cpo-engine-field", "repair": "humboldt-laser", "price_usd": "cpo-engine-price",
         "power_w": "cpo-engine-power"},
        per_switch=n, ports_per_unit=ports,
        life=catalog_life("cpo-engine-field", c, unit_gbps=ports * PORT_GBPS),
        repair=Repair.REPLACE_SWITCH,
        price_usd=c.value("cpo-engine-price", laser), power_w=c.value("cpo-engine-power", laser),
    )


def laser_wearout_life(c: Catalog, temperature_c: float) -> LifeModel:
    """Laser wear-out: lognormal, median dfb-ttf's 1e6 h at 80 °C shifted to ``temperature_c``
    (Arrhenius, laser-ea), sigma the assumption laser-sigma (0.3-1.5: sweep it)."""
    model = LifeModel.lognormal(math.log(c.value("dfb-ttf")), c.value("laser-sigma"),
                                provenance={"source": "laser-sigma", "median_from": "dfb-ttf"})
    if temperature_c == ASIC_SIDE_C:
        return model
    return model.at_temperature(ASIC_SIDE_C, temperature_c, c.value("laser-ea"))


_WEAROUT_SOURCES = "laser-wearout, dfb-ttf, laser-sigma"


def _wearout(laser: tuple[Component, dict[str, str]], c: Catalog, temperature_c: float,
             temperature_key: str = "") -> tuple[Component, dict[str, str]]:
    """The wear-out of ``laser``'s lasers as a second component of the same units and ports: the
    lasers fail at the first of a random failure (``laser``'s life) and wear-out (competing risks)."""
    comp, src = laser
    life_src = _WEAROUT_SOURCES + (f", laser-ea, {temperature_key}" if temperature_key else "")
    keep = {f: k for f, k in src.items() if f not in ("life", "price_usd", "power_w")}
    return _comp(f"{comp.name}-wearout", {**keep, "life": life_src},
                 **{f.name: getattr(comp, f.name) for f in dataclasses.fields(comp)
                    if f.name not in ("name", "source", "life", "price_usd", "power_w")},
                 life=laser_wearout_life(c, temperature_c))


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
        "(125 FIT random failures, plus lognormal wear-out: median 1e6 h at 80 °C beside the ASIC, sigma 0.9 "
        "assumed) on the package: any failure means replacing the switch; price and power in the engines",
        [_switch_board(c), _engine(c, "internal-laser"), lasers, _wearout(lasers, c, ASIC_SIDE_C)],
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
        "(125 FIT each, plus lognormal wear-out: median 6.6e6 h at a 45 °C front panel, sigma 0.9 assumed), "
        "hot-swapped; a laser failure counts its ELS's 8 ports down until the swap",
        [_switch_board(c), _engine(c, "external-laser"), els, _wearout(els, c, FRONT_PANEL_C, "els-temp")],
    )


GENERIC = ("pluggable-dsp", "lpo", "cpo-internal-laser", "cpo-els")
"""The four architectures of the ``default`` scenario (128 x 800G switches); the shipping switches
(``fleet_models.switches``) follow them in :func:`builtin_architectures`."""


@functools.lru_cache(maxsize=8)
def _built_from(c: Catalog) -> dict[str, _Built]:
    from fleet_models.switches import switch_builtins

    out = {b.arch.name: b for b in (_pluggable_dsp(c), _lpo(c), _cpo_internal_laser(c), _cpo_els(c))}
    for cpo, pluggable in switch_builtins(c):
        out.setdefault(pluggable.arch.name, pluggable)
        out[cpo.arch.name] = cpo
    return out


def _built(catalog: Catalog | None = None) -> dict[str, _Built]:
    return _built_from(catalog or default_catalog())


def builtin_architectures(catalog: Catalog | None = None) -> dict[str, Architecture]:
    """The built-in architectures by name (the four generic ones, then the shipping switches and
    their pluggable pairs), every number read from ``catalog``."""
    return {name: b.arch for name, b in _built(catalog).items()}


# ---------------------------------------------------------------------- scenarios

SCENARIO_DESCRIPTIONS = {
    "default": "early deployment: 128 switches of 128 x 800G, 5 years, all four architectures, "
               "4 spare switches refilled by 4-hour advance replacement",
    "supply-crunch": "the default when a replacement switch must be bought new: the same 4 spares "
                     "on a 6-month lead time",
    "cpo-pilot": "pilot: 16 switches, 2 years, pluggable DSP vs CPO with external lasers; a failed "
                 "engine waits for the 30-day maintenance window unless 8 ports (two engines) are down",
    "bailly": "Broadcom Bailly (64 x 800G, 8 x 6.4T engines, pluggable ELS) against 64 DSP "
              "pluggables: 128 switches, 5 years, the default's policy",
    "quantum-x": "Nvidia Quantum-X Photonics Q3450 (144 x 800G, 72 x 1.6T engines, 18 ELS) against "
                 "144 DSP pluggables: 128 switches, 5 years, the default's policy",
    "spectrum-x": "Nvidia Spectrum-X Photonics (128 x 800G, 32 + 4 spare soldered 3.2T engines, "
                  "fail in place) against 128 DSP pluggables: 128 switches, 5 years, the default's policy",
}


def default_scenario(catalog: Catalog | None = None) -> Scenario:
    """The scenario `cpo simulate` runs without a file."""
    archs = builtin_architectures(catalog)
    return Scenario(
        name="default", horizon_hours=5 * HOURS_PER_YEAR,
        fleet=Fleet(switches=128, ports_per_switch=PORTS, port_gbps=800.0),
        architectures=tuple(archs[n] for n in GENERIC),
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


def _switch_scenarios(catalog: Catalog | None) -> dict[str, Scenario]:
    """One per shipping switch: the default scenario's fleet size, horizon and policy, with the
    switch's ports, the switch and its pluggable pair of the same ports and Gb/s."""
    from fleet_models.switches import switch_builtins

    base = default_scenario(catalog)
    return {cpo.arch.name: dataclasses.replace(
        base, name=cpo.arch.name, fleet=dataclasses.replace(
            base.fleet, ports_per_switch=_covered(cpo.arch), port_gbps=PORT_GBPS),
        architectures=(pluggable.arch, cpo.arch))
        for cpo, pluggable in switch_builtins(catalog or default_catalog())}


def _covered(arch: Architecture) -> int:
    """The ports of a switch: those its per-port units cover."""
    return max(k.per_switch * k.ports_per_unit for k in arch.components if k.ports_per_unit is not None)


def builtin_scenarios(catalog: Catalog | None = None) -> dict[str, Scenario]:
    """The built-in scenarios by name (``default`` first, then the shipping switches)."""
    return {"default": default_scenario(catalog), "supply-crunch": _supply_crunch(catalog),
            "cpo-pilot": _cpo_pilot(catalog), **_switch_scenarios(catalog)}


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
    from fleet_models.switches import switch_ports_keys

    ports_key = switch_ports_keys(catalog or default_catalog()).get(scenario.fleet.ports_per_switch)
    if ports_key is not None:
        out["fleet.ports_per_switch"] = ports_key
    if scenario.fleet.port_gbps == PORT_GBPS:
        out["fleet.port_gbps"] = ports_key or "sx-photonics"
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
    ("internal-laser-wearout", "price_usd"): "the same lasers as internal-laser (its wear-out), priced there",
    ("internal-laser-wearout", "power_w"): "the same lasers as internal-laser (its wear-out), powered there",
    ("els-wearout", "price_usd"): "the same modules as els (their lasers' wear-out), priced there; a swap "
                                  "for wear-out costs labour and the service event, no part",
    ("els-wearout", "power_w"): "the same modules as els (their lasers' wear-out), powered there",
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
    pol = scenario.policy
    if pol.derived("switch_replacement_hours"):
        out["policy.switch_replacement_hours"] = (
            f"not set: switch_swap_hours + refibre_hours = {pol.switch_swap_hours:g} + "
            f"{pol.refibre_hours:g} = {pol.switch_replacement_hours:g} h ({_cite('switch-replacement-hours', catalog)}); "
            "set it to override the sum")
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
            text = device_readings(comp, scenario.fleet.port_gbps)
            if text:
                readings[f"architectures[{i}].components[{j}].life"] = text
    for path, text in readings.items():
        out[path] = f"{out[path]}; {text}" if path in out else text
    return out


def device_readings(comp: Component, port_gbps: float) -> str:
    """Both readings of a per-device catalog rate (cpo-device-unit) as FIT per unit, or ""."""
    prov = comp.life.provenance
    if "fit_per_device" not in prov or comp.ports_per_unit is None:
        return ""
    per_device, device_gbps = float(prov["fit_per_device"]), float(prov["device_gbps"])
    devices = comp.ports_per_unit * port_gbps / device_gbps
    per_port = per_device * devices
    used = {"port-400g": "this life, the pessimistic reading", "engine": "this life"}
    unit = prov.get("device_unit")
    return (f"{prov.get('source')}'s device read per {device_gbps:g}G port: {per_port:,.0f} FIT per "
            f"{comp.ports_per_unit * port_gbps / 1000:g}T unit ({devices:g} devices"
            f"{'; ' + used['port-400g'] if unit == 'port-400g' else ''}); read per engine: "
            f"{per_device:,.1f} FIT{' (' + used['engine'] + ')' if unit == 'engine' else ''}, "
            f"{devices:g}x less (cpo-device-unit; choose with life.device_unit)")


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
        return f"{FIT_HOURS / life.parameters['scale']:.4g} FIT, {life.mttf_text()}"
    return life.mttf_text()


def sources_table(scenario: Scenario) -> Mapping[str, str]:
    """Alias of `field_sources` for callers that want ``{path: key}``."""
    return field_sources(scenario)
