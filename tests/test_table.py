"""LifeTable: the one validated constructor for life records."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from failure_data.errors import DataValidationError
from failure_data.table import LifeTable


def test_durations_kinds_and_dead_on_arrival():
    t = LifeTable.from_durations([0, 10, 20, 30], [1, 0, 1, 0], count=[2, 1, 3, 4])
    # the zero-duration failed row is dead-on-arrival: kept apart, never in the life table
    assert t.n_dead_on_arrival == 2
    assert t.n_rows == 3
    assert t.n_units == 1 + 3 + 4
    assert t.n_failures == 3
    assert t.units_by_kind() == {"exact": 3, "right": 5, "left": 0, "interval": 0}
    # device-hours = sum(duration x count) over known durations = 10 + 60 + 120
    assert t.device_hours == pytest.approx(190.0)
    # source lines are kept: header is line 1, so rows are lines 2..5
    assert list(t.data["line"]) == [3, 4, 5]


def test_intervals_kinds():
    t = LifeTable.from_intervals([0, 10, 20, 30], [5, math.nan, 40, 30])
    assert list(t.data["kind"]) == ["left", "right", "interval", "exact"]
    assert np.isinf(t.data["upper"][1])
    assert not t.device_hours_known


def test_left_truncation_counts_from_entry():
    t = LifeTable.from_durations([100, 200], [1, 0], entry=[50, 0])
    assert t.n_left_truncated == 1
    assert t.device_hours == pytest.approx(50 + 200)


def test_select_by_component():
    t = LifeTable.from_durations([1, 2, 3], [1, 0, 1], covariates={"component": ["a", "b", "a"]})
    a = t.select(component="a")
    assert a.n_units == 2 and set(a.data["component"]) == {"a"}


@pytest.mark.parametrize(
    "kwargs,column,line",
    [
        (dict(duration=[5, -1], failed=[1, 1]), "lower", 3),
        (dict(duration=[5, 6], failed=[1, 0], entry=[0, 6]), "entry", 3),
        (dict(duration=[5, 6], failed=[1, 0], count=[1, 0]), "count", 3),
        (dict(duration=[5, 6], failed=[1, 0], count=[1, 1.5]), "count", 3),
        (dict(duration=[5, 6], failed=[1, 2]), "failed", 3),
    ],
)
def test_refused_records_name_line_and_column(kwargs, column, line):
    with pytest.raises(DataValidationError) as e:
        LifeTable.from_durations(**kwargs)
    assert any(p.column == column and p.line == line for p in e.value.problems), str(e.value)
    assert f"line {line}" in str(e.value) and column in str(e.value)


def test_interval_with_upper_below_lower_refused():
    with pytest.raises(DataValidationError) as e:
        LifeTable.from_intervals([10], [5])
    assert e.value.problems[0].column == "upper" and e.value.problems[0].line == 2


def test_reserved_covariate_name_refused():
    with pytest.raises(DataValidationError, match="reserved"):
        LifeTable.from_durations([1], [1], covariates=pd.DataFrame({"kind": ["x"]}))


def test_zero_exposure_survivors_are_not_dead_on_arrival():
    # a unit that failed at age 0 is dead on arrival; one observed for 0 h that had not
    # failed (installed on the as-of date) carries no information and is counted apart
    t = LifeTable.from_durations([0, 0, 0, 5], [1, 0, 0, 1], count=[2, 3, 1, 1])
    assert t.n_dead_on_arrival == 2
    assert t.n_zero_exposure == 4
    assert t.n_units == 1
