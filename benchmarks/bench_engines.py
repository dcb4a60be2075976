"""Benchmark: the SimPy and the fast (numba) engine, and `cpo compare` on the fast engine.

    python benchmarks/bench_engines.py [--des-reps N] [--fast-reps N] [--skip-compare]

1. Failure events per second per core (one process) of each engine, on the built-in default
   scenario as shipped (128 switches, four architectures, 5 years, the [fabric]'s training jobs,
   no-trouble-found swaps) and on the same with 10,000 switches, measured in one run, and their
   ratio. Failure events = the sum of the `failures_*` metrics; each figure is the best of 3
   timings of the same replications. The fast engine is compiled (or loaded from its cache)
   before timing; the compile and the cached-load times are printed too.
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
REPEAT = 3  # timings of the same work; the least is kept


def _rate(engine, scenario, reps: int, repeat: int = REPEAT) -> tuple[float, float, float]:
    """Failure events per second, failure events and seconds of ``reps`` replications of every
    architecture of ``scenario``: the least of ``repeat`` timings of the same work (the run least
    disturbed by other load on a shared machine)."""
    from fleet_models.engines.contract import compile_plan

    plans = [compile_plan(scenario, a) for a in scenario.architectures]
    best = float("inf")
    for _ in range(repeat):
        fails = 0.0
        t0 = time.perf_counter()
        for rep in range(reps):
            for plan in plans:
                m = engine.simulate(plan, rep).metrics
                fails += sum(v for k, v in m.items() if k.startswith("failures_"))
        best = min(best, time.perf_counter() - t0)
    return fails / best, fails, best


def compile_times() -> tuple[float, float]:
    """(cold compile, load from cache) seconds of the fast engine, each in a fresh interpreter
    with its own empty and then filled numba cache."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        probe = ("import time; t=time.perf_counter(); from fleet_models.engines.fast.engine import warm_up; "
                 "w=warm_up(); print(f'{w:.4f}')")
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        cold, warm = (float(subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                                           capture_output=True, text=True).stdout.strip())
                      for _ in range(2))
    return cold, warm


def sized(scenario, switches: int):
    """``scenario`` with ``switches`` switches."""
    return dataclasses.replace(scenario, fleet=dataclasses.replace(scenario.fleet, switches=switches))


def engine_rates(scenario, des_reps: int, fast_reps: int) -> dict[str, float]:
    """Both engines on ``scenario`` in this process (the fast one compiled or loaded first):
    failure events per second, failures and seconds of each (des_*, fast_*), and the ratio.
    A replication count of 0 skips that engine (its figures are then NaN)."""
    from fleet_models.engines.des.sim import SimPyEngine
    from fleet_models.engines.fast.engine import FastEngine, warm_up

    warm_up()
    nan = float("nan")
    out: dict[str, float] = {"switches": scenario.fleet.switches}
    for name, engine, reps in (("des", SimPyEngine, des_reps), ("fast", FastEngine, fast_reps)):
        rate, fails, dt = _rate(engine(), scenario, reps) if reps > 0 else (nan, nan, nan)
        out |= {f"{name}_reps": reps, f"{name}_rate": rate, f"{name}_failures": fails,
                f"{name}_seconds": dt}
    out["ratio"] = out["fast_rate"] / out["des_rate"]
    return out


def architecture_rates(scenario, reps: int, repeat: int = REPEAT) -> list[dict[str, float]]:
    """The fast engine on each architecture of ``scenario`` alone (compiled or loaded first):
    failures per replication, events per failure and failure events per second, the best of
    ``repeat`` timings of ``reps`` replications (the run least disturbed by other load)."""
    from fleet_models.engines.contract import compile_plan
    from fleet_models.engines.fast.engine import FastEngine, warm_up

    warm_up()
    engine = FastEngine()
    out = []
    for arch in scenario.architectures:
        plan = compile_plan(scenario, arch)
        engine.simulate(plan, 0)
        best = float("inf")
        for _ in range(repeat):
            fails = events = 0.0
            t0 = time.perf_counter()
            for rep in range(reps):
                o = engine.simulate(plan, rep)
                fails += sum(v for k, v in o.metrics.items() if k.startswith("failures_"))
                events += o.events
            best = min(best, time.perf_counter() - t0)
        out.append({"architecture": arch.name, "failures_per_rep": fails / reps,
                    "events_per_failure": events / fails, "rate": fails / best, "seconds": best})
    return out


def default():
    """The built-in default scenario, as shipped (jobs under the [fabric], NTF swaps)."""
    from fleet_models.builtins.scenarios import default_scenario

    return default_scenario()


def compare_run(replications: int, workers: int = 2, scenario=None) -> dict[str, float]:
    """`cpo compare --engine fast` on ``scenario`` (default: the built-in default) as a
    subprocess: wall seconds of the whole command and the simulation's ``elapsed_s``."""
    import tempfile

    from fleet_models.scenario.write import scenario_to_toml

    with tempfile.TemporaryDirectory() as tmp:
        where = []
        if scenario is not None:
            scenario_file = Path(tmp) / "scenario.toml"
            scenario_file.write_text(scenario_to_toml(scenario), encoding="utf-8")
            where = [str(scenario_file)]
        cmd = [sys.executable, "-m", "cli.main", "compare", *where, "--json", "--quiet",
               "--engine", "fast", "--workers", str(workers), "--replications", str(replications)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        wall = time.perf_counter() - t0
    doc = json.loads(out)
    return {"replications": replications, "workers": workers, "wall_s": wall,
            "elapsed_s": float(doc["elapsed_s"]), "engine": doc["engine"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--des-reps", type=int, default=3, help="SimPy replications per scenario")
    ap.add_argument("--fast-reps", type=int, default=50, help="fast replications (default scenario)")
    ap.add_argument("--skip-compare", action="store_true")
    args = ap.parse_args()

    cold, warm = compile_times()
    print(f"fast engine: cold compile {cold:.2f} s, load from cache {warm:.2f} s")

    base = default()
    for label, sc, des_reps, fast_reps in (("default (128 switches)", base, args.des_reps, args.fast_reps),
                                           ("10,000 switches", sized(base, 10_000), 1,
                                            max(2, args.fast_reps // 25))):
        r = engine_rates(sc, des_reps, fast_reps)
        print(f"{label}: SimPy {r['des_rate']:,.0f} failures/s ({r['des_failures']:,.0f} in "
              f"{r['des_seconds']:.1f} s); fast {r['fast_rate']:,.0f} failures/s "
              f"({r['fast_failures']:,.0f} in {r['fast_seconds']:.2f} s); ratio {r['ratio']:.0f}x")

    if args.skip_compare:
        return
    for n in (200, 2000):
        r = compare_run(n)
        print(f"cpo compare --engine fast -n {n}: {r['wall_s']:.1f} s wall (simulation "
              f"{r['elapsed_s']:.1f} s, engine {r['engine']})")


if __name__ == "__main__":
    main()
