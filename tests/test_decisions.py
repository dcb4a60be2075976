"""Decisions under uncertainty: field paths, sweeps, tornado, break-even, the pilot's posterior."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from scipy import integrate, stats
from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import default_scenario
from fleet_models.decisions.breakeven import bisect, breakeven
from fleet_models.decisions.evaluator import Evaluator, difference
from fleet_models.decisions.pilot import pilot
from fleet_models.decisions.sweep import parse_vary, sweep
from fleet_models.decisions.tornado import Input, tornado, uncertain_inputs
from fleet_models.errors import DecisionError, ScenarioError
from fleet_models.model.paths import get_value
from fleet_models.scenario.variants import with_value
from reliability.errors import ParameterError
from reliability.rates import GammaRate

ENGINE_FIT = "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"


@pytest.fixture(scope="module")
def small():
    """The default scenario's pluggable-dsp and cpo-els on 4 switches for 2 years, 12 replications;
    32 GPUs behind each port, so the 4 switches carry one 16,384-GPU job as the default's 128 do
    and an outage costs the job what it costs in the default."""
    s = default_scenario()
    archs = tuple(a for a in s.architectures if a.name in ("pluggable-dsp", "cpo-els"))
    return dataclasses.replace(s, architectures=archs, fleet=dataclasses.replace(s.fleet, switches=4),
                               horizon_hours=2 * 8766.0, replications=12,
                               workload=dataclasses.replace(s.workload, gpus_per_port=32.0))


# ---------------------------------------------------------------------- paths


def test_paths_read_and_write_by_name_or_index(small):
    assert get_value(small, "policy.spares.switch.stock") == 4
    by_name = with_value(small, ENGINE_FIT, 384.6)
    by_index = with_value(small, "architectures[1].components[1].life.fit_per_1e9h", 384.6)
    assert by_name == by_index
    assert get_value(by_name, ENGINE_FIT) == pytest.approx(384.6)  # 1e9 / scale, scale = 1e9 / 384.6
    assert get_value(small, ENGINE_FIT) == pytest.approx(3076.92)  # the input is unchanged
    assert isinstance(with_value(small, "fleet.switches", 8).fleet.switches, int)


def test_a_term_of_a_derived_total_moves_the_total_unless_the_file_set_it(small):
    terms = small.policy.switch_swap_hours + small.policy.refibre_hours
    assert small.policy.replacement_hours == terms  # derived: the sum of its two terms
    moved = with_value(small, "policy.refibre_hours", 10.0)
    assert moved.policy.replacement_hours == small.policy.switch_swap_hours + 10.0
    fixed = with_value(small, "policy.switch_replacement_hours", 20.0)  # set on its own
    assert with_value(fixed, "policy.refibre_hours", 10.0).policy.replacement_hours == 20.0


@pytest.mark.parametrize("path, value, words", [
    ("policy.swap_hourz", 1.0, "did you mean 'swap_hours'"),
    ("architectures.cpo-elss.switch_price_usd", 1.0, "did you mean 'cpo-els'"),
    ("architectures[7].switch_price_usd", 1.0, "has 2 entries, no index [7]"),
    ("architectures.cpo-els.components.els.life.shape", 1.0, "choose one of fit_per_1e9h, scale"),
    ("fleet.switches", 2.5, "must be a whole number"),
    ("fleet.switches", -3, "must be in [1, 1_000_000]"),
    ("architectures.cpo-els.description", 1.0, "not a number"),
    (ENGINE_FIT, 0.0, "must be > 0 FIT"),
    ("", 1.0, "is empty"),
    ("policy..swap_hours", 1.0, "is not a field name"),
])
def test_bad_paths_and_values_are_refused_naming_them(small, path, value, words):
    with pytest.raises(ScenarioError) as e:
        with_value(small, path, value)
    assert words in str(e.value)


@pytest.mark.parametrize("text, words", [
    ("policy.swap_hours", "write PATH=V1,V2"), ("policy.swap_hours=1,,2", "an empty value"),
    ("policy.swap_hours=inf", "not a finite number"), ("=1,2", "write PATH=V1,V2"),
])
def test_bad_vary_is_refused_with_the_form(text, words):
    with pytest.raises(ScenarioError) as e:
        parse_vary(text)
    assert words in str(e.value)


# ---------------------------------------------------------------------- bisection, break-even


@pytest.mark.parametrize("log", [False, True])
def test_bisection_finds_a_known_root(log):
    root = 2 ** (1 / 3)  # x^3 - 2 = 0
    calls = []

    def f(x):
        calls.append(x)
        return x**3 - 2

    assert bisect(f, 0.1, 10.0, log=log, rtol=1e-9) == pytest.approx(root, rel=1e-8)
    assert len(calls) < 60
    assert bisect(f, 2.0, 10.0) is None  # no sign change


def test_breakeven_on_a_price_matches_the_linear_solution_and_reuses_the_simulation(small):
    """The TCO difference is linear in the cpo-els switch price (capex per switch, and each
    replacement's new-switch bill, both proportional): its zero from two exact evaluations is the
    independent reference. A price re-simulates nothing: one simulation per architecture."""
    path = "architectures.cpo-els.switch_price_usd"
    ev = Evaluator(workers=1)
    f = {x: difference(ev.result(with_value(small, path, x)), "tco_usd", "cpo-els", "pluggable-dsp")["mean"]
         for x in (0.0, 1e6)}
    expected = -f[0.0] * 1e6 / (f[1e6] - f[0.0])
    answer = breakeven(small, ev, path, "cpo-els", "pluggable-dsp", 0.0, 1e6, rtol=1e-6)
    assert ev.runs == 2
    assert 0.0 < expected < 1e6  # cpo-els is cheaper with a free switch, dearer with a $1M one
    assert answer.value == pytest.approx(expected, rel=1e-6)
    # the interval: where the ci95 bounds of the difference cross zero. Even a free switch does not
    # make the saving sure in 12 replications (the upper bound at price 0 is above zero), so that
    # end lies below the range searched and is not given; the other (where the lower bound
    # crosses, the price above which cpo-els is surely dearer) is, above the break-even value
    at_free = difference(ev.result(with_value(small, path, 0.0)), "tco_usd", "cpo-els", "pluggable-dsp")
    lo, hi = answer.interval
    if at_free["ci95_high"] > 0:
        assert lo is None and hi is not None and answer.value < hi < 1e6
    else:
        assert lo <= answer.value <= hi
    surely_dearer = difference(ev.result(with_value(small, path, hi)), "tco_usd", "cpo-els",
                               "pluggable-dsp")
    assert surely_dearer["ci95_low"] == pytest.approx(0.0, abs=1e-3 * abs(f[1e6] - f[0.0]))


def test_breakeven_in_an_engine_rate_is_bracketed_and_said(small):
    ev = Evaluator(workers=1)
    answer = breakeven(small, ev, ENGINE_FIT, "cpo-els", "pluggable-dsp", 1.0, 20000.0)
    assert answer.at_lo < 0 < answer.at_hi  # a near-perfect engine wins, a 20,000 FIT one loses
    assert 1.0 < answer.value < 20000.0
    assert f"{ENGINE_FIT} = " in answer.text()
    with pytest.raises(DecisionError, match="low end must be below"):
        breakeven(small, ev, ENGINE_FIT, "cpo-els", "pluggable-dsp", 5.0, 1.0)


# ---------------------------------------------------------------------- sweep and tornado


def test_sweep_has_a_row_per_point_and_architecture_and_prices_do_not_resimulate(small):
    ev = Evaluator(workers=1)
    frame = sweep(small, {"costs.gpu_hour_usd": [1.0, 2.0, 4.0], "costs.pue": [1.1, 1.5]}, ev)
    assert len(frame) == 3 * 2 * 2 and ev.runs == 2
    base = frame[frame["architecture"] == "pluggable-dsp"]
    assert (base["diff_mean"] == 0).all()
    # a higher GPU-hour price never lowers a TCO (downtime is priced in GPU-hours)
    for (_, arch), g in frame.groupby(["costs.pue", "architecture"]):
        assert np.all(np.diff(g.sort_values("costs.gpu_hour_usd")["tco_mean"]) >= 0), arch


def test_tornado_ranks_a_deliberately_dominant_input_first(small):
    price = get_value(small, "architectures.cpo-els.switch_price_usd")
    def one(key, path, lo, hi):
        return Input(key, (path,), (lo,), (hi,), lo, hi, "USD", "test")

    inputs = [one("tiny", "costs.service_event_usd", 139.0, 141.0),
              one("dominant", "architectures.cpo-els.switch_price_usd", price / 10, price * 10),
              one("middle", "costs.technician_usd_per_hour", 50.0, 200.0)]
    ev = Evaluator(workers=1)
    frame = tornado(small, ev, "cpo-els", "pluggable-dsp", inputs)
    assert list(frame["input"]) == ["dominant", "middle", "tiny"]
    assert ev.runs == 2  # prices only


def test_catalog_inputs_are_the_published_ranges(small):
    inputs = {i.key: i for i in uncertain_inputs(dataclasses.replace(small, uncertain={}))}
    # shown in the entry's unit (FIT per device); each path moves by the entry's share
    assert (inputs["pluggable-device-field"].low, inputs["pluggable-device-field"].high) == (1000.0, 2000.0)
    # switch-price moves every architecture's switch together
    assert len(inputs["switch-price"].paths) == len(small.architectures)
    # the reading of Meta's device is one discrete input over both sides, weighted as cited
    reading = inputs["cpo-device-unit"]
    assert reading.paths == ("device_unit",) and reading.choice == ("port-400g", "device")
    assert reading.central == "port-400g" and reading.moves() == ["device"]


# ---------------------------------------------------------------------- the pilot


def test_gamma_prior_from_a_range_has_that_central_interval():
    g = GammaRate.from_range(384.6, 3076.92)
    q = stats.gamma.ppf([0.05, 0.95], g.shape, scale=1 / g.rate) * 1e9  # scipy, independently
    assert q == pytest.approx([384.6, 3076.92], rel=1e-6)


def test_posterior_matches_the_conjugate_formula_by_quadrature():
    """Prior x Poisson likelihood, normalised numerically, against Gamma(a + r, b + T)."""
    prior = GammaRate.from_range(100.0, 3000.0)
    r, t = 2, 3.0e6
    post = prior.update(r, t)
    assert (post.shape, post.rate) == (prior.shape + r, prior.rate + t)

    def unnorm(lam):
        return stats.gamma.pdf(lam, prior.shape, scale=1 / prior.rate) * stats.poisson.pmf(r, lam * t)

    hi = 5e-5
    z = integrate.quad(unnorm, 0, hi, limit=200, points=[1e-7, 1e-6])[0]
    mean = integrate.quad(lambda x: x * unnorm(x), 0, hi, limit=200, points=[1e-7, 1e-6])[0] / z
    assert post.mean_fit() == pytest.approx(mean * 1e9, rel=1e-6)
    x95 = post.fit_quantile(0.95) / 1e9
    assert integrate.quad(unnorm, 0, x95, limit=200, points=[1e-7, 1e-6])[0] / z == pytest.approx(0.95, abs=1e-6)


def test_flat_prior_quantiles_are_the_chi_square_bounds():
    """Gamma(r + 1, T)'s c-quantile is chi2(c; 2r + 2) / 2T, the classical upper bound."""
    for r, t in ((0, 1.05e6), (3, 4e6)):
        post = GammaRate.flat().update(r, t)
        assert post.fit_quantile(0.95) == pytest.approx(stats.chi2.ppf(0.95, 2 * r + 2) / (2 * t) * 1e9,
                                                        rel=1e-10)
    with pytest.raises(ParameterError, match="flat prior"):
        GammaRate.flat().fit_quantile(0.5)


def test_pilot_failure_free_hours_never_lower_p_cheaper(small):
    ev = Evaluator(workers=1)
    ans = pilot(small, ev, "optical-engine", 5e7, 0, arch="cpo-els", against="pluggable-dsp",
                prior=GammaRate.from_range(30.0, 3077.0))
    assert ans.posterior.shape == ans.prior.shape and ans.posterior.rate == ans.prior.rate + 5e7
    assert ans.p_after >= ans.p_before
    with pytest.raises(DecisionError, match="no architecture has a component 'laserz'"):
        pilot(small, ev, "laserz", 1e6, 0)


# ---------------------------------------------------------------------- CLI


@pytest.fixture()
def small_file(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('name = "s"\nhorizon_years = 1\nreplications = 6\n[fleet]\nswitches = 4\n'
                 'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
                 '[[architectures]]\nbase = "cpo-els"\n', encoding="utf-8")
    return f


@pytest.mark.parametrize("argv, keys", [
    (["sweep", "--vary", "costs.pue=1.1,1.5"], {"points", "vary"}),
    (["tornado"], {"inputs", "arch", "against"}),
    (["breakeven", "--vary", ENGINE_FIT, "--between", "1", "20000"], {"value", "interval", "text"}),
    (["pilot", "--component", "optical-engine", "--device-hours", "1e6", "--failures", "0",
      "--prior-fit", "30", "3077"], {"p_cheaper_before", "p_cheaper_after", "posterior"}),
])
def test_decision_commands_write_one_json_document(small_file, argv, keys):
    r = CliRunner().invoke(app, [argv[0], str(small_file), *argv[1:], "--json", "-w", "1"])
    assert r.exit_code == 0, r.output
    assert keys <= set(json.loads(r.stdout))


@pytest.mark.parametrize("argv, words", [
    (["sweep", "--vary", "policy.nope=1"], "policy has no 'nope'"),
    (["pilot", "--component", "optical-engine", "--device-hours", "1e6", "--failures", "0", "--flat",
      "--prior-fit", "1", "2"], "not both"),
    (["tornado", "--arch", "nope"], "'nope' is not an architecture"),
    (["breakeven", "--vary", "policy.technicians"], "give --between"),
    (["breakeven", "--vary", "costs.pue"], "leaves the field's range"),
])
def test_decision_commands_refuse_bad_input_with_one_message(small_file, argv, words):
    r = CliRunner().invoke(app, [argv[0], str(small_file), *argv[1:], "-w", "1"])
    assert r.exit_code == 1
    assert words in r.stderr and "Traceback" not in r.output


def test_the_tornado_moves_every_ranged_input_and_fits_80_columns(small_file):
    # placeholders and assumptions with a stated range are inputs too, and a weighted choice is
    # one row per other value; the table names every input in full in an 80-column terminal
    r = CliRunner().invoke(app, ["tornado", str(small_file), "-w", "1", "--quiet"],
                           env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    j = CliRunner().invoke(app, ["tornado", str(small_file), "-w", "1", "--quiet", "--json"])
    rows = json.loads(j.stdout)["inputs"]
    names = [x["input"] for x in rows]
    for key in ("support-years", "exclude-hours", "gpu-hour", "cpo-in-place", "support-fee",
                "cpo-device-unit = device", "support-after = depot"):
        assert key in names, key
    choice = next(x for x in rows if x["input"] == "cpo-device-unit = device")
    assert (choice["kind"], choice["low"], choice["high"]) == ("choice", "port-400g", "device")
    assert choice["at_low"] == choice["base"]  # a choice's row starts from its central value
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    for name in names:
        assert any(line.lstrip().startswith(name) for line in lines), name
