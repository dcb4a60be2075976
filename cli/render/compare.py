"""The comparison an operator came for, from one fleet run: a table and a verdict in words.

:func:`comparison` turns a :class:`fleet_models.runs.results.FleetResult` into one row per measure
and one column per architecture (port availability, downtime per port-year, service events per
year, GPU-hours lost, TCO with its interval and spread, TCO per port-year and per Tbps-year, the
difference from the baseline with its interval and the share of replications it is cheaper in).
The verdict itself (CPO against its twin, two probabilities, what flips it) is
:mod:`fleet_models.decisions.verdict`'s; :func:`print_comparison` prints the table, the verdict and
its hinges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from failure_data.numbers import money_format, usd
from failure_data.units import HOURS_PER_YEAR
from fleet_models.runs.results import FleetResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported by comparison(): `cpo compare` imports this module before its run

    from fleet_models.decisions.verdict import Verdict

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
    money = summ.loc[[(a, m) for a in result.architectures
                      for m in ("tco_usd", "capex", "energy", "maintenance", "support", "downtime")]]
    # one money format per kind of row: fleet totals in one suffix, per port-year and Tbps-year in another
    big = money_format([*money["mean"], *money["ci95_low"], *money["ci95_high"], *money["p5"],
                        *money["p95"], *diffs["mean"], *diffs["ci95_low"], *diffs["ci95_high"]])
    tco = summ.loc[[(a, "tco_usd") for a in result.architectures], "mean"]
    small = money_format([*(tco / (ports * years)), *(tco / (ports * fleet.port_gbps / 1000 * years))])
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
            ("TCO (mean)", big(m("tco_usd")["mean"])),
            ("TCO ci95 of the mean", f"{big(m('tco_usd')['ci95_low'])} – {big(m('tco_usd')['ci95_high'])}"),
            ("TCO p5 – p95 (one fleet)", f"{big(m('tco_usd')['p5'])} – {big(m('tco_usd')['p95'])}"),
            ("  capex", big(m("capex")["mean"])),
            ("  energy", big(m("energy")["mean"])),
            ("  maintenance", big(m("maintenance")["mean"])),
            ("  support", big(m("support")["mean"])),
            ("  downtime", big(m("downtime")["mean"])),
            ("TCO per port-year", small(m("tco_usd")["mean"] / (ports * years))),
            ("TCO per Tbps-year", small(m("tco_usd")["mean"] / (ports * fleet.port_gbps / 1000 * years))),
        ]
        p_label = p_cheaper_label(result)
        if arch == baseline:
            cells += [(f"vs {baseline} (mean)", "baseline"), ("vs baseline ci95", "–"), (p_label, "–")]
        else:
            d = diffs.loc[arch]
            cells += [(f"vs {baseline} (mean)", big(d["mean"], signed=True)),
                      ("vs baseline ci95", f"{big(d['ci95_low'], signed=True)} – "
                                           f"{big(d['ci95_high'], signed=True)}"),
                      (p_label, odds(d["p_cheaper"], d["p_equal"]))]
        labels = [c[0] for c in cells]
        cols[arch] = [c[1] for c in cells]
    return pd.DataFrame(cols, index=labels)


def p_cheaper_label(result: FleetResult) -> str:
    """The table's P(cheaper) row says what varied: chance alone, or the inputs too."""
    drew = result.spec is not None and result.spec.uncertainty
    return "P(cheaper), inputs drawn" if drew else "P(cheaper), chance alone"


def odds(p_cheaper: float, p_equal: float) -> str:
    """A table cell: the share of replications cheaper, and the share equal when there are ties."""
    return (f"{p_cheaper * 100:.0f} %" + (f" (equal in {p_equal * 100:.0f} %)" if p_equal > 0 else ""))


def print_comparison(out: Any, result: FleetResult, table: pd.DataFrame, answer: Verdict,
                     spread: pd.DataFrame | None) -> None:
    """`cpo compare`'s tables, verdict and what flips it on a rich console."""
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
    out.print(Text(answer.text()))
    if answer.hinges:
        out.print(Text("Flips if (the inputs that swing the difference most, each across its range, "
                       "the others at their values):"))
        for line in answer.flips_text():
            out.print(Text(f"  - {line}"))
    if spread is not None:
        s = Table(title=Text("Spread of the TCO across replications: from not knowing the inputs "
                             "(drawn per replication) and from chance (inputs fixed)"))
        for col in ("of", "sd total", "sd chance", "from inputs", "from chance"):
            s.add_column(col, justify="left" if col == "of" else "right")
        for r in spread.itertuples():
            s.add_row(Text(r.of), usd(r.sd_total), usd(r.sd_chance),
                      f"{r.share_from_inputs * 100:.0f} %", f"{r.share_from_chance * 100:.0f} %")
        out.print(s)
