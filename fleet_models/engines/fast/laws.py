"""The life laws the fast engine compiles, and how lives are drawn from them.

Each compiled family (:data:`COMPILED`) gives its cdf, inverse cdf, cumulative hazard
and its inverse as closed forms of two numbers ``(a, b)`` (:func:`_life_arrays`). Lives are
drawn two ways, both exact in law:

* a cohort: the elements of a replace-switch kind on one chassis start together and only the
  chassis' replacement renews them, so their failures are drawn in order, one at a time, each
  when the one before it happens (Renyi: the cumulative hazard grows by an exponential over the
  number of survivors at each failure, :func:`_cohort_age`; the element is a uniform choice
  among the survivors, :func:`_survivor`). A replacement thus leaves no stale lives behind.
* the others (swapped units, which renew one at a time): which elements fail within the horizon
  H' left by geometric skips (:func:`_failing`: Bernoulli thinning at F(H') per element, the
  exact law of binomial thinning plus a uniform choice), then their lives by truncated sampling
  ppf(U F(H')).
"""

from __future__ import annotations

import math

import numpy as np

from fleet_models.engines.fast.jit import _helper
from fleet_models.engines.fast.rng import _uniform

COMPILED: dict[str, tuple[int, str | float, str]] = {
    "weibull": (0, "shape", "scale"),
    "exponential": (1, 1.0, "scale"),  # a Weibull of shape 1
    "lognormal": (2, "mu", "sigma"),
    "loglogistic": (3, "shape", "scale"),
}
"""The families of ``reliability.families.FAMILIES`` with a compiled law: name -> (the code the
compiled functions below dispatch on, the family parameter (or constant) that is their ``a``,
the one that is their ``b``). A family not listed here (nor in :data:`SHARED`) runs on the
SimPy engine."""

SHARED: dict[str, tuple[str, str]] = {"lfp": ("weibull", "defective")}
"""Families compiled as another's law of which only a share of units ever fails: name -> (the
compiled family whose parameters it shares, the parameter that is that share). With a life's
dead-on-arrival share d, every compiled life is F(t) = d + (1 - d) p F0(t) (:func:`_cdf_z`);
d = 0 and p = 1 take the plain law's own arithmetic, so those runs are unchanged to the bit."""


@_helper
def _ndtri(p):
    """Inverse standard normal cdf: Acklam's rational approximation, one Halley step."""
    if p <= 0.0:
        return -np.inf
    if p >= 1.0:
        return np.inf
    plow = 0.02425
    if p < plow:
        q = math.sqrt(-2.0 * math.log(p))
        x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
               - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) / \
            ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
              + 3.754408661907416e+00) * q + 1.0)
    elif p <= 1.0 - plow:
        q = p - 0.5
        r = q * q
        x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
               + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q / \
            (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
               + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1.0)
    else:
        q = math.sqrt(-2.0 * math.log1p(-p))
        x = -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) / \
            ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
              + 3.754408661907416e+00) * q + 1.0)
    e = 0.5 * math.erfc(-x / math.sqrt(2.0)) - p
    u = e * math.sqrt(2.0 * math.pi) * math.exp(x * x / 2.0)
    return x - u / (1.0 + x * u / 2.0)


@_helper
def _cdf(fam, a, b, t):
    if t <= 0.0:
        return 0.0
    if fam == 0 or fam == 1:  # weibull (shape a, scale b); exponential: a = 1
        log_h = a * math.log(t / b)
        return 1.0 if log_h > 700.0 else -math.expm1(-math.exp(log_h))
    if fam == 2:  # lognormal (mu a, sigma b)
        return 0.5 * math.erfc(-((math.log(t) - a) / b) / math.sqrt(2.0))
    z = -a * math.log(t / b)  # loglogistic (shape a, scale b)
    return 0.0 if z > 700.0 else 1.0 / (1.0 + math.exp(z))


@_helper
def _ppf(fam, a, b, q):
    if fam == 1:  # exponential: b (-log(1 - q)), what the Weibull line gives at a = 1, no pow
        return -b * math.log1p(-q)
    if fam == 0:
        return b * (-math.log1p(-q)) ** (1.0 / a)
    if fam == 2:
        return math.exp(a + b * _ndtri(q))
    return b * (q / (1.0 - q)) ** (1.0 / a)


@_helper
def _hazard_to(fam, a, b, t):
    """The cumulative hazard -log S(t) at age t."""
    if t <= 0.0:
        return 0.0
    if fam == 1:
        return t / b
    if fam == 0:
        return (t / b) ** a
    if fam == 2:
        return -math.log(0.5 * math.erfc(((math.log(t) - a) / b) / math.sqrt(2.0)))
    return math.log1p((t / b) ** a)


@_helper
def _life_at(fam, a, b, h):
    """The age at which the cumulative hazard -log S reaches h (the inverse of H(t))."""
    if fam == 1:
        return b * h
    if fam == 0:
        return b * h ** (1.0 / a)
    if fam == 2:  # S = 1 - Phi(z): z = ndtri(1 - S), from the tail that keeps its digits
        z = _ndtri(-math.expm1(-h)) if h < 0.6931471805599453 else -_ndtri(math.exp(-h))
        return math.exp(a + b * z)
    return b * math.expm1(h) ** (1.0 / a)  # loglogistic: S = 1 / (1 + (t/b)^a)


@_helper
def _cdf_z(fam, a, b, d, p, t):
    """F(t) = d + (1 - d) p F0(t): a share d fails at installation, a share p ever fails."""
    if d == 0.0 and p == 1.0:
        return _cdf(fam, a, b, t)
    if t < 0.0:
        return 0.0
    return d + (1.0 - d) * p * _cdf(fam, a, b, t)


@_helper
def _ppf_z(fam, a, b, d, p, q):
    """The inverse of :func:`_cdf_z`: 0 (installation) up to d, inf past d + (1 - d) p."""
    if d == 0.0 and p == 1.0:
        return _ppf(fam, a, b, q)
    if q <= d:
        return 0.0
    w = (q - d) / ((1.0 - d) * p)
    return np.inf if w >= 1.0 else _ppf(fam, a, b, w)


@_helper
def _hazard_to_z(fam, a, b, d, p, t):
    """-log(1 - F(t)) of :func:`_cdf_z`."""
    if d == 0.0 and p == 1.0:
        return _hazard_to(fam, a, b, t)
    if t < 0.0:
        return 0.0
    return -math.log1p(-d) - math.log1p(-p * _cdf(fam, a, b, t))


@_helper
def _life_at_z(fam, a, b, d, p, h):
    """The age at which :func:`_hazard_to_z` reaches h: 0 up to -log(1 - d), inf beyond the
    share that ever fails."""
    if d == 0.0 and p == 1.0:
        return _life_at(fam, a, b, h)
    h0 = -math.log1p(-d)
    if h <= h0:
        return 0.0
    w = -math.expm1(-(h - h0)) / p  # F0 at the age sought: 1 - p F0 = exp(-(h - h0))
    return np.inf if w >= 1.0 else _ppf(fam, a, b, w)


@_helper
def _cohort_age(st, r, c, u_any, fam, a, b, d, p, h_end, ch_h, ch_left):
    """The age of cohort c's next failure, inf if it comes after the horizon: the cumulative
    hazard (ch_h[c]) grows by an exponential E = -log(1 - u) over the ch_left[c] survivors
    (Renyi), which are one fewer after. u_any is the chance that a new cohort sees a failure
    within the horizon at all (1 for a cohort under way): a uniform above it needs no
    logarithm, and an h beyond the horizon's h_end no age."""
    u = _uniform(st, r)
    h = np.inf if u >= u_any else ch_h[c] - math.log1p(-u) / ch_left[c]
    ch_h[c] = h
    ch_left[c] -= 1
    return _life_at_z(fam, a, b, d, p, h) if h <= h_end else np.inf


@_helper
def _survivor(st, r, n, elements, s, base, failed):
    """The unit of an element drawn uniformly among the survivors of a cohort of n elements
    (units from base, ``elements`` each): a unit's elements are alike, so its first
    failed[s, unit] of them stand for its failed ones, and a draw landing on one is drawn again."""
    while True:
        j = min(np.int64(_uniform(st, r) * n), n - 1)
        u = j // elements
        if j - u * elements >= failed[s, base + u]:
            return u


@_helper
def _failing(st, sid, n, f, out):
    """Which of n new elements fail (each with probability f): geometric skips over the indices
    (for f > 1/2 over the survivors); writes the indices in increasing order, returns the count."""
    if f <= 0.0:
        return 0
    if f >= 1.0:
        for i in range(n):
            out[i] = i
        return n
    g = f if f <= 0.5 else 1.0 - f
    lq = math.log1p(-g)
    c = 0
    i = -1
    while True:
        # a float floor: the gap may exceed any integer when g is tiny (numba's math.floor
        # would overflow int64)
        gap = np.floor(math.log(1.0 - _uniform(st, sid)) / lq)
        if i + 1.0 + gap >= n:
            break
        i += 1 + np.int64(gap)
        out[c] = i
        c += 1
    if f <= 0.5:
        return c
    # out[:c] are the survivors: return the complement
    m = 0
    j = 0
    for i in range(n):
        if j < c and out[j] == i:
            j += 1
        else:
            out[c + m] = i
            m += 1
    for i in range(m):
        out[i] = out[c + i]
    return m


def _life_arrays(lives) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The compiled laws' (code, a, b) of each life, read by :data:`COMPILED`."""
    fam = np.empty(len(lives), dtype=np.int64)
    pa = np.empty(len(lives))
    pb = np.empty(len(lives))
    for i, life in enumerate(lives):
        code, a, b = COMPILED[SHARED.get(life.family.name, (life.family.name,))[0]]
        fam[i] = code
        pa[i] = a if isinstance(a, float) else life.parameters[a]
        pb[i] = life.parameters[b]
    return fam, pa, pb


def _life_shares(lives) -> tuple[np.ndarray, np.ndarray]:
    """Each life's dead-on-arrival share d and the share p that ever fails (:func:`_cdf_z`)."""
    d = np.array([float(life.dead_on_arrival) for life in lives])
    p = np.array([float(life.parameters[SHARED[life.family.name][1]]) if life.family.name in SHARED
                  else 1.0 for life in lives])
    return d, p
