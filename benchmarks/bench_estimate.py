"""Benchmark: how good is the run-size estimate `cpo simulate` prints and caps on?

    python benchmarks/bench_estimate.py [--replications N]

For a few fleets (the built-in default scenario scaled in switches and years) and each engine
it runs `fleet_models.runs.estimate.estimate` and then the run itself on one worker, and prints
estimated vs simulated failure events and estimated vs measured seconds (the fast engine
compiled or loaded from its cache first). The constants it checks, SECONDS_PER_FAILURE,
SECONDS_PER_FAILURE_FAST and SECONDS_PER_UNIT in fleet_models/runner.py, were set from this
script's output; the estimate is meant to be right within a factor of two (it drives a cap and
an ETA, not a result). The SimPy engine runs fewer replications (--des-replications).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=40, help="fast engine replications")
    ap.add_argument("--des-replications", type=int, default=2)
    args = ap.parse_args()

    from fleet_models.builtins.scenarios import default_scenario
    from fleet_models.engines.fast.engine import warm_up
    from fleet_models.runs.estimate import estimate
    from fleet_models.runs.runner import run

    warm_up()
    base = default_scenario()
    print(f"{'engine':>6} {'switches':>8} {'years':>5} {'est. failures':>13} {'simulated':>10} "
          f"{'ratio':>6} {'est. s':>7} {'measured s':>10} {'ratio':>6}")
    for engine, reps in (("fast", args.replications), ("des", args.des_replications)):
        for switches, years in ((128, 5), (512, 5), (128, 20), (1024, 10)):
            sc = dataclasses.replace(base, fleet=dataclasses.replace(base.fleet, switches=switches),
                                     horizon_hours=years * 8766.0)
            est = estimate(sc, reps, workers=1, engine=engine)
            t0 = time.perf_counter()
            res = run(sc, replications=reps, workers=1, engine=engine, force=True)
            dt = time.perf_counter() - t0
            frame = res.replications
            simulated = float(frame[[c for c in frame.columns if c.startswith("failures_")]].sum().sum())
            print(f"{engine:>6} {switches:>8} {years:>5} {est.failures:>13,.0f} {simulated:>10,.0f} "
                  f"{est.failures / simulated:>6.2f} {est.seconds:>7.2f} {dt:>10.2f} "
                  f"{est.seconds / dt:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
