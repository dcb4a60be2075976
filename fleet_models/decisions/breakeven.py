"""Break-even: the value of one field at which two architectures are equal on a metric."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from failure_data.errors import option
from failure_data.numbers import number, usd
from fleet_models.decisions.evaluator import HIGHER_IS_BETTER, Evaluator, difference, pair
from fleet_models.errors import DecisionError, ScenarioError
from fleet_models.model.metrics import COST_PARTS
from fleet_models.model.paths import choices_at, get_field, get_value
from fleet_models.model.spec import Scenario
from fleet_models.scenario.variants import with_values


@dataclass(frozen=True)
class BreakEven:
    path: str
    metric: str
    arch: str
    against: str
    value: float | str | None
    """Where the mean paired difference crosses zero (None: no crossing); for a choice field, the
    first of its values (in the field's order) on the other side from the scenario's own."""
    interval: tuple[float | None, float | None]
    """The values where the ci95 bounds of the difference cross zero, in increasing order of the
    value; an end beyond the range searched is None (a choice: (None, None))."""
    at_lo: float
    at_hi: float
    lo: float | str
    hi: float | str
    evaluations: int
    at_choices: dict[str, float] | None = None  # a choice: the mean difference at each value
    current: float | str | None = None  # the scenario's own value of the field
    curve: tuple[tuple[float, float, float, float], ...] = ()
    """Every value evaluated, in increasing order: (value, mean difference, its ci95 low, high)."""

    def text(self) -> str:
        what = _WORDS.get(self.metric, self.metric.replace("_", " "))
        amount = (lambda d: usd(d, signed=True)) if self.metric in _MONEY else number
        if self.at_choices is not None:
            at = "; ".join(f"{amount(d)} at {self.path} = {c}" for c, d in self.at_choices.items())
            if self.value is None:
                return (f"no break-even for {self.path}: {self.arch} - {self.against} on {what} has "
                        f"one sign at every value ({at}).")
            return f"{self.arch} - {self.against} on {what} changes sign at {self.path} = {self.value} ({at})."
        if self.value is None:
            better = self.at_lo < 0 if not HIGHER_IS_BETTER[self.metric] else self.at_lo > 0
            side = "better" if better else "worse"
            return (f"no break-even for {self.path} in [{self.lo:g}, {self.hi:g}]: {self.arch} is "
                    f"{side} than {self.against} on {what} over the whole range (mean difference "
                    f"{amount(self.at_lo)} at {number(self.lo)}, {amount(self.at_hi)} at "
                    f"{number(self.hi)}); search a wider range with {option('between', 'lo and hi')}.")
        lo, hi = self.interval
        below, above = f"below the range searched ({number(self.lo)})", \
            f"above the range searched ({number(self.hi)})"
        ci = (f"95 % interval {number(lo) if lo is not None else below} to "
              f"{number(hi) if hi is not None else above}")
        return (f"{self.arch} equals {self.against} on {what} at {self.path} = {self.value:.4g} "
                f"({ci}).")


_WORDS = {"tco_usd": "total cost of ownership", "port_availability": "port availability",
          "gpu_hours_lost": "GPU-hours lost"}
_MONEY = frozenset({"tco_usd", *(m.name for m in COST_PARTS)})


def bisect(f: Callable[[float], float], lo: float, hi: float, *, log: bool = False,
           rtol: float = 1e-3, max_steps: int = 40) -> float | None:
    """A zero of ``f`` in [lo, hi] by bisection (geometric midpoints with ``log``), refined by
    linear interpolation inside the last bracket; None when f has the same sign at both ends."""
    a, b = lo, hi
    fa, fb = f(a), f(b)
    if not (math.isfinite(fa) and math.isfinite(fb)) or fa * fb > 0:
        return None
    if fa == 0:
        return a
    for _ in range(max_steps):
        if fb == 0 or (b - a) <= rtol * max(abs(a), abs(b)):
            break
        m = math.sqrt(a * b) if log else 0.5 * (a + b)
        fm = f(m)
        if fa * fm <= 0:
            b, fb = m, fm
        else:
            a, fa = m, fm
    return a if fb == fa else a - fa * (b - a) / (fb - fa)


def default_range(scenario: Scenario, path: str) -> tuple[float, float] | tuple[str, str]:
    """The range a break-even search takes when none is given: the value / 100 to x 100, if the
    field allows both ends; a choice field's first and last values (every value is tried)."""
    choices = choices_at(scenario, path)
    if choices is not None:
        return choices[0], choices[-1]
    v = get_value(scenario, path)
    lo, hi = v / 100, v * 100
    if v <= 0:
        raise DecisionError(f"{path} is {v:g}, so no default range (value / 100 to x 100) exists; "
                            f"give {option('between', 'lo and hi')}")
    for x in (lo, hi):
        try:
            with_values(scenario, {path: x})
        except ScenarioError as e:
            raise DecisionError(f"the default range of {path}, {lo:g} to {hi:g} (its value / 100 to "
                                f"x 100), leaves the field's range ({str(e).splitlines()[-1]}); give "
                                f"{option('between', 'lo and hi')}") from None
    return lo, hi


def breakeven(scenario: Scenario, evaluator: Evaluator, path: str, arch: str, against: str,
              lo: float, hi: float, metric: str = "tco_usd", rtol: float = 1e-3,
              max_evaluations: int = 40, grid: int = 0) -> BreakEven:
    """The value of ``path`` in [lo, hi] at which ``arch`` and ``against`` are equal on ``metric``
    (mean paired difference zero), with the values where its ci95 bounds are zero as the interval.

    Every value is run on the same seed, so the difference is a deterministic function of the
    value (per replication monotone in a rate when lives are drawn by inverse transform): found by
    bisection, on a log scale when lo > 0 and hi / lo > 10.
    """
    if choices_at(scenario, path) is not None:
        return breakeven_choice(scenario, evaluator, path, arch, against, metric)
    for end in (lo, hi):
        if not math.isfinite(end):
            raise DecisionError(f"{option('between', 'lo and hi')} {lo:g} {hi:g}: {end:g} is not a "
                                "finite number; give the two ends of the range to search")
    if not lo < hi:
        raise DecisionError(f"{option('between', 'lo and hi')} {lo:g} {hi:g}: the low end must be "
                            "below the high end")
    current = get_value(scenario, path)
    scenario = pair(scenario, arch, against)
    cache: dict[float, dict[str, float]] = {}

    def d(x: float) -> dict[str, float]:
        if x not in cache:
            cache[x] = difference(evaluator.result(with_values(scenario, {path: x})), metric, arch,
                                  against)
        return cache[x]

    log = lo > 0 and hi / lo > 10

    def root(key: str) -> float | None:
        return bisect(lambda x: d(x)[key], lo, hi, log=log, rtol=rtol, max_steps=max_evaluations)

    value = root("mean")
    a, b = root("ci95_low"), root("ci95_high")
    if a is not None and b is not None:
        interval = (min(a, b), max(a, b))
    else:  # an end past the range: the other on its side (the lower bound crosses zero where the
        # difference rising with the value has passed it, the upper bound before)
        rising = d(hi)["mean"] > d(lo)["mean"]
        interval = (b, a) if rising else (a, b)
    if grid > 1:
        points = np.geomspace(lo, hi, grid) if log else np.linspace(lo, hi, grid)
        for x in points:
            d(float(x))
    curve = tuple((x, c["mean"], c["ci95_low"], c["ci95_high"]) for x, c in sorted(cache.items()))
    return BreakEven(path, metric, arch, against, value, interval, d(lo)["mean"],
                     d(hi)["mean"], lo, hi, len(cache), current=current, curve=curve)


def breakeven_choice(scenario: Scenario, evaluator: Evaluator, path: str, arch: str, against: str,
                     metric: str = "tco_usd") -> BreakEven:
    """A choice field's break-even: the mean paired difference at each of its values (common
    random numbers), and the first value on the other side of zero from the scenario's own."""
    choices = choices_at(scenario, path)
    if choices is None:
        raise DecisionError(f"{path} is a number: give a range to search ({option('between', 'lo and hi')})")
    scenario = pair(scenario, arch, against)
    own = str(get_field(scenario, path))
    at = {c: difference(evaluator.result(with_values(scenario, {path: c})), metric, arch, against)["mean"]
          for c in choices}
    flips = [c for c in choices if c != own and (at[c] > 0) != (at[own] > 0)]
    return BreakEven(path, metric, arch, against, flips[0] if flips else None, (None, None),
                     at[choices[0]], at[choices[-1]], choices[0], choices[-1], len(at), at,
                     current=own)
