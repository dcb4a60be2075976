"""Legal but absurd scenario values run with a note that says what will happen."""

from __future__ import annotations

import dataclasses
import math

import pytest
from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import default_scenario
from fleet_models.runs.sanity import notes
from reliability.models import LifeModel


def _with_life(life: LifeModel):
    s = default_scenario()
    arch = s.architectures[0]
    comps = (arch.components[0], dataclasses.replace(arch.components[1], life=life))
    return dataclasses.replace(s, architectures=(dataclasses.replace(arch, components=comps),))


def test_the_default_scenario_has_nothing_absurd():
    assert notes(default_scenario()) == []


@pytest.mark.parametrize("scenario, words", [
    (_with_life(LifeModel.weibull(50.0, 1e5)), "Weibull shape 50 means 90 % of units fail between"),
    (_with_life(LifeModel.from_fit_rate(1e9)), "a mean life of 1 h (1e+09 FIT)"),
    (dataclasses.replace(default_scenario(), horizon_hours=1000 * 8766.0), "horizon = 1,000 years"),
    (dataclasses.replace(default_scenario(), policy=dataclasses.replace(
        default_scenario().policy, swap_hours=0.0)), "a swap takes no hands-on time"),
])
def test_absurd_values_are_noted_with_what_will_happen(scenario, words):
    assert any(words in n for n in notes(scenario)), notes(scenario)


def test_the_weibull_note_gives_the_5th_and_95th_percentiles():
    (text,) = notes(_with_life(LifeModel.weibull(50.0, 1e5)))
    # the Weibull quantile: t_q = scale * (-ln(1 - q))^(1/shape)
    lo, hi = (1e5 * (-math.log(1 - q)) ** (1 / 50) for q in (0.05, 0.95))
    assert (round(lo), round(hi)) == (94233, 102219)  # by hand: exp(ln(0.0513)/50), exp(ln(2.996)/50)
    assert f"{lo:,.0f} h and {hi:,.0f} h" in text


def test_the_cli_says_the_note_on_stderr_and_keeps_json_clean(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('name = "s"\nhorizon_years = 1\nreplications = 2\n[fleet]\nswitches = 2\n'
                 'ports_per_switch = 4\n[[architectures]]\nname = "a"\n[[architectures.components]]\n'
                 'name = "m"\nper_switch = 4\nports_per_unit = 1\n'
                 'life = { distribution = "weibull", shape = 50, scale = 2000 }\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", str(f), "--json", "-w", "1"])
    assert r.exit_code == 0
    assert "Note: architectures.a.components.m.life: Weibull shape 50" in r.stderr
    assert r.stdout.lstrip().startswith("{")
