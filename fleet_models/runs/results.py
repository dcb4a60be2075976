"""`FleetResult`: the tidy replications of a fleet run, their summary and JSON form.

``replications`` has one row per (replication, architecture): columns
``replication``, ``architecture``, then the metrics of
:func:`fleet_models.engines.contract.metric_names` (``failures_<component>`` columns
of components an architecture does not have are NaN).

``summary()`` gives, per architecture and metric, the mean over replications
and the 95 % confidence interval of that mean: mean ± t(0.975, n-1)·sd/√n.
With a single replication there is no spread to estimate: the interval is
reported as [mean, mean] (``n`` = 1 in the summary says so, and
``print_summary`` prints a note).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from failure_data.numbers import fixed
from failure_data.units import HOURS_PER_YEAR
from fleet_models.model.checks import known_architecture
from fleet_models.model.metrics import COMMON as COMMON_METRICS
from fleet_models.model.metrics import COST, COST_PARTS, engine_columns, failure_column
from fleet_models.scenario.variants import only

# pandas and scipy.special are imported where a result is summarised, not with this module: the
# runner imports it before the first replication, and start-up is kept to what simulating needs
# (benchmarks/bench_startup.py)
if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from fleet_models.model.ledger import Ledger, LedgerSums
    from fleet_models.model.spec import Scenario
    from fleet_models.runs.draws import Draws

KEY_COLUMNS = ("replication", "architecture")


@dataclass(frozen=True)
class FleetResult:
    """Replications of every architecture of a scenario: data only (nothing here simulates).

    ``components`` maps each architecture name to its component names, in scenario order (so
    the JSON lists failures per component it has). Costs (:attr:`tco`) are a post-process of
    ``ledgers`` and ``spec``, with ``draws`` (each replication's own numbers, when inputs were
    drawn or overridden); ``fleet_models.runs.runner.replay`` gives one replication's dated events
    and ``fleet_models.runs.saved`` writes a result to a folder and reads it back.
    """

    scenario: str
    seed: int
    horizon_hours: float
    n_replications: int
    components: dict[str, tuple[str, ...]]
    replications: pd.DataFrame
    spec: Scenario | None = None  # the resolved scenario the run simulated
    ledgers: dict[tuple[int, str], Ledger | LedgerSums] = field(default_factory=dict, repr=False)
    """(replication, architecture) -> what TCO is computed from: the sums of the replication's
    events (``LedgerSums``, what a run keeps) or its dated events (``Ledger``, with
    ``run(dated_events=True)``)."""
    engine: str = "des"  # the engine that ran: "des" (SimPy), "fast" (compiled); "mixed" in a merge
    engine_note: str | None = None  # why engine="auto" ran SimPy, if it did
    elapsed_s: float | None = None  # wall time of the simulation (not the compile, not TCO)
    draws: Draws | None = field(default=None, repr=False)  # per-replication numbers, if any

    @classmethod
    def of_run(cls, spec: Scenario, replications: pd.DataFrame,
               ledgers: dict[tuple[int, str], Ledger | LedgerSums], *, seed: int, engine: str,
               engine_note: str | None = None, elapsed_s: float | None = None,
               draws: Draws | None = None) -> FleetResult:
        """The result of a run of ``spec`` (its name, horizon and components read from it)."""
        n = int(replications["replication"].nunique()) if len(replications) else 0
        return cls(scenario=spec.name, seed=int(seed), horizon_hours=float(spec.horizon_hours),
                   n_replications=n,
                   components={a.name: tuple(c.name for c in a.components) for a in spec.architectures},
                   replications=replications, spec=spec, ledgers=ledgers, engine=engine,
                   engine_note=engine_note, elapsed_s=elapsed_s, draws=draws)

    def only(self, name: str) -> FleetResult:
        """The part of this result that is one architecture's (a run of it alone gives the same)."""
        import pandas as pd

        spec = only(self.spec, (name,)) if self.spec is not None else None
        frame = self.replications[self.replications["architecture"] == name]
        part = {k: v for k, v in self.ledgers.items() if k[1] == name}
        frame = frame.reindex(columns=[*KEY_COLUMNS, *metric_columns(spec)]) if spec else frame
        return dataclasses.replace(
            self, components={name: self.components[name]}, spec=spec, ledgers=part,
            replications=pd.DataFrame(frame).reset_index(drop=True))

    @classmethod
    def merge(cls, spec: Scenario, parts: Sequence[FleetResult]) -> FleetResult:
        """One result of ``spec`` from results of its architectures run with one seed and one
        replication count (their draws must agree on what they share)."""
        import pandas as pd

        order = {a.name: i for i, a in enumerate(spec.architectures)}
        frame = pd.concat([p.replications for p in parts], ignore_index=True)
        frame = frame.sort_values(["replication", "architecture"], key=lambda c: c.map(order)
                                  if c.name == "architecture" else c, kind="stable")
        frame = frame.reindex(columns=[*KEY_COLUMNS, *metric_columns(spec)])
        engines = {p.engine for p in parts}
        draws = None
        for p in parts:  # each part's own numbers; what they share they drew alike (same streams)
            if p.draws is not None:
                draws = p.draws if draws is None else draws.then(p.draws)
        return cls.of_run(spec, frame.reset_index(drop=True),
                          {k: v for p in parts for k, v in p.ledgers.items()}, seed=parts[0].seed,
                          engine=engines.pop() if len(engines) == 1 else "mixed", draws=draws)

    @cached_property
    def tco(self) -> pd.DataFrame:
        """Per (replication, architecture): capex, energy, maintenance, downtime, tco_usd (USD,
        discounted), gpu_hours_lost, goodput (``fleet_models.runs.tco``); empty without ledgers."""
        import pandas as pd

        from fleet_models.runs.tco import COLUMNS, tco_frame

        if self.spec is None or not self.ledgers:
            return pd.DataFrame(columns=list(COLUMNS))
        return tco_frame(self.spec, self.ledgers, self.draws)

    @property
    def architectures(self) -> tuple[str, ...]:
        return tuple(self.components)

    def _normalised(self, arch: str) -> dict[str, Any]:
        """Mean TCO per port-year and per Tbps-year (with the ci95 of those means)."""
        fleet = self.spec.fleet  # type: ignore[union-attr]
        years = self.horizon_hours / HOURS_PER_YEAR
        t = self.tco[self.tco["architecture"] == arch]["tco_usd"].to_numpy(dtype=float)
        out = {}
        for key, per in (("per_port_year", fleet.switches * fleet.ports_per_switch * years),
                         ("per_tbps_year", fleet.switches * fleet.ports_per_switch * fleet.port_gbps
                          / 1000.0 * years)):
            mean, lo, hi, _ = mean_ci95(t / per)
            out[key] = {"mean": mean, "ci95": [lo, hi]}
        return out

    def metrics_of(self, architecture: str) -> tuple[str, ...]:
        comps = self.components[architecture]
        return engine_columns(comps)

    def summary(self) -> pd.DataFrame:
        """Per architecture x metric (tidy: one row each): the mean with the ci95 *of the mean*,
        and the spread across replications one real fleet faces: sd, p5, p95. Cost metrics
        (``fleet_models.runs.tco``) are included when the result carries its ledgers."""
        import pandas as pd

        rows = []
        tco = self.tco
        for arch in self.architectures:
            sub = self.replications[self.replications["architecture"] == arch]
            cols = [(m, sub[m]) for m in self.metrics_of(arch)]
            if len(tco):
                t = tco[tco["architecture"] == arch]
                cols += [(m, t[m]) for m in COST_METRICS]
            for metric, values in cols:
                x = values.to_numpy(dtype=float)
                mean, lo, hi, sd = mean_ci95(x)
                p5, p95 = (np.percentile(x, [5, 95]) if x.size else (math.nan, math.nan))
                rows.append(dict(architecture=arch, metric=metric, n=x.size, mean=mean, sd=sd,
                                 ci95_low=lo, ci95_high=hi, p5=float(p5), p95=float(p95)))
        return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)

    def differences(self, baseline: str | None = None) -> pd.DataFrame:
        """Each architecture against ``baseline`` (default: the first), per replication (paired):
        TCO difference (other - baseline) mean, ci95, p5, p95, and the shares of replications in
        which the other is cheaper and in which the two cost exactly the same (a tie is not a
        loss: identical twins, or a change no failure touches, tie in every replication)."""
        import pandas as pd

        tco = self.tco
        baseline = baseline or self.architectures[0]
        known_architecture(baseline, self.architectures, "baseline")
        if not len(tco):
            return pd.DataFrame(columns=DIFF_COLUMNS)
        wide = tco.pivot(index="replication", columns="architecture", values="tco_usd")
        rows = []
        for arch in self.architectures:
            if arch == baseline:
                continue
            diff = (wide[arch] - wide[baseline]).to_numpy(dtype=float)
            mean, lo, hi, sd = mean_ci95(diff)
            rows.append(dict(architecture=arch, baseline=baseline, metric="tco_usd", mean=mean,
                             sd=sd, ci95_low=lo, ci95_high=hi, p5=float(np.percentile(diff, 5)),
                             p95=float(np.percentile(diff, 95)),
                             p_cheaper=float(np.mean(diff < 0)), p_equal=float(np.mean(diff == 0))))
        return pd.DataFrame(rows, columns=DIFF_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """``{"scenario", "replications", "seed", "horizon_hours", "architectures": {NAME:
        {METRIC: {"mean", "ci95": [lo, hi]}}}}``, failures as ``{COMPONENT: {"mean", "ci95"}}``,
        the cost parts under ``tco_usd.breakdown`` (the README says so; a test holds it)."""
        summ = self.summary()
        archs: dict[str, Any] = {}
        for arch in self.architectures:
            s = summ[summ["architecture"] == arch].set_index("metric")

            def cell(metric: str, s: pd.DataFrame = s) -> dict[str, Any]:
                r = s.loc[metric]
                return {"mean": float(r["mean"]),
                        "ci95": [float(r["ci95_low"]), float(r["ci95_high"])],
                        "sd": _num(r["sd"]), "p5": float(r["p5"]), "p95": float(r["p95"])}

            entry: dict[str, Any] = {"port_availability": cell("port_availability")}
            entry["failures"] = {c: cell(failure_column(c)) for c in self.components[arch]}
            for metric in COMMON_METRICS:
                entry[metric] = cell(metric)
            if "tco_usd" in s.index:
                entry["tco_usd"] = {**cell("tco_usd"),
                                    "breakdown": {m.name: _mean_ci(cell(m.name)) for m in COST_PARTS},
                                    **self._normalised(arch)}
                entry["gpu_hours_lost"] = cell("gpu_hours_lost")
                entry["goodput"] = cell("goodput")
            archs[arch] = entry
        return {
            "scenario": self.scenario,
            "replications": self.n_replications,
            "seed": self.seed,
            "horizon_hours": self.horizon_hours,
            "engine": self.engine,
            "elapsed_s": self.elapsed_s,
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
        metrics = [*engine_columns(comps), *(m for m in COST_METRICS if m in set(summ["metric"]))]
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


COST_METRICS = tuple(m.name for m in COST)
SUMMARY_COLUMNS = ["architecture", "metric", "n", "mean", "sd", "ci95_low", "ci95_high", "p5", "p95"]
DIFF_COLUMNS = ["architecture", "baseline", "metric", "mean", "sd", "ci95_low", "ci95_high", "p5",
                "p95", "p_cheaper", "p_equal"]


def metric_columns(spec: Scenario) -> list[str]:
    """The engine metric columns of a run of ``spec``: every component of every architecture."""
    comps: list[str] = []
    for a in spec.architectures:
        comps += [c.name for c in a.components if c.name not in comps]
    return list(engine_columns(comps))


def _num(x: Any) -> float | None:
    """A float for JSON: NaN (no spread from one replication) becomes null."""
    x = float(x)
    return x if math.isfinite(x) else None


def _mean_ci(c: dict[str, Any]) -> dict[str, Any]:
    return {"mean": c["mean"], "ci95": c["ci95"]}


def mean_ci95(x: np.ndarray) -> tuple[float, float, float, float]:
    """(mean, ci95 low, ci95 high, sd): mean ± t(0.975, n-1)·sd/√n; n = 1 gives [mean, mean]."""
    from scipy.special import stdtrit

    n = x.size
    if n == 0:
        return (math.nan,) * 4
    mean = float(x.mean())
    if n == 1:
        return mean, mean, mean, math.nan
    sd = float(x.std(ddof=1))
    half = float(stdtrit(n - 1, 0.975)) * sd / math.sqrt(n)  # t(0.975, n-1): what scipy.stats.t.ppf computes
    return mean, mean - half, mean + half, sd


def _fmt(v: float, metric: str) -> str:
    if metric in ("port_availability", "goodput"):  # shares near 1: the digits that differ
        return fixed(v, 6)
    return fixed(v, 0 if abs(v) >= 1e5 else 2)
