"""The shipped sample logs: valid, documented, and reproduced byte for byte by their generator."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from failure_data.readers import SAMPLES, read_life_table, samples_path

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "failure_data" / "samples"
README = (SAMPLES_DIR / "README.md").read_text(encoding="utf-8")


def _generator():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES_DIR.parents[1] / "scripts" / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = _generator()


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_is_reproduced_by_its_generator(name):
    assert GEN.build(name) == samples_path(name).read_bytes()


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_is_valid_small_and_documented(name):
    path = samples_path(name)
    table = read_life_table(path, as_of="2025-12-31" if "dated" in name else None)
    assert table.n_units > 0 and table.n_failures > 0
    assert path.stat().st_size < 200_000
    assert f"- `{name}`:" in README  # its "how it was made" line


def test_readme_gives_the_exact_commands():
    for name, argvs in GEN.commands().items():
        if len(argvs) == 1:
            assert f"`cpo {' '.join(argvs[0])}`" in README, name


def test_els_pilot_has_zero_to_three_failures():
    assert read_life_table(samples_path("cpo_els_pilot.csv")).n_failures <= 3


def test_htol_has_three_temperatures():
    table = read_life_table(samples_path("laser_htol.csv"))
    assert sorted(table.data["temperature_c"].unique()) == [85.0, 105.0, 125.0]


def test_engine_log_is_interval_censored():
    kinds = read_life_table(samples_path("engine_inspections.csv")).units_by_kind()
    assert kinds["interval"] > 0 and kinds["exact"] == 0
