"""The fast (numba) engine against the SimPy engine, the reference semantics.

The engines draw different random numbers, so they are held to the same *distribution* of every
per-replication metric: on each built-in scenario (fewer switches and replications, so the SimPy
side stays quick) and on small random scenarios that exercise every feature the fast engine
claims (families, k-of-n with unit/element scope, pools, technicians, exponential hands-on,
windows, k > 1, moves_on_replacement, the [fabric]'s jobs with single and dual homing,
no-trouble-found swaps, spare units), every metric and the ledgers' GPU-hours lost and NTF swaps:
the means differ by less than 3 standard errors of the
difference of two independent means and a two-sample Kolmogorov-Smirnov test is not rejected at
1 % (fixed seeds, so each verdict is reproducible).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import stats

from fleet_models.builtins.scenarios import builtin_scenarios
from fleet_models.engines.contract import compile_plan
from fleet_models.engines.fast.engine import FastEngine, unsupported
from fleet_models.engines.fast.laws import _life_arrays, _life_at
from fleet_models.engines.fast.queues import _CROWDED, _time_order
from fleet_models.engines.registry import select_engine
from fleet_models.errors import ScenarioError
from fleet_models.model.spec import (
    Architecture,
    Component,
    Fabric,
    Fleet,
    HandsOn,
    Homing,
    Policy,
    Repair,
    RepairScope,
    Scenario,
    SparePool,
    Workload,
)
from fleet_models.runs.runner import run
from reliability.models import LifeModel


def _with_ledgers(res) -> dict[str, np.ndarray]:
    """Per-replication columns of a result plus what its ledgers hold: GPU-hours lost under the
    [fabric] and swaps that found no trouble."""
    frame = res.replications
    cols = {c: frame[c].to_numpy(float) for c in frame.columns[2:]}
    keys = list(zip(frame["replication"], frame["architecture"], strict=True))
    cols["gpu_hours_lost"] = np.array([res.ledgers[k].lost_by_month.sum() for k in keys])
    cols["ntf_swaps"] = np.array([float((res.ledgers[k].kind == 4).sum()) for k in keys])
    cols["architecture"] = frame["architecture"].to_numpy()
    return cols


def _agree(sc: Scenario) -> None:
    des = _with_ledgers(run(sc, workers=1, engine="des", dated_events=True))
    fast = _with_ledgers(run(sc, workers=1, engine="fast", dated_events=True))
    bad = []
    for arch in (a.name for a in sc.architectures):
        d, f = des["architecture"] == arch, fast["architecture"] == arch
        for col in des:
            if col == "architecture":
                continue
            x, y = des[col][d], fast[col][f]
            x, y = x[~np.isnan(x)], y[~np.isnan(y)]
            if not x.size:
                continue
            # SE of the difference of two independent means
            se = np.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
            diff = abs(x.mean() - y.mean())
            if diff > 3 * se and not (se == 0 and diff < 1e-9 * max(1.0, abs(x.mean()))):
                bad.append(f"{arch} {col}: des {x.mean():.6g} fast {y.mean():.6g} (3 SE {3 * se:.3g})")
            if se > 0 and stats.ks_2samp(x, y).pvalue < 0.01:
                bad.append(f"{arch} {col}: KS p = {stats.ks_2samp(x, y).pvalue:.4f}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", sorted(builtin_scenarios()))
def test_builtin_scenarios_agree(name):
    # as shipped: the [fabric]'s jobs, no-trouble-found swaps, spare units (fail in place)
    sc = builtin_scenarios()[name]
    # 8 switches (4 for the pilot), 80 replications: the SimPy side in about a second
    switches = 4 if name == "cpo-pilot" else 8
    sc = dataclasses.replace(sc, fleet=dataclasses.replace(sc.fleet, switches=switches),
                             replications=80, seed=101)
    _agree(sc)


def _random_scenario(i: int) -> Scenario:
    """Small scenarios with many events each, drawn from a fixed seed per index."""
    rng = np.random.default_rng(1000 + i)
    ports = 8
    lives = [LifeModel.weibull(float(rng.uniform(0.8, 2.5)), float(rng.uniform(800, 3000))),
             LifeModel.lognormal(float(np.log(rng.uniform(800, 3000))), float(rng.uniform(0.4, 1.2))),
             LifeModel("loglogistic", {"shape": float(rng.uniform(1.5, 3.0)),
                                           "scale": float(rng.uniform(800, 3000))}),
             LifeModel.exponential(float(rng.uniform(800, 3000)))]
    comps = [
        Component("board", 1, None, lives[3] if i % 2 else LifeModel.exponential(20000.0),
                  repair=Repair.REPLACE_SWITCH),
        Component("engine", 2, 2, lives[i % 3], repair=Repair.REPLACE_SWITCH),
        Component("els", 2, 2, lives[(i + 1) % 4], elements=3, needed=2 if i % 2 else 3,
                  repair_scope=RepairScope.ELEMENT if i == 2 else RepairScope.UNIT,
                  moves_on_replacement=i != 1),
        Component("module", 4, 1, lives[(i + 2) % 4]),
    ]
    spares = {"module": SparePool(stock=1, lead_time_hours=float(rng.uniform(20, 200)))}
    if i % 2 == 0:
        spares["switch"] = SparePool(stock=1, lead_time_hours=float(rng.uniform(50, 300)))
    policy = Policy(
        detection_hours=float(rng.uniform(0, 10)), technicians=int(i % 3),
        swap_hours=float(rng.uniform(1, 20)), switch_replacement_hours=float(rng.uniform(5, 40)),
        replace_switch_when_ports_down=1 if i == 0 else 2 + i % 3,
        maintenance_window_days=None if i == 1 else float(rng.uniform(5, 40)),
        hands_on=HandsOn.EXPONENTIAL if i % 2 else HandsOn.FIXED, spares=spares)
    # the [fabric]: jobs of 4 to 12 GPUs over consecutive ports (one ends mid-switch), single or
    # dual homing, exclusion within a repair or after it; NTF swaps; a spare engine (fail in place)
    comps[3] = dataclasses.replace(comps[3], ntf_fraction=(0.0, 0.5, 0.3, 0.8)[i % 4])
    comps[1] = dataclasses.replace(comps[1], spare_units=i % 3)
    workload = Workload(gpus_per_port=float(rng.choice([1.0, 2.0])), job_gpus=int(rng.integers(4, 13)),
                        restart_hours=float(rng.uniform(0.1, 5.0)))
    fabric = Fabric(homing=Homing.DUAL if i % 2 else Homing.SINGLE,
                    exclude_hours=float(rng.uniform(0.1, 30.0)), degraded_slowdown=float(rng.uniform(0.1, 0.5)))
    return Scenario(f"random-{i}", 8000.0, Fleet(3, ports), (Architecture("a", tuple(comps)),),
                    workload=workload, fabric=fabric, policy=policy, replications=120, seed=7 + i,
                    )


@pytest.mark.parametrize("i", range(6))
def test_random_scenarios_agree(i):
    sc = _random_scenario(i)
    assert unsupported(compile_plan(sc, sc.architectures[0])) is None
    _agree(sc)


def test_many_events_in_flight_agree():
    # 150 one-port units (exponential, mean 100 h) found after a fixed 100 h, swapped in 1 h
    # from one pool with a 120 h lead time: about 150 x 100/201 ~ 75 detections and 90 part
    # orders in flight at once, more than a lane (a FIFO of fixed-delay events) first holds
    # (64 beyond its room for one event), so the lanes grow while events wait in them
    sc = Scenario("in-flight", 2000.0, Fleet(1, 150),
                  (Architecture("a", (Component("m", 150, 1, LifeModel.exponential(100.0)),)),),
                  policy=Policy(detection_hours=100.0, swap_hours=1.0,
                                spares={"m": SparePool(300, 120.0)}),
                  workload=Workload(gpus_per_port=0.0), replications=40, seed=3)
    _agree(sc)


@pytest.mark.parametrize("techs", [0, 1])
def test_in_place_share_agrees(techs):
    # engines clearing 60 % of their events in place (issue 26) beside a spare engine (fail in
    # place), a switch pool of one and, with techs = 1, visits and replacements queueing for the
    # one technician; an ELS of its own swap hours
    engine = Component("engine", 3, 2, LifeModel.exponential(900.0), repair=Repair.REPLACE_SWITCH,
                       spare_units=1, in_place_fraction=0.6, in_place_hours=2.0)
    els = Component("els", 2, 3, LifeModel.weibull(1.5, 2500.0), swap_hours=0.5)
    sc = Scenario("in-place", 6000.0, Fleet(3, 6), (Architecture("a", (engine, els)),),
                  policy=Policy(detection_hours=1.0, technicians=techs, swap_hours=4.0,
                                switch_replacement_hours=12.0,
                                spares={"switch": SparePool(stock=1, lead_time_hours=100.0)}),
                  workload=Workload(gpus_per_port=1.0, job_gpus=4), replications=150, seed=23)
    _agree(sc)


def test_auto_falls_back_with_its_reason():
    # a life family with no compiled cdf/ppf (the generalised gamma) is SimPy's alone
    sc = _random_scenario(0)
    arch = sc.architectures[0]
    gg = LifeModel("gengamma", {"mu": 8.0, "ln_sigma": -0.5, "lambda_": 0.5})
    comps = (dataclasses.replace(arch.components[1], life=gg), *arch.components[2:])
    sc = dataclasses.replace(sc, architectures=(dataclasses.replace(arch, components=comps),),
                             replications=2)
    chosen, why = select_engine(sc, "auto")
    assert chosen == "des" and "'gengamma' has no compiled cdf/ppf" in why and "engine" in why
    res = run(sc, workers=1)  # auto
    assert res.engine == "des" and res.engine_note == why
    with pytest.raises(ScenarioError, match="gengamma"):
        run(sc, workers=1, engine="fast")


def test_auto_picks_the_fast_engine_for_every_builtin():
    for name, sc in builtin_scenarios().items():
        assert select_engine(sc, "auto") == ("fast", None), name


def test_a_field_the_fast_engine_does_not_know_is_refused(monkeypatch):
    # a field another feature adds (here: pretend `elements` were unknown) set away from its
    # default makes the plan unsupported, naming the field and its value
    from fleet_models.engines.fast import engine as fast_engine

    known = dict(fast_engine.MODELS)
    known[Component] = known[Component] - {"elements"}
    monkeypatch.setattr(fast_engine, "MODELS", known)
    sc = _random_scenario(0)
    why = unsupported(compile_plan(sc, sc.architectures[0]))
    assert why is not None and "architectures.a.components.els.elements = 3" in why


def test_the_fast_engine_models_every_engine_input_and_lists_nothing_else():
    # MODELS is the fast engine's own statement of what it models; the roles (the fields'
    # declarations) say which fields are engine inputs at all: the two must agree today, every
    # engine input modelled (a field added later is refused until it is modelled and listed)
    from fleet_models.engines.fast import engine as fast_engine
    from fleet_models.model.fields import SIMULATED, declared

    for cls, names in fast_engine.MODELS.items():
        inputs = {n for n, d in declared(cls).items() if d.setting.role in SIMULATED
                  and not d.setting.table}
        assert names == inputs, cls.__name__


def test_fast_results_do_not_depend_on_workers():
    sc = dataclasses.replace(_random_scenario(3), replications=6)
    one = run(sc, workers=1, engine="fast", dated_events=True)
    two = run(sc, workers=2, engine="fast", dated_events=True)
    assert one.replications.equals(two.replications)  # bit-identical
    for key, ledger in one.ledgers.items():
        other = two.ledgers[key]
        assert np.array_equal(ledger.time, other.time) and np.array_equal(ledger.kind, other.kind)


def test_common_random_numbers_for_a_shared_component():
    # a module shared by two architectures (unlimited technicians and spares, so its repairs do
    # not interact with the rest): the same failures and swap times in the same replication
    module = Component("module", 4, 1, LifeModel.weibull(1.5, 2000.0))
    engine = Component("engine", 2, 2, LifeModel.exponential(3000.0), repair=Repair.REPLACE_SWITCH)
    a, b = Architecture("a", (engine, module)), Architecture("b", (module,))
    sc = Scenario("crn", 8000.0, Fleet(3, 8), (a, b), policy=Policy(detection_hours=1.0,
                  swap_hours=2.0, switch_replacement_hours=8.0), workload=Workload(gpus_per_port=0.0),
                  seed=5)
    for rep in range(3):
        ra, rb = (FastEngine().simulate(compile_plan(sc, x), rep) for x in (a, b))
        assert ra.metrics["failures_module"] == rb.metrics["failures_module"] > 0
        ta = ra.ledger.time[(ra.ledger.kind == 0) & (ra.ledger.component == 1)]
        tb = rb.ledger.time[(rb.ledger.kind == 0) & (rb.ledger.component == 0)]
        assert np.array_equal(ta, tb)


def _cumulative_hazard(life: LifeModel, t: float) -> float:
    """-log S(t) from each family's closed form (scipy's fisk.logsf loses digits deep in the
    tail: 1.7e-9 relative at H = 20)."""
    p = life.parameters
    if life.family.name == "lognormal":
        return float(-stats.norm.logsf((np.log(t) - p["mu"]) / p["sigma"]))
    if life.family.name == "loglogistic":
        return float(np.log1p((t / p["scale"]) ** p["shape"]))
    return float((t / p["scale"]) ** p.get("shape", 1.0))


@pytest.mark.parametrize("life", [
    LifeModel.weibull(1.7, 3000.0), LifeModel.exponential(5000.0), LifeModel.lognormal(11.0, 0.9),
    LifeModel("loglogistic", {"shape": 2.5, "scale": 4e4})], ids=lambda life: life.family.name)
def test_life_at_inverts_the_cumulative_hazard(life):
    # a cohort's failures are drawn as the ages at which the cumulative hazard -log S reaches
    # given levels h (from tiny, where q = 1 - S ~ h, to deep in the tail): against each family's
    # H(t) in closed form, relative 1e-9 (Acklam's inverse normal with a Halley step is good to
    # ~1e-15; the rest is libm)
    fam, pa, pb = _life_arrays([life])
    for h in (1e-12, 1e-6, 1e-3, 0.1, 0.69, 0.7, 2.0, 20.0):
        t = _life_at(fam[0], pa[0], pb[0], h)
        assert _cumulative_hazard(life, t) == pytest.approx(h, rel=1e-9), (h, t)


def _times(kind: str, n: int, H: float) -> np.ndarray:
    rng = np.random.default_rng(n)
    if kind == "uniform":  # initial failures of a low-hazard kind
        return rng.uniform(0.0, H, n)
    if kind == "ties":  # repeated times (a tie keeps its index order)
        return rng.integers(0, 50, n).astype(float) * (H / 50)
    if kind == "edges":  # 0 and H themselves
        return np.concatenate([[H, 0.0, H, 0.0], rng.uniform(0.0, H, n - 4)])
    return H - rng.exponential(H * 1e-4, n).clip(0, H)  # "crowded": all near H (wear-out)


@pytest.mark.parametrize("kind", ["uniform", "ties", "edges", "crowded"])
@pytest.mark.parametrize("n", [0, 1, 5, 900, 20_000])
def test_time_order_is_a_stable_sort(kind, n):
    # the initial failures' order (a bucket sort, or a merge sort where buckets crowd) is the
    # stable sort's: numpy's argsort(kind="stable") is the reference
    if kind in ("ties", "edges") and n < 5:
        n = 5
    H = 43_830.0
    t = np.concatenate([_times(kind, n, H), [-1.0] * 3])  # the array is longer than its n
    got = _time_order(t, n, H)
    assert np.array_equal(got, np.argsort(t[:n], kind="stable"))
    if kind == "crowded" and n >= 900:
        # the fallback is exercised: some bucket holds more than _CROWDED
        counts = np.bincount(np.minimum((t[:n] * n / H).astype(int), n - 1))
        assert counts.max() > _CROWDED


def test_the_compiled_engine_is_cached_per_version_of_its_sources(tmp_path):
    # numba checks a cached function against its own file only, and a compiled caller holds the
    # helpers it calls from other files: the cache directory is named by the digest of every
    # source of the fast engine, so an edit to any part compiles afresh
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    import fleet_models.engines.fast.jit as jit

    h = hashlib.sha256()
    for f in sorted(Path(jit.__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    assert jit.sources_digest() == h.hexdigest()[:12]
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"} | {"HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", "import os, fleet_models.engines.fast.jit; "
                          "print(os.environ['NUMBA_CACHE_DIR'])"], env=env, capture_output=True,
                         text=True, check=True, cwd=Path(jit.__file__).parents[3])
    assert out.stdout.strip() == str(tmp_path / ".cache" / "cpo-analyzer" / "numba" / h.hexdigest()[:12])
