"""`cpo report`: the comparison (and optionally the tornado and a break-even) as one HTML page.

Thin: run the scenario once (as `cpo compare` does), feed that run to the decisions' evaluator so
the tornado and the break-even re-simulate only what an input changes, and hand everything to the
presentation layer (:mod:`cli.report`), which writes the page.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from cli._common import (
    check_output_folder,
    domain_errors,
    err,
    refuse_writing_over_inputs,
    scenario_inputs,
)
from cli.options import BASELINE, SAVED_RUN, SCENARIO, RunOptions, run_options


def register(app: typer.Typer) -> None:
    app.command("report")(report)


@run_options
def report(
    scenario: Path | None = SCENARIO,
    output: Path = typer.Option(..., "--output", "-o", dir_okay=False,
                                help="The HTML file to write (one self-contained page)."),
    baseline: str | None = BASELINE,
    with_tornado: bool = typer.Option(
        False, "--tornado/--no-tornado", help="Add the tornado: each input with a published range at "
        "its low and high (re-simulates the architectures an input changes: slower)."),
    arch: str | None = typer.Option(None, "--arch", help="The architecture the verdict, the "
                                    "tornado and the break-even judge against the baseline "
                                    "(default: the CPO one; of several, the cheapest)."),
    n_hinges: int = typer.Option(3, "--hinges", min=0, max=20, help="How many of the inputs that "
                                 "swing the difference most the verdict solves for the value that "
                                 "flips it (on the first screen); 0: none."),
    breakeven_path: str | None = typer.Option(
        None, "--breakeven", help="Also solve for the value of this field path at which --arch "
        "equals the baseline on TCO (with --between), e.g. "
        "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"),
    between: tuple[float, float] | None = typer.Option(
        None, "--between", help="LO HI: the range the break-even is searched in (default: the "
        "value / 100 to x 100)."),
    run: RunOptions = RunOptions(),
    saved: Path | None = SAVED_RUN,
) -> None:
    """Write a self-contained HTML decision report for someone who will not run the tool: the
    question and the verdict, every result with its interval, figures, the tornado and break-even
    when asked, the life models, every assumption with its source, and how to reproduce it."""
    check_output_folder(output, "--output")
    refuse_writing_over_inputs([*scenario_inputs(scenario), saved], {"--output": output})
    if between is not None and breakeven_path is None:
        raise typer.BadParameter("--between is the range of a --breakeven PATH; give the path too",
                                 param_hint="--between")
    with domain_errors():
        from cli.render.report import build_report
        from cli.running import judged, open_workers, saved_or_scenario
        from fleet_models.decisions.evaluator import Evaluator
        from fleet_models.decisions.verdict import of_run, question
        from fleet_models.errors import DecisionError, FleetError

        sc, result = saved_or_scenario(saved, scenario)
        arch, baseline = question(sc, result, arch, baseline)
        if arch == baseline:
            raise DecisionError(f"--arch {arch!r} is the baseline; choose another architecture")
        frame = found = runs = None
        with open_workers(run) as pool:
            if result is None:  # the comparison's runs, the verdict and what flips it
                j = judged(sc, run, pool, run.quiet, baseline, arch, n_hinges)
                result, answer, ev, frame = j.shown, j.answer, j.evaluator, j.tornado
            else:  # a saved run: its own kind of probability; a tornado or break-even simulates
                answer = of_run(result, baseline, arch)
                ev = Evaluator(replications=result.n_replications, seed=result.seed, force=run.force,
                               engine=run.engine, progress=None if run.quiet else err, executor=pool)
                ev.reuse(result)
            t0 = time.perf_counter()
            if with_tornado and frame is None:
                from fleet_models.decisions.tornado import tornado

                frame = tornado(sc, ev, arch, baseline)
            if breakeven_path is not None:
                from fleet_models.decisions.breakeven import breakeven, default_range

                lo, hi = between if between is not None else default_range(sc, breakeven_path)
                found = breakeven(sc, ev, breakeven_path, arch, baseline, lo, hi, grid=9)
            runs = ev.runs if (frame is not None or found is not None) else None
        t1 = time.perf_counter()
        page = build_report(result, baseline=baseline, tornado=frame,
                            tornado_pair=(arch, baseline) if frame is not None else None,
                            tornado_runs=runs, breakeven=found, command=sys.argv[1:],
                            scenario_file=scenario if scenario is not None and scenario.is_file() else None,
                            answer=answer)
        from failure_data.files import write_text_atomic

        try:
            write_text_atomic(output, page)
        except OSError as e:
            raise FleetError(f"cannot write {str(output)!r}: {e.strerror or e}; choose another "
                             "--output") from None
    if not run.quiet:
        extra = f"; decisions {t1 - t0:.1f} s ({runs} simulations)" if runs is not None else ""
        err(f"wrote {output} ({len(page) / 1e6:.1f} MB; page built in "
            f"{time.perf_counter() - t1:.1f} s{extra})")
