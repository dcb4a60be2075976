"""`FleetResult`: the tidy replications of a fleet run, their summary and JSON form.

``replications`` has one row per (replication, architecture): columns
``replication``, ``architecture``, then the metrics of
:func:`fleet_models.engine.metric_names` (``failures_<component>`` columns
of components an architecture does not have are NaN).

``summary()`` gives, per architecture and metric, the mean over replications
and the 95 % confidence interval of that mean: mean ± t(0.975, n-1)·sd/√n.
With a single replication there is no spread to estimate: the interval is
reported as [mean, mean] (``n`` = 1 in the summary says so, and
``print_summary`` prints a note).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from fleet_models.engine import COMMON_METRICS, failure_metric

KEY_COLUMNS = ("replication", "architecture")


@dataclass(frozen=True)
class FleetResult:
    """Replications of every architecture of a scenario.

    ``components`` maps each architecture name to its component names, in
    scenario order (so the JSON lists failures per component it has).
    """

    scenario: str
    seed: int
    horizon_hours: float
    n_replications: int
    components: dict[str, tuple[str, ...]]
    replications: pd.DataFrame

    @property
    def architectures(self) -> tuple[str, ...]:
        return tuple(self.components)

    def metrics_of(self, architecture: str) -> tuple[str, ...]:
        comps = self.components[architecture]
        return ("port_availability", *(failure_metric(c) for c in comps), *COMMON_METRICS)

    def summary(self) -> pd.DataFrame:
        """Mean and ci95 of the mean per architecture x metric (tidy: one row each)."""
        rows = []
        for arch in self.architectures:
            sub = self.replications[self.replications["architecture"] == arch]
            for metric in self.metrics_of(arch):
                mean, lo, hi, sd = mean_ci95(sub[metric].to_numpy(dtype=float))
                rows.append(dict(architecture=arch, metric=metric, n=len(sub), mean=mean, sd=sd,
                                 ci95_low=lo, ci95_high=hi))
        return pd.DataFrame(rows, columns=["architecture", "metric", "n", "mean", "sd",
                                           "ci95_low", "ci95_high"])

    def to_dict(self) -> dict[str, Any]:
        """``{"scenario", "replications", "seed", "horizon_hours", "architectures": {NAME:
        {METRIC: {"mean", "ci95": [lo, hi]}}}}``, failures as ``{COMPONENT: {"mean", "ci95"}}``."""
        summ = self.summary()
        archs: dict[str, Any] = {}
        for arch in self.architectures:
            s = summ[summ["architecture"] == arch].set_index("metric")

            def cell(metric: str, s: pd.DataFrame = s) -> dict[str, Any]:
                r = s.loc[metric]
                return {"mean": float(r["mean"]),
                        "ci95": [float(r["ci95_low"]), float(r["ci95_high"])]}

            entry: dict[str, Any] = {"port_availability": cell("port_availability")}
            entry["failures"] = {c: cell(failure_metric(c)) for c in self.components[arch]}
            for metric in COMMON_METRICS:
                entry[metric] = cell(metric)
            archs[arch] = entry
        return {
            "scenario": self.scenario,
            "replications": self.n_replications,
            "seed": self.seed,
            "horizon_hours": self.horizon_hours,
            "architectures": archs,
        }

    def print_summary(self, console: Any = None) -> None:
        """A rich table on stdout to compare architectures side by side: one row per metric,
        one column per architecture, each cell the mean over replications with the 95 %
        confidence interval of that mean beneath it ("-" where a metric does not apply)."""
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text  # user names are never read as markup, whatever the console

        console = console or Console()
        summ = self.summary()
        table = Table(
            title=Text(f"{self.scenario}: {self.n_replications} replication(s) per architecture, "
                   f"seed {self.seed}, horizon {self.horizon_hours:g} h "
                   "(each cell: mean, then [ci95 of the mean])"),
        )
        table.add_column("metric", justify="left", overflow="fold")
        for arch in self.architectures:
            table.add_column(Text(arch), justify="right", overflow="fold")
        comps: list[str] = []
        for arch in self.architectures:
            comps += [c for c in self.components[arch] if c not in comps]
        metrics = ["port_availability", *(failure_metric(c) for c in comps), *COMMON_METRICS]
        idx = summ.set_index(["metric", "architecture"])
        for metric in metrics:
            cells = []
            for arch in self.architectures:
                if (metric, arch) not in idx.index:
                    cells.append("-")
                    continue
                r = idx.loc[(metric, arch)]
                cells.append(Text(f"{_fmt(r['mean'], metric)}\n"
                                    f"[{_fmt(r['ci95_low'], metric)}, {_fmt(r['ci95_high'], metric)}]"))
            table.add_row(Text(metric), *cells, end_section=True)
        console.print(table)
        if self.n_replications == 1:
            console.print("Note: one replication, so no interval can be estimated; ci95 is "
                          "[mean, mean]. Run more replications.")


def mean_ci95(x: np.ndarray) -> tuple[float, float, float, float]:
    """(mean, ci95 low, ci95 high, sd): mean ± t(0.975, n-1)·sd/√n; n = 1 gives [mean, mean]."""
    n = x.size
    if n == 0:
        return (math.nan,) * 4
    mean = float(x.mean())
    if n == 1:
        return mean, mean, mean, math.nan
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean, mean - half, mean + half, sd


def _fmt(v: float, metric: str) -> str:
    if metric == "port_availability":
        return f"{v:.6f}"
    if not math.isfinite(v):
        return "nan"
    if abs(v) >= 1e5:
        return f"{v:,.0f}"
    return f"{v:,.2f}"
