"""Library errors name no CLI flag or command: they leave a hint (failure_data.errors.option) that
str() reads in the library's words and the CLI turns into its own, in one place (cli._common)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli._common import CLI_WORDS, in_cli_words
from cli.main import app
from failure_data.errors import in_words, option

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ["failure_data", "reliability", "fleet_models"]
FLAG_OR_COMMAND = re.compile(r"(?<![\w-])--[a-z]|`cpo [a-z]")


def _strings(tree: ast.AST):
    """String constants of a module that are not docstrings."""
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docs.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


@pytest.mark.parametrize("path", sorted(p for pkg in LIBRARY for p in (ROOT / pkg).glob("*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_library_message_names_a_cli_flag(path):
    # the starter file and the catalog's own texts are user documents about the CLI, not errors
    if path.name in ("scenario_docs.py", "scenario_toml.py"):
        pytest.skip("writes documents for CLI users (the starter file, `cpo scenario show`)")
    bad = [(n, s) for n, s in _strings(ast.parse(path.read_text(encoding="utf-8")))
           if FLAG_OR_COMMAND.search(s)]
    assert not bad, f"{path.name}: use failure_data.errors.option() for: {bad}"


def test_a_hint_reads_in_library_words_and_in_cli_words():
    text = f"check the time unit ({option('time_unit')}) or use {option('bound', 'reliability.bounds')}"
    assert in_words(text) == "check the time unit (time_unit=) or use reliability.bounds"
    assert in_cli_words(text) == "check the time unit (--time-unit) or use `cpo bound`"


def test_every_cli_word_is_a_flag_of_some_command_or_a_command():
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0
    for name, words in CLI_WORDS.items():
        assert words.startswith("--") or words.startswith("`cpo "), (name, words)


def test_library_error_and_cli_error_word_the_same_hint(tmp_path):
    from failure_data.readers import read_life_table

    log = tmp_path / "log.csv"
    log.write_text("installed,removed,failed\n2024-05-01,,0\n", encoding="utf-8")
    with pytest.raises(Exception) as e:
        read_life_table(log, as_of="2024-01-01")
    assert "as_of=" in str(e.value) and "--as-of" not in str(e.value) and "‹" not in str(e.value)
    r = CliRunner().invoke(app, ["data", "validate", str(log), "--as-of", "2024-01-01", "--json"])
    assert r.exit_code == 1
    assert "--as-of" in r.stdout and "as_of=" not in r.stdout and "‹" not in r.stdout
