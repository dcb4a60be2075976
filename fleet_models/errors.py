"""Errors of the fleet_models layer."""

from __future__ import annotations


class FleetError(Exception):
    """Base class of every fleet_models error."""


class ScenarioError(FleetError):
    """A scenario field is invalid; the message names the field path, the value and the allowed range."""
