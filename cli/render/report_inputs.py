"""The decision report's assumptions: every input of the resolved scenario with its value, unit,
published range, catalog key and confidence, weak figures flagged, and the catalog entries cited."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cli.render.html import _e, _g, _table, _years
from cli.render.report_lives import life_text
from failure_data.catalog import Catalog, Confidence
from failure_data.numbers import convert, dollars, quantity, readable_unit, span
from fleet_models.model.fields import declared
from fleet_models.model.spec import Scenario
from reliability.models import LifeModel

WEAK = {Confidence.PLACEHOLDER: "placeholder", Confidence.NONE: "placeholder",
        Confidence.L: "low confidence"}
"""Confidences flagged in the assumptions table (L: 'secondary source or marketing: a
placeholder only', in the catalog's words)."""


@dataclasses.dataclass(frozen=True)
class Assumption:
    path: str  # by names, as `cpo sweep --vary` takes it
    value: str
    unit: str
    keys: tuple[str, ...]  # catalog keys it came from (empty: the user's value or no source)
    note: str  # the cited text / comment `cpo scenario show` writes
    tool_default: bool = False  # equal to the field's declared literal default (not a catalog one)
    number: float | None = None  # the value as a number, for writing it in its range's unit

    @property
    def group(self) -> str:
        """The table the field sits in (``policy``, ``architectures.cpo-els.components.els``)."""
        return self.path.rpartition(".")[0]

    @property
    def field(self) -> str:
        return self.path.rpartition(".")[2]


def assumptions(scenario: Scenario, catalog: Catalog | None = None) -> list[Assumption]:
    """Every input of the resolved scenario, one row per field (a life model as one row), with
    the catalog keys it came from (``field_sources``) and the comment `cpo scenario show` gives."""
    from fleet_models.builtins.provenance import field_comments, field_sources

    sources = field_sources(scenario, catalog)
    comments = field_comments(scenario, catalog)
    rows: list[Assumption] = []

    def add(obj: Any, ipath: str, npath: str) -> None:
        cls = type(obj)
        aliases = {a.field: a.key for a in getattr(cls, "ALIASES", ())}
        for name, d in declared(cls).items():
            v = getattr(obj, name)
            ip = f"{ipath}.{name}" if ipath else name
            np_ = f"{npath}.{name}" if npath else name
            if name == "source" and ipath:  # a component's keys: shown in the source column
                continue
            if isinstance(v, tuple) and v and dataclasses.is_dataclass(v[0]):
                for i, item in enumerate(v):
                    add(item, f"{ip}[{i}]", f"{np_}.{getattr(item, 'name', i)}")
                continue
            if isinstance(v, Mapping):
                for k, item in v.items():
                    add(item, f"{ip}.{k}", f"{np_}.{k}")
                continue
            if dataclasses.is_dataclass(v) and not isinstance(v, LifeModel):
                add(v, ip, np_)
                continue
            keys = sources.get(ip) or (sources.get(f"{ipath}.{aliases[name]}") if name in aliases else None)
            if isinstance(v, LifeModel):
                text = life_text(v)
            elif v is None and name == "ports_per_unit":
                text = "switch (a failure takes every port down)"
            elif v is None:
                text = "not set"
            elif hasattr(v, "value") and not isinstance(v, int | float):  # an enum
                text = str(v.value)
            else:
                text = _g(v)
            unit = d.setting.unit
            if name == "horizon_hours":
                text += f" ({_years(v)})"
            is_default = d.default is not dataclasses.MISSING and _same(v, d.default)
            num = float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
            rows.append(Assumption(np_, text, "" if isinstance(v, LifeModel) or v is None else unit,
                                   tuple(k.strip() for k in keys.split(",")) if keys else (),
                                   comments.get(ip, ""), is_default, num))

    add(scenario, "", "")
    return rows


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001  (arrays and odd types: not the default)
        return False


def _weakest(keys: Sequence[str], cat: Catalog) -> Confidence | None:
    order = [Confidence.PLACEHOLDER, Confidence.NONE, Confidence.L, Confidence.INFERRED,
             Confidence.M, Confidence.H]
    confs = [cat.get(k).confidence for k in keys if k in cat]
    return min(confs, key=order.index) if confs else None


def _range_text(keys: Sequence[str], cat: Catalog) -> str:
    parts = []
    for k in keys:
        if k in cat:
            e = cat.get(k)
            if e.low is not None and e.high is not None:
                parts.append(span(e.low, e.high, e.unit, money=dollars))
    return "; ".join(parts)


def value_text(a: Assumption, cat: Catalog) -> str:
    """An input's value with its unit once, in the unit of the published range it cites (5 min
    beside 2-5 min, not 0.0833 h; 80 % beside 30-99.94 %); money in whole dollars, the one format
    of every table of inputs ($200,000 beside $1,250)."""
    if a.number is None or not a.unit and not a.keys:
        return a.value + (f" {a.unit}" if a.unit else "")
    for k in a.keys:
        e = cat.get(k) if k in cat else None
        if e is None or e.low is None or e.high is None:
            continue
        if e.unit == "USD" and a.unit == "USD":
            return dollars(a.number)
        shown = readable_unit([e.low, e.high], e.unit)
        v = convert(a.number, a.unit, shown)
        if v is not None:
            return quantity(v, shown, like=[v])
    if a.unit == "USD":
        return dollars(a.number)
    if not a.unit:
        return a.value
    return quantity(a.number, a.unit, digits=6)


WEAK_SOURCE = re.compile(r"\b(19|20)\d\d\b")


def weak_source(source: str) -> bool:
    """A source that names no publication year (a "vendor TCO blog", "operator blogs"): weak, said
    so in the confidence column rather than presented as a citation. Inferred and placeholder
    rows say what they are already."""
    s = source.strip().lower()
    return s not in ("inferred", "placeholder", "", "–") and WEAK_SOURCE.search(source) is None


def cited_closure(keys: Sequence[str], cat: Catalog) -> list[str]:
    """``keys`` and, for a derived entry, the entries it is derived from (and theirs), in order:
    a reader can follow a derived figure to the published ones behind it."""
    out: list[str] = []
    todo = list(keys)
    while todo:
        k = todo.pop(0)
        if k in out or k not in cat:
            continue
        out.append(k)
        todo[:0] = [d for d in cat.get(k).derived_from if d not in out]
    return out


def _assumptions_section(scenario: Scenario, cat: Catalog) -> tuple[str, str, int, int]:
    """The section's HTML (the weak inputs first), the appendix's (every input and the catalog
    entries cited), the number of rows, and how many rest on weak figures."""
    rows = assumptions(scenario, cat)
    cells, classes, weak = [], [], 0
    cited: list[str] = []
    group = None
    for a in rows:
        if a.group != group:
            group = a.group
            cells.append([f"<code>{_e(group or 'scenario')}</code>"])
            classes.append("group")
        w = _weakest(a.keys, cat)
        flag = WEAK.get(w) if w is not None else None
        if flag:
            weak += 1
        cited += [k for k in a.keys if k not in cited and k in cat]
        src = ", ".join(f"<code>{_e(k)}</code>" for k in a.keys) or (
            '<span class="muted">tool default</span>' if a.tool_default else
            '<span class="muted">the scenario\'s</span>')
        conf = ", ".join(_e(cat.get(k).confidence_text or cat.get(k).confidence) for k in a.keys if k in cat)
        if any(weak_source(cat.get(k).source) for k in a.keys if k in cat):
            conf += ' <span class="badge">weak source</span>'
        if flag:
            conf += f' <span class="badge">{_e(flag)}</span>'
        value = _e(value_text(a, cat))
        cells.append([f"<code>{_e(a.field)}</code>", value, _e(_range_text(a.keys, cat)) or "–", src,
                      conf or "–", f'<span class="note">{_e(a.note)}</span>' if a.note else ""])
        classes.append("weak" if flag else "")
    table = _table(["field", "value", "published range", "source", "confidence", "note"], cells,
                   cls="assumptions", row_classes=classes)
    # the weak ones first, compact (one row per figure, naming every place it is used): what a
    # reader should question before trusting the answer
    grouped: dict[tuple, list[str]] = {}
    first: dict[tuple, list[str]] = {}
    for a in rows:
        w = _weakest(a.keys, cat)
        if WEAK.get(w) if w is not None else None:
            key = (a.field, value_text(a, cat), a.keys)
            grouped.setdefault(key, []).append(a.group.removeprefix("architectures.") or "scenario")
            first.setdefault(key, [_e(value_text(a, cat)), _e(_range_text(a.keys, cat)) or "–",
                                   ", ".join(f"<code>{_e(k)}</code>" for k in a.keys),
                                   ", ".join(_e(cat.get(k).confidence_text or cat.get(k).confidence)
                                             for k in a.keys if k in cat)])
    weak_rows = [[f"<code>{_e(f)}</code><br><span class=\"note\">{_e(', '.join(where))}</span>",
                  *first[(f, v, k)]] for (f, v, k), where in grouped.items()]
    weak_table = _table(["field", "value", "published range", "source", "confidence"], weak_rows,
                        cls="assumptions weak-first") if weak_rows else ""
    refs = []
    for k in cited_closure(cited, cat):
        e = cat.get(k)
        if e.value is not None:
            val = quantity(e.value, e.unit, like=[e.low, e.high] if e.low is not None else None,
                           money=dollars)
            if e.low is not None and e.high is not None:
                val += f" [{span(e.low, e.high, e.unit, money=dollars)}]"
        else:  # several figures or words: the table's own text, which carries its units
            val = e.text
        source = _e(e.source)
        if e.derived_from:
            source += " from " + ", ".join(f'<a href="#ref-{_e(d)}"><code>{_e(d)}</code></a>'
                                           for d in e.derived_from)
        conf = _e(e.confidence_text or e.confidence)
        if weak_source(e.source):
            conf += ' <span class="badge">weak source</span>'
        refs.append([f'<code id="ref-{_e(k)}">{_e(k)}</code>', _e(e.parameter), _e(val or "–"),
                     conf, source])
    conf_words = "; ".join(f"<b>{_e(c.value)}</b> {_e(c.meaning)}" for c in Confidence)
    main = (f"<p>The scenario has {len(rows)} inputs. {weak} of them rest on a placeholder or a "
            'low-confidence figure (marked <span class="badge">placeholder</span> or '
            '<span class="badge">low confidence</span>); they are listed here first, with their '
            "published ranges. The other inputs take published figures of medium or high "
            'confidence or are the scenario\'s own: every input, with its source and note, is in '
            'the <a href="#appendix">appendix</a>, and the catalog entries cited, with the '
            "publications behind them, follow it.</p>"
            + (f"<h3>Inputs resting on weak figures ({weak})</h3>{weak_table}" if weak_table else "")
            + f'<p class="small">Confidence: {conf_words}.</p>')
    appendix = (f"<p>Every input of the resolved scenario ({len(rows)} fields). A value taken from the "
                "catalog of published figures names its key and confidence. A <i>tool default</i> is "
                "the value the tool uses when a scenario says nothing (a modelling choice, not a "
                "published figure); <i>the scenario's</i> is a value its author set. A field's path "
                "is its table's heading row and its name, as the sweep and break-even commands "
                f"take it.</p>{table}<h3>Catalog entries cited</h3>"
                "<p>Each entry the inputs cite, and each entry a derived one is derived from, with "
                "its source (publication and year as the reference table gives them; a source "
                'naming no publication year is marked <span class="badge">weak source</span>).</p>'
                + _table(["key", "parameter", "value [range]", "confidence", "source"], refs, cls="refs"))
    return main, appendix, len(rows), weak
