"""Errors of the reliability layer."""

from __future__ import annotations

from failure_data.errors import HintedError


class ReliabilityError(HintedError):
    """Base class of every reliability error: a bad parameter, a fit that cannot be made."""


class ParameterError(ReliabilityError, ValueError):
    """A parameter outside its allowed range; the message quotes the value and the range."""


class FitError(ReliabilityError):
    """A fit was refused or did not converge; the message says what to try."""
