"""The engine held to theory: each test compares a Monte Carlo mean to a closed form within
three standard errors, the SE computed from the replications of the test (fixed seeds).

Sizes are chosen so each test runs in about a second and the finite-horizon bias (the
simulations start from new units, the closed forms are steady states) is well under one SE;
each test says how large that bias is.
"""

from __future__ import annotations

import numpy as np
import pytest

from fleet_models.engines import theory
from fleet_models.model.spec import (
    Architecture,
    Component,
    Fleet,
    HandsOn,
    Policy,
    Repair,
    RepairScope,
    Scenario,
    SparePool,
    Workload,
)
from fleet_models.runs.runner import run
from reliability.models import LifeModel


@pytest.fixture(params=["des", "fast"])
def engine(request) -> str:
    """Every theory test holds both engines (the contract's two implementations) to the closed form."""
    return request.param


NO_JOBS = Workload(gpus_per_port=0.0)


def _scenario(component: Component, ports: int, horizon: float, policy: Policy, reps: int,
              seed: int) -> Scenario:
    # no training job behind the ports: the theory is about units and repairs, and the fast engine
    # leaves the [fabric]'s job accounting to SimPy
    return Scenario("theory", horizon, Fleet(1, ports), (Architecture("a", (component,)),),
                    policy=policy, workload=NO_JOBS, replications=reps, seed=seed)


def _mean_se(x) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(x.size))


def test_weibull_unit_long_run_availability(engine):
    # 5 one-port units, Weibull(1.5, 1000 h) lives, MTTR = detection 10 h + swap 90 h, horizon
    # 1e6 h (~1000 cycles per unit). Reference: MTTF/(MTTF+MTTR) (renewal-reward).
    # Start-from-new bias: E[failures] differs from H/E[cycle] by ~(var/mean^2 - 1)/2 ~ -0.3,
    # i.e. ~30 down-hours per unit out of 1e6: 3e-5, a tenth of the SE below (~3e-4).
    life = LifeModel.weibull(1.5, 1000.0)
    sc = _scenario(Component("m", 5, 1, life), 5, 1e6,
                   Policy(detection_hours=10.0, swap_hours=90.0), reps=10, seed=11)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["port_availability"])
    expected = theory.renewal_availability(life.mean(), 100.0)
    assert abs(mean - expected) < 3 * se, (mean, expected, se)
    assert se < 1e-3  # the test can tell 0.900 from 0.899


def test_switch_replacement_long_run_availability(engine):
    # the same renewal through the replace-switch path: 5 switches of 2 ports whose one
    # switch-wide Weibull(1.5, 1000 h) board is renewed by a 90 h switch replacement after
    # 10 h detection, horizon 5e5 h. Reference: MTTF/(MTTF+MTTR) again (start-from-new bias
    # as above, ~6e-5 here, against an SE of ~5e-4).
    life = LifeModel.weibull(1.5, 1000.0)
    comp = Component("board", 1, None, life, repair=Repair.REPLACE_SWITCH)
    sc = Scenario("theory", 5e5, Fleet(5, 2), (Architecture("a", (comp,)),),
                  policy=Policy(detection_hours=10.0, switch_replacement_hours=90.0),
                  workload=NO_JOBS, replications=10, seed=17)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["port_availability"])
    expected = theory.renewal_availability(life.mean(), 100.0)
    assert abs(mean - expected) < 3 * se, (mean, expected, se)
    assert (res["switch_replacements"] <= res["failures_board"]).all()


def test_machine_repair_queue(engine):
    # N = 20 one-port units, exponential lives (mean 100 h), c = 2 technicians, exponential
    # hands-on (mean 5 h), no detection delay: the M/M/c//N queue. Reference: birth-death
    # steady state, port availability = 1 - E[down]/N. Relaxation time ~ 1/mu = 5 h against a
    # horizon of 2e4 h: bias < 1e-4, the SE is ~5e-4.
    sc = _scenario(Component("m", 20, 1, LifeModel.exponential(100.0)), 20, 2e4,
                   Policy(detection_hours=0.0, swap_hours=5.0, technicians=2,
                          hands_on=HandsOn.EXPONENTIAL), reps=10, seed=12)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["port_availability"])
    q = theory.machine_repair(20, 1 / 100.0, 1 / 5.0, 2)
    expected = 1 - q.mean_failed / 20
    assert abs(mean - expected) < 3 * se, (mean, expected, se)
    # the queue matters: with unlimited technicians availability would be mu/(lam+mu)
    assert expected < 1 / 5.0 / (1 / 100.0 + 1 / 5.0) - 3 * se


def test_k_of_n_redundancy_unlimited_technicians(engine):
    # 20 units of 3 exponential elements (mean 100 h), 2 needed; each failed element swapped
    # after an exponential 20 h (detection 0, unlimited technicians). Reference: CTMC on failed
    # elements, generator solved numerically. Relaxation ~ 1/(lam+mu) = 17 h vs 5000 h.
    sc = _scenario(Component("m", 20, 1, LifeModel.exponential(100.0), elements=3, needed=2,
                             repair_scope=RepairScope.ELEMENT),  # the CTMC repairs elements
                   20, 5e3, Policy(detection_hours=0.0, swap_hours=20.0,
                                   hands_on=HandsOn.EXPONENTIAL), reps=10, seed=13)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["port_availability"])
    expected = theory.k_of_n(3, 2, 1 / 100.0, 1 / 20.0).availability
    assert abs(mean - expected) < 3 * se, (mean, expected, se)


def test_k_of_n_redundancy_one_technician(engine):
    # one unit of 4 elements, 2 needed, one technician repairing FCFS (exponential 40 h):
    # repairs queue, so the chain's repair rate is min(j, 1) mu. Horizon 1e5 h, relaxation
    # ~ 100 h: bias ~ 1e-3 against an SE of ~3e-3.
    sc = _scenario(Component("m", 1, 1, LifeModel.exponential(100.0), elements=4, needed=2,
                             repair_scope=RepairScope.ELEMENT),
                   1, 1e5, Policy(detection_hours=0.0, swap_hours=40.0, technicians=1,
                                  hands_on=HandsOn.EXPONENTIAL), reps=10, seed=14)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["port_availability"])
    expected = theory.k_of_n(4, 2, 1 / 100.0, 1 / 40.0, technicians=1).availability
    assert abs(mean - expected) < 3 * se, (mean, expected, se)
    unlimited = theory.k_of_n(4, 2, 1 / 100.0, 1 / 40.0).availability
    assert abs(mean - unlimited) > 3 * se  # the technician queue is visible


def test_spare_pool_palm(engine):
    # 2000 units with exponential lives (mean 2e5 h): demand ~ Poisson(0.01/h) (units waiting
    # for parts are ~1 of 2000, so the rate drops by < 0.1 %). Pool: stock 3, lead 300 h.
    # Reference: Palm, outstanding orders ~ Poisson(lam L = 3); a demand waits with
    # P(X >= 3) = 0.577 (PASTA). The first 300 h start with a full pool: 0.3 % of the demands,
    # bias < 0.002 against an SE of ~0.005.
    n, mttf, lead, stock = 2000, 2e5, 300.0, 3
    sc = _scenario(Component("m", n, 1, LifeModel.exponential(mttf)), n, 1e5,
                   Policy(detection_hours=0.0, swap_hours=0.25,
                          spares={"m": SparePool(stock, lead)}), reps=20, seed=15)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["spare_waits"] / res["failures_m"])
    expected = theory.palm_wait_probability(n / mttf, lead, stock)
    assert abs(mean - expected) < 3 * se, (mean, expected, se)


def test_weibull_renewal_function(engine):
    # 500 one-port units, Weibull(2, 1000 h), zero detection and swap time: a renewal process
    # per unit. Reference: the renewal function M(3000 h) from the discretised renewal equation.
    life = LifeModel.weibull(2.0, 1000.0)
    sc = _scenario(Component("m", 500, 1, life), 500, 3000.0,
                   Policy(detection_hours=0.0, swap_hours=0.0), reps=20, seed=16)
    res = run(sc, workers=1, engine=engine).replications
    mean, se = _mean_se(res["failures_m"] / 500)
    expected = theory.renewal_function(life, 3000.0)
    assert abs(mean - expected) < 3 * se, (mean, expected, se)
    # a wear-out process is not Poisson: M(t) differs from t/MTTF by more than the noise
    assert abs(expected - 3000.0 / life.mean()) > 3 * se


@pytest.mark.parametrize("elements", [1, 2])
def test_replace_switch_cohort_order_statistic(engine, elements):
    # One switch of n = 12 one-port units that go with the chassis (replace-switch), each of
    # `elements` Weibull(2, 1000 h) elements of which one is needed (a unit is down once all its
    # elements are), no detection delay, the switch replaced once m = 10 ports are down
    # (replacement 10 h). So a replacement starts when the m-th unit goes down, T(m:n) after
    # the chassis' lives began: at t = 0 for the first, when the first replacement ended for the
    # second. Reference: P(T(m:n) <= t) = P(Binomial(n, G(t)) >= m), G = F^elements the law
    # of a unit's down time (order statistics of iid units); E[T] = integral of its survival.
    # The fast engine draws such a cohort's failures one at a time (Renyi spacings of the
    # cumulative hazard, each a uniform choice among the surviving elements): a wrong spacing
    # moves T, and a unit or element drawn twice leaves fewer ports down and delays T.
    from scipy import integrate, stats

    from fleet_models.engines.contract import compile_plan
    from fleet_models.engines.registry import get_engine
    from fleet_models.model.ledger import EventKind

    n, m, reps, hours = 12, 10, 1000, 10.0
    life = LifeModel.weibull(2.0, 1000.0)
    comp = Component("opt", n, 1, life, repair=Repair.REPLACE_SWITCH, elements=elements, needed=1)
    sc = Scenario("cohort", 8000.0, Fleet(1, n), (Architecture("a", (comp,)),),
                  policy=Policy(detection_hours=0.0, replace_switch_when_ports_down=m,
                                switch_replacement_hours=hours),
                  workload=NO_JOBS, replications=reps, seed=18)
    plan, eng = compile_plan(sc, sc.architectures[0]), get_engine(engine)
    first, second = [], []
    for rep in range(reps):
        ledger = eng.simulate(plan, rep).ledger
        t = ledger.time[ledger.kind == EventKind.UNPLANNED_REPLACEMENT]
        assert t.size >= 2, t  # P(no second replacement by 8000 h) < 1e-12
        first.append(t[0])
        second.append(t[1] - (t[0] + hours))

    def cdf(t):
        g = np.asarray(life.cdf(np.asarray(t, dtype=float))) ** elements
        return stats.binom.sf(m - 1, n, g)

    expected = integrate.quad(lambda t: 1.0 - cdf(t), 0.0, np.inf)[0]
    for sample in (first, second):
        assert stats.kstest(sample, cdf).pvalue > 0.01
        mean, se = _mean_se(sample)
        assert abs(mean - expected) < 3 * se, (mean, expected, se)
