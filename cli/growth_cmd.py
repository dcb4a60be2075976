"""`cpo growth` and `cpo mcf`: reliability growth (Crow-AMSAA) and the mean cumulative function of
repairs per system, from a service log of repeated events (failure_data.events).

JSON documents:

* ``cpo growth``: model, beta, lambda, beta_unbiased, growth_rate, beta_interval,
  growth_rate_interval, confidence, events, systems, end_hours, failure_terminated,
  trend_p_value, mtbf_at_end_hours, mtbf_at_end_range, source.
* ``cpo mcf``: confidence, variance_method, systems, events, points (one per distinct event age:
  age, events, at_risk, mcf, variance, lower, upper), source.
"""

from __future__ import annotations

from pathlib import Path

import typer

from cli._common import console, domain_errors, emit_json
from cli.options import JSON_OUTPUT

_FILE = typer.Argument(..., help="Service log (CSV or Parquet): unit_id, age (hours), event (1 a repair, "
                       "0 the end of that system's observation).")
_CONF = typer.Option(0.95, "--confidence", "-c", help="Confidence level in (0, 1), e.g. 0.95.")


def growth_cmd(file: Path = _FILE, confidence: float = _CONF, json_output: bool = JSON_OUTPUT) -> None:
    """Reliability growth: fit the Crow-AMSAA power-law process (common beta over the systems).

    beta < 1 is growth (fixes accumulating); the interval on beta is exact (chi-square), and the
    trend test's p-value is that of a constant rate (beta = 1)."""
    with domain_errors(json_output):
        from failure_data.events import read_events
        from reliability.growth import crow_amsaa

        log = read_events(file)
        r = crow_amsaa(log, confidence)
        doc = {**r.to_dict(), "source": str(file)}
        if json_output:
            emit_json(doc)
            return
        pct = f"{confidence * 100:g} %"
        m, lo, hi = r.mtbf_at_end()
        out = console()
        out.print(f"{file}: {r.n} events on {r.systems} system(s), "
                  + ("failure terminated" if r.failure_terminated else "time terminated"))
        out.print(f"Crow-AMSAA: beta = {r.beta:.4g} ({pct} {r.beta_interval[0]:.4g}-{r.beta_interval[1]:.4g}; "
                  f"unbiased {r.beta_unbiased:.4g}), lambda = {r.lam:.4g}")
        out.print(f"growth rate 1 - beta = {r.growth_rate:.4g} ({pct} {1 - r.beta_interval[1]:.4g}-"
                  f"{1 - r.beta_interval[0]:.4g}); constant-rate trend test p = {r.trend_p_value:.3g}")
        out.print(f"instantaneous MTBF at {r.end_hours:,.6g} h: {m:,.4g} h (over beta's interval {lo:,.4g}-{hi:,.4g} h)")


def mcf_cmd(file: Path = _FILE, confidence: float = _CONF, json_output: bool = JSON_OUTPUT) -> None:
    """Mean cumulative function of repairs per system (Nelson), with its Lawless-Nadeau band."""
    with domain_errors(json_output):
        from rich.table import Table

        from failure_data.events import read_events
        from reliability.growth import mean_cumulative_function

        log = read_events(file)
        f = mean_cumulative_function(log, confidence)
        doc = {"confidence": confidence, "variance_method": "lawless-nadeau", "systems": log.n_systems,
               "events": log.n_events, "points": f.to_dict(orient="records"), "source": str(file)}
        if json_output:
            emit_json(doc)
            return
        pct = f"{confidence * 100:g}%"
        t = Table(title=f"mean cumulative function: {log.n_events} repairs on {log.n_systems} systems")
        for c in ("age h", "events", "at risk", "MCF", f"lower {pct}", f"upper {pct}"):
            t.add_column(c, justify="right")
        step = max(1, len(f) // 20)
        rows = list(f.iloc[::step].itertuples())
        if rows[-1].Index != f.index[-1]:
            rows.append(next(f.iloc[-1:].itertuples()))
        for r in rows:
            t.add_row(f"{r.age:,.6g}", str(r.events), str(r.at_risk), f"{r.mcf:.4g}", f"{r.lower:.4g}",
                      f"{r.upper:.4g}")
        if step > 1:
            t.caption = f"every {step}th event age shown; --json gives all {len(f)}"
        console().print(t)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `cpo` app."""
    app.command("growth")(growth_cmd)
    app.command("mcf")(mcf_cmd)
