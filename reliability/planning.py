"""Demonstration-test (pilot) planning: how many device-hours prove a FIT target.

A time-terminated test that allows ``R`` failures demonstrates a constant rate
``lambda_target`` at confidence ``C`` when it runs
``T = chi2.ppf(C, 2R+2) / (2 * lambda_target)`` device-hours (the chi-square
bound of :mod:`reliability.bounds` solved for T; Nelson 1982, ch. 10). Spread
over ``N`` units that is ``T / N`` hours each; with ``units_per_switch x switches``
units it is ``T / (U*S) / (8766/12)`` calendar months.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reliability._checks import check_confidence, check_count, check_positive
from reliability.bounds import chi2_quantile
from reliability.models import FIT_HOURS, HOURS_PER_YEAR

HOURS_PER_MONTH = HOURS_PER_YEAR / 12.0


@dataclass(frozen=True)
class PilotRequest:
    target_fit: float
    confidence: float = 0.95
    failures_allowed: int = 0
    units: int | None = None
    units_per_switch: int | None = None
    switches: int | None = None


@dataclass(frozen=True)
class PilotPlan:
    request: PilotRequest
    device_hours: float
    hours_per_unit: float | None
    months: float | None

    def to_dict(self) -> dict[str, Any]:
        r = self.request
        return {
            "target_fit": r.target_fit,
            "confidence": r.confidence,
            "failures_allowed": r.failures_allowed,
            "device_hours": self.device_hours,
            "units": r.units,
            "hours_per_unit": self.hours_per_unit,
            "units_per_switch": r.units_per_switch,
            "switches": r.switches,
            "months": self.months,
        }


def plan_pilot(request: PilotRequest) -> PilotPlan:
    """Device-hours (and hours per unit, calendar months) a demonstration needs."""
    fit = check_positive("target_fit", request.target_fit)
    c = check_confidence(request.confidence)
    r = check_count("failures_allowed", request.failures_allowed)
    for name in ("units", "units_per_switch", "switches"):
        v = getattr(request, name)
        if v is not None:
            check_positive(name, check_count(name, v))
    if (request.units_per_switch is None) != (request.switches is None):
        from reliability.errors import ParameterError

        raise ParameterError(
            f"units_per_switch = {request.units_per_switch!r} and switches = {request.switches!r}: "
            "give both (or neither) to get the pilot's length in months"
        )
    device_hours = chi2_quantile(r, c) / (2.0 * fit / FIT_HOURS)
    per_unit = device_hours / request.units if request.units else None
    months = None
    if request.units_per_switch and request.switches:
        months = device_hours / (request.units_per_switch * request.switches) / HOURS_PER_MONTH
    return PilotPlan(request, device_hours, per_unit, months)
