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


@pytest.mark.parametrize("to_group", [True, False], ids=["ctrl-c (the terminal's group)", "kill -INT pid"])
def test_ctrl_c_stops_a_run_with_exit_130_and_ends_its_workers(to_group, tmp_path):
    out = tmp_path / "res"
    # 5,000 replications of the default: tens of seconds even on the fast engine (its 200 take
    # about a second, which a loaded machine could let end before the signal)
    p = subprocess.Popen([sys.executable, "-m", "cli.main", "simulate", "--quiet", "--workers", "2",
                          "--replications", "5000", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not _children(p.pid) and time.monotonic() < deadline:  # imports done, workers started
        time.sleep(0.1)
    time.sleep(0.5)  # the run goes on far longer than this
    assert p.poll() is None and _children(p.pid)
    (os.killpg if to_group else os.kill)(p.pid, signal.SIGINT)
    t = time.monotonic()
    _, err = p.communicate(timeout=30)
    assert time.monotonic() - t < 3.0
    assert p.returncode == 130
    assert err.decode().strip() == "interrupted (Ctrl-C); nothing more was written"
    time.sleep(0.3)
    with pytest.raises(ProcessLookupError):
        os.killpg(p.pid, 0)  # nobody left in the run's process group
    assert not out.exists() or not any(out.iterdir())  # nothing half-written


@pytest.mark.parametrize("command", [
    ["sweep", "--quiet", "--vary", "policy.switch_replacement_hours=2,4,6,8", "-n", "5000", "-o", "{out}.csv"],
    ["report", "-n", "5000", "-o", "{out}.html"],
    ["tornado", "--quiet"],
], ids=["sweep", "report", "tornado"])
def test_ctrl_c_stops_a_sweep_a_report_and_a_tornado_the_same_way(command, tmp_path):
    # each runs for tens of seconds; the terminal's Ctrl-C once its workers are up
    out = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-m", "cli.main", *(c.format(out=out) for c in command)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not _children(p.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert p.poll() is None and _children(p.pid)
    os.killpg(p.pid, signal.SIGINT)
    t = time.monotonic()
    _, err = p.communicate(timeout=30)
    assert time.monotonic() - t < 3.0
    assert p.returncode == 130
    # (the report says first how long its simulation will take)
    assert err.decode().strip().splitlines()[-1] == "interrupted (Ctrl-C); nothing more was written"
    assert "Traceback" not in err.decode()
    time.sleep(0.3)
    assert not _group_alive(p.pid)
    assert list(tmp_path.iterdir()) == []  # no output, no temporary


@pytest.mark.parametrize("to_group", [True, False], ids=["ctrl-c (the terminal's group)", "kill -INT pid"])
def test_ctrl_c_while_a_local_dask_cluster_starts_gives_the_one_line(to_group):
    # signalled as soon as the cluster's worker processes exist, while they are still importing:
    # the terminal's Ctrl-C reaches them too, and a half-started worker used to print its own
    # KeyboardInterrupt traceback, or the exception was lost in Dask's garbage-collector callback
    # (printed as "Exception ignored", and the run went on)
    p = subprocess.Popen([sys.executable, "-m", "cli.main", "simulate", "--quiet", "--json", "--dask", "local",
                          "--replications", "5000"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children(p.pid)) < 2 and time.monotonic() < deadline:  # resource tracker + a worker
        time.sleep(0.02)
    assert p.poll() is None and len(_children(p.pid)) >= 2
    (os.killpg if to_group else os.kill)(p.pid, signal.SIGINT)
    t = time.monotonic()
    out, err = p.communicate(timeout=30)
    assert time.monotonic() - t < 3.0
    assert p.returncode == 130
    assert err.decode().strip() == "interrupted (Ctrl-C); nothing more was written"
    assert out == b""
    # multiprocessing's resource tracker (not a worker) exits by itself once the run's end closes
    # its pipe
    deadline = time.monotonic() + 3.0
    while _group_alive(p.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(p.pid)


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
    assert err.decode().strip() == "interrupted (Ctrl-C); nothing more was written"
