"""The exit codes the README documents, for every command: 0 success, 1 a domain error (one
message, no traceback), 2 a usage error (130, Ctrl-C, is tests/test_interrupt.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.test_readme_examples import _commands

COMMANDS = _commands()
BAD_SCENARIO = "tests/data/bad/typo_key.toml"
BAD_LOG = "tests/data/bad/negative_duration.csv"
BAD_EVENTS = "tests/data/bad/event_log_negative_age.csv"

# a domain error for each command: its input is wrong (a bad file, an impossible request)
DOMAIN = {
    "data validate": ["data", "validate", BAD_LOG],
    "fit": ["fit", BAD_LOG],
    "bound": ["bound", BAD_LOG],
    "plan-pilot": ["plan-pilot", "--target-fit", "1e-310"],
    "degrade": ["degrade", "no-such-telemetry.csv", "--threshold", "20%"],
    "growth": ["growth", BAD_EVENTS],
    "mcf": ["mcf", BAD_EVENTS],
    "simulate": ["simulate", BAD_SCENARIO],
    "compare": ["compare", BAD_SCENARIO],
    "sweep": ["sweep", BAD_SCENARIO, "--vary", "costs.pue=1.2"],
    "tornado": ["tornado", BAD_SCENARIO],
    "breakeven": ["breakeven", BAD_SCENARIO, "--vary", "costs.pue"],
    "pilot": ["pilot", BAD_SCENARIO, "--component", "m", "--device-hours", "1", "--failures", "0"],
    "report": ["report", BAD_SCENARIO, "-o", "/tmp/r.html"],
    "scenario show": ["scenario", "show", BAD_SCENARIO],
    "scenario catalog": ["scenario", "catalog", "no-such-key"],
    "scenario init": ["scenario", "init", "-o", "README.md"],
}


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_an_unknown_option_is_a_usage_error_exit_2(words):
    r = CliRunner().invoke(app, [*words, "--no-such-option"])
    assert r.exit_code == 2 and "No such option" in r.output


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_a_domain_error_exits_1_with_one_message_and_no_traceback(words):
    name = " ".join(words)
    if name not in DOMAIN:
        pytest.skip(f"{name} takes no input that can be wrong in the domain's sense")
    r = CliRunner().invoke(app, DOMAIN[name])
    assert r.exit_code == 1, r.output
    assert r.stderr.startswith("Error: ") and "Traceback" not in r.output


def test_every_command_with_input_has_a_domain_error_case():
    names = {" ".join(w) for w in COMMANDS}
    # these read no file: every wrong value is a flag's, a usage error (exit 2)
    assert names - set(DOMAIN) <= {"scenario list", "scenario schema", "data synth"}, names - set(DOMAIN)


# valid invocations of every command that simulates, on the built-in default scenario
SIMULATING = {
    "simulate": ["simulate"],
    "compare": ["compare"],
    "sweep": ["sweep", "--vary", "costs.pue=1.2,1.3"],
    "tornado": ["tornado"],
    "breakeven": ["breakeven", "--vary", "costs.pue", "--between", "1.1", "2"],
    "pilot": ["pilot", "--component", "optical-engine", "--device-hours", "1000", "--failures", "0"],
    "report": ["report", "-o", "/tmp/cpo-exit-codes-report.html"],
}


def _has_option(words: tuple[str, ...], option: str) -> bool:
    return option in CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": "200"}).output


def test_every_simulating_command_is_in_the_sweep_of_bad_engine_and_cluster_flags():
    with_dask = {" ".join(w) for w in COMMANDS if _has_option(w, "--dask")}
    assert with_dask == set(SIMULATING), with_dask ^ set(SIMULATING)


@pytest.mark.parametrize("name", sorted(SIMULATING))
@pytest.mark.parametrize("flag, value, says", [
    ("--dask", "nonsense", "--dask 'nonsense' is not a scheduler address"),
    ("--engine", "bogus", "engine = 'bogus' is not one of auto, des, fast"),
])
def test_a_bad_engine_or_cluster_exits_1_before_simulating(name, flag, value, says):
    argv = SIMULATING[name]
    if not _has_option((argv[0],), flag):
        pytest.skip(f"{name} has no {flag}")
    r = CliRunner().invoke(app, [*argv, flag, value, "--quiet"], env={"COLUMNS": "400"})
    assert r.exit_code == 1, r.output
    assert r.stderr.startswith("Error: ") and says in r.stderr and "Traceback" not in r.output
    assert r.stdout == ""  # nothing printed as if a result
