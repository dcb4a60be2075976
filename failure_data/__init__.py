"""failure_data: field failure logs in, one validated `LifeTable` out.

Import cost matters (the CLI's --help must be fast), so the public names are
loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "LifeTable": "failure_data.table",
    "Provenance": "failure_data.table",
    "DataError": "failure_data.errors",
    "DataValidationError": "failure_data.errors",
    "Problem": "failure_data.errors",
    "TimeUnit": "failure_data.units",
    "parse_duration": "failure_data.units",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'failure_data' has no attribute {name!r}")
