"""fleet_models: Monte Carlo fleet simulation of pluggable and CPO switches.

Public names are loaded on first use so that importing the package is cheap.
"""

from __future__ import annotations

from failure_data._lazy import lazy_exports

_EXPORTS = {
    "FleetError": "fleet_models.errors",
    "ScenarioError": "fleet_models.errors",
    "parse_scenario": "fleet_models.scenario.read",
    "load_scenario": "fleet_models.scenario.read",
    "scenario_to_toml": "fleet_models.scenario.write",
    "scenario_to_dict": "fleet_models.scenario.write",
    "validate": "fleet_models.scenario.validate",
    "default_scenario": "fleet_models.builtins.scenarios",
    "builtin_scenarios": "fleet_models.builtins.scenarios",
    "builtin_architectures": "fleet_models.builtins.scenarios",
    "FleetResult": "fleet_models.runs.results",
    "run": "fleet_models.runs.runner",
    "simulate": "fleet_models.engines.des.sim",
    "metric_names": "fleet_models.engines.contract",
}

__getattr__, __all__ = lazy_exports(__name__, _EXPORTS)
