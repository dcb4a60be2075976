"""Benchmark: peak memory of `cpo compare` as replications grow (issue 12: memory stays bounded).

    python benchmarks/bench_memory.py [--replications 100 10000] [--workers W]

Runs `cpo compare SCENARIO --engine fast --replications N --json --quiet --force` as a user does
(a subprocess of this checkout) for each N and prints its wall time, the simulation's
`elapsed_s` and the peak resident memory of its largest process (GNU time's "%M", else
os.wait4's rusage: Linux counts a reaped worker process's peak there too). SCENARIO is the
built-in default scenario when the fast engine models it, else the default without what only
SimPy models yet (the [fabric]'s jobs: gpus_per_port = 0; no-trouble-found swaps: ntf_fraction =
0), as benchmarks/bench_engines.py runs it, written to a temporary TOML file.

A run keeps, per replication and architecture, one row of metrics and ~20 sums of its ledger
(fleet_models.runs.tco.reduce_ledger) instead of its few hundred dated events, so the peak should
barely move from 100 to 10,000 replications.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME = Path("/usr/bin/time")

SCENARIO = r"""
import dataclasses, sys
from fleet_models.builtins import default_scenario
from fleet_models.runs.runner import select_engine
from fleet_models.scenario.write import scenario_to_toml
sc = default_scenario()
if select_engine(sc, "auto")[0] == "fast":
    print("default")
    sys.exit()
archs = tuple(dataclasses.replace(a, components=tuple(
    dataclasses.replace(c, ntf_fraction=0.0) for c in a.components)) for a in sc.architectures)
sc = dataclasses.replace(sc, architectures=archs,
                         workload=dataclasses.replace(sc.workload, gpus_per_port=0.0))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(scenario_to_toml(sc))
print(sys.argv[1])
"""


def measured(cmd: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KiB of the largest process, stdout); raises on failure."""
    wrap = [str(TIME), "-f", "MAXRSS_KB %M"] if TIME.exists() else []
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([*wrap, *cmd], stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        errors = err.read().decode()
        if os.waitstatus_to_exitcode(status):
            raise RuntimeError(f"{' '.join(cmd[:4])} failed: {errors[-2000:]}")
        kib = usage.ru_maxrss
        if wrap:
            kib = int([ln for ln in errors.splitlines() if ln.startswith("MAXRSS_KB ")][-1].split()[1])
        return wall, kib, out.read().decode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, nargs="+", default=[100, 10_000])
    ap.add_argument("--workers", type=int, default=None, help="default: cpo's (min(CPUs, 2))")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "default-fast.toml")
        scenario = subprocess.run([sys.executable, "-c", SCENARIO, path], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip()
        what = ("the built-in default scenario" if scenario == "default" else
                "the default scenario without jobs or NTF swaps (what the fast engine models)")
        print(f"cpo compare on {what}, --engine fast")
        base = [sys.executable, "-m", "cli.main", "compare"]
        if scenario != "default":
            base.append(scenario)
        base += ["--engine", "fast", "--json", "--quiet", "--force"]
        if args.workers:
            base += ["--workers", str(args.workers)]
        subprocess.run([*base, "--replications", "2"], cwd=ROOT, check=True,
                       capture_output=True)  # compile or load the fast engine once, untimed
        print(f"{'replications':>12} {'wall s':>8} {'simulation s':>12} {'peak MiB':>9}")
        for n in args.replications:
            wall, kib, out = measured([*base, "--replications", str(n)])
            elapsed = json.loads(out)["elapsed_s"]
            print(f"{n:>12,} {wall:>8.1f} {elapsed:>12.1f} {kib / 1024:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
