"""Numerical edges of a fit: a result or one clear refusal, and JSON that stays strict JSON
(no NaN or Infinity tokens) either way."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app

EDGES = {
    "one failure": "100,1\n200,0\n300,0\n",
    "all failures at one age": "100,1\n100,1\n100,1\n100,1\n50,0\n",
    "failures only in the first hour": "0.1,1\n0.5,1\n0.9,1\n5000,0\n5000,0\n5000,0\n",
    "huge durations": "1e300,1\n2e300,1\n3e300,0\n",
    "all censored": "100,0\n200,0\n",
}
REFUSALS = {  # (edge, dist) -> what the one message must say
    ("all failures at one age", "weibull"): "every failure happened at 100 h",
    ("huge durations", "weibull"): "check the time unit (--time-unit)",
    ("huge durations", "auto"): "check the time unit (--time-unit)",
    ("all censored", "weibull"): "Bound the failure rate instead",
    ("all censored", "auto"): "Bound the failure rate instead",
}


def _strict(text: str):
    def refuse(token):
        raise AssertionError(f"JSON holds {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("dist", ["weibull", "lognormal", "exponential", "auto"])
@pytest.mark.parametrize("edge", list(EDGES))
def test_each_edge_gives_a_result_or_one_clear_refusal_in_strict_json(tmp_path, edge, dist):
    f = tmp_path / "log.csv"
    f.write_text("duration,failed\n" + EDGES[edge], encoding="utf-8")
    r = CliRunner().invoke(app, ["fit", str(f), "--dist", dist, "--json"])
    assert "Traceback" not in r.output
    doc = _strict(r.stdout)
    expected = REFUSALS.get((edge, dist))
    if expected:
        assert r.exit_code == 1 and expected in doc["error"], r.output
    if r.exit_code == 0:
        assert all(v > 0 for v in doc["parameters"].values() if doc["distribution"] != "lognormal")
    else:
        assert r.exit_code == 1 and set(doc) >= {"error"}
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr  # one message, no warnings


# ---------------------------------------------------------------- every numeric field of a scenario

import copy  # noqa: E402
import math  # noqa: E402
import tomllib  # noqa: E402


def _numeric_fields():
    """(path, raw document) for every number the default scenario's resolved file writes."""
    from fleet_models.builtins.scenarios import default_scenario
    from fleet_models.scenario.write import scenario_to_toml

    raw = tomllib.loads(scenario_to_toml(default_scenario()))

    def walk(d, prefix):
        for k, v in d.items():
            if isinstance(v, bool):
                continue
            if isinstance(v, int | float):
                yield (*prefix, k)
            elif isinstance(v, dict):
                yield from walk(v, (*prefix, k))
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                for i, x in enumerate(v):
                    yield from walk(x, (*prefix, k, i))

    return raw, list(walk(raw, ()))


RAW, FIELDS = _numeric_fields()
FIELD_EDGES = {"zero": 0, "negative": -1, "huge": 1e308, "beyond an int64": 10**30, "inf": math.inf,
               "-inf": -math.inf, "nan": math.nan}  # TOML writes inf and nan as such


def _toml_path(path) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out


@pytest.mark.parametrize("edge", list(FIELD_EDGES))
def test_every_numeric_field_at_each_edge_is_taken_or_refused_naming_it(edge):
    from fleet_models.errors import ScenarioError
    from fleet_models.model.lives import READING_KEYS
    from fleet_models.scenario.read import parse_scenario
    from fleet_models.scenario.write import _emit_table

    assert len(FIELDS) > 150  # every architecture's every component
    for path in FIELDS:
        if "provenance" in path and path[-1] not in READING_KEYS:
            continue  # a note of where a life came from, not a number anything reads
        doc = copy.deepcopy(RAW)
        node = doc
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = FIELD_EDGES[edge]
        lines: list[str] = []
        _emit_table(lines, "", [], doc, {})
        try:
            sc = parse_scenario(tomllib.loads("\n".join(lines)))  # as a file holds it
        except ScenarioError as e:  # one refusal, naming the field (by index or name)
            fields = [p.path for p in getattr(e, "problems", ())]
            assert fields, str(e)
            # the field itself, or the rule across fields that names it (per_switch x ports_per_unit)
            assert any(f.endswith(str(path[-1])) for f in fields) or str(path[-1]) in str(e), \
                (path, fields)
            continue
        # taken: the number is one the field allows, finite
        value = FIELD_EDGES[edge]
        assert isinstance(value, int) or math.isfinite(value), (path, edge)
        assert sc is not None


def test_a_life_whose_mean_is_beyond_a_float_runs_with_no_failures():
    # lognormal mu = 1e308 is a legal parameter whose mean exp(mu) overflows: the run's size
    # estimate took its mean and raised OverflowError (a traceback); the life never fails
    from fleet_models.runs.runner import run
    from fleet_models.scenario.read import parse_scenario

    sc = parse_scenario(tomllib.loads(
        'name = "s"\nhorizon_years = 1\nreplications = 2\n[fleet]\nswitches = 1\nports_per_switch = 4\n'
        '[[architectures]]\nname = "a"\n[[architectures.components]]\nname = "m"\nper_switch = 4\n'
        'ports_per_unit = 1\nlife = { distribution = "lognormal", mu = 1e308, sigma = 0.9 }\n'))
    res = run(sc, workers=1)
    assert (res.replications["failures_m"] == 0).all()
    assert (res.replications["port_availability"] == 1.0).all()
