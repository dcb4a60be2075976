"""Bayesian life fits: a prior on a family's parameters updated by a (pilot's) log.

Priors, one per parameter named (the others flat on their unconstrained scale: the log of a
positive parameter, the logit of a share):

* ``lognormal`` on a positive parameter: its median and error factor (p95 / median), e.g. a
  Weibull shape from the vendor's lab data, ``shape=1.5:1.3``;
* ``fit`` on the exponential's rate: a gamma on lambda = 1 / scale whose central 90 % is the
  range [low, high] FIT (:meth:`reliability.rates.GammaRate.from_range`), e.g. a catalog rate
  with its range. With a Poisson count (exact and right-censored exponential data) this prior is
  conjugate, Gamma(a + r, b + T): ``cpo pilot``'s gamma-Poisson is this case, and the general
  machinery below reproduces it (tests/test_rel_bayes.py).

The posterior is sampled by importance sampling: its mode (the same polish as every fit) and
curvature there give a multivariate-t proposal (4 degrees of freedom, the inverse Hessian
inflated by 1.5^2), ``proposals`` points are weighted by posterior / proposal and ``draws``
of them resampled systematically; the effective sample size (sum w)^2 / sum w^2 is reported and
a posterior the proposal cannot cover (effective size under ``MIN_ESS``) is refused rather than
reported. A posterior without a mode (too little data for the parameters left flat) is refused,
naming the parameter to give a prior on.

The result is a LifeModel (its parameters the posterior medians, its covariance the draws'
covariance) carrying the posterior draws: a fleet's ``uncertainty = true`` draws one of them
per replication where a fit draws from its covariance (``LifeModel.draw_parameters``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from failure_data.errors import option
from reliability.errors import FitError, ParameterError
from reliability.families import FAMILIES
from reliability.mixtures import from_theta, to_theta

if TYPE_CHECKING:  # pragma: no cover
    from failure_data.table import LifeTable
    from reliability.models import LifeModel

Z95 = 1.6448536269514722
MIN_ESS = 200.0
"""Smallest effective sample size of the importance weights a posterior is reported with."""


@dataclass(frozen=True)
class Prior:
    """A prior on one parameter: ``lognormal`` (a = median, b = error factor) or ``fit`` (the
    exponential's rate: a gamma with shape a and rate b per device-hour)."""

    parameter: str
    kind: str
    a: float
    b: float

    @classmethod
    def parse(cls, text: str, family: str) -> Prior:
        """``NAME=A:B``: a lognormal prior (median A, error factor B) on parameter NAME of
        ``family``, or ``fit=LOW:HIGH`` (exponential only) a gamma prior with 90 % in [LOW, HIGH] FIT."""
        from reliability.rates import GammaRate

        name, _, rest = str(text).partition("=")
        name = name.strip()
        a_text, _, b_text = rest.partition(":")
        try:
            a, b = float(a_text), float(b_text)
        except ValueError:
            raise ParameterError(
                f"{option('prior')} {text!r} must be NAME=A:B: a parameter's median and error factor "
                f"(e.g. shape=1.5:1.3), or fit=LOW:HIGH for an exponential's rate in FIT") from None
        fam = FAMILIES[family]
        if name == "fit":
            if family != "exponential":
                raise ParameterError(f"{option('prior')} fit=LOW:HIGH is a prior on a constant rate: "
                                     f"use {option('dist')} exponential, or a prior on a {family} parameter "
                                     f"({', '.join(fam.params)})")
            g = GammaRate.from_range(a, b)
            return cls("fit", "fit", g.shape, g.rate)
        if name not in fam.params:
            raise ParameterError(f"{option('prior')} {text!r}: {family} has no parameter {name!r}; its "
                                 f"parameters are {', '.join(fam.params)}" + (
                                     ", or fit=LOW:HIGH for its rate" if family == "exponential" else ""))
        if name not in fam.positive or name in fam.fractions:
            raise ParameterError(f"{option('prior')} {text!r}: a lognormal prior needs a positive "
                                 f"parameter; {name} is not one")
        if not (math.isfinite(a) and a > 0 and math.isfinite(b) and b > 1):
            raise ParameterError(f"{option('prior')} {text!r}: the median must be > 0 and the error factor "
                                 "(p95 / median) > 1, e.g. shape=1.5:1.3")
        return cls(name, "lognormal", a, b)

    def log_density(self, family: str, theta: np.ndarray) -> float:
        """Log density of this prior in the unconstrained coordinates ``theta`` (up to a constant)."""
        fam = FAMILIES[family]
        if self.kind == "fit":  # lambda = 1/scale ~ Gamma(a, b); ln lambda = -theta: a ln l - b l
            lam = math.exp(-theta[fam.params.index("scale")])
            return self.a * math.log(lam) - self.b * lam
        s = math.log(self.b) / Z95
        z = (theta[fam.params.index(self.parameter)] - math.log(self.a)) / s
        return -0.5 * z * z

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "fit":
            return {"parameter": "fit", "kind": "gamma on the rate", "shape": self.a, "rate_per_hour": self.b}
        return {"parameter": self.parameter, "kind": "lognormal", "median": self.a, "error_factor": self.b}


@dataclass(frozen=True)
class BayesFit:
    """A posterior: the LifeModel carrying its draws, the priors, the effective sample size."""

    model: LifeModel
    priors: tuple[Prior, ...]
    ess: float
    n_proposals: int

    @property
    def draws(self) -> np.ndarray:
        return np.asarray(self.model.posterior_draws)

    def interval(self, name: str, confidence: float) -> tuple[float, float]:
        i = self.model.family.params.index(name)
        q = (1 - confidence) / 2
        lo, hi = np.quantile(self.draws[:, i], [q, 1 - q])
        return float(lo), float(hi)

    def to_dict(self) -> dict[str, Any]:
        c = self.model.confidence
        fam = self.model.family
        med = {k: float(v) for k, v in self.model.parameters.items()}
        return {"distribution": self.model.distribution, "parameters": med, "units": dict(fam.units),
                "intervals": {k: list(self.interval(k, c)) for k in fam.params}, "confidence": c,
                "interval_method": "posterior quantiles (equal-tailed credible interval)",
                "priors": [p.to_dict() for p in self.priors], "draws": len(self.draws),
                "effective_sample_size": self.ess, "proposals": self.n_proposals,
                "mttf_hours": _finite(self.model.mean()), "b10_hours": _finite(self.model.b_life(0.10))}


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def fit_bayes(table: LifeTable, dist: str, priors: Sequence[Prior | str], *, draws: int = 1000,
              proposals: int = 20_000, seed: int = 0, confidence: float = 0.95, doa: str = "auto",
              doa_hours: float | None = None, extra_provenance: Mapping[str, Any] | None = None) -> BayesFit:
    """The posterior of ``dist``'s parameters given ``priors`` and the log (every censoring kind,
    dead-on-arrival units read as in ``reliability.fitting.fit``)."""
    from reliability.doa import read_for_fit
    from reliability.likelihood import Records, log_likelihood, polish
    from reliability.models import LifeModel
    from reliability.records import group_records

    if dist not in FAMILIES:
        raise ParameterError(f"distribution {dist!r} is not known; use one of {', '.join(FAMILIES)}")
    fam = FAMILIES[dist]
    ps = tuple(p if isinstance(p, Prior) else Prior.parse(p, dist) for p in priors)
    names = [p.parameter for p in ps]
    if len(set(names)) != len(names):
        raise ParameterError(f"{option('prior')} names a parameter twice: {names}")
    if not ps:
        raise ParameterError(f"a Bayesian fit needs at least one {option('prior')}")
    if not (isinstance(draws, int) and 100 <= draws <= 100_000):
        raise ParameterError(f"draws = {draws!r} must be a whole number in [100, 100000]")
    table, dead, extra = read_for_fit(table, doa, doa_hours, confidence, extra_provenance)
    if dead is not None and dead.how == "atom":
        raise ParameterError(f"a Bayesian fit reads dead-on-arrival units as failures in their first "
                             f"hours: use {option('doa')} interval with {option('doa_hours')} H")
    g = group_records(table)
    rec = Records(g.lower, g.upper, g.entry, g.weight)

    def log_post(theta: np.ndarray) -> float:
        try:
            with np.errstate(all="ignore"):
                v = log_likelihood(dist, from_theta(dist, theta), rec) + sum(p.log_density(dist, theta) for p in ps)
        except (OverflowError, ValueError, ZeroDivisionError):
            return -math.inf
        return v if math.isfinite(v) else -math.inf

    start = _start(dist, g)
    with np.errstate(all="ignore"):
        opt = polish(lambda x: -log_post(x), [("the data's start", start)])
    if opt is None:
        flat = [k for k in fam.params if k not in names and not (k == "scale" and "fit" in names)]
        raise FitError(f"the posterior has no mode: the log does not pin down {', '.join(flat) or 'it'} "
                       f"(with {g.n_failures} failure(s)); give {option('prior')} on "
                       f"{' or '.join(flat) or 'the parameters'} as well")
    rng = np.random.default_rng(seed)
    k = len(fam.params)
    cov = np.linalg.inv(opt.hessian) * 1.5**2
    chol = np.linalg.cholesky(cov)
    nu = 4.0
    z = rng.standard_normal((proposals, k))
    scale = np.sqrt(nu / rng.chisquare(nu, proposals))
    x = opt.x + (z @ chol.T) * scale[:, None]
    # multivariate t log density (up to a constant): -(nu + k)/2 ln(1 + m/nu), m the Mahalanobis form
    m = np.sum(np.linalg.solve(chol, (x - opt.x).T) ** 2, axis=0)
    log_q = -0.5 * (nu + k) * np.log1p(m / nu)
    log_p = np.array([log_post(xi) for xi in x])
    log_w = log_p - log_q
    log_w -= np.max(log_w)
    w = np.exp(log_w)
    w /= w.sum()
    ess = float(1.0 / np.sum(w**2))
    if ess < MIN_ESS:
        raise FitError(f"the posterior is too far from its normal approximation for importance sampling "
                       f"(effective sample size {ess:.0f} of {proposals:,}); give a tighter {option('prior')} "
                       "or more data")
    # systematic resampling: draws points, each proposal taken floor or ceil(draws * w) times
    u = (rng.random() + np.arange(draws)) / draws
    idx = np.minimum(np.searchsorted(np.cumsum(w), u), proposals - 1)
    rng.shuffle(idx)
    thetas = x[idx]
    params = np.array([[v for v in from_theta(dist, t).values()] for t in thetas])
    median = {name: float(np.median(params[:, i])) for i, name in enumerate(fam.params)}
    cov_p = np.cov(params.T).reshape(k, k)
    prov = {**(extra or {}), "method": "Bayesian: importance sampling of the posterior",
            "priors": [p.to_dict() for p in ps], "effective_sample_size": ess,
            "n_units": g.n_units, "n_failures": g.n_failures, "file": table.provenance.path,
            "sha256": table.provenance.sha256}
    model = LifeModel(dist, median, covariance=tuple(map(tuple, cov_p)), confidence=confidence,
                      provenance=prov, posterior_draws=tuple(map(tuple, params.tolist())))
    return BayesFit(model, ps, ess, proposals)


def _start(dist: str, g) -> np.ndarray:
    """The family's data start, in hours (its typical time the records' exposure per failure)."""
    fam = FAMILIES[dist]
    c = g.typical_time()
    return to_theta(dist, fam.time_scale(dict(fam.data_start), 1.0 / c))
