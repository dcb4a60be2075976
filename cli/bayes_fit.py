"""`cpo fit FILE --prior NAME=A:B ...`: a Bayesian fit (reliability.bayes), its posterior draws
saved with the life model for a fleet's ``uncertainty = true``.

JSON: distribution, parameters (posterior medians), units, intervals (equal-tailed credible),
confidence, interval_method, priors, draws, effective_sample_size, proposals, mttf_hours,
b10_hours, component, source, saved_to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli._common import console, emit_json, err


def fit_bayes_cmd(table, *, dist: str, priors: list[str], draws: int, seed: int, confidence: float,
                  doa: str, doa_hours: float | None, save: Path | None, json_output: bool,
                  component: str | None, source: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from reliability.bayes import fit_bayes

    extra = {"component": component} if component else {}
    b = fit_bayes(table, dist, priors, draws=draws, seed=seed, confidence=confidence, doa=doa,
                  doa_hours=doa_hours, extra_provenance=extra)
    if save is not None:
        b.model.save(save)
    doc = {**b.to_dict(), "component": component, "source": source,
           "saved_to": str(save) if save is not None else None}
    if json_output:
        emit_json(doc)
        return
    pct = f"{confidence * 100:g}%"
    t = Table(title=Text(f"{dist} posterior ({len(b.draws):,} draws, importance sampling)"))
    for c in ("parameter", "median", f"lower {pct}", f"upper {pct}", "unit"):
        t.add_column(c, justify="left" if c in ("parameter", "unit") else "right")
    for k, v in doc["parameters"].items():
        lo, hi = doc["intervals"][k]
        t.add_row(k, f"{v:.6g}", f"{lo:.6g}", f"{hi:.6g}", doc["units"][k])
    priors_text = "; ".join(
        f"{p['parameter']} ~ lognormal(median {p['median']:g}, error factor {p['error_factor']:g})"
        if p["kind"] == "lognormal" else
        f"rate ~ gamma(shape {p['shape']:.4g}, rate {p['rate_per_hour']:.4g} h)" for p in doc["priors"])
    t.caption = Text(f"priors: {priors_text}\neffective sample size {doc['effective_sample_size']:,.0f} "
                     f"of {doc['proposals']:,} proposals\ncredible intervals: equal-tailed posterior quantiles")
    console().print(t)
    if save is not None:
        err(f"saved the posterior ({len(b.draws):,} draws) to {save}")
