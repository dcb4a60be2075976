"""Common random numbers: streams per (replication, component name, switch) (engine.Streams)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from fleet_models.model.spec import Architecture, Component, Fleet, Policy, Repair, Scenario
from fleet_models.runs.runner import run
from reliability.models import LifeModel

BOARD = Component("switch-board", 1, None, LifeModel.exponential(2e5), repair=Repair.REPLACE_SWITCH,
                  price_usd=5_000.0)


def _module(fit: float) -> Component:
    return Component("module", 8, 1, LifeModel.from_fit_rate(fit), price_usd=800.0)


def _scenario(*archs: Architecture, reps: int = 40) -> Scenario:
    return Scenario("crn", 3 * 8766.0, Fleet(16, 8), archs, policy=Policy(detection_hours=0.5),
                    replications=reps, seed=11)


A = Architecture("a", (BOARD, _module(2_000.0)), switch_price_usd=20_000.0)
B = Architecture("b", (BOARD, _module(2_200.0)), switch_price_usd=20_000.0)


def test_identical_architectures_get_identical_replications():
    twin = dataclasses.replace(A, name="twin")
    res = run(_scenario(A, twin, reps=5), workers=1)
    frame = res.replications.set_index(["replication", "architecture"])
    a = frame.xs("a", level="architecture")
    b = frame.xs("twin", level="architecture")
    pd.testing.assert_frame_equal(a, b)


def test_a_result_does_not_depend_on_the_other_architectures():
    alone = run(_scenario(A, reps=5), workers=1).replications
    both = run(_scenario(A, B, reps=5), workers=1).replications
    pd.testing.assert_frame_equal(alone.reset_index(drop=True),
                                  both[both["architecture"] == "a"].reset_index(drop=True))


def test_paired_difference_is_narrower_than_either_tco_interval():
    """A and B share the switch board (same name and life) and differ in the module's rate by
    10 %: the board's replacements, most of the TCO's noise, cancel in the paired difference."""
    res = run(_scenario(A, B), workers=1)
    summ = res.summary().set_index(["architecture", "metric"])
    width = {arch: summ.loc[(arch, "tco_usd"), "ci95_high"] - summ.loc[(arch, "tco_usd"), "ci95_low"]
             for arch in ("a", "b")}
    d = res.differences("a").iloc[0]
    assert d["ci95_high"] - d["ci95_low"] < min(width.values()), (d, width)
    # the shared board fails alike: switch replacements agree replication by replication
    wide = res.replications.pivot(index="replication", columns="architecture", values="failures_switch-board")
    assert np.corrcoef(wide["a"], wide["b"])[0, 1] > 0.9


def test_two_components_of_one_architecture_never_share_a_stream():
    # streams are keyed by component name: a second component of the same name in one
    # architecture would draw the first one's lives, so a scenario cannot hold one
    import pytest

    from fleet_models.errors import ScenarioError
    from fleet_models.model.spec import Architecture, Component, Fleet, Scenario
    from fleet_models.scenario.validate import validate
    from reliability.models import LifeModel

    c = Component("m", 1, 1, LifeModel.from_fit_rate(100.0))
    sc = Scenario("twice", 100.0, Fleet(1, 2), (Architecture("a", (c, c)),))
    with pytest.raises(ScenarioError, match="is used twice in this architecture"):
        validate(sc)
