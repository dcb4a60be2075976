"""Uncertain inputs: what a number's distribution is, how it is drawn, and where defaults come from.

A scenario's ``uncertain`` table maps field paths (:mod:`fleet_models.paths`) to
:class:`fleet_models.spec.Uncertain` distributions. A file may write them as a table::

    [uncertain."policy.switch_replacement_hours"]
    low = 4
    high = 16

or in place of the number (the field then takes the distribution's central value: the midpoint,
the mode or the median)::

    [policy]
    switch_replacement_hours = { low = 4, high = 16 }
    swap_hours = { triangular = [0.03, 0.05, 0.1] }
    detection_hours = { lognormal = [0.25, 3] }     # median, error factor (p95 / median)

With ``uncertainty = true`` replication i draws each input from its own stream, keyed by the
seed, i and the input's ``source`` (a catalog key) or path: the same draw for every architecture
(common random numbers), and inputs citing the same catalog key move together. A scenario that
declares no inputs (the built-ins) takes the published ranges of the catalog entries its values
cite (:func:`catalog_uncertain`).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from fleet_models.spec import Scenario, Uncertain

Z95 = 1.6448536269514722  # the standard normal's 0.95 quantile
INLINE = ("low", "high", "mode", "median", "error_factor", "lognormal", "triangular", "source")
FORMS = ("{ low = A, high = B } (uniform), { low = A, mode = M, high = B } or { triangular = [A, M, B] }, "
         "{ median = M, error_factor = F } or { lognormal = [M, F] } (F = p95 / median)")


def kind(u: Uncertain) -> str | None:
    """'uniform', 'triangular' or 'lognormal', or None when the fields make no one form."""
    given = {k for k in ("low", "high", "mode", "median", "error_factor") if getattr(u, k) is not None}
    return {frozenset({"low", "high"}): "uniform", frozenset({"low", "mode", "high"}): "triangular",
            frozenset({"median", "error_factor"}): "lognormal"}.get(frozenset(given))


def problems(u: Uncertain) -> list[str]:
    """What is wrong with ``u`` as a distribution (empty: nothing)."""
    k = kind(u)
    if k is None:
        return [f"give exactly one of the forms {FORMS}"]
    nums = [getattr(u, f) for f in ("low", "high", "mode", "median", "error_factor")]
    if any(isinstance(x, float | int) and not math.isfinite(x) for x in nums if x is not None):
        return ["every number must be finite"]
    if k in ("uniform", "triangular") and u.low > u.high:
        return [f"low = {u.low:g} must be <= high = {u.high:g}"]
    if k == "triangular" and not u.low <= u.mode <= u.high:
        return [f"mode = {u.mode:g} must be in [low, high] = [{u.low:g}, {u.high:g}]"]
    return []


def central(u: Uncertain) -> float:
    """The value a fixed-input run uses: the midpoint, the mode or the median."""
    k = kind(u)
    if k == "uniform":
        return 0.5 * (u.low + u.high)
    if k == "triangular":
        return float(u.mode)
    return float(u.median)


def ends(u: Uncertain) -> tuple[float, float]:
    """The low and high a tornado moves the input to: the range, or p5 and p95 of a lognormal."""
    if kind(u) == "lognormal":
        return u.median / u.error_factor, u.median * u.error_factor
    return float(u.low), float(u.high)


def ppf(u: Uncertain, q: np.ndarray | float) -> np.ndarray:
    """The value at probability ``q`` (inverse transform)."""
    q = np.asarray(q, dtype=float)
    k = kind(u)
    if k == "uniform":
        return u.low + q * (u.high - u.low)
    if k == "triangular":
        a, c, b = u.low, u.mode, u.high
        if b == a:
            return np.full_like(q, a)
        fc = (c - a) / (b - a)
        left = a + np.sqrt(q * (b - a) * (c - a))
        right = b - np.sqrt((1 - q) * (b - a) * (b - c))
        return np.where(q < fc, left, right)
    from scipy.special import ndtri

    sigma = math.log(u.error_factor) / Z95
    return u.median * np.exp(sigma * ndtri(q))


def stream_key(path: str, u: Uncertain) -> str:
    return u.source or path


def uniforms(seed: int, replication: int, names: list[str]) -> dict[str, float]:
    """One uniform per input name for ``replication``: the same whatever the architecture."""
    out = {}
    for name in names:
        ss = np.random.SeedSequence(entropy=int(seed), spawn_key=(int(replication), 0x5EED,
                                                                  zlib.crc32(name.encode())))
        out[name] = float(np.random.Generator(np.random.PCG64(ss)).random())
    return out


def inputs(scenario: Scenario) -> dict[str, Uncertain]:
    """The scenario's uncertain inputs: its ``uncertain`` table, else the published ranges of the
    catalog entries its values cite (:func:`catalog_uncertain`: the built-ins' default ranges)."""
    return dict(scenario.uncertain) if scenario.uncertain else catalog_uncertain(scenario)


def draws(scenario: Scenario, replication: int, seed: int,
          table: Mapping[str, Uncertain] | None = None) -> dict[str, float]:
    """Path -> the value replication ``replication`` draws for every input of ``table`` (default:
    :func:`inputs`)."""
    table = inputs(scenario) if table is None else table
    keys = sorted({stream_key(p, u) for p, u in table.items()})
    q = uniforms(seed, replication, keys)
    return {p: float(ppf(u, q[stream_key(p, u)])) for p, u in table.items()}


class Drawer:
    """The scenario each replication simulates and is priced with: with ``uncertainty`` on, every
    input of :func:`inputs` drawn for that replication (a whole-number field's draw rounded);
    otherwise the scenario itself. The inputs are worked out once."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario, self.seed = scenario, seed
        self.table = inputs(scenario) if scenario.uncertainty else {}

    def __call__(self, replication: int) -> Scenario:
        if not self.table:
            return self.scenario
        from fleet_models.paths import with_values

        return with_values(self.scenario, draws(self.scenario, replication, self.seed, self.table),
                           round_whole=True)


def check(scenario: Scenario, p: Any) -> None:
    """Problems of the scenario's uncertain inputs, added to ``p`` (a validate.Problems): a form
    that is no distribution, a path that names no number, an end outside the field's range; and
    ``uncertainty = true`` with nothing uncertain."""
    from fleet_models.errors import ScenarioError
    from fleet_models.paths import get_value, set_unchecked
    from fleet_models.validate import NO_VALUE, validate

    for path, u in scenario.uncertain.items():
        upath = f"uncertain.{path}"
        bad = problems(u)
        for msg in bad:
            p.add(upath, NO_VALUE, msg)
        if bad:
            continue
        try:
            get_value(scenario, path)
        except ScenarioError as e:
            p.add(upath, NO_VALUE, str(e))
            continue
        for x in ends(u):
            try:
                validate(set_unchecked(scenario, {path: x}, round_whole=True), inputs=False)
            except ScenarioError as e:
                why = str(e).splitlines()[-1].split(": ", 1)[-1]
                p.add(upath, x, f"this end of the range is not a valid {path}: {why}; narrow the range")
                break
    if scenario.uncertainty and not scenario.uncertain and not any(
            c.life.covariance is not None for a in scenario.architectures for c in a.components
    ) and not catalog_uncertain(scenario):
        p.add("uncertainty", True, "nothing in this scenario is uncertain (no [uncertain] inputs, no "
              "value citing a catalog entry with a published range, no life model with a covariance), "
              "so uncertainty = true would change nothing; declare inputs, "
              'e.g. [uncertain."costs.gpu_hour_usd"] with low = 2 and high = 4, or set uncertainty = false')


# ---------------------------------------------------------------------- parsing helpers


def inline(value: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``Uncertain`` fields of a number written as a distribution in place, or None when
    ``value`` is not such a table. The shorthands ``lognormal = [M, F]`` and ``triangular = [A, M,
    B]`` become their fields."""
    if not isinstance(value, Mapping) or not value or not set(value) <= set(INLINE):
        return None
    if not set(value) & {"low", "high", "median", "lognormal", "triangular"}:
        return None
    out = {k: v for k, v in value.items() if k not in ("lognormal", "triangular")}
    for short, names in (("lognormal", ("median", "error_factor")),
                         ("triangular", ("low", "mode", "high"))):
        if short in value:
            v = value[short]
            if not (isinstance(v, list) and len(v) == len(names)):
                out[short] = v  # left for the validator to refuse, naming the form
                continue
            out.update(zip(names, v, strict=True))
    return out


def extract_inline(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A copy of a scenario document with every number written as a distribution replaced by a
    placeholder resolved later, and {path: fields} of those distributions. Paths name
    architectures and components by name (or base), as :mod:`fleet_models.paths` reads them."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any, path: str) -> Any:
        if isinstance(node, Mapping):
            fields = inline(node) if path and not path.endswith(".life") else None
            if fields is not None:
                found[path] = fields
                return _Placeholder(path)
            return {k: v if (path == "" and k == "uncertain") else walk(v, f"{path}.{k}" if path else str(k))
                    for k, v in node.items()}
        if isinstance(node, list):
            out = []
            for i, item in enumerate(node):
                name = item.get("name", item.get("base")) if isinstance(item, Mapping) else None
                sub = f"{path}.{name}" if isinstance(name, str) and path.endswith(
                    ("architectures", "components")) else f"{path}[{i}]"
                out.append(walk(item, sub))
            return out
        return node

    return walk(data, ""), found


class _Placeholder:
    """Stands where a distribution was written until its central value is known."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"<distribution at {self.path}>"


def resolve_placeholders(data: Any, centrals: Mapping[str, float]) -> Any:
    if isinstance(data, _Placeholder):
        return centrals.get(data.path, data)
    if isinstance(data, Mapping):
        return {k: resolve_placeholders(v, centrals) for k, v in data.items()}
    if isinstance(data, list):
        return [resolve_placeholders(v, centrals) for v in data]
    return data


# ---------------------------------------------------------------------- catalog defaults


def catalog_uncertain(scenario: Scenario, catalog: Any = None) -> dict[str, Uncertain]:
    """The published ranges of the catalog entries the scenario's values cite: for every value
    equal to its entry's (``field_sources``) whose entry has a low and a high, a uniform over the
    range scaled to the value (value x low / entry value ... value x high / entry value), with
    the key as ``source`` so every value citing it is drawn together."""
    from failure_data.catalog import default_catalog
    from fleet_models.builtins import field_sources
    from fleet_models.errors import ScenarioError
    from fleet_models.paths import get_value

    cat = catalog or default_catalog()
    out: dict[str, Uncertain] = {}
    for path, keys in field_sources(scenario, cat).items():
        for key in (k.strip() for k in keys.split(",")):
            e = cat.get(key)
            if e.low is None or e.high is None or not e.value or e.low >= e.high:
                continue
            p = _life_path(scenario, path, e.value) if path.endswith(".life") else path
            if p is None:
                continue
            try:
                v = get_value(scenario, p)
            except ScenarioError:  # a structural field (a count, a repair kind)
                continue
            # v x (end / value): exactly v where an end is the value (swap-time's 5 min is both), so
            # a tornado's run at that end is the central run, not a re-simulation
            out[_named(p, scenario)] = Uncertain(low=v * (e.low / e.value), high=v * (e.high / e.value),
                                                 source=key)
    return out


def _life_path(scenario: Scenario, path: str, value: float) -> str | None:
    """The number of a life that a catalog entry gives: a constant rate's ``fit_per_1e9h``, or the
    parameter equal to the entry's value (``laser-sigma`` is a lognormal's ``sigma``); else None."""
    from fleet_models.paths import get_value

    life_of = path + ".fit_per_1e9h"
    try:
        get_value(scenario, life_of)
        return life_of
    except Exception:  # not a constant rate: look for the parameter the entry is
        pass
    import re

    m = re.match(r"^architectures\[(\d+)\]\.components\[(\d+)\]\.life$", path)
    if not m:
        return None
    life = scenario.architectures[int(m.group(1))].components[int(m.group(2))].life
    hits = [k for k, x in life.parameters.items() if math.isclose(x, value, rel_tol=1e-12)]
    return f"{path}.{hits[0]}" if len(hits) == 1 else None


def _named(path: str, scenario: Scenario) -> str:
    """``architectures[2].components[1].x`` -> ``architectures.NAME.components.NAME.x``."""
    import re

    def arch(m: re.Match[str]) -> str:
        return f"architectures.{scenario.architectures[int(m.group(1))].name}"

    out = re.sub(r"^architectures\[(\d+)\]", arch, path)
    m = re.match(r"^architectures\.([^.]+)\.components\[(\d+)\]", out)
    if m:
        a = next(a for a in scenario.architectures if a.name == m.group(1))
        out = out.replace(f"components[{m.group(2)}]", f"components.{a.components[int(m.group(2))].name}", 1)
    return out
