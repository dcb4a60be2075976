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
    _Built,
    default_costs,
    default_fabric,
    default_policy,
    default_switch_spares,
    default_workload,
    long_lead_switch_spares,
)
from fleet_models.builtins.switches import switch_builtins
from fleet_models.model.spec import Architecture, Fleet, Scenario
from reliability.models import HOURS_PER_YEAR


@functools.lru_cache(maxsize=8)
def _built_from(c: Catalog) -> dict[str, _Built]:

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
