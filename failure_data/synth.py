"""Synthetic field logs drawn from a known life model: ground truth for tests and demos.

``synthesize(model, spec, rng)`` returns a DataFrame in the file layout of
``spec.fmt`` (write it with :func:`failure_data.writers.write_frame`). The
model is any object with ``sample(n, rng) -> ndarray of hours`` (for example
``reliability.models.LifeModel`` or :class:`Mixture`); failure_data does not
import reliability.

How a log is drawn (times in hours):

1. Unit i is installed at ``s_i`` ~ Uniform[0, stagger] (``stagger_hours``,
   0 = all at once), sorted so ``unit_id`` follows installation order.
2. Its life ``L_i`` comes from ``model.sample(units, rng)`` (one call, after
   the installation draws: a seed gives the same log).
3. Observation ends at the horizon H: the unit failed if ``s_i + L_i <= H``,
   else it is right-censored at age ``H - s_i``.

Formats:

- durations: ``duration`` = min(L, H - s), ``failed``; times rounded to 0.01 h.
- grouped: durations rounded *up* to whole days (in hours), identical rows
  merged with a ``count``. Rounding up keeps each failure inside the day it
  happened; use it when the model time scale is much longer than a day.
- intervals: the whole fleet is inspected on calendar times
  ``inspect_every``, 2 x ``inspect_every``, ... and at H; a failure is seen at
  the first inspection after it: ``lower`` = age at the last inspection that
  found the unit working (0 = none: left-censored), ``upper`` = age at the
  inspection that found it failed; survivors have ``lower`` = H - s, empty
  ``upper``.
- dated: whole days from ``start_date``. Installation day ``floor(s / 24)``,
  failure day ``floor((24 x install_day + L) / 24)`` (a unit failing on its
  installation day is dead on arrival), as-of date = start + floor(H / 24)
  days; failures after it are still in service (empty ``removed``). Read it
  back with that as-of date.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from failure_data.units import HOURS_PER_DAY


@runtime_checkable
class LifeSampler(Protocol):
    """Anything that draws lifetimes in hours (``reliability.models.LifeModel`` does)."""

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray: ...


class SynthFormat(StrEnum):
    durations = "durations"
    intervals = "intervals"
    dated = "dated"
    grouped = "grouped"


@dataclass(frozen=True)
class SynthSpec:
    """What log to draw.

    Attributes
    ----------
    units: number of units (>= 1).
    horizon_hours: observation ends this long after the first installation.
    fmt: layout of the log.
    stagger_hours: installations spread uniformly over [0, stagger_hours]
        (must be below the horizon; 0 = all installed at time 0).
    start_date: calendar date of time 0 (dated logs).
    inspect_every_hours: inspection period (intervals logs).
    component: value of a ``component`` column (None = no column).
    temperature_c: value of a ``temperature_c`` column (None = no column).
    unit_prefix: ``unit_id`` = prefix + zero-padded number (not in grouped logs).
    """

    units: int
    horizon_hours: float
    fmt: SynthFormat = SynthFormat.durations
    stagger_hours: float = 0.0
    start_date: _dt.date = _dt.date(2024, 1, 1)
    inspect_every_hours: float = 90 * HOURS_PER_DAY
    component: str | None = None
    temperature_c: float | None = None
    unit_prefix: str = "U"

    def __post_init__(self) -> None:
        object.__setattr__(self, "fmt", SynthFormat(str(self.fmt)))
        if isinstance(self.start_date, str):
            object.__setattr__(self, "start_date", _dt.date.fromisoformat(self.start_date))
        if not (isinstance(self.units, int | np.integer) and self.units >= 1):
            raise ValueError(f"units = {self.units!r} must be a whole number >= 1")
        if not (np.isfinite(self.horizon_hours) and self.horizon_hours > 0):
            raise ValueError(f"horizon = {self.horizon_hours!r} h must be a positive, finite time")
        if not (0 <= self.stagger_hours < self.horizon_hours):
            raise ValueError(
                f"stagger = {self.stagger_hours!r} h must be >= 0 and below the horizon "
                f"({self.horizon_hours!r} h) so every unit is observed"
            )
        if self.fmt is SynthFormat.dated and self.horizon_hours < HOURS_PER_DAY:
            raise ValueError(f"horizon = {self.horizon_hours!r} h: a dated log needs at least a day")
        if self.fmt is SynthFormat.dated:
            days = int(self.horizon_hours // HOURS_PER_DAY)
            if (_dt.date.max - self.start_date).days < days:
                raise ValueError(
                    f"start date {self.start_date.isoformat()} + horizon ({days} days) passes "
                    f"{_dt.date.max.isoformat()}, the last date a log can hold; choose an earlier start date"
                )
        if not (np.isfinite(self.inspect_every_hours) and self.inspect_every_hours > 0):
            raise ValueError(f"inspection interval = {self.inspect_every_hours!r} h must be > 0")
        if self.temperature_c is not None and not np.isfinite(self.temperature_c):
            raise ValueError(f"temperature_c = {self.temperature_c!r} must be a finite number")


class Mixture:
    """A population mixing sub-populations: ``Mixture([(0.03, weak), (0.97, main)])``.

    Each unit belongs to sub-population k with probability ``weights[k]``
    (normalised); its life is drawn from that sub-population's model.
    """

    def __init__(self, parts: list[tuple[float, LifeSampler]]):
        w = np.array([float(p) for p, _ in parts])
        if len(parts) == 0 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError(f"mixture weights {w.tolist()} must be >= 0 with a positive sum")
        self.weights = w / w.sum()
        self.models = [m for _, m in parts]

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        which = rng.choice(len(self.models), size=n, p=self.weights)
        out = np.empty(n)
        for k, m in enumerate(self.models):
            idx = np.flatnonzero(which == k)
            out[idx] = m.sample(len(idx), rng)
        return out


def _ids(spec: SynthSpec) -> np.ndarray:
    width = max(4, len(str(spec.units)))
    return np.array([f"{spec.unit_prefix}{i + 1:0{width}d}" for i in range(spec.units)], dtype=object)


def _frame(spec: SynthSpec, core: dict[str, object], ids: bool = True) -> pd.DataFrame:
    n = len(next(iter(core.values())))
    out: dict[str, object] = {}
    if ids:
        out["unit_id"] = _ids(spec)
    if spec.component is not None:
        out["component"] = np.full(n, spec.component, dtype=object)
    out.update(core)
    if spec.temperature_c is not None:
        out["temperature_c"] = np.full(n, spec.temperature_c)
    return pd.DataFrame(out)


def synthesize(model: LifeSampler, spec: SynthSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Draw a field log of ``spec.units`` units from ``model``; the layout of ``spec.fmt``."""
    if not isinstance(model, LifeSampler):
        raise TypeError(f"model {model!r} has no sample(n, rng) method")
    n, horizon = spec.units, float(spec.horizon_hours)
    install = np.sort(rng.random(n) * spec.stagger_hours)
    life = np.asarray(model.sample(n, rng), dtype=float)
    if life.shape != (n,) or not np.all(life >= 0):
        raise ValueError("model.sample(n, rng) must return n non-negative lifetimes in hours")
    fmt = spec.fmt

    if fmt is SynthFormat.dated:
        horizon_days = int(horizon // HOURS_PER_DAY)
        inst_day = np.floor(install / HOURS_PER_DAY).astype(np.int64)
        fail_day = np.floor((inst_day * HOURS_PER_DAY + life) / HOURS_PER_DAY)
        failed = fail_day <= horizon_days
        start = np.datetime64(spec.start_date, "D")
        inst = start + inst_day.astype("timedelta64[D]")
        rem = start + np.where(failed, fail_day, 0).astype(np.int64).astype("timedelta64[D]")
        removed = np.where(failed, np.datetime_as_string(rem, unit="D").astype(object), None)
        return _frame(spec, {
            "installed": np.datetime_as_string(inst, unit="D").astype(object),
            "removed": removed,
            "failed": failed.astype(np.int8),
        })

    exposure = horizon - install
    failed = life <= exposure
    if fmt is SynthFormat.intervals:
        step = float(spec.inspect_every_hours)
        k_max = int(np.ceil(horizon / step)) - 1  # calendar inspections strictly before H
        checks = np.append(step * np.arange(1, k_max + 1), horizon)
        t_fail = install + life
        # first inspection at or after the failure; last inspection after install and before it
        j = np.searchsorted(checks, t_fail, side="left")
        found = np.clip(j, 0, len(checks) - 1)
        first_after_install = np.searchsorted(checks, install, side="right")
        prev = found - 1
        lower = np.where(prev >= first_after_install,
                         checks[np.maximum(prev, 0)] - install, 0.0)
        upper = checks[found] - install
        lo = np.round(np.where(failed, lower, exposure), 2)
        up = np.where(failed, np.round(upper, 2), np.nan)
        return _frame(spec, {"lower": lo, "upper": up})

    duration = np.where(failed, life, exposure)
    if fmt is SynthFormat.durations:
        return _frame(spec, {"duration": np.round(duration, 2), "failed": failed.astype(np.int8)})

    # grouped: whole days (rounded up), identical rows merged
    days = np.ceil(duration / HOURS_PER_DAY) * HOURS_PER_DAY
    g = (pd.DataFrame({"duration": days, "failed": failed.astype(np.int8)})
         .groupby(["duration", "failed"], sort=True).size().reset_index(name="count"))
    g = g.sort_values(["duration", "failed"], ascending=[True, False], kind="stable")
    return _frame(spec, {"duration": g["duration"].to_numpy(), "failed": g["failed"].to_numpy(),
                         "count": g["count"].to_numpy()}, ids=False)
