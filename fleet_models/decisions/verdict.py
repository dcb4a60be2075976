"""The verdict a comparison gives, and what flips it.

The question a scenario asks is CPO against its pluggable twin: :func:`question` picks the
architecture that puts optics on the switch package (an optical unit whose repair replaces the
switch) against the baseline, not whichever architecture happens to be cheapest.

A :class:`Verdict` carries two probabilities and says which is which: the share of replications
in which the CPO architecture is cheaper with every input at its value (only chance varies: the
fleet's luck), and the share over the declared uncertainty of the inputs (each drawn once per
replication with common random numbers, as ``uncertainty = true`` does; a life fitted from a
field log draws its parameters from its covariance there). Then its hinges: for the inputs
that swing the difference most (the tornado's top rows, a discrete choice's alternatives
included), the value within the input's range at which the mean difference changes sign, found
on common random numbers (:func:`hinges`), or that it does not flip within its range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from failure_data.numbers import quantity, span, usd
from failure_data.units import HOURS_PER_YEAR
from fleet_models.decisions.breakeven import bisect
from fleet_models.decisions.evaluator import Evaluator, difference, pair
from fleet_models.decisions.tornado import Input, tornado, uncertain_inputs
from fleet_models.errors import DecisionError
from fleet_models.model.checks import known_architecture
from fleet_models.model.spec import Architecture, Repair, Scenario
from fleet_models.runs.results import FleetResult
from fleet_models.scenario.variants import with_values

HINGES = 3
"""How many of the tornado's top inputs a verdict solves for."""


def is_cpo(arch: Architecture) -> bool:
    """Optics on the switch package: a unit carrying ports whose repair replaces the switch."""
    return any(c.repair is Repair.REPLACE_SWITCH and c.ports_per_unit is not None
               for c in arch.components)


def question(scenario: Scenario, result: FleetResult | None = None, arch: str | None = None,
             against: str | None = None) -> tuple[str, str]:
    """(arch, against): the CPO architecture judged against the baseline. ``against`` defaults to
    the scenario's first architecture; ``arch`` to its CPO architecture (of several, the one with
    the lowest mean TCO in ``result``, else the last), and to the last other one if none is CPO."""
    names = [a.name for a in scenario.architectures]
    if len(names) < 2:
        raise DecisionError("a verdict compares two architectures; the scenario has one")
    against = known_architecture(against, names, "--baseline") if against else names[0]
    if arch is not None:
        return known_architecture(arch, names, "--arch"), against
    cpo = [a.name for a in scenario.architectures if is_cpo(a) and a.name != against]
    if not cpo:
        cpo = [n for n in names if n != against]
    if result is not None and len(cpo) > 1:
        tco = result.summary().query("metric == 'tco_usd'").set_index("architecture")["mean"]
        return str(tco[cpo].idxmin()), against
    return cpo[-1], against


@dataclass(frozen=True)
class Hinge:
    """One input the verdict hinges on: its range, the mean difference at its ends (or at a
    choice's central and other value), and where within the range the difference changes sign
    (``flips_at``; None: it does not flip within its range)."""

    input: str
    kind: str  # "range" or "choice"
    paths: tuple[str, ...]
    low: float | str
    high: float | str
    unit: str
    confidence: str
    at_low: float
    at_high: float
    swing: float
    flips_at: float | str | None

    def range_text(self) -> str:
        if self.kind == "choice":
            return f"{self.low} or {self.high}"
        return span(self.low, self.high, self.unit)

    def text(self) -> str:
        if self.kind == "choice":
            if self.flips_at is None:
                return (f"{self.input}: does not flip at {self.high} ({usd(self.at_high, signed=True)} "
                        f"there, {usd(self.at_low, signed=True)} at {self.low})")
            return (f"{self.input}: flips if it is {self.flips_at} ({usd(self.at_high, signed=True)} "
                    f"there, {usd(self.at_low, signed=True)} at {self.low})")
        if self.flips_at is None:
            return (f"{self.input} ({self.range_text()}): does not flip within its range "
                    f"({usd(self.at_low, signed=True)} at its low, {usd(self.at_high, signed=True)} at "
                    "its high)")
        return (f"{self.input} ({self.range_text()}): flips at "
                f"{quantity(self.flips_at, self.unit, like=(self.low, self.high))}"
                + f" ({usd(self.at_low, signed=True)} at its low, {usd(self.at_high, signed=True)} at its high)")

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {"text": self.text()}


def hinges(scenario: Scenario, evaluator: Evaluator, arch: str, against: str, n: int = HINGES,
           frame: Any = None, metric: str = "tco_usd") -> list[Hinge]:
    """The ``n`` inputs of the tornado (``frame``, or one run here) that swing the mean difference
    ``arch`` - ``against`` most, each with where it flips the verdict within its range: for a
    range, the value at which the mean paired difference is zero, found by bisection with every
    path of the input moved together (common random numbers: the difference is a deterministic
    function of the value); for a choice's value, whether the difference there has the other sign
    than with the input at its central value."""
    frame = tornado(scenario, evaluator, arch, against, metric=metric) if frame is None else frame
    sc = pair(scenario, arch, against)
    inputs = {i.key: i for i in uncertain_inputs(sc)}  # as the tornado moved them: the pair's paths
    out = []
    for row in frame.head(n).itertuples(index=False):
        key = row.input.split(" = ", 1)[0] if row.kind == "choice" else row.input
        flips: float | str | None = None
        if row.kind == "choice":
            if (row.at_high > 0) != (row.at_low > 0):
                flips = row.high
        elif (row.at_low > 0) != (row.at_high > 0):
            t = _crossing(sc, evaluator, inputs[key], arch, against, metric)
            flips = None if t is None else row.low + t * (row.high - row.low)
        out.append(Hinge(row.input, row.kind, tuple(row.paths.split(", ")), row.low, row.high,
                         row.unit, str(row.confidence), float(row.at_low), float(row.at_high),
                         float(row.swing), flips))
    return out


def _crossing(scenario: Scenario, evaluator: Evaluator, inp: Input, arch: str, against: str,
              metric: str) -> float | None:
    """t in [0, 1] at which the mean difference is zero with every path of ``inp`` at
    low + t (high - low)."""
    def at(t: float) -> float:
        values = {p: lo + t * (hi - lo) for p, lo, hi in zip(inp.paths, inp.lows, inp.highs, strict=True)}
        return difference(evaluator.result(with_values(scenario, values, round_whole=True)), metric,
                          arch, against)["mean"]

    return bisect(at, 0.0, 1.0, rtol=2e-3, max_steps=12)


@dataclass(frozen=True)
class Verdict:
    """The answer in numbers: ``arch`` against ``against`` on TCO (mean paired difference with its
    ci95), the share of replications ``arch`` is cheaper in over chance alone (the inputs fixed)
    and over the declared uncertainty of the inputs (each None when that run was not made), and
    its hinges."""

    arch: str
    against: str
    years: float
    replications: int
    mean: float  # mean paired TCO difference arch - against (of the fixed run if there is one)
    ci95: tuple[float, float]
    p_chance: float | None
    p_chance_equal: float | None
    inputs: int  # what the scenario declares uncertain (0: nothing)
    mean_inputs: float | None = None
    ci95_inputs: tuple[float, float] | None = None
    p_inputs: float | None = None
    p_inputs_equal: float | None = None
    hinges: tuple[Hinge, ...] = field(default=())

    @property
    def cheaper(self) -> bool:
        return self.mean < 0

    def headline(self) -> str:
        """The difference with its interval (or that the two cost the same), in one sentence."""
        horizon = f"{self.years:g} year{'s' if self.years != 1 else ''}"
        if self.p_chance_equal == 1.0 or (self.p_chance is None and self.p_inputs_equal == 1.0):
            return f"{self.arch} costs the same as {self.against} over {horizon} in every replication."
        word = "less" if self.mean < 0 else "more"
        return (f"{self.arch} costs {usd(abs(self.mean))} {word} than {self.against} over {horizon} "
                f"(mean of {self.replications} replications, 95 % interval "
                f"{usd(self.ci95[0], signed=True)} to {usd(self.ci95[1], signed=True)}).")

    def chance_text(self) -> str | None:
        """The share over chance alone, or None if that run was not made."""
        if self.p_chance is None:
            return None
        return f"{_share(self.p_chance, self.p_chance_equal)}"

    def inputs_text(self) -> str | None:
        """The share over the inputs' uncertainty with that run's mean and its interval."""
        if self.p_inputs is None:
            return None
        out = _share(self.p_inputs, self.p_inputs_equal)
        if self.mean_inputs is not None and self.p_chance is not None:
            out += f", mean {usd(self.mean_inputs, signed=True)}"
            if self.ci95_inputs is not None:
                out += (f" (95 % interval {usd(self.ci95_inputs[0], signed=True)} to "
                        f"{usd(self.ci95_inputs[1], signed=True)})")
        return out

    def text(self) -> str:
        out = self.headline()
        if self.p_chance is not None:
            out += (" With every input at its value only chance varies (the fleet's luck): "
                    f"{self.chance_text()}.")
        if self.p_inputs is not None:
            out += (f" Over the declared uncertainty of its {self.inputs} inputs (drawn per "
                    f"replication, common random numbers): {self.inputs_text()}.")
        elif self.inputs == 0:
            out += (" No input is declared uncertain, so that share says nothing about the inputs; "
                    "declare ranges ([uncertain]) to see how sure it is.")
        else:
            out += (" The inputs' uncertainty was not drawn here; `cpo compare` on the scenario "
                    "gives the share over it and what flips the verdict.")
        return out

    def flips_text(self) -> list[str]:
        return [h.text() for h in self.hinges]

    def to_dict(self) -> dict[str, Any]:
        return {"arch": self.arch, "against": self.against, "years": self.years,
                "replications": self.replications, "mean": self.mean, "ci95": list(self.ci95),
                "probabilities": {"chance": self.p_chance, "chance_equal": self.p_chance_equal,
                                  "inputs": self.p_inputs, "inputs_equal": self.p_inputs_equal,
                                  "inputs_drawn": self.inputs},
                "mean_over_inputs": self.mean_inputs,
                "ci95_over_inputs": None if self.ci95_inputs is None else list(self.ci95_inputs),
                "text": self.text(), "hinges": [h.to_dict() for h in self.hinges]}


def _share(p: float, equal: float | None) -> str:
    if equal == 1.0:
        return "equal in 100 % of replications"
    ties = f", equal in {equal * 100:.0f} %" if equal else ""
    return f"cheaper in {p * 100:.0f} %{ties} of replications"


def verdict(fixed: FleetResult | None, arch: str, against: str, uncertain: FleetResult | None = None,
            found: list[Hinge] | tuple[Hinge, ...] = ()) -> Verdict:
    """The verdict of ``fixed`` (a run with its inputs at their values) and of ``uncertain`` (the
    same scenario drawing its inputs, common random numbers); either may be missing."""
    base = fixed if fixed is not None else uncertain
    if base is None:
        raise DecisionError("a verdict needs a run")
    d = difference(base, "tco_usd", arch, against)
    out: dict[str, Any] = {"p_chance": None, "p_chance_equal": None}
    if fixed is not None:
        out = {"p_chance": d["p_better"], "p_chance_equal": d["p_equal"]}
    if uncertain is not None:
        u = difference(uncertain, "tco_usd", arch, against)
        out |= {"mean_inputs": u["mean"], "ci95_inputs": (u["ci95_low"], u["ci95_high"]),
                "p_inputs": u["p_better"], "p_inputs_equal": u["p_equal"]}
    return Verdict(arch, against, base.horizon_hours / HOURS_PER_YEAR, base.n_replications, d["mean"],
                   (d["ci95_low"], d["ci95_high"]), inputs=uncertain_count(base.spec),
                   hinges=tuple(found), **out)


def of_run(result: FleetResult, baseline: str | None = None, arch: str | None = None) -> Verdict:
    """The verdict of one run (a saved one, say): over chance alone if it fixed its inputs, over
    the inputs if it drew them."""
    arch, against = question(result.spec, result, arch, baseline)
    drew = bool(result.spec.uncertainty)
    return verdict(None if drew else result, arch, against, result if drew else None)


def uncertain_count(scenario: Scenario) -> int:
    """How many things ``uncertainty = true`` draws: the uncertain inputs (declared, or the catalog
    ranges the values cite; one per catalog key) and each life with a covariance."""
    from fleet_models.model.distributions import stream_key
    from fleet_models.scenario.inputs import inputs

    keys = {stream_key(p, u) for p, u in inputs(scenario).items()}
    return len(keys) + sum(c.life.uncertain for a in scenario.architectures
                           for c in a.components)

