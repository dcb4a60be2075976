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
    its low end and to its high end together (``low`` / ``high`` shown in ``unit``); a discrete
    one (``choice``: its values, ``central`` the one a fixed run takes) to each other value."""

    key: str
    paths: tuple[str, ...]
    lows: tuple[float, ...]  # per path
    highs: tuple[float, ...]
    low: float
    high: float
    unit: str
    confidence: str
    choice: tuple[str, ...] = ()
    central: str | None = None

    def values(self, side: str) -> dict[str, float | str]:
        """Path -> value with the input at its ``side`` ("low" or "high"; of a choice, a value)."""
        if self.choice:
            return dict.fromkeys(self.paths, side)
        return dict(zip(self.paths, self.lows if side == "low" else self.highs, strict=True))

    def moves(self) -> list[str]:
        """Where a tornado moves it: its two ends, or each value of a choice but its central."""
        return [c for c in self.choice if c != self.central] if self.choice else ["low", "high"]


def uncertain_inputs(scenario: Scenario, catalog: Catalog | None = None) -> list[Input]:
    """The scenario's uncertain inputs (its ``uncertain`` table, else the published ranges of the
    catalog entries its values cite), grouped by what is drawn together (a catalog key or a
    path)."""
    from fleet_models.model.distributions import central, ends, kind, stream_key
    from fleet_models.scenario.inputs import catalog_uncertain

    cat = catalog or default_catalog()
    table = dict(scenario.uncertain) or catalog_uncertain(scenario, cat)
    groups: dict[str, list[str]] = {}
    for path, u in table.items():
        groups.setdefault(stream_key(path, u), []).append(path)
    out = []
    for key, paths in groups.items():
        entry = cat.get(key) if key in cat else None
        conf = str(entry.confidence) if entry is not None else "user"
        first = table[paths[0]]
        if kind(first) == "choice":
            out.append(Input(key, tuple(paths), (), (), math.nan, math.nan, "", conf,
                             tuple(first.choice), str(central(first))))
            continue
        lows, highs = zip(*(ends(table[p]) for p in paths), strict=True)
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
        at = {side: difference(evaluator.result(with_values(scenario, inp.values(side))),
                               metric, arch, against)["mean"] for side in inp.moves()}
        if inp.choice:  # one row per other value: the central value's difference, then its
            rows += [{"input": f"{inp.key} = {alt}", "kind": "choice", "low": inp.central,
                      "high": alt, "unit": "", "confidence": inp.confidence, "at_low": central,
                      "at_high": at[alt], "swing": abs(at[alt] - central), "base": central,
                      "paths": ", ".join(inp.paths)} for alt in inp.moves()]
            continue
        rows.append({"input": inp.key, "kind": "range", "low": inp.low, "high": inp.high,
                     "unit": inp.unit, "confidence": inp.confidence,
                     "at_low": at["low"], "at_high": at["high"],
                     "swing": abs(at["high"] - at["low"]),
                     "base": central, "paths": ", ".join(inp.paths)})
    frame = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable")
    return frame.reset_index(drop=True)
