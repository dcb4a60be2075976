"""Where each value of a scenario comes from: catalog keys per field path, and the comments
`cpo scenario show` writes beside the values (sources with confidence, FITs, port coverage)."""

from __future__ import annotations

from collections.abc import Mapping

from failure_data.catalog import Catalog, default_catalog
from fleet_models.builtins.kit import (
    PORT_GBPS,
    _Built,
    default_switch_spares,
    long_lead_switch_spares,
)
from fleet_models.builtins.scenarios import _built
from fleet_models.builtins.switches import switch_ports_keys
from fleet_models.model.fields import declared
from fleet_models.model.spec import Component, Scenario
from reliability.models import FIT_HOURS, LifeModel


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
    if pol.switch_replacement_hours is None:
        out["policy.switch_replacement_hours"] = (
            f"not set: switch_swap_hours + refibre_hours = {pol.switch_swap_hours:g} + "
            f"{pol.refibre_hours:g} = {pol.replacement_hours:g} h ({_cite('switch-replacement-hours', catalog)}); "
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
