"""The decision report's life models: a table, every life on Weibull paper, and for a life fitted
from a field log its probability plot with the log's points."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from cli.render.html import _e, _table, _years
from cli.render.report_figures import PALETTE, _Figures, _mpl, _new_figure
from fleet_models.model.spec import Scenario
from reliability.models import FIT_HOURS, LifeModel


def life_text(life: LifeModel) -> str:
    """A life model in words: the family and parameters, with FIT or MTTF."""
    if life.distribution == "exponential":
        return f"exponential, {FIT_HOURS / life.parameters['scale']:,.4g} FIT"
    params = ", ".join(f"{k} = {v:.4g}" for k, v in life.parameters.items())
    return f"{life.distribution} ({params}), {life.mttf_text()}"


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
