"""`LifeModel`: a life distribution with its parameters, uncertainty and provenance.

A LifeModel is immutable and JSON round-trips exactly. Every distribution is a family class in
:mod:`reliability.families` (parameters, positivity, the equivalent frozen ``scipy.stats``
distribution, its mean, time rescaling), registered in ``FAMILIES``; all the shared machinery
(sf, cdf, pdf, hazard, ppf, sampling, residual-life sampling, mean, B-life, average FIT,
acceleration, parameter draws) is written once on top of that. Parametrisations follow
lifelines, in hours (the table is in :mod:`reliability.families`). Files are checked by
:mod:`reliability.model_file` before a model is built from them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from failure_data.text import NotText, decode_utf8
from failure_data.units import HOURS_PER_YEAR  # noqa: F401  (re-exported; declared once there)
from reliability.errors import ParameterError
from reliability.families import DISTRIBUTIONS, FAMILIES, Family  # noqa: F401  (FAMILIES, DISTRIBUTIONS re-exported)
from reliability.model_file import (  # noqa: F401  (LifeModelFileError, LifeModelProblem re-exported)
    RESAVE_HINT,
    LifeModelFileError,
    LifeModelProblem,
    covariance_problems,
    life_dict_problems,
    life_model_error,
    plain,
)

FIT_HOURS = 1e9  # FIT = failures per 1e9 device-hours
BOLTZMANN_EV = 8.617333262e-5  # eV/K (CODATA 2018)
INLINE_COVARIANCE_FIX = "leave the covariance out to use the model without parameter uncertainty"


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
            # the rule a file is held to (reliability.model_file), for a covariance given inline
            bad = covariance_problems(cov, fam.params, INLINE_COVARIANCE_FIX)
            if bad:
                raise ParameterError(f"{self.distribution} " + "; ".join(map(str, bad)))
            object.__setattr__(self, "covariance", tuple(tuple(float(x) for x in r) for r in cov))
        if not 0 < self.confidence < 1:
            raise ParameterError(f"confidence = {self.confidence!r} must be in (0, 1)")
        # stored as JSON would give it back (tuples as lists), so a JSON round trip is equal
        object.__setattr__(self, "provenance", _FrozenDict(plain(dict(self.provenance))))

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
    def family(self) -> Family:
        """The distribution's family (:mod:`reliability.families`): its law and closed forms."""
        return FAMILIES[self.distribution]

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
        return FAMILIES[self.distribution].mean(self.parameters)

    mttf = mean

    def mttf_text(self) -> str:
        """``MTTF 3.25e+05 h``, or in words where the mean is not a number (a log-logistic of
        shape <= 1 has none; a lognormal of a huge sigma has one past the largest double)."""
        m = self.mean()
        if math.isfinite(m):
            return f"MTTF {m:,.4g} h"
        return "MTTF unbounded (the mean life does not exist or is beyond 1e308 h)"

    def b_life(self, p: float) -> float:
        """Age by which a fraction ``p`` has failed (``b_life(0.10)`` = B10), hours."""
        if not 0 < p < 1:
            raise ParameterError(f"b_life fraction p = {p!r} must be in (0, 1)")
        return float(FAMILIES[self.distribution].ppf(self.parameters, p))  # closed form where there is one

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
            g = np.array([new[k] / self.parameters[k] if k in fam.scale_params else 1.0
                          for k in fam.params])
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
            "provenance": plain(self.provenance),
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
        problems = life_dict_problems(d)
        if problems:
            raise life_model_error(problems, source)
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

    def to_toml(self) -> str:
        """The :meth:`to_dict` document as TOML (no covariance or an unset field is left out:
        TOML has no null)."""
        from failure_data.toml_text import toml_document

        return toml_document(self.to_dict(), ParameterError)

    @classmethod
    def from_toml(cls, text: str, *, source: str | None = None) -> LifeModel:
        """A LifeModel from :meth:`to_toml` text; anything else is a ParameterError saying why."""
        import tomllib

        what = f"{source!r} is not a life-model TOML file" if source else "not life-model TOML"
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ParameterError(f"{what} ({e}); {RESAVE_HINT}") from None
        return cls.from_dict(data, source=source)

    def save(self, path: str | Path) -> None:
        """Write the model to ``path``: TOML for a ``.toml`` name, JSON for ``.json``
        (:func:`model_file_format`; any other suffix is refused naming the two)."""
        from failure_data.files import write_text_atomic

        fmt = model_file_format(path)
        write_text_atomic(path, self.to_toml() if fmt == "toml" else self.to_json() + "\n")

    @classmethod
    def load(cls, path: str | Path) -> LifeModel:
        """Read a file written by :meth:`save` (``cpo fit FILE --save MODEL.json`` or
        ``MODEL.toml``), validated: TOML for a ``.toml`` name, else JSON."""
        p = Path(path)
        if p.is_dir():
            raise ParameterError(f"life model {str(p)!r} is a folder, not a file: name the model "
                                 "file in it (MODEL.json or MODEL.toml)")
        try:
            text = decode_utf8(p.read_bytes())
        except OSError as e:
            raise ParameterError(f"cannot read life model {str(p)!r}: {e.strerror}") from None
        except NotText as e:
            raise ParameterError(f"life model {str(p)!r} {e.message}") from None
        if p.suffix.lower() == ".toml":
            return cls.from_toml(text, source=str(p))
        return cls.from_json(text, source=str(p))

    def __repr__(self) -> str:
        ps = ", ".join(f"{k}={v:.6g}" for k, v in self.parameters.items())
        return f"LifeModel({self.distribution}: {ps})"


MODEL_FILE_FORMATS = {".json": "json", ".toml": "toml"}
"""A life-model file's format by its name's suffix (case aside)."""


def model_file_format(path: str | Path) -> str:
    """"json" or "toml" by the suffix of ``path``; any other suffix is refused naming the two."""
    suffix = Path(path).suffix.lower()
    if suffix not in MODEL_FILE_FORMATS:
        raise ParameterError(f"{str(path)!r}: a life model is saved as "
                             f"{' or '.join(MODEL_FILE_FORMATS)} (by the name's suffix), not "
                             f"{suffix or 'a name without a suffix'}; name it MODEL.json or MODEL.toml")
    return MODEL_FILE_FORMATS[suffix]


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
        return hash(json.dumps(plain(self), sort_keys=True, default=str))

    def __reduce__(self):
        # pickle (process pools) rebuilds from a plain dict instead of item-by-item assignment
        return (_FrozenDict, (dict(self),))


def _is_pd(m: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(m)
        return True
    except np.linalg.LinAlgError:
        return False
