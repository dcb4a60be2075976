"""Degradation path models of laser bias current: time to a threshold from telemetry, before failures.

The random-effects path model of Meeker & Escobar (1998, *Statistical Methods for Reliability
Data*, ch. 13), for the relative increase of each laser's bias current over its first reading:

    y_ij = D_i(t_ij) + e_ij,   D_i(t) = exp(b_i) (t / t_ref)^gamma,
    b_i ~ Normal(mu, tau^2) (unit to unit),   e_ij ~ Normal(0, sigma^2) (reading noise),

with ``t`` the hours since the unit's first reading and ``t_ref`` = :data:`T_REF_HOURS`. Two
forms: ``linear`` (gamma = 1: the current rises at a constant, unit-specific rate, as M&E model
their GaAs lasers) and ``power`` (gamma fitted, common to every unit). A
unit fails when its path crosses the threshold ``D_f`` (e.g. 0.10, 0.20, 0.50 for +10 %, +20 %,
+50 %: M&E use +10 %, Telcordia GR-468 practice +20 % or +50 %), so its time to threshold is

    T_i = t_ref (D_f exp(-b_i))^(1/gamma),   ln T ~ Normal(ln t_ref + (ln D_f - mu)/gamma, (tau/gamma)^2):

lognormal in closed form (the random coefficient is lognormal), which is the :class:`LifeModel`
the fleet loads, with its covariance from the fit (delta method).

The fit is maximum likelihood of the nonlinear mixed model: each unit's likelihood integrates
its random coefficient out by adaptive Gauss-Hermite quadrature (centred at the unit's posterior
mode, scaled by its curvature, :data:`NODES` nodes: exact for a Gaussian integrand and accurate to
many digits here), started from the two-stage estimates (each unit's least-squares coefficient,
then their mean and spread, M&E section 13.5). The covariance of (mu, ln tau, ln sigma, gamma) is
the inverse of the observed information (a central-difference Hessian of the log-likelihood);
intervals are Wald on those scales (tau, sigma positive, on the log scale). Each unit's crossing
time is predicted from its posterior (empirical Bayes: the fitted population as the prior; the
interval is the posterior's, conditional on the fitted parameters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from failure_data.errors import option
from reliability.errors import FitError, ParameterError
from reliability.models import LifeModel
from reliability.threshold import PATH, path_parameters

T_REF_HOURS = 1000.0
"""Time scale of the path coefficient: exp(mu) is the median increase at 1,000 h (so mu is of
order one whatever the units, and the fit is well conditioned)."""
NODES = 20
"""Gauss-Hermite nodes per unit in the adaptive quadrature."""
PARAMETERS = ("mu", "tau", "sigma", "gamma")


class PathForm(StrEnum):
    """How the mean path rises with time: linear (gamma = 1) or a power of time (gamma fitted)."""

    linear = "linear"
    power = "power"


def parse_threshold(value: str | float) -> float:
    """A threshold as a fraction of the start current: ``"20%"`` or ``0.2`` -> 0.2. Text with
    ``%`` is percent, a bare number a fraction; a bare number of 1 or more (``20``) is refused as
    ambiguous (write 20% or 0.2)."""
    text = str(value).strip()
    try:
        x = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
    except ValueError:
        raise ParameterError(f"threshold {text!r} is not a number; write it as a percent (20%) or a "
                             "fraction (0.2) of the start current") from None
    if not (math.isfinite(x) and x > 0):
        raise ParameterError(f"threshold {text!r} must be above 0: the increase of the bias current "
                             "over its start at which a laser counts as failed, e.g. 20%")
    if x >= 1 and not text.endswith("%"):
        raise ParameterError(f"threshold {text!r} is ambiguous: write it as a percent ({text}%) or "
                             f"a fraction ({x / 100:g}) of the start current")
    return x


@dataclass(frozen=True)
class _Data:
    units: list[str]
    x: np.ndarray  # (n, J) hours since the first reading / T_REF_HOURS, 1 where padded
    y: np.ndarray  # (n, J) relative increase, 0 where padded
    mask: np.ndarray  # (n, J) a reading
    last_hours: np.ndarray  # (n,) age of the last reading, hours since the first
    first_over: np.ndarray  # (n,) hours of the first reading at or over the threshold (nan: none)
    z: np.ndarray | None = None  # (n,) Arrhenius term 1/(k T_use) - 1/(k T_i), 1/eV (None: no covariate)
    temperatures: np.ndarray | None = None  # (n,) each unit's mean reading temperature, °C


BOLTZMANN_EV = 8.617333262e-5
"""Boltzmann's constant, eV/K (the Arrhenius term of :func:`fit_degradation`'s ``at``)."""


def _arrhenius(frame: pd.DataFrame, units: list[str], use_c: float) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's mean reading temperature and its Arrhenius term against ``use_c`` (°C)."""
    if "temperature_c" not in frame.columns:
        raise ParameterError("an Arrhenius covariate needs the readings' temperature_c column; this "
                             "telemetry has none: leave out the use temperature (at) or add the column")
    temps = frame.groupby(frame["unit_id"].astype(str), sort=False)["temperature_c"].mean()
    missing = [u for u in units if not np.isfinite(temps.get(u, np.nan))]
    if missing:
        raise ParameterError(f"unit {missing[0]!r} has no temperature_c reading; every unit needs "
                             "its temperature for the Arrhenius covariate (or leave out at)")
    t = np.array([float(temps[u]) for u in units])
    if np.ptp(t) < 1.0:
        raise ParameterError(f"every unit sits within 1 °C ({t.min():g}-{t.max():g} °C): the "
                             "activation energy is not identified; leave out at, or add units "
                             "read at other temperatures")
    z = 1.0 / (BOLTZMANN_EV * (use_c + 273.15)) - 1.0 / (BOLTZMANN_EV * (t + 273.15))
    return z, t


def _arrays(frame: pd.DataFrame, threshold: float, use_c: float | None = None) -> _Data:
    units = list(dict.fromkeys(frame["unit_id"].astype(str)))
    groups = {u: g for u, g in frame.groupby(frame["unit_id"].astype(str), sort=False)}
    later = []
    for u in units:
        g = groups[u]
        t = g["hours"].to_numpy(float)
        later.append((t[1:] - t[0], g["increase"].to_numpy(float)[1:]))
    n, width = len(units), max(len(a) for a, _ in later)
    x, y, mask = np.ones((n, width)), np.zeros((n, width)), np.zeros((n, width), bool)
    last, over = np.empty(n), np.full(n, np.nan)
    for i, (t, inc) in enumerate(later):
        x[i, :len(t)], y[i, :len(t)], mask[i, :len(t)] = t / T_REF_HOURS, inc, True
        last[i] = t[-1]
        hit = np.flatnonzero(inc >= threshold)
        if hit.size:
            over[i] = t[hit[0]]
    z, temps = _arrhenius(frame, units, use_c) if use_c is not None else (None, None)
    return _Data(units, x, y, mask, last, over, z, temps)


# ---------------------------------------------------------------------- likelihood
_GH_X, _GH_W = np.polynomial.hermite.hermgauss(NODES)
_GH_LOGW = np.log(_GH_W) + _GH_X**2


def _posterior_mode(d: _Data, mu: float, tau: float, sigma: float, gamma: float, start: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's posterior mode of b and the posterior's curvature scale (Newton's method with
    Fisher scoring where the curvature is not negative; a fixed number of steps, so the
    likelihood is a smooth function of the parameters)."""
    xg = np.where(d.mask, d.x**gamma, 0.0)
    b = start.copy()
    for _ in range(30):
        m = np.exp(b)[:, None] * xg
        r = np.where(d.mask, d.y - m, 0.0)
        grad = (r * m).sum(1) / sigma**2 - (b - mu) / tau**2
        fisher = (m * m).sum(1) / sigma**2 + 1 / tau**2
        hess = fisher - (r * m).sum(1) / sigma**2
        h = np.where(hess > 0, hess, fisher)
        b = b + np.clip(grad / h, -2.0, 2.0)
    m = np.exp(b)[:, None] * xg
    r = np.where(d.mask, d.y - m, 0.0)
    fisher = (m * m).sum(1) / sigma**2 + 1 / tau**2
    hess = fisher - (r * m).sum(1) / sigma**2
    return b, 1.0 / np.sqrt(np.where(hess > 0, hess, fisher))


def _log_joint(d: _Data, b: np.ndarray, mu: float, tau: float, sigma: float, gamma: float) -> np.ndarray:
    """log p(y_i, b) for unit i at coefficients ``b`` of shape (n, K): (n, K)."""
    m = np.exp(b)[:, :, None] * np.where(d.mask, d.x**gamma, 0.0)[:, None, :]
    r = np.where(d.mask[:, None, :], d.y[:, None, :] - m, 0.0)
    k = d.mask.sum(1)[:, None]
    ll = -0.5 * (r * r).sum(2) / sigma**2 - k * (math.log(sigma) + 0.5 * math.log(2 * math.pi))
    mu = np.reshape(mu, (-1, 1)) if np.ndim(mu) else mu  # a unit's own mean (Arrhenius)
    return ll - 0.5 * ((b - mu) / tau) ** 2 - math.log(tau) - 0.5 * math.log(2 * math.pi)


def _loglik(theta: np.ndarray, d: _Data, start: np.ndarray, form: PathForm) -> float:
    """theta = (mu, ln tau, ln sigma, gamma, beta): unit i's b ~ N(mu + beta z_i, tau^2) with z_i
    its Arrhenius term (beta = gamma x the activation energy; 0 without a covariate)."""
    mu, log_tau, log_sigma = theta[:3]
    if d.z is not None:
        mu = mu + theta[4] * d.z
    gamma = theta[3] if form is PathForm.power else 1.0
    tau, sigma = math.exp(log_tau), math.exp(log_sigma)
    if not (0 < gamma < 50 and 1e-8 < tau < 1e4 and 1e-12 < sigma < 1e6):
        return -np.inf
    mode, scale = _posterior_mode(d, mu, tau, sigma, gamma, start)
    b = mode[:, None] + math.sqrt(2.0) * scale[:, None] * _GH_X[None, :]
    lj = _log_joint(d, b, mu, tau, sigma, gamma)
    per_unit = special.logsumexp(lj + _GH_LOGW[None, :], axis=1) + np.log(math.sqrt(2.0) * scale)
    return float(per_unit.sum())


def _two_stage(d: _Data, form: PathForm) -> tuple[np.ndarray, np.ndarray]:
    """Starting values: gamma from a pooled log-log regression with a line per unit (power form),
    each unit's least-squares coefficient given gamma, then their mean and spread."""
    gamma = 1.0
    pos = d.mask & (d.y > 0)
    if form is PathForm.power:
        lx, ly = np.log(d.x[pos]), np.log(d.y[pos])
        unit = np.nonzero(pos)[0]
        lxc = lx - (np.bincount(unit, lx) / np.bincount(unit))[unit]
        lyc = ly - (np.bincount(unit, ly) / np.bincount(unit))[unit]
        if np.sum(lxc**2) > 0:
            gamma = float(np.clip(np.sum(lxc * lyc) / np.sum(lxc**2), 0.05, 20.0))
    xg = np.where(d.mask, d.x**gamma, 0.0)
    slope = (xg * d.y).sum(1) / (xg * xg).sum(1)
    floor = max(float(np.max(slope)) * 1e-3, 1e-9) if np.max(slope) > 0 else 1e-6
    b = np.log(np.maximum(slope, floor))
    resid = np.where(d.mask, d.y - np.exp(b)[:, None] * xg, 0.0)
    sigma = max(math.sqrt((resid**2).sum() / max(d.mask.sum() - len(b), 1)), 1e-6)
    tau = max(float(np.std(b, ddof=1)) if len(b) > 1 else 0.1, 0.02)
    theta = np.array([float(np.mean(b)), math.log(tau), math.log(sigma), gamma])
    return theta, b


def _hessian(f, x: np.ndarray) -> np.ndarray:
    n = len(x)
    h = 1e-4 * np.maximum(np.abs(x), 1.0)
    out = np.empty((n, n))
    f0 = f(x)
    for i in range(n):
        for j in range(i, n):
            if i == j:
                e = np.zeros(n)
                e[i] = h[i]
                out[i, i] = (f(x + e) - 2 * f0 + f(x - e)) / h[i] ** 2
            else:
                ei, ej = np.zeros(n), np.zeros(n)
                ei[i], ej[j] = h[i], h[j]
                out[i, j] = out[j, i] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej)
                                         + f(x - ei - ej)) / (4 * h[i] * h[j])
    return out


# ---------------------------------------------------------------------- result
@dataclass(frozen=True)
class DegradationFit:
    """A fitted path model and what it says: parameters with intervals, the time-to-threshold
    life (a lognormal :class:`LifeModel` with its covariance) and each unit's crossing time."""

    form: PathForm
    threshold: float
    theta: np.ndarray  # (mu, ln tau, ln sigma, gamma)
    covariance: np.ndarray  # over theta (the gamma row and column are 0 for the linear form)
    log_likelihood: float
    confidence: float
    n_units: int
    n_readings: int
    predictions: pd.DataFrame
    source: dict[str, Any] = field(default_factory=dict)
    paths: pd.DataFrame | None = None  # the readings fitted (unit_id, hours since start, increase)
    arrhenius: dict[str, Any] | None = None
    """With a use temperature: it, the activation energy (eV) with its interval and the units'
    temperatures; mu (and the time to threshold) are then at the use temperature."""

    @property
    def gamma(self) -> float:
        return float(self.theta[3])

    @property
    def parameters(self) -> dict[str, float]:
        mu, lt, ls, g = self.theta
        return {"mu": float(mu), "tau": math.exp(lt), "sigma": math.exp(ls), "gamma": float(g)}

    def summary(self) -> pd.DataFrame:
        """One row per parameter: estimate, standard error (of the scale its interval is on: log
        for tau and sigma), the interval and what it means."""
        z = stats.norm.ppf(0.5 + self.confidence / 2)
        se = np.sqrt(np.maximum(np.diag(self.covariance), 0.0))
        mu, lt, ls, g = self.theta
        rows = [
            ("mu", mu, se[0], mu - z * se[0], mu + z * se[0],
             f"mean ln(rise at {T_REF_HOURS:g} h)"),
            ("tau", math.exp(lt), se[1], math.exp(lt - z * se[1]), math.exp(lt + z * se[1]),
             "unit-to-unit sd of it"),
            ("sigma", math.exp(ls), se[2], math.exp(ls - z * se[2]), math.exp(ls + z * se[2]),
             "reading noise (of start)"),
        ]
        if self.form is PathForm.power:
            rows.append(("gamma", g, se[3], g - z * se[3], g + z * se[3], "power of time"))
        else:
            rows.append(("gamma", 1.0, 0.0, 1.0, 1.0, "1: linear form"))
        return pd.DataFrame(rows, columns=["parameter", "estimate", "se", "lower", "upper", "meaning"]
                            ).set_index("parameter")

    def life_model(self) -> LifeModel:
        """Time to threshold: lognormal(mu_T, sigma_T) in hours, with the delta-method covariance."""
        mu, lt, _, g = self.theta
        tau = math.exp(lt)
        ldf = math.log(self.threshold)
        mu_t = math.log(T_REF_HOURS) + (ldf - mu) / g
        sigma_t = tau / g
        jac = np.array([[-1 / g, 0.0, 0.0, -(ldf - mu) / g**2],
                        [0.0, tau / g, 0.0, -tau / g**2]])
        cov = jac @ self.covariance @ jac.T
        cov = (cov + cov.T) / 2
        prov = {"method": f"degradation path model ({self.form.value}, random coefficient, ML)",
                "threshold": self.threshold, "n_units": self.n_units, "n_readings": self.n_readings,
                PATH: path_parameters(mu, g, T_REF_HOURS, self.form.value),
                **({"temperature_c": self.arrhenius["use_temperature_c"],
                    "activation_energy_ev": self.arrhenius["activation_energy_ev"]}
                   if self.arrhenius else {}),
                "failure_definition": f"bias current up {self.threshold * 100:g}% over its start",
                **{k: v for k, v in self.source.items() if v is not None}}
        return LifeModel.lognormal(mu_t, sigma_t, covariance=cov.tolist(), confidence=self.confidence,
                                   provenance=prov)

    def quantile(self, p: float) -> tuple[float, float, float]:
        """The p-quantile of the time to threshold (B(100p) life) and its interval (delta method
        on its log, Wald)."""
        m = self.life_model()
        zp = stats.norm.ppf(p)
        mu_t, s_t = m.parameters["mu"], m.parameters["sigma"]
        c = np.asarray(m.covariance)
        g = np.array([1.0, zp])
        se = math.sqrt(max(float(g @ c @ g), 0.0))
        z = stats.norm.ppf(0.5 + self.confidence / 2)
        q = mu_t + zp * s_t
        return math.exp(q), math.exp(q - z * se), math.exp(q + z * se)

    def cdf(self, hours: float) -> tuple[float, float, float]:
        """F(t) of the time to threshold and its interval (delta method on the standardised
        log time, Wald)."""
        m = self.life_model()
        mu_t, s_t = m.parameters["mu"], m.parameters["sigma"]
        zt = (math.log(hours) - mu_t) / s_t
        g = np.array([-1 / s_t, -zt / s_t])
        se = math.sqrt(max(float(g @ np.asarray(m.covariance) @ g), 0.0))
        z = stats.norm.ppf(0.5 + self.confidence / 2)
        return float(stats.norm.cdf(zt)), float(stats.norm.cdf(zt - z * se)), float(stats.norm.cdf(zt + z * se))

    def mean_path(self, hours: np.ndarray) -> np.ndarray:
        """The median unit's path exp(mu) (t / t_ref)^gamma (the path of a unit with b = mu)."""
        return np.exp(self.theta[0]) * (np.asarray(hours, float) / T_REF_HOURS) ** self.gamma

    def to_dict(self) -> dict[str, Any]:
        s = self.summary()
        life = self.life_model()
        b10 = self.quantile(0.10)
        b50 = self.quantile(0.50)
        return {
            "form": self.form.value, "threshold": self.threshold, "confidence": self.confidence,
            "t_ref_hours": T_REF_HOURS,
            "parameters": {k: float(s.loc[k, "estimate"]) for k in PARAMETERS},
            "intervals": {k: [float(s.loc[k, "lower"]), float(s.loc[k, "upper"])] for k in PARAMETERS},
            "log_likelihood": self.log_likelihood, "n_units": self.n_units,
            "n_readings": self.n_readings,
            "life": life.to_dict(),
            "b10_hours": list(b10), "median_hours": list(b50),
            "predictions": self.predictions.reset_index().to_dict(orient="records"),
            "arrhenius": self.arrhenius,
        }

    def plot(self, ax=None):
        """The readings' paths, the threshold and the fitted median path on ``ax`` (a new
        ``Figure``, not pyplot's, if None); returns the Axes."""
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(7.5, 5.5), dpi=110).add_subplot()
        if self.paths is not None:
            for k, (_, g) in enumerate(self.paths.groupby("unit_id", sort=False)):
                ax.plot(g["hours"], g["increase"] * 100, "-o", ms=2.5, lw=0.8, color="0.55",
                        label="units' readings" if k == 0 else None)
            top = float(self.paths["hours"].max())
        else:
            top = float(self.predictions["last_hours"].max())
        horizon = max(top, min(float(self.quantile(0.5)[0]), 3 * top))
        t = np.linspace(0, horizon, 200)
        ax.plot(t, self.mean_path(t) * 100, color="tab:blue", lw=2.2,
                label=f"fitted median path ({self.form.value})")
        ax.axhline(self.threshold * 100, color="tab:red", ls="--",
                   label=f"threshold +{self.threshold * 100:g}%")
        ax.set_xlabel("hours since the unit's first reading")
        ax.set_ylabel("increase of bias current over its start (%)")
        b10 = self.quantile(0.10)
        ax.set_title(f"degradation paths of {self.n_units} units; time to threshold B10 "
                     f"{b10[0]:,.0f} h")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
        return ax

    def save_plot(self, path: str) -> None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(7.5, 5.5), dpi=110)
        self.plot(ax=fig.add_subplot())
        fig.tight_layout()
        fig.savefig(path)


def fit_degradation(readings, threshold: float | str, *, form: PathForm | str = "linear",
                    confidence: float = 0.95, at: float | None = None) -> DegradationFit:
    """Fit the path model to telemetry (:class:`failure_data.telemetry.Telemetry`, or a frame of
    ``unit_id``, ``hours``, ``increase`` with each unit's first reading its start).

    Raises
    ------
    ParameterError
        A threshold or confidence out of range, an unknown form.
    FitError
        Too few units, no rise to fit, or a likelihood that cannot be maximised.
    """
    thr = parse_threshold(threshold)
    try:
        form = PathForm(str(form))
    except ValueError:
        raise ParameterError(f"path form {form!r} is not known; use {' or '.join(PathForm)}") from None
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence = {confidence!r} must be in (0, 1), e.g. 0.95")
    source: dict[str, Any] = {}
    frame = readings
    if hasattr(readings, "provenance") and hasattr(readings, "data"):
        frame = readings.data
        p = readings.provenance
        source = {"file": p.path, "sha256": p.sha256, "rows": p.rows, "as_of": p.as_of}
    if at is not None and not (isinstance(at, int | float) and math.isfinite(at) and -273.15 < at < 1000):
        raise ParameterError(f"use temperature at = {at!r} must be a temperature in °C, e.g. 45")
    d = _arrays(frame, thr, at)
    n = len(d.units)
    if n < 3:
        raise FitError(f"{n} unit{'s' if n != 1 else ''} in the telemetry; a random-effects path model "
                       "estimates the spread between units and needs at least 3 (5 or more for a "
                       "useful interval)")
    if not np.any(d.y[d.mask] > 0):
        raise FitError("no reading rises above its unit's start; the bias currents show no "
                       "degradation to fit (check that bias_ma is the operating current)")
    theta0, b0 = _two_stage(d, form)
    power, arrh = form is PathForm.power, d.z is not None
    # the free parameters: mu, ln tau, ln sigma, then gamma (power form), then beta (Arrhenius)
    start = list(theta0[:3]) + ([theta0[3]] if power else [])
    if arrh:  # beta from each unit's two-stage coefficient against its Arrhenius term
        zc = d.z - d.z.mean()
        beta0 = float(np.sum(zc * (b0 - b0.mean())) / np.sum(zc * zc))
        start[0] = float(b0.mean() - beta0 * d.z.mean())
        start.append(beta0)

    def full_of(th: np.ndarray) -> np.ndarray:
        return np.array([th[0], th[1], th[2], th[3] if power else 1.0,
                         th[-1] if arrh else 0.0])

    def nll(th: np.ndarray) -> float:
        v = -_loglik(full_of(th), d, b0, form)
        return v if math.isfinite(v) else 1e300

    best = None
    for method in ("Nelder-Mead", "BFGS"):
        x0 = np.array(start) if best is None else best.x
        opts = {"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000} if method == "Nelder-Mead" else {"gtol": 1e-7}
        res = optimize.minimize(nll, x0, method=method, options=opts)
        if best is None or res.fun <= best.fun:
            best = res
    th = best.x
    hess = _hessian(nll, th)
    try:
        cov_free = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        cov_free = None
    if cov_free is None or not np.all(np.isfinite(cov_free)) or np.any(np.diag(cov_free) <= 0):
        raise FitError("the path model's likelihood has no curvature at its maximum (a parameter is "
                       "not identified: units too alike, or readings too few); try the linear form "
                       f"({option('form', 'form=')}\"linear\"), or more units or readings")
    cov5 = np.zeros((5, 5))
    idx = [0, 1, 2] + ([3] if power else []) + ([4] if arrh else [])
    cov5[np.ix_(idx, idx)] = (cov_free + cov_free.T) / 2
    cov = cov5[:4, :4]
    full5 = full_of(th)
    full = full5[:4]
    mu, tau, sigma, gamma = full[0], math.exp(full[1]), math.exp(full[2]), full[3]
    arrhenius = None
    if arrh:  # the activation energy Ea = beta / gamma (time scaled by exp(Ea z): b by gamma Ea z)
        beta = full5[4]
        ea = beta / gamma
        grad = np.array([-beta / gamma**2, 1.0 / gamma])
        se = math.sqrt(max(float(grad @ cov5[np.ix_([3, 4], [3, 4])] @ grad), 0.0))
        zq = stats.norm.ppf(0.5 + confidence / 2)
        arrhenius = {"use_temperature_c": float(at), "activation_energy_ev": float(ea),
                     "interval": [float(ea - zq * se), float(ea + zq * se)], "se": se,
                     "temperatures_c": [float(d.temperatures.min()), float(d.temperatures.max())]}
    mode, scale = _posterior_mode(d, mu + (full5[4] * d.z if arrh else 0.0), tau, sigma, gamma, b0)
    z = stats.norm.ppf(0.5 + confidence / 2)

    def cross(b):
        return T_REF_HOURS * (thr * np.exp(-b)) ** (1 / gamma)

    pred = pd.DataFrame({
        "unit_id": d.units,
        "last_hours": d.last_hours,
        "last_increase": np.array([d.y[i, d.mask[i]][-1] for i in range(n)]),
        "predicted_hours": cross(mode),
        "lower_hours": cross(mode + z * scale),
        "upper_hours": cross(mode - z * scale),
        "observed_over_hours": d.first_over,
    }).set_index("unit_id")
    paths = frame[["unit_id", "hours", "increase"]].copy()
    paths["hours"] = paths["hours"] - paths.groupby("unit_id", sort=False)["hours"].transform("first")
    return DegradationFit(form, thr, full, cov, -float(best.fun), confidence, n, int(d.mask.sum()),
                          pred, source, paths, arrhenius)


# ---------------------------------------------------------------------- with a failure log
@dataclass(frozen=True)
class OtherMode:
    """What a failure log of the same units adds to a degradation fit: a unit that failed before
    its bias current read over the threshold failed of another mode (competing risks, the modes
    independent). ``table`` is that mode's life table over the telemetry's units (a failure at
    its age; censored when a reading first reached the threshold, else at its last reading or
    its failure log's end of observation, whichever is later), for ``reliability.fit``."""

    table: Any  # failure_data.table.LifeTable
    n_failures: int
    exposure_hours: float
    failed_over: int  # units the log says failed that had read over the threshold first
    without_telemetry: list[str]  # units of the log with no telemetry (not part of either)

    def to_dict(self) -> dict[str, Any]:
        return {"n_failures": self.n_failures, "exposure_hours": self.exposure_hours,
                "n_units": int(self.table.n_units), "failed_over_threshold": self.failed_over,
                "units_without_telemetry": self.without_telemetry}


def other_mode(fit: DegradationFit, readings, failures) -> tuple[DegradationFit, OtherMode]:
    """Combine a fit with a failure log (a ``LifeTable`` with a ``unit_id`` column) of the same
    units; ages are the telemetry's ``hours`` (the units' ages) and the log's. Returns the fit
    with its predictions gaining ``failed_other_mode_hours`` (NaN: none), and the other mode.

    Raises
    ------
    FitError
        The log has no unit_id column, or a unit has a reading after the age the log says it
        failed at.
    """
    from failure_data.table import LifeTable

    data = failures.data
    if "unit_id" not in data.columns:
        raise FitError("the failure log has no unit_id column, so its units cannot be matched to "
                       "the telemetry's; add the lasers' unit_id to the log")
    frame = readings.data if hasattr(readings, "data") else readings
    ages = frame.groupby(frame["unit_id"].astype(str), sort=False)["hours"].agg(["first", "last"])
    failed = data[data["kind"] != "right"]
    fail_age = pd.Series(failed["upper"].to_numpy(float), index=failed["unit_id"].astype(str))
    fail_age = fail_age.groupby(level=0).min()
    seen = pd.Series(data["upper"].where(data["kind"] != "right", data["lower"]).to_numpy(float),
                     index=data["unit_id"].astype(str)).groupby(level=0).max()
    late = [(u, float(ages.loc[u, "last"]), float(a)) for u, a in fail_age.items()
            if u in ages.index and ages.loc[u, "last"] > a]
    if late:
        u, last, a = late[0]
        raise FitError(f"unit {u!r} has a reading at age {last:g} h, after the age the failure log "
                       f"says it failed at ({a:g} h){f' (and {len(late) - 1} more units)' if len(late) > 1 else ''}; "
                       "fix the log or the telemetry (ages are the hours of both)")
    pred = fit.predictions.copy()
    start = ages["first"].reindex(pred.index)
    over_age = pred["observed_over_hours"] + start  # the age a reading first reached the threshold
    f_age = fail_age.reindex(pred.index)
    other = f_age.notna() & ~(over_age <= f_age)
    pred["failed_other_mode_hours"] = f_age.where(other)
    end = np.fmax(ages["last"].reindex(pred.index).to_numpy(float),
                  seen.reindex(pred.index).to_numpy(float))
    duration = np.where(other, f_age, np.where(over_age.notna(), over_age, end))
    table = LifeTable.from_durations(duration, other.to_numpy(bool),
                                     covariates={"unit_id": pred.index.astype(str).tolist()})
    import dataclasses

    mode = OtherMode(table, int(other.sum()), float(np.sum(duration)), int((f_age.notna() & ~other).sum()),
                     sorted(set(fail_age.index) - set(pred.index)))
    return dataclasses.replace(fit, predictions=pred), mode
