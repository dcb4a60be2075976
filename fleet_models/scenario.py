"""Scenario files (TOML) -> a validated `fleet_models.spec.Scenario`, and back.

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
figures (`fleet_models.builtins.default_policy` / ``default_costs``).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import tomllib
import types
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from failure_data.errors import DataError
from failure_data.text import NotText, decode_utf8
from fleet_models.errors import ScenarioError
from fleet_models.spec import (
    Architecture,
    Component,
    Costs,
    Fleet,
    Policy,
    Repair,
    Scenario,
    SparePool,
)
from reliability.errors import ParameterError
from reliability.models import FAMILIES, HOURS_PER_YEAR, LifeModel

HOURS_PER_DAY = 24.0
SWITCH = "switch"  # ports_per_unit / spares name meaning the whole switch
MAX_SHOWN = 50  # problems listed in one error message


# ---------------------------------------------------------------------- problems


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_NO_VALUE = _Missing()


def show_value(v: Any) -> str:
    """A value as a scenario file would write it (strings quoted, booleans lower-case)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | str | list | dict | tuple):
        try:
            return json.dumps(v, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            return repr(v)
    return repr(v)


@dataclass(frozen=True)
class ScenarioProblem:
    path: str
    value: Any
    message: str

    def to_dict(self) -> dict[str, Any]:
        value = None if self.value is _NO_VALUE else show_value(self.value)
        return {"field": self.path, "value": value, "message": self.message}

    def __str__(self) -> str:
        if self.value is _NO_VALUE:
            return f"{self.path}: {self.message}"
        return f"{self.path} = {show_value(self.value)}: {self.message}"


class _Problems:
    def __init__(self) -> None:
        self.items: list[ScenarioProblem] = []

    def add(self, path: str, value: Any, message: str) -> None:
        self.items.append(ScenarioProblem(path or "(top level)", value, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self, source: str | None) -> ScenarioError:
        n = len(self.items)
        head = f"{source}: " if source else ""
        if n == 1:  # one line, so `--json`'s "error" (the first line) says it all
            return ScenarioError(f"{head}invalid scenario: {self.items[0]}", self.items)
        lines = [f"{head}invalid scenario, {n} problems; nothing was run:"]
        lines += [f"  - {p}" for p in self.items[:MAX_SHOWN]]
        if n > MAX_SHOWN:
            lines.append(f"  ... and {n - MAX_SHOWN} more")
        return ScenarioError("\n".join(lines), self.items)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _suggest(word: str, allowed: Collection[str]) -> str:
    near = difflib.get_close_matches(str(word), list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


# ---------------------------------------------------------------------- ranges


@dataclass(frozen=True)
class Range:
    """An allowed interval; ``None`` bounds are open-ended."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    def ok(self, v: float) -> bool:
        if self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo):
            return False
        return not (self.hi is not None and (v >= self.hi if self.hi_open else v > self.hi))

    def text(self) -> str:
        if self.hi is None:
            return f"must be {'>' if self.lo_open else '>='} {_num(self.lo)}"
        if self.lo is None:
            return f"must be {'<' if self.hi_open else '<='} {_num(self.hi)}"
        return (f"must be in {'(' if self.lo_open else '['}{_num(self.lo)}, {_num(self.hi)}"
                f"{')' if self.hi_open else ']'}")


def _num(x: float | None) -> str:
    if x is None:
        return ""
    if isinstance(x, int):
        return f"{x:_}" if abs(x) >= 10_000 else str(x)
    return f"{x:,.0f}".replace(",", "_") if float(x).is_integer() and abs(x) >= 1e4 else f"{x:g}"


POSITIVE = Range(0, None, lo_open=True)
NON_NEGATIVE = Range(0, None)
HOURS = Range(0, 87_660)  # up to ten years

# (table class, field) -> allowed range. Fields without an entry are type-checked only.
RANGES: dict[tuple[type, str], Range] = {
    (Scenario, "horizon_hours"): Range(0, 100 * HOURS_PER_YEAR, lo_open=True),
    (Scenario, "replications"): Range(1, 100_000),
    (Scenario, "seed"): Range(0, 2**63 - 1),
    (Fleet, "switches"): Range(1, 1_000_000),
    (Fleet, "ports_per_switch"): Range(1, 4096),
    (Fleet, "port_gbps"): Range(0, 1e5, lo_open=True),
    (Architecture, "switch_price_usd"): Range(0, 1e8),
    (Architecture, "switch_power_w"): Range(0, 1e6),
    (Component, "per_switch"): Range(1, 100_000),
    (Component, "elements"): Range(1, 10_000),
    (Component, "needed"): Range(1, 10_000),
    (Component, "price_usd"): Range(0, 1e7),
    (Component, "power_w"): Range(0, 1e5),
    (Policy, "detection_hours"): HOURS,
    (Policy, "technicians"): Range(0, 100_000),
    (Policy, "swap_hours"): Range(0, 87_660, lo_open=True),
    (Policy, "switch_replacement_hours"): Range(0, 87_660, lo_open=True),
    (Policy, "replace_switch_when_ports_down"): Range(1, 4096),
    (Policy, "maintenance_window_days"): Range(0, 3653, lo_open=True),
    (SparePool, "stock"): Range(0, 1_000_000),
    (SparePool, "lead_time_hours"): HOURS,
    (Costs, "electricity_usd_per_kwh"): Range(0, 10),
    (Costs, "pue"): Range(1, 5),
    (Costs, "discount_rate"): Range(0, 1, hi_open=True),
    (Costs, "technician_usd_per_hour"): Range(0, 10_000),
    (Costs, "gpu_hour_usd"): Range(0, 1_000),
    (Costs, "gpus_per_port"): Range(0, 1_000),
    (Costs, "job_gpus"): Range(0, 10_000_000),
    (Costs, "checkpoint_interval_hours"): Range(0, HOURS_PER_YEAR, lo_open=True),
    (Costs, "restart_hours"): Range(0, HOURS_PER_YEAR),
}
HORIZON_YEARS = Range(0, 100, lo_open=True)
LEAD_TIME_DAYS = Range(0, 3652.5)
FIT_RANGE = Range(0, 1e9, lo_open=True)
TEMPERATURE_C = Range(-60, 200)
ACTIVATION_EV = Range(0, 3, lo_open=True)
CONFIDENCE = Range(0, 1, lo_open=True, hi_open=True)


# ---------------------------------------------------------------------- typed fields


@dataclass(frozen=True)
class _Field:
    name: str
    type: Any
    required: bool


def table_fields(cls: type) -> dict[str, _Field]:
    """The spec dataclass's fields with resolved annotations, in declaration order."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: _Field(
            f.name, hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    }


def _type_name(tp: Any) -> str:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + ", ".join(f'"{m.value}"' for m in tp)
    args = typing.get_args(tp)
    if _is_optional(tp):
        return _type_name(next(a for a in args if a is not type(None)))
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _is_optional(tp: Any) -> bool:
    return (typing.get_origin(tp) in (typing.Union, types.UnionType)
            and type(None) in typing.get_args(tp))


def convert(value: Any, tp: Any, path: str, p: _Problems, rng: Range | None = None) -> tuple[bool, Any]:
    """Check ``value`` against the annotation ``tp`` (and range); (ok, converted value)."""
    if _is_optional(tp):
        if value is None:
            return True, None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            return convert(value, inner[0], path, p, rng)
    if isinstance(tp, type) and issubclass(tp, Enum):
        allowed = [m.value for m in tp]
        if isinstance(value, str) and value in allowed:
            return True, tp(value)
        p.add(path, value, f"must be {_type_name(tp)}{_suggest(str(value), allowed)}")
        return False, None
    if tp is bool:
        if isinstance(value, bool):
            return True, value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return _in_range(value, path, p, rng)
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                p.add(path, value, "must be a finite number")
                return False, None
            ok, _ = _in_range(value, path, p, rng)  # the message quotes the value as written
            return ok, float(value) if ok else None
    elif tp is str:
        if isinstance(value, str):
            if not value.strip() and path.rsplit(".", 1)[-1] == "name":
                p.add(path, value, "must not be empty")
                return False, None
            return True, value
    else:
        p.add(path, value, f"cannot be set from a scenario file (type {tp})")
        return False, None
    p.add(path, value, f"must be {_type_name(tp)}")
    return False, None


def _in_range(v: float, path: str, p: _Problems, rng: Range | None) -> tuple[bool, Any]:
    if rng is not None and not rng.ok(v):
        p.add(path, v, rng.text())
        return False, None
    return True, v


def _is_table(raw: Any, path: str, p: _Problems, what: str = "a table") -> bool:
    if isinstance(raw, Mapping):
        return True
    p.add(path, raw, f"must be {what}")
    return False


def _scalars(cls: type, raw: Mapping[str, Any], path: str, p: _Problems, *,
             handled: Collection[str] = (), extra: Collection[str] = ()) -> dict[str, Any]:
    """Refuse unknown keys; convert the present plain fields of ``cls`` by annotation and range.

    ``handled`` fields are allowed keys the caller converts itself; ``extra``
    are allowed keys that are not fields of ``cls``.
    """
    fields = table_fields(cls)
    allowed = [*fields, *extra]
    out: dict[str, Any] = {}
    for key, value in raw.items():
        kpath = _join(path, key)
        if key not in allowed:
            p.add(kpath, value, f"unknown key{_suggest(key, allowed)}; allowed keys: "
                  + ", ".join(sorted(allowed)))
            continue
        if key in handled or key in extra:
            continue
        ok, v = convert(value, fields[key].type, kpath, p, RANGES.get((cls, key)))
        if ok:
            out[key] = v
    return out


def _construct(cls: type, values: dict[str, Any], path: str, p: _Problems, raw: Mapping[str, Any],
               base: Any = None) -> Any:
    """``cls(**values)`` (or ``base`` with ``values`` replaced); a missing required key is a problem."""
    if base is not None:
        return dataclasses.replace(base, **values)
    missing = [f.name for f in table_fields(cls).values() if f.required and f.name not in values]
    for name in missing:
        if name not in raw:  # present but invalid was already reported
            p.add(_join(path, name), _NO_VALUE, f"missing; {_type_name(table_fields(cls)[name].type)} is required")
    if missing:
        return None
    return cls(**values)


# ---------------------------------------------------------------------- life models

LIFE_FORMS = ("distribution", "fit_per_1e9h", "model", "catalog")
TEMPERATURE_KEYS = ("temperature_c", "reference_temperature_c", "activation_energy_ev")
_FORM_KEYS = {
    "distribution": ("covariance", "confidence", "source", "provenance"),
    "fit_per_1e9h": ("source", "provenance"),
    "model": (),
    "catalog": (),
}
LIFE_HELP = ('{ distribution = "weibull", shape = 1.2, scale = 3e6 }, { fit_per_1e9h = 50 }, '
             '{ model = "fit.json" } or { catalog = "KEY" }')


def default_activation_energy() -> float:
    """The catalog's laser activation energy (key ``laser-ea``), eV."""
    from failure_data.catalog import get

    value = get("laser-ea").value
    assert value is not None
    return value


def parse_life(raw: Any, path: str, p: _Problems, base_dir: Path | None) -> LifeModel | None:
    """One ``life`` table -> LifeModel, or None with the problems recorded."""
    if isinstance(raw, LifeModel):  # inherited from a built-in architecture
        return raw
    if not _is_table(raw, path, p, f"a table: {LIFE_HELP}"):
        return None
    forms = [f for f in LIFE_FORMS if f in raw]
    if len(forms) != 1:
        p.add(path, dict(raw), f"needs exactly one of {', '.join(LIFE_FORMS)}"
              + (f", got {', '.join(forms)}" if forms else "") + f"; e.g. {LIFE_HELP}")
        return None
    form = forms[0]
    allowed = [form, *_FORM_KEYS[form], *TEMPERATURE_KEYS]
    if form == "distribution" and raw["distribution"] in FAMILIES:
        allowed[1:1] = FAMILIES[raw["distribution"]].params
    n_before = len(p.items)
    for key, value in raw.items():
        if key not in allowed and not (form == "distribution" and raw["distribution"] not in FAMILIES):
            p.add(_join(path, key), value, f"unknown key{_suggest(key, allowed)}; allowed with "
                  f"{form}: {', '.join(allowed)}")
    model, reference = _base_life(form, raw, path, p, base_dir)
    if model is None or len(p.items) > n_before:
        return None
    return _shift(model, reference, raw, path, p)


def _base_life(form: str, raw: Mapping[str, Any], path: str, p: _Problems,
               base_dir: Path | None) -> tuple[LifeModel | None, float | None]:
    """The model before any temperature shift, and the temperature it is quoted at (if known)."""
    if form == "distribution":
        return _inline_life(raw, path, p), None
    if form == "fit_per_1e9h":
        ok, fit = convert(raw["fit_per_1e9h"], float, _join(path, "fit_per_1e9h"), p, FIT_RANGE)
        prov = _provenance(raw, path, p)
        if not ok or prov is None:
            return None, None
        return LifeModel.from_fit_rate(fit, provenance=prov), None
    if form == "model":
        return _model_file(raw["model"], _join(path, "model"), p, base_dir)
    return _catalog_life(raw["catalog"], _join(path, "catalog"), p)


def _provenance(raw: Mapping[str, Any], path: str, p: _Problems) -> dict[str, Any] | None:
    prov: dict[str, Any] = {}
    if "provenance" in raw:
        if not _is_table(raw["provenance"], _join(path, "provenance"), p):
            return None
        prov = dict(raw["provenance"])
    if "source" in raw:
        ok, src = convert(raw["source"], str, _join(path, "source"), p)
        if not ok:
            return None
        if "source" in prov and prov["source"] != src:
            p.add(_join(path, "source"), src, f"differs from provenance.source = {show_value(prov['source'])}")
            return None
        prov["source"] = src
    return prov


def _inline_life(raw: Mapping[str, Any], path: str, p: _Problems) -> LifeModel | None:
    dist = raw["distribution"]
    if not isinstance(dist, str) or dist not in FAMILIES:
        p.add(_join(path, "distribution"), dist,
              f"must be one of {', '.join(FAMILIES)}{_suggest(str(dist), FAMILIES)}")
        return None
    fam = FAMILIES[dist]
    params: dict[str, float] = {}
    for name in fam.params:
        ppath = _join(path, name)
        if name not in raw:
            p.add(ppath, _NO_VALUE, f"missing; {dist} takes parameters {', '.join(fam.params)}")
            continue
        ok, v = convert(raw[name], float, ppath, p, POSITIVE if name in fam.positive else None)
        if ok:
            params[name] = v
    cov = None
    if "covariance" in raw:
        c = raw["covariance"]
        n = len(fam.params)
        good = (isinstance(c, list) and len(c) == n and all(
            isinstance(r, list) and len(r) == n and all(
                isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in r)
            for r in c))
        if not good:
            p.add(_join(path, "covariance"), c,
                  f"must be a {n}x{n} array of finite numbers over ({', '.join(fam.params)})")
        else:
            cov = tuple(tuple(float(x) for x in r) for r in c)
    conf = 0.95
    if "confidence" in raw:
        ok, conf = convert(raw["confidence"], float, _join(path, "confidence"), p, CONFIDENCE)
    prov = _provenance(raw, path, p)
    if len(params) != len(fam.params) or prov is None or ("covariance" in raw and cov is None) \
            or conf is None:
        return None
    try:
        return LifeModel(dist, params, covariance=cov, confidence=conf, provenance=prov)
    except ParameterError as e:
        p.add(path, _NO_VALUE, str(e))
        return None


def _model_file(value: Any, path: str, p: _Problems,
                base_dir: Path | None) -> tuple[LifeModel | None, float | None]:
    ok, name = convert(value, str, path, p)
    if not ok:
        return None, None
    file = Path(name)
    if not file.is_absolute():
        file = (base_dir or Path.cwd()) / file
    if not file.is_file():
        p.add(path, name, f"file {str(file)!r} not found (paths are relative to the scenario file); "
              f"write one with `cpo fit FILE --save {name}`")
        return None, None
    try:
        model = LifeModel.load(file)
    except ParameterError as e:
        p.add(path, name, f"not a usable life model: {e}")
        return None, None
    ref = model.provenance.get("temperature_c")
    return model, float(ref) if isinstance(ref, int | float) and not isinstance(ref, bool) else None


def _catalog_life(value: Any, path: str, p: _Problems) -> tuple[LifeModel | None, float | None]:
    from failure_data.catalog import get, keys

    ok, key = convert(value, str, path, p)
    if not ok:
        return None, None
    try:
        entry = get(key)
    except DataError as e:
        p.add(path, key, str(e).replace(f"catalog key {key!r} ", "", 1))
        return None, None
    if entry.life is None:
        lives = [k for k in keys() if get(k).life is not None]
        p.add(path, key, f"this catalog entry has no life model; entries with one: {', '.join(lives)}")
        return None, None
    life = dict(entry.life)
    ref = life.pop("reference_temperature_c", None)
    life["source"] = key
    sub = _Problems()
    model = parse_life(life, path, sub, None)
    if model is None:  # the catalog itself is wrong: tests/test_catalog.py guards this
        for q in sub.items:
            p.add(q.path, q.value, f"catalog entry {key!r}: {q.message}")
        return None, None
    return model, ref


def _shift(model: LifeModel, reference: float | None, raw: Mapping[str, Any], path: str,
           p: _Problems) -> LifeModel | None:
    vals: dict[str, float] = {}
    for key in TEMPERATURE_KEYS:
        if key in raw:
            rng = ACTIVATION_EV if key == "activation_energy_ev" else TEMPERATURE_C
            ok, v = convert(raw[key], float, _join(path, key), p, rng)
            if not ok:
                return None
            vals[key] = v
    if "temperature_c" not in vals:
        for key in vals:
            p.add(_join(path, key), vals[key], "has no effect without temperature_c; remove it "
                  "or give the temperature the component runs at")
        return None if vals else model
    ref = vals.get("reference_temperature_c", reference)
    if ref is None:
        p.add(_join(path, "reference_temperature_c"), _NO_VALUE,
              "missing: give the temperature (°C) the model was fitted or quoted at, so temperature_c "
              "can shift it")
        return None
    ea = vals.get("activation_energy_ev", default_activation_energy())
    return model.at_temperature(ref, vals["temperature_c"], ea)


# ---------------------------------------------------------------------- tables


def _horizon(data: Mapping[str, Any], p: _Problems) -> float | None:
    has_y, has_h = "horizon_years" in data, "horizon_hours" in data
    if has_y and has_h:
        p.add("horizon_years", data["horizon_years"],
              f"give horizon_years or horizon_hours, not both (horizon_hours = "
              f"{show_value(data['horizon_hours'])})")
        return None
    if not (has_y or has_h):
        p.add("horizon_years", _NO_VALUE, "missing; give horizon_years (e.g. 5) or horizon_hours")
        return None
    if has_y:
        ok, years = convert(data["horizon_years"], float, "horizon_years", p, HORIZON_YEARS)
        return years * HOURS_PER_YEAR if ok else None
    ok, hours = convert(data["horizon_hours"], float, "horizon_hours", p,
                        RANGES[(Scenario, "horizon_hours")])
    return hours if ok else None


def _fleet(raw: Any, p: _Problems) -> Fleet | None:
    if raw is None:
        p.add("fleet", _NO_VALUE, "missing; a [fleet] table with switches and ports_per_switch is required")
        return None
    if not _is_table(raw, "fleet", p):
        return None
    return _construct(Fleet, _scalars(Fleet, raw, "fleet", p), "fleet", p, raw)


def _spares(raw: Any, path: str, p: _Problems) -> dict[str, SparePool] | None:
    if not _is_table(raw, path, p, "a table of [policy.spares.NAME] tables"):
        return None
    out: dict[str, SparePool] = {}
    for name, t in raw.items():
        spath = _join(path, name)
        if not _is_table(t, spath, p, "a table with stock and lead_time_days"):
            continue
        values = _scalars(SparePool, t, spath, p, extra=("lead_time_days",))
        if "lead_time_days" in t and "lead_time_hours" in t:
            p.add(_join(spath, "lead_time_days"), t["lead_time_days"],
                  "give lead_time_days or lead_time_hours, not both")
            continue
        if "lead_time_days" in t:
            ok, days = convert(t["lead_time_days"], float, _join(spath, "lead_time_days"), p,
                               LEAD_TIME_DAYS)
            if not ok:
                continue
            values["lead_time_hours"] = days * HOURS_PER_DAY
        elif "lead_time_hours" not in t:
            p.add(_join(spath, "lead_time_days"), _NO_VALUE, "missing; how long a part ordered at a "
                  "failure takes to arrive")
            continue
        pool = _construct(SparePool, values, spath, p, {**t, "lead_time_hours": 0})
        if pool is not None and "stock" in values and "lead_time_hours" in values:
            out[str(name)] = pool
    return out


def _policy(raw: Any, p: _Problems) -> Policy | None:
    from fleet_models.builtins import default_policy

    if raw is None:
        return default_policy()
    if not _is_table(raw, "policy", p):
        return None
    values = _scalars(Policy, raw, "policy", p, handled=("spares",))
    if "spares" in raw:
        spares = _spares(raw["spares"], "policy.spares", p)
        if spares is None:
            return None
        values["spares"] = spares
    return _construct(Policy, values, "policy", p, raw, base=default_policy())


def _costs(raw: Any, p: _Problems) -> Costs | None:
    from fleet_models.builtins import default_costs

    if raw is None:
        return default_costs()
    if not _is_table(raw, "costs", p):
        return None
    return _construct(Costs, _scalars(Costs, raw, "costs", p), "costs", p, raw, base=default_costs())


def _component(raw: Any, path: str, p: _Problems, base_dir: Path | None,
               base: Component | None) -> Component | None:
    if not _is_table(raw, path, p):
        return None
    n_before = len(p.items)
    values = _scalars(Component, raw, path, p, handled=("life", "ports_per_unit"))
    if values.get("name") == SWITCH:
        p.add(_join(path, "name"), SWITCH, 'is reserved (spares named "switch" mean whole switches); '
              "choose another name, e.g. switch-board")
    if "ports_per_unit" in raw:
        v = raw["ports_per_unit"]
        if v == SWITCH:
            values["ports_per_unit"] = None
        elif isinstance(v, int) and not isinstance(v, bool) and v >= 1:
            values["ports_per_unit"] = v
        else:
            p.add(_join(path, "ports_per_unit"), v,
                  'must be an integer >= 1 or "switch" (a failure takes every port down)')
    if "life" in raw:
        life = parse_life(raw["life"], _join(path, "life"), p, base_dir)
        if life is not None:
            values["life"] = life
    if len(p.items) > n_before:
        return None
    comp = _construct(Component, values, path, p, raw, base=base)
    if comp is not None and comp.needed > comp.elements:
        p.add(_join(path, "needed"), comp.needed,
              f"must be <= elements = {comp.elements} (the unit works while at least `needed` of "
              "its `elements` do)")
        return None
    return comp


def _architecture(raw: Any, path: str, p: _Problems,
                  base_dir: Path | None) -> tuple[Architecture, list[tuple[str, Component]]] | None:
    """An architecture, and (path, component) pairs for the cross-checks against the fleet."""
    from fleet_models.builtins import builtin_architectures

    if not _is_table(raw, path, p):
        return None
    n_before = len(p.items)
    base = None
    if "base" in raw:
        archs = builtin_architectures()
        b = raw["base"]
        if isinstance(b, str) and b in archs:
            base = archs[b]
        else:
            p.add(_join(path, "base"), b, f"must be a built-in architecture: {', '.join(archs)}"
                  f"{_suggest(str(b), archs)}")
    values = _scalars(Architecture, raw, path, p, handled=("components",), extra=("base",))
    if "name" not in values and base is not None and "name" not in raw:
        values["name"] = base.name
    comps: list[tuple[str, Component]] = []
    if base is not None:
        comps = [(f"{path}.components[{c.name!r} from base {base.name}]", c) for c in base.components]
    raw_comps = raw.get("components", [])
    if not isinstance(raw_comps, list):
        p.add(_join(path, "components"), raw_comps, "must be an array of [[architectures.components]] tables")
        raw_comps = []
    seen: set[str] = set()
    for j, rc in enumerate(raw_comps):
        cpath = f"{path}.components[{j}]"
        name = rc.get("name") if isinstance(rc, Mapping) else None
        if isinstance(name, str) and name in seen:
            p.add(_join(cpath, "name"), name, "is used twice in this architecture; names must be unique")
            continue
        if isinstance(name, str):
            seen.add(name)
        idx = next((i for i, (_, c) in enumerate(comps) if isinstance(name, str) and c.name == name), None)
        comp = _component(rc, cpath, p, base_dir, comps[idx][1] if idx is not None else None)
        if comp is None:
            continue
        if idx is not None:
            comps[idx] = (cpath, comp)
        else:
            comps.append((cpath, comp))
    if not comps and len(p.items) == n_before:
        p.add(_join(path, "components"), _NO_VALUE,
              "missing; an architecture needs at least one [[architectures.components]] (or a base)")
    if len(p.items) > n_before:
        return None
    arch = _construct(Architecture, {**values, "components": tuple(c for _, c in comps)}, path, p, raw,
                      base=base)
    return (arch, comps) if arch is not None else None


def _architectures(raw: Any, p: _Problems, base_dir: Path | None):
    if raw is None:
        p.add("architectures", _NO_VALUE, "missing; add at least one [[architectures]] table "
              '(e.g. base = "pluggable-dsp")')
        return None
    if not isinstance(raw, list) or not raw:
        p.add("architectures", raw, "must be a non-empty array of [[architectures]] tables")
        return None
    out = []
    names: set[str] = set()
    for i, ra in enumerate(raw):
        res = _architecture(ra, f"architectures[{i}]", p, base_dir)
        if res is None:
            continue
        if res[0].name in names:
            p.add(f"architectures[{i}].name", res[0].name, "is used twice; architecture names must be unique")
            continue
        names.add(res[0].name)
        out.append((i, *res))
    return out


def _cross_checks(fleet: Fleet, archs, policy: Policy, p: _Problems) -> None:
    n = fleet.ports_per_switch
    for _, _, comps in archs:
        for cpath, c in comps:
            if c.ports_per_unit is None:
                continue
            covered = c.per_switch * c.ports_per_unit
            if covered > n:
                p.add(_join(cpath, "per_switch"), c.per_switch,
                      f"per_switch x ports_per_unit = {c.per_switch} x {c.ports_per_unit} = {covered} "
                      f"must be <= fleet.ports_per_switch = {n} (units cover consecutive blocks of "
                      "ports)")
    k = policy.replace_switch_when_ports_down
    if k > n:
        p.add("policy.replace_switch_when_ports_down", k, f"must be in [1, {n}] (fleet.ports_per_switch)")
    names = {c.name for _, arch, _ in archs for c in arch.components}
    swapped = {c.name for _, arch, _ in archs for c in arch.components if c.repair is Repair.SWAP}
    for name in policy.spares:
        if name != SWITCH and name not in names:
            allowed = sorted(names | {SWITCH})
            p.add(f"policy.spares.{name}", _NO_VALUE, f"is not a component of any architecture nor "
                  f"\"switch\"{_suggest(name, allowed)}; allowed: {', '.join(allowed)}")
        elif name != SWITCH and name not in swapped:
            p.add(f"policy.spares.{name}", _NO_VALUE, "is never swapped (every architecture repairs "
                  "it by replacing the switch, which draws on policy.spares.switch); remove the "
                  "table or give the switch pool the stock")


# ---------------------------------------------------------------------- public API


def parse_scenario(data: Mapping[str, Any], base_dir: Path | None = None, *,
                   source: str | None = None) -> Scenario:
    """A parsed TOML (or JSON) document -> validated Scenario; ScenarioError lists every problem.

    ``base_dir`` is where ``life = { model = ... }`` paths are relative to
    (the current directory if None); ``source`` names the document in messages.
    """
    p = _Problems()
    if not isinstance(data, Mapping):
        p.add("(top level)", data, "a scenario must be a table")
        raise p.error(source)
    values = _scalars(Scenario, data, "", p, extra=("horizon_years",),
                      handled=("horizon_hours", "fleet", "architectures", "policy", "costs"))
    horizon = _horizon(data, p)
    fleet = _fleet(data.get("fleet"), p)
    policy = _policy(data.get("policy"), p)
    costs = _costs(data.get("costs"), p)
    archs = _architectures(data.get("architectures"), p, base_dir)
    if fleet is not None and policy is not None and archs is not None:
        _cross_checks(fleet, archs, policy, p)
    scenario = None
    if not p:
        scenario = _construct(Scenario, {
            **values, "horizon_hours": horizon, "fleet": fleet, "policy": policy, "costs": costs,
            "architectures": tuple(a for _, a, _ in archs),
        }, "", p, data)
    if p or scenario is None:
        raise p.error(source)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file; ``model`` paths are relative to its folder."""
    file = Path(path)
    try:
        text = decode_utf8(file.read_bytes())
    except NotText as e:
        where = f" (line {e.line})" if e.line else ""
        raise ScenarioError(f"scenario file {str(file)!r}{where} {e.message}") from None
    except FileNotFoundError:
        raise ScenarioError(f"scenario file {str(file)!r} not found; write a starting one with "
                            f"`cpo scenario init -o {file.name}`") from None
    except OSError as e:
        raise ScenarioError(f"cannot read scenario file {str(file)!r}: {e.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{file}: not valid TOML: {e}") from None
    return parse_scenario(data, base_dir=file.resolve().parent, source=str(file))


# ---------------------------------------------------------------------- back to TOML


def _plain(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items() if x is not None}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def life_to_dict(life: LifeModel) -> dict[str, Any]:
    """A LifeModel in the inline ``distribution`` form; parsing it back gives an equal model."""
    d: dict[str, Any] = {"distribution": life.distribution, **dict(life.parameters)}
    if life.covariance is not None:
        d["covariance"] = [list(r) for r in life.covariance]
    if life.confidence != 0.95:
        d["confidence"] = life.confidence
    prov = dict(life.provenance)
    if set(prov) == {"source"} and isinstance(prov["source"], str) and prov["source"].strip():
        d["source"] = prov["source"]
    elif prov:
        d["provenance"] = _plain(prov)
    return d


def _hours_as(hours: float, per_unit: float) -> float | None:
    """``hours`` in a larger unit if that is a short number converting back exactly, else None."""
    v = hours / per_unit
    return v if v * per_unit == hours and round(v, 6) == v else None


def _obj_to_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(obj, Architecture):  # name and description first: easier to read
        out.update(name=obj.name, description=obj.description)
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        if isinstance(obj, Component) and f.name == "ports_per_unit":
            out[f.name] = SWITCH if v is None else v
        elif isinstance(v, LifeModel):
            out[f.name] = life_to_dict(v)
        elif isinstance(obj, SparePool) and f.name == "lead_time_hours":
            days = _hours_as(v, HOURS_PER_DAY)
            out.update({"lead_time_days": days} if days is not None else {"lead_time_hours": v})
        elif isinstance(obj, Policy) and f.name == "spares":
            out[f.name] = {name: _obj_to_dict(pool) for name, pool in v.items()}
        elif isinstance(v, tuple) and v and dataclasses.is_dataclass(v[0]):
            out[f.name] = [_obj_to_dict(x) for x in v]
        elif dataclasses.is_dataclass(v):
            out[f.name] = _obj_to_dict(v)
        elif v is not None:
            out[f.name] = _plain(v)
    return out


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The fully resolved scenario as plain data (what `scenario_to_toml` writes; JSON-able).

    Every field is present except unset optional ones (TOML has no null).
    ``parse_scenario(scenario_to_dict(s)) == s``.
    """
    d = _obj_to_dict(scenario)
    hours = d.pop("horizon_hours")
    years = _hours_as(hours, HOURS_PER_YEAR)
    head = {"name": d.pop("name")}
    head.update({"horizon_years": years} if years is not None else {"horizon_hours": hours})
    scalars = {k: v for k, v in d.items() if not isinstance(v, dict | list)}
    tables = {k: d[k] for k in ("fleet", "policy", "costs") if k in d}
    rest = {k: v for k, v in d.items() if k not in scalars and k not in tables}
    return {**head, **scalars, **tables, **rest}


def scenario_to_toml(scenario: Scenario, comments: Mapping[str, str] | None = None) -> str:
    """The fully resolved scenario as TOML with every field written.

    ``comments`` maps field paths (``policy.swap_hours``,
    ``architectures[0].components[1].life``) to a comment written after the
    value; by default each value taken from the catalog says
    ``# source: KEY (confidence)`` (`fleet_models.builtins.field_sources`).
    Loading the text back gives an equal Scenario.
    """
    if comments is None:
        from fleet_models.builtins import field_comments

        comments = field_comments(scenario)
    lines = [
        f"# Scenario {scenario.name!r}, fully resolved: every field with its value.",
        "# `# source: KEY (conf)` names the catalog entry a default comes from",
        "# (list them with `cpo scenario catalog`); H/M/L = published, inferred = arithmetic on",
        "# published figures, placeholder = nothing published: vary it.",
        "",
    ]
    _emit_table(lines, "", [], scenario_to_dict(scenario), comments)
    return "\n".join(lines).rstrip() + "\n"


def _emit_table(lines: list[str], header: str, path: list[str], d: Mapping[str, Any],
                comments: Mapping[str, str]) -> None:
    logical = "".join(path)
    for key, v in d.items():
        if isinstance(v, dict) and key != "life" or _is_table_array(v):
            continue
        kpath = f"{logical}.{key}" if logical else key
        c = comments.get(kpath)
        lines.append(f"{_key(key)} = {toml_value(v)}" + (f"  # {_clean(c)}" if c else ""))
    for key in _note_keys(comments, logical, d):
        lines.append(f"# {_clean(key)}: {_clean(comments[f'{logical}.{key}' if logical else key])}")
    for key, v in d.items():
        if isinstance(v, dict) and key != "life":
            sub = f"{header}.{_key(key)}" if header else _key(key)
            if not v or not all(isinstance(x, dict) for x in v.values()):
                lines += ["", f"[{sub}]"]
            _emit_table(lines, sub, [*path, f".{key}" if path else key], v, comments)
    for key, v in d.items():
        if _is_table_array(v):
            sub = f"{header}.{_key(key)}" if header else _key(key)
            for i, item in enumerate(v):
                lines += ["", f"[[{sub}]]"]
                _emit_table(lines, sub, [*path, f".{key}" if path else key, f"[{i}]"], item, comments)


def _clean(text: str) -> str:
    """A comment cannot hold control characters (TOML) or line breaks: escape them."""
    return "".join(c if c == "\t" or (ord(c) >= 0x20 and ord(c) != 0x7F) else repr(c)[1:-1] for c in text)


def _note_keys(comments: Mapping[str, str], logical: str, d: Mapping[str, Any]) -> list[str]:
    """Fields not written (unset optionals) that have a comment: written as comment lines."""
    prefix = f"{logical}." if logical else ""
    out = []
    for path in comments:
        if path.startswith(prefix):
            rest = path[len(prefix):]
            if rest and "." not in rest and "[" not in rest and rest not in d:
                out.append(rest)
    return out


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _key(k: str) -> str:
    return k if k and set(k) <= _BARE else _toml_string(k)


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON escapes are TOML escapes, except DEL, which TOML also forbids raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(v: Any) -> str:
    """One TOML value (inline tables for mappings); floats are written exactly (repr)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, Mapping):
        items = [f"{_key(str(k))} = {toml_value(x)}" for k, x in v.items() if x is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x) for x in v if x is not None) + "]"
    raise ScenarioError(f"cannot write {v!r} ({type(v).__name__}) to TOML")

