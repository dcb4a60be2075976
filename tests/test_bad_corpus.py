"""The corpus of bad inputs (tests/data/bad/cases.toml): each file through the CLI gives its one
message naming where, the value and the fix, exit 1, no traceback; with --json (where the command
has it) stdout is still one JSON document."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

BAD = Path(__file__).parent / "data" / "bad"
CASES = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]
JSON_COMMANDS = {"simulate", "compare", "tornado", "sweep", "breakeven", "pilot"}


def test_every_file_of_the_corpus_has_a_case():
    assert sorted(c["file"] for c in CASES) == sorted(
        p.name for p in BAD.iterdir() if p.name != "cases.toml")


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_bad_input_gives_its_message(case):
    argv = [a.replace("{file}", str(BAD / case["file"])) for a in case["argv"]]
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == case.get("exit", 1), r.output
    assert case["message"] in r.stderr, r.stderr
    assert "Traceback" not in r.output
    if argv[0] in JSON_COMMANDS:
        r = CliRunner().invoke(app, [*argv, "--json"])
        assert r.exit_code == case.get("exit", 1)
        assert "error" in json.loads(r.stdout)
