"""What a person or a spreadsheet wrote where a plain number or a YYYY-MM-DD date belongs, read
back so a refusal can name the value it should have been: a decimal comma (``100,5``), thousands
grouped (``1,234.5``, ``1.234,5``, ``1 234``), a unit after the number (``100 h``), a Unicode
minus; a date as people type it (``1/2/2024``, ``02.01.2024``, ``Jan 2, 2024``, ``2024/01/02``),
with a time of day (``2024-01-02 08:30``) or as a spreadsheet's serial day number (``45293``).

Nothing here accepts a value: the readers stay strict (one spelling of a number, one of a date)
and these only word the fix. An ambiguous date (``1/2/2024``: January 2 or February 1) is said to
be ambiguous, with both readings, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re

_GROUPED_DOT = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.5
_GROUPED_COMMA = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234,5
_GROUPED_SPACE = re.compile(r"^[-+]?\d{1,3}([ \u00a0\u202f']\d{3})+([.,]\d+)?$")  # 1 234,5
_DECIMAL_COMMA = re.compile(r"^[-+]?\d*,\d+$")  # 100,5
_WITH_UNIT = re.compile(r"^([-+]?\d+(?:[.,]\d+)?)\s*([a-zA-Z%°]+)$")  # 100 h, 90d, 5%


def with_fix(message: str, fix: str | None) -> str:
    """A refusal's message, with the value it should have been when that can be read."""
    return f"{message}; here: {fix}" if fix else message


def number_fix(text: str | None) -> str | None:
    """How ``text`` would be written as a plain number, with why; None when no reading is
    sure."""
    if text is None:
        return None
    t = text.strip()
    if "\u2212" in t and _plain(t.replace("\u2212", "-")):
        return f"{t.replace(chr(0x2212), '-')} (with an ASCII minus sign)"
    if re.match(r"^[-+]?\d{1,3},\d{3}$", t):  # 1,234: grouped thousands, or a decimal comma
        return (f"{t.replace(',', '')} (thousands grouped) or {t.replace(',', '.')} (a decimal "
                "comma): which is meant cannot be told from the value; write the one meant")
    if _GROUPED_DOT.match(t):
        return f"{t.replace(',', '')} (without the thousands separators)"
    if _GROUPED_COMMA.match(t):
        return f"{t.replace('.', '').replace(',', '.')} (a decimal point, no thousands separators)"
    if _GROUPED_SPACE.match(t):
        plain = re.sub(r"[ \u00a0\u202f']", "", t).replace(",", ".")
        return f"{plain} (without the thousands separators)"
    if _DECIMAL_COMMA.match(t):
        return f"{t.replace(',', '.')} (a decimal point, not a comma)"
    m = _WITH_UNIT.match(t)
    if m:
        return f"{m.group(1).replace(',', '.')} (the number alone; the unit is the column's)"
    return None


def _plain(t: str) -> bool:
    try:
        float(t)
    except ValueError:
        return False
    return True


_SEP_DATE = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})$")
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_NAMED = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d %Y",
          "%d %b, %Y", "%Y-%b-%d")
SERIAL_EPOCH = dt.date(1899, 12, 30)  # day 0 of a spreadsheet's 1900 date system (as Excel counts)


def date_fix(text: str | None) -> str | None:
    """How ``text`` would be written as YYYY-MM-DD, with why (or both readings of an ambiguous
    day and month); None when it does not read as a date at all."""
    if text is None:
        return None
    t = text.strip()
    m = _TIME.match(t)
    if m:
        return f"{m.group(1)} (the date alone, without the time of day)"
    m = _SEP_DATE.match(t)
    if m:
        a, sep, b, c = m.group(1), m.group(2), m.group(3), m.group(4)
        if len(a) == 4:  # 2024/01/02: year first, then month and day
            return _iso(int(a), int(b), int(c), "with dashes")
        if len(c) != 4:
            return None  # a two-digit year: which century is not ours to guess
        x, y, year = int(a), int(b), int(c)
        if sep == ".":  # 02.01.2024: a dotted date is day first wherever it is written
            return _iso(year, y, x, "day.month.year")
        if x > 12 and y <= 12:
            return _iso(year, y, x, "day first")
        if y > 12 and x <= 12:
            return _iso(year, x, y, "month first")
        if x == y:
            return _iso(year, x, y, "day and month the same")
        one, other = _valid(year, x, y), _valid(year, y, x)
        if one and other:
            return (f"{one} (month first) or {other} (day first): which is meant cannot be told "
                    "from the value; write the one meant")
        return None
    for fmt in _NAMED:
        try:
            d = dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
        return f"{d.isoformat()} (the month as a number)"
    if t.isdigit() and 20_000 <= int(t) <= 80_000:  # 1954-09-04 .. 2119-01-10
        d = SERIAL_EPOCH + dt.timedelta(days=int(t))
        return (f"{d.isoformat()} (it looks like a spreadsheet's serial day number: format the "
                "column as dates, YYYY-MM-DD, before exporting)")
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso(year: int, month: int, day: int, why: str) -> str | None:
    d = _valid(year, month, day)
    return None if d is None else f"{d} ({why})"
