"""Benchmark: start-up of the simulate path (issue 12: under 0.5 s of imports).

    python benchmarks/bench_startup.py [--repeat R]

Each case runs as `python -X importtime ...` from the repository root, R times (default 9), the
cases in turn so that the shared machine's drift falls on all alike; medians are shown. The two targets:

* `cpo simulate --help`: every import of the process;
* the default run, `cpo simulate -w 1` and `cpo compare -w 1` (the built-in default scenario),
  up to its first replication: the imports done before the engine's first ``simulate`` call,
  where the process then stops. ``-w 1`` runs the replications in the process itself, so the
  engine's own imports (SimPy) are counted; with the default two workers the forked workers
  import those instead. ``--engine des`` beside it: the same run without what ``auto`` imports
  to decide between the engines (numba, with fleet_models.engines.fast).

Beside them:

* the floor: `python -c pass` (the interpreter's own start-up imports) and `import numpy`,
  which every path that simulates needs; and what a run on the fast engine cannot do without:
  numpy, typer (whose option parsing imports pydantic) and numba loading one cached function
  (its typing and target registries, which import scipy.linalg to check for BLAS);
* a whole tiny run (`cpo simulate TINY -n 1 -w 1 --json`: two switches, one year, one
  replication), every import included: what the default run's result and summary import after
  the replications (pandas for the tidy frame, scipy.special for the intervals).

Columns: imports, the sum of the top-level import times Python reports (-X importtime, which
itself slows imports a little: compare figures with each other, not with other tools), median
and (min), the run least disturbed by other load, since these are wall times; cpu (user
+ sys, less disturbed by other load than wall) and wall seconds of the whole process (interpreter
start and, for the runs, everything up to the first replication or the end); loaded, which of
the heavy modules the process had imported by then (at the first replication, or at exit). None
of scipy.stats, scipy.optimize, lifelines, matplotlib is needed to simulate
(tests/test_scale.py and tests/test_packaging.py hold this).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = """name = "tiny"
horizon_years = 1
replications = 1
seed = 1
[fleet]
switches = 2
ports_per_switch = 128
[[architectures]]
base = "pluggable-dsp"
[[architectures]]
base = "cpo-els"
"""
# The floor of a run on the fast engine: what any cpo run imports (numpy; typer, whose option
# parsing imports pydantic) and numba with the registries it loads to take one cached function
# from its cache (its own cache directory, filled before the timing).
FLOOR_NUMBA = """import os
os.environ["NUMBA_CACHE_DIR"] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nc")
import numpy, typer, pydantic
from numba import njit


@njit(cache=True)
def one(x):
    return x + 1


one(1)
"""
HEAVY = ("pandas", "pyarrow", "numba", "scipy.special", "scipy.stats", "scipy.optimize", "lifelines",
         "matplotlib")
MARK = "FIRST-REPLICATION"
# Run the CLI. With stop=True the first replication ends the process: when fleet_models.runs.runner is
# imported (whenever the CLI does it), its get_engine is wrapped so that the engine's first
# simulate() call says which heavy modules are loaded, prints MARK and exits.
RUN = """import sys
HEAVY = {heavy!r}
def loaded():
    return ",".join(m for m in HEAVY if m in sys.modules) or "none"
if {stop!r}:
    import importlib.util, os
    class _Hook:
        def find_spec(self, name, path=None, target=None):
            if name != "fleet_models.runs.runner":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            load = spec.loader.exec_module
            def exec_module(module):
                load(module)
                get_engine = module.get_engine
                class First:
                    def __init__(self, name):
                        self.engine = get_engine(name)
                    def simulate(self, plan, replication):
                        print("HEAVY", loaded(), file=sys.stderr)
                        print({mark!r}, file=sys.stderr, flush=True)
                        os._exit(0)
                module.get_engine = First
            spec.loader.exec_module = exec_module
            return spec
    sys.meta_path.insert(0, _Hook())
import atexit
import cli.main
sys.argv = ["cpo", *sys.argv[1:]]
# main() ends the process itself once Python's exit handlers ran (cli.main._exit)
atexit.register(lambda: print("HEAVY", loaded(), file=sys.stderr, flush=True))
cli.main.main()
"""


def import_seconds(stderr: str) -> float:
    """Sum of the top-level cumulative times of -X importtime's report (microseconds), up to
    MARK if the process printed it."""
    total = 0
    for line in stderr.splitlines():
        if line == MARK:
            break
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # one space after the bar: a top-level import
            total += int(cumulative)
    return total / 1e6


def measure(argv: list[str], stop: bool) -> tuple[float, float, float, str]:
    """(seconds of imports, cpu seconds, wall seconds, heavy modules loaded) for one run of
    ``argv``: a python -c script, or the CLI (stopped at its first replication when ``stop``)."""
    if argv[0] == "-c":
        cmd = [sys.executable, "-X", "importtime", *argv]
    else:
        script = RUN.format(heavy=HEAVY, stop=stop, mark=MARK)
        cmd = [sys.executable, "-X", "importtime", "-c", script, *argv]
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{argv}: exit {proc.returncode}\n{stderr[-2000:]}")
    if stop and MARK not in stderr.splitlines():
        raise SystemExit(f"{argv}: no replication started\n{stderr[-2000:]}")
    heavy = [ln for ln in stderr.splitlines() if ln.startswith("HEAVY ")]
    return (import_seconds(stderr), usage.ru_utime + usage.ru_stime, wall,
            heavy[-1][len("HEAVY "):] if heavy else "-")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9, help="runs of each case; the median is shown")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.toml"
        tiny.write_text(TINY)
        (Path(tmp) / "floor_numba.py").write_text(FLOOR_NUMBA)
        floor_numba = ["-c", f"import sys; sys.path.insert(0, {tmp!r}); import floor_numba"]
        measure(floor_numba, False)  # compile once: the timed runs load it from the cache
        cases = [  # (label, argv, stop at the first replication)
            ("floor: python -c pass", ["-c", "pass"], False),
            ("floor: python -c 'import numpy'", ["-c", "import numpy"], False),
            ("floor: numpy, typer, numba cached call", floor_numba, False),
            ("cpo simulate --help", ["simulate", "--help"], False),
            ("cpo simulate -w 1, to 1st replication", ["simulate", "-w", "1"], True),
            ("cpo compare -w 1, to 1st replication", ["compare", "-w", "1"], True),
            ("cpo simulate -w 1 --engine des, to 1st", ["simulate", "-w", "1", "--engine", "des"], True),
            ("cpo simulate TINY -n 1 -w 1 --json, all", ["simulate", str(tiny), "--replications", "1",
                                                        "--workers", "1", "--json"], False),
        ]
        runs: dict[str, list[tuple[float, float, float, str]]] = {label: [] for label, _, _ in cases}
        for _ in range(args.repeat):  # round-robin: the machine's drift falls on every case alike
            for label, argv, stop in cases:
                runs[label].append(measure(argv, stop))
    print(f"{'case':<42} {'imports s':>9} {'(min)':>6} {'cpu s':>6} {'wall s':>6}  heavy modules "
          f"loaded (medians of {args.repeat})")
    for label, r in runs.items():
        imp, cpu, wall = (statistics.median(x[i] for x in r) for i in range(3))
        print(f"{label:<42} {imp:>9.3f} {min(x[0] for x in r):>6.3f} {cpu:>6.3f} {wall:>6.3f}  "
              f"{r[-1][3]}")
    print("\ntarget: under 0.5 s of imports for `cpo simulate --help` and before the default run's "
          "first replication; scipy.stats, lifelines and matplotlib not loaded")


if __name__ == "__main__":
    main()
