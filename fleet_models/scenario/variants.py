"""Variants of a scenario: a copy with numbers changed by field path, validated, or with only
some architectures (the decision commands vary scenarios through these)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from fleet_models.errors import ScenarioError
from fleet_models.model.paths import _tokens, _walk, set_unchecked
from fleet_models.model.spec import Scenario
from fleet_models.scenario.validate import validate


def shown(value: float | str) -> str:
    """A field's value as a message quotes it: a number with %g, a choice quoted."""
    return f"{value:g}" if isinstance(value, int | float) else repr(value)


def with_value(scenario: Scenario, path: str, value: float | str) -> Scenario:
    """A copy of ``scenario`` with the number (or choice) at ``path`` set to ``value``, validated."""

    out = _walk(scenario, _tokens(path), path, "", value)
    try:
        validate(out, inputs=False)
    except ScenarioError as e:
        raise ScenarioError(f"{path} = {shown(value)}: {e}") from None
    return out


def with_values(scenario: Scenario, values: Mapping[str, float | str],
                round_whole: bool = False) -> Scenario:
    """``with_value`` for several paths at once (validated once, at the end); ``round_whole``
    rounds a value for a whole-number field instead of refusing it (a draw)."""

    out = set_unchecked(scenario, values, round_whole)
    try:
        validate(out, inputs=False)
    except ScenarioError as e:
        given = ", ".join(f"{p} = {shown(v)}" for p, v in values.items())
        raise ScenarioError(f"{given}: {e}") from None
    return out


def only(scenario: Scenario, names: list[str] | tuple[str, ...]) -> Scenario:
    """The scenario with only the architectures named (in scenario order), and only the
    uncertain inputs that do not lie in an architecture left out."""
    archs = tuple(a for a in scenario.architectures if a.name in names)
    kept = {a.name for a in archs}

    def keep(path: str) -> bool:
        tokens = _tokens(path)
        if tokens[:1] != ["architectures"] or len(tokens) < 2:
            return True
        t = tokens[1]
        name = scenario.architectures[t].name if isinstance(t, int) and t < len(
            scenario.architectures) else t
        return name in kept

    return dataclasses.replace(scenario, architectures=archs, uncertain={
        p: u for p, u in scenario.uncertain.items() if keep(p)})
