"""Benchmark: `cpo fit` on a 1,000,000-unit dated field log vs the plain pandas + lifelines baseline.

    python benchmarks/bench_fit.py [--units N]

The log (right-censored Weibull lives, shape 0.9, scale 4e5 h; installs uniform
over 2023-2024, observed until 2025-01-01; columns unit_id, installed, removed,
failed) is drawn once from a fixed seed and cached under benchmarks/_data/
(gitignored) as fit_dated_<N>.csv. Then, in one run:

(a) baseline, as a subprocess: pandas.read_csv, date arithmetic (days x 24 h;
    units removed or censored on their installation day are dead on arrival and
    dropped, as the LifeTable does), lifelines WeibullFitter on the raw rows;
(b) `cpo fit FILE --as-of 2025-01-01 --json` end to end, as a subprocess;
(c) the fit alone (`reliability.fit`) on the LifeTable already read;
(d) `cpo --help` as a subprocess (best of 3).

It prints the estimates of (a) and (b) with their relative difference and the
speed ratio (a)/(b). Targets: ratio >= 3, (c) < 1 s, (d) < 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
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


def baseline(path: Path) -> tuple[float, dict[str, float]]:
    """The plain way, as its own Python process (it pays interpreter start and imports too)."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", BASELINE, str(path), AS_OF], capture_output=True,
                         text=True, check=True)
    return time.perf_counter() - t0, json.loads(out.stdout)


def cpo_command() -> str:
    """The installed `cpo` console script next to this interpreter (what a venv puts on PATH;
    bypasses pyenv's shim, a bash script that adds ~0.1 s), else `cpo` from PATH."""
    script = Path(sys.executable).parent / "cpo"
    return str(script) if script.exists() else "cpo"


def cpo_fit(path: Path) -> tuple[float, dict]:
    t0 = time.perf_counter()
    out = subprocess.run([cpo_command(), "fit", str(path), "--as-of", AS_OF, "--json"], capture_output=True,
                         text=True, check=True)
    return time.perf_counter() - t0, json.loads(out.stdout)


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
        subprocess.run([cpo_command(), "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of (a) and (b), interleaved so machine noise hits both alike")
    args = ap.parse_args()
    data = HERE / "_data"
    data.mkdir(exist_ok=True)
    path = data / f"fit_dated_{args.units}.csv"
    if not path.exists():
        print(f"drawing {args.units:,} units to {path} ...", file=sys.stderr)
        make_log(path, args.units)
    print(f"log: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.units:,} units), "
          f"{os.cpu_count()} CPUs")

    bases, cpos = [], []
    for _ in range(args.repeat):
        t, base = baseline(path)
        bases.append(t)
        t, doc = cpo_fit(path)
        cpos.append(t)
    t_base, t_cpo = statistics.median(bases), statistics.median(cpos)
    t_fit, t_read, n_rec = fit_alone(path)
    t_help = help_time()

    print(f"\n{'step':<58} {'seconds':>8}")
    runs = f"median of {args.repeat}; all runs (a) " + " ".join(f"{t:.2f}" for t in bases)
    runs += ", (b) " + " ".join(f"{t:.2f}" for t in cpos)
    print(runs)
    print(f"{'(a) baseline: pandas read + dates + WeibullFitter raw rows':<58} {t_base:>8.2f}")
    print(f"{'    of which after interpreter start (last run of (a))':<58} {base['in_process_s']:>8.2f}")
    print(f"{'(b) cpo fit FILE --json, end to end (subprocess)':<58} {t_cpo:>8.2f}")
    print(f"{'    of which read_life_table (in-process, same file)':<58} {t_read:>8.2f}")
    print(f"{'(c) fit alone on the LifeTable (' + f'{n_rec:,} distinct records)':<58} {t_fit:>8.2f}")
    print(f"{'(d) cpo --help (best of 3)':<58} {t_help:>8.2f}")
    print(f"\nspeed ratio (a)/(b), medians: {t_base / t_cpo:.1f}x; bests: "
          f"{min(bases) / min(cpos):.1f}x   (target >= 3x)")
    print(f"fit alone: {t_fit:.2f} s (target < 1 s);  cpo --help: {t_help:.2f} s (target < 1 s)")
    print(f"\n{'estimate':<16} {'baseline':>16} {'cpo fit':>16} {'rel. diff':>10}")
    ours = {"shape": doc["parameters"]["shape"], "scale": doc["parameters"]["scale"],
            "log_likelihood": doc["log_likelihood"]}
    for k in ("shape", "scale", "log_likelihood"):
        rel = abs(ours[k] - base[k]) / abs(base[k])
        print(f"{k:<16} {base[k]:>16.8g} {ours[k]:>16.8g} {rel:>10.1e}")
    print(f"units {doc['n_units']:,}, failures {doc['n_failures']:,}")


if __name__ == "__main__":
    main()
