"""TOML written in one place: a value, a key and a string as TOML spells them. The scenario writer
(``fleet_models.scenario.write``) and the life-model file (``reliability.models``) both write
through these; reading is the standard library's ``tomllib``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def toml_key(k: str) -> str:
    """A key: bare when it can be, else quoted."""
    return k if k and set(k) <= _BARE else toml_string(k)


def toml_string(text: str) -> str:
    """A TOML basic string: JSON escapes are TOML escapes, except DEL, which TOML also forbids raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(v: Any, error: type[Exception] = ValueError) -> str:
    """One TOML value (inline tables for mappings; None, which TOML cannot hold, is left out of a
    table or an array); floats are written exactly (repr). Anything else raises ``error``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, Mapping):
        items = [f"{toml_key(str(k))} = {toml_value(x, error)}" for k, x in v.items() if x is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x, error) for x in v if x is not None) + "]"
    raise error(f"cannot write {v!r} ({type(v).__name__}) to TOML")


def toml_document(d: Mapping[str, Any], error: type[Exception] = ValueError) -> str:
    """A flat document: each key of ``d`` that is not None as ``key = value`` (its mappings as
    tables of their own, after the plain keys)."""
    lines = [f"{toml_key(k)} = {toml_value(v, error)}" for k, v in d.items()
             if v is not None and not isinstance(v, Mapping)]
    for k, v in d.items():
        if isinstance(v, Mapping):
            lines += ["", f"[{toml_key(k)}]"]
            lines += [f"{toml_key(str(kk))} = {toml_value(x, error)}" for kk, x in v.items()
                      if x is not None]
    return "\n".join(lines) + "\n"
