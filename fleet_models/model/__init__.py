"""The model: what a scenario, a replication's ledger and a metric are, and how a number is checked.

Floor 1 of fleet_models (it imports nothing above it). Everything else reads these declarations:

- ``fields``: how one field is declared, once (type, default, range, unit, doc, catalog source);
- ``spec``: the scenario as frozen dataclasses (fleet, architectures and their components,
  policy, costs, workload, fabric, uncertain inputs), each field declared with ``fields``;
- ``checks``: the typed-field checks and the problem collector every validator uses;
- ``lives``: the four ways a scenario gives a component's life (inline, FIT, saved fit, catalog);
- ``distributions``: the maths of an uncertain input (its central value, ends, inverse cdf);
- ``paths``: a number of a scenario by field path, read or set;
- ``metrics`` and ``ledger``: what one replication reports and the dated events it records.
"""
