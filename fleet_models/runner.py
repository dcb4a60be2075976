"""Run every replication of every architecture of a scenario, in processes.

Replication i of architecture A is seeded from (seed, i, A's name) only (see
:func:`fleet_models.engine.replication_seed`), so the results are the same
whatever the number of workers, the chunking, or the order chunks finish in;
rows are sorted by (replication, architecture order) before they are returned.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

import pandas as pd

from fleet_models.engine import (
    COMMON_METRICS,
    check_scenario,
    failure_metric,
    replication_seed,
    simulate,
)
from fleet_models.errors import ScenarioError
from fleet_models.results import KEY_COLUMNS, FleetResult
from fleet_models.spec import Scenario

Progress = Callable[[int, int], None]
"""progress(done, total): called after each chunk, counting (replication, architecture) pairs."""


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 2))


def run(
    scenario: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> FleetResult:
    """Simulate ``replications`` (default ``scenario.replications``) replications of every
    architecture with ``seed`` (default ``scenario.seed``) on ``workers`` processes (default
    min(cpu count, 2); 1 runs in this process)."""
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    workers = default_workers() if workers is None else workers
    # the ranges a scenario file is held to: one declaration for the file and the flags
    from fleet_models.scenario import RANGES

    for name, v in (("replications", n), ("seed", seed)):
        allowed = RANGES[(Scenario, name)]
        if not (isinstance(v, int) and not isinstance(v, bool) and allowed.ok(v)):
            raise ScenarioError(
                f"{name} = {v!r} {allowed.text()} (an integer; from --{name} or the scenario's "
                f"`{name}`): give a value in that range"
            )
    if not (isinstance(workers, int) and workers >= 1):
        raise ScenarioError(f"workers = {workers!r} must be an integer >= 1")
    replication_seed(seed, 0, "")  # validates the seed
    check_scenario(scenario)
    names = [a.name for a in scenario.architectures]

    size = max(1, math.ceil(n / (workers * 4)))
    tasks = [
        (ai, tuple(range(start, min(n, start + size))))
        for ai in range(len(scenario.architectures))
        for start in range(0, n, size)
    ]
    total = n * len(scenario.architectures)
    rows: list[dict[str, object]] = []
    done = 0
    if workers == 1 or len(tasks) == 1:
        for ai, reps in tasks:
            rows += run_chunk(scenario, ai, reps, seed)
            done += len(reps)
            if progress:
                progress(done, total)
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
            futures = {pool.submit(run_chunk, scenario, ai, reps, seed): reps for ai, reps in tasks}
            for fut in as_completed(futures):
                rows += fut.result()
                done += len(futures[fut])
                if progress:
                    progress(done, total)

    order = {name: i for i, name in enumerate(names)}
    rows.sort(key=lambda r: (r["replication"], order[r["architecture"]]))
    frame = pd.DataFrame(rows, columns=[*KEY_COLUMNS, *_columns(scenario)])
    frame["replication"] = frame["replication"].astype("int64")
    return FleetResult(
        scenario=scenario.name,
        seed=int(seed),
        horizon_hours=float(scenario.horizon_hours),
        n_replications=n,
        components={a.name: tuple(c.name for c in a.components) for a in scenario.architectures},
        replications=frame,
    )


def run_chunk(
    scenario: Scenario, architecture: int, replications: Sequence[int], seed: int
) -> list[dict[str, object]]:
    """Rows of the given replications of ``scenario.architectures[architecture]``."""
    arch = scenario.architectures[architecture]
    rows: list[dict[str, object]] = []
    for i in replications:
        out = simulate(scenario, arch, i, seed=seed)
        rows.append({"replication": i, "architecture": arch.name, **out.metrics})
    return rows


def _columns(scenario: Scenario) -> list[str]:
    comps: list[str] = []
    for a in scenario.architectures:
        comps += [c.name for c in a.components if c.name not in comps]
    return ["port_availability", *(failure_metric(c) for c in comps), *COMMON_METRICS]
