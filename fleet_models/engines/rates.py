"""What a scenario's lives say before any simulation: events per port-year and what they need.

Per architecture and component, over the scenario's horizon: the unit's events a port sees a
year (renewal theory: M(H) / H per element, M the renewal function of the element's life, 1 /
mean for a constant rate; a unit of n elements has n; a switch-wide unit is shared by the
switch's ports), and how each is cleared: swapped without a part (no trouble found), swapped for
a part, cleared in place (a replace-switch unit's in_place_fraction), or by replacing the switch.
Repair times and the switch's spare units (fail in place) are left out: this is the rate of the
events, the engines say what they cost. ``cpo scenario show`` prints it per architecture; a test
holds the built-in pairs' ratio of event rates to their source (meta-mtbf-cmp).
"""

from __future__ import annotations

import pandas as pd

from failure_data.units import HOURS_PER_YEAR
from fleet_models.engines.theory import renewal_function
from fleet_models.model.spec import Component, Repair, Scenario


def _events_per_unit_year(c: Component, horizon: float) -> float:
    life = c.life
    per_element = (1.0 / life.mean() if life.distribution == "exponential" and not life.dead_on_arrival
                   else renewal_function(life, horizon, steps=400) / horizon)
    return per_element * c.elements * HOURS_PER_YEAR


def event_rates(scenario: Scenario) -> pd.DataFrame:
    """One row per architecture and component: ``events`` per port-year and, of them, the
    rates ``no_part`` (a swap that found no trouble), ``part`` (a swap that bought one),
    ``in_place`` (cleared without replacing the switch) and ``replace_switch``."""
    rows = []
    ports = scenario.fleet.ports_per_switch
    for arch in scenario.architectures:
        for c in arch.components:
            events = _events_per_unit_year(c, scenario.horizon_hours) * c.per_switch / ports
            swap = c.repair is Repair.SWAP
            cleared = c.ntf_fraction if swap else c.in_place_fraction
            rows.append({"architecture": arch.name, "component": c.name, "repair": c.repair.value,
                         "events": events,
                         "no_part": events * cleared if swap else 0.0,
                         "part": events * (1 - cleared) if swap else 0.0,
                         "in_place": 0.0 if swap else events * cleared,
                         "replace_switch": 0.0 if swap else events * (1 - cleared)})
    return pd.DataFrame(rows)


def architecture_rates(scenario: Scenario) -> pd.DataFrame:
    """Per architecture: ``events`` per port-year, ``hardware`` (the events that replace a part
    or the switch), ``replace_switch``, and the share of events that replace the switch."""
    frame = event_rates(scenario)
    out = frame.groupby("architecture", sort=False)[["events", "part", "replace_switch"]].sum()
    out["hardware"] = out.pop("part") + out["replace_switch"]
    out["replace_switch_share"] = out["replace_switch"] / out["events"]
    return out[["events", "hardware", "replace_switch", "replace_switch_share"]].reset_index()
