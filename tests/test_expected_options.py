"""Issue 29, section 2: options a user expects (a swap time per component, every compared metric
in the decisions, `cpo fit --save` by suffix, the pilot's device-hours in their unit)."""

from __future__ import annotations

import pytest

from fleet_models.model.spec import Architecture, Component, Fleet, Policy, Scenario, Workload
from fleet_models.runs.runner import run
from reliability.models import LifeModel


def sharp(at: float) -> LifeModel:
    """Fails at ``at`` hours to within ~1e-3 h (Weibull of shape 1e6)."""
    return LifeModel.weibull(1e6, at)


@pytest.mark.parametrize("engine", ["des", "fast"])
def test_a_component_swap_hours_overrides_the_policy(engine):
    # two one-port modules failing at ~1000 h and two one-port ELS on the same two ports failing at
    # ~1100 h (unit i of every kind covers port i), each found 0.5 h later, as many
    # technicians as wanted (0 = no queue): a module is swapped in the policy's 2 h, an ELS in its
    # own 0.25 h. Closed form: port-down hours = 2 x (0.5 + 2) + 2 x (0.5 + 0.25) = 6.5, hands-on
    # hours = 2 x 2 + 2 x 0.25 = 4.5; without the ELS's own time both would be 2 x 2.5 + 2 x 2.5 = 10
    # and 8
    comps = (Component("m", 2, 1, sharp(1000.0)), Component("els", 2, 1, sharp(1100.0), swap_hours=0.25))
    sc = Scenario("own-swap", 1500.0, Fleet(1, 4), (Architecture("a", comps),),
                  policy=Policy(detection_hours=0.5, swap_hours=2.0, technicians=0),
                  workload=Workload(gpus_per_port=0.0), replications=1, seed=1)
    m = run(sc, workers=1, engine=engine).replications.iloc[0]
    assert m["swaps"] == 4
    assert m["technician_hours"] == pytest.approx(4.5, abs=1e-6)
    assert m["port_down_hours"] == pytest.approx(6.5, abs=0.01)


# ---------------------------------------------------------------- every compared metric


import json  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from cli.main import app  # noqa: E402
from fleet_models.model.metrics import BY_NAME, COMPARED, HIGHER_IS_BETTER  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    f = tmp_path_factory.mktemp("s") / "s.toml"
    f.write_text('name = "s"\nhorizon_years = 1\nreplications = 6\n[fleet]\nswitches = 4\n'
                 'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
                 '[[architectures]]\nbase = "cpo-els"\n', encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def small_result(small_file):
    from fleet_models.scenario.read import load_scenario

    return run(load_scenario(small_file), workers=1)


def test_the_compare_table_reads_exactly_the_compared_metrics(small_result, monkeypatch):
    # the one list (COMPARED) is what `cpo compare` prints: its table builds from a summary holding
    # only those metrics, and fails without any one of them
    from cli.render.compare import comparison
    from fleet_models.runs.results import FleetResult

    full = FleetResult.summary

    def only(keep):
        return lambda self: full(self)[lambda f: f["metric"].isin(keep)]

    monkeypatch.setattr(FleetResult, "summary", only(set(COMPARED)))
    assert len(comparison(small_result)) > len(COMPARED)
    for m in COMPARED:
        monkeypatch.setattr(FleetResult, "summary", only(set(COMPARED) - {m}))
        with pytest.raises(KeyError):
            comparison(small_result)
    assert set(BY_NAME.values()) == set(COMPARED)
    assert BY_NAME["tco"] == "tco_usd" and BY_NAME["availability"] == "port_availability"
    assert HIGHER_IS_BETTER == {"port_availability", "goodput"}


def test_sweep_takes_job_interruptions_with_its_paired_difference(small_file, small_result):
    r = runner.invoke(app, ["sweep", str(small_file), "--vary", "costs.pue=1.2", "--metric",
                            "job_interruptions", "--json", "-w", "1", "-q"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["metric"] == "job_interruptions"
    rows = {p["architecture"]: p for p in doc["points"]}
    # independently: the mean over replications of cpo-els minus pluggable-dsp (same seed, and
    # the PUE is a price, so the interruptions are the plain run's)
    reps = small_result.replications.pivot(index="replication", columns="architecture",
                                           values="job_interruptions")
    d = (reps["cpo-els"] - reps["pluggable-dsp"]).to_numpy()
    assert rows["cpo-els"]["diff_mean"] == pytest.approx(d.mean(), rel=1e-12)
    assert rows["cpo-els"]["p_better"] == pytest.approx(np.mean(d < 0))  # fewer is better
    assert rows["cpo-els"]["job_interruptions"] == pytest.approx(reps["cpo-els"].mean())
    assert "p_cheaper" not in rows["cpo-els"]


def test_breakeven_metric_is_a_validated_choice(small_file):
    r = runner.invoke(app, ["breakeven", str(small_file), "--vary",
                            "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h",
                            "--between", "1", "2", "--metric", "cost"])
    assert r.exit_code == 2
    assert "'cost' is not one of" in r.output and "job_interruptions" in r.output
    help_text = runner.invoke(app, ["breakeven", "--help"], terminal_width=200).output
    assert "job_interruptions" in help_text and "downtime" in help_text


def test_breakeven_on_job_interruptions_says_so_in_words(small_file):
    r = runner.invoke(app, ["breakeven", str(small_file), "--vary",
                            "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h",
                            "--between", "10", "20", "--metric", "job_interruptions", "-w", "1", "-q",
                            "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["metric"] == "job_interruptions"
    assert "on job interruptions" in doc["text"] and doc["text"].endswith(".")


# ---------------------------------------------------------------- cpo fit --save


PILOT_LOG = str(ROOT / "failure_data" / "samples" / "cpo_els_pilot.csv")


@pytest.mark.parametrize("name, first", [("life.toml", 'distribution = "exponential"'),
                                         ("life.TOML", 'distribution = "exponential"'),
                                         ("life.json", "{")])
def test_fit_save_writes_the_format_its_suffix_names(tmp_path, name, first):
    import tomllib

    from reliability.models import LifeModel

    out = tmp_path / name
    r = runner.invoke(app, ["fit", PILOT_LOG, "--dist", "exponential", "--save", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(first)
    if name.lower().endswith(".toml"):
        assert tomllib.loads(text)["parameters"]["scale"] > 0
    else:
        json.loads(text)
    back = LifeModel.load(out)
    js = LifeModel.load(out) if name.endswith(".json") else None
    assert back.distribution == "exponential" and (js is None or js == back)


def test_a_toml_life_loads_back_equal_in_its_numbers(tmp_path):
    from reliability.models import LifeModel

    m = LifeModel("weibull", {"shape": 1.3, "scale": 2.5e5}, covariance=((0.01, 0.2), (0.2, 1e6)),
                  provenance={"file": "x.csv", "rows": 3, "missing": None})
    m.save(tmp_path / "m.toml")
    back = LifeModel.load(tmp_path / "m.toml")
    assert (back.distribution, dict(back.parameters), back.covariance) == \
        (m.distribution, dict(m.parameters), m.covariance)
    assert back.provenance == {"file": "x.csv", "rows": 3}  # TOML has no null: the None is left out


@pytest.mark.parametrize("name", ["life.yaml", "life", "life.js"])
def test_fit_save_refuses_a_suffix_it_does_not_know_before_fitting(tmp_path, name):
    from reliability.errors import ParameterError
    from reliability.models import LifeModel

    r = runner.invoke(app, ["fit", PILOT_LOG, "--save", str(tmp_path / name)])
    assert r.exit_code == 2
    assert ".json or .toml" in r.output and "Traceback" not in r.output
    assert not (tmp_path / name).exists()
    with pytest.raises(ParameterError, match=r"\.json or \.toml"):
        LifeModel.exponential(1e5).save(tmp_path / name)


def test_a_life_model_given_as_a_folder_is_refused_as_a_folder(tmp_path):
    (tmp_path / "m.json").mkdir()
    sc = tmp_path / "s.toml"
    sc.write_text('name = "s"\nhorizon_years = 1\n[fleet]\nswitches = 1\nports_per_switch = 4\n'
                  '[[architectures]]\nname = "a"\n[[architectures.components]]\nname = "m"\n'
                  'per_switch = 4\nports_per_unit = 1\nlife = { model = "m.json" }\n', encoding="utf-8")
    r = runner.invoke(app, ["scenario", "show", str(sc)])
    assert r.exit_code == 1
    assert "is a folder" in r.stderr and "not found" not in r.stderr
    from reliability.errors import ParameterError
    from reliability.models import LifeModel

    with pytest.raises(ParameterError, match="is a folder"):
        LifeModel.load(tmp_path / "m.json")


# ---------------------------------------------------------------- cpo pilot's device-hours


def _pilot(small_file, *extra):
    r = runner.invoke(app, ["pilot", str(small_file), "--component", "optical-engine", "--failures",
                            "0", "-w", "1", "-q", *extra], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    return r


def test_pilot_device_hours_are_400g_port_hours_and_unit_hours_convert(small_file):
    # the default device_unit (port-400g) reads cpo-engine-field per 400G port: a 3.2T engine is
    # 8 devices, so 8e6 device-hours are 1e6 engine-hours and give the same posterior
    a = json.loads(_pilot(small_file, "--device-hours", "8e6", "--json").stdout)
    b = json.loads(_pilot(small_file, "--unit-hours", "1e6", "--json").stdout)
    assert a["device"] == {"device_hours": 8e6, "unit": "400G port-device-hours",
                           "device_unit": "port-400g", "devices_per_unit": 8.0, "unit_hours": 1e6}
    assert a["device"] == b["device"] and a["posterior"] == b["posterior"]
    assert a["p_cheaper_after"] == b["p_cheaper_after"]
    # the gamma's own parameters, named as such: Gamma(a, b) -> Gamma(a + 0, b + T)
    pr, po = a["prior"], a["posterior"]
    assert set(po) == {"gamma_shape", "gamma_rate_device_hours", "mean_fit_per_device",
                       "mean_fit_per_unit"}
    assert po["gamma_shape"] == pr["gamma_shape"]
    assert po["gamma_rate_device_hours"] == pytest.approx(pr["gamma_rate_device_hours"] + 8e6)
    assert po["mean_fit_per_device"] == pytest.approx(po["gamma_shape"] / po["gamma_rate_device_hours"] * 1e9)
    assert po["mean_fit_per_unit"] == pytest.approx(8 * po["mean_fit_per_device"])
    # the catalog prior is cpo-engine-field's 90 % range per device, 174.2-789.5 FIT
    from scipy import stats

    q = stats.gamma.ppf([0.05, 0.95], pr["gamma_shape"], scale=1 / pr["gamma_rate_device_hours"]) * 1e9
    assert q == pytest.approx([174.2, 789.5], rel=1e-6)


def test_pilot_says_its_unit_in_help_and_output(small_file):
    text = " ".join(_pilot(small_file, "--unit-hours", "1e6").stdout.split())
    assert "8e+06" not in text
    assert "8,000,000 400G port-device-hours = 1,000,000 optical-engine-hours" in text
    assert "FIT per device" in text and "FIT per optical-engine" in text
    assert " a optical" not in text
    help_text = runner.invoke(app, ["pilot", "--help"], terminal_width=200).output
    assert "400G port-hours" in help_text and "--unit-hours" in help_text


@pytest.mark.parametrize("extra, words", [
    ([], "give the pilot's exposure once"),
    (["--device-hours", "1e6", "--unit-hours", "1e5"], "give the pilot's exposure once"),
    (["--unit-hours", "-5"], "--unit-hours -5.0: a pilot's exposure is a positive"),
    (["--device-hours", "inf"], "--device-hours inf: a pilot's exposure is a positive"),
    (["--unit-hours", "1e308"], "is inf device-hours (8 per optical-engine), more than any pilot"),
    (["--device-hours", "1e300"], "more device-hours than any pilot can observe"),
])
def test_pilot_refuses_an_exposure_given_twice_none_or_not_positive(small_file, extra, words):
    r = runner.invoke(app, ["pilot", str(small_file), "--component", "optical-engine", "--failures",
                            "0", "-w", "1", "-q", *extra])
    assert r.exit_code == 1, r.output
    assert words in r.stderr and "Traceback" not in r.output


# ---------------------------------------------------------------- where the cost parts are


def test_the_cost_parts_are_under_tco_usd_breakdown_as_the_readme_says(small_result):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "architectures.NAME.tco_usd.breakdown" in readme
    doc = small_result.to_dict()["architectures"]["cpo-els"]
    assert set(doc["tco_usd"]["breakdown"]) == {"capex", "energy", "maintenance", "support", "downtime"}
    parts = sum(v["mean"] for v in doc["tco_usd"]["breakdown"].values())
    assert parts == pytest.approx(doc["tco_usd"]["mean"], rel=1e-9)  # TCO = the sum of its parts


@pytest.mark.parametrize("lo, hi, says", [("nan", "5", "nan is not a finite number"),
                                          ("1", "inf", "inf is not a finite number"),
                                          ("5", "5", "the low end must be below the high end")])
def test_breakeven_between_must_be_two_finite_ends(small_file, lo, hi, says):
    r = runner.invoke(app, ["breakeven", str(small_file), "--vary",
                            "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h",
                            "--between", lo, hi, "-w", "1", "-q"])
    assert r.exit_code == 1 and says in r.stderr
