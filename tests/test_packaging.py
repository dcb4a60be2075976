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
