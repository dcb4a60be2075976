"""How large a run is before it starts: its expected failure events and wall time, and the cap.

The engine's cost is about one unit of work per failure event (draw, queue, repair, renewal) and
a little per unit drawn at the start; :func:`estimate` counts them from the lives alone, which
the CLI says before a long run and :func:`fleet_models.runs.runner.run` holds to a cap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from failure_data.numbers import about
from fleet_models.model.spec import Scenario
from fleet_models.runs.parallel import default_workers

# The engine's cost is about one unit of work per failure event (draw, queue, repair, renewal)
# and a little per unit drawn at the start. Measured with `python benchmarks/bench_estimate.py`
# (SimPy engine, one worker, 2-core container, 2026-12): 1.0e-4 s per failure on an idle machine,
# 1.8e-4 with the other core busy. On today's default scenario it estimates about 20 % more
# failures than are simulated (2026-12-07): a cap and an ETA, not a result.
SECONDS_PER_FAILURE = 1.5e-4


# The compiled engine: 0.83e-6 s per estimated failure on the default scenario scaled to 1,024
# switches x 10 years (bench_estimate.py, idle machine, 2026-12-07, after the cohort and lane
# changes); 1.0e-6 keeps the four sizes it runs within a factor of two (0.55x to 1.8x)
SECONDS_PER_FAILURE_FAST = 1.0e-6
SECONDS_PER_UNIT = 2.0e-7
MAX_FAILURES = 20_000_000
"""The cap on a run's expected failure events (about an hour on two workers); above it
:func:`run` refuses unless ``force=True``."""


@dataclass(frozen=True)
class RunEstimate:
    """Expected size of a run before it starts: failure events and units, and the wall time."""

    failures: float
    units: float
    workers: int
    engine: str = "des"

    @property
    def seconds(self) -> float:
        per = SECONDS_PER_FAILURE_FAST if self.engine == "fast" else SECONDS_PER_FAILURE
        unit = SECONDS_PER_UNIT / 20 if self.engine == "fast" else SECONDS_PER_UNIT
        return (self.failures * per + self.units * unit) / self.workers

    @property
    def too_large(self) -> bool:
        return self.failures > MAX_FAILURES

    def text(self) -> str:
        return f"about {about(self.failures)} failure events, {duration_text(self.seconds)}"


def estimate(scenario: Scenario, replications: int | None = None, workers: int | None = None,
             engine: str = "des") -> RunEstimate:
    """The expected failure events of a run: per unit, max(F(H), H / mean life) (the first failure,
    or the renewal rate over the horizon), times units per switch (spare units included: they
    age and fail too), switches, architectures and replications. A first-order count (a renewal count is H/mean + O(1)), good for a cap and an ETA."""
    n = scenario.replications if replications is None else replications
    workers = default_workers() if workers is None else workers
    h = scenario.horizon_hours
    per_rep = units = 0.0
    from fleet_models.engines.tiers import is_design, views

    fleets = [(v.scenario.fleet.switches, v.architecture) for a in scenario.architectures
              for v in (views(scenario, a) if is_design(a) else [])]
    fleets += [(scenario.fleet.switches, a) for a in scenario.architectures if not is_design(a)]
    for switches, arch in fleets:  # a design: each tier's switches
        for c in arch.components:
            count = switches * (c.per_switch + c.spare_units) * c.elements
            try:
                mean = c.life.mean()
            except OverflowError:  # a mean beyond a float (lognormal mu = 1e308): no renewals
                mean = math.inf
            # the family's closed-form cdf, as the engines use (LifeModel.cdf would import scipy.stats)
            rate = max(float(c.life.scalar_cdf(h)), h / mean if mean > 0 else math.inf)
            per_rep += count * rate
            units += count
    return RunEstimate(failures=per_rep * n, units=units * n, workers=max(1, min(workers, n)),
                       engine=engine)


def duration_text(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 5400:
        return f"about {round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"about {seconds / 3600:.1f} h"
    return f"about {seconds / 86400:.0f} days"
