"""Fits run in threaded workers (Dask's default): no verdict may depend on process-wide state.

The convergence verdict used to be read from lifelines' warnings, caught with
``warnings.catch_warnings`` (a process-wide filter that another thread can
change mid-fit). It is now read from the fit's own covariance matrix.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from failure_data.table import LifeTable
from reliability._checks import covariance_is_usable
from reliability.fitting import fit


def _table(seed: int) -> LifeTable:
    rng = np.random.default_rng(seed)
    t = 3e4 * rng.weibull(1.4, 120)
    c = rng.uniform(5e3, 5e4, 120)
    return LifeTable.from_durations(np.minimum(t, c).round(3), t <= c)


@pytest.mark.parametrize("vcov, usable", [
    (np.array([[2.0, 0.5], [0.5, 1.0]]), True),
    (np.array([[1.0, 2.0], [2.0, 1.0]]), False),  # eigenvalue -1: not a covariance
    (np.array([[-1.0, 0.0], [0.0, 1.0]]), False),  # a negative variance (lifelines' StatisticalWarning)
    (np.array([[1.0, 1.0], [1.0, 1.0]]), False),  # singular: a pseudo-inverse (ApproximationWarning)
    (np.array([[np.nan, 0.0], [0.0, 1.0]]), False),
])
def test_covariance_verdict(vcov, usable):
    assert covariance_is_usable(vcov) is usable


def test_verdict_holds_when_another_thread_has_turned_warnings_into_errors_or_off(monkeypatch):
    """The same fit gives the same answer whatever the warning machinery does."""
    expected = fit(_table(1), "weibull")
    monkeypatch.setattr(warnings, "warn", lambda *a, **k: None)  # as if swallowed elsewhere
    again = fit(_table(1), "weibull")
    assert again.parameters == expected.parameters and again.optimizer == expected.optimizer


def test_fits_in_threads_equal_the_sequential_fits():
    seeds = range(8)
    sequential = [fit(_table(s), d) for s in seeds for d in ("weibull", "lognormal")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda sd: fit(_table(sd[0]), sd[1]),
                                 [(s, d) for s in seeds for d in ("weibull", "lognormal")]))
    for a, b in zip(sequential, threaded, strict=True):
        assert a.parameters == b.parameters and a.log_likelihood == b.log_likelihood
