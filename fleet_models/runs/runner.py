"""Run every replication of every architecture of a scenario, through an executor.

Replication i of an architecture is seeded from (seed, i) and its components' names only
(``fleet_models.engines.streams``), so the results are the same whatever runs them (this
process, local processes or a Dask cluster: :mod:`fleet_models.runs.parallel`), the number of
workers, the chunking, or the order chunks finish in; rows are sorted by (replication,
architecture order) before they are returned. Numbers set per replication (uncertain inputs'
draws, a decision's overrides) are made once, before the first replication
(:class:`fleet_models.runs.draws.Draws`), and travel with the result. :func:`replay` simulates
one replication of a result again to give its dated events.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from typing import TYPE_CHECKING

import numpy as np

from failure_data.errors import option
from fleet_models.engines.contract import compile_plan
from fleet_models.engines.registry import get_engine, select_engine
from fleet_models.engines.streams import check_seed
from fleet_models.engines.tiers import TieredLedger, is_design, views
from fleet_models.engines.tiers import simulate as simulate_tiers
from fleet_models.errors import FleetError, RunTooLarge, ScenarioError
from fleet_models.model.fields import declared
from fleet_models.model.ledger import Ledger, LedgerSums
from fleet_models.model.spec import Scenario
from fleet_models.runs.draws import Draws
from fleet_models.runs.estimate import MAX_FAILURES, estimate
from fleet_models.runs.parallel import Workers, default_workers, open_workers
from fleet_models.runs.results import KEY_COLUMNS, FleetResult, metric_columns
from fleet_models.runs.tco import reduce_ledger, support_end
from fleet_models.scenario.validate import validate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported where the result frame is built, after the replications

RowsOut = Callable[["pd.DataFrame"], None]
"""rows_out(frame): receives per-replication rows in their final order, a block at a time."""

Progress = Callable[[int, int], None]
"""progress(done, total): called after each chunk, counting (replication, architecture) pairs."""


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
    overrides: Draws | None = None,
) -> FleetResult:
    """Simulate ``replications`` (default ``scenario.replications``) replications of every
    architecture with ``seed`` (default ``scenario.seed``). They run through ``executor``: a
    :class:`fleet_models.runs.parallel.Workers` (``open_workers(workers, dask)``: this process,
    local processes or a Dask cluster) or any ``concurrent.futures.Executor`` (e.g. a Dask
    ``Client.get_executor()``, taken to run ``workers`` tasks at once); without one, ``workers``
    processes (default min(cpu count, 2); 1 runs in this process) are started for this run.
    The result does not depend on which.

    With ``uncertainty`` on, replication i simulates and is priced with its own draws of the
    uncertain inputs; ``overrides`` (a :class:`Draws` of replications 0..n-1) sets more numbers
    per replication, on top of those draws. Both are made and checked once, here, and the result
    carries them (``result.draws``).

    Memory does not grow with the replications' events: each replication's dated ledger is
    reduced where it ran to the sums its TCO needs (``fleet_models.runs.tco.reduce_ledger``),
    which ``result.ledgers`` holds, and its metrics travel as one row of floats;
    ``dated_events=True`` keeps the dated ledgers instead (tests; :func:`replay` gives one
    replication's). ``rows_out(frame)``, if given, receives the per-replication rows in their
    final order (replication, then architecture), a block at a time as soon as a block is
    complete: ``cpo simulate --out`` writes them to its CSV as they arrive.

    A run whose :func:`fleet_models.runs.estimate.estimate` passes ``MAX_FAILURES`` is refused
    with :class:`RunTooLarge` unless ``force``. ``engine``: see
    :func:`fleet_models.engines.registry.select_engine`; the result records the engine that ran
    (``engine``), why auto fell back (``engine_note``) and the simulation's wall time
    (``elapsed_s``, without compiling the fast engine)."""
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    check_run_arguments(n, seed, workers)
    check_seed(seed, 0)
    validate(scenario)
    draws = Draws.of_inputs(scenario, seed, n)
    draws = overrides if draws is None else draws.then(overrides)
    if draws is not None:
        if len(draws.replications) != n:
            raise ScenarioError(f"per-replication overrides give {len(draws.replications)} "
                                f"replications for a run of {n}")
        draws.check(scenario)
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
    job = _Job(scenario, n, seed, chosen, dated_events, draws)
    if executor is None:
        tasks = _tasks(scenario, n, slots)
        with open_workers(1 if len(tasks) == 1 else min(slots, len(tasks))) as w:
            return _run(w, job, note, progress, rows_out)
    return _run(executor, job, note, progress, rows_out)


class _Job:
    """What every chunk of one run shares."""

    def __init__(self, scenario: Scenario, n: int, seed: int, engine: str, dated: bool,
                 draws: Draws | None) -> None:
        self.scenario, self.n, self.seed, self.engine = scenario, n, int(seed), engine
        self.dated, self.draws = dated, draws
        # what each architecture's chunks read of the draws (not the other architectures' fields)
        self.own = [None if draws is None else draws.of_architecture(scenario, a.name)
                    for a in scenario.architectures]

    def chunk(self, ai: int, reps: tuple[int, ...]) -> tuple:
        """run_chunk's arguments for these replications of architecture ``ai``."""
        own = self.own[ai]
        draws = None if own is None else own.rows(reps)
        return (self.scenario, ai, reps, self.seed, self.engine, self.dated, draws)


def _tasks(scenario: Scenario, n: int, slots: int) -> list[tuple[int, tuple[int, ...]]]:
    """(architecture index, replications) chunks: about 4 per slot, so that slots finishing early
    take more work; block by block of replications, every architecture of a block in turn (so
    the rows of a block are complete soon after it is submitted)."""
    size = max(1, math.ceil(n / (slots * 4)))
    return [(ai, tuple(range(start, min(n, start + size))))
            for start in range(0, n, size)
            for ai in range(len(scenario.architectures))]


def _run(workers: Workers, job: _Job, note: str | None, progress: Progress | None,
         rows_out: RowsOut | None) -> FleetResult:
    scenario = job.scenario
    names = [a.name for a in scenario.architectures]
    columns = metric_columns(scenario)
    t0 = time.perf_counter()
    tasks = _tasks(scenario, job.n, workers.slots)
    total = job.n * len(scenario.architectures)
    chunks: list[tuple[int, np.ndarray, np.ndarray]] = []  # (architecture, replications, metrics)
    ledgers: dict[tuple[int, str], Ledger | LedgerSums] = {}
    blocks: dict[int, dict[int, tuple[np.ndarray, np.ndarray]]] = {}  # first rep -> arch -> chunk
    next_block = 0
    done = 0
    for (ai, reps), (chunk_reps, values, chunk_ledgers) in _results(workers, tasks, job):
        chunks.append((ai, chunk_reps, values))
        ledgers.update(chunk_ledgers)
        done += len(reps)
        if progress:
            progress(done, total)
        if rows_out is not None:  # blocks in order, each when all its architectures are in
            blocks.setdefault(reps[0], {})[ai] = (chunk_reps, values)
            while len(blocks.get(next_block, ())) == len(names):
                block = blocks.pop(next_block)
                rows_out(frame_of([(a, *block[a]) for a in sorted(block)], names, columns))
                next_block += len(block[0][0])
    elapsed = time.perf_counter() - t0
    frame = frame_of(chunks, names, columns)
    del chunks
    return FleetResult.of_run(scenario, frame, ledgers, seed=job.seed, engine=job.engine,
                              engine_note=note, elapsed_s=elapsed, draws=job.draws)


def frame_of(chunks: Sequence[tuple[int, np.ndarray, np.ndarray]], names: Sequence[str],
             columns: Sequence[str]) -> pd.DataFrame:
    """The tidy rows of ``chunks`` (architecture index, replications, metric rows) sorted by
    (replication, architecture order)."""
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


def _results(workers: Workers, tasks: Sequence[tuple[int, tuple[int, ...]]], job: _Job):
    """(task, run_chunk's result) of each task as it finishes. At most a few tasks per slot are
    queued at once, so finished results never pile up waiting (memory stays bounded however many
    replications there are); a lost worker or cluster is one ClusterError."""
    window = 2 * workers.slots + 1
    pending: dict = {}
    todo = iter(tasks)

    def fill() -> None:
        for task in todo:
            pending[workers.executor.submit(run_chunk, *job.chunk(*task))] = task
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
    engine: str = "des", dated: bool = False, draws: Draws | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, str], Ledger | LedgerSums]]:
    """The given replications of ``scenario.architectures[architecture]`` by the engine named
    ``engine`` (``des`` or ``fast``): their numbers, their metrics (one row each, in
    :func:`fleet_models.runs.results.metric_columns` order, NaN where the architecture has no such component) and their
    ledgers, reduced here to what TCO needs (``fleet_models.runs.tco.reduce_ledger``, at the
    replication's own discount rate) unless ``dated``. With ``draws``, replication i runs (and is
    reduced with) the scenario of its own draws."""
    sim = get_engine(engine)
    sc = scenario
    columns = {c: j for j, c in enumerate(metric_columns(scenario))}
    values = np.full((len(replications), len(columns)), np.nan)
    ledgers: dict[tuple[int, str], Ledger | LedgerSums | TieredLedger] = {}
    if is_design(scenario.architectures[architecture]):  # a fabric of tiers: a plan per tier
        for k, i in enumerate(replications):
            if draws is not None:
                sc = draws.scenario(scenario, i)
            design = sc.architectures[architecture]
            metrics, _, tiered = simulate_tiers(sim, sc, design, seed, i)
            for name, v in metrics.items():
                values[k, columns[name]] = v
            ledgers[(i, design.name)] = tiered if dated else TieredLedger(tuple(
                reduce_ledger(led, len(v.architecture.components), sc.costs.discount_rate,
                              sc.horizon_hours, support_end(v.scenario))
                for led, v in zip(tiered.parts, views(sc, design), strict=True)))
        return np.asarray(replications, dtype=np.int64), values, ledgers
    plan = compile_plan(scenario, scenario.architectures[architecture], seed)
    for k, i in enumerate(replications):
        if draws is not None:  # replication i's own numbers
            sc = draws.scenario(scenario, i)
            plan = compile_plan(sc, sc.architectures[architecture], seed)
        arch = plan.architecture
        out = sim.simulate(plan, i)
        for name, v in out.metrics.items():
            values[k, columns[name]] = v
        ledgers[(i, arch.name)] = out.ledger if dated else reduce_ledger(
            out.ledger, len(arch.components), sc.costs.discount_rate, sc.horizon_hours,
            support_end(sc))
    return np.asarray(replications, dtype=np.int64), values, ledgers


def replay(result: FleetResult, replication: int, architecture: str) -> Ledger:
    """The dated events of one replication of ``architecture`` in ``result``: kept ones, else
    simulated again (replications are seeded by number, and the result carries the scenario,
    the engine and the draws, so it is the same replication)."""
    led = result.ledgers.get((replication, architecture))
    if isinstance(led, Ledger):
        return led
    if isinstance(led, TieredLedger) and all(isinstance(p, Ledger) for p in led.parts):
        return led.merged(views(result.spec, result.spec.architectures[
            [a.name for a in result.spec.architectures].index(architecture)]))
    names = list(result.architectures)
    if result.spec is None or architecture not in names or result.engine not in ("des", "fast"):
        raise FleetError(f"replication {replication} of {architecture!r} cannot be replayed: the "
                         "result does not say which scenario or engine ran it")
    ai = [a.name for a in result.spec.architectures].index(architecture)
    draws = None if result.draws is None else result.draws.rows((replication,))
    _, _, dated = run_chunk(result.spec, ai, (replication,), result.seed, result.engine, True, draws)
    out = dated[(replication, architecture)]
    if isinstance(out, TieredLedger):  # a design: its tiers' rows as one ledger
        sc = result.spec if draws is None else draws.scenario(result.spec, replication)
        return out.merged(views(sc, sc.architectures[ai]))
    return out  # type: ignore[return-value]
