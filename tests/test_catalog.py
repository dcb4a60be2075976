"""The catalog of published figures: complete against the reference table, valid, and its arithmetic right."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scipy import stats

from failure_data.catalog import (
    CatalogEntry,
    Confidence,
    catalog_frame,
    get,
    load_catalog,
    parse_catalog,
)
from failure_data.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
# The reference table lives in ../shared beside the repository (CI and the development tree alike).
REFERENCE = ROOT.parent / "shared" / "reference" / "published-figures.md"
CATALOG = load_catalog()


def _reference_rows() -> dict[str, dict[str, str]]:
    """Every row of every markdown table in published-figures.md, by key, cells by header name."""
    rows: dict[str, dict[str, str]] = {}
    previous: dict[str, str] = {}
    header: list[str] | None = None
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not re.fullmatch(r"-+", cells[0]):
            row = dict(zip(header, cells, strict=True))
            if row.get("source") == "same":  # the table's ditto: the row above's source
                row["source"] = previous["source"]
            rows[cells[0].removesuffix(" (rev)")] = previous = row  # (rev): new or changed in 2026-12
    return rows


needs_reference = pytest.mark.skipif(not REFERENCE.is_file(), reason=f"{REFERENCE} not present")


@needs_reference
def test_every_reference_row_is_in_the_catalog_verbatim():
    rows = _reference_rows()
    assert len(rows) >= 45  # the table has 48 rows today; a broken parse would find few
    for key, row in rows.items():
        assert key in CATALOG, f"reference key {key!r} missing from failure_data/catalog.toml"
        e = CATALOG[key]
        assert e.parameter == row["parameter"], key
        assert e.text == row["value"], key
        assert e.source == row["source"], key
        assert e.confidence_text == row["conf"], key  # verbatim; mixed "L / M" counts as its lower part
        if row.get("unit"):
            assert e.unit == row["unit"], key


@needs_reference
def test_entries_not_in_the_table_are_marked_derived():
    rows = _reference_rows()
    for key, e in CATALOG.items():
        if key not in rows:
            assert e.confidence in (Confidence.INFERRED, Confidence.PLACEHOLDER), key
            assert e.section == "Derived", key


def test_entries_are_well_formed():
    for key, e in CATALOG.items():
        assert isinstance(e, CatalogEntry) and e.key == key
        assert isinstance(e.confidence, Confidence)
        for d in e.derived_from:
            assert d in CATALOG, (key, d)
        if e.low is not None and e.high is not None and e.value is not None:
            assert e.low <= e.value <= e.high, key
        if "midpoint" in e.value_note:
            # a value said to be a midpoint is one
            assert e.value == pytest.approx((e.low + e.high) / 2), key
        for name, f in e.items.items():
            if f.note == "midpoint":
                assert f.value == pytest.approx((f.low + f.high) / 2), (key, name)


def test_every_life_table_builds_the_model_it_states():
    from fleet_models.builtins import catalog_life
    from reliability.models import FIT_HOURS

    lives = [k for k, e in CATALOG.items() if e.life is not None]
    assert {"avago-sr332", "dfb-fit", "switch-afr-fit", "cpo-engine-fit", "lpo-module-fit"} <= set(lives)
    for key in lives:
        e = CATALOG[key]
        model = catalog_life(key)
        assert model.provenance["source"] == key
        assert e.life_note, key
        if e.confidence in (Confidence.INFERRED, Confidence.PLACEHOLDER):
            assert e.derived_from, key
        if "fit_per_1e9h" in e.life:
            # a constant rate of F FIT is an exponential life with mean 1e9 / F hours
            assert model.distribution == "exponential"
            assert model.mean() == pytest.approx(FIT_HOURS / e.life["fit_per_1e9h"], rel=1e-12)


def test_inferred_arithmetic_recomputed_from_the_rows_it_names():
    v = lambda key, item=None: get(key).item(item).best if item else get(key).value  # noqa: E731
    # annual probability p as a constant rate: -ln(1 - p) per 8766 h, in FIT
    assert v("switch-afr-fit") == pytest.approx(-math.log(1 - v("gill-switch", "tor")) / 8766 * 1e9, abs=0.05)
    # zero failures in T hours: 95 % upper bound on the rate is chi2(0.95, 2) / 2 / T
    bound = stats.chi2.ppf(0.95, 2) / 2 / v("meta-cpo-hours")
    assert v("meta-cpo-bound", "rate-per-port-hour") == pytest.approx(bound, rel=1e-4)
    assert get("meta-cpo-bound").life["fit_per_1e9h"] == pytest.approx(bound * 1e9, rel=1e-4)
    for item, hours in (("fit-at-4e6h", 4e6), ("fit-at-15e6h", 15e6)):  # the same bound at later hours
        assert v("meta-cpo-bound", item) == pytest.approx(stats.chi2.ppf(0.95, 2) / 2 / hours * 1e9, rel=1e-4)
    # MTBF as a constant rate: FIT = 1e9 / MTBF; AFR = 8766 h / MTBF
    assert v("meta-mtbf-fit", "cpo-fit-per-device") == pytest.approx(1e9 / v("meta-mtbf-cmp", "cpo-mtbf-hours"), rel=1e-3)
    assert v("meta-mtbf-fit", "pluggable-fit") == pytest.approx(
        1e9 / v("meta-mtbf-cmp", "pluggable-fleet-mtbf-hours"), rel=1e-3)
    assert get("meta-mtbf-fit").item("pluggable-fit").low == pytest.approx(
        1e9 / get("meta-mtbf-cmp").item("pluggable-mtbf-hours").high)
    assert v("meta-mtbf-fit", "pluggable-afr-percent") == pytest.approx(
        100 * 8766 / v("meta-mtbf-cmp", "pluggable-fleet-mtbf-hours"), rel=0.01)
    parts = ("photodetector", "dsp", "driver", "tia")
    dsp_share = v("module-parts-fit", "dsp") / (sum(v("module-parts-fit", p) for p in parts) + v("dfb-fit"))
    assert v("lpo-module-fit") == pytest.approx(v("avago-sr332", "dfb-laser-sfp") * (1 - dsp_share))
    lanes = v("sx-photonics", "engine-tbps") * 1000 / v("davisson", "lane-gbps")
    assert v("cpo-engine-fit") == pytest.approx(v("cpo-design-mtbf", "modulator-fit") * lanes)
    assert v("cpo-design-mtbf", "modulator-fit") == pytest.approx(1e9 / v("cpo-design-mtbf", "modulator-mtbf-hours"))
    assert v("cpo-design-mtbf", "laser-fit") == pytest.approx(1e9 / v("cpo-design-mtbf", "laser-mtbf-hours"))
    engines = v("sx-photonics", "switch-tbps") / v("sx-photonics", "engine-tbps")
    assert v("cpo-engine-count", "engines") == pytest.approx(engines)
    assert v("cpo-engine-count", "ports-per-engine") == pytest.approx(v("sx-photonics", "ports-800g") / engines)
    assert v("cpo-lasers-per-port") == pytest.approx(v("lasers-per-link", "nvidia-cpo") / 2)  # 1.6T = 2 x 800G
    port = (1 + v("cpo-asp") / 100) * 2 * v("module-price", "dr8-800g") / 2
    assert v("cpo-port-price") == pytest.approx(port)
    ports = v("cpo-engine-count", "ports-per-engine")
    assert v("cpo-engine-price", "internal-laser") == pytest.approx(ports * port)
    els_per_engine = (v("sx-photonics", "ports-800g") / v("els-size")) / engines
    assert v("cpo-engine-price", "external-laser") == pytest.approx(ports * port - v("els-price") * els_per_engine)
    assert v("cpo-engine-power", "internal-laser") == pytest.approx(ports * v("bailly-power"))
    assert v("cpo-engine-power", "external-laser") == pytest.approx(
        ports * v("bailly-power") - v("els-temp", "aoi-power-w") * els_per_engine)
    assert v("switch-lead-days") == pytest.approx(v("switch-lead", "y2025-forecast-months") * 365.25 / 12)
    assert v("optics-lead-days") == pytest.approx(v("optics-lead") * 7)


def test_get_unknown_key_names_it_close_matches_and_how_to_list():
    with pytest.raises(DataError) as e:
        get("dfb-fitt")
    msg = str(e.value)
    assert "'dfb-fitt'" in msg and "'dfb-fit'" in msg and "cpo scenario catalog" in msg
    with pytest.raises(DataError, match="has no item 'nope'"):
        get("module-power").item("nope")


def test_catalog_frame():
    df = catalog_frame()
    assert list(df.index) == list(CATALOG)
    assert {"value", "low", "high", "unit", "confidence", "source", "life"} <= set(df.columns)
    assert df.loc["power-price", "value"] == 0.078


GOOD = {"section": "s", "parameter": "p", "text": "1", "unit": "u", "source": "src", "confidence": "M"}


@pytest.mark.parametrize("entry,expected", [
    ({**GOOD, "confidence": "X"}, "confidence = 'X'"),
    ({**GOOD, "valu": 1.0}, "did you mean 'value'"),
    ({k: v for k, v in GOOD.items() if k != "source"}, "missing field 'source'"),
    ({**GOOD, "low": 5.0, "high": 1.0}, "low = 5.0 is above high = 1.0"),
    ({**GOOD, "low": 1.0, "high": 2.0, "value": 3.0}, "outside its range"),
    ({**GOOD, "value": "many"}, "value = 'many'"),
    ({**GOOD, "life": {"fit_per_1e9h": 5.0}}, "needs a life_note"),
    ({**GOOD, "life": {"fit_per_1e9h": -5.0}, "life_note": "n"}, "fit_per_1e9h = -5.0"),
    ({**GOOD, "life": {"shape": 1.0}, "life_note": "n"}, "exactly one of fit_per_1e9h or distribution"),
    ({**GOOD, "derived_from": ["nope"]}, "'nope' is not a catalog key"),
    ({**GOOD, "confidence": "inferred"}, "needs derived_from or notes"),
    ({**GOOD, "items": {"a": "x"}}, "must be a number or a table"),
])
def test_bad_catalog_entries_are_refused_naming_the_key(entry, expected):
    with pytest.raises(DataError) as e:
        parse_catalog({"bad-key": entry})
    assert "bad-key" in str(e.value) and expected in str(e.value)


def test_catalog_layer_imports_nothing_above_it():
    code = ("import sys, failure_data.catalog as c; c.load_catalog(); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('reliability', 'fleet_models', 'cli')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
