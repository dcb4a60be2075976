"""`cpo simulate`: run a scenario's replications and report means with 95 % intervals."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from cli._common import console, domain_errors, emit_json, err, say_if_compiling, to_json

# the options simulate and compare share, declared once
REPLICATIONS = typer.Option(None, "--replications", "-n", min=1,
                            help="Replications per architecture (default: the scenario's `replications`).")
SEED = typer.Option(None, "--seed", min=0, help="Seed of the run (default: the scenario's `seed`).")
WORKERS = typer.Option(None, "--workers", "-w", min=1,
                       help="Worker processes (default: min(CPUs, 2); 1 runs in this process). "
                       "Results do not depend on it.")
DASK = typer.Option(None, "--dask", metavar="ADDRESS",
                    help="Run the replications on a Dask cluster: its scheduler's address "
                    "(tcp://HOST:8786, from `dask scheduler`; workers join with `dask worker "
                    "ADDRESS` and need this cpo-analyzer installed), or `local` for a cluster of "
                    "--workers processes on this machine. Results do not depend on it.")
QUIET = typer.Option(False, "--quiet", "-q", help="No progress bar or messages.")
ENGINE = typer.Option("auto", "--engine", help="Simulation engine: fast (compiled with numba), des "
                      "(SimPy, the reference semantics), or auto: fast when it models the scenario, "
                      "else des (saying why on stderr).", case_sensitive=False)
FORCE = typer.Option(False, "--force", help="Start a run larger than the cap on expected failure "
                     "events (fleet_models.runs.estimate.MAX_FAILURES) anyway.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `cpo` app."""
    app.command("simulate")(simulate)
    app.command("compare")(compare)


def simulate(
    scenario: Path | None = typer.Argument(
        None, help="Scenario TOML file (see `cpo scenario init`) or a built-in scenario's name; "
        "omit it to run the built-in default scenario.", show_default=False,
    ),
    replications: int | None = REPLICATIONS,
    seed: int | None = SEED,
    workers: int | None = WORKERS,
    json_output: bool = typer.Option(
        False, "--json", help="Write the summary as one JSON document on stdout, nothing else.",
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", file_okay=False,
        help="Also write DIR/replications.csv (one row per replication and architecture, "
        "written block by block as the replications finish) "
        "and DIR/summary.json.",
    ),
    quiet: bool = QUIET,
    force: bool = FORCE,
    engine: str = ENGINE,
    dask: str | None = DASK,
) -> None:
    """Simulate every architecture of a fleet scenario (Monte Carlo; a compiled event loop, or the
    SimPy reference engine): port availability,
    failures, swaps, switch replacements, spares, technician hours and job interruptions, each
    as the mean over replications with its 95 % confidence interval."""
    with domain_errors(json_output):
        sc = _load(scenario)
        with open_workers(replications, seed, workers, dask) as pool, _rows_to(out) as rows_out:
            result = _run(sc, replications, seed, pool, force, engine, quiet=quiet,
                          rows_out=rows_out)
        if out is not None:
            _write(result, out, quiet)
    if json_output:
        emit_json(result.to_dict())
    else:
        result.print_summary(console())


def compare(
    scenario: Path | None = typer.Argument(
        None, help="Scenario TOML file or a built-in scenario's name (`cpo scenario list`); omit "
        "it to compare the built-in default scenario's architectures.", show_default=False,
    ),
    baseline: str | None = typer.Option(
        None, "--baseline", "-b", help="Architecture the others are compared with (default: the "
        "scenario's first).",
    ),
    replications: int | None = REPLICATIONS,
    seed: int | None = SEED,
    workers: int | None = WORKERS,
    json_output: bool = typer.Option(
        False, "--json", help="simulate's JSON document plus `differences` and `verdict`, on stdout.",
    ),
    quiet: bool = QUIET,
    force: bool = FORCE,
    engine: str = ENGINE,
    dask: str | None = DASK,
) -> None:
    """Compare the architectures of a scenario: availability, service events, GPU-hours lost and
    total cost of ownership (discounted, with intervals), each against a baseline, with a verdict."""
    with domain_errors(json_output):
        from cli.render.compare import comparison, verdict

        sc = _load(scenario)
        if baseline is not None and baseline not in [a.name for a in sc.architectures]:
            from fleet_models.errors import FleetError

            raise FleetError(f"--baseline {baseline!r} is not an architecture of the scenario; choose "
                             "one of " + ", ".join(a.name for a in sc.architectures))
        with open_workers(replications, seed, workers, dask) as pool:
            result = _run(sc, replications, seed, pool, force, engine, quiet=quiet or json_output)
            fixed = None
            if sc.uncertainty:  # what the spread owes to unknown inputs: the same run, inputs fixed
                import dataclasses

                fixed = _run(dataclasses.replace(sc, uncertainty=False), replications, seed, pool,
                             force, engine, quiet=quiet or json_output)
        table = comparison(result, baseline)
        words = verdict(result, baseline)
        spread = None
        if fixed is not None:
            from fleet_models.decisions.tornado import spread_sources

            spread = spread_sources(result, fixed, baseline)
    if json_output:
        doc = result.to_dict()
        doc["differences"] = result.differences(baseline).to_dict(orient="records")
        doc["verdict"] = words
        doc["spread"] = None if spread is None else spread.to_dict(orient="records")
        emit_json(doc)
        return
    from rich.table import Table
    from rich.text import Text

    years = result.horizon_hours / 8766.0
    t = Table(title=Text(f"{result.scenario}: {result.n_replications} replications, {years:g} years, "
                         f"seed {result.seed}; costs discounted at "
                         f"{result.spec.costs.discount_rate * 100:g} %/yr"))
    t.add_column("measure")
    for arch in table.columns:
        t.add_column(Text(arch), justify="right")
    for label, row in table.iterrows():
        t.add_row(Text(str(label)), *(Text(str(v)) for v in row))
    out = console()
    out.print(t)
    out.print(Text(words))
    if spread is not None:
        s = Table(title=Text("Spread of the TCO across replications: from not knowing the inputs "
                             "(drawn per replication) and from chance (inputs fixed)"))
        for col in ("of", "sd total", "sd chance", "from inputs", "from chance"):
            s.add_column(col, justify="left" if col == "of" else "right")
        for r in spread.itertuples():
            s.add_row(Text(r.of), f"${r.sd_total:,.0f}", f"${r.sd_chance:,.0f}",
                      f"{r.share_from_inputs * 100:.0f} %", f"{r.share_from_chance * 100:.0f} %")
        out.print(s)


@contextlib.contextmanager
def open_workers(replications: int | None, seed: int | None, workers: int | None,
                 dask: str | None) -> Iterator[Any]:
    """The command's workers (fleet_models.runs.parallel.open_workers: local processes, or the Dask
    cluster of --dask), opened once for every run the command makes; the flags' ranges are
    checked first, naming the flag."""
    from fleet_models.runs.parallel import open_workers as open_
    from fleet_models.runs.runner import check_run_arguments

    check_run_arguments(replications, seed, workers)
    if dask is not None:  # what goes wrong is said once, as a ClusterError: not Dask's log lines
        import logging

        import distributed  # noqa: F401  (its import sets its loggers' levels: set ours after)

        for name in ["distributed", *logging.root.manager.loggerDict]:
            if name == "distributed" or name.startswith("distributed."):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        if dask.strip().lower() == "local":
            # Ctrl-C ends the local cluster's workers at once (cli.main); multiprocessing's
            # resource tracker then unlinks the semaphores they held, with a warning per run
            # that would break the one-line message: the tracker it starts inherits this filter
            sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    with open_(workers, dask) as pool:
        yield pool


def _run(sc: Any, replications: int | None, seed: int | None, pool: Any, force: bool,
         engine: str, *, quiet: bool, rows_out: Any = None) -> Any:
    """simulate's and compare's run on ``pool`` (:func:`open_workers`): the time said when it is
    more than a few seconds, a progress bar on a terminal; the library refuses a run above its
    cap unless forced."""
    from fleet_models.engines.registry import select_engine
    from fleet_models.runs.estimate import estimate
    from fleet_models.runs.runner import run
    from fleet_models.runs.sanity import notes

    for note in notes(sc):  # legal but absurd values: said before the run, even with --quiet
        err(f"Note: {note}")
    chosen, why = select_engine(sc, engine.lower(), seed)
    if why is not None and not quiet:  # the whole reason: FleetResult.engine_note
        first, _, rest = why.partition("; the fast engine does not model ")
        err(f"engine: SimPy, because {first}" + (" (and in other architectures)" if rest else ""))
    if chosen == "fast":
        say_if_compiling(quiet)
    est = estimate(sc, replications, pool.slots, chosen)
    if est.seconds > 5 and not quiet and (force or not est.too_large):
        err(f"simulating {est.text()} on {est.workers} worker(s): {pool.where}")
    with _progress(enabled=not quiet and sys.stderr.isatty()) as progress:
        return run(sc, replications=replications, seed=seed, progress=progress, force=force,
                   engine=chosen, executor=pool, rows_out=rows_out)


def _load(path: Path | None) -> Any:
    from cli._common import resolve_scenario

    return resolve_scenario(path)


def _cannot_write(out: Path, e: OSError) -> Exception:
    from fleet_models.errors import FleetError

    return FleetError(f"cannot write results to {str(out)!r}: {e.strerror or e}; "
                      "choose another --out directory")


@contextlib.contextmanager
def _rows_to(out: Path | None) -> Iterator[Any]:
    """rows_out for run(): each block of per-replication rows appended to OUT/replications.csv
    as it arrives (a temporary file renamed into place when the run ends well, removed when it
    does not), so the rows are never all held as text; None without --out."""
    if out is None:
        yield None
        return
    from failure_data.files import atomic_path

    stack = contextlib.ExitStack()
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = stack.enter_context(atomic_path(out / "replications.csv"))
        f = stack.enter_context(open(tmp, "w", newline="", encoding="utf-8"))
    except OSError as e:
        stack.close()
        raise _cannot_write(out, e) from None

    def write(frame: Any) -> None:
        try:
            frame.to_csv(f, index=False, header=f.tell() == 0)
        except OSError as e:
            raise _cannot_write(out, e) from None

    ran = False
    try:
        with stack:
            yield write
            ran = True
    except OSError as e:
        if not ran:  # the run's own error, not the file's
            raise
        raise _cannot_write(out, e) from None


def _write(result: Any, out: Path, quiet: bool) -> None:
    try:
        from failure_data.files import write_text_atomic

        write_text_atomic(out / "summary.json", to_json(result.to_dict()) + "\n")
    except OSError as e:
        raise _cannot_write(out, e) from None
    if not quiet:
        err(f"wrote {out / 'replications.csv'} and {out / 'summary.json'}")


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
