"""Total cost of ownership per replication: a post-process of a run's ledgers, no re-simulation.

Every cash flow is discounted at the time it occurs with the continuous equivalent of the
annual rate r (``costs.discount_rate``): a flow at t hours is worth
``exp(-ln(1 + r) t / 8766)`` of one at t = 0.

Every cost below is linear in the prices, so a replication's dated ledger reduces exactly to
per-kind sums of its events' discount factors (and of hours x factor): :func:`reduce_ledger`,
made where the replication ran, so a run of any number of replications keeps ~20 numbers per
replication instead of its events (``fleet_models.model.ledger.LedgerSums``). Prices stay a
post-process; the discount rate is the one cost input the sums hold.

- capex (t = 0): switches x (switch price + every unit's price x count, the count being
  per_switch + spare_units: spare units are bought with the switch), plus the initial
  spares: a spare switch carries the full per-switch bill, a component spare its unit price,
  unless the pool sets ``unit_price_usd``.
- energy: (switch power + every unit's power x the same count: spare units are powered, hot
  standby) x pue x electricity price, a constant flow over the horizon (discounted exactly:
  integral of exp(-delta t)).
- maintenance, at each event's time: a swap costs its hands-on hours x the technician rate and
  one service event, and after the support period (``[support]``) its part too, except a
  no-trouble-found swap (``EventKind.NTF_SWAP``: the removed unit goes back to stock; an event
  cleared in place is one); a switch replacement costs labour and one service event, and after
  the support period what it replaces (:func:`replaced_bill`: the switch and its units that do
  not move to the new chassis, spare units included; modules and ELS move with their age), the
  whole of it bought new (``after = "buy"``) or ``depot_fraction`` of it (``"depot"``). Within
  the period the vendor's advance replacement supplies the hardware.
- support: the fee, ``fee_fraction`` x the switch bill per switch-year of the fleet within the
  support period, a constant flow discounted like energy.
- downtime, at the GPU-hour price: the GPU-hours the jobs lost to down ports as the ``[fabric]``
  says (the engine's ``Ledger.lost_by_month``, discounted at each month's midpoint): with
  single homing a stalled job's GPUs until its ports are back or ``exclude_hours`` pass, then the
  GPUs behind its still-down ports until the repair; with dual homing its GPUs x
  ``degraded_slowdown`` while a port of it is down. Plus, at its time, each job interruption
  (single homing: a stall) the GPUs of the job it hit x (checkpoint interval / 2 + restart)
  GPU-hours, the rollback and the one restart of that stall (the stall itself does not count the
  restart), and with single homing each job a planned replacement drains its GPUs x restart
  GPU-hours (a drain is a checkpoint and a restart; dual-homed jobs ride through a drain,
  slowed). The engines record each job's GPUs with its interruption or drain (``Ledger.gpus``):
  jobs of different sizes (the last takes the remainder) are each charged their own.
- ``gpu_hours_lost`` (undiscounted) and ``goodput`` = 1 - lost / (the fleet's GPUs x horizon),
  the share of the fleet's GPU-hours not lost to faults (GPUs: ``fleet_models.engines.fabric``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from failure_data.units import HOURS_PER_YEAR
from fleet_models.engines.fabric import fleet_gpus
from fleet_models.engines.tiers import TieredLedger, design_gpus, is_design, views
from fleet_models.model.ledger import MONTH_HOURS, EventKind, Ledger, LedgerSums, Sum
from fleet_models.model.metrics import COST, COST_PARTS
from fleet_models.model.spec import AfterSupport, Architecture, Component, Homing, Repair, Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported by tco_frame: a replication's reduce_ledger needs no pandas

    from fleet_models.runs.draws import Draws

PARTS = tuple(m.name for m in COST_PARTS)
COLUMNS = ("replication", "architecture", *(m.name for m in COST))


def discount_rate_per_hour(annual: float) -> float:
    """delta with exp(-delta t) the discount factor of a flow at t hours: ln(1 + r) / 8766."""
    return math.log1p(annual) / HOURS_PER_YEAR


def discount(t: np.ndarray | float, delta: float):
    return np.exp(-delta * np.asarray(t, dtype=float))


def units_per_switch(c: Component) -> int:
    """Units of a component one switch holds: ``per_switch`` plus its spare units (fail in place)."""
    return c.per_switch + c.spare_units


def switch_bill(arch: Architecture) -> float:
    """Price of one switch with every unit it holds, spare units included."""
    return arch.switch_price_usd + sum(c.price_usd * units_per_switch(c) for c in arch.components)


def switch_power_w(arch: Architecture) -> float:
    """Power of one switch with every unit it holds (spare units are hot: powered)."""
    return arch.switch_power_w + sum(c.power_w * units_per_switch(c) for c in arch.components)


def capex(scenario: Scenario, arch: Architecture) -> float:
    """Switches and their units, plus the initial spare stock of the pools this architecture uses."""
    out = scenario.fleet.switches * switch_bill(arch)
    spares = scenario.policy.spares

    def price(pool, default: float) -> float:
        return default if pool.unit_price_usd is None else pool.unit_price_usd

    if "switch" in spares and any(c.repair is Repair.REPLACE_SWITCH for c in arch.components):
        out += spares["switch"].stock * price(spares["switch"], switch_bill(arch))
    for c in arch.components:
        if c.repair is Repair.SWAP and c.name in spares:
            out += spares[c.name].stock * price(spares[c.name], c.price_usd)
    return out


def energy(scenario: Scenario, arch: Architecture) -> float:
    """Discounted electricity of the whole fleet over the horizon (powered throughout)."""
    c = scenario.costs
    rate = scenario.fleet.switches * switch_power_w(arch) / 1000.0 * c.pue * c.electricity_usd_per_kwh
    h = scenario.horizon_hours
    delta = discount_rate_per_hour(c.discount_rate)
    return rate * (h if delta == 0 else -math.expm1(-delta * h) / delta)


def support_end(scenario: Scenario) -> float:
    """When the scenario's support period ends, hours (inf: after the horizon)."""
    end = scenario.support.end_hours()
    return end if end < scenario.horizon_hours else math.inf


def reduce_ledger(ledger: Ledger, components: int, discount_rate: float, horizon_hours: float,
                  bought_after: float = math.inf) -> LedgerSums:
    """The sums of ``ledger`` :func:`replication_tco` prices (see :class:`LedgerSums`), with the
    discount factors of ``discount_rate`` (annual) over ``horizon_hours``; ``components``: how
    many the architecture has (``ledger.component`` indexes them, -1 for none). Hardware replaced
    from ``bought_after`` hours on (the support period's end, :func:`support_end`) is paid for."""
    delta = discount_rate_per_hour(discount_rate)
    d = discount(ledger.time, delta)
    kind = ledger.kind
    paid = ledger.time >= bought_after
    # per kind of event: the sum of d, of d x hours, and the count (one pass each)
    n = len(EventKind.NAMES)
    by_d = np.bincount(kind, weights=d, minlength=n)
    by_dh = np.bincount(kind, weights=d * ledger.hours, minlength=n)
    by_dg = np.bincount(kind, weights=d * ledger.gpus, minlength=n)  # jobs' events: their GPUs
    by_g = np.bincount(kind, weights=ledger.gpus, minlength=n)
    # the swaps' d per component (component -1, none, falls in the dropped first bin)
    parts = np.bincount(ledger.component + 1, weights=np.where((kind == EventKind.SWAP) & paid, d, 0.0),
                        minlength=components + 1)[1:]
    months = ledger.lost_by_month
    mid = (np.arange(months.size) + 0.5) * MONTH_HOURS
    if months.size:
        mid[-1] = min(mid[-1], 0.5 * ((months.size - 1) * MONTH_HOURS + horizon_hours))
    swap, ntf, interrupt, drain = (EventKind.SWAP, EventKind.NTF_SWAP, EventKind.INTERRUPTION,
                                   EventKind.DRAIN)
    unplanned, planned = EventKind.UNPLANNED_REPLACEMENT, EventKind.PLANNED_REPLACEMENT
    sums = np.zeros(Sum.SIZE)
    sums[Sum.SWAP_D], sums[Sum.SWAP_DH] = by_d[swap], by_dh[swap]
    sums[Sum.NTF_D], sums[Sum.NTF_DH] = by_d[ntf], by_dh[ntf]
    sums[Sum.REPLACEMENT_D] = by_d[unplanned] + by_d[planned]
    sums[Sum.REPLACEMENT_DH] = by_dh[unplanned] + by_dh[planned]
    sums[Sum.DRAIN_GD], sums[Sum.DRAIN_G] = by_dg[drain], by_g[drain]
    sums[Sum.INTERRUPTION_GD], sums[Sum.INTERRUPTION_G] = by_dg[interrupt], by_g[interrupt]
    sums[Sum.LOST_D], sums[Sum.LOST_N] = np.sum(months * discount(mid, delta)), months.sum()
    replaced = (kind == unplanned) | (kind == planned)
    sums[Sum.BOUGHT_D] = float(np.sum(d[replaced & paid]))
    return LedgerSums(float(discount_rate), parts, sums, float(bought_after))


def replaced_bill(arch: Architecture) -> float:
    """What replacing a switch of ``arch`` buys: the switch with every unit that does not move to
    the new chassis (spare units included); units that move with their age
    (``moves_on_replacement``: pluggable modules, ELS) are not bought again."""
    return arch.switch_price_usd + sum(c.price_usd * units_per_switch(c) for c in arch.components
                                       if not (c.repair is Repair.SWAP and c.moves_on_replacement))


def support_fee(scenario: Scenario, arch: Architecture) -> float:
    """The support fee of the fleet's switches over the support period (within the horizon),
    a constant flow, discounted: fee_fraction x the switch bill a switch-year."""
    s = scenario.support
    rate = scenario.fleet.switches * s.fee_fraction * switch_bill(arch) / HOURS_PER_YEAR  # per hour
    h = min(s.end_hours(), scenario.horizon_hours)
    delta = discount_rate_per_hour(scenario.costs.discount_rate)
    return rate * (h if delta == 0 else -math.expm1(-delta * h) / delta)


def replication_tco(scenario: Scenario, arch: Architecture,
                    ledger: Ledger | LedgerSums | TieredLedger) -> dict[str, float]:
    """The cost parts of one replication of ``arch``, USD discounted, with GPU-hours lost. A
    dated ``Ledger`` is reduced first (:func:`reduce_ledger`); ``LedgerSums`` must have been
    made at the scenario's discount rate."""
    if is_design(arch):  # a fabric of tiers: each tier priced as a fleet of its own
        return _design_tco(scenario, arch, ledger)
    c, w = scenario.costs, scenario.workload
    end = support_end(scenario)
    if isinstance(ledger, Ledger):
        ledger = reduce_ledger(ledger, len(arch.components), c.discount_rate, scenario.horizon_hours,
                               end)
    elif ledger.discount_rate != c.discount_rate or ledger.support_end != end:
        from fleet_models.errors import FleetError

        made, asked = [], []
        if ledger.discount_rate != c.discount_rate:
            made.append(f"a discount rate of {ledger.discount_rate:g}")
            asked.append(f"{c.discount_rate:g}")
        if ledger.support_end != end:
            made.append(f"a support period ending at {ledger.support_end:g} h")
            asked.append(f"one ending at {end:g} h")
        raise FleetError(f"these replications were reduced at {' and '.join(made)} and cannot be "
                         f"priced at {' and '.join(asked)}; run them again with that")
    s = ledger.sums
    prices = np.array([comp.price_usd for comp in arch.components])
    sup = scenario.support
    # after the support period a replaced switch is bought new or repaired at a depot
    new_switch = replaced_bill(arch) * (1.0 if sup.after is AfterSupport.BUY else sup.depot_fraction)
    tech, service = c.technician_usd_per_hour, c.service_event_usd
    maintenance = float(
        np.dot(prices, ledger.parts) + tech * s[Sum.SWAP_DH] + service * s[Sum.SWAP_D]
        + tech * s[Sum.NTF_DH] + service * s[Sum.NTF_D]
        + new_switch * s[Sum.BOUGHT_D] + service * s[Sum.REPLACEMENT_D] + tech * s[Sum.REPLACEMENT_DH])
    # per GPU of the job hit: an interruption rolls back to its checkpoint (half an interval on
    # average) and restarts; a drain (a planned replacement) restarts single-homed jobs, while
    # dual-homed ones run on, slowed (in the months' GPU-hours)
    per_interrupt = w.checkpoint_interval_hours / 2.0 + w.restart_hours
    per_drain = w.restart_hours if scenario.fabric.homing is Homing.SINGLE else 0.0
    downtime = c.gpu_hour_usd * float(
        s[Sum.LOST_D] + per_interrupt * s[Sum.INTERRUPTION_GD] + per_drain * s[Sum.DRAIN_GD])
    lost = float(s[Sum.LOST_N] + per_interrupt * s[Sum.INTERRUPTION_G] + per_drain * s[Sum.DRAIN_G])
    fleet_gpu_hours = fleet_gpus(scenario, arch) * scenario.horizon_hours
    parts = {"capex": capex(scenario, arch), "energy": energy(scenario, arch),
             "maintenance": maintenance, "support": support_fee(scenario, arch), "downtime": downtime}
    return {**parts, "tco_usd": sum(parts.values()), "gpu_hours_lost": lost,
            "goodput": 1.0 - lost / fleet_gpu_hours if fleet_gpu_hours > 0 else math.nan}


def _design_tco(scenario: Scenario, design: Architecture, ledger: TieredLedger) -> dict[str, float]:
    """A design's cost parts: the sum of its tiers' (each a fleet of its own switches, spares
    and jobs; the first tier's downtime holds the GPU-hours the fabric's lost links cost), its
    goodput over the fabric's GPUs."""
    out = dict.fromkeys((*PARTS, "gpu_hours_lost"), 0.0)
    for v, part in zip(views(scenario, design), ledger.parts, strict=True):
        tier = replication_tco(v.scenario, v.architecture, part)
        for k in out:
            out[k] += tier[k]
    lost = out.pop("gpu_hours_lost")
    gpu_hours = design_gpus(scenario, design) * scenario.horizon_hours
    return {**out, "tco_usd": sum(out[k] for k in PARTS), "gpu_hours_lost": lost,
            "goodput": 1.0 - lost / gpu_hours if gpu_hours > 0 else math.nan}


def tco_frame(scenario: Scenario, ledgers: dict[tuple[int, str], Ledger | LedgerSums],
              draws: Draws | None = None) -> pd.DataFrame:
    """One row per (replication, architecture): the cost parts, total, GPU-hours lost, goodput.
    With ``draws`` (a run's per-replication numbers: uncertain inputs, overrides) replication i is
    priced with the scenario of its own draws."""
    import pandas as pd

    order = {a.name: i for i, a in enumerate(scenario.architectures)}
    rows = []
    for (i, name), led in sorted(ledgers.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        sc = scenario if draws is None else draws.scenario(scenario, i)
        arch = next(a for a in sc.architectures if a.name == name)
        rows.append({"replication": i, "architecture": name, **replication_tco(sc, arch, led)})
    return pd.DataFrame(rows, columns=list(COLUMNS))
