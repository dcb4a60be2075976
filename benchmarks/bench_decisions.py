"""Benchmark: `cpo tornado` on the built-in default scenario (target: under 2 minutes on 2 cores).

    python benchmarks/bench_decisions.py [--replications N]

Times the whole command as a user runs it (a subprocess: the default scenario's uncertain inputs,
each at its low and its high, cpo-els against pluggable-dsp, on min(CPUs, 2) workers) and prints
how many architecture simulations it needed (prices re-simulate nothing; an input re-simulates
only the architectures it changes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 120.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=None, help="default: the scenario's (200)")
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "cli.main", "tornado", "--json", "--quiet"]
    if args.replications:
        cmd += ["--replications", str(args.replications)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    doc = json.loads(out)
    print(f"cpo tornado (default scenario, {doc['arch']} vs {doc['against']}): {wall:.1f} s, "
          f"{doc['simulations']} architecture simulations, {len(doc['inputs'])} inputs; target "
          f"{TARGET_S:.0f} s: {'met' if wall <= TARGET_S else 'NOT met'}")
    for row in doc["inputs"]:
        print(f"  {row['input']:<20} swing {row['swing']:>14,.0f} USD")


if __name__ == "__main__":
    main()
