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
