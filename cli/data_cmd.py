"""`cpo data validate` and `cpo data synth`: field logs in, synthetic logs out.

Only typer is imported at module level; pandas, numpy and the library are
imported inside the commands, so `cpo --help` stays fast.

JSON document of ``cpo data validate --json`` (always this shape):
file, sha256, format, as_of, time_unit, rows, units, failures, right_censored,
left_censored, interval_censored, left_truncated, dead_on_arrival,
zero_exposure (units observed for 0 h that had not failed), device_hours (null unless every duration is known), components
({name: {units, failures, device_hours, dead_on_arrival}}; {} without a
component column), problems ([] here; a refused file exits 1 with
{"error", "problems"}). ``units`` excludes dead-on-arrival and zero-exposure
units, which are counted in ``dead_on_arrival`` and ``zero_exposure``.

JSON document of ``cpo data synth --json`` (needs -o): file, format, rows,
units, failures, as_of (dated logs, else null), seed, model.
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
    return_freed_memory,
)
from cli.options import JSON_OUTPUT
from failure_data.units import TimeUnit  # a light module: enum and regex only

data_app = typer.Typer(
    help="Field failure logs: validate a log (CSV or Parquet), draw a synthetic one.",
    no_args_is_help=True,
)


class SynthDist(StrEnum):
    weibull = "weibull"
    lognormal = "lognormal"
    exponential = "exponential"
    loglogistic = "loglogistic"


class SynthFormatChoice(StrEnum):
    durations = "durations"
    intervals = "intervals"
    dated = "dated"
    grouped = "grouped"


# which CLI parameters each distribution takes (lifelines' parametrisation, hours)
_DIST_PARAMS = {
    SynthDist.weibull: ("shape", "scale"),
    SynthDist.lognormal: ("mu", "sigma"),
    SynthDist.exponential: ("scale",),
    SynthDist.loglogistic: ("shape", "scale"),
}


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `cpo` app."""
    app.add_typer(data_app, name="data")


# ---------------------------------------------------------------------- validate
def summarize(table) -> dict[str, Any]:
    """The summary of a LifeTable that `cpo data validate` prints (JSON shape above)."""
    import numpy as np

    p = table.provenance
    kinds = table.units_by_kind()
    out: dict[str, Any] = {
        "file": p.path,
        "sha256": p.sha256,
        "format": p.format,
        "as_of": p.as_of,
        "time_unit": p.time_unit,
        "rows": p.rows,
        "units": table.n_units,
        "failures": table.n_failures,
        "right_censored": kinds["right"],
        "left_censored": kinds["left"],
        "interval_censored": kinds["interval"],
        "left_truncated": table.n_left_truncated,
        "dead_on_arrival": table.n_dead_on_arrival,
        "zero_exposure": table.n_zero_exposure,
        "device_hours": table.device_hours if table.device_hours_known else None,
        "components": {},
        "problems": [],
    }
    if "component" not in table.data.columns:
        return out
    d, doa = table.data, table.dead_on_arrival
    known = d["kind"].isin(("exact", "right")).to_numpy()
    frame = d.assign(
        _failed=np.where(d["kind"] != "right", d["count"], 0),
        _hours=np.where(known, (d["lower"] - d["entry"]) * d["count"], 0.0),
        _unknown=~known,
    )
    g = frame.groupby(frame["component"].astype(str), sort=True)
    stats = g.agg(units=("count", "sum"), failures=("_failed", "sum"), hours=("_hours", "sum"),
                  unknown=("_unknown", "any"))
    doa = doa[doa["kind"] != "right"]  # zero-exposure survivors are not dead on arrival
    doa_counts = doa.groupby(doa["component"].astype(str))["count"].sum() if len(doa) else {}
    names = sorted(set(stats.index) | set(doa_counts.keys() if len(doa) else []))
    for name in names:
        row = stats.loc[name] if name in stats.index else None
        out["components"][name] = {
            "units": int(row["units"]) if row is not None else 0,
            "failures": int(row["failures"]) if row is not None else 0,
            "device_hours": (None if row is not None and bool(row["unknown"])
                             else float(row["hours"]) if row is not None else 0.0),
            "dead_on_arrival": int(doa_counts[name]) if len(doa) and name in doa_counts else 0,
        }
    return out


def _render(s: dict[str, Any]) -> None:
    from rich.table import Table

    def num(x: Any) -> str:
        if x is None:
            return "n/a"
        return f"{x:,.0f}" if isinstance(x, float) else f"{x:,}"

    t = Table(title=f"{s['file']}: valid {s['format']} log", show_header=False)
    t.add_column("", style="bold")
    t.add_column("", justify="right")
    rows = [
        ("rows", s["rows"]), ("units (excl. dead-on-arrival, zero exposure)", s["units"]),
        ("failures", s["failures"]), ("right-censored", s["right_censored"]),
        ("left-censored", s["left_censored"]), ("interval-censored", s["interval_censored"]),
        ("left-truncated (late entry)", s["left_truncated"]),
        ("dead-on-arrival", s["dead_on_arrival"]),
        ("zero exposure (observed 0 h, not failed)", s["zero_exposure"]),
        ("device-hours", s["device_hours"]),
    ]
    for k, v in rows:
        t.add_row(k, num(v))
    if s["as_of"]:
        t.add_row("as-of date", s["as_of"])
    t.add_row("time unit of durations", s["time_unit"])
    out = console()
    out.print(t)
    if s["components"]:
        c = Table(title="per component")
        for col in ("component", "units", "failures", "device-hours", "dead-on-arrival"):
            c.add_column(col, justify="left" if col == "component" else "right")
        for name, v in s["components"].items():
            c.add_row(name, num(v["units"]), num(v["failures"]), num(v["device_hours"]),
                      num(v["dead_on_arrival"]))
        out.print(c)


@data_app.command("validate")
def validate_cmd(
    file: Path = typer.Argument(..., help="Field log, CSV or Parquet (durations, intervals or dated)."),
    as_of: str = typer.Option(
        None, "--as-of", help="Dated logs: end of observation, YYYY-MM-DD (default: latest date in the file)."
    ),
    time_unit: TimeUnit = typer.Option(
        TimeUnit.hours, "--time-unit", help="Unit of duration, entry, lower and upper columns."
    ),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Check a field failure log and summarise it; exit 1 listing every problem."""
    with domain_errors(json_output):
        from failure_data.readers import read_life_table

        return_freed_memory()
        table = read_life_table(file, as_of=as_of, time_unit=time_unit.value)
        dated = table.provenance.format == "dated"
        if dated and as_of is None:
            err(f"as-of date: {table.provenance.as_of} (latest date in the file; set --as-of to change)")
        if not dated and as_of is not None:
            err(f"note: --as-of applies to dated logs only; this is a {table.provenance.format} log")
        if dated and time_unit is not TimeUnit.hours:
            err("note: --time-unit does not apply to dated logs (dates give hours exactly)")
        summary = summarize(table)
    if json_output:
        emit_json(summary)
    else:
        _render(summary)


# ---------------------------------------------------------------------- synth
def _duration(text: str, option: str) -> float:
    from failure_data.units import parse_duration

    try:
        return parse_duration(text)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint=option) from None


def _stagger(text: str, horizon: float) -> float:
    t = text.strip()
    if t.endswith("%"):
        try:
            frac = float(t[:-1]) / 100.0
        except ValueError:
            frac = float("nan")
        if not 0 <= frac < 1:
            raise typer.BadParameter(f"{text!r}: a percentage of the horizon must be in [0%, 100%)",
                                     param_hint="--stagger")
        return frac * horizon
    if t in ("0", "0h", "0d", "0y"):
        return 0.0
    hours = _duration(t, "--stagger")
    if hours >= horizon:
        raise typer.BadParameter(f"{text!r} is not below the horizon; installs must start before it ends",
                                 param_hint="--stagger")
    return hours


def _model(dist: SynthDist, given: dict[str, float | None]):
    import math

    from reliability.errors import ParameterError
    from reliability.models import LifeModel

    need = _DIST_PARAMS[dist]
    for name, value in given.items():
        if name in need and value is None:
            raise typer.BadParameter(f"{dist} needs --{name}", param_hint=f"--{name}")
        if name not in need and value is not None:
            raise typer.BadParameter(
                f"--{name} {value!r} does not apply to {dist} (it takes {', '.join('--' + n for n in need)})",
                param_hint=f"--{name}",
            )
        if name in need and not (math.isfinite(value) and (name == "mu" or value > 0)):
            what = "a finite number" if name == "mu" else "a positive, finite number"
            raise typer.BadParameter(f"{value!r}: {dist} {name} must be {what}", param_hint=f"--{name}")
    try:
        return LifeModel(str(dist), {k: given[k] for k in need})
    except ParameterError as e:
        raise typer.BadParameter(str(e), param_hint="--" + need[0]) from None


@data_app.command("synth")
def synth_cmd(
    dist: SynthDist = typer.Option(SynthDist.weibull, "--dist", help="Life distribution (hours)."),
    shape: float = typer.Option(None, "--shape", help="weibull/loglogistic shape."),
    scale: float = typer.Option(None, "--scale", help="weibull/loglogistic/exponential scale, hours."),
    mu: float = typer.Option(None, "--mu", help="lognormal mu (log hours)."),
    sigma: float = typer.Option(None, "--sigma", help="lognormal sigma."),
    units: int = typer.Option(1000, "--units", help="Number of units (>= 1)."),
    horizon: str = typer.Option("2y", "--horizon", help="Observation length: 500h, 90d, 6w, 18m, 2y."),
    stagger: str = typer.Option(
        "50%", "--stagger",
        help="Installs spread uniformly over this first part of the horizon: a duration (180d) "
        "or a percentage of the horizon (50%); 0 = all at once.",
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed writes the same file."),
    fmt: SynthFormatChoice = typer.Option(SynthFormatChoice.durations, "--format", help="Log layout."),
    component: str = typer.Option(None, "--component", help="Add a component column with this value."),
    unit_prefix: str = typer.Option("U", "--unit-prefix", help="unit_id = prefix + number (U0001, ...)."),
    temperature_c: float = typer.Option(None, "--temperature-c", help="Add a temperature_c column."),
    start_date: str = typer.Option("2024-01-01", "--start-date", help="Dated logs: date of time 0."),
    inspect_every: str = typer.Option("90d", "--inspect-every", help="Intervals logs: inspection period."),
    output: Path = typer.Option(None, "-o", "--output", help="Write to FILE.csv or FILE.parquet (default: CSV on stdout)."),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Draw a synthetic field log from a known life model (same seed, same file); with -o FILE,
    --json writes a summary of it to stdout."""
    import datetime as dt

    if output is not None and output.suffix.lower() not in (".csv", ".parquet"):
        raise typer.BadParameter(f"{str(output)!r}: name the file .csv or .parquet", param_hint="-o")
    check_output_folder(output, "-o")
    if json_output and output is None:
        raise typer.BadParameter("--json needs -o FILE (the log itself goes to stdout otherwise)",
                                 param_hint="--json")
    if units < 1:
        raise typer.BadParameter(f"{units!r}: the number of units must be >= 1", param_hint="--units")
    if not 0 <= seed < 2**63:
        raise typer.BadParameter(f"{seed!r}: a seed is a whole number in [0, 2**63 - 1]", param_hint="--seed")
    from failure_data.words import FORMULA_STARTS

    for flag, value in (("--component", component), ("--unit-prefix", unit_prefix)):
        if value is not None and (not value.strip() if flag == "--component" else False):
            raise typer.BadParameter(f"{value!r} is blank; give the component a name", param_hint=flag)
        if value is not None and value.startswith(FORMULA_STARTS):
            raise typer.BadParameter(f"{value!r} starts with {value[0]!r}, which a spreadsheet opening "
                                     "the log would run as a formula; start it with a letter or a "
                                     "digit", param_hint=flag)
    model = _model(dist, {"shape": shape, "scale": scale, "mu": mu, "sigma": sigma})
    h = _duration(horizon, "--horizon")
    try:
        start = dt.date.fromisoformat(start_date)
    except ValueError:
        raise typer.BadParameter(f"{start_date!r} is not a date; write YYYY-MM-DD",
                                 param_hint="--start-date") from None
    with domain_errors(json_output):
        import numpy as np

        from failure_data.synth import SynthSpec, synthesize
        from failure_data.units import HOURS_PER_DAY
        from failure_data.writers import write_frame

        try:
            spec = SynthSpec(units=units, horizon_hours=h, fmt=fmt.value, stagger_hours=_stagger(stagger, h),
                             start_date=start, inspect_every_hours=_duration(inspect_every, "--inspect-every"),
                             component=component, temperature_c=temperature_c,
                             unit_prefix=unit_prefix)
        except ValueError as e:
            hint = "--start-date" if "start date" in str(e) else None
            raise typer.BadParameter(str(e), param_hint=hint) from None
        frame = synthesize(model, spec, np.random.default_rng(seed))
        as_of = None
        if spec.fmt == "dated":
            as_of = (start + dt.timedelta(days=int(h // HOURS_PER_DAY))).isoformat()
        if output is None:
            typer.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
        else:
            write_frame(frame, output)
        n_units = int(frame["count"].sum()) if "count" in frame.columns else len(frame)
        n_failed = (int((frame["failed"] * frame.get("count", 1)).sum()) if "failed" in frame.columns
                    else int(frame["upper"].notna().sum()))
        where = str(output) if output is not None else "stdout"
        note = f"; read it with --as-of {as_of}" if as_of else ""
        err(f"wrote {len(frame)} rows ({n_units} units, {n_failed} failed) to {where}{note}")
    if json_output:
        emit_json({"file": str(output), "format": fmt.value, "rows": len(frame), "units": n_units,
                   "failures": n_failed, "as_of": as_of, "seed": seed, "model": model.to_dict()})
