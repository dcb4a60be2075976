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
============  ======================  =========================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import numpy as np

from reliability.laws import ClosedFormLaw, invert_cdf
from reliability.laws import weibull_cdf as _weibull_cdf
from reliability.laws import weibull_log as _weibull_log
from reliability.laws import weibull_ppf as _weibull_ppf

SCALE = "scale"
"""Role of a parameter that lives are proportional to (divided by an acceleration factor)."""
LOG_SCALE = "log_scale"
"""Role of a parameter that the log of lives is shifted by (``- ln factor`` under acceleration)."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a family."""

    name: str
    unit: str  # as `cpo fit` reports it
    meaning: str  # what the value is, for messages ("a life in hours")
    lifelines: str  # the attribute of the lifelines fitter that holds it
    positive: bool = False
    role: str | None = None  # SCALE, LOG_SCALE, or None (unchanged by a change of time unit)
    sound: Callable[[float], bool] | None = None
    """False for a value at the edge of the parameter space: the optimiser ran off to a
    degenerate law (None: every finite value is sound)."""
    fraction: bool = False
    """A share in (0, 1) (positive too): drawn and given intervals on the logit scale."""

    @property
    def hint(self) -> str:
        if self.fraction:
            return f"{self.meaning}, in (0, 1)"
        return f"{self.meaning}, > 0" if self.positive else self.meaning


class Paper(NamedTuple):
    """A probability paper: on it, ``to_y(F(t))`` against ``ln t`` is a straight line for the family."""

    label: str
    to_y: Callable[[Any], Any]
    from_y: Callable[[Any], Any]


class AFT(NamedTuple):
    """A lifelines accelerated-failure-time regression of the family: ``location`` (its log-life,
    ``b0 + b1 x``) and ``shape`` (common to every stress, ``exp(g0)``) are lifelines' parameter
    blocks; ``shape_param`` is the family parameter that is the common shape."""

    fitter: str
    location: str
    shape: str
    shape_param: str


WEIBULL_PAPER = Paper("ln(-ln(1-F))", lambda f: np.log(-np.log1p(-f)), lambda y: -np.expm1(-np.exp(y)))
def _special():
    """scipy.special, imported when a function of it is first called: it takes ~0.15 s beyond
    numpy to import, and what a simulation's start-up asks of the families (exponential and
    lognormal cdfs, lognormal and exponential means) is closed-form (benchmarks/bench_startup.py)."""
    from scipy import special

    return special


def _ndtri(q):
    return _special().ndtri(q)


def _ndtr(z):
    return _special().ndtr(z)


NORMAL_PAPER = Paper("Phi^-1(F)", _ndtri, _ndtr)  # scipy.stats.norm's ppf and cdf are these two


def _stats():
    """scipy.stats, imported when a frozen law (or the normal log density) is first asked for:
    it takes ~0.5 s to import, and the simulate path never needs it (the engine samples through
    the closed-form cdf/ppf)."""
    from scipy import stats

    return stats

LOGISTIC_PAPER = Paper("ln(F/(1-F))", lambda f: np.log(f) - np.log1p(-f), lambda y: 1 / (1 + np.exp(-y)))

REQUIRED = ("name", "parameters", "fitter", "paper", "default_start", "data_start", "aft")
"""What every family class declares (``aft`` may be None); ``scipy`` must be overridden too."""

FAMILIES: dict[str, Family] = {}
"""Every family, by distribution name, in the order the classes are defined."""


class Family:
    """A life-distribution family. Parameter values are passed as a mapping ``p`` (name -> value;
    the log functions also take arrays, one value per record)."""

    name: ClassVar[str]
    parameters: ClassVar[tuple[Parameter, ...]]
    fitter: ClassVar[str | None]
    """lifelines univariate fitter class (None: fitted by the project's own likelihood,
    :mod:`reliability.mixtures`)."""
    paper: ClassVar[Paper]
    default_start: ClassVar[Mapping[str, float]]
    """Where lifelines starts, in a time unit where the data's typical time is 1."""
    data_start: ClassVar[Mapping[str, float]]
    """The exponential MLE mapped into the family, in the time unit where it is 1 (exposure per
    failure): the polish's second start (and, per stress level, the accelerated-life one)."""
    aft: ClassVar[AFT | None]
    warm_start: ClassVar[str | None] = None
    """A family fitted first, its optimum mapped by :meth:`from_warm` as this one's start."""
    offered: ClassVar[bool] = True
    """Suggested as an alternative when another family's fit does not converge."""

    # derived from ``parameters`` when the class is defined
    params: ClassVar[tuple[str, ...]]
    positive: ClassVar[tuple[str, ...]]
    fractions: ClassVar[tuple[str, ...]]
    units: ClassVar[Mapping[str, str]]
    scale_params: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        problems = _declaration_problems(cls)
        if problems:
            raise TypeError(f"family class {cls.__name__} is incomplete: " + "; ".join(problems))
        cls.params = tuple(p.name for p in cls.parameters)
        cls.positive = tuple(p.name for p in cls.parameters if p.positive)
        cls.fractions = tuple(p.name for p in cls.parameters if p.fraction)
        cls.units = MappingProxyType({p.name: p.unit for p in cls.parameters})
        cls.scale_params = tuple(p.name for p in cls.parameters if p.role == SCALE)
        FAMILIES[cls.name] = cls()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def parameter(self, name: str) -> Parameter:
        return next(p for p in self.parameters if p.name == name)

    # ------------------------------------------------------------ the law
    def scipy(self, p: Mapping[str, float]) -> Any:
        """The equivalent frozen scipy.stats distribution."""
        raise NotImplementedError

    def cdf(self, p: Mapping[str, float], t: float) -> float:
        """Scalar cdf at a float ``t`` (the simulation engine's; closed forms override it)."""
        return 0.0 if t <= 0.0 else float(self.scipy(p).cdf(t))

    def ppf(self, p: Mapping[str, float], q):
        """Inverse cdf for an array or a float ``q`` in [0, 1) (closed forms override it)."""
        return self.scipy(p).ppf(q)

    def log(self, p: Mapping[str, Any], t, what: str):
        """log sf, cdf or pdf (``what``) at array ``t``: scipy's unless a family writes it out."""
        law = self.scipy(p)
        return {"sf": law.logsf, "cdf": law.logcdf, "pdf": law.logpdf}[what](t)

    def log_sf(self, p: Mapping[str, Any], t):
        return self.log(p, t, "sf")

    def log_cdf(self, p: Mapping[str, Any], t):
        return self.log(p, t, "cdf")

    def log_pdf(self, p: Mapping[str, Any], t):
        return self.log(p, t, "pdf")

    def mean(self, p: Mapping[str, float]) -> float:
        """Mean life (``inf`` where the first moment does not exist; families where it may not
        override this)."""
        return float(self.scipy(p).mean())

    # ------------------------------------------------------------ time unit
    def time_scale(self, p: Mapping[str, float], factor: float) -> dict[str, float]:
        """Parameters of the same law with every time divided by ``factor``."""
        roles = {q.name: q.role for q in self.parameters}
        return {k: v / factor if roles[k] == SCALE else v - math.log(factor) if roles[k] == LOG_SCALE
                else v for k, v in p.items()}

    def location(self, p: Mapping[str, float]) -> float:
        """The family's time location in hours: its scale, or exp of its log-scale parameter."""
        q = self._location_parameter
        return p[q.name] if q.role == SCALE else math.exp(p[q.name])

    def log_location(self, p: Mapping[str, float]) -> float:
        q = self._location_parameter
        return math.log(p[q.name]) if q.role == SCALE else p[q.name]

    @property
    def _location_parameter(self) -> Parameter:
        return next(q for q in self.parameters if q.role in (SCALE, LOG_SCALE))

    # ------------------------------------------------------------ fitting
    def degenerate(self, p: Mapping[str, float]) -> str | None:
        """Why the parameters are at the edge of their space (a degenerate law), or None."""
        for q in self.parameters:
            if q.sound is not None and not q.sound(p[q.name]):
                return f"{q.name} = {p[q.name]:.4g} is degenerate"
        return None

    def from_warm(self, p: Mapping[str, float]) -> dict[str, float]:
        """This family's start from the optimum of :attr:`warm_start` (families that set it)."""
        raise NotImplementedError

    def fitter_class(self):
        import lifelines

        return getattr(lifelines, self.fitter)


def _declaration_problems(cls: type[Family]) -> list[str]:
    """What a family class fails to declare, or declares inconsistently ([] if nothing)."""
    missing = [a for a in REQUIRED if not hasattr(cls, a)]
    if cls.scipy is Family.scipy:
        missing.append("scipy")
    if missing:
        return [f"it does not declare {', '.join(missing)}"]
    out = []
    if not isinstance(cls.name, str) or not cls.name.isidentifier():
        out.append(f"name {cls.name!r} is not an identifier")
    elif cls.name in FAMILIES:
        out.append(f"a family named {cls.name!r} is already registered")
    params = cls.parameters
    if not params or not all(isinstance(q, Parameter) for q in params):
        return [*out, "parameters must be a non-empty tuple of Parameter"]
    names = [q.name for q in params]
    if len(set(names)) != len(names):
        out.append(f"parameter names {names} repeat")
    located = [q for q in params if q.role in (SCALE, LOG_SCALE)]
    if not located or (len(located) > 1 and any(q.role == LOG_SCALE for q in located)):
        out.append("exactly one parameter must have the role SCALE or LOG_SCALE (the time location; "
                   "a mixture may have several SCALE parameters, the first being its location)")
    out += [f"parameter {q.name} is a fraction but not positive" for q in params
            if q.fraction and not q.positive]
    out += [f"parameter {q.name} has role SCALE but is not positive" for q in located
            if q.role == SCALE and not q.positive]
    out += [f"parameter {q.name} has an unknown role {q.role!r}" for q in params
            if q.role not in (None, SCALE, LOG_SCALE)]
    for attr in ("default_start", "data_start"):
        start = getattr(cls, attr)
        if not isinstance(start, Mapping) or list(start) != names:
            out.append(f"{attr} must give {', '.join(names)} in that order")
        else:
            out += [f"{attr}[{q.name!r}] must be > 0" for q in params if q.positive and not start[q.name] > 0]
            out += [f"{attr}[{q.name!r}] must be < 1" for q in params if q.fraction and not start[q.name] < 1]
    if cls.fitter is not None and (not isinstance(cls.fitter, str) or not cls.fitter):
        out.append("fitter must name a lifelines fitter class (or be None: the project's own fit)")
    if not isinstance(cls.paper, Paper):
        out.append("paper must be a Paper")
    if cls.aft is not None:
        a = cls.aft
        if not isinstance(a, AFT):
            out.append("aft must be an AFT or None")
        elif a.shape_param not in names or not next(q for q in params if q.name == a.shape_param).positive:
            out.append(f"aft.shape_param {a.shape_param!r} must be a positive parameter")
        elif len(params) != 2 or len(located) != 1 or located[0].name == a.shape_param:
            out.append("an AFT family has two parameters: its time location and aft.shape_param")
    if cls.warm_start is not None:
        if cls.warm_start not in FAMILIES:
            out.append(f"warm_start {cls.warm_start!r} is not a family defined before it")
        if cls.from_warm is Family.from_warm:
            out.append("a family with warm_start must define from_warm")
    return out


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


def _moderate(v: float) -> bool:
    """A shape a fit can report: beyond (1e-3, 1e3) the optimiser ran off to a step or a spike."""
    return 1e-3 < v < 1e3


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


DISTRIBUTIONS = tuple(FAMILIES)
