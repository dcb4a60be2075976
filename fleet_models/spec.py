"""The validated, in-memory form of a scenario: plain frozen dataclasses.

`fleet_models.scenario` builds these from TOML (checking every field and
naming its path on error); the engine only ever sees these objects, so a
notebook user can also build them by hand. Times are hours, money USD, power W.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from reliability.models import LifeModel


class Repair(StrEnum):
    """What fixing a failed unit takes."""

    SWAP = "swap"  # replace this unit alone, hot: pluggable module, external laser source
    REPLACE_SWITCH = "replace-switch"  # drain and replace the whole switch: CPO engine, internal laser


@dataclass(frozen=True)
class Component:
    """One kind of field-replaceable unit in a switch.

    ``ports_per_unit`` None means a failure takes the whole switch down
    (written ``"switch"`` in TOML). Unit i of a kind covers ports
    [i * ports_per_unit, (i + 1) * ports_per_unit). With ``elements`` > 1 the
    unit works while at least ``needed`` of its ``elements`` do, and ``life``
    is the life of one element.
    """

    name: str
    per_switch: int
    ports_per_unit: int | None
    life: LifeModel
    repair: Repair = Repair.SWAP
    elements: int = 1
    needed: int = 1
    price_usd: float = 0.0
    power_w: float = 0.0
    source: str | None = None  # catalog key(s) the defaults came from


@dataclass(frozen=True)
class Architecture:
    name: str
    components: tuple[Component, ...]
    switch_price_usd: float = 0.0
    switch_power_w: float = 0.0
    description: str = ""


class HandsOn(StrEnum):
    """How long a repair holds its technician: exactly the policy's hours, or exponentially
    distributed with that mean (real hands-on times vary; the queueing closed forms assume it)."""

    FIXED = "fixed"
    EXPONENTIAL = "exponential"


@dataclass(frozen=True)
class SparePool:
    """Base-stock pool: each failure needing a part orders one; it arrives after the lead time."""

    stock: int
    lead_time_hours: float


@dataclass(frozen=True)
class Policy:
    """Maintenance policy. Defaults equal the catalog defaults a TOML scenario gets
    (``fleet_models.builtins.default_policy``; a test keeps the two equal)."""

    detection_hours: float = 0.25
    technicians: int = 0  # 0 = unlimited
    swap_hours: float = 5 / 60  # catalog swap-time: 5 min
    switch_replacement_hours: float = 8.0
    replace_switch_when_ports_down: int = 1
    maintenance_window_days: float | None = None  # None = no windows: replace when triggered
    hands_on: HandsOn = HandsOn.FIXED
    spares: Mapping[str, SparePool] = field(default_factory=dict)  # name or "switch"; absent = unlimited


@dataclass(frozen=True)
class Fleet:
    switches: int
    ports_per_switch: int
    port_gbps: float = 800.0


@dataclass(frozen=True)
class Costs:
    """Cost inputs. Defaults equal the catalog defaults a TOML scenario gets
    (``fleet_models.builtins.default_costs``; a test keeps the two equal)."""

    electricity_usd_per_kwh: float = 0.078
    pue: float = 1.54
    discount_rate: float = 0.08
    technician_usd_per_hour: float = 100.0
    gpu_hour_usd: float = 2.35
    gpus_per_port: float = 1.0
    job_gpus: int = 16384
    checkpoint_interval_hours: float = 1.0
    restart_hours: float = 0.5


@dataclass(frozen=True)
class Scenario:
    name: str
    horizon_hours: float
    fleet: Fleet
    architectures: tuple[Architecture, ...]
    policy: Policy = field(default_factory=Policy)
    costs: Costs = field(default_factory=Costs)
    replications: int = 200
    seed: int = 20261123
    uncertainty: bool = False  # draw life-model parameters per replication from their covariance
