"""A sweep: the scenario at every point of a grid of field values, compared on common random numbers."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from failure_data.errors import option
from fleet_models.decisions.evaluator import Evaluator, difference
from fleet_models.errors import ScenarioError
from fleet_models.model.paths import get_value
from fleet_models.model.spec import Scenario
from fleet_models.scenario.variants import with_values


def sweep(scenario: Scenario, grid: Mapping[str, Sequence[float]], evaluator: Evaluator,
          baseline: str | None = None) -> pd.DataFrame:
    """Every point of the grid (the product of each path's values): one row per point and
    architecture with its mean TCO (ci95), availability, goodput and the paired TCO difference
    from ``baseline`` (default the first architecture) with P(cheaper)."""
    paths = list(grid)
    for path in paths:
        get_value(scenario, path)  # refuse an unknown path before any run
    baseline = baseline or scenario.architectures[0].name
    rows = []
    for point in itertools.product(*(grid[p] for p in paths)):
        values = dict(zip(paths, point, strict=True))
        result = evaluator.result(with_values(scenario, values))
        summ = result.summary().set_index(["architecture", "metric"])
        for arch in result.architectures:
            t = summ.loc[(arch, "tco_usd")]
            row = {**values, "architecture": arch, "tco_mean": t["mean"], "tco_ci95_low": t["ci95_low"],
                   "tco_ci95_high": t["ci95_high"],
                   "port_availability": summ.loc[(arch, "port_availability")]["mean"],
                   "goodput": summ.loc[(arch, "goodput")]["mean"]}
            if arch == baseline:
                row.update(diff_mean=0.0, diff_ci95_low=0.0, diff_ci95_high=0.0, p_cheaper=math.nan,
                           p_equal=math.nan)
            else:
                d = difference(result, "tco_usd", arch, baseline)
                row.update(diff_mean=d["mean"], diff_ci95_low=d["ci95_low"],
                           diff_ci95_high=d["ci95_high"], p_cheaper=d["p_better"],
                           p_equal=d["p_equal"])
            rows.append(row)
    return pd.DataFrame(rows)


def parse_vary(text: str) -> tuple[str, list[float]]:
    """``PATH=V1,V2,...`` -> (path, [v1, v2, ...]); a bad one is refused with the form."""
    path, sep, values = text.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise ScenarioError(f"{option('vary', 'grid')} {text!r}: write PATH=V1,V2,... e.g. "
                            "policy.switch_replacement_hours=4,8,16")
    out = []
    for v in values.split(","):
        try:
            x = float(v)
        except ValueError:
            raise ScenarioError(f"{option('vary', 'grid')} {text!r}: {v.strip()!r} is not a number") from None
        if not math.isfinite(x):
            raise ScenarioError(f"{option('vary', 'grid')} {text!r}: {v.strip()!r} is not a finite number")
        out.append(x)
    return path.strip(), out
