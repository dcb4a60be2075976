"""Per-replication values of scenario numbers, made once per run and carried with its result.

Two things set a number per replication: ``uncertainty = true`` draws every uncertain input of
the scenario (``fleet_models.scenario.inputs``: the same uniform for every architecture, common
random numbers), and a decision may override numbers per replication (``cpo pilot`` sets a
component's failure rate to a draw from its posterior). :class:`Draws` holds both as one table
(replication x field path) that the runner makes before the first replication, checks once, ships
with each chunk and hands to the result, so the engines simulate and the TCO prices replication i
with exactly the scenario of its own draws, made once per replication and never validated again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from fleet_models.errors import ScenarioError
from fleet_models.model.paths import architecture_of, declaration_at, set_unchecked
from fleet_models.model.spec import Scenario
from fleet_models.scenario.inputs import draws as draw_inputs
from fleet_models.scenario.inputs import inputs
from fleet_models.scenario.validate import CROSS_CHECKED, validate


@dataclass(frozen=True, eq=False)
class Draws:
    """``values[r, j]`` is field ``paths[j]`` in replication ``replications[r]``; for a choice
    (a path in ``labels``) it is the index of its value in ``labels[path]``."""

    paths: tuple[str, ...]
    replications: np.ndarray  # int64, increasing
    values: np.ndarray  # float64, (len(replications), len(paths))
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # a choice's values
    _built: dict = field(default_factory=dict, repr=False, compare=False)  # replication -> Scenario

    @classmethod
    def of_inputs(cls, scenario: Scenario, seed: int, n: int) -> Draws | None:
        """Replications 0..n-1 of every uncertain input (None with ``uncertainty`` off or nothing
        uncertain): what ``uncertainty = true`` runs."""
        table = inputs(scenario) if scenario.uncertainty else {}
        if not table:
            return None
        paths = tuple(table)
        labels = {p: tuple(u.choice) for p, u in table.items() if u.choice is not None}
        values = np.array([[labels[p].index(d[p]) if p in labels else d[p] for p in paths] for d in
                           (draw_inputs(scenario, i, seed, table) for i in range(n))], dtype=float)
        return cls(paths, np.arange(n, dtype=np.int64), values.reshape(n, len(paths)), labels)

    @classmethod
    def overrides(cls, columns: Mapping[str, Sequence[float]]) -> Draws:
        """Replications 0..n-1 with each path set to its column's value (one per replication)."""
        paths = tuple(columns)
        values = np.column_stack([np.asarray(columns[p], dtype=float) for p in paths])
        return cls(paths, np.arange(values.shape[0], dtype=np.int64), values)

    def then(self, other: Draws | None) -> Draws:
        """These draws with ``other``'s set on top (the same replications; ``other`` wins)."""
        if other is None:
            return self
        if not np.array_equal(self.replications, other.replications):
            raise ScenarioError("per-replication overrides must cover the run's replications")
        keep = [j for j, p in enumerate(self.paths) if p not in other.paths]
        paths = tuple(self.paths[j] for j in keep) + other.paths
        labels = {p: v for p, v in {**self.labels, **other.labels}.items() if p in paths}
        return Draws(paths, self.replications, np.hstack([self.values[:, keep], other.values]), labels)

    def of_architecture(self, scenario: Scenario, name: str) -> Draws:
        """The draws a run of architecture ``name`` reads: none of another architecture's fields."""
        keep = [j for j, p in enumerate(self.paths) if architecture_of(p, scenario) in (None, name)]
        paths = tuple(self.paths[j] for j in keep)
        return Draws(paths, self.replications, self.values[:, keep],
                     {p: v for p, v in self.labels.items() if p in paths})

    def rows(self, replications: Sequence[int]) -> Draws:
        """The draws of some replications (what one chunk of a run needs)."""
        idx = np.searchsorted(self.replications, np.asarray(replications, dtype=np.int64))
        return Draws(self.paths, self.replications[idx], self.values[idx], self.labels)

    def of(self, replication: int) -> dict[str, float | str]:
        """Path -> replication ``replication``'s value (a choice's value, not its index)."""
        r = int(np.searchsorted(self.replications, replication))
        if r >= len(self.replications) or self.replications[r] != replication:
            raise ScenarioError(f"replication {replication} has no draws in this run")
        return {p: self.labels[p][int(v)] if p in self.labels else v
                for p, v in zip(self.paths, self.values[r].tolist(), strict=True)}

    def scenario(self, base: Scenario, replication: int) -> Scenario:
        """``base`` with replication ``replication``'s values (a whole-number field's rounded), made
        once per replication (the run checked them: :meth:`check`)."""
        sc = self._built.get(replication)
        if sc is None:
            sc = self._built[replication] = set_unchecked(base, self.of(replication), round_whole=True)
        return sc

    def check(self, base: Scenario) -> None:
        """Refuse a draw a run could not simulate, before the run: a value outside its field's
        range (a lognormal input reaches past any bound), or, for a number a rule across fields
        reads, a drawn scenario that breaks it; a life's parameter is checked by its family."""
        for j, path in enumerate(self.paths):
            if path in self.labels:  # a choice: each of its values was validated with the scenario
                continue
            d = declaration_at(base, path)
            rng = d.range if d is not None else None
            col = self.values[:, j]
            if rng is not None:
                bad = [i for i, v in enumerate(col.tolist()) if not rng.ok(_rounded(v, d.type))]
                if bad:
                    r = bad[0]
                    raise ScenarioError(
                        f"replication {int(self.replications[r])} draws {path} = {col[r]:g}, which "
                        f"{rng.text()} ({len(bad)} of {len(col)} replications); narrow its "
                        "distribution (a lognormal reaches past any bound) or use a uniform one")
        crossed = [p for p in self.paths if p.rsplit(".", 1)[-1] in CROSS_CHECKED]
        for i in self.replications.tolist() if crossed else ():
            try:
                validate(self.scenario(base, i), inputs=False)
            except ScenarioError as e:
                raise ScenarioError(f"replication {i} draws {', '.join(crossed)}: "
                                    f"{str(e).splitlines()[-1]}") from None

    def frame(self):
        """The table as a pandas DataFrame: ``replication`` then one column per path."""
        import pandas as pd

        def column(j: int, p: str):
            if p in self.labels:
                return np.array(self.labels[p], dtype=object)[self.values[:, j].astype(np.int64)]
            return self.values[:, j]

        return pd.DataFrame({"replication": self.replications,
                             **{p: column(j, p) for j, p in enumerate(self.paths)}})

    @classmethod
    def from_frame(cls, frame) -> Draws:
        """The table :meth:`frame` wrote (a choice's column holds its values' names)."""
        paths = tuple(c for c in frame.columns if c != "replication")
        labels = {p: tuple(dict.fromkeys(frame[p].astype(str))) for p in paths
                  if frame[p].dtype == object}
        values = np.column_stack([
            frame[p].astype(str).map(labels[p].index).to_numpy(float) if p in labels
            else frame[p].to_numpy(float) for p in paths]) if paths else np.empty((len(frame), 0))
        return cls(paths, frame["replication"].to_numpy(np.int64),
                   values.reshape(len(frame), len(paths)), labels)

    def __getstate__(self) -> dict:  # what goes to a worker: the table, not the built scenarios
        return {"paths": self.paths, "replications": self.replications, "values": self.values,
                "labels": dict(self.labels)}

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_built", {})


def _rounded(v: float, tp: object) -> float:
    return float(round(v)) if tp is int else v
