"""A constant failure rate with a gamma distribution: the conjugate prior and posterior of a
Poisson count of failures in device-hours (the pilot's evidence on a component's rate)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reliability.errors import ParameterError


@dataclass(frozen=True)
class GammaRate:
    """A failure rate lambda (per device-hour) ~ Gamma(shape, rate): the conjugate prior of a
    Poisson count. ``rate`` is in device-hours; shape 1 and rate 0 is the flat (weakest) prior,
    whose posterior after r failures in T hours, Gamma(r + 1, T), has the chi-square upper bound
    chi2(c; 2r + 2) / 2T as its c-quantile."""

    shape: float
    rate: float

    @classmethod
    def flat(cls) -> GammaRate:
        return cls(1.0, 0.0)

    @classmethod
    def from_range(cls, low_fit: float, high_fit: float, coverage: float = 0.90) -> GammaRate:
        """The gamma whose central ``coverage`` interval is [low_fit, high_fit] FIT."""
        from scipy import optimize, stats

        if not 0 < low_fit < high_fit:
            raise ParameterError(f"a prior range needs 0 < low < high FIT, got [{low_fit:g}, {high_fit:g}]")
        q = (1 - coverage) / 2
        ratio = high_fit / low_fit

        def gap(log_shape: float) -> float:
            a = math.exp(log_shape)
            return math.log(stats.gamma.ppf(1 - q, a) / stats.gamma.ppf(q, a)) - math.log(ratio)

        lo, hi = math.log(0.2), math.log(1e6)  # shape 0.2 spans ~1e7x; 1e6 is a point mass
        if gap(lo) < 0:
            raise ParameterError(f"the prior range [{low_fit:g}, {high_fit:g}] FIT spans more than a gamma "
                                "prior can hold; give a narrower range or use the flat prior")
        if gap(hi) > 0:
            raise ParameterError(f"the prior range [{low_fit:g}, {high_fit:g}] FIT is too narrow for a "
                                "prior; fix the rate in the scenario instead")
        a = math.exp(optimize.brentq(gap, lo, hi))
        scale_fit = low_fit / stats.gamma.ppf(q, a)  # in FIT
        return cls(float(a), float(1e9 / scale_fit))

    @property
    def proper(self) -> bool:
        return self.rate > 0

    def update(self, failures: int, device_hours: float) -> GammaRate:
        """The posterior after ``failures`` in ``device_hours`` (Poisson likelihood)."""
        return GammaRate(self.shape + failures, self.rate + device_hours)

    def mean_fit(self) -> float:
        return self.shape / self.rate * 1e9 if self.proper else math.inf

    def fit_quantile(self, u: np.ndarray | float):
        """FIT at probability ``u`` (inverse transform: a fixed u per replication gives common
        random numbers across priors and posteriors)."""
        from scipy import stats

        if not self.proper:
            raise ParameterError("the flat prior has no quantiles before any device-hours are observed")
        return stats.gamma.ppf(u, self.shape, scale=1.0 / self.rate) * 1e9
