"""What happened when in one replication: the dated events a total cost of ownership prices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MONTH_HOURS = 8766.0 / 12
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
    NAMES = ("swap", "unplanned_replacement", "planned_replacement", "interruption", "ntf_swap")


@dataclass(frozen=True)
class Ledger:
    """Dated events of one replication (arrays of equal length, in the order they happened),
    port-down hours and GPU-hours lost per month. Hours of labour are truncated at the horizon, as the metrics are."""

    time: np.ndarray  # hours from t = 0
    kind: np.ndarray  # EventKind codes
    component: np.ndarray  # index into the architecture's components (-1: not a component)
    hours: np.ndarray  # hands-on hours of the event (0 for interruptions)
    down_by_month: np.ndarray  # port-down hours in month m = [m, m + 1) x MONTH_HOURS
    # GPU-hours the jobs lost to down ports in month m, as the [fabric] says (stalled, excluded or
    # slowed jobs); the rollback and restart of an interruption are not in it (dated events)
    lost_by_month: np.ndarray
