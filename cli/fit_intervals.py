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


def one_stress(stress: list[str] | None) -> str | None:
    """The one --stress column; a repeated --stress is refused (exit 2), never silently the last."""
    if not stress:
        return None
    if len(stress) > 1:
        raise typer.BadParameter(
            f"given {len(stress)} times ({', '.join(map(repr, stress))}): a fit takes one stress "
            "column. Two stresses at once (temperature and voltage: the generalised Eyring/Peck "
            "model) are not fitted yet; fit one stress, the others held at one level",
            param_hint="--stress")
    return stress[0]


def apply(result, alt, interval: str, quantiles: list[float] | None, at_hours: list[float] | None):
    """The result reporting the chosen method's intervals, and its quantities (a DataFrame)."""
    from dataclasses import replace

    from reliability import profile

    if result.interval_method == "weibayes-chi-square":  # its intervals came with the fit
        return alt, result, None
    if result.interval_method == "none":  # rank regression: estimates only
        return alt, result, profile.estimates_only(result, quantiles=quantiles or (), at_hours=at_hours or ())
    if alt is not None:
        found, coef = profile.alt_intervals(alt, interval, quantiles=quantiles or (), at_hours=at_hours or ())
        result = profile.with_intervals(result, found)
        return replace(alt, fit=result, coefficient_interval=coef), result, found
    found = profile.intervals(result, interval, quantiles=quantiles or (), at_hours=at_hours or ())
    return None, profile.with_intervals(result, found), found


SHAPE = typer.Option(None, "--shape", help="Weibayes with failures: fit a Weibull with this shape "
                     "assumed (known), its scale by maximum likelihood with exact chi-square intervals.")
BY = typer.Option(None, "--by", help="Fit each group of this column of the file (e.g. component, "
                  "mode) in one run, with a likelihood-ratio test of a common shape across groups.")


NONPARAMETRIC = typer.Option(False, "--nonparametric", help="Add the Kaplan-Meier estimate (Turnbull "
                             "for interval data) with its band to the output (JSON nonparametric).")
GOF = typer.Option(False, "--gof", help="Test the fit against the family it is nested in (likelihood "
                   "ratio: exponential in Weibull, Weibull and lognormal in the generalised gamma).")


def extras(doc: dict, result, table, nonparametric: bool, gof: bool) -> None:
    """The JSON keys ``nonparametric`` (records of time, survival, lower, upper, events, method)
    and ``goodness_of_fit`` (reliability.gof.nested_test), null unless asked for."""
    doc["nonparametric"] = None
    doc["goodness_of_fit"] = None
    if nonparametric:
        import math

        from reliability.nonparametric import nonparametric as estimate

        frame = estimate(table, confidence=result.confidence)
        doc["nonparametric"] = [{k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                                 for k, v in r.items()} for r in frame.to_dict(orient="records")]
    if gof:
        from reliability.gof import nested_test

        doc["goodness_of_fit"] = nested_test(result)


def extras_text(doc: dict) -> list[str]:
    """Lines for the table output."""
    out = []
    g = doc["goodness_of_fit"]
    if g is not None:
        out.append(f"goodness of fit: {g['message']}" if g["message"] else
                   f"goodness of fit: likelihood-ratio against the {g['against']}: {g['lr_statistic']:.3f} on "
                   f"{g['df']} df, p = {g['p_value']:.3g}: {g['verdict']}")
    npar = doc["nonparametric"]
    if npar:
        method = npar[0]["method"]
        out.append(f"{method}: {len(npar)} points (survival at the last, {npar[-1]['time']:g} h: "
                   f"{npar[-1]['survival']:.4g}); all of them in --json")
    return out


def by_groups(table, column: str, dist: str, confidence: float, interval: str):
    """The per-group fits (each with the chosen intervals) and the common-shape test."""
    from dataclasses import replace

    from reliability import profile
    from reliability.errors import FitError
    from reliability.groups import fit_by

    groups = fit_by(table, column, dist, confidence=confidence)
    fits = {n: r if isinstance(r, FitError) else profile.with_intervals(r, profile.intervals(r, interval))
            for n, r in groups.fits.items()}
    return replace(groups, fits=fits)


def by_table(groups, confidence: float):
    """The per-group fits and the test as one rich Table."""
    from rich.table import Table
    from rich.text import Text

    pct = f"{confidence * 100:g}%"
    methods = sorted({r.interval_method for r in groups.fits.values() if hasattr(r, "interval_method")})
    t = Table(title=Text(f"fit per {groups.column} ({', '.join(methods)} {pct} intervals)"))
    for c in ("group", "units", "failures", "parameter", "estimate", "lower", "upper"):
        t.add_column(c, justify="left" if c in ("group", "parameter") else "right")
    for name, r in groups.fits.items():
        if not hasattr(r, "parameters"):
            t.add_row(Text(name), "", "", Text(f"not fitted: {str(r).split(':')[0]}"), "", "", "")
            continue
        for i, (k, v) in enumerate(r.parameters.items()):
            lo, hi = r.intervals[k]
            t.add_row(Text(name) if i == 0 else "", f"{r.n_units:,}" if i == 0 else "",
                      f"{r.n_failures:,}" if i == 0 else "", k, f"{v:.6g}", f"{lo:.4g}", f"{hi:.4g}")
    c = groups.common
    if c is None:
        t.caption = Text(f"no common-shape test: {groups.why_no_test}")
    else:
        shared = {k: v for k, v in next(iter(c.parameters.values())).items()
                  if all(p[k] == v for p in c.parameters.values())}
        t.caption = Text(
            "common shape (" + ", ".join(f"{k} {v:.4g}" for k, v in shared.items()) + "): likelihood-ratio "
            f"{c.lr_statistic:.3f} on {c.df} df, p = {c.p_value:.3g}"
            + (" (the shapes differ at 5 %)" if c.p_value < 0.05 else " (consistent with one shape)"))
    return t


def document(doc: dict, found, interval: str, method: str, model) -> None:
    """The JSON keys: ``method`` (mle, rrx, rry, weibayes), ``r_squared`` (rank regression's, else null),
    ``interval_requested`` (auto, lr or wald), ``quantities`` (one entry per quantity) and, for an
    accelerated-life fit, ``alt.coefficient_interval_method``."""
    from reliability.intervals import WALD_LOG

    doc["method"] = method
    doc["r_squared"] = model.provenance.get("r_squared") if method in ("rrx", "rry") else None
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
        t.caption = Text("a bound at 0, 1 or inf: the likelihood does not bound the quantity on that side; "
                         "'-': not computed (a reliability of 0 or 1 to double precision)")
    return t
