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
    dead_on_arrival:
        Share of new units that fail at installation (age 0), in [0, 1): the law is then
        zero-inflated, F(t) = d + (1 - d) F0(t) (:class:`reliability.laws.ZeroInflated`).
    dead_on_arrival_counts:
        ``(dead, installed)`` the share was estimated from (None: given, not estimated); a
        parameter draw then draws the share from its Jeffreys posterior Beta(k + 1/2, n - k + 1/2).
    posterior_draws:
        Rows of parameter values (in ``parameters``' order) drawn from a Bayesian posterior
        (:mod:`reliability.bayes`); a parameter draw then picks one row instead of drawing from
        the covariance.
    """

    distribution: str
    parameters: Mapping[str, float]
    covariance: tuple[tuple[float, ...], ...] | None = None
    confidence: float = 0.95
    provenance: Mapping[str, Any] = field(default_factory=dict)
    dead_on_arrival: float = 0.0
    dead_on_arrival_counts: tuple[int, int] | None = None
    posterior_draws: tuple[tuple[float, ...], ...] | None = None

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
            if k in fam.fractions and not v < 1:
                raise ParameterError(f"{self.distribution} {k} = {v!r} is a share and must be < 1")
        _check_doa(self.dead_on_arrival, self.dead_on_arrival_counts)
        if self.posterior_draws is not None:
            object.__setattr__(self, "posterior_draws", _checked_draws(fam, self.posterior_draws))
        object.__setattr__(self, "dead_on_arrival", float(self.dead_on_arrival))
        if self.dead_on_arrival_counts is not None:
            object.__setattr__(self, "dead_on_arrival_counts", tuple(int(x) for x in self.dead_on_arrival_counts))
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
        """The equivalent frozen scipy.stats distribution (or a law answering the same methods:
        :mod:`reliability.laws`), zero-inflated when a share of units is dead on arrival."""
        law = FAMILIES[self.distribution].scipy(self.parameters)
        if self.dead_on_arrival > 0:
            from reliability.laws import ZeroInflated

            return ZeroInflated(law, self.dead_on_arrival)
        return law

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

    def scalar_cdf(self, t: float) -> float:
        """cdf at a float ``t`` through the family's closed form (the engines': no scipy.stats),
        with the dead-on-arrival share."""
        f = self.family.cdf(self.parameters, t)
        d = self.dead_on_arrival
        return f if d == 0.0 else (0.0 if t < 0.0 else d + (1.0 - d) * f)

    def scalar_ppf(self, q):
        """Inverse of :meth:`scalar_cdf` for an array or a float ``q`` in [0, 1): 0 (installation)
        below the dead-on-arrival share."""
        d = self.dead_on_arrival
        if d == 0.0:
            return self.family.ppf(self.parameters, q)
        q = np.asarray(q, dtype=float)
        inner = np.clip((q - d) / (1.0 - d), 0.0, 1.0)
        out = np.where(q <= d, 0.0, self.family.ppf(self.parameters, inner))
        return float(out) if out.ndim == 0 else out

    def mean(self) -> float:
        """Mean time to failure, hours (``inf`` when the first moment does not exist)."""
        return (1.0 - self.dead_on_arrival) * FAMILIES[self.distribution].mean(self.parameters)

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
        return float(self.scalar_ppf(p))  # the family's closed form, with a dead-on-arrival share

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
        draws = None if self.posterior_draws is None else tuple(  # each draw, shifted alike
            tuple(fam.time_scale(dict(zip(fam.params, row, strict=True)), factor).values())
            for row in self.posterior_draws)
        return replace(self, parameters=new, covariance=cov, provenance=prov, posterior_draws=draws)

    def at_temperature(self, from_c: float, to_c: float, activation_energy_ev: float) -> LifeModel:
        """Arrhenius shift of a model fitted at ``from_c`` to ``to_c`` (degrees Celsius)."""
        af = arrhenius_factor(from_c, to_c, activation_energy_ev)
        return self.accelerated(af, temperature_c=to_c, shifted_from_c=from_c,
                                activation_energy_ev=activation_energy_ev)

    @property
    def uncertain(self) -> bool:
        """Whether :meth:`draw_parameters` draws anything (a covariance, or counts of dead units)."""
        return (self.covariance is not None or self.dead_on_arrival_counts is not None
                or self.posterior_draws is not None)

    def draw_parameters(self, rng: np.random.Generator) -> LifeModel:
        """One draw of the parameters from their sampling distribution.

        Positive parameters are drawn log-normally (delta method on the log
        scale, so they stay positive), shares (fractions) logit-normally, others
        normally, jointly through the covariance. An estimated dead-on-arrival share
        is drawn from its Jeffreys posterior (after the parameters, so a model without
        one draws as before). Without a covariance or counts the model itself is returned.
        """
        out = self
        if self.posterior_draws is not None:  # a Bayesian posterior: one of its draws, uniformly
            row = self.posterior_draws[int(rng.integers(len(self.posterior_draws)))]
            out = replace(out, parameters=dict(zip(self.family.params, row, strict=True)))
        elif self.covariance is not None:
            fam = FAMILIES[self.distribution]
            names = fam.params
            est = np.array([self.parameters[k] for k in names])
            pos = np.array([k in fam.positive for k in names])
            frac = np.array([k in fam.fractions for k in names])
            # d log(p)/dp for positive params, d logit(p)/dp for shares
            g = np.where(frac, 1.0 / (est * (1.0 - est)), np.where(pos, 1.0 / est, 1.0))
            cov = np.asarray(self.covariance) * np.outer(g, g)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # each branch where it applies
                centre = np.where(frac, np.log(est) - np.log1p(-est), np.where(pos, np.log(est), est))
                z = rng.multivariate_normal(centre, cov, method="cholesky" if _is_pd(cov) else "svd")
                vals = np.where(frac, 1.0 / (1.0 + np.exp(-z)), np.where(pos, np.exp(z), z))
            out = replace(out, parameters=dict(zip(names, vals.tolist(), strict=True)))
        if self.dead_on_arrival_counts is not None:
            k, n = self.dead_on_arrival_counts
            out = replace(out, dead_on_arrival=float(min(rng.beta(k + 0.5, n - k + 0.5), 1 - 1e-12)))
        return out

    # ---------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        """The model as JSON data; ``dead_on_arrival`` only when a share is dead on arrival (a
        number, or {share, dead, installed} when it was estimated from counts)."""
        out = {
            "distribution": self.distribution,
            "parameters": dict(self.parameters),
            "covariance": None if self.covariance is None else [list(r) for r in self.covariance],
            "confidence": self.confidence,
            "provenance": plain(self.provenance),
        }
        if self.dead_on_arrival_counts is not None:
            k, n = self.dead_on_arrival_counts
            out["dead_on_arrival"] = {"share": self.dead_on_arrival, "dead": k, "installed": n}
        elif self.dead_on_arrival > 0:
            out["dead_on_arrival"] = self.dead_on_arrival
        if self.posterior_draws is not None:
            out["posterior_draws"] = [list(r) for r in self.posterior_draws]
        return out

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
            **_doa_fields(d.get("dead_on_arrival")),
            posterior_draws=None if d.get("posterior_draws") is None else tuple(
                tuple(float(x) for x in r) for r in d["posterior_draws"]),
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


def _check_doa(d: float, counts: tuple[int, int] | None) -> None:
    if not (isinstance(d, int | float) and not isinstance(d, bool) and math.isfinite(d) and 0 <= d < 1):
        raise ParameterError(f"dead_on_arrival = {d!r} must be a share in [0, 1), e.g. 0.006")
    if counts is not None:
        k, n = counts
        if not (0 <= k <= n and n > 0):
            raise ParameterError(f"dead_on_arrival_counts = {counts!r} must be (dead, installed) with "
                                 "0 <= dead <= installed and installed > 0")


def _checked_draws(fam: Family, draws: Any) -> tuple[tuple[float, ...], ...]:
    k = len(fam.params)
    try:
        a = np.asarray(draws, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"posterior_draws must be rows of {k} numbers ({', '.join(fam.params)})") from None
    if a.ndim != 2 or a.shape[1] != k or len(a) == 0 or not np.all(np.isfinite(a)):
        raise ParameterError(f"posterior_draws must be rows of {k} finite numbers ({', '.join(fam.params)}), "
                             f"got shape {a.shape}")
    for i, name in enumerate(fam.params):
        if name in fam.positive and not np.all(a[:, i] > 0):
            raise ParameterError(f"posterior_draws: every {name} must be > 0")
        if name in fam.fractions and not np.all(a[:, i] < 1):
            raise ParameterError(f"posterior_draws: every {name} must be < 1")
    return tuple(tuple(float(x) for x in r) for r in a)


def _doa_fields(v: Any) -> dict[str, Any]:
    """LifeModel's dead-on-arrival fields from the file's value (checked by model_file)."""
    if v is None:
        return {}
    if isinstance(v, Mapping):
        return {"dead_on_arrival": float(v["share"]),
                "dead_on_arrival_counts": (int(v["dead"]), int(v["installed"]))}
    return {"dead_on_arrival": float(v)}


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
