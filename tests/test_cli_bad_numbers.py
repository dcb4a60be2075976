"""Bad numbers through the CLI (issue 16): exit 1, one message naming the field or flag value,
valid JSON on stdout with --json, never a traceback, never inf/nan/null shown as a figure."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
GOOD = {"distribution": "weibull", "parameters": {"shape": 1.2, "scale": 2e5},
        "covariance": [[1e-3, 0.0], [0.0, 1e8]], "confidence": 0.95, "provenance": {}}
SCENARIO = """name = "bad-model"
horizon_hours = 1000.0
[fleet]
switches = 1
ports_per_switch = 4
[[architectures]]
name = "a"
[[architectures.components]]
name = "laser"
per_switch = 4
ports_per_unit = 1
life = { model = "fit.json" }
"""
MODEL_FIELD = "architectures[0].components[0].life.model"


def _model(**changes) -> str:
    d = json.loads(json.dumps(GOOD))
    for k, v in changes.items():
        where, _, sub = k.partition("__")
        (d[where] if sub else d)[sub or where] = v
    return json.dumps(d)


def _error_document(res) -> dict:
    """The --json error document: valid JSON, an error and nothing that looks like a figure."""
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    doc = json.loads(res.stdout)  # still one valid JSON document
    assert set(doc) <= {"error", "problems"}, doc
    assert res.stderr.startswith("Error: ")
    return doc


# (id, the life-model file's text, the field path and value the message must name)
MODEL_FILES = [
    ("top-level array", json.dumps([GOOD]), '(top level) = [{"distribution"'),
    ("scale with a unit", _model(parameters__scale="2e5 h"), 'parameters.scale = "2e5 h"'),
    ("no distribution", json.dumps({"parameters": GOOD["parameters"]}), "distribution: missing"),
    ("unknown distribution", _model(distribution="gumbel"), 'distribution = "gumbel"'),
    ("parameter missing", _model(parameters={"shape": 1.2}), "parameters.scale: missing"),
    ("parameter extra", _model(parameters__mu=3.0), "parameters.mu = 3.0"),
    ("negative scale", _model(parameters__scale=-1.0), "parameters.scale = -1.0"),
    ("infinite shape", _model().replace('"shape": 1.2', '"shape": Infinity'), "parameters.shape = Infinity"),
    ("covariance 1x1", _model(covariance=[[1.0]]), "covariance = [[1.0]]"),
    ("covariance of strings", _model(covariance=[["a", "b"], ["c", "d"]]), 'covariance[0][0] = "a"'),
    ("negative variance", _model(covariance=[[1e-3, 0.0], [0.0, -1e8]]), "covariance[1][1] = -100000000.0"),
    ("asymmetric", _model(covariance=[[1e-3, 1.0], [-1.0, 1e8]]), "covariance[0][1] = 1.0"),
    ("not PSD", _model(covariance=[[1.0, 2.0], [2.0, 1.0]]), "covariance = [[1.0, 2.0], [2.0, 1.0]]"),
]


@pytest.mark.parametrize("command", ["scenario show", "simulate"])
@pytest.mark.parametrize("text, named", [c[1:] for c in MODEL_FILES], ids=[c[0] for c in MODEL_FILES])
def test_bad_life_model_file_in_a_scenario(tmp_path, command, text, named):
    (tmp_path / "fit.json").write_text(text, encoding="utf-8")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    res = runner.invoke(app, [*command.split(), str(tmp_path / "s.toml"), "--json"])
    doc = _error_document(res)
    assert [p["field"] for p in doc["problems"]] == [MODEL_FIELD]  # the scenario field that loads it
    message = doc["problems"][0]["message"]
    assert named in message and named in res.stderr, message  # the model file's own field and value
    assert "cpo fit FILE --save MODEL.json" in message  # the fix


# (args, what the message must quote); each figure is not a float (> 1.8e308 or < 2.2e-308)
BOUND_CASES = [
    # Weibayes MTTF = scale Gamma(201) ~ 10^342 hours at shape 0.005
    (["--shape", "0.005"], ["shape = 0.005", "MTTF lower bound is about 10^342", "larger than the largest"]),
    # Weibayes scale ~ 10^-19894 hours at shape 1e-5
    (["--shape", "1e-5"], ["shape = 1e-05", "smaller than the smallest"]),
    # FIT upper = -ln(0.05) / 1e-300 x 1e9 = 10^309.48
    (["--failures", "0", "--device-hours", "1e-300"], ["device_hours = 1e-300", "FIT upper bound is about 10^309.477"]),
    # rate upper = chi2(1e-10, 2) / 2 / 1e308 = 1e-318 per hour
    (["--failures", "0", "--device-hours", "1e308", "--confidence", "1e-10"],
     ["device_hours = 1e+308", "confidence = 1e-10", "rate upper bound is about 10^-318"]),
    (["--failures", "1" + "0" * 400, "--device-hours", "1e6"], ["failures = 10000000000000000000...", "401 digits"]),
]


@pytest.fixture(scope="module")
def old_units_csv(tmp_path_factory):
    p = tmp_path_factory.mktemp("b") / "units.csv"
    p.write_text("duration,failed\n1e7,0\n2e7,0\n3e7,1\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("args, quoted", BOUND_CASES, ids=[" ".join(a)[:40] for a, _ in BOUND_CASES])
def test_bound_figure_that_is_not_a_float_is_refused(old_units_csv, args, quoted):
    argv = ["bound", *([str(old_units_csv)] if "--shape" in args else []), *args]
    doc = _error_document(runner.invoke(app, [*argv, "--json"]))
    for q in quoted:
        assert q in doc["error"], doc["error"]
    res = runner.invoke(app, argv)  # the table is not printed with inf in it either
    assert res.exit_code == 1 and "inf" not in res.stdout and "Traceback" not in res.output


def test_bound_extreme_shape_that_is_finite_is_computed(old_units_csv):
    res = runner.invoke(app, ["bound", str(old_units_csv), "--shape", "50", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    # exact algebra with T0 = 1e7: scale = T0 (2 (1 + 2^50 + 3^50) / chi2(0.95, 4))^(1/50)
    from scipy import stats

    ref = 1e7 * (2 * (1 + 2**50 + 3**50) / stats.chi2.ppf(0.95, 4)) ** (1 / 50)
    assert doc["scale_lower_hours"] == pytest.approx(ref, rel=1e-12)  # was null (inf) before
    assert doc["mttf_lower_hours"] == pytest.approx(ref * math.gamma(1.02), rel=1e-12)


PILOT_CASES = [
    # T = -ln(0.05) x 1e9 / 1e-310 = 10^319.48 device-hours
    (["--target-fit", "1e-310"], ["target_fit = 1e-310", "about 10^319.477 device-hours", "raise --target-fit"]),
    (["--target-fit", "5e-324"], ["target_fit = 5e-324", "larger than the largest"]),  # was a ZeroDivisionError
    # confidence as close to 1 as a float gets: -ln(2^-53) x 1e9 / 1e-300 = 10^310.57
    (["--target-fit", "1e-300", "--confidence", "0.9999999999999999"],
     ["target_fit = 1e-300", "confidence = 0.9999999999999999", "about 10^310.565"]),
    # T = -ln(1 - 1e-300) x 1e9 / 1e308 = 1e-599 device-hours: was printed as 0.0
    (["--target-fit", "1e308", "--confidence", "1e-300"], ["target_fit = 1e+308", "smaller than the smallest"]),
    # months = -ln(0.05) x 1e7 / (1e200 x 1e200) / 730.5 = 10^(7.4765 - 400 - 2.8636) = 10^-395.387
    (["--target-fit", "100", "--units-per-switch", "1" + "0" * 200, "--switches", "1" + "0" * 200],
     ["calendar months is about 10^-395.387", "units_per_switch = 1e+200", "--units-per-switch"]),
    (["--target-fit", "100", "--failures-allowed", "1" + "0" * 400], ["failures_allowed = 1000", "too large"]),
]


@pytest.mark.parametrize("args, quoted", PILOT_CASES, ids=[" ".join(a)[:40] for a, _ in PILOT_CASES])
def test_plan_pilot_figure_that_is_not_a_float_is_refused(args, quoted):
    doc = _error_document(runner.invoke(app, ["plan-pilot", *args, "--json"]))
    for q in quoted:
        assert q in doc["error"], doc["error"]
    res = runner.invoke(app, ["plan-pilot", *args])
    assert res.exit_code == 1 and "Traceback" not in res.output and res.stdout == ""
