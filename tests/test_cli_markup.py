"""User strings (architecture, component, file and scenario names) print exactly as written.

rich reads ``[...]`` as style tags: ``[b]x`` would print as a bold ``x``, identical to a
component really named ``x``, and ``plug[/]`` crashed the table with a MarkupError. Every
table goes through consoles with markup off (cli._common.console) or wraps user text in
rich ``Text``, so brackets are just characters.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app

WIDE = {"COLUMNS": "200"}  # no wrapping: a name is one unbroken string in the output

SCENARIO = """
name = "[bold]fabric[/bold]"
horizon_years = 1
replications = 2
seed = 1
[fleet]
switches = 2
ports_per_switch = 4
[[architectures]]
name = "plug[/]"
[[architectures.components]]
name = "laser[1]"
per_switch = 4
ports_per_unit = 1
life = { fit_per_1e9h = 20000 }
[[architectures]]
name = "[red]cpo"
[[architectures.components]]
name = "[b]engine"
per_switch = 1
ports_per_unit = "switch"
life = { fit_per_1e9h = 2000 }
repair = "replace-switch"
"""

LOG = "duration,failed,component\n5,1,[b]x\n7,0,x\n9,1,laser[/]\n"


def test_simulate_table_prints_bracketed_names_as_written(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", str(path)], env=WIDE)
    assert r.exit_code == 0, r.output
    for name in ("[bold]fabric[/bold]", "plug[/]", "[red]cpo", "failures_laser[1]", "failures_[b]engine"):
        assert name in r.stdout, name


@pytest.mark.parametrize("command", [["data", "validate"], ["fit", "--dist", "exponential"]])
def test_log_tables_keep_component_and_file_names(tmp_path, command):
    path = tmp_path / "[x]log.csv"
    path.write_text(LOG, encoding="utf-8")
    r = CliRunner().invoke(app, [*command, str(path)], env=WIDE)
    assert r.exit_code == 0, r.output
    assert "[x]log.csv" in r.output
    if command[0] == "data":
        rows = [line for line in r.stdout.splitlines() if line.startswith("│ ")]
        names = {row.split("│")[1].strip() for row in rows}
        # "[b]x" and "x" are two components and must be told apart
        assert {"[b]x", "x", "laser[/]"} <= names, names


def test_fit_component_with_brackets_in_json_and_table(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(LOG, encoding="utf-8")
    r = CliRunner().invoke(app, ["fit", str(path), "--dist", "exponential", "--component", "[b]x",
                                 "--json"], env=WIDE)
    assert r.exit_code == 0, r.output
    json.loads(r.stdout)  # still one valid JSON document
