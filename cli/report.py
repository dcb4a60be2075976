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

import dataclasses
import datetime as _dt
import hashlib
import html
import io
import math
import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cli.render.compare import comparison, verdict
from failure_data.catalog import Catalog, Confidence, default_catalog
from failure_data.numbers import number, percent, usd
from fleet_models.model.fields import declared
from fleet_models.model.ledger import EventKind
from fleet_models.model.metrics import COST, COST_PARTS, ENGINE, engine_columns
from fleet_models.model.spec import Scenario
from fleet_models.runs.results import FleetResult
from fleet_models.runs.runner import replay
from reliability.models import FIT_HOURS, HOURS_PER_YEAR, LifeModel

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
WEAK = {Confidence.PLACEHOLDER: "placeholder", Confidence.NONE: "placeholder",
        Confidence.L: "low confidence"}
"""Confidences flagged in the assumptions table (L: 'secondary source or marketing: a
placeholder only', in the catalog's words)."""

PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


# ---------------------------------------------------------------------- small helpers


def _e(x: Any) -> str:
    """Every text that goes into the page goes through here (quotes too: safe in attributes)."""
    return html.escape(str(x), quote=True)


def _mpl(text: str) -> str:
    """A user string as a matplotlib label: ``$`` would start mathtext (and may fail to parse)."""
    return str(text).replace("$", r"\$")


def _svg(fig: Any, n: int, alt: str) -> str:
    """A Figure as inline SVG: text kept as text, ids salted per figure so several SVGs in one
    page never share an id, no date in the metadata (the same run gives the same figure)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"cpo-report-{n}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight", dpi=200)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # matplotlib names its groups figure_1, axes_1, ... in every SVG: prefix every id and every
    # reference to one, so the page's ids stay unique
    text = re.sub(r'(\bid="|url\(#|href="#)', rf"\g<1>f{n}-", text)
    return text.replace("<svg ", f'<svg role="img" aria-label="{_e(alt)}" ', 1)


class _Figures:
    """Numbers the figures of one page (each SVG's id salt) and wraps them in <figure>."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, fig: Any, caption: str, alt: str) -> str:
        self.n += 1
        return (f'<figure><div class="figscroll">{_svg(fig, self.n, alt)}</div><figcaption>Figure {self.n}. {caption}'
                "</figcaption></figure>")


FIGURE_WIDTH = 5.6  # inches: 560 px at 100 %, so its text stays legible scaled to a phone's width


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(FIGURE_WIDTH, height * FIGURE_WIDTH / width), dpi=100, layout="constrained")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "",
           row_classes: Sequence[str] | None = None, first_col_header: bool = True) -> str:
    """A table from cells that are already HTML (escape them before)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    thead = f"<thead><tr>{head}</tr></thead>" if any(header) else ""
    body = []
    for i, r in enumerate(rows):
        rc = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        if len(r) == 1 and len(header) > 1:  # a heading row across the table
            body.append(f'<tr{rc}><th scope="rowgroup" colspan="{len(header)}">{r[0]}</th></tr>')
            continue
        cells = "".join((f'<th scope="row">{c}</th>' if j == 0 and first_col_header else f"<td>{c}</td>")
                        for j, c in enumerate(r))
        body.append(f"<tr{rc}>{cells}</tr>")
    c = f' class="{cls}"' if cls else ""
    return f'<div class="scroll"><table{c}>{thead}<tbody>{"".join(body)}</tbody></table></div>'


def _num(v: Any, metric: str = "") -> str:
    """A metric's value in its own terms: shares as per cent, money as USD, counts as numbers."""
    if metric in ("port_availability", "goodput"):
        return percent(v, 4)
    if metric in {m.name for m in COST if m.unit == "USD"}:
        return usd(v)
    return number(v, 4)


def _g(x: Any) -> str:
    """An input's value as the assumptions table writes it."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return number(x, 6)
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _years(hours: float) -> str:
    y = hours / HOURS_PER_YEAR
    return f"{y:g} year{'s' if y != 1 else ''}"


# ---------------------------------------------------------------------- assumptions


@dataclasses.dataclass(frozen=True)
class Assumption:
    path: str  # by names, as `cpo sweep --vary` takes it
    value: str
    unit: str
    keys: tuple[str, ...]  # catalog keys it came from (empty: the user's value or no source)
    note: str  # the cited text / comment `cpo scenario show` writes
    tool_default: bool = False  # equal to the field's declared literal default (not a catalog one)

    @property
    def group(self) -> str:
        """The table the field sits in (``policy``, ``architectures.cpo-els.components.els``)."""
        return self.path.rpartition(".")[0]

    @property
    def field(self) -> str:
        return self.path.rpartition(".")[2]


def life_text(life: LifeModel) -> str:
    """A life model in words: the family and parameters, with FIT or MTTF."""
    if life.distribution == "exponential":
        return f"exponential, {FIT_HOURS / life.parameters['scale']:,.4g} FIT"
    params = ", ".join(f"{k} = {v:.4g}" for k, v in life.parameters.items())
    return f"{life.distribution} ({params}), {life.mttf_text()}"


def assumptions(scenario: Scenario, catalog: Catalog | None = None) -> list[Assumption]:
    """Every input of the resolved scenario, one row per field (a life model as one row), with
    the catalog keys it came from (``field_sources``) and the comment `cpo scenario show` gives."""
    from fleet_models.builtins.provenance import field_comments, field_sources

    sources = field_sources(scenario, catalog)
    comments = field_comments(scenario, catalog)
    rows: list[Assumption] = []

    def add(obj: Any, ipath: str, npath: str) -> None:
        cls = type(obj)
        aliases = {a.field: a.key for a in getattr(cls, "ALIASES", ())}
        for name, d in declared(cls).items():
            v = getattr(obj, name)
            ip = f"{ipath}.{name}" if ipath else name
            np_ = f"{npath}.{name}" if npath else name
            if name == "source" and ipath:  # a component's keys: shown in the source column
                continue
            if isinstance(v, tuple) and v and dataclasses.is_dataclass(v[0]):
                for i, item in enumerate(v):
                    add(item, f"{ip}[{i}]", f"{np_}.{getattr(item, 'name', i)}")
                continue
            if isinstance(v, Mapping):
                for k, item in v.items():
                    add(item, f"{ip}.{k}", f"{np_}.{k}")
                continue
            if dataclasses.is_dataclass(v) and not isinstance(v, LifeModel):
                add(v, ip, np_)
                continue
            keys = sources.get(ip) or (sources.get(f"{ipath}.{aliases[name]}") if name in aliases else None)
            if isinstance(v, LifeModel):
                text = life_text(v)
            elif v is None and name == "ports_per_unit":
                text = "switch (a failure takes every port down)"
            elif v is None:
                text = "not set"
            elif hasattr(v, "value") and not isinstance(v, int | float):  # an enum
                text = str(v.value)
            else:
                text = _g(v)
            unit = d.setting.unit
            if name == "horizon_hours":
                text += f" ({_years(v)})"
            is_default = d.default is not dataclasses.MISSING and _same(v, d.default)
            rows.append(Assumption(np_, text, "" if isinstance(v, LifeModel) or v is None else unit,
                                   tuple(k.strip() for k in keys.split(",")) if keys else (),
                                   comments.get(ip, ""), is_default))

    add(scenario, "", "")
    return rows


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001  (arrays and odd types: not the default)
        return False


def _weakest(keys: Sequence[str], cat: Catalog) -> Confidence | None:
    order = [Confidence.PLACEHOLDER, Confidence.NONE, Confidence.L, Confidence.INFERRED,
             Confidence.M, Confidence.H]
    confs = [cat.get(k).confidence for k in keys if k in cat]
    return min(confs, key=order.index) if confs else None


def _range_text(keys: Sequence[str], cat: Catalog) -> str:
    parts = []
    for k in keys:
        if k in cat:
            e = cat.get(k)
            if e.low is not None and e.high is not None:
                parts.append(f"{e.low:,.6g} – {e.high:,.6g} {e.unit}".strip())
    return "; ".join(parts)


def _assumptions_section(scenario: Scenario, cat: Catalog) -> tuple[str, int, int]:
    """The section's HTML, the number of rows, and how many rest on weak figures."""
    rows = assumptions(scenario, cat)
    cells, classes, weak = [], [], 0
    cited: list[str] = []
    group = None
    for a in rows:
        if a.group != group:
            group = a.group
            cells.append([f"<code>{_e(group or 'scenario')}</code>"])
            classes.append("group")
        w = _weakest(a.keys, cat)
        flag = WEAK.get(w) if w is not None else None
        if flag:
            weak += 1
        cited += [k for k in a.keys if k not in cited and k in cat]
        src = ", ".join(f"<code>{_e(k)}</code>" for k in a.keys) or (
            '<span class="muted">tool default</span>' if a.tool_default else
            '<span class="muted">the scenario\'s</span>')
        conf = ", ".join(_e(cat.get(k).confidence_text or cat.get(k).confidence) for k in a.keys if k in cat)
        if flag:
            conf += f' <span class="badge">{_e(flag)}</span>'
        value = _e(a.value) + (f' <span class="unit">{_e(a.unit)}</span>' if a.unit else "")
        cells.append([f"<code>{_e(a.field)}</code>", value, _e(_range_text(a.keys, cat)) or "–", src,
                      conf or "–", f'<span class="note">{_e(a.note)}</span>' if a.note else ""])
        classes.append("weak" if flag else "")
    table = _table(["field", "value", "published range", "source", "confidence", "note"], cells,
                   cls="assumptions", row_classes=classes)
    refs = []
    for k in cited:
        e = cat.get(k)
        val = (f"{e.value:,.6g}" if e.value is not None else "") + (
            f" [{e.low:,.6g} – {e.high:,.6g}]" if e.low is not None and e.high is not None else "")
        if e.value is None or not val:  # several figures or words: the table's own text
            val = e.text
        refs.append([f"<code>{_e(k)}</code>", _e(e.parameter), _e(f"{val} {e.unit}".strip() or "–"),
                     _e(e.confidence_text or e.confidence), _e(e.source)])
    conf_words = "; ".join(f"<b>{_e(c.value)}</b> {_e(c.meaning)}" for c in Confidence)
    html_ = (f"<p>Every input of the resolved scenario ({len(rows)} fields). A value taken from the "
             "catalog of published figures names its key and confidence; rows marked "
             '<span class="badge">placeholder</span> or <span class="badge">low confidence</span> '
             f"rest on a stand-in or a weak source: {weak} of {len(rows)}. A <i>tool default</i> is the "
             "value the tool uses when a scenario says nothing (a modelling choice, not a published "
             "figure); <i>the scenario's</i> is a value its author set. A field's path is its "
             "table's heading row and its name, as <code>cpo sweep --vary</code> and "
             "<code>cpo breakeven --vary</code> take it.</p>"
             f"{table}<h3>Catalog entries cited</h3>"
             + _table(["key", "parameter", "value [range]", "confidence", "source"], refs, cls="refs")
             + f'<p class="small">Confidence: {conf_words}.</p>')
    return html_, len(rows), weak


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


def _verdict_section(result: FleetResult, baseline: str, n_inputs: int, n_weak: int) -> str:
    sc = result.spec
    archs = result.architectures
    fleet = sc.fleet
    names = ", ".join(_e(a) for a in archs[:-1]) + (f" or {_e(archs[-1])}" if len(archs) > 1 else _e(archs[0]))
    question = (f"For a fleet of {fleet.switches:,} switches of {fleet.ports_per_switch} × "
                f"{fleet.port_gbps:g}G ports run for {_years(sc.horizon_hours)}, which of {names} "
                "costs least to own, counting the switches and optics, their energy, their "
                "maintenance and the GPU-hours that optics and switch faults cost the training jobs "
                "on them; and how sure is that answer?")
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
            f"<dt>P(cheaper than {_e(baseline)})</dt><dd><b>{r.p_cheaper * 100:.0f} %</b></dd>"
            "</dl></div>")
    table = f'<div class="cards">{"".join(cards)}</div>'
    return (f'<p class="question"><b>Question.</b> {question}</p>'
            f'<p class="answer"><b>Answer.</b> {_e(verdict(result, baseline))}</p>'
            f"{table}"
            "<p class=\"small\">A negative difference is a saving against the baseline. Every "
            "architecture faces the same random failures where it has the same parts (common random "
            "numbers), so the differences are paired per replication: P(cheaper) is the share of "
            "replications in which it cost less.</p>"
            f'<p class="small warn">{n_weak} of the {n_inputs} inputs rest on placeholder or '
            'low-confidence figures (marked in <a href="#assumptions">Assumptions</a>); the '
            '<a href="#tornado">tornado</a> shows which of the published ranges move the answer.</p>')


# ---------------------------------------------------------------------- figures


def _breakdown_figure(result: FleetResult, figure: _Figures) -> str:
    summ = result.summary().set_index(["architecture", "metric"])
    archs = list(result.architectures)
    fig = _new_figure(7.5, 0.55 * len(archs) + 1.6)
    ax = fig.add_subplot()
    y = np.arange(len(archs))[::-1]
    left = np.zeros(len(archs))
    for i, part in enumerate(COST_PARTS):
        vals = np.array([summ.loc[(a, part.name)]["mean"] for a in archs]) / 1e6
        ax.barh(y, vals, left=left, color=PALETTE[i], label=part.name, height=0.6)
        left += vals
    for yi, total in zip(y, left, strict=True):
        ax.text(total, yi, f" {total:,.1f}", va="center", fontsize=9)
    ax.set_yticks(y, [_mpl(a) for a in archs])
    ax.set_xlabel("mean TCO, million USD (discounted)")
    ax.set_xlim(0, left.max() * 1.15 if left.max() > 0 else 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(archs) < 4 else -0.25), ncol=4,
              fontsize=9, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    parts = ", ".join(f"<b>{_e(m.name)}</b>: {_e(m.doc)}" for m in COST_PARTS)
    return figure(fig, f"Mean TCO per architecture by part. {parts}.",
                  "stacked bars of the TCO parts per architecture")


def _histograms(series: dict[str, np.ndarray], colors: dict[str, str], xlabel: str,
                zero: bool = False):
    """One small histogram per architecture (its own bins: TCOs of different architectures can
    lie far apart), the mean as a solid line, p5 and p95 dashed."""
    fig = _new_figure(7.5, 0.95 * len(series) + 0.9)
    axes = fig.subplots(len(series), 1, squeeze=False)[:, 0]
    for ax, (name, x) in zip(axes, series.items(), strict=True):
        c = colors[name]
        ax.hist(x, bins=min(30, max(8, x.size // 6)), color=c, alpha=0.55)
        ax.axvline(x.mean(), color=c, lw=1.6)
        for q in np.percentile(x, [5, 95]):
            ax.axvline(q, color=c, lw=1.0, ls="--")
        if zero:
            ax.axvline(0.0, color="black", lw=1.0, ls=":")
        ax.set_yticks([])
        ax.set_ylabel(_mpl(name), rotation=0, ha="right", va="center", fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    axes[-1].set_xlabel(xlabel)
    return fig


def _distribution_figure(result: FleetResult, baseline: str, figure: _Figures) -> str:
    archs = list(result.architectures)
    colors = {a: PALETTE[i % len(PALETTE)] for i, a in enumerate(archs)}
    wide = result.tco.pivot(index="replication", columns="architecture", values="tco_usd") / 1e6
    fig = _histograms({a: wide[a].to_numpy(dtype=float) for a in archs}, colors,
                      "TCO of one replication, million USD")
    out = figure(fig, "The total cost of ownership of each replication, per architecture (each on "
                 "its own scale): solid line the mean, dashed lines the 5th and 95th percentiles, "
                 "the spread one fleet could see.", "histograms of TCO per replication")
    others = [a for a in archs if a != baseline]
    if others:
        fig = _histograms({a: (wide[a] - wide[baseline]).to_numpy(dtype=float) for a in others},
                          colors, f"TCO − {_mpl(baseline)} in the same replication, million USD",
                          zero=True)
        out += figure(fig, f"The paired difference from the baseline <b>{_e(baseline)}</b>, "
                      "replication by replication (dotted line: zero; left of it the architecture "
                      "is cheaper). It is narrower than the spreads above because the architectures "
                      "share their random numbers.", "histograms of the paired TCO differences")
    return out


def _pick_replication(result: FleetResult) -> int:
    """The replication whose TCO, summed over architectures, is the median one (a typical run)."""
    tco = result.tco
    total = tco.groupby("replication")["tco_usd"].sum()
    med = total.median()
    return int((total - med).abs().idxmin())


def _timeline_figure(result: FleetResult, figure: _Figures) -> str:
    rep = _pick_replication(result)
    archs = list(result.architectures)
    kinds = list(EventKind.NAMES)
    colors = {0: PALETTE[0], 1: PALETTE[3], 2: PALETTE[1], 3: "black"}
    fig = _new_figure(7.5, 0.8 * len(archs) + 1.8)
    ax = fig.add_subplot()
    counts: dict[str, dict[str, int]] = {}
    for row, arch in enumerate(archs[::-1]):
        led = replay(result, rep, arch)  # simulated again: a run keeps only sums
        counts[arch] = {}
        for k, name in enumerate(kinds):
            t = np.asarray(led.time)[np.asarray(led.kind) == k] / HOURS_PER_YEAR
            counts[arch][name] = int(t.size)
            off = 0.27 - 0.18 * k
            ax.plot(t, np.full(t.size, row + off), "|", ms=9, color=colors.get(k, "grey"),
                    alpha=0.6 if k == 0 else 0.9, rasterized=t.size > 200,  # thousands of swaps
                    label=name.replace("_", " ") if row == 0 else None)
    ax.set_yticks(np.arange(len(archs)), [_mpl(a) for a in archs[::-1]])
    ax.set_ylim(-0.6, len(archs) - 0.4)
    ax.set_xlim(0, result.horizon_hours / HOURS_PER_YEAR)
    ax.set_xlabel("years from the start")
    ax.grid(axis="x", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles, strict=True))
    ax.legend(seen.values(), seen.keys(), loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=4,
              fontsize=8, frameon=False)
    rows = [[_e(a), *(f"{counts[a].get(n, 0):,}" for n in kinds)] for a in archs]
    table = _table(["architecture", *(_e(n.replace("_", " ")) for n in kinds)], rows, cls="counts")
    return figure(fig, f"Service events over time in replication {rep} (the one whose TCO, summed "
                  "over the architectures, is the median): swaps of a part, switch replacements "
                  "(unplanned, or planned in a maintenance window) and training-job interruptions.",
                  f"timeline of service events in replication {rep}") + table


def _tornado_section(frame: pd.DataFrame | None, pair: tuple[str, str] | None, figure: _Figures,
                     runs: int | None) -> str:
    if frame is None or pair is None:
        return ("<p class=\"muted\">Not computed for this report. Add <code>--tornado</code> to "
                "<code>cpo report</code> (it re-simulates only the architectures an input changes; "
                "prices re-simulate nothing), or run <code>cpo tornado</code>.</p>")
    from cli.render.figures import plot_tornado

    arch, against = pair
    fig = _new_figure(7.5, 0.5 * len(frame) + 1.8)
    plot_tornado(frame, ax=fig.add_subplot(), title="")
    ax = fig.axes[0]
    from matplotlib.ticker import FuncFormatter

    ax.set_yticks(np.arange(len(frame)), [_mpl(k) for k in frame["input"].iloc[::-1]])

    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / 1e6:,.1f}"))
    ax.set_xlabel(f"mean TCO of {_mpl(arch)} minus {_mpl(against)}, million USD")
    rows = [[f"<code>{_e(r.input)}</code>", _e(f"{r.low:,.6g} – {r.high:,.6g} {r.unit}".strip()),
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


def _distinct_lives(scenario: Scenario) -> list[tuple[str, LifeModel, list[str]]]:
    out: list[tuple[str, LifeModel, list[str]]] = []
    for arch in scenario.architectures:
        for comp in arch.components:
            for name, life, users in out:
                if name == comp.name and life == comp.life:
                    users.append(arch.name)
                    break
            else:
                out.append((comp.name, comp.life, [arch.name]))
    return out


def _life_source(life: LifeModel) -> str:
    prov = life.provenance
    if isinstance(prov.get("source"), str):
        return f"catalog <code>{_e(prov['source'])}</code>"
    if prov.get("file"):
        return f"fitted to <code>{_e(Path(str(prov['file'])).name)}</code>"
    return '<span class="muted">given in the scenario</span>'


def _fit_data(life: LifeModel, base: Path | None) -> tuple[Any, str]:
    """The field log a fitted life came from, read again if it is where the fit read it and
    unchanged (sha256); else None with the reason."""
    prov = life.provenance
    file = Path(str(prov["file"]))
    candidates = [file] + ([base / file] if base is not None and not file.is_absolute() else [])
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        return None, f"the data file {file.name} was not found, so only the fitted line is drawn"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if prov.get("sha256") and digest != prov["sha256"]:
        return None, f"{file.name} changed since the fit (sha256 differs), so its points are not drawn"
    from failure_data.readers import read_life_table

    try:
        table = read_life_table(path, as_of=prov.get("as_of"),
                                time_unit=prov.get("time_unit_in_file") or "hours")
    except Exception as e:  # noqa: BLE001  (the fitted line is still worth drawing)
        return None, f"{file.name} could not be read again ({e}), so only the fitted line is drawn"
    return table, f"points: the {file.name} field log, read again"


def _life_section(scenario: Scenario, figure: _Figures, base: Path | None) -> str:
    lives = _distinct_lives(scenario)
    h = scenario.horizon_hours
    rows = []
    for name, life, users in lives:
        fit = life.constant_fit() if life.distribution == "exponential" else life.average_fit(h)
        rows.append([_e(name), ", ".join(_e(u) for u in users), _e(life_text(life)),
                     f"{fit:,.4g}", f"{life.cdf(h) * 100:.3g} %", _life_source(life)])
    table = _table(["component", "in", "life model", "FIT (average over the horizon)",
                    f"share failed within {_years(h)}", "source"], rows, cls="lives")
    # every life on Weibull paper: y = ln(-ln(1 - F)), x = log age
    from reliability.plotting import paper_transform

    _, to_y, _ = paper_transform("weibull")
    fig = _new_figure(7.5, 4.6 + 0.2 * len(lives))
    ax = fig.add_subplot()
    t = np.geomspace(h / 1e3, h * 10, 200)
    for i, (name, life, users) in enumerate(lives):
        with np.errstate(divide="ignore"):
            y = to_y(np.clip(life.cdf(t), 1e-300, 1 - 1e-16))
        ax.plot(t, y, color=PALETTE[i % len(PALETTE)], lw=1.6,
                label=_mpl(f"{name} ({', '.join(users)})" if len(lives) > 1 else name))
    ax.set_xscale("log")
    # the paper from F = 1e-6 up: a wear-out life starts far below that at young ages, and its
    # whole range (down to ln(1e-300)) would squeeze every other line and tick into the top
    probs = np.array([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9, 0.999])
    py = to_y(probs)
    ax.set_ylim(py[0], max(ax.get_ylim()[1], py[-2]))
    ax.axvline(h, color="grey", ls="--", lw=0.8)
    ax.text(h, py[0], " horizon", color="grey", fontsize=8, va="bottom")
    lo, hi = ax.get_ylim()
    keep = (py >= lo) & (py <= hi)
    ax.set_yticks(py[keep], [f"{p * 100:g} %" for p in probs[keep]])
    ax.set_xlabel("age of one unit, hours (log scale)")
    ax.set_ylabel("share failed F(t), Weibull paper")
    ax.grid(True, alpha=0.3)
    # below the axes across the figure (a legend hung under the axes would make the constrained
    # layout narrow the axes to the legend's width)
    fig.legend(fontsize=8, loc="outside lower center", ncol=2, frameon=False)
    out = ("<p>The life of one unit (one element where a unit has several) of each component "
           "kind.</p>" + table
           + figure(fig, "Every life model on Weibull paper (a constant failure rate is a straight "
                    "line of slope 1; a steeper line wears out, a flatter one has early failures), from "
                    "0.0001 % failed up. The dashed line is the horizon.", "life models on Weibull paper"))
    from types import SimpleNamespace

    from reliability.plotting import plot_probability

    for name, life, users in lives:
        if not life.provenance.get("file"):
            continue
        table_, note = _fit_data(life, base)
        prov = life.provenance
        result = SimpleNamespace(model=life, confidence=life.confidence, table=table_,
                                 n_failures=prov.get("n_failures"), n_units=prov.get("n_units"))
        f = _new_figure(7.5, 5.2)
        plot_probability(result, ax=f.add_subplot(), title=_mpl(
            f"{name}: {life.distribution} fit, {prov.get('n_failures', '?')} failures / "
            f"{prov.get('n_units', '?')} units"))
        out += figure(f, f"Probability plot of the fit behind <b>{_e(name)}</b> "
                      f"({', '.join(_e(u) for u in users)}): the fitted line with its "
                      f"{life.confidence * 100:g} % band; {_e(note)}.", f"probability plot of {name}")
    return out


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
                 catalog: Catalog | None = None) -> str:
    """The decision report of a comparison run as one self-contained HTML page.

    ``result`` must carry its scenario and ledgers (``fleet_models.runs.runner.run`` gives both).
    ``tornado`` is :func:`fleet_models.decisions.tornado`'s frame for ``tornado_pair`` = (arch,
    against); ``breakeven`` a :class:`fleet_models.decisions.BreakEven`; ``command`` the
    arguments after ``cpo`` (for the footer); ``scenario_file`` the file the scenario came from
    (its digest goes in the footer, a fitted life's data file is looked for beside it)."""
    if result.spec is None or not result.ledgers:
        from fleet_models.errors import FleetError

        raise FleetError("a report needs a run that kept its scenario and dated events (ledgers); "
                         "use fleet_models.runs.runner.run")
    cat = catalog or default_catalog()
    sc = result.spec
    baseline = baseline or result.architectures[0]
    figure = _Figures()
    assumptions_html, n_inputs, n_weak = _assumptions_section(sc, cat)
    base = scenario_file.parent if scenario_file is not None else None
    body = {
        "verdict": _verdict_section(result, baseline, n_inputs, n_weak),
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
