"""The decision report's figures: matplotlib ``Figure`` objects drawn to inline SVG (never pyplot
state), each numbered and captioned."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np

from cli.render.html import _e, _table, prose
from failure_data.units import HOURS_PER_YEAR
from fleet_models.model.ledger import EventKind
from fleet_models.model.metrics import COST_PARTS
from fleet_models.runs.results import FleetResult
from fleet_models.runs.runner import replay

PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


def _mpl(text: str) -> str:
    """A user string as a matplotlib label (failure_data.words.figure_text: ``$`` would start
    mathtext, a control character has no glyph)."""
    from failure_data.words import figure_text

    return figure_text(text)


PHONE_PX = 366.0
"""The width a figure is drawn at on a 390 px phone (the page's padding off)."""
MIN_TEXT_PX = 10.0
"""The smallest text a figure may show there (CSS px): readable without zoom."""


def _readable(fig: Any, width_pt: float) -> None:
    """Raise every text of ``fig`` to at least MIN_TEXT_PX once the figure, ``width_pt`` wide,
    is scaled to a phone's width."""
    from matplotlib.text import Text

    least = MIN_TEXT_PX * width_pt / PHONE_PX
    for t in fig.findobj(Text):
        if t.get_text() and t.get_fontsize() < least:
            t.set_fontsize(least)


def _svg_text(fig: Any, n: int) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"cpo-report-{n}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight", dpi=200)
    return buf.getvalue()


def svg_width_pt(svg: str) -> float:
    """The width an SVG of matplotlib's declares, in pt."""
    m = re.search(r'<svg[^>]*\bwidth="([0-9.]+)pt"', svg)
    return float(m.group(1)) if m else FIGURE_WIDTH * 72


def _svg(fig: Any, n: int, alt: str) -> str:
    """A Figure as inline SVG: text kept as text, ids salted per figure so several SVGs in one
    page never share an id, no date in the metadata (the same run gives the same figure); every
    text at least MIN_TEXT_PX on a phone (twice: a larger text can widen the tight box)."""
    text = _svg_text(fig, n)
    for _ in range(5):
        width = svg_width_pt(text)
        from matplotlib.text import Text

        small = [t for t in fig.findobj(Text) if t.get_text()
                 and t.get_fontsize() * PHONE_PX / width < MIN_TEXT_PX - 1e-6]
        if not small:
            break
        _readable(fig, width)
        text = _svg_text(fig, n)
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
    parts = "; ".join(f"<b>{_e(m.name)}</b>: {_e(prose(m.doc))}" for m in COST_PARTS)
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
    """The service events of one typical replication, counted per month: one row of stacked bars
    per architecture (labelled), the kinds in a legend beside them; readable with thousands of
    events, where one tick per event is not."""
    rep = _pick_replication(result)
    archs = list(result.architectures)
    kinds = list(EventKind.NAMES)
    years = result.horizon_hours / HOURS_PER_YEAR
    months = max(1, round(years * 12))
    edges = np.linspace(0.0, result.horizon_hours, months + 1)
    counts: dict[str, dict[str, int]] = {}
    per_month: dict[str, np.ndarray] = {}
    for arch in archs:
        led = replay(result, rep, arch)  # simulated again: a run keeps only sums
        kind, time = np.asarray(led.kind), np.asarray(led.time)
        counts[arch] = {n: int(np.sum(kind == k)) for k, n in enumerate(kinds)}
        per_month[arch] = np.array([np.histogram(time[kind == k], bins=edges)[0]
                                    for k in range(len(kinds))])
    shown = [k for k in range(len(kinds)) if any(counts[a][kinds[k]] for a in archs)]
    fig = _new_figure(7.5, 1.25 * len(archs) + 1.2)
    axes = fig.subplots(len(archs), 1, sharex=True, squeeze=False)[:, 0]
    x = (np.arange(months) + 0.5) / 12
    for ax, arch in zip(axes, archs, strict=True):
        bottom = np.zeros(months)
        for k in shown:
            ax.bar(x, per_month[arch][k], width=1 / 12 * 0.9, bottom=bottom,
                   color=PALETTE[k % len(PALETTE)], label=kinds[k].replace("_", " "))
            bottom += per_month[arch][k]
        ax.set_title(_mpl(f"{arch}: {sum(counts[arch].values()):,} events"), loc="left", fontsize=10)
        ax.set_ylabel("per month")
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xlim(0, years)
    axes[-1].set_xlabel("years from the start")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", frameon=False, title="event")
    rows = [[_e(a), *(f"{counts[a].get(n, 0):,}" for n in kinds)] for a in archs]
    table = _table(["architecture", *(_e(n.replace("_", " ")) for n in kinds)], rows, cls="counts")
    return figure(fig, f"Service events per month in replication {rep} (the one whose TCO, summed "
                  "over the architectures, is the median), one row per architecture: swaps of a "
                  "part, switch replacements (unplanned, or planned in a maintenance window), "
                  "training-job interruptions, events cleared in place and drains, stacked.",
                  f"monthly service events in replication {rep}") + table
