"""The written-out log-likelihood of every fitted family, and the polish that finishes a fit.

lifelines finds the optimum on most data, but its optimisers (BFGS, L-BFGS-B) can stop short
or report no convergence on a well-posed problem, depending on the machine's floating-point
path. Careful MLE tools then polish: from where the first optimiser stopped, and from a second,
data-driven start, a robust optimiser maximises the same likelihood, and the result is accepted
when the gradient is small and the Hessian positive definite. This module holds that likelihood
(one place, shared by the single-distribution and the accelerated-life fits; each family's log
sf, cdf and pdf are its own, in :mod:`reliability.families`) and the polish.

Each record is ``(lower, upper, entry, weight)`` in the fit's time unit: exact when
``lower == upper`` (log density), right-censored when ``upper`` is infinite (log survival),
left- or interval-censored otherwise (log of ``S(lower) - S(upper)``, computed in whichever tail
keeps its precision), and divided by ``S(entry)`` for late entry (left truncation). Parameters may
be arrays (one value per record), so an accelerated-life fit passes a scale per record.

The polish is scipy's ``trust-exact`` trust-region Newton method with central-difference
derivatives; acceptance is the Newton decrement ``g' H^-1 g`` (twice the log-likelihood an exact
Newton step would still gain) below ``DECREMENT_TOL`` with ``H`` positive definite.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from reliability.families import FAMILIES

DECREMENT_TOL = 1e-9
"""Largest Newton decrement ``g' H^-1 g`` (log-likelihood units) at an accepted optimum."""

LOG_HALF = math.log(0.5)


# ---------------------------------------------------------------------- the likelihood
@dataclass(frozen=True)
class Records:
    """Records as the likelihood sees them, with their masks computed once."""

    lower: np.ndarray
    upper: np.ndarray
    entry: np.ndarray
    weight: np.ndarray

    def __post_init__(self) -> None:
        exact = self.lower == self.upper
        right = np.isinf(self.upper)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_right", right & ~exact)
        object.__setattr__(self, "_censored", ~(exact | right))
        object.__setattr__(self, "_late", self.entry > 0)

    @property
    def n_failures(self) -> float:
        return float(self.weight[np.isfinite(self.upper)].sum())


def _take(p: Mapping[str, object], mask: np.ndarray) -> dict[str, object]:
    return {k: (v[mask] if np.ndim(v) else v) for k, v in p.items()}


def log_likelihood(family: str, params: Mapping[str, object], rec: Records) -> float:
    """The full weighted log-likelihood of ``rec`` under ``family`` with ``params`` (the family's
    written-out log sf / cdf / pdf, :mod:`reliability.families`)."""
    fam = FAMILIES[family]
    w = rec.weight
    total = 0.0
    m = rec._exact
    if m.any():
        total += float(np.dot(w[m], fam.log_pdf(_take(params, m), rec.upper[m])))
    m = rec._right
    if m.any():
        total += float(np.dot(w[m], fam.log_sf(_take(params, m), rec.lower[m])))
    m = rec._censored
    if m.any():
        p = _take(params, m)
        lo, hi = rec.lower[m], rec.upper[m]
        sf_lo, sf_hi = fam.log_sf(p, lo), fam.log_sf(p, hi)
        cdf_lo, cdf_hi = fam.log_cdf(p, lo), fam.log_cdf(p, hi)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            # log(S(lo) - S(hi)): from the survival side in the upper tail, from the cdf side
            # in the lower tail (where S is near 1 and the difference of survivals cancels)
            upper_tail = sf_lo + np.log1p(-np.exp(sf_hi - sf_lo))
            lower_tail = cdf_hi + np.log1p(-np.exp(cdf_lo - cdf_hi))
            ll = np.where(sf_lo < LOG_HALF, upper_tail, lower_tail)
        total += float(np.dot(w[m], ll))
    m = rec._late
    if m.any():
        total -= float(np.dot(w[m], fam.log_sf(_take(params, m), rec.entry[m])))
    return total if math.isfinite(total) else -math.inf


# ---------------------------------------------------------------------- derivatives
def _steps(x: np.ndarray) -> np.ndarray:
    return 1e-4 * (1.0 + np.abs(x))


def curvature_steps(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Steps of a thousandth of each coordinate's curvature scale 1/sqrt(f''): a step fixed in
    x's units is too long for a sharply curved coordinate (the third derivative then biases a
    central difference) and too short for a flat one (rounding dominates)."""
    h0 = _steps(x)
    f0 = f(x)
    out = h0.copy()
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h0[i]
        d2 = (f(x + e) - 2 * f0 + f(x - e)) / h0[i] ** 2
        if math.isfinite(d2) and d2 > 0:
            out[i] = np.clip(1e-3 / math.sqrt(d2), 1e-8 * (1 + abs(x[i])), 1e-2 * (1 + abs(x[i])))
    return out


def gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: np.ndarray | None = None) -> np.ndarray:
    """Central-difference gradient."""
    h = _steps(x) if h is None else h
    g = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h[i]
        g[i] = (f(x + e) - f(x - e)) / (2 * h[i])
    return g


def hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: np.ndarray | None = None) -> np.ndarray:
    """Central-difference Hessian (symmetric by construction)."""
    n = x.size
    h = _steps(x) if h is None else h
    f0 = f(x)
    out = np.empty((n, n))
    for i in range(n):
        ei = np.zeros(n)
        ei[i] = h[i]
        out[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(n)
            ej[j] = h[j]
            v = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h[i] * h[j])
            out[i, j] = out[j, i] = v
    return out


# ---------------------------------------------------------------------- the polish
@dataclass(frozen=True)
class Optimum:
    """A checked optimum of a negative log-likelihood in unconstrained coordinates."""

    x: np.ndarray
    nll: float
    hessian: np.ndarray  # of the negative log-likelihood at x
    decrement: float  # Newton decrement g' H^-1 g
    start: str  # which start it came from

    @property
    def covariance(self) -> np.ndarray:
        return np.linalg.inv(self.hessian)


def check(nll: Callable[[np.ndarray], float], x: np.ndarray, start: str) -> Optimum | None:
    """``x`` as an Optimum when it is one (finite, positive-definite Hessian, small Newton
    decrement), else None."""
    x = np.asarray(x, dtype=float)
    f0 = nll(x)
    if not (np.all(np.isfinite(x)) and math.isfinite(f0)):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        steps = curvature_steps(nll, x)
        g, h = gradient(nll, x, steps), hessian(nll, x, steps)
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
        return None
    try:
        chol = np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return None
    y = np.linalg.solve(chol, g)
    dec = float(y @ y)
    if dec > DECREMENT_TOL:
        return None
    return Optimum(x, f0, h, dec, start)


def polish(nll: Callable[[np.ndarray], float], starts: Sequence[tuple[str, np.ndarray]]) -> Optimum | None:
    """Maximise the likelihood from each start with scipy's trust-region Newton method (then a
    few exact Newton steps); the best checked optimum, or None when no start reaches one."""
    best: Optimum | None = None
    for name, x0 in starts:
        x0 = np.asarray(x0, dtype=float)
        if not (np.all(np.isfinite(x0)) and math.isfinite(nll(x0))):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                # Nelder-Mead first: robust far from the optimum, where the Hessian may be indefinite
                r = optimize.minimize(nll, x0, method="Nelder-Mead",
                                      options={"maxiter": 400 * x0.size, "xatol": 1e-8, "fatol": 1e-10})
                x = r.x if math.isfinite(r.fun) and r.fun <= nll(x0) else x0
                r = optimize.minimize(
                    nll, x, method="trust-exact", jac=lambda z: gradient(nll, z),
                    hess=lambda z: hessian(nll, z), options={"gtol": 1e-10, "maxiter": 60},
                )
                x = r.x if math.isfinite(r.fun) and r.fun <= nll(x) else x
                x = _newton(nll, x)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError, OverflowError):
                continue
        opt = check(nll, x, name)
        if opt is not None and (best is None or opt.nll < best.nll):
            best = opt
    return best


LIFELINES = "lifelines"


def finish(nll: Callable[[np.ndarray], float], candidate: np.ndarray | None, trusted: bool,
           data_start: np.ndarray) -> Optimum | None:
    """The optimum a fit reports: lifelines' ``candidate`` itself (``start == LIFELINES``) when it
    reported success and is a checked optimum; otherwise the polish from the candidate (its
    endpoint) and from ``data_start``; None when no start reaches an interior optimum."""
    if candidate is not None and trusted:
        opt = check(nll, candidate, LIFELINES)
        if opt is not None:
            return opt
    starts = [("lifelines' endpoint", candidate)] if candidate is not None else []
    starts.append(("a data-driven start", data_start))
    with np.errstate(all="ignore"):
        return polish(nll, starts)


def _newton(nll: Callable[[np.ndarray], float], x: np.ndarray, steps: int = 6) -> np.ndarray:
    """A few Newton steps with step halving: the last digits a trust region may leave."""
    f = nll(x)
    for _ in range(steps):
        hs = curvature_steps(nll, x)
        g, h = gradient(nll, x, hs), hessian(nll, x, hs)
        try:
            d = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            return x
        if float(g @ d) <= 0:  # not a descent direction: the Hessian is not positive definite here
            return x
        t = 1.0
        while t > 1e-4:
            y = x - t * d
            fy = nll(y)
            if math.isfinite(fy) and fy <= f:
                break
            t /= 2
        else:
            return x
        if f - fy < 1e-13 * (1 + abs(f)):
            return y
        x, f = y, fy
    return x
