"""Numbers for people, formatted in one place: every table, message and report of the project
writes its numbers through these, so the same quantity reads the same everywhere.

- :func:`number`: significant digits, thousands grouped, never an exponent for ordinary sizes;
- :func:`fixed`: a fixed count of decimals, grouped;
- :func:`percent`: a share as per cent;
- :func:`usd`: money, compact above ten thousand ($12k, $3.41M, $1.20B);
- :func:`about`: an estimate to two significant digits ("about 42,000 failure events");
- :func:`toml_number`: a bound as a TOML file would write it (``1_000_000``);
- :func:`money_format`: one money format for a whole table;
- :func:`quantity`, :func:`span`: a value or a range with its unit once, in the unit its range
  reads in (5 min, not 0.0833 h; 5–12 %/yr; 1 laser).

Missing values (None, NaN) read as an en dash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

DASH = "–"


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x: float | None, digits: int = 4) -> str:
    """``x`` to ``digits`` significant digits, thousands grouped (12,346; 0.0001235; 3.142)."""
    if _missing(x):
        return DASH
    x = float(x)
    if not math.isfinite(x):
        return "inf" if x > 0 else "-inf"
    if x != 0 and abs(x) >= 10 ** digits:
        return f"{x:,.0f}"
    return f"{x:,.{digits}g}"


def fixed(x: float | None, decimals: int = 2) -> str:
    """``x`` with ``decimals`` decimals, thousands grouped (1,234.50)."""
    if _missing(x):
        return DASH
    return f"{float(x):,.{decimals}f}"


def percent(share: float | None, decimals: int = 1) -> str:
    """A share (0.25) as per cent ("25.0 %"); a positive share too small for ``decimals`` is
    "below" its last digit (``< 0.0001 %``), never a zero it is not."""
    if _missing(share):
        return DASH
    least = 0.5 * 10.0 ** -decimals
    if 0 < float(share) * 100 < least:
        return f"< {10.0 ** -decimals:.{decimals}f} %"
    return f"{float(share) * 100:.{decimals}f} %"


def usd(x: float | None, signed: bool = False) -> str:
    """Money: $8,838 below ten thousand, then $12k, $3.41M, $1.20B; ``signed`` writes + and -."""
    if _missing(x) or not math.isfinite(float(x)):
        return "n/a"
    x = float(x)
    sign = ("+" if x > 0 else "-" if x < 0 else "") if signed else ("-" if x < 0 else "")
    a = abs(x)
    if a >= 1e9:
        return f"{sign}${a / 1e9:.2f}B"
    if a >= 1e6:
        return f"{sign}${a / 1e6:.2f}M"
    if a >= 1e4:
        return f"{sign}${a / 1e3:.0f}k"
    return f"{sign}${a:,.0f}"


def dollars(x: float | None, signed: bool = False) -> str:
    """Money exactly, as an input is written: whole dollars with separators ($200,000 beside
    $1,250: one format for a table of inputs), cents under ten dollars ($2.35)."""
    if _missing(x) or not math.isfinite(float(x)):
        return "n/a"
    x = float(x)
    sign = ("+" if x > 0 else "-" if x < 0 else "") if signed else ("-" if x < 0 else "")
    a = abs(x)
    return f"{sign}${a:,.2f}" if a < 10 and not a.is_integer() else f"{sign}${a:,.0f}"


def about(x: float) -> str:
    """An estimate to two significant digits (42,000), or "unboundedly many"."""
    if not math.isfinite(x):
        return "unboundedly many"
    return f"{float(f'{x:.2g}'):,.0f}" if x >= 100 else f"{x:.0f}"


def toml_number(x: float | None) -> str:
    """A bound as a TOML file writes it: 10_000 and up grouped with underscores, else as short as
    it reads exactly (0.25, 1e-09)."""
    if x is None:
        return ""
    if isinstance(x, int):
        return f"{x:_}" if abs(x) >= 10_000 else str(x)
    return f"{x:,.0f}".replace(",", "_") if float(x).is_integer() and abs(x) >= 1e4 else f"{x:g}"


# ---------------------------------------------------------------------- money in one format per table

_SCALES = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def money_format(values: Iterable[float | None]) -> Callable[..., str]:
    """One money format for a table (never ``$11k`` beside ``$8,838``): the suffix the largest
    value needs (B, M, k from ten thousand, else whole dollars), every value written in it, with
    two decimals, or two significant digits where two decimals would round a non-zero value away.
    The formatter takes ``signed=`` as :func:`usd` does."""
    finite = [abs(float(v)) for v in values if not _missing(v) and math.isfinite(float(v))]
    top = max(finite, default=0.0)
    scale, suffix = next(((s, n) for s, n in _SCALES if top >= max(s, 1e4)), (1.0, ""))

    def fmt(x: float | None, signed: bool = False) -> str:
        if _missing(x) or not math.isfinite(float(x)):
            return "n/a"
        x = float(x)
        sign = ("+" if x > 0 else "-" if x < 0 else "") if signed else ("-" if x < 0 else "")
        a = abs(x) / scale
        if abs(x) < 0.5:  # below half a dollar (float noise of a difference): nothing
            return "$0"
        if not suffix:
            return f"{sign}${a:,.0f}"
        text = f"{a:,.2f}" if a >= 0.01 else f"{a:.2g}"
        return f"{sign}${text}{suffix}"

    return fmt


# ---------------------------------------------------------------------- quantities with their unit

_UNIT_NAMES = {"$/GPU-h": "USD/GPU-h", "$/h": "USD/h", "$/kWh": "USD/kWh", "yr": "years",
               "wk": "weeks", "1/yr": "per year"}
"""One spelling per unit in what people read."""

_SINGULAR = {"lasers": "laser", "switches": "switch", "engines": "engine", "ports": "port",
             "units": "unit", "parts": "part", "GPUs": "GPU", "years": "year", "days": "day",
             "weeks": "week", "modules": "module"}

_CONVERT = {("h", "min"): 60.0, ("h", "days"): 1 / 24, ("days", "h"): 24.0, ("min", "h"): 1 / 60,
            ("", "%"): 100.0, ("per year", "%/yr"): 100.0, ("1/yr", "%/yr"): 100.0}


def unit_name(unit: str, count: float | None = None) -> str:
    """The unit as people read it: one spelling (USD/GPU-h, not $/GPU-h), singular for exactly one
    (``1 laser``)."""
    u = _UNIT_NAMES.get(unit, unit)
    return _SINGULAR.get(u, u) if count is not None and float(count) == 1.0 else u


def convert(x: float, unit: str, to: str) -> float | None:
    """``x`` in ``unit`` written in ``to`` (h to min, a share to %), or None if there is no rule."""
    u, t = _UNIT_NAMES.get(unit, unit), _UNIT_NAMES.get(to, to)
    if u == t:
        return float(x)
    factor = _CONVERT.get((u, t))
    return None if factor is None else float(x) * factor


def readable_unit(values: Iterable[float], unit: str) -> str:
    """The unit a span of values reads best in: hours under one as minutes, a rate per year of at
    most one (a discount rate) as %/yr; otherwise ``unit`` itself."""
    vals = [abs(float(v)) for v in values if not _missing(v)]
    u = _UNIT_NAMES.get(unit, unit)
    if u == "h" and vals and max(vals) < 1:
        return "min"
    if u == "per year" and vals and max(vals) <= 1:
        return "%/yr"
    return u


def quantity(x: float | None, unit: str, digits: int = 4, like: Iterable[float] | None = None,
             money: Callable[[float], str] = usd) -> str:
    """``x`` with its unit once, in the unit ``like`` (its range) reads best in: ``5 min`` beside
    a range of 2-5 min, not ``0.0833333 h``; ``2.35 USD/GPU-h``; money as ``money`` writes it
    (:func:`usd`, or the table's own format)."""
    if _missing(x):
        return DASH
    if unit == "USD":
        return money(x)
    shown = readable_unit(list(like) if like is not None else [x], unit)
    v = convert(float(x), unit, shown)
    if v is None:
        v, shown = float(x), _UNIT_NAMES.get(unit, unit)
    text = number(round(v, 10), digits if shown == unit else min(digits, 3))
    return f"{text} {unit_name(shown, v)}".strip() if shown != "%" else f"{text} %"


def span(lo: float, hi: float, unit: str, digits: int = 4,
         money: Callable[[float], str] = usd) -> str:
    """A range with its unit once: ``5–30 min``, ``$150k–$250k``, ``1.7–5 USD/GPU-h``."""
    if unit == "USD":
        return f"{money(lo)}–{money(hi)}"
    shown = readable_unit([lo, hi], unit)
    a, b = convert(lo, unit, shown), convert(hi, unit, shown)
    if a is None or b is None:
        a, b, shown = float(lo), float(hi), _UNIT_NAMES.get(unit, unit)
    d = digits if shown == unit else min(digits, 3)
    text = f"{number(round(a, 10), d)}–{number(round(b, 10), d)}"
    return f"{text} {unit_name(shown)}".strip() if shown != "%" else f"{text} %"
