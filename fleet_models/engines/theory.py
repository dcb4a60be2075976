"""Closed forms the engine is held to (tests compare the engine to these within 3 SE).

- :func:`renewal_availability` — long-run availability of a unit renewed after
  each failure: MTTF / (MTTF + MTTR) (renewal-reward theorem; any life law).
- :func:`machine_repair` — the finite-source queue M/M/c//N (N units with
  exponential lives, c technicians, exponential repairs): the birth–death
  steady state p_j ∝ prod_{i<j} (N-i)λ / (min(i+1, c)μ).
- :func:`k_of_n` — a unit of n exponential elements that works while at least
  k are up, each failed element repaired at rate μ by one of c technicians (c
  None: each has its own): the continuous-time Markov chain on the number of
  failed elements, generator solved numerically (πQ = 0, Σπ = 1).
- :func:`palm_wait_probability` — Palm's theorem for a base-stock pool with
  stock s, Poisson demand λ and lead time L: outstanding orders ~ Poisson(λL),
  and by PASTA a demand waits with probability P(X >= s).
- :func:`renewal_function` — expected number of failures M(t) of a renewal
  process with life cdf F (zero repair time), from the renewal equation
  M(t) = F(t) + ∫_0^t M(t - x) dF(x), discretised on a grid (trapezoid in the
  Stieltjes sum; error O(h²)).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fleet_models.errors import FleetError
from reliability.models import LifeModel


def _positive(name: str, value: float) -> float:
    if not (isinstance(value, int | float | np.floating | np.integer) and math.isfinite(value)
            and value > 0):
        raise FleetError(f"{name} = {value!r} must be a finite number > 0")
    return float(value)


def renewal_availability(mttf: float, mttr: float) -> float:
    """Long-run fraction of time up of a unit renewed after each failure: MTTF/(MTTF+MTTR)."""
    mttf = _positive("mttf", mttf)
    if not (math.isfinite(mttr) and mttr >= 0):
        raise FleetError(f"mttr = {mttr!r} must be a finite number >= 0")
    return mttf / (mttf + mttr)


@dataclass(frozen=True)
class QueueState:
    """Steady state of a birth–death chain on the number of failed items."""

    probabilities: np.ndarray  # P(j failed), j = 0..n

    @property
    def mean_failed(self) -> float:
        return float(np.arange(self.probabilities.size) @ self.probabilities)


def machine_repair(units: int, failure_rate: float, repair_rate: float,
                   technicians: int) -> QueueState:
    """M/M/c//N machine-repair queue: ``units`` exponential units (rate ``failure_rate``),
    ``technicians`` servers (0 = one per unit), exponential repairs (rate ``repair_rate``).

    Birth–death balance: p_{j+1} (min(j+1, c) μ) = p_j (N - j) λ.
    """
    if units < 1:
        raise FleetError(f"units = {units!r} must be >= 1")
    lam, mu = _positive("failure_rate", failure_rate), _positive("repair_rate", repair_rate)
    if technicians < 0:
        raise FleetError(f"technicians = {technicians!r} must be >= 0 (0 = unlimited)")
    c = units if technicians == 0 else technicians
    logp = np.zeros(units + 1)
    for j in range(units):
        logp[j + 1] = logp[j] + math.log((units - j) * lam) - math.log(min(j + 1, c) * mu)
    p = np.exp(logp - logp.max())
    return QueueState(p / p.sum())


@dataclass(frozen=True)
class KOfN:
    """Steady state of a k-of-n unit (see :func:`k_of_n`)."""

    probabilities: np.ndarray  # P(j elements failed), j = 0..n
    needed: int

    @property
    def availability(self) -> float:
        n = self.probabilities.size - 1
        return float(self.probabilities[: n - self.needed + 1].sum())


def generator_k_of_n(elements: int, failure_rate: float, repair_rate: float,
                     technicians: int | None = None) -> np.ndarray:
    """Generator matrix Q of the chain on j = failed elements: j -> j+1 at (n-j)λ (working
    elements keep failing whether or not the unit is up), j -> j-1 at min(j, c)μ."""
    n = elements
    c = n if technicians is None or technicians == 0 else technicians
    q = np.zeros((n + 1, n + 1))
    for j in range(n + 1):
        if j < n:
            q[j, j + 1] = (n - j) * failure_rate
        if j > 0:
            q[j, j - 1] = min(j, c) * repair_rate
        q[j, j] = -q[j].sum()
    return q


def stationary(q: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible generator: solve πQ = 0 with Σπ = 1."""
    n = q.shape[0]
    a = np.vstack([q.T, np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    pi, *_ = np.linalg.lstsq(a, b, rcond=None)
    return pi


def k_of_n(elements: int, needed: int, failure_rate: float, repair_rate: float,
           technicians: int | None = None) -> KOfN:
    """A unit of ``elements`` exponential elements working while >= ``needed`` are up; each failed
    element is repaired (exponential, rate ``repair_rate``) by one of ``technicians`` (None or 0:
    one each). Solved from the CTMC generator numerically."""
    if not 1 <= needed <= elements:
        raise FleetError(f"needed = {needed!r} must be between 1 and elements = {elements!r}")
    q = generator_k_of_n(elements, _positive("failure_rate", failure_rate),
                         _positive("repair_rate", repair_rate), technicians)
    return KOfN(stationary(q), needed)


def palm_wait_probability(demand_rate: float, lead_time: float, stock: int) -> float:
    """Fraction of demands on a base-stock pool (stock ``stock``, lead time ``lead_time``,
    Poisson demand ``demand_rate``) that find no part on hand: P(Poisson(λL) >= s) (Palm; PASTA)."""
    lam, lead = _positive("demand_rate", demand_rate), _positive("lead_time", lead_time)
    if stock < 0:
        raise FleetError(f"stock = {stock!r} must be >= 0")
    from scipy import stats  # here, not at import: the simulate path imports this module

    return float(stats.poisson.sf(stock - 1, lam * lead)) if stock > 0 else 1.0


def renewal_function(life: LifeModel | Callable[[np.ndarray], np.ndarray], horizon: float,
                     steps: int = 2000) -> float:
    """M(horizon): expected failures of a renewal process with zero repair time.

    Discretises M(t) = F(t) + ∫_0^t M(t-x) dF(x) on t_i = i·h:
    M_n = F_n + Σ_{i=1..n} ½(M_{n-i} + M_{n-i+1}) (F_i - F_{i-1}), solved for M_n
    (the i = 1 term holds M_n itself).
    """
    horizon = _positive("horizon", horizon)
    if steps < 2:
        raise FleetError(f"steps = {steps!r} must be >= 2")
    cdf = life.cdf if isinstance(life, LifeModel) else life
    grid = np.linspace(0.0, horizon, steps + 1)
    f = np.asarray(cdf(grid), dtype=float)
    df = np.diff(f)  # df[i-1] = F_i - F_{i-1}
    m = np.zeros(steps + 1)
    for n in range(1, steps + 1):
        # Σ_{i=2..n} A_{n-i} ΔF_i with A_j = ½(M_j + M_{j+1}), j = n-2 .. 0
        a = 0.5 * (m[: n - 1] + m[1:n])
        s = float(a[::-1] @ df[1:n]) if n > 1 else 0.0
        m[n] = (f[n] + 0.5 * m[n - 1] * df[0] + s) / (1.0 - 0.5 * df[0])
    return float(m[-1])
