"""fleet_models: Monte Carlo fleet simulation of pluggable and CPO switches.

The house, by the data's path; each floor imports only the floors below it (a test holds it):

==============  ==========================================================================
``errors``      every error of the layer
``model``       what a scenario is (fields declared once with their role, the spec, checks,
                life forms, uncertain inputs' maths, field paths), a replication's metrics and
                its ledger
``builtins``    the kit of parts and the built-in architectures and scenarios, every number
                read from the catalog and citing its source as it is made
``scenario``    scenario files in and out: TOML, inline distributions, validation, the
                uncertain inputs and their draws, variants, the field table and schema
``engines``     one contract (a plan, ``simulate(plan, replication)``), the seeding, the
                fabric's jobs, the SimPy reference engine and the compiled fast one, and the
                closed forms both are held to
``runs``        a run through an executor (this process, local processes, Dask), the draws
                made once per replication and carried with the result, results as data, TCO
                as a post-process, saved runs re-priced without simulating, notes on absurd
                values and the size of a run
``decisions``   sweeps, tornados, break-even and pilots, all through one evaluator that
                simulates an architecture once per distinct engine input
==============  ==========================================================================

A scenario flows ``scenario.read`` -> ``runs.runner.run`` (which compiles a plan per
architecture, ``engines.contract``, and simulates it on an engine) -> ``runs.results.FleetResult``
(metrics, ledger sums, draws) -> ``runs.tco`` and the CLI's rendering (``cli/render``). Public
names are loaded on first use so that importing the package is cheap.
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
