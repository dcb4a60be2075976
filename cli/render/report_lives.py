"""The decision report's life models: a table, every life on Weibull paper, and for a life fitted
from a field log its probability plot with the log's points."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from cli.render.html import _e, _table, _years
from cli.render.report_figures import PALETTE, _Figures, _mpl, _new_figure
from failure_data.numbers import number, percent
from fleet_models.model.spec import Scenario
from reliability.models import FIT_HOURS, LifeModel


def life_text(life: LifeModel) -> str:
    """A life model in words: the family and parameters, with FIT or MTTF."""
    if life.distribution == "exponential":
        return f"exponential, {FIT_HOURS / life.parameters['scale']:,.4g} FIT"
    params = ", ".join(f"{k} = {number(v)}" for k, v in life.parameters.items())
    m = life.mean()
    mttf = f"MTTF {number(m)} h" if np.isfinite(m) else life.mttf_text()
    return f"{life.distribution} ({params}), {mttf}"


def _decade(v: float, _pos: object = None) -> str:
    """A decade tick as a reader writes it: 1, 100, 10k, 1M, 100M."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= div:
            return f"{v / div:g}{suffix}"
    return f"{v:g}"


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
                     number(fit, 3), percent(life.cdf(h), 4 if life.cdf(h) < 0.001 else 2),
                     _life_source(life)])
    table = _table(["component", "in", "life model", "FIT (average over the horizon)",
                    f"share failed within {_years(h)}", "source"], rows, cls="lives")
    # every life on Weibull paper: y = ln(-ln(1 - F)), x = log age
    from reliability.plotting import paper_transform

    _, to_y, _ = paper_transform("weibull")
    fig = _new_figure(7.5, 6.2 + 0.3 * len(lives))
    ax = fig.add_subplot()
    t = np.geomspace(h / 1e3, h * 10, 200)
    # lives that are the same model draw one line: its legend entry names them all, so no entry
    # hides behind another's line; the rest differ in colour and in dash
    same: dict[tuple, list[str]] = {}
    models: dict[tuple, LifeModel] = {}
    for name, life, users in lives:
        key = (life.distribution, tuple(sorted(life.parameters.items())))
        same.setdefault(key, []).append(f"{name} ({', '.join(users)})" if len(lives) > 1 else name)
        models[key] = life
    styles = ("-", "--", "-.", ":")
    for i, (key, names) in enumerate(same.items()):
        with np.errstate(divide="ignore"):
            y = to_y(np.clip(models[key].cdf(t), 1e-300, 1 - 1e-16))
        label = names[0] if len(names) == 1 else " = ".join(names) + " (one line: the same life)"
        label = textwrap.fill(label, 44)  # a legend no wider than the figure
        ax.plot(t, y, color=PALETTE[i % len(PALETTE)], lw=1.8, ls=styles[i % len(styles)],
                label=_mpl(label))
    ax.set_xscale("log")
    # plain decades (100, 10k, 1M h) in the tick's own size: mathtext's 10^n draws its exponent
    # at 70 %, below the 10 px a phone reader needs
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.xaxis.set_major_locator(LogLocator(base=10, numticks=8))
    ax.xaxis.set_major_formatter(FuncFormatter(_decade))
    ax.xaxis.set_minor_formatter(NullFormatter())
    # the paper from F = 1e-6 up: a wear-out life starts far below that at young ages, and its
    # whole range (down to ln(1e-300)) would squeeze every other line and tick into the top
    probs = np.array([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.5, 0.99, 0.9999])
    py = to_y(probs)
    # up to where the highest line ends (never past 99.99 %): no empty band above the lines
    top = max((ln.get_ydata()[np.isfinite(ln.get_ydata())].max() for ln in ax.get_lines()),
              default=py[-3])
    ax.set_ylim(py[0], min(max(top, py[-3]), py[-1]))
    ax.axvline(h, color="grey", ls="--", lw=0.8)
    ax.text(h, py[0], " horizon", color="grey", fontsize=8, va="bottom")
    lo, hi = ax.get_ylim()
    shown: list[int] = []  # no two labels closer than 5 % of the axis height
    for i in np.flatnonzero((py >= lo) & (py <= hi)):
        if not shown or py[i] - py[shown[-1]] >= 0.05 * (hi - lo):
            shown.append(int(i))
    ax.set_yticks(py[shown], [f"{p * 100:g} %" for p in probs[shown]])
    ax.set_xlabel("age of one unit, hours (log scale)")
    ax.set_ylabel("share failed F(t), Weibull paper")
    ax.grid(True, alpha=0.3)
    # below the axes across the figure (a legend hung under the axes would make the constrained
    # layout narrow the axes to the legend's width)
    fig.legend(fontsize=8, loc="outside lower center", ncol=1, frameon=False)
    out = ("<p>The life of one unit (one element where a unit has several) of each component "
           "kind.</p>" + table
           + figure(fig, "Every life model on Weibull paper (a constant failure rate is a straight "
                    "line of slope 1; a steeper line wears out, a flatter one has early failures), from "
                    "0.0001 % failed up. The dashed line is the horizon.", "life models on Weibull paper"))
    from types import SimpleNamespace

    from reliability.plotting import plot_probability
    from reliability.threshold import is_time_to_threshold

    for name, life, users in lives:
        if not life.provenance.get("file") or is_time_to_threshold(life):
            continue  # a time to threshold comes from telemetry: no failures to plot
        table_, note = _fit_data(life, base)
        prov = life.provenance
        result = SimpleNamespace(model=life, confidence=life.confidence, table=table_,
                                 n_failures=prov.get("n_failures"), n_units=prov.get("n_units"))
        f = _new_figure(7.5, 5.2)
        ax = plot_probability(result, ax=f.add_subplot(), title=_mpl(
            f"{name}: {life.distribution} fit, {prov.get('n_failures', '?')} failures / "
            f"{prov.get('n_units', '?')} units"))
        # the legend below the figure, where the layout makes room for it (never on the data)
        handles, labels = ax.get_legend_handles_labels()
        ax.get_legend().remove()
        f.legend(handles, labels, fontsize=8, loc="outside lower center", frameon=False)
        out += figure(f, f"Probability plot of the fit behind <b>{_e(name)}</b> "
                      f"({', '.join(_e(u) for u in users)}): the fitted line with its "
                      f"{life.confidence * 100:g} % band; {_e(note)}.", f"probability plot of {name}")
    return out
