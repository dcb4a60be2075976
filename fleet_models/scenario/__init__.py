"""Scenario I/O: TOML in and out, its documentation, validation and variants.

Floor 3 of fleet_models (above ``model`` and ``builtins``): ``read`` parses a TOML (or JSON)
document into a validated ``Scenario`` (``inline`` handles numbers written as distributions in
place), ``validate`` holds the rules across fields and checks hand-built scenarios, ``inputs``
the uncertain inputs and their draws, ``variants`` validated copies with numbers changed,
``write`` the scenario back as TOML with a comment per value, ``docs`` the field table, the
starter file and the JSON Schema, all derived from the spec's declarations.
"""

from __future__ import annotations

from failure_data._lazy import lazy_exports

_EXPORTS = {
    "parse_scenario": "fleet_models.scenario.read",
    "load_scenario": "fleet_models.scenario.read",
    "scenario_to_toml": "fleet_models.scenario.write",
    "scenario_to_dict": "fleet_models.scenario.write",
    "validate": "fleet_models.scenario.validate",
}

__getattr__, __all__ = lazy_exports(__name__, _EXPORTS)
