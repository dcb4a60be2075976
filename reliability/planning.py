"""Demonstration-test (pilot) planning: how many device-hours prove a FIT target.

A time-terminated test that allows ``R`` failures demonstrates a constant rate
``lambda_target`` at confidence ``C`` when it runs
``T = chi2.ppf(C, 2R+2) / (2 * lambda_target)`` device-hours (the chi-square
bound of :mod:`reliability.bounds` solved for T; Nelson 1982, ch. 10). Spread
over ``N`` units that is ``T / N`` hours each; with ``units_per_switch x switches``
units it is ``T / (U*S) / (8766/12)`` calendar months.

Each figure is computed in logs (``ln T = ln chi2 - ln 2 - ln target + ln 1e9``) and
given only when it is a normal float: a target that needs more than 1.8e308
device-hours (a FIT target of 1e-300), or less than 2.2e-308, is refused with a
ParameterError naming the flag values, never written as ``inf``/``null``/``0``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from failure_data.errors import option
from reliability._checks import check_confidence, check_positive
from reliability.bounds import chi2_quantile, count_arg, from_log
from reliability.errors import ParameterError
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
    r = count_arg("failures_allowed", request.failures_allowed)
    for name in ("units", "units_per_switch", "switches"):
        v = getattr(request, name)
        if v is not None:
            check_positive(name, count_arg(name, v))
    if (request.units_per_switch is None) != (request.switches is None):
        raise ParameterError(
            f"units_per_switch = {request.units_per_switch!r} and switches = {request.switches!r}: "
            "give both (or neither) to get the pilot's length in months"
        )
    q = chi2_quantile(r, c)
    log_hours = math.log(q) - math.log(2.0) - math.log(fit) + math.log(FIT_HOURS)
    asked = (f"target_fit = {fit!r} ({option('target_fit')}) at confidence = {c!r} with "
             f"failures_allowed = {r}")
    if log_hours > 0:  # too long: the smallest target whose test length is still a float
        fit_min = math.exp(math.log(q) - math.log(2.0) + math.log(FIT_HOURS) - LOG_FLOAT_MAX_SAFE)
        fix = (f"{asked} needs a test longer than any that could run; raise {option('target_fit')} "
               f"(to at least {fit_min:.3g} FIT at this confidence and failures allowed)")
    else:
        fix = (f"{asked} is met by a test of almost no length; lower {option('target_fit')} or raise "
               f"{option('confidence')}")
    device_hours = from_log(log_hours, "the test length needed", fix, unit="device-hours")
    device_hours = _exact_or(q / 2.0 * FIT_HOURS / fit, device_hours)
    per_unit = None
    if request.units:
        log_per_unit = log_hours - math.log(request.units)
        per_unit = from_log(log_per_unit, "the hours per unit", f"units = {_n(request.units)} ({option('units')}) "
                            f"spreads {device_hours:.6g} device-hours too thinly; use fewer units",
                            unit="hours")
        per_unit = _exact_or(device_hours / float(request.units), per_unit)
    months = None
    if request.units_per_switch and request.switches:
        log_months = (log_hours - math.log(request.units_per_switch) - math.log(request.switches)
                      - math.log(HOURS_PER_MONTH))
        months = from_log(log_months, "the calendar months", f"units_per_switch = "
                          f"{_n(request.units_per_switch)} x switches = {_n(request.switches)} "
                          f"({option('units_per_switch')}, {option('switches')}) spread {device_hours:.6g} device-hours too thinly; use fewer",
                          unit="months")
        months = _exact_or(device_hours / (float(request.units_per_switch) * float(request.switches))
                           / HOURS_PER_MONTH, months)
    return PilotPlan(request, device_hours, per_unit, months)


LOG_FLOAT_MAX_SAFE = 709.0  # a little below ln(1.8e308), so the suggested target is safely inside


def _n(count: float) -> str:
    """A count for a message: exact when short, else 6 significant digits (1e+200, not 201 digits)."""
    return str(count) if abs(count) < 1e15 else f"{float(count):.6g}"


def _exact_or(direct: float, from_logs: float) -> float:
    """The direct quotient (one or two roundings) when it is a normal float agreeing with the
    log computation (a product of huge counts can overflow on the way); else the log result."""
    if math.isfinite(direct) and direct > 0 and math.isclose(direct, from_logs, rel_tol=1e-9):
        return direct
    return from_logs
