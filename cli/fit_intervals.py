"""`cpo fit`'s intervals: the method (``--interval``), the quantities asked for (``--quantile``,
``--at-hours``) with their intervals, in the JSON document and as a table.

Only typer and the light ``reliability.intervals`` are imported at module level.
"""

from __future__ import annotations

from enum import StrEnum

import typer

from reliability.intervals import CHOICES, LR_BELOW_FAILURES

IntervalChoice = StrEnum("IntervalChoice", {name: name for name in CHOICES})
"""`--interval`: the choices of ``reliability.intervals.CHOICES``."""

INTERVAL = typer.Option(
    "auto", "--interval", case_sensitive=False,
    help=f"Interval method: lr (likelihood-ratio, profile), wald (Wald on the log scale), or auto: "
    f"lr below {LR_BELOW_FAILURES} failures, wald from there on.")
QUANTILE = typer.Option(
    None, "--quantile", help="B-life to report with its interval: the fraction failed, e.g. 0.01 for "
    "B1 (repeatable; B10 and the MTTF are always reported).")
METHOD = typer.Option(
    "mle", "--method", case_sensitive=False,
    help="Estimator: mle (maximum likelihood, the default), rrx (median-rank regression of X = ln t on "
    "Y, Abernethy's practice, Weibull++ RRX) or rry (Y on X, Weibull++ RRY); rank regression takes "
    "exact and right-censored data and has no intervals.")
MethodChoice = StrEnum("MethodChoice", {"mle": "mle", "rrx": "rrx", "rry": "rry"})
AT_HOURS = typer.Option(
    None, "--at-hours", help="Mission time in hours: report the reliability R(t) there with its "
    "interval (repeatable).")


def check(quantiles: list[float] | None, at_hours: list[float] | None) -> None:
    """Usage errors (exit 2) before any work: a quantile outside (0, 1), a time not above 0."""
    import math

    for p in quantiles or []:
        if not 0 < p < 1:
            raise typer.BadParameter(f"{p:g} is not a fraction failed in (0, 1); B10 is 0.1",
                                     param_hint="--quantile")
    for t in at_hours or []:
        if not (math.isfinite(t) and t > 0):
            raise typer.BadParameter(f"{t:g} is not a time in hours > 0", param_hint="--at-hours")


def apply(result, alt, interval: str, quantiles: list[float] | None, at_hours: list[float] | None):
    """The result reporting the chosen method's intervals, and its quantities (a DataFrame)."""
    from dataclasses import replace

    from reliability import profile

    if result.interval_method == "none":  # rank regression: estimates only
        return alt, result, profile.estimates_only(result, quantiles=quantiles or (), at_hours=at_hours or ())
    if alt is not None:
        found, coef = profile.alt_intervals(alt, interval, quantiles=quantiles or (), at_hours=at_hours or ())
        result = profile.with_intervals(result, found)
        return replace(alt, fit=result, coefficient_interval=coef), result, found
    found = profile.intervals(result, interval, quantiles=quantiles or (), at_hours=at_hours or ())
    return None, profile.with_intervals(result, found), found


def document(doc: dict, found, interval: str, method: str, model) -> None:
    """The JSON keys: ``method`` (mle, rrx, rry), ``r_squared`` (rank regression's, else null),
    ``interval_requested`` (auto, lr or wald), ``quantities`` (one entry per quantity) and, for an
    accelerated-life fit, ``alt.coefficient_interval_method``."""
    from reliability.intervals import WALD_LOG

    doc["method"] = method
    doc["r_squared"] = model.provenance.get("r_squared") if method != "mle" else None
    doc["interval_requested"] = interval
    doc["quantities"] = found.quantity_records()
    if doc.get("alt"):
        doc["alt"]["coefficient_interval_method"] = "wald" if found.method == WALD_LOG else found.method


def table(found):
    """The quantities as a rich Table."""
    import math

    from rich.table import Table
    from rich.text import Text

    pct = f"{found.confidence * 100:g}%"
    none = found.method == "none"
    t = Table(title=Text("lives and reliabilities (rank regression: no intervals)" if none
                         else f"lives and reliabilities ({found.method} {pct} intervals)"))
    for c in ("quantity", "estimate", f"lower {pct}", f"upper {pct}", "unit"):
        t.add_column(c, justify="left" if c in ("quantity", "unit") else "right")

    def g(x) -> str:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "-"
        return "inf" if math.isinf(x) else f"{x:.6g}"

    for r in found.quantities.itertuples():
        t.add_row(Text(r.quantity), g(r.estimate), g(r.lower), g(r.upper), r.unit)
    if not none and not found.quantities["bounded"].all():
        t.caption = Text("a bound at 0, 1 or inf: the likelihood does not bound the quantity on that side")
    return t
