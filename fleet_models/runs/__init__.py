"""Runs: every replication of every architecture of a scenario, and what is made of them.

Floor 5 of fleet_models (above ``engines``): ``runner`` runs the replications through an
executor (``parallel``: this process, local processes or a Dask cluster) and ``replay``s one;
``draws`` makes each replication's uncertain-input draws (and a decision's overrides) once and
carries them with the result; ``results`` holds a run as data (``FleetResult``: per-replication
metrics, ledger sums, draws; summaries and paired differences); ``tco`` prices the ledgers;
``keys`` says what a run of an architecture depends on (its engine inputs, by their roles);
``saved`` writes a result to a folder and reads it back, re-priced if asked; ``estimate`` sizes
a run before it starts; ``sanity`` says what legal but absurd values will do.
"""
