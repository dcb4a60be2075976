"""A sweep: the scenario at every point of a grid of field values, compared on common random numbers."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from failure_data.errors import option
from fleet_models.decisions.evaluator import Evaluator, difference
from fleet_models.errors import DecisionError, ScenarioError
from fleet_models.model.metrics import COMPARED
from fleet_models.model.paths import choices_at
from fleet_models.model.spec import Scenario
from fleet_models.scenario.variants import with_values


def sweep(scenario: Scenario, grid: Mapping[str, Sequence[float | str]], evaluator: Evaluator,
          baseline: str | None = None, metric: str = "tco_usd") -> pd.DataFrame:
    """Every point of the grid (the product of each path's values: numbers, or a choice field's
    values such as ``device_unit=port-400g,device``): one row per point and architecture with its
    mean TCO (ci95), availability, goodput and the paired difference from ``baseline`` (default
    the first architecture) of ``metric`` (one of ``fleet_models.model.metrics.COMPARED``; the
    TCO by default, with P(cheaper) as ``p_cheaper``; another metric adds its mean as a column
    of its name, and its difference's P(better) is ``p_better``)."""
    if metric not in COMPARED:
        raise DecisionError(f"metric {metric!r} is not one of {', '.join(COMPARED)}")
    p_key = "p_cheaper" if metric == "tco_usd" else "p_better"
    paths = list(grid)
    for path in paths:  # refuse an unknown path, or a value of the wrong kind, before any run
        _check_values(scenario, path, grid[path])
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
            if metric not in row and metric != "tco_usd":
                row[metric] = summ.loc[(arch, metric)]["mean"]
            if arch == baseline:
                row.update({"diff_mean": 0.0, "diff_ci95_low": 0.0, "diff_ci95_high": 0.0,
                            p_key: math.nan, "p_equal": math.nan})
            else:
                d = difference(result, metric, arch, baseline)
                row.update({"diff_mean": d["mean"], "diff_ci95_low": d["ci95_low"],
                            "diff_ci95_high": d["ci95_high"], p_key: d["p_better"],
                            "p_equal": d["p_equal"]})
            rows.append(row)
    return pd.DataFrame(rows)


def _check_values(scenario: Scenario, path: str, values: Sequence[float | str]) -> None:
    """Numbers for a number's path, the field's values for a choice's."""
    choices = choices_at(scenario, path)
    for v in values:
        if choices is None and isinstance(v, str):
            raise ScenarioError(f"{option('vary', 'grid')} {path}: {v!r} is not a number, and {path} "
                                "is a number")
        if choices is not None and v not in choices:
            raise ScenarioError(f"{option('vary', 'grid')} {path}: {v!r} is not one of its values "
                                f"{', '.join(repr(c) for c in choices)}")


def parse_vary(text: str) -> tuple[str, list[float | str]]:
    """``PATH=V1,V2,...`` -> (path, [v1, v2, ...]): numbers, or words (a choice field's values,
    checked against the scenario by :func:`sweep`); a bad one is refused with the form."""
    path, sep, values = text.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise ScenarioError(f"{option('vary', 'grid')} {text!r}: write PATH=V1,V2,... e.g. "
                            "policy.switch_replacement_hours=4,8,16 or device_unit=port-400g,device")
    out: list[float | str] = []
    for v in values.split(","):
        word = v.strip()
        try:
            x = float(word)
        except ValueError:
            if not word:
                raise ScenarioError(f"{option('vary', 'grid')} {text!r}: an empty value") from None
            out.append(word)
            continue
        if not math.isfinite(x):
            raise ScenarioError(f"{option('vary', 'grid')} {text!r}: {word!r} is not a finite number")
        out.append(x)
    return path.strip(), out
