"""A Scenario back to plain data and to TOML, every field written, with optional comments.

``parse_scenario(scenario_to_dict(s)) == s`` and ``load(scenario_to_toml(s)) == s``.
Written by hand rather than with tomli-w: the output carries a comment per value
(the catalog source of each default), which tomli-w cannot write.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum
from typing import Any

from failure_data.toml_text import toml_key as _key
from failure_data.toml_text import toml_value as _toml_value
from failure_data.units import HOURS_PER_DAY, HOURS_PER_YEAR, hours_as
from fleet_models.builtins.provenance import field_comments
from fleet_models.errors import ScenarioError
from fleet_models.model.checks import SWITCH
from fleet_models.model.spec import Architecture, Component, Scenario, SparePool, plain_tables
from reliability.models import LifeModel


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
    whole = life.to_dict()
    for key in ("dead_on_arrival", "posterior_draws"):  # a share failing at installation; a posterior
        if whole.get(key) is not None:
            d[key] = whole[key]
    prov = dict(life.provenance)
    if set(prov) == {"source"} and isinstance(prov["source"], str) and prov["source"].strip():
        d["source"] = prov["source"]
    elif prov:
        d["provenance"] = _plain(prov)
    return d


def _obj_to_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(obj, Architecture):  # name and description first: easier to read
        if obj.origin is not None:  # the built-in it came from: loading keeps its sources
            out["base"] = obj.origin
        out.update(name=obj.name, description=obj.description)
    for f in dataclasses.fields(obj):
        if f.metadata.get("provenance"):
            continue  # where the values came from: carried by the base, not written
        v = getattr(obj, f.name)
        if f.name == "tiers" and not v:
            continue  # no fabric of tiers (or not a design): nothing to write
        if isinstance(obj, Architecture) and obj.tiers and f.name in ("switch_price_usd", "switch_power_w"):
            continue  # a design's switches are priced per tier (its tiers tables)
        if isinstance(obj, Component) and f.name == "ports_per_unit":
            out[f.name] = SWITCH if v is None else v
        elif isinstance(v, LifeModel):
            out[f.name] = life_to_dict(v)
        elif isinstance(obj, SparePool) and f.name == "lead_time_hours":
            days = hours_as(v, HOURS_PER_DAY)
            out.update({"lead_time_days": days} if days is not None else {"lead_time_hours": v})
        elif isinstance(v, Mapping) and v and all(dataclasses.is_dataclass(x) for x in v.values()):
            out[f.name] = {name: _obj_to_dict(x) for name, x in v.items()}  # spares, uncertain
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
    years = hours_as(hours, HOURS_PER_YEAR)
    head = {"name": d.pop("name")}
    head.update({"horizon_years": years} if years is not None else {"horizon_hours": hours})
    scalars = {k: v for k, v in d.items() if not isinstance(v, dict | list)}
    tables = {k: d[k] for k in plain_tables() if k in d}
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


def toml_value(v: Any) -> str:
    """One TOML value (``failure_data.toml_text``); what TOML cannot hold is a ScenarioError."""
    return _toml_value(v, ScenarioError)
