"""The families fitted by the project's likelihood beyond the mixtures: the threshold (three-
parameter) Weibull, gamma, normal and smallest extreme value, each held to scipy.stats' own
maximum-likelihood fit of the same censored sample (``<dist>.fit(CensoredData)``: a different
likelihood implementation and optimiser), and the threshold Weibull's honest refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from failure_data.table import LifeTable
from reliability.errors import FitError
from reliability.fitting import fit


def _tight(func, x0, args=(), disp=0):
    return optimize.fmin(func, x0, args=args, disp=0, xtol=1e-10, ftol=1e-12, maxiter=20_000, maxfun=40_000)


CASES = {  # family -> (true law, scipy fit keywords, scipy's fitted tuple -> our parameters)
    "weibull3": (stats.weibull_min(c=2.0, scale=1000.0, loc=500.0), {},
                 lambda c, loc, s: {"shape": c, "scale": s, "threshold": loc}),
    "gamma": (stats.gamma(a=2.5, scale=400.0), {"floc": 0}, lambda a, loc, s: {"shape": a, "scale": s}),
    "normal": (stats.norm(loc=5000.0, scale=800.0), {}, lambda m, s: {"mu": m, "sigma": s}),
    "sev": (stats.gumbel_l(loc=8000.0, scale=600.0), {}, lambda m, s: {"mu": m, "sigma": s}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_fit_is_scipys_maximum_likelihood_fit(name):
    law, kw, ours = CASES[name]
    rng = np.random.default_rng(7)
    t = law.rvs(400, random_state=rng)
    end = float(law.ppf(0.7))  # 30 % still running at the end of the test
    failed = t < end
    r = fit(LifeTable.from_durations(np.minimum(t, end), failed), name)
    sd = {"weibull3": stats.weibull_min, "gamma": stats.gamma, "normal": stats.norm, "sev": stats.gumbel_l}[name]
    if name == "weibull3":
        # scipy's fit with a free loc runs to the likelihood's singularity (shape -> 0 at the first
        # failure); the censored log-likelihood written out, maximised from the truth instead
        def nll(x):
            c, s, g = np.exp(x)
            if g >= t[failed].min():
                return np.inf
            w = stats.weibull_min(c=c, scale=s, loc=g)
            return -(w.logpdf(t[failed]).sum() + (~failed).sum() * w.logsf(end))

        theirs = ours(*np.exp(_tight(nll, np.log([2.0, 1000.0, 400.0]))[[0, 2, 1]]))
    else:
        data = stats.CensoredData(uncensored=t[failed], right=np.full(int((~failed).sum()), end))
        theirs = ours(*sd.fit(data, optimizer=_tight, **kw))
    for k, v in theirs.items():
        assert r.parameters[k] == pytest.approx(v, rel=2e-4), k
    frozen = sd(**({"c": theirs["shape"], "scale": theirs["scale"], "loc": theirs["threshold"]}
                   if name == "weibull3" else {"a": theirs["shape"], "scale": theirs["scale"]}
                   if name == "gamma" else {"loc": theirs["mu"], "scale": theirs["sigma"]}))
    their_ll = frozen.logpdf(t[failed]).sum() + (~failed).sum() * frozen.logsf(end)
    assert r.log_likelihood >= their_ll - 1e-7  # ours is at least as high: the same optimum or better
    assert r.log_likelihood == pytest.approx(their_ll, abs=1e-4)
    for k, (lo, hi) in r.intervals.items():
        assert lo < r.parameters[k] < hi


def test_a_threshold_weibull_without_a_failure_free_period_is_refused():
    rng = np.random.default_rng(3)
    t = stats.weibull_min(c=0.8, scale=1000.0).rvs(300, random_state=rng)  # shape < 1, no threshold
    with pytest.raises(FitError, match="weibull3 fit has no interior") as e:
        fit(LifeTable.from_durations(np.minimum(t, 2000.0), t < 2000.0), "weibull3")
    assert "dist=" in str(e.value) and "weibull" in str(e.value)
    assert math.isfinite(fit(LifeTable.from_durations(np.minimum(t, 2000.0), t < 2000.0), "weibull").aic)
