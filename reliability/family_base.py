"""The family registry's machinery: what a life-distribution family declares (:class:`Parameter`,
:class:`Paper`, :class:`AFT`, :class:`Family`), the check a family class passes when it is
defined (:data:`REQUIRED`) and the registry :data:`FAMILIES` it joins. The families themselves
are :mod:`reliability.families` (the classic ones) and :mod:`reliability.families_extra` (the
limited failure population and the mixture), which that module imports, so importing
``reliability.families`` registers every family.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import numpy as np

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
    unbounded: ClassVar[str | None] = None
    """A parameter the likelihood may keep rising along toward +-inf (gengamma's lambda): a fit's
    profile there is checked before it is reported (:func:`reliability.mixtures.edge_problem`)."""

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

    def top(self, p: Mapping[str, float]) -> float:
        """F(inf): the share of units that ever fail (1; below 1 for a limited failure population)."""
        return 1.0

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


def _moderate(v: float) -> bool:
    """A shape a fit can report: beyond (1e-3, 1e3) the optimiser ran off to a step or a spike."""
    return 1e-3 < v < 1e3
