"""The families beyond the classic ones, registered after them (``reliability.families`` imports
this module): the limited failure population (``lfp``) and the two-Weibull mixture
(``mixture``), fitted by the project's likelihood (:mod:`reliability.mixtures`), their laws
from their own closed forms (:class:`reliability.laws.ClosedFormLaw`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.family_base import SCALE, WEIBULL_PAPER, Family, Parameter, _moderate, _special
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
