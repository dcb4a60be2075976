"""Errors of the fleet_models layer."""

from __future__ import annotations

from failure_data.errors import HintedError


class FleetError(HintedError):
    """Base class of every fleet_models error."""


class ScenarioError(FleetError):
    """A scenario field is invalid; the message names the field path, the value and the allowed range.

    ``problems`` lists every problem found (objects with ``to_dict()``), so the CLI's
    ``--json`` error document can carry them all.
    """

    def __init__(self, message: str, problems: tuple = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class RunTooLarge(FleetError):
    """A legal run whose size passes the cap: it would take hours or exhaust memory.

    ``estimate`` is the :class:`fleet_models.runs.estimate.RunEstimate`; the message says how to
    shrink the run or how to start it anyway (``force=True``, the CLI's ``--force``).
    """

    def __init__(self, message: str, estimate: object) -> None:
        super().__init__(message)
        self.estimate = estimate


class DecisionError(FleetError):
    """A decision command that cannot give an answer (no sign change, no such component...)."""
