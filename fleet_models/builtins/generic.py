"""The four generic architectures of the ``default`` scenario (128 x 800G switches, as Nvidia
Spectrum-X Photonics: key ``sx-photonics``), every number read from the catalog:

- ``pluggable-dsp``: one 800G DSP module per port, hot-swapped.
- ``lpo``: one linear-drive (no DSP) module per port, hot-swapped.
- ``cpo-internal-laser``: 32 optical engines of 4 ports and one internal laser per port on the
  package; either failure means replacing the switch.
- ``cpo-els``: the same engines (replace the switch) fed by 16 front-panel external laser
  sources of 8 lasers, hot-swapped.

Each also has the kit's ``switch-board`` (ASIC, board, power, fans: a failure takes every port
down and replaces the switch), the same in all four.
"""

from __future__ import annotations

from failure_data.catalog import Catalog
from fleet_models.builtins.kit import (
    ASIC_SIDE_C,
    FRONT_PANEL_C,
    PORT_GBPS,
    PORTS,
    _arch,
    _comp,
    _engine,
    _switch_board,
    _wearout,
)
from fleet_models.model.lives import catalog_life
from fleet_models.model.spec import Architecture, Repair


def _pluggable_dsp(c: Catalog) -> Architecture:
    module = _comp(
        "dsp-module",
        {"per_switch": "sx-photonics", "life": "pluggable-device-field", "price_usd": "module-price",
         "power_w": "module-power", "ntf_fraction": "ntf-returns"},
        per_switch=PORTS, ports_per_unit=1, life=catalog_life("pluggable-device-field", c, unit_gbps=PORT_GBPS),
        repair=Repair.SWAP, price_usd=c.value("module-price", "dr8-800g"),
        power_w=c.value("module-power", "dsp-800g"),
        ntf_fraction=c.value("ntf-returns") / 100.0,  # per cent in the catalog
    )
    return _arch(c, "pluggable-dsp", "128 x 800G DSP pluggable modules (Meta's pluggable rate, "
                 "pluggable-device-field, read in the scenario's device unit, as the CPO engines' rate is; 16.5 W), hot-swapped",
                 [_switch_board(c), module])


def _lpo(c: Catalog) -> Architecture:
    module = _comp(
        "lpo-module",
        {"per_switch": "sx-photonics", "life": "lpo-device-field", "price_usd": "module-price",
         "power_w": "module-power", "ntf_fraction": "ntf-returns"},
        per_switch=PORTS, ports_per_unit=1, life=catalog_life("lpo-device-field", c, unit_gbps=PORT_GBPS),
        repair=Repair.SWAP, price_usd=c.value("module-price", "lpo-800g"),
        power_w=c.value("module-power", "lpo-800g"),
        ntf_fraction=c.value("ntf-returns") / 100.0,  # per cent in the catalog
    )
    return _arch(c, "lpo", "128 x 800G linear-drive modules without DSP (Meta's pluggable rate "
                 "less the DSP's share, lpo-device-field; 8.5 W), hot-swapped", [_switch_board(c), module])


def _cpo_internal_laser(c: Catalog) -> Architecture:
    lasers = _comp(
        "internal-laser",
        {"per_switch": "cpo-lasers-per-port", "life": "dfb-fit", "repair": "humboldt-laser"},
        per_switch=int(c.value("cpo-lasers-per-port") * PORTS), ports_per_unit=1,
        life=catalog_life("dfb-fit", c), repair=Repair.REPLACE_SWITCH,
    )
    return _arch(
        c, "cpo-internal-laser",
        "32 x 3.2T optical engines (4 ports each, meta-mtbf-cmp read in the scenario's device unit; most events "
        "cleared in place, cpo-in-place) and 128 internal lasers "
        "(125 FIT random failures, plus lognormal wear-out: median 1e6 h at 80 °C beside the ASIC, sigma 0.9 "
        "assumed) on the package: any failure means replacing the switch; price and power in the engines",
        [_switch_board(c), _engine(c, "internal-laser"), lasers, _wearout(lasers, c, ASIC_SIDE_C)],
    )


def _cpo_els(c: Catalog) -> Architecture:
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
(``fleet_models.builtins.switches``) follow them in :func:`builtin_architectures`."""
