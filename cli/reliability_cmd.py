"""`cpo fit`, `cpo degrade`, `cpo bound`, `cpo plan-pilot`: life-data analysis commands.

Only typer is imported at module level; the library (pandas, scipy, lifelines,
matplotlib) is imported inside the commands, so `cpo --help` stays fast.

JSON documents (one shape per command, keys that do not apply are null):

* ``cpo fit``: distribution, parameters, units, intervals, standard_errors,
  covariance, confidence, interval_method, log_likelihood, aic, converged,
  n_units, n_failures, n_records, mttf_hours, b10_hours, dead_on_arrival ({how, dead,
  installed, hours, share, interval, interval_method} or null), ranking (list), auto
  ({chosen, candidates, b10_hours, message} with --dist auto, else null),
  alt (null unless --stress), component, source, saved_to, plot, method, r_squared,
  interval_requested, quantities (list), by (null unless --by), nonparametric (null unless
  --nonparametric), goodness_of_fit (null unless --gof).
* ``cpo degrade``: form, threshold, confidence, t_ref_hours, parameters, intervals (mu, tau,
  sigma, gamma), log_likelihood, n_units, n_readings, life (the LifeModel dict), b10_hours and
  median_hours ([estimate, lower, upper]), predictions (list), arrhenius (null unless --at:
  use_temperature_c, activation_energy_ev, interval, se, temperatures_c), source, other_mode
  (null unless --failures), saved_to, plot.
* ``cpo fit --prior``: see cli.bayes_fit.
* ``cpo fit --modes``: modes ({MODE: the document above}), b10_hours, component, source,
  saved_to ({MODE: path}); see cli.modes_fit.
* ``cpo bound``: method (chi-square | weibayes), confidence, sides, failures,
  device_hours, rate_upper_per_hour, rate_lower_per_hour, fit_upper, fit_lower, fit_estimate,
  mttf_lower_hours, mttf_upper_hours, shape, scale_hours, scale_lower_hours,
  scale_upper_hours, n_units, source.
* ``cpo plan-pilot``: target_fit, confidence, failures_allowed, device_hours,
  units, hours_per_unit, units_per_switch, switches, months.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from cli import fit_intervals
from cli._common import (
    check_output_folder,
    console,
    domain_errors,
    emit_json,
    err,
    import_in_background,
    refuse_writing_over_inputs,
    return_freed_memory,
)
from cli.options import JSON_OUTPUT
from failure_data.units import TimeUnit  # a light module: enum and regex only
from reliability.families import FAMILIES

DistChoice = StrEnum("DistChoice", {"auto": "auto", **{name: name for name in FAMILIES}})
"""`--dist`: auto, or a family of the registry (``reliability.families.FAMILIES``)."""


class DOAChoice(StrEnum):  # reliability.doa.DOAReading's values
    auto = "auto"
    interval = "interval"
    atom = "atom"


class ModelChoice(StrEnum):
    arrhenius = "arrhenius"
    power = "power"


_CONF = typer.Option(0.95, "--confidence", "-c", help="Confidence level in (0, 1), e.g. 0.95.")


def _read(path: Path, time_unit: TimeUnit, as_of: str | None, component: str | None):
    from failure_data.readers import read_life_table
    from reliability.records import select_component

    return_freed_memory()
    table = read_life_table(path, as_of=as_of, time_unit=time_unit.value)
    return select_component(table, component)


def _source(table) -> dict:
    p = table.provenance
    return {"file": p.path, "sha256": p.sha256, "format": p.format, "rows": p.rows, "as_of": p.as_of,
            "time_unit": p.time_unit}


def fit_cmd(
    file: Path = typer.Argument(..., help="Field log (CSV or Parquet): durations, intervals or dated."),
    component: str = typer.Option(None, "--component", help="Fit only this component's rows."),
    dist: DistChoice = typer.Option(
        DistChoice.weibull, "--dist", help="Distribution, or auto to fit all and rank them by AIC."
    ),
    confidence: float = _CONF,
    time_unit: TimeUnit = typer.Option(
        TimeUnit.hours, "--time-unit", help="Unit of duration columns in the file."
    ),
    as_of: str = typer.Option(None, "--as-of", help="Dated logs: end of observation, YYYY-MM-DD."),
    json_output: bool = JSON_OUTPUT,
    save: Path = typer.Option(None, "--save", dir_okay=False, help="Write the fitted LifeModel "
                              "here: MODEL.toml as TOML, MODEL.json as JSON (a scenario reads "
                              "either as `life = { model = \"MODEL.toml\" }`)."),
    plot: Path = typer.Option(None, "--plot", help="Draw the probability plot to FILE.png or FILE.svg."),
    stress: list[str] = typer.Option(None, "--stress", help="ALT: the file's stress column (e.g. "
                                     "temperature_c); one stress per fit."),
    model: ModelChoice = typer.Option(
        ModelChoice.arrhenius, "--model", help="ALT life-stress model: arrhenius (°C) or power."
    ),
    at: float = typer.Option(None, "--at", help="ALT: use-condition stress the model is reported at."),
    interval: fit_intervals.IntervalChoice = fit_intervals.INTERVAL,
    method: fit_intervals.MethodChoice = fit_intervals.METHOD,
    quantile: list[float] = fit_intervals.QUANTILE,
    at_hours: list[float] = fit_intervals.AT_HOURS,
    by: str = fit_intervals.BY,
    shape: float = fit_intervals.SHAPE,
    nonparametric: bool = fit_intervals.NONPARAMETRIC,
    gof: bool = fit_intervals.GOF,
    doa: DOAChoice = typer.Option(
        DOAChoice.auto, "--doa", help="Units failed at age 0: interval (failed in (0, --doa-hours]; "
        "dated logs: their first day), atom (a share failing at installation), auto (interval for "
        "dated logs, atom otherwise)."),
    doa_hours: float = typer.Option(None, "--doa-hours", help="With --doa interval: the end of the "
                                    "first-hours interval a dead-on-arrival unit failed in."),
    modes: bool = typer.Option(False, "--modes", help="Competing failure modes: fit each cause of the "
                               "'mode' column with the other causes' failures censored; --save M.json "
                               "writes M.<mode>.json per mode."),
    prior: list[str] = typer.Option(None, "--prior", help="Bayesian fit: NAME=MEDIAN:ERROR_FACTOR, a "
                                    "lognormal prior on a parameter (e.g. shape=1.5:1.3), or fit=LOW:HIGH "
                                    "(exponential: a gamma prior with 90 %% in [LOW, HIGH] FIT); repeatable."),
    draws: int = typer.Option(1000, "--draws", help="Bayesian fit: posterior draws saved with the model."),
    seed: int = typer.Option(0, "--seed", help="Bayesian fit: seed of the posterior sampling."),
) -> None:
    """Fit a life distribution to a field log (maximum likelihood, every censoring kind).

    Intervals for the parameters, B10, the MTTF, any --quantile and the reliability at any
    --at-hours: likelihood-ratio (profile) or Wald on the log scale (--interval; auto: LR
    with few failures). With --stress/--at, fit an accelerated-life model and report it at the
    use stress.
    """
    fit_intervals.check(quantile, at_hours)
    stress = fit_intervals.one_stress(stress)
    if shape is not None and not shape > 0:
        raise typer.BadParameter(f"{shape:g} is not a Weibull shape > 0", param_hint="--shape")
    if shape is not None and (stress is not None or by is not None):
        raise typer.BadParameter("--shape (Weibayes) is a plain fit: not with --stress or --by", param_hint="--shape")
    if by is not None and (stress is not None or save is not None or plot is not None or dist == DistChoice.auto):
        raise typer.BadParameter("--by fits each group: not with --stress, --save, --plot or --dist auto "
                                 "(fit one group with --component for those)", param_hint="--by")
    if (stress is None) != (at is None):
        raise typer.BadParameter("--stress and --at go together (e.g. --stress temperature_c --at 45)")
    if prior and (modes or stress is not None or plot is not None or dist == DistChoice.auto):
        raise typer.BadParameter("--prior makes a Bayesian fit of one family: name it with --dist, "
                                 "without --modes, --stress, --plot or --dist auto")
    if modes and (stress is not None or plot is not None):
        raise typer.BadParameter("--modes fits one life per failure mode: it does not combine with "
                                 "--stress or --plot (fit a mode's rows with --component, or plot one mode)")
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter(f"--plot {str(plot)!r} must end in .png or .svg")
    if save is not None:
        from reliability.models import MODEL_FILE_FORMATS

        if save.suffix.lower() not in MODEL_FILE_FORMATS:
            raise typer.BadParameter(f"{str(save)!r} must end in {' or '.join(MODEL_FILE_FORMATS)} "
                                     "(the format is the suffix's)", param_hint="--save")
    check_output_folder(save, "--save")
    check_output_folder(plot, "--plot")
    refuse_writing_over_inputs([file], {"--save": save, "--plot": plot})
    with domain_errors(json_output):
        from failure_data.readers import read_life_table

        # lifelines too, for a fit that goes through it (reliability.native fits a Weibull or an
        # exponential of exact and right-censored data without it)
        native = dist.value in ("weibull", "exponential") and stress is None and by is None
        fitting_imported = import_in_background("reliability.fitting", *(() if native else ("lifelines",)))
        return_freed_memory()
        table = read_life_table(file, as_of=as_of, time_unit=time_unit.value)
        fitting_imported()
        from reliability.errors import ParameterError
        from reliability.fitting import fit
        from reliability.records import select_component

        table = select_component(table, component)
        if component is None and "component" in table.data.columns:
            names = sorted({str(v) for v in table.data["component"].dropna().unique()})
            if len(names) > 1:
                err(f"note: {len(names)} components pooled in one fit ({', '.join(names[:8])}); "
                    "fit one with --component NAME")
        if prior:
            from cli.bayes_fit import fit_bayes_cmd

            fit_bayes_cmd(table, dist=dist.value, priors=list(prior), draws=draws, seed=seed,
                          confidence=confidence, doa=doa.value, doa_hours=doa_hours, save=save,
                          json_output=json_output, component=component, source=_source(table))
            return
        if modes:
            from cli.modes_fit import fit_modes_cmd

            fit_modes_cmd(table, dist=dist.value, confidence=confidence, doa=doa.value, doa_hours=doa_hours,
                          save=save, json_output=json_output, component=component, source=_source(table))
            return
        extra = {"component": component} if component else {}
        alt = None
        if stress is not None:
            from reliability.alt import ALTSpec, StressModel, fit_alt

            if dist == DistChoice.auto:
                raise ParameterError("--dist auto cannot be combined with --stress; name the family (weibull, lognormal, ...)")
            if method.value != "mle":
                raise ParameterError("--stress fits by maximum likelihood; leave out --method")
            d = "weibull" if dist == DistChoice.weibull else dist.value
            alt = fit_alt(table, ALTSpec(stress, StressModel(model.value), at, d),  # type: ignore[arg-type]
                          confidence=confidence, extra_provenance=extra)
            result = alt.fit
        elif shape is not None:
            from reliability.weibayes import fit_weibayes

            if dist != DistChoice.weibull or method.value != "mle":
                raise ParameterError("--shape (Weibayes) fits a Weibull by maximum likelihood; leave out "
                                     "--dist and --method")
            result, weibayes = fit_weibayes(table, shape, confidence=confidence, quantiles=quantile or (),
                                            at_hours=at_hours or (), extra_provenance=extra)
        elif method.value != "mle":
            from reliability.rankreg import fit_rank_regression

            if dist == DistChoice.auto:
                raise ParameterError("--dist auto cannot be combined with rank regression; name the family")
            result = fit_rank_regression(table, dist.value, method.value, confidence=confidence,
                                         extra_provenance=extra)
        else:
            result = fit(table, dist.value, confidence=confidence, extra_provenance=extra, doa=doa.value,
                         doa_hours=doa_hours)
        alt, result, found = fit_intervals.apply(result, alt, interval.value, quantile, at_hours)
        found = weibayes if shape is not None else found
        auto = None
        if dist == DistChoice.auto and stress is None:
            from cli._common import in_cli_words
            from reliability.selection import verdict

            auto = verdict(result.ranking)
            auto["message"] = in_cli_words(auto["message"])
            if not auto["chosen"] and save is not None:
                raise ParameterError(auto["message"] + "; --save needs one family: name it with --dist")
        if save is not None:
            result.model.save(save)
        if plot is not None:
            from reliability.plotting import save_probability_plot

            title = None
            if alt is not None:
                title = (f"{result.distribution.value} at {stress} = {at:g} ({model.value}); "
                         "test ages x acceleration factor")
            from failure_data.words import figure_text

            save_probability_plot(result, str(plot), title=None if title is None else figure_text(title))
        doc = result.to_dict()
        doc["ranking"] = result.ranking.to_dict(orient="records")
        doc["alt"] = alt.to_dict() if alt is not None else None
        doc["auto"] = auto
        doc["component"] = component
        doc["source"] = _source(table)
        doc["saved_to"] = str(save) if save is not None else None
        doc["plot"] = str(plot) if plot is not None else None
        fit_intervals.document(doc, found, interval.value, "weibayes" if shape is not None else method.value,
                               result.model)
        groups = None
        if by is not None:
            groups = fit_intervals.by_groups(table, by, dist.value, confidence, interval.value)
        doc["by"] = groups.to_dict() if groups is not None else None
        fit_intervals.extras(doc, result, table if alt is None else result.table, nonparametric, gof)
        if json_output:
            emit_json(doc)
            return
        _print_fit(result, alt, doc)
        console().print(fit_intervals.table(found))
        if groups is not None:
            console().print(fit_intervals.by_table(groups, confidence))
        for line in fit_intervals.extras_text(doc):
            console().print(line)


def _print_fit(result, alt, doc) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    src = doc["source"]
    head = f"{src['file']} ({src['format']}, {src['rows']} rows" + (
        f", as of {src['as_of']}" if src["as_of"] else "") + ")"
    if doc["component"]:
        head += f"  component {doc['component']}"
    out.print(head)
    title = None
    if result.interval_method in ("none", "weibayes-chi-square"):
        title = f"{result.distribution.value} fit ({result.optimizer})"
    if alt is not None:
        title = (f"{result.distribution.value} life at {alt.spec.stress_column} = {alt.spec.use_stress:g} "
                 f"({alt.spec.model.value}, common shape)")
    out.print(result.summary_table(title=title))
    if alt is not None:
        lo, hi = alt.coefficient_interval
        pct = f"{result.confidence * 100:g}%"
        unit = " eV" if alt.coefficient_name == "activation_energy_ev" else ""
        out.print(f"{alt.coefficient_name} = {alt.coefficient:.4g}{unit} "
                  f"(se {alt.coefficient_se:.3g}; {pct} {doc['alt']['coefficient_interval_method']} "
                  f"{lo:.4g} .. {hi:.4g})")
        t = Table(title=f"acceleration factors to {alt.spec.stress_column} = {alt.spec.use_stress:g}")
        for c in ("stress", "units", "failures", "acceleration factor"):
            t.add_column(c, justify="right")
        for r in alt.acceleration_factors.itertuples():
            t.add_row(f"{r.stress:g}", f"{r.n_units:,}", f"{r.n_failures:,}", f"{r.acceleration_factor:.4g}")
        out.print(t)
    if len(doc["ranking"]) > 1:
        t = Table(title="distributions ranked by AIC")
        for c in ("distribution", "log-likelihood", "AIC", "ΔAIC", "B10 h", "converged"):
            t.add_column(c, justify="right" if c not in ("distribution",) else "left")
        for r in doc["ranking"]:
            ok = r["converged"]
            t.add_row(r["distribution"], f"{r['log_likelihood']:.4f}" if ok else "-",
                      f"{r['aic']:.4f}" if ok else "-", f"{r['delta_aic']:.3f}" if ok else "-",
                      f"{r['b10_hours']:,.4g}" if ok else "-", "yes" if ok else "no")
        out.print(t)
    if doc.get("auto"):
        out.print(Text(doc["auto"]["message"]))
    if doc["saved_to"]:
        err(f"saved life model to {doc['saved_to']}")
    if doc["plot"]:
        err(f"wrote probability plot to {doc['plot']}")


def bound_cmd(
    file: Path = typer.Argument(
        None, help="Field log: bound from its failures and device-hours, or Weibayes with --shape."
    ),
    failures: int = typer.Option(None, "--failures", help="Failures observed (R)."),
    device_hours: float = typer.Option(None, "--device-hours", help="Device-hours observed (T)."),
    shape: float = typer.Option(None, "--shape", help="Weibayes: assumed Weibull shape (beta)."),
    confidence: float = _CONF,
    two_sided: bool = typer.Option(False, "--two-sided", help="Both bounds, each at (1 + C)/2 "
                                   "(lower and upper rate, MTTF and Weibull scale)."),
    component: str = typer.Option(None, "--component", help="Use only this component's rows."),
    time_unit: TimeUnit = typer.Option(TimeUnit.hours, "--time-unit", help="Unit of duration columns."),
    as_of: str = typer.Option(None, "--as-of", help="Dated logs: end of observation, YYYY-MM-DD."),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Upper bound on the failure rate (FIT) and lower bound on MTTF from few or zero failures.

    Chi-square bound chi2(C, 2R+2)/(2T); with FILE --shape BETA the Weibayes lower
    bound on the Weibull scale (and, with failures, its estimate). --two-sided adds the
    other bound.
    """
    if file is None and (failures is None or device_hours is None):
        raise typer.BadParameter("give --failures R --device-hours T, or a FILE (with --shape for Weibayes)")
    if file is not None and (failures is not None or device_hours is not None):
        raise typer.BadParameter("give either FILE or --failures/--device-hours, not both")
    if file is None and shape is not None:
        raise typer.BadParameter("--shape (Weibayes) needs a FILE with every unit's age")
    with domain_errors(json_output):
        from reliability.bounds import (
            bound_document,
            rate_bound_from_table,
            rate_upper_bound,
            weibayes_from_table,
        )

        source = None
        if file is None:
            doc = bound_document(rate_upper_bound(failures, device_hours, confidence, two_sided=two_sided),
                                 None)
        else:
            table = _read(file, time_unit, as_of, component)
            source = _source(table)
            if shape is not None:
                doc = bound_document(None, weibayes_from_table(table, shape, confidence, two_sided=two_sided))
            else:
                doc = bound_document(rate_bound_from_table(table, confidence, two_sided=two_sided), None)
        doc["source"] = source
        _refuse_non_finite(doc)
        if json_output:
            emit_json(doc)
            return
        _print_bound(doc)


UNBOUNDED = ("mttf_upper_hours", "scale_upper_hours")
"""The upper bounds that are infinite with zero failures (JSON null; the table says "none")."""


def _refuse_non_finite(doc: dict) -> None:
    """Last guard before a figure is shown: inf/nan would print as a value (or JSON null).

    The library already refuses figures that are not floats (computed in logs); this
    keeps a future formula from slipping one through as ``inf`` or ``null``.
    """
    import math

    from reliability.errors import ParameterError

    for key, v in doc.items():
        if key in UNBOUNDED and v == math.inf and doc["failures"] == 0:
            continue  # zero failures do not bound the MTTF or the scale from above
        if isinstance(v, float) and not math.isfinite(v):
            raise ParameterError(f"{key} came out as {v!r}, which is not a figure that can be shown; "
                                 "check the inputs (this is a bug if they are in range)")


def _print_bound(doc: dict) -> None:
    from rich.table import Table

    pct = f"{doc['confidence'] * 100:g}%"
    two = doc["sides"] == 2
    each = f"{(1 + doc['confidence']) / 2 * 100:g}%"
    t = Table(title=f"{doc['method']} bounds, two-sided {pct} ({each} each)" if two
              else f"{doc['method']} bound, one-sided {pct}")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    at = each if two else pct
    rows = [
        ("failures", doc["failures"], "{:,}"),
        ("device-hours", doc["device_hours"], "{:,.6g}"),
        ("units", doc["n_units"], "{:,}"),
        ("assumed Weibull shape", doc["shape"], "{:.4g}"),
        ("failure rate estimate R/T (FIT)", doc["fit_estimate"], "{:,.6g}"),
        (f"failure rate lower bound (FIT, {at})", doc["fit_lower"], "{:,.6g}"),
        (f"failure rate upper bound (FIT, {at})", doc["fit_upper"], "{:,.6g}"),
        ("failure rate upper bound (/hour)", doc["rate_upper_per_hour"], "{:.6g}"),
        (f"MTTF lower bound (hours, {at})", doc["mttf_lower_hours"], "{:,.6g}"),
        (f"MTTF upper bound (hours, {at})", doc["mttf_upper_hours"], "{:,.6g}"),
        ("Weibull scale estimate (hours, shape assumed)", doc["scale_hours"], "{:,.6g}"),
        (f"Weibull scale lower bound (hours, {at})", doc["scale_lower_hours"], "{:,.6g}"),
        (f"Weibull scale upper bound (hours, {at})", doc["scale_upper_hours"], "{:,.6g}"),
    ]
    for name, v, fmt in rows:
        if v is not None:
            t.add_row(name, "none (no failures)" if v == float("inf") else fmt.format(v))
    console().print(t)


def plan_pilot_cmd(
    target_fit: float = typer.Option(..., "--target-fit", help="FIT to demonstrate (failures per 1e9 h)."),
    confidence: float = _CONF,
    failures_allowed: int = typer.Option(0, "--failures-allowed", help="Failures the test may see (R)."),
    units: int = typer.Option(None, "--units", help="Units on test: gives hours per unit."),
    units_per_switch: int = typer.Option(None, "--units-per-switch", help="Units (ports, engines) per switch."),
    switches: int = typer.Option(None, "--switches", help="Switches in the pilot: gives months."),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Device-hours a zero- (or R-) failure demonstration needs to show a FIT target.

    T = chi2(C, 2R+2) / (2 x target rate); per unit T/N; months T/(U x S)/730.5 h.
    """
    with domain_errors(json_output):
        from reliability.planning import PilotRequest, plan_pilot

        plan = plan_pilot(PilotRequest(target_fit, confidence, failures_allowed, units,
                                       units_per_switch, switches))
        doc = plan.to_dict()
        _refuse_non_finite(doc)
        if json_output:
            emit_json(doc)
            return
        from rich.table import Table

        pct = f"{doc['confidence'] * 100:g}%"
        t = Table(title=f"pilot to demonstrate {doc['target_fit']:g} FIT at {pct} "
                        f"with {doc['failures_allowed']} failures allowed")
        t.add_column("quantity")
        t.add_column("value", justify="right")
        t.add_row("device-hours needed", f"{doc['device_hours']:,.6g}")
        if doc["hours_per_unit"] is not None:
            t.add_row(f"hours per unit ({doc['units']:,} units)", f"{doc['hours_per_unit']:,.6g}")
        if doc["months"] is not None:
            t.add_row(f"calendar months ({doc['switches']:,} switches x {doc['units_per_switch']:,} units)",
                      f"{doc['months']:,.4g}")
        console().print(t)


class FormChoice(StrEnum):
    linear = "linear"
    power = "power"


def degrade_cmd(
    file: Path = typer.Argument(..., help="Telemetry log (CSV or Parquet): unit_id, hours or date, "
                                "bias_ma, optional temperature_c."),
    threshold: str = typer.Option(..., "--threshold", "-t", help="Failure: the bias current up this "
                                  "much over its start, as a percent (20%) or a fraction (0.2)."),
    form: FormChoice = typer.Option(FormChoice.linear, "--form", help="Mean path: linear in time, "
                                    "or a power of time (the power fitted, common to every unit)."),
    confidence: float = _CONF,
    time_unit: TimeUnit = typer.Option(TimeUnit.hours, "--time-unit", help="Unit of the hours column."),
    as_of: str = typer.Option(None, "--as-of", help="Dated readings: the day they end, YYYY-MM-DD "
                              "(default: the latest date)."),
    json_output: bool = JSON_OUTPUT,
    save: Path = typer.Option(None, "--save", help="Write the time-to-threshold LifeModel JSON here "
                              "(a scenario loads it like any saved fit)."),
    plot: Path = typer.Option(None, "--plot", help="Draw the paths, threshold and fitted median path "
                              "to FILE.png or FILE.svg."),
    failures: Path = typer.Option(None, "--failures", help="A failure log of the same units (any "
                                  "format `cpo fit` reads, with unit_id): a unit that failed before "
                                  "reading over the threshold failed of another mode."),
    at: float = typer.Option(None, "--at", help="Use temperature, °C: each unit's mean temperature_c "
                             "enters as an Arrhenius covariate (the activation energy is fitted) and "
                             "the time to threshold is the one at this temperature."),
) -> None:
    """Fit a degradation path model to laser bias-current telemetry: time to a threshold.

    Meeker & Escobar's random-coefficient path model (maximum likelihood) on each laser's
    relative rise over its first reading; the time to threshold is lognormal in closed form.
    """
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter(f"--plot {str(plot)!r} must end in .png or .svg")
    check_output_folder(save, "--save")
    check_output_folder(plot, "--plot")
    with domain_errors(json_output):
        from failure_data.telemetry import read_telemetry
        from reliability.degradation import fit_degradation

        telemetry = read_telemetry(file, as_of=as_of, time_unit=time_unit.value)
        result = fit_degradation(telemetry, threshold, form=form.value, confidence=confidence, at=at)
        mode = None
        if failures is not None:
            from failure_data.readers import read_life_table
            from reliability.degradation import other_mode

            result, mode = other_mode(result, telemetry, read_life_table(failures, as_of=as_of))
        if save is not None:
            result.life_model().save(save)
        if plot is not None:
            result.save_plot(str(plot))
        doc = result.to_dict()
        doc["source"] = _source(telemetry)
        doc["other_mode"] = mode.to_dict() if mode is not None else None
        doc["saved_to"] = str(save) if save is not None else None
        doc["plot"] = str(plot) if plot is not None else None
        if json_output:
            emit_json(doc)
            return
        from cli.degrade_view import print_degrade

        print_degrade(result, doc)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `cpo` app."""
    app.command("fit")(fit_cmd)
    app.command("degrade")(degrade_cmd)
    app.command("bound")(bound_cmd)
    app.command("plan-pilot")(plan_pilot_cmd)
