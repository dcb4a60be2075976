"""The Weibull and exponential fits that do not import lifelines (reliability/native.py), held to
lifelines' own WeibullFitter on the same records (its autograd Hessian is the covariance's
reference) and to the exponential's closed form."""

from __future__ import annotations

import numpy as np
import pytest

from failure_data.table import LifeTable
from reliability.fitting import fit


def _table(seed, entry=False):
    rng = np.random.default_rng(seed)
    n = 500
    t = 2e4 * rng.weibull(0.8, n)
    c = rng.uniform(2e3, 3e4, n)
    e = rng.uniform(0, 1e3, n) * (rng.random(n) < 0.3) if entry else None
    if entry:
        keep = np.minimum(t, c) > e
        t, c, e = t[keep], c[keep], e[keep]
    return LifeTable.from_durations(np.minimum(t, c), t <= c, entry=e), (np.minimum(t, c), t <= c, e)


@pytest.mark.parametrize("entry", [False, True])
def test_native_weibull_is_lifelines_weibull(entry):
    from lifelines import WeibullFitter

    table, (t, failed, e) = _table(4 + entry, entry)
    r = fit(table, "weibull")
    assert r.optimizer == "newton (closed-form derivatives)"
    wf = WeibullFitter().fit(t, failed, entry=e)
    assert r.parameters["shape"] == pytest.approx(wf.rho_, rel=1e-6)
    assert r.parameters["scale"] == pytest.approx(wf.lambda_, rel=1e-6)
    assert r.log_likelihood == pytest.approx(wf.log_likelihood_, rel=1e-10)
    cov = wf.variance_matrix_.loc[["rho_", "lambda_"], ["rho_", "lambda_"]].to_numpy()
    assert np.array(r.model.covariance) == pytest.approx(cov, rel=1e-4)


def test_native_exponential_is_the_closed_form():
    table, (t, failed, _) = _table(6)
    r = fit(table, "exponential")
    scale = t.sum() / failed.sum()
    assert r.parameters["scale"] == pytest.approx(scale, rel=1e-12)
    assert r.model.covariance[0][0] == pytest.approx(scale ** 2 / failed.sum(), rel=1e-12)
    assert r.log_likelihood == pytest.approx(-failed.sum() * np.log(scale) - t.sum() / scale, rel=1e-12)


def test_interval_data_still_goes_through_lifelines():
    table = LifeTable.from_intervals([0, 100, 200, 300], [100, 200, 300, np.inf], count=[3, 5, 4, 20])
    assert fit(table, "weibull").optimizer == "lifelines"


def test_a_weibull_fit_does_not_import_lifelines():
    import subprocess
    import sys

    code = ("import sys; from failure_data.readers import read_life_table, samples_path; "
            "from reliability.fitting import fit; "
            "fit(read_life_table(samples_path('three_failures.csv')), 'weibull'); "
            "print('lifelines' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
