"""Engine semantics on hand-checkable fleets, invariants, determinism and the runner's results.

"Sharp" lives are Weibull with shape 1e4: every life is within ~0.13 h (one sd =
scale * pi / (sqrt 6 * shape)) of the scale, so event times are known to well under the
1-hour tolerances used below and the expected metrics can be worked out by hand.
"""

from __future__ import annotations

import dataclasses
import math
from functools import partial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from fleet_models.engines.contract import metric_names
from fleet_models.engines.des.sim import simulate
from fleet_models.engines.des.state import _Life
from fleet_models.errors import ScenarioError
from fleet_models.model.spec import (
    Architecture,
    Component,
    Fabric,
    Fleet,
    HandsOn,
    Policy,
    Repair,
    RepairScope,
    Scenario,
    SparePool,
    Workload,
)
from fleet_models.runs.runner import run as _run
from reliability.models import LifeModel

# this file holds the SimPy engine (the reference semantics) to its documented behaviour: its
# runs use that engine; tests/test_fast_engine.py holds the fast engine to the same distributions
run = partial(_run, engine="des")

SWITCH = Repair.REPLACE_SWITCH


def sharp(at: float) -> LifeModel:
    """Fails at ``at`` hours to within ~1e-3 h (Weibull sd = at * pi / (sqrt(6) * shape)), so
    the tests' "at ~1000 h" arithmetic holds to far better than their 1 h allowances."""
    return LifeModel.weibull(1e6, at)


def one_run(components, *, ports=4, horizon=1500.0, policy=Policy(), workload=Workload(),
            switches=1, seed=1) -> dict[str, float]:
    sc = Scenario("t", horizon, Fleet(switches, ports), (Architecture("a", tuple(components)),),
                  policy=policy, workload=workload, replications=1, seed=seed)
    return simulate(sc, sc.architectures[0], 0).metrics


ONE_JOB_PER_PORT = Workload(gpus_per_port=1.0, job_gpus=1, restart_hours=0.5)


# ------------------------------------------------------------------ hand-checked semantics


def test_swap_with_one_technician_queues_fcfs():
    # 4 one-port modules all fail at ~1000 h; detected 0.5 h later; one technician swaps them
    # one after another (2 h each): repair j ends at ~1000.5 + 2j, so the down-hours are
    # 4 * 0.5 + 2 * (1 + 2 + 3 + 4) = 22. Renewed lives end at ~2000 h, after the horizon.
    m = one_run([Component("m", 4, 1, sharp(1000.0))],
                policy=Policy(detection_hours=0.5, swap_hours=2.0, technicians=1))
    assert m["failures_m"] == 4
    assert m["swaps"] == 4
    assert m["unplanned_outages"] == 4
    assert m["technician_hours"] == pytest.approx(8.0)
    assert m["port_down_hours"] == pytest.approx(22.0, abs=1.0)
    assert m["port_availability"] == pytest.approx(1 - m["port_down_hours"] / (4 * 1500.0))
    assert m["switch_replacements"] == 0 and m["degraded_switch_hours"] == 0


def test_replace_switch_waits_for_k_ports_down():
    # A (ports 0-1) fails at ~1000 h: 2 ports down < k = 3, no window: the switch runs degraded.
    # Both B units (ports 0-1 and 2-3) fail at ~2000 h: 4 ports down >= k at detection (0.5 h):
    # replacement at ~2000.5 for 8 h. Outages: A's failure and B unit 1's (B unit 0 adds no
    # port). Port-hours down: ports 0-1 from 1000 to 2008.5, ports 2-3 from 2000 to 2008.5.
    comps = [Component("A", 1, 2, sharp(1000.0), repair=SWITCH),
             Component("B", 2, 2, sharp(2000.0), repair=SWITCH)]
    pol = Policy(detection_hours=0.5, switch_replacement_hours=8.0,
                 replace_switch_when_ports_down=3)
    m = one_run(comps, horizon=2500.0, policy=pol, workload=ONE_JOB_PER_PORT)
    assert (m["failures_A"], m["failures_B"]) == (1, 2)
    assert m["switch_replacements"] == 1
    assert m["unplanned_outages"] == 2
    assert m["degraded_switch_hours"] == pytest.approx(1000.5, abs=1.0)
    assert m["port_down_hours"] == pytest.approx(2 * 1008.5 + 2 * 8.5, abs=1.0)
    assert m["technician_hours"] == pytest.approx(8.0)
    assert m["job_interruptions"] == 4  # one job per port, each interrupted once
    assert m["swaps"] == 0


def test_replacement_triggered_at_once_interrupts_the_jobs_it_drains():
    # k = 1: A's failure (ports 0-1) triggers the replacement at detection; draining takes
    # ports 2-3 down too, unplanned, so their jobs are interrupted as well (4 in all).
    m = one_run([Component("A", 1, 2, sharp(1000.0), repair=SWITCH)],
                policy=Policy(detection_hours=0.5, switch_replacement_hours=8.0),
                workload=ONE_JOB_PER_PORT)
    assert m["switch_replacements"] == 1
    assert m["job_interruptions"] == 4
    assert m["unplanned_outages"] == 1
    assert m["degraded_switch_hours"] == pytest.approx(0.5, abs=0.5)
    assert m["port_down_hours"] == pytest.approx(2 * 8.5 + 2 * 8.0, abs=1.0)


def test_maintenance_window_replacement_is_planned():
    # A fails at ~1000 h, k = 4 not reached; windows every 30 days (720 h): the replacement
    # waits for the window at 1440 h (8 h). It interrupts no job (2 interruptions: A's
    # ports). Down: ports 0-1 from 1000 to 1448, ports 2-3 from 1440 to 1448.
    pol = Policy(detection_hours=0.5, switch_replacement_hours=8.0,
                 replace_switch_when_ports_down=4, maintenance_window_days=30.0)
    m = one_run([Component("A", 1, 2, sharp(1000.0), repair=SWITCH)], horizon=1800.0,
                policy=pol, workload=ONE_JOB_PER_PORT)
    assert m["switch_replacements"] == 1
    assert m["degraded_switch_hours"] == pytest.approx(440.0, abs=1.0)
    assert m["port_down_hours"] == pytest.approx(2 * 448.0 + 2 * 8.0, abs=1.0)
    assert m["job_interruptions"] == 2
    assert m["unplanned_outages"] == 1


def test_without_window_a_degraded_switch_waits_for_the_horizon():
    pol = Policy(detection_hours=0.5, replace_switch_when_ports_down=4)
    m = one_run([Component("A", 1, 2, sharp(1000.0), repair=SWITCH)], horizon=1800.0, policy=pol)
    assert m["switch_replacements"] == 0
    assert m["degraded_switch_hours"] == pytest.approx(800.0, abs=1.0)
    assert m["port_down_hours"] == pytest.approx(2 * 800.0, abs=1.0)


def test_switch_wide_failure_always_triggers_and_truncates_at_horizon():
    # a switch-wide unit fails at ~1000 h: replaced at detection although k = 4 is far; the
    # 8 h replacement is cut by the horizon at 1004 h: 3.5 technician-hours counted.
    pol = Policy(detection_hours=0.5, switch_replacement_hours=8.0,
                 replace_switch_when_ports_down=100)
    m = one_run([Component("W", 1, None, sharp(1000.0), repair=SWITCH)], ports=128,
                horizon=1004.0, policy=pol)
    assert m["switch_replacements"] == 1
    assert m["technician_hours"] == pytest.approx(3.5, abs=0.2)
    assert m["port_down_hours"] == pytest.approx(128 * 4.0, abs=128 * 0.2)


def test_switch_replacement_renews_every_unit_and_drops_pending_swaps():
    # modules replaced with the switch (moves_on_replacement = false): they fail at ~990 h and
    # wait for parts (stock 0, lead 1e4 h); the switch-wide unit fails at ~1000 h and the switch
    # is replaced (1000.5 -> 1008.5): the modules come back new with it, their pending swaps are
    # dropped, and their new lives end at ~2000 h.
    comps = [Component("W", 1, None, sharp(1000.0), repair=SWITCH),
             Component("m", 4, 1, sharp(990.0), moves_on_replacement=False)]
    pol = Policy(detection_hours=0.5, switch_replacement_hours=8.0,
                 spares={"m": SparePool(0, 1e4)})
    m = one_run(comps, horizon=1500.0, policy=pol)
    assert (m["failures_W"], m["failures_m"]) == (1, 4)
    assert m["swaps"] == 0 and m["spare_waits"] == 4
    assert m["switch_replacements"] == 1
    assert m["port_down_hours"] == pytest.approx(4 * (1008.5 - 990.0), abs=1.0)
    # renewed at 1008.5 h, the modules fail again near 1998.5 h and W near 2008.5 h
    m2 = one_run(comps, horizon=2005.0, policy=pol)
    assert (m2["failures_W"], m2["failures_m"]) == (1, 8)
    m3 = one_run(comps, horizon=2100.0, policy=pol)
    assert (m3["failures_W"], m3["failures_m"]) == (2, 8)


def test_redundant_replace_switch_unit_goes_down_with_its_last_element():
    # 3 elements, 1 needed, all failing at ~1000 h: the first two failures are latent (nothing
    # down, nothing to repair); the third takes the unit's 2 ports down and, k = 1, the switch
    # is replaced at detection (0.5 h later)
    comps = [Component("laser", 1, 2, sharp(1000.0), repair=SWITCH, elements=3, needed=1)]
    m = one_run(comps, policy=Policy(detection_hours=0.5, switch_replacement_hours=8.0))
    assert m["failures_laser"] == 3
    assert m["unplanned_outages"] == 1
    assert m["switch_replacements"] == 1
    assert m["degraded_switch_hours"] == pytest.approx(0.5, abs=0.5)
    assert m["port_down_hours"] == pytest.approx(2 * 8.5 + 2 * 8.0, abs=1.0)


def test_redundant_swap_unit_is_down_only_below_needed():
    # 2 elements, 1 needed, both failing at ~1000 h; one technician, detection 0.5 h, swap 2 h:
    # the unit is down from the second failure (~1000 h) until the first swap ends (~1002.5 h),
    # then up on one element while the second is swapped (until ~1004.5 h)
    comps = [Component("els", 1, 4, sharp(1000.0), elements=2, needed=1,
                       repair_scope=RepairScope.ELEMENT)]
    m = one_run(comps, policy=Policy(detection_hours=0.5, swap_hours=2.0, technicians=1))
    assert m["failures_els"] == 2 and m["swaps"] == 2
    assert m["unplanned_outages"] == 1
    assert m["port_down_hours"] == pytest.approx(4 * 2.5, abs=4 * 0.5)


def test_spare_part_wait_is_counted_and_delays_the_swap():
    # stock 1, lead 100 h: of 4 modules failing together, the first gets the part, the other
    # three wait for their own order (100 h after their demand): down ~ 2.5 + 3 * 100.5 h
    pol = Policy(detection_hours=0.5, swap_hours=2.0, spares={"m": SparePool(1, 100.0)})
    m = one_run([Component("m", 4, 1, sharp(1000.0))], policy=pol)
    assert m["spare_waits"] == 3
    assert m["port_down_hours"] == pytest.approx(2.5 + 3 * 102.5, abs=1.0)


@pytest.mark.parametrize("restart, exclude, expected", [(1.0, 0.0, 1), (0.0, 0.0, 4), (0.0, 0.25, 1)])
def test_job_interruptions_respect_restart(restart, exclude, expected):
    # one job spans the fleet; 4 ports fail within ~0.01 h of each other: with a 1 h restart
    # the job is interrupted once; with none, and restarted without the failed node at once
    # (exclude_hours 0), every failure interrupts it; a job still stalled (waiting 0.25 h for its
    # port) is not running, so the later failures do not interrupt it again
    work = Workload(gpus_per_port=1.0, job_gpus=1_000_000, restart_hours=restart)
    sc = Scenario("t", 1500.0, Fleet(1, 4), (Architecture("a", (Component("m", 4, 1, sharp(1000.0)),)),),
                  workload=work, fabric=Fabric(exclude_hours=exclude), replications=1, seed=1)
    m = simulate(sc, sc.architectures[0], 0).metrics
    assert m["unplanned_outages"] == 4
    assert m["job_interruptions"] == expected


@pytest.mark.parametrize("life", [
    LifeModel.weibull(1.3, 1e5),
    LifeModel.exponential(3e4),
    LifeModel.lognormal(10.0, 1.2),
    LifeModel("loglogistic", {"shape": 2.5, "scale": 4e4}),
    LifeModel("gengamma", {"mu": 10.0, "ln_sigma": 0.1, "lambda_": 0.5}),
], ids=lambda m: m.distribution)
def test_fast_life_laws_are_the_life_models(life):
    # the engine's closed forms must be the LifeModel's own (scipy) cdf and truncated sampling
    fast = _Life(life)
    for t in (1.0, 1e3, 3e4, 1e5, 1e6):
        assert fast.cdf(t) == pytest.approx(float(life.cdf(t)), rel=1e-12, abs=1e-300)
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    idx, times = fast.failing(1000, 5e4, rng_a)
    # reference: LifeModel.sample_before after the same binomial and choice draws
    count = rng_b.binomial(1000, float(life.cdf(5e4)))
    ref_idx = rng_b.choice(1000, size=count, replace=False)
    ref = life.sample_before(count, 5e4, rng_b)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(times, ref, rtol=1e-9)
    assert (times <= 5e4 * (1 + 1e-12)).all()


# ------------------------------------------------------------------ invariants


def _mixed(scale_factor: float = 1.0, **policy) -> Scenario:
    arch = Architecture("cpo", (
        Component("engine", 4, 16, LifeModel.weibull(1.3, 3e5 * scale_factor), repair=SWITCH),
        Component("els", 8, 8, LifeModel.exponential(2e5 * scale_factor), elements=2, needed=1),
        Component("module", 64, 1, LifeModel.weibull(0.9, 2e6 * scale_factor)),
    ))
    pol = Policy(**{"detection_hours": 1.0, "technicians": 2,
                    "spares": {"module": SparePool(2, 500.0), "switch": SparePool(1, 2000.0)},
                    **policy})
    return Scenario("mixed", 43830.0, Fleet(40, 64), (arch,), policy=pol, replications=4, seed=7)


@pytest.mark.parametrize("policy", [
    {},
    {"replace_switch_when_ports_down": 40, "maintenance_window_days": 90.0},
    {"technicians": 0, "spares": {}},
])
def test_metrics_are_within_their_ranges(policy):
    res = run(_mixed(**policy), workers=1).replications
    assert res["port_availability"].between(0.0, 1.0).all()
    numeric = res.drop(columns=["replication", "architecture"])
    assert (numeric >= 0).all().all()
    assert (res["swaps"] <= res["failures_els"] + res["failures_module"]).all()
    assert (res["unplanned_outages"] <= res[[c for c in res if c.startswith("failures_")]]
            .sum(axis=1)).all()
    down = res["port_down_hours"] / (40 * 64 * 43830.0)
    np.testing.assert_allclose(res["port_availability"], 1 - down, rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_more_failures_never_raise_availability(seed):
    # the same fleet with every life halved fails about twice as often
    base = simulate(_mixed(), _mixed().architectures[0], 0, seed=seed).metrics
    worse_sc = _mixed(scale_factor=0.5)
    worse = simulate(worse_sc, worse_sc.architectures[0], 0, seed=seed).metrics
    assert worse["port_availability"] <= base["port_availability"]
    assert worse["failures_module"] > base["failures_module"]


def test_replace_at_first_port_down_replaces_once_per_failure():
    # ports_per_unit 1, k = 1, the only component, detection 0, unlimited technicians and
    # switches: every failure starts a replacement at once, and no other unit of that switch
    # can fail before it starts (the old units are void from then on)
    comp = Component("engine", 16, 1, LifeModel.weibull(1.2, 2e4), repair=SWITCH)
    sc = Scenario("k1", 43830.0, Fleet(20, 16), (Architecture("a", (comp,)),),
                  policy=Policy(detection_hours=0.0, replace_switch_when_ports_down=1),
                  replications=6, seed=3)
    res = run(sc, workers=1).replications
    assert (res["failures_engine"] > 10).all()
    assert (res["switch_replacements"] == res["failures_engine"]).all()
    # with a detection delay and one technician, failures can share a replacement
    sc2 = Scenario("k1", 43830.0, Fleet(20, 16), (Architecture("a", (comp,)),),
                   policy=Policy(detection_hours=24.0, technicians=1,
                                 replace_switch_when_ports_down=1), replications=6, seed=3)
    res2 = run(sc2, workers=1).replications
    assert (res2["switch_replacements"] <= res2["failures_engine"]).all()
    assert (res2["switch_replacements"] < res2["failures_engine"]).any()


def test_parameter_uncertainty_widens_the_spread():
    # exponential life, scale 1e5 h with a 30 % standard error: each replication draws its
    # scale, so the failure count varies far beyond its binomial spread (var ~ mean)
    cov = ((0.3 * 1e5) ** 2,)
    life = LifeModel.exponential(1e5, covariance=(cov,))
    comp = Component("m", 100, 1, life)

    def failures(uncertainty: bool) -> pd.Series:
        sc = Scenario("u", 43830.0, Fleet(20, 100), (Architecture("a", (comp,)),),
                      replications=20, seed=5, uncertainty=uncertainty)
        return run(sc, workers=1).replications["failures_m"]

    fixed, drawn = failures(False), failures(True)
    # binomial: var = n p (1-p) <= mean; the parameter draws add (0.3 * mean)^2 ~ 3e4
    assert fixed.var() < 2 * fixed.mean()
    assert drawn.var() > 10 * drawn.mean()


# ------------------------------------------------------------------ determinism and runner


def _two_archs() -> Scenario:
    plug = Architecture("plug", (Component("module", 32, 1, LifeModel.from_fit_rate(3000.0)),))
    cpo = Architecture("cpo", (
        Component("engine", 4, 8, LifeModel.weibull(1.3, 2e5), repair=SWITCH),
        Component("els", 8, 4, LifeModel.from_fit_rate(1500.0)),
    ))
    return Scenario("two", 43830.0, Fleet(30, 32), (plug, cpo),
                    policy=Policy(technicians=2, spares={"module": SparePool(2, 500.0)}),
                    replications=6, seed=99)


def test_same_seed_same_results_other_seed_other_results():
    sc = _two_archs()
    a, b = run(sc, workers=1), run(sc, workers=1)
    pd.testing.assert_frame_equal(a.replications, b.replications)
    c = run(sc, workers=1, seed=100)
    assert not a.replications.equals(c.replications)


def test_workers_do_not_change_results():
    sc = _two_archs()
    pd.testing.assert_frame_equal(run(sc, workers=1).replications,
                                  run(sc, workers=2).replications)


def test_replication_alone_equals_replication_among_others():
    sc = _two_archs()
    res = run(sc, workers=1).replications
    alone = simulate(sc, sc.architectures[1], 4).metrics
    row = res[(res["replication"] == 4) & (res["architecture"] == "cpo")].iloc[0]
    for name, value in alone.items():
        assert row[name] == value
    # and whatever the other architectures of the scenario
    # (the module spare pool only serves "plug", so it goes with it)
    only_cpo = Scenario("x", sc.horizon_hours, sc.fleet, (sc.architectures[1],),
                        policy=Policy(technicians=2), replications=6, seed=99)
    sub = res[res["architecture"] == "cpo"].reset_index(drop=True)
    got = run(only_cpo, workers=1).replications
    pd.testing.assert_frame_equal(got[sub.columns.intersection(got.columns)],
                                  sub[got.columns], check_dtype=False)


def test_tidy_frame_summary_and_json_shape():
    sc = _two_archs()
    res = run(sc, replications=5, workers=1)
    frame = res.replications
    assert list(frame.columns[:2]) == ["replication", "architecture"]
    assert len(frame) == 10
    assert list(frame["architecture"][:2]) == ["plug", "cpo"]
    assert frame.loc[frame["architecture"] == "plug", "failures_engine"].isna().all()
    assert set(metric_names(sc.architectures[1])) <= set(frame.columns)

    summ = res.summary()
    row = summ[(summ["architecture"] == "cpo") & (summ["metric"] == "swaps")].iloc[0]
    x = frame.loc[frame["architecture"] == "cpo", "swaps"].to_numpy(dtype=float)
    half = stats.t.ppf(0.975, 4) * x.std(ddof=1) / math.sqrt(5)  # t(0.975, n-1) sd / sqrt(n)
    assert row["mean"] == pytest.approx(x.mean())
    assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((x.mean() - half, x.mean() + half))

    d = res.to_dict()
    assert list(d) == ["scenario", "replications", "seed", "horizon_hours", "engine", "elapsed_s",
                       "architectures"]
    assert (d["scenario"], d["replications"], d["seed"]) == ("two", 5, 99)
    assert list(d["architectures"]) == ["plug", "cpo"]
    cpo = d["architectures"]["cpo"]
    assert list(cpo) == ["port_availability", "failures", "swaps", "switch_replacements",
                         "port_down_hours", "unplanned_outages", "degraded_switch_hours",
                         "technician_hours", "spare_waits", "job_interruptions", "tco_usd",
                         "gpu_hours_lost", "goodput"]
    assert list(cpo["failures"]) == ["engine", "els"]
    # the mean with the ci95 of the mean, and the spread across replications
    assert set(cpo["failures"]["els"]) == {"mean", "ci95", "sd", "p5", "p95"}
    assert len(cpo["swaps"]["ci95"]) == 2
    x = frame.loc[frame["architecture"] == "cpo", "swaps"].to_numpy(dtype=float)
    assert cpo["swaps"]["p95"] == pytest.approx(np.percentile(x, 95))
    assert set(cpo["tco_usd"]) == {"mean", "ci95", "sd", "p5", "p95", "breakdown", "per_port_year",
                                   "per_tbps_year"}
    assert list(cpo["tco_usd"]["breakdown"]) == ["capex", "energy", "maintenance", "support", "downtime"]


def test_one_replication_gives_a_point_interval():
    res = run(_two_archs(), replications=1, workers=1)
    summ = res.summary()
    assert (summ["ci95_low"] == summ["mean"]).all() and (summ["ci95_high"] == summ["mean"]).all()
    assert (summ["n"] == 1).all()


def test_progress_is_reported():
    calls = []
    run(_two_archs(), replications=3, workers=1, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (6, 6)


@pytest.mark.parametrize(
    "change, match",
    [
        ({"replications": 0}, "replications = 0"),
        ({"workers": 0}, "workers = 0"),
        ({"seed": -1}, "seed = -1"),
        ({"component": {"ports_per_unit": 5}}, r"components\[0\].*must be <= fleet.ports_per_switch"),
        ({"component": {"needed": 3}}, r"components\[0\]\.needed = 3"),
        ({"component": {"per_switch": 0}}, r"components\[0\]\.per_switch = 0"),
        ({"horizon": 0.0}, "horizon_hours = 0.0"),
        ({"spares": {"engine": SparePool(1, 10.0)}}, r"policy.spares.engine: is not a component of any architecture"),
    ],
)
def test_bad_runs_are_refused_with_the_field(change, match):
    comp = dict(name="m", per_switch=8, ports_per_unit=1, life=LifeModel.exponential(1e4))
    comp.update(change.get("component", {}))
    sc = Scenario("bad", change.get("horizon", 100.0), Fleet(2, 8),
                  (Architecture("a", (Component(**comp),)),),
                  policy=Policy(spares=change.get("spares", {})))
    kwargs = {k: v for k, v in change.items() if k in ("replications", "workers", "seed")}
    with pytest.raises(ScenarioError, match=match):
        run(sc, **kwargs)


# ------------------------------------------------------------------ property: any small fleet



@st.composite
def small_scenarios(draw):
    ports = draw(st.sampled_from([1, 4, 8]))
    comps = []
    for i in range(draw(st.integers(1, 3))):
        ppu = draw(st.sampled_from([None, 1, ports]))
        per_switch = 1 if ppu in (None, ports) else draw(st.integers(1, ports))
        elements = draw(st.integers(1, 3))
        comps.append(Component(
            f"c{i}", per_switch, ppu,
            LifeModel.weibull(draw(st.floats(0.5, 3.0)), draw(st.floats(200.0, 5000.0))),
            repair=draw(st.sampled_from(list(Repair))), elements=elements,
            needed=draw(st.integers(1, elements)),
        ))
    swapped = [c.name for c in comps if c.repair is Repair.SWAP]
    spares = {}
    if swapped and draw(st.booleans()):
        spares[swapped[0]] = SparePool(draw(st.integers(0, 2)), draw(st.floats(0.0, 300.0)))
    if draw(st.booleans()):
        spares["switch"] = SparePool(draw(st.integers(0, 2)), draw(st.floats(0.0, 300.0)))
    policy = Policy(
        detection_hours=draw(st.floats(0.0, 5.0)), technicians=draw(st.integers(0, 2)),
        swap_hours=draw(st.floats(0.0, 10.0)), switch_replacement_hours=draw(st.floats(0.0, 20.0)),
        replace_switch_when_ports_down=draw(st.integers(1, ports + 1)),
        maintenance_window_days=draw(st.sampled_from([None, 1.0, 30.0])),
        hands_on=draw(st.sampled_from(list(HandsOn))), spares=spares,
    )
    return Scenario("p", draw(st.floats(100.0, 5000.0)), Fleet(draw(st.integers(1, 4)), ports),
                    (Architecture("a", tuple(comps)),), policy=policy, replications=1,
                    seed=draw(st.integers(0, 2**32)))


@settings(max_examples=40, deadline=None)
@given(small_scenarios())
def test_any_small_fleet_gives_consistent_metrics(sc):
    m = simulate(sc, sc.architectures[0], 0).metrics
    arch = sc.architectures[0]
    port_hours = sc.fleet.switches * sc.fleet.ports_per_switch * sc.horizon_hours
    assert 0.0 <= m["port_availability"] <= 1.0
    assert m["port_down_hours"] == pytest.approx((1 - m["port_availability"]) * port_hours,
                                                 rel=1e-9, abs=1e-6)
    assert all(v >= 0 for v in m.values())
    swap_failures = sum(m[f"failures_{c.name}"] for c in arch.components
                        if c.repair is Repair.SWAP)
    switch_failures = sum(m[f"failures_{c.name}"] for c in arch.components
                          if c.repair is Repair.REPLACE_SWITCH)
    assert m["swaps"] <= swap_failures
    assert m["switch_replacements"] <= switch_failures
    assert m["unplanned_outages"] <= swap_failures + switch_failures
    assert m["degraded_switch_hours"] <= sc.fleet.switches * sc.horizon_hours + 1e-6
    if sc.policy.technicians:
        assert m["technician_hours"] <= sc.policy.technicians * sc.horizon_hours + 1e-6


@pytest.mark.parametrize("work", [Workload(job_gpus=0), Workload(gpus_per_port=0.0)])
def test_no_job_or_no_gpus_means_no_interruptions(work):
    """job_gpus = 0 divided by zero; gpus_per_port = 0 still reported interrupted jobs (issue 9)."""
    m = one_run([Component("m", 4, 1, sharp(1000.0))], workload=work)
    assert m["unplanned_outages"] == 4 and m["job_interruptions"] == 0


def test_an_els_swap_next_to_one_failed_engine_replaces_nothing():
    """cpo-els semantics (issue 9): one failed engine (4 ports, below k = 5), then an ELS failure
    (8 ports, hot-swapped): the ELS is swapped and the switch stays degraded. Before, the ELS's
    ports counted towards k and the whole switch was replaced."""
    comps = [Component("engine", 1, 4, sharp(1000.0), repair=SWITCH),
             Component("els", 1, 8, sharp(1100.0))]
    m = one_run(comps, ports=8, policy=Policy(detection_hours=0.5, swap_hours=2.0,
                                             replace_switch_when_ports_down=5))
    assert m["switch_replacements"] == 0 and m["swaps"] == 1
    # ports 0-3 down from ~1000 h to the horizon (degraded, below k); ports 4-7 for the ELS swap
    # (detection 0.5 + 2 h); ports 0-3 are already down when the ELS fails
    assert m["port_down_hours"] == pytest.approx(4 * 500.0 + 4 * 2.5, abs=0.1)


def test_builtin_cpo_pilot_window_does_act():
    """The built-in cpo-pilot promises a 30-day maintenance window: with k = 8 (two 4-port engines)
    a single failed engine waits for it, so planned replacements occur (issue 9: with k = 4 the
    window never acted)."""
    from fleet_models.builtins.scenarios import builtin_scenarios
    from fleet_models.model.ledger import EventKind

    sc = builtin_scenarios()["cpo-pilot"]
    res = run(sc, replications=10, workers=1, dated_events=True)
    planned = sum(int((led.kind == EventKind.PLANNED_REPLACEMENT).sum())
                  for (_, arch), led in res.ledgers.items() if arch == "cpo-els")
    assert planned > 0


def test_a_unit_swap_renews_every_element_with_one_part():
    """repair_scope (issue 9): an ELS of 2 lasers, both needed, both failing at ~1000 h. As a
    unit: the first failure takes it down, one swap (one part, one visit) renews both lasers.
    Element by element: each laser gets its own swap."""
    els = Component("els", 1, 4, sharp(1000.0), elements=2, needed=2)
    pol = Policy(detection_hours=0.5, swap_hours=2.0)
    unit = one_run([els], policy=pol)
    assert unit["failures_els"] == 2 and unit["swaps"] == 1
    # ports down from the first failure to the end of the one swap: 4 x 2.5 h
    assert unit["port_down_hours"] == pytest.approx(4 * 2.5, abs=0.05)
    element = one_run([dataclasses.replace(els, repair_scope=RepairScope.ELEMENT)], policy=pol)
    assert element["failures_els"] == 2 and element["swaps"] == 2


def test_a_redundant_unit_is_swapped_only_when_it_goes_down():
    """elements 3, needed 2 (one spare laser), lives ~1000 h for all: the first failure leaves it
    working (latent), the second takes it down and one swap renews all three."""
    els = Component("els", 1, 4, sharp(1000.0), elements=3, needed=2)
    m = one_run([els], policy=Policy(detection_hours=0.5, swap_hours=2.0))
    assert m["swaps"] == 1 and m["failures_els"] == 3  # the third fails while the unit is down


def test_pluggables_move_to_the_new_chassis_with_their_age():
    """issue 9: a switch replacement moves pluggable modules with their age (the default). W
    fails at ~1000 h (replaced 1000.5 -> 1008.5); modules with lives of ~1200 h still fail at
    ~1200 h (renewed with the switch they would last to ~2208 h)."""
    w = Component("W", 1, None, sharp(1000.0), repair=SWITCH)
    pol = Policy(detection_hours=0.5, switch_replacement_hours=8.0, swap_hours=2.0)
    moved = one_run([w, Component("m", 4, 1, sharp(1200.0))], horizon=1500.0, policy=pol)
    assert moved["failures_m"] == 4 and moved["swaps"] == 4
    renewed = one_run([w, Component("m", 4, 1, sharp(1200.0), moves_on_replacement=False)],
                      horizon=1500.0, policy=pol)
    assert renewed["failures_m"] == 0 and renewed["swaps"] == 0


def test_a_failed_module_moves_failed_and_keeps_waiting_for_its_part():
    """modules failed at ~990 h wait for parts (stock 0, lead 1e4 h) when the switch is replaced
    at 1000.5 h: they move failed, so their ports stay down after the replacement (to the
    horizon), and no part arrives within it."""
    comps = [Component("W", 1, None, sharp(1000.0), repair=SWITCH), Component("m", 4, 1, sharp(990.0))]
    pol = Policy(detection_hours=0.5, switch_replacement_hours=8.0, spares={"m": SparePool(0, 1e4)})
    m = one_run(comps, horizon=1500.0, policy=pol)
    assert m["switch_replacements"] == 1 and m["swaps"] == 0 and m["failures_m"] == 4
    assert m["port_down_hours"] == pytest.approx(4 * (1500.0 - 990.0), abs=1.0)
