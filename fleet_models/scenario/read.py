"""Scenario files (TOML) -> a validated `fleet_models.model.spec.Scenario`.

The keys of every table are the fields of the matching spec dataclass (read
with ``dataclasses.fields``, types checked by annotation), so a field added to
spec.py with a default is accepted here without change. The few spellings that
differ from the spec:

- ``horizon_years`` or ``horizon_hours`` (exactly one) -> ``Scenario.horizon_hours``;
- ``[policy.spares.NAME]`` with ``stock`` and ``lead_time_days`` (or ``lead_time_hours``);
- ``ports_per_unit = "switch"`` -> ``None`` (the unit's failure takes every port down);
- ``[[architectures]] base = "NAME"`` starts from a built-in architecture;
- ``life`` in one of four forms: ``{ distribution = "weibull", shape = .., scale = .. }``,
  ``{ fit_per_1e9h = .. }``, ``{ model = "fit.json" }`` (relative to the scenario
  file) or ``{ catalog = "KEY" }``, each optionally shifted with ``temperature_c``
  (+ ``reference_temperature_c``, ``activation_energy_ev``).

Every problem is collected and raised together as one `ScenarioError` whose
message lists each with its field path, the bad value and the allowed range.
Defaults of ``[policy]`` and ``[costs]`` come from the catalog of published
figures (`fleet_models.builtins.kit.default_policy` / ``default_costs``).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from failure_data.catalog import Catalog, default_catalog
from failure_data.errors import option
from failure_data.text import NotText, decode_utf8
from fleet_models.builtins.kit import (
    default_costs,
    default_fabric,
    default_policy,
    default_support,
    default_workload,
)
from fleet_models.builtins.scenarios import builtin_architectures, file_cites
from fleet_models.errors import ScenarioError
from fleet_models.model.checks import (
    NO_VALUE,
    SWITCH,
    Problems,
    construct,
    either_unit,
    is_table,
    join,
    scalars,
    show_value,
    suggest,
)
from fleet_models.model.distributions import central, problems
from fleet_models.model.fields import declared
from fleet_models.model.lives import parse_life
from fleet_models.model.spec import (
    Architecture,
    Component,
    Costs,
    Fabric,
    Fleet,
    Policy,
    Scenario,
    SparePool,
    Support,
    Tier,
    TierSwitch,
    Uncertain,
    Workload,
)
from fleet_models.scenario.inline import extract_inline, resolve_placeholders
from fleet_models.scenario.validate import check, cross_checks, tier_checks

# ---------------------------------------------------------------------- tables


def _horizon(data: Mapping[str, Any], p: Problems) -> float | None:
    return either_unit(Scenario, "horizon_hours", data, "", p, "give horizon_years (e.g. 5) or horizon_hours")


def _fleet(raw: Any, p: Problems) -> Fleet | None:
    if raw is None:
        p.add("fleet", NO_VALUE, "missing; a [fleet] table with switches and ports_per_switch is required")
        return None
    if not is_table(raw, "fleet", p):
        return None
    fleet = construct(Fleet, scalars(Fleet, raw, "fleet", p), "fleet", p, raw)
    return file_cites(fleet) if fleet is not None else None


def _spares(raw: Any, path: str, p: Problems) -> dict[str, SparePool] | None:
    if not is_table(raw, path, p, "a table of [policy.spares.NAME] tables"):
        return None
    out: dict[str, SparePool] = {}
    for name, t in raw.items():
        spath = join(path, name)
        if not is_table(t, spath, p, "a table with stock and lead_time_days"):
            continue
        values = scalars(SparePool, t, spath, p, handled=("lead_time_hours",))
        lead = either_unit(SparePool, "lead_time_hours", t, spath, p,
                           "how long a part ordered at a failure takes to arrive")
        if lead is None:
            continue
        values["lead_time_hours"] = lead
        pool = construct(SparePool, values, spath, p, {**t, "lead_time_hours": 0})
        if pool is not None and "stock" in values and "lead_time_hours" in values:
            out[str(name)] = file_cites(pool) if name == SWITCH else pool
    return out


def _policy(raw: Any, p: Problems, catalog: Catalog | None) -> Policy | None:

    if raw is None:
        return default_policy(catalog)
    if not is_table(raw, "policy", p):
        return None
    values = scalars(Policy, raw, "policy", p, handled=("spares",))
    if "spares" in raw:
        spares = _spares(raw["spares"], "policy.spares", p)
        if spares is None:
            return None
        values["spares"] = spares
    return construct(Policy, values, "policy", p, raw, base=default_policy(catalog))


def _costs(raw: Any, p: Problems, catalog: Catalog | None) -> Costs | None:

    if raw is None:
        return default_costs(catalog)
    if not is_table(raw, "costs", p):
        return None
    moved = [k for k in raw if k in declared(Workload)]
    for key in moved:  # files written before [workload] had these under [costs]
        p.add(f"costs.{key}", raw[key], f"moved to the [workload] table: write it there as "
              f"`{key} = {show_value(raw[key])}` under [workload]")
    raw = _replaced({k: v for k, v in raw.items() if k not in moved}, "costs", p)
    for key, fix in Costs.GONE.items():
        if key in raw:
            p.add(f"costs.{key}", raw[key], fix)
    raw = {k: v for k, v in raw.items() if k not in Costs.GONE}
    return construct(Costs, scalars(Costs, raw, "costs", p), "costs", p, raw, base=default_costs(catalog))


def _replaced(raw: Mapping[str, Any], path: str, p: Problems) -> dict[str, Any]:
    """Refuse the keys the [fabric] table replaced (``Workload.REPLACED_BY_FABRIC``), each with the
    line to write instead; return the other keys."""
    for key, lines in Workload.REPLACED_BY_FABRIC.items():
        if key not in raw:
            continue
        v = raw[key]
        line = lines.get(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        fix = (f"write `{line}` under [fabric] instead" if line is not None else
               "write `homing = \"single\"` (a down port stalls the job) or `homing = \"dual\"` (it "
               "runs degraded_slowdown slower) under [fabric] instead")
        p.add(join(path, key), v, f"is replaced by the [fabric] table (what a down port does to the "
              f"job, not one fraction): {fix}")
    return {k: v for k, v in raw.items() if k not in Workload.REPLACED_BY_FABRIC}


def _workload(raw: Any, p: Problems, catalog: Catalog | None) -> Workload | None:

    if raw is None:
        return default_workload(catalog)
    if not is_table(raw, "workload", p):
        return None
    raw = _replaced(raw, "workload", p)
    return construct(Workload, scalars(Workload, raw, "workload", p), "workload", p, raw,
                     base=default_workload(catalog))


def _fabric(raw: Any, p: Problems, catalog: Catalog | None) -> Fabric | None:

    if raw is None:
        return default_fabric(catalog)
    if not is_table(raw, "fabric", p):
        return None
    values = scalars(Fabric, raw, "fabric", p, handled=("tiers",))
    if "tiers" in raw:
        tiers = _tiers(raw["tiers"], p)
        if tiers is not None:
            values["tiers"] = tiers
    return construct(Fabric, values, "fabric", p, raw, base=default_fabric(catalog))


def _tiers(raw: Any, p: Problems) -> tuple[Tier, ...] | None:
    """``[[fabric.tiers]]``: the GPU-facing tier first."""
    if not isinstance(raw, list) or not raw:
        p.add("fabric.tiers", raw, "must be an array of [[fabric.tiers]] tables (name, switches, "
              "ports_per_switch, uplinks), the GPU-facing tier first")
        return None
    out = []
    for i, rt in enumerate(raw):
        path = f"fabric.tiers[{i}]"
        if not is_table(rt, path, p):
            continue
        t = construct(Tier, scalars(Tier, rt, path, p), path, p, rt)
        if t is not None and (not t.name or ":" in t.name):
            p.add(join(path, "name"), t.name, "must be a non-empty name without ':' (components "
                  "of a design are named TIER:COMPONENT)")
        elif t is not None:
            out.append(t)
    return tuple(out) if len(out) == len(raw) else None


def _design_base(raw: Any, path: str, p: Problems, tiers: tuple[Tier, ...] | None,
                 catalog: Catalog | None, name: Any) -> Architecture | None:
    """The design an architecture's ``tiers`` make (``{ leaf = "pluggable-dsp", spine =
    "cpo-els" }``, or a ``[architectures.tiers.TIER]`` table per tier with its ``architecture``
    and switch price or power), as the base its components override."""
    from fleet_models.builtins.designs import design

    if not tiers:
        p.add(join(path, "tiers"), NO_VALUE, "a design names an architecture per tier, but the "
              "scenario has no [[fabric.tiers]]; add them (the GPU-facing tier first)")
        return None
    if not isinstance(raw, Mapping):
        p.add(join(path, "tiers"), raw, 'must be a table of tier = architecture, e.g. { leaf = '
              '"pluggable-dsp", spine = "cpo-els" }')
        return None
    archs = builtin_architectures(catalog)
    kinds: dict[str, Architecture] = {}
    prices: dict[str, dict[str, Any]] = {}
    for tier, v in raw.items():
        tpath = join(join(path, "tiers"), tier)
        entry = {"architecture": v} if isinstance(v, str) else v
        if not isinstance(entry, Mapping):
            p.add(tpath, v, "must be an architecture name or a table with architecture (and "
                  "switch_price_usd, switch_power_w)")
            continue
        values = scalars(TierSwitch, entry, tpath, p)
        kind = values.get("architecture")
        if kind not in archs:
            p.add(join(tpath, "architecture"), kind, f"must be a built-in architecture: "
                  f"{', '.join(archs)}{suggest(str(kind), archs)}")
            continue
        kinds[tier] = archs[kind]
        prices[tier] = {k: x for k, x in values.items() if k != "architecture"}
    names = [t.name for t in tiers]
    if sorted(kinds) != sorted(names) and len(kinds) == len(raw):
        p.add(join(path, "tiers"), sorted(raw), f"must name an architecture for each tier of "
              f"[[fabric.tiers]]: {', '.join(names)}")
        return None
    if len(kinds) != len(raw):
        return None
    base = design(catalog or default_catalog(), str(name) if isinstance(name, str) else "design",
                  tiers, kinds)
    parts = {t: dataclasses.replace(ts, **prices[t]) for t, ts in base.tiers.items()}
    return dataclasses.replace(base, tiers=parts)


def _support(raw: Any, p: Problems, catalog: Catalog | None) -> Support | None:

    if raw is None:
        return default_support(catalog)
    if not is_table(raw, "support", p):
        return None
    return construct(Support, scalars(Support, raw, "support", p), "support", p, raw,
                     base=default_support(catalog))


def _component(raw: Any, path: str, p: Problems, base_dir: Path | None,
               base: Component | None, catalog: Catalog | None, port_gbps: float) -> Component | None:
    if not is_table(raw, path, p):
        return None
    n_before = len(p.items)
    values = scalars(Component, raw, path, p, handled=("life", "ports_per_unit"))
    if values.get("name") == SWITCH:
        p.add(join(path, "name"), SWITCH, 'is reserved (spares named "switch" mean whole switches); '
              "choose another name, e.g. switch-board")
    if "ports_per_unit" in raw:
        v = raw["ports_per_unit"]
        if v == SWITCH:
            values["ports_per_unit"] = None
        elif isinstance(v, int) and not isinstance(v, bool) and v >= 1:
            values["ports_per_unit"] = v
        else:
            p.add(join(path, "ports_per_unit"), v,
                  'must be an integer >= 1 or "switch" (a failure takes every port down)')
    if "life" in raw:
        ports = values["ports_per_unit"] if "ports_per_unit" in values else (
            base.ports_per_unit if base is not None else None)
        life = parse_life(raw["life"], join(path, "life"), p, base_dir, catalog,
                          unit_gbps=None if ports is None else ports * port_gbps)
        if life is not None:
            values["life"] = life
    if len(p.items) > n_before:
        return None
    comp = construct(Component, values, path, p, raw, base=base)
    if comp is not None and comp.needed > comp.elements:
        p.add(join(path, "needed"), comp.needed,
              f"must be <= elements = {comp.elements} (the unit works while at least `needed` of "
              "its `elements` do)")
        return None
    return comp


def _architecture(raw: Any, path: str, p: Problems, base_dir: Path | None,
                  catalog: Catalog | None, port_gbps: float, tiers: tuple[Tier, ...] | None = None
                  ) -> tuple[Architecture, list[tuple[str, Component]]] | None:
    """An architecture (or a design: ``tiers``), and (path, component) pairs for the
    cross-checks against the fleet."""

    if not is_table(raw, path, p):
        return None
    n_before = len(p.items)
    base = None
    if "tiers" in raw:
        if "base" in raw:
            p.add(join(path, "base"), raw["base"], "a design takes its components from its tiers' "
                  "architectures; give tiers or base, not both")
            return None
        base = _design_base(raw["tiers"], path, p, tiers, catalog, raw.get("name"))
        if base is None:
            return None
    elif "base" in raw:
        archs = builtin_architectures(catalog)
        b = raw["base"]
        if isinstance(b, str) and b in archs:
            base = archs[b]
        else:
            p.add(join(path, "base"), b, f"must be a built-in architecture: {', '.join(archs)}"
                  f"{suggest(str(b), archs)}")
    values = scalars(Architecture, raw, path, p, handled=("components", "tiers"), extra=("base",))
    if "name" not in values and base is not None and "name" not in raw:
        values["name"] = base.name
    comps: list[tuple[str, Component]] = []
    if base is not None:
        comps = [(f"{path}.components[{c.name!r} from base {base.name}]", c) for c in base.components]
    raw_comps = raw.get("components", [])
    if not isinstance(raw_comps, list):
        p.add(join(path, "components"), raw_comps, "must be an array of [[architectures.components]] tables")
        raw_comps = []
    seen: set[str] = set()
    for j, rc in enumerate(raw_comps):
        cpath = f"{path}.components[{j}]"
        name = rc.get("name") if isinstance(rc, Mapping) else None
        if isinstance(name, str) and name in seen:
            p.add(join(cpath, "name"), name, "is used twice in this architecture; names must be unique")
            continue
        if isinstance(name, str):
            seen.add(name)
        idx = next((i for i, (_, c) in enumerate(comps) if isinstance(name, str) and c.name == name), None)
        comp = _component(rc, cpath, p, base_dir, comps[idx][1] if idx is not None else None, catalog,
                          port_gbps)
        if comp is None:
            continue
        if idx is not None:
            comps[idx] = (cpath, comp)
        else:
            comps.append((cpath, comp))
    if not comps and len(p.items) == n_before:
        p.add(join(path, "components"), NO_VALUE,
              "missing; an architecture needs at least one [[architectures.components]] (or a base)")
    if len(p.items) > n_before:
        return None
    arch = construct(Architecture, {**values, "components": tuple(c for _, c in comps)}, path, p, raw,
                      base=base)
    return (arch, comps) if arch is not None else None


def _architectures(raw: Any, p: Problems, base_dir: Path | None, catalog: Catalog | None,
                   port_gbps: float, tiers: tuple[Tier, ...] | None = None):
    if raw is None:
        p.add("architectures", NO_VALUE, "missing; add at least one [[architectures]] table "
              '(e.g. base = "pluggable-dsp")')
        return None
    if not isinstance(raw, list) or not raw:
        p.add("architectures", raw, "must be a non-empty array of [[architectures]] tables")
        return None
    out = []
    names: set[str] = set()
    for i, ra in enumerate(raw):
        res = _architecture(ra, f"architectures[{i}]", p, base_dir, catalog, port_gbps, tiers)
        if res is None:
            continue
        if res[0].name in names:
            p.add(f"architectures[{i}].name", res[0].name, "is used twice; architecture names must be unique")
            continue
        names.add(res[0].name)
        out.append((i, *res))
    return out


def _uncertain(raw: Any, inline: Mapping[str, Mapping[str, Any]], p: Problems
               ) -> tuple[dict[str, Uncertain], dict[str, float]]:
    """The [uncertain] table and the numbers written as distributions in place: {path:
    Uncertain}, and the central value each in-place number takes."""
    out: dict[str, Uncertain] = {}
    centrals: dict[str, float] = {}
    tables: list[tuple[str, Any, bool]] = []
    if raw is not None and is_table(raw, "uncertain", p, 'a table of [uncertain."FIELD.PATH"] tables'):
        tables += [(str(k), v, False) for k, v in raw.items()]
    tables += [(k, v, True) for k, v in inline.items()]
    for path, t, in_place in tables:
        upath = f"uncertain.{path}" if not in_place else path
        if not is_table(t, upath, p, "a distribution: " + _FORMS):
            continue
        extra = [k for k in ("lognormal", "triangular") if k in t]
        for k in extra:
            p.add(join(upath, k), t[k], f"must be a list of {2 if k == 'lognormal' else 3} numbers")
        if path in out:
            p.add(upath, NO_VALUE, "is given twice (in place and in [uncertain]); keep one")
            continue
        values = scalars(Uncertain, {k: v for k, v in t.items() if k not in extra}, upath, p)
        if extra:
            continue
        u = Uncertain(**values)
        bad = problems(u)
        for msg in bad:
            p.add(upath, t, msg)
        if not bad:
            out[path] = u
            if in_place:
                centrals[path] = central(u)
    return out, centrals


_FORMS = "{ low = A, high = B }, { low, mode, high }, { median = M, error_factor = F }"

# ---------------------------------------------------------------------- public API


def parse_scenario(data: Mapping[str, Any], base_dir: Path | None = None, *,
                   source: str | None = None, catalog: Catalog | None = None) -> Scenario:
    """A parsed TOML (or JSON) document -> validated Scenario; ScenarioError lists every problem.

    ``base_dir`` is where ``life = { model = ... }`` paths are relative to
    (the current directory if None); ``source`` names the document in messages; defaults and
    ``catalog = KEY`` lives come from ``catalog`` (default: the shipped catalog).
    """
    p = Problems()
    if not isinstance(data, Mapping):
        p.add("(top level)", data, "a scenario must be a table")
        raise p.error(source)
    data, inline = extract_inline(data)
    uncertain, centrals = _uncertain(data.get("uncertain"), inline, p)
    data = resolve_placeholders(data, centrals)
    values = scalars(Scenario, data, "", p, extra=("horizon_years",),
                      handled=("horizon_hours", "fleet", "architectures", "policy", "costs",
                               "workload", "fabric", "support", "uncertain"))
    horizon = _horizon(data, p)
    fabric = _fabric(data.get("fabric"), p, catalog)
    tiers = fabric.tiers if fabric is not None else None
    if data.get("fleet") is None and tiers:  # a fabric of tiers: the fleet is its first tier
        fleet = file_cites(Fleet(tiers[0].switches, tiers[0].ports_per_switch))
    else:
        fleet = _fleet(data.get("fleet"), p)
    policy = _policy(data.get("policy"), p, catalog)
    costs = _costs(data.get("costs"), p, catalog)
    workload = _workload(data.get("workload"), p, catalog)
    support = _support(data.get("support"), p, catalog)
    # a per-400G-port life needs a unit's bandwidth; with a bad [fleet] (already reported) the default
    port_gbps = fleet.port_gbps if fleet is not None else declared(Fleet)["port_gbps"].default
    archs = _architectures(data.get("architectures"), p, base_dir, catalog, port_gbps, tiers)
    if fleet is not None and policy is not None and archs is not None:
        cross_checks(fleet, policy, [comps for _, _, comps in archs], p, bool(tiers))
    scenario = None
    if not p:
        scenario = construct(Scenario, {
            **values, "horizon_hours": horizon, "fleet": fleet, "policy": policy, "costs": costs, "workload": workload,
            "fabric": fabric, "support": support,
            "architectures": tuple(a for _, a, _ in archs), "uncertain": uncertain,
        }, "", p, data)
    if scenario is not None and not p:
        tier_checks(scenario, p)
    if scenario is not None and not p:

        check(scenario, p)
    if p or scenario is None:
        raise p.error(source)
    return scenario


def load_scenario(path: str | Path, catalog: Catalog | None = None) -> Scenario:
    """Read and validate a scenario TOML file; ``model`` paths are relative to its folder."""
    file = Path(path)
    try:
        text = decode_utf8(file.read_bytes())
    except NotText as e:
        where = f" (line {e.line})" if e.line else ""
        raise ScenarioError(f"scenario file {str(file)!r}{where} {e.message}") from None
    except FileNotFoundError:
        raise ScenarioError(f"scenario file {str(file)!r} not found; write a starting one with "
                            f"{option('init', 'fleet_models.scenario.docs.starter_toml()')}") from None
    except OSError as e:
        raise ScenarioError(f"cannot read scenario file {str(file)!r}: {e.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{file}: not valid TOML: {e}") from None
    return parse_scenario(data, base_dir=file.resolve().parent, source=str(file), catalog=catalog)
