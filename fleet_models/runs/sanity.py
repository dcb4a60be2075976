"""Legal but absurd scenarios: what will happen, said before a run.

The validator refuses what is out of range; some values are in range yet almost surely a typo or a
wrong unit (a Weibull shape of 50, a 1e9 FIT, a 1,000-year horizon). :func:`notes` says what each
will do, so the run goes ahead with the user warned instead of silently printing numbers that look
right. The CLI prints them on stderr before it simulates; very large runs are caught separately by
the event cap (``fleet_models.runs.estimate.MAX_FAILURES``).
"""

from __future__ import annotations

import math

from failure_data.units import HOURS_PER_YEAR
from fleet_models.model.spec import Repair, Scenario
from reliability.models import FIT_HOURS

SHAPE_MAX = 20.0  # Weibull shapes of published lives run 0.5-10
MTTF_MIN_HOURS = 1000.0  # a field-replaceable unit failing more often than every ~6 weeks
HORIZON_MAX_YEARS = 30.0


def notes(scenario: Scenario) -> list[str]:
    """One sentence per legal but absurd value: where it is, what it is, what will happen."""
    out: list[str] = []
    years = scenario.horizon_hours / HOURS_PER_YEAR
    if years > HORIZON_MAX_YEARS:
        out.append(f"horizon = {years:,.0f} years: every price, life and policy is held at today's "
                   "value for all of it; a CPO decision rests on the first 3-7 years")
    for arch in scenario.architectures:
        for c in arch.components:
            where = f"architectures.{arch.name}.components.{c.name}.life"
            life = c.life
            if life.distribution == "weibull" and life.parameters["shape"] > SHAPE_MAX:
                shape, scale = life.parameters["shape"], life.parameters["scale"]
                # 90 % of lives fall between the 5th and 95th percentiles of the Weibull
                lo = scale * (-math.log(0.95)) ** (1 / shape)
                hi = scale * (-math.log(0.05)) ** (1 / shape)
                out.append(f"{where}: Weibull shape {shape:g} means 90 % of units fail between "
                           f"{lo:,.0f} h and {hi:,.0f} h, all at nearly the same age (a fixed life); "
                           "published lives have shapes of 0.5-10")
            mean = life.mean()
            if math.isfinite(mean) and mean < MTTF_MIN_HOURS:
                fit = FIT_HOURS / mean
                out.append(f"{where}: a mean life of {mean:,.3g} h ({fit:,.3g} FIT) fails each of the "
                           f"{scenario.fleet.switches * c.per_switch:,} units about "
                           f"{scenario.horizon_hours / mean:,.0f} times over the horizon; check the "
                           "unit (FIT is failures per 1e9 hours)")
    pol = scenario.policy
    if pol.swap_hours == 0 and any(c.repair is Repair.SWAP for a in scenario.architectures
                                   for c in a.components):
        out.append("policy.swap_hours = 0: a swap takes no hands-on time, so a swapped port is back "
                   "the moment its failure is detected")
    return out
