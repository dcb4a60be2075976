"""`cpo degrade` for people: the path model's parameters, the time to threshold and each unit's
predicted crossing, as tables (the JSON is the command's own)."""

from __future__ import annotations

from cli._common import console, err


def print_degrade(result, doc) -> None:
    """The tables of `cpo degrade`: the path model, the time to threshold, each unit's crossing."""
    from rich.table import Table

    from failure_data.numbers import DASH, number, percent

    out = console()
    src = doc["source"]
    out.print(f"{src['file']} (telemetry, {src['rows']} readings of {doc['n_units']} units"
              + (f", as of {src['as_of']}" if src["as_of"] else "") + ")")
    pct = f"{result.confidence * 100:g}%"
    t = Table(title=f"path model ({result.form.value}): increase = exp(b) (t / 1000 h)^gamma, "
                    f"b ~ N(mu, tau²)")
    for c in ("parameter", "estimate", f"{pct} lower", f"{pct} upper", "meaning"):
        t.add_column(c, justify="left" if c in ("parameter", "meaning") else "right")
    for name, r in result.summary().iterrows():
        t.add_row(str(name), f"{r.estimate:.5g}", f"{r.lower:.5g}", f"{r.upper:.5g}", r.meaning)
    a = doc["arrhenius"]
    if a is not None:  # mu is then at the use temperature
        t.add_row("Ea (eV)", f"{a['activation_energy_ev']:.4g}", f"{a['interval'][0]:.4g}",
                  f"{a['interval'][1]:.4g}", f"Arrhenius, units at {a['temperatures_c'][0]:g}-"
                  f"{a['temperatures_c'][1]:g} °C; mu at {a['use_temperature_c']:g} °C")
    out.print(t)
    life = result.life_model()
    b10, median = doc["b10_hours"], doc["median_hours"]
    t = Table(title=f"time to +{result.threshold * 100:g}%: lognormal(mu {life.parameters['mu']:.4f}, "
                    f"sigma {life.parameters['sigma']:.4f}) hours")
    for c in ("quantity", "estimate", f"{pct} interval"):
        t.add_column(c, justify="left" if c == "quantity" else "right")
    t.add_row("B10 (hours)", number(b10[0]), f"{number(b10[1])} .. {number(b10[2])}")
    t.add_row("median (hours)", number(median[0]), f"{number(median[1])} .. {number(median[2])}")
    out.print(t)
    p = result.predictions
    t = Table(title=f"each unit's predicted crossing (hours since its first reading; {pct} of its "
                    "posterior, given the fit)")
    other = "failed_other_mode_hours" in p.columns
    for c in ("unit", "last reading", "increase then", "predicted", "interval", "read over",
              *(("failed (other mode)",) if other else ())):
        t.add_column(c, justify="left" if c == "unit" else "right")
    for unit, r in p.sort_values("predicted_hours").iterrows():
        over = number(r.observed_over_hours) if r.observed_over_hours == r.observed_over_hours else DASH
        row = [str(unit), number(r.last_hours), percent(r.last_increase, 2), number(r.predicted_hours),
               f"{number(r.lower_hours)} .. {number(r.upper_hours)}", over]
        if other:
            row.append(number(r.failed_other_mode_hours))
        t.add_row(*row)
    out.print(t)
    om = doc["other_mode"]
    if om is not None:
        out.print(f"other failure modes (the failure log): {om['n_failures']} of {om['n_units']} units "
                  f"failed before reading over the threshold, over {number(om['exposure_hours'])} "
                  f"unit-hours; {om['failed_over_threshold']} failed after it")
        if om["units_without_telemetry"]:
            err(f"note: {len(om['units_without_telemetry'])} failed units of the log have no "
                f"telemetry and are in neither mode: {', '.join(om['units_without_telemetry'][:8])}")
    if doc["saved_to"]:
        err(f"saved the time-to-threshold life model to {doc['saved_to']}")
    if doc["plot"]:
        err(f"wrote the degradation plot to {doc['plot']}")
