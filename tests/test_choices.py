"""Discrete uncertain inputs (issue 26, section 2): a field with a finite set of values (an enum:
``device_unit``, ``fabric.homing``) is an uncertain input ``{ choice = [...], weights = [...] }``,
drawn per replication with common random numbers, swept, broken even on and moved by the
tornado to each of its values."""

from __future__ import annotations

import copy
import dataclasses
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import default_scenario
from fleet_models.decisions.breakeven import breakeven
from fleet_models.decisions.evaluator import Evaluator
from fleet_models.decisions.sweep import parse_vary, sweep
from fleet_models.errors import ScenarioError
from fleet_models.model.distributions import central, ppf, problems
from fleet_models.model.paths import get_field, get_value
from fleet_models.model.spec import DeviceUnit, Homing, Uncertain
from fleet_models.runs.draws import Draws
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.variants import with_value
from reliability.models import FIT_HOURS

ENGINE = "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"
MODULE = "architectures.pluggable-dsp.components.dsp-module.life.fit_per_1e9h"

DOC = {"name": "c", "horizon_years": 1, "fleet": {"switches": 2, "ports_per_switch": 128},
       "architectures": [{"base": "pluggable-dsp"}, {"base": "cpo-els"}]}


def _doc(**top):
    d = copy.deepcopy(DOC)
    d.update(top)
    return d


def test_a_choice_draws_each_value_with_its_weight():
    # the inverse transform splits [0, 1) into the values' shares in their order
    u = Uncertain(choice=("a", "b", "c"), weights=(2.0, 1.0, 1.0))
    assert problems(u) == [] and central(u) == "a"
    q = np.array([0.0, 0.49, 0.5, 0.74, 0.75, 0.999])
    assert ppf(u, q).tolist() == [0, 0, 1, 1, 2, 2]
    # 20,000 uniforms: each share within 4 SE of its weight (binomial SE sqrt(p(1-p)/n))
    idx = ppf(u, np.random.default_rng(5).random(20_000))
    for i, p in enumerate((0.5, 0.25, 0.25)):
        assert abs(np.mean(idx == i) - p) < 4 * np.sqrt(p * (1 - p) / 20_000)
    assert central(Uncertain(choice=("x", "y"))) == "x"  # equal weights: the first


@pytest.mark.parametrize("data, words", [
    (_doc(device_unit={"choice": ["port-400g", "engine"]}),
     ["uncertain.device_unit", "engine", "choose among the field's values"]),
    (_doc(device_unit={"choice": ["port-400g", "device"], "weights": [1.0]}),
     ["weights has 1 numbers for 2 values"]),
    (_doc(device_unit={"choice": ["port-400g", "device"], "weights": [-1.0, 2.0]}),
     ["weights must be finite numbers >= 0"]),
    (_doc(device_unit={"choice": ["device", "device"]}), ["names a value twice"]),
    (_doc(device_unit={"choice": ["device"], "low": 1, "high": 2}), ["give exactly one of the forms"]),
    (_doc(uncertain={"costs.pue": {"choice": ["1.2", "1.5"]}}),
     ["uncertain.costs.pue", "is a number", "a range"]),
    (_doc(uncertain={"fabric.homing": {"low": 0, "high": 1}}),
     ["uncertain.fabric.homing", "is a choice of 'single', 'dual'", "choice = [...]"]),
])
def test_a_bad_choice_is_refused_naming_it(data, words):
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data)
    for w in words:
        assert w in str(e.value), (w, str(e.value))


def test_a_choice_in_place_or_in_the_uncertain_table_is_an_input():
    inline = parse_scenario(_doc(device_unit={"choice": ["port-400g", "device"], "weights": [0.3, 0.7]}))
    # the central value (the larger weight) is the field's value in a fixed run
    assert inline.device_unit is DeviceUnit.DEVICE
    assert inline.uncertain["device_unit"].choice == ("port-400g", "device")
    table = parse_scenario(_doc(uncertain={"fabric.homing": {"choice": ["single", "dual"]}}))
    assert table.fabric.homing is Homing.SINGLE and get_field(table, "fabric.homing") == "single"


def test_draws_read_each_replication_in_its_own_drawn_reading(tmp_path):
    sc = parse_scenario(_doc(uncertainty=True, replications=400, seed=3,
                             device_unit={"choice": ["port-400g", "device"], "weights": [0.75, 0.25]}))
    d = Draws.of_inputs(sc, sc.seed, 400)
    assert d.paths == ("device_unit",) and d.labels == {"device_unit": ("port-400g", "device")}
    values = [d.of(i)["device_unit"] for i in range(400)]
    share = values.count("device") / 400
    assert abs(share - 0.25) < 4 * np.sqrt(0.25 * 0.75 / 400)
    # replication i simulates its own reading on both sides: 8 and 2 devices per 400G port, or 1
    per_device = 1e9 / 2.6e6
    for i in range(12):
        s = d.scenario(sc, i)
        engine = FIT_HOURS / s.architectures[1].components[1].life.mean()
        module = FIT_HOURS / s.architectures[0].components[1].life.mean()
        n_engine, n_module = (8, 2) if values[i] == "port-400g" else (1, 1)
        assert engine == pytest.approx(n_engine * per_device, rel=1e-5)
        assert module == pytest.approx(n_module * 1e9 / 550e3, rel=1e-5)
    # the saved table names the values; it reads back to the same draws
    frame = d.frame()
    assert set(frame["device_unit"]) == {"port-400g", "device"}
    path = tmp_path / "draws.csv"
    frame.to_csv(path, index=False)
    import pandas as pd

    back = Draws.from_frame(pd.read_csv(path))
    assert [back.of(i) for i in range(400)] == [d.of(i) for i in range(400)]


def test_a_drawn_rate_and_a_drawn_reading_compose():
    # a replication drawing both a rate and the reading: the rate is set in the scenario's
    # reading, then re-read (device_unit is set after the numbers)
    s = default_scenario()
    both = with_value(with_value(s, ENGINE, 6000.0), "device_unit", "device")
    assert get_value(both, ENGINE) == pytest.approx(6000.0 / 8, rel=1e-9)
    from fleet_models.scenario.variants import with_values

    together = with_values(s, {"device_unit": "device", ENGINE: 6000.0})
    assert get_value(together, ENGINE) == pytest.approx(6000.0 / 8, rel=1e-9)


@pytest.fixture(scope="module")
def small():
    s = default_scenario()
    archs = tuple(a for a in s.architectures if a.name in ("pluggable-dsp", "cpo-els"))
    return dataclasses.replace(s, architectures=archs, fleet=dataclasses.replace(s.fleet, switches=4),
                               horizon_hours=8766.0, replications=8)


def test_a_choice_is_swept_and_broken_even_on(small):
    ev = Evaluator(workers=1)
    path, values = parse_vary("device_unit=port-400g,device")
    frame = sweep(small, {path: values}, ev)
    assert list(frame["device_unit"].unique()) == ["port-400g", "device"]
    be = breakeven(small, ev, "fabric.homing", "cpo-els", "pluggable-dsp", 0, 0)
    assert set(be.at_choices) == {"single", "dual"} and be.interval == (None, None)
    # the verdict flips at a value exactly when the difference there has the other sign
    single, dual = be.at_choices["single"], be.at_choices["dual"]
    assert (be.value == "dual") == ((single > 0) != (dual > 0))
    assert "fabric.homing = single" in be.text() and "fabric.homing = dual" in be.text()
    with pytest.raises(ScenarioError, match="'engine' is not one of its values"):
        sweep(small, {"device_unit": ["engine"]}, ev)
    with pytest.raises(ScenarioError, match="'x' is not a number"):
        sweep(small, {"policy.swap_hours": ["x"]}, ev)


def test_breakeven_on_a_choice_refuses_a_range_at_the_cli():
    r = CliRunner().invoke(app, ["breakeven", "--vary", "device_unit", "--between", "0", "1", "--json"])
    assert r.exit_code != 0
    assert "every value is tried, so drop --between" in json.loads(r.stdout)["error"]
