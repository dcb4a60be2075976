"""Reliability growth and repairable systems: the Crow-AMSAA power-law process and Nelson's
mean cumulative function, from an event log (:class:`failure_data.events.EventLog`).

**Crow-AMSAA** (Crow 1974; MIL-HDBK-189): the events of each system form a non-homogeneous
Poisson process of intensity lambda beta t^(beta - 1), E N(t) = lambda t^beta; beta < 1 is
growth (fixes accumulating), 1 none, > 1 wear-out. For k systems each observed over (0, T_q]
the maximum-likelihood estimates are beta = N / sum_q sum_i ln(T_q / t_qi) and
lambda = N / sum_q T_q^beta. Given N, each ln(T_q / t_qi) is exponential with rate beta, so
2 N beta / beta_hat ~ chi-square(2N): the exact interval on beta (and on the growth rate
1 - beta). A single system whose observation ends at its last failure (failure terminated)
has N - 1 such terms: chi-square(2(N - 1)). The same statistic tests beta = 1 (no growth):
2 sum ln(T/t) ~ chi-square(2N) under a constant rate (MIL-HDBK-189's trend test).
The instantaneous MTBF at the end, 1 / (lambda beta T^(beta - 1)), is reported with its
interval from beta's (lambda's uncertainty given N profiled: lambda = N / sum T^beta).

**Mean cumulative function** (Nelson 1988, 2003): M(t) = sum over event ages t_j <= t of
d_j / r_j, d_j the events at t_j and r_j the systems still observed there; its variance is
Lawless & Nadeau's (1995) robust estimate, which needs no Poisson assumption:
Var M(t) = sum_i [ sum_{t_j <= t} (delta_i(t_j) / r_j) (d_ij - d_j / r_j) ]^2, and the band
M +- z sd (its lower end at least 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from failure_data.errors import option
from reliability._checks import check_confidence
from reliability.errors import FitError

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.events import EventLog


@dataclass(frozen=True)
class CrowAMSAA:
    """A fitted power-law process: ``beta``, ``lam``, ``n`` events on ``systems`` systems,
    ``failure_terminated``, the exact ``beta_interval`` at ``confidence``, the trend test."""

    beta: float
    lam: float
    n: int
    systems: int
    end_hours: float
    failure_terminated: bool
    confidence: float
    beta_interval: tuple[float, float]
    trend_p_value: float
    end_ages: tuple[float, ...] = ()
    """Each system's end of observation (lambda at another beta is N / sum T^beta)."""

    @property
    def growth_rate(self) -> float:
        return 1.0 - self.beta

    @property
    def beta_unbiased(self) -> float:
        """(N - 2) / N beta for a failure-terminated test, (N - 1) / N beta otherwise (Crow 1974)."""
        return (self.n - 2 if self.failure_terminated else self.n - 1) / self.n * self.beta

    def intensity(self, t: float, beta: float | None = None) -> float:
        b = self.beta if beta is None else beta
        lam = self.lam if beta is None else self._lam_at(b)
        return lam * b * t ** (b - 1)

    def _lam_at(self, beta: float) -> float:
        return self.n / float(np.sum(np.asarray(self.end_ages) ** beta))

    def mtbf_at_end(self) -> tuple[float, float, float]:
        """Instantaneous MTBF at the end of observation (the longest system's), with the range it
        takes over beta's interval (lambda refitted at each beta)."""
        t = self.end_hours
        vals = [1.0 / self.intensity(t, b) for b in self.beta_interval]
        return 1.0 / self.intensity(t), min(vals), max(vals)

    def to_dict(self) -> dict[str, Any]:
        m, lo, hi = self.mtbf_at_end()
        return {"model": "crow-amsaa", "beta": self.beta, "lambda": self.lam, "beta_unbiased": self.beta_unbiased,
                "growth_rate": self.growth_rate, "beta_interval": list(self.beta_interval),
                "growth_rate_interval": [1 - self.beta_interval[1], 1 - self.beta_interval[0]],
                "confidence": self.confidence, "events": self.n, "systems": self.systems,
                "end_hours": self.end_hours, "failure_terminated": self.failure_terminated,
                "trend_p_value": self.trend_p_value, "mtbf_at_end_hours": m, "mtbf_at_end_range": [lo, hi]}


def crow_amsaa(log: EventLog, confidence: float = 0.95) -> CrowAMSAA:
    """The power-law process fitted to every system of ``log`` (a common beta and lambda)."""
    from scipy import stats

    confidence = check_confidence(confidence)
    ev = log.events
    n = len(ev)
    if n < 2:
        raise FitError(f"a Crow-AMSAA fit needs at least 2 events, the log has {n}; bound the rate with "
                       f"{option('bound', 'reliability.bounds.rate_upper_bound')} instead")
    ends = log.ends.reindex(ev["unit_id"]).to_numpy(float)
    t = ev["age"].to_numpy(float)
    if np.any(t <= 0):
        raise FitError("an event at age 0 has no place in a power-law process (ln 0); give its age in hours")
    single = log.n_systems == 1
    failure_terminated = single and bool(np.isclose(t.max(), float(log.ends.iloc[0])))
    s = float(np.sum(np.log(ends / t)))
    if s <= 0:
        raise FitError("every event is at the end of its observation: the power law's beta is unbounded")
    beta = n / s
    T = log.ends.to_numpy(float)
    lam = n / float(np.sum(T**beta))
    dof = 2 * (n - 1) if failure_terminated else 2 * n
    a = 1 - confidence
    lo = beta * stats.chi2.ppf(a / 2, dof) / (2 * n)
    hi = beta * stats.chi2.ppf(1 - a / 2, dof) / (2 * n)
    x = 2 * s  # ~ chi2(dof) when beta = 1
    p = float(2 * min(stats.chi2.cdf(x, dof), stats.chi2.sf(x, dof)))
    return CrowAMSAA(beta, lam, n, log.n_systems, float(T.max()), failure_terminated, confidence,
                     (float(lo), float(hi)), p, tuple(float(x) for x in T))


def mean_cumulative_function(log: EventLog, confidence: float = 0.95) -> pd.DataFrame:
    """Nelson's MCF: one row per distinct event age with ``events``, ``at_risk``, ``mcf``,
    ``variance`` (Lawless-Nadeau), ``lower``, ``upper``."""
    from scipy import stats

    confidence = check_confidence(confidence)
    ev = log.events
    if ev.empty:
        raise FitError("the log has no events: its mean cumulative function is 0 throughout")
    ages = np.sort(ev["age"].unique())
    systems = list(log.ends.index)
    end = log.ends.to_numpy(float)
    at_risk = end[:, None] >= ages[None, :]  # system x age
    counts = (ev.groupby(["unit_id", "age"]).size().unstack(fill_value=0)
              .reindex(index=systems, columns=ages, fill_value=0).to_numpy(float))
    r = at_risk.sum(axis=0).astype(float)
    d = counts.sum(axis=0)
    mcf = np.cumsum(d / r)
    terms = at_risk / r * (counts - d / r)  # system x age
    var = np.sum(np.cumsum(terms, axis=1) ** 2, axis=0)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    sd = np.sqrt(var)
    return pd.DataFrame({"age": ages, "events": d.astype(int), "at_risk": r.astype(int), "mcf": mcf,
                         "variance": var, "lower": np.maximum(mcf - z * sd, 0.0), "upper": mcf + z * sd})
