"""Run every replication of every architecture of a scenario, through an executor.

Replication i of architecture A is seeded from (seed, i, A's name) only (see
:func:`fleet_models.engine.replication_seed`), so the results are the same
whatever runs them (this process, local processes or a Dask cluster: see
:mod:`fleet_models.runs.parallel`), the number of workers, the chunking, or the order
chunks finish in; rows are sorted by (replication, architecture order) before
they are returned.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from failure_data.errors import option
from fleet_models.engines.contract import compile_plan
from fleet_models.engines.registry import get_engine, select_engine
from fleet_models.engines.streams import replication_seed
from fleet_models.errors import RunTooLarge, ScenarioError
from fleet_models.model.fields import declared
from fleet_models.model.ledger import Ledger, LedgerSums
from fleet_models.model.metrics import engine_columns
from fleet_models.model.spec import Scenario
from fleet_models.runs.parallel import Workers, default_workers, open_workers, process_pool  # noqa: F401
from fleet_models.runs.results import KEY_COLUMNS, FleetResult
from fleet_models.scenario.validate import validate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported where the result frame is built, after the replications

RowsOut = Callable[["pd.DataFrame"], None]
"""rows_out(frame): receives per-replication rows in their final order, a block at a time."""

Progress = Callable[[int, int], None]
"""progress(done, total): called after each chunk, counting (replication, architecture) pairs."""








# The engine's cost is about one unit of work per failure event (draw, queue, repair, renewal)
# and a little per unit drawn at the start. Measured with `python benchmarks/bench_estimate.py`
# (SimPy engine, one worker, 2-core container, 2026-12): 1.0e-4 s per failure on an idle machine,
# 1.8e-4 with the other core busy. On today's default scenario it estimates about 20 % more
# failures than are simulated (2026-12-07): a cap and an ETA, not a result.
SECONDS_PER_FAILURE = 1.5e-4
# The compiled engine: 0.83e-6 s per estimated failure on the default scenario scaled to 1,024
# switches x 10 years (bench_estimate.py, idle machine, 2026-12-07, after the cohort and lane
# changes); 1.0e-6 keeps the four sizes it runs within a factor of two (0.55x to 1.8x)
SECONDS_PER_FAILURE_FAST = 1.0e-6
SECONDS_PER_UNIT = 2.0e-7
MAX_FAILURES = 20_000_000
"""The cap on a run's expected failure events (about an hour on two workers); above it
:func:`run` refuses unless ``force=True``."""


@dataclass(frozen=True)
class RunEstimate:
    """Expected size of a run before it starts: failure events and units, and the wall time."""

    failures: float
    units: float
    workers: int
    engine: str = "des"

    @property
    def seconds(self) -> float:
        per = SECONDS_PER_FAILURE_FAST if self.engine == "fast" else SECONDS_PER_FAILURE
        unit = SECONDS_PER_UNIT / 20 if self.engine == "fast" else SECONDS_PER_UNIT
        return (self.failures * per + self.units * unit) / self.workers

    @property
    def too_large(self) -> bool:
        return self.failures > MAX_FAILURES

    def text(self) -> str:
        return f"about {_sig(self.failures)} failure events, {duration_text(self.seconds)}"


def estimate(scenario: Scenario, replications: int | None = None, workers: int | None = None,
             engine: str = "des") -> RunEstimate:
    """The expected failure events of a run: per unit, max(F(H), H / mean life) (the first failure,
    or the renewal rate over the horizon), times units per switch (spare units included: they
    age and fail too), switches, architectures and replications. A first-order count (a renewal count is H/mean + O(1)), good for a cap and an ETA."""
    n = scenario.replications if replications is None else replications
    workers = default_workers() if workers is None else workers
    h = scenario.horizon_hours
    per_rep = units = 0.0
    for arch in scenario.architectures:
        for c in arch.components:
            count = scenario.fleet.switches * (c.per_switch + c.spare_units) * c.elements
            mean = c.life.mean()
            # the family's closed-form cdf, as the engine uses (LifeModel.cdf would import scipy.stats)
            rate = max(float(c.life.family.cdf(c.life.parameters, h)), h / mean if mean > 0 else math.inf)
            per_rep += count * rate
            units += count
    return RunEstimate(failures=per_rep * n, units=units * n, workers=max(1, min(workers, n)),
                       engine=engine)


def duration_text(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 5400:
        return f"about {round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"about {seconds / 3600:.1f} h"
    return f"about {seconds / 86400:.0f} days"


def _sig(x: float) -> str:
    if not math.isfinite(x):
        return "unboundedly many"
    return f"{float(f'{x:.2g}'):,.0f}" if x >= 100 else f"{x:.0f}"


def run(
    scenario: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    force: bool = False,
    engine: str = "auto",
    executor: Workers | Executor | None = None,
    rows_out: RowsOut | None = None,
    dated_events: bool = False,
) -> FleetResult:
    """Simulate ``replications`` (default ``scenario.replications``) replications of every
    architecture with ``seed`` (default ``scenario.seed``). They run through ``executor``: a
    :class:`fleet_models.runs.parallel.Workers` (``open_workers(workers, dask)``: this process, local
    processes or a Dask cluster) or any ``concurrent.futures.Executor`` (e.g. a Dask
    ``Client.get_executor()``, taken to run ``workers`` tasks at once); without one, ``workers``
    processes (default min(cpu count, 2); 1 runs in this process) are started for this run.
    The result does not depend on which.

    Memory does not grow with the replications' events: each replication's dated ledger is
    reduced where it ran to the sums its TCO needs (``fleet_models.runs.tco.reduce_ledger``), which
    ``result.ledgers`` holds, and its metrics travel as one row of floats; ``dated_events=True``
    keeps the dated ledgers instead (tests, a timeline; ``FleetResult.dated_ledger`` re-simulates
    one replication's). ``rows_out(frame)``, if given, receives the per-replication rows in their
    final order (replication, then architecture), a block at a time as soon as a block is
    complete: ``cpo simulate --out`` writes them to its CSV as they arrive.

    A run whose :func:`estimate` passes ``MAX_FAILURES``
    is refused with :class:`RunTooLarge` unless ``force``. ``engine``: see :data:`ENGINES` and
    :func:`select_engine`; the result records the engine that ran (``engine``), why auto fell
    back (``engine_note``) and the simulation's wall time (``elapsed_s``, without compiling the
    fast engine)."""
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    check_run_arguments(n, seed, workers)
    replication_seed(seed, 0, "")  # validates the seed
    validate(scenario)
    chosen, note = select_engine(scenario, engine, seed)
    if isinstance(executor, Executor):
        executor = Workers(executor, workers or default_workers(), "the given executor")
    slots = executor.slots if executor is not None else (workers or default_workers())
    est = estimate(scenario, n, slots, chosen)
    if est.too_large and not force:
        raise RunTooLarge(
            f"this run would simulate {est.text()} on {est.workers} worker(s), above the cap of "
            f"{MAX_FAILURES:,} failure events; shrink it (fewer {option('replications', 'replications')}, "
            f"or fewer switches or years in the scenario) or start it anyway with "
            f"{option('force', 'force=True')}", est)
    if chosen == "fast":
        from fleet_models.engines.fast.engine import warm_up

        warm_up()  # compile or load once here: forked workers inherit it
    args = (scenario, n, seed, chosen, note, progress, rows_out, dated_events)
    if executor is None:
        tasks = _tasks(scenario, n, slots)
        with open_workers(1 if len(tasks) == 1 else min(slots, len(tasks))) as w:
            return _run(w, *args)
    return _run(executor, *args)


def _tasks(scenario: Scenario, n: int, slots: int) -> list[tuple[int, tuple[int, ...]]]:
    """(architecture index, replications) chunks: about 4 per slot, so that slots finishing early
    take more work; block by block of replications, every architecture of a block in turn (so
    the rows of a block are complete soon after it is submitted)."""
    size = max(1, math.ceil(n / (slots * 4)))
    return [(ai, tuple(range(start, min(n, start + size))))
            for start in range(0, n, size)
            for ai in range(len(scenario.architectures))]


def _run(workers: Workers, scenario: Scenario, n: int, seed: int, chosen: str, note: str | None,
         progress: Progress | None, rows_out: RowsOut | None, dated: bool) -> FleetResult:
    names = [a.name for a in scenario.architectures]
    columns = result_columns(scenario)
    t0 = time.perf_counter()
    tasks = _tasks(scenario, n, workers.slots)
    total = n * len(scenario.architectures)
    chunks: list[tuple[int, np.ndarray, np.ndarray]] = []  # (architecture, replications, metrics)
    ledgers: dict[tuple[int, str], Ledger | LedgerSums] = {}
    blocks: dict[int, dict[int, tuple[np.ndarray, np.ndarray]]] = {}  # first rep -> arch -> chunk
    next_block = 0
    done = 0
    for (ai, reps), (chunk_reps, values, chunk_ledgers) in _results(workers, tasks, scenario, seed,
                                                                   chosen, dated):
        chunks.append((ai, chunk_reps, values))
        ledgers.update(chunk_ledgers)
        done += len(reps)
        if progress:
            progress(done, total)
        if rows_out is not None:  # blocks in order, each when all its architectures are in
            blocks.setdefault(reps[0], {})[ai] = (chunk_reps, values)
            while len(blocks.get(next_block, ())) == len(names):
                block = blocks.pop(next_block)
                rows_out(_frame([(a, *block[a]) for a in sorted(block)], names, columns))
                next_block += len(block[0][0])

    elapsed = time.perf_counter() - t0
    frame = _frame(chunks, names, columns)
    del chunks
    return FleetResult(
        scenario=scenario.name,
        seed=int(seed),
        horizon_hours=float(scenario.horizon_hours),
        n_replications=n,
        components={a.name: tuple(c.name for c in a.components) for a in scenario.architectures},
        replications=frame,
        spec=scenario,
        ledgers=ledgers,
        engine=chosen,
        engine_note=note,
        elapsed_s=elapsed,
    )


def _frame(chunks: Sequence[tuple[int, np.ndarray, np.ndarray]], names: Sequence[str],
           columns: Sequence[str]) -> pd.DataFrame:
    """The tidy rows of ``chunks`` sorted by (replication, architecture order)."""
    import pandas as pd  # here, after the replications: not part of a run's start-up

    if not chunks:
        return pd.DataFrame(columns=[*KEY_COLUMNS, *columns])
    reps = np.concatenate([c[1] for c in chunks]).astype(np.int64)
    arch = np.concatenate([np.full(len(c[1]), c[0]) for c in chunks])
    values = np.concatenate([c[2] for c in chunks])
    order = np.lexsort((arch, reps))
    data: dict[str, object] = {"replication": reps[order],
                               "architecture": np.asarray(names, dtype=object)[arch[order]]}
    values = values[order]
    data.update({col: values[:, j] for j, col in enumerate(columns)})
    return pd.DataFrame(data)


def _results(workers: Workers, tasks: Sequence[tuple[int, tuple[int, ...]]], scenario: Scenario,
             seed: int, engine: str, dated: bool):
    """(task, run_chunk's result) of each task as it finishes. At most a few tasks per slot are
    queued at once, so finished results never pile up waiting (memory stays bounded however many
    replications there are); a lost worker or cluster is one ClusterError."""
    window = 2 * workers.slots + 1
    pending: dict = {}
    todo = iter(tasks)

    def fill() -> None:
        for task in todo:
            ai, reps = task
            pending[workers.executor.submit(run_chunk, scenario, ai, reps, seed, engine, dated)] = task
            if len(pending) >= window:
                return

    fill()
    while pending:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for fut in finished:
            task = pending.pop(fut)
            yield task, workers.result(fut)
        fill()


def check_run_arguments(replications: int | None, seed: int | None, workers: int | None) -> None:
    """Replications and seed held to the ranges a scenario file is held to (one declaration for
    the file and the flags); workers >= 1. None means "the scenario's own" and is not checked."""
    for name, v in (("replications", replications), ("seed", seed)):
        allowed = declared(Scenario)[name].range
        assert allowed is not None
        if v is not None and not (isinstance(v, int) and not isinstance(v, bool) and allowed.ok(v)):
            raise ScenarioError(
                f"{name} = {v!r} {allowed.text()} (an integer; from {option(name)} or the scenario's "
                f"`{name}`): give a value in that range"
            )
    if workers is not None and not (isinstance(workers, int) and workers >= 1):
        raise ScenarioError(f"workers = {workers!r} must be an integer >= 1")


def run_chunk(
    scenario: Scenario, architecture: int, replications: Sequence[int], seed: int,
    engine: str = "des", dated: bool = False,
) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, str], Ledger | LedgerSums]]:
    """The given replications of ``scenario.architectures[architecture]`` by the engine named
    ``engine`` (``des`` or ``fast``): their numbers, their metrics (one row each, in
    :func:`result_columns` order, NaN where the architecture has no such component) and their
    ledgers, reduced here to what TCO needs (``fleet_models.runs.tco.reduce_ledger``, at the
    replication's own discount rate) unless ``dated``. With uncertain inputs drawn, replication i
    runs (and is reduced with) the scenario of its own draws."""
    from fleet_models.runs.tco import reduce_ledger
    from fleet_models.scenario.variants import Drawer

    drawn = Drawer(scenario, seed)
    sim = get_engine(engine)
    sc = scenario
    plan = compile_plan(scenario, scenario.architectures[architecture], seed)
    columns = {c: j for j, c in enumerate(result_columns(scenario))}
    values = np.full((len(replications), len(columns)), np.nan)
    ledgers: dict[tuple[int, str], Ledger | LedgerSums] = {}
    for k, i in enumerate(replications):
        if drawn.table:  # the uncertain inputs' draws of replication i
            sc = drawn(i)
            plan = compile_plan(sc, sc.architectures[architecture], seed)
        arch = plan.architecture
        out = sim.simulate(plan, i)
        for name, v in out.metrics.items():
            values[k, columns[name]] = v
        ledgers[(i, arch.name)] = out.ledger if dated else reduce_ledger(
            out.ledger, len(arch.components), sc.costs.discount_rate, sc.horizon_hours)
    return np.asarray(replications, dtype=np.int64), values, ledgers


def result_columns(scenario: Scenario) -> list[str]:
    comps: list[str] = []
    for a in scenario.architectures:
        comps += [c.name for c in a.components if c.name not in comps]
    return list(engine_columns(comps))
