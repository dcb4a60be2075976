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
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


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
