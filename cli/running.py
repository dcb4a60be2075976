"""How a command that simulates runs: its workers opened once, the time said before a long run, a
progress bar on a terminal, notes on absurd values; and a saved run loaded instead when asked."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cli._common import console, err, resolve_scenario, say_if_compiling
from cli.options import RunOptions


@contextlib.contextmanager
def open_workers(run: RunOptions) -> Iterator[Any]:
    """The command's workers (fleet_models.runs.parallel.open_workers: local processes, or the
    Dask cluster of --dask), opened once for every run the command makes; the flags' ranges are
    checked first, naming the flag."""
    from fleet_models.engines.registry import check_engine
    from fleet_models.runs.parallel import open_workers as open_
    from fleet_models.runs.runner import check_run_arguments

    check_run_arguments(run.replications, run.seed, run.workers)
    check_engine(run.engine)
    if run.dask is not None:  # what goes wrong is said once, as a ClusterError: not Dask's log lines
        import logging

        import distributed  # noqa: F401  (its import sets its loggers' levels: set ours after)

        for name in ["distributed", *logging.root.manager.loggerDict]:
            if name == "distributed" or name.startswith("distributed."):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        if run.dask.strip().lower() == "local":
            # Ctrl-C ends the local cluster's workers at once (cli.main); multiprocessing's
            # resource tracker then unlinks the semaphores they held, with a warning per run
            # that would break the one-line message: the tracker it starts inherits this filter
            sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    with open_(run.workers, run.dask) as pool:
        yield pool


def simulate(sc: Any, run: RunOptions, pool: Any, *, quiet: bool | None = None,
             rows_out: Any = None, uncertainty: bool | None = None) -> Any:
    """One run of ``sc`` on ``pool`` (:func:`open_workers`): the time said when it is more than a
    few seconds, a progress bar on a terminal; the library refuses a run above its cap unless
    forced. ``uncertainty`` overrides the scenario's."""
    import dataclasses

    from fleet_models.engines.registry import select_engine
    from fleet_models.runs.estimate import estimate
    from fleet_models.runs.runner import run as run_
    from fleet_models.runs.sanity import notes

    quiet = run.quiet if quiet is None else quiet
    if uncertainty is not None and uncertainty != sc.uncertainty:
        sc = dataclasses.replace(sc, uncertainty=uncertainty)
    for note in notes(sc):  # legal but absurd values: said before the run, even with --quiet
        err(f"Note: {note}")
    chosen, why = select_engine(sc, run.engine, run.seed)
    if why is not None and not quiet:  # the whole reason: FleetResult.engine_note
        first, _, rest = why.partition("; the fast engine does not model ")
        err(f"engine: SimPy, because {first}" + (" (and in other architectures)" if rest else ""))
    if chosen == "fast":
        say_if_compiling(quiet)
    est = estimate(sc, run.replications, pool.slots, chosen)
    if est.seconds > 5 and not quiet and (run.force or not est.too_large):
        err(f"simulating {est.text()} on {est.workers} worker(s): {pool.where}")
    with _progress(enabled=not quiet and sys.stderr.isatty()) as progress:
        return run_(sc, replications=run.replications, seed=run.seed, progress=progress,
                    force=run.force, engine=chosen, executor=pool, rows_out=rows_out)


def saved_or_scenario(saved: Path | None, scenario: Path | None) -> tuple[Any, Any]:
    """(scenario, saved result or None): the saved run of ``--from DIR`` (re-priced with the
    SCENARIO given, if one is), else the SCENARIO to simulate."""
    if saved is None:
        return resolve_scenario(scenario), None
    from fleet_models.runs.saved import load, repriced

    result = load(saved)
    if scenario is not None:
        result = repriced(result, resolve_scenario(scenario))
    return result.spec, result


class _progress:
    """A rich progress bar on stderr (a no-op when disabled); yields progress(done, total)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress("simulating", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=console(stderr=True), transient=True)
        self.bar.__enter__()
        self.task = self.bar.add_task("simulate", total=None)

        def update(done: int, total: int) -> None:
            self.bar.update(self.task, completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@dataclasses.dataclass(frozen=True)
class Judged:
    """A comparison's runs and verdict (``judged``): the run a table shows (the scenario's own:
    drawn with ``uncertainty = true``, else fixed), both runs, the verdict with its hinges, the
    spread's sources, and the tornado the hinges were read from."""

    shown: Any
    fixed: Any
    drawn: Any
    answer: Any
    spread: Any
    tornado: Any
    evaluator: Any


def judged(sc: Any, run: RunOptions, pool: Any, quiet: bool, baseline: str | None,
           arch: str | None, n_hinges: int) -> Judged:
    """The scenario run with its inputs fixed and drawn (common random numbers; drawn only when
    something is uncertain), the CPO architecture judged against the baseline with both
    probabilities, and the ``n_hinges`` inputs that swing the difference most, each solved for the
    value that flips the verdict (a tornado on the fixed run, re-simulating only what an input
    changes, then a bisection per input)."""
    fixed = simulate(sc, run, pool, quiet=quiet, uncertainty=False)  # (before the heavy imports)
    from fleet_models.decisions.evaluator import Evaluator
    from fleet_models.decisions.tornado import spread_sources, tornado
    from fleet_models.decisions.verdict import hinges, question, uncertain_count, verdict

    drawn = simulate(sc, run, pool, quiet=quiet, uncertainty=True) if uncertain_count(sc) else None
    arch, against = question(sc, fixed, arch, baseline)
    ev = Evaluator(replications=fixed.n_replications, seed=fixed.seed, force=run.force,
                   engine=run.engine, progress=None if quiet else err, executor=pool)
    ev.reuse(fixed)  # the fixed run: only what an input changes is simulated again
    frame, found = None, []
    if n_hinges and drawn is not None:
        frame = tornado(sc, ev, arch, against)
        found = hinges(sc, ev, arch, against, n_hinges, frame=frame)
    answer = verdict(fixed, arch, against, drawn, found)
    shown = drawn if sc.uncertainty and drawn is not None else fixed
    spread = spread_sources(drawn, fixed, against) if drawn is not None else None
    return Judged(shown, fixed, drawn, answer, spread, frame, ev)
