"""Issue 29, section 4, hostile names: a name holding a terminal's control codes, markup, a
mathtext dollar or a spreadsheet formula reaches every output (table, JSON, CSV, HTML, figure
titles) as data: shown, never acted on."""

from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.words import figure_text, printable

runner = CliRunner()
ESC = "cpo\x1b[31mRED\x1b]0;pwned\x07\u202eevil"  # colour, window title, bell, right-to-left
MARKUP = "<script>alert(1)</script>[bold]x[/bold]"
DOLLAR = "cost $5 and $10^{2}"


def _toml_string(s: str) -> str:
    return json.dumps(s)  # a JSON string is a TOML basic string


def _scenario(tmp_path, name: str, component: str = "els"):
    f = tmp_path / "s.toml"
    f.write_text(f'name = "s"\nhorizon_years = 1\nreplications = 2\n[fleet]\nswitches = 2\n'
                 f'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
                 f'[[architectures]]\nbase = "cpo-els"\nname = {_toml_string(name)}\n', encoding="utf-8")
    return f


def test_printable_escapes_what_a_terminal_acts_on_and_keeps_the_rest():
    assert printable(ESC) == "cpo\\x1b[31mRED\\x1b]0;pwned\\x07\\u202eevil"
    assert printable("laser[1] é 漢\tx\ny") == "laser[1] é 漢\tx\ny"
    assert figure_text(DOLLAR) == r"cost \$5 and \$10^{2}"


@pytest.mark.parametrize("command", [["simulate"], ["compare", "--hinges", "0"]])
def test_a_control_code_in_a_name_is_shown_escaped_in_tables_and_kept_in_json(tmp_path, command):
    f = _scenario(tmp_path, ESC)
    table = runner.invoke(app, [command[0], str(f), *command[1:], "-n", "2", "-w", "1", "-q"],
                          env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout and "\u202e" not in table.stdout
    assert "cpo\\x1b[31mRED" in table.stdout
    doc = runner.invoke(app, [command[0], str(f), *command[1:], "-n", "2", "-w", "1", "-q", "--json"])
    assert ESC in json.loads(doc.stdout)["architectures"]  # JSON holds the name exactly


def test_a_control_code_in_an_error_message_is_shown_escaped(tmp_path):
    f = _scenario(tmp_path, "cpo-els")
    r = runner.invoke(app, ["compare", str(f), "--arch", "\x1b[2Jgone", "-n", "2", "-w", "1", "-q"])
    assert r.exit_code == 1
    assert "\x1b" not in r.stderr and "\\x1b[2Jgone" in r.stderr


def test_a_control_code_in_a_log_component_is_escaped_in_the_table(tmp_path):
    f = tmp_path / "log.csv"
    f.write_text(f"component,duration,failed\n{ESC},100,1\n{ESC},200,0\n", encoding="utf-8")
    table = runner.invoke(app, ["data", "validate", str(f)], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "\x1b" not in table.stdout and "cpo\\x1b" in table.stdout
    doc = json.loads(runner.invoke(app, ["data", "validate", str(f), "--json"]).stdout)
    assert ESC in next(v for v in doc.values() if isinstance(v, dict) and ESC in v)  # exactly


@pytest.mark.parametrize("name", [ESC, MARKUP, DOLLAR], ids=["control codes", "markup", "dollars"])
def test_every_figure_and_the_report_take_a_hostile_name(tmp_path, name):
    f = _scenario(tmp_path, name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing for a control character would warn
        r = runner.invoke(app, ["tornado", str(f), "-n", "2", "-w", "1", "-q", "--plot",
                                str(tmp_path / "t.png")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    r = runner.invoke(app, ["report", str(f), "-o", str(tmp_path / "r.html"), "-n", "2", "-w", "1",
                            "-q", "--hinges", "0"])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "\x1b" not in page and "\x07" not in page
    assert "\u202e" not in page
    if name == MARKUP:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;[bold]x[/bold]" in page


@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@SUM(1)", "\tx", " "])
@pytest.mark.parametrize("where", ["architecture", "component"])
def test_a_name_a_spreadsheet_would_run_or_a_blank_one_is_refused(tmp_path, name, where):
    f = tmp_path / "s.toml"
    arch, comp = (name, "els") if where == "architecture" else ("cpo-els", name)
    f.write_text(f'name = "s"\nhorizon_years = 1\n[fleet]\nswitches = 2\nports_per_switch = 128\n'
                 f'[[architectures]]\nname = {_toml_string(arch)}\n[[architectures.components]]\n'
                 f'name = {_toml_string(comp)}\nper_switch = 128\nports_per_unit = 1\n'
                 'life = { fit_per_1e9h = 100 }\n', encoding="utf-8")
    r = runner.invoke(app, ["simulate", str(f), "-n", "2", "-w", "1", "-q", "--json"])
    assert r.exit_code == 1, r.output
    (p,) = json.loads(r.stdout)["problems"]
    assert p["field"].endswith(".name")
    assert ("must not be empty" if not name.strip() else "would run as a formula") in p["message"]


@pytest.mark.parametrize("flag, value", [("--component", "=1+1"), ("--unit-prefix", "@x"),
                                         ("--component", "  ")])
def test_synth_refuses_a_name_a_spreadsheet_would_run(flag, value):
    r = runner.invoke(app, ["data", "synth", "--dist", "exponential", "--scale", "1e4", "--units",
                            "3", flag, value])
    assert r.exit_code == 2 and flag in r.output
