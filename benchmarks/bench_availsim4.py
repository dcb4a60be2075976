"""Benchmark: the same model in cpo-analyzer and in AvailSim4 (CERN's availability simulator).

    python benchmarks/bench_availsim4.py [--availsim4-reps N] [--fast-reps N] [--des-reps N]

The model (issue 12): a series system of 100 units, exponential lives with MTTF 1,000 h, each
failure repaired in exactly 10 h (repairs start at once, no limit on crews or spares), units
failing independently (a unit keeps ageing while the system is down for another's repair),
87,600 h (10 years), every unit new at t = 0.

Closed forms (independent alternating renewal processes): a unit is up A_unit = MTTF / (MTTF +
10 h) = 0.990099 of the time (renewal-reward); the series system is up while all 100 are,
A_series = A_unit^100 = 0.369711 (exact in the long run for independent units with exponential
lives and fixed repairs); a unit fails about H / (MTTF + 10 h) = 86.7 times, the system about
H x A_series x 100 / MTTF = 3,239 times (it goes down at a unit failure that finds all units up).
The start from all-new units is a transient of about one 1,010 h cycle in 87,600 h.

The same model in cpo-analyzer, two ways (both simulated with the fast and the SimPy engine):

* series: one switch of one port, one component kind of per_switch = 1 unit with elements = 100,
  needed = 100 (the unit works while all 100 elements do), repair = "swap" with repair_scope =
  "element" (each failed element is swapped on its own, 10 h of hands-on, detection 0, unlimited
  technicians and spares). The port is up exactly while every element is, so the engine's
  port_availability IS the series availability A_series, and failures_unit counts unit failures.
* ports: one switch of 100 ports, per_switch = 100 units of one port each, same repair: the
  port availability is the mean unit availability A_unit (what cpo reports for a fabric).

AvailSim4 runs in its own environment (it pins its own pandas and numpy): the python named by
the environment variable AVAILSIM4_PYTHON, else /tmp/venv-availsim4/bin/python, made with

    python3 -m venv /tmp/venv-availsim4 && /tmp/venv-availsim4/bin/pip install availsim4

There a small driver (below, run with that python) writes AvailSim4's two input workbooks with
openpyxl (a system file: root SYSTEM, a compound with AND logic over 100 basic UNITs with failure
law exp(1000) and repair law fix(10), detectable, no phases; a simulation file: MONTE_CARLO, one
replication, seed), calls availsim4core.main.start once per replication (seed, seed + 1, ...)
and reads its result workbook: availability from RESULTS_ROOT_SUMMARY, unit failures as the sum
of the FAILED occurrences of the UNIT_* components, system failures as those of SYSTEM, unit
up time from the UNIT_* RUNNING durations. Seconds are timed around its Monte Carlo loop alone
(``MonteCarlo.run``: no workbook reading or writing) and around the whole call.

Failures per second = unit failures simulated / simulation seconds, one process each.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNITS = 100
MTTF = 1000.0
REPAIR = 10.0
HORIZON = 87_600.0
DEFAULT_PYTHON = "/tmp/venv-availsim4/bin/python"
ENV_VAR = "AVAILSIM4_PYTHON"


def closed_form() -> dict[str, float]:
    """The closed forms of the module docstring."""
    a_unit = MTTF / (MTTF + REPAIR)
    a_series = a_unit ** UNITS
    return {"a_unit": a_unit, "a_series": a_series,
            "unit_failures": UNITS * HORIZON / (MTTF + REPAIR),
            "system_failures": HORIZON * a_series * UNITS / MTTF}


# ------------------------------------------------------------------------------- cpo-analyzer

def scenarios():
    """(series, ports): the model in cpo-analyzer's terms (see the module docstring)."""
    from fleet_models.model.spec import (
        Architecture,
        Component,
        Fleet,
        HandsOn,
        Policy,
        Repair,
        RepairScope,
        Scenario,
        Workload,
    )
    from fleet_models.scenario.validate import validate
    from reliability.models import LifeModel

    life = LifeModel.exponential(MTTF)
    policy = Policy(detection_hours=0.0, swap_hours=REPAIR, technicians=0, hands_on=HandsOn.FIXED)
    workload = dataclasses.replace(Workload(), gpus_per_port=0.0)  # no training jobs to stall
    series = Architecture("series", (Component(
        "unit", 1, None, life, repair=Repair.SWAP, elements=UNITS, needed=UNITS,
        repair_scope=RepairScope.ELEMENT),))
    ports = Architecture("ports", (Component("unit", UNITS, 1, life, repair=Repair.SWAP),))
    out = (Scenario("availsim4-series", HORIZON, Fleet(1, 1), (series,), policy=policy,
                    workload=workload, seed=20261206),
           Scenario("availsim4-ports", HORIZON, Fleet(1, UNITS), (ports,), policy=policy,
                    workload=workload, seed=20261206))
    for sc in out:
        validate(sc)
    return out


def _summary(values: list[float]) -> tuple[float, float]:
    """(mean, standard deviation of one replication; NaN with one value)."""
    mean = statistics.fmean(values)
    return mean, (statistics.stdev(values) if len(values) > 1 else math.nan)


def run_cpo(engine_name: str, replications: int) -> dict[str, float]:
    """Both cpo models on one engine ("fast" or "des"), in this process."""
    from fleet_models.engines.contract import compile_plan
    from fleet_models.engines.registry import get_engine

    if engine_name == "fast":
        from fleet_models.engines.fast.engine import warm_up

        warm_up()
    engine = get_engine(engine_name)
    out: dict[str, float] = {"engine": engine_name, "replications": replications}
    for sc in scenarios():
        plan = compile_plan(sc, sc.architectures[0])
        reason = engine.supports(plan)
        if reason:
            raise RuntimeError(reason)
        avail, fails, outages = [], 0.0, 0.0
        t0 = time.perf_counter()
        for rep in range(replications):
            m = engine.simulate(plan, rep).metrics
            avail.append(m["port_availability"])
            fails += m["failures_unit"]
            outages += m["unplanned_outages"]
        dt = time.perf_counter() - t0
        key = sc.architectures[0].name
        mean, sd = _summary(avail)
        out |= {f"{key}_availability": mean, f"{key}_sd": sd, f"{key}_failures": fails / replications,
                f"{key}_seconds": dt, f"{key}_rate": fails / dt}
        if key == "series":
            out["series_system_failures"] = outages / replications
    return out


# ------------------------------------------------------------------------------- AvailSim4

DRIVER = r'''
import json, sys, time, pathlib, logging
import openpyxl
import pandas as pd

work = pathlib.Path(sys.argv[1])
reps, seed, units = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
mttf, repair, horizon = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
logging.disable(logging.INFO)

from importlib.metadata import version
from availsim4core import main
from availsim4core.src.simulation.monte_carlo import MonteCarlo

SIM_SECONDS = []
_run = MonteCarlo.run
def timed_run(self, context):
    t = time.perf_counter()
    try:
        return _run(self, context)
    finally:
        SIM_SECONDS.append(time.perf_counter() - t)
MonteCarlo.run = timed_run

def workbook(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)

system = work / "system.xlsx"
workbook(system, [
    ("ARCHITECTURE", [
        ("COMPONENT_NAME", "COMPONENT_TYPE", "COMPONENT_NUMBER", "CHILDREN_NAME", "CHILDREN_LOGIC",
         "IN_MRU", "TRIGGER_MRU"),
        ("SYSTEM", "compound", 1, "UNIT", "and", "none", "none"),
        ("UNIT", "basic", units, "none", "none", "none", "none")]),
    ("FAILURE_MODES", [
        ("FAILURE_MODE_NAME", "FAILURE_LAW", "FAILURE_PARAMETERS", "REPAIR_LAW", "REPAIR_PARAMETERS",
         "TYPE_OF_FAILURE", "HELD_BEFORE_REPAIR", "INSPECTION_NAME", "PHASE_NAME",
         "NEXT_PHASE_IF_FAILURE", "PHASE_CHANGE_TRIGGER", "HELD_AFTER_REPAIR"),
        ("unit_failure", "exp", mttf, "fix", repair, "detectable", "never_held", "none", "none",
         "none", "never", "never_held")]),
    ("PHASES", [("PHASE_NAME", "PHASE_LAW", "PHASE_PARAMETERS", "NEXT_DEFAULT_PHASE", "FIRST_PHASE",
                 "NEXT_DEFAULT_PHASE_IF_FAILURE")]),
    ("FAILURE_MODE_ASSIGNMENTS", [("COMPONENT_NAME", "FAILURE_MODE_NAME"), ("UNIT", "unit_failure")]),
    ("MRU", [("MRU_NAME", "MRU_LAW", "MRU_PARAMETERS", "MRU_SCHEDULE", "LOWEST_COMMON_ANCESTOR_SCOPE",
              "TRIGGERING_STATUS")]),
    ("INSPECTIONS", [("INSPECTION_NAME", "INSPECTION_PERIOD", "INSPECTION_DURATION")]),
    ("ROOT_CAUSE_ANALYSIS", [("TRIGGERING_COMPONENT_NAME", "TRIGGERED_BY_COMPONENT_STATUS",
                              "TRIGGERED_IN_PHASE")]),
    ("PHASE_JUMP", [("TRIGGERING_COMPONENT_NAME", "TRIGGERED_BY_COMPONENT_STATUS", "FROM_PHASE",
                     "TO_PHASE")]),
])

rows = []
for i in range(reps):
    sim = work / f"simulation_{i}.xlsx"
    workbook(sim, [("SIMULATION", [
        ("SIMULATION_TYPE", "MIN_NUMBER_OF_SIMULATION", "MAX_NUMBER_OF_SIMULATION",
         "CONVERGENCE_MARGIN", "MAX_EXECUTION_TIME", "SEED", "DIAGNOSTICS", "SIMULATION_DURATION"),
        ("MONTE_CARLO", 1, 1, 0, 1e9, seed + i, "[SUMMARY]", horizon)])])
    out = work / f"out_{i}"
    t = time.perf_counter()
    main.start(str(sim), str(system), str(out))
    call = time.perf_counter() - t
    result = sorted(out.glob("*.xlsx"))[-1]
    root = pd.read_excel(result, sheet_name="RESULTS_ROOT_SUMMARY")
    res = pd.read_excel(result, sheet_name="RESULTS")
    comp = res["component"].astype(str)
    failed = res["status"].astype(str) == "FAILED"
    unit = comp.str.startswith("UNIT_")
    running = res["status"].astype(str) == "RUNNING"
    rows.append({
        "seed": seed + i,
        "availability": float(root["availability"].iloc[0]),
        "unit_failures": float(res.loc[failed & unit, "_MEAN_OCCURRENCES"].sum()),
        "system_failures": float(res.loc[failed & comp.str.startswith("SYSTEM"), "_MEAN_OCCURRENCES"].sum()),
        "unit_up_fraction": float(res.loc[running & unit, "_MEAN_DURATION"].sum()) / (units * horizon),
        "simulation_s": SIM_SECONDS[-1],
        "call_s": call,
    })
print(json.dumps({"version": version("availsim4"), "python": sys.version.split()[0], "replications": rows}))
'''


def availsim4_python() -> tuple[str | None, str]:
    """(AvailSim4's python, how it was found) or (None, why the comparison is skipped)."""
    path = os.environ.get(ENV_VAR) or DEFAULT_PYTHON
    how = f"{ENV_VAR}={path}" if os.environ.get(ENV_VAR) else f"the default {DEFAULT_PYTHON}"
    if not Path(path).exists():
        return None, (f"no AvailSim4 environment: {how} does not exist (make one with `python3 -m venv "
                      f"/tmp/venv-availsim4 && /tmp/venv-availsim4/bin/pip install availsim4`, or set "
                      f"{ENV_VAR} to its python)")
    probe = subprocess.run([path, "-c", "import availsim4core.main, openpyxl, pandas"],
                           capture_output=True, text=True)
    if probe.returncode:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"{how} cannot import availsim4core, openpyxl and pandas: {last}"
    return path, how


def run_availsim4(python: str, replications: int, seed: int = 1) -> dict:
    """The driver with AvailSim4's python: per replication availability, failures, seconds."""
    with tempfile.TemporaryDirectory() as work:
        args = [work, replications, seed, UNITS, MTTF, REPAIR, HORIZON]
        proc = subprocess.run([python, "-c", DRIVER, *map(str, args)], capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"AvailSim4 driver failed: {proc.stderr.strip()[-1500:]}")
    doc = json.loads(proc.stdout.strip().splitlines()[-1])
    reps = doc["replications"]
    avail = [r["availability"] for r in reps]
    mean, sd = _summary(avail)
    fails = sum(r["unit_failures"] for r in reps)
    sim_s = sum(r["simulation_s"] for r in reps)
    return {"version": doc["version"], "python": doc["python"], "replications": len(reps),
            "series_availability": mean, "series_sd": sd,
            "unit_availability": statistics.fmean(r["unit_up_fraction"] for r in reps),
            "series_failures": fails / len(reps),
            "series_system_failures": statistics.fmean(r["system_failures"] for r in reps),
            "series_seconds": sim_s, "call_seconds": sum(r["call_s"] for r in reps),
            "series_rate": fails / sim_s}


def compare(availsim4_reps: int = 3, fast_reps: int = 1000, des_reps: int = 20) -> dict:
    """Everything the section reports: closed forms, cpo (fast, des), AvailSim4 (or why not)."""
    out: dict = {"closed_form": closed_form(), "fast": run_cpo("fast", fast_reps),
                 "des": run_cpo("des", des_reps)}
    python, how = availsim4_python()
    out["availsim4_found"] = how
    if python is None:
        out["availsim4_skipped"] = how
    else:
        out["availsim4"] = run_availsim4(python, availsim4_reps)
    return out


def table(result: dict) -> list[list[str]]:
    """Rows of the side-by-side table: tool, replications, series availability (mean, 95 % CI),
    its distance to the closed form in standard errors, unit availability, unit failures and
    system failures per replication, simulation seconds, unit failures per second."""
    cf = result["closed_form"]
    sd_ref = result["fast"]["series_sd"]  # the model's per-replication spread (many replications)
    rows = [["closed form", "", f"{cf['a_series']:.5f}", "", f"{cf['a_unit']:.6f}",
             f"{cf['unit_failures']:,.0f}", f"{cf['system_failures']:,.0f}", "", ""]]
    tools = [("cpo-analyzer fast (numba)", result["fast"]), ("cpo-analyzer des (SimPy)", result["des"])]
    if "availsim4" in result:
        tools.append((f"AvailSim4 {result['availsim4']['version']}", result["availsim4"]))
    for label, r in tools:
        n = r["replications"]
        sd = r["series_sd"] if n > 1 and math.isfinite(r["series_sd"]) else sd_ref
        se = sd / math.sqrt(n)
        mean = r["series_availability"]
        unit_av = r.get("ports_availability", r.get("unit_availability", math.nan))
        rows.append([label, f"{n:,}", f"{mean:.5f} ± {1.96 * se:.5f}",
                     f"{(mean - cf['a_series']) / se:+.1f}", f"{unit_av:.6f}",
                     f"{r['series_failures']:,.0f}", f"{r['series_system_failures']:,.0f}",
                     f"{r['series_seconds']:.2f}", f"{r['series_rate']:,.0f}"])
    return rows


HEADER = ["tool", "replications", "series availability (95 % CI)", "(mean − closed form) / SE",
          "unit availability", "unit failures / rep", "system failures / rep", "simulation s",
          "unit failures / s"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--availsim4-reps", type=int, default=3)
    ap.add_argument("--fast-reps", type=int, default=1000)
    ap.add_argument("--des-reps", type=int, default=20)
    args = ap.parse_args()
    r = compare(args.availsim4_reps, args.fast_reps, args.des_reps)
    widths = [max(len(str(x)) for x in col) for col in zip(HEADER, *table(r), strict=True)]
    for row in (HEADER, *table(r)):
        print("  ".join(str(x).rjust(w) for x, w in zip(row, widths, strict=True)))
    if "availsim4_skipped" in r:
        print(f"AvailSim4 skipped: {r['availsim4_skipped']}")


if __name__ == "__main__":
    main()
