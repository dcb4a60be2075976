"""The catalog of published figures, as data (``failure_data/catalog.toml``).

Every row of the project's reference table of published figures is one
`CatalogEntry`, under the table's short key, with its numbers (a value, or a
low/high range with the value picked inside it and how), unit, source and
confidence; rows quoting several figures list them as ``items``. Entries that
can serve as a component life carry a ``life`` table in an inline form the
scenario format accepts. Derived entries (confidence ``inferred`` or
``placeholder``) say which keys they are computed from. A row the table's
revision changed or added says which revision (``revised = "2026-12"``).

>>> from failure_data.catalog import get
>>> get("power-price").value
0.078
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from failure_data.errors import DataError, option

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
LIST_HINT = f"list the keys with {option('catalog', 'failure_data.catalog.keys()')}"


class Confidence(StrEnum):
    """How much a figure can be trusted (the reference table's `conf` column)."""

    H = "H"  # peer-reviewed or operator's own field data
    M = "M"  # vendor claim, standard, reputable trade press
    L = "L"  # secondary blog or marketing: a placeholder only
    INFERRED = "inferred"  # arithmetic on other rows, not a published figure
    PLACEHOLDER = "placeholder"  # a stand-in where nothing is published
    NONE = "–"  # the table gives no confidence (nothing is published)

    @property
    def meaning(self) -> str:
        return _MEANING[self]


_MEANING = {
    Confidence.H: "peer-reviewed or operator field data",
    Confidence.M: "vendor claim, standard or reputable trade press",
    Confidence.L: "secondary source or marketing: a placeholder only",
    Confidence.INFERRED: "arithmetic on other entries, not a published figure",
    Confidence.PLACEHOLDER: "a stand-in where nothing is published: vary it",
    Confidence.NONE: "no confidence given (nothing is published)",
}


class Kind(StrEnum):
    """What kind of evidence a figure is: the README's "Where the defaults come from" column."""

    LAB = "lab"  # a laboratory test or qualification (stress, characterisation), not field service
    FIELD = "field"  # an operator's fleet in service
    VENDOR = "vendor"  # a vendor's datasheet, product description or claim
    ANALYST = "analyst"  # an analyst, trade-press or survey figure (prices, forecasts, statistics)
    LITERATURE = "literature"  # a textbook, standard, formula or secondary article
    INFERRED = "inferred"  # arithmetic on other entries
    PLACEHOLDER = "placeholder"  # a stand-in where nothing is published
    ASSUMPTION = "assumption"  # a modelling choice nothing published pins down: sweep it
    UNPUBLISHED = "unpublished"  # nobody publishes it (the table's "–")

    @property
    def meaning(self) -> str:
        return _KIND_MEANING[self]


_KIND_MEANING = {
    Kind.LAB: "a laboratory test or qualification, not field service",
    Kind.FIELD: "an operator's fleet in service",
    Kind.VENDOR: "a vendor's datasheet, product description or claim",
    Kind.ANALYST: "an analyst, trade-press or survey figure (prices, forecasts, statistics)",
    Kind.LITERATURE: "a textbook, standard, formula or secondary article",
    Kind.INFERRED: "arithmetic on other entries (derived_from)",
    Kind.PLACEHOLDER: "a stand-in where nothing is published: vary it",
    Kind.ASSUMPTION: "a modelling choice nothing published pins down: sweep its range",
    Kind.UNPUBLISHED: "nobody publishes it",
}
_KIND_OF = {Confidence.INFERRED: Kind.INFERRED, Confidence.PLACEHOLDER: Kind.PLACEHOLDER,
            Confidence.NONE: Kind.UNPUBLISHED}
"""The kind an entry of these confidences has unless it says otherwise; H, M and L entries say it."""


_RANK = {Confidence.L: 0, Confidence.M: 1, Confidence.H: 2}


def parse_confidence(text: str) -> Confidence:
    """A conf cell: one Confidence, or two of H/M/L joined by '/' (a row quoting figures of two
    confidences), which counts as the lower of the two."""
    parts = [p.strip() for p in text.split("/")]
    if len(parts) == 1:
        return Confidence(parts[0])
    confs = [Confidence(p) for p in parts]
    if len(confs) != 2 or any(c not in _RANK for c in confs):
        raise ValueError(text)
    return min(confs, key=_RANK.__getitem__)


@dataclass(frozen=True)
class Figure:
    """One number of an entry: a value, a range, or both (the value picked inside the range)."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def best(self) -> float | None:
        """The value, else the midpoint of a closed range, else the one bound given."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


@dataclass(frozen=True)
class CatalogEntry:
    key: str
    section: str
    parameter: str
    text: str
    unit: str
    source: str
    confidence: Confidence
    value: float | None = None
    low: float | None = None
    high: float | None = None
    value_note: str = ""
    notes: str = ""
    items: Mapping[str, Figure] = field(default_factory=dict)
    derived_from: tuple[str, ...] = ()
    life: Mapping[str, Any] | None = None
    life_note: str = ""
    confidence_text: str = ""
    """The table's conf cell verbatim; ``confidence`` is its lowest part for a mixed one ("L / M")."""
    revised: str = ""
    """The revision of the reference table that added or changed this row (``YYYY-MM``), if any."""
    kind: Kind = Kind.PLACEHOLDER
    """Lab, field, vendor, ... (:class:`Kind`): given in the file, or implied by an inferred,
    placeholder or "–" confidence."""

    def item(self, name: str) -> Figure:
        """One of the entry's several figures, e.g. ``get("module-power").item("dsp-800g")``."""
        try:
            return self.items[name]
        except KeyError:
            raise DataError(
                f"catalog entry {self.key!r} has no item {name!r}; its items: {sorted(self.items)}"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (confidence as its text, items as value/low/high/note tables)."""
        return {
            "key": self.key, "section": self.section, "parameter": self.parameter, "text": self.text,
            "value": self.value, "low": self.low, "high": self.high, "value_note": self.value_note,
            "unit": self.unit, "source": self.source, "confidence": str(self.confidence),
            "confidence_text": self.confidence_text or str(self.confidence), "notes": self.notes,
            "items": {k: {"value": f.value, "low": f.low, "high": f.high, "note": f.note}
                      for k, f in self.items.items()},
            "derived_from": list(self.derived_from),
            "life": None if self.life is None else dict(self.life), "life_note": self.life_note,
            "revised": self.revised or None, "kind": str(self.kind),
        }

    def cite(self) -> str:
        """``KEY (confidence)``, as comments and tables print it."""
        return f"{self.key} ({self.confidence})"


_ENTRY_FIELDS = {
    "section", "parameter", "text", "unit", "source", "confidence", "value", "low", "high",
    "value_note", "notes", "items", "derived_from", "life", "life_note", "revised", "kind",
}
_REQUIRED = ("section", "parameter", "text", "unit", "source", "confidence")
_NUMBERS = ("value", "low", "high")
_LIFE_KEYS = {"fit_per_1e9h", "distribution", "reference_temperature_c", "device_gbps"}
"""``device_gbps``: the rate is per device of that bandwidth, read per 400G port or per engine
(the scenario life form's ``device_unit``)."""
_REVISION = re.compile(r"\d{4}-(0[1-9]|1[0-2])")  # a revision of the reference table: YYYY-MM


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _figure(where: str, raw: Any, problems: list[str]) -> Figure | None:
    if _number(raw):
        return Figure(value=float(raw))
    if not isinstance(raw, Mapping):
        problems.append(f"{where} = {raw!r}: must be a number or a table of value/low/high/note")
        return None
    unknown = set(raw) - {"value", "low", "high", "note"}
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}; allowed: value, low, high, note")
    nums = {}
    for k in _NUMBERS:
        if k in raw:
            if not _number(raw[k]):
                problems.append(f"{where}.{k} = {raw[k]!r}: must be a finite number")
            else:
                nums[k] = float(raw[k])
    if not nums:
        problems.append(f"{where}: needs at least one of value, low, high")
    return Figure(note=str(raw.get("note", "")), **nums)


def _check_range(where: str, low: float | None, high: float | None, value: float | None,
                 problems: list[str]) -> None:
    if low is not None and high is not None and low > high:
        problems.append(f"{where}: low = {low} is above high = {high}")
    if value is not None:
        if low is not None and high is not None and not low <= value <= high:
            problems.append(f"{where}: value = {value} is outside its range [{low}, {high}]")


def _check_life(key: str, life: Any, problems: list[str]) -> None:
    where = f"{key}.life"
    if not isinstance(life, Mapping):
        problems.append(f"{where} = {life!r}: must be a table")
        return
    forms = [k for k in ("fit_per_1e9h", "distribution") if k in life]
    if len(forms) != 1:
        problems.append(f"{where}: needs exactly one of fit_per_1e9h or distribution, got {forms}")
        return
    if "fit_per_1e9h" in life:
        extra = set(life) - _LIFE_KEYS
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)} beside fit_per_1e9h")
        fit = life["fit_per_1e9h"]
        if not (_number(fit) and fit > 0):
            problems.append(f"{where}.fit_per_1e9h = {fit!r}: must be a number > 0")
    elif not isinstance(life["distribution"], str):
        problems.append(f"{where}.distribution = {life['distribution']!r}: must be a string")
    for k, v in life.items():
        if k != "distribution" and not _number(v):
            problems.append(f"{where}.{k} = {v!r}: must be a finite number")


def _entry(key: str, raw: Any, problems: list[str]) -> CatalogEntry | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{key}: must be a table")
        return None
    unknown = set(raw) - _ENTRY_FIELDS
    for k in sorted(unknown):
        near = difflib.get_close_matches(k, _ENTRY_FIELDS, n=1)
        problems.append(f"{key}.{k}: unknown field" + (f" (did you mean {near[0]!r}?)" if near else ""))
    for k in _REQUIRED:
        if k not in raw:
            problems.append(f"{key}: missing field {k!r}")
    if any(k not in raw for k in _REQUIRED):
        return None
    try:
        conf = parse_confidence(str(raw["confidence"]))
    except ValueError:
        problems.append(
            f"{key}.confidence = {raw['confidence']!r}: must be one of {[c.value for c in Confidence]}, "
            "or two of H, M, L joined by '/' (a row quoting figures of two confidences)"
        )
        return None
    nums: dict[str, float] = {}
    for k in _NUMBERS:
        if k in raw:
            if _number(raw[k]):
                nums[k] = float(raw[k])
            else:
                problems.append(f"{key}.{k} = {raw[k]!r}: must be a finite number")
    _check_range(key, nums.get("low"), nums.get("high"), nums.get("value"), problems)
    items: dict[str, Figure] = {}
    for name, fig_raw in dict(raw.get("items", {})).items():
        fig = _figure(f"{key}.items.{name}", fig_raw, problems)
        if fig is not None:
            _check_range(f"{key}.items.{name}", fig.low, fig.high, fig.value, problems)
            items[name] = fig
    life = raw.get("life")
    if life is not None:
        _check_life(key, life, problems)
        if not raw.get("life_note"):
            problems.append(f"{key}: a life table needs a life_note saying how it was derived")
    revised = raw.get("revised", "")
    if not (isinstance(revised, str) and (revised == "" or _REVISION.fullmatch(revised))):
        problems.append(f"{key}.revised = {revised!r}: must be the table revision as \"YYYY-MM\", "
                        "e.g. \"2026-12\" (or absent for a row no revision changed)")
        revised = ""
    kind = _KIND_OF.get(conf)
    if "kind" in raw:
        try:
            kind = Kind(raw["kind"])
        except ValueError:
            problems.append(f"{key}.kind = {raw['kind']!r}: must be one of {[k.value for k in Kind]}")
    elif kind is None:
        problems.append(f"{key}: missing field 'kind' (a published figure says what it is: one of "
                        f"{[k.value for k in Kind]})")
    derived = tuple(raw.get("derived_from", ()))
    if conf in (Confidence.INFERRED, Confidence.PLACEHOLDER) and not (derived or raw.get("notes")):
        problems.append(f"{key}: an entry of confidence {conf} needs derived_from or notes saying where it comes from")
    return CatalogEntry(
        key=key, section=str(raw["section"]), parameter=str(raw["parameter"]), text=str(raw["text"]),
        unit=str(raw["unit"]), source=str(raw["source"]), confidence=conf,
        confidence_text=str(raw["confidence"]).strip(), value_note=str(raw.get("value_note", "")), notes=str(raw.get("notes", "")),
        items=MappingProxyType(items), derived_from=derived,
        life=None if life is None else MappingProxyType(dict(life)),
        life_note=str(raw.get("life_note", "")), revised=revised, kind=kind or Kind.PLACEHOLDER, **nums,
    )


def parse_catalog(data: Mapping[str, Any], source: str = "catalog") -> dict[str, CatalogEntry]:
    """Validate a parsed catalog TOML document; every problem is reported at once as a DataError."""
    problems: list[str] = []
    entries: dict[str, CatalogEntry] = {}
    for key, raw in data.items():
        entry = _entry(key, raw, problems)
        if entry is not None:
            entries[key] = entry
    for key, entry in entries.items():
        for d in entry.derived_from:
            if d not in entries:
                problems.append(f"{key}.derived_from: {d!r} is not a catalog key")
    if problems:
        raise DataError(f"{source}: {len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems))
    return entries


class Catalog(Mapping[str, CatalogEntry]):
    """The published figures as an object: entries by key, read-only.

    Every consumer (built-in scenarios, ``life = { catalog = KEY }``, the starter
    file) takes a catalog argument, defaulting to :func:`default_catalog`, so a
    sweep or a what-if can pass a varied one (:meth:`with_values`).
    """

    def __init__(self, entries: Mapping[str, CatalogEntry], source: str = "catalog"):
        self._entries = MappingProxyType(dict(entries))
        self.source = source

    # identity, not contents: a catalog is a value source that caches (built-in architectures) key on
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @classmethod
    def from_toml(cls, path: str | Path) -> Catalog:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise DataError(f"cannot read the catalog {p}: {e}") from None
        return cls(parse_catalog(data, source=str(p)), source=str(p))

    def __getitem__(self, key: str) -> CatalogEntry:
        return self._entries[key]

    def __iter__(self):
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> CatalogEntry:  # type: ignore[override]
        """The entry under ``key``; a DataError naming the key, close matches and how to list keys."""
        if not isinstance(key, str) or key not in self._entries:
            near = difflib.get_close_matches(str(key), self._entries, n=3)
            hint = f" did you mean {', '.join(repr(n) for n in near)}?" if near else ""
            raise DataError(f"catalog key {key!r} is not in the catalog;{hint} {LIST_HINT}")
        return self._entries[key]

    def value(self, key: str, item: str | None = None) -> float:
        """A number: the entry's value, or one item's (its value, else its range midpoint)."""
        entry = self.get(key)
        fig = entry.item(item).best if item is not None else entry.value
        if fig is None:
            raise DataError(f"catalog entry {key!r} has no number{f' for item {item!r}' if item else ''}")
        return fig

    def with_values(self, values: Mapping[str, float]) -> Catalog:
        """A copy with some entries' values replaced (a what-if or a sweep point); the changed
        entries say so in their notes, so a result cites the value it really used."""
        entries = dict(self._entries)
        for key, v in values.items():
            e = self.get(key)
            if not (isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)):
                raise DataError(f"catalog value for {key!r} = {v!r} must be a finite number")
            life = e.life
            if life is not None and life.get("fit_per_1e9h") == e.value:  # the life is the value
                life = MappingProxyType({**life, "fit_per_1e9h": float(v)})
            entries[key] = dataclasses.replace(e, value=float(v), life=life, notes=(
                f"{e.notes}; " if e.notes else "") + f"value set to {v:g} (was {e.value})")
        return Catalog(entries, source=f"{self.source} (varied: {', '.join(values)})")

    def frame(self):
        """The catalog as a pandas DataFrame, one row per entry (items and life as text)."""
        import pandas as pd

        rows = []
        for e in self._entries.values():
            rows.append({
                "key": e.key, "section": e.section, "parameter": e.parameter, "text": e.text,
                "value": e.value, "low": e.low, "high": e.high, "unit": e.unit,
                "confidence": str(e.confidence), "source": e.source,
                "items": "; ".join(f"{k}={_fig_text(f)}" for k, f in e.items.items()),
                "derived_from": ", ".join(e.derived_from),
                "life": _life_text(e.life),
                "notes": "; ".join(x for x in (e.value_note, e.notes, e.life_note) if x),
                "revised": e.revised, "kind": str(e.kind),
            })
        return pd.DataFrame(rows).set_index("key")


@functools.lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The shipped catalog (``failure_data/catalog.toml``), read once."""
    return Catalog.from_toml(CATALOG_PATH)


def load_catalog() -> dict[str, CatalogEntry]:
    """Every entry of the default catalog by key (a fresh dict; the entries are immutable)."""
    return dict(default_catalog())


def keys() -> list[str]:
    return list(default_catalog())


def get(key: str) -> CatalogEntry:
    """The default catalog's entry under ``key`` (see :meth:`Catalog.get`)."""
    return default_catalog().get(key)


def catalog_frame():
    """The default catalog as a DataFrame (see :meth:`Catalog.frame`)."""
    return default_catalog().frame()


def _fig_text(f: Figure) -> str:
    if f.low is not None or f.high is not None:
        rng = f"{_g(f.low)}–{_g(f.high)}"
        return rng if f.value is None else f"{_g(f.value)} ({rng})"
    return _g(f.value)


def _g(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _life_text(life: Mapping[str, Any] | None) -> str:
    if not life:
        return ""
    return ", ".join(f"{k}={v:g}" if _number(v) else f"{k}={v}" for k, v in life.items())
