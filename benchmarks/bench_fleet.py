"""Speed of one fleet replication: 100, 1,000 and 10,000 switches of 128-port pluggable switches.

Each switch holds 128 pluggable modules (one per port, 252 FIT: avago-sr332, DFB-laser
module, Telcordia SR-332 prediction) and one switch-wide board (replace-switch, 2,000 FIT, a
placeholder), over 5 years, technicians unlimited. The engine draws only the units that fail,
so time should grow with failures (~ switches), not with the 1.28 M modules.

Run:  python benchmarks/bench_fleet.py [--repeat R]
Prints a table: switches, modules, failures, SimPy events, best-of-R seconds, events/s.
The target is <= 2 s for 10,000 switches on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time

from fleet_models.engines.des.sim import simulate
from fleet_models.model.spec import Architecture, Component, Fleet, Policy, Repair, Scenario
from reliability.models import HOURS_PER_YEAR, LifeModel

PORTS = 128


def scenario(switches: int) -> Scenario:
    arch = Architecture("pluggable", (
        Component("module", PORTS, 1, LifeModel.from_fit_rate(252.0)),
        Component("board", 1, None, LifeModel.from_fit_rate(2000.0), repair=Repair.REPLACE_SWITCH),
    ))
    return Scenario("bench", 5 * HOURS_PER_YEAR, Fleet(switches, PORTS), (arch,),
                    policy=Policy(technicians=0), replications=1, seed=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the best is reported")
    args = ap.parse_args()
    simulate(scenario(10), scenario(10).architectures[0], 0)  # warm imports and caches
    print(f"{'switches':>9} {'modules':>10} {'failures':>9} {'events':>8} {'seconds':>8} "
          f"{'events/s':>10}")
    for switches in (100, 1_000, 10_000):
        sc = scenario(switches)
        best, out = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = simulate(sc, sc.architectures[0], 0)
            best = min(best, time.perf_counter() - t0)
        failures = int(out.metrics["failures_module"] + out.metrics["failures_board"])
        print(f"{switches:>9,} {switches * PORTS:>10,} {failures:>9,} {out.events:>8,} "
              f"{best:>8.3f} {out.events / best:>10,.0f}")


if __name__ == "__main__":
    main()
