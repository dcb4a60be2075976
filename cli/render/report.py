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
from cli.render.html import _e, _table, _years
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
from failure_data.catalog import Catalog, default_catalog
from failure_data.numbers import number, percent, usd
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
    ("assumptions", "Assumptions: every input"),
    ("reproduce", "How to reproduce this report"),
)


# ---------------------------------------------------------------------- small helpers


def _num(v: Any, metric: str = "") -> str:
    """A metric's value in its own terms: shares as per cent, money as USD, counts as numbers."""
    if metric in ("port_availability", "goodput"):
        return percent(v, 4)
    if metric in {m.name for m in COST if m.unit == "USD"}:
        return usd(v)
    return number(v, 4)


# ---------------------------------------------------------------------- assumptions


# ---------------------------------------------------------------------- results


def _metric_order(result: FleetResult, summ: pd.DataFrame) -> list[str]:
    comps: list[str] = []
    for arch in result.architectures:
        comps += [c for c in result.components[arch] if c not in comps]
    present = set(summ["metric"])
    return [m for m in (*engine_columns(comps), *(m.name for m in COST)) if m in present]


def _metric_info(metric: str) -> tuple[str, str]:
    """(unit, meaning) of a metric column from its declaration."""
    for m in (*ENGINE, *COST):
        if m.name == metric:
            return m.unit, m.doc
        if m.per_component and metric.startswith(m.name + "_"):
            return m.unit, f"{metric[len(m.name) + 1:]}: {m.doc}"
    return "", ""


def _results_section(result: FleetResult, baseline: str) -> str:
    archs = result.architectures
    cmp = comparison(result, baseline)
    rows = [[_e(label.strip()), *(_e(v) for v in cmp.loc[label])] for label in cmp.index]
    head = ["measure", *(_e(a) for a in archs)]
    summ = result.summary()
    idx = summ.set_index(["metric", "architecture"])
    detail = []
    for metric in _metric_order(result, summ):
        unit, doc = _metric_info(metric)
        label = f"<code>{_e(metric)}</code>" + (f' <span class="unit">{_e(unit)}</span>' if unit else "")
        label += f'<br><span class="note">{_e(doc)}</span>'
        cells = [label]
        for arch in archs:
            if (metric, arch) not in idx.index:
                cells.append("–")
                continue
            r = idx.loc[(metric, arch)]
            cells.append(f'<span class="mean">{_e(_num(r["mean"], metric))}</span><br>'
                         f'<span class="ci">[{_e(_num(r["ci95_low"], metric))}, '
                         f'{_e(_num(r["ci95_high"], metric))}]</span><br>'
                         f'<span class="pp">{_e(_num(r["p5"], metric))} – {_e(_num(r["p95"], metric))}</span>')
        detail.append(cells)
    return (f"<p>Means over {result.n_replications} replications of {_years(result.horizon_hours)}; "
            f"costs discounted at {result.spec.costs.discount_rate * 100:g} %/yr. Each architecture "
            f"against <b>{_e(baseline)}</b> (the baseline).</p>"
            + _table(head, rows, cls="compare")
            + "<h3>Every metric, with its uncertainty</h3>"
            "<p>Each cell: the mean; [the 95 % interval of that mean]; the 5th – 95th percentile "
            "over replications, the spread one real fleet could see.</p>"
            + _table(["metric", *(_e(a) for a in archs)], detail, cls="detail"))


def _verdict_section(result: FleetResult, baseline: str, n_inputs: int, n_weak: int,
                     answer: Verdict) -> str:
    sc = result.spec
    fleet = sc.fleet
    question = (f"For a fleet of {fleet.switches:,} switches of {fleet.ports_per_switch} × "
                f"{fleet.port_gbps:g}G ports run for {_years(sc.horizon_hours)}, does "
                f"{_e(answer.arch)} cost less to own than {_e(answer.against)}, counting the switches "
                "and optics, their energy, their maintenance and support and the GPU-hours that "
                "optics and switch faults cost the training jobs on them; how sure is that answer, "
                "and what would change it?")
    if answer.hinges:
        flips = ("<p><b>What flips it.</b> The inputs that swing the difference most, each moved "
                 "across its range with the others at their values:</p><ul class=\"flips\">"
                 + "".join(f"<li>{_e(t)}</li>" for t in answer.flips_text()) + "</ul>")
    else:
        flips = ('<p class="small">What flips it was not computed for this report (it needs the '
                 "scenario's runs: <code>cpo report SCENARIO</code> without <code>--from</code>, "
                 "and an uncertain input).</p>")
    diffs = result.differences(baseline)
    cards = []
    for r in diffs.itertuples():
        cards.append(
            f'<div class="card"><h3>{_e(r.architecture)} − {_e(baseline)}</h3><dl>'
            f"<dt>mean TCO difference</dt><dd><b>{_e(usd(r.mean, signed=True))}</b></dd>"
            f"<dt>95 % interval of the mean</dt><dd>{_e(usd(r.ci95_low, signed=True))} to "
            f"{_e(usd(r.ci95_high, signed=True))}</dd>"
            f"<dt>p5 to p95 (one fleet)</dt><dd>{_e(usd(r.p5, signed=True))} to "
            f"{_e(usd(r.p95, signed=True))}</dd>"
            f"<dt>P(cheaper than {_e(baseline)})</dt><dd><b>{_e(odds(r.p_cheaper, r.p_equal))}</b></dd>"
            "</dl></div>")
    table = f'<div class="cards">{"".join(cards)}</div>'
    return (f'<p class="question"><b>Question.</b> {question}</p>'
            f'<p class="answer"><b>Answer.</b> {_e(answer.text())}</p>'
            f"{flips}{table}"
            "<p class=\"small\">A negative difference is a saving against the baseline. Every "
            "architecture faces the same random failures where it has the same parts (common random "
            "numbers), so the differences are paired per replication: P(cheaper) is the share of "
            "replications in which it cost less.</p>"
            f'<p class="small warn">{n_weak} of the {n_inputs} inputs rest on placeholder or '
            'low-confidence figures (marked in <a href="#assumptions">Assumptions</a>); the '
            '<a href="#tornado">tornado</a> shows which of the published ranges move the answer.</p>')


# ---------------------------------------------------------------------- figures


def _tornado_section(frame: pd.DataFrame | None, pair: tuple[str, str] | None, figure: _Figures,
                     runs: int | None) -> str:
    if frame is None or pair is None:
        return ("<p class=\"muted\">Not computed for this report. Add <code>--tornado</code> to "
                "<code>cpo report</code> (it re-simulates only the architectures an input changes; "
                "prices re-simulate nothing), or run <code>cpo tornado</code>.</p>")
    from cli.render.figures import plot_tornado
    from cli.render.tornado import range_text

    arch, against = pair
    fig = _new_figure(7.5, 0.5 * len(frame) + 1.8)
    plot_tornado(frame, ax=fig.add_subplot(), title="")
    ax = fig.axes[0]
    from matplotlib.ticker import FuncFormatter

    ax.set_yticks(np.arange(len(frame)), [_mpl(k) for k in frame["input"].iloc[::-1]])

    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / 1e6:,.1f}"))
    ax.set_xlabel(f"mean TCO of {_mpl(arch)} minus {_mpl(against)}, million USD")
    rows = [[f"<code>{_e(r.input)}</code>", _e(range_text(r)),
             _e(r.confidence), _e(usd(r.at_low, signed=True)), _e(usd(r.at_high, signed=True)),
             _e(usd(r.swing))] for r in frame.itertuples()]
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


def _breakeven_section(answer: Any) -> str:
    if answer is None:
        return ("<p class=\"muted\">Not computed for this report. Add <code>--breakeven PATH "
                "--between LO HI</code> to <code>cpo report</code> (or run <code>cpo breakeven"
                "</code>) to find the value of a field at which two architectures cost the same, "
                "e.g. how reliable CPO engines must be for CPO to win.</p>")
    lo, hi = answer.interval
    rows = [["field", f"<code>{_e(answer.path)}</code>"],
            ["architectures", f"{_e(answer.arch)} against {_e(answer.against)}"],
            ["searched", _e(f"{answer.lo:,.6g} to {answer.hi:,.6g}")],
            ["break-even value", _e("none in the range" if answer.value is None else f"{answer.value:,.4g}")],
            ["95 % interval", _e("–" if lo is None or hi is None else f"{lo:,.4g} to {hi:,.4g}")],
            ["mean difference at the ends",
             _e(f"{answer.at_lo:,.4g} at {answer.lo:,.6g}; {answer.at_hi:,.4g} at {answer.hi:,.6g}")],
            ["evaluations", _e(answer.evaluations)]]
    return f'<p class="answer">{_e(answer.text())}</p>' + _table(["", ""], rows, cls="kv")


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
            f"<details><summary>resolved scenario (TOML)</summary><pre>{_e(toml)}</pre></details>")


CSS = """
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --accent:#2f5aa8; --weak:#fff4db; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:#fff;
  font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: .5rem 0 .25rem; line-height:1.2; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-top:.4rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .5rem 0; }
code { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size: .86em;
  overflow-wrap: anywhere; }
.sub, .muted, .note, .unit { color: var(--muted); }
.note { font-size: .82em; }
.small { font-size: .88em; }
.question { font-size: 1.05rem; }
.answer { font-size: 1.12rem; background:#eef3fb; border-left: 4px solid var(--accent);
  padding: .6rem .8rem; }
.warn { background: var(--weak); padding: .4rem .6rem; }
.badge { display:inline-block; font-size:.72em; padding: 0 .35em; border-radius: .3em;
  background:#f0b429; color:#1d2330; white-space:nowrap; }
nav ol { columns: 2; padding-left: 1.2rem; margin: .4rem 0; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .6rem 0; }
table { border-collapse: collapse; font-size: .9rem; min-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: right;
  vertical-align: top; }
th[scope=row], thead th:first-child { text-align: left; }
thead th { background: #f5f7fa; position: sticky; top: 0; }
table.assumptions td, table.assumptions th, table.refs td, table.refs th, table.lives td,
table.kv td, table.kv th { text-align: left; }
table.assumptions td:nth-child(6) { min-width: 12rem; }
table.assumptions th[scope=row] code, table.refs th[scope=row] code { white-space: nowrap; }
tr.group th { text-align: left; background: #e8edf5; padding-top: .5rem; }
table.assumptions thead th, table.refs thead th, table.lives thead th, table.kv thead th { text-align: left; }
tr.weak { background: var(--weak); }
.ci, .pp { font-size: .82em; color: var(--muted); white-space: nowrap; }
.mean { font-weight: 600; white-space: nowrap; }
table.detail th[scope=row] code { white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: .6rem 0; }
.card { flex: 1 1 17rem; border: 1px solid var(--line); border-radius: .4rem; padding: .4rem .8rem; }
.card h3 { margin: .2rem 0 .3rem; font-size: 1rem; overflow-wrap: anywhere; }
.card dl { display: grid; grid-template-columns: auto auto; gap: .1rem .8rem; margin: 0; font-size: .92rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; white-space: nowrap; }
.figscroll { overflow-x: auto; }
figure { margin: 1rem 0; }
figure svg { width: 100%; max-width: 42rem; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: .86rem; color: var(--muted); margin-top: .3rem; }
details pre { font-size: .78rem; overflow-x: auto; background:#f5f7fa; padding:.6rem; }
footer { margin-top: 2rem; }
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: .6rem .7rem 2rem; }
  h1 { font-size: 1.35rem; }
  nav ol { columns: 1; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .35rem; }
  table.assumptions td:nth-child(6) { min-width: 10rem; }
  table.detail .note { display: none; }
}
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav, details summary::marker { display: none; }
  .scroll { overflow: visible; }
  thead th { position: static; }
  table { font-size: 8.5pt; }
  figure, tr, .card { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  details pre { white-space: pre-wrap; }
}
"""


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
    assumptions_html, n_inputs, n_weak = _assumptions_section(sc, cat)
    base = scenario_file.parent if scenario_file is not None else None
    body = {
        "verdict": _verdict_section(result, baseline, n_inputs, n_weak, answer),
        "results": _results_section(result, baseline),
        "tco-breakdown": _breakdown_figure(result, figure),
        "tco-distribution": _distribution_figure(result, baseline, figure),
        "timeline": _timeline_figure(result, figure),
        "tornado": _tornado_section(tornado, tornado_pair, figure, tornado_runs),
        "breakeven": _breakeven_section(breakeven),
        "life-models": _life_section(sc, figure, base),
        "assumptions": assumptions_html,
        "reproduce": _footer(result, command, scenario_file),
    }
    nav = "".join(f'<li><a href="#{sid}">{_e(title)}</a></li>' for sid, title in SECTIONS)
    sections = []
    for sid, title in SECTIONS:
        tag = "footer" if sid == "reproduce" else "section"
        sections.append(f'<{tag} id="{sid}"><h2>{_e(title)}</h2>{body[sid]}</{tag}>')
    descs = "".join(f"<li><b>{_e(a.name)}</b>: {_e(a.description)}</li>" for a in sc.architectures
                    if a.description)
    fleet = sc.fleet
    sub = (f"{fleet.switches:,} switches × {fleet.ports_per_switch} ports of {fleet.port_gbps:g}G, "
           f"{_years(sc.horizon_hours)}, {result.n_replications} replications, seed {result.seed}")
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="cpo-analyzer">'
            f"<title>CPO decision report: {_e(sc.name)}</title><style>{CSS}</style></head>"
            f'<body><main><header><h1>CPO decision report: {_e(sc.name)}</h1>'
            f'<p class="sub">{_e(sub)}</p>'
            + (f'<ul class="small">{descs}</ul>' if descs else "")
            + f'<nav aria-label="contents"><ol>{nav}</ol></nav></header>'
            + "".join(sections) + "</main></body></html>\n")
