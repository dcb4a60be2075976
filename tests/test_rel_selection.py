"""What `--dist auto` may conclude (reliability.selection) and the refusal of a fit that sits on a
ridge climbing to the edge of the parameter space (reliability.mixtures.edge_problem).

References: the AIC rule of thumb (Burnham & Anderson 2002, §2.6: within 2 of the best, models
have substantial support); the generalised gamma's profile likelihood computed here with
scipy.stats.gengamma (lifelines' parametrisation mapped as in tests/test_rel_families.py) and
maximised with scipy's Nelder-Mead, independent of the project's likelihood.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from typer.testing import CliRunner

from cli.main import app
from failure_data import samples_path
from failure_data.readers import read_life_table
from failure_data.table import LifeTable
from reliability.errors import FitError
from reliability.fitting import fit
from reliability.records import group_records
from reliability.selection import verdict

SAMPLE = samples_path("pluggable_800g_dated.csv")


def _ranking(rows):
    df = pd.DataFrame(rows, columns=["distribution", "aic", "b10_hours"])
    df["converged"] = True
    df["delta_aic"] = df["aic"] - df["aic"].min()
    return df


def test_equally_good_families_that_disagree_on_b10_are_not_crowned():
    v = verdict(_ranking([("a", 100.0, 1e5), ("b", 101.5, 5e5), ("c", 110.0, 1e4)]))
    assert not v["chosen"] and v["candidates"] == ["a", "b"] and v["b10_hours"] == [1e5, 5e5]
    assert "does not choose" in v["message"]


def test_equally_good_families_that_agree_and_a_clear_winner_are_chosen():
    v = verdict(_ranking([("a", 100.0, 1e5), ("b", 101.5, 1.9e5)]))
    assert v["chosen"] and "agree on B10" in v["message"]
    v = verdict(_ranking([("a", 100.0, 1e5), ("b", 102.5, 9e5)]))  # 2.5 AIC behind: not a tie
    assert v["chosen"] and v["candidates"] == ["a"]


def test_equally_good_families_that_agree_on_b10_but_not_on_f_at_the_horizon_are_not_crowned():
    # B10s within a factor 2, but F at 5 years 3 % against 12 %: the share a fleet loses over its
    # horizon is the quantity that prices it (issue 30: B10 or F at the horizon)
    df = _ranking([("a", 100.0, 1e5), ("b", 101.0, 1.5e5)])
    df["f_5y"] = [0.03, 0.12]
    v = verdict(df)
    assert not v["chosen"] and v["f_5y"] == [0.03, 0.12] and "F at 5 years 0.03-0.12" in v["message"]
    df["f_5y"] = [0.03, 0.05]
    assert verdict(df)["chosen"]


def _gengamma_loglik(mu, ln_sigma, lam, lower, upper, weight):
    """lifelines' generalised gamma as scipy's gengamma (a = 1/l^2, c = l/sigma, scale
    exp(mu) l^(2 sigma/l)), written out for exact, right- and left-censored rows."""
    sigma = math.exp(ln_sigma)
    law = stats.gengamma(a=1 / lam**2, c=lam / sigma, scale=math.exp(mu) * (lam**2) ** (sigma / lam))
    exact, right = lower == upper, np.isinf(upper)
    left = ~exact & ~right
    return (law.logpdf(upper[exact]) @ weight[exact] + law.logsf(lower[right]) @ weight[right]
            + law.logcdf(upper[left]) @ weight[left])


def test_a_gengamma_on_a_ridge_to_the_edge_is_refused_and_the_profile_proves_it():
    # the sample read as the tool read it before (dead-on-arrival units beside the law, not in it):
    # the optimiser stops near lambda = -10.9, yet the likelihood keeps rising further out
    table = read_life_table(SAMPLE, as_of="2025-12-31")
    with pytest.raises(FitError, match=r"keeps rising as lambda_ runs to -inf") as e:
        fit(table, "gengamma", doa="atom")
    rec = group_records(LifeTable(table.data))
    c = 1e4  # any time unit: the profile's comparison does not depend on it beyond a constant
    args = (rec.lower / c, rec.upper / c, rec.weight)

    def profile(lam, x0):
        o = optimize.minimize(lambda z: -_gengamma_loglik(z[0], z[1], lam, *args), x0, method="Nelder-Mead",
                              options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 4000})
        return -o.fun, o.x

    with np.errstate(all="ignore"):
        near, x = profile(-10.9, np.array([-0.4, 2.6]))
        far, _ = profile(-43.5, x)
    assert far > near + 0.1  # the ridge climbs: -10.9 is no maximum
    assert "no estimates are reported" in str(e.value)


def test_cpo_fit_auto_on_the_pluggable_sample_says_it_cannot_choose(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["fit", str(SAMPLE), "--as-of", "2025-12-31", "--dist", "auto", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    auto = doc["auto"]
    assert not auto["chosen"] and len(auto["candidates"]) >= 2
    lo, hi = auto["b10_hours"]
    assert (hi is None or hi > 2 * lo) and "--dist" in auto["message"]  # null: infinite (an LFP under 10 %)
    assert all("b10_hours" in row for row in doc["ranking"])
    r = runner.invoke(app, ["fit", str(SAMPLE), "--as-of", "2025-12-31", "--dist", "auto",
                            "--save", str(tmp_path / "m.json")])
    assert r.exit_code == 1 and "does not choose" in r.output and not (tmp_path / "m.json").exists()
