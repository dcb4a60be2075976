"""A run's outputs as saved data: written to a folder, read back, re-priced, never re-simulated.

``cpo simulate --out DIR`` writes, beside its per-replication rows (``replications.csv``) and
its summary (``summary.json``), everything a later command needs to rebuild the result exactly
(the approach of NREL WOMBAT, whose metrics are rebuilt from a run's saved outputs):

- ``scenario.toml``: the resolved scenario the run simulated (it loads back to an equal one);
- ``ledgers.npz``: per replication and architecture the ledger's sums that every cost is priced
  from (``fleet_models.model.ledger.LedgerSums``);
- ``draws.csv``: each replication's own numbers, when inputs were drawn or overridden;
- ``run.json``: the seed, replications, engine and the tool's version.

:func:`load` gives the :class:`FleetResult` back (its TCO equal to the run's to the last bit);
:func:`repriced` prices it with another scenario's prices, refusing a scenario whose engine
inputs differ (that would need a new run), with the first field that differs.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np

from failure_data.files import atomic_path, write_text_atomic
from fleet_models.errors import FleetError, ScenarioError
from fleet_models.model.fields import SIMULATED
from fleet_models.model.ledger import Ledger, LedgerSums
from fleet_models.model.paths import declaration_at
from fleet_models.model.spec import Scenario
from fleet_models.runs.draws import Draws
from fleet_models.runs.keys import first_difference
from fleet_models.runs.results import FleetResult, metric_columns
from fleet_models.runs.tco import reduce_ledger, support_end

FORMAT = "cpo-run/2"  # 2: the ledgers' sums split what was bought at the support period's end
RUN, SCENARIO, ROWS, LEDGERS, DRAWS = ("run.json", "scenario.toml", "replications.csv",
                                       "ledgers.npz", "draws.csv")
FILES = (RUN, SCENARIO, ROWS, LEDGERS, DRAWS)
"""The files a saved run is made of (`cpo simulate --out DIR` adds summary.json)."""


def save(result: FleetResult, folder: str | Path, *, rows: bool = True) -> list[Path]:
    """Write ``result`` to ``folder`` (made if missing); ``rows=False`` leaves
    ``replications.csv`` to a writer that streamed it during the run. Returns the files written.
    Each file is written whole or not at all (``failure_data.files.atomic_path``)."""
    from fleet_models.scenario.write import scenario_to_toml

    if result.spec is None or not result.ledgers:
        raise FleetError("only a run's result (with its scenario and ledgers) can be saved")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / RUN, out / SCENARIO, out / LEDGERS]
    write_text_atomic(out / SCENARIO, scenario_to_toml(result.spec))
    arrays: dict[str, np.ndarray] = {}
    for a, arch in enumerate(result.spec.architectures):
        keys = sorted(k for k in result.ledgers if k[1] == arch.name)
        sums = [_sums(result, result.ledgers[k], arch.name) for k in keys]
        arrays[f"replication_{a}"] = np.array([k[0] for k in keys], dtype=np.int64)
        arrays[f"discount_rate_{a}"] = np.array([s.discount_rate for s in sums], dtype=float)
        arrays[f"support_end_{a}"] = np.array([s.support_end for s in sums], dtype=float)
        arrays[f"parts_{a}"] = np.array([s.parts for s in sums], dtype=float).reshape(
            len(sums), len(arch.components))
        arrays[f"sums_{a}"] = np.array([s.sums for s in sums], dtype=float).reshape(len(sums), -1)
    with atomic_path(out / LEDGERS) as tmp, open(tmp, "wb") as f:
        np.savez_compressed(f, **arrays)
    if result.draws is not None:
        with atomic_path(out / DRAWS) as tmp:
            result.draws.frame().to_csv(tmp, index=False)
        written.append(out / DRAWS)
    if rows:
        with atomic_path(out / ROWS) as tmp:
            result.replications.to_csv(tmp, index=False)
        written.append(out / ROWS)
    write_text_atomic(out / RUN, json.dumps(_run_doc(result), indent=2) + "\n")
    return written


def _sums(result: FleetResult, led: Ledger | LedgerSums, arch: str) -> LedgerSums:
    if isinstance(led, LedgerSums):
        return led
    sc = result.spec
    comps = next(len(a.components) for a in sc.architectures if a.name == arch)
    return reduce_ledger(led, comps, sc.costs.discount_rate, sc.horizon_hours, support_end(sc))


def _run_doc(result: FleetResult) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool = version("cpo-analyzer")
    except PackageNotFoundError:  # pragma: no cover  (a checkout run without an install)
        tool = "unknown"
    return {"format": FORMAT, "tool": f"cpo-analyzer {tool}", "scenario": result.scenario,
            "seed": result.seed, "replications": result.n_replications,
            "horizon_hours": result.horizon_hours, "engine": result.engine,
            "engine_note": result.engine_note, "elapsed_s": result.elapsed_s,
            "components": {a: list(c) for a, c in result.components.items()}}


def load(folder: str | Path) -> FleetResult:
    """The result saved in ``folder`` by :func:`save` (or ``cpo simulate --out``)."""
    import pandas as pd

    from fleet_models.scenario.read import load_scenario

    src = Path(folder)
    if not src.is_dir():
        raise FleetError(f"{str(src)!r} is not a folder of a saved run; write one with "
                         "`cpo simulate --out DIR`")
    missing = [n for n in (RUN, SCENARIO, ROWS, LEDGERS) if not (src / n).is_file()]
    if missing:
        raise FleetError(f"{str(src)!r} holds no saved run ({', '.join(missing)} missing); write one "
                         "with `cpo simulate --out DIR` (runs saved before cpo-analyzer saved its "
                         "scenario and ledgers must be run again)")
    try:
        doc = json.loads((src / RUN).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise FleetError(f"{src / RUN}: not a run document ({e}); save the run again") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FleetError(f"{src / RUN}: format {doc.get('format') if isinstance(doc, dict) else doc!r}"
                         f" is not {FORMAT!r}; save the run again with this version")
    try:
        spec = load_scenario(src / SCENARIO)
    except ScenarioError as e:
        raise FleetError(f"{src / SCENARIO} no longer loads ({e}); save the run again") from None
    names = [a.name for a in spec.architectures]
    if list(doc.get("components", {})) != names:
        raise FleetError(f"{src}: {RUN} and {SCENARIO} name different architectures; save the run "
                         "again")
    rows = pd.read_csv(src / ROWS, float_precision="round_trip",
                       dtype={"architecture": object, **dict.fromkeys(metric_columns(spec), float)})
    ledgers = _read_ledgers(src / LEDGERS, spec)
    draws = Draws.from_frame(pd.read_csv(src / DRAWS, float_precision="round_trip")) if (src / DRAWS).is_file() else None
    n = int(doc["replications"])
    if len(rows) != n * len(names) or len(ledgers) != n * len(names):
        raise FleetError(f"{src}: {len(rows)} rows and {len(ledgers)} ledgers for {n} replications of "
                         f"{len(names)} architectures; the folder is incomplete: save the run again")
    return FleetResult.of_run(spec, rows, ledgers, seed=int(doc["seed"]), engine=str(doc["engine"]),
                              engine_note=doc.get("engine_note"), elapsed_s=doc.get("elapsed_s"),
                              draws=draws)


def _read_ledgers(path: Path, spec: Scenario) -> dict[tuple[int, str], LedgerSums]:
    try:
        data = np.load(path)
    except (OSError, ValueError) as e:
        raise FleetError(f"{path}: not a saved run's ledgers ({e}); save the run again") from None
    out: dict[tuple[int, str], LedgerSums] = {}
    with data:
        for a, arch in enumerate(spec.architectures):
            reps, rates = data[f"replication_{a}"], data[f"discount_rate_{a}"]
            parts, sums, ends = data[f"parts_{a}"], data[f"sums_{a}"], data[f"support_end_{a}"]
            for r in range(len(reps)):
                out[(int(reps[r]), arch.name)] = LedgerSums(float(rates[r]), parts[r].copy(),
                                                            sums[r].copy(), float(ends[r]))
    return out


def repriced(result: FleetResult, scenario: Scenario) -> FleetResult:
    """``result`` priced with ``scenario``: the same architectures, simulating alike (every engine
    input and the discount rate equal, :func:`fleet_models.runs.keys.first_difference`), other
    prices free. A scenario that would need a new run is refused, naming the field."""
    if result.spec is None:
        raise FleetError("this result carries no scenario to re-price")
    old = [a.name for a in result.spec.architectures]
    new = [a.name for a in scenario.architectures]
    if old != new:
        raise FleetError(f"the saved run has the architectures {', '.join(old)}; the scenario given has "
                         f"{', '.join(new)}: re-pricing needs the same architectures (run it anew)")
    for name in old:
        field = first_difference(result.spec, scenario, name)
        if field is not None:
            raise FleetError(f"{field} differs between the saved run and the scenario given (for "
                             f"{name}): it changes what is simulated, so re-pricing cannot answer; "
                             "run the scenario anew (only prices, power and words can change)")
    return dataclasses.replace(result, spec=scenario, scenario=scenario.name,
                               draws=_redrawn(result, scenario))


def _redrawn(result: FleetResult, scenario: Scenario) -> Draws | None:
    """The draws ``result`` is priced with under ``scenario``: its uncertain inputs drawn anew
    (a price's range follows its value), the run's other per-replication numbers (overrides) kept.
    The engine inputs among them are the run's own, unchanged (their draws were simulated)."""
    saved, n = result.draws, result.n_replications
    old = Draws.of_inputs(result.spec, result.seed, n) if result.spec is not None else None
    new = Draws.of_inputs(scenario, result.seed, n)
    overrides = None
    if saved is not None:
        kept = [j for j, p in enumerate(saved.paths) if old is None or p not in old.paths]
        if kept:
            overrides = Draws(tuple(saved.paths[j] for j in kept), saved.replications,
                              saved.values[:, kept])
    if new is not None and old is not None:
        for j, path in enumerate(new.paths):
            if path in old.paths and _simulated(scenario, path) and not np.array_equal(
                    new.values[:, j], old.values[:, old.paths.index(path)]):
                raise FleetError(f"{path} is drawn differently under the scenario given: it changes "
                                 "what is simulated, so re-pricing cannot answer; run it anew")
    return overrides if new is None else new.then(overrides)


def _simulated(scenario: Scenario, path: str) -> bool:
    """Whether the number at ``path`` is an engine input (a life's parameter always is)."""
    d = declaration_at(scenario, path)
    return d is None or d.setting.role in SIMULATED
