"""Time units: everything inside the library is hours; inputs are converted once, here."""

from __future__ import annotations

import math
import re
from enum import StrEnum

HOURS_PER_DAY = 24.0
HOURS_PER_YEAR = 8766.0  # 365.25 days: a Julian year, the usual reliability convention


def hours_as(hours: float, per_unit: float) -> float | None:
    """``hours`` in a larger unit (``per_unit`` hours each) if that is a short number converting
    back exactly, else None: how a scenario file writes a duration (days, years) when it can."""
    v = hours / per_unit
    return v if v * per_unit == hours and round(v, 6) == v else None


class TimeUnit(StrEnum):
    hours = "hours"
    days = "days"
    years = "years"

    @property
    def hours_per_unit(self) -> float:
        return {"hours": 1.0, "days": HOURS_PER_DAY, "years": HOURS_PER_YEAR}[self.value]


_SUFFIX = {"h": 1.0, "d": HOURS_PER_DAY, "w": 7 * HOURS_PER_DAY, "m": HOURS_PER_YEAR / 12,
           "y": HOURS_PER_YEAR}
_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([hdwmy]?)\s*$")


def parse_duration(text: str) -> float:
    """'500h', '90d', '6w', '18m' (months), '2y' or a bare number of hours -> hours.

    Raises ValueError naming the text and the accepted forms.
    """
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(
            f"duration {text!r} is not understood; write a number with a unit: "
            "500h, 90d, 6w, 18m (months) or 2y"
        )
    value = float(m.group(1)) * _SUFFIX[m.group(2) or "h"]
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"duration {text!r} must be a positive, finite time")
    return value
