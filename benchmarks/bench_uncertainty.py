"""Benchmark: what `uncertainty = true` costs on the built-in default (target: at most 2x the
fixed-input run).

    python benchmarks/bench_uncertainty.py [--replications 200] [--repeat 5]

The same run two ways in one process, alternated and paired (one worker, the fast engine loaded
from its cache first): the default as shipped (inputs fixed), and with every uncertain input
drawn per replication (the catalog ranges its values cite). Each time is the run plus its
summary (the TCO priced with each replication's own draws), what `cpo simulate` does; the
ratio is of the medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

TARGET = 2.0


def measure(replications: int = 200, repeat: int = 5) -> dict[str, float]:
    from fleet_models.builtins.scenarios import default_scenario
    from fleet_models.runs.runner import run

    base = default_scenario()
    drawn = dataclasses.replace(base, uncertainty=True)
    run(base, replications=2, workers=1, engine="fast")  # load the compiled engine
    times: dict[str, list[float]] = {"fixed": [], "uncertain": []}
    for _ in range(repeat):
        for name, sc in (("fixed", base), ("uncertain", drawn)):
            t0 = time.perf_counter()
            res = run(sc, replications=replications, workers=1, engine="fast")
            res.summary()
            times[name].append(time.perf_counter() - t0)
    fixed, uncertain = statistics.median(times["fixed"]), statistics.median(times["uncertain"])
    return {"replications": replications, "repeat": repeat, "fixed_s": fixed,
            "uncertain_s": uncertain, "ratio": uncertain / fixed,
            "inputs": len(_inputs(drawn))}


def _inputs(sc) -> dict:
    from fleet_models.scenario.inputs import inputs

    return inputs(sc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    r = measure(args.replications, args.repeat)
    print(f"default, {r['replications']} replications, 1 worker, fast engine, medians of {r['repeat']}: "
          f"fixed inputs {r['fixed_s']:.2f} s, {r['inputs']} inputs drawn per replication "
          f"{r['uncertain_s']:.2f} s: {r['ratio']:.2f}x (target <= {TARGET:g}x: "
          f"{'met' if r['ratio'] <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
