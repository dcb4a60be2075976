"""Frozen laws built from closed forms, for the families scipy.stats has no distribution for.

A :class:`LifeModel` asks its law (``LifeModel.dist``) for ``cdf``, ``sf``, ``pdf``, ``logpdf``,
``logsf``, ``logcdf``, ``ppf``, ``isf`` and ``mean``; scipy's frozen distributions answer for the
classic families. Two kinds of law here answer the same questions:

* :class:`ClosedFormLaw`: a family's own log sf / cdf / pdf, ppf and mean
  (``reliability.families``: the limited-failure-population and mixture families), which may be
  improper (a limited failure population has ``F(inf) = defective < 1``: ``ppf(q)`` is ``inf``
  for ``q >= defective``, the units that never fail).
* :class:`ZeroInflated`: a law with a mass ``d`` at age 0 (dead on arrival: a share ``d`` of new
  units fails at installation), ``F(t) = d + (1 - d) F0(t)`` for ``t >= 0``.

:func:`invert_cdf` inverts a monotone cdf by bisection in ``ln t`` between brackets, for
families whose quantile has no closed form (a mixture's lies between its components').
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def invert_cdf(cdf: Callable[[np.ndarray], np.ndarray], q, low, high, iterations: int = 200):
    """The ``t`` in ``[low, high]`` with ``cdf(t) = q`` (arrays), by bisection in ``ln t``: each
    step halves the bracket's log-width, so 200 steps reach a double's precision from any
    bracket below 1e300. ``cdf(low) <= q <= cdf(high)`` is the caller's to ensure."""
    q = np.asarray(q, dtype=float)
    lo = np.log(np.broadcast_to(np.asarray(low, dtype=float), q.shape)).copy()
    hi = np.log(np.broadcast_to(np.asarray(high, dtype=float), q.shape)).copy()
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        below = cdf(np.exp(mid)) < q
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
        if np.all(hi - lo < 1e-15 * (1.0 + np.abs(hi))):
            break
    return np.exp(0.5 * (lo + hi))


# the Weibull's closed forms (the families' too: reliability.families imports them)
def weibull_cdf(shape: float, scale: float, t: float) -> float:
    if t <= 0.0:
        return 0.0
    log_h = shape * math.log(t / scale)  # log cumulative hazard
    return 1.0 if log_h > 700.0 else -math.expm1(-math.exp(log_h))


def weibull_ppf(shape: float, scale: float, q):
    return scale * (-np.log1p(-q)) ** (1.0 / shape)


def weibull_log(k, lam, t, what: str):
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (t / lam) ** k
        if what == "sf":
            return -z
        if what == "cdf":
            return np.log(-np.expm1(-z))
        return np.log(k) - np.log(lam) + (k - 1) * (np.log(t) - np.log(lam)) - z


def _scalar(x):
    return float(x) if np.ndim(x) == 0 else x


class ClosedFormLaw:
    """A family's law from its own closed forms (the frozen-distribution methods LifeModel uses)."""

    def __init__(self, family, p) -> None:
        self.family, self.p = family, dict(p)

    def _log(self, t, what: str):
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            pos = np.maximum(t, 1e-300)
            out = np.asarray(self.family.log(self.p, pos, what), dtype=float)
            zero = {"sf": 0.0, "cdf": -np.inf, "pdf": -np.inf}[what]
            return np.where(t > 0, out, zero)

    def logsf(self, t):
        return _scalar(self._log(t, "sf"))

    def logcdf(self, t):
        return _scalar(self._log(t, "cdf"))

    def logpdf(self, t):
        return _scalar(self._log(t, "pdf"))

    def sf(self, t):
        return _scalar(np.exp(self._log(t, "sf")))

    def cdf(self, t):
        return _scalar(np.exp(self._log(t, "cdf")))

    def pdf(self, t):
        return _scalar(np.exp(self._log(t, "pdf")))

    def ppf(self, q):
        return _scalar(np.asarray(self.family.ppf(self.p, np.asarray(q, dtype=float)), dtype=float))

    def isf(self, q):
        return self.ppf(1.0 - np.asarray(q, dtype=float))

    def median(self) -> float:
        return float(self.ppf(0.5))

    def mean(self) -> float:
        return self.family.mean(self.p)


class ZeroInflated:
    """``base`` with a share ``d`` of units failing at age 0: F(t) = d + (1 - d) F0(t), t >= 0."""

    def __init__(self, base, d: float) -> None:
        if not 0.0 <= d < 1.0:
            raise ValueError(f"a dead-on-arrival share must be in [0, 1), got {d!r}")
        self.base, self.d = base, float(d)
        self._log1m = math.log1p(-self.d)

    def cdf(self, t):
        t = np.asarray(t, dtype=float)
        return _scalar(np.where(t >= 0, self.d + (1.0 - self.d) * np.asarray(self.base.cdf(t)), 0.0))

    def sf(self, t):
        t = np.asarray(t, dtype=float)
        return _scalar(np.where(t >= 0, (1.0 - self.d) * np.asarray(self.base.sf(t)), 1.0))

    def pdf(self, t):  # the density of the continuous part (the atom has none)
        return _scalar((1.0 - self.d) * np.asarray(self.base.pdf(t)))

    def logpdf(self, t):
        return _scalar(self._log1m + np.asarray(self.base.logpdf(t)))

    def logsf(self, t):
        t = np.asarray(t, dtype=float)
        return _scalar(np.where(t >= 0, self._log1m + np.asarray(self.base.logsf(t)), 0.0))

    def logcdf(self, t):
        with np.errstate(divide="ignore"):
            return _scalar(np.log(np.asarray(self.cdf(t))))

    def ppf(self, q):
        q = np.asarray(q, dtype=float)
        inner = np.clip((q - self.d) / (1.0 - self.d), 0.0, 1.0)
        return _scalar(np.where(q <= self.d, 0.0, np.asarray(self.base.ppf(inner), dtype=float)))

    def isf(self, q):
        q = np.asarray(q, dtype=float)
        inner = np.clip(q / (1.0 - self.d), 0.0, 1.0)
        return _scalar(np.where(q >= 1.0 - self.d, 0.0, np.asarray(self.base.isf(inner), dtype=float)))

    def median(self) -> float:
        return float(self.ppf(0.5))

    def mean(self) -> float:
        return (1.0 - self.d) * float(self.base.mean())
