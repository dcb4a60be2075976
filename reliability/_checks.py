"""Small shared parameter checks: every message quotes the bad value and the allowed range."""

from __future__ import annotations

import math

import numpy as np

from reliability.errors import ParameterError


def check_confidence(confidence: float) -> float:
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ParameterError(f"confidence = {confidence!r} must be a number in (0, 1), e.g. 0.95") from None
    if not (math.isfinite(c) and 0 < c < 1):
        raise ParameterError(f"confidence = {confidence!r} must be in (0, 1), e.g. 0.95 (not 95)")
    return c


def check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} = {value!r} must be a number") from None
    ok = v >= 0 if allow_zero else v > 0
    if not (math.isfinite(v) and ok):
        rng = ">= 0" if allow_zero else "> 0"
        raise ParameterError(f"{name} = {value!r} must be a finite number {rng}")
    return v


def check_count(name: str, value: int) -> int:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} = {value!r} must be a whole number >= 0") from None
    if not (math.isfinite(v) and v >= 0 and v == math.floor(v)):
        raise ParameterError(f"{name} = {value!r} must be a whole number >= 0")
    return int(v)


def covariance_is_usable(vcov: np.ndarray) -> bool:
    """The verdict lifelines' ApproximationWarning / StatisticalWarning give (Hessian not invertible,
    negative or NaN variances), read from the matrix itself: finite and positive definite. A warning
    filter is process-wide state that another thread can change; the matrix is this fit's own."""
    vcov = np.asarray(vcov, dtype=float)
    if not np.all(np.isfinite(vcov)):
        return False
    try:
        np.linalg.cholesky(vcov)
    except np.linalg.LinAlgError:
        return False
    return True
