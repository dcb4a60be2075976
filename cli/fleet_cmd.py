"""`cpo simulate` and `cpo compare`: run a scenario's replications, report means with 95 %
intervals, and compare its architectures (or re-price and re-report a saved run)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from cli._common import (
    console,
    domain_errors,
    emit_json,
    err,
    refuse_writing_over_inputs,
    scenario_inputs,
    to_json,
)
from cli.options import BASELINE, JSON_OUTPUT, SAVED_RUN, SCENARIO, RunOptions, run_options

SUMMARY = "summary.json"  # `cpo simulate --out DIR`'s --json document, beside the saved run


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `cpo` app."""
    app.command("simulate")(simulate)
    app.command("compare")(compare)


@run_options
def simulate(
    scenario: Path | None = SCENARIO,
    run: RunOptions = RunOptions(),
    json_output: bool = JSON_OUTPUT,
    out: Path | None = typer.Option(
        None, "--out", "-o", file_okay=False,
        help="Also save the run in DIR: replications.csv (one row per replication and architecture, "
        "written block by block as the replications finish), summary.json, and what `cpo compare "
        "--from DIR` and `cpo report --from DIR` re-price and re-report without simulating "
        "(scenario.toml, ledgers.npz, draws.csv, run.json)."),
) -> None:
    """Simulate every architecture of a fleet scenario (Monte Carlo; a compiled event loop, or the
    SimPy reference engine): port availability,
    failures, swaps, switch replacements, spares, technician hours and job interruptions, each
    as the mean over replications with its 95 % confidence interval."""
    from cli.running import open_workers
    from cli.running import simulate as simulate_

    if out is not None:
        from fleet_models.runs.saved import FILES

        refuse_writing_over_inputs(scenario_inputs(scenario),
                                   {"--out": [out / f for f in (*FILES, SUMMARY)]})
    with domain_errors(json_output):
        from cli._common import resolve_scenario

        sc = resolve_scenario(scenario)
        with open_workers(run) as pool, _rows_to(out) as rows_out:
            result = simulate_(sc, run, pool, rows_out=rows_out)
            if out is not None:  # while the folder is held: one run's files, all of them
                _write(result, out, run.quiet)
    if json_output:
        emit_json(result.to_dict())
    else:
        result.print_summary(console())


ARCH = typer.Option(None, "--arch", help="The architecture the verdict and its hinges judge "
                    "against the baseline (default: the CPO one; of several, the cheapest).")
HINGE_COUNT = typer.Option(3, "--hinges", min=0, max=20, help="How many of the inputs that swing "
                           "the difference most the verdict solves for the value that flips it "
                           "(a tornado and a break-even each); 0: none.")


@run_options
def compare(
    scenario: Path | None = SCENARIO,
    baseline: str | None = BASELINE,
    arch: str | None = ARCH,
    n_hinges: int = HINGE_COUNT,
    run: RunOptions = RunOptions(),
    json_output: bool = JSON_OUTPUT,
    saved: Path | None = SAVED_RUN,
) -> None:
    """Compare the architectures of a scenario: availability, service events, GPU-hours lost and
    total cost of ownership (discounted, with intervals), each against a baseline, with a verdict:
    the CPO architecture against the baseline, how often it is cheaper over chance alone (inputs
    fixed) and over the inputs' declared uncertainty, and what flips it. JSON: simulate's
    document plus `differences`, `verdict`, `answer` (the two probabilities), `hinges` and
    `spread`."""
    from cli.running import judged, open_workers, saved_or_scenario

    quiet = run.quiet or json_output
    with domain_errors(json_output):
        from cli.render.compare import comparison

        sc, result = saved_or_scenario(saved, scenario)
        spread = None
        if result is None:
            with open_workers(run) as pool:
                j = judged(sc, run, pool, quiet, baseline, arch, n_hinges)
            result, answer, spread = j.shown, j.answer, j.spread
        else:  # a saved run: its own kind of probability, no hinges (they simulate)
            from fleet_models.decisions.verdict import of_run

            answer = of_run(result, baseline, arch)
        baseline = answer.against
        table = comparison(result, baseline)
    if json_output:
        doc = result.to_dict()
        doc["differences"] = result.differences(baseline).to_dict(orient="records")
        doc["verdict"] = answer.text()
        doc["answer"] = answer.to_dict()
        doc["hinges"] = [h.to_dict() for h in answer.hinges]
        doc["spread"] = None if spread is None else spread.to_dict(orient="records")
        emit_json(doc)
        return
    from cli.render.compare import print_comparison

    print_comparison(console(), result, table, answer, spread)


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
    from failure_data.files import atomic_path, folder_lock

    stack = contextlib.ExitStack()
    try:
        out.mkdir(parents=True, exist_ok=True)
        stack.enter_context(folder_lock(out))  # two runs at once: the second is refused
        tmp = stack.enter_context(atomic_path(out / "replications.csv"))
        f = stack.enter_context(open(tmp, "w", newline="", encoding="utf-8"))
    except BaseException as e:  # the folder released, whatever stopped it
        stack.close()
        if isinstance(e, OSError):
            raise _cannot_write(out, e) from None
        raise

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
    from failure_data.files import write_text_atomic
    from fleet_models.runs.saved import save

    try:
        written = save(result, out, rows=False)  # the rows were streamed as they came
        write_text_atomic(out / SUMMARY, to_json(result.to_dict()) + "\n")
    except OSError as e:
        raise _cannot_write(out, e) from None
    if not quiet:
        names = ", ".join(p.name for p in (out / "replications.csv", out / SUMMARY, *written))
        err(f"wrote {names} in {out} (re-price or re-report it with `--from {out}`)")
