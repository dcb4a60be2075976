"""Numbers for people, formatted in one place: every table, message and report of the project
writes its numbers through these, so the same quantity reads the same everywhere.

- :func:`number`: significant digits, thousands grouped, never an exponent for ordinary sizes;
- :func:`fixed`: a fixed count of decimals, grouped;
- :func:`percent`: a share as per cent;
- :func:`usd`: money, compact above ten thousand ($12k, $3.41M, $1.20B);
- :func:`about`: an estimate to two significant digits ("about 42,000 failure events");
- :func:`toml_number`: a bound as a TOML file would write it (``1_000_000``).

Missing values (None, NaN) read as an en dash.
"""

from __future__ import annotations

import math

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
    """A share (0.25) as per cent ("25.0 %")."""
    if _missing(share):
        return DASH
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
