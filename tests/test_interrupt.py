"""Ctrl-C during a simulation stops it within a second or two: one line, exit 130, no worker left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _children(pid: int) -> list[str]:
    """The child processes of pid, started from any of its threads (a Dask cluster starts its
    workers from threads of its own)."""
    kids: list[str] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += (task / "children").read_text().split()
    except OSError:
        pass
    return kids


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _cpo(*argv: str) -> subprocess.Popen:
    """`cpo ARGV` in a process group of its own (the terminal's, for a Ctrl-C to it)."""
    return subprocess.Popen([sys.executable, "-m", "cli.main", *argv], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def _wait_for_children(p: subprocess.Popen, n: int = 1, then: float = 0.5) -> None:
    """Until p has n child processes (imports done, workers started), then ``then`` seconds."""
    deadline = time.monotonic() + 60
    while len(_children(p.pid)) < n and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(then)
    assert p.poll() is None and len(_children(p.pid)) >= n


def _interrupt(p: subprocess.Popen, to_group: bool = True) -> tuple[bytes, str]:
    """Ctrl-C (to the group, or to p alone); checks it ended within 3 s with exit 130 and nobody
    left in its group; returns (stdout, stderr)."""
    (os.killpg if to_group else os.kill)(p.pid, signal.SIGINT)
    t = time.monotonic()
    out, err = p.communicate(timeout=30)
    assert time.monotonic() - t < 3.0
    assert p.returncode == 130
    # multiprocessing's resource tracker (not a worker) exits by itself once the run's end closes
    # its pipe
    deadline = time.monotonic() + 3.0
    while _group_alive(p.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(p.pid)  # nobody left in the run's process group
    return out, err.decode()


ONE_LINE = "interrupted (Ctrl-C); nothing more was written"


@pytest.mark.parametrize("to_group", [True, False], ids=["ctrl-c (the terminal's group)", "kill -INT pid"])
def test_ctrl_c_stops_a_run_with_exit_130_and_ends_its_workers(to_group, tmp_path):
    out = tmp_path / "res"
    # 5,000 replications of the default: tens of seconds even on the fast engine (its 200 take
    # about a second, which a loaded machine could let end before the signal)
    p = _cpo("simulate", "--quiet", "--workers", "2", "--replications", "5000", "--force", "--out", str(out))
    _wait_for_children(p)
    _, err = _interrupt(p, to_group)
    assert err.strip() == ONE_LINE
    assert not out.exists() or not any(out.iterdir())  # nothing half-written


@pytest.mark.parametrize("command", [
    ["sweep", "--quiet", "--vary", "policy.switch_replacement_hours=2,4,6,8", "-n", "5000", "--force", "-o", "{out}.csv"],
    ["report", "-n", "5000", "--force", "-o", "{out}.html"],
    ["tornado", "--quiet"],
], ids=["sweep", "report", "tornado"])
def test_ctrl_c_stops_a_sweep_a_report_and_a_tornado_the_same_way(command, tmp_path):
    # each runs for tens of seconds; the terminal's Ctrl-C once its workers are up
    p = _cpo(*(c.format(out=tmp_path / "out") for c in command))
    _wait_for_children(p)
    _, err = _interrupt(p)
    # (the report says first how long its simulation will take)
    assert err.strip().splitlines()[-1] == ONE_LINE
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no output, no temporary


@pytest.mark.parametrize("to_group", [True, False], ids=["ctrl-c (the terminal's group)", "kill -INT pid"])
def test_ctrl_c_while_a_local_dask_cluster_starts_gives_the_one_line(to_group):
    # signalled as soon as the cluster's worker processes exist, while they are still importing:
    # the terminal's Ctrl-C reaches them too, and a half-started worker used to print its own
    # KeyboardInterrupt traceback, or the exception was lost in Dask's garbage-collector callback
    # (printed as "Exception ignored", and the run went on)
    p = _cpo("simulate", "--quiet", "--json", "--dask", "local", "--replications", "5000", "--force")
    _wait_for_children(p, n=2, then=0.0)  # the resource tracker and a worker
    out, err = _interrupt(p, to_group)
    assert err.strip() == ONE_LINE
    assert out == b""


def test_a_ctrl_c_that_python_ignores_still_ends_the_run():
    # Python prints and ignores an exception raised in __del__ or a garbage-collector callback
    # (Dask's start-up has one); here the signal lands in a __del__: no "Exception ignored" is
    # printed, and the watchdog ends the run after WATCHDOG_S with the same one line
    code = ("import time\n"
            "import cli.main as m\n"
            "m.install_ctrl_c()\n"
            "class Sink:\n"
            "    def __del__(self):\n"
            "        print('ready', flush=True)\n"
            "        time.sleep(30)\n"
            "s = Sink()\n"
            "del s\n"
            "time.sleep(30)\n"
            "print('not stopped', flush=True)\n")
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert p.stdout.readline() == b"ready\n"
    p.send_signal(signal.SIGINT)
    t = time.monotonic()
    out, err = p.communicate(timeout=30)
    from cli.main import WATCHDOG_S

    assert WATCHDOG_S <= time.monotonic() - t < WATCHDOG_S + 2.0
    assert p.returncode == 130
    assert out == b""
    assert err.decode().strip() == ONE_LINE
