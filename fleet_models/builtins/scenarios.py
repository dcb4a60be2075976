"""The built-in architectures by name and the built-in scenarios (``default``, ``supply-crunch``,
``cpo-pilot`` and one per shipping switch), every number read from the catalog."""

from __future__ import annotations

import dataclasses
import functools

from failure_data.catalog import Catalog, default_catalog
from fleet_models.builtins.generic import (
    GENERIC,
    _cpo_els,
    _cpo_internal_laser,
    _lpo,
    _pluggable_dsp,
)
from fleet_models.builtins.kit import (
    DEFAULT_SEED,
    PORT_GBPS,
    PORTS,
    default_costs,
    default_fabric,
    default_policy,
    default_support,
    default_switch_spares,
    default_workload,
    long_lead_switch_spares,
)
from fleet_models.builtins.switches import switch_builtins, switch_ports_keys
from fleet_models.model.fields import Cite
from fleet_models.model.spec import Architecture, Fleet, Scenario, SparePool
from reliability.models import HOURS_PER_YEAR


@functools.lru_cache(maxsize=8)
def _built_from(c: Catalog) -> dict[str, Architecture]:

    out = {a.name: a for a in (_pluggable_dsp(c), _lpo(c), _cpo_internal_laser(c), _cpo_els(c))}
    for cpo, pluggable in switch_builtins(c):
        out.setdefault(pluggable.name, pluggable)
        out[cpo.name] = cpo
    return out


def _built(catalog: Catalog | None = None) -> dict[str, Architecture]:
    return _built_from(catalog or default_catalog())


def builtin_architectures(catalog: Catalog | None = None) -> dict[str, Architecture]:
    """The built-in architectures by name (the four generic ones, then the shipping switches and
    their pluggable pairs), every number read from ``catalog``."""
    return dict(_built(catalog))


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
    "two-tier": "where CPO goes first: a two-tier fabric (128 leaves of 64 GPU + 64 up-links, 64 "
                "spines, 8,192 GPUs, NIC-side modules on every GPU link), designs all-pluggable, "
                "all-lpo, cpo-spine and all-cpo, 5 years, the default's policy",
}


def _fleet(switches: int, ports: int, catalog: Catalog | None) -> Fleet:
    """A fleet of 800G switches, its ports cited from the shipping switch that has that many."""
    return file_cites(Fleet(switches=switches, ports_per_switch=ports, port_gbps=PORT_GBPS), catalog)


def default_scenario(catalog: Catalog | None = None) -> Scenario:
    """The scenario `cpo simulate` runs without a file."""
    archs = builtin_architectures(catalog)
    return Scenario(
        name="default", horizon_hours=5 * HOURS_PER_YEAR,
        fleet=_fleet(128, PORTS, catalog),
        architectures=tuple(archs[n] for n in GENERIC),
        policy=dataclasses.replace(default_policy(catalog), spares={"switch": default_switch_spares(catalog)}),
        costs=default_costs(catalog), workload=default_workload(catalog),
        fabric=default_fabric(catalog), support=default_support(catalog), replications=200,
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
        fleet=_fleet(16, PORTS, catalog),
        architectures=(archs["pluggable-dsp"], archs["cpo-els"]),
        policy=dataclasses.replace(
            default_policy(catalog), replace_switch_when_ports_down=8, maintenance_window_days=30.0,
            spares={"switch": dataclasses.replace(default_switch_spares(catalog), stock=1)},
        ),
        costs=default_costs(catalog), workload=default_workload(catalog),
        fabric=default_fabric(catalog), support=default_support(catalog), replications=500,
        seed=DEFAULT_SEED,
    )


def _switch_scenarios(catalog: Catalog | None) -> dict[str, Scenario]:
    """One per shipping switch: the default scenario's fleet size, horizon and policy, with the
    switch's ports, the switch and its pluggable pair of the same ports and Gb/s."""

    base = default_scenario(catalog)
    return {cpo.name: dataclasses.replace(
        base, name=cpo.name, fleet=_fleet(base.fleet.switches, _covered(cpo), catalog),
        architectures=(pluggable, cpo))
        for cpo, pluggable in switch_builtins(catalog or default_catalog())}


def _covered(arch: Architecture) -> int:
    """The ports of a switch: those its per-port units cover."""
    return max(k.per_switch * k.ports_per_unit for k in arch.components if k.ports_per_unit is not None)


def _two_tier(catalog: Catalog | None) -> Scenario:
    from fleet_models.builtins.designs import TWO_TIER, builtin_designs

    c = catalog or default_catalog()
    base = default_scenario(catalog)
    leaf = TWO_TIER[0]
    return dataclasses.replace(
        base, name="two-tier", fleet=_fleet(leaf.switches, leaf.ports_per_switch, catalog),
        architectures=builtin_designs(c, builtin_architectures(catalog)),
        fabric=dataclasses.replace(base.fabric, tiers=TWO_TIER))


def builtin_scenarios(catalog: Catalog | None = None) -> dict[str, Scenario]:
    """The built-in scenarios by name (``default`` first, then the shipping switches, then the
    two-tier fabric)."""
    return {"default": default_scenario(catalog), "supply-crunch": _supply_crunch(catalog),
            "cpo-pilot": _cpo_pilot(catalog), **_switch_scenarios(catalog), "two-tier": _two_tier(catalog)}


def file_cites(obj: Fleet | SparePool, catalog: Catalog | None = None) -> Fleet | SparePool:
    """A fleet or a switch spare pool read from a file, with the sources of the values that are
    the catalog's. These two tables have no built-in to start from (``base``), so a file writes
    them in full and the sources cannot be carried from a base: where a value equals what the
    catalog gives that field (the ports of a shipping switch, its 800G, the default spare stock
    and lead times), it cites that entry."""
    c = catalog or default_catalog()
    if isinstance(obj, Fleet):
        key = switch_ports_keys(c).get(obj.ports_per_switch)
        cites = {"port_gbps": Cite(key or "sx-photonics", PORT_GBPS)}
        if key is not None:
            cites["ports_per_switch"] = Cite(key, obj.ports_per_switch)
        return dataclasses.replace(obj, cites=cites)
    cites = {}
    for pool in (long_lead_switch_spares(c), default_switch_spares(c)):
        cites |= {f: cite for f, cite in pool.cites.items() if getattr(obj, f) == cite.value}
    return dataclasses.replace(obj, cites=cites)
