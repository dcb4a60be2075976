"""A fabric of tiers (``[[fabric.tiers]]``): a design runs as one plan per tier, and what the
tiers do together is rebuilt from their ledgers.

A design is an architecture whose ``tiers`` name the architecture of each tier's switches; its
components are those architectures', named ``TIER:COMPONENT`` (and the GPU side's NIC modules,
``TIER:host-module``, on the first tier). Tier t runs as a fleet of its own switches
(:func:`views`): its components under their own names (so spare pools and prices read as they
do outside tiers), its streams keyed ``TIER:COMPONENT`` (common random numbers between designs
that put the same architecture in a tier, none between tiers), its own technicians and spare
pools (the policy's, per tier).

What a down element does:

- the first tier's ports below its up-links face the GPUs: a down port (or its NIC-side module)
  stalls, slows or drains its job as ``[fabric]`` homing says, exactly as outside tiers;
- every other port ends a fabric link (a leaf's up-links, a spine's ports): it stalls nothing.
  The links between tier t and t + 1 number ``switches_t x uplinks_t``; a link is lost while a
  port at either end is down (the two ends counted apart: an overlap is counted twice). While
  a share l of a layer's links is lost, the jobs lose nothing up to the headroom
  1 - ``fabric.link_utilization`` = 1 - u, then the missing share of the demand,
  m = (l - (1 - u)) / u (at most 1), slows the communication part of every step: the fabric's
  GPUs lose ``workload.comm_share`` x m of their time (ECMP spreads every job's traffic over
  every link: all GPUs alike), summed over the layers. No stall, no rollback; a switch
  replacement above the first tier drains its links (they are down while it lasts) instead of
  stalling a job.

:func:`simulate` runs the tiers and returns the design's metrics and its per-tier ledgers with
those GPU-hours lost in the first tier's months (the rows of kind ``EventKind.LINKS`` they were
rebuilt from are dropped).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from fleet_models.engines.contract import TierWiring, compile_plan
from fleet_models.engines.fabric import fleet_gpus
from fleet_models.model.ledger import MONTH_HOURS, EventKind, Ledger
from fleet_models.model.metrics import COMMON, failure_column
from fleet_models.model.spec import Architecture, Scenario, Tier


def is_design(arch: Architecture) -> bool:
    """Whether ``arch`` is a design of a fabric of tiers (names an architecture per tier)."""
    return bool(arch.tiers)


@dataclass(frozen=True)
class TierView:
    """One tier of a design as a fleet of its own."""

    tier: Tier
    scenario: Scenario  # the tier's switches as the fleet, its architecture alone
    architecture: Architecture  # the design's components of this tier, under their own names
    wiring: TierWiring
    index: np.ndarray  # int64: the design component each of the tier architecture's is
    gpu_ports: int  # ports of a switch facing GPUs (0 above the first tier)


def views(scenario: Scenario, design: Architecture) -> list[TierView]:
    """The tiers of ``design`` under ``scenario`` (whose fabric has the tiers), GPU side first."""
    out = []
    tiers = scenario.fabric.tiers
    for i, t in enumerate(tiers):
        prefix = t.name + ":"
        idx = [j for j, c in enumerate(design.components) if c.name.startswith(prefix)]
        comps = tuple(dataclasses.replace(design.components[j], name=design.components[j].name[len(prefix):])
                      for j in idx)
        part = design.tiers[t.name]
        arch = Architecture(name=f"{design.name}/{t.name}", components=comps,
                            switch_price_usd=part.switch_price_usd, switch_power_w=part.switch_power_w,
                            gpus_per_switch=design.gpus_per_switch if i == 0 else None)
        fleet = dataclasses.replace(scenario.fleet, switches=t.switches, ports_per_switch=t.ports_per_switch)
        work = scenario.workload if i == 0 else dataclasses.replace(scenario.workload, gpus_per_port=0.0)
        sc = dataclasses.replace(scenario, fleet=fleet, workload=work, architectures=(arch,),
                                 uncertain={}, fabric=dataclasses.replace(scenario.fabric, tiers=()))
        gpu = t.downlinks() if i == 0 else 0
        wiring = TierWiring(prefix, t.downlinks(), links_low=i > 0, links_high=t.uplinks > 0)
        out.append(TierView(t, sc, arch, wiring, np.asarray(idx, dtype=np.int64), gpu))
    return out


def plans(scenario: Scenario, design: Architecture, seed: int | None = None) -> list:
    """One engine plan per tier of ``design``."""
    return [compile_plan(v.scenario, v.architecture, seed, v.wiring) for v in views(scenario, design)]


def design_gpus(scenario: Scenario, design: Architecture) -> float:
    """The GPUs of a design's fabric: behind the first tier's down-links."""
    v = views(scenario, design)[0]
    return fleet_gpus(v.scenario, v.architecture, v.gpu_ports)


@dataclass(frozen=True)
class TieredLedger:
    """The ledgers of one replication of a design, one per tier (GPU side first), indexed as the
    tier's own components; the first holds the GPU-hours the fabric's lost links cost."""

    parts: tuple

    def merged(self, vs: list[TierView]) -> Ledger:
        """One ledger of the design: every tier's rows in time order, components indexed as the
        design's, months summed."""
        leds = [p for p in self.parts]
        comp = [np.where(led.component >= 0, v.index[np.maximum(led.component, 0)], led.component)
                for led, v in zip(leds, vs, strict=True)]
        time = np.concatenate([led.time for led in leds])
        order = np.argsort(time, kind="stable")
        return Ledger(time[order], np.concatenate([led.kind for led in leds])[order],
                      np.concatenate(comp).astype(np.int32)[order],
                      np.concatenate([led.hours for led in leds])[order],
                      np.sum([led.down_by_month for led in leds], axis=0),
                      np.sum([led.lost_by_month for led in leds], axis=0),
                      np.concatenate([led.gpus for led in leds])[order])


def _series(led: Ledger, side: int) -> tuple[np.ndarray, np.ndarray]:
    """(times, ports down after each change) of one side of a tier's watched link ports."""
    keep = (led.kind == EventKind.LINKS) & (led.component == side)
    return led.time[keep], led.hours[keep]


def _steps(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
           ) -> tuple[np.ndarray, np.ndarray]:
    """The sum of two step functions given as (change times, value after each change), from 0
    at t = 0: (change times, value after each)."""
    t = np.concatenate([a[0], b[0]])
    order = np.argsort(t, kind="stable")
    t = t[order]
    da = np.diff(np.concatenate([[0.0], a[1]]))
    db = np.diff(np.concatenate([[0.0], b[1]]))
    total = np.cumsum(np.concatenate([da, db])[order])
    return t, total


def _by_month(t: np.ndarray, rate: np.ndarray, horizon: float, months: int) -> np.ndarray:
    """The integral of a step function (``rate[k]`` from ``t[k]`` to the next change, 0 before
    the first) over each month [m, m + 1) x MONTH_HOURS of the horizon (the last to the end)."""
    edges = np.minimum(np.arange(months + 1) * MONTH_HOURS, horizon)
    edges[-1] = horizon
    if t.size == 0:
        return np.zeros(months)
    knots = np.concatenate([[0.0], t, [horizon]])
    values = np.concatenate([[0.0], rate])
    area = np.concatenate([[0.0], np.cumsum(values * np.diff(knots))])
    cumulative = np.interp(edges, knots, area)
    return np.diff(cumulative)


def lost_bandwidth_gpu_hours(scenario: Scenario, vs: list[TierView], ledgers: list[Ledger],
                             gpus: float) -> np.ndarray:
    """GPU-hours per month the fabric's lost links cost (the rule in the module docstring)."""
    months = ledgers[0].lost_by_month.size
    out = np.zeros(months)
    u = scenario.fabric.link_utilization
    share = scenario.workload.comm_share
    if gpus <= 0 or share <= 0:
        return out
    for lo, led_lo, led_hi in zip(vs, ledgers, ledgers[1:], strict=False):
        links = lo.tier.switches * lo.tier.uplinks
        t, down = _steps(_series(led_lo, 1), _series(led_hi, 0))
        missing = np.clip((down / links - (1.0 - u)) / u, 0.0, 1.0)
        out += _by_month(t, gpus * share * missing, scenario.horizon_hours, months)
    return out


def simulate(engine, scenario: Scenario, design: Architecture, seed: int, replication: int
             ) -> tuple[dict[str, float], int, TieredLedger]:
    """One replication of ``design``: its metrics (the design's components' failures, the other
    counts summed over the tiers, port availability over every port of the fabric), the events
    simulated and its per-tier ledgers."""
    vs = views(scenario, design)
    outs = [engine.simulate(compile_plan(v.scenario, v.architecture, seed, v.wiring), replication)
            for v in vs]
    ledgers = [o.ledger for o in outs]
    lost = lost_bandwidth_gpu_hours(scenario, vs, ledgers, design_gpus(scenario, design))
    parts = []
    for i, led in enumerate(ledgers):
        keep = led.kind != EventKind.LINKS
        parts.append(Ledger(led.time[keep], led.kind[keep], led.component[keep], led.hours[keep],
                            led.down_by_month, led.lost_by_month + lost if i == 0 else led.lost_by_month,
                            led.gpus[keep]))
    m: dict[str, float] = {}
    down = sum(o.metrics["port_down_hours"] for o in outs)
    port_hours = sum(v.tier.switches * v.tier.ports_per_switch for v in vs) * scenario.horizon_hours
    m["port_availability"] = 1.0 - down / port_hours
    for v, o in zip(vs, outs, strict=True):
        for j, c in zip(v.index.tolist(), v.architecture.components, strict=True):
            m[failure_column(design.components[j].name)] = o.metrics[failure_column(c.name)]
    for name in COMMON:
        m[name] = float(sum(o.metrics[name] for o in outs))
    return m, sum(o.events for o in outs), TieredLedger(tuple(parts))
