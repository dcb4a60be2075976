"""`LifeModel`: a life distribution with its parameters, uncertainty and provenance.

A LifeModel is immutable and JSON round-trips exactly. Every distribution is
described once in ``FAMILIES`` (parameter names, positivity, and how to build
the equivalent frozen ``scipy.stats`` distribution); all the shared machinery
(sf, cdf, pdf, hazard, ppf, sampling, residual-life sampling, mean, B-life,
average FIT, acceleration, parameter draws) is written once on top of that.

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

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from failure_data.text import NotText, decode_utf8
from failure_data.units import HOURS_PER_YEAR  # noqa: F401  (re-exported; declared once there)
from reliability.errors import ParameterError

FIT_HOURS = 1e9  # FIT = failures per 1e9 device-hours
BOLTZMANN_EV = 8.617333262e-5  # eV/K (CODATA 2018)


def _gengamma(p: Mapping[str, float]):
    """lifelines' generalised gamma as a scipy distribution.

    lifelines: Z = (ln t - mu)/sigma, sigma = exp(ln_sigma); for lambda > 0,
    S(t) = Q(1/lambda^2, exp(lambda Z)/lambda^2) (upper regularised gamma), so
    G = exp(lambda Z)/lambda^2 ~ Gamma(1/lambda^2) and
    t = exp(mu) * (lambda^2 G)^(sigma/lambda): scipy's gengamma with
    a = 1/lambda^2, c = lambda/sigma, scale = exp(mu) * lambda^(2 sigma/lambda).
    For lambda < 0 the same map holds with S and F exchanged, which scipy's
    gengamma with negative c reproduces.
    """
    lam, sigma, mu = p["lambda_"], math.exp(p["ln_sigma"]), p["mu"]
    if abs(lam) < 1e-9:  # the lognormal limit
        return stats.lognorm(s=sigma, scale=math.exp(mu))
    a = 1.0 / lam**2
    c = lam / sigma
    scale = math.exp(mu + (sigma / lam) * math.log(lam**2))
    return stats.gengamma(a=a, c=c, scale=scale)


@dataclass(frozen=True)
class Family:
    params: tuple[str, ...]
    positive: tuple[str, ...]
    scipy: Callable[[Mapping[str, float]], Any]
    time_scale: Callable[[dict[str, float], float], dict[str, float]]
    """Parameters of the same law with every time divided by ``factor``."""


def _scale_div(p: dict[str, float], f: float) -> dict[str, float]:
    return {**p, "scale": p["scale"] / f}


def _mu_shift(p: dict[str, float], f: float) -> dict[str, float]:
    return {**p, "mu": p["mu"] - math.log(f)}


FAMILIES: dict[str, Family] = {
    "weibull": Family(
        ("shape", "scale"), ("shape", "scale"),
        lambda p: stats.weibull_min(c=p["shape"], scale=p["scale"]), _scale_div,
    ),
    "lognormal": Family(
        ("mu", "sigma"), ("sigma",),
        lambda p: stats.lognorm(s=p["sigma"], scale=math.exp(p["mu"])), _mu_shift,
    ),
    "exponential": Family(
        ("scale",), ("scale",), lambda p: stats.expon(scale=p["scale"]), _scale_div,
    ),
    "loglogistic": Family(
        ("shape", "scale"), ("shape", "scale"),
        lambda p: stats.fisk(c=p["shape"], scale=p["scale"]), _scale_div,
    ),
    "gengamma": Family(("mu", "ln_sigma", "lambda_"), (), _gengamma, _mu_shift),
}
DISTRIBUTIONS = tuple(FAMILIES)


@dataclass(frozen=True, eq=True)
class LifeModel:
    """A life distribution in hours, with optional parameter covariance and provenance.

    Parameters
    ----------
    distribution:
        One of ``DISTRIBUTIONS``.
    parameters:
        Parameter name -> value, names as in ``FAMILIES[distribution].params``.
    covariance:
        Optional square matrix (nested tuples) over ``parameters`` in their
        declared order, on their natural scale (as lifelines' ``variance_matrix_``).
    confidence:
        Confidence level the model's intervals were computed at.
    provenance:
        Free-form JSON-able facts about the data (file, rows, failures, sha256,
        method, source key for catalog models).
    """

    distribution: str
    parameters: Mapping[str, float]
    covariance: tuple[tuple[float, ...], ...] | None = None
    confidence: float = 0.95
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.distribution not in FAMILIES:
            raise ParameterError(
                f"distribution {self.distribution!r} is not known; use one of {DISTRIBUTIONS}"
            )
        fam = FAMILIES[self.distribution]
        given = set(self.parameters)
        if given != set(fam.params):
            raise ParameterError(
                f"{self.distribution} takes parameters {fam.params}, got {tuple(sorted(given))}"
            )
        params = {k: float(self.parameters[k]) for k in fam.params}
        for k, v in params.items():
            if not math.isfinite(v):
                raise ParameterError(f"{self.distribution} {k} = {v!r} must be a finite number")
            if k in fam.positive and v <= 0:
                raise ParameterError(f"{self.distribution} {k} = {v!r} must be > 0")
        object.__setattr__(self, "parameters", _FrozenDict(params))
        if self.covariance is not None:
            cov = np.asarray(self.covariance, dtype=float)
            n = len(fam.params)
            if cov.shape != (n, n) or not np.all(np.isfinite(cov)):
                raise ParameterError(
                    f"covariance must be a finite {n}x{n} matrix over {fam.params}, got shape {cov.shape}"
                )
            object.__setattr__(self, "covariance", tuple(tuple(float(x) for x in r) for r in cov))
        if not 0 < self.confidence < 1:
            raise ParameterError(f"confidence = {self.confidence!r} must be in (0, 1)")
        # stored as JSON would give it back (tuples as lists), so a JSON round trip is equal
        object.__setattr__(self, "provenance", _FrozenDict(_plain(dict(self.provenance))))

    # ---------------------------------------------------------------- builders
    @classmethod
    def weibull(cls, shape: float, scale: float, **kw: Any) -> LifeModel:
        return cls("weibull", {"shape": shape, "scale": scale}, **kw)

    @classmethod
    def lognormal(cls, mu: float, sigma: float, **kw: Any) -> LifeModel:
        return cls("lognormal", {"mu": mu, "sigma": sigma}, **kw)

    @classmethod
    def exponential(cls, scale: float, **kw: Any) -> LifeModel:
        return cls("exponential", {"scale": scale}, **kw)

    @classmethod
    def from_fit_rate(cls, fit: float, **kw: Any) -> LifeModel:
        """Constant failure rate given in FIT (failures per 1e9 device-hours)."""
        if not (math.isfinite(fit) and fit > 0):
            raise ParameterError(f"fit_per_1e9h = {fit!r} must be > 0")
        return cls.exponential(FIT_HOURS / fit, **kw)

    # ---------------------------------------------------------------- scipy
    @property
    def dist(self):
        """The equivalent frozen scipy.stats distribution."""
        return FAMILIES[self.distribution].scipy(self.parameters)

    def sf(self, t):
        return self.dist.sf(t)

    def cdf(self, t):
        return self.dist.cdf(t)

    def pdf(self, t):
        return self.dist.pdf(t)

    def hazard(self, t):
        t = np.asarray(t, dtype=float)
        d = self.dist
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.exp(d.logpdf(t) - d.logsf(t))

    def cumulative_hazard(self, t):
        return -self.dist.logsf(t)

    def ppf(self, q):
        return self.dist.ppf(q)

    def mean(self) -> float:
        """Mean time to failure, hours (``inf`` when the first moment does not exist)."""
        p = self.parameters
        if self.distribution == "loglogistic" and p["shape"] <= 1:
            return math.inf  # E[T] = integral of 1/(1 + (t/s)^k) diverges for k <= 1
        if self.distribution == "gengamma" and p["lambda_"] < -1e-9:
            # scipy gengamma(a, c < 0): E[T] = scale Gamma(a + 1/c)/Gamma(a) only when a + 1/c > 0;
            # scipy returns a finite number regardless, so check here (a = 1/l^2, 1/c = sigma/l)
            if 1.0 / p["lambda_"] ** 2 + math.exp(p["ln_sigma"]) / p["lambda_"] <= 0:
                return math.inf
        return float(self.dist.mean())

    mttf = mean

    def b_life(self, p: float) -> float:
        """Age by which a fraction ``p`` has failed (``b_life(0.10)`` = B10), hours."""
        if not 0 < p < 1:
            raise ParameterError(f"b_life fraction p = {p!r} must be in (0, 1)")
        return float(self.dist.ppf(p))

    def average_fit(self, hours: float) -> float:
        """Average failure rate over [0, hours] in FIT: F(t)/t x 1e9.

        For the exponential this is the constant-rate FIT 1e9/scale only in the
        limit of small F; use :meth:`constant_fit` for that.
        """
        if not hours > 0:
            raise ParameterError(f"window hours = {hours!r} must be > 0")
        return float(self.cdf(hours) / hours * FIT_HOURS)

    def constant_fit(self) -> float:
        """FIT of a constant-rate (exponential) model: 1e9 / MTTF."""
        if self.distribution != "exponential":
            raise ParameterError(
                f"constant_fit is defined for exponential models, this one is {self.distribution}; "
                "use average_fit(hours)"
            )
        return FIT_HOURS / self.parameters["scale"]

    # ---------------------------------------------------------------- sampling
    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` lifetimes (hours), by inversion so a seed gives the same draws on any platform."""
        return self.dist.isf(rng.random(n))

    def sample_residual(self, age, rng: np.random.Generator) -> np.ndarray:
        """Remaining life of units that have survived to ``age`` (array or scalar)."""
        age = np.asarray(age, dtype=float)
        u = rng.random(age.shape)
        d = self.dist
        return np.maximum(d.isf(u * d.sf(age)) - age, 0.0)

    def sample_before(self, n: int, horizon: float, rng: np.random.Generator) -> np.ndarray:
        """``n`` lifetimes drawn conditional on failing before ``horizon`` (truncated sampling)."""
        f_h = self.cdf(horizon)
        return self.ppf(rng.random(n) * f_h)

    # ---------------------------------------------------------------- transforms
    def accelerated(self, factor: float, **provenance: Any) -> LifeModel:
        """The same law with every life divided by ``factor`` (acceleration factor).

        ``factor`` > 1 shortens lives (hotter, harder driven). Covariance is
        carried to the new parameters for the scale-type parameters only.
        """
        if not (math.isfinite(factor) and factor > 0):
            raise ParameterError(f"acceleration factor = {factor!r} must be > 0")
        fam = FAMILIES[self.distribution]
        new = fam.time_scale(dict(self.parameters), factor)
        cov = None
        if self.covariance is not None:
            # scale -> scale/f multiplies its row/column by 1/f; mu shifts keep variances
            g = np.array([new[k] / self.parameters[k] if k == "scale" else 1.0 for k in fam.params])
            cov = np.asarray(self.covariance) * np.outer(g, g)
            cov = tuple(tuple(r) for r in cov)
        prov = {**self.provenance, **provenance} if provenance else dict(self.provenance)
        return replace(self, parameters=new, covariance=cov, provenance=prov)

    def at_temperature(self, from_c: float, to_c: float, activation_energy_ev: float) -> LifeModel:
        """Arrhenius shift of a model fitted at ``from_c`` to ``to_c`` (degrees Celsius)."""
        af = arrhenius_factor(from_c, to_c, activation_energy_ev)
        return self.accelerated(af, temperature_c=to_c, shifted_from_c=from_c,
                                activation_energy_ev=activation_energy_ev)

    def draw_parameters(self, rng: np.random.Generator) -> LifeModel:
        """One draw of the parameters from their sampling distribution.

        Positive parameters are drawn log-normally (delta method on the log
        scale, so they stay positive), others normally, jointly through the
        covariance. Without a covariance the model itself is returned.
        """
        if self.covariance is None:
            return self
        fam = FAMILIES[self.distribution]
        names = fam.params
        est = np.array([self.parameters[k] for k in names])
        pos = np.array([k in fam.positive for k in names])
        g = np.where(pos, 1.0 / est, 1.0)  # d log(p)/dp for positive params
        cov = np.asarray(self.covariance) * np.outer(g, g)
        centre = np.where(pos, np.log(est), est)
        z = rng.multivariate_normal(centre, cov, method="cholesky" if _is_pd(cov) else "svd")
        vals = np.where(pos, np.exp(z), z)
        return replace(self, parameters=dict(zip(names, vals.tolist(), strict=True)))

    # ---------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution,
            "parameters": dict(self.parameters),
            "covariance": None if self.covariance is None else [list(r) for r in self.covariance],
            "confidence": self.confidence,
            "provenance": _plain(self.provenance),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str | None = None) -> LifeModel:
        """A LifeModel from the dict :meth:`to_dict` writes, every field checked first.

        Every problem is collected and reported together in one
        :class:`LifeModelFileError` (a ParameterError) whose ``problems`` name the
        field path (``parameters.scale``, ``covariance[1][1]``), the value and the
        fix, so nothing malformed reaches the model and no TypeError escapes.
        ``source`` (a file name) starts the message.
        """
        problems = _life_dict_problems(d)
        if problems:
            raise _life_model_error(problems, source)
        cov = d.get("covariance")
        prov = d.get("provenance")
        return cls(
            distribution=d["distribution"],
            parameters={k: float(v) for k, v in d["parameters"].items()},
            covariance=None if cov is None else tuple(tuple(float(x) for x in r) for r in cov),
            confidence=float(d.get("confidence", 0.95)),
            provenance=prov if prov is not None else {},
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, *, source: str | None = None) -> LifeModel:
        """A LifeModel from :meth:`to_json` text; anything else is a ParameterError saying why."""
        what = f"{source!r} is not a life-model JSON file" if source else "not life-model JSON"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ParameterError(f"{what} ({e.msg} at line {e.lineno}); {RESAVE_HINT}") from None
        except (ValueError, RecursionError) as e:  # a 5000-digit integer, arrays nested 10^5 deep
            raise ParameterError(f"{what} ({e}); {RESAVE_HINT}") from None
        return cls.from_dict(data, source=source)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> LifeModel:
        """Read a file written by :meth:`save` (``cpo fit FILE --save MODEL.json``), validated."""
        p = Path(path)
        try:
            text = decode_utf8(p.read_bytes())
        except OSError as e:
            raise ParameterError(f"cannot read life model {str(p)!r}: {e.strerror}") from None
        except NotText as e:
            raise ParameterError(f"life model {str(p)!r} {e.message}") from None
        return cls.from_json(text, source=str(p))

    def __repr__(self) -> str:
        ps = ", ".join(f"{k}={v:.6g}" for k, v in self.parameters.items())
        return f"LifeModel({self.distribution}: {ps})"


def arrhenius_factor(from_c: float, to_c: float, activation_energy_ev: float) -> float:
    """Acceleration factor of life at ``to_c`` relative to ``from_c``:
    AF = exp(Ea/k (1/T_from - 1/T_to)), > 1 when ``to_c`` is hotter."""
    for name, c in (("from_c", from_c), ("to_c", to_c)):
        if not c > -273.15:
            raise ParameterError(f"temperature {name} = {c!r} degC is below absolute zero")
    t_from, t_to = from_c + 273.15, to_c + 273.15
    return math.exp(activation_energy_ev / BOLTZMANN_EV * (1.0 / t_from - 1.0 / t_to))


class _FrozenDict(dict):
    """A read-only dict so a LifeModel's parameters cannot be changed in place."""

    def _ro(self, *a, **k):
        raise TypeError("LifeModel is immutable; use dataclasses.replace or a builder")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _ro  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(json.dumps(_plain(self), sort_keys=True, default=str))

    def __reduce__(self):
        # pickle (process pools) rebuilds from a plain dict instead of item-by-item assignment
        return (_FrozenDict, (dict(self),))


def _plain(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


def _is_pd(m: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(m)
        return True
    except np.linalg.LinAlgError:
        return False


# ---------------------------------------------------------------- validating a life-model file
# What `LifeModel.from_dict` / `load` check before building a model from a file. Every
# problem is collected (field path, value, reason and fix) and reported in one error.

RESAVE_HINT = "fix the file, or re-save the model with `cpo fit FILE --save MODEL.json`"
LIFE_MODEL_KEYS = ("distribution", "parameters", "covariance", "confidence", "provenance")
PSD_TOLERANCE = 1e-9
"""A covariance is refused as not positive semidefinite when its smallest eigenvalue is
below ``-PSD_TOLERANCE * max|diag|`` (and likewise for its correlation form, whose diagonal
is 1, so a matrix mixing variances of 1e-3 and 1e12 is judged at each parameter's scale)."""
MAX_PROBLEMS_SHOWN = 50
_ABSENT = object()  # a field that is missing (no value to show)
_PARAMETER_HINTS = {  # what each parameter is, for messages
    "shape": "a shape, > 0",
    "scale": "a life in hours, > 0",
    "mu": "the log of a life in hours",
    "sigma": "a log-scale spread, > 0",
    "ln_sigma": "the log of sigma",
    "lambda_": "gengamma's lambda",
}


@dataclass(frozen=True)
class LifeModelProblem:
    """One problem of a life-model file: the field path, the value found, the reason and fix."""

    field: str
    value: Any
    message: str

    def to_dict(self) -> dict[str, Any]:  # the shape of a scenario problem, for `--json` errors
        return {"field": self.field, "value": None if self.value is _ABSENT else _show(self.value),
                "message": self.message}

    def __str__(self) -> str:
        if self.value is _ABSENT:
            return f"{self.field}: {self.message}"
        return f"{self.field} = {_show(self.value)}: {self.message}"


class LifeModelFileError(ParameterError):
    """A life-model file (or dict) is invalid; ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: list[LifeModelProblem]) -> None:
        super().__init__(message)
        self.problems = list(problems)


def _show(v: Any, limit: int = 80) -> str:
    """A value as the JSON file writes it (strings quoted, NaN/Infinity as JSON spells them)."""
    try:
        text = json.dumps(_plain(v), ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(v)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, Mapping):
        return "an object"
    if isinstance(v, list | tuple):
        return "an array"
    if isinstance(v, int | float):
        return "a number"
    return type(v).__name__


def _suggest(word: Any, allowed: Any) -> str:
    import difflib

    near = difflib.get_close_matches(str(word), list(allowed), n=1, cutoff=0.6)
    if not near:
        near = [a for a in allowed if str(a).lower() == str(word).lower()]
    return f" (did you mean {near[0]!r}?)" if near else ""


def _file_number(v: Any, path: str, out: list[LifeModelProblem], what: str) -> float | None:
    """``v`` as a finite float, or None with the problem recorded (``what`` describes it)."""
    import numbers

    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        if isinstance(v, str):
            try:
                float(v)
                fix = "write the number without quotes"
            except ValueError:
                fix = "write a plain JSON number, without quotes or a unit"
            out.append(LifeModelProblem(path, v, f"must be a number ({what}), not a string; {fix}"))
        else:
            out.append(LifeModelProblem(path, v, f"must be a number ({what}), not {_kind(v)}"))
        return None
    try:
        x = float(v)
    except OverflowError:  # a JSON integer with hundreds of digits
        out.append(LifeModelProblem(path, v, f"is too large for a floating-point number ({what})"))
        return None
    if not math.isfinite(x):
        out.append(LifeModelProblem(path, v, f"must be a finite number ({what})"))
        return None
    return x


def _life_dict_problems(d: Any) -> list[LifeModelProblem]:
    """Every problem of a life-model dict (as :meth:`LifeModel.to_dict` writes it); [] if none."""
    out: list[LifeModelProblem] = []
    if not isinstance(d, Mapping):
        out.append(LifeModelProblem(
            "(top level)", d, f"a life model is a JSON object {{\"distribution\": ..., \"parameters\": "
            f"{{...}}, ...}}, not {_kind(d)}"))
        return out
    for key in d:
        if key not in LIFE_MODEL_KEYS:
            out.append(LifeModelProblem(str(key), d[key], f"unknown key{_suggest(key, LIFE_MODEL_KEYS)}; "
                                        f"a life model has {', '.join(LIFE_MODEL_KEYS)}"))
    fam = _check_distribution(d, out)
    _check_parameters(d, fam, out)
    _check_covariance(d, fam, out)
    if "confidence" in d:
        c = _file_number(d["confidence"], "confidence", out, "a level in (0, 1), e.g. 0.95")
        if c is not None and not 0 < c < 1:
            out.append(LifeModelProblem("confidence", d["confidence"],
                                        "must be in (0, 1), e.g. 0.95 (not 95)"))
    prov = d.get("provenance")
    if prov is not None and not isinstance(prov, Mapping):
        out.append(LifeModelProblem("provenance", prov, f"must be an object (or null), not {_kind(prov)}"))
    elif prov is not None and "temperature_c" in prov:
        t = prov["temperature_c"]  # scenarios shift a model from this temperature when it is a number
        import numbers

        if isinstance(t, numbers.Real) and not isinstance(t, bool):
            tc = _file_number(t, "provenance.temperature_c", out, "the temperature fitted at, °C")
            if tc is not None and not tc > -273.15:
                out.append(LifeModelProblem("provenance.temperature_c", t,
                                            "is below absolute zero (-273.15 °C)"))
    return out


def _check_distribution(d: Mapping[str, Any], out: list[LifeModelProblem]) -> Family | None:
    if "distribution" not in d:
        out.append(LifeModelProblem("distribution", _ABSENT, f"missing; one of {', '.join(FAMILIES)}"))
        return None
    dist = d["distribution"]
    if not isinstance(dist, str) or dist not in FAMILIES:
        out.append(LifeModelProblem("distribution", dist, f"unknown distribution{_suggest(dist, FAMILIES)};"
                                    f" use one of {', '.join(FAMILIES)}"))
        return None
    return FAMILIES[dist]


def _check_parameters(d: Mapping[str, Any], fam: Family | None, out: list[LifeModelProblem]) -> None:
    dist = d.get("distribution")
    takes = f"{dist} takes {', '.join(fam.params)}" if fam else ""
    if "parameters" not in d:
        out.append(LifeModelProblem("parameters", _ABSENT, "missing; an object of parameter values"
                                    + (f": {takes}" if fam else "")))
        return
    raw = d["parameters"]
    if not isinstance(raw, Mapping):
        out.append(LifeModelProblem("parameters", raw, f"must be an object {{name: number}}, not {_kind(raw)}"
                                    + (f"; {takes}" if fam else "")))
        return
    values: dict[str, float] = {}
    for name, v in raw.items():
        path = f"parameters.{name}"
        if fam is not None and name not in fam.params:
            out.append(LifeModelProblem(path, v, f"not a {dist} parameter{_suggest(name, fam.params)}; "
                                        f"{takes}"))
            continue
        x = _file_number(v, path, out, _PARAMETER_HINTS.get(str(name), "a parameter"))
        if x is None:
            continue
        if fam is not None and name in fam.positive and not x > 0:
            out.append(LifeModelProblem(path, v, f"must be > 0 ({dist} {name} is "
                                        f"{_PARAMETER_HINTS[name].removesuffix(', > 0')})"))
            continue
        values[str(name)] = x
    if fam is None:
        return
    for name in fam.params:
        if name not in raw:
            out.append(LifeModelProblem(f"parameters.{name}", _ABSENT, f"missing; {takes}"))
    if len(values) == len(fam.params):  # every value in range: can the law be evaluated at all?
        try:
            with np.errstate(all="ignore"):
                median = float(fam.scipy(values).ppf(0.5))
        except (OverflowError, ValueError, ZeroDivisionError) as e:
            median, why = math.nan, str(e)
        else:
            why = f"its median life is {median!r} hours"
        if not (math.isfinite(median) and median > 0):
            out.append(LifeModelProblem("parameters", raw, f"these {dist} parameters cannot be evaluated "
                                        f"({why}); they are outside the range a float can hold"))


def _check_covariance(d: Mapping[str, Any], fam: Family | None, out: list[LifeModelProblem]) -> None:
    c = d.get("covariance")
    if c is None:
        return
    n = len(fam.params) if fam else None
    over = f" over ({', '.join(fam.params)})" if fam else ""
    size = f"{n}x{n} " if n else ""
    shape_fix = f"must be null or a {size}matrix{over}: a list of rows, each a list of numbers"
    if not isinstance(c, list | tuple):
        out.append(LifeModelProblem("covariance", c, f"{shape_fix}; got {_kind(c)}"))
        return
    if n is not None and len(c) != n:
        out.append(LifeModelProblem("covariance", c, f"{shape_fix}; got {len(c)} row"
                                    + ("" if len(c) == 1 else "s")))
        return
    ok = True
    for i, row in enumerate(c):
        if not isinstance(row, list | tuple):
            out.append(LifeModelProblem(f"covariance[{i}]", row, f"must be a row (a list of "
                                        f"{n or 'the'} numbers), not {_kind(row)}"))
            ok = False
            continue
        width = n if n is not None else len(c)
        if len(row) != width:
            plural = "" if len(row) == 1 else "s"
            out.append(LifeModelProblem(f"covariance[{i}]", row, f"has {len(row)} number{plural}; the "
                                        f"matrix is {width}x{width}{over}, so each row has {width}"))
            ok = False
            continue
        for j, x in enumerate(row):
            if _file_number(x, f"covariance[{i}][{j}]", out, "a (co)variance") is None:
                ok = False
    if ok and n is not None:
        _check_psd(np.array([[float(x) for x in r] for r in c]), fam.params, out)


def _check_psd(m: np.ndarray, names: tuple[str, ...], out: list[LifeModelProblem]) -> None:
    """Refuse a covariance that is not symmetric positive semidefinite (see PSD_TOLERANCE).

    Decision on round-off: a matrix within the tolerance (e.g. a smallest eigenvalue of
    -1e-17 from a near-singular fit) is kept exactly as written, not clipped, so a file
    round-trips unchanged; `draw_parameters` then uses the SVD factorisation, which treats
    such an eigenvalue as (almost) zero variance.
    """
    n = len(names)
    diag = np.diag(m)
    scale = float(np.max(np.abs(diag))) if n else 0.0
    tol = PSD_TOLERANCE * scale
    bad = False
    for i in range(n):
        if diag[i] < -tol:
            out.append(LifeModelProblem(f"covariance[{i}][{i}]", float(diag[i]),
                                        f"the variance of {names[i]} cannot be negative"))
            bad = True
    for i in range(n):
        for j in range(i + 1, n):
            a, b = m[i, j], m[j, i]
            if abs(a - b) > PSD_TOLERANCE * max(abs(a), abs(b), math.sqrt(abs(diag[i] * diag[j]))):
                out.append(LifeModelProblem(f"covariance[{i}][{j}]", float(a),
                                            f"differs from covariance[{j}][{i}] = {_show(float(b))}; a "
                                            "covariance matrix is symmetric"))
                bad = True
    if bad:
        return
    sym = (m + m.T) / 2.0
    low = float(np.linalg.eigvalsh(sym)[0]) if n else 0.0
    sd = np.sqrt(np.clip(diag, 0.0, None))
    keep = sd > 0
    corr = sym[np.ix_(keep, keep)] / np.outer(sd[keep], sd[keep])
    low_corr = float(np.linalg.eigvalsh(corr)[0]) if keep.any() else 0.0
    if low >= -tol and low_corr >= -PSD_TOLERANCE:
        return
    why = f"smallest eigenvalue {low:.4g}"
    if low_corr < -PSD_TOLERANCE:
        why += f", of its correlation matrix {low_corr:.4g}"
    idx = np.flatnonzero(keep)
    pairs = [(abs(corr[a, b]), names[idx[a]], names[idx[b]], corr[a, b])
             for a in range(len(idx)) for b in range(a + 1, len(idx)) if abs(corr[a, b]) > 1]
    if pairs:
        _, p, q, r = max(pairs)
        why += f"; the correlation of {p} and {q} is {r:.6g}, outside [-1, 1]"
    out.append(LifeModelProblem("covariance", [list(r) for r in m.tolist()],
                                f"is not positive semidefinite ({why}), so it is not a covariance and "
                                "parameter draws from it would be wrong; set covariance to null to use "
                                "the model without parameter uncertainty"))


def _life_model_error(problems: list[LifeModelProblem], source: str | None) -> LifeModelFileError:
    what = f"{source!r} is not a valid life model" if source else "not a valid life model"
    if len(problems) == 1:  # one line, so `--json`'s "error" (the first line) says it all
        return LifeModelFileError(f"{what}: {problems[0]}; {RESAVE_HINT}", problems)
    fields = ", ".join(dict.fromkeys(p.field for p in problems[:8]))
    more = ", ..." if len(problems) > 8 else ""
    lines = [f"{what}, {len(problems)} problems ({fields}{more}):"]  # the first line names them all
    lines += [f"  - {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    lines.append(RESAVE_HINT)
    return LifeModelFileError("\n".join(lines), problems)
