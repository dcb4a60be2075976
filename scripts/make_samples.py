"""Regenerate the sample field logs shipped in failure_data/samples/ (a maintainer script: it drives
the `cpo` CLI, so it lives outside the packages; run from the checkout root).

    python scripts/make_samples.py            # rewrite the sample CSV files
    python scripts/make_samples.py --check    # exit 1 if any file differs

Three samples are `cpo data synth` commands (``COMMANDS``; several commands
are concatenated under one header); the 800G fleet is a mixture of two
Weibull populations drawn with ``failure_data.synth.synthesize`` and
``Mixture`` (``pluggable_800g``). The true parameters, seeds and as-of dates
are in failure_data/samples/README.md; tests/test_data_samples.py checks that
this script reproduces every file byte for byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "failure_data" / "samples"

# Laser stress test: Weibull with a common shape; scale at the field
# temperature 45 degC is 2e5 h and follows Arrhenius with Ea = 0.52 eV
# (published-figures key laser-ea), scale(T) = 2e5 / AF(45 -> T).
HTOL_SHAPE = 1.8
HTOL_FIELD_SCALE_H = 2e5
HTOL_FIELD_C = 45.0
HTOL_EA_EV = 0.52
HTOL_TEMPS_C = (85, 105, 125)
HTOL_UNITS_PER_TEMP = 80
HTOL_HOURS = "3000h"


def htol_scale(temp_c: float) -> str:
    """Weibull scale (hours) at ``temp_c``, 6 significant digits, as passed to `cpo data synth`."""
    from reliability.models import arrhenius_factor

    return f"{HTOL_FIELD_SCALE_H / arrhenius_factor(HTOL_FIELD_C, temp_c, HTOL_EA_EV):.6g}"


def commands() -> dict[str, list[list[str]]]:
    """`cpo data synth` argument lists per sample file (outputs concatenated, one header)."""
    htol = [
        ["data", "synth", "--dist", "weibull", "--shape", str(HTOL_SHAPE), "--scale", htol_scale(t),
         "--units", str(HTOL_UNITS_PER_TEMP), "--horizon", HTOL_HOURS, "--stagger", "0",
         "--format", "durations", "--component", "laser", "--temperature-c", str(t),
         "--unit-prefix", f"L{t}-", "--seed", str(t)]
        for t in HTOL_TEMPS_C
    ]
    return {
        "cpo_els_pilot.csv": [
            ["data", "synth", "--dist", "exponential", "--scale", "2.5e6", "--units", "256",
             "--horizon", "1y", "--stagger", "60d", "--format", "durations", "--component", "els",
             "--temperature-c", "45", "--unit-prefix", "ELS", "--seed", "7"],
        ],
        "laser_htol.csv": htol,
        "engine_inspections.csv": [
            ["data", "synth", "--dist", "weibull", "--shape", "1.5", "--scale", "1e5", "--units", "400",
             "--horizon", "2y", "--stagger", "180d", "--inspect-every", "90d", "--format", "intervals",
             "--component", "engine", "--unit-prefix", "OE", "--seed", "11"],
        ],
    }


def run_commands(argvs: list[list[str]]) -> bytes:
    from typer.testing import CliRunner

    from cli.main import app

    out: list[str] = []
    for k, argv in enumerate(argvs):
        result = CliRunner().invoke(app, argv)
        if result.exit_code != 0:
            raise SystemExit(f"cpo {' '.join(argv)} failed: {result.output}")
        text = result.stdout
        out.append(text if k == 0 else text.split("\n", 1)[1])
    return "".join(out).encode("utf-8")


# 800G pluggable fleet with infant mortality: 3 % weak units, Weibull(0.5, 500 h)
# (decreasing hazard: most fail in the first weeks, published-figures key
# fb-infant), and 97 % main population, Weibull(1.2, 6e5 h). 2,000 modules
# installed uniformly over the first year from 2024-01-01, observed 2 years.
FLEET = {"units": 2000, "weak_fraction": 0.03, "weak_shape": 0.5, "weak_scale": 500.0,
         "main_shape": 1.2, "main_scale": 6e5, "horizon": "2y", "stagger": "1y",
         "start": "2024-01-01", "seed": 800}


def pluggable_800g() -> bytes:
    import numpy as np

    from failure_data.synth import Mixture, SynthSpec, synthesize
    from failure_data.units import parse_duration
    from reliability.models import LifeModel

    f = FLEET
    model = Mixture([
        (f["weak_fraction"], LifeModel.weibull(f["weak_shape"], f["weak_scale"])),
        (1 - f["weak_fraction"], LifeModel.weibull(f["main_shape"], f["main_scale"])),
    ])
    spec = SynthSpec(units=f["units"], horizon_hours=parse_duration(f["horizon"]), fmt="dated",
                     stagger_hours=parse_duration(f["stagger"]), start_date=f["start"],
                     component="pluggable_800g", unit_prefix="P")
    frame = synthesize(model, spec, np.random.default_rng(f["seed"]))
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


TELEMETRY_SEED = 2  # laser_telemetry.csv: failure_data.telemetry.TelemetrySpec() as it is (see the samples README)


def laser_telemetry() -> bytes:
    import numpy as np

    from failure_data.telemetry import TelemetrySpec, synthesize_telemetry

    frame = synthesize_telemetry(TelemetrySpec(), np.random.default_rng(TELEMETRY_SEED))
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


# Lasers at two temperatures (an ELS at the front panel, 45 °C; an engine beside the ASIC,
# 85 °C): 48 each from TelemetrySpec(), the hot ones' coefficient shifted by gamma x Ea x
# (1/(k T_use) - 1/(k T_hot)) with Ea = 0.4 eV, so their time runs exp(Ea z) faster.
TEMPS = {"seed": 7, "activation_energy_ev": 0.4, "cool_c": 45.0, "hot_c": 85.0}


def laser_telemetry_temperatures() -> bytes:
    import dataclasses

    import numpy as np
    import pandas as pd

    from failure_data.telemetry import TelemetrySpec, synthesize_telemetry
    from reliability.degradation import BOLTZMANN_EV

    f, spec = TEMPS, TelemetrySpec()
    z = 1 / (BOLTZMANN_EV * (f["cool_c"] + 273.15)) - 1 / (BOLTZMANN_EV * (f["hot_c"] + 273.15))
    rng = np.random.default_rng(f["seed"])
    cool = synthesize_telemetry(spec, rng).assign(temperature_c=f["cool_c"])
    hot = synthesize_telemetry(dataclasses.replace(
        spec, mu=spec.mu + spec.gamma * f["activation_energy_ev"] * z, unit_prefix="HT"), rng
    ).assign(temperature_c=f["hot_c"])
    return pd.concat([cool, hot]).to_csv(index=False, lineterminator="\n").encode("utf-8")


# Three failures in 25 units (issue 30's small-sample case, constructed, not drawn): failures at
# 7, 15 and 27 h, 22 units still running at 29.9 h. Wald-log gives the Weibull scale [20.4, 857] h
# where the likelihood allows up to about 19,000 h (tests/test_rel_profile.py).
THREE_FAILURES = {"failed_at": (7.0, 15.0, 27.0), "running": 22, "running_at": 29.9}


def three_failures() -> bytes:
    f = THREE_FAILURES
    rows = [(h, 1) for h in f["failed_at"]] + [(f["running_at"], 0)] * f["running"]
    lines = ["unit_id,component,duration,failed"]
    lines += [f"E{i + 1:02d},engine,{h:g},{failed}" for i, (h, failed) in enumerate(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


# CPO optical engines failing by the first of two independent modes: laser wear-out,
# Weibull(2.5, 4e4 h), and fibre attach, Weibull(0.7, 3e5 h) (an early, decreasing hazard).
# 500 engines started together, observed 3 years (26,298 h); the cause of each failure in `mode`.
MODES = {"units": 500, "hours": 26298.0, "seed": 30,
         "modes": (("laser", 2.5, 4e4), ("fibre-attach", 0.7, 3e5))}


def engine_modes() -> bytes:
    import numpy as np
    import pandas as pd

    f = MODES
    rng = np.random.default_rng(f["seed"])
    lives = np.column_stack([scale * rng.weibull(shape, f["units"]) for _, shape, scale in f["modes"]])
    first = lives.argmin(axis=1)
    life = lives.min(axis=1)
    failed = life < f["hours"]
    names = np.array([m for m, _, _ in f["modes"]], dtype=object)
    frame = pd.DataFrame({
        "unit_id": [f"OE{i + 1:04d}" for i in range(f["units"])], "component": "optical_engine",
        "duration": np.round(np.minimum(life, f["hours"]), 2), "failed": failed.astype(int),
        "mode": np.where(failed, names[first], ""),
    })
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


# Repairs of 40 switch chassis whose fixes accumulate: each chassis' repairs a power-law process
# (Crow-AMSAA) with beta 0.6 (reliability growth) and 3 repairs expected by 3 years (26,298 h),
# E N(t) = lambda t^beta; each chassis observed from 1.5 to 3 years (uniform).
REPAIRS = {"systems": 40, "beta": 0.6, "expected_at_3y": 3.0, "hours": 26298.0, "seed": 41}


def switch_repairs() -> bytes:
    import numpy as np
    import pandas as pd

    f = REPAIRS
    rng = np.random.default_rng(f["seed"])
    lam = f["expected_at_3y"] / f["hours"] ** f["beta"]
    rows = []
    for i in range(f["systems"]):
        end = round(float(rng.uniform(0.5, 1.0) * f["hours"]), 1)
        g = np.cumsum(rng.exponential(1.0, 50))  # unit-rate arrivals mapped through Lambda^-1
        t = (g / lam) ** (1 / f["beta"])
        unit = f"SW{i + 1:03d}"
        rows += [(unit, round(float(x), 1), 1) for x in t[t < end]]
        rows.append((unit, end, 0))
    frame = pd.DataFrame(rows, columns=["unit_id", "age", "event"])
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def build(name: str) -> bytes:
    """The bytes of sample ``name`` as this script makes them."""
    if name == "pluggable_800g_dated.csv":
        return pluggable_800g()
    if name == "laser_telemetry.csv":
        return laser_telemetry()
    if name == "laser_telemetry_temperatures.csv":
        return laser_telemetry_temperatures()
    if name == "three_failures.csv":
        return three_failures()
    if name == "engine_modes.csv":
        return engine_modes()
    if name == "switch_repairs.csv":
        return switch_repairs()
    return run_commands(commands()[name])


NAMES = ("pluggable_800g_dated.csv", "cpo_els_pilot.csv", "laser_htol.csv", "engine_inspections.csv",
         "laser_telemetry.csv", "laser_telemetry_temperatures.csv", "three_failures.csv", "engine_modes.csv",
         "switch_repairs.csv")


def main(argv: list[str]) -> int:
    check = "--check" in argv
    differ = []
    for name in NAMES:
        data = build(name)
        path = HERE / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                differ.append(name)
        else:
            path.write_bytes(data)
            print(f"wrote {path} ({len(data):,} bytes)")
    if differ:
        print("differ from the generator: " + ", ".join(differ))
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    raise SystemExit(main(sys.argv[1:]))
