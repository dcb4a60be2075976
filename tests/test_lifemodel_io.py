"""LifeModels cross process boundaries (pickle, for the runner's pool) and files (JSON) unchanged."""

import copy
import json
import pickle
import warnings

import numpy as np
import pytest

from cli._common import in_cli_words
from reliability.errors import ParameterError
from reliability.models import LifeModel, LifeModelFileError


def test_lifemodel_pickles_to_an_equal_model():
    m = LifeModel.weibull(1.2, 3e5, covariance=((1e-3, 0.0), (0.0, 1e6)), provenance={"file": "x.csv"})
    back = pickle.loads(pickle.dumps(m))
    assert back == m
    assert back.sf(1e5) == m.sf(1e5)


def test_json_round_trip_equal_with_tuples_in_provenance():
    # provenance is stored as JSON gives it back (tuples become lists), so load(save(m)) == m
    m = LifeModel.weibull(1.1, 2e5, provenance={"temperatures": (85, 105), "nested": {"k": (1,)}})
    assert LifeModel.from_json(m.to_json()) == m


# ---------------------------------------------------------------- validating a life-model file
# (issue 16: a saved model with the wrong structure crashed, a non-PSD covariance was used)

GOOD = {"distribution": "weibull", "parameters": {"shape": 1.2, "scale": 2e5},
        "covariance": [[1e-3, 0.0], [0.0, 1e8]], "confidence": 0.95, "provenance": {"file": "x.csv"}}
DROP = object()


def _doc(**changes):
    """GOOD with top-level keys changed (DROP removes one); parameters__scale=v sets a parameter."""
    d = copy.deepcopy(GOOD)
    for key, v in changes.items():
        where, _, sub = key.partition("__")
        target, key = (d[where], sub) if sub else (d, where)
        if v is DROP:
            del target[key]
        else:
            target[key] = v
    return d


# (id, file content: a JSON-able object, or raw text for what json.dumps would not write,
#  the field path, the value as the file writes it (None: a missing field), a reason fragment)
BAD_FILES = [
    ("top-level array", [GOOD], "(top level)", '[{"distribution": "weibull"', "not an array"),
    ("top-level string", "weibull", "(top level)", '"weibull"', "not a string"),
    ("scale as a string with a unit", _doc(parameters__scale="2e5 h"), "parameters.scale", '"2e5 h"',
     "without quotes or a unit"),
    ("shape as a numeric string", _doc(parameters__shape="1.2"), "parameters.shape", '"1.2"',
     "without quotes"),
    ("shape true", _doc(parameters__shape=True), "parameters.shape", "true", "not true/false"),
    ("scale null", _doc(parameters__scale=None), "parameters.scale", "null", "not null"),
    ("missing distribution", _doc(distribution=DROP), "distribution", None, "missing"),
    ("unknown distribution", _doc(distribution="weibul"), "distribution", '"weibul"',
     "did you mean 'weibull'"),
    ("distribution not a string", _doc(distribution=3), "distribution", "3", "unknown distribution"),
    ("missing parameters", _doc(parameters=DROP), "parameters", None, "missing"),
    ("parameters an array", _doc(parameters=[1.2, 2e5]), "parameters", "[1.2, 200000.0]",
     "must be an object"),
    ("parameter missing", _doc(parameters__scale=DROP), "parameters.scale", None,
     "weibull takes shape, scale"),
    ("parameter extra", _doc(parameters__sigma=0.5), "parameters.sigma", "0.5",
     "not a weibull parameter"),
    ("shape NaN", json.dumps(GOOD).replace('"shape": 1.2', '"shape": NaN'), "parameters.shape", "NaN",
     "finite"),
    ("scale Infinity", json.dumps(GOOD).replace('"scale": 200000.0', '"scale": Infinity'),
     "parameters.scale", "Infinity", "finite"),
    ("negative scale", _doc(parameters__scale=-5e4), "parameters.scale", "-50000.0", "must be > 0"),
    ("zero shape", _doc(parameters__shape=0), "parameters.shape", "0", "must be > 0"),
    ("scale with 401 digits", json.dumps(GOOD).replace("200000.0", "1" + "0" * 400),
     "parameters.scale", "1000000000", "too large"),
    ("lognormal mu beyond exp range", {"distribution": "lognormal", "parameters": {"mu": 800, "sigma": 1}},
     "parameters", '{"mu": 800, "sigma": 1}', "cannot be evaluated"),
    ("covariance 3x3 for weibull", _doc(covariance=np.eye(3).tolist()), "covariance", "[[1.0, 0.0, 0.0]",
     "2x2 matrix over (shape, scale)"),
    ("covariance row too short", _doc(covariance=[[1e-3], [0.0, 1e8]]), "covariance[0]", "[0.001]",
     "has 1 number;"),
    ("covariance row not a list", _doc(covariance=[[1e-3, 0.0], 1e8]), "covariance[1]", "100000000.0",
     "must be a row (a list of 2 numbers), not a number"),
    ("covariance a string", _doc(covariance="none"), "covariance", '"none"', "must be null or a 2x2"),
    ("covariance entry a string", _doc(covariance=[[1e-3, "0"], [0.0, 1e8]]), "covariance[0][1]", '"0"',
     "must be a number"),
    ("covariance entry NaN", json.dumps(GOOD).replace("[0.001, 0.0]", "[NaN, 0.0]"),
     "covariance[0][0]", "NaN", "finite"),
    ("negative variance", _doc(covariance=[[1e-3, 0.0], [0.0, -4.0]]), "covariance[1][1]", "-4.0",
     "variance of scale cannot be negative"),
    ("asymmetric covariance", _doc(covariance=[[1e-3, 5.0], [0.0, 1e8]]), "covariance[0][1]", "5.0",
     "differs from covariance[1][0] = 0.0"),
    # correlation 2: eigenvalues 3 and -1 (exact, [[1, 2], [2, 1]] = 3 P + (-1) Q)
    ("correlation 2", _doc(covariance=[[1.0, 2.0], [2.0, 1.0]]), "covariance", "[[1.0, 2.0], [2.0, 1.0]]",
     "the correlation of shape and scale is 2,"),
    # correlation 316.3 / sqrt(1e-3 * 1e8) = 316.3 / 316.2278 = 1.00023 > 1; its smallest eigenvalue,
    # about det/trace = (1e5 - 316.3**2) / 1e8 = -4.57e-7, is inside -1e-9 * max|diag| = -0.1, so only
    # the same rule on the correlation form (eigenvalues 1 +- 1.00023, smallest -2.28e-4) catches it
    ("correlation 1.00023, badly scaled", _doc(covariance=[[1e-3, 316.3], [316.3, 1e8]]), "covariance",
     "[[0.001, 316.3], [316.3, 100000000.0]]",
     "smallest eigenvalue -4.569e-07, of its correlation matrix -0.0002284; the correlation of shape "
     "and scale is 1.00023"),
    ("confidence 95", _doc(confidence=95), "confidence", "95", "must be in (0, 1)"),
    ("confidence null", _doc(confidence=None), "confidence", "null", "not null"),
    ("provenance an array", _doc(provenance=["x.csv"]), "provenance", '["x.csv"]', "must be an object"),
    ("provenance temperature NaN", json.dumps(_doc(provenance={"temperature_c": 1.5})).replace("1.5", "NaN"),
     "provenance.temperature_c", "NaN", "finite"),
    ("temperature below absolute zero", _doc(provenance={"temperature_c": -300}),
     "provenance.temperature_c", "-300", "below absolute zero"),
    ("misspelt key", _doc(covarience=[[1.0]]), "covarience", "[[1.0]]", "did you mean 'covariance'"),
]


@pytest.mark.parametrize("content, field, value, reason", [c[1:] for c in BAD_FILES],
                         ids=[c[0] for c in BAD_FILES])
def test_bad_life_model_file_names_field_value_reason_and_fix(tmp_path, content, field, value, reason):
    p = tmp_path / "model.json"
    p.write_text(content if isinstance(content, str) and content.startswith(("{", "["))
                 else json.dumps(content), encoding="utf-8")
    with pytest.raises(ParameterError) as e:  # never a TypeError / KeyError / ValueError
        LifeModel.load(p)
    msg = str(e.value)
    assert isinstance(e.value, LifeModelFileError)
    # the file, and the fix in the library's words and as the CLI says it
    assert str(p) in msg and "LifeModel.save" in msg
    assert "cpo fit FILE --save MODEL.json" in in_cli_words(e.value.raw)
    named = f"{field} = {value}" if value is not None else f"{field}: "
    assert named in msg, msg
    assert reason in msg, msg
    assert [q.field for q in e.value.problems] == [field], e.value.problems
    assert "\n" not in msg  # one problem, one line (so a --json error's first line says it all)


def test_every_problem_of_a_file_is_reported_together(tmp_path):
    d = _doc(parameters__scale="2e5 h", parameters__sigma=1.0, covariance=[[1e-3, 0.0], [0.0, -4.0]],
             confidence=1.5, extra=1)
    p = tmp_path / "m.json"
    p.write_text(json.dumps(d))
    with pytest.raises(LifeModelFileError) as e:
        LifeModel.load(p)
    fields = [q.field for q in e.value.problems]
    assert fields == ["extra", "parameters.scale", "parameters.sigma", "covariance[1][1]", "confidence"]
    lines = str(e.value).splitlines()
    assert lines[0].endswith("5 problems (extra, parameters.scale, parameters.sigma, covariance[1][1], "
                             "confidence):")
    assert len(lines) == 1 + 5 + 1 and "LifeModel.save" in lines[-1]
    assert e.value.problems[1].to_dict() == {
        "field": "parameters.scale", "value": '"2e5 h"',
        "message": "must be a number (a life in hours, > 0), not a string; write a plain JSON number, "
                   "without quotes or a unit"}


@pytest.mark.parametrize("d", [[1, 2], "x", 3.0, None])
def test_from_dict_refuses_a_non_object_without_a_type_error(d):
    with pytest.raises(LifeModelFileError, match=r"\(top level\)"):
        LifeModel.from_dict(d)


@pytest.mark.parametrize("text, why", [
    ("{not json", "Expecting property name"),
    ("[" * 100_000, "recursion"),
    ('{"distribution": "weibull", "parameters": {"shape": 1, "scale": ' + "1" * 5000 + "}}", "digits"),
])
def test_text_that_is_not_json_is_a_parameter_error(text, why):
    with pytest.raises(ParameterError, match="not life-model JSON") as e:
        LifeModel.from_json(text)
    assert why in str(e.value)


def test_covariance_psd_tolerance_boundary(tmp_path):
    # [[1, 1], [1, 1 - d]]: det = -d, trace ~ 2, so the smallest eigenvalue is about -d/2
    # (and the same for the correlation form, diag 1 and 1 - d). The rule refuses below
    # -1e-9 * max|diag| = -1e-9: d = 1e-12 (-5e-13, round-off) passes, d = 1e-6 (-5e-7) is refused.
    tiny = _doc(covariance=[[1.0, 1.0], [1.0, 1.0 - 1e-12]])
    assert np.linalg.eigvalsh(np.array(tiny["covariance"]))[0] < 0  # really negative, not clipped
    m = LifeModel.from_dict(tiny)
    assert m.covariance == ((1.0, 1.0), (1.0, 1.0 - 1e-12))  # kept exactly as written
    assert LifeModel.from_json(m.to_json()) == m
    with warnings.catch_warnings():  # numpy's SVD path accepts it without a warning
        warnings.simplefilter("error")
        m.draw_parameters(np.random.default_rng(1))
    with pytest.raises(LifeModelFileError, match="not positive semidefinite") as e:
        LifeModel.from_dict(_doc(covariance=[[1.0, 1.0], [1.0, 1.0 - 1e-6]]))
    low = float(str(e.value).split("smallest eigenvalue ")[1].split(",")[0])
    assert low == pytest.approx(-5e-7, rel=1e-3)  # -d/2 (to first order in d)


def test_everything_to_dict_writes_still_loads(tmp_path):
    from failure_data.readers import read_life_table
    from reliability.fitting import fit

    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    table = read_life_table(root / "failure_data" / "samples" / "laser_htol.csv")
    models = [fit(table, d).model for d in ("weibull", "lognormal", "exponential", "loglogistic")]
    models.append(models[0].at_temperature(85.0, 55.0, 0.7))  # provenance temperature_c = 55.0
    models.append(LifeModel("gengamma", {"mu": 10.0, "ln_sigma": -0.3, "lambda_": 0.7},
                            covariance=((0.05, -0.04, 0.13), (-0.04, 0.23, -0.53), (0.13, -0.53, 1.31))))
    models.append(LifeModel.from_fit_rate(50.0, confidence=0.9))
    for m in models:
        p = tmp_path / "m.json"
        m.save(p)
        assert LifeModel.load(p) == m, m
        assert LifeModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


def test_a_model_file_in_a_scenario_reports_the_model_field(tmp_path):
    from fleet_models.errors import ScenarioError
    from fleet_models.scenario.read import load_scenario

    (tmp_path / "fit.json").write_text(json.dumps(_doc(covariance=[[1.0, 2.0], [2.0, 1.0]])))
    s = tmp_path / "s.toml"
    s.write_text('name = "x"\nhorizon_hours = 1000.0\n[fleet]\nswitches = 1\nports_per_switch = 4\n'
                 '[[architectures]]\nname = "a"\n[[architectures.components]]\nname = "laser"\n'
                 'per_switch = 4\nports_per_unit = 1\nlife = { model = "fit.json" }\n')
    with pytest.raises(ScenarioError) as e:
        load_scenario(s)
    msg = str(e.value)
    assert 'life.model = "fit.json"' in msg and "covariance = [[1.0, 2.0], [2.0, 1.0]]" in msg
    assert "not positive semidefinite" in msg
