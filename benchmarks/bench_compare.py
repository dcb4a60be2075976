"""Benchmark: `cpo compare` on the built-in default scenario (target: under 30 s on 2 cores).

    python benchmarks/bench_compare.py [--replications N] [--repeat R]

Times the whole command as a user runs it (a subprocess: import, 200 replications of the four
architectures on min(CPUs, 2) workers, TCO, differences, the table), R times, and prints the
median and each run against the target. Machines are noisy: quote the median, not one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 30.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=None, help="default: the scenario's (200)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "cli.main", "compare", "--json", "--quiet"]
    if args.replications:
        cmd += ["--replications", str(args.replications)]
    times = []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        print(f"run {i + 1}: {times[-1]:.1f} s")
    med = statistics.median(times)
    print(f"cpo compare (default scenario): median {med:.1f} s over {len(times)} runs; target "
          f"{TARGET_S:.0f} s: {'met' if med <= TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
