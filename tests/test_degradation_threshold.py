"""A time to threshold read at another threshold (issue 31: the threshold is a parameter swept
through to the verdict like any input): the saved degradation path gives it in closed form,
mu_T' = mu_T + (ln D' - ln D) / gamma with sigma_T unchanged (reliability.threshold), which
must equal what the same fitted path gives at D' directly."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from pathlib import Path

import pytest

from failure_data.readers import samples_path
from fleet_models.errors import ScenarioError
from fleet_models.model.paths import get_value, set_unchecked
from fleet_models.runs.runner import run
from fleet_models.scenario.read import load_scenario, parse_scenario
from reliability.errors import ParameterError
from reliability.models import LifeModel
from reliability.threshold import at_threshold, is_time_to_threshold

SCENARIO = Path(__file__).resolve().parents[1] / "failure_data" / "samples" / "threshold.toml"
PATH = "architectures.cpo-internal-laser.components.internal-laser-wearout.life.threshold"


@pytest.fixture(scope="module")
def fitted():
    from failure_data.telemetry import read_telemetry
    from reliability.degradation import fit_degradation

    return fit_degradation(read_telemetry(samples_path("laser_telemetry.csv")), "20%", form="power")


@pytest.mark.parametrize("other", [0.1, 0.5, 1.0])
def test_a_life_read_at_another_threshold_is_the_fit_at_that_threshold(fitted, other):
    # the same path (theta) at threshold D' directly: DegradationFit.life_model's own formula
    direct = dataclasses.replace(fitted, threshold=other).life_model()
    moved = at_threshold(fitted.life_model(), other)
    for name in ("mu", "sigma"):
        assert moved.parameters[name] == pytest.approx(direct.parameters[name], rel=1e-12, abs=1e-12)
    assert moved.provenance["threshold"] == other
    # closed form: the median scales by (D'/D)^(1/gamma)
    ratio = math.exp(moved.parameters["mu"] - fitted.life_model().parameters["mu"])
    assert ratio == pytest.approx((other / 0.2) ** (1 / fitted.gamma), rel=1e-12)
    assert moved.covariance is None  # a value set by hand, as every path sets one


def test_only_a_time_to_threshold_takes_a_threshold(fitted):
    plain = LifeModel.lognormal(9.0, 0.3)
    assert not is_time_to_threshold(plain) and is_time_to_threshold(fitted.life_model())
    with pytest.raises(ParameterError, match="saved by cpo degrade"):
        at_threshold(plain, 0.5)
    with pytest.raises(ParameterError, match="above 0"):
        at_threshold(fitted.life_model(), 0.0)


def test_the_sample_scenario_sweeps_the_threshold_through_to_the_verdict():
    sc = load_scenario(SCENARIO)
    assert get_value(sc, PATH) == pytest.approx(0.2)
    diffs = []
    for d in (0.1, 0.5):
        res = run(set_unchecked(sc, {PATH: d}), replications=8, workers=1)
        tco = res.tco.groupby("architecture")["tco_usd"].mean()
        diffs.append(tco["cpo-internal-laser"] - tco["pluggable-dsp"])
    # a higher threshold is a longer time to it: fewer wear-out replacements, a smaller CPO cost
    assert diffs[1] < diffs[0]
    with pytest.raises(ScenarioError, match="threshold"):
        set_unchecked(sc, {PATH: -1.0})
    plain = PATH.replace("internal-laser-wearout", "optical-engine")
    with pytest.raises(ScenarioError):
        set_unchecked(sc, {plain: 0.3})  # an engine's life has no threshold


def test_the_threshold_is_an_uncertain_input_like_any_other():
    text = SCENARIO.read_text(encoding="utf-8")
    text += f'\n[uncertain."{PATH}"]\nlow = 0.1\nhigh = 0.5\n'
    sc = parse_scenario(tomllib.loads(text), base_dir=SCENARIO.parent)
    assert PATH in sc.uncertain
    from fleet_models.decisions.tornado import uncertain_inputs

    assert any(PATH in i.paths for i in uncertain_inputs(sc))


# ---------------------------------------------------------------------- temperature (Arrhenius)

def _two_temperatures(tmp_path, ea: float = 0.4, seed: int = 7):
    """48 lasers at the use temperature 45 °C and 48 at 85 °C, each group drawn from the stated
    path model (failure_data.telemetry.TelemetrySpec); the hot ones' b shifted by
    gamma x Ea x (1/(k T_use) - 1/(k T_hot)), i.e. their time scaled by the Arrhenius factor."""
    import numpy as np
    import pandas as pd

    from failure_data.telemetry import TelemetrySpec, synthesize_telemetry
    from reliability.degradation import BOLTZMANN_EV

    spec = TelemetrySpec()
    z = 1 / (BOLTZMANN_EV * (45 + 273.15)) - 1 / (BOLTZMANN_EV * (85 + 273.15))
    rng = np.random.default_rng(seed)
    cool = synthesize_telemetry(spec, rng).assign(temperature_c=45.0)
    hot = synthesize_telemetry(dataclasses.replace(spec, mu=spec.mu + spec.gamma * ea * z,
                                                   unit_prefix="HT"), rng).assign(temperature_c=85.0)
    path = tmp_path / "two_temperatures.csv"
    pd.concat([cool, hot]).to_csv(path, index=False)
    return path, spec


def test_temperature_enters_as_an_arrhenius_covariate_and_is_recovered(tmp_path):
    from failure_data.telemetry import read_telemetry
    from reliability.degradation import fit_degradation

    path, spec = _two_temperatures(tmp_path)
    shipped = samples_path("laser_telemetry_temperatures.csv")
    assert read_telemetry(path).data["bias_ma"].tolist() == read_telemetry(shipped).data["bias_ma"].tolist()
    fit = fit_degradation(read_telemetry(shipped), "20%", form="power", at=45.0)
    a = fit.arrhenius
    lo, hi = a["interval"]
    assert lo < 0.4 < hi and a["temperatures_c"] == [45.0, 85.0]  # the true Ea within its interval
    # mu is the use temperature's: the time to +20 % at 45 °C against the true lognormal's B10
    true_mu = math.log(spec.t_ref_hours) + (math.log(0.2) - spec.mu) / spec.gamma
    true_b10 = math.exp(true_mu - 1.2815515655446004 * spec.tau / spec.gamma)  # z(0.10)
    est, b_lo, b_hi = fit.quantile(0.10)
    assert b_lo < true_b10 < b_hi
    life = fit.life_model()
    assert life.provenance["temperature_c"] == 45.0  # a scenario shifts it like any life
    # without the covariate the two groups pool into one wider, shorter-lived spread
    pooled = fit_degradation(read_telemetry(path), "20%", form="power")
    assert pooled.parameters["tau"] > fit.parameters["tau"]


def test_the_covariate_is_refused_without_temperatures(tmp_path):
    from failure_data.telemetry import read_telemetry
    from reliability.degradation import fit_degradation

    with pytest.raises(ParameterError, match="temperature_c"):
        fit_degradation(read_telemetry(samples_path("laser_telemetry.csv")), "20%", at=45.0)
    path, _ = _two_temperatures(tmp_path)
    import pandas as pd

    one = pd.read_csv(path).assign(temperature_c=60.0)
    one.to_csv(tmp_path / "one.csv", index=False)
    with pytest.raises(ParameterError, match="not identified"):
        fit_degradation(read_telemetry(tmp_path / "one.csv"), "20%", at=45.0)
