"""Uncertain inputs: the forms a file may write, their draws, and what uncertainty mode changes."""

from __future__ import annotations

import dataclasses
import json
import tomllib

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import default_scenario
from fleet_models.errors import ScenarioError
from fleet_models.model.distributions import central, ends, ppf
from fleet_models.model.spec import Uncertain
from fleet_models.runs.runner import run
from fleet_models.scenario.inputs import draws, inputs
from fleet_models.scenario.read import parse_scenario
from fleet_models.scenario.write import scenario_to_toml

TOP = 'name = "u"\nhorizon_years = 1\nreplications = 6\n'
FLEET = '[fleet]\nswitches = 3\nports_per_switch = 128\n'
HEAD = TOP + FLEET
ARCHS = '[[architectures]]\nbase = "pluggable-dsp"\n[[architectures]]\nbase = "cpo-els"\n'


def _parse(text: str, top: str = ""):
    return parse_scenario(tomllib.loads(TOP + top + FLEET + text))


def test_numbers_written_as_distributions_take_their_central_value():
    s = _parse('[policy]\nswitch_replacement_hours = { low = 4, high = 16 }\n'
               'swap_hours = { triangular = [0.03, 0.05, 0.1] }\n'
               'detection_hours = { lognormal = [0.25, 3] }\n' + ARCHS +
               '[[architectures.components]]\nname = "optical-engine"\n'
               'life = { fit_per_1e9h = { median = 1000, error_factor = 3 } }\n'
               '[uncertain."costs.gpu_hour_usd"]\nlow = 2\nhigh = 4\n')
    assert s.policy.switch_replacement_hours == 10.0  # midpoint of [4, 16]
    assert s.policy.swap_hours == 0.05  # the mode
    assert s.policy.detection_hours == 0.25  # the median
    assert s.architectures[1].components[1].life.parameters["scale"] == pytest.approx(1e6)  # 1e9 / 1000
    assert set(s.uncertain) == {"policy.switch_replacement_hours", "policy.swap_hours",
                                "policy.detection_hours", "costs.gpu_hour_usd",
                                "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"}
    # and back: the TOML writer puts every input in [uncertain]; it loads to the same scenario
    assert parse_scenario(tomllib.loads(scenario_to_toml(s))) == s


@pytest.mark.parametrize("text, words", [
    ('[uncertain."costs.pue"]\nlow = 2\nhigh = 1\n', "low = 2 must be <= high = 1"),
    ('[uncertain."costs.pue"]\nlow = 1\nmode = 3\nhigh = 2\n', "mode = 3 must be in [low, high]"),
    ('[uncertain."costs.pue"]\nmedian = 1.5\nerror_factor = 0.5\n', "must be in [1, 1_000_000]"),
    ('[uncertain."costs.pue"]\nlow = 1.2\n', "give exactly one of the forms"),
    ('[uncertain."costs.puee"]\nlow = 1.2\nhigh = 1.4\n', "did you mean 'pue'"),
    ('[uncertain."support.depot_fraction"]\nlow = 0\nhigh = 2\n', "this end of the range is not a valid"),
    ('[costs]\nrma_credit_fraction = 0.5\n', "replaced by the [support] table"),
    ('[uncertain."costs.pue"]\nlow = 1.2\nhigh = 1.4\nwidth = 3\n', "unknown key"),
    ('[costs]\npue = { lognormal = [1.5] }\n', "must be a list of 2 numbers"),
    ('[costs]\npue = { low = 1.1, high = 1.3 }\n[uncertain."costs.pue"]\nlow = 1.1\nhigh = 1.3\n',
     "is given twice"),
])
def test_bad_uncertain_inputs_are_refused_naming_the_path(text, words):
    with pytest.raises(ScenarioError) as e:
        _parse(text + ARCHS)
    assert words in str(e.value)


def test_uncertainty_with_nothing_uncertain_is_refused_saying_so():
    arch = ('[[architectures]]\nname = "a"\n[[architectures.components]]\nname = "m"\n'
            'per_switch = 1\nports_per_unit = 1\nlife = { fit_per_1e9h = 100 }\n')
    # every default that cites a published range (swap-time, ...) set to a value of the file's own,
    # and the weighted choice (support.after) to a value other than its most likely one
    cited = inputs(_parse(arch))
    tabled = ("policy", "fabric", "costs", "workload", "support")
    assert cited and all(p.startswith(tuple(t + "." for t in tabled)) for p in cited)
    assert cited["support.after"].choice == ("buy", "depot")

    def value(path: str) -> str:
        return '"depot"' if cited[path].choice else "0.012"

    tables = {t: "".join(f"{p.split('.', 1)[1]} = {value(p)}\n" for p in cited if p.startswith(t + "."))
              for t in tabled}
    policy = "".join(f"[{t}]\n{lines}" for t, lines in tables.items() if lines)
    assert not inputs(_parse(policy + arch))
    with pytest.raises(ScenarioError) as e:
        _parse(policy + arch, top="uncertainty = true\n")
    assert "nothing in this scenario is uncertain" in str(e.value)
    # a built-in's values cite catalog ranges: uncertainty = true draws those
    assert _parse(ARCHS, top="uncertainty = true\n").uncertainty


def test_dropping_architectures_keeps_only_their_inputs():
    from fleet_models.scenario.variants import only

    s = _parse(ARCHS + '[uncertain."architectures.cpo-els.switch_price_usd"]\nlow = 1\nhigh = 2\n'
               '[uncertain."costs.pue"]\nlow = 1.1\nhigh = 1.3\n')
    assert set(only(s, ("pluggable-dsp",)).uncertain) == {"costs.pue"}


@pytest.mark.parametrize("u, dist", [
    (Uncertain(low=2.0, high=5.0), stats.uniform(2.0, 3.0)),
    (Uncertain(low=1.0, mode=2.0, high=5.0), stats.triang((2 - 1) / 4, loc=1.0, scale=4.0)),
    (Uncertain(median=100.0, error_factor=3.0), stats.lognorm(np.log(3.0) / stats.norm.ppf(0.95),
                                                              scale=100.0)),
])
def test_draws_follow_the_distribution_scipy_gives(u, dist):
    q = np.linspace(0.01, 0.99, 25)
    assert ppf(u, q) == pytest.approx(dist.ppf(q), rel=1e-10)
    lo, hi = ends(u)
    assert (lo, hi) == pytest.approx((dist.ppf(0.05), dist.ppf(0.95)) if u.median else (u.low, u.high))
    assert central(u) == pytest.approx(dist.median() if u.median else (u.mode or (u.low + u.high) / 2))


def test_inputs_citing_one_catalog_key_move_together_and_every_architecture_sees_the_same_draw():
    s = default_scenario()  # no [uncertain] table: the published ranges of the values it cites
    assert not s.uncertain
    prices = [p for p in inputs(s) if p.endswith("switch_price_usd")]
    assert len(prices) == len(s.architectures)
    for i in range(5):
        d = draws(s, i, s.seed)
        assert len({round(d[p], 6) for p in prices}) == 1  # one draw of switch-price for all


def test_zero_width_ranges_give_exactly_the_fixed_input_result():
    s = _parse(ARCHS)
    fixed = run(s, workers=1)
    pinned = {"policy.switch_replacement_hours": s.policy.replacement_hours,
              "costs.gpu_hour_usd": s.costs.gpu_hour_usd,
              "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h": 3076.92}
    varied = dataclasses.replace(s, uncertainty=True, uncertain={
        p: Uncertain(low=v, high=v) for p, v in pinned.items()})
    drawn = run(varied, workers=1)
    assert drawn.replications.equals(fixed.replications)
    assert drawn.tco.equals(fixed.tco)


def test_uncertainty_mode_varies_prices_per_replication_and_compare_splits_the_spread(tmp_path):
    f = tmp_path / "u.toml"
    # 32 GPUs behind each of the 384 ports: one 12,288-GPU job, so an outage costs it what a large
    # job loses (a job of the fleet's 384 GPUs would make downtime a small part of the TCO)
    f.write_text(TOP + "uncertainty = true\n" + FLEET + ARCHS + "[workload]\ngpus_per_port = 32\n"
                 '[uncertain."costs.gpu_hour_usd"]\nlow = 1\nhigh = 10\n', encoding="utf-8")
    # 40 replications: with the file's 6, a rare switch-board failure in one replication can make
    # the fleet-luck variance estimate, and so the split, whatever that replication says
    r = CliRunner().invoke(app, ["compare", str(f), "--json", "-w", "1", "-n", "40"])
    assert r.exit_code == 0, r.output
    spread = {row["of"]: row for row in json.loads(r.stdout)["spread"]}
    assert set(spread) == {"pluggable-dsp", "cpo-els", "cpo-els - pluggable-dsp"}
    for row in spread.values():
        assert 0.0 <= row["share_from_inputs"] <= 1.0
    # a GPU-hour price between 1 and 10 USD moves the downtime cost far more than fleet luck does
    assert spread["pluggable-dsp"]["share_from_inputs"] > 0.5
