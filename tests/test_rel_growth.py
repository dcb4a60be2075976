"""Reliability growth (Crow-AMSAA) and the mean cumulative function (reliability.growth).

References: Crow's 22 failure times of a prototype tested to its 22nd failure at 620 h, with
beta = 0.6142 and lambda = 0.4239 (ReliaSoft, "Crow-AMSAA Model Examples", Reliability Growth
and Repairable System Analysis Reference: beta = 22 / (22 ln 620 - 105.6355)); the exact
chi-square pivot checked by simulating power-law processes (coverage within 4 binomial standard
errors); the MCF and its Lawless-Nadeau variance worked by hand on three systems below, and the
MCF's band checked by simulating Poisson processes.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.errors import DataValidationError
from failure_data.events import EventLog, events_from_frame, read_events
from reliability.growth import crow_amsaa, mean_cumulative_function

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "failure_data" / "samples" / "switch_repairs.csv"
CROW = [2.7, 10.3, 12.5, 30.6, 57.0, 61.3, 80.0, 109.5, 125.0, 128.6, 143.8, 167.9, 229.2, 296.7, 320.6,
        328.2, 366.2, 396.7, 421.1, 438.2, 501.2, 620.0]


def _log(systems, checked=True):
    """systems: {id: (event ages, end)} -> EventLog (read as a file is, or built directly for the
    simulations' thousands of logs)."""
    if not checked:
        ev = pd.DataFrame([(u, float(a), 0) for u, (ages, _) in systems.items() for a in ages],
                          columns=["unit_id", "age", "line"])
        return EventLog(ev, pd.Series({u: float(end) for u, (_, end) in systems.items()}))
    rows = [(u, a, 1) for u, (ages, _) in systems.items() for a in ages]
    rows += [(u, end, 0) for u, (_, end) in systems.items()]
    return events_from_frame(pd.DataFrame(rows, columns=["unit_id", "age", "event"]))


def test_crows_published_example():
    r = crow_amsaa(_log({"proto": (CROW, 620.0)}))
    assert r.failure_terminated and r.n == 22
    assert r.beta == pytest.approx(0.6142, abs=5e-5) and r.lam == pytest.approx(0.4239, abs=5e-5)
    assert r.beta == pytest.approx(22 / (22 * math.log(620) - 105.6355), rel=1e-5)
    # instantaneous MTBF at 620 h: 1 / (lambda beta T^(beta - 1)), worked out from the rounded values
    assert r.mtbf_at_end()[0] == pytest.approx(1 / (0.4239 * 0.6142 * 620 ** (0.6142 - 1)), rel=2e-4)
    assert r.beta_unbiased == pytest.approx(20 / 22 * r.beta, rel=1e-12)


def _power_law(rng, lam, beta, end):
    g = np.cumsum(rng.exponential(1.0, 200))
    t = (g / lam) ** (1 / beta)
    return t[t < end]


def test_the_beta_interval_covers_as_stated():
    rng = np.random.default_rng(17)
    beta, lam, end, n_rep = 0.7, 0.5, 400.0, 1000
    hits = 0
    for _ in range(n_rep):
        systems = {f"S{i}": (list(_power_law(rng, lam, beta, end)), end) for i in range(3)}
        if sum(len(a) for a, _ in systems.values()) < 2:
            continue
        lo, hi = crow_amsaa(_log(systems, checked=False), confidence=0.90).beta_interval
        hits += lo < beta < hi
    assert abs(hits / n_rep - 0.90) < 4 * math.sqrt(0.9 * 0.1 / n_rep)


def test_the_trend_test_holds_its_level_under_a_constant_rate():
    rng = np.random.default_rng(23)
    n_rep = 1000
    low = sum(crow_amsaa(_log({"S": (list(_power_law(rng, 0.05, 1.0, 500.0)), 500.0)}, False)).trend_p_value < 0.10
              for _ in range(n_rep))
    assert abs(low / n_rep - 0.10) < 4 * math.sqrt(0.1 * 0.9 / n_rep)


def test_the_mcf_and_its_variance_by_hand():
    # A: events at 5 and 10, observed to 20; B: event at 10, to 15; C: none, to 8
    f = mean_cumulative_function(_log({"A": ([5.0, 10.0], 20.0), "B": ([10.0], 15.0), "C": ([], 8.0)}))
    assert list(f["age"]) == [5.0, 10.0] and list(f["at_risk"]) == [3, 2] and list(f["events"]) == [1, 2]
    assert list(f["mcf"]) == pytest.approx([1 / 3, 1 / 3 + 2 / 2])
    # Lawless-Nadeau: at 5, A (1/3)(1 - 1/3) = 2/9, B and C (1/3)(0 - 1/3) = -1/9: 4/81 + 1/81 + 1/81;
    # at 10 the increments are (1/2)(1 - 1) = 0 for A and B, and C is no longer observed
    assert list(f["variance"]) == pytest.approx([6 / 81, 6 / 81])


def test_the_mcf_band_covers_a_poisson_process_mean():
    rng = np.random.default_rng(5)
    rate, t0, n_rep = 0.01, 300.0, 400
    hits = 0
    for _ in range(n_rep):
        systems = {}
        for i in range(30):
            end = float(rng.uniform(200.0, 600.0))
            systems[f"S{i}"] = (_poisson(rng, rate, end), end)
        f = mean_cumulative_function(_log(systems, checked=False))
        row = f[f["age"] <= t0].iloc[-1]
        hits += row.lower <= rate * t0 <= row.upper
    # the band is asymptotic (normal): with 30 systems it holds 95 % within 4 binomial standard errors
    assert abs(hits / n_rep - 0.95) < 4 * math.sqrt(0.95 * 0.05 / n_rep)


def _poisson(rng, rate, end):
    t = np.cumsum(rng.exponential(1 / rate, 60))
    return list(t[t < end])


def test_growth_and_mcf_from_the_cli_and_the_sample():
    runner = CliRunner()
    r = runner.invoke(app, ["growth", str(SAMPLE), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    lo, hi = doc["beta_interval"]
    assert lo < 0.6 < hi and doc["systems"] == 40  # the sample's true beta (its README)
    r = runner.invoke(app, ["mcf", str(SAMPLE), "--json"])
    doc = json.loads(r.stdout)
    assert doc["events"] == len(doc["points"]) == read_events(SAMPLE).n_events
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.build("switch_repairs.csv") == SAMPLE.read_bytes()


def test_a_bad_event_log_names_the_line():
    with pytest.raises(DataValidationError) as e:
        events_from_frame(pd.DataFrame({"unit_id": ["A", "A", "B"], "age": ["10", "30", "5"], "event": ["1", "0", "1"]}))
    assert "no end-of-observation row" in str(e.value) and "line 4" in str(e.value)
    with pytest.raises(DataValidationError, match="after the end"):
        events_from_frame(pd.DataFrame({"unit_id": ["A", "A"], "age": ["40", "30"], "event": ["1", "0"]}))
