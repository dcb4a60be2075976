"""Benchmark: `cpo compare` on the built-in default scenario, with its verdict's hinges (target:
under 30 s on 2 cores, the fast engine).

    python benchmarks/bench_compare.py [--replications N] [--repeat R]

Times the whole command as a user runs it (a subprocess: import, the scenario's 200 replications
of the four architectures with the inputs fixed and again drawn, TCO, differences, the table, and
the hinges: a tornado of every ranged input on the fixed run, re-simulating only the
architectures an input changes, then a bisection for each of the top three that flips), on
min(CPUs, 2) workers, against the same command with ``--hinges 0`` (the two runs, no tornado).
The two are alternated and paired, R times each; the medians and their ratio are printed.
Machines are noisy: quote the medians of one run of this script, not one command.
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


def _once(extra: list[str], replications: int | None) -> float:
    cmd = [sys.executable, "-m", "cli.main", "compare", "--json", "--quiet", "--engine", "fast", *extra]
    if replications:
        cmd += ["--replications", str(replications)]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def measure(repeat: int = 3, replications: int | None = None) -> dict[str, float]:
    """Medians of ``repeat`` paired runs: with hinges (the default) and with ``--hinges 0``."""
    _once(["--hinges", "0"], 2)  # the compiled engine loaded from its cache (or compiled) once
    hinged, plain = [], []
    for _ in range(repeat):
        hinged.append(_once([], replications))
        plain.append(_once(["--hinges", "0"], replications))
    h, p = statistics.median(hinged), statistics.median(plain)
    return {"repeat": repeat, "hinges_s": h, "no_hinges_s": p, "ratio": h / p,
            "runs_s": hinged}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=None, help="default: the scenario's (200)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    r = measure(args.repeat, args.replications)
    print(f"cpo compare (default scenario, fast engine): with hinges median {r['hinges_s']:.1f} s, "
          f"--hinges 0 {r['no_hinges_s']:.1f} s ({r['ratio']:.2f}x), medians of {r['repeat']} paired "
          f"runs; target {TARGET_S:.0f} s: {'met' if r['hinges_s'] <= TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
