"""The benchmark suite (`python -m benchmarks`) is not run by the tests, but its scaffolding is:
its --quick path imports, the RESULTS writer lays out the machine and every section, a section
that fails or is skipped is recorded in the file instead of ending the suite, and the suite exits
0. The sections' own work is swapped for tiny stand-ins so this takes well under a second."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

from benchmarks import bench_availsim4, suite

ROOT = Path(__file__).resolve().parent.parent


def test_help_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--quick" in out.stdout and "RESULTS.md" in out.stdout


def test_quick_writer_records_every_section(tmp_path, monkeypatch) -> None:
    def ok(cfg, store):
        store["ok"] = cfg.mode
        return suite.md_table(["a", "b"], [["1", "2"]])

    def boom(cfg, store):
        raise RuntimeError("disk on fire")

    def skip(cfg, store):
        raise suite.Skip("no such tool here")

    fakes = {"fit": ok, "engines": boom, "availsim4": skip}
    sections = [(key, title, fakes.get(key, ok)) for key, title, _ in suite.SECTIONS]
    monkeypatch.setattr(suite, "SECTIONS", sections)
    out = tmp_path / "RESULTS.md"
    assert suite.main(["--quick", "--out", str(out)]) == 0
    text = out.read_text()
    assert "(quick run" in text
    for item in ("## Headline", "## Machine", "- date:", "- CPU:", "- memory:", "- Python:", "- libraries:", "numpy"):
        assert item in text
    for _, title, _ in sections:
        assert f"## {title}" in text
    assert "This section failed** (RuntimeError: disk on fire)" in text
    assert "Skipped: no such tool here" in text
    assert "| 1 | 2 |" in text

    # --only: the others are listed, not run
    assert suite.main(["--quick", "--only", "fit", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.count("Not run (`--only` left it out).") == len(sections) - 1


def test_real_sections_and_sizes() -> None:
    keys = [k for k, _, _ in suite.SECTIONS]
    assert keys == ["fit", "engines", "fleet", "replications", "memory", "workers", "availsim4",
                    "uncertainty"]
    assert suite.FULL.fleet_sizes == (100, 1_000, 10_000, 100_000)
    assert suite.QUICK.mode == "quick" and suite.FULL.mode == "full"


def test_availsim4_model_closed_forms() -> None:
    cf = bench_availsim4.closed_form()
    assert math.isclose(cf["a_unit"], 1000 / 1010)
    assert math.isclose(cf["a_series"], (1000 / 1010) ** 100)  # 0.3697...
    series, ports = bench_availsim4.scenarios()  # both validate
    assert series.architectures[0].components[0].needed == 100
    assert ports.fleet.ports_per_switch == 100
