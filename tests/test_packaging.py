"""Package-level promises: exports resolve, layering holds, and the CLI starts light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import failure_data
import fleet_models
import reliability

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", [failure_data, reliability, fleet_models], ids=lambda p: p.__name__)
def test_every_export_resolves(package):
    for name in package.__all__:
        assert getattr(package, name) is not None, f"{package.__name__}.{name}"


def test_cli_import_loads_no_heavy_library():
    # `cpo --help` must answer fast: heavy libraries are imported only by the commands using them
    code = ("import sys, cli.main; heavy = [m for m in ('pandas', 'scipy', 'lifelines', 'simpy', "
            "'matplotlib', 'pyarrow') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at CLI start-up: {out.stdout.strip()}"


# DESIGN.md: failure_data imports nothing of the project; reliability imports failure_data;
# fleet_models imports reliability (and failure_data); cli imports all.
ALLOWED = {
    "failure_data": {"failure_data"},
    "reliability": {"failure_data", "reliability"},
    "fleet_models": {"failure_data", "reliability", "fleet_models"},
}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_lower_layers_never_import_upper_ones(layer):
    project = {"failure_data", "reliability", "fleet_models", "cli"}
    for path in sorted((ROOT / layer).rglob("*.py")):
        if path.parent.name == "samples":
            continue  # the script that made the sample logs is a tool run by hand, not library code
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in project:
                    assert top in ALLOWED[layer], f"{path.relative_to(ROOT)} imports {name}"


# ---------------------------------------------------------------------- the import graph

PACKAGES = ("failure_data", "reliability", "fleet_models", "cli")
FLOORS = ("fleet_models.errors", "fleet_models.model", "fleet_models.builtins", "fleet_models.scenario",
          "fleet_models.engines", "fleet_models.runs", "fleet_models.decisions")
"""fleet_models/ by the data's path, each floor importing only the floors below it (the package's
docstring is the map)."""
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            if "samples" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere (module level, in a function, under
    TYPE_CHECKING), a package's lazy exports counting as imports of the modules they load."""
    mods = _modules()

    def resolve(name: str) -> str | None:
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            if ".".join(parts[:i]) in mods:
                return ".".join(parts[:i])
        return None

    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_EXPORTS" for t in node.targets)
                  and isinstance(node.value, ast.Dict)):
                targets = [v.value for v in node.value.values if isinstance(v, ast.Constant)]
            deps |= {r for t in targets if (r := resolve(t)) is not None}
        deps.discard(name)
        graph[name] = deps
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_circle_anywhere_in_the_project():
    assert _cycles(_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _floor(module: str) -> int | None:
    return next((i for i, f in enumerate(FLOORS) if module == f or module.startswith(f + ".")), None)


def test_each_floor_of_fleet_models_imports_only_the_floors_below_it():
    graph = _graph()
    assert {_floor(m) for m in graph if m.startswith("fleet_models.")} == set(range(len(FLOORS)))
    for module, deps in graph.items():
        mine = _floor(module)
        if mine is None:
            continue
        for dep in deps:
            theirs = _floor(dep)
            assert theirs is None or theirs <= mine, f"{module} (floor {FLOORS[mine]}) imports {dep}"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_longer_than_the_house_allows(package):
    long = {str(p.relative_to(ROOT)): n for name, p in _modules().items() if name.split(".")[0] == package
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines: split them along their parts"
