"""reliability: life models, fits, zero-failure bounds, accelerated tests, pilot plans.

Public names are loaded on first use so that importing the package is cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "LifeModel": "reliability.models",
    "DISTRIBUTIONS": "reliability.models",
    "arrhenius_factor": "reliability.models",
    "ReliabilityError": "reliability.errors",
    "ParameterError": "reliability.errors",
    "FitError": "reliability.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'reliability' has no attribute {name!r}")
