"""`cpo sweep`, `cpo tornado`, `cpo breakeven`, `cpo pilot`: which unknowns decide the answer.

Thin commands over :mod:`fleet_models.decisions`: parse, call, render. Every variant of a
scenario runs on the same seed (common random numbers); see the README's "Decisions" section.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from cli._common import (
    check_output_folder,
    console,
    domain_errors,
    emit_json,
    err,
    in_cli_words,
    refuse_writing_over_inputs,
    resolve_scenario,
    scenario_inputs,
)
from cli.options import JSON_OUTPUT, SCENARIO, RunOptions, run_options
from cli.running import open_workers
from failure_data.numbers import number, usd
from fleet_models.model.metrics import BY_NAME as METRICS

MetricChoice = StrEnum("MetricChoice", {name: name for name in METRICS})
"""``--metric``: every metric `cpo compare` prints (fleet_models.model.metrics.BY_NAME)."""


def _metric_option() -> Any:
    return typer.Option("tco", "--metric", case_sensitive=False, help="The metric compared: tco, "
                        "availability, or any other `cpo compare` prints (job_interruptions, "
                        "gpu_hours_lost, a cost part such as downtime, ...).")


AGAINST = typer.Option(None, "--against", help="The architecture compared with (default: the "
                       "scenario's first).")


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep)
    app.command("tornado")(tornado)
    app.command("breakeven")(breakeven)
    app.command("pilot")(pilot)


def _evaluator(run: RunOptions, pool: Any, quiet: bool):
    """The decision's evaluator: every point it simulates runs on ``pool`` (the command's
    workers: local processes or the --dask cluster)."""
    from cli._common import say_if_compiling
    from fleet_models.decisions.evaluator import Evaluator

    say_if_compiling(quiet)  # its points run on the fast engine wherever it models the scenario
    return Evaluator(replications=run.replications, seed=run.seed, force=run.force, engine=run.engine,
                     progress=None if quiet else err, executor=pool)


def _table(frame: Any, title: str) -> None:
    from rich.table import Table
    from rich.text import Text

    t = Table(title=Text(title))
    for col in frame.columns:
        t.add_column(Text(str(col)), justify="left" if frame[col].dtype == object else "right")
    for row in frame.itertuples(index=False):
        t.add_row(*(Text(_cell(v)) for v in row))
    console().print(t)


def _cell(v: Any) -> str:
    return number(v, 4) if isinstance(v, float) else str(v)


@run_options
def sweep(
    scenario: Path | None = SCENARIO,
    vary: list[str] = typer.Option(..., "--vary", help="PATH=V1,V2,... (repeat for a grid); PATH as "
                                   "in error messages, e.g. policy.switch_replacement_hours=4,8,16 "
                                   "or architectures.cpo-els.components.optical-engine.life.fit_per_1e9h=400,3000"),
    baseline: str | None = typer.Option(None, "--baseline", "-b", help="Architecture the differences "
                                        "are taken from (default: the scenario's first)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Also write the grid's table as CSV.",
                                    dir_okay=False),
    metric: MetricChoice = _metric_option(),
    run: RunOptions = RunOptions(),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Run the scenario at every point of a grid of field values: per point and architecture the
    mean TCO with its interval, availability, goodput, and the paired difference from the baseline
    of --metric (the TCO, with P(cheaper), unless another is named). Only architectures a value changes are re-simulated; prices re-simulate
    nothing."""
    check_output_folder(out, "--out")
    refuse_writing_over_inputs(scenario_inputs(scenario), {"--out": out})
    with domain_errors(json_output):
        from fleet_models.decisions.sweep import parse_vary
        from fleet_models.decisions.sweep import sweep as run_sweep

        grid = dict(parse_vary(v) for v in vary)
        sc = resolve_scenario(scenario)
        with open_workers(run) as pool:
            ev = _evaluator(run, pool, run.quiet or json_output)
            frame = run_sweep(sc, grid, ev, baseline, METRICS[str(metric)])
        if out is not None:
            from failure_data.files import atomic_path

            with atomic_path(out) as tmp:
                frame.to_csv(tmp, index=False)
    if json_output:
        emit_json({"scenario": sc.name, "vary": grid, "metric": METRICS[str(metric)], "simulations": ev.runs,
                   "points": frame.to_dict(orient="records")})
        return
    _table(frame, f"{sc.name}: sweep of {', '.join(grid)} ({ev.runs} simulations)")
    if out is not None and not run.quiet:
        err(f"wrote {out}")


@run_options
def tornado(
    scenario: Path | None = SCENARIO,
    arch: str | None = typer.Option(None, "--arch", help="The architecture whose difference is "
                                    "explained (default: the CPO one, the scenario's last of several)."),
    against: str | None = AGAINST,
    plot: Path | None = typer.Option(None, "--plot", help="Also draw the tornado (PNG or SVG).",
                                     dir_okay=False),
    run: RunOptions = RunOptions(),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Which unknown moves the TCO difference most: every input with a published range (catalog
    low and high) at its low and its high, the others at their values, ranked by the swing."""
    check_output_folder(plot, "--plot")
    refuse_writing_over_inputs(scenario_inputs(scenario), {"--plot": plot})
    with domain_errors(json_output):
        from cli.render.figures import plot_tornado
        from fleet_models.decisions.tornado import tornado as run_tornado
        from fleet_models.decisions.verdict import question

        sc = resolve_scenario(scenario)
        arch, against = question(sc, None, arch, against)
        with open_workers(run) as pool:
            ev = _evaluator(run, pool, run.quiet or json_output)
            frame = run_tornado(sc, ev, arch, against)
        if plot is not None:
            ax = plot_tornado(frame, title=f"{arch} - {against}: mean TCO difference (USD)")
            ax.figure.tight_layout()
            from failure_data.files import atomic_path

            with atomic_path(plot) as tmp:
                ax.figure.savefig(tmp)
    if json_output:
        emit_json({"scenario": sc.name, "arch": arch, "against": against, "simulations": ev.runs,
                   "inputs": frame.to_dict(orient="records")})
        return
    from cli.render.tornado import tornado_table

    console().print(tornado_table(frame, f"{sc.name}: TCO of {arch} minus {against} "
                                  f"({usd(frame['base'].iloc[0], signed=True)} with every input at "
                                  "its value), each input at its low and high"))
    if plot is not None and not run.quiet:
        err(f"wrote {plot}")


@run_options
def breakeven(
    scenario: Path | None = SCENARIO,
    vary: str = typer.Option(..., "--vary", help="The field path to solve for, e.g. "
                             "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"),
    between: tuple[float, float] | None = typer.Option(
        None, "--between", help="LO HI: the range searched (default: the value / 100 to x 100)."),
    metric: MetricChoice = _metric_option(),
    arch: str | None = typer.Option(None, "--arch", help="The architecture that should win "
                                    "(default: the one the path lies in, else the CPO one)."),
    against: str | None = AGAINST,
    run: RunOptions = RunOptions(),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """The value of a field at which one architecture equals another (mean paired difference
    zero), with an interval: how reliable must CPO engines be, or how fast a switch swap, for
    CPO to win? A choice field (device_unit, fabric.homing) is tried at each of its values."""
    with domain_errors(json_output):
        from fleet_models.decisions.breakeven import breakeven as solve
        from fleet_models.decisions.breakeven import default_range
        from fleet_models.decisions.verdict import question
        from fleet_models.errors import DecisionError
        from fleet_models.model.paths import architecture_of

        sc = resolve_scenario(scenario)
        arch, against = question(sc, None, arch or architecture_of(vary, sc), against)
        from fleet_models.model.paths import choices_at

        if between is not None and choices_at(sc, vary) is not None:
            raise DecisionError(f"--between: {vary} is a choice of {', '.join(choices_at(sc, vary))}; "
                                "every value is tried, so drop --between")
        lo, hi = between if between is not None else default_range(sc, vary)
        with open_workers(run) as pool:
            ev = _evaluator(run, pool, run.quiet or json_output)
            answer = solve(sc, ev, vary, arch, against, lo, hi, METRICS[str(metric)])
    if json_output:
        doc = {k: v for k, v in answer.__dict__.items()}
        doc.update(interval=list(answer.interval), text=in_cli_words(answer.text()),
                   simulations=ev.runs)
        emit_json(doc)
        return
    console().print(in_cli_words(answer.text()))


@run_options
def pilot(
    scenario: Path | None = SCENARIO,
    component: str = typer.Option(..., "--component", help="The component the pilot ran, e.g. "
                                  "optical-engine."),
    device_hours: float | None = typer.Option(
        None, "--device-hours", help="Device-hours the pilot observed, in the device the "
        "component's rate counts: for a catalog rate per device (cpo-engine-field, "
        "pluggable-device-field), as the scenario's device_unit reads it (port-400g, the default: "
        "400G port-hours, so one hour of a 3.2T engine is 8; device: hours of one unit); for a "
        "rate per unit, unit-hours. The answer says which. Or give --unit-hours."),
    unit_hours: float | None = typer.Option(
        None, "--unit-hours", help="Instead of --device-hours: hours of the component's own units "
        "the pilot observed (engine-hours of optical-engine), converted to device-hours."),
    failures: int = typer.Option(..., "--failures", min=0, help="Failures the pilot saw."),
    arch: str | None = typer.Option(None, "--arch", help="The architecture judged (default: the "
                                    "first holding the component)."),
    against: str | None = AGAINST,
    prior_fit: tuple[float, float] | None = typer.Option(
        None, "--prior-fit", help="LO HI: a gamma prior with 90 % of its mass in [LO, HI] FIT, per "
        "device as --device-hours counts them (default: the catalog range of the component's "
        "life, else the flat prior)."),
    flat: bool = typer.Option(False, "--flat", help="Use the flat (weakest) prior: the posterior's "
                              "quantiles are then the chi-square bounds."),
    target: float = typer.Option(0.9, "--target", min=0.5, max=0.999,
                                 help="The P(cheaper) the search for more pilot months aims at."),
    run: RunOptions = RunOptions(),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """What a pilot proves: P(the architecture is cheaper than the baseline) with the component's
    failure rate drawn from the prior and from the posterior after the pilot (gamma-Poisson), and
    how many more failure-free switch-months would move it past the target."""
    with domain_errors(json_output):
        from fleet_models.decisions.pilot import pilot as run_pilot
        from fleet_models.errors import DecisionError
        from reliability.rates import GammaRate

        if flat and prior_fit is not None:
            raise DecisionError("give --flat or --prior-fit, not both")
        prior = GammaRate.flat() if flat else (GammaRate.from_range(*prior_fit) if prior_fit else None)
        sc = resolve_scenario(scenario)
        with open_workers(run) as pool:
            ev = _evaluator(run, pool, run.quiet or json_output)
            answer = run_pilot(sc, ev, component, device_hours, failures, arch=arch,
                               against=against, prior=prior, target=target, unit_hours=unit_hours)
    if json_output:
        emit_json({**answer.to_dict(), "simulations": ev.runs})
        return
    out = console()
    a = answer
    before = "no answer (flat prior)" if a.p_before is None else f"{a.p_before * 100:.0f} %"
    d = a.device
    per = "per device" if d is None or d.reading is not None else f"per {a.component}"
    unit_mean = ("" if d is None or d.per_unit == 1.0 else
                 f" ({a.posterior.mean_fit() * d.per_unit:,.0f} FIT per {a.component})")
    out.print(in_cli_words(
        f"{a.component}: {a.note or 'prior given (--prior-fit, FIT ' + per + ')'}; posterior mean "
        f"{a.posterior.mean_fit():,.0f} FIT {per}{unit_mean} after {failures} failure(s) in "
        f"{d.text() if d is not None else f'{device_hours:g} h'}"))
    out.print(f"P({a.arch} cheaper than {a.against}): before the pilot {before}, after "
              f"{a.p_after * 100:.0f} %")
    if a.more_switch_months is None:
        out.print(f"No number of failure-free switch-months moves it past {a.target * 100:.0f} %: "
                  f"the {a.component} rate is not what decides it.")
    elif a.more_switch_months == 0:
        out.print(f"Already past {a.target * 100:.0f} %.")
    else:
        out.print(f"About {a.more_switch_months:,.0f} more switch-months with no failure of "
                  f"{a.component} would move it past {a.target * 100:.0f} %.")
