"""Kaplan-Meier and Turnbull held to hand computations; probability plots render."""

from __future__ import annotations

import numpy as np
import pytest

from failure_data.table import LifeTable
from reliability.errors import ParameterError
from reliability.fitting import fit
from reliability.nonparametric import kaplan_meier, nelson_aalen, nonparametric, turnbull


def test_kaplan_meier_product_limit_with_counts_and_entry():
    # ages, failed, count, entry
    table = LifeTable.from_durations(
        [100.0, 200.0, 200.0, 300.0, 400.0], [True, True, False, True, False],
        count=[2, 1, 3, 1, 2], entry=[0.0, 0.0, 0.0, 150.0, 0.0],
    )
    km = kaplan_meier(table).set_index("time")
    # risk sets by hand: at 100: 8 at risk (the entry-150 unit is not yet observed), 2 die;
    # at 200: 7 at risk (6 + late entrant), 1 dies; at 300: 3 at risk, 1 dies.
    s100 = 1 - 2 / 8
    s200 = s100 * (1 - 1 / 7)
    s300 = s200 * (1 - 1 / 3)
    assert km.loc[100.0, "survival"] == pytest.approx(s100, rel=1e-12)
    assert km.loc[200.0, "survival"] == pytest.approx(s200, rel=1e-12)
    assert km.loc[300.0, "survival"] == pytest.approx(s300, rel=1e-12)
    assert km.loc[300.0, "events"] == 1
    assert (km["lower"] <= km["survival"]).all() and (km["survival"] <= km["upper"]).all()


def test_nelson_aalen_sum_of_hazard_increments():
    table = LifeTable.from_durations(
        [100.0, 200.0, 200.0, 300.0, 400.0], [True, True, False, True, False],
        count=[2, 1, 3, 1, 2], entry=[0.0, 0.0, 0.0, 150.0, 0.0],
    )
    na = nelson_aalen(table).set_index("time")
    # same risk sets as the Kaplan-Meier test: H = 2/8, + 1/7, + 1/3
    assert na.loc[100.0, "cumulative_hazard"] == pytest.approx(2 / 8, rel=1e-12)
    assert na.loc[200.0, "cumulative_hazard"] == pytest.approx(2 / 8 + 1 / 7, rel=1e-12)
    assert na.loc[300.0, "cumulative_hazard"] == pytest.approx(2 / 8 + 1 / 7 + 1 / 3, rel=1e-12)
    assert (na["lower"] <= na["cumulative_hazard"]).all() and (na["cumulative_hazard"] <= na["upper"]).all()


def test_turnbull_equals_empirical_fractions_for_common_inspections():
    rng = np.random.default_rng(1)
    t = 1000 * rng.weibull(1.5, 300)
    insp = np.arange(250.0, 5000.0, 250.0)
    k = np.searchsorted(insp, t)
    lo = np.where(k == 0, 0.0, insp[np.maximum(k - 1, 0)])
    hi = np.where(k < insp.size, insp[np.minimum(k, insp.size - 1)], np.inf)
    tb = turnbull(LifeTable.from_intervals(lo, hi), n_boot=20)
    # every unit inspected at the same ages: the NPMLE of S(a_k) is the fraction alive at a_k
    emp = np.array([(t > a).mean() for a in tb["time"]])
    np.testing.assert_allclose(tb["survival"], emp, atol=1e-6)
    band = tb.dropna(subset=["lower", "upper"])
    assert len(band) == len(tb)
    assert ((band["lower"] <= band["survival"] + 1e-9) & (band["survival"] <= band["upper"] + 1e-9)).all()
    assert nonparametric(LifeTable.from_intervals(lo, hi))["method"].iloc[0] == "turnbull"


def test_kaplan_meier_refuses_interval_rows():
    with pytest.raises(ParameterError, match="turnbull"):
        kaplan_meier(LifeTable.from_intervals([0.0, 10.0], [5.0, 20.0]))


@pytest.mark.parametrize("dist, ext", [("weibull", "png"), ("lognormal", "svg")])
def test_probability_plot_renders(dist, ext, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reliability.plotting import band, paper_transform, save_probability_plot

    rng = np.random.default_rng(2)
    t = 5e4 * rng.weibull(1.5, 200)
    c = rng.uniform(1e4, 6e4, 200)
    r = fit(LifeTable.from_durations(np.minimum(t, c), t <= c), dist)
    out = tmp_path / f"p.{ext}"
    save_probability_plot(r, str(out))
    assert out.stat().st_size > 5000
    ax = r.plot_probability()
    assert "hours" in ax.get_xlabel() and dist in ax.get_ylabel()
    assert len(ax.lines) == 2  # fitted line + nonparametric points
    plt.close("all")
    # the line is the model's cdf on the paper and the band brackets it
    ts = np.geomspace(1e3, 1e5, 7)
    y, lo, hi = band(r.model, ts, 0.95)
    _, to_y, _ = paper_transform(dist)
    np.testing.assert_allclose(y, to_y(r.model.cdf(ts)), rtol=1e-10)
    assert np.all(lo < y) and np.all(y < hi)


def test_plot_says_when_it_leaves_the_nonparametric_points_off():
    # Turnbull here refuses late entry; the probability plot is still drawn, with a warning
    import matplotlib

    matplotlib.use("Agg")

    rng = np.random.default_rng(5)
    lower = rng.uniform(100, 1000, 60)
    upper = lower + rng.uniform(50, 500, 60)
    upper[::3] = np.nan  # some still working
    table = LifeTable.from_intervals(lower, upper, entry=np.full(60, 10.0))
    result = fit(table, "weibull")
    with pytest.warns(UserWarning, match="nonparametric points left off"):
        ax = result.plot_probability()
    assert ax is not None
