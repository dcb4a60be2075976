"""Issue 29, section 3: every message a finished sentence in the CLI's words, articles that agree,
flags shown as flags, blank component names and integer date columns refused with their lines,
and the exit status always the message's."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cli._common import CLI_WORDS
from cli.main import app
from failure_data.words import article, with_article
from tests.test_exit_codes import DOMAIN
from tests.test_readme_examples import _commands

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
MARKERS = ("‹", "›")


# ---------------------------------------------------------------- no unfilled template marker


def _option_names() -> set[str]:
    """Every hint a library message leaves for its caller: option("NAME", ...) in the layers."""
    names = set()
    for layer in ("failure_data", "reliability", "fleet_models"):
        for f in (ROOT / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "option" and node.args):
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant):
                        names.add(arg.value)
                    else:  # fleet_models.runs.runner: option(name) over ("replications", "seed")
                        assert f.name == "runner.py", f"{f}: option() of a name not written out"
                        names |= {"replications", "seed"}
    return names


def test_every_hint_a_library_message_leaves_has_cli_words():
    names = _option_names()
    assert len(names) > 20  # the scan sees them (between, vary, dist, time_unit, ...)
    assert names <= set(CLI_WORDS), names - set(CLI_WORDS)


def _breakeven_answers():
    from fleet_models.decisions.breakeven import BreakEven

    p = "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h"
    return {  # every branch of BreakEven.text, for a money metric and another
        "root": BreakEven(p, "tco_usd", "cpo-els", "pluggable-dsp", 300.0, (200.0, 400.0), -1e6,
                          2e6, 10.0, 5000.0, 9),
        "root, an end past the range": BreakEven(p, "job_interruptions", "cpo-els", "pluggable-dsp",
                                                 300.0, (None, 400.0), -3.0, 2.0, 10.0, 5000.0, 9),
        "no root": BreakEven(p, "tco_usd", "cpo-els", "pluggable-dsp", None, (None, None), -1e6,
                             -2e6, 10.0, 20.0, 2),
        "no root, availability": BreakEven(p, "port_availability", "cpo-els", "pluggable-dsp", None,
                                           (None, None), 1e-4, 2e-4, 10.0, 20.0, 2),
        "choice, flips": BreakEven("device_unit", "tco_usd", "cpo-els", "pluggable-dsp", "device",
                                   (None, None), -1.0, 1.0, "port-400g", "device", 2,
                                   {"port-400g": -1.0, "device": 1.0}),
        "choice, one sign": BreakEven("device_unit", "downtime", "cpo-els", "pluggable-dsp", None,
                                      (None, None), -1.0, -2.0, "port-400g", "device", 2,
                                      {"port-400g": -1.0, "device": -2.0}),
    }


@pytest.mark.parametrize("branch", list(_breakeven_answers()))
@pytest.mark.parametrize("as_json", [False, True])
def test_every_breakeven_answer_renders_as_a_finished_sentence(branch, as_json, monkeypatch):
    import fleet_models.decisions.breakeven as be

    answer = _breakeven_answers()[branch]
    monkeypatch.setattr(be, "breakeven", lambda *a, **k: answer)
    monkeypatch.setattr("fleet_models.decisions.evaluator.Evaluator.runs", 0, raising=False)
    argv = ["breakeven", "--vary", answer.path, "-w", "1", "-q"]
    if answer.at_choices is None:
        argv += ["--between", str(answer.lo), str(answer.hi)]
    r = runner.invoke(app, [*argv, *(["--json"] if as_json else [])], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    text = json.loads(r.stdout)["text"] if as_json else " ".join(r.stdout.split())
    assert not any(m in r.output for m in MARKERS), r.output
    assert text.endswith("."), text
    if branch.startswith("no root"):
        assert "--between" in text and "lo and hi" not in text


def test_a_breakeven_without_a_root_asks_for_between_in_table_and_json(tmp_path):
    # the run itself (the report: "widen ‹between|lo and hi›"): the range holds no root
    sc = tmp_path / "s.toml"
    sc.write_text('name = "s"\nhorizon_years = 1\nreplications = 4\n[fleet]\nswitches = 2\n'
                  'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
                  '[[architectures]]\nbase = "cpo-els"\n', encoding="utf-8")
    argv = ["breakeven", str(sc), "--vary",
            "architectures.cpo-els.components.optical-engine.life.fit_per_1e9h", "--between", "10",
            "20", "-w", "1", "-q"]
    table = runner.invoke(app, argv, env={"COLUMNS": "300"})
    doc = runner.invoke(app, [*argv, "--json"])
    assert table.exit_code == doc.exit_code == 0, table.output
    for out in (table.stdout, json.loads(doc.stdout)["text"]):
        assert "search a wider range with --between." in " ".join(out.split())
        assert not any(m in out for m in MARKERS)


@pytest.mark.parametrize("name", sorted(DOMAIN))
def test_no_domain_error_of_any_command_leaves_a_marker(name):
    for extra in ([], ["--json"]):
        argv = DOMAIN[name] + (extra if "--json" in _help(name) else [])
        r = runner.invoke(app, argv)
        assert r.exit_code == 1, r.output
        assert not any(m in r.output for m in MARKERS), r.output


def _help(name: str) -> str:
    return runner.invoke(app, [*name.split(), "--help"], env={"COLUMNS": "200"}).output


# ---------------------------------------------------------------- articles


@pytest.mark.parametrize("word, art", [
    ("optical-engine", "an"), ("module", "a"), ("els", "an"), ("ELS", "an"), ("LPO", "an"),
    ("DSP", "a"), ("unit", "a"), ("exponential", "an"), ("weibull", "a"), ("hour", "an"),
    ("laser", "a"), ("x", "an"), ("8-port module", "an"), ("uplink", "an"), ("one", "a"),
])
def test_the_article_agrees_with_the_word(word, art):
    assert article(word) == art and with_article(word) == f"{art} {word}"


def test_a_life_file_parameter_of_a_vowel_family_reads_an(tmp_path):
    from reliability.errors import ParameterError
    from reliability.models import LifeModel

    f = tmp_path / "m.json"
    f.write_text('{"distribution": "exponential", "parameters": {"scale": 10, "shape": 2}}')
    with pytest.raises(ParameterError, match="not an exponential parameter"):
        LifeModel.load(f)


# ---------------------------------------------------------------- flags read as flags


@pytest.mark.parametrize("words", [(), *_commands()], ids=lambda w: " ".join(w) or "cpo")
def test_help_shows_a_flag_without_a_value(words):
    out = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "200"}).output
    assert "--help" in out
    assert "<bool>" not in out, out
    if "--json" in out:
        line = next(x for x in out.splitlines() if "--json" in x)
        assert "<" not in line.split("--json", 1)[1].split("Write")[0], line


# ---------------------------------------------------------------- blank component names


@pytest.mark.parametrize("blank", ["", " ", "\t", "   "])
@pytest.mark.parametrize("command", [["data", "validate"], ["fit"]])
def test_a_blank_component_name_is_refused_with_its_line(tmp_path, blank, command):
    f = tmp_path / "log.csv"
    f.write_text(f"component,duration,failed\nels,100,1\n\"{blank}\",200,0\nels,300,1\n",
                 encoding="utf-8")
    r = runner.invoke(app, [*command, str(f), "--json"])
    assert r.exit_code == 1, r.output
    (problem,) = json.loads(r.stdout)["problems"]
    assert (problem["line"], problem["column"], problem["value"]) == (3, "component", blank)
    assert "is blank" in problem["message"]


def test_a_null_component_in_parquet_is_blank_too(tmp_path):
    f = tmp_path / "log.parquet"
    pq.write_table(pa.table({"component": ["els", None, " "], "duration": [1.0, 2.0, 3.0],
                             "failed": [1, 0, 1]}), f)
    r = runner.invoke(app, ["data", "validate", str(f), "--json"])
    assert r.exit_code == 1
    assert [(p["line"], p["column"]) for p in json.loads(r.stdout)["problems"]] == \
        [(3, "component"), (4, "component")]


# ---------------------------------------------------------------- Parquet dates of another type


@pytest.mark.parametrize("values, arrow, first, kind, hint", [
    ([None, 20240105], pa.int64(), "20240105", "integers (int64)", "reads like YYYYMMDD"),
    ([19723, 19730], pa.int32(), "19723", "integers (int32)", "since some epoch"),
    ([1.5, 2.0], pa.float64(), "1.5", "floating-point numbers (double)", "since some epoch"),
    ([True, False], pa.bool_(), "True", "booleans (bool)", ""),
])
def test_a_parquet_date_column_of_numbers_names_its_first_value_and_type(tmp_path, values, arrow,
                                                                           first, kind, hint):
    f = tmp_path / "dated.parquet"
    pq.write_table(pa.table({"installed": pa.array(values, arrow),
                             "removed": pa.array([None, None], pa.date32()), "failed": [0, 0]}), f)
    r = runner.invoke(app, ["data", "validate", str(f), "--json"])
    assert r.exit_code == 1
    (p,) = json.loads(r.stdout)["problems"]
    line = 2 + next(i for i, v in enumerate(values) if v is not None)  # header = line 1
    assert (p["line"], p["column"]) == (line, "installed")
    assert f"its first value is {first}" in p["message"] and kind in p["message"]
    assert hint in p["message"] and "YYYY-MM-DD" in p["message"]


# ---------------------------------------------------------------- the exit status is the message's


BOMB = """
import builtins, os, signal, sys
class NativeTeardown:  # stands in for a native library that aborts in the interpreter's teardown
    def __del__(self):
        os.kill(os.getpid(), signal.SIGABRT)
builtins._native = NativeTeardown()
sys.argv = ["cpo", *sys.argv[1:]]
from cli.main import main
main()
"""


@pytest.mark.parametrize("argv, code, says", [
    (["bound", "{empty}"], 1, "the file has columns but no data rows"),
    (["fit", "{empty}"], 1, "the file has columns but no data rows"),  # its import thread is alive
    (["bound", "--failures", "0", "--device-hours", "1e6", "--json"], 0, '"method": "chi-square"'),
    (["bound"], 2, "give --failures R --device-hours T"),
])
def test_a_native_abort_after_the_message_does_not_change_the_exit_status(tmp_path, argv, code, says):
    # the interpreter's native teardown (after every Python-level exit handler) aborts here every
    # time; `cpo` ends before it with the command's own status, its output complete
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"duration": pa.array([], pa.float64()),
                             "failed": pa.array([], pa.int64())}), empty)
    args = [a.replace("{empty}", str(empty)) for a in argv]
    r = subprocess.run([sys.executable, "-c", BOMB, *args], capture_output=True, text=True,
                       cwd=ROOT, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                                   "COLUMNS": "200"})
    assert r.returncode == code, (r.returncode, r.stderr)
    assert says in r.stdout + r.stderr


def test_python_exit_handlers_still_run_before_the_end(tmp_path):
    mark = tmp_path / "ran"
    script = (f"import atexit, sys\natexit.register(lambda: open({str(mark)!r}, 'w').write('x'))\n"
              "sys.argv = ['cpo', '--version']\nfrom cli.main import main\nmain()\n")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                       timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0 and r.stdout.startswith("cpo-analyzer ")
    assert mark.read_text() == "x"
