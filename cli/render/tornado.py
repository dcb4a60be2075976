"""A tornado's rows as people read them: one text for an input's range (a choice's values), and
the terminal table, narrow enough for an 80-column terminal with every input named in full."""

from __future__ import annotations

from typing import Any

from failure_data.numbers import dollars, money_format, span

_CONFIDENCE = {"inferred": "inf", "placeholder": "plc", "user": "user"}
CONFIDENCE_NOTE = ("conf: the catalog's confidence (H, M, L; inf = inferred from other rows, plc = "
                   "placeholder); a choice row moves one input from its central value to another")


def range_text(row: Any) -> str:
    """``719–1,818 FIT`` for a range, ``port-400g → device`` for a choice's row; money in whole
    dollars (the column's one format: $150,000–$250,000 beside $115–$165)."""
    if getattr(row, "kind", "range") == "choice":
        return f"{row.low} → {row.high}"
    return span(row.low, row.high, row.unit, money=dollars)


def table_money(frame: Any):
    """The one money format of a tornado table (its ends and swings)."""
    return money_format([*frame["at_low"], *frame["at_high"], *frame["swing"]])


def short_confidence(conf: str) -> str:
    return _CONFIDENCE.get(conf, conf)


def tornado_table(frame: Any, title: str):
    """The rich table of a tornado frame: input (never cut), range, confidence, the mean
    difference with the input at each end, and the swing."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = Table(title=Text(title), box=box.SIMPLE_HEAD, pad_edge=False, caption=Text(CONFIDENCE_NOTE),
              caption_justify="left")
    t.add_column("input", no_wrap=True)
    t.add_column("range", overflow="fold", max_width=20)
    t.add_column("conf", no_wrap=True)
    for name in ("at low", "at high", "swing"):
        t.add_column(name, justify="right", no_wrap=True)
    usd = table_money(frame)
    for r in frame.itertuples(index=False):
        t.add_row(Text(str(r.input)), Text(range_text(r)), Text(short_confidence(str(r.confidence))),
                  Text(usd(r.at_low, signed=True)), Text(usd(r.at_high, signed=True)), Text(usd(r.swing)))
    return t
