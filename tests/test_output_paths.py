"""Issue 29, section 4, output paths: an output never overwrites the command's own input, an
output that cannot be written is one clear message with nothing half-written, a plot is whole or
absent like every output, and two runs at once cannot mix their files in one saved-run folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from failure_data.files import LOCK_NAME, OutputError, folder_lock

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
SCENARIO = ('name = "s"\nhorizon_years = 1\nreplications = 2\n[fleet]\nswitches = 2\n'
            'ports_per_switch = 128\n[[architectures]]\nbase = "pluggable-dsp"\n'
            '[[architectures]]\nbase = "cpo-els"\n')
RUN = ["-q", "-w", "1", "-n", "2"]


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("s.toml").write_text(SCENARIO, encoding="utf-8")
    shutil.copy(ROOT / "failure_data" / "samples" / "cpo_els_pilot.csv", "log.json")  # a CSV log
    Path("run").mkdir()
    Path("run/scenario.toml").write_text(SCENARIO, encoding="utf-8")
    Path("m.json").write_text('{"distribution": "exponential", "parameters": {"scale": 1e6}}',
                              encoding="utf-8")
    Path("with_model.toml").write_text(SCENARIO.replace('base = "cpo-els"\n', 'base = "cpo-els"\n'
                                       '[[architectures.components]]\nname = "els"\n'
                                       'life = { model = "m.json" }\n'), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("argv, flag, victim", [
    (["fit", "log.json", "--dist", "exponential", "--save", "log.json"], "--save", "log.json"),
    (["fit", "log.json", "--dist", "exponential", "--save", "./sub/../log.json"], "--save", "log.json"),
    (["sweep", "s.toml", "--vary", "costs.pue=1.2", "--out", "s.toml", *RUN], "--out", "s.toml"),
    (["sweep", "with_model.toml", "--vary", "costs.pue=1.2", "--out", "m.json", *RUN], "--out", "m.json"),
    (["tornado", "s.toml", "--plot", "s.toml", *RUN], "--plot", "s.toml"),
    (["report", "s.toml", "-o", "s.toml", *RUN], "--output", "s.toml"),
    (["report", "link.toml", "-o", "s.toml", *RUN], "--output", "s.toml"),  # a link to the input
    (["simulate", "run/scenario.toml", "--out", "run", *RUN], "--out", "run/scenario.toml"),
])
def test_an_output_that_names_the_input_is_refused_and_the_input_kept(work, argv, flag, victim):
    Path("sub").mkdir()
    os.symlink("s.toml", "link.toml")
    before = _digest(Path(victim))
    r = runner.invoke(app, argv, env={"COLUMNS": "400"})
    out = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    assert flag in out and "would overwrite what this command reads" in out
    assert _digest(Path(victim)) == before


def test_report_from_a_saved_run_refuses_to_write_into_it(work):
    assert runner.invoke(app, ["simulate", "s.toml", "--out", "saved", *RUN]).exit_code == 0
    before = {p.name: _digest(p) for p in Path("saved").iterdir()}
    r = runner.invoke(app, ["report", "--from", "saved", "-o", "saved/run.json", "-q"],
                      env={"COLUMNS": "400"})
    assert r.exit_code == 2 and "would overwrite" in r.output
    assert {p.name: _digest(p) for p in Path("saved").iterdir()} == before


WRITERS = [
    ["fit", "log.json", "--dist", "exponential", "--save", "out/m.toml"],
    ["fit", "log.json", "--dist", "exponential", "--plot", "out/p.png"],
    ["data", "synth", "--dist", "exponential", "--scale", "1e4", "-o", "out/x.csv", "--units", "10"],
    ["sweep", "s.toml", "--vary", "costs.pue=1.2", "--out", "out/x.csv", *RUN],
    ["tornado", "s.toml", "--plot", "out/t.png", *RUN],
    ["report", "s.toml", "-o", "out/r.html", *RUN],
    ["simulate", "s.toml", "--out", "out/run", *RUN],
    ["scenario", "init", "-o", "out/s.toml"],
]


@pytest.mark.parametrize("argv", WRITERS, ids=lambda a: " ".join(a[:2]))
def test_an_output_that_cannot_be_written_is_one_message_and_nothing_is_left(work, argv,
                                                                             monkeypatch):
    # a folder the user may not write to (tests run as root here, so the refusal is the one a
    # read-only folder gives: mkstemp's PermissionError)
    Path("out").mkdir()

    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", deny)
    r = runner.invoke(app, argv)
    assert r.exit_code == 1, r.output
    assert r.stderr.startswith("Error: cannot write") and "Permission denied" in r.stderr
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    left = [p for p in Path("out").rglob("*") if p.is_file()]
    assert left == [], left


def test_a_probability_plot_is_whole_or_absent(work, monkeypatch):
    from matplotlib.figure import Figure

    def half(self, path, **k):
        Path(path).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", half)
    r = runner.invoke(app, ["fit", "log.json", "--dist", "exponential", "--plot", "p.png"])
    assert r.exit_code == 1 and "No space left on device" in r.stderr
    assert sorted(p.name for p in Path(".").iterdir() if "p." in p.name) == []


def test_a_second_run_into_a_folder_being_written_is_refused(work):
    Path("busy").mkdir()
    with folder_lock("busy"):  # this process is the run under way
        r = runner.invoke(app, ["simulate", "s.toml", "--out", "busy", *RUN])
        assert r.exit_code == 1
        assert f"another run (process {os.getpid()}) is writing 'busy'" in r.stderr
        assert sorted(p.name for p in Path("busy").iterdir()) == [LOCK_NAME]
    assert list(Path("busy").iterdir()) == []  # released


def test_a_lock_left_by_a_killed_run_is_taken_over(work):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    Path("busy").mkdir()
    (Path("busy") / LOCK_NAME).write_text(gone.stdout, encoding="utf-8")  # that process has ended
    r = runner.invoke(app, ["simulate", "s.toml", "--out", "busy", *RUN])
    assert r.exit_code == 0, r.output
    assert {p.name for p in Path("busy").iterdir()} >= {"run.json", "replications.csv", "summary.json"}
    assert not (Path("busy") / LOCK_NAME).exists()


def test_folder_lock_refuses_while_held_and_names_the_way_out(tmp_path):
    with folder_lock(tmp_path):
        with pytest.raises(OutputError, match=f"remove '{tmp_path / LOCK_NAME}'"):
            with folder_lock(tmp_path):
                pass


def test_a_run_killed_half_way_leaves_no_output_and_the_next_run_writes_them_all(work):
    # SIGKILL (no handler runs) while the replications stream into the folder: nothing of the
    # run is in place (the rows are a hidden temporary, renamed only at the end), and the next
    # run takes the dead run's lock over and writes every file
    import signal
    import time

    from fleet_models.engines.fast.jit import sources_digest

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cache = Path.home() / ".cache" / "cpo-analyzer" / "numba" / sources_digest()
    if cache.is_dir():
        env["NUMBA_CACHE_DIR"] = str(cache)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "simulate", "s.toml", "--out", "killed",
                             "-n", "100000", "-w", "1", "-q"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not any(p.name.endswith(".part.csv") for p in Path("killed").glob(".*")) \
                if Path("killed").is_dir() else True:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        time.sleep(0.3)  # rows under way
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert [p.name for p in Path("killed").iterdir() if not p.name.startswith(".")] == []
    r = runner.invoke(app, ["simulate", "s.toml", "--out", "killed", *RUN])
    assert r.exit_code == 0, r.output
    shown = sorted(p.name for p in Path("killed").iterdir())  # the dead run's temporaries gone too
    assert shown == ["ledgers.npz", "replications.csv", "run.json", "scenario.toml", "summary.json"]
    assert not (Path("killed") / LOCK_NAME).exists()


def test_two_writers_of_one_file_at_once_leave_one_whole_file(tmp_path):
    # two runs writing the same --out/-o file at once (interleaved here): each writes its own
    # temporary, the last rename wins, and the file is one writer's, whole
    from failure_data.files import atomic_path

    target = tmp_path / "grid.csv"
    a_text, b_text = "a\n" * 50_000, "b\n" * 70_000
    with atomic_path(target) as a, atomic_path(target) as b:
        assert a != b
        a.write_text(a_text[:1000])
        b.write_text(b_text)
        a.write_text(a_text)
    assert target.read_text() == a_text  # a finished last: its file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["grid.csv"]


@pytest.mark.parametrize("argv, flag", [
    (["scenario", "init", "--force", "-o", "adir"], None),
    (["report", "s.toml", "-o", "adir", *RUN], "--output"),
    (["sweep", "s.toml", "--vary", "costs.pue=1.2", "--out", "adir", *RUN], "--out"),
    (["fit", "log.json", "--save", "adir.json"], "--save"),
    (["simulate", "s.toml", "--out", "s.toml", *RUN], "--out"),  # a file where a folder goes
])
def test_an_output_that_is_a_folder_or_a_folder_that_is_a_file_is_refused(work, argv, flag):
    Path("adir").mkdir()
    Path("adir.json").mkdir()
    r = runner.invoke(app, argv, env={"COLUMNS": "300"})
    assert r.exit_code in (1, 2), r.output
    assert "Traceback" not in r.output and (flag is None or flag in r.output)
    assert "folder" in r.output or "directory" in r.output or "is a file" in r.output
    assert Path("adir").is_dir() and list(Path("adir").iterdir()) == []
