"""Benchmark: a 32,768-GPU two-tier fabric on the fast engine (issue 28's target: a few seconds
per 200 replications).

    python benchmarks/bench_tiers.py [--replications N] [--repeat R]

The built-in two-tier scenario's designs scaled to 32,768 GPUs: 512 leaves of 64 GPU-facing
ports and 64 up-links, 64 spines of 512 ports (Spectrum-X Photonics' 512 x 200G mode, ports
priced and failing as the built-in's) so that every leaf up-link ends at a spine port; 5 years.
Times `run` of each design alone (all-pluggable and all-cpo, the two ends) on 2 workers after the
compiled engine is loaded, R times each, alternated; the medians are printed with the failure
events they simulated. Machines are noisy: quote the medians of one run of this script.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_S = 10.0


def scenario(design: str):
    """The two-tier built-in with one design, scaled to 32,768 GPUs."""
    from fleet_models.builtins.scenarios import builtin_scenarios
    from fleet_models.model.spec import Tier

    sc = builtin_scenarios()["two-tier"]
    tiers = (Tier("leaf", 512, 128, 64), Tier("spine", 64, 512, 0))
    arch = next(a for a in sc.architectures if a.name == design)
    # the spine's per-port units cover its first 128 ports as built; a 512-port spine has four
    # times as many of each per-port unit (a switch-wide one stays one)
    comps = tuple(dataclasses.replace(c, per_switch=c.per_switch * 4)
                  if c.name.startswith("spine:") and c.ports_per_unit is not None else c
                  for c in arch.components)
    return dataclasses.replace(
        sc, fleet=dataclasses.replace(sc.fleet, switches=512),
        fabric=dataclasses.replace(sc.fabric, tiers=tiers),
        architectures=(dataclasses.replace(arch, components=comps),))


def measure(repeat: int = 3, replications: int = 200) -> dict[str, dict[str, float]]:
    from fleet_models.runs.estimate import estimate
    from fleet_models.runs.runner import run

    out: dict[str, dict[str, float]] = {}
    runs: dict[str, list[float]] = {"all-pluggable": [], "all-cpo": []}
    run(scenario("all-pluggable"), replications=2, workers=1, engine="fast")  # load the engine
    for _ in range(repeat):
        for design in runs:
            sc = scenario(design)
            t0 = time.perf_counter()
            run(sc, replications=replications, workers=2, engine="fast", force=True)
            runs[design].append(time.perf_counter() - t0)
    for design, times in runs.items():
        est = estimate(scenario(design), replications, 2, "fast")
        out[design] = {"median_s": statistics.median(times), "failures": est.failures}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    r = measure(args.repeat, args.replications)
    for design, x in r.items():
        print(f"{design}: 32,768 GPUs (512 leaves, 64 spines), {args.replications} replications, 2 "
              f"workers, fast engine: median {x['median_s']:.1f} s of {args.repeat} (about "
              f"{x['failures']:,.0f} failure events); target {TARGET_S:.0f} s: "
              f"{'met' if x['median_s'] <= TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
