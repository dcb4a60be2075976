"""`cpo scenario list|show|init|catalog` through the CLI runner."""

from __future__ import annotations

import json
import tomllib

from typer.testing import CliRunner

from cli.main import app
from fleet_models.builtins.scenarios import (
    builtin_architectures,
    builtin_scenarios,
    default_scenario,
)
from fleet_models.scenario.read import load_scenario, parse_scenario

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_list_tables_and_json():
    r = run("scenario", "list")
    assert r.exit_code == 0, r.output
    for name in ("default", "cpo-pilot", "pluggable-dsp", "lpo", "cpo-internal-laser", "cpo-els"):
        assert name in r.output
    r = run("scenario", "list", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert [s["name"] for s in doc["scenarios"]] == list(builtin_scenarios())
    assert [a["name"] for a in doc["architectures"]] == list(builtin_architectures())
    assert [a["name"] for a in doc["architectures"]][:4] == ["pluggable-dsp", "lpo", "cpo-internal-laser", "cpo-els"]
    assert all(a["description"] for a in doc["architectures"])


def test_show_default_prints_resolved_toml_with_sources():
    r = run("scenario", "show", "default")
    assert r.exit_code == 0, r.output
    assert parse_scenario(tomllib.loads(r.stdout)) == default_scenario()
    assert "# source: power-price (M)" in r.stdout
    assert "# switch_replacement_hours: not set: switch_swap_hours + refibre_hours = 2.5 + 3.5 = 6 h" in r.stdout
    assert "refibre_hours = 3.5  # source: cpo-refibre (inferred)" in r.stdout
    r = run("scenario", "show", "default", "--json")
    doc = json.loads(r.stdout)
    assert parse_scenario(doc["scenario"]) == default_scenario()
    assert doc["comments"]["costs.pue"] == "source: pue (H)"


def test_init_writes_a_valid_file_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "my.toml"
    r = run("scenario", "init", "-o", str(out))
    assert r.exit_code == 0, r.output
    s = load_scenario(out)
    assert s.name == "my-fabric"
    r = run("scenario", "show", str(out))
    assert r.exit_code == 0 and 'name = "cpo-els-hot"' in r.stdout
    out.write_text("keep me")
    r = run("scenario", "init", "-o", str(out))
    assert r.exit_code == 1 and "--force" in r.stderr
    assert out.read_text() == "keep me"
    r = run("scenario", "init", "-o", str(out), "--force")
    assert r.exit_code == 0 and load_scenario(out).name == "my-fabric"


def test_show_errors_are_one_message_exit_1(tmp_path):
    r = run("scenario", "show", "defualt")
    assert r.exit_code == 1 and "neither a scenario file nor a built-in scenario (did you mean 'default'?)" in r.stderr and "Traceback" not in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nhorizon_years = 5\nreplications = 0\n[fleet]\nswitches = 1\nports_per_switch = 8\n'
                   '[[architectures]]\nbase = "lpo"\n')
    r = run("scenario", "show", str(bad))
    assert r.exit_code == 1
    assert "replications = 0: must be in [1, 100_000]" in r.stderr
    assert "architectures[0].components['lpo-module' from base lpo].per_switch = 128" in r.stderr
    r = run("scenario", "show", str(bad), "--json")
    assert r.exit_code == 1 and "error" in json.loads(r.stdout)


def test_catalog_command():
    r = run("scenario", "catalog")
    assert r.exit_code == 0 and "avago-sr332" in r.output and "placeholder" in r.output
    lines = r.output.splitlines()  # the rev column: a row the 2026-12 revision changed says so, others do not
    assert any("meta-mtbf-cmp" in ln and "2026-12" in ln for ln in lines)
    assert not any("dfb-fit " in ln and "2026-12" in ln for ln in lines)
    r = run("scenario", "catalog", "--json")
    keys = [e["key"] for e in json.loads(r.stdout)["entries"]]
    assert "switch-afr-fit" in keys and "gill-switch" in keys
    entries = {e["key"]: e for e in json.loads(r.stdout)["entries"]}
    assert entries["pue"]["revised"] == "2026-12" and entries["dfb-fit"]["revised"] is None
    assert entries["optics-lead"]["confidence_text"] == "L / M" and entries["optics-lead"]["confidence"] == "L"
    r = run("scenario", "catalog", "switch-afr-fit", "--json")
    e = json.loads(r.stdout)
    assert e["confidence"] == "inferred" and e["derived_from"] == ["gill-switch", "msft-switch"]
    r = run("scenario", "catalog", "meta-mtbf-cmp")  # one entry in full shows its revision
    assert r.exit_code == 0 and "revised" in r.output and "2026-12" in r.output
    r = run("scenario", "catalog", "gil-switch")
    assert r.exit_code == 1 and "'gill-switch'" in r.stderr


def test_readme_example_scenario_validates():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: scenario -->")[1].split("<!-- end section: scenario -->")[0]
    (example,) = re.findall(r"```toml\n(.*?)```", section, flags=re.S)
    s = parse_scenario(tomllib.loads(example))
    assert [a.name for a in s.architectures] == ["pluggable-dsp", "cpo-els-hot"]
    assert s.policy.spares["switch"].lead_time_hours == 180 * 24
