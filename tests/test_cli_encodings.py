"""Every text file the tool reads is UTF-8 (a byte-order mark allowed); anything else is refused
with what it looks like and the fix, exit 1, never a UnicodeDecodeError (failure_data.text)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app

WIDE = {"COLUMNS": "400"}
SCENARIO = 'name = "café"\nhorizon_years = 1\nreplications = 2\n[fleet]\nswitches = 2\nports_per_switch = 4\n' \
           '[[architectures]]\nbase = "lpo"\n'
MODEL = '{"distribution": "exponential", "parameters": {"scale": 1e6}, "provenance": {"note": "café"}}\n'
SCENARIO_WITH_MODEL = SCENARIO.replace('base = "lpo"', 'name = "m"\n[[architectures.components]]\n'
                                       'name = "module"\nper_switch = 4\nports_per_unit = 1\n'
                                       'life = { model = "fit.json" }')

BAD_ENCODINGS = [
    # (what, bytes of the text, fragment the message must hold)
    ("utf16-powershell", lambda t: t.encode("utf-16"), "UTF-16"),  # BOM + LE, as `>` in PowerShell 5
    ("utf16-no-bom", lambda t: t.encode("utf-16-le"), "UTF-16"),
    ("utf32", lambda t: t.encode("utf-32"), "UTF-32"),
    ("latin1", lambda t: t.encode("latin-1"), "not UTF-8"),
    ("binary", lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
]


@pytest.mark.parametrize("what, encode, fragment", BAD_ENCODINGS, ids=[b[0] for b in BAD_ENCODINGS])
@pytest.mark.parametrize("command", [["simulate"], ["scenario", "show"]])
def test_scenario_file_not_utf8_is_refused(tmp_path, what, encode, fragment, command):
    path = tmp_path / "s.toml"
    path.write_bytes(encode(SCENARIO))
    r = CliRunner().invoke(app, [*command, str(path)], env=WIDE)
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception  # no traceback
    out = " ".join(r.output.split())
    assert fragment in out and "UTF-8" in out and "s.toml" in out, out


@pytest.mark.parametrize("what, encode, fragment", BAD_ENCODINGS, ids=[b[0] for b in BAD_ENCODINGS])
def test_life_model_file_not_utf8_is_refused_with_its_field(tmp_path, what, encode, fragment):
    (tmp_path / "fit.json").write_bytes(encode(MODEL))
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO_WITH_MODEL, encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", str(path), "--json"], env=WIDE)
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)  # --json stays valid JSON on refusal
    problem = " ".join(json.dumps(doc).split())
    assert "architectures[0].components[0].life" in problem and fragment in problem, doc


def test_byte_order_mark_is_accepted_everywhere(tmp_path):
    """Notepad writes UTF-8 with a BOM: scenario and life model both read as without it."""
    bom = b"\xef\xbb\xbf"
    (tmp_path / "fit.json").write_bytes(bom + MODEL.encode())
    path = tmp_path / "s.toml"
    path.write_bytes(bom + SCENARIO_WITH_MODEL.encode())
    r = CliRunner().invoke(app, ["simulate", str(path), "--json"], env=WIDE)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["scenario"] == "café"
