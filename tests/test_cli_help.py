"""Every `cpo` command has help text and appears in the README (sqlite-utils' rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _walk(cmd, path: tuple[str, ...]):
    # typer >= 0.29 bundles its own click: test for a group by its sub-commands, not by class
    yield path, cmd
    if getattr(cmd, "commands", None):
        for name, sub in sorted(cmd.commands.items()):
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(typer.main.get_command(app), ("cpo",)))


def test_every_issue_command_is_registered():
    names = {" ".join(p) for p, _ in COMMANDS}
    expected = {
        "cpo data validate", "cpo data synth", "cpo fit", "cpo bound", "cpo plan-pilot",
        "cpo simulate", "cpo scenario list", "cpo scenario show", "cpo scenario init",
    }
    assert expected <= names, sorted(expected - names)


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help_and_readme_entry(path, cmd):
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
    result = CliRunner().invoke(app, [*path[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert f"`{' '.join(path)}" in README or f"\n{' '.join(path)} " in README, (
        f"{' '.join(path)} is not documented in README.md"
    )


def test_version():
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"cpo-analyzer {version('cpo-analyzer')}"
