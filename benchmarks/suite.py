"""The benchmark suite behind ``python -m benchmarks``: run every section, write RESULTS.md.

Each section is a function ``(config, store) -> markdown``; it measures with the functions of the
``bench_*`` scripts, and ``store`` carries numbers one section hands to a later one (the memory
section quotes the fit's and the replications' peaks). A section that raises is recorded in
RESULTS.md with its error, and the suite goes on; :class:`Skip` records a stated reason instead.
The suite itself always ends with exit code 0 (it never fails CI).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
MIB = 2**20
LIBRARIES = ("numpy", "pandas", "scipy", "lifelines", "simpy", "numba", "llvmlite", "pyarrow",
             "typer", "dask", "distributed")


class Skip(Exception):
    """A section that cannot run here, with the reason (recorded, not an error)."""


@dataclass(frozen=True)
class Config:
    """Sizes of one run of the suite (``QUICK`` or ``FULL``)."""

    mode: str
    fit_units: int
    fit_repeat: int
    cold_compile: bool  # measure the fast engine's compile in a fresh, empty numba cache
    des_reps: int  # SimPy replications of the default scenario (engines section)
    fast_reps: int  # fast replications of the default scenario
    arch_reps: int  # fast replications of each architecture alone
    compare_reps: tuple[int, ...]  # `cpo compare --engine fast -w 2 -n N`
    fleet_sizes: tuple[int, ...]
    fleet_fast_failures: float  # fast replications per size: about this many failure events
    des_budget_s: float  # SimPy at a fleet size only when its estimate is under this
    fast_replications: tuple[int, ...]  # `cpo simulate --engine fast -w 1 -n N`
    des_replications: tuple[int, ...]
    memory_switches: int  # one replication of this fleet, peak RSS
    workers_fast_reps: int
    workers_des_reps: int
    availsim4_reps: int
    series_fast_reps: int
    series_des_reps: int


QUICK = Config(
    mode="quick", fit_units=100_000, fit_repeat=1, cold_compile=False, des_reps=1, fast_reps=10, arch_reps=20,
    compare_reps=(200,), fleet_sizes=(100, 1_000, 10_000), fleet_fast_failures=2e5,
    des_budget_s=8.0, fast_replications=(100, 1_000), des_replications=(4,),
    memory_switches=10_000, workers_fast_reps=200, workers_des_reps=4, availsim4_reps=1,
    series_fast_reps=100, series_des_reps=4)
FULL = Config(
    mode="full", fit_units=1_000_000, fit_repeat=3, cold_compile=True, des_reps=3, fast_reps=50, arch_reps=300,
    compare_reps=(200, 2_000), fleet_sizes=(100, 1_000, 10_000, 100_000), fleet_fast_failures=2e6,
    des_budget_s=150.0, fast_replications=(100, 1_000, 10_000), des_replications=(10, 50),
    memory_switches=100_000, workers_fast_reps=2_000, workers_des_reps=40, availsim4_reps=5,
    series_fast_reps=1_000, series_des_reps=20)


# ------------------------------------------------------------------------------- helpers

def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_rate(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:,.0f}"


def fmt_s(x: float) -> str:
    return "–" if not math.isfinite(x) else (f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}")


def mib(n: float) -> str:
    return f"{n / MIB:,.0f}"


def scenario_file(scenario, folder: Path) -> Path:
    from fleet_models.scenario.write import scenario_to_toml

    path = folder / f"{scenario.name}-{scenario.fleet.switches}.toml"
    path.write_text(scenario_to_toml(scenario), encoding="utf-8")
    return path


def cpo_simulate(path: Path, replications: int, workers: int, engine: str) -> dict:
    """`cpo simulate FILE --json` as a subprocess: wall s, peak RSS (bytes), the JSON document."""
    from benchmarks.bench_fit import cpo_command, measured

    wall, rss, out = measured([*cpo_command(), "simulate", str(path), "--json", "--quiet", "--force",
                               "--engine", engine, "--workers", str(workers),
                               "--replications", str(replications)])
    doc = json.loads(out)
    return {"wall_s": wall, "rss": rss, "doc": doc, "elapsed_s": float(doc["elapsed_s"])}


def failures_in(doc: dict) -> float:
    """Failure events a `cpo simulate --json` run simulated (sum over architectures of the mean
    failures per replication x replications)."""
    total = 0.0
    for arch in doc["architectures"].values():
        for value in arch["failures"].values():
            total += value["mean"] if isinstance(value, dict) else value
    return total * doc["replications"]


# ------------------------------------------------------------------------------- machine

def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in _read("/proc/cpuinfo").splitlines()
                if ln.startswith("model name")), platform.processor() or platform.machine())
    mem = {ln.split(":")[0]: ln.split(":")[1].strip() for ln in _read("/proc/meminfo").splitlines()
           if ":" in ln}
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def gib(key: str) -> str:
        kb = mem.get(key, "").split()
        return f"{int(kb[0]) / 2**20:.1f} GiB" if kb else "unknown"

    libs = []
    for name in LIBRARIES:
        try:
            libs.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            if name not in ("dask", "distributed"):
                libs.append(f"{name} (not installed)")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical CPUs, {usable} usable by this process",
        "memory": f"{gib('MemTotal')} total, {gib('MemAvailable')} available at the start",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "libraries": ", ".join(libs),
        "cpo-analyzer": f"{metadata.version('cpo-analyzer')}, commit {commit}",
        "load": load,
    }


# ------------------------------------------------------------------------------- sections

def section_fit(cfg: Config, store: dict) -> str:
    from benchmarks import bench_fit

    r = bench_fit.measure(cfg.fit_units, cfg.fit_repeat)
    store["fit"] = r
    n = r["units"]
    est_b, est_c = r["estimates"]["baseline"], r["estimates"]["cpo"]
    rel = max(abs(est_c[k] - est_b[k]) / abs(est_b[k]) for k in est_b)
    rows = [
        ["(a) plain pandas + lifelines (`read_csv`, date arithmetic, `WeibullFitter` on raw rows)",
         fmt_s(r["baseline_s"]), fmt_rate(n / r["baseline_s"]), mib(r["baseline_rss"])],
        ["(b) `cpo fit FILE --json`, end to end", fmt_s(r["cpo_s"]), fmt_rate(n / r["cpo_s"]),
         mib(r["cpo_rss"])],
        ["(c) `reliability.fit` alone on the read LifeTable", fmt_s(r["fit_alone_s"]),
         fmt_rate(n / r["fit_alone_s"]), ""],
        ["floor: the imports of `cpo fit` alone", fmt_s(r["imports_s"]), "", mib(r["imports_rss"])],
        ["floor: `pyarrow.csv.read_csv` of the file alone", fmt_s(r["pyarrow_read_s"]), "", ""],
    ]
    runs = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(r["baseline_runs"], r["cpo_runs"], strict=True))
    return "\n\n".join([
        f"A dated field log of {n:,} units ({r['file_bytes'] / 1e6:.1f} MB CSV; right-censored "
        f"Weibull, `benchmarks/bench_fit.py`), {r['n_failures']:,} failures; (a) and (b) are separate "
        f"processes (interpreter start and imports included), interleaved, median of "
        f"{r['repeat']} (runs a/b: {runs} s).",
        md_table(["step", "seconds", "units / s", "peak RSS MiB"], rows),
        f"**cpo fit is {r['baseline_s'] / r['cpo_s']:.1f}x the plain baseline** (medians); the two "
        f"estimates (shape, scale, log-likelihood) agree to {rel:.1e} relative. Issue 12's targets "
        "on 1,000,000 units: (b) < 1 s, < 400 MB, >= 3x.",
    ])


def section_engines(cfg: Config, store: dict) -> str:
    from benchmarks import bench_engines

    parts = []
    if cfg.cold_compile:
        cold, warm = bench_engines.compile_times()
        parts.append(f"Fast engine compile, each in a fresh interpreter with its own numba cache: "
                     f"cold (empty cache) {cold:.1f} s, load from the filled cache {warm:.2f} s.")
    else:
        parts.append("Fast engine cold compile: not measured with `--quick` (it takes tens of "
                     "seconds); the engine is loaded from numba's cache before timing.")
    base = bench_engines.default()
    r = bench_engines.engine_rates(base, cfg.des_reps, cfg.fast_reps)
    store["engines"] = r
    parts.append(
        "Failure events per second per core (one process), built-in default scenario (128 switches "
        "of 128 ports, four architectures, 5 years) as shipped (the [fabric]'s jobs, "
        "no-trouble-found swaps), both engines doing the same work, each the best of 3 timings:")
    parts.append(md_table(
        ["engine", "replications", "failure events", "seconds", "failure events / s"],
        [["SimPy (des)", str(r["des_reps"]), fmt_rate(r["des_failures"]), fmt_s(r["des_seconds"]),
          fmt_rate(r["des_rate"])],
         ["numba (fast)", str(r["fast_reps"]), fmt_rate(r["fast_failures"]), fmt_s(r["fast_seconds"]),
          fmt_rate(r["fast_rate"])]]))
    parts.append(f"**fast / des = {r['ratio']:.0f}x**; targets: fast >= 2,000,000 failure events/s "
                 "per core and >= 30x SimPy.")
    arch = bench_engines.architecture_rates(base, cfg.arch_reps)
    store["architectures"] = arch
    parts.append(f"The fast engine on each architecture of that scenario alone ({cfg.arch_reps} "
                 "replications, best of 3): events are everything the loop handles (a failure, "
                 "its detection, part arrival, repair or replacement, a job's exclusion, a life "
                 "superseded by a replacement). Where every failure "
                 "replaces the switch (the CPO engines), a failure costs a replacement: more "
                 "events and a pass over every port of the switch.")
    parts.append(md_table(
        ["architecture", "failures / replication", "events / failure", "failure events / s"],
        [[a["architecture"], f"{a['failures_per_rep']:,.0f}", f"{a['events_per_failure']:.1f}",
          fmt_rate(a["rate"])] for a in arch]))
    rows = []
    for n in cfg.compare_reps:
        c = bench_engines.compare_run(n, workers=2, scenario=base)
        store.setdefault("compare", []).append(c)
        rows.append([f"{n:,}", fmt_s(c["wall_s"]), fmt_s(c["elapsed_s"]), c["engine"]])
    parts.append("`cpo compare --engine fast --workers 2` on the same scenario (whole command, a "
                 "subprocess; target: 2,000 replications under 10 s on 2 cores):")
    parts.append(md_table(["replications", "wall s", "simulation s (`elapsed_s`)", "engine"], rows))
    return "\n\n".join(parts)


def section_fleet(cfg: Config, store: dict) -> str:
    from benchmarks import bench_engines

    base = bench_engines.default()
    rows, notes = [], []
    des_rate = math.nan
    for switches in cfg.fleet_sizes:
        sc = bench_engines.sized(base, switches)
        # about 21 failure events per switch and replication over the four architectures (measured);
        # this only sizes the fast engine's replication count, the table reports the measured ones
        per_rep = 21.5 * switches
        fast_reps = max(1, min(50, round(cfg.fleet_fast_failures / per_rep)))
        f = bench_engines.engine_rates(sc, 0, fast_reps)
        per_rep = f["fast_failures"] / fast_reps
        estimate = per_rep / des_rate if math.isfinite(des_rate) else 0.0
        if estimate <= cfg.des_budget_s:
            d = bench_engines.engine_rates(sc, 1, 0)
            des_rate, des_s = d["des_rate"], d["des_seconds"]
            des_cell = fmt_rate(des_rate)
        else:
            des_s = math.nan
            des_cell = f"skipped (about {estimate:.0f} s at the rate above)"
            notes.append(switches)
        store.setdefault("fleet", []).append({"switches": switches, "fast_rate": f["fast_rate"],
                                              "des_rate": des_rate if math.isfinite(des_s) else math.nan})
        rows.append([f"{switches:,}", f"{switches * 128:,}", fmt_rate(per_rep), str(fast_reps),
                     fmt_s(f["fast_seconds"] / fast_reps), fmt_rate(f["fast_rate"]), fmt_s(des_s),
                     des_cell, f"{f['fast_rate'] / des_rate:.0f}x" if math.isfinite(des_s) else "–"])
    text = [
        "The default scenario of the engines section with more switches (each switch 128 ports; "
        "failure events per replication over the four architectures). One process; the fast "
        "engine runs enough replications for about "
        f"{cfg.fleet_fast_failures:,.0f} failure events per size, SimPy one replication.",
        md_table(["switches", "ports", "failure events / replication", "fast replications",
                  "fast s / replication", "fast events / s", "SimPy s / replication",
                  "SimPy events / s", "fast / SimPy"], rows),
    ]
    if notes:
        text.append(f"SimPy is run only where its estimate (failure events / its rate at the smaller "
                    f"fleet) is under {cfg.des_budget_s:.0f} s; skipped at "
                    + ", ".join(f"{s:,}" for s in notes) + " switches.")
    return "\n\n".join(text)


def section_replications(cfg: Config, store: dict) -> str:
    from benchmarks import bench_engines

    base = bench_engines.default()
    rows = []
    store["replications"] = out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = scenario_file(base, Path(tmp))
        for engine, counts in (("fast", cfg.fast_replications), ("des", cfg.des_replications)):
            for n in counts:
                r = cpo_simulate(path, n, 1, engine)
                fails = failures_in(r["doc"])
                out.append({"engine": engine, "replications": n, **{k: r[k] for k in ("wall_s", "rss", "elapsed_s")}})
                rows.append([engine, f"{n:,}", fmt_s(r["wall_s"]), fmt_s(r["elapsed_s"]),
                             f"{1e3 * r['elapsed_s'] / n:.2f}", fmt_rate(fails / r["elapsed_s"]),
                             mib(r["rss"])])
    return "\n\n".join([
        "`cpo simulate` on the default scenario of the engines section (four architectures), one "
        "worker, `--force`, as a subprocess: wall time of the command, the simulation's `elapsed_s`, "
        "and the peak resident memory of the process.",
        md_table(["engine", "replications", "wall s", "simulation s", "ms / replication (4 architectures)",
                  "failure events / s", "peak RSS MiB"], rows),
    ])


def section_memory(cfg: Config, store: dict) -> str:
    from benchmarks import bench_engines

    rows = []
    fit = store.get("fit")
    if fit:
        rows.append([f"plain pandas + lifelines on {fit['units']:,} units", mib(fit["baseline_rss"])])
        rows.append([f"`cpo fit` on {fit['units']:,} units", mib(fit["cpo_rss"])])
        rows.append(["the imports of `cpo fit` alone", mib(fit["imports_rss"])])
    else:
        rows.append(["`cpo fit`", "not measured (the fit section did not run or failed)"])
    for r in store.get("replications", []):
        rows.append([f"`cpo simulate --engine {r['engine']} -w 1`, default scenario, "
                     f"{r['replications']:,} replications", mib(r["rss"])])
    if not store.get("replications"):
        rows.append(["`cpo simulate` by replications", "not measured (the replications section did "
                     "not run or failed)"])
    base = bench_engines.default()
    with tempfile.TemporaryDirectory() as tmp:
        sc = bench_engines.sized(base, cfg.memory_switches)
        r = cpo_simulate(scenario_file(sc, Path(tmp)), 1, 1, "fast")
    rows.append([f"`cpo simulate --engine fast -w 1 -n 1`, {cfg.memory_switches:,} switches "
                 f"({cfg.memory_switches * 128:,} ports)", mib(r["rss"])])
    return "\n\n".join([
        "Peak resident set size of each process (GNU time's maximum RSS, MiB), as measured in the "
        "sections above and one large fleet here. Issue 12: `cpo fit` on 1,000,000 units under "
        "400 MB; memory bounded as replications grow.",
        md_table(["process", "peak RSS MiB"], rows),
    ])


def section_workers(cfg: Config, store: dict) -> str:
    from benchmarks import bench_engines

    base = bench_engines.default()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = scenario_file(base, Path(tmp))
        for engine, n in (("fast", cfg.workers_fast_reps), ("des", cfg.workers_des_reps)):
            runs = {w: cpo_simulate(path, n, w, engine) for w in (1, 2)}
            docs = [{k: v for k, v in runs[w]["doc"].items() if k != "elapsed_s"} for w in (1, 2)]
            same = "yes" if docs[0] == docs[1] else "**NO**"
            store.setdefault("workers", []).append({
                "engine": engine, "replications": n, "identical": docs[0] == docs[1],
                "speedup": runs[1]["elapsed_s"] / runs[2]["elapsed_s"]})
            for w in (1, 2):
                r = runs[w]
                rows.append([engine, f"{n:,}", str(w), fmt_s(r["wall_s"]), fmt_s(r["elapsed_s"]),
                             f"{runs[1]['elapsed_s'] / r['elapsed_s']:.2f}x", mib(r["rss"]),
                             same if w == 2 else ""])
    return "\n\n".join([
        "`cpo simulate` on the default scenario of the engines section, 1 and 2 worker processes "
        "(`--workers`), each a subprocess; speed-up = simulation seconds with 1 worker / with this "
        "many (2 cores shared with whatever else runs: see the load average above). Identical: the "
        "JSON summaries of the two runs are equal apart from `elapsed_s`.",
        md_table(["engine", "replications", "workers", "wall s", "simulation s", "speed-up",
                  "peak RSS MiB (parent)", "identical"], rows),
    ])


def section_availsim4(cfg: Config, store: dict) -> str:
    from benchmarks import bench_availsim4 as b

    r = b.compare(cfg.availsim4_reps, cfg.series_fast_reps, cfg.series_des_reps)
    store["availsim4"] = r
    cf = r["closed_form"]
    parts = [
        f"The model of issue 12: a series system of {b.UNITS} units, exponential lives with MTTF "
        f"{b.MTTF:,.0f} h, a fixed {b.REPAIR:.0f} h repair of each failed unit (starting at once, "
        f"unlimited crews and spares), units independent, {b.HORIZON:,.0f} h, every unit new at the "
        "start. Closed forms: A_unit = MTTF / (MTTF + 10 h) = "
        f"{cf['a_unit']:.6f}; A_series = A_unit^100 = {cf['a_series']:.6f} (independent units); unit "
        f"failures ≈ 100 × H / (MTTF + 10 h) = {cf['unit_failures']:,.0f}; system failures ≈ H × "
        f"A_series × 100 / MTTF = {cf['system_failures']:,.0f} per replication.",
        "In cpo-analyzer the series system is one switch of one port with one unit of 100 elements "
        "that works while all 100 do (`elements = 100`, `needed = 100`, `repair = \"swap\"`, "
        "`repair_scope = \"element\"`, `swap_hours = 10`, `detection_hours = 0`, unlimited "
        "technicians and spares): its `port_availability` is the series availability and "
        "`failures_unit` the unit failures; system failures are its `unplanned_outages`. The unit "
        "availability column is cpo's second mapping, 100 units of one port each on a 100-port "
        "switch (the port availability cpo reports for a fabric). AvailSim4 gets the identical "
        "model: a compound SYSTEM with AND logic over 100 basic UNITs, failure law exp(1000), "
        "repair law fix(10), detectable, no phases (`benchmarks/bench_availsim4.py`).",
    ]
    n_small = [t for t in ("fast", "des", "availsim4") if t in r and r[t]["replications"] < 10]
    parts.append(md_table(b.HEADER, b.table(r)))
    notes = ["SE = standard deviation of one replication's availability / √replications; "
             "95 % CI = ± 1.96 SE; seconds are the simulation loop alone, one process each."]
    if n_small:
        notes.append(f"With fewer than 10 replications ({', '.join(n_small)}) the standard deviation "
                     "is the fast engine's (the same model's spread over its replications).")
    if "availsim4" in r:
        a = r["availsim4"]
        notes.append(f"AvailSim4 {a['version']} ran with {r['availsim4_found']} (Python {a['python']}); "
                     f"its whole calls, reading and writing its workbooks, took {a['call_seconds']:.1f} s. "
                     f"**cpo-analyzer's fast engine simulates {r['fast']['series_rate'] / a['series_rate']:,.0f}x "
                     f"as many failures per second as AvailSim4, its SimPy engine "
                     f"{r['des']['series_rate'] / a['series_rate']:,.0f}x.**")
    else:
        notes.append(f"**AvailSim4: skipped** — {r['availsim4_skipped']}.")
    parts.append(" ".join(notes))
    return "\n\n".join(parts)


def section_uncertainty(cfg: Config, store: dict) -> str:
    from benchmarks import bench_uncertainty

    r = bench_uncertainty.measure(200, 3 if cfg.mode == "quick" else 7)
    store["uncertainty"] = r
    return ("`uncertainty = true` on the built-in default against the same run with its inputs fixed "
            f"(200 replications, one worker, the fast engine; run and summary, medians of "
            f"{r['repeat']} paired runs; {r['inputs']} inputs drawn per replication):\n\n"
            + md_table(["inputs", "seconds"], [["fixed", fmt_s(r["fixed_s"])],
                                                ["drawn per replication", fmt_s(r["uncertain_s"])]])
            + f"\n\n**{r['ratio']:.2f}x** (target: at most {bench_uncertainty.TARGET:g}x).")


SECTIONS: list[tuple[str, str, Callable[[Config, dict], str]]] = [
    ("fit", "Fit throughput: cpo fit against plain pandas + lifelines", section_fit),
    ("engines", "Engines: SimPy (des) and numba (fast) failure events per second", section_engines),
    ("fleet", "Scaling with fleet size", section_fleet),
    ("replications", "Scaling with replications", section_replications),
    ("memory", "Memory (peak RSS)", section_memory),
    ("workers", "1 vs 2 workers", section_workers),
    ("availsim4", "AvailSim4 side by side: series system of 100 units", section_availsim4),
    ("uncertainty", "Uncertain inputs: drawn per replication against fixed", section_uncertainty),
]


@dataclass
class Outcome:
    key: str
    title: str
    status: str  # "ok", "failed", "skipped", "not run"
    body: str
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)


def run_section(key: str, title: str, fn: Callable[[Config, dict], str], cfg: Config,
                store: dict) -> Outcome:
    """One section; its failure becomes its text instead of ending the suite."""
    t0 = time.perf_counter()
    try:
        body = fn(cfg, store)
        status = "ok"
    except Skip as why:
        status, body = "skipped", f"Skipped: {why}"
    except Exception as exc:  # noqa: BLE001  (the suite records every failure and goes on)
        tb = traceback.format_exc().strip().splitlines()[-6:]
        status = "failed"
        body = (f"**This section failed** ({type(exc).__name__}: {exc}); the other sections ran on.\n\n"
                "```\n" + "\n".join(tb) + "\n```")
    return Outcome(key, title, status, body, time.perf_counter() - t0)


def headline(cfg: Config, store: dict) -> list[list[str]]:
    """The run's key figures beside issue 12's targets (rows: figure, measured, target, met);
    only what the sections measured, targets only where the run used the target's size."""
    rows: list[list[str]] = []

    def met(ok: bool) -> str:
        return "yes" if ok else "**no**"

    if fit := store.get("fit"):
        at_size = fit["units"] == 1_000_000
        rows.append([f"`cpo fit`, {fit['units']:,}-unit dated log, end to end", f"{fit['cpo_s']:.2f} s",
                     "< 1 s" if at_size else "(1,000,000 units: < 1 s)",
                     met(fit["cpo_s"] < 1) if at_size else ""])
        rows.append([f"`cpo fit`, {fit['units']:,}-unit dated log, peak RSS",
                     f"{fit['cpo_rss'] / 1e6:,.0f} MB ({fit['cpo_rss'] / MIB:,.0f} MiB)",
                     "< 400 MB" if at_size else "(1,000,000 units: < 400 MB)",
                     met(fit["cpo_rss"] < 400e6) if at_size else ""])
        ratio = fit["baseline_s"] / fit["cpo_s"]
        rows.append(["`cpo fit` speed / plain pandas + lifelines", f"{ratio:.1f}x", ">= 3x",
                     met(ratio >= 3) if at_size else ""])
    if eng := store.get("engines"):
        rows.append(["fast engine, failure events / s per core (default scenario)",
                     fmt_rate(eng["fast_rate"]), ">= 2,000,000", met(eng["fast_rate"] >= 2e6)])
        rows.append(["fast / SimPy, default scenario (128 switches)", f"{eng['ratio']:.0f}x", ">= 30x",
                     met(eng["ratio"] >= 30)])
    if arch := store.get("architectures"):
        rows.append(["fast engine, failure events / s per core, each architecture alone",
                     "; ".join(f"{a['architecture']} {a['rate'] / 1e6:.2f} M" for a in arch), "", ""])
    for f in store.get("fleet", []):
        if math.isfinite(f["des_rate"]) and f["switches"] == 10_000:
            r = f["fast_rate"] / f["des_rate"]
            rows.append(["fast / SimPy, 10,000 switches", f"{r:.0f}x", ">= 30x", met(r >= 30)])
    for c in store.get("compare", []):
        if c["replications"] == 2_000:
            rows.append(["`cpo compare --engine fast`, 2,000 replications, 2 workers (wall)",
                         f"{c['wall_s']:.1f} s (simulation {c['elapsed_s']:.1f} s)", "< 10 s",
                         met(c["wall_s"] < 10)])
    if unc := store.get("uncertainty"):
        rows.append(["`uncertainty = true` on the default / fixed inputs (200 replications, 1 worker)",
                     f"{unc['ratio']:.2f}x", "<= 2x", met(unc["ratio"] <= 2)])
    reps = [r for r in store.get("replications", []) if r["engine"] == "fast"]
    if len(reps) >= 2:
        lo, hi = reps[0], reps[-1]
        rows.append([f"peak RSS of `cpo simulate`, {lo['replications']:,} -> {hi['replications']:,} "
                     "replications (fast)", f"{lo['rss'] / MIB:,.0f} -> {hi['rss'] / MIB:,.0f} MiB",
                     "bounded", ""])
    for w in store.get("workers", []):
        rows.append([f"2 workers / 1 worker, {w['engine']} engine, {w['replications']:,} replications",
                     f"{w['speedup']:.2f}x speed-up; results identical: {'yes' if w['identical'] else 'NO'}",
                     "identical results", met(w["identical"])])
    if av := store.get("availsim4"):
        cf = av["closed_form"]["a_series"]
        tools = [("cpo fast", av["fast"]), ("cpo des", av["des"])]
        if "availsim4" in av:
            tools.append(("AvailSim4", av["availsim4"]))
        rows.append(["series availability, 100 units (closed form " + f"{cf:.4f})",
                     "; ".join(f"{name} {t['series_availability']:.4f}" for name, t in tools), "", ""])
        if "availsim4" in av:
            a = av["availsim4"]
            rows.append(["unit failures / s, same model",
                         f"cpo fast {fmt_rate(av['fast']['series_rate'])}; cpo des "
                         f"{fmt_rate(av['des']['series_rate'])}; AvailSim4 {fmt_rate(a['series_rate'])} "
                         f"({av['fast']['series_rate'] / a['series_rate']:,.0f}x, "
                         f"{av['des']['series_rate'] / a['series_rate']:,.0f}x)", "", ""])
        else:
            rows.append(["AvailSim4", f"skipped: {av['availsim4_skipped']}", "", ""])
    return rows


def render(cfg: Config, info: dict[str, str], outcomes: list[Outcome], total_s: float,
           argv: list[str], store: dict | None = None) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m benchmarks{' ' + ' '.join(argv) if argv else ''}` ({cfg.mode} run, "
        f"{total_s / 60:.1f} min). Machines differ and this one may be shared: compare figures "
        "measured in the same run (ratios), not across runs.",
        "",
        "## Machine",
        "",
        f"- date: {info['date']}",
        f"- CPU: {info['cpu']}; {info['cores']}",
        f"- memory: {info['memory']}",
        f"- OS: {info['os']}",
        f"- Python: {info['python']}",
        f"- libraries: {info['libraries']}",
        f"- cpo-analyzer: {info['cpo-analyzer']}",
        f"- load average (1 / 5 / 15 min): {info['load']} at the start, {info.get('load_end', '?')} "
        "at the end",
        "",
        "## Headline",
        "",
        md_table(["figure", "measured", "target (issue 12)", "met"], headline(cfg, store or {}))
        if headline(cfg, store or {}) else "No section that feeds the headline ran.",
        "",
        "## Sections",
        "",
        md_table(["section", "status", "seconds"],
                 [[o.title, o.status, fmt_s(o.seconds) if o.status != "not run" else ""] for o in outcomes]),
    ]
    for o in outcomes:
        lines += ["", f"## {o.title}", "", o.body]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    keys = [k for k, _, _ in SECTIONS]
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run cpo-analyzer's benchmark suite and write benchmarks/RESULTS.md (machine, "
        "fit throughput, engines, fleet size, replications, memory, workers, AvailSim4). A section "
        "that fails is recorded in the file; the suite always exits 0.")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes: a minute or two (default: the full run, about 4-6 min on 2 cores)")
    ap.add_argument("--only", nargs="+", choices=keys, metavar="SECTION",
                    help=f"run only these sections ({', '.join(keys)}); the others are listed as not run")
    ap.add_argument("--out", type=Path, default=RESULTS, help=f"where to write (default {RESULTS})")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    info = machine()
    store: dict = {}
    outcomes: list[Outcome] = []
    t0 = time.perf_counter()
    for key, title, fn in SECTIONS:
        if args.only and key not in args.only:
            outcomes.append(Outcome(key, title, "not run", "Not run (`--only` left it out)."))
            continue
        print(f"[benchmarks] {title} ...", file=sys.stderr, flush=True)
        o = run_section(key, title, fn, cfg, store)
        print(f"[benchmarks]   {o.status} in {o.seconds:.1f} s", file=sys.stderr, flush=True)
        outcomes.append(o)
    info["load_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    write_atomic(args.out, render(cfg, info, outcomes, time.perf_counter() - t0, argv, store))
    print(f"[benchmarks] wrote {args.out}", file=sys.stderr)
    return 0

