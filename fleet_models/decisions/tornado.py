"""The uncertain inputs a tornado moves, the tornado itself, and how much of the spread across
replications the inputs explain (against chance)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from failure_data.catalog import Catalog, default_catalog
from failure_data.errors import option
from fleet_models.decisions.evaluator import Evaluator, difference, pair, paired
from fleet_models.errors import DecisionError
from fleet_models.model.spec import Scenario
from fleet_models.runs.results import FleetResult
from fleet_models.scenario.variants import with_values


@dataclass(frozen=True)
class Input:
    """An uncertain input as a tornado moves it: every path of one catalog key (or one path) to
    its low end and to its high end together. ``low`` / ``high`` are shown in ``unit``."""

    key: str
    paths: tuple[str, ...]
    lows: tuple[float, ...]  # per path
    highs: tuple[float, ...]
    low: float
    high: float
    unit: str
    confidence: str

    def values(self, side: str) -> dict[str, float]:
        """Path -> value with the input at its ``side`` ("low" or "high")."""
        return dict(zip(self.paths, self.lows if side == "low" else self.highs, strict=True))


def uncertain_inputs(scenario: Scenario, catalog: Catalog | None = None) -> list[Input]:
    """The scenario's uncertain inputs (its ``uncertain`` table, else the published ranges of the
    catalog entries its values cite), grouped by what is drawn together (a catalog key or a
    path)."""
    from fleet_models.model.distributions import ends, stream_key
    from fleet_models.scenario.inputs import catalog_uncertain

    cat = catalog or default_catalog()
    table = dict(scenario.uncertain) or catalog_uncertain(scenario, cat)
    groups: dict[str, list[str]] = {}
    for path, u in table.items():
        groups.setdefault(stream_key(path, u), []).append(path)
    out = []
    for key, paths in groups.items():
        lows, highs = zip(*(ends(table[p]) for p in paths), strict=True)
        entry = cat.get(key) if key in cat else None
        if entry is not None and entry.low is not None and entry.high is not None:
            shown, unit, conf = (entry.low, entry.high), entry.unit, str(entry.confidence)
        else:
            shown, unit, conf = (lows[0], highs[0]), "", "user"
        out.append(Input(key, tuple(paths), tuple(lows), tuple(highs), float(shown[0]),
                         float(shown[1]), unit, conf))
    return out


def spread_sources(uncertain: FleetResult, fixed: FleetResult, baseline: str | None = None,
                   metric: str = "tco_usd") -> pd.DataFrame:
    """How much of the spread across replications comes from not knowing the inputs and how much
    from chance (fleet luck): ``uncertain`` drew the inputs per replication, ``fixed`` ran the
    same replications with them at their central values. Per architecture, and per paired
    difference from ``baseline``: the sd of each run and the inputs' share of the variance,
    1 - var(fixed) / var(uncertain) (chance measured at the central values; 0 if negative)."""
    baseline = baseline or uncertain.architectures[0]
    rows = []

    def row(what: str, u: np.ndarray, f: np.ndarray) -> dict[str, Any]:
        vu, vf = float(np.var(u, ddof=1)), float(np.var(f, ddof=1))
        share = max(0.0, 1.0 - vf / vu) if vu > 0 else 0.0
        return {"of": what, "sd_total": math.sqrt(vu), "sd_chance": math.sqrt(vf),
                "share_from_inputs": share, "share_from_chance": 1.0 - share}

    def values(r: FleetResult, arch: str) -> np.ndarray:
        frame = r.tco if metric in r.tco.columns else r.replications
        return frame[frame["architecture"] == arch][metric].to_numpy(dtype=float)

    for arch in uncertain.architectures:
        rows.append(row(arch, values(uncertain, arch), values(fixed, arch)))
        if arch != baseline:
            rows.append(row(f"{arch} - {baseline}", paired(uncertain, metric, arch, baseline),
                            paired(fixed, metric, arch, baseline)))
    return pd.DataFrame(rows)


def tornado(scenario: Scenario, evaluator: Evaluator, arch: str, against: str,
            inputs: Sequence[Input] | None = None, metric: str = "tco_usd") -> pd.DataFrame:
    """Each input (default: :func:`uncertain_inputs`) at its low and its high, the others at their values:
    the mean paired difference ``arch`` - ``against`` at each, ranked by the swing |high - low|
    (largest first). The scenario runs with its inputs fixed (``uncertainty`` off)."""
    scenario = dataclasses.replace(pair(scenario, arch, against), uncertainty=False)
    chosen = list(uncertain_inputs(scenario) if inputs is None else inputs)
    if not chosen:
        raise DecisionError("the scenario has no uncertain inputs: no value cites a catalog entry "
                            "with a published range; vary fields yourself with "
                            f"{option('sweep', 'fleet_models.decisions.sweep')}")
    central = difference(evaluator.result(scenario), metric, arch, against)["mean"]
    rows = []
    for inp in chosen:
        ends = {}
        for side in ("low", "high"):
            ends[side] = difference(evaluator.result(with_values(scenario, inp.values(side))),
                                    metric, arch, against)
        rows.append({"input": inp.key, "low": inp.low, "high": inp.high,
                     "unit": inp.unit, "confidence": inp.confidence,
                     "at_low": ends["low"]["mean"], "at_high": ends["high"]["mean"],
                     "swing": abs(ends["high"]["mean"] - ends["low"]["mean"]),
                     "base": central, "paths": ", ".join(inp.paths)})
    frame = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable")
    return frame.reset_index(drop=True)
