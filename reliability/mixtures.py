"""Maximum-likelihood fits of the families lifelines has no fitter for: the limited failure
population (``lfp``: a share of defective units failing by a Weibull, the rest never) and the
two-Weibull mixture (``mixture``: infant mortality plus wear-out), both declared in
:mod:`reliability.families` with ``fitter = None``.

The likelihood is the project's (:func:`reliability.likelihood.log_likelihood`: every censoring
kind, late entry, weights), maximised in unconstrained coordinates (the logit of a share, the log
of a positive parameter) by :func:`reliability.likelihood.polish` from several data-driven starts;
the best checked optimum (small Newton decrement, positive-definite Hessian) is the fit and its
inverse Hessian, mapped back by the Jacobian, the covariance (a share's interval is then Wald on
the logit scale: ``reliability.fitting.summary_frame``). No interior optimum is refused, never
reported: an LFP whose defective share runs to 1 is a plain Weibull, a mixture whose weight runs
to 0 or 1 is one Weibull, and the message says so.

A mixture is reported with its first subpopulation the earlier-failing one (scale1 < scale2),
so its labels do not depend on the start the optimiser took.

:func:`delta_interval` gives a quantity of a fitted model (a B-life, F at a mission time) its
interval by the delta method on a transformed scale (log for a time, logit for a probability),
through the model's covariance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from reliability.families import FAMILIES
from reliability.likelihood import Records, log_likelihood, polish

OPTIMIZER = "project likelihood, scipy Nelder-Mead + trust-exact polish from {start}"


def to_theta(family: str, p: Mapping[str, float]) -> np.ndarray:
    fam = FAMILIES[family]
    return np.array([math.log(p[k] / (1 - p[k])) if k in fam.fractions else
                     math.log(p[k]) if k in fam.positive else p[k] for k in fam.params])


def from_theta(family: str, theta: np.ndarray) -> dict[str, float]:
    fam = FAMILIES[family]
    return {k: (1.0 / (1.0 + math.exp(-v)) if k in fam.fractions else math.exp(v) if k in fam.positive
                else float(v)) for k, v in zip(fam.params, theta, strict=True)}


def jacobian(family: str, p: Mapping[str, float]) -> np.ndarray:
    """d params / d theta (diagonal)."""
    fam = FAMILIES[family]
    return np.diag([p[k] * (1 - p[k]) if k in fam.fractions else p[k] if k in fam.positive else 1.0
                    for k in fam.params])


def _starts(family: str, rec: Records) -> list[tuple[str, dict[str, float]]]:
    """Data-driven starts (time unit: the records' typical time, so scales near 1): the failure
    ages' quantiles place the subpopulations, the failed share bounds a defective share."""
    failed = np.isfinite(rec.upper)
    ages = np.where(rec.lower[failed] > 0, 0.5 * (rec.lower[failed] + rec.upper[failed]),
                    0.5 * rec.upper[failed])
    w = rec.weight[failed]
    order = np.argsort(ages)
    ages, w = ages[order], w[order]
    cum = np.cumsum(w) / w.sum()

    def q(p: float) -> float:
        return float(max(ages[min(np.searchsorted(cum, p), len(ages) - 1)], 1e-6))

    seen = float(rec.weight[failed].sum() / rec.weight.sum())
    top = float(max(np.max(rec.lower), np.max(np.where(failed, rec.upper, 0.0)), 1e-6))
    first, mid = q(0.0), q(0.5)
    spread = max(q(0.75) - q(0.25), 0.1 * mid)
    simple = {
        "weibull3": [(f"threshold {f:g} x the first failure, shape {k:g}",
                      {"shape": k, "scale": max(mid - f * first, 1e-6) * 1.5, "threshold": f * first})
                     for f in (0.5, 0.9) for k in (1.5, 3.0)],
        "gamma": [(f"shape {k:g}", {"shape": k, "scale": mid / k * 1.5}) for k in (0.7, 1.0, 2.0)],
        "normal": [(f"mu {m:g} x the median failure", {"mu": m * mid, "sigma": spread * m})
                   for m in (1.0, 2.0, 4.0)],
        "sev": [(f"mu {m:g} x the median failure", {"mu": m * mid, "sigma": spread * m / 2})
                for m in (1.0, 2.0, 4.0)],
    }
    if family in simple:
        return [("the family's data start", dict(FAMILIES[family].data_start)), *simple[family]]
    if family == "lfp":
        return [(f"defective {d:.3g}, shape {k:g}", {"defective": d, "shape": k, "scale": q(0.5) * m})
                for d, m in ((min(1.5 * seen, 0.95), 1.5), (min(3 * seen, 0.97), 3.0), (0.5, 2.0))
                for k in (0.7, 1.5)]
    return [(f"weight {wt:.3g}, early scale at the {p:g} failure quantile",
             {"weight": wt, "shape1": 0.7, "scale1": q(p), "shape2": k2, "scale2": max(top, q(0.9)) * m})
            for wt, p in ((min(0.5 * seen + 1e-3, 0.5), 0.25), (min(seen, 0.5), 0.5))
            for k2, m in ((1.2, 3.0), (2.5, 1.0))]


def fit_records(family: str, lower, upper, entry, weight, typical_time: float, n_exact: float
                ) -> tuple[dict[str, float], np.ndarray, float, str]:
    """The maximum-likelihood fit of ``family`` to grouped records in hours: (parameters,
    covariance, log-likelihood, optimiser), or FitError when no start reaches an interior
    optimum. ``typical_time`` is the unit the optimiser works in."""
    from reliability.errors import FitError

    c = float(typical_time)
    fam = FAMILIES[family]
    rec = Records(lower / c, upper / c, entry / c, weight)

    def nll(theta: np.ndarray) -> float:
        try:
            with np.errstate(all="ignore"):
                v = -log_likelihood(family, from_theta(family, theta), rec)
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.inf
        return v if math.isfinite(v) else math.inf

    starts = [(name, to_theta(family, s)) for name, s in _starts(family, rec)]
    with np.errstate(all="ignore"):
        opt = polish(nll, starts)
    if opt is None:
        raise FitError(_no_optimum(family))
    params = from_theta(family, opt.x)
    jac = jacobian(family, params)
    cov = jac @ opt.covariance @ jac.T
    if family == "mixture" and params["scale1"] > params["scale2"]:  # the early one first
        params = {"weight": 1 - params["weight"], "shape1": params["shape2"], "scale1": params["scale2"],
                  "shape2": params["shape1"], "scale2": params["scale1"]}
        perm = [0, 3, 4, 1, 2]
        cov = cov[np.ix_(perm, perm)]
        cov[0, 1:] *= -1  # d(1 - w) = -dw
        cov[1:, 0] *= -1
    why = fam.degenerate(params)
    if why:
        raise FitError(_no_optimum(family, why))
    out = fam.time_scale(params, 1.0 / c)
    g = np.array([c if k in fam.scale_params else 1.0 for k in fam.params])
    ll = -opt.nll - n_exact * math.log(c)  # the density's Jacobian: exact failures in hours
    return out, cov * np.outer(g, g), ll, OPTIMIZER.format(start=opt.start)


def _no_optimum(family: str, why: str | None = None) -> str:
    from failure_data.errors import option

    simpler = {"lfp": ("the defective share runs to 1: every unit can fail, which is a plain Weibull",
                       "weibull"),
               "mixture": ("one subpopulation's share runs to 0: the data show one Weibull, not two",
                           "weibull or lfp"),
               "weibull3": ("a threshold running to 0 is the two-parameter Weibull, and with shape <= 1 "
                            "the likelihood is unbounded as the threshold nears the first failure",
                            "weibull"),
               }.get(family, ("the data do not pin this family down", "weibull"))
    head = f"the {family} fit has no interior maximum-likelihood optimum"
    return (f"{head} ({why}; {simpler[0]})" if why else f"{head} (likely {simpler[0]})") + (
        f"; no estimates are reported. Use {option('dist')} {simpler[1]}, or {option('dist')} auto "
        "to compare the families on this data.")


def delta_interval(model, quantity: Callable[[object], float], scale: str, confidence: float
                   ) -> tuple[float, float, float]:
    """(estimate, lower, upper) of ``quantity(model)`` by the delta method on the ``scale``
    ("log" for a time, "logit" for a probability) through the model's covariance, the gradient
    by central differences in the family's unconstrained coordinates."""
    from dataclasses import replace

    from scipy import stats

    name = model.distribution
    if model.covariance is None:
        raise ValueError("a delta-method interval needs the model's covariance")
    fwd = {"log": math.log, "logit": lambda p: math.log(p / (1 - p))}[scale]
    back = {"log": math.exp, "logit": lambda y: 1 / (1 + math.exp(-y))}[scale]
    theta = to_theta(name, model.parameters)
    jac = jacobian(name, model.parameters)
    cov_t = np.linalg.solve(jac, np.linalg.solve(jac, np.asarray(model.covariance)).T)

    def g(t: np.ndarray) -> float:
        return fwd(quantity(replace(model, parameters=from_theta(name, t))))

    est = quantity(model)
    grad = np.empty(len(theta))
    for i in range(len(theta)):
        h = 1e-5 * (1 + abs(theta[i]))
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (g(theta + e) - g(theta - e)) / (2 * h)
    sd = math.sqrt(float(grad @ cov_t @ grad))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    y = fwd(est)
    return est, back(y - z * sd), back(y + z * sd)


PROFILE_GAIN = 1e-3
"""Log-likelihood a profile point beyond a fit must gain for the fit to be refused as no optimum."""


def edge_problem(family: str, rec, params: Mapping[str, float], ll: float) -> str | None:
    """Why a fit of ``family`` (grouped records ``rec``, parameters and log-likelihood in hours) is
    not an interior optimum although its Hessian is positive definite, or None: with the family's
    :attr:`~reliability.family_base.Family.unbounded` parameter held at 2, 4 and 8 times its
    estimate and the others maximised again, the log-likelihood rises above the fit's (the
    optimiser stopped on a ridge that climbs toward the edge of the parameter space: gengamma's
    lambda running to -inf on the pluggable sample with its dead-on-arrival units dropped)."""
    from scipy import optimize

    fam = FAMILIES[family]
    name = fam.unbounded
    if name is None or params[name] == 0:
        return None
    c = rec.typical_time()
    r = Records(rec.lower / c, rec.upper / c, rec.entry / c, rec.weight)
    p0 = fam.time_scale(dict(params), c)
    ll0 = ll + rec.n_exact * math.log(c)  # the same log-likelihood in the scaled unit
    others = [k for k in fam.params if k != name]
    x = np.array([math.log(p0[k]) if k in fam.positive else p0[k] for k in others])

    def profile(value: float, x0: np.ndarray):
        def nll(z):
            p = {**{k: (math.exp(v) if k in fam.positive else v) for k, v in zip(others, z, strict=True)},
                 name: value}
            with np.errstate(all="ignore"):
                v = -log_likelihood(family, p, r)
            return v if math.isfinite(v) else math.inf

        with np.errstate(all="ignore"):
            o = optimize.minimize(nll, x0, method="Nelder-Mead",
                                  options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 2000})
        return -o.fun, o.x

    for m in (2.0, 4.0, 8.0):
        gain, x = profile(params[name] * m, x)
        if gain > ll0 + PROFILE_GAIN:
            side = "+inf" if params[name] > 0 else "-inf"
            return (f"no interior optimum: the log-likelihood keeps rising as {name} runs to {side} "
                    f"({gain - ll0:+.3g} at {name} = {params[name] * m:.4g} against the point found at "
                    f"{params[name]:.4g})")
    return None
