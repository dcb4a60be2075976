"""The validated, in-memory form of a scenario: plain frozen dataclasses.

Each field is declared once, here, with :func:`fleet_models.model.fields.setting`: its
type (the annotation), default (a literal, or read from the catalog of published
figures: ``source``), allowed range, unit and meaning. The TOML parser, the
validator of hand-built specs, the starter file, the README's field table and
the JSON Schema are all derived from these declarations. Times are hours, money
USD, power W.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from failure_data.units import HOURS_PER_DAY
from fleet_models.model.fields import (
    HORIZON_YEARS,
    HOURS,
    HOURS_PER_YEAR,
    LEAD_TIME_DAYS,
    SPAN_HOURS,
    Alias,
    Cite,
    Range,
    Role,
    Setting,
    Source,
    provenance,
    resolved,
    setting,
)
from reliability.models import LifeModel


class Repair(StrEnum):
    """What fixing a failed unit takes."""

    SWAP = "swap"  # replace this unit alone, hot: pluggable module, external laser source
    REPLACE_SWITCH = "replace-switch"  # drain and replace the whole switch: CPO engine, internal laser


class RepairScope(StrEnum):
    """What one swap of a unit with several elements renews."""

    UNIT = "unit"  # the field-replaceable unit as a whole (an ELS module: all its lasers renewed)
    ELEMENT = "element"  # each failed element on its own, with its own part and visit


class DeviceUnit(StrEnum):
    """What one "device" of a per-device rate is (cpo-device-unit: Meta's MTBFs, meta-mtbf-cmp,
    do not say), read alike on every side of a comparison."""

    PORT_400G = "port-400g"  # 400G of a unit's bandwidth: an 800G module is 2, a 3.2T engine 8
    DEVICE = "device"  # one field unit: a pluggable module, an optical engine


def devices_per_unit(unit: DeviceUnit, unit_gbps: float, device_gbps: float) -> float:
    """How many devices of a per-device rate one unit of ``unit_gbps`` is under ``unit``."""
    return unit_gbps / device_gbps if unit is DeviceUnit.PORT_400G else 1.0


def read_devices(life: LifeModel, unit: DeviceUnit) -> LifeModel:
    """``life`` read under ``unit`` when it is a per-device rate read under another (its
    provenance holds the reading: ``fleet_models.model.lives``), else ``life`` itself. The rate
    is rescaled by the ratio of the devices per unit, so a temperature shift or a varied rate is
    kept."""
    prov = life.provenance
    if "devices_per_unit" not in prov or prov.get("device_unit") == unit.value:
        return life
    n = devices_per_unit(unit, float(prov["unit_gbps"]), float(prov["device_gbps"]))
    ratio = n / float(prov["devices_per_unit"])
    return life.accelerated(ratio, device_unit=unit.value, devices_per_unit=n)


@dataclass(frozen=True)
class Component:
    """One kind of field-replaceable unit in a switch.

    ``ports_per_unit`` None means a failure takes the whole switch down
    (written ``"switch"`` in TOML). Unit i of a kind covers ports
    [i * ports_per_unit, (i + 1) * ports_per_unit). With ``elements`` > 1 the
    unit works while at least ``needed`` of its ``elements`` do, and ``life``
    is the life of one element.
    """

    name: str = setting(
        doc="component name, unique in its architecture; with a base, a name of the base overrides "
        "that component field by field, a new name adds one", allowed='a string other than "switch"')
    per_switch: int = setting(doc="units of this kind per switch", range=Range(1, 100_000))
    ports_per_unit: int | None = setting(
        doc="ports one unit's failure takes down; unit i covers ports [i*n, (i+1)*n); \"switch\" = "
        "every port", unit="ports",
        allowed='[1, ports_per_switch] or "switch"; per_switch x ports_per_unit <= ports_per_switch')
    life: LifeModel = setting(
        doc="life of one unit (one element with redundancy): inline distribution, fit_per_1e9h, model "
        "file or catalog key; optional temperature_c", unit="h", allowed="see the life forms")
    repair: Repair = setting(Repair.SWAP, doc="\"swap\" this unit alone, or \"replace-switch\"",
                             allowed='"swap" or "replace-switch"')
    elements: int = setting(1, doc="redundancy: elements in one unit", range=Range(1, 10_000))
    needed: int = setting(1, doc="the unit works while at least this many elements do",
                          range=Range(1, 10_000), allowed="[1, elements]")
    repair_scope: RepairScope = setting(
        RepairScope.UNIT, doc="with repair = \"swap\" and elements > 1: \"unit\" = the unit is swapped "
        "when it goes down and every element is renewed (element failures that leave it working wait "
        "for that swap); \"element\" = each failed element is swapped on its own",
        allowed='"unit" or "element"')
    spare_units: int = setting(
        0, doc="fail in place, with repair = \"replace-switch\": extra units of this kind on the switch, "
        "beyond per_switch, powered and ageing from the start, that take over a failed unit's ports "
        "without a visit until they run out (spectrum-x: 4 spare engines); a new switch brings new "
        "spares", unit="units", range=Range(0, 100_000))
    ntf_fraction: float = setting(
        0.0, doc="with repair = \"swap\": share of swaps whose removed unit had nothing wrong (no "
        "trouble found: the swap still clears the fault); it goes back to the component's spare pool "
        "after policy.ntf_test_days instead of being replaced, and its swap costs no part "
        "(built-in modules: ntf-returns, 0.8; low case 0.3)", range=Range(0, 1))
    moves_on_replacement: bool = setting(
        True, doc="with repair = \"swap\": a switch replacement moves the unit to the new chassis with "
        "its age, failed or not (pluggable modules, ELS); false = it is replaced with the switch",
        allowed="true or false")
    in_place_fraction: float = setting(
        0.0, doc="with repair = \"replace-switch\": share of this unit's events cleared without "
        "replacing the switch (a fibre connector cleaned, an ELS or a fibre reseated: the pluggable "
        "module's no-trouble-found share, on the CPO side); its ports are down until in_place_hours "
        "after detection, a visit with labour and a service event, no part; for a constant-rate life "
        "of one element", range=Range(0, 1))
    in_place_hours: float | None = setting(
        None, doc="hands-on time of an event of this unit cleared in place (absent: "
        "policy.in_place_hours)", unit="h", range=HOURS)
    predicted: bool = setting(
        False, doc="with repair = \"replace-switch\": its failures are wear-out a telemetry "
        "predictor sees coming (a laser's bias current crossing its threshold, `cpo degrade`): "
        "all but policy.predict_miss_rate of them raise an alarm policy.predict_lead_days ahead, "
        "and the switch is drained and replaced in the next maintenance window before the failure "
        "(a planned replacement, no stall); false = replace on failure", allowed="true or false")
    swap_hours: float | None = setting(
        None, doc="with repair = \"swap\": hands-on time of one swap of this unit (absent: "
        "policy.swap_hours): an ELS, an engine-side fibre reseat and a pluggable module are not the "
        "same job", unit="h", range=HOURS)
    price_usd: float = setting(0.0, doc="price of one unit", unit="USD", range=Range(0, 1e7),
                               role=Role.POST)
    power_w: float = setting(0.0, doc="power of one unit", unit="W", range=Range(0, 1e5),
                             role=Role.POST)
    source: str | None = setting(None, doc="catalog key(s) or reference the numbers came from",
                                 allowed="a string", role=Role.LABEL)
    cites: Mapping[str, Cite] = provenance()


@dataclass(frozen=True)
class Architecture:
    name: str = setting(doc="architecture name, unique (default: the base's name)",
                        allowed="a non-empty string", role=Role.LABEL)
    components: tuple[Component, ...] = setting(doc="the field-replaceable units of one switch",
                                                 table=True)
    switch_price_usd: float = setting(0.0, doc="price of one switch without its optics", unit="USD",
                                      range=Range(0, 1e8), role=Role.POST)
    switch_power_w: float = setting(0.0, doc="power of one switch without its optics", unit="W",
                                    range=Range(0, 1e6), role=Role.POST)
    description: str = setting("", doc="one line for reports", allowed="a string", role=Role.LABEL)
    gpus_per_switch: float | None = setting(
        None, doc="GPUs whose traffic one switch carries, spread evenly over its ports (a Quantum-X "
        "leaf: up to 576, qx-blast); absent = workload.gpus_per_port x fleet.ports_per_switch",
        range=Range(0, 10_000_000))
    tiers: Mapping[str, TierSwitch] = setting(
        doc="a design of a fabric of tiers ([[fabric.tiers]]): per tier the architecture its "
        "switches are (`tiers = { leaf = \"pluggable-dsp\", spine = \"cpo-els\" }`); its "
        "components are then those architectures', named TIER:COMPONENT, and the GPU side's NIC "
        "modules (TIER:host-module) are added on the first tier", table=True, factory=dict,
        allowed="a table of tier = built-in architecture name, or an [architectures.tiers.TIER] "
        "table per tier")
    cites: Mapping[str, Cite] = provenance()
    origin: str | None = dataclasses.field(default=None, compare=False, repr=False,
                                           metadata={"provenance": True})
    """The built-in it was made from (kept by a rename), which a written scenario names as its
    ``base`` so that loading it back keeps the sources of the values it did not change."""

    # a TOML-only key: the built-in architecture a table starts from
    BASE: ClassVar[Setting] = Setting(
        "a built-in architecture to start from: pluggable-dsp, lpo, cpo-internal-laser, cpo-els, "
        "bailly, bailly-pluggable, quantum-x, quantum-x-pluggable, spectrum-x",
        allowed="a built-in name")


class HandsOn(StrEnum):
    """How long a repair holds its technician: exactly the policy's hours, or exponentially
    distributed with that mean (real hands-on times vary; the queueing closed forms assume it)."""

    FIXED = "fixed"
    EXPONENTIAL = "exponential"


@dataclass(frozen=True)
class SparePool:
    """Base-stock pool: each failure needing a part orders one; it arrives after the lead time."""

    stock: int = setting(
        doc="spares on hand at the start (base stock); NAME is a component name or \"switch\"; a kind "
        "without a table has unlimited spares", unit="parts", range=Range(0, 1_000_000))
    lead_time_hours: float = setting(doc="every failure needing a part orders one; it arrives after "
                                     "this (or lead_time_days)", unit="h", range=HOURS)
    unit_price_usd: float | None = setting(
        None, doc="price of one spare in the capex (absent: a spare switch carries the full "
        "per-switch bill, a component spare its unit price)", unit="USD", range=Range(0, 1e8),
        role=Role.POST)
    cites: Mapping[str, Cite] = provenance()

    ALIASES: ClassVar[tuple[Alias, ...]] = (
        Alias("lead_time_days", "lead_time_hours", 24.0, Setting(
            "every failure needing a part orders one; it arrives after this (or lead_time_hours)",
            "days", LEAD_TIME_DAYS)),
    )


@dataclass(frozen=True)
class Policy:
    """Maintenance policy. A field left out takes its catalog default (``source``)."""

    detection_hours: float = setting(doc="time from a failure to its repair order", unit="h",
                                     range=HOURS, source=Source("detection-hours"))
    technicians: int = setting(0, doc="technicians shared by the fleet, first come first served "
                               "(0 = unlimited)", range=Range(0, 100_000))
    swap_hours: float = setting(doc="hands-on time of a swap (pluggable module, ELS); 0 = instant",
                                unit="h", range=HOURS, source=Source("swap-time", scale=1 / 60))
    in_place_hours: float = setting(
        doc="hands-on time of a CPO event cleared without replacing the switch (a component's "
        "in_place_fraction: fibres cleaned, an ELS or a fibre reseated); its ports are down until "
        "it ends", unit="h", range=HOURS, source=Source("in-place-hours"))
    switch_replacement_hours: float | None = setting(
        None, doc="hands-on time to drain, replace, re-fibre and test a switch; all its ports are down "
        "meanwhile (absent: switch_swap_hours + refibre_hours; a file that sets it overrides the sum)",
        unit="h", range=SPAN_HOURS, total_of=("switch_swap_hours", "refibre_hours"))
    replace_switch_when_ports_down: int = setting(
        1, doc="k: a switch whose failures need a replacement runs degraded until k ports are down "
        "(1 = at once; a \"switch\"-wide failure always triggers)", unit="ports", range=Range(1, 4096),
        allowed="[1, ports_per_switch]")
    maintenance_window_days: float | None = setting(
        None, doc="deferred replacements wait for the next window unless k is reached (absent = no "
        "windows)", unit="days", range=Range(0, 3653, lo_open=True))
    hands_on: HandsOn = setting(HandsOn.FIXED, doc="hands-on time exactly the hours above, or "
                                "exponential with that mean", allowed='"fixed" or "exponential"')
    ntf_test_days: float = setting(
        doc="time to test a unit removed with no trouble found before it is back in its spare pool "
        "(a placeholder: nothing is published)", unit="days", range=LEAD_TIME_DAYS,
        source=Source("ntf-test-days"))
    spares: Mapping[str, SparePool] = setting(
        doc="spare pools by kind (a component name or \"switch\"); absent = unlimited", table=True,
        factory=dict)
    predict_lead_days: float = setting(
        doc="predictive replacement (components with predicted = true): how long before a failure "
        "its alarm sounds; the switch is replaced at the next maintenance window at or after the "
        "alarm (at the alarm without windows), if that is before the failure", unit="days",
        range=Range(0, 3653), source=Source("predict-lead"))
    predict_miss_rate: float = setting(
        doc="predictive replacement: share of predicted components' failures that raise no alarm "
        "(1 = no predictor: replace on failure)", range=Range(0, 1),
        source=Source("predict-miss", scale=0.01))
    predict_false_alarms_per_switch_year: float = setting(
        doc="predictive replacement: alarms on a switch with no failure coming, each a planned "
        "replacement at the next window (only on switches with a predicted component)",
        unit="1/switch-year", range=Range(0, 1000), source=Source("predict-false-alarm"))
    switch_swap_hours: float = setting(
        doc="first term of a switch replacement: drain its traffic and swap the chassis (the closest "
        "public analogue: an NVL72 switch tray, 1-4 h)", unit="h", range=HOURS,
        source=Source("nvl72-switch-tray", item="switch-tray-hours"))
    refibre_hours: float = setting(
        doc="second term of a switch replacement: re-fibre, clean, inspect and validate its ports "
        "(144 MPO ports at 1-2 min each, 2-5 h; inferred)", unit="h", range=HOURS,
        source=Source("cpo-refibre"))

    @property
    def replacement_hours(self) -> float:
        """Hands-on hours of a switch replacement: ``switch_replacement_hours`` if set, else
        ``switch_swap_hours + refibre_hours``."""
        return resolved(self, "switch_replacement_hours")


@dataclass(frozen=True)
class Fleet:
    switches: int = setting(doc="switches in the fleet", range=Range(1, 1_000_000))
    ports_per_switch: int = setting(doc="ports per switch", range=Range(1, 4096))
    port_gbps: float = setting(800.0, doc="speed of one port", unit="Gb/s",
                               range=Range(0, 1e5, lo_open=True), role=Role.POST)
    cites: Mapping[str, Cite] = provenance()


@dataclass(frozen=True)
class Costs:
    """Prices. A field left out takes its catalog default (``source``)."""

    electricity_usd_per_kwh: float = setting(doc="electricity price", unit="USD/kWh", range=Range(0, 10),
                                             source=Source("power-price"), role=Role.POST)
    pue: float = setting(doc="power usage effectiveness", range=Range(1, 5), source=Source("pue"), role=Role.POST)
    discount_rate: float = setting(doc="annual discount rate; a cash flow at t hours is worth "
                                   "exp(-ln(1 + r) t / 8766) of one at t = 0", unit="1/yr",
                                   range=Range(0, 1, hi_open=True), source=Source("discount-rate"),
                                   role=Role.SUMS)
    technician_usd_per_hour: float = setting(doc="technician cost", unit="USD/h", range=Range(0, 10_000),
                                             source=Source("technician-rate"), role=Role.POST)
    gpu_hour_usd: float = setting(doc="price of a GPU-hour", unit="USD", range=Range(0, 1_000),
                                  source=Source("gpu-hour"), role=Role.POST)
    service_event_usd: float = setting(
        doc="fixed cost of one service event (swap or switch replacement): call-out, logistics, "
        "ticket", unit="USD", range=Range(0, 1e6), source=Source("service-event"), role=Role.POST)

    GONE: ClassVar[Mapping[str, str]] = {
        "rma_credit_fraction": "is replaced by the [support] table, the terms an operator signs: "
        "within support.years replacement hardware is the vendor's; after it a failed switch is "
        "bought (support.after = \"buy\") or repaired at a depot (\"depot\", for "
        "support.depot_fraction of its price); remove it and write e.g. `years = 5` under [support] "
        "(the old value 1 meant every replacement was the vendor's) or `years = 0` (0 meant none was)",
    }
    """Keys a file may no longer set, each with what to write instead (refused, never ignored)."""


class AfterSupport(StrEnum):
    """What a failed switch costs after the support period."""

    BUY = "buy"  # a new switch, ordered: the switch pool refills after buy_lead_days
    DEPOT = "depot"  # repaired at a depot for depot_fraction of its price, back after depot_days


@dataclass(frozen=True)
class Support:
    """The terms an operator signs for its switches: who pays for replaced hardware, and when.

    Within ``years`` of deployment replacement hardware is the vendor's (advance replacement:
    the switch pool refills within its own lead time, adv-repl), a swap's part as well as a
    replaced switch, for a fee per switch-year. After it a swap's part is bought, and a failed
    switch is bought new or repaired at a depot; either way only what is replaced is paid for:
    units that move to the new chassis with their age (``moves_on_replacement``: pluggable
    modules, ELS) are not bought again."""

    years: float = setting(
        doc="support period from deployment: within it replacement hardware, a switch or a part, is "
        "the vendor's and the switch pool refills within its lead time (0 = none)", unit="years",
        range=Range(0, 1000), source=Source("support-years"))
    fee_fraction: float = setting(
        doc="support fee per switch-year within the period, as a share of the switch's price with "
        "every unit bought with it", unit="1/yr", range=Range(0, 1),
        source=Source("support-fee", scale=0.01), role=Role.POST)
    after: AfterSupport = setting(
        AfterSupport.BUY, doc="after the period: \"buy\" a new switch (the pool refills after "
        "buy_lead_days) or send the failed one to a \"depot\" (repaired for depot_fraction of its "
        "price, back in the pool after depot_days); a swap's part is bought either way",
        allowed='"buy" or "depot"', weights="support-after")
    buy_lead_days: float = setting(
        doc="after the period, the lead time of a switch bought to refill the pool", unit="days",
        range=LEAD_TIME_DAYS, source=Source("switch-buy-lead-days"))
    depot_fraction: float = setting(
        doc="after the period with after = \"depot\": a depot repair's price as a share of what "
        "the switch replaces", range=Range(0, 1), source=Source("depot-repair", scale=0.01),
        role=Role.POST)
    depot_days: float = setting(
        doc="after the period with after = \"depot\": the depot's turnaround, until the repaired "
        "switch is back in the pool", unit="days", range=LEAD_TIME_DAYS, source=Source("depot-days"))

    def end_hours(self) -> float:
        """When the support period ends, hours from deployment."""
        return self.years * HOURS_PER_YEAR

    def lead_after_hours(self) -> float:
        """The switch pool's lead time after the period: an order's, or the depot's turnaround."""
        return (self.buy_lead_days if self.after is AfterSupport.BUY else self.depot_days) * HOURS_PER_DAY


@dataclass(frozen=True)
class Workload:
    """What the fabric carries: the GPUs behind each port and the training job an outage hits."""

    gpus_per_port: float = setting(doc="GPUs whose traffic one port carries (0 = none: outages "
                                   "interrupt no job)", range=Range(0, 1_000),
                                   source=Source("gpus-per-port"))
    job_gpus: int = setting(doc="GPUs of the training job an unplanned outage interrupts (0 = no "
                            "job)", range=Range(0, 10_000_000),
                            source=Source("llama3-interrupts", item="gpus", integer=True))
    checkpoint_interval_hours: float = setting(
        doc="checkpoint interval (an interruption loses half of it on average)", unit="h",
        range=Range(0, HOURS_PER_YEAR, lo_open=True), source=Source("checkpoint-interval"),
        role=Role.POST)
    restart_hours: float = setting(doc="time to restart the job after an interruption", unit="h",
                                   range=Range(0, HOURS_PER_YEAR), source=Source("restart-hours"))

    comm_share: float = setting(
        doc="in a fabric of tiers ([[fabric.tiers]]): the share of a training step's time spent in "
        "communication a missing share of the fabric's link bandwidth slows (a stated assumption: "
        "10-50 %)", range=Range(0, 1), source=Source("comm-share", scale=0.01))

    MOVED_FROM: ClassVar[str] = "costs"  # these keys were in [costs] before 0.2
    # keys that are gone, and the [fabric] line to write instead of each value (a file that
    # still sets one is refused with that line): one number hid what a down port does to a job
    REPLACED_BY_FABRIC: ClassVar[Mapping[str, Mapping[float, str]]] = {
        "stall_fraction": {1.0: 'homing = "single"', 0.5: 'homing = "dual"'},
    }


class Homing(StrEnum):
    """How the GPUs' NICs reach the fabric: what one down port or switch does to a job on it."""

    SINGLE = "single"  # one leaf per NIC: a down port stalls the synchronous job (common)
    DUAL = "dual"  # two leaves (planes) per NIC: the job runs on, slower, until the repair


@dataclass(frozen=True)
class Fabric:
    """What a down port or switch costs the training jobs on it (``fleet_models.engines``)."""

    homing: Homing = setting(
        Homing.SINGLE, doc="\"single\": a port down stalls every job using it until the port is back "
        "or the job restarts without those nodes (exclude_hours), then it runs on fewer GPUs until "
        "the repair, each stall an interruption (rollback and restart); \"dual\": dual-homed NICs, "
        "the job stalls failover_hours while its traffic moves to the other plane, then runs "
        "degraded_slowdown slower until the repair, no interruption (stall-fraction: Alibaba HPN)",
        allowed='"single" or "dual"')
    exclude_hours: float = setting(
        doc="with homing = \"single\": how long a stalled job waits for its ports before it restarts "
        "without the nodes behind them", unit="h", range=HOURS, source=Source("exclude-hours"))
    degraded_slowdown: float = setting(
        doc="with homing = \"dual\": share of a job's speed lost while one of its ports is down "
        "(up to 40 %)", range=Range(0, 1), source=Source("slow-link", scale=0.01))
    failover_hours: float = setting(
        doc="with homing = \"dual\": how long a job stalls when one of its paths drops, before its "
        "traffic moves to the other plane (then it runs degraded_slowdown slower); no rollback, no "
        "restart (a stated assumption: 0-6 min)", unit="h", range=HOURS,
        source=Source("failover-stall"))
    tiers: tuple[Tier, ...] = setting(
        doc="a fabric of tiers, GPU-facing tier first (leaf, then spine, ...): the scenario's "
        "architectures are then designs, each naming an architecture per tier; absent: every switch "
        "is a GPU-facing leaf of the architecture", table=True, factory=tuple)
    link_utilization: float = setting(
        doc="in a fabric of tiers: the peak utilization of its links by the jobs' collective "
        "traffic; a lost share of a tier's links slows no job up to 1 - this (the headroom), then "
        "the missing share of the demand slows their communication (a stated assumption: 60-100 %)",
        range=Range(0, 1, lo_open=True), source=Source("link-utilization", scale=0.01))


@dataclass(frozen=True)
class Tier:
    """One tier of a fabric of switches: the first faces the GPUs (its ports but its up-links
    carry one NIC port each), each tier above it connects the tier below (its ports but its own
    up-links each end a link from the tier below). A design says which architecture each tier's
    switches are."""

    name: str = setting(doc="tier name, unique in the fabric (leaf, spine, core)",
                        allowed="a non-empty string without ':'", role=Role.LABEL)
    switches: int = setting(doc="switches in the tier", range=Range(1, 1_000_000))
    ports_per_switch: int = setting(doc="ports per switch", range=Range(1, 4096))
    uplinks: int = setting(0, doc="ports per switch wired to the tier above (0 at the top); the "
                           "others face the tier below (the GPUs' NICs at the first tier); "
                           "down-links / up-links is the tier's oversubscription",
                           range=Range(0, 4096))

    def downlinks(self) -> int:
        return self.ports_per_switch - self.uplinks


@dataclass(frozen=True)
class TierSwitch:
    """What a design puts in one tier: the architecture its switches are (the design's components
    of that tier are that architecture's, named ``TIER:COMPONENT``), its switch price and power."""

    architecture: str = setting(doc="the architecture this tier's switches are (a built-in name, "
                                "or one of the scenario's [[switch_kinds]])", allowed="a name",
                                role=Role.LABEL)
    switch_price_usd: float = setting(0.0, doc="price of one of this tier's switches without its "
                                      "optics", unit="USD", range=Range(0, 1e8), role=Role.POST)
    switch_power_w: float = setting(0.0, doc="power of one of this tier's switches without its "
                                    "optics", unit="W", range=Range(0, 1e6), role=Role.POST)
    cites: Mapping[str, Cite] = provenance()


@dataclass(frozen=True)
class Uncertain:
    """What is not known about one number: uniform (low, high), triangular (low, mode, high) or
    lognormal (median, error_factor); or which of a choice field's values holds (choice, with
    weights). With ``uncertainty = true`` it is drawn once per replication, the same draw for
    every architecture; the decision commands move it to its ends (a choice: to each value)."""

    low: float | None = setting(None, doc="uniform (with high) or triangular (with mode and high): "
                                "the lowest value", allowed="a number <= high")
    high: float | None = setting(None, doc="the highest value (uniform, triangular)",
                                 allowed="a number >= low")
    mode: float | None = setting(None, doc="triangular: the most likely value",
                                 allowed="a number in [low, high]")
    median: float | None = setting(None, doc="lognormal (with error_factor): the median",
                                   range=Range(0, None, lo_open=True))
    error_factor: float | None = setting(
        None, doc="lognormal: p95 / median (1 = no spread); its ends are p5 and p95",
        range=Range(1, 1e6))
    choice: tuple[str, ...] | None = setting(
        None, doc="a discrete input: the values a choice field (fabric.homing, device_unit) may "
        "take; the most likely (the first of the largest weight) is its central value",
        allowed="a list of the field's values")
    weights: tuple[float, ...] | None = setting(
        None, doc="with choice: the probability of each value, in its order (default: equal); "
        "they are divided by their sum", allowed="a list of numbers >= 0, one per value")
    source: str | None = setting(None, doc="catalog key the range comes from; inputs citing the same "
                                 "key are drawn together (one draw moves all by the same share)",
                                 allowed="a string")


@dataclass(frozen=True)
class Scenario:
    name: str = setting(doc="name of the scenario, shown in reports", allowed="a non-empty string",
                        role=Role.LABEL)
    horizon_hours: float = setting(doc="simulated time, instead of horizon_years", unit="h",
                                   range=Range(0, 1000 * HOURS_PER_YEAR, lo_open=True))
    fleet: Fleet = setting(doc="the switches", table=True)
    architectures: tuple[Architecture, ...] = setting(
        doc="each is simulated on the same fleet, policy and seed", table=True)
    policy: Policy = setting(doc="maintenance policy", table=True, factory=Policy)
    costs: Costs = setting(doc="prices", table=True, factory=Costs)
    workload: Workload = setting(doc="what the fabric carries", table=True, factory=Workload)
    fabric: Fabric = setting(doc="what a down port does to the jobs", table=True, factory=Fabric)
    support: Support = setting(doc="who pays for replaced hardware, and when", table=True,
                               factory=Support)
    device_unit: DeviceUnit = setting(
        DeviceUnit.PORT_400G, doc="what one \"device\" of a per-device rate is (Meta's MTBFs: "
        "cpo-engine-field, pluggable-device-field), on every side alike: \"port-400g\" = 400G of a "
        "unit's bandwidth (an 800G module is 2, a 3.2T engine 8: Meta counts its hours in 400G "
        "port-device-hours), \"device\" = one field unit (a module, an engine); see cpo-device-unit",
        weights="cpo-device-unit")
    replications: int = setting(200, doc="Monte Carlo replications", range=Range(1, 100_000),
                                role=Role.RUN)
    seed: int = setting(20261123, doc="random seed: replication i uses child i of numpy "
                        "SeedSequence(seed)", range=Range(0, 2**63 - 1), role=Role.RUN)
    uncertainty: bool = setting(False, doc="draw every uncertain input (the [uncertain] table) and "
                                "each life model's parameters (from its covariance) once per "
                                "replication, the same draws for every architecture",
                                allowed="true or false")
    uncertain: Mapping[str, Uncertain] = setting(
        doc="uncertain inputs by field path (`[uncertain.\"policy.switch_replacement_hours\"]`); "
        "a number written as a range in place (`{ low = 4, high = 16 }`) lands here too",
        table=True, factory=dict)

    ALIASES: ClassVar[tuple[Alias, ...]] = (
        Alias("horizon_years", "horizon_hours", HOURS_PER_YEAR, Setting(
            "simulated time (give this or horizon_hours)", "years", HORIZON_YEARS)),
    )

    def __post_init__(self) -> None:
        # every per-device life is read under this scenario's device_unit, whatever it was read
        # under when its component was made (a built-in's, a draw's, a sweep's): one reading
        if not isinstance(self.device_unit, DeviceUnit) or not isinstance(self.architectures, tuple):
            return  # the validator names what is wrong
        archs = tuple(_read_architecture(a, self.device_unit) for a in self.architectures)
        if any(x is not y for x, y in zip(archs, self.architectures, strict=True)):
            object.__setattr__(self, "architectures", archs)


def _read_architecture(arch: Architecture, unit: DeviceUnit) -> Architecture:
    if not isinstance(arch, Architecture) or not isinstance(arch.components, tuple):
        return arch
    comps = tuple(dataclasses.replace(c, life=read_devices(c.life, unit))
                  if isinstance(c, Component) and isinstance(c.life, LifeModel)
                  and read_devices(c.life, unit) is not c.life else c for c in arch.components)
    if all(x is y for x, y in zip(comps, arch.components, strict=True)):
        return arch
    return dataclasses.replace(arch, components=comps)


def plain_tables() -> tuple[str, ...]:
    """The scenario's tables of plain fields, in file order: ``fleet``, ``policy``, ``costs``,
    ``workload``, ``fabric``, ``support`` (read from the Scenario's declarations)."""
    from fleet_models.model.fields import declared

    return tuple(name for name, d in declared(Scenario).items()
                 if d.setting.table and dataclasses.is_dataclass(d.type))
