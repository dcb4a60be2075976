"""Facts with one home, and the copies that cannot be avoided tied to it.

Distribution families live in ``reliability.families.FAMILIES``; what the fast engine compiles,
what the CLI offers, what `cpo data synth` draws and how the scenario format documents a life
are read from it or held to it here. Which fields re-simulate is each field's declared role.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from reliability.families import FAMILIES
from reliability.models import LifeModel

ROOT = Path(__file__).resolve().parents[1]


def _example(name: str) -> LifeModel:
    values = {"shape": 1.7, "scale": 3000.0, "mu": 8.0, "sigma": 0.9}
    return LifeModel(name, {p: values[p] for p in FAMILIES[name].params})


@pytest.mark.parametrize("name", sorted(__import__("fleet_models.engines.fast.laws",
                                                   fromlist=["COMPILED"]).COMPILED))
def test_each_compiled_law_is_its_familys_law(name):
    # the numba closed forms against the family's own cdf and ppf (reliability.families):
    # relative 1e-12 away from the far tails (the same formulas but the lognormal's inverse
    # normal, Acklam's with a Halley step against scipy's ndtri)
    from fleet_models.engines.fast.laws import _cdf, _life_arrays, _ppf

    life = _example(name)
    fam, a, b = _life_arrays([life])
    for t in (10.0, 500.0, 3000.0, 2e4):
        assert _cdf(fam[0], a[0], b[0], t) == pytest.approx(life.family.cdf(life.parameters, t),
                                                           rel=1e-12)
    for q in (1e-6, 0.01, 0.5, 0.9, 0.999):
        assert _ppf(fam[0], a[0], b[0], q) == pytest.approx(float(life.family.ppf(life.parameters, q)),
                                                           rel=1e-12)


def test_the_compiled_laws_name_families_and_parameters_of_the_registry():
    from fleet_models.engines.fast.laws import COMPILED

    codes = [code for code, _, _ in COMPILED.values()]
    assert sorted(codes) == list(range(len(codes)))  # one code each, as the loop dispatches
    for name, (_, a, b) in COMPILED.items():
        params = FAMILIES[name].params
        assert b in params and (isinstance(a, float) or a in params), name


def test_the_cli_offers_every_family_of_the_registry():
    from cli.reliability_cmd import DistChoice

    assert [c.value for c in DistChoice] == ["auto", *FAMILIES]


def test_synth_draws_families_of_the_registry_with_the_parameters_it_takes():
    from cli.data_cmd import SynthDist

    for d in SynthDist:
        assert set(FAMILIES[d.value].params) <= {"shape", "scale", "mu", "sigma"}, d


def test_the_life_forms_name_every_family_with_its_parameters():
    from fleet_models.scenario.docs import LIFE_DOCS

    text = LIFE_DOCS[0][1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith('| `{ distribution = "weibull"'))
    for name, fam in FAMILIES.items():
        words = f"{name} ({', '.join(fam.params)})"
        assert words in text, name
        assert re.search(rf"`{name}` \({', '.join(fam.params)}\)", row), name


def test_the_declared_roles_say_what_re_simulates():
    # the decisions' cache and a saved run's re-pricing read the roles: prices, power and words
    # change no simulation, engine inputs and the discount rate do
    from fleet_models.builtins.scenarios import default_scenario
    from fleet_models.runs.keys import engine_key
    from fleet_models.scenario.variants import with_value

    sc = default_scenario()
    key = engine_key(sc, 3)
    for path, value in (("costs.gpu_hour_usd", 9.0), ("architectures[3].switch_price_usd", 1.0),
                        ("architectures[3].components[1].price_usd", 1.0), ("fleet.port_gbps", 400.0),
                        ("workload.checkpoint_interval_hours", 2.0)):
        assert engine_key(with_value(sc, path, value), 3) == key, path
    for path, value in (("policy.swap_hours", 0.5), ("costs.discount_rate", 0.03),
                        ("workload.restart_hours", 1.0), ("fabric.exclude_hours", 1.0)):
        assert engine_key(with_value(sc, path, value), 3) != key, path
    assert np.isfinite(sc.horizon_hours)
