"""Every invalid input of the reliability layer is refused with a message quoting the bad value."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.table import LifeTable
from reliability.bounds import rate_upper_bound, weibayes_from_table, weibayes_scale_lower
from reliability.errors import ReliabilityError
from reliability.fitting import fit
from reliability.models import LifeModel
from reliability.planning import PilotRequest, plan_pilot
from reliability.records import select_component

TABLE = LifeTable.from_durations([100.0, 200.0, 300.0, 50.0], [True, False, True, True],
                                 covariates={"component": ["laser", "laser", "dsp", "dsp"]})
NO_FAIL = LifeTable.from_durations([100.0, 200.0], [False, False])
INTERVALS = LifeTable.from_intervals([0.0, 10.0], [5.0, 20.0])

CASES = [
    ("confidence 1.5", lambda: rate_upper_bound(0, 1e6, 1.5), "1.5"),
    ("confidence 95", lambda: fit(TABLE, "weibull", confidence=95), "95"),
    ("confidence 0", lambda: plan_pilot(PilotRequest(100.0, confidence=0.0)), "0.0"),
    ("negative device-hours", lambda: rate_upper_bound(0, -5.0), "-5.0"),
    ("zero device-hours", lambda: rate_upper_bound(1, 0.0), "0.0"),
    ("negative failures", lambda: rate_upper_bound(-1, 1e6), "-1"),
    ("fractional failures", lambda: rate_upper_bound(1.5, 1e6), "1.5"),
    ("zero failures fit", lambda: fit(NO_FAIL, "weibull"), "0 failures"),
    ("unknown distribution", lambda: fit(TABLE, "gumbel"), "'gumbel'"),
    ("unknown component", lambda: select_component(TABLE, "modulator"), "'modulator'"),
    ("shape <= 0", lambda: weibayes_scale_lower([100.0], 0, 0.0), "0.0"),
    ("negative shape", lambda: weibayes_scale_lower([100.0], 0, -2.0), "-2.0"),
    ("negative time", lambda: weibayes_scale_lower([100.0, -3.0], 0, 1.5), "-3.0"),
    ("weibayes on intervals", lambda: weibayes_from_table(INTERVALS, 1.5), "line 2"),
    ("target FIT 0", lambda: plan_pilot(PilotRequest(0.0)), "0.0"),
    ("units 0", lambda: plan_pilot(PilotRequest(100.0, units=0)), "units = 0"),
    ("switches without units per switch", lambda: plan_pilot(PilotRequest(100.0, switches=4)), "switches = 4"),
    ("b_life p 1.2", lambda: fit(TABLE, "weibull").model.b_life(1.2), "1.2"),
    # issue 16: figures that are not floats, inputs that used to raise OverflowError/TypeError
    ("weibayes scale below any float", lambda: weibayes_scale_lower([1e7], 0, 1e-5), "shape = 1e-05"),
    ("weibayes entry after the age", lambda: weibayes_scale_lower([100.0], 0, 1.5, entry=[200.0]), "200.0"),
    ("weibayes negative count", lambda: weibayes_scale_lower([100.0], 0, 1.5, counts=[-1]), "-1.0"),
    ("weibayes no exposure", lambda: weibayes_scale_lower([100.0], 0, 1.5, entry=[100.0]), "no exposure"),
    ("failures with 401 digits", lambda: rate_upper_bound(10**400, 1e6), "401 digits"),
    ("FIT bound beyond a float", lambda: rate_upper_bound(0, 1e-300), "device_hours = 1e-300"),
    ("pilot target 1e-310 FIT", lambda: plan_pilot(PilotRequest(1e-310)), "target_fit = 1e-310"),
    ("pilot target 5e-324 FIT", lambda: plan_pilot(PilotRequest(5e-324)), "target_fit = 5e-324"),
    ("pilot units with 401 digits", lambda: plan_pilot(PilotRequest(100.0, units=10**400)), "401 digits"),
    ("life model from an array", lambda: LifeModel.from_dict([1]), "(top level) = [1]"),
    ("life model scale a string", lambda: LifeModel.from_dict(
        {"distribution": "weibull", "parameters": {"shape": 1.0, "scale": "2e5 h"}}), 'scale = "2e5 h"'),
]


@pytest.mark.parametrize("name, call, quoted", CASES, ids=[c[0] for c in CASES])
def test_library_refusals_quote_the_value(name, call, quoted):
    with pytest.raises(ReliabilityError) as e:
        call()
    assert quoted in str(e.value), str(e.value)


CLI_CASES = [
    (["bound", "--failures", "0", "--device-hours", "-1"], "-1"),
    (["bound", "--failures", "0", "--device-hours", "1e6", "--confidence", "1.5"], "1.5"),
    (["bound", "--failures", "-2", "--device-hours", "1e6"], "-2"),
    (["plan-pilot", "--target-fit", "-10"], "-10"),
    (["plan-pilot", "--target-fit", "10", "--units", "0"], "units = 0"),
    (["plan-pilot", "--target-fit", "1e-310"], "target_fit = 1e-310"),
    (["bound", "--failures", "0", "--device-hours", "1e-300"], "device_hours = 1e-300"),
]


@pytest.mark.parametrize("args, quoted", CLI_CASES, ids=[" ".join(a) for a, _ in CLI_CASES])
def test_cli_refusals_exit_1_quoting_the_value(args, quoted):
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 1, res.output
    assert quoted in res.stderr
    assert "Traceback" not in res.output
    assert quoted in json.loads(res.stdout)["error"]


def test_cli_bad_shape_in_file_mode(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("duration,failed\n100,0\n200,1\n")
    res = CliRunner().invoke(app, ["bound", str(p), "--shape", "-1.5"])
    assert res.exit_code == 1 and "-1.5" in res.stderr
