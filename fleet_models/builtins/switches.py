"""The CPO switches that ship, as built-in architectures and scenarios, each beside a pluggable
switch of the same ports and Gb/s (so ``cpo compare quantum-x`` compares like with like).

- ``bailly``: Broadcom Tomahawk 5 CPO, 51.2T = 64 x 800G, 8 x 6.4T engines (``bailly``),
  pluggable ELS lasers; paired with ``bailly-pluggable`` (64 DSP modules).
- ``quantum-x``: Nvidia Quantum-X Photonics Q3450, 144 x 800G, 72 x 1.6T engines, 18
  front-panel ELS of 8 lasers (``qx-photonics``); optics priced from ``qx-cost``; paired with
  ``quantum-x-pluggable`` (144 DSP modules).
- ``spectrum-x``: Nvidia Spectrum-X Photonics, 128 x 800G, 36 x 3.2T engines of which 32 carry
  traffic and 4 are soldered spares (``sx-photonics``, ``sx-oe-spares``: ``spare_units = 4``,
  fail in place); paired with ``pluggable-dsp`` (128 DSP modules).

Every CPO switch has the ``switch-board`` of the other built-ins, engines whose life is Meta's
MTBF read per 400G port (``cpo-engine-field``: an engine of E Gb/s counts E / 400 devices), ELS
modules (``dfb-fit`` random failures plus lognormal wear-out at the front panel), and the switch
price of a 51.2T switch (``switch-price``, the only published switch price). Numbers nobody
publishes per switch (Bailly's and Spectrum-X's engine prices and powers, the lasers per port of
Bailly) come from the closest catalog row, named in each component's sources.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from failure_data.catalog import Catalog
from fleet_models.builtins.generic import _pluggable_dsp
from fleet_models.builtins.kit import (
    FRONT_PANEL_C,
    IN_PLACE_SOURCES,
    PORT_GBPS,
    _arch,
    _comp,
    _switch_board,
    _wearout,
    in_place,
)
from fleet_models.model.fields import Cite
from fleet_models.model.lives import catalog_life
from fleet_models.model.spec import Architecture, Component, Repair


@dataclass(frozen=True)
class _Switch:
    """How one shipping switch reads its counts from the catalog."""

    name: str
    key: str  # the catalog row of its counts
    ports: int
    engines: int
    engine_gbps: float
    els: int
    lasers_per_els: int
    spare_engines: int
    sources: dict[str, str]  # count -> catalog key(s)
    description: str


def _switches(c: Catalog) -> list[_Switch]:
    lasers_per_port = c.value("cpo-lasers-per-port")
    els_size = int(c.value("els-size"))
    b_engines, b_gbps = int(c.value("bailly", "engines")), c.value("bailly", "engine-tbps") * 1000
    b_ports = int(b_engines * b_gbps / PORT_GBPS)
    sx_ports, sx_gbps = int(c.value("sx-photonics", "ports-800g")), c.value("sx-oe-spares", "engine-tbps") * 1000
    return [
        _Switch("bailly", "bailly", b_ports, b_engines, b_gbps,
                int(b_ports * lasers_per_port) // els_size, els_size, 0,
                {"ports": "bailly", "engines": "bailly", "els": "cpo-lasers-per-port, els-size"},
                f"Broadcom Bailly (Tomahawk 5 CPO): {b_ports} x 800G, {b_engines} x {b_gbps / 1000:g}T "
                "engines (replace the switch), pluggable ELS lasers (one per port assumed, "
                "cpo-lasers-per-port)"),
        _Switch("quantum-x", "qx-photonics", int(c.value("qx-photonics", "ports-800g")),
                int(c.value("qx-photonics", "engines")), c.value("qx-photonics", "engine-tbps") * 1000,
                int(c.value("qx-photonics", "els")), int(c.value("qx-photonics", "lasers-per-els")), 0,
                {"ports": "qx-photonics", "engines": "qx-photonics", "els": "qx-photonics"},
                "Nvidia Quantum-X Photonics Q3450: 144 x 800G, 72 x 1.6T engines (replace the switch), "
                "18 front-panel ELS of 8 lasers; optics priced from qx-cost"),
        _Switch("spectrum-x", "sx-photonics", sx_ports, int(c.value("sx-oe-spares", "active")), sx_gbps,
                int(sx_ports * lasers_per_port) // els_size, els_size,
                int(c.value("sx-oe-spares", "redundant")),
                {"ports": "sx-photonics", "engines": "sx-oe-spares", "els": "cpo-lasers-per-port, els-size"},
                "Nvidia Spectrum-X Photonics: 128 x 800G, 36 x 3.2T soldered engines, 32 carrying "
                "traffic and 4 spares taking over in place (sx-oe-spares), then the switch is replaced; "
                "front-panel ELS"),
    ]


def _engine_price_power(c: Catalog, s: _Switch) -> tuple[float, float, str, str]:
    """One engine's price and power, and their sources."""
    per_port_w = c.value("cpo-engine-power", "external-laser") / c.value("cpo-engine-count", "ports-per-engine")
    ports = s.engine_gbps / PORT_GBPS
    power_src = "cpo-engine-power, cpo-engine-count"
    if s.name == "quantum-x":  # the switch's own optics price, less its ELS
        optics = c.value("qx-cost", "cpo-optics-usd") - s.els * c.value("els-price")
        return optics / s.engines, ports * per_port_w, "qx-cost, els-price", power_src
    per_port = c.value("cpo-engine-price", "external-laser") / c.value("cpo-engine-count", "ports-per-engine")
    return ports * per_port, ports * per_port_w, "cpo-engine-price, cpo-engine-count", power_src


def _cpo_switch(c: Catalog, s: _Switch) -> Architecture:
    price, power, price_src, power_src = _engine_price_power(c, s)
    engine = _comp(
        "optical-engine",
        {"per_switch": s.sources["engines"], "ports_per_unit": s.key, "life": "cpo-engine-field",
         "repair": "humboldt-laser", "price_usd": price_src, "power_w": power_src,
         **({"spare_units": "sx-oe-spares"} if s.spare_engines else {}), **IN_PLACE_SOURCES},
        per_switch=s.engines, ports_per_unit=int(s.engine_gbps / PORT_GBPS),
        life=catalog_life("cpo-engine-field", c, unit_gbps=s.engine_gbps), repair=Repair.REPLACE_SWITCH,
        **in_place(c),
        spare_units=s.spare_engines, price_usd=price, power_w=power,
    )
    els = _comp(
        "els",
        {"per_switch": s.sources["els"], "ports_per_unit": s.sources["els"], "elements": s.sources["els"],
         "needed": s.sources["els"], "life": "dfb-fit", "repair": "humboldt-laser", "price_usd": "els-price",
         "power_w": "els-temp"},
        per_switch=s.els, ports_per_unit=s.ports // s.els, elements=s.lasers_per_els, needed=s.lasers_per_els,
        life=catalog_life("dfb-fit", c), repair=Repair.SWAP,
        price_usd=c.value("els-price"), power_w=c.value("els-temp", "aoi-power-w"),
    )
    return _with_gpus(c, s, _arch(c, s.name, s.description,
                                  [_switch_board(c), engine, els, _wearout(els, c, FRONT_PANEL_C, "els-temp")]))


def _with_gpus(c: Catalog, s: _Switch, arch: Architecture) -> Architecture:
    """A Quantum-X leaf carries up to 576 GPUs (qx-blast: 72 down-links to 8-GPU nodes), not one
    per port: the fabric's blast radius of a down leaf, the same for its pluggable pair."""
    if s.name != "quantum-x":
        return arch
    gpus = c.value("qx-blast", "gpus")
    return dataclasses.replace(arch, gpus_per_switch=gpus,
                               cites={**arch.cites, "gpus_per_switch": Cite("qx-blast", gpus)})


def _pluggable_pair(c: Catalog, s: _Switch) -> Architecture:
    """The built-in DSP pluggable switch with ``s``'s ports (the same Gb/s per port); Quantum-X's
    pluggables are the ones its optics price is compared with (qx-cost: 72 x 1.6T modules)."""
    base = _pluggable_dsp(c)
    if _ports(base.components) == s.ports:
        return base
    name = f"{s.name}-pluggable"
    if s.name == "quantum-x":
        comps = tuple(_qx_module(c, k) if k.ports_per_unit == 1 else k for k in base.components)
        description = (f"{s.ports} x 800G ports on 72 x 1.6T DSP pluggable modules, hot-swapped: "
                       "the pluggables qx-cost prices Quantum-X's optics against ($1,000 each)")
    else:
        comps = tuple(dataclasses.replace(k, per_switch=s.ports, cites={
            **k.cites, "per_switch": Cite(s.key, s.ports)}) if k.ports_per_unit == 1 else k
            for k in base.components)
        description = f"{s.ports} x 800G DSP pluggable modules, hot-swapped: {s.name}'s ports and Gb/s"
    arch = dataclasses.replace(base, name=name, origin=name, components=comps, description=description)
    return _with_gpus(c, s, arch)


def _qx_module(c: Catalog, module: Component) -> Component:
    """Quantum-X's pluggable pair as qx-cost counts it: 72 x 1.6T modules of two 800G ports, at
    ~$1,000 each ($72k a switch, against the CPO optics' $80-90k), ~30 W each (nv-claims)."""
    n, price = int(c.value("qx-cost", "pluggables")), c.value("qx-cost", "pluggable-price-usd")
    ports = int(c.value("qx-photonics", "ports-800g")) // n
    return _comp(
        "dsp-module",
        {"per_switch": "qx-cost", "ports_per_unit": "qx-cost, qx-photonics", "life": "pluggable-device-field",
         "price_usd": "qx-cost", "power_w": "nv-claims", "ntf_fraction": "ntf-returns"},
        per_switch=n, ports_per_unit=ports,
        life=catalog_life("pluggable-device-field", c, unit_gbps=ports * PORT_GBPS), repair=Repair.SWAP,
        price_usd=price, power_w=c.value("nv-claims", "pluggable-w-per-port"),
        ntf_fraction=module.ntf_fraction,
    )


def _ports(components: tuple[Component, ...]) -> int:
    return sum(k.per_switch for k in components if k.ports_per_unit == 1)


def switch_builtins(c: Catalog) -> list[tuple[Architecture, Architecture]]:
    """(CPO switch, its pluggable pair) per shipping switch, every number read from ``c``."""
    return [(_cpo_switch(c, s), _pluggable_pair(c, s)) for s in _switches(c)]


def switch_ports_keys(c: Catalog) -> dict[int, str]:
    """Ports per switch -> the catalog row that gives them (for ``fleet.ports_per_switch``)."""
    return {s.ports: s.key for s in _switches(c)}
