"""The family registry (reliability.families): every family's closed forms against scipy.stats,
its mean, its declarations, and the covariance rule LifeModel applies to any covariance.

References are built here from scipy.stats directly (not through ``Family.scipy``), so a wrong
law in a family class is caught. A family registered without a reference here fails
``test_every_family_has_a_reference``: add its parameter grid and scipy law to REFERENCES.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from reliability.errors import ParameterError
from reliability.families import (
    AFT,
    FAMILIES,
    LOG_SCALE,
    REQUIRED,
    SCALE,
    Family,
    Paper,
    Parameter,
)
from reliability.fitting import PARAMETER_UNITS, Distribution
from reliability.models import LifeModel


def _gengamma(mu: float, ln_sigma: float, lam: float):
    # lifelines' parametrisation as scipy's gengamma (a = 1/l^2, c = l/sigma, scale exp(mu) l^(2 sigma/l))
    sigma = math.exp(ln_sigma)
    return stats.gengamma(a=1 / lam**2, c=lam / sigma, scale=math.exp(mu) * (lam**2) ** (sigma / lam))


class _Mixed:
    """An independent reference for the mixture families (no scipy law exists): a share ``w[i]``
    of units follows the frozen scipy law ``laws[i]``, and the rest (1 - sum w) never fails. Its
    quantiles are brentq roots of its cdf (or, in the upper tail, of its survival), not
    bisection like the family's, so the two are computed independently."""

    def __init__(self, w, laws):
        self.w, self.laws = list(w), list(laws)
        self.top = float(sum(w))  # F(inf): below 1 for a limited failure population

    def cdf(self, t):
        return sum(w * law.cdf(t) for w, law in zip(self.w, self.laws, strict=True))

    def logsf(self, t):
        return np.log(1 - self.top + sum(w * law.sf(t) for w, law in zip(self.w, self.laws, strict=True)))

    def logcdf(self, t):
        return np.log(self.cdf(t))

    def logpdf(self, t):
        return np.log(sum(w * law.pdf(t) for w, law in zip(self.w, self.laws, strict=True)))

    def _root(self, f, q):
        from scipy.optimize import brentq

        out = [math.exp(brentq(lambda x, v=v: f(math.exp(x)) - v, -200.0, 200.0, xtol=1e-15, rtol=1e-15))
               for v in np.atleast_1d(q)]
        return np.array(out) if np.ndim(q) else out[0]

    def ppf(self, q):
        return self._root(lambda t: float(self.cdf(t)), q)

    def isf(self, q):
        return self._root(lambda t: -float(np.exp(self.logsf(t))), -np.asarray(q))

    def median(self):
        return self.ppf(0.5)

    def mean(self):
        return math.inf if self.top < 1 else sum(w * law.mean() for w, law in zip(self.w, self.laws, strict=True))


def _lfp(d, k, s):
    return ({"defective": d, "shape": k, "scale": s}, _Mixed([d], [stats.weibull_min(c=k, scale=s)]))


def _mix(w, k1, s1, k2, s2):
    return ({"weight": w, "shape1": k1, "scale1": s1, "shape2": k2, "scale2": s2},
            _Mixed([w, 1 - w], [stats.weibull_min(c=k1, scale=s1), stats.weibull_min(c=k2, scale=s2)]))


REFERENCES = {  # family -> [(parameters, the same law as a frozen scipy distribution)]
    "weibull": [({"shape": k, "scale": s}, stats.weibull_min(c=k, scale=s))
                for k in (0.5, 1.0, 1.3, 3.0, 8.0) for s in (1.0, 1e5)],
    "lognormal": [({"mu": m, "sigma": s}, stats.lognorm(s=s, scale=math.exp(m)))
                  for m in (0.0, 10.0) for s in (0.3, 1.2, 2.5)],
    "exponential": [({"scale": s}, stats.expon(scale=s)) for s in (1.0, 3e4, 1e7)],
    "loglogistic": [({"shape": k, "scale": s}, stats.fisk(c=k, scale=s))
                    for k in (0.7, 1.0, 2.5, 6.0) for s in (4e2, 4e4)],
    "gengamma": [({"mu": 10.0, "ln_sigma": ls, "lambda_": lam}, _gengamma(10.0, ls, lam))
                 for ls in (-0.3, 0.1) for lam in (0.5, 1.0, -0.4, 2.0)],
    "lfp": [_lfp(d, k, s) for d in (0.6, 0.95) for k, s in ((0.5, 500.0), (2.0, 3e4))],
    "mixture": [_mix(0.03, 0.5, 500.0, 1.2, 6e5), _mix(0.4, 1.0, 2e3, 3.0, 1e4),
                _mix(0.8, 2.0, 1e5, 0.7, 1e3)],
    "weibull3": [({"shape": k, "scale": s, "threshold": g}, stats.weibull_min(c=k, scale=s, loc=g))
                 for k in (1.3, 3.0) for s, g in ((1e3, 200.0), (1e5, 5e4))],
    "gamma": [({"shape": a, "scale": s}, stats.gamma(a=a, scale=s)) for a in (0.5, 1.0, 2.5, 9.0)
              for s in (1.0, 3e4)],
    # normal and SEV lives: mass below 0 under 1e-9 (mu > 6 sigma; SEV mu > 20 sigma), so
    # the law's clipping of it to 0 is out of reach of the 1e-8 quantile grid
    "normal": [({"mu": m, "sigma": s}, stats.norm(loc=m, scale=s)) for m, s in ((6e3, 1e3), (1e5, 2e3))],
    "sev": [({"mu": m, "sigma": s}, stats.gumbel_l(loc=m, scale=s)) for m, s in ((5e4, 2e3), (1e5, 2.5e3))],
}
CASES = [(name, p, ref) for name, lst in REFERENCES.items() for p, ref in lst]
IDS = [f"{name}-" + "-".join(f"{k}={v:g}" for k, v in p.items()) for name, p, _ in CASES]

# probabilities spanning both tails
Q = np.concatenate([np.geomspace(1e-8, 0.5, 30), 1 - np.geomspace(1e-8, 0.5, 30)[::-1][1:]])


def _q(ref) -> np.ndarray:
    """Probabilities the law reaches (a limited failure population's cdf tops at F(inf) < 1)."""
    top = getattr(ref, "top", 1.0)
    return Q if top == 1.0 else Q[Q < top * (1 - 1e-6)]


def _ref_ppf(ref, q: np.ndarray) -> np.ndarray:
    """scipy's quantile, each tail from the side it computes accurately (ppf below the median,
    isf above it: e.g. fisk's ppf (1/q - 1)^(-1/c) loses digits as q -> 1, its isf does not)."""
    return np.where(q <= 0.5, ref.ppf(q), ref.isf(1 - q))


def _rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.abs(b)))


def test_every_family_has_a_reference():
    assert set(REFERENCES) == set(FAMILIES)


# ---------------------------------------------------------------- (1) the engine's closed forms
@pytest.mark.parametrize("name, p, ref", CASES, ids=IDS)
def test_scalar_cdf_and_ppf_are_the_scipy_law(name, p, ref):
    fam = FAMILIES[name]
    q = _q(ref)
    t = _ref_ppf(ref, q)
    cdf = np.array([fam.cdf(p, float(x)) for x in t])
    assert all(isinstance(fam.cdf(p, float(x)), float) for x in t[:3])
    assert _rel(cdf, ref.cdf(t)) < 1e-12
    assert _rel([fam.ppf(p, float(x)) for x in q], _ref_ppf(ref, q)) < 1e-12  # float q
    assert _rel(fam.ppf(p, q), _ref_ppf(ref, q)) < 1e-12  # array q, as the engine passes
    if len(q) < len(Q):  # beyond F(inf): the units that never fail
        assert np.all(np.isinf(fam.ppf(p, Q[len(q):])))
    assert fam.cdf(p, 0.0) == 0.0 and fam.cdf(p, -1.0) == 0.0


# ---------------------------------------------------------------- (2) the likelihood's logs
def _ref_logs(name, p, ref, t):
    """scipy's log sf, log cdf, log pdf. For the log-logistic, through scipy's logistic law of
    ln T (exactly the same probabilities; density / t): fisk's logsf is log1p(-cdf), which
    keeps only ~8 digits where the survival is 1e-8."""
    if name == "loglogistic":
        z = stats.logistic(loc=math.log(p["scale"]), scale=1 / p["shape"])
        x = np.log(t)
        return z.logsf(x), z.logcdf(x), z.logpdf(x) - x
    return ref.logsf(t), ref.logcdf(t), ref.logpdf(t)


@pytest.mark.parametrize("name, p, ref", CASES, ids=IDS)
def test_log_sf_cdf_pdf_are_scipys(name, p, ref):
    fam = FAMILIES[name]
    t = _ref_ppf(ref, _q(ref))
    want_sf, want_cdf, want_pdf = _ref_logs(name, p, ref, t)
    # a log error is a relative error of the probability itself: 1e-12 of it (or of |log| >= 1)
    for got, want in ((fam.log_sf(p, t), want_sf), (fam.log_cdf(p, t), want_cdf),
                      (fam.log_pdf(p, t), want_pdf)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_log_functions_take_a_parameter_per_record(name):
    # the accelerated-life fit passes one scale (or mu) per record
    fam = FAMILIES[name]
    (p1, ref1), (p2, _) = REFERENCES[name][0], REFERENCES[name][-1]
    t = np.array([ref1.median(), 2 * ref1.median()])
    per = {k: np.array([p1[k], p2[k]]) for k in p1}
    for f in (fam.log_sf, fam.log_cdf, fam.log_pdf):
        np.testing.assert_allclose(f(per, t), [f(p1, t[:1])[0], f(p2, t[1:])[0]], rtol=1e-14)


# ---------------------------------------------------------------- (3) the mean
def _mean_exists(name: str, p) -> bool:
    if name == "loglogistic":  # E[T] = integral of 1/(1 + (t/s)^k) dt: finite iff k > 1
        return p["shape"] > 1
    if name == "gengamma" and p["lambda_"] < 0:  # scipy gengamma, c < 0: finite iff a + 1/c > 0
        return 1 / p["lambda_"] ** 2 + math.exp(p["ln_sigma"]) / p["lambda_"] > 0
    return name != "lfp"  # a limited failure population's non-defective units never fail


MEAN_CASES = CASES + [
    ("loglogistic", {"shape": 0.5, "scale": 1e3}, stats.fisk(c=0.5, scale=1e3)),
    ("gengamma", {"mu": 10.0, "ln_sigma": 1.0, "lambda_": -0.5}, _gengamma(10.0, 1.0, -0.5)),
]


@pytest.mark.parametrize("name, p, ref", MEAN_CASES,
                         ids=[f"{n}-" + "-".join(f"{k}={v:g}" for k, v in p.items()) for n, p, _ in MEAN_CASES])
def test_mean_is_scipys_where_it_exists_and_inf_where_not(name, p, ref):
    got = FAMILIES[name].mean(p)
    assert LifeModel(name, p).mean() == got
    if _mean_exists(name, p):
        assert got == pytest.approx(float(ref.mean()), rel=1e-12)
    else:
        assert got == math.inf


def test_the_cases_cover_a_missing_mean_for_each_family_that_can_lack_one():
    missing = {n for n, p, _ in MEAN_CASES if not _mean_exists(n, p)}
    assert missing == {"loglogistic", "gengamma", "lfp"}
    assert not _mean_exists("loglogistic", {"shape": 1.0, "scale": 1.0})  # shape 1 itself: inf


# ---------------------------------------------------------------- (4) declarations
@pytest.mark.parametrize("name", list(FAMILIES))
def test_family_declares_everything_the_registry_requires(name):
    fam = FAMILIES[name]
    cls = type(fam)
    own = {k for c in cls.__mro__ if c is not Family and issubclass(c, Family) for k in vars(c)}
    for attr in REQUIRED:
        assert attr in own, f"{cls.__name__} does not declare {attr}"
    assert cls.scipy is not Family.scipy, f"{cls.__name__} does not declare its scipy law"
    assert fam.name == name and isinstance(fam.name, str)

    # parameters: names, units, meaning, and the lifelines attribute that holds each
    assert fam.params and all(isinstance(q, Parameter) for q in fam.parameters)
    assert fam.params == tuple(q.name for q in fam.parameters)
    assert all(q.unit and q.meaning and (q.lifelines or fam.fitter is None) for q in fam.parameters)
    assert dict(PARAMETER_UNITS[name]) == {q.name: q.unit for q in fam.parameters}
    if fam.fitter is not None:  # None: fitted by the project's likelihood (reliability.mixtures)
        fitter = fam.fitter_class()()
        assert set(fitter._fitted_parameter_names) == {q.lifelines for q in fam.parameters}
        assert sum(q.role in (SCALE, LOG_SCALE) for q in fam.parameters) == 1  # one time location
    else:  # a mixture's scales are each a time: its first is its location
        assert fam.parameters[[q.role for q in fam.parameters].index(SCALE)].role == SCALE

    # starts cover every parameter in order and lie in the parameter space
    for start in (fam.default_start, fam.data_start):
        assert list(start) == list(fam.params)
        assert all(start[k] > 0 for k in fam.positive)
        assert fam.degenerate(start) is None

    # the probability paper: F -> y -> F round trips
    assert isinstance(fam.paper, Paper)
    f = np.array([1e-4, 0.1, 0.5, 0.9])
    np.testing.assert_allclose(fam.paper.from_y(fam.paper.to_y(f)), f, rtol=1e-12)

    # accelerated-life regression: None, or a lifelines class whose blocks are named
    if fam.aft is not None:
        import lifelines

        assert isinstance(fam.aft, AFT)
        assert hasattr(lifelines, fam.aft.fitter)
        assert fam.aft.shape_param in fam.positive

    # the law itself: a frozen scipy distribution, and the Distribution enum has it
    p = REFERENCES[name][0][0]
    assert fam.scipy(p).cdf(fam.scipy(p).median()) == pytest.approx(0.5)
    assert Distribution(name).value == name


@pytest.mark.parametrize("name", list(FAMILIES))
def test_time_scale_is_the_law_with_times_divided(name):
    fam = FAMILIES[name]
    p, ref = REFERENCES[name][0]
    q = fam.time_scale(p, 7.5)
    for t in (ref.ppf(0.01), ref.median(), ref.ppf(0.99 * getattr(ref, "top", 1.0))):
        assert fam.cdf(q, t / 7.5) == pytest.approx(fam.cdf(p, t), rel=1e-12)
    assert fam.location(q) == pytest.approx(fam.location(p) / 7.5, rel=1e-14)
    assert fam.log_location(p) == pytest.approx(math.log(fam.location(p)), rel=1e-14, abs=1e-14)


def test_gengamma_warm_start_is_the_same_weibull():
    fam = FAMILIES["gengamma"]
    weibull = {"shape": 1.7, "scale": 3e4}
    start = fam.from_warm(weibull)
    for t in (1e3, 3e4, 1e5):
        assert fam.cdf(start, t) == pytest.approx(FAMILIES["weibull"].cdf(weibull, t), rel=1e-9)


def test_an_incomplete_family_is_refused_when_it_is_defined():
    with pytest.raises(TypeError, match="does not declare paper, data_start, aft, scipy"):
        class Half(Family):  # noqa: F841  (defining it is the test)
            name = "half"
            parameters = (Parameter("scale", "hours", "a life in hours", "lambda_", positive=True,
                                    role=SCALE),)
            fitter = "ExponentialFitter"
            default_start = {"scale": 1.0}
    with pytest.raises(TypeError, match="exactly one parameter must have the role"):
        class NoTime(Family):  # noqa: F841
            name = "no_time"
            parameters = (Parameter("shape", "-", "a shape", "rho_", positive=True),)
            fitter = "WeibullFitter"
            paper = FAMILIES["weibull"].paper
            default_start = data_start = {"shape": 1.0}
            aft = None

            def scipy(self, p):
                return stats.weibull_min(c=p["shape"])
    assert "half" not in FAMILIES and "no_time" not in FAMILIES


# ---------------------------------------------------------------- (5) covariance given inline
@pytest.mark.parametrize("cov, why", [
    (((1.0, 2.0), (2.0, 1.0)), "not positive semidefinite"),  # correlation 2
    (((1e-3, 0.0), (0.0, -4.0)), "the variance of scale cannot be negative"),
    (((1e-3, 5.0), (0.0, 1e8)), "a covariance matrix is symmetric"),
    (((1.0, 1.0), (1.0, 1.0 - 1e-6)), "not positive semidefinite"),  # eigenvalue -5e-7
])
def test_a_covariance_that_is_not_one_is_refused_by_the_constructor(cov, why):
    with pytest.raises(ParameterError, match="covariance") as e:
        LifeModel.weibull(1.3, 1e5, covariance=cov)
    assert why in str(e.value)
    assert "leave the covariance out" in str(e.value) or "not positive" not in why


def test_the_constructor_keeps_a_covariance_within_round_off():
    # the same tolerance as a file: a smallest eigenvalue of -5e-13 is round-off, kept as given
    m = LifeModel.weibull(1.3, 1e5, covariance=((1.0, 1.0), (1.0, 1.0 - 1e-12)))
    assert m.covariance == ((1.0, 1.0), (1.0, 1.0 - 1e-12))
    assert m.accelerated(3.0).covariance is not None  # scaling keeps it a covariance


def test_an_inline_scenario_covariance_that_is_not_one_names_the_life(tmp_path):
    from fleet_models.errors import ScenarioError
    from fleet_models.scenario.read import load_scenario

    s = tmp_path / "s.toml"
    s.write_text('name = "x"\nhorizon_hours = 1000.0\n[fleet]\nswitches = 1\nports_per_switch = 4\n'
                 '[[architectures]]\nname = "a"\n[[architectures.components]]\nname = "laser"\n'
                 'per_switch = 4\nports_per_unit = 1\nlife = { distribution = "weibull", shape = 1.3, '
                 'scale = 1e5, covariance = [[1.0, 2.0], [2.0, 1.0]] }\n')
    with pytest.raises(ScenarioError) as e:
        load_scenario(s)
    msg = str(e.value)
    assert "life" in msg and "covariance = [[1.0, 2.0], [2.0, 1.0]]" in msg
    assert "not positive semidefinite" in msg
