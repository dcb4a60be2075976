"""The decision report's assumptions: every input of the resolved scenario with its value, unit,
published range, catalog key and confidence, weak figures flagged, and the catalog entries cited."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from cli.render.html import _e, _g, _table, _years
from cli.render.report_lives import life_text
from failure_data.catalog import Catalog, Confidence
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
            rows.append(Assumption(np_, text, "" if isinstance(v, LifeModel) or v is None else unit,
                                   tuple(k.strip() for k in keys.split(",")) if keys else (),
                                   comments.get(ip, ""), is_default))

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
                parts.append(f"{e.low:,.6g} – {e.high:,.6g} {e.unit}".strip())
    return "; ".join(parts)


def _assumptions_section(scenario: Scenario, cat: Catalog) -> tuple[str, int, int]:
    """The section's HTML, the number of rows, and how many rest on weak figures."""
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
        if flag:
            conf += f' <span class="badge">{_e(flag)}</span>'
        value = _e(a.value) + (f' <span class="unit">{_e(a.unit)}</span>' if a.unit else "")
        cells.append([f"<code>{_e(a.field)}</code>", value, _e(_range_text(a.keys, cat)) or "–", src,
                      conf or "–", f'<span class="note">{_e(a.note)}</span>' if a.note else ""])
        classes.append("weak" if flag else "")
    table = _table(["field", "value", "published range", "source", "confidence", "note"], cells,
                   cls="assumptions", row_classes=classes)
    refs = []
    for k in cited:
        e = cat.get(k)
        val = (f"{e.value:,.6g}" if e.value is not None else "") + (
            f" [{e.low:,.6g} – {e.high:,.6g}]" if e.low is not None and e.high is not None else "")
        if e.value is None or not val:  # several figures or words: the table's own text
            val = e.text
        refs.append([f"<code>{_e(k)}</code>", _e(e.parameter), _e(f"{val} {e.unit}".strip() or "–"),
                     _e(e.confidence_text or e.confidence), _e(e.source)])
    conf_words = "; ".join(f"<b>{_e(c.value)}</b> {_e(c.meaning)}" for c in Confidence)
    html_ = (f"<p>Every input of the resolved scenario ({len(rows)} fields). A value taken from the "
             "catalog of published figures names its key and confidence; rows marked "
             '<span class="badge">placeholder</span> or <span class="badge">low confidence</span> '
             f"rest on a stand-in or a weak source: {weak} of {len(rows)}. A <i>tool default</i> is the "
             "value the tool uses when a scenario says nothing (a modelling choice, not a published "
             "figure); <i>the scenario's</i> is a value its author set. A field's path is its "
             "table's heading row and its name, as <code>cpo sweep --vary</code> and "
             "<code>cpo breakeven --vary</code> take it.</p>"
             f"{table}<h3>Catalog entries cited</h3>"
             + _table(["key", "parameter", "value [range]", "confidence", "source"], refs, cls="refs")
             + f'<p class="small">Confidence: {conf_words}.</p>')
    return html_, len(rows), weak
