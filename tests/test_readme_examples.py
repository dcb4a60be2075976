"""Every `cpo` command in the README's shell examples runs and exits 0.

Run in README order in one temporary folder (so `data synth -o fleet.csv` makes the file the next
example validates), with the sample paths made absolute, the scenario files the examples name
(`my-fabric.toml`, `my.toml`) written from the starter file, shell redirections left to the test,
and simulations cut to 2 replications: the point is that each documented command line works.
A `--dask ADDRESS` names a cluster this test does not have: those lines run locally
(tests/test_parallel.py runs `--dask` against a cluster).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

ROOT = Path(__file__).resolve().parents[1]
SIMULATING = ("simulate", "compare", "sweep", "tornado", "breakeven", "pilot", "report")


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = re.split(r"\s#\s", line)[0].strip()
            if line.startswith("cpo "):
                out.append(line)
    return out


EXAMPLES = _examples()


def _argv(line: str) -> list[str]:
    argv = shlex.split(line.split(">")[0])[1:]  # the command's own arguments; the test takes stdout
    argv = [str(ROOT / a) if a.startswith("failure_data/") else a for a in argv]
    if "--dask" in argv:  # no cluster here: run the rest of the line locally (test_parallel runs --dask)
        i = argv.index("--dask")
        del argv[i:i + 2]
    if argv and argv[0] in SIMULATING:
        if "--replications" in argv:
            argv[argv.index("--replications") + 1] = "2"
        else:
            argv += ["--replications", "2"]
    return argv


def test_the_readme_has_examples_of_every_group():
    groups = {shlex.split(e)[1] for e in EXAMPLES}
    assert {"data", "fit", "simulate", "compare", "scenario"} <= groups, groups


def test_every_readme_example_runs(tmp_path, monkeypatch):
    from fleet_models.scenario.docs import starter_toml

    monkeypatch.chdir(tmp_path)
    starter = starter_toml().replace("replications = 200", "replications = 2")
    for name in ("my-fabric.toml", "my.toml"):
        (tmp_path / name).write_text(starter, encoding="utf-8")
    failures = []
    for line in EXAMPLES:
        argv = _argv(line)
        if argv[:2] == ["scenario", "init"]:
            (tmp_path / argv[argv.index("-o") + 1]).unlink(missing_ok=True)
        r = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})
        if r.exit_code != 0:
            failures.append(f"{line}\n  exit {r.exit_code}: {r.output[-400:]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("line", [e for e in EXAMPLES if "--json" in e and "> " not in e][:3])
def test_json_examples_print_one_document(line, tmp_path, monkeypatch):
    import json

    from fleet_models.scenario.docs import starter_toml

    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.toml").write_text(starter_toml(), encoding="utf-8")
    r = CliRunner().invoke(app, _argv(line))
    assert r.exit_code == 0, r.output
    json.loads(r.stdout)


def _commands() -> list[list[str]]:
    """Every command of the app as argv words, groups' subcommands included."""
    import typer.main

    group = typer.main.get_command(app)
    out = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        out += [[name, s] for s in sub] if sub else [[name]]
    return out


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_command_has_help_and_a_readme_example(words):
    r = CliRunner().invoke(app, [*words, "--help"])
    assert r.exit_code == 0 and "Usage" in r.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"cpo {' '.join(words)}" in readme
