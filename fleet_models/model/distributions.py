"""The maths of one uncertain input: its form, its central value, its ends, its inverse cdf.

An :class:`fleet_models.model.spec.Uncertain` is uniform (low, high), triangular (low, mode,
high) or lognormal (median, error factor). A scenario file writes them in an ``[uncertain]``
table or in place of a number (``fleet_models.scenario.inline``); which inputs a scenario has
and how each replication draws them is ``fleet_models.scenario.inputs``. Draws are made by
inverse transform from one uniform per input and replication (:func:`uniforms`), keyed by the
input's ``source`` (a catalog key) or its path, so inputs citing one key move together.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from fleet_models.model.spec import Uncertain

Z95 = 1.6448536269514722  # the standard normal's 0.95 quantile
FORMS = ("{ low = A, high = B } (uniform), { low = A, mode = M, high = B } or { triangular = [A, M, B] }, "
         "{ median = M, error_factor = F } or { lognormal = [M, F] } (F = p95 / median), "
         "{ choice = [\"a\", \"b\"], weights = [0.7, 0.3] } (a choice field)")


def kind(u: Uncertain) -> str | None:
    """'uniform', 'triangular', 'lognormal' or 'choice', or None when the fields make no one form."""
    given = {k for k in ("low", "high", "mode", "median", "error_factor", "choice", "weights")
             if getattr(u, k) is not None}
    return {frozenset({"low", "high"}): "uniform", frozenset({"low", "mode", "high"}): "triangular",
            frozenset({"median", "error_factor"}): "lognormal", frozenset({"choice"}): "choice",
            frozenset({"choice", "weights"}): "choice"}.get(frozenset(given))


def probabilities(u: Uncertain) -> np.ndarray:
    """A choice's probabilities, in the order of its values (its weights over their sum)."""
    w = np.ones(len(u.choice)) if u.weights is None else np.asarray(u.weights, dtype=float)
    return w / w.sum()


def problems(u: Uncertain) -> list[str]:
    """What is wrong with ``u`` as a distribution (empty: nothing)."""
    k = kind(u)
    if k is None:
        return [f"give exactly one of the forms {FORMS}"]
    if k == "choice":
        if len(set(u.choice)) != len(u.choice):
            return [f"choice = {list(u.choice)} names a value twice"]
        if u.weights is not None:
            if len(u.weights) != len(u.choice):
                return [f"weights has {len(u.weights)} numbers for {len(u.choice)} values of choice; "
                        "give one per value"]
            if any(not math.isfinite(w) or w < 0 for w in u.weights) or sum(u.weights) <= 0:
                return ["weights must be finite numbers >= 0, not all 0"]
        return []
    nums = [getattr(u, f) for f in ("low", "high", "mode", "median", "error_factor")]
    if any(isinstance(x, float | int) and not math.isfinite(x) for x in nums if x is not None):
        return ["every number must be finite"]
    if k in ("uniform", "triangular") and u.low > u.high:
        return [f"low = {u.low:g} must be <= high = {u.high:g}"]
    if k == "triangular" and not u.low <= u.mode <= u.high:
        return [f"mode = {u.mode:g} must be in [low, high] = [{u.low:g}, {u.high:g}]"]
    return []


def central(u: Uncertain) -> float | str:
    """The value a fixed-input run uses: the midpoint, the mode or the median; of a choice, its
    most likely value (the first of the largest weight)."""
    k = kind(u)
    if k == "choice":
        return u.choice[int(np.argmax(probabilities(u)))]
    if k == "uniform":
        return 0.5 * (u.low + u.high)
    if k == "triangular":
        return float(u.mode)
    return float(u.median)


def ends(u: Uncertain) -> tuple[float, float]:
    """The low and high a tornado moves the input to: the range, or p5 and p95 of a lognormal
    (a choice has no ends: :func:`alternatives`)."""
    if kind(u) == "choice":
        raise ValueError("a choice has values, not ends: use alternatives()")
    if kind(u) == "lognormal":
        return u.median / u.error_factor, u.median * u.error_factor
    return float(u.low), float(u.high)


def alternatives(u: Uncertain) -> tuple[float | str, ...]:
    """The values the decision commands move the input to: its two ends, or every value of a
    choice."""
    return tuple(u.choice) if kind(u) == "choice" else ends(u)


def ppf(u: Uncertain, q: np.ndarray | float) -> np.ndarray:
    """The value at probability ``q`` (inverse transform); of a choice, the index of its value
    (the values in their order, each taking its probability's share of [0, 1))."""
    q = np.asarray(q, dtype=float)
    k = kind(u)
    if k == "choice":
        edges = np.cumsum(probabilities(u))[:-1]
        return np.searchsorted(edges, q, side="right").astype(float)
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


# ---------------------------------------------------------------------- parsing helpers


# ---------------------------------------------------------------------- catalog defaults


