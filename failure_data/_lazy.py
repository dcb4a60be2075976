"""Lazy package exports (PEP 562): public names load their module on first use.

Importing a package must stay cheap (`cpo --help` answers in well under a
second), so each package's ``__init__`` lists its public names and the module
each lives in, and this one helper does the rest for all three packages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], list[str]]:
    """``(__getattr__, __all__)`` for ``package`` exporting ``name -> module``."""

    def __getattr__(name: str) -> Any:
        if name in exports:
            return getattr(importlib.import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__, sorted(exports)
