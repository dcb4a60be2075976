"""The kit the built-in architectures are made of, every number read from the catalog of published
figures: the defaults of the policy, costs, workload and fabric tables; spare switches; the
``switch-board`` every built-in shares; the optical engine; laser wear-out as a competing risk;
and the helpers that record each field's catalog key as the component is made (``_comp``,
``_arch``), so `cpo scenario show` can print ``# source: KEY (conf)`` beside it
(``fleet_models.builtins.provenance``); ``Component.source`` lists the keys of a component.
"""

from __future__ import annotations

import math
from typing import Any

from failure_data.catalog import Catalog, default_catalog
from failure_data.units import HOURS_PER_DAY
from fleet_models.model.fields import Cite, catalog_defaults, declared
from fleet_models.model.lives import catalog_life
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fabric,
    Policy,
    Repair,
    SparePool,
    Support,
    Workload,
)
from reliability.models import LifeModel

DEFAULT_SEED = 20261123
PORTS = 128  # sx-photonics: 128 x 800G
PORT_GBPS = 800.0  # sx-photonics, bailly, qx-photonics: 800G ports
ASIC_SIDE_C = 80.0  # internal lasers beside the ASIC: dfb-ttf's own 80 °C, so no shift
FRONT_PANEL_C = 45.0  # an ELS at the front panel: the top of Broadcom's 0-45 °C case range (els-temp)


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


def default_support(catalog: Catalog | None = None) -> Support:
    """The support terms a scenario gets for every field it does not set."""
    return Support(**catalog_defaults(Support, catalog))


def default_switch_spares(catalog: Catalog | None = None) -> SparePool:
    """Spare switches as early deployments are serviced: a small stock on site (switch-spares,
    placeholder) refilled by the vendor's advance replacement within 4 hours (adv-repl)."""
    c = catalog or default_catalog()
    stock, lead = int(c.value("switch-spares")), c.value("adv-repl", "four-hour")
    return SparePool(stock=stock, lead_time_hours=lead, cites={
        "stock": Cite("switch-spares", stock), "lead_time_hours": Cite("adv-repl", lead)})


def long_lead_switch_spares(catalog: Catalog | None = None) -> SparePool:
    """The same stock when a failed switch must be bought new: the 2025 lead-time forecast
    (switch-lead-days, 182.6 days), the ``supply-crunch`` built-in."""
    c = catalog or default_catalog()
    stock, lead = int(c.value("switch-spares")), c.value("switch-lead-days") * HOURS_PER_DAY
    return SparePool(stock=stock, lead_time_hours=lead, cites={
        "stock": Cite("switch-spares", stock), "lead_time_hours": Cite("switch-lead-days", lead)})


# ---------------------------------------------------------------------- architectures


def _comp(name: str, sources: dict[str, str], **fields: Any) -> Component:
    """A component whose fields named in ``sources`` came from those catalog keys: each such
    value carries its keys (``Component.cites``; a life carries its own, in its provenance), and
    ``source`` lists every key."""
    keys = sorted({k.strip() for s in sources.values() for k in s.split(",") if k.strip()})
    cites = {f: Cite(k, fields[f]) for f, k in sources.items() if f != "life" and f in fields}
    return Component(name=name, source=", ".join(keys), cites=cites, **fields)


def _switch_board(c: Catalog) -> Component:
    return _comp(
        "switch-board", {"life": "hpn-tor"},
        per_switch=1, ports_per_unit=None, life=catalog_life("hpn-tor", c),
        repair=Repair.REPLACE_SWITCH,
    )


def _arch(c: Catalog, name: str, description: str, comps: list[Component]) -> Architecture:
    """A built-in architecture of 800G ports: the catalog's switch price (``switch-price``)."""
    price = c.value("switch-price")
    return Architecture(name=name, components=tuple(comps), switch_price_usd=price, switch_power_w=0.0,
                        description=description, cites={"switch_price_usd": Cite("switch-price", price)},
                        origin=name)


IN_PLACE_SOURCES = {"in_place_fraction": "cpo-in-place"}


def in_place(c: Catalog) -> dict[str, float]:
    """A CPO engine's share of events cleared without replacing the switch: the same share as a
    pluggable module's no trouble found (cpo-in-place); their hands-on time is the policy's."""
    return {"in_place_fraction": c.value("cpo-in-place") / 100.0}  # per cent in the catalog


def _engine(c: Catalog, laser: str) -> Component:
    n = int(c.value("cpo-engine-count", "engines"))
    ports = int(c.value("cpo-engine-count", "ports-per-engine"))
    return _comp(
        "optical-engine",
        {"per_switch": "cpo-engine-count", "ports_per_unit": "cpo-engine-count",
         "life": "cpo-engine-field", "repair": "humboldt-laser", "price_usd": "cpo-engine-price",
         "power_w": "cpo-engine-power", **IN_PLACE_SOURCES},
        per_switch=n, ports_per_unit=ports,
        life=catalog_life("cpo-engine-field", c, unit_gbps=ports * PORT_GBPS),
        repair=Repair.REPLACE_SWITCH, **in_place(c),
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


def _wearout(laser: Component, c: Catalog, temperature_c: float, temperature_key: str = "") -> Component:
    """The wear-out of ``laser``'s lasers as a second component of the same units and ports: the
    lasers fail at the first of a random failure (``laser``'s life) and wear-out (competing risks)."""
    life_src = _WEAROUT_SOURCES + (f", laser-ea, {temperature_key}" if temperature_key else "")
    keep = {f: cite.keys for f, cite in laser.cites.items() if f not in ("price_usd", "power_w")}
    same = {f: getattr(laser, f) for f in declared(Component)
            if f not in ("name", "source", "life", "price_usd", "power_w")}
    return _comp(f"{laser.name}-wearout", {**keep, "life": life_src}, **same,
                 life=laser_wearout_life(c, temperature_c))


# ---------------------------------------------------------------------- scenarios


# ---------------------------------------------------------------------- sources for comments


