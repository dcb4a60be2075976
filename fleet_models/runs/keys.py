"""What a run of one architecture depends on, as a key: two scenarios with equal keys for an
architecture simulate it alike, so one run serves both (the decisions' cache, a saved run
re-priced with another scenario's prices).

The key reads the fields whose declared role re-simulates (``fleet_models.model.fields.Role``:
engine inputs and the discount rate the ledgers' sums are made with); :func:`first_difference`
names the first such field two scenarios set apart.
"""

from __future__ import annotations

from typing import Any

from fleet_models.model.fields import engine_view
from fleet_models.model.spec import Scenario
from fleet_models.runs.draws import Draws


def engine_key(scenario: Scenario, arch_index: int, overrides: Draws | None = None) -> str:
    """What one architecture's replications depend on: its name and :func:`engine_view`, the rest
    of the scenario's engine view without the other architectures, the uncertain inputs when they
    are drawn, and any per-replication overrides."""
    arch = scenario.architectures[arch_index]
    rest = tuple((k, v) for k, v in engine_view(scenario) if k not in ("architectures", "uncertain"))
    drawn = tuple(sorted(scenario.uncertain.items())) if scenario.uncertainty else None
    extra = None if overrides is None else (overrides.paths, overrides.values.tobytes())
    return repr((arch.name, engine_view(arch), rest, drawn, extra))


def first_difference(a: Scenario, b: Scenario, arch: str) -> str | None:
    """The path of the first engine input architecture ``arch`` sees differently in ``a`` and
    ``b`` (None: they simulate it alike)."""
    ia = [x.name for x in a.architectures].index(arch)
    ib = [x.name for x in b.architectures].index(arch)
    va = (("architectures", ((arch, engine_view(a.architectures[ia])),)),
          *((k, v) for k, v in engine_view(a) if k not in ("architectures", "uncertain")))
    vb = (("architectures", ((arch, engine_view(b.architectures[ib])),)),
          *((k, v) for k, v in engine_view(b) if k not in ("architectures", "uncertain")))
    found = _differ(va, vb, "")
    if found is None and a.uncertainty != b.uncertainty or (
            a.uncertainty and dict(a.uncertain) != dict(b.uncertain)):
        return "uncertain"
    return found


def _differ(x: Any, y: Any, path: str) -> str | None:
    if isinstance(x, tuple) and isinstance(y, tuple) and len(x) == len(y) and all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str | int) for p in x + y):
        for (kx, vx), (ky, vy) in zip(x, y, strict=True):
            if kx != ky:
                return f"{path}{kx}" if path else str(kx)
            found = _differ(vx, vy, f"{path}{kx}.")
            if found is not None:
                return found
        return None
    return None if x == y else path.rstrip(".")
