"""The families beyond the classic ones, registered after them (``reliability.families`` imports
this module): the limited failure population (``lfp``) and the two-Weibull mixture
(``mixture``), fitted by the project's likelihood (:mod:`reliability.mixtures`), their laws
from their own closed forms (:class:`reliability.laws.ClosedFormLaw`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.family_base import (
    NORMAL_PAPER,
    SCALE,
    WEIBULL_PAPER,
    Family,
    Parameter,
    _moderate,
    _special,
    _stats,
)
from reliability.laws import ClosedFormLaw, invert_cdf
from reliability.laws import weibull_cdf as _weibull_cdf
from reliability.laws import weibull_log as _weibull_log
from reliability.laws import weibull_ppf as _weibull_ppf


class DefectiveWeibull(Family):
    """Limited failure population (Meeker & Escobar 1998, §11.5; their bearing-cage style data):
    a share ``defective`` of units fails by a Weibull, the rest never do within any horizon:
    F(t) = p (1 - exp(-(t/scale)^shape)), an improper law (F(inf) = p, no mean). Fitted by the
    project's likelihood (:mod:`reliability.mixtures`)."""

    name = "lfp"
    parameters = (
        Parameter("defective", "share", "the share of units that can fail", "", positive=True,
                  fraction=True, sound=lambda v: 1e-9 < v < 1 - 1e-7),
        Parameter("shape", "-", "a shape", "", positive=True, sound=_moderate),
        Parameter("scale", "hours", "the defective units' life in hours", "", positive=True, role=SCALE),
    )
    fitter = None
    paper = WEIBULL_PAPER
    default_start = {"defective": 0.5, "shape": 1.0, "scale": 1.0}
    data_start = {"defective": 0.5, "shape": 1.0, "scale": 1.0}
    aft = None
    offered = False

    def scipy(self, p):
        return ClosedFormLaw(self, p)

    def cdf(self, p, t):
        return p["defective"] * _weibull_cdf(p["shape"], p["scale"], t)

    def ppf(self, p, q):  # inf for q >= defective: the units that never fail
        with np.errstate(divide="ignore", invalid="ignore"):
            inner = np.minimum(np.asarray(q, dtype=float) / p["defective"], 1.0)
            return np.where(inner < 1.0, _weibull_ppf(p["shape"], p["scale"], inner), np.inf)

    def log(self, p, t, what):
        d, ln_w = p["defective"], _weibull_log(p["shape"], p["scale"], t, "cdf" if what == "sf" else what)
        if what == "sf":  # log(1 - d W(t))
            return np.log1p(-d * np.exp(ln_w))
        return np.log(d) + ln_w

    def mean(self, p):
        return math.inf

    def top(self, p):
        return p["defective"]


class WeibullMixture(Family):
    """Two Weibull subpopulations (infant mortality plus wear-out): a share ``weight`` of units
    follows (shape1, scale1), the others (shape2, scale2); F = w F1 + (1 - w) F2. Reported with
    the first the earlier-failing (scale1 < scale2). Fitted by the project's likelihood
    (:mod:`reliability.mixtures`); its quantile is found by bisection."""

    name = "mixture"
    parameters = (
        Parameter("weight", "share", "the share of the first (early) subpopulation", "", positive=True,
                  fraction=True, sound=lambda v: 1e-9 < v < 1 - 1e-9),
        Parameter("shape1", "-", "a shape", "", positive=True, sound=_moderate),
        Parameter("scale1", "hours", "a life in hours", "", positive=True, role=SCALE),
        Parameter("shape2", "-", "a shape", "", positive=True, sound=_moderate),
        Parameter("scale2", "hours", "a life in hours", "", positive=True, role=SCALE),
    )
    fitter = None
    paper = WEIBULL_PAPER
    default_start = {"weight": 0.1, "shape1": 0.7, "scale1": 0.1, "shape2": 1.5, "scale2": 3.0}
    data_start = {"weight": 0.1, "shape1": 0.7, "scale1": 0.1, "shape2": 1.5, "scale2": 3.0}
    aft = None
    offered = False

    def scipy(self, p):
        return ClosedFormLaw(self, p)

    def cdf(self, p, t):
        w = p["weight"]
        return w * _weibull_cdf(p["shape1"], p["scale1"], t) + (1 - w) * _weibull_cdf(p["shape2"], p["scale2"], t)

    def ppf(self, p, q):  # between the components' quantiles at q (F is their weighted mean)
        q = np.asarray(q, dtype=float)
        a, b = _weibull_ppf(p["shape1"], p["scale1"], q), _weibull_ppf(p["shape2"], p["scale2"], q)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            lo, hi = np.maximum(np.minimum(a, b), 1e-300), np.minimum(np.maximum(a, b), 1e300)
            # below the median on the cdf, above it on the survival (each keeps its digits there)
            t = np.where(q <= 0.5, invert_cdf(lambda t: np.exp(self.log(p, t, "cdf")), q, lo, hi),
                         invert_cdf(lambda t: -np.exp(self.log(p, t, "sf")), q - 1.0, lo, hi))
        return np.where(q <= 0, 0.0, np.where(q >= 1, np.inf, t))

    def log(self, p, t, what):
        w = p["weight"]
        one = _weibull_log(p["shape1"], p["scale1"], t, what)
        two = _weibull_log(p["shape2"], p["scale2"], t, what)
        return np.logaddexp(np.log(w) + one, np.log1p(-w) + two)

    def mean(self, p):
        g, w = _special().gamma, p["weight"]
        return float(w * p["scale1"] * g(1 + 1 / p["shape1"]) + (1 - w) * p["scale2"] * g(1 + 1 / p["shape2"]))


def _weibull3_log(p, t, what):
    """A Weibull shifted by its threshold: nothing fails before it (log sf 0, log cdf and pdf -inf)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.maximum(np.asarray(t, dtype=float) - p["threshold"], 0.0)
        out = _weibull_log(p["shape"], p["scale"], s, what)
        return np.where(s > 0, out, 0.0 if what == "sf" else -np.inf)


class ThresholdWeibull(Family):
    """Three-parameter Weibull: no unit fails before the threshold (a failure-free life, e.g. a
    burn-in already done or a wear-out that needs time to start); F(t) = 1 - exp(-((t - threshold)
    / scale)^shape) for t > threshold. With shape <= 1 the likelihood is unbounded as the threshold
    nears the first failure (Meeker & Escobar 1998, §11.3), so such a fit is refused; a threshold
    running to 0 is the two-parameter Weibull."""

    name = "weibull3"
    parameters = (
        Parameter("shape", "-", "a shape", "", positive=True, sound=lambda v: 1.0 < v < 1e3),
        Parameter("scale", "hours", "a life in hours", "", positive=True, role=SCALE),
        Parameter("threshold", "hours", "the failure-free age in hours", "", positive=True, role=SCALE,
                  sound=lambda v: v > 1e-9),
    )
    fitter = None
    paper = WEIBULL_PAPER
    default_start = {"shape": 1.5, "scale": 1.0, "threshold": 0.1}
    data_start = {"shape": 1.5, "scale": 1.0, "threshold": 0.1}
    aft = None
    offered = False

    def scipy(self, p):
        return _stats().weibull_min(c=p["shape"], scale=p["scale"], loc=p["threshold"])

    def cdf(self, p, t):
        return _weibull_cdf(p["shape"], p["scale"], t - p["threshold"])

    def ppf(self, p, q):
        return p["threshold"] + _weibull_ppf(p["shape"], p["scale"], q)

    def log(self, p, t, what):
        return _weibull3_log(p, t, what)

    def mean(self, p):
        return float(p["threshold"] + p["scale"] * _special().gamma(1.0 + 1 / p["shape"]))


class Gamma(Family):
    """Gamma: F(t) = P(shape, t / scale) (the regularised lower incomplete gamma)."""

    name = "gamma"
    parameters = (
        Parameter("shape", "-", "a shape", "", positive=True, sound=_moderate),
        Parameter("scale", "hours", "a life in hours", "", positive=True, role=SCALE),
    )
    fitter = None
    paper = WEIBULL_PAPER
    default_start = {"shape": 1.0, "scale": 1.0}
    data_start = {"shape": 1.0, "scale": 1.0}  # the exponential
    aft = None
    offered = False

    def scipy(self, p):
        return _stats().gamma(a=p["shape"], scale=p["scale"])

    def cdf(self, p, t):
        return 0.0 if t <= 0.0 else float(_special().gammainc(p["shape"], t / p["scale"]))

    def ppf(self, p, q):  # each tail from the side that keeps its digits
        sp, q = _special(), np.asarray(q, dtype=float)
        with np.errstate(invalid="ignore"):
            x = np.where(q <= 0.5, sp.gammaincinv(p["shape"], q), sp.gammainccinv(p["shape"], 1.0 - q))
        return p["scale"] * x

    def log(self, p, t, what):
        sp, a, s = _special(), p["shape"], p["scale"]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.asarray(t, dtype=float) / s
            if what == "sf":
                return np.log(sp.gammaincc(a, x))
            if what == "cdf":
                return np.log(sp.gammainc(a, x))
            return (a - 1) * np.log(x) - x - sp.gammaln(a) - np.log(s)

    def mean(self, p):
        return float(p["shape"] * p["scale"])


class Normal(Family):
    """Normal life (wear-out with a small spread): F(t) = Phi((t - mu) / sigma) for t > 0; the law's
    mass below 0, Phi(-mu / sigma), is a failure just after installation (it is below 1e-9 once
    mu > 6 sigma, and the fit reports mu and sigma as they are)."""

    name = "normal"
    parameters = (
        Parameter("mu", "hours", "the mean life in hours", "", positive=True, role=SCALE),
        Parameter("sigma", "hours", "a spread in hours", "", positive=True, role=SCALE),
    )
    fitter = None
    paper = NORMAL_PAPER
    default_start = {"mu": 1.0, "sigma": 0.5}
    data_start = {"mu": 1.0, "sigma": 0.5}
    aft = None
    offered = False

    def scipy(self, p):
        return _stats().norm(loc=p["mu"], scale=p["sigma"])

    def cdf(self, p, t):
        return 0.0 if t <= 0.0 else 0.5 * math.erfc((p["mu"] - t) / (p["sigma"] * math.sqrt(2.0)))

    def ppf(self, p, q):
        return np.maximum(p["mu"] + p["sigma"] * _special().ndtri(q), 0.0)

    def log(self, p, t, what):
        z = (np.asarray(t, dtype=float) - p["mu"]) / p["sigma"]
        if what == "sf":
            return _special().log_ndtr(-z)
        if what == "cdf":
            return _special().log_ndtr(z)
        return -0.5 * z * z - 0.5 * math.log(2 * math.pi) - np.log(p["sigma"])

    def mean(self, p):
        return float(p["mu"])


class SmallestExtremeValue(Family):
    """Smallest extreme value (Gumbel of minima) of the life itself: F(t) = 1 - exp(-exp((t - mu)
    / sigma)) for t > 0, the law of the weakest of many links (a long left tail: its mass below
    0 is a failure just after installation, negligible once mu > 20 sigma)."""

    name = "sev"
    parameters = (
        Parameter("mu", "hours", "the location (63.2 % failed) in hours", "", positive=True, role=SCALE),
        Parameter("sigma", "hours", "a spread in hours", "", positive=True, role=SCALE),
    )
    fitter = None
    paper = WEIBULL_PAPER
    default_start = {"mu": 1.0, "sigma": 0.3}
    data_start = {"mu": 1.0, "sigma": 0.3}
    aft = None
    offered = False

    def scipy(self, p):
        return _stats().gumbel_l(loc=p["mu"], scale=p["sigma"])

    def cdf(self, p, t):
        if t <= 0.0:
            return 0.0
        z = (t - p["mu"]) / p["sigma"]
        return 1.0 if z > 700.0 else -math.expm1(-math.exp(z))

    def ppf(self, p, q):
        with np.errstate(divide="ignore"):
            return np.maximum(p["mu"] + p["sigma"] * np.log(-np.log1p(-np.asarray(q, dtype=float))), 0.0)

    def log(self, p, t, what):
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            z = (np.asarray(t, dtype=float) - p["mu"]) / p["sigma"]
            ez = np.exp(z)
            if what == "sf":
                return -ez
            if what == "cdf":
                return np.log(-np.expm1(-ez))
            return z - ez - np.log(p["sigma"])

    def mean(self, p):
        return float(p["mu"] - np.euler_gamma * p["sigma"])
