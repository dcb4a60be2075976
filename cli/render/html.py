"""The report's HTML parts: escaping (every user string goes through :func:`_e`), tables, and how
an input's value and a horizon are written."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from failure_data.numbers import number
from failure_data.units import HOURS_PER_YEAR
from failure_data.words import printable


def _e(x: Any) -> str:
    """Every text that goes into the page goes through here (quotes too: safe in attributes; a
    control character, which HTML may not hold, as its escape: failure_data.words.printable)."""
    return html.escape(printable(str(x)), quote=True)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "",
           row_classes: Sequence[str] | None = None, first_col_header: bool = True) -> str:
    """A table from cells that are already HTML (escape them before)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    labels = [_e(html.unescape(re.sub(r"<[^>]+>", "", h))) for h in header]  # a stacked cell's label
    thead = f"<thead><tr>{head}</tr></thead>" if any(header) else ""
    body = []
    for i, r in enumerate(rows):
        rc = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        if len(r) == 1 and len(header) > 1:  # a heading row across the table
            body.append(f'<tr{rc}><th scope="rowgroup" colspan="{len(header)}">{r[0]}</th></tr>')
            continue
        cells = "".join((f'<th scope="row">{c}</th>' if j == 0 and first_col_header else
                         f'<td data-label="{labels[j] if j < len(labels) else ""}">{c}</td>')
                        for j, c in enumerate(r))
        body.append(f"<tr{rc}>{cells}</tr>")
    c = f' class="{cls}"' if cls else ""
    wide = " wide" if len(header) > 3 else ""
    return (f'<div class="scroll{wide}"><table{c}>{thead}<tbody>{"".join(body)}</tbody></table>'
            "</div>")


def _g(x: Any) -> str:
    """An input's value as the assumptions table writes it."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return number(x, 6)
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _years(hours: float) -> str:
    y = hours / HOURS_PER_YEAR
    return f"{y:g} year{'s' if y != 1 else ''}"


def prose(doc: str) -> str:
    """A declaration's doc as a sentence for the page: no JSON hints, no TOML table names."""
    doc = re.sub(r"\s*\(JSON:[^()]*(\([^()]*\)[^()]*)*\)", "", doc)
    doc = re.sub(r"\s*\(\[[a-z_]+\]\)", "", doc)
    return re.sub(r"\[([a-z_]+)\]", r"\1 setting", doc).replace("`", "")
