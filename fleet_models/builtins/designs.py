"""Designs of a fabric of tiers: an architecture per tier, and the built-in two-tier fabric.

:func:`design` makes the architecture a design is (``fleet_models.engines.tiers``): each tier's
architecture's components named ``TIER:COMPONENT``, its switch price and power per tier, and on
the first tier the GPU side's NIC modules (``TIER:host-module``, one per down-link, pluggable in
every design: module-field-fit's field rate, ntf-returns' no-trouble-found share, the DSP
module's price and power). The two-tier built-in is a full Clos of Spectrum-X-sized switches
(sx-photonics: 128 x 800G): 128 leaves of 64 down-links (8 nodes of 8 GPUs, one NIC port per
GPU: qx-blast's 8-GPU nodes) and 64 up-links, 64 spines of 128 ports, 8,192 GPUs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from failure_data.catalog import Catalog
from fleet_models.builtins.kit import PORT_GBPS, _comp
from fleet_models.model.fields import Cite
from fleet_models.model.lives import catalog_life
from fleet_models.model.spec import Architecture, Component, Repair, Tier, TierSwitch

HOST = "host-module"
"""The name of the NIC-side module every GPU-facing link carries, on the first tier."""


def host_module(c: Catalog, downlinks: int) -> Component:
    """The NIC-side pluggable of every GPU-facing link of a leaf (host side: it stays with the
    server when the leaf is replaced)."""
    return _comp(
        HOST, {"life": "module-field-fit", "price_usd": "module-price", "power_w": "module-power",
               "ntf_fraction": "ntf-returns"},
        per_switch=downlinks, ports_per_unit=1, life=catalog_life("module-field-fit", c, unit_gbps=PORT_GBPS),
        repair=Repair.SWAP, price_usd=c.value("module-price", "dr8-800g"),
        power_w=c.value("module-power", "dsp-800g"), ntf_fraction=c.value("ntf-returns") / 100.0,
        moves_on_replacement=True)


def design(c: Catalog, name: str, tiers: Sequence[Tier], kinds: Mapping[str, Architecture],
           description: str = "") -> Architecture:
    """The design ``name`` putting ``kinds[tier]`` in each tier of ``tiers`` (GPU side first)."""
    comps: list[Component] = []
    parts: dict[str, TierSwitch] = {}
    for i, t in enumerate(tiers):
        a = kinds[t.name]
        comps += [dataclasses.replace(k, name=f"{t.name}:{k.name}") for k in a.components]
        if i == 0:
            host = host_module(c, t.downlinks())
            comps.append(dataclasses.replace(host, name=f"{t.name}:{host.name}"))
        cites = {f: Cite(a.cites[f].keys, getattr(a, f)) for f in ("switch_price_usd", "switch_power_w")
                 if f in a.cites}
        parts[t.name] = TierSwitch(a.name, a.switch_price_usd, a.switch_power_w, cites=cites)
    text = description or ", ".join(f"{t.name}: {kinds[t.name].name}" for t in tiers)
    return Architecture(name=name, components=tuple(comps), description=text, tiers=parts,
                        gpus_per_switch=kinds[tiers[0].name].gpus_per_switch)


TWO_TIER = (Tier("leaf", 128, 128, 64), Tier("spine", 64, 128, 0))
"""The built-in two-tier fabric: 128 leaves of 64 + 64 ports, 64 spines of 128 (sx-photonics)."""

DESIGNS = {  # name: (architecture of the leaves, of the spines, what it is)
    "all-pluggable": ("pluggable-dsp", "pluggable-dsp", "DSP pluggables in every tier"),
    "all-lpo": ("lpo", "lpo", "linear-drive pluggables in every tier"),
    "cpo-spine": ("pluggable-dsp", "spectrum-x", "CPO (Spectrum-X Photonics) at the spine only, "
                  "DSP pluggables at the leaves"),
    "all-cpo": ("spectrum-x", "spectrum-x", "CPO (Spectrum-X Photonics) in every tier"),
}


def builtin_designs(c: Catalog, archs: Mapping[str, Architecture]) -> tuple[Architecture, ...]:
    """The four built-in designs of the two-tier fabric."""
    return tuple(design(c, name, TWO_TIER, {"leaf": archs[leaf], "spine": archs[spine]},
                        f"{what} (leaf: {leaf}, spine: {spine}); NIC-side DSP modules on every GPU link")
                 for name, (leaf, spine, what) in DESIGNS.items())
