"""How a scenario field is declared, once: type (the annotation), default, range, unit, doc, source.

A spec dataclass (``fleet_models.model.spec``) declares each field with :func:`setting`;
everything else is derived from that one declaration: the validator's type and
range checks (``fleet_models.model.checks``, ``fleet_models.scenario.validate``), the comments of ``cpo scenario show`` and
``cpo scenario init``, the README's field table and the JSON Schema
(``fleet_models.scenario.docs``), and defaults read from the catalog of published
figures (``source``).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from failure_data.catalog import default_catalog
from failure_data.numbers import toml_number
from failure_data.units import HOURS_PER_YEAR  # noqa: F401  (spec.py's horizon unit)

if typing.TYPE_CHECKING:
    from failure_data.catalog import Catalog


@dataclass(frozen=True)
class Range:
    """An allowed interval; ``None`` bounds are open-ended."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    def ok(self, v: float) -> bool:
        if self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo):
            return False
        return not (self.hi is not None and (v >= self.hi if self.hi_open else v > self.hi))

    def text(self) -> str:
        """``must be in [0, 1)``: the phrase a message and a comment use."""
        if self.hi is None:
            return f"must be {'>' if self.lo_open else '>='} {toml_number(self.lo)}"
        if self.lo is None:
            return f"must be {'<' if self.hi_open else '<='} {toml_number(self.hi)}"
        return (f"must be in {'(' if self.lo_open else '['}{toml_number(self.lo)}, {toml_number(self.hi)}"
                f"{')' if self.hi_open else ']'}")

    def json_schema(self) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.lo is not None:
            out["exclusiveMinimum" if self.lo_open else "minimum"] = self.lo
        if self.hi is not None:
            out["exclusiveMaximum" if self.hi_open else "maximum"] = self.hi
        return out


POSITIVE = Range(0, None, lo_open=True)
NON_NEGATIVE = Range(0, None)
HOURS = Range(0, 87_660)  # up to ten years
SPAN_HOURS = Range(0, 87_660, lo_open=True)
HORIZON_YEARS = Range(0, 1000, lo_open=True)  # long runs are capped by their estimated size instead
LEAD_TIME_DAYS = Range(0, 3652.5)
FIT_RANGE = Range(0, 1e9, lo_open=True)
TEMPERATURE_C = Range(-60, 200)
ACTIVATION_EV = Range(0, 3, lo_open=True)
CONFIDENCE = Range(0, 1, lo_open=True, hi_open=True)


@dataclass(frozen=True)
class Source:
    """A default read from the catalog: ``key``'s value (or one ``item``'s) times ``scale``."""

    key: str
    item: str | None = None
    scale: float = 1.0
    integer: bool = False

    def value(self, catalog: Catalog | None = None) -> Any:

        v = (catalog or default_catalog()).value(self.key, self.item) * self.scale
        return int(v) if self.integer else v


class Role(StrEnum):
    """What a field does to a run: the rules for re-simulating and for the engines derive from it."""

    ENGINE = "engine"  # the engine reads it: a change re-simulates what it lies in
    SUMS = "sums"  # a price the reduced ledgers are made with (the discount rate): it re-simulates too
    POST = "post"  # priced or normalised after the run from the ledgers: a change re-simulates nothing
    LABEL = "label"  # words (names of things, descriptions, sources): changes no number
    RUN = "run"  # how a run is made (replications, seed), not what it simulates


@dataclass(frozen=True)
class Setting:
    """Everything about one field but its name and type (those are the dataclass field's)."""

    doc: str
    unit: str = ""
    range: Range | None = None
    allowed: str = ""  # the allowed values in words, where a range does not say it
    source: Source | None = None  # the default comes from the catalog
    table: bool = False  # written as its own TOML table (or array of tables), not a key
    role: Role = Role.ENGINE
    total_of: tuple[str, ...] = ()  # None means the sum of these fields of the same table
    weights: str = ""  # a choice field: the catalog key whose items weight-<value> weigh its values

    def allowed_text(self, tp: Any = None) -> str:
        if self.allowed:
            return self.allowed
        if self.range is not None:
            return self.range.text().removeprefix("must be ")
        return type_words(tp) if tp is not None else ""


def setting(default: Any = dataclasses.MISSING, *, factory: Callable[[], Any] | None = None,
            **declaration: Any) -> Any:
    """A dataclass field with its one declaration (the keywords of :class:`Setting`). With
    ``source`` and no ``default``, the default is read from the catalog when the dataclass is
    built without the field."""
    s = Setting(**declaration)
    meta = {"setting": s}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    if default is dataclasses.MISSING and s.source is not None:
        return dataclasses.field(default_factory=s.source.value, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True)
class Cite:
    """A value's source, carried with the object the value is in: the catalog key(s) that gave
    ``value``. It holds while the field still has that value (a changed value is the user's)."""

    keys: str  # catalog keys, comma-separated
    value: Any


def provenance() -> Any:
    """The field of a spec class that carries its values' sources, ``{field: Cite}``, filled by
    whoever made the object from the catalog (the built-ins) and kept by ``dataclasses.replace``
    (a renamed architecture keeps them). Not a setting: it is not compared, shown, written or
    validated, and no file sets it."""
    return dataclasses.field(default_factory=dict, compare=False, repr=False,
                             metadata={"provenance": True})


def cited(obj: Any, catalog: Catalog | None = None) -> dict[str, str]:
    """``{field: catalog keys}`` of the values of ``obj`` that still are what their source gave,
    and of every field whose declared ``source`` default it still holds."""
    out = {name: c.keys for name, c in getattr(obj, "cites", {}).items()
           if _same(getattr(obj, name), c.value)}
    for name, d in declared(type(obj)).items():
        if d.setting.source is not None and name not in out and _same(getattr(obj, name),
                                                                       d.setting.source.value(catalog)):
            out[name] = d.setting.source.key
    return out


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - values that cannot be compared are not the same
        return False


def resolved(obj: Any, name: str) -> Any:
    """The value of field ``name`` of a spec object, a total left unset (``total_of``) being the sum
    of its terms."""
    v = getattr(obj, name)
    terms = declared(type(obj))[name].setting.total_of
    return sum(getattr(obj, t) for t in terms) if v is None and terms else v


@dataclass(frozen=True)
class Alias:
    """A TOML-only key that sets a field in another unit (``horizon_years`` sets ``horizon_hours``)."""

    key: str
    field: str
    scale: float  # field value = key value x scale
    setting: Setting


@dataclass(frozen=True)
class Declared:
    """A field of a spec class with its resolved type and its :class:`Setting`."""

    name: str
    type: Any
    required: bool
    setting: Setting
    default: Any  # the literal default, dataclasses.MISSING when required or read from the catalog

    @property
    def range(self) -> Range | None:
        return self.setting.range


def declared(cls: type) -> Mapping[str, Declared]:
    """The fields of spec class ``cls`` in declaration order, each with its declaration (read once
    per class: a declaration does not change)."""
    return _declared(cls)


@functools.cache
@typing.no_type_check
def _declared(cls: type) -> Mapping[str, Declared]:
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        if f.metadata.get("provenance"):
            continue  # not a setting: where the values came from (see :func:`provenance`)
        s = f.metadata.get("setting")
        if s is None:
            raise TypeError(f"{cls.__name__}.{f.name} is not declared with fleet_models.model.fields.setting()")
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out[f.name] = Declared(f.name, hints[f.name], required, s, f.default)
    return MappingProxyType(out)


def catalog_defaults(cls: type, catalog: Catalog | None = None) -> dict[str, Any]:
    """``{field: value}`` of every field of ``cls`` whose default comes from ``catalog``."""
    return {name: d.setting.source.value(catalog) for name, d in declared(cls).items()
            if d.setting.source is not None}


def type_words(tp: Any) -> str:
    """How a message names a type: ``an integer``, ``one of "swap", "replace-switch"``."""
    from enum import Enum

    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + ", ".join(f'"{m.value}"' for m in tp)
    args = typing.get_args(tp)
    if is_optional(tp):
        return type_words(next(a for a in args if a is not type(None)))
    if typing.get_origin(tp) is tuple:
        return "a non-empty list of " + {str: "strings", float: "numbers", int: "integers"}.get(
            args[0], type_words(args[0]))
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def is_optional(tp: Any) -> bool:
    import types

    return (typing.get_origin(tp) in (typing.Union, types.UnionType)
            and type(None) in typing.get_args(tp))


SIMULATED = (Role.ENGINE, Role.SUMS)
"""The roles whose change re-simulates (the engine reads it, or the reduced ledgers hold it)."""


def engine_view(obj: Any) -> tuple:
    """The values of ``obj`` (a spec object) that a simulation of it depends on: every field whose
    role is in :data:`SIMULATED`, sub-tables recursed, as nested (name, value) pairs. Two objects
    with the same view simulate the same; prices, power, names and words do not enter it."""
    out = []
    for name, d in declared(type(obj)).items():
        v = getattr(obj, name)
        if d.setting.table:
            if isinstance(v, tuple):
                v = tuple((getattr(x, "name", i), engine_view(x)) for i, x in enumerate(v))
            elif isinstance(v, Mapping):
                v = tuple((k, engine_view(x)) for k, x in v.items())
            else:
                v = engine_view(v)
        elif d.setting.role not in SIMULATED:
            continue
        elif dataclasses.is_dataclass(v) and not hasattr(v, "parameters"):
            v = engine_view(v)
        out.append((name, v))
    return tuple(out)
