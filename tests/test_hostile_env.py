"""Issue 29, section 4, a hostile environment: no HOME (or one that is a file), a temporary
directory that does not exist, LANG=C, a 20-column terminal. Each command still answers, says
nothing but its own words on stderr, and cuts no figure or name on a narrow terminal."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "failure_data" / "samples" / "cpo_els_pilot.csv"
SCENARIO = ('name = "s"\nhorizon_years = 1\nreplications = 2\n[fleet]\nswitches = 2\n'
            'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
            '[[architectures]]\nbase = "cpo-els"\n')


def _cpo(tmp_path: Path, env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    from fleet_models.engines.fast.jit import sources_digest

    # the engine compiled from these sources, where this user's runs cache it: not compiled again
    cache = Path.home() / ".cache" / "cpo-analyzer" / "numba" / sources_digest()
    if cache.is_dir():
        base["NUMBA_CACHE_DIR"] = str(cache)
    return subprocess.run([sys.executable, "-m", "cli.main", *argv], capture_output=True,
                          text=True, cwd=tmp_path, env={**base, **env}, timeout=300)


ENVIRONMENTS = {  # (each run is a process of its own: a few seconds; two environments hold four)
    "no HOME, LANG=C": {"LANG": "C", "LC_ALL": "C"},
    "HOME a file, TMPDIR missing": {"HOME": "{tmp}/afile", "TMPDIR": "{tmp}/no/such/dir"},
}
COMMANDS = {
    "fit --plot": ["fit", "log.csv", "--dist", "exponential", "--plot", "p.png", "--json"],
    "simulate": ["simulate", "s.toml", "-n", "2", "-w", "1", "-q", "--json"],
    "tornado --plot": ["tornado", "s.toml", "-n", "2", "-w", "1", "-q", "--plot", "t.png", "--json"],
}


@pytest.fixture()
def place(tmp_path):
    shutil.copy(LOG, tmp_path / "log.csv")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    (tmp_path / "home").mkdir()
    return tmp_path


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("environment", list(ENVIRONMENTS))
def test_each_command_answers_in_a_hostile_environment(place, environment, command):
    env = {k: v.replace("{tmp}", str(place)) for k, v in ENVIRONMENTS[environment].items()}
    r = _cpo(place, env, *COMMANDS[command])
    assert r.returncode == 0, r.stderr
    json.loads(r.stdout)  # one JSON document, nothing else on stdout
    # nothing but the tool's own words on stderr: no library's complaint about its config folder
    for noise in ("Matplotlib", "mkdir -p failed", "Traceback", "Warning"):
        assert noise not in r.stderr, r.stderr
    for out in ("p.png", "t.png"):
        if out in COMMANDS[command]:
            assert (place / out).read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv", [
    ["bound", "--failures", "0", "--device-hours", "1e6"],
    ["simulate", "s.toml", "-n", "2", "-w", "1", "-q"],
], ids=lambda a: a[0])
def test_a_20_column_terminal_folds_cells_and_cuts_nothing(place, argv):
    r = _cpo(place, {"HOME": str(place / "home"), "COLUMNS": "20"}, *argv)
    assert r.returncode == 0, r.stderr
    assert "…" not in r.stdout  # no cell cut short with an ellipsis
    assert max(len(line) for line in r.stdout.splitlines()) <= 20
    if argv[0] == "bound":  # 2,995.73 FIT, folded over two lines but every digit there
        cells = "".join(line.split("│")[2].strip() for line in r.stdout.splitlines()
                        if line.count("│") == 3)
        assert "2,995.73" in cells and "333,808" in cells


@pytest.mark.parametrize("argv", [
    ["data", "validate", "log.csv"],
    ["fit", "log.csv", "--dist", "exponential"],
    ["plan-pilot", "--target-fit", "100"],
    ["scenario", "list"],
    ["scenario", "catalog"],
    ["compare", "s.toml", "-n", "2", "-w", "1", "-q", "--hinges", "0"],
], ids=lambda a: " ".join(a[:2]))
def test_every_table_folds_on_a_20_column_terminal(place, argv, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.chdir(place)
    r = CliRunner().invoke(app, argv, env={"COLUMNS": "20"})
    assert r.exit_code == 0, r.output
    assert "…" not in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 20
