"""Benchmark: the SimPy and the fast (numba) engine, and `cpo compare` on the fast engine.

    python benchmarks/bench_engines.py [--des-reps N] [--fast-reps N] [--skip-compare]

1. Failure events per second per core (one process) of each engine, on the built-in default
   scenario (128 switches, four architectures, 5 years, the [fabric]'s training jobs and
   no-trouble-found swaps) and on the same with 10,000 switches, measured in one run, and their
   ratio. Failure events = the sum of the `failures_*` metrics. The fast engine is compiled (or loaded from its cache) before timing; the
   compile and the cached-load times are printed too.
2. `cpo compare --engine fast` (a subprocess, 2 workers) on the default scenario, 200 and 2,000
   replications: wall time of the whole command and the simulation's `elapsed_s`.

Targets (issue 12): fast >= 2 million failure events per second per core, >= 30x SimPy;
`cpo compare` default with 2,000 replications under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rate(engine, scenario, reps: int) -> tuple[float, float, float]:
    from fleet_models.contract import compile_plan

    plans = [compile_plan(scenario, a) for a in scenario.architectures]
    fails = 0.0
    t0 = time.perf_counter()
    for rep in range(reps):
        for plan in plans:
            m = engine.simulate(plan, rep).metrics
            fails += sum(v for k, v in m.items() if k.startswith("failures_"))
    dt = time.perf_counter() - t0
    return fails / dt, fails, dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--des-reps", type=int, default=3, help="SimPy replications per scenario")
    ap.add_argument("--fast-reps", type=int, default=50, help="fast replications (default scenario)")
    ap.add_argument("--skip-compare", action="store_true")
    args = ap.parse_args()

    # compile times: a fresh interpreter each, with an empty and then the filled cache
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        probe = ("import time; t=time.perf_counter(); from fleet_models.fast_engine import warm_up; "
                 "w=warm_up(); print(f'{w:.2f}')")
        env = {**__import__("os").environ, "NUMBA_CACHE_DIR": cache}
        cold = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.strip()
        warm = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.strip()
    print(f"fast engine: cold compile {cold} s, load from cache {warm} s")

    from fleet_models.builtins import default_scenario
    from fleet_models.engine import SimPyEngine
    from fleet_models.fast_engine import FastEngine, warm_up

    warm_up()
    base = default_scenario()
    big = dataclasses.replace(base, fleet=dataclasses.replace(base.fleet, switches=10_000))
    for label, sc, des_reps, fast_reps in (("default (128 switches)", base, args.des_reps, args.fast_reps),
                                           ("10,000 switches", big, 1, max(2, args.fast_reps // 25))):
        d_rate, d_fails, d_dt = _rate(SimPyEngine(), sc, des_reps)
        f_rate, f_fails, f_dt = _rate(FastEngine(), sc, fast_reps)
        print(f"{label}: SimPy {d_rate:,.0f} failures/s ({d_fails:,.0f} in {d_dt:.1f} s); "
              f"fast {f_rate:,.0f} failures/s ({f_fails:,.0f} in {f_dt:.2f} s); "
              f"ratio {f_rate / d_rate:.0f}x")

    if args.skip_compare:
        return
    for n in (200, 2000):
        cmd = [sys.executable, "-m", "cli.main", "compare", "--json", "--quiet",
               "--engine", "fast", "--workers", "2", "--replications", str(n)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        wall = time.perf_counter() - t0
        doc = json.loads(out)
        print(f"cpo compare --engine fast -n {n}: {wall:.1f} s wall (simulation {doc['elapsed_s']:.1f} s, "
              f"engine {doc['engine']})")


if __name__ == "__main__":
    main()
