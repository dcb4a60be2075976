"""failure_data.synth: the synthetic logs follow the life model they were drawn from."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from failure_data.synth import Mixture, SynthSpec, synthesize
from failure_data.units import HOURS_PER_DAY
from reliability.models import LifeModel

WEIBULL = LifeModel.weibull(1.3, 2e4)


def _draw(fmt: str, seed: int = 3, units: int = 2000, **kw):
    spec = SynthSpec(units=units, horizon_hours=kw.pop("horizon", 17532.0), fmt=fmt, **kw)
    return synthesize(WEIBULL, spec, np.random.default_rng(seed))


def test_same_seed_same_log_other_seed_other_log():
    for fmt in ("durations", "intervals", "dated", "grouped"):
        a, b = _draw(fmt, seed=5, stagger_hours=4000.0), _draw(fmt, seed=5, stagger_hours=4000.0)
        assert a.equals(b)
        assert not a.equals(_draw(fmt, seed=6, stagger_hours=4000.0))


def test_failure_count_matches_the_model():
    # all installed at 0: each unit fails before H with probability F(H), independently,
    # so the count is Binomial(n, F(H)); allow 3 standard errors
    n, horizon = 4000, 17532.0
    frame = _draw("durations", units=n, horizon=horizon)
    p = float(WEIBULL.cdf(horizon))
    se = math.sqrt(n * p * (1 - p))
    assert abs(frame["failed"].sum() - n * p) < 3 * se
    assert (frame.loc[frame["failed"] == 0, "duration"] == horizon).all()


def test_failure_ages_follow_the_truncated_model():
    # probability integral transform: for failures before H, U = F(t)/F(H) ~ Uniform(0, 1),
    # mean 1/2 with standard error sqrt(1/12/k) for k failures
    horizon = 17532.0
    frame = _draw("durations", units=4000, horizon=horizon)
    t = frame.loc[frame["failed"] == 1, "duration"].to_numpy()
    u = WEIBULL.cdf(t) / WEIBULL.cdf(horizon)
    se = math.sqrt(1 / 12 / len(u))
    assert abs(u.mean() - 0.5) < 3 * se


def test_staggered_installs_censor_at_the_horizon():
    stagger, horizon = 8000.0, 17532.0
    frame = _draw("durations", stagger_hours=stagger, horizon=horizon)
    survivors = frame.loc[frame["failed"] == 0, "duration"]
    # exposure H - s with s uniform on [0, stagger]
    assert survivors.min() >= horizon - stagger - 0.005 and survivors.max() <= horizon
    assert frame["unit_id"].iloc[0] == "U0001" and frame["unit_id"].is_unique


def test_intervals_bracket_the_true_failure_ages():
    # the same seed draws the same installs and lives, so the durations log holds the true ages
    kw = {"stagger_hours": 3000.0, "inspect_every_hours": 2160.0}
    exact = _draw("durations", **kw)
    iv = _draw("intervals", **kw)
    failed = exact["failed"].to_numpy() == 1
    assert np.array_equal(failed, iv["upper"].notna().to_numpy())
    t = exact["duration"].to_numpy()[failed]
    lo, up = iv["lower"].to_numpy()[failed], iv["upper"].to_numpy()[failed]
    assert np.all(lo <= t + 0.01) and np.all(t <= up + 0.01) and np.all(lo < up)
    assert np.all(up - lo <= 2160.0 + 0.02)  # never wider than one inspection period
    assert (lo == 0).any()  # some failed before their first inspection: left-censored
    assert np.array_equal(iv["lower"].to_numpy()[~failed], exact["duration"].to_numpy()[~failed])


def test_dated_failures_are_whole_days_below_the_true_age():
    exact = _draw("durations", stagger_hours=5000.0)
    dated = _draw("dated", stagger_hours=5000.0)
    inst = pd.to_datetime(dated["installed"], format="%Y-%m-%d")
    rem = pd.to_datetime(dated["removed"], format="%Y-%m-%d")
    hours = (rem - inst).dt.days.to_numpy() * HOURS_PER_DAY
    both = (dated["failed"] == 1).to_numpy() & (exact["failed"] == 1).to_numpy()
    gap = exact["duration"].to_numpy()[both] - hours[both]
    # failure day = floor((24 x install day + L) / 24): recorded age in (L - 24 h, L]
    assert both.sum() > 100 and np.all(gap > -0.01) and np.all(gap < HOURS_PER_DAY + 0.01)
    assert dated["installed"].min() == "2024-01-01"
    assert dated["removed"].dropna().max() <= "2025-12-31"  # start + floor(17532 / 24) days


def test_grouped_counts_add_up():
    exact = _draw("durations", stagger_hours=2000.0)
    grouped = _draw("grouped", stagger_hours=2000.0)
    assert grouped["count"].sum() == len(exact)
    assert (grouped["count"] * grouped["failed"]).sum() == exact["failed"].sum()
    assert (grouped["duration"] % HOURS_PER_DAY == 0).all()
    assert not grouped.duplicated(["duration", "failed"]).any()


def test_covariate_columns():
    frame = _draw("durations", units=10, component="laser", temperature_c=85.0, unit_prefix="L85-")
    assert list(frame.columns) == ["unit_id", "component", "duration", "failed", "temperature_c"]
    assert frame["unit_id"].iloc[-1] == "L85-0010" and (frame["temperature_c"] == 85.0).all()


class _Constant:
    def __init__(self, t: float):
        self.t = t

    def sample(self, n, rng):
        return np.full(n, self.t)


def test_mixture_draws_each_population_in_proportion():
    # membership is Binomial(n, 0.3): 3 standard errors
    n = 20000
    x = Mixture([(0.3, _Constant(1.0)), (0.7, _Constant(2.0))]).sample(n, np.random.default_rng(1))
    se = math.sqrt(n * 0.3 * 0.7)
    assert abs((x == 1.0).sum() - 0.3 * n) < 3 * se
    assert set(np.unique(x)) == {1.0, 2.0}


@pytest.mark.parametrize(
    "kw,text",
    [
        ({"units": 0}, "units = 0"),
        ({"units": 2.5}, "units = 2.5"),
        ({"horizon_hours": -1.0}, "horizon = -1.0"),
        ({"horizon_hours": math.inf}, "horizon = inf"),
        ({"stagger_hours": 100.0}, "stagger = 100.0"),
        ({"stagger_hours": -1.0}, "stagger = -1.0"),
        ({"fmt": "weekly"}, "weekly"),
        ({"fmt": "dated", "horizon_hours": 5.0, "stagger_hours": 0.0}, "at least a day"),
        ({"inspect_every_hours": 0.0}, "inspection interval = 0.0"),
        ({"temperature_c": math.nan}, "temperature_c = nan"),
    ],
)
def test_bad_specs_quote_the_value(kw, text):
    args = {"units": 10, "horizon_hours": 100.0, **kw}
    with pytest.raises(ValueError, match=text):
        SynthSpec(**args)


def test_model_must_sample():
    with pytest.raises(TypeError, match="sample"):
        synthesize(object(), SynthSpec(units=1, horizon_hours=10.0), np.random.default_rng(0))
    with pytest.raises(ValueError, match="non-negative"):
        synthesize(_Constant(-1.0), SynthSpec(units=3, horizon_hours=10.0), np.random.default_rng(0))
    with pytest.raises(ValueError, match="weights"):
        Mixture([(-1.0, _Constant(1.0))])
