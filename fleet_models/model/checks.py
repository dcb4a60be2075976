"""Typed-field checks and the problem collector: every problem with its field path, the value and the fix.

Generic over the spec dataclasses (``fleet_models.model.spec``): a table's allowed keys, types
and ranges are read from the fields' declarations (``fleet_models.model.fields``). The TOML
parser (``fleet_models.scenario.read``), the life forms (``fleet_models.model.lives``) and the
validator of hand-built scenarios (``fleet_models.scenario.validate``) all collect their
problems in one :class:`Problems` and convert values with :func:`convert`, so every problem is
reported at once, in the same words.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fleet_models.errors import FleetError, ScenarioError
from fleet_models.model.fields import Range, declared, is_optional, type_words

SWITCH = "switch"  # ports_per_unit / spares name meaning the whole switch
MAX_SHOWN = 50  # problems listed in one error message

# ---------------------------------------------------------------------- problems


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


NO_VALUE = _Missing()


def show_value(v: Any) -> str:
    """A value as a scenario file would write it (strings quoted, booleans lower-case)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | str | list | dict | tuple):
        try:
            return json.dumps(v, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            return repr(v)
    return repr(v)


@dataclass(frozen=True)
class ScenarioProblem:
    path: str
    value: Any
    message: str

    def to_dict(self) -> dict[str, Any]:
        value = None if self.value is NO_VALUE else show_value(self.value)
        return {"field": self.path, "value": value, "message": self.message}

    def __str__(self) -> str:
        if self.value is NO_VALUE:
            return f"{self.path}: {self.message}"
        return f"{self.path} = {show_value(self.value)}: {self.message}"


class Problems:
    def __init__(self) -> None:
        self.items: list[ScenarioProblem] = []

    def add(self, path: str, value: Any, message: str) -> None:
        self.items.append(ScenarioProblem(path or "(top level)", value, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self, source: str | None) -> ScenarioError:
        n = len(self.items)
        head = f"{source}: " if source else ""
        if n == 1:  # one line, so `--json`'s "error" (the first line) says it all
            return ScenarioError(f"{head}invalid scenario: {self.items[0]}", self.items)
        lines = [f"{head}invalid scenario, {n} problems; nothing was run:"]
        lines += [f"  - {p}" for p in self.items[:MAX_SHOWN]]
        if n > MAX_SHOWN:
            lines.append(f"  ... and {n - MAX_SHOWN} more")
        return ScenarioError("\n".join(lines), self.items)


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def suggest(word: str, allowed: Collection[str]) -> str:
    near = difflib.get_close_matches(str(word), list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


# ---------------------------------------------------------------------- typed fields


def convert(value: Any, tp: Any, path: str, p: Problems, rng: Range | None = None) -> tuple[bool, Any]:
    """Check ``value`` against the annotation ``tp`` (and range); (ok, converted value)."""
    if is_optional(tp):
        if value is None:
            return True, None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            return convert(value, inner[0], path, p, rng)
    if isinstance(tp, type) and issubclass(tp, Enum):
        allowed = [m.value for m in tp]
        if isinstance(value, str) and value in allowed:
            return True, tp(value)
        p.add(path, value, f"must be {type_words(tp)}{suggest(str(value), allowed)}")
        return False, None
    if typing.get_origin(tp) is tuple:  # tuple[X, ...]: a list of X
        item = typing.get_args(tp)[0]
        if isinstance(value, list | tuple) and value:
            sub = Problems()
            out = [convert(x, item, join(path, i), sub, rng)[1] for i, x in enumerate(value)]
            if not sub:
                return True, tuple(out)
        p.add(path, value, f"must be {type_words(tp)}")
        return False, None
    if tp is bool:
        if isinstance(value, bool):
            return True, value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return _in_range(value, path, p, rng)
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                p.add(path, value, "must be a finite number")
                return False, None
            ok, _ = _in_range(value, path, p, rng)  # the message quotes the value as written
            return ok, float(value) if ok else None
    elif tp is str:
        if isinstance(value, str):
            if not value.strip() and path.rsplit(".", 1)[-1] == "name":
                p.add(path, value, "must not be empty")
                return False, None
            return True, value
    else:
        p.add(path, value, f"cannot be set from a scenario file (type {tp})")
        return False, None
    p.add(path, value, f"must be {type_words(tp)}")
    return False, None


def _in_range(v: float, path: str, p: Problems, rng: Range | None) -> tuple[bool, Any]:
    if rng is not None and not rng.ok(v):
        p.add(path, v, rng.text())
        return False, None
    return True, v


def is_table(raw: Any, path: str, p: Problems, what: str = "a table") -> bool:
    if isinstance(raw, Mapping):
        return True
    p.add(path, raw, f"must be {what}")
    return False


def scalars(cls: type, raw: Mapping[str, Any], path: str, p: Problems, *,
             handled: Collection[str] = (), extra: Collection[str] = ()) -> dict[str, Any]:
    """Refuse unknown keys; convert the present plain fields of ``cls`` by annotation and range.

    ``handled`` fields are allowed keys the caller converts itself; ``extra``
    are allowed keys that are not fields of ``cls``.
    """
    fields = declared(cls)
    aliases = [a.key for a in getattr(cls, "ALIASES", ())]
    allowed = [*fields, *aliases, *extra]
    out: dict[str, Any] = {}
    for key, value in raw.items():
        kpath = join(path, key)
        if key not in allowed:
            p.add(kpath, value, f"unknown key{suggest(key, allowed)}; allowed keys: "
                  + ", ".join(sorted(allowed)))
            continue
        if key in handled or key in extra or key in aliases:
            continue
        ok, v = convert(value, fields[key].type, kpath, p, fields[key].range)
        if ok:
            out[key] = v
    return out


def construct(cls: type, values: dict[str, Any], path: str, p: Problems, raw: Mapping[str, Any],
               base: Any = None) -> Any:
    """``cls(**values)`` (or ``base`` with ``values`` replaced); a missing required key is a problem."""
    if base is not None:
        return dataclasses.replace(base, **values)
    missing = [f.name for f in declared(cls).values() if f.required and f.name not in values]
    for name in missing:
        if name not in raw:  # present but invalid was already reported
            p.add(join(path, name), NO_VALUE, f"missing; {type_words(declared(cls)[name].type)} is required")
    if missing:
        return None
    return cls(**values)


def either_unit(cls: type, field: str, raw: Mapping[str, Any], path: str, p: Problems,
                missing: str) -> float | None:
    """A field given in its own unit or through its alias (``horizon_years`` for ``horizon_hours``):
    exactly one of the two, converted and range-checked; None (problem recorded) otherwise."""
    alias = next(a for a in cls.ALIASES if a.field == field)  # type: ignore[attr-defined]
    has_alias, has_field = alias.key in raw, field in raw
    if has_alias and has_field:
        p.add(join(path, alias.key), raw[alias.key],
              f"give {alias.key} or {field}, not both ({field} = {show_value(raw[field])})")
        return None
    if not (has_alias or has_field):
        p.add(join(path, alias.key), NO_VALUE, f"missing; {missing}")
        return None
    if has_alias:
        ok, v = convert(raw[alias.key], float, join(path, alias.key), p, alias.setting.range)
        return v * alias.scale if ok else None
    ok, v = convert(raw[field], float, join(path, field), p, declared(cls)[field].range)
    return v if ok else None


def known_architecture(name: str, names: Collection[str], label: str = "") -> str:
    """``name`` if it is one of ``names`` (a scenario's or a run's architectures), else one
    FleetError naming the choices (``label``: how the caller was given it, e.g. ``--baseline``)."""
    if name not in names:
        raise FleetError(f"{label + ' ' if label else ''}{name!r} is not an architecture of the "
                         f"scenario{suggest(str(name), list(names))}; choose one of {', '.join(names)}")
    return name
