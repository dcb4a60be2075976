"""The Weibull and exponential fits of exact and right-censored data (late entry too) by Newton's
method on the log-likelihood's closed-form derivatives, without importing lifelines.

Most field logs are exact failures and running units; for the Weibull (and its shape-1 case,
the exponential) the log-likelihood, its gradient and its Hessian in ``u = ln scale`` and
``b = ln shape`` are sums over the grouped records (weights ``w``, failure indicator ``d``,
``x = ln t - u``, ``k = e^b``, ``A = e^(k x)``, ``B = e^(k x_e)`` for an entry age ``e > 0``):

    LL    = sum w [d (b + k x - ln t) - A + B]
    dLL/du = sum w k [A - B - d]                 dLL/db = sum w [d (1 + k x) - k x A + k x_e B]
    d2/du2 = -sum w k^2 (A - B)                  d2/du db = sum w k [A (1 + k x) - B (1 + k x_e) - d]
    d2/db2 = sum w [d k x - k x A (1 + k x) + k x_e B (1 + k x_e)]

so the optimum and its covariance (the inverse of minus the Hessian, exactly what lifelines'
autograd gives) cost a few passes over the records. The exponential's optimum is closed form,
scale = exposure / failures, with variance scale^2 / failures. Anything else (other families,
left or interval censoring) goes to lifelines as before. lifelines is what `cpo fit` spends most
of its time importing (benchmarks/bench_fit.py), so a plain Weibull fit no longer pays for it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from reliability.records import GroupedRecords

FAMILIES = ("weibull", "exponential")
OPTIMIZER = "newton (closed-form derivatives)"
DECREMENT_TOL = 1e-12
"""Newton decrement g' H^-1 g at which the optimum is accepted (reliability.likelihood then
checks it again against the written-out likelihood)."""


def applies(family: str, rec: GroupedRecords) -> bool:
    return family in FAMILIES and rec.right_only


def _parts(rec: GroupedRecords):
    d = rec.exact.astype(float)
    t = np.where(rec.exact, rec.upper, rec.lower)
    late = rec.entry > 0
    return rec.weight, d, np.log(t), late, np.log(np.where(late, rec.entry, 1.0))


def _weibull(theta: np.ndarray, parts) -> tuple[float, np.ndarray, np.ndarray]:
    """(LL, gradient, Hessian) in (b = ln shape, u = ln scale): the family's parameter order."""
    w, d, lt, late, le = parts
    b, u = theta
    k = math.exp(b)
    x = lt - u
    with np.errstate(over="ignore"):
        a = np.exp(k * x)
        xe = np.where(late, le - u, 0.0)
        big_b = np.where(late, np.exp(k * xe), 0.0)
    kx, kxe = k * x, k * xe
    ll = float(np.sum(w * (d * (b + kx - lt) - a + big_b)))
    g_u = float(np.sum(w * k * (a - big_b - d)))
    g_b = float(np.sum(w * (d * (1 + kx) - kx * a + kxe * big_b)))
    h_uu = -float(np.sum(w * k * k * (a - big_b)))
    h_ub = float(np.sum(w * k * (a * (1 + kx) - big_b * (1 + kxe) - d)))
    h_bb = float(np.sum(w * (d * kx - kx * a * (1 + kx) + kxe * big_b * (1 + kxe))))
    return ll, np.array([g_b, g_u]), np.array([[h_bb, h_ub], [h_ub, h_uu]])


def fit(family: str, rec: GroupedRecords) -> tuple[dict[str, float], np.ndarray, float] | None:
    """(parameters, covariance, log-likelihood) in the records' time unit, or None when Newton's
    method does not reach a checked optimum (the caller then uses lifelines)."""
    parts = _parts(rec)
    w, d, lt, late, le = parts
    r = float(np.sum(w * d))
    exposure = float(np.sum(w * (np.exp(lt) - np.where(late, np.exp(le), 0.0))))
    if not (r > 0 and exposure > 0):
        return None
    if family == "exponential":
        scale = exposure / r
        ll = float(np.sum(w * d * (-math.log(scale)))) - exposure / scale
        return {"scale": scale}, np.array([[scale * scale / r]]), ll
    theta = np.array([0.0, math.log(exposure / r)])  # the exponential's optimum: shape 1
    ll, g, h = _weibull(theta, parts)
    for _ in range(100):
        try:
            step = np.linalg.solve(h, -g)  # Newton: H step = -g
        except np.linalg.LinAlgError:
            return None
        if float(g @ step) <= 0:  # H not negative definite here: steepest ascent instead
            step = g / max(1.0, float(np.linalg.norm(g)))
        t = 1.0
        while True:
            cand = theta + t * step
            if abs(cand[0]) < 7.0:  # shape within (1e-3, 1e3): beyond, the fit is degenerate anyway
                ll_c, g_c, h_c = _weibull(cand, parts)
                if math.isfinite(ll_c) and ll_c >= ll - 1e-12 * (1 + abs(ll)):
                    break
            t /= 2
            if t < 1e-10:
                return None
        theta, ll, g, h = cand, ll_c, g_c, h_c
        try:
            dec = float(-g @ np.linalg.solve(h, g))
        except np.linalg.LinAlgError:
            return None
        if 0 <= dec < DECREMENT_TOL:
            break
    else:
        return None
    try:
        cov_theta = np.linalg.inv(-h)
        np.linalg.cholesky(cov_theta)
    except np.linalg.LinAlgError:
        return None
    shape, scale = math.exp(theta[0]), math.exp(theta[1])
    jac = np.diag([shape, scale])
    return {"shape": shape, "scale": scale}, jac @ cov_theta @ jac, ll
