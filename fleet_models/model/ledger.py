"""What happened when in one replication: the dated events a total cost of ownership prices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from failure_data.units import HOURS_PER_YEAR

MONTH_HOURS = HOURS_PER_YEAR / 12
"""Port-down hours and GPU-hours lost are kept per month of 730.5 h (``Ledger.down_by_month``,
``Ledger.lost_by_month``)."""


class EventKind:
    """Codes of ``Ledger.kind``: what a dated service event was."""

    SWAP = 0  # a swap's hands-on time started: one part of ``component``, ``hours`` of labour
    UNPLANNED_REPLACEMENT = 1  # a switch replacement triggered at once (k reached, switch-wide)
    PLANNED_REPLACEMENT = 2  # a maintenance-window replacement (the switch is drained)
    INTERRUPTION = 3  # an unplanned outage interrupted one training job
    # a swap whose removed unit had nothing wrong (no trouble found): ``hours`` of labour, no part
    # consumed (the unit goes back to stock after a test); SWAP + NTF_SWAP = the swaps metric
    NTF_SWAP = 4
    DRAIN = 5  # a planned replacement drained one job (``gpus``: that job's): it restarts
    NAMES = ("swap", "unplanned_replacement", "planned_replacement", "interruption", "ntf_swap", "drain")
    """The service and job events (what a report counts and TCO prices)."""
    # a tier of a fabric: its fabric-link ports down changed (``component``: 0 the ports below the
    # tier's gpu_ports, 1 those from it; ``hours``: that side's ports down after the change). Read
    # by fleet_models.runs.tiers for the bandwidth a fabric lost, and dropped from the ledger it
    # returns: no consumer of a design's ledger sees one
    LINKS = 6


@dataclass(frozen=True)
class Ledger:
    """Dated events of one replication (arrays of equal length, in the order they happened),
    port-down hours and GPU-hours lost per month. Hours of labour are truncated at the horizon, as the metrics are."""

    time: np.ndarray  # hours from t = 0
    kind: np.ndarray  # EventKind codes
    component: np.ndarray  # index into the architecture's components (-1: not a component)
    hours: np.ndarray  # hands-on hours of the event (0 for a job's interruption or drain)
    down_by_month: np.ndarray  # port-down hours in month m = [m, m + 1) x MONTH_HOURS
    # GPU-hours the jobs lost to down ports in month m, as the [fabric] says (stalled, excluded or
    # slowed jobs); the rollback and restart of an interruption are not in it (dated events)
    lost_by_month: np.ndarray
    gpus: np.ndarray  # the GPUs of the job an interruption or a drain hit (0 for other events)


class Sum:
    """Indices of ``LedgerSums.sums``. d = exp(-delta t) is an event's discount factor at the
    annual rate the sums were made with, h its hands-on hours; counts are plain counts."""

    SWAP_D = 0  # sum of d over swaps (after the support period each buys a part: ``LedgerSums.parts``)
    SWAP_DH = 1  # sum of d x h over swaps
    NTF_D = 2  # no-trouble-found swaps: labour and a service event, no part
    NTF_DH = 3
    REPLACEMENT_D = 4  # switch replacements, unplanned and planned
    REPLACEMENT_DH = 5
    DRAIN_GD = 6  # sum of d x g over drains, g the drained job's GPUs: a restart each (single homing)
    DRAIN_G = 7  # sum of g over drains
    INTERRUPTION_GD = 8  # sum of d x g over job interruptions, g the interrupted job's GPUs
    INTERRUPTION_G = 9
    LOST_D = 10  # GPU-hours lost in months, each discounted at the month's midpoint
    LOST_N = 11  # GPU-hours lost in months, undiscounted
    BOUGHT_D = 12  # sum of d over switch replacements after the support period (paid for)
    SIZE = 13


@dataclass(frozen=True, slots=True)
class LedgerSums:
    """A ledger reduced to what a total cost of ownership needs of it, exactly
    (``fleet_models.runs.tco.reduce_ledger``): every cost of an event is a price times its discount
    factor, or a price per hour times hours times the discount factor, so per kind of event the
    sum of the factors and of hours x factor (and per component the factors of the swaps that
    bought its parts) give every price's share. The factors are those of the annual
    ``discount_rate`` they were made with, and what was bought is split at the ``support_end``
    they were made with (hours; inf: never), the only cost inputs they hold: a ledger of a few
    hundred dated events becomes ~20 numbers, so a run keeps one per replication in memory
    however many replications it has, and prices stay a post-process. Pricing them at another
    discount rate or support period is refused (re-simulate; the decisions' evaluator does)."""

    discount_rate: float
    parts: np.ndarray  # float64, per component: sum of d over its swaps after the support period
    sums: np.ndarray  # float64[Sum.SIZE]
    support_end: float = float("inf")
