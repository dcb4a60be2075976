"""The comparison an operator came for, from one fleet run: a table and a verdict in words.

:func:`comparison` turns a :class:`fleet_models.runs.results.FleetResult` into one row per measure
and one column per architecture (port availability, downtime per port-year, service events per
year, GPU-hours lost, TCO with its interval and spread, TCO per port-year and per Tbps-year, the
difference from the baseline with its interval and the share of replications it is cheaper in).
:func:`verdict` says the answer in one sentence. The CLI's ``cpo compare`` prints both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from failure_data.numbers import usd
from failure_data.units import HOURS_PER_YEAR
from fleet_models.runs.results import FleetResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported by comparison(): `cpo compare` imports this module before its run

MINUTES_PER_YEAR = HOURS_PER_YEAR * 60.0


def comparison(result: FleetResult, baseline: str | None = None) -> pd.DataFrame:
    """Rows: measures; columns: architectures; cells: display strings. ``baseline`` defaults to
    the first architecture."""
    import pandas as pd

    baseline = baseline or result.architectures[0]
    diffs = result.differences(baseline).set_index("architecture")
    summ = result.summary().set_index(["architecture", "metric"])
    years = result.horizon_hours / HOURS_PER_YEAR
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
            ("TCO (mean)", usd(m("tco_usd")["mean"])),
            ("TCO ci95 of the mean", f"{usd(m('tco_usd')['ci95_low'])} – {usd(m('tco_usd')['ci95_high'])}"),
            ("TCO p5 – p95 (one fleet)", f"{usd(m('tco_usd')['p5'])} – {usd(m('tco_usd')['p95'])}"),
            ("  capex", usd(m("capex")["mean"])),
            ("  energy", usd(m("energy")["mean"])),
            ("  maintenance", usd(m("maintenance")["mean"])),
            ("  downtime", usd(m("downtime")["mean"])),
            ("TCO per port-year", usd(m("tco_usd")["mean"] / (ports * years))),
            ("TCO per Tbps-year", usd(m("tco_usd")["mean"] / (ports * fleet.port_gbps / 1000 * years))),
        ]
        if arch == baseline:
            cells += [(f"vs {baseline} (mean)", "baseline"), ("vs baseline ci95", "–"), ("P(cheaper)", "–")]
        else:
            d = diffs.loc[arch]
            cells += [(f"vs {baseline} (mean)", usd(d["mean"], signed=True)),
                      ("vs baseline ci95", f"{usd(d['ci95_low'], signed=True)} – "
                                           f"{usd(d['ci95_high'], signed=True)}"),
                      ("P(cheaper)", odds(d["p_cheaper"], d["p_equal"]))]
        labels = [c[0] for c in cells]
        cols[arch] = [c[1] for c in cells]
    return pd.DataFrame(cols, index=labels)


def verdict(result: FleetResult, baseline: str | None = None) -> str:
    """One sentence: the cheapest architecture, by how much against the baseline, how sure."""
    baseline = baseline or result.architectures[0]
    summ = result.summary()
    tco = summ[summ["metric"] == "tco_usd"].set_index("architecture")["mean"]
    best = str(tco.idxmin())
    years = result.horizon_hours / HOURS_PER_YEAR
    horizon = f"{years:g} year{'s' if years != 1 else ''}"
    diffs = result.differences(baseline).set_index("architecture")
    if best != baseline and diffs.loc[best, "p_equal"] == 1.0:
        best = baseline  # equal in every replication: not cheaper
    if best == baseline:
        return (f"{baseline} has the lowest total cost of ownership over {horizon} "
                f"({usd(tco[baseline])} mean); " + _others(result, baseline))
    d = diffs.loc[best]
    sure = d["ci95_high"] < 0
    pct = -d["mean"] / tco[baseline] * 100
    return (f"{best} has the lowest total cost of ownership over {horizon}: "
            f"{usd(-d['mean'])} ({pct:.1f} %) less than {baseline} "
            f"(95 % interval of the saving {usd(-d['ci95_high'])} to {usd(-d['ci95_low'])}; "
            f"{odds_words(d['p_cheaper'], d['p_equal'])})"
            + ("." if sure else "; the interval includes no saving, so run more replications or "
               "treat the two as equal."))


def _others(result: FleetResult, baseline: str) -> str:
    d = result.differences(baseline)
    parts = [f"{r.architecture} costs the same in every replication (equal in 100 % of replications)"
             if r.p_equal == 1.0 else f"{r.architecture} costs {usd(r.mean, signed=True)} more "
             f"({odds_words(r.p_cheaper, r.p_equal)})" for r in d.itertuples()]
    return "; ".join(parts) + "." if parts else "it is the only architecture."


def odds(p_cheaper: float, p_equal: float) -> str:
    """A table cell: the share of replications cheaper, and the share equal when there are ties."""
    return (f"{p_cheaper * 100:.0f} %" + (f" (equal in {p_equal * 100:.0f} %)" if p_equal > 0 else ""))


def odds_words(p_cheaper: float, p_equal: float) -> str:
    """In words: "cheaper in 40 % of replications", "... and equal in 10 %", "equal in 100 %"."""
    if p_equal == 1.0:
        return "equal in 100 % of replications"
    ties = f", equal in {p_equal * 100:.0f} %" if p_equal > 0 else ""
    return f"cheaper in {p_cheaper * 100:.0f} %{ties} of replications"


def print_comparison(out: Any, result: FleetResult, table: pd.DataFrame, words: str,
                     spread: pd.DataFrame | None) -> None:
    """`cpo compare`'s tables and verdict on a rich console."""
    from rich.table import Table
    from rich.text import Text

    years = result.horizon_hours / HOURS_PER_YEAR
    t = Table(title=Text(f"{result.scenario}: {result.n_replications} replications, {years:g} years, "
                         f"seed {result.seed}; costs discounted at "
                         f"{result.spec.costs.discount_rate * 100:g} %/yr"))
    t.add_column("measure")
    for arch in table.columns:
        t.add_column(Text(arch), justify="right")
    for label, row in table.iterrows():
        t.add_row(Text(str(label)), *(Text(str(v)) for v in row))
    out.print(t)
    out.print(Text(words))
    if spread is not None:
        s = Table(title=Text("Spread of the TCO across replications: from not knowing the inputs "
                             "(drawn per replication) and from chance (inputs fixed)"))
        for col in ("of", "sd total", "sd chance", "from inputs", "from chance"):
            s.add_column(col, justify="left" if col == "of" else "right")
        for r in spread.itertuples():
            s.add_row(Text(r.of), usd(r.sd_total), usd(r.sd_chance),
                      f"{r.share_from_inputs * 100:.0f} %", f"{r.share_from_chance * 100:.0f} %")
        out.print(s)
