"""Numbers written as distributions in place (``swap_hours = { low = 0.03, high = 0.1 }``): found
in a scenario document, replaced by placeholders until their central values are known."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INLINE = ("low", "high", "mode", "median", "error_factor", "lognormal", "triangular", "choice",
          "weights", "source")


def inline(value: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``Uncertain`` fields of a number written as a distribution in place, or None when
    ``value`` is not such a table. The shorthands ``lognormal = [M, F]`` and ``triangular = [A, M,
    B]`` become their fields."""
    if not isinstance(value, Mapping) or not value or not set(value) <= set(INLINE):
        return None
    if not set(value) & {"low", "high", "median", "lognormal", "triangular", "choice"}:
        return None
    out = {k: v for k, v in value.items() if k not in ("lognormal", "triangular")}
    for short, names in (("lognormal", ("median", "error_factor")),
                         ("triangular", ("low", "mode", "high"))):
        if short in value:
            v = value[short]
            if not (isinstance(v, list) and len(v) == len(names)):
                out[short] = v  # left for the validator to refuse, naming the form
                continue
            out.update(zip(names, v, strict=True))
    return out


def extract_inline(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A copy of a scenario document with every number written as a distribution replaced by a
    placeholder resolved later, and {path: fields} of those distributions. Paths name
    architectures and components by name (or base), as :mod:`fleet_models.model.paths` reads them."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any, path: str) -> Any:
        if isinstance(node, Mapping):
            fields = inline(node) if path and not path.endswith(".life") else None
            if fields is not None:
                found[path] = fields
                return _Placeholder(path)
            return {k: v if (path == "" and k == "uncertain") else walk(v, f"{path}.{k}" if path else str(k))
                    for k, v in node.items()}
        if isinstance(node, list):
            out = []
            for i, item in enumerate(node):
                name = item.get("name", item.get("base")) if isinstance(item, Mapping) else None
                sub = f"{path}.{name}" if isinstance(name, str) and path.endswith(
                    ("architectures", "components")) else f"{path}[{i}]"
                out.append(walk(item, sub))
            return out
        return node

    return walk(data, ""), found


class _Placeholder:
    """Stands where a distribution was written until its central value is known."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"<distribution at {self.path}>"


def resolve_placeholders(data: Any, centrals: Mapping[str, float]) -> Any:
    if isinstance(data, _Placeholder):
        return centrals.get(data.path, data)
    if isinstance(data, Mapping):
        return {k: resolve_placeholders(v, centrals) for k, v in data.items()}
    if isinstance(data, list):
        return [resolve_placeholders(v, centrals) for v in data]
    return data
