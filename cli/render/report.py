"""The decision report: one self-contained HTML page from a fleet run (issue 11).

This is presentation only: it reads a :class:`fleet_models.runs.results.FleetResult` through its
public methods (``summary``, ``differences``, ``tco``, ``ledgers``, ``spec``), the metric
declarations (``fleet_models.model.metrics``) and the scenario's sources
(``fleet_models.builtins.field_sources``), and computes nothing a table does not show. Styles
and figures are inline (matplotlib ``Figure`` objects rendered to SVG, never pyplot state), the
page loads nothing from the network, and every string that came from the user (scenario,
architecture and component names, descriptions, file names) is HTML-escaped once, in ``_e``.

:func:`build_report` returns the page as a string; ``cpo report`` (``cli/report_cmd.py``) runs
the comparison (and optionally the tornado and a break-even search) and writes it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cli.render.compare import comparison, odds
from cli.render.html import _e, _table, _years, prose
from cli.render.report_figures import (
    _breakdown_figure,
    _distribution_figure,
    _Figures,
    _mpl,
    _new_figure,
    _timeline_figure,
)
from cli.render.report_inputs import _assumptions_section
from cli.render.report_lives import _life_section
from cli.render.report_style import CSS
from failure_data.catalog import Catalog, default_catalog
from failure_data.numbers import dollars, money_format, number, percent, quantity, usd
from failure_data.units import HOURS_PER_YEAR
from fleet_models.decisions.verdict import Verdict
from fleet_models.model.metrics import COST, ENGINE, engine_columns
from fleet_models.model.spec import Scenario
from fleet_models.runs.results import FleetResult

SECTIONS = (  # (id, heading): the page's sections in order; tests check every id is present
    ("verdict", "The question and the answer"),
    ("results", "Results per architecture"),
    ("tco-breakdown", "What the cost is made of"),
    ("tco-distribution", "How sure: TCO over replications"),
    ("timeline", "Service events of one replication"),
    ("tornado", "Which unknown matters most (tornado)"),
    ("breakeven", "Break-even"),
    ("life-models", "Life models used"),
    ("assumptions", "Assumptions: the weak inputs first"),
    ("reproduce", "How to reproduce this report"),
    ("appendix", "Appendix: every input and its source"),
)


# ---------------------------------------------------------------------- small helpers


def _num(v: Any, metric: str = "", money: Any = usd) -> str:
    """A metric's value in its own terms: shares as per cent, money as ``money`` writes it (the
    row's one format), counts as numbers."""
    if metric in ("port_availability", "goodput"):
        return percent(v, 4)
    if metric in {m.name for m in COST if m.unit == "USD"}:
        return money(v)
    return number(v, 4)


# ---------------------------------------------------------------------- assumptions


# ---------------------------------------------------------------------- results


def _metric_order(result: FleetResult, summ: pd.DataFrame) -> list[str]:
    comps: list[str] = []
    for arch in result.architectures:
        comps += [c for c in result.components[arch] if c not in comps]
    present = set(summ["metric"])
    return [m for m in (*engine_columns(comps), *(m.name for m in COST)) if m in present]


_COUNTS = {m.name for m in ENGINE}  # counts, hours and shares: never negative


def _metric_info(metric: str) -> tuple[str, str]:
    """(unit, meaning) of a metric column from its declaration."""
    for m in (*ENGINE, *COST):
        if m.name == metric:
            return m.unit, prose(m.doc)
        if m.per_component and metric.startswith(m.name + "_"):
            return m.unit, f"{metric[len(m.name) + 1:]}: {prose(m.doc)}"
    return "", ""




def _results_section(result: FleetResult, baseline: str, judged: str) -> str:
    archs = result.architectures
    cmp = comparison(result, baseline)
    rows = [[_e(label.strip()), *(_e(v) for v in cmp.loc[label])] for label in cmp.index]
    head = ["measure", *(_e(a) for a in archs)]
    summ = result.summary()
    idx = summ.set_index(["metric", "architecture"])
    detail = []
    for metric in _metric_order(result, summ):
        unit, doc = _metric_info(metric)
        label = f"<b>{_e(metric.replace('_', ' '))}</b>" + (
            f' <span class="unit">{_e(unit)}</span>' if unit else "")
        label += f'<br><span class="note">{_e(doc)}</span>'
        cells = [label]
        stats = ("mean", "ci95_low", "ci95_high", "p5", "p95")
        fmt = money_format(idx.loc[(metric, a)][c] for a in archs if (metric, a) in idx.index
                           for c in stats)  # one money format per row
        for arch in archs:
            if (metric, arch) not in idx.index:
                cells.append("–")
                continue
            r = idx.loc[(metric, arch)]
            if any(metric == n or metric.startswith(n + "_") for n in _COUNTS):  # a count's interval never reaches below zero
                r = r.copy()
                r["ci95_low"], r["p5"] = max(0.0, r["ci95_low"]), max(0.0, r["p5"])
            v = {c: _e(_num(r[c], metric, fmt)) for c in stats}
            cells.append(f'<span class="mean">{v["mean"]}</span><br>'
                         f'<span class="ci">[{v["ci95_low"]}, {v["ci95_high"]}]</span><br>'
                         f'<span class="pp">{v["p5"]} – {v["p95"]}</span>')
        detail.append(cells)
    return (f"<p>Means over {result.n_replications} replications of {_years(result.horizon_hours)}; "
            f"costs discounted at {result.spec.costs.discount_rate * 100:g} %/yr. Each architecture "
            f"against <b>{_e(baseline)}</b> (the baseline).</p>"
            + _table(head, rows, cls="compare") + _explain(result, baseline, judged)
            + "<h3>Every metric, with its uncertainty</h3>"
            "<p>Each cell: the mean; [the 95 % interval of that mean]; the 5th – 95th percentile "
            "over replications, the spread one real fleet could see.</p>"
            + _table(["metric", *(_e(a) for a in archs)], detail, cls="detail"))


def fleet_words(sc: Scenario, short: bool = False) -> str:
    """The fleet in words: its switches and ports, or a fabric's tiers."""
    f = sc.fleet
    if not sc.fabric.tiers:
        return (f"{f.switches:,} switches × {f.ports_per_switch} ports of {f.port_gbps:g}G" if short
                else f"a fleet of {f.switches:,} switches of {f.ports_per_switch} × {f.port_gbps:g}G ports")
    tiers = ", ".join(f"{t.switches:,} {t.name} switches of {t.ports_per_switch} ports"
                      + (f" ({t.uplinks} up-links)" if t.uplinks else "") for t in sc.fabric.tiers)
    return (f"{len(sc.fabric.tiers)} tiers of {f.port_gbps:g}G: {tiers}" if short
            else f"a fabric of {len(sc.fabric.tiers)} tiers of {f.port_gbps:g}G ports, {tiers},")


def short_question(answer: Verdict) -> str:
    """The page's title: the question the scenario asks, in one line."""
    return f"Does {answer.arch} cost less to own than {answer.against}?"


def _first_screen(result: FleetResult, answer: Verdict) -> str:
    """What the person who decides reads first, in this order: the verdict with its interval,
    the two probabilities (chance alone; the inputs' uncertainty), and what flips it."""
    probs = []
    for label, text, p in (
            ("over chance alone", answer.chance_text(), answer.p_chance),
            (f"over the uncertainty of its {answer.inputs} inputs", answer.inputs_text(), answer.p_inputs)):
        if text is None:
            continue
        probs.append(f'<div class="prob"><span class="big">{p * 100:.0f} %</span>'
                     f'<span class="what">{_e(label)}: {_e(text)}</span></div>')
    if answer.p_inputs is None:
        why = ("no input is declared uncertain" if answer.inputs == 0 else
               "the inputs' uncertainty was not drawn in this run")
        probs.append(f'<div class="prob"><span class="big">–</span><span class="what">over the '
                     f"inputs' uncertainty: not known, {_e(why)}</span></div>")
    if answer.hinges:
        flips = ('<p class="fliphead"><b>What would flip it</b> (the inputs that swing the '
                 "difference most, each across its range):</p><ul class=\"flips\">"
                 + "".join(f"<li>{_e(t)}</li>" for t in answer.flips_text()) + "</ul>")
    else:
        flips = ('<p class="fliphead"><b>What would flip it</b> was not computed for this report '
                 "(it needs the scenario itself, not a saved run, and an uncertain input).</p>")
    return (f'<div class="verdict"><p class="answer">{_e(answer.headline())}</p>'
            f'<div class="probs">{"".join(probs)}</div>{flips}</div>')


def _explain(result: FleetResult, baseline: str, judged: str) -> str:
    """What surprises a reader of the results table, explained where it appears: why many more
    CPO port-minutes down can cost less downtime than a pluggable's few, and what one switch
    replacement costs the operator next to the maintenance total."""
    from fleet_models.decisions.verdict import is_cpo
    from fleet_models.engines.tiers import is_design, views
    from fleet_models.model.spec import AfterSupport
    from fleet_models.runs.tco import replaced_bill

    sc = result.spec
    summ = result.summary().set_index(["architecture", "metric"])["mean"]
    years = result.horizon_hours / HOURS_PER_YEAR
    pol, costs, fabric, sup = sc.policy, sc.costs, sc.fabric, sc.support
    by_name = {a.name: a for a in sc.architectures}
    out = []
    base_min = (1 - summ[(baseline, "port_availability")]) * HOURS_PER_YEAR * 60
    for arch in result.architectures:
        a = by_name[arch]
        if arch == baseline or arch != judged or not is_cpo(a):
            continue
        mins = (1 - summ[(arch, "port_availability")]) * HOURS_PER_YEAR * 60
        if mins > base_min and summ[(arch, "downtime")] < summ[(baseline, "downtime")]:
            out.append(
                f"<p><b>Why {_e(arch)}'s {mins:,.1f} minutes down per port-year cost less than "
                f"{_e(baseline)}'s {base_min:,.1f}.</b> A pluggable module that fails interrupts the "
                "training job running across its port: every GPU of that job rolls back to its last "
                "checkpoint (on average half of its "
                f"{number(sc.workload.checkpoint_interval_hours * 60, 3)}-min checkpoint interval "
                f"is lost) and restarts ({number(sc.workload.restart_hours * 60, 3)} min), "
                f"{summ[(baseline, 'job_interruptions')] / years:,.0f} times a year. A CPO switch "
                "replacement takes all the switch's ports down for hours, but its job waits "
                f"{number(fabric.exclude_hours * 60, 3)} min, restarts once without the switch's "
                "GPUs and runs on: the long outage costs only the GPUs behind that one switch, "
                f"{summ[(arch, 'job_interruptions')] / years:,.0f} interruptions a year in all. Downtime "
                f"cost: {usd(summ[(arch, 'downtime')])} against {usd(summ[(baseline, 'downtime')])}.</p>")
        reps = summ[(arch, "switch_replacements")] / years
        if reps <= 0:
            continue
        labour = costs.technician_usd_per_hour * pol.replacement_hours + costs.service_event_usd
        share = 1.0 if sup.after is AfterSupport.BUY else sup.depot_fraction
        bills = ({v.tier.name: replaced_bill(v.architecture) for v in views(sc, a)} if is_design(a)
                 else {"": replaced_bill(a)})  # a design: a switch of each tier
        after = "; ".join(f"{usd(b * share)}{' for a ' + t if t else ''}" for t, b in bills.items())
        new = "; ".join(f"{usd(b)}{' for a ' + t if t else ''}" for t, b in bills.items())
        how = "bought new" if sup.after is AfterSupport.BUY else (
            f"repaired at a depot for {sup.depot_fraction * 100:.0f} % of its bill")
        out.append(
            f"<p><b>What one switch replacement of {_e(arch)} costs the operator.</b> "
            f"{usd(labour)} of labour and the service event "
            f"({number(pol.replacement_hours, 3)} h at {usd(costs.technician_usd_per_hour)}/h); within "
            f"the {number(sup.years, 3)}-year support period the new switch is the vendor's, after it "
            f"the switch is {how}: {after} more ("
            + ("" if share == 1.0 else f"a new one would be {new}: ")
            + "the switch with whatever does not move; pluggable modules and ELS move to the new "
            f"chassis). {reps:,.1f} replacements a year; the maintenance "
            f"total over {_years(result.horizon_hours)} is {usd(summ[(arch, 'maintenance')])}, "
            "discounted.</p>")
    return f'<div class="explain">{"".join(out)}</div>' if out else ""


def _verdict_section(result: FleetResult, baseline: str, n_inputs: int, n_weak: int,
                     answer: Verdict, tornado: bool) -> str:
    sc = result.spec
    question = (f"For {fleet_words(sc)} run for {_years(sc.horizon_hours)}, does "
                f"{_e(answer.arch)} cost less to own than {_e(answer.against)}, counting the switches "
                "and optics, their energy, their maintenance and support and the GPU-hours that "
                "optics and switch faults cost the training jobs on them; how sure is that answer, "
                "and what would change it?")
    diffs = result.differences(baseline)
    usd_ = money_format([*diffs["mean"], *diffs["ci95_low"], *diffs["ci95_high"], *diffs["p5"],
                         *diffs["p95"]])
    cards = []
    for r in diffs.itertuples():
        cards.append(
            f'<div class="card"><h3>{_e(r.architecture)} − {_e(baseline)}</h3><dl>'
            f"<dt>mean TCO difference</dt><dd><b>{_e(usd_(r.mean, signed=True))}</b></dd>"
            f"<dt>95 % interval of the mean</dt><dd>{_e(usd_(r.ci95_low, signed=True))} to "
            f"{_e(usd_(r.ci95_high, signed=True))}</dd>"
            f"<dt>p5 to p95 (one fleet)</dt><dd>{_e(usd_(r.p5, signed=True))} to "
            f"{_e(usd_(r.p95, signed=True))}</dd>"
            f"<dt>P(cheaper than {_e(baseline)})</dt><dd><b>{_e(odds(r.p_cheaper, r.p_equal))}</b></dd>"
            "</dl></div>")
    table = f'<div class="cards">{"".join(cards)}</div>'
    where = ('the <a href="#tornado">tornado</a> shows which of the published ranges move the answer'
             if tornado else "a tornado (not computed for this report) would show which of the "
             "published ranges move the answer")
    return (f'<p class="question"><b>The question in full.</b> {question}</p>'
            f"<p>Every architecture of the scenario against the baseline {_e(baseline)}:</p>{table}"
            "<p class=\"small\">A negative difference is a saving against the baseline. Every "
            "architecture faces the same random failures where it has the same parts (common random "
            "numbers), so the differences are paired per replication: P(cheaper) is the share of "
            "replications in which it cost less.</p>"
            f'<p class="small warn">{n_weak} of the {n_inputs} inputs rest on placeholder or '
            'low-confidence figures (marked in <a href="#assumptions">Assumptions</a>); '
            f"{where}.</p>")


# ---------------------------------------------------------------------- figures


def _tornado_section(frame: pd.DataFrame | None, pair: tuple[str, str] | None, figure: _Figures,
                     runs: int | None) -> str:
    if frame is None or pair is None:
        return ("<p class=\"muted\">Not computed for this report: the report's command can ask "
                "for the tornado (it re-simulates only the architectures an input changes; prices "
                "re-simulate nothing), and the tornado command draws it on its own.</p>")
    from cli.render.figures import plot_tornado
    from cli.render.tornado import range_text, table_money

    arch, against = pair
    money = table_money(frame)
    fig = _new_figure(7.5, 0.5 * len(frame) + 1.8)
    plot_tornado(frame, ax=fig.add_subplot(), title="")
    ax = fig.axes[0]
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_yticks(np.arange(len(frame)), [_mpl(k) for k in frame["input"].iloc[::-1]])

    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / 1e6:,.0f}"))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel(f"mean TCO of {_mpl(arch)} minus {_mpl(against)}, million USD")
    rows = [[f"<code>{_e(r.input)}</code>", _e(range_text(r)),
             _e(r.confidence), _e(money(r.at_low, signed=True)), _e(money(r.at_high, signed=True)),
             _e(money(r.swing))] for r in frame.itertuples()]
    base = float(frame["base"].iloc[0]) if len(frame) else math.nan
    sims = f" ({runs} simulations of one architecture)" if runs is not None else ""
    return (f"<p>The TCO difference {_e(arch)} − {_e(against)} is {_e(usd(base, signed=True))} with "
            "every input at its value. Each input with a published range (catalog low and high) is "
            f"moved to its low and its high end, the others held, on the same random numbers{sims}. "
            "Where a bar crosses the dashed zero line, that input alone can turn the answer.</p>"
            + figure(fig, f"Tornado: the mean TCO difference {_e(arch)} − {_e(against)} with each "
                     "input at the ends of its published range, largest swing first.",
                     "tornado chart")
            + _table(["input", "range", "confidence", "difference at low", "difference at high",
                      "swing"], rows, cls="tornado"))


def _breakeven_section(answer: Any, scenario: Scenario, figure: _Figures) -> str:
    if answer is None:
        return ("<p class=\"muted\">Not computed for this report. Add a break-even search to "
                "the report's command (a field and the range to search) to find the value of a "
                "field at which two architectures cost the same, e.g. how reliable CPO engines must "
                "be for CPO to win.</p>")
    from fleet_models.model.paths import declaration_at

    decl = declaration_at(scenario, answer.path)
    unit = decl.setting.unit if decl is not None else ""

    def q(x: Any) -> str:
        if isinstance(x, str):
            return x
        # the input in whole dollars ($20,000), the differences in the table's money format
        return dollars(x) if unit == "USD" else quantity(x, unit, like=(answer.lo, answer.hi))

    money = money_format([answer.at_lo, answer.at_hi, *(c[1] for c in answer.curve)])
    lo, hi = answer.interval
    rows = [["field", f"<code>{_e(answer.path)}</code>" + (f" ({_e(unit)})" if unit else "")],
            ["architectures", f"{_e(answer.arch)} against {_e(answer.against)}"],
            ["value in use", _e(q(answer.current)) if answer.current is not None else "–"],
            ["searched", _e(f"{q(answer.lo)} to {q(answer.hi)}")],
            ["break-even value", _e("none in the range" if answer.value is None else q(answer.value))],
            ["95 % interval", _e("–" if lo is None or hi is None else f"{q(lo)} to {q(hi)}")],
            ["mean difference at the ends",
             _e(f"{money(answer.at_lo, signed=True)} at {q(answer.lo)}; "
                f"{money(answer.at_hi, signed=True)} at {q(answer.hi)}")]]
    if answer.at_choices:
        rows.append(["at each value", _e("; ".join(f"{money(d, signed=True)} at {c}"
                                                   for c, d in answer.at_choices.items()))])
    rows.append(["evaluations", _e(answer.evaluations)])
    out = f'<p class="answer">{_e(answer.text())}</p>' + _table(["", ""], rows, cls="kv")
    if len(answer.curve) >= 3:
        x = np.array([c[0] for c in answer.curve])
        y = np.array([c[1:] for c in answer.curve]) / 1e6
        fig = _new_figure(7.5, 4.2)
        ax = fig.add_subplot()
        ax.fill_between(x, y[:, 1], y[:, 2], color="#4c72b0", alpha=0.2, label="95 % interval")
        ax.plot(x, y[:, 0], color="#4c72b0", marker="o", ms=3, label="mean difference")
        ax.axhline(0, color="black", lw=0.8, ls=":")
        if isinstance(answer.current, int | float):
            ax.axvline(answer.current, color="#c44e52", lw=1.2, ls="--", label="value in use")
        if isinstance(answer.value, int | float):
            ax.axvline(answer.value, color="#55a868", lw=1.2, label="break-even")
        if answer.lo > 0 and answer.hi / answer.lo > 10:
            ax.set_xscale("log")
        ax.set_xlabel(_mpl(f"{answer.path.rsplit('.', 1)[-1]}" + (f", {unit}" if unit else "")))
        ax.set_ylabel("mean TCO difference, million USD")
        ax.grid(alpha=0.3)
        fig.legend(loc="outside lower center", ncol=2, frameon=False)
        out += figure(fig, f"The mean TCO difference {_e(answer.arch)} − {_e(answer.against)} "
                      f"against <code>{_e(answer.path)}</code>, every value on the same random "
                      "numbers, with its 95 % interval; below the dotted zero line "
                      f"{_e(answer.arch)} is cheaper.", "break-even curve")
    return out


# ---------------------------------------------------------------------- life models


# ---------------------------------------------------------------------- page


def scenario_sha256(scenario: Scenario) -> str:
    """sha256 of the resolved scenario as TOML without comments (`scenario_to_toml`): the same
    inputs give the same digest whether they came from a file or a built-in."""
    from fleet_models.scenario.write import scenario_to_toml

    return hashlib.sha256(scenario_to_toml(scenario, comments={}).encode("utf-8")).hexdigest()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cpo-analyzer")
    except PackageNotFoundError:  # pragma: no cover  (a checkout run without an install)
        return "unknown"


def _footer(result: FleetResult, command: Sequence[str] | None, scenario_file: Path | None) -> str:
    from fleet_models.scenario.write import scenario_to_toml

    sc = result.spec
    cmd = "cpo " + " ".join(shlex.quote(a) for a in command) if command is not None else "(library call)"
    rows = [["tool", _e(f"cpo-analyzer {_version()}")],
            ["command", f"<code>{_e(cmd)}</code>"],
            ["seed", _e(result.seed)],
            ["replications", _e(result.n_replications)],
            ["scenario", _e(sc.name)],
            ["scenario sha256", f"<code>{scenario_sha256(sc)}</code>"]]
    if scenario_file is not None and scenario_file.is_file():
        rows.append(["scenario file", f"<code>{_e(scenario_file.name)}</code>, sha256 "
                     f"<code>{hashlib.sha256(scenario_file.read_bytes()).hexdigest()}</code>"])
    rows.append(["generated", _e(_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))])
    toml = scenario_to_toml(sc)
    return (_table(["", ""], rows, cls="kv")
            + "<p class=\"small\">The scenario sha256 is that of the resolved scenario written as "
            "TOML without comments; the same command, seed and scenario give the same numbers. The "
            "resolved scenario (as <code>cpo scenario show</code> writes it; save it as a .toml "
            "file to run it again):</p>"
            f'<h3>The resolved scenario</h3><pre class="scenario">{_e(toml)}</pre>')




def build_report(result: FleetResult, *, baseline: str | None = None,
                 tornado: pd.DataFrame | None = None, tornado_pair: tuple[str, str] | None = None,
                 tornado_runs: int | None = None, breakeven: Any = None,
                 command: Sequence[str] | None = None, scenario_file: Path | None = None,
                 catalog: Catalog | None = None, answer: Verdict | None = None) -> str:
    """The decision report of a comparison run as one self-contained HTML page.

    ``result`` must carry its scenario and ledgers (``fleet_models.runs.runner.run`` gives both).
    ``tornado`` is :func:`fleet_models.decisions.tornado`'s frame for ``tornado_pair`` = (arch,
    against); ``breakeven`` a :class:`fleet_models.decisions.BreakEven`; ``command`` the
    arguments after ``cpo`` (for the footer); ``scenario_file`` the file the scenario came from
    (its digest goes in the footer, a fitted life's data file is looked for beside it);
    ``answer`` the verdict with its hinges (:func:`fleet_models.decisions.verdict.verdict`;
    default: the verdict of ``result`` alone)."""
    if result.spec is None or not result.ledgers:
        from fleet_models.errors import FleetError

        raise FleetError("a report needs a run that kept its scenario and dated events (ledgers); "
                         "use fleet_models.runs.runner.run")
    cat = catalog or default_catalog()
    sc = result.spec
    baseline = baseline or result.architectures[0]
    if answer is None:
        from fleet_models.decisions.verdict import of_run

        answer = of_run(result, baseline)
    figure = _Figures()
    assumptions_html, appendix_html, n_inputs, n_weak = _assumptions_section(sc, cat)
    base = scenario_file.parent if scenario_file is not None else None
    body = {
        "verdict": _verdict_section(result, baseline, n_inputs, n_weak, answer, tornado is not None),
        "results": _results_section(result, baseline, answer.arch),
        "tco-breakdown": _breakdown_figure(result, figure),
        "tco-distribution": _distribution_figure(result, baseline, figure),
        "timeline": _timeline_figure(result, figure),
        "tornado": _tornado_section(tornado, tornado_pair, figure, tornado_runs),
        "breakeven": _breakeven_section(breakeven, sc, figure),
        "life-models": _life_section(sc, figure, base),
        "assumptions": assumptions_html,
        "reproduce": _footer(result, command, scenario_file),
        "appendix": appendix_html,
    }
    nav = "".join(f'<li><a href="#{sid}">{_e(title)}</a></li>' for sid, title in SECTIONS)
    sections = []
    for sid, title in SECTIONS:
        tag = "footer" if sid == "reproduce" else "section"  # the appendix follows the footer
        sections.append(f'<{tag} id="{sid}"><h2>{_e(title)}</h2>{body[sid]}</{tag}>')
    descs = "".join(f"<li><b>{_e(a.name)}</b>: {_e(a.description)}</li>" for a in sc.architectures
                    if a.description)
    sub = (f"CPO decision report, scenario {sc.name}: {fleet_words(sc, short=True)}, {_years(sc.horizon_hours)}, "
           f"{result.n_replications} replications, seed {result.seed}")
    about = ((f'<h2 id="architectures">The architectures compared</h2><ul class="small">{descs}</ul>'
              if descs else "") + f'<nav aria-label="contents"><h2>Contents</h2><ol>{nav}</ol></nav>')
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="cpo-analyzer">'
            f"<title>CPO decision report: {_e(sc.name)}</title><style>{CSS}</style></head>"
            f'<body><main><header id="first-screen"><h1>{_e(short_question(answer))}</h1>'
            f'<p class="sub">{_e(sub)}</p>{_first_screen(result, answer)}</header>'
            + about
            + "".join(sections) + "</main></body></html>\n")
