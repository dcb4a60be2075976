"""Figures of the decision commands (matplotlib ``Figure`` objects; no pyplot state)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def plot_tornado(frame: pd.DataFrame, ax: Any = None, title: str = ""):
    """Horizontal bars from the base difference to the low and high ends; returns the axes."""
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(7, 0.5 * len(frame) + 1.5)).add_subplot()
    f = frame.iloc[::-1]
    y = np.arange(len(f))
    base = float(frame["base"].iloc[0]) if len(frame) else 0.0
    ax.barh(y, f["at_low"] - base, left=base, color="#4c72b0", label="input at its low")
    ax.barh(y, f["at_high"] - base, left=base, color="#dd8452", label="input at its high")
    ax.axvline(base, color="black", lw=0.8)
    ax.axvline(0.0, color="grey", lw=0.8, ls="--")
    from cli.render.tornado import range_text
    from failure_data.words import figure_text

    ax.set_yticks(y, [figure_text(f"{r.input} [{range_text(r)}]") for r in f.itertuples(index=False)])
    ax.set_xlabel("mean paired difference")
    ax.set_title(figure_text(title))
    # below the axes, never over the bars or the baseline line
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize="small", frameon=False)
    return ax
