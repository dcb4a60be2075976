"""Probability plots: the fitted line, its confidence band, and the nonparametric points.

Paper by distribution (``Family.paper``; x is always ln t, drawn with hour tick labels):

=============  =====================================
weibull        y = ln(-ln(1 - F))       (Weibull paper: a Weibull is a straight line)
exponential    y = ln(-ln(1 - F))       (a line of slope 1)
lognormal      y = Phi^-1(F)            (lognormal paper)
loglogistic    y = ln(F / (1 - F))      (log-logistic paper)
gengamma       y = Phi^-1(F)
=============  =====================================

The band is pointwise: the delta method on y(t; theta) with the fit's
covariance (numerical gradient), at the fit's confidence level. Points are
Kaplan-Meier (Turnbull for interval data) estimates of F at the observed ages.
Figures are ``matplotlib.figure.Figure`` objects, never pyplot's: drawing here leaves the
caller's backend, current figure and pyplot state alone.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np
from scipy import stats

from reliability.families import FAMILIES, Paper
from reliability.models import LifeModel


class FitResult(Protocol):
    """What a probability plot reads of a fit (``reliability.fitting.FitResult`` has it): the
    model, its confidence, the field log it was fitted to (or None) and its counts."""

    model: LifeModel
    confidence: float
    table: Any
    n_failures: int | None
    n_units: int | None


def paper_transform(distribution: str) -> Paper:
    """(label, F -> y, y -> F) of the probability paper for a distribution."""
    return FAMILIES[distribution].paper


def band(model: LifeModel, t: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fitted y(t) on the model's paper and its pointwise delta-method band (y units)."""
    _, to_y, _ = paper_transform(model.distribution)
    names = list(model.parameters)
    theta = np.array([model.parameters[k] for k in names])

    def y_of(th):
        m = LifeModel(model.distribution, dict(zip(names, th, strict=True)))
        with np.errstate(divide="ignore", invalid="ignore"):
            return to_y(np.clip(m.cdf(t), 1e-300, 1 - 1e-16))

    y = y_of(theta)
    if model.covariance is None:
        return y, y, y
    cov = np.asarray(model.covariance)
    grad = np.empty((len(names), t.size))
    for i in range(len(names)):
        h = 1e-6 * max(abs(theta[i]), 1e-3)
        up, dn = theta.copy(), theta.copy()
        up[i] += h
        dn[i] -= h
        grad[i] = (y_of(up) - y_of(dn)) / (2 * h)
    se = np.sqrt(np.maximum(np.einsum("in,ij,jn->n", grad, cov, grad), 0.0))
    z = stats.norm.ppf(0.5 + confidence / 2)
    return y, y - z * se, y + z * se


def plot_probability(result: FitResult, ax=None, *, title: str | None = None):
    """Draw the probability plot of a fit on ``ax`` (a new ``Figure``, not managed by pyplot, if
    None: show it with ``ax.figure``); returns the Axes. Global matplotlib state is left alone."""
    model = result.model
    label, to_y, from_y = paper_transform(model.distribution)
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(7.5, 5.5), dpi=110).add_subplot()

    points = _points(result)
    if points is not None and points[0].size:
        lo_t, hi_t = points[0].min() / 3, points[0].max() * 3
    else:
        lo_t, hi_t = float(model.ppf(0.01)), float(model.ppf(0.99))
    t = np.geomspace(max(lo_t, 1e-6), hi_t, 300)
    y, y_lo, y_hi = band(model, t, result.confidence)
    x = np.log(t)
    pct = f"{result.confidence * 100:g}%"
    ax.fill_between(x, y_lo, y_hi, color="tab:blue", alpha=0.2, label=f"{pct} band (delta method)")
    params = ", ".join(f"{k}={v:.4g}" for k, v in model.parameters.items())
    ax.plot(x, y, color="tab:blue", lw=2, label=f"{model.distribution} MLE ({params})")
    if points is not None:
        ax.plot(np.log(points[0]), to_y(points[1]), "o", ms=4, color="tab:red",
                label=f"{points[2]} estimate of F(t)")

    # ticks: ages in hours on x (1-2-5 steps), unreliability in % on y
    decades = np.arange(math.floor(math.log10(t[0])), math.ceil(math.log10(t[-1])) + 1)
    xt = np.array([m * 10.0**d for d in decades for m in (1, 2, 5)])
    xt = xt[(xt >= t[0]) & (xt <= t[-1])]
    if xt.size > 12:  # long ranges: decades only
        xt = xt[np.isclose(np.log10(xt) % 1, 0) | np.isclose(np.log10(xt) % 1, 1)]
    ax.set_xticks(np.log(xt))
    # labels end at their tick (rotated right-aligned), so the last one stays under the axes
    ax.set_xticklabels([f"{v:,.0f}" if v >= 1 else f"{v:g}" for v in xt], rotation=45, ha="right",
                       rotation_mode="anchor", fontsize=8)
    ax.set_xlim(x[0], x[-1])
    probs = np.array([1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 0.632, 0.9, 0.99, 0.999])
    ylim = (min(np.nanmin(y_lo[np.isfinite(y_lo)]), np.nanmin(y)), max(np.nanmax(y_hi[np.isfinite(y_hi)]), np.nanmax(y)))
    ax.set_ylim(*ylim)
    py = to_y(probs)
    keep = np.flatnonzero((py >= ylim[0]) & (py <= ylim[1]))
    # no two labels closer than 4 % of the axis height (63.2 % is dropped beside 50 %)
    shown: list[int] = []
    for i in keep:
        if not shown or py[i] - py[shown[-1]] >= 0.04 * (ylim[1] - ylim[0]):
            shown.append(int(i))
    ax.set_yticks(py[shown])
    ax.set_yticklabels([f"{p * 100:g}%" for p in probs[shown]])
    ax.set_xlabel("age (hours, log scale)")
    ax.set_ylabel(f"unreliability F(t), {model.distribution} paper")
    ax.set_title(title or f"{model.distribution} probability plot: {result.n_failures} failures / "
                 f"{result.n_units} units")
    ax.grid(True, alpha=0.3)
    # below the axes, under the age label: inside, it covers the points or the band whichever
    # corner it takes (the figure is saved with its tight box, so the legend is part of it)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), fontsize=8, frameon=False)
    return ax


def _points(result: FitResult):
    """Nonparametric F(t) points: KM at failure ages, Turnbull where the estimate steps."""
    import warnings

    from reliability.nonparametric import kaplan_meier, turnbull
    from reliability.records import group_records

    if result.table is None:
        return None
    failure: Exception | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' NPMLE warns as it iterates; points are a guide
        try:
            if group_records(result.table).right_only:
                est = kaplan_meier(result.table, confidence=result.confidence)
                est = est[est["events"] > 0]
            else:
                est = turnbull(result.table, confidence=result.confidence, n_boot=0)
                est = est[est["survival"].diff().fillna(-1.0) < 0]
        except Exception as e:  # noqa: BLE001  (points are a courtesy; the fitted line is the result)
            failure = e
    if failure is not None:  # said, not silent: the plot is drawn without its points
        warnings.warn(f"nonparametric points left off the probability plot: {failure}", stacklevel=2)
        return None
    f = 1.0 - est["survival"].to_numpy()
    ok = (f > 0) & (f < 1)
    return est["time"].to_numpy()[ok], f[ok], est["method"].iloc[0] if len(est) else ""


def save_probability_plot(result: FitResult, path: str, *, title: str | None = None) -> None:
    """Render the probability plot to PNG or SVG (by extension), without touching pyplot."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 5.5), dpi=110)
    plot_probability(result, ax=fig.add_subplot(), title=title)
    fig.tight_layout()
    from failure_data.files import atomic_path

    with atomic_path(path) as tmp:  # whole or absent, as every output
        fig.savefig(tmp, bbox_inches="tight")
