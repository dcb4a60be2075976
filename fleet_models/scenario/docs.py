"""The scenario format documented field by field, all derived from the spec's declarations.

`FIELD_DOCS` lists every TOML key with its meaning, unit and allowed values, read
from the fields' declarations in ``fleet_models.model.spec`` (``fleet_models.model.fields``):
the commented starter file `cpo scenario init` writes, the README's field table
(:func:`markdown_table`, checked by a test) and the JSON Schema editors use to
complete and check TOML (:func:`json_schema`) all come from it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from failure_data.catalog import default_catalog, get
from fleet_models.builtins.provenance import field_sources
from fleet_models.builtins.scenarios import (
    builtin_architectures,
    builtin_scenarios,
    default_scenario,
)
from fleet_models.model.fields import Declared, Setting, declared, is_optional, resolved
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
    plain_tables,
)
from fleet_models.scenario.write import toml_value
from reliability.families import FAMILIES


@dataclass(frozen=True)
class FieldDoc:
    table: str  # "", "fleet", "policy", "policy.spares.NAME", "costs", "architectures", "architectures.components"
    key: str
    meaning: str
    unit: str = ""
    allowed: str = ""


# table name -> spec class whose fields the table takes
TABLES: dict[str, type] = {
    "": Scenario, "fleet": Fleet, "policy": Policy, "policy.spares.NAME": SparePool, "costs": Costs,
    "workload": Workload, "fabric": Fabric, "fabric.tiers": Tier, "support": Support,
    "uncertain.PATH": Uncertain, "architectures": Architecture,
    "architectures.tiers.TIER": TierSwitch, "architectures.components": Component,
}


def _keys(cls: type) -> list[tuple[str, Setting, Declared | None]]:
    """(TOML key, its declaration, the field it is) for every key of a table, aliases before
    the field they set, the TOML-only ``base`` first; sub-tables are not keys."""
    out: list[tuple[str, Setting, Declared | None]] = []
    if cls is Architecture:
        out.append(("base", Architecture.BASE, None))
    aliases = {a.field: a for a in getattr(cls, "ALIASES", ())}
    for name, d in declared(cls).items():
        if d.setting.table and not (cls is Architecture and name == "tiers"):  # a key, or tables
            continue
        if name in aliases:
            out.append((aliases[name].key, aliases[name].setting, None))
        out.append((name, d.setting, d))
    return out


def _field_docs() -> tuple[FieldDoc, ...]:
    return tuple(FieldDoc(table, key, s.doc, s.unit, s.allowed_text(d.type if d else None))
                 for table, cls in TABLES.items() for key, s, d in _keys(cls))


FIELD_DOCS: tuple[FieldDoc, ...] = _field_docs()


def documented_keys(cls: type) -> list[str]:
    """The TOML keys of a table, in declaration order."""
    return [key for key, _, _ in _keys(cls)]


LIFE_DOCS: tuple[tuple[str, str], ...] = (
    ('{ distribution = "weibull", shape = 1.2, scale = 3e6 }',
     "a distribution with its parameters in hours: "
     + ", ".join(f"{name} ({', '.join(fam.params)})" for name, fam in FAMILIES.items())
     + "; optional covariance, confidence, dead_on_arrival (a share of new units failing at "
     "installation, or { share, dead, installed }), source, provenance"),
    ("{ fit_per_1e9h = 50 }", "a constant failure rate in FIT (failures per 1e9 device-hours)"),
    ('{ model = "laser.json" }', "a saved fit (path relative to the scenario file), written by "
     "`cpo fit FILE --save laser.json`"),
    ('{ catalog = "dfb-fit" }', "a catalog entry's life model (`cpo scenario catalog` lists them)"),
    ("{ ..., temperature_c = 85 }", "any form: shift the model to this temperature (Arrhenius) from "
     "reference_temperature_c (the catalog entry's or the saved model's if it has one), with "
     "activation_energy_ev (default: catalog key laser-ea)"),
)


def _doc(table: str, key: str) -> FieldDoc:
    for d in FIELD_DOCS:
        if d.table == table and d.key == key:
            return d
    return FieldDoc(table, key, "(not documented yet)")


def _comment(d: FieldDoc, source: str | None = None) -> str:
    bits = [d.meaning]
    if d.unit:
        bits.append(d.unit)
    if d.allowed:
        bits.append(d.allowed)
    if source:
        bits.append(f"source: {source}")
    return "; ".join(bits)


def starter_toml() -> str:
    """A commented scenario file documenting every field; it loads as a valid scenario."""

    base = default_scenario()
    cites = {f"{table}.{name}": d.setting.source.key for table in plain_tables()
             for name, d in declared(type(getattr(base, table))).items() if d.setting.source is not None}

    def cite(path: str) -> str | None:
        return get(cites[path]).cite() if path in cites else None

    out = [
        "# cpo-analyzer scenario. Check it with `cpo scenario show THIS_FILE` (prints it fully",
        "# resolved, with the catalog source of every default); run it with `cpo simulate THIS_FILE`.",
        "# Lines starting with `# key =` show a default: uncomment to change it. Each comment says",
        "# what the field means; its unit; the allowed range.",
        "",
        f"name = {toml_value('my-fabric')}  # {_comment(_doc('', 'name'))}",
        f"horizon_years = 5  # {_comment(_doc('', 'horizon_years'))}",
        f"# horizon_hours = 43830.0  # {_comment(_doc('', 'horizon_hours'))}",
    ]
    for key in documented_keys(Scenario):
        if key in ("name", "horizon_years", "horizon_hours"):
            continue
        out.append(f"{key} = {toml_value(getattr(base, key))}  # {_comment(_doc('', key))}")

    out += ["", "[fleet]"]
    for key in documented_keys(Fleet):
        out.append(f"{key} = {toml_value(getattr(base.fleet, key))}  # {_comment(_doc('fleet', key))}")

    for table, obj in ((t, getattr(base, t)) for t in plain_tables() if t != "fleet"):
        out += ["", f"[{table}]"]
        for key in documented_keys(type(obj)):
            v = resolved(obj, key) if key in declared(type(obj)) else getattr(obj, key)
            shown = "..." if v is None else toml_value(v.value if hasattr(v, "value") else v)
            out.append(f"# {key} = {shown}  # {_comment(_doc(table, key), cite(f'{table}.{key}'))}")
        if table == "policy":
            sw = base.policy.spares["switch"]
            out += [
                "",
                "# Spare pools, one table per kind (a component name or \"switch\"):",
                "[policy.spares.switch]",
                f"stock = {sw.stock}  # {_comment(_doc('policy.spares.NAME', 'stock'), get('switch-spares').cite())}",
                f"lead_time_hours = {toml_value(sw.lead_time_hours)}  # "
                f"{_comment(_doc('policy.spares.NAME', 'lead_time_hours'), get('adv-repl').cite())}",
            ]
            for key in documented_keys(SparePool):
                if key not in ("stock", "lead_time_hours"):
                    out.append(f"# {key} = ...  # {_comment(_doc('policy.spares.NAME', key))}")

    out += ["", "# Uncertain inputs, by field path (as `cpo sweep --vary` names them): drawn once per",
            "# replication with uncertainty = true (the same draw for every architecture), moved to",
            "# their ends by `cpo tornado`. A number may also be written as a range in place, e.g.",
            "# switch_replacement_hours = { low = 4, high = 16 } under [policy].",
            '# [uncertain."policy.switch_replacement_hours"]']
    example_u = {"low": "4.0", "high": "16.0"}
    for key in documented_keys(Uncertain):
        out.append(f"# {key} = {example_u.get(key, '...')}  # {_comment(_doc('uncertain.PATH', key))}")

    out += ["", "# Architectures: each is simulated on the same fleet, policy and seed.",
            "# The four built-ins as they are:"]
    for name in ("pluggable-dsp", "lpo", "cpo-internal-laser"):
        out += ["", "[[architectures]]", f'base = "{name}"']
    arch_keys = [k for k in documented_keys(Architecture) if k not in ("base", "name")]
    out += [
        "",
        "# A built-in with changes: fields override the base, components are matched by name.",
        "[[architectures]]",
        f"base = \"cpo-els\"  # {_comment(_doc('architectures', 'base'))}",
        f"name = \"cpo-els-hot\"  # {_comment(_doc('architectures', 'name'))}",
        *[f"# {k} = ...  # {_comment(_doc('architectures', k))}" for k in arch_keys],
        "",
        "[[architectures.components]]",
        'name = "els"  # overrides the base\'s ELS: only the fields given change',
        'life = { catalog = "dfb-fit", temperature_c = 55.0 }  # the catalog laser (quoted at 70 °C) '
        "run at 55 °C",
        "",
        "# Life forms (any one, plus optional temperature_c):",
        *[f"#   life = {form}\n#     {text}" for form, text in LIFE_DOCS],
        "",
        "# A component every field of which is set (add it to an architecture as above):",
        "#   [[architectures.components]]",
    ]
    example = {"name": '"spare-fan-tray"', "per_switch": "2", "ports_per_unit": '"switch"',
               "life": '{ distribution = "weibull", shape = 1.5, scale = 500000.0 }',
               "repair": '"swap"', "elements": "2", "needed": "1", "price_usd": "300.0",
               "power_w": "20.0", "source": '"my lab"'}
    for key in documented_keys(Component):
        out.append(f"#   {key} = {example.get(key, '...')}  # {_comment(_doc('architectures.components', key))}")
    tier_example = {"name": '"leaf"', "switches": "128", "ports_per_switch": "128", "uplinks": "64"}
    out += ["", "# A fabric of tiers instead of a fleet of GPU-facing leaves (leave [fleet] out: it is the",
            "# first tier), then every architecture is a design naming an architecture per tier:",
            "#   [[fabric.tiers]]",
            *[f"#   {k} = {tier_example.get(k, '...')}  # {_comment(_doc('fabric.tiers', k))}"
              for k in documented_keys(Tier)],
            '#   [[fabric.tiers]]  # name = "spine", switches = 64, ports_per_switch = 128, uplinks = 0',
            "#   [[architectures]]",
            '#   name = "cpo-spine"',
            f"#   tiers = {{ leaf = \"pluggable-dsp\", spine = \"cpo-els\" }}  # "
            f"{_comment(_doc('architectures', 'tiers'))}",
            "#   # or per tier a table, to set its switch price or power:",
            "#   [architectures.tiers.spine]"]
    ts_example = {"architecture": '"cpo-els"', "switch_price_usd": "250000.0", "switch_power_w": "900.0"}
    out += [f"#   {k} = {ts_example.get(k, '...')}  # {_comment(_doc('architectures.tiers.TIER', k))}"
            for k in documented_keys(TierSwitch)]
    return "\n".join(out) + "\n"


def _default_text(table: str, key: str, d: Declared | None) -> str:
    """A field's default as the README shows it: a literal, a catalog value with its key, or why none."""
    special = {("", "horizon_years"): "one of the two is required",
               ("", "horizon_hours"): "one of the two is required",
               ("architectures", "base"): "none", ("architectures", "name"): "the base's name",
               ("policy.spares.NAME", "lead_time_days"): "one of the two is required",
               ("policy.spares.NAME", "lead_time_hours"): "one of the two is required"}
    if (table, key) in special or d is None:
        return special.get((table, key), "–")
    if d.setting.source is not None:
        return f"{toml_value(_plain(d.setting.source.value()))} (`{d.setting.source.key}`)"
    if d.required:
        return "required"
    if d.default is dataclasses.MISSING or d.default is None:
        return "absent"
    return toml_value(_plain(d.default))


def _plain(v: Any) -> Any:
    return v.value if hasattr(v, "value") else v


def markdown_table() -> str:
    """The field table of the README (field, meaning, unit, default with its catalog key, allowed)."""
    rows = ["| field | meaning | unit | default | allowed |", "|---|---|---|---|---|"]
    for table, cls in TABLES.items():
        for key, s, d in _keys(cls):
            field = f"{table}.{key}" if table else key
            rows.append(f"| `{field}` | {s.doc} | {s.unit} | {_default_text(table, key, d)} | "
                        f"{s.allowed_text(d.type if d else None)} |")
    return "\n".join(rows)


# ---------------------------------------------------------------------- JSON Schema

_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _property(s: Setting, d: Declared | None) -> dict[str, Any]:
    from enum import Enum

    out: dict[str, Any] = {"description": s.doc + (f" ({s.unit})" if s.unit else "")}
    tp = d.type if d is not None else float
    if d is not None and is_optional(tp):
        tp = next(a for a in tp.__args__ if a is not type(None))
    if d is not None and d.name == "ports_per_unit":
        out["anyOf"] = [{"type": "integer", "minimum": 1}, {"const": "switch"}]
    elif d is not None and d.name == "life":
        out["type"] = "object"
        out["description"] += "; one of: " + "; ".join(form for form, _ in LIFE_DOCS[:4])
    elif isinstance(tp, type) and issubclass(tp, Enum):
        out["enum"] = [m.value for m in tp]
    elif tp in _JSON_TYPES:
        out["type"] = _JSON_TYPES[tp]
        if s.range is not None:
            out.update(s.range.json_schema())
    if d is not None and d.name == "name":
        out["minLength"] = 1
    if d is not None:
        if d.setting.source is not None:
            out["default"] = _plain(d.setting.source.value())
        elif not d.required and d.default is not dataclasses.MISSING and d.default is not None:
            out["default"] = _plain(d.default)
    return out


def _object(cls: type, required: list[str], **tables: dict[str, Any]) -> dict[str, Any]:
    props = {key: _property(s, d) for key, s, d in _keys(cls)}
    if cls is Architecture:

        props["base"] = {"description": Architecture.BASE.doc, "enum": list(builtin_architectures())}
    props.update(tables)
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = required
    return out


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the scenario file, for editors that complete and check TOML
    (Taplo / Even Better TOML: ``#:schema ./cpo-scenario.schema.json`` on the first line).

    Types, ranges, enums, defaults and descriptions come from the declarations; rules across
    fields (per_switch x ports_per_unit <= ports_per_switch, ...) are the validator's alone.
    """
    spare = _object(SparePool, ["stock"])
    spare["oneOf"] = [{"required": ["lead_time_days"]}, {"required": ["lead_time_hours"]}]
    component = _object(Component, ["name"])
    arch = _object(Architecture, [], components={
        "type": "array", "items": component,
        "description": declared(Architecture)["components"].setting.doc}, tiers={
        "type": "object", "description": declared(Architecture)["tiers"].setting.doc,
        "additionalProperties": {"anyOf": [{"type": "string", "minLength": 1},
                                           _object(TierSwitch, ["architecture"])]}})
    arch["anyOf"] = [{"required": ["base"]}, {"required": ["name", "components"]},
                     {"required": ["name", "tiers"]}]
    doc = _object(
        Scenario, ["name", "architectures"],  # [fleet]: or the first of [[fabric.tiers]]
        fleet=_object(Fleet, ["switches", "ports_per_switch"]),
        policy=_object(Policy, [], spares={"type": "object", "additionalProperties": spare,
                                           "description": declared(Policy)["spares"].setting.doc}),
        costs=_object(Costs, []),
        workload=_object(Workload, []),
        fabric=_object(Fabric, [], tiers={
            "type": "array", "minItems": 1, "items": _object(Tier, ["name", "switches", "ports_per_switch"]),
            "description": declared(Fabric)["tiers"].setting.doc}),
        support=_object(Support, []),
        uncertain={"type": "object", "additionalProperties": _object(Uncertain, []),
                   "description": declared(Scenario)["uncertain"].setting.doc},
        architectures={"type": "array", "minItems": 1, "items": arch,
                       "description": declared(Scenario)["architectures"].setting.doc},
    )
    doc["oneOf"] = [{"required": ["horizon_years"]}, {"required": ["horizon_hours"]}]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "cpo-analyzer scenario", **doc}


# ---------------------------------------------------------------------- where the defaults come from


def default_keys(catalog: Any = None) -> list[str]:
    """Every catalog key a built-in scenario's default cites, in catalog order."""

    c = catalog or default_catalog()
    cited: set[str] = set()
    for scenario in builtin_scenarios(c).values():
        for keys in field_sources(scenario, c).values():
            cited.update(k.strip() for k in keys.split(","))
        for arch in scenario.architectures:
            for comp in arch.components:
                cited.update(k.strip() for k in (comp.source or "").split(",") if k.strip() in c)
    for cls in TABLES.values():
        cited.update(d.setting.source.key for d in declared(cls).values() if d.setting.source is not None)
    cited.add("switch-replacement-hours")  # Policy.switch_replacement_hours: the sum of two cited terms
    todo = list(cited)
    while todo:  # and what they are computed from
        for d in c[todo.pop()].derived_from:
            if d not in cited:
                cited.add(d)
                todo.append(d)
    return [k for k in c if k in cited]


def defaults_markdown_table() -> str:
    """The README's "Where the defaults come from" table: one row per catalog key a built-in
    default cites, with the figure, the value used, its unit, source, kind and confidence."""

    c = default_catalog()
    rows = ["| key | figure | value used | unit | source | kind | conf |", "|---|---|---|---|---|---|---|"]
    for key in default_keys(c):
        e = c[key]
        source = e.source if e.source and e.source != str(e.kind) else (
            "from " + ", ".join(f"`{d}`" for d in e.derived_from) if e.derived_from else "none published")
        cells = [f"`{key}`", e.parameter, _used(e), e.unit, source, str(e.kind),
                 e.confidence_text or str(e.confidence)]
        rows.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(rows)


def _used(e: Any) -> str:
    if e.value is not None:
        return f"{e.value:,.6g}"
    return "; ".join(f"{k} {f.best:,.6g}" for k, f in e.items.items() if f.best is not None)


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").replace("**", "").split())
