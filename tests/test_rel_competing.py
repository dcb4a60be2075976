"""Competing failure modes (reliability.competing): each mode fitted with the other modes'
failures censored, the unit's survival the product of the modes' survivals.

References: the simulated modes' true laws (recovered within 99.9 % intervals, so a fixed seed
fails by chance with odds under 1 in 250 per parameter); the censoring written out by hand here
(a table built with from_durations, the other mode's failures as survivors at their ages);
the empirical survival of the simulated minimum, within 4 binomial standard errors.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data import samples_path
from failure_data.readers import read_life_table
from failure_data.table import LifeTable
from fleet_models.scenario.read import load_scenario
from reliability.competing import fit_modes
from reliability.errors import ParameterError
from reliability.fitting import fit
from reliability.models import LifeModel

TRUE = {"wear": (2.0, 1000.0), "early": (0.8, 8000.0)}
END = 1500.0


def _simulated(n=2000, seed=12):
    rng = np.random.default_rng(seed)
    lives = np.column_stack([s * rng.weibull(k, n) for k, s in TRUE.values()])
    life, first = lives.min(axis=1), lives.argmin(axis=1)
    failed = life < END
    mode = np.where(failed, np.array(list(TRUE), dtype=object)[first], None)
    table = LifeTable.from_durations(np.minimum(life, END), failed, covariates={"mode": mode})
    return table, life, first, failed


def test_two_simulated_modes_are_recovered():
    table, *_ = _simulated()
    r = fit_modes(table, confidence=0.999)
    assert r.modes == ("early", "wear")
    for m, (k, s) in TRUE.items():
        (klo, khi), (slo, shi) = r.fits[m].intervals["shape"], r.fits[m].intervals["scale"]
        assert klo < k < khi and slo < s < shi, m


def test_each_mode_is_the_fit_with_the_other_modes_failures_censored():
    table, life, first, failed = _simulated()
    r = fit_modes(table)
    for j, m in enumerate(TRUE):
        own = failed & (first == j)
        by_hand = LifeTable.from_durations(np.minimum(life, END), own)
        want = fit(by_hand, "weibull")
        for k in ("shape", "scale"):
            assert r.fits[m].parameters[k] == pytest.approx(want.parameters[k], rel=1e-12)


def test_the_units_survival_is_the_product_of_the_modes():
    table, life, *_ = _simulated()
    r = fit_modes(table)
    t = np.array([100.0, 500.0, 1000.0, 1400.0])
    prod = np.prod([f.model.sf(t) for f in r.fits.values()], axis=0)
    np.testing.assert_allclose(r.sf(t), prod, rtol=1e-15)
    b10 = r.b_life(0.10)
    assert float(r.cdf(b10)) == pytest.approx(0.10, rel=1e-10)
    # and the product is the minimum's survival in the data (every unit observed to END)
    empirical = np.array([(life > x).mean() for x in t])
    se = np.sqrt(empirical * (1 - empirical) / len(life))
    assert np.all(np.abs(r.sf(t) - empirical) < 4 * se)


def test_a_failure_without_a_mode_and_a_log_without_the_column_are_refused():
    table, *_ = _simulated(n=50)
    d = table.data.copy()
    row = int(np.flatnonzero((d["kind"] == "exact").to_numpy())[0])
    d.loc[row, "mode"] = None
    with pytest.raises(ParameterError, match=rf"no mode \(file line\(s\) {int(d.loc[row, 'line'])}\)"):
        fit_modes(LifeTable(d))
    with pytest.raises(ParameterError, match="needs a 'mode' column"):
        fit_modes(LifeTable(d.drop(columns=["mode"])))


def test_cpo_fit_modes_saves_one_life_per_mode_for_a_fleet_component_each(tmp_path):
    runner = CliRunner()
    sample = samples_path("engine_modes.csv")
    r = runner.invoke(app, ["fit", str(sample), "--modes", "--json", "--save", str(tmp_path / "engine.json")])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc["modes"]) == {"laser", "fibre-attach"}
    assert doc["modes"]["laser"]["n_failures"] == 130 and doc["modes"]["fibre-attach"]["n_failures"] == 71
    # the sample's truth (failure_data/samples/README.md) inside each mode's interval
    for m, (k, s) in {"laser": (2.5, 4e4), "fibre-attach": (0.7, 3e5)}.items():
        iv = doc["modes"][m]["intervals"]
        assert iv["shape"][0] < k < iv["shape"][1] and iv["scale"][0] < s < iv["scale"][1], m
    (tmp_path / "s.toml").write_text("""
name = "modes"
horizon_years = 3
[fleet]
switches = 2
ports_per_switch = 8
[[architectures]]
name = "cpo"
[[architectures.components]]
name = "engine-laser"
per_switch = 2
ports_per_unit = 4
repair = "replace-switch"
life = { model = "engine.laser.json" }
[[architectures.components]]
name = "engine-fibre"
per_switch = 2
ports_per_unit = 4
repair = "replace-switch"
life = { model = "engine.fibre-attach.json" }
""")
    s = load_scenario(tmp_path / "s.toml")
    lives = {c.name: c.life for c in s.architectures[0].components}
    assert lives["engine-laser"] == LifeModel.load(tmp_path / "engine.laser.json")
    assert lives["engine-fibre"].provenance["failure_mode"] == "fibre-attach"
    assert runner.invoke(app, ["fit", str(sample), "--modes", "--plot", str(tmp_path / "p.png")]).exit_code == 2


def test_the_sample_reads_its_mode_column_as_text():
    t = read_life_table(samples_path("engine_modes.csv"))
    assert set(pd.unique(t.data.loc[t.data["kind"] == "exact", "mode"])) == {"laser", "fibre-attach"}
    assert math.isclose(t.n_failures, 201)
