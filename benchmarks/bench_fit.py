"""Benchmark: `cpo fit` on a 1,000,000-unit dated field log vs the plain pandas + lifelines baseline.

    python benchmarks/bench_fit.py [--units N] [--repeat R]

The log (right-censored Weibull lives, shape 0.9, scale 4e5 h; installs uniform
over 2023-2024, observed until 2025-01-01; columns unit_id, installed, removed,
failed) is drawn once from a fixed seed and cached under benchmarks/_data/
(gitignored) as fit_dated_<N>.csv. Then, in one run:

(a) baseline, as a subprocess: pandas.read_csv, date arithmetic (days x 24 h;
    units removed or censored on their installation day are dead on arrival and
    dropped, as the LifeTable does), lifelines WeibullFitter on the raw rows;
(b) `cpo fit FILE --as-of 2025-01-01 --json` end to end, as a subprocess: wall time and
    the peak resident memory of that process (/usr/bin/time's "Maximum resident set size");
(c) the fit alone (`reliability.fit`) on the LifeTable already read;
(d) `cpo --help` as a subprocess (best of 3);
(e) the floors (b) cannot go below, as subprocesses (median of --repeat runs each): importing
    what `cpo fit` imports (typer, pandas, pyarrow, scipy, lifelines) and nothing else; the
    same without lifelines and scipy.stats, i.e. numpy + pandas + pyarrow + scipy.optimize and
    the CLI (what a fit that did not go through lifelines would still import); the interpreter
    alone; pyarrow.csv.read_csv of the file alone.

It prints the estimates of (a) and (b) with their relative difference and the
speed ratio (a)/(b). Targets (issue 12): (b) < 1 s and < 400 MB (= 381 MiB) on 2 cores;
ratio >= 3, (c) < 1 s, (d) < 1 s. Memory is printed in MiB (2**20 bytes, as /usr/bin/time -v's
kbytes / 1024) and, for (b), also in MB (1e6 bytes, the unit of the target). On a shared machine
the floors (e) say how much of (b) is the machine: imports are Python code holding the GIL, so
they do not run in parallel with each other, and (b) cannot go below its import floor plus the
fit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
AS_OF = "2025-01-01"
SHAPE, SCALE, SEED = 0.9, 4e5, 20250101


def make_log(path: Path, units: int) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    start = np.datetime64("2023-01-01")
    end = np.datetime64(AS_OF)
    span = int((end - start).astype(int))  # 731 days
    inst_day = rng.integers(0, span, units)
    life_days = SCALE * rng.weibull(SHAPE, units) / 24.0
    fail_day = inst_day + np.floor(life_days).astype(np.int64)
    failed = fail_day <= span
    installed = start + inst_day.astype("timedelta64[D]")
    removed = np.where(failed, (start + np.minimum(fail_day, span).astype("timedelta64[D]")).astype(str), "")
    pd.DataFrame({
        "unit_id": [f"U{i:07d}" for i in range(units)],
        "installed": installed.astype(str),
        "removed": removed,
        "failed": failed.astype(np.int8),
    }).to_csv(path, index=False)


BASELINE = """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import pandas as pd
from lifelines import WeibullFitter

df = pd.read_csv(sys.argv[1])
inst = pd.to_datetime(df["installed"])
end = pd.to_datetime(df["removed"]).fillna(pd.Timestamp(sys.argv[2]))
hours = (end - inst).dt.days.to_numpy(dtype=float) * 24.0
keep = hours > 0  # dead on arrival: not part of a life fit
wf = WeibullFitter().fit(hours[keep], df["failed"].to_numpy()[keep].astype(bool))
print(json.dumps({"shape": float(wf.rho_), "scale": float(wf.lambda_),
                  "log_likelihood": float(wf.log_likelihood_), "in_process_s": time.perf_counter() - t0}))
"""


TIME = Path("/usr/bin/time")


def measured(cmd: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes of that process alone, its stdout); raises on failure.

    The peak is GNU time's "%M" (its small process forks the command), else os.wait4's rusage,
    which on Linux also counts this (large) process's memory at the fork before the exec."""
    wrap = [str(TIME), "-f", "MAXRSS_KB %M"] if TIME.exists() else []
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([*wrap, *cmd], stdout=out, stderr=err, cwd=HERE.parent)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (ru_maxrss in KiB)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        errors = err.read().decode()
        if proc.returncode:
            raise RuntimeError(f"{cmd[:3]} failed: {errors[-2000:]}")
        kib = usage.ru_maxrss
        if wrap:
            kib = int([ln for ln in errors.splitlines() if ln.startswith("MAXRSS_KB ")][-1].split()[1])
        return wall, kib * 1024, out.read().decode()


def baseline(path: Path) -> tuple[float, int, dict[str, float]]:
    """The plain way, as its own Python process (it pays interpreter start and imports too)."""
    wall, rss, out = measured([sys.executable, "-c", BASELINE, str(path), AS_OF])
    return wall, rss, json.loads(out)


FLOOR_IMPORTS = "import cli.main, failure_data.readers, reliability.fitting, lifelines"
# what `cpo fit` would import if its fit did not go through lifelines (nor scipy.stats)
FLOOR_NO_LIFELINES = "import cli.main, failure_data.readers, scipy.special, scipy.optimize"


def floors(path: Path, repeat: int) -> dict[str, tuple[float, int]]:
    """Median wall seconds and the largest peak RSS over ``repeat`` runs of: the imports of
    `cpo fit` alone, the same without lifelines and scipy.stats, the interpreter alone, and
    pyarrow.csv.read_csv of the file alone."""
    root = f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); "
    cmds = {
        "imports": root + FLOOR_IMPORTS,
        "no_lifelines": root + FLOOR_NO_LIFELINES,
        "python": "pass",
        "read": f"import pyarrow.csv as c; c.read_csv({str(path)!r})",
    }
    runs: dict[str, list[tuple[float, int]]] = {k: [] for k in cmds}
    for _ in range(repeat):  # interleaved, so machine noise hits each alike
        for k, code in cmds.items():
            wall, rss, _ = measured([sys.executable, "-c", code])
            runs[k].append((wall, rss))
    return {k: (statistics.median(w for w, _ in v), max(r for _, r in v)) for k, v in runs.items()}


def cpo_command() -> list[str]:
    """`cpo` of this checkout: `python -m cli.main` run from the repository root (what the `cpo`
    console script does, minus its lookup; the installed script may point at another checkout)."""
    return [sys.executable, "-m", "cli.main"]


def cpo_fit(path: Path) -> tuple[float, int, dict]:
    wall, rss, out = measured([*cpo_command(), "fit", str(path), "--as-of", AS_OF, "--json"])
    return wall, rss, json.loads(out)


def fit_alone(path: Path) -> tuple[float, float, int]:
    from failure_data.readers import read_life_table
    from reliability.fitting import fit

    t0 = time.perf_counter()
    table = read_life_table(path, as_of=AS_OF)
    t_read = time.perf_counter() - t0
    fit(table.select(), "weibull")  # warm lifelines/autograd once on the same data
    t0 = time.perf_counter()
    r = fit(table, "weibull")
    return time.perf_counter() - t0, t_read, r.n_records


def help_time() -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([*cpo_command(), "--help"], capture_output=True, check=True, cwd=HERE.parent)
        best = min(best, time.perf_counter() - t0)
    return best


def log_path(units: int) -> Path:
    """The cached log of ``units`` units under benchmarks/_data/ (drawn on first use)."""
    data = HERE / "_data"
    data.mkdir(exist_ok=True)
    path = data / f"fit_dated_{units}.csv"
    if not path.exists():
        print(f"drawing {units:,} units to {path} ...", file=sys.stderr)
        make_log(path, units)
    return path


def measure(units: int = 1_000_000, repeat: int = 3) -> dict:
    """Every figure this script prints, as numbers (seconds, bytes of peak RSS, estimates).

    Keys: units, path, file_bytes, repeat; baseline_runs, cpo_runs (wall seconds of each run of
    (a) and (b)), baseline_s, cpo_s (their medians), baseline_rss, cpo_rss (largest peak RSS);
    baseline_in_process_s, read_s, fit_alone_s, n_records, help_s, imports_s, imports_rss,
    pyarrow_read_s; estimates ({"baseline" | "cpo": {shape, scale, log_likelihood}}); n_units,
    n_failures (what cpo fit counted)."""
    path = log_path(units)
    bases, cpos, rsss, base_rsss = [], [], [], []
    base: dict = {}
    doc: dict = {}
    for _ in range(repeat):
        t, rss, base = baseline(path)
        bases.append(t)
        base_rsss.append(rss)
        t, rss, doc = cpo_fit(path)
        cpos.append(t)
        rsss.append(rss)
    t_fit, t_read, n_rec = fit_alone(path)
    t_help = help_time()
    fl = floors(path, repeat)
    (t_imp, rss_imp), t_pa = fl["imports"], fl["read"][0]
    keys = ("shape", "scale", "log_likelihood")
    ours = {"shape": doc["parameters"]["shape"], "scale": doc["parameters"]["scale"],
            "log_likelihood": doc["log_likelihood"]}
    return {
        "units": units, "path": str(path), "file_bytes": path.stat().st_size, "repeat": repeat,
        "baseline_runs": bases, "cpo_runs": cpos,
        "baseline_s": statistics.median(bases), "cpo_s": statistics.median(cpos),
        "baseline_rss": max(base_rsss), "cpo_rss": max(rsss),
        "baseline_in_process_s": base["in_process_s"],
        "read_s": t_read, "fit_alone_s": t_fit, "n_records": n_rec, "help_s": t_help,
        "imports_s": t_imp, "imports_rss": rss_imp, "pyarrow_read_s": t_pa,
        "no_lifelines_s": fl["no_lifelines"][0], "no_lifelines_rss": fl["no_lifelines"][1],
        "python_s": fl["python"][0], "python_rss": fl["python"][1],
        "estimates": {"baseline": {k: base[k] for k in keys}, "cpo": ours},
        "n_units": doc["n_units"], "n_failures": doc["n_failures"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of (a) and (b), interleaved so machine noise hits both alike")
    args = ap.parse_args()
    r = measure(args.units, args.repeat)
    print(f"log: {r['path']} ({r['file_bytes'] / 1e6:.1f} MB, {args.units:,} units), "
          f"{os.cpu_count()} CPUs")
    bases, cpos = r["baseline_runs"], r["cpo_runs"]
    t_base, t_cpo, t_imp = r["baseline_s"], r["cpo_s"], r["imports_s"]
    t_fit, t_help = r["fit_alone_s"], r["help_s"]
    mb = 1 / 2**20  # MiB, as /usr/bin/time -v's kbytes / 1024

    print(f"\n{'step':<58} {'seconds':>8} {'peak MiB':>8}")
    runs = f"median of {args.repeat}; all runs (a) " + " ".join(f"{t:.2f}" for t in bases)
    runs += ", (b) " + " ".join(f"{t:.2f}" for t in cpos)
    print(runs)
    print(f"{'(a) baseline: pandas read + dates + WeibullFitter raw rows':<58} {t_base:>8.2f} "
          f"{r['baseline_rss'] * mb:>8.0f}")
    print(f"{'    of which after interpreter start (last run of (a))':<58} "
          f"{r['baseline_in_process_s']:>8.2f}")
    print(f"{'(b) cpo fit FILE --json, end to end (subprocess)':<58} {t_cpo:>8.2f} "
          f"{r['cpo_rss'] * mb:>8.0f}")
    print(f"{'    of which read_life_table (in-process, same file)':<58} {r['read_s']:>8.2f}")
    print(f"{'(c) fit alone on the LifeTable (' + format(r['n_records'], ',') + ' distinct records)':<58} "
          f"{t_fit:>8.2f}")
    print(f"{'(d) cpo --help (best of 3)':<58} {t_help:>8.2f}")
    print(f"{'(e) floor: the imports of cpo fit alone (median)':<58} {t_imp:>8.2f} "
          f"{r['imports_rss'] * mb:>8.0f}")
    print(f"{'    floor: the same without lifelines and scipy.stats':<58} {r['no_lifelines_s']:>8.2f} "
          f"{r['no_lifelines_rss'] * mb:>8.0f}")
    print(f"{'    floor: python -c pass':<58} {r['python_s']:>8.2f} {r['python_rss'] * mb:>8.0f}")
    print(f"{'    floor: pyarrow.csv.read_csv of the file alone':<58} {r['pyarrow_read_s']:>8.2f}")
    print(f"\ncpo fit end to end: {t_cpo:.2f} s (target < 1 s), peak {r['cpo_rss'] * mb:.0f} MiB = "
          f"{r['cpo_rss'] / 1e6:.0f} MB (target < 400 MB); {t_cpo - t_imp:+.2f} s over its imports alone")
    print(f"speed ratio (a)/(b), medians: {t_base / t_cpo:.1f}x; bests: "
          f"{min(bases) / min(cpos):.1f}x   (target >= 3x)")
    print(f"fit alone: {t_fit:.2f} s (target < 1 s);  cpo --help: {t_help:.2f} s (target < 1 s)")
    print(f"\n{'estimate':<16} {'baseline':>16} {'cpo fit':>16} {'rel. diff':>10}")
    base, ours = r["estimates"]["baseline"], r["estimates"]["cpo"]
    for k in ("shape", "scale", "log_likelihood"):
        rel = abs(ours[k] - base[k]) / abs(base[k])
        print(f"{k:<16} {base[k]:>16.8g} {ours[k]:>16.8g} {rel:>10.1e}")
    print(f"units {r['n_units']:,}, failures {r['n_failures']:,}")


if __name__ == "__main__":
    main()
