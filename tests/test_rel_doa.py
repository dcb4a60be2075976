"""Dead-on-arrival units as data (reliability.doa): kept in the fit as failures in their first
hours or as a share failing at installation, carried by the saved model, drawn by the fleet.

References: the atom's likelihood factorises (d^k (1 - d)^(n - k) x the others' likelihood), so
its share is k / n and the rest is the fit without those units, both computed here separately;
its interval is scipy's exact binomial (Clopper-Pearson) interval; the fleet's count of
failures at a position whose only failures are at installation is geometric, d / (1 - d).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from failure_data import samples_path
from failure_data.readers import read_life_table
from failure_data.table import LifeTable
from fleet_models.engines.des.sim import simulate
from fleet_models.engines.des.state import _Life
from fleet_models.engines.registry import select_engine
from fleet_models.errors import ScenarioError
from fleet_models.model.spec import Architecture, Component, Fleet, Scenario
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.write import life_to_dict
from reliability.errors import ParameterError
from reliability.fitting import fit
from reliability.models import LifeModel

SAMPLE = samples_path("pluggable_800g_dated.csv")


def _table(k_dead=6, seed=3):
    rng = np.random.default_rng(seed)
    t = stats.weibull_min(c=1.4, scale=2000.0).rvs(300, random_state=rng)
    failed = t < 1500.0
    dur = np.concatenate([np.minimum(t, 1500.0), np.zeros(k_dead)])
    return LifeTable.from_durations(dur, np.concatenate([failed, np.ones(k_dead, bool)]))


def test_a_dated_log_reads_its_dead_on_arrival_units_as_failures_in_their_first_day():
    table = read_life_table(SAMPLE, as_of="2025-12-31")
    assert table.n_dead_on_arrival == 12
    r = fit(table, "weibull")
    doa = r.to_dict()["dead_on_arrival"]
    assert (doa["how"], doa["dead"], doa["hours"]) == ("interval", 12, 24.0)
    # every unit is in the fit: 77 failures (12 in (0, 24] h), none dropped
    assert (r.n_units, r.n_failures) == (2000, 77)
    assert r.model.dead_on_arrival == 0.0  # the law itself accounts for them
    assert "fitted as failures in (0, 24] h" in r._left_out()


def test_an_atom_is_k_over_n_beside_the_fit_of_the_others():
    table = _table()
    r = fit(table, "weibull", doa="atom")
    others = fit(LifeTable(table.data), "weibull")  # the same units without the dead ones
    k, n = 6, 306
    assert r.model.dead_on_arrival == pytest.approx(k / n, rel=1e-15)
    assert r.model.dead_on_arrival_counts == (k, n)
    for name in ("shape", "scale"):
        assert r.parameters[name] == pytest.approx(others.parameters[name], rel=1e-12)
    # the full log-likelihood adds the binomial term, the AIC one parameter
    d = k / n
    assert r.log_likelihood == pytest.approx(others.log_likelihood + k * math.log(d) + (n - k) * math.log1p(-d),
                                             rel=1e-12)
    assert r.aic == pytest.approx(2 * 3 - 2 * r.log_likelihood, rel=1e-12)
    lo, hi = r.intervals["dead_on_arrival"]
    ci = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
    assert (lo, hi) == pytest.approx((ci.low, ci.high), rel=1e-9)
    # the law is zero-inflated: F(0) = d, quantiles below d are installation, B10 moves
    m = r.model
    assert float(m.cdf(0.0)) == pytest.approx(d) and float(m.ppf(d / 2)) == 0.0
    base = others.model
    q = (0.10 - d) / (1 - d)
    assert m.b_life(0.10) == pytest.approx(base.b_life(q), rel=1e-12)
    assert m.mean() == pytest.approx((1 - d) * base.mean(), rel=1e-12)
    assert float(m.sf(1000.0)) == pytest.approx((1 - d) * float(base.sf(1000.0)), rel=1e-12)


def test_a_durations_log_needs_hours_to_read_dead_units_as_interval_failures():
    table = _table()
    with pytest.raises(ParameterError) as e:
        fit(table, "weibull", doa="interval")
    msg = str(e.value)
    assert "file line(s) 302" in msg and "doa_hours=" in msg and "doa=" in msg
    r = fit(table, "weibull", doa="interval", doa_hours=5.0)
    assert r.to_dict()["dead_on_arrival"]["hours"] == 5.0 and r.n_failures == table.n_failures + 6
    with pytest.raises(ParameterError, match="doa="):
        fit(table, "weibull", doa="dropped")
    with pytest.raises(ParameterError, match="no unit dead on arrival"):
        fit(LifeTable(table.data), "weibull", doa_hours=5.0)


def test_the_share_round_trips_through_a_file_and_a_scenario(tmp_path):
    m = fit(_table(), "weibull", doa="atom").model
    m.save(tmp_path / "m.json")
    back = LifeModel.load(tmp_path / "m.json")
    assert back == m and back.dead_on_arrival_counts == (6, 306)
    assert life_to_dict(m)["dead_on_arrival"] == {"share": m.dead_on_arrival, "dead": 6, "installed": 306}
    plain = LifeModel.weibull(1.2, 1e5, dead_on_arrival=0.01)
    assert LifeModel.from_json(plain.to_json()) == plain and plain.to_dict()["dead_on_arrival"] == 0.01
    assert "dead_on_arrival" not in LifeModel.weibull(1.2, 1e5).to_dict()  # files unchanged without one
    for bad in (1.5, -0.1, "0.1", {"share": 0.1}):
        d = {**plain.to_dict(), "dead_on_arrival": bad}
        with pytest.raises(ParameterError, match="dead_on_arrival"):
            LifeModel.from_dict(d)


def test_a_parameter_draw_draws_the_share_from_its_jeffreys_posterior():
    m = LifeModel.weibull(1.2, 1e5, dead_on_arrival=0.006, dead_on_arrival_counts=(12, 2000))
    rng = np.random.default_rng(5)
    draws = np.array([m.draw_parameters(rng).dead_on_arrival for _ in range(4000)])
    a, b = 12.5, 1988.5  # Beta(k + 1/2, n - k + 1/2)
    mean, sd = a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert abs(draws.mean() - mean) < 4 * sd / math.sqrt(len(draws))
    assert draws.std() == pytest.approx(sd, rel=0.1)  # 4000 draws: the sd's own se is ~1.1 %


def _scenario(life: LifeModel, switches=20, ports=8, horizon=17532.0) -> Scenario:
    comp = Component("m", ports, 1, life)
    return Scenario("doa", horizon, Fleet(switches, ports), (Architecture("a", (comp,)),),
                    replications=1, seed=11)


def test_the_simpy_engine_fails_a_share_of_new_units_at_installation():
    # a life that never fails within the horizon except at installation: every position sees a
    # geometric number of failures, each replacement dead again with probability d: d / (1 - d)
    d = 0.2
    life = LifeModel.weibull(1.0, 1e15, dead_on_arrival=d)
    sc = _scenario(life)
    counts = np.array([simulate(sc, sc.architectures[0], r).metrics["failures_m"] for r in range(30)])
    positions = 20 * 8
    want = positions * d / (1 - d)
    se = math.sqrt(positions * d / (1 - d) ** 2 / len(counts))  # geometric variance d / (1 - d)^2
    assert abs(counts.mean() - want) < 4 * se
    # the engine's sampler: a new element dies at 0 with probability d
    idx, times = _Life(life).failing(100_000, 1000.0, np.random.default_rng(2))
    assert abs(len(idx) / 1e5 - d) < 4 * math.sqrt(d * (1 - d) / 1e5) and np.all(times == 0.0)


def test_the_fast_engine_runs_a_dead_on_arrival_life_and_leaves_a_mixture_to_simpy():
    # tests/test_fast_shares.py holds its draws to the closed form
    assert select_engine(_scenario(LifeModel.weibull(1.0, 1e6, dead_on_arrival=0.01)), "auto") == ("fast", None)
    mix = LifeModel("mixture", {"weight": 0.1, "shape1": 0.6, "scale1": 500.0, "shape2": 2.0, "scale2": 4e4},
                    dead_on_arrival=0.01)
    engine, why = select_engine(_scenario(mix), "auto")
    assert engine == "des" and "'mixture' has no compiled cdf/ppf" in why
    with pytest.raises(ScenarioError, match="mixture"):
        select_engine(_scenario(mix), "fast")


def test_an_inline_share_in_a_scenario_is_checked():
    base = {"name": "t", "horizon_years": 1, "fleet": {"switches": 1, "ports_per_switch": 4},
            "architectures": [{"name": "a", "components": [
                {"name": "m", "per_switch": 4, "ports_per_unit": 1,
                 "life": {"distribution": "weibull", "shape": 1.5, "scale": 1e6, "dead_on_arrival": 0.02}}]}]}
    s = parse_scenario(base)
    assert s.architectures[0].components[0].life.dead_on_arrival == 0.02
    base["architectures"][0]["components"][0]["life"]["dead_on_arrival"] = 2
    with pytest.raises(ScenarioError, match=r"life.dead_on_arrival = 2.*share in \[0, 1\)"):
        parse_scenario(base)


def test_uncertainty_draws_an_estimated_share_per_replication():
    import dataclasses
    import tomllib

    from fleet_models.engines.contract import compile_plan
    from fleet_models.scenario.write import scenario_to_toml

    life = LifeModel.weibull(1.0, 1e15, dead_on_arrival=0.006, dead_on_arrival_counts=(12, 2000))
    # validated as a file is: a share drawn from counts is uncertain enough for uncertainty = true
    sc = parse_scenario(tomllib.loads(scenario_to_toml(dataclasses.replace(_scenario(life), uncertainty=True))))
    plan = compile_plan(sc, sc.architectures[0])
    shares = [plan.lives_for(r)[0].dead_on_arrival for r in range(5)]
    assert len(set(shares)) == 5 and all(0 < d < 0.02 for d in shares)
    assert plan.lives_for(3)[0].dead_on_arrival == shares[3]  # keyed by replication: reproducible
