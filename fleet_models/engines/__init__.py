"""The engines: what a replication of one architecture is, run two ways that agree in law.

Floor 4 of fleet_models (above ``model``; nothing here reads a file or knows a built-in):

- ``contract``: the one contract every engine meets: a :class:`FleetPlan` compiled once from a
  scenario and an architecture, ``simulate(plan, replication) -> ReplicationOutcome`` with
  the metrics of ``fleet_models.model.metrics`` and a dated ``Ledger``;
- ``streams``: the seeding (per replication, component name and what a stream drives), so
  architectures that share a component share its failures (common random numbers);
- ``fabric``: which GPUs sit behind which ports and which training jobs they form;
- ``des``: the SimPy engine, the reference semantics (its package docstring states them);
- ``fast``: the same semantics as one event loop compiled with numba (random numbers, laws,
  queues and lanes, jobs, the loop);
- ``registry``: the engine names a run takes (``auto``, ``des``, ``fast``) and how ``auto``
  chooses;
- ``theory``: the closed forms (renewal-reward, machine repair, k-of-n, Palm) the tests hold
  both engines to.
"""
