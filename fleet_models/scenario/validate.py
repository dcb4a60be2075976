"""The scenario validator's rules across fields, and :func:`validate` for a hand-built Scenario.

Generic over the spec dataclasses (``fleet_models.model.spec``): a table's allowed keys, types
and ranges are read from the fields' declarations (``fleet_models.model.fields``), checked by
``fleet_models.model.checks``. The TOML parser (``fleet_models.scenario.read``) and
:func:`validate`, which checks a hand-built Scenario, share them, so a spec built in a notebook
is held to exactly the rules a file is."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from failure_data.words import FORMULA_STARTS
from fleet_models.errors import ScenarioError
from fleet_models.model.checks import NO_VALUE, SWITCH, Problems, convert, join, suggest
from fleet_models.model.distributions import alternatives, kind, problems
from fleet_models.model.fields import declared
from fleet_models.model.paths import choices_at, set_unchecked
from fleet_models.model.spec import Repair, Scenario
from fleet_models.scenario.inputs import catalog_uncertain
from reliability.models import LifeModel

CROSS_CHECKED = frozenset({"per_switch", "ports_per_unit", "ports_per_switch", "elements", "needed",
                           "replace_switch_when_ports_down", "spare_units", "ntf_fraction",
                           "in_place_fraction", "swap_hours"})
"""The numbers a rule across fields reads (:func:`cross_checks`, and ``needed <= elements`` in
:func:`validate`): a drawn value of one of them may break a rule that each end of its range kept,
so a draw that sets one is validated whole (``fleet_models.runs.draws``)."""


def cross_checks(fleet: Any, policy: Any, components: list[list[tuple[str, Any]]], p: Problems,
                 tiered: bool = False) -> None:
    """Rules across tables: spare units and no-trouble-found shares only with the repair they
    model, unit coverage within a switch (``tiered``: within its tier's, :func:`tier_checks`),
    k within the ports, spare pools that name a swapped component. ``components`` is, per
    architecture, (field path, Component) pairs."""

    n = fleet.ports_per_switch
    for comps in components:
        for cpath, c in comps:
            if c.spare_units and c.repair is not Repair.REPLACE_SWITCH:
                p.add(join(cpath, "spare_units"), c.spare_units,
                      f"spare units (fail in place) are for a unit repaired by replacing the switch "
                      f"(soldered engines), but repair = \"{c.repair.value}\": a swapped unit is "
                      "replaced by a visit anyway; set spare_units = 0 (keep spare parts in "
                      "policy.spares instead) or repair = \"replace-switch\"")
            if c.ntf_fraction and c.repair is not Repair.SWAP:
                p.add(join(cpath, "ntf_fraction"), c.ntf_fraction,
                      f"no trouble found is a share of swapped units, but repair = "
                      f"\"{c.repair.value}\": the unit is never removed on its own; set "
                      "ntf_fraction = 0 or repair = \"swap\"")
            _in_place_checks(cpath, c, p)
            if c.predicted and (c.repair is not Repair.REPLACE_SWITCH or c.spare_units):
                why = (f"repair = \"{c.repair.value}\": a swapped unit is replaced by a visit of "
                       "its own, nothing to plan a switch replacement for; set predicted = false"
                       if c.repair is not Repair.REPLACE_SWITCH else
                       f"spare_units = {c.spare_units}: a failure a spare takes over needs no "
                       "replacement, so predicting it would replace the switch for nothing; set "
                       "predicted = false or spare_units = 0")
                p.add(join(cpath, "predicted"), c.predicted, f"predictive replacement plans a "
                      f"switch replacement before a failure that would replace it, but {why}")
            if c.ports_per_unit is None or tiered:
                continue
            covered = c.per_switch * c.ports_per_unit
            if covered > n:
                p.add(join(cpath, "per_switch"), c.per_switch,
                      f"per_switch x ports_per_unit = {c.per_switch} x {c.ports_per_unit} = {covered} "
                      f"must be <= fleet.ports_per_switch = {n} (units cover consecutive blocks of "
                      "ports)")
    k = policy.replace_switch_when_ports_down
    if k > n:
        p.add("policy.replace_switch_when_ports_down", k, f"must be in [1, {n}] (fleet.ports_per_switch)")
    # a design's TIER:COMPONENT draws on the pool of COMPONENT (each tier its own, of that stock)
    names = {n for comps in components for _, c in comps for n in (c.name, c.name.partition(":")[2]) if n}
    swapped = {n for comps in components for _, c in comps if c.repair is Repair.SWAP
               for n in (c.name, c.name.partition(":")[2]) if n}
    for name in policy.spares:
        if name != SWITCH and name not in names:
            allowed = sorted(names | {SWITCH})
            p.add(f"policy.spares.{name}", NO_VALUE, f"is not a component of any architecture nor "
                  f"\"switch\"{suggest(name, allowed)}; allowed: {', '.join(allowed)}")
        elif name != SWITCH and name not in swapped:
            p.add(f"policy.spares.{name}", NO_VALUE, "is never swapped (every architecture repairs "
                  "it by replacing the switch, which draws on policy.spares.switch); remove the "
                  "table or give the switch pool the stock")


def tier_checks(scenario: Scenario, p: Problems) -> None:
    """A fabric of tiers and its designs: tier names unique (no ':'), the GPU-facing tier keeps
    down-links, the top tier has no up-links, each layer's links counted alike from both ends
    (switches x uplinks below = switches x down-links above), the fleet is the first tier; with
    tiers every architecture is a design naming exactly the fabric's tiers, each of its
    components on one of them (TIER:COMPONENT) within that tier's ports; without tiers none is."""
    tiers = scenario.fabric.tiers
    names = [t.name for t in tiers]
    for i, t in enumerate(tiers):
        tpath = f"fabric.tiers[{i}]"
        if not t.name or ":" in t.name:
            p.add(join(tpath, "name"), t.name, "must be a non-empty name without ':' (components "
                  "of a design are named TIER:COMPONENT)")
        if names.count(t.name) > 1 and names.index(t.name) == i:
            p.add(join(tpath, "name"), t.name, "is used twice; tier names must be unique")
        if t.uplinks >= t.ports_per_switch:
            p.add(join(tpath, "uplinks"), t.uplinks, f"must be < ports_per_switch = "
                  f"{t.ports_per_switch}: the others face the tier below (the GPUs at the first tier)")
        if i == len(tiers) - 1 and t.uplinks:
            p.add(join(tpath, "uplinks"), t.uplinks, "must be 0 at the top tier (no tier above it "
                  "to wire to); add the tier above or set uplinks = 0")
        if i and t.uplinks < t.ports_per_switch:
            below = tiers[i - 1]
            if below.switches * below.uplinks != t.switches * t.downlinks():
                p.add(join(tpath, "switches"), t.switches, f"{below.name}'s up-links "
                      f"({below.switches} x {below.uplinks} = {below.switches * below.uplinks}) must "
                      f"equal {t.name}'s down-links ({t.switches} x {t.downlinks()} = "
                      f"{t.switches * t.downlinks()}): every link has an end in each tier")
    if tiers and (scenario.fleet.switches, scenario.fleet.ports_per_switch) != (
            tiers[0].switches, tiers[0].ports_per_switch):
        p.add("fleet", NO_VALUE, f"with [[fabric.tiers]] the fleet is the first tier "
              f"({tiers[0].switches} switches of {tiers[0].ports_per_switch} ports); leave [fleet] "
              "out or make it that")
    for i, arch in enumerate(scenario.architectures):
        apath = f"architectures[{i}]"
        if not tiers:
            if arch.tiers:
                p.add(join(apath, "tiers"), NO_VALUE, "a design names an architecture per tier of a "
                      "fabric of tiers, but the scenario has no [[fabric.tiers]]; add them or remove "
                      "tiers")
            continue
        if sorted(arch.tiers) != sorted(names):
            p.add(join(apath, "tiers"), sorted(arch.tiers), f"with [[fabric.tiers]] every architecture "
                  f"is a design naming an architecture for each tier: {', '.join(names)}")
            continue
        for j, c in enumerate(arch.components):
            tier, sep, _ = c.name.partition(":")
            cpath = f"{apath}.components[{j}]"
            if not sep or tier not in names:
                p.add(join(cpath, "name"), c.name, f"a design's component is named TIER:COMPONENT "
                      f"with TIER one of {', '.join(names)}")
                continue
            t = tiers[names.index(tier)]
            if c.ports_per_unit is not None and c.per_switch * c.ports_per_unit > t.ports_per_switch:
                p.add(join(cpath, "per_switch"), c.per_switch, f"per_switch x ports_per_unit = "
                      f"{c.per_switch * c.ports_per_unit} must be <= {tier}'s {t.ports_per_switch} ports")


def _in_place_checks(cpath: str, c: Any, p: Problems) -> None:
    """A share cleared in place only where the rest replaces the switch, on one element with a
    constant rate (the split of its events is then exact); a swap's own hands-on time only on a
    swapped unit."""
    if c.in_place_fraction:
        why = None
        if c.repair is not Repair.REPLACE_SWITCH:
            why = (f"is the share of a replace-switch unit's events cleared without replacing the "
                   f"switch, but repair = \"{c.repair.value}\": a swapped unit's share cleared "
                   "without a part is ntf_fraction; set in_place_fraction = 0")
        elif c.elements != 1:
            why = (f"needs a unit of one element (elements = {c.elements}): the share of an "
                   "element's events is not modelled; set in_place_fraction = 0 or elements = 1")
        elif c.life.family.name != "exponential" or c.life.dead_on_arrival:
            what = "has a dead-on-arrival share" if c.life.dead_on_arrival else f"is {c.life.family.name}"
            why = (f"needs a constant-rate life (this one {what}): the split of "
                   "its events into two streams is exact only then; give the events cleared in "
                   "place as a constant rate, or set in_place_fraction = 0")
        if why:
            p.add(join(cpath, "in_place_fraction"), c.in_place_fraction, why)
    if c.swap_hours is not None and c.repair is not Repair.SWAP:
        p.add(join(cpath, "swap_hours"), c.swap_hours,
              f"is the hands-on time of a swap, but repair = \"{c.repair.value}\" (the unit is "
              "never swapped; its switch replacement takes policy.switch_replacement_hours): "
              "remove it")


def validate(scenario: Any, *, inputs: bool = True) -> Any:
    """Check a Scenario built by hand (or changed with ``dataclasses.replace``) by exactly the
    rules a scenario file is held to; returns it, or raises ScenarioError listing every problem.

    ``fleet_models.runs.runner.run`` calls it once per run; the engine then trusts the scenario.
    """

    p = Problems()
    if not isinstance(scenario, Scenario):
        p.add("(top level)", NO_VALUE, f"must be a fleet_models.model.spec.Scenario, not {type(scenario).__name__}")
        raise p.error(None)
    _check_fields(scenario, "", p)
    if not scenario.architectures:
        p.add("architectures", NO_VALUE, "the scenario has no architectures; add at least one")
    components: list[list[tuple[str, Any]]] = []
    arch_names: set[str] = set()
    for i, arch in enumerate(scenario.architectures):
        apath = f"architectures[{i}]"
        if arch.name in arch_names:
            p.add(join(apath, "name"), arch.name, "is used twice; architecture names must be unique")
        arch_names.add(arch.name)
        _check_name(arch.name, join(apath, "name"), "architecture", p)
        if not arch.components:
            p.add(join(apath, "components"), NO_VALUE, "an architecture needs at least one component")
        seen: set[str] = set()
        comps = []
        for j, c in enumerate(arch.components):
            cpath = f"{apath}.components[{j}]"
            if c.name in seen:
                p.add(join(cpath, "name"), c.name, "is used twice in this architecture; names must be unique")
            seen.add(c.name)
            _check_name(c.name, join(cpath, "name"), "component", p)
            if c.name == SWITCH:
                p.add(join(cpath, "name"), c.name, 'is reserved (spares named "switch" mean whole '
                      "switches); choose another name, e.g. switch-board")
            if isinstance(c.needed, int) and isinstance(c.elements, int) and c.needed > c.elements:
                p.add(join(cpath, "needed"), c.needed, f"must be <= elements = {c.elements} (the unit "
                      "works while at least `needed` of its `elements` do)")
            comps.append((cpath, c))
        components.append(comps)
    tier_checks(scenario, p)
    if not p:
        cross_checks(scenario.fleet, scenario.policy, components, p, bool(scenario.fabric.tiers))
    if not p and inputs:  # the uncertain inputs' ends (off when checking one of those ends)

        check(scenario, p)
    if p:
        raise p.error(None)
    return scenario


def _check_name(name: Any, path: str, what: str, p: Problems) -> None:
    """A name shows in every output (tables, JSON, the CSVs a spreadsheet opens, the report): one
    a spreadsheet would run as a formula is refused with the fix (a blank one is the field's own
    check's)."""
    if not isinstance(name, str) or not name.strip():
        return
    if name.startswith(FORMULA_STARTS):
        p.add(path, name, f"starts with {name[0]!r}, which a spreadsheet opening the CSV outputs "
              f"(cpo sweep --out, replications.csv) would run as a formula; rename the {what} so it "
              "starts with a letter or a digit")


def _check_fields(obj: Any, path: str, p: Problems) -> None:
    """Every declared scalar field of a spec object: type and range, recursing into sub-tables."""

    for name, d in declared(type(obj)).items():
        v = getattr(obj, name)
        fpath = join(path, name)
        if isinstance(v, LifeModel):
            continue  # validated when it was built
        if dataclasses.is_dataclass(v):
            _check_fields(v, fpath, p)
        elif isinstance(v, tuple) and d.setting.table:
            for i, x in enumerate(v):
                if dataclasses.is_dataclass(x):
                    _check_fields(x, join(fpath, i), p)
                else:
                    p.add(join(fpath, i), x, "must be a spec object")
        elif isinstance(v, Mapping) and d.setting.table:
            for key, x in v.items():
                if dataclasses.is_dataclass(x):
                    _check_fields(x, join(fpath, str(key)), p)
                else:
                    p.add(join(fpath, str(key)), x, "must be a SparePool")
        elif d.type is not LifeModel:
            convert(v, d.type, fpath, p, d.range)
        else:
            p.add(fpath, v, "must be a reliability.models.LifeModel")


def check(scenario: Scenario, p: Any) -> None:
    """Problems of the scenario's uncertain inputs, added to ``p`` (a validate.Problems): a form
    that is no distribution, a path that names no number, an end outside the field's range; and
    ``uncertainty = true`` with nothing uncertain."""

    for path, u in scenario.uncertain.items():
        upath = f"uncertain.{path}"
        bad = problems(u)
        for msg in bad:
            p.add(upath, NO_VALUE, msg)
        if bad:
            continue
        try:
            choices = choices_at(scenario, path)
        except ScenarioError as e:
            p.add(upath, NO_VALUE, str(e))
            continue
        if (choices is None) != (kind(u) != "choice"):
            p.add(upath, NO_VALUE, f"{path} is a choice of {', '.join(repr(c) for c in choices)}: "
                  "give { choice = [...], weights = [...] }" if choices is not None else
                  f"{path} is a number: a choice is for a field with a finite set of values; give "
                  "a range, e.g. { low = A, high = B }")
            continue
        for x in alternatives(u):
            try:
                validate(set_unchecked(scenario, {path: x}, round_whole=True), inputs=False)
            except ScenarioError as e:
                why = str(e).splitlines()[-1].split(": ", 1)[-1]
                what = "value of the choice" if choices is not None else "end of the range"
                p.add(upath, x, f"this {what} is not a valid {path}: {why}; "
                      + ("choose among the field's values" if choices is not None else "narrow the range"))
                break
    if scenario.uncertainty and not scenario.uncertain and not any(
            c.life.uncertain for a in scenario.architectures for c in a.components
    ) and not catalog_uncertain(scenario):
        p.add("uncertainty", True, "nothing in this scenario is uncertain (no [uncertain] inputs, no "
              "value citing a catalog entry with a published range, no life model with a covariance), "
              "so uncertainty = true would change nothing; declare inputs, "
              'e.g. [uncertain."costs.gpu_hour_usd"] with low = 2 and high = 4, or set uncertainty = false')
