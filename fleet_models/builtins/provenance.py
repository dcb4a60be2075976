"""Where each value of a scenario comes from: catalog keys per field path, and the comments
`cpo scenario show` writes beside the values (sources with confidence, FITs, port coverage)."""

from __future__ import annotations

from collections.abc import Mapping

from failure_data.catalog import Catalog, default_catalog
from failure_data.units import HOURS_PER_DAY, hours_as
from fleet_models.model.fields import cited
from fleet_models.model.spec import Component, DeviceUnit, Scenario, plain_tables
from reliability.models import FIT_HOURS, LifeModel


def field_sources(scenario: Scenario, catalog: Catalog | None = None) -> dict[str, str]:
    """Field path -> catalog key(s), for every value that still is what its source gave: carried
    with the values by whoever made them (``fleet_models.model.fields.cited``; the built-ins
    cite as they build), a life by its own provenance. A value the scenario changed cites
    nothing (it is the user's). Paths are as in error messages: ``policy.swap_hours``,
    ``architectures[0].components[1].price_usd``; a spare pool's lead time is named by the key
    the scenario file writes it with (``lead_time_days`` when it is a whole number of days)."""
    cat = catalog or default_catalog()
    out: dict[str, str] = {}
    for prefix in plain_tables():
        out.update({f"{prefix}.{f}": k for f, k in cited(getattr(scenario, prefix), cat).items()})
    for name, pool in scenario.policy.spares.items():
        for f, k in cited(pool, cat).items():
            written = f
            if f == "lead_time_hours" and _in_days(pool.lead_time_hours):
                written = "lead_time_days"
            out[f"policy.spares.{name}.{written}"] = k
    for i, arch in enumerate(scenario.architectures):
        out.update({f"architectures[{i}].{f}": k for f, k in cited(arch, cat).items()})
        for j, comp in enumerate(arch.components):
            cpath = f"architectures[{i}].components[{j}]"
            out.update({f"{cpath}.{f}": k for f, k in cited(comp, cat).items()})
            src = comp.life.provenance.get("source")
            if isinstance(src, str) and src in cat:
                out[f"{cpath}.life"] = src
    return out


def _in_days(hours: float) -> bool:
    """Whether the scenario file writes ``hours`` as days (``scenario.write``'s rule)."""
    return hours_as(hours, HOURS_PER_DAY) is not None


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
    for i, arch in enumerate(scenario.architectures):
        if arch.origin is not None and arch.switch_power_w == 0.0:
            out[f"architectures[{i}].switch_power_w"] = _SWITCH_POWER_NOTE
        for j, comp in enumerate(arch.components):
            for (name, f), note in _NOTES.items():
                if comp.name == name and getattr(comp, f) == 0.0:
                    out[f"architectures[{i}].components[{j}].{f}"] = note
    return out


def _size_notes(scenario: Scenario, comments: Mapping[str, str], catalog: Catalog | None
                ) -> dict[str, str]:
    """A switch price published for one switch size and used for another says so."""
    cat = catalog or default_catalog()
    entry = cat.get("switch-price")
    published = entry.item("switch-tbps").value
    fleet = scenario.fleet
    tbps = fleet.ports_per_switch * fleet.port_gbps / 1000
    if published is None or abs(tbps - published) < 1e-9:
        return {}
    out = {}
    for path, keys in field_sources(scenario, catalog).items():
        if path.endswith(".switch_price_usd") and "switch-price" in keys:
            out[path] = (f"{comments[path]}; published for a {published:g}T switch "
                         f"({entry.parameter.split(' ', 1)[0]}), used unscaled for this {tbps:g}T "
                         f"switch ({fleet.ports_per_switch} × {fleet.port_gbps:g}G)")
    return out


def field_comments(scenario: Scenario, catalog: Catalog | None = None) -> dict[str, str]:
    """The comments `scenario_to_toml` writes: sources with confidence, FITs, port coverage."""
    out = {path: "source: " + ", ".join(_cite(k.strip(), catalog) for k in keys.split(","))
           for path, keys in field_sources(scenario, catalog).items()}
    out.update(_notes(scenario, catalog))
    out.update(_size_notes(scenario, out, catalog))
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
    unit = prov.get("device_unit")
    mark = {u.value: " (this life)" if unit == u.value else "" for u in DeviceUnit}
    return (f"{prov.get('source')}'s device read per {device_gbps:g}G port: {per_port:,.0f} FIT per "
            f"{comp.ports_per_unit * port_gbps / 1000:g}T unit ({devices:g} devices){mark['port-400g']}; "
            f"read per device (one unit): {per_device:,.1f} FIT{mark['device']}, {devices:g}x less "
            "(cpo-device-unit; the scenario's device_unit reads every side alike)")


def _ports(n: int) -> str:
    return "1 port" if n == 1 else f"{n} ports"


def _coverage(comp: Component, ports: int) -> str:
    if comp.ports_per_unit is None:
        return f"a failure takes all {ports} ports of the switch down"
    covered = comp.per_switch * comp.ports_per_unit
    if covered == ports:
        return f"{comp.per_switch} units x {_ports(comp.ports_per_unit)} cover all {ports} ports"
    return (f"{comp.per_switch} units x {_ports(comp.ports_per_unit)} cover ports 0-{covered - 1}; "
            f"ports {covered}-{ports - 1} have no {comp.name}")


def _life_summary(life: LifeModel) -> str:
    if life.distribution == "exponential":
        return f"{FIT_HOURS / life.parameters['scale']:.4g} FIT, {life.mttf_text()}"
    return life.mttf_text()


def sources_table(scenario: Scenario) -> Mapping[str, str]:
    """Alias of `field_sources` for callers that want ``{path: key}``."""
    return field_sources(scenario)
