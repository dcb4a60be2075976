"""Numeric scenario fields by path: read one, or a copy of the scenario with one set (unchecked).

A path names a field as a scenario file nests it, with dots; an architecture or a component
is named by its name or by its index, and a spare pool by its kind::

    policy.switch_replacement_hours
    costs.gpu_hour_usd
    fleet.switches
    policy.spares.switch.stock
    architectures.cpo-els.components.optical-engine.life.fit_per_1e9h
    architectures[2].components[1].price_usd

A choice (an enum field: ``fabric.homing``, ``device_unit``) is set to one of its values, a
string, and read with :func:`get_field`. ``life.fit_per_1e9h`` is the rate of a constant-rate
(exponential) life; ``life.PARAM`` is a
parameter of the life's family (``life.shape``, ``life.scale``, ``life.sigma``...), and
``life.threshold`` the failure threshold of a time to threshold ``cpo degrade`` saved (the life
is read at it: ``reliability.threshold``). A changed
life keeps its provenance (with the new value noted) and drops its covariance. The validated
copies the decision commands run are ``fleet_models.scenario.variants``, which checks them with
:func:`fleet_models.scenario.validate.validate`, so a value outside a field's range is refused
with the range.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from fleet_models.errors import ScenarioError
from fleet_models.model.fields import Declared, declared, resolved
from fleet_models.model.spec import Scenario
from reliability.models import FIT_HOURS, LifeModel

_TOKEN = re.compile(r"^([^.\[\]]+)?((?:\[\d+\])*)$")
FIT = "fit_per_1e9h"


def _tokens(path: str) -> list[str | int]:
    """``architectures[2].components.els.price_usd`` -> ['architectures', 2, 'components', 'els',
    'price_usd']."""
    if not isinstance(path, str):
        raise ScenarioError(f"field path {path!r} is empty; write it as in error messages, e.g. "
                            "policy.switch_replacement_hours")
    return list(_parsed(path))


@functools.lru_cache(maxsize=1024)
def _parsed(path: str) -> tuple[str | int, ...]:
    """A path's tokens, parsed once (a run's draws set the same paths in every replication)."""
    if not path.strip():
        raise ScenarioError(f"field path {path!r} is empty; write it as in error messages, e.g. "
                            "policy.switch_replacement_hours")
    out: list[str | int] = []
    for part in path.strip().split("."):
        m = _TOKEN.match(part)
        if not m or (m.group(1) is None and not m.group(2)):
            raise ScenarioError(f"field path {path!r}: {part!r} is not a field name or NAME[INDEX]")
        if m.group(1) is not None:
            out.append(m.group(1))
        out += [int(i) for i in re.findall(r"\[(\d+)\]", m.group(2))]
    return tuple(out)


def _fail(path: str, where: str, token: Any, choices: list[str]) -> ScenarioError:
    near = difflib.get_close_matches(str(token), choices, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return ScenarioError(f"field path {path!r}: {where} has no {token!r}{hint}; choose one of "
                         f"{', '.join(choices) or '(none)'}")


def _pick(seq: tuple, token: str | int, path: str, where: str) -> int:
    """Index of the item of ``seq`` (architectures or components) named or numbered ``token``."""
    names = [x.name for x in seq]
    if isinstance(token, int):
        if 0 <= token < len(seq):
            return token
        raise ScenarioError(f"field path {path!r}: {where} has {len(seq)} entries, no index [{token}]")
    if token in names:
        return names.index(token)
    raise _fail(path, where, token, names)


def _walk(obj: Any, tokens: list[str | int], path: str, where: str, new: Any,
          round_whole: bool = False) -> Any:
    """The value at ``tokens`` under ``obj`` (``new`` is _READ), or a copy of ``obj`` with it set."""
    if isinstance(obj, LifeModel):
        return _life(obj, tokens, path, where, new)
    if not tokens:
        if _reading(new):
            if isinstance(obj, Enum):
                if new is _READ_ANY:
                    return obj.value
                raise ScenarioError(f"field path {path!r} names {where}, a choice of "
                                    f"{_choices_text(obj)}, not a number")
            if isinstance(obj, bool) or not isinstance(obj, int | float):
                raise ScenarioError(f"field path {path!r} names {where}, which is not a number")
            return float(obj)
        if isinstance(obj, Enum):
            return _choice_like(obj, new, path)
        return _number_like(obj, new, path, round_whole)
    head, rest = tokens[0], tokens[1:]
    if isinstance(obj, tuple):
        i = _pick(obj, head, path, where)
        item = _walk(obj[i], rest, path, f"{where}.{obj[i].name}", new, round_whole)
        return item if _reading(new) else obj[:i] + (item,) + obj[i + 1:]
    if isinstance(obj, Mapping):
        if head not in obj:
            raise _fail(path, where, head, [str(k) for k in obj])
        item = _walk(obj[head], rest, path, f"{where}.{head}", new, round_whole)
        return item if _reading(new) else {**obj, head: item}
    if dataclasses.is_dataclass(obj):
        names = declared(type(obj))
        if not isinstance(head, str) or head not in names:
            raise _fail(path, where or "the scenario", head, list(names))
        # a total left unset (declared ``total_of``) reads as the sum of its terms
        value = resolved(obj, head) if _reading(new) and not rest else getattr(obj, head)
        item = _walk(value, rest, path, f"{where}.{head}".lstrip("."), new, round_whole)
        if _reading(new):
            return item
        return dataclasses.replace(obj, **{head: item})
    raise ScenarioError(f"field path {path!r}: {where} is a value, it has no field {head!r}")


READING = "device_unit"
"""The choice that re-reads every per-device rate of a scenario."""

_READ = object()  # read a number
_READ_ANY = object()  # read a number or a choice (an enum field's value)


def _reading(new: Any) -> bool:
    return new is _READ or new is _READ_ANY


def _choices_text(old: Enum) -> str:
    return ", ".join(repr(m.value) for m in type(old))


def _choice_like(old: Enum, new: Any, path: str) -> Enum:
    """A choice field set to ``new``: one of its values (a string), refused with the choices."""
    kind = type(old)
    if isinstance(new, kind):
        return new
    values = [m.value for m in kind]
    if isinstance(new, str) and new in values:
        return kind(new)
    near = difflib.get_close_matches(str(new), values, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ScenarioError(f"{path} = {new!r}: must be one of {_choices_text(old)}{hint}")


def _number_like(old: Any, new: Any, path: str, round_whole: bool = False) -> Any:
    if isinstance(new, bool) or not isinstance(new, int | float) or not math.isfinite(new):
        raise ScenarioError(f"{path} = {new!r}: give a finite number")
    if isinstance(old, bool) or not isinstance(old, int | float | None):
        raise ScenarioError(f"field path {path!r} names a field that is not a number ({old!r})")
    if isinstance(old, int):
        if round_whole:
            return int(round(new))
        if float(new) != int(new):
            raise ScenarioError(f"{path} = {new!r}: must be a whole number")
        return int(new)
    return float(new)


THRESHOLD = "threshold"
"""``life.threshold``: the failure threshold of a time-to-threshold life (reliability.threshold)."""


def _life(life: LifeModel, tokens: list[str | int], path: str, where: str, new: Any) -> Any:
    from reliability.threshold import at_threshold, is_time_to_threshold

    params = list(life.parameters)
    ttt = is_time_to_threshold(life)  # a time to threshold (cpo degrade): its threshold too
    choices = ([FIT] if life.distribution == "exponential" else []) + params + (
        [THRESHOLD] if ttt else [])
    if len(tokens) != 1 or tokens[0] not in choices:
        token = tokens[0] if tokens else "(nothing)"
        raise _fail(path, f"the {life.distribution} life of {where}", token, choices)
    name = str(tokens[0])
    if name == THRESHOLD:
        if _reading(new):
            return float(life.provenance["threshold"])
        try:
            return at_threshold(life, _number_like(0.0, new, path))
        except Exception as e:  # ParameterError: not above 0
            raise ScenarioError(f"{path} = {new!r}: {e}") from None
    if _reading(new):
        return FIT_HOURS / life.parameters["scale"] if name == FIT else float(life.parameters[name])
    value = _number_like(0.0, new, path)
    if name == FIT:
        if value <= 0:
            raise ScenarioError(f"{path} = {new!r}: a failure rate must be > 0 FIT")
        params_new = {"scale": FIT_HOURS / value}
    else:
        params_new = {**life.parameters, name: value}
    try:
        return dataclasses.replace(life, parameters=params_new, covariance=None, posterior_draws=None, provenance={
            **life.provenance, "varied": f"{name} = {value:g}"})
    except Exception as e:  # ParameterError: a value the family refuses (a shape <= 0)
        raise ScenarioError(f"{path} = {new!r}: {e}") from None


def set_unchecked(scenario: Scenario, values: Mapping[str, float | str],
                  round_whole: bool = False) -> Scenario:
    """``values`` set without validating the result (the validator's own checks use it). The
    reading of per-device rates (:data:`READING`) is set after the numbers, so a rate given with
    it is set in the scenario's reading and then re-read (``fleet_models.model.spec.read_devices``)."""
    out = scenario
    for path, v in sorted(values.items(), key=lambda kv: kv[0] == READING):
        out = _walk(out, _tokens(path), path, "", v, round_whole)
    return out


def declaration_at(scenario: Scenario, path: str) -> Declared | None:
    """The declaration of the field ``path`` names (None for a life's parameter, which its
    family checks); an unknown path is refused as :func:`get_value` refuses it."""
    tokens = _tokens(path)
    get_field(scenario, path)
    obj: Any = scenario
    for t in tokens[:-1]:
        if isinstance(obj, LifeModel):
            return None
        if isinstance(obj, tuple):
            obj = obj[_pick(obj, t, path, "")]
        elif isinstance(obj, Mapping):
            obj = obj[t]
        else:
            obj = getattr(obj, str(t))
    if isinstance(obj, LifeModel) or not dataclasses.is_dataclass(obj):
        return None
    return declared(type(obj)).get(str(tokens[-1]))


def get_value(scenario: Scenario, path: str) -> float:
    """The number at ``path`` in ``scenario``."""
    return _walk(scenario, _tokens(path), path, "", _READ)


def get_field(scenario: Scenario, path: str) -> float | str:
    """The number at ``path``, or the value of the choice (an enum field: ``fabric.homing``,
    ``device_unit``) there."""
    return _walk(scenario, _tokens(path), path, "", _READ_ANY)


def choices_at(scenario: Scenario, path: str) -> tuple[str, ...] | None:
    """The values a choice field at ``path`` takes (None: ``path`` names a number)."""
    value = _walk(scenario, _tokens(path), path, "", _READ_ANY)
    if not isinstance(value, str):
        return None
    obj = _leaf(scenario, path)
    return tuple(m.value for m in type(obj))


def _leaf(scenario: Scenario, path: str) -> Any:
    obj: Any = scenario
    for t in _tokens(path):
        if isinstance(obj, tuple):
            obj = obj[_pick(obj, t, path, "")]
        elif isinstance(obj, Mapping):
            obj = obj[t]
        else:
            obj = getattr(obj, str(t))
    return obj


def architecture_of(path: str, scenario: Scenario) -> str | None:
    """The name of the architecture ``path`` lies in, or None for a scenario-wide field."""
    tokens = _tokens(path)
    if tokens[:1] != ["architectures"] or len(tokens) < 2:
        return None
    return scenario.architectures[_pick(scenario.architectures, tokens[1], path, "architectures")].name


