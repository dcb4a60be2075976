"""The scenario format documented field by field, and the commented starter file `cpo scenario init` writes.

`FIELD_DOCS` is the single description of every key (meaning, unit, allowed
range); the starter file is generated from it with the defaults filled in from
`fleet_models.builtins`, and any spec field without documentation yet is still
written (with its default), so the starter always shows every field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fleet_models.scenario import (
    HORIZON_YEARS,
    LEAD_TIME_DAYS,
    RANGES,
    Range,
    table_fields,
    toml_value,
)
from fleet_models.spec import Architecture, Component, Costs, Fleet, Policy, Scenario, SparePool


@dataclass(frozen=True)
class FieldDoc:
    table: str  # "", "fleet", "policy", "policy.spares.NAME", "costs", "architectures", "architectures.components"
    key: str
    meaning: str
    unit: str = ""
    allowed: str = ""  # filled from RANGES when empty and a range is known


def _r(cls: type, key: str) -> str:
    rng = RANGES.get((cls, key))
    return rng.text().removeprefix("must be ") if rng else ""


def _rt(rng: Range) -> str:
    return rng.text().removeprefix("must be ")


FIELD_DOCS: tuple[FieldDoc, ...] = (
    FieldDoc("", "name", "name of the scenario, shown in reports", "", "a non-empty string"),
    FieldDoc("", "horizon_years", "simulated time (give this or horizon_hours)", "years", _rt(HORIZON_YEARS)),
    FieldDoc("", "horizon_hours", "simulated time, instead of horizon_years", "h",
             _r(Scenario, "horizon_hours")),
    FieldDoc("", "replications", "Monte Carlo replications", "", _r(Scenario, "replications")),
    FieldDoc("", "seed", "random seed: replication i uses child i of numpy SeedSequence(seed)", "",
             _r(Scenario, "seed")),
    FieldDoc("", "uncertainty", "draw each life model's parameters per replication from its covariance",
             "", "true or false"),
    FieldDoc("fleet", "switches", "switches in the fleet", "", _r(Fleet, "switches")),
    FieldDoc("fleet", "ports_per_switch", "ports per switch", "", _r(Fleet, "ports_per_switch")),
    FieldDoc("fleet", "port_gbps", "speed of one port", "Gb/s", _r(Fleet, "port_gbps")),
    FieldDoc("policy", "detection_hours", "time from a failure to its repair order", "h",
             _r(Policy, "detection_hours")),
    FieldDoc("policy", "technicians", "technicians shared by the fleet, first come first served "
             "(0 = unlimited)", "", _r(Policy, "technicians")),
    FieldDoc("policy", "swap_hours", "hands-on time of a swap (pluggable module, ELS)", "h",
             _r(Policy, "swap_hours")),
    FieldDoc("policy", "switch_replacement_hours", "hands-on time to drain, replace, re-fibre and test "
             "a switch; all its ports are down meanwhile", "h", _r(Policy, "switch_replacement_hours")),
    FieldDoc("policy", "replace_switch_when_ports_down", "k: a switch whose failures need a "
             "replacement runs degraded until k ports are down (1 = at once; a \"switch\"-wide failure "
             "always triggers)", "ports", "[1, ports_per_switch]"),
    FieldDoc("policy", "maintenance_window_days", "deferred replacements wait for the next window "
             "unless k is reached (absent = no windows)", "days", _r(Policy, "maintenance_window_days")),
    FieldDoc("policy", "hands_on", "hands-on time exactly the hours above, or exponential with that mean",
             "", '"fixed" or "exponential"'),
    FieldDoc("policy.spares.NAME", "stock", "spares on hand at the start (base stock); NAME is a "
             "component name or \"switch\"; a kind without a table has unlimited spares", "parts",
             _r(SparePool, "stock")),
    FieldDoc("policy.spares.NAME", "lead_time_days", "every failure needing a part orders one; it "
             "arrives after this (or lead_time_hours)", "days", _rt(LEAD_TIME_DAYS)),
    FieldDoc("costs", "electricity_usd_per_kwh", "electricity price", "USD/kWh",
             _r(Costs, "electricity_usd_per_kwh")),
    FieldDoc("costs", "pue", "power usage effectiveness", "", _r(Costs, "pue")),
    FieldDoc("costs", "discount_rate", "annual discount rate", "1/yr", _r(Costs, "discount_rate")),
    FieldDoc("costs", "technician_usd_per_hour", "technician cost", "USD/h",
             _r(Costs, "technician_usd_per_hour")),
    FieldDoc("costs", "gpu_hour_usd", "price of a GPU-hour", "USD", _r(Costs, "gpu_hour_usd")),
    FieldDoc("costs", "gpus_per_port", "GPUs whose traffic one port carries", "", _r(Costs, "gpus_per_port")),
    FieldDoc("costs", "job_gpus", "GPUs of the training job an unplanned outage interrupts", "",
             _r(Costs, "job_gpus")),
    FieldDoc("costs", "checkpoint_interval_hours", "checkpoint interval (an interruption loses half of "
             "it on average)", "h", _r(Costs, "checkpoint_interval_hours")),
    FieldDoc("costs", "restart_hours", "time to restart the job after an interruption", "h",
             _r(Costs, "restart_hours")),
    FieldDoc("architectures", "base", "a built-in architecture to start from: pluggable-dsp, lpo, "
             "cpo-internal-laser, cpo-els", "", "a built-in name"),
    FieldDoc("architectures", "name", "architecture name, unique (default: the base's name)", "",
             "a non-empty string"),
    FieldDoc("architectures", "description", "one line for reports", "", "a string"),
    FieldDoc("architectures", "switch_price_usd", "price of one switch without its optics", "USD",
             _r(Architecture, "switch_price_usd")),
    FieldDoc("architectures", "switch_power_w", "power of one switch without its optics", "W",
             _r(Architecture, "switch_power_w")),
    FieldDoc("architectures.components", "name", "component name, unique in its architecture; with a "
             "base, a name of the base overrides that component field by field, a new name adds one",
             "", 'a string other than "switch"'),
    FieldDoc("architectures.components", "per_switch", "units of this kind per switch", "",
             _r(Component, "per_switch")),
    FieldDoc("architectures.components", "ports_per_unit", "ports one unit's failure takes down; unit i "
             "covers ports [i*n, (i+1)*n); \"switch\" = every port", "ports",
             '[1, ports_per_switch] or "switch"; per_switch x ports_per_unit <= ports_per_switch'),
    FieldDoc("architectures.components", "life", "life of one unit (one element with redundancy): "
             "inline distribution, fit_per_1e9h, model file or catalog key; optional temperature_c",
             "h", "see the life forms"),
    FieldDoc("architectures.components", "repair", "\"swap\" this unit alone, or \"replace-switch\"",
             "", '"swap" or "replace-switch"'),
    FieldDoc("architectures.components", "elements", "redundancy: elements in one unit", "",
             _r(Component, "elements")),
    FieldDoc("architectures.components", "needed", "the unit works while at least this many elements do",
             "", "[1, elements]"),
    FieldDoc("architectures.components", "price_usd", "price of one unit", "USD", _r(Component, "price_usd")),
    FieldDoc("architectures.components", "power_w", "power of one unit", "W", _r(Component, "power_w")),
    FieldDoc("architectures.components", "source", "catalog key(s) or reference the numbers came from",
             "", "a string"),
)

# table name -> spec class whose fields the table takes
TABLES: dict[str, type] = {
    "": Scenario, "fleet": Fleet, "policy": Policy, "policy.spares.NAME": SparePool, "costs": Costs,
    "architectures": Architecture, "architectures.components": Component,
}
# spec fields written under another key, or as their own table
_NOT_KEYS = {(Scenario, "fleet"), (Scenario, "architectures"), (Scenario, "policy"), (Scenario, "costs"),
             (Policy, "spares"), (Architecture, "components"), (SparePool, "lead_time_hours")}

LIFE_DOCS: tuple[tuple[str, str], ...] = (
    ('{ distribution = "weibull", shape = 1.2, scale = 3e6 }',
     "a distribution with its parameters in hours: weibull (shape, scale), lognormal (mu, sigma), "
     "exponential (scale), loglogistic (shape, scale), gengamma (mu, ln_sigma, lambda_); optional "
     "covariance, confidence, source, provenance"),
    ("{ fit_per_1e9h = 50 }", "a constant failure rate in FIT (failures per 1e9 device-hours)"),
    ('{ model = "laser.json" }', "a saved fit (path relative to the scenario file), written by "
     "`cpo fit FILE --save laser.json`"),
    ('{ catalog = "dfb-fit" }', "a catalog entry's life model (`cpo scenario catalog` lists them)"),
    ("{ ..., temperature_c = 85 }", "any form: shift the model to this temperature (Arrhenius) from "
     "reference_temperature_c (the catalog entry's or the saved model's if it has one), with "
     "activation_energy_ev (default 0.52 eV, catalog key laser-ea)"),
)


def documented_keys(cls: type) -> list[str]:
    """The TOML keys of a table: documented ones first, then any spec field added since."""
    table = next(t for t, c in TABLES.items() if c is cls)
    docs = [d.key for d in FIELD_DOCS if d.table == table]
    fields = [f for f in table_fields(cls) if (cls, f) not in _NOT_KEYS]
    return docs + [f for f in fields if f not in docs]


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
    from failure_data.catalog import get
    from fleet_models.builtins import _cost_defaults, _policy_defaults, default_scenario

    base = default_scenario()
    cites = {**{f"policy.{k}": key for k, (_, key) in _policy_defaults().items()},
             **{f"costs.{k}": key for k, (_, key) in _cost_defaults().items()}}

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

    for table, obj in (("policy", base.policy), ("costs", base.costs)):
        out += ["", f"[{table}]"]
        for key in documented_keys(type(obj)):
            v = getattr(obj, key)
            shown = "..." if v is None else toml_value(v.value if hasattr(v, "value") else v)
            out.append(f"# {key} = {shown}  # {_comment(_doc(table, key), cite(f'{table}.{key}'))}")
        if table == "policy":
            sw = base.policy.spares["switch"]
            out += [
                "",
                "# Spare pools, one table per kind (a component name or \"switch\"):",
                "[policy.spares.switch]",
                f"stock = {sw.stock}  # {_comment(_doc('policy.spares.NAME', 'stock'), get('switch-spares').cite())}",
                f"lead_time_days = {toml_value(sw.lead_time_hours / 24)}  # "
                f"{_comment(_doc('policy.spares.NAME', 'lead_time_days'), get('switch-lead-days').cite())}",
            ]
            for key in documented_keys(SparePool):
                if key not in ("stock", "lead_time_days", "lead_time_hours"):
                    out.append(f"# {key} = ...  # {_comment(_doc('policy.spares.NAME', key))}")

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
    return "\n".join(out) + "\n"


def markdown_table() -> str:
    """The field table of the README (field, meaning, unit, default, allowed range)."""
    from fleet_models.builtins import default_costs, default_policy

    catalog = {"policy": default_policy(), "costs": default_costs()}
    special = {("", "horizon_years"): "one of the two is required",
               ("", "horizon_hours"): "one of the two is required",
               ("architectures", "base"): "none", ("architectures", "name"): "the base's name",
               ("policy.spares.NAME", "lead_time_days"): "required"}
    rows = ["| field | meaning | unit | default | allowed |", "|---|---|---|---|---|"]
    for d in FIELD_DOCS:
        cls = TABLES[d.table]
        default = special.get((d.table, d.key), "–")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if (d.table, d.key) not in special and d.key in fields:
            f = fields[d.key]
            if d.table in catalog:
                v = getattr(catalog[d.table], d.key)
            elif f.default is not dataclasses.MISSING:
                v = f.default
            else:
                v = "required"
            default = ("absent" if v is None else v if v == "required"
                       else toml_value(v.value if hasattr(v, "value") else v))
        field = f"{d.table}.{d.key}" if d.table else d.key
        rows.append(f"| `{field}` | {d.meaning} | {d.unit} | {default} | {d.allowed} |")
    return "\n".join(rows)
