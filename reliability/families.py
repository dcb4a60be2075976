"""Life-distribution families: one class per family, holding everything about it.

A family class declares its parameters (name, unit, meaning, positivity, the lifelines
attribute holding it, its role under a change of time unit, the range outside which a fit is
degenerate), its law (the equivalent frozen ``scipy.stats`` distribution), the lifelines
fitter, fit start points, the accelerated-life regression (if any) and its probability paper.
Closed forms (the engine's scalar cdf/ppf, the likelihood's log sf/cdf/pdf, the mean where it
may not exist) override the scipy-based defaults of :class:`Family`. Defining a subclass
registers it in :data:`FAMILIES`, after checking that it declares everything required
(:data:`REQUIRED`); adding a family is writing one class.

Parametrisations follow lifelines, in hours:

============  ======================  =========================================
distribution  parameters              survival function
============  ======================  =========================================
weibull       shape, scale            exp(-(t/scale)^shape)
lognormal     mu, sigma               1 - Phi((ln t - mu)/sigma)
exponential   scale (= MTTF)          exp(-t/scale)
loglogistic   shape, scale            1 / (1 + (t/scale)^shape)
gengamma      mu, ln_sigma, lambda_   lifelines' GeneralizedGammaFitter
lfp           defective, shape, scale 1 - defective (1 - exp(-(t/scale)^shape))
mixture       weight, shape1, scale1, w exp(-(t/scale1)^shape1)
              shape2, scale2          + (1 - w) exp(-(t/scale2)^shape2)
============  ======================  =========================================

The registry's machinery is :mod:`reliability.family_base`; ``lfp`` and ``mixture`` are
:mod:`reliability.families_extra`, imported at the end of this module.
"""

from __future__ import annotations

import math

import numpy as np

from reliability.family_base import (  # noqa: F401  (re-exported: the registry's names live here too)
    AFT,
    FAMILIES,
    LOG_SCALE,
    LOGISTIC_PAPER,
    NORMAL_PAPER,
    REQUIRED,
    SCALE,
    WEIBULL_PAPER,
    Family,
    Paper,
    Parameter,
    _moderate,
    _special,
    _stats,
)
from reliability.laws import weibull_cdf as _weibull_cdf
from reliability.laws import weibull_log as _weibull_log
from reliability.laws import weibull_ppf as _weibull_ppf

# ---------------------------------------------------------------------- shared closed forms
# The Weibull forms serve the exponential (shape 1) and the lognormal ones gengamma's limit.

_SQRT2 = math.sqrt(2.0)


def _lognormal_log(mu, s, t, what: str):
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.log(t) - mu) / s
        if what == "sf":
            return _special().log_ndtr(-z)
        if what == "cdf":
            return _special().log_ndtr(z)
        return _stats().norm.logpdf(z) - np.log(s) - np.log(t)


# ---------------------------------------------------------------------- the families
class Weibull(Family):
    name = "weibull"
    parameters = (
        Parameter("shape", "-", "a shape", "rho_", positive=True, sound=_moderate),
        Parameter("scale", "hours", "a life in hours", "lambda_", positive=True, role=SCALE),
    )
    fitter = "WeibullFitter"
    paper = WEIBULL_PAPER
    default_start = {"shape": 1.0, "scale": 1.0}
    data_start = {"shape": 1.0, "scale": 1.0}
    aft = AFT("WeibullAFTFitter", "lambda_", "rho_", "shape")

    def scipy(self, p):
        return _stats().weibull_min(c=p["shape"], scale=p["scale"])

    def mean(self, p):  # scale Gamma(1 + 1/shape), in scipy's weibull_min arithmetic
        return float(_special().gamma(1.0 + 1 / p["shape"]) * p["scale"])

    def cdf(self, p, t):  # 1 - exp(-(t/scale)^shape)
        return _weibull_cdf(p["shape"], p["scale"], t)

    def ppf(self, p, q):
        return _weibull_ppf(p["shape"], p["scale"], q)

    def log(self, p, t, what):
        return _weibull_log(p["shape"], p["scale"], t, what)


class Lognormal(Family):
    name = "lognormal"
    parameters = (
        Parameter("mu", "ln(hours)", "the log of a life in hours", "mu_", role=LOG_SCALE),
        Parameter("sigma", "ln(hours)", "a log-scale spread", "sigma_", positive=True,
                  sound=lambda v: not v < 1e-4),
    )
    fitter = "LogNormalFitter"
    paper = NORMAL_PAPER
    default_start = {"mu": 0.0, "sigma": 1.0}
    data_start = {"mu": math.log(math.log(2.0)), "sigma": 1.0}  # the exponential's median
    aft = AFT("LogNormalAFTFitter", "mu_", "sigma_", "sigma")

    def scipy(self, p):
        return _stats().lognorm(s=p["sigma"], scale=math.exp(p["mu"]))

    def mean(self, p):  # exp(mu + sigma^2 / 2), in scipy's lognorm arithmetic; inf past a double
        with np.errstate(over="ignore"):
            return float(np.sqrt(np.exp(p["sigma"] * p["sigma"])) * math.exp(p["mu"]))

    def cdf(self, p, t):  # Phi(z) = erfc(-z / sqrt 2) / 2, z = (ln t - mu) / sigma: accurate in both tails
        return 0.0 if t <= 0.0 else 0.5 * math.erfc((p["mu"] - math.log(t)) / (p["sigma"] * _SQRT2))

    def ppf(self, p, q):
        return np.exp(p["mu"] + p["sigma"] * _special().ndtri(q))

    def log(self, p, t, what):
        return _lognormal_log(p["mu"], p["sigma"], t, what)


class Exponential(Family):
    name = "exponential"
    parameters = (
        Parameter("scale", "hours (MTTF)", "a life in hours", "lambda_", positive=True, role=SCALE),
    )
    fitter = "ExponentialFitter"
    paper = WEIBULL_PAPER  # a line of slope 1
    default_start = {"scale": 1.0}
    data_start = {"scale": 1.0}
    aft = None

    def scipy(self, p):
        return _stats().expon(scale=p["scale"])

    def mean(self, p):
        return float(p["scale"])

    # the Weibull's forms at shape 1 (the same law, and the same arithmetic as before)
    def cdf(self, p, t):
        return _weibull_cdf(1.0, p["scale"], t)

    def ppf(self, p, q):
        return _weibull_ppf(1.0, p["scale"], q)

    def log(self, p, t, what):
        return _weibull_log(1.0, p["scale"], t, what)


class LogLogistic(Family):
    name = "loglogistic"
    parameters = (
        Parameter("shape", "-", "a shape", "beta_", positive=True, sound=_moderate),
        Parameter("scale", "hours", "a life in hours", "alpha_", positive=True, role=SCALE),
    )
    fitter = "LogLogisticFitter"
    paper = LOGISTIC_PAPER
    default_start = {"shape": 1.0, "scale": 1.0}
    data_start = {"shape": 1.0, "scale": math.log(2.0)}  # the exponential's median
    aft = None

    def scipy(self, p):
        return _stats().fisk(c=p["shape"], scale=p["scale"])

    def cdf(self, p, t):  # 1 / (1 + (t/scale)^-shape)
        if t <= 0.0:
            return 0.0
        z = -p["shape"] * math.log(t / p["scale"])
        return 0.0 if z > 700.0 else 1.0 / (1.0 + math.exp(z))

    def ppf(self, p, q):
        return p["scale"] * (q / (1.0 - q)) ** (1.0 / p["shape"])

    def log(self, p, t, what):
        b, a = p["shape"], p["scale"]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = b * (np.log(t) - np.log(a))
            if what == "sf":
                return -np.logaddexp(0.0, u)
            if what == "cdf":
                return -np.logaddexp(0.0, -u)
            return np.log(b) - np.log(t) + u - 2.0 * np.logaddexp(0.0, u)

    def mean(self, p):
        if p["shape"] <= 1:
            return math.inf  # E[T] = integral of 1/(1 + (t/s)^k) diverges for k <= 1
        return super().mean(p)


class GenGamma(Family):
    """lifelines' generalised gamma (Prentice): z = (ln t - mu)/sigma, sigma = exp(ln_sigma),
    a = 1/lambda^2, w = a exp(lambda z); S = Q(a, w) for lambda > 0 and P(a, w) for lambda < 0;
    f = |lambda| / (sigma t Gamma(a)) a^a exp(a lambda z - w). No closed-form cdf/ppf: the
    engine uses scipy's."""

    name = "gengamma"
    parameters = (
        Parameter("mu", "ln(hours)", "the log of a life in hours", "mu_", role=LOG_SCALE),
        Parameter("ln_sigma", "-", "the log of sigma", "ln_sigma_", sound=lambda v: -10 < v < 10),
        Parameter("lambda_", "-", "gengamma's lambda", "lambda_"),
    )
    fitter = "GeneralizedGammaFitter"
    paper = NORMAL_PAPER
    default_start = {"mu": 0.0, "ln_sigma": 0.0, "lambda_": 1.0}
    data_start = {"mu": 0.0, "ln_sigma": 0.0, "lambda_": 1.0}
    aft = None
    warm_start = "weibull"  # gengamma with lambda = 1 is that Weibull
    offered = False
    unbounded = "lambda_"

    def from_warm(self, p):
        return {"mu": math.log(p["scale"]), "ln_sigma": -math.log(p["shape"]), "lambda_": 1.0}

    def scipy(self, p):
        """As scipy's gengamma: for lambda > 0, S(t) = Q(1/lambda^2, exp(lambda Z)/lambda^2)
        (upper regularised gamma), so G = exp(lambda Z)/lambda^2 ~ Gamma(1/lambda^2) and
        t = exp(mu) * (lambda^2 G)^(sigma/lambda): scipy's gengamma with a = 1/lambda^2,
        c = lambda/sigma, scale = exp(mu) * lambda^(2 sigma/lambda). For lambda < 0 the same map
        holds with S and F exchanged, which scipy's gengamma with negative c reproduces."""
        lam, sigma, mu = p["lambda_"], math.exp(p["ln_sigma"]), p["mu"]
        if abs(lam) < 1e-9:  # the lognormal limit
            return _stats().lognorm(s=sigma, scale=math.exp(mu))
        a = 1.0 / lam**2
        c = lam / sigma
        scale = math.exp(mu + (sigma / lam) * math.log(lam**2))
        return _stats().gengamma(a=a, c=c, scale=scale)

    def log(self, p, t, what):
        mu, sigma, lam = p["mu"], np.exp(p["ln_sigma"]), p["lambda_"]
        if np.any(np.abs(lam) < 1e-9):  # the lognormal limit
            return _lognormal_log(mu, sigma, t, what)
        a = 1.0 / lam**2
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            z = (np.log(t) - mu) / sigma
            w = a * np.exp(lam * z)
            special = _special()
            upper, lower = special.gammaincc(a, w), special.gammainc(a, w)
            if what == "sf":
                return np.log(np.where(lam > 0, upper, lower))
            if what == "cdf":
                return np.log(np.where(lam > 0, lower, upper))
            return (np.log(np.abs(lam)) - np.log(sigma * t) - special.gammaln(a) + a * np.log(a)
                    + a * lam * z - w)

    def mean(self, p):
        lam = p["lambda_"]
        if lam < -1e-9:
            # scipy gengamma(a, c < 0): E[T] = scale Gamma(a + 1/c)/Gamma(a) only when a + 1/c > 0;
            # scipy returns a finite number regardless (a = 1/l^2, 1/c = sigma/l)
            if 1.0 / lam**2 + math.exp(p["ln_sigma"]) / lam <= 0:
                return math.inf
        return super().mean(p)


import reliability.families_extra  # noqa: E402, F401  (registers lfp and mixture after the classic families)

DISTRIBUTIONS = tuple(FAMILIES)
