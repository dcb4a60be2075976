"""The comparison an operator came for, from one fleet run: a table and a verdict in words.

:func:`comparison` turns a :class:`fleet_models.runs.results.FleetResult` into one row per measure
and one column per architecture (port availability, downtime per port-year, service events per
year, GPU-hours lost, TCO with its interval and spread, TCO per port-year and per Tbps-year, the
difference from the baseline with its interval and the share of replications it is cheaper in).
:func:`verdict` says the answer in one sentence. The CLI's ``cpo compare`` prints both.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from fleet_models.runs.results import FleetResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported by comparison(): `cpo compare` imports this module before its run

MINUTES_PER_YEAR = 8766.0 * 60.0


def comparison(result: FleetResult, baseline: str | None = None) -> pd.DataFrame:
    """Rows: measures; columns: architectures; cells: display strings. ``baseline`` defaults to
    the first architecture."""
    import pandas as pd

    baseline = baseline or result.architectures[0]
    diffs = result.differences(baseline).set_index("architecture")
    summ = result.summary().set_index(["architecture", "metric"])
    years = result.horizon_hours / 8766.0
    fleet = result.spec.fleet  # type: ignore[union-attr]
    ports = fleet.switches * fleet.ports_per_switch
    cols: dict[str, list[str]] = {}
    labels: list[str] = []
    for arch in result.architectures:
        def m(metric: str, arch: str = arch) -> pd.Series:
            return summ.loc[(arch, metric)]

        avail = m("port_availability")
        cells = [
            ("port availability", f"{avail['mean'] * 100:.4f} %"),
            ("downtime per port-year", f"{(1 - avail['mean']) * MINUTES_PER_YEAR:,.1f} min"),
            ("unplanned outages per year", f"{m('unplanned_outages')['mean'] / years:,.2f}"),
            ("switch replacements per year", f"{m('switch_replacements')['mean'] / years:,.2f}"),
            ("technician hours per year", f"{m('technician_hours')['mean'] / years:,.1f}"),
            ("job interruptions per year", f"{m('job_interruptions')['mean'] / years:,.2f}"),
            ("GPU-hours lost", f"{m('gpu_hours_lost')['mean']:,.0f}"),
            ("goodput", f"{m('goodput')['mean'] * 100:.3f} %"),
            ("TCO (mean)", _usd(m("tco_usd")["mean"])),
            ("TCO ci95 of the mean", f"{_usd(m('tco_usd')['ci95_low'])} – {_usd(m('tco_usd')['ci95_high'])}"),
            ("TCO p5 – p95 (one fleet)", f"{_usd(m('tco_usd')['p5'])} – {_usd(m('tco_usd')['p95'])}"),
            ("  capex", _usd(m("capex")["mean"])),
            ("  energy", _usd(m("energy")["mean"])),
            ("  maintenance", _usd(m("maintenance")["mean"])),
            ("  downtime", _usd(m("downtime")["mean"])),
            ("TCO per port-year", _usd(m("tco_usd")["mean"] / (ports * years))),
            ("TCO per Tbps-year", _usd(m("tco_usd")["mean"] / (ports * fleet.port_gbps / 1000 * years))),
        ]
        if arch == baseline:
            cells += [(f"vs {baseline} (mean)", "baseline"), ("vs baseline ci95", "–"), ("P(cheaper)", "–")]
        else:
            d = diffs.loc[arch]
            cells += [(f"vs {baseline} (mean)", _usd(d["mean"], signed=True)),
                      ("vs baseline ci95", f"{_usd(d['ci95_low'], signed=True)} – "
                                           f"{_usd(d['ci95_high'], signed=True)}"),
                      ("P(cheaper)", f"{d['p_cheaper'] * 100:.0f} %")]
        labels = [c[0] for c in cells]
        cols[arch] = [c[1] for c in cells]
    return pd.DataFrame(cols, index=labels)


def verdict(result: FleetResult, baseline: str | None = None) -> str:
    """One sentence: the cheapest architecture, by how much against the baseline, how sure."""
    baseline = baseline or result.architectures[0]
    summ = result.summary()
    tco = summ[summ["metric"] == "tco_usd"].set_index("architecture")["mean"]
    best = str(tco.idxmin())
    years = result.horizon_hours / 8766.0
    horizon = f"{years:g} year{'s' if years != 1 else ''}"
    if best == baseline:
        return (f"{baseline} has the lowest total cost of ownership over {horizon} "
                f"({_usd(tco[baseline])} mean); " + _others(result, baseline))
    d = result.differences(baseline).set_index("architecture").loc[best]
    sure = d["ci95_high"] < 0
    pct = -d["mean"] / tco[baseline] * 100
    return (f"{best} has the lowest total cost of ownership over {horizon}: "
            f"{_usd(-d['mean'])} ({pct:.1f} %) less than {baseline} "
            f"(95 % interval of the saving {_usd(-d['ci95_high'])} to {_usd(-d['ci95_low'])}; cheaper in "
            f"{d['p_cheaper'] * 100:.0f} % of replications)"
            + ("." if sure else "; the interval includes no saving, so run more replications or "
               "treat the two as equal."))


def _others(result: FleetResult, baseline: str) -> str:
    d = result.differences(baseline)
    parts = [f"{r.architecture} costs {_usd(r.mean, signed=True)} more (cheaper in "
             f"{r.p_cheaper * 100:.0f} % of replications)" for r in d.itertuples()]
    return "; ".join(parts) + "." if parts else "it is the only architecture."


def _usd(x: float, signed: bool = False) -> str:
    if not math.isfinite(x):
        return "n/a"
    sign = ("+" if x > 0 else "-" if x < 0 else "") if signed else ("-" if x < 0 else "")
    a = abs(x)
    if a >= 1e9:
        return f"{sign}${a / 1e9:.2f}B"
    if a >= 1e6:
        return f"{sign}${a / 1e6:.2f}M"
    if a >= 1e4:
        return f"{sign}${a / 1e3:.0f}k"
    return f"{sign}${a:,.0f}"
