"""The built-ins: architectures and scenarios made from the catalog of published figures.

Floor 2 of fleet_models (above ``model``): ``kit`` holds the parts and the table defaults,
``generic`` the four architectures of the ``default`` scenario, ``switches`` the CPO switches
that ship beside their pluggable pairs, ``scenarios`` every built-in by name, and
``provenance`` the catalog key of each value and the comments `cpo scenario show` writes.
"""

from __future__ import annotations

from failure_data._lazy import lazy_exports

_EXPORTS = {
    "builtin_architectures": "fleet_models.builtins.scenarios",
    "builtin_scenarios": "fleet_models.builtins.scenarios",
    "default_scenario": "fleet_models.builtins.scenarios",
    "SCENARIO_DESCRIPTIONS": "fleet_models.builtins.scenarios",
    "field_sources": "fleet_models.builtins.provenance",
    "field_comments": "fleet_models.builtins.provenance",
}

__getattr__, __all__ = lazy_exports(__name__, _EXPORTS)
