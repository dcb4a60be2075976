"""A scenario's uncertain inputs, their draws per replication, and the catalog's default ranges.

A scenario's ``uncertain`` table maps field paths (:mod:`fleet_models.model.paths`) to
:class:`fleet_models.model.spec.Uncertain` distributions (their maths:
:mod:`fleet_models.model.distributions`). With ``uncertainty = true`` replication i draws each
input from its own stream, keyed by the seed, i and the input's ``source`` (a catalog key) or
path: the same draw for every architecture (common random numbers), and inputs citing the same
catalog key move together. A scenario that declares no inputs (the built-ins) takes the
published ranges of the catalog entries its values cite (:func:`catalog_uncertain`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from failure_data.catalog import default_catalog
from fleet_models.builtins.provenance import field_sources
from fleet_models.errors import ScenarioError
from fleet_models.model.distributions import central, kind, ppf, stream_key, uniforms
from fleet_models.model.fields import declared
from fleet_models.model.paths import READING, get_value
from fleet_models.model.spec import Scenario, Uncertain, plain_tables


def inputs(scenario: Scenario) -> dict[str, Uncertain]:
    """The scenario's uncertain inputs: its ``uncertain`` table, else the published ranges of the
    catalog entries its values cite (:func:`catalog_uncertain`: the built-ins' default ranges)."""
    return dict(scenario.uncertain) if scenario.uncertain else catalog_uncertain(scenario)


def draws(scenario: Scenario, replication: int, seed: int,
          table: Mapping[str, Uncertain] | None = None) -> dict[str, float | str]:
    """Path -> the value replication ``replication`` draws for every input of ``table`` (default:
    :func:`inputs`): a number, or the value of a choice."""
    table = inputs(scenario) if table is None else table
    keys = sorted({stream_key(p, u) for p, u in table.items()})
    q = uniforms(seed, replication, keys)
    out: dict[str, float | str] = {}
    for p, u in table.items():
        x = float(ppf(u, q[stream_key(p, u)]))
        out[p] = u.choice[int(x)] if kind(u) == "choice" else x
    return out


def catalog_uncertain(scenario: Scenario, catalog: Any = None) -> dict[str, Uncertain]:
    """The published ranges of the catalog entries the scenario's values cite: for every value
    equal to its entry's (``field_sources``) whose entry has a low and a high, a uniform over the
    range scaled to the value (value x low / entry value ... value x high / entry value), with
    the key as ``source`` so every value citing it is drawn together."""

    cat = catalog or default_catalog()
    out: dict[str, Uncertain] = {}
    # the predictor's numbers move nothing where no component is predicted: not inputs there
    predicting = any(c.predicted for a in scenario.architectures for c in a.components)
    for path, keys in field_sources(scenario, cat).items():
        if path.startswith("policy.predict_") and not predicting:
            continue
        for key in (k.strip() for k in keys.split(",")):
            e = cat.get(key)
            if e.low is None or e.high is None or not e.value or e.low >= e.high:
                continue
            p = _life_path(scenario, path, e.value) if path.endswith(".life") else path
            if p is None:
                continue
            try:
                v = get_value(scenario, p)
            except ScenarioError:  # a structural field (a count, a repair kind)
                continue
            # v x (end / value): exactly v where an end is the value (swap-time's 5 min is both), so
            # a tornado's run at that end is the central run, not a re-simulation
            out[_named(p, scenario)] = Uncertain(low=v * (e.low / e.value), high=v * (e.high / e.value),
                                                 source=key)
    out.update(weighted_choices(scenario, cat))
    return out


def weighted_choices(scenario: Scenario, catalog: Any = None) -> dict[str, Uncertain]:
    """The choice fields whose declaration names a catalog entry weighing their values
    (``Setting.weights``: items ``weight-<value>``), as discrete inputs, while they hold the
    most likely value (another is the user's, as a number changed from its source cites
    nothing); the reading of per-device rates only where the scenario holds one (elsewhere it
    changes nothing)."""
    cat = catalog or default_catalog()
    per_device = any("devices_per_unit" in c.life.provenance
                     for a in scenario.architectures for c in a.components)
    out: dict[str, Uncertain] = {}
    tables = [("", Scenario), *((name, type(getattr(scenario, name))) for name in plain_tables())]
    for prefix, cls in tables:
        for name, d in declared(cls).items():
            key = d.setting.weights
            if not key or (name == READING and not prefix and not per_device):
                continue
            values = tuple(m.value for m in d.type)
            u = Uncertain(choice=values, weights=tuple(cat.value(key, f"weight-{v}") for v in values),
                          source=key)
            obj = getattr(scenario, prefix) if prefix else scenario
            if getattr(obj, name).value == central(u):  # a value of its own is the user's, as a number's
                out[f"{prefix}.{name}" if prefix else name] = u
    return out


def _life_path(scenario: Scenario, path: str, value: float) -> str | None:
    """The number of a life that a catalog entry gives: a constant rate's ``fit_per_1e9h``, or the
    parameter equal to the entry's value (``laser-sigma`` is a lognormal's ``sigma``); else None."""

    life_of = path + ".fit_per_1e9h"
    try:
        get_value(scenario, life_of)
        return life_of
    except Exception:  # not a constant rate: look for the parameter the entry is
        pass
    import re

    m = re.match(r"^architectures\[(\d+)\]\.components\[(\d+)\]\.life$", path)
    if not m:
        return None
    life = scenario.architectures[int(m.group(1))].components[int(m.group(2))].life
    hits = [k for k, x in life.parameters.items() if math.isclose(x, value, rel_tol=1e-12)]
    return f"{path}.{hits[0]}" if len(hits) == 1 else None


def _named(path: str, scenario: Scenario) -> str:
    """``architectures[2].components[1].x`` -> ``architectures.NAME.components.NAME.x``, each name
    a path can spell (no dot, no bracket, no blank around it); another keeps its index."""
    import re

    def arch(m: re.Match[str]) -> str:
        name = scenario.architectures[int(m.group(1))].name
        return f"architectures.{name}" if _spellable(name) else m.group(0)

    out = re.sub(r"^architectures\[(\d+)\]", arch, path)
    m = re.match(r"^architectures(?:\.([^.\[\]]+)|\[(\d+)\])\.components\[(\d+)\]", out)
    if m:
        a = (next(a for a in scenario.architectures if a.name == m.group(1)) if m.group(1) is not None
             else scenario.architectures[int(m.group(2))])
        name = a.components[int(m.group(3))].name
        if _spellable(name):
            out = out.replace(f"components[{m.group(3)}]", f"components.{name}", 1)
    return out


def _spellable(name: str) -> bool:
    """Whether a field path can name ``name`` (``fleet_models.model.paths``: a token holds no dot or
    bracket)."""
    import re

    return bool(re.fullmatch(r"[^.\[\]]+", name)) and name == name.strip()
