"""The metrics of a fleet run, declared once: name, unit, meaning, where they come from.

The engine fills the ``ENGINE`` metrics per replication, ``fleet_models.runs.tco`` the ``COST``
ones from the ledgers; results, their JSON document, the tables and the README's metric table
(:func:`markdown_table`, checked by a test) all read this list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    doc: str
    per_component: bool = False  # one column per component kind: failures_<component>

    def column(self, component: str | None = None) -> str:
        return f"{self.name}_{component}" if self.per_component else self.name


ENGINE: tuple[Metric, ...] = (
    Metric("port_availability", "", "up port-hours / (ports × horizon); replacement downtime, planned "
           "or not, counts as down"),
    Metric("failures", "", "element failures of that kind within the horizon (JSON: "
           "`failures: {COMPONENT: ...}`)", per_component=True),
    Metric("swaps", "", "swap repairs started"),
    Metric("switch_replacements", "", "switch replacements started"),
    Metric("port_down_hours", "port-h", "port-hours down"),
    Metric("unplanned_outages", "", "failure events that took at least one port down when they happened"),
    Metric("degraded_switch_hours", "switch-h", "switch-hours spent holding failed units awaiting "
           "replacement (until it starts)"),
    Metric("technician_hours", "h", "hands-on hours of swaps and replacements"),
    Metric("spare_waits", "", "part demands (swaps, switch replacements) that found no part on hand"),
    Metric("job_interruptions", "", "training-job interruptions (single homing: stalls), as above"),
)

COST_PARTS: tuple[Metric, ...] = (
    Metric("capex", "USD", "switches, their units and the initial spares, at t = 0"),
    Metric("energy", "USD", "electricity of the fleet over the horizon, discounted"),
    Metric("maintenance", "USD", "labour and service events of swaps and replacements, and the "
           "hardware bought after the support period ([support]), discounted"),
    Metric("support", "USD", "the support fee of the fleet's switches over the support period, "
           "discounted"),
    Metric("downtime", "USD", "GPU-hours lost to down ports as the [fabric] says (stalled, excluded or "
           "slowed jobs), to interruptions' rollback and restart and to drains, discounted"),
)
COST: tuple[Metric, ...] = (
    *COST_PARTS,
    Metric("tco_usd", "USD", "total cost of ownership: capex + energy + maintenance + support + downtime"),
    Metric("gpu_hours_lost", "GPU-h", "GPU-hours lost (undiscounted)"),
    Metric("goodput", "", "share of the fleet's GPU-hours not lost to optics and switch faults"),
)

COMPARED: tuple[str, ...] = (
    "port_availability", "unplanned_outages", "switch_replacements", "technician_hours",
    "job_interruptions", "gpu_hours_lost", "goodput", "tco_usd", *(m.name for m in COST_PARTS))
"""The metrics `cpo compare` prints a row of (a test holds its table to exactly these): what a
decision (`cpo sweep --metric`, `cpo breakeven --metric`) may be asked about."""

HIGHER_IS_BETTER = frozenset({"port_availability", "goodput"})
"""The compared metrics of which more is better; of every other one less is."""

BY_NAME: dict[str, str] = {"tco": "tco_usd", "availability": "port_availability",
                           **{m: m for m in COMPARED if m not in ("tco_usd", "port_availability")}}
"""A decision's metric as the CLI names it (``--metric``) -> its column: every compared metric,
the TCO and the availability by their short names."""

COMMON = tuple(m.name for m in ENGINE if not m.per_component and m.name != "port_availability")
"""The engine metrics after the per-component failures, in output order."""


def failure_column(component: str) -> str:
    """Column of the failure count of one component kind."""
    return next(m for m in ENGINE if m.per_component).column(component)


def engine_columns(components: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The engine's metric columns for these component kinds, in output order."""
    out: list[str] = []
    for m in ENGINE:
        out += [m.column(c) for c in components] if m.per_component else [m.name]
    return tuple(out)


def markdown_table() -> str:
    """The README's metric table."""
    rows = ["| metric | unit | definition |", "|---|---|---|"]
    for m in (*ENGINE, *COST):
        name = f"{m.name}_<component>" if m.per_component else m.name
        rows.append(f"| `{name}` | {m.unit} | {m.doc} |")
    return "\n".join(rows)
