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
REV_MARKER = " (rev)"  # a key cell "KEY (rev)": the row is new or changed in the file's "## Revision" section


def _reference_rows() -> dict[str, dict[str, str]]:
    """Every row of every markdown table in published-figures.md, by key, cells by header name.

    The key is the first cell without a trailing " (rev)" marker; besides its cells a row
    carries ``revised`` (the revision the marker stands for, e.g. "2026-12", else "") and
    ``section`` (the "## " heading above its table).
    """
    text = REFERENCE.read_text(encoding="utf-8")
    revisions = re.findall(r"^## Revision (\d{4}-\d{2})\b", text, flags=re.M)
    assert len(revisions) <= 1, revisions  # one revision section: the one "(rev)" refers to
    rows: dict[str, dict[str, str]] = {}
    previous: dict[str, str] = {}
    header: list[str] | None = None
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            assert not {"revised", "section"} & set(header), header
        elif not re.fullmatch(r"-+", cells[0]):
            row = dict(zip(header, cells, strict=True))
            if row.get("source") == "same":  # the table's ditto: the row above's source
                row["source"] = previous["source"]
            key, marked = cells[0].removesuffix(REV_MARKER), cells[0].endswith(REV_MARKER)
            assert not marked or revisions, f"{key}: marked (rev) but the file names no revision"
            assert key not in rows, f"{key}: two rows of the same key"
            row["revised"] = revisions[0] if marked else ""
            row["section"] = section
            rows[key] = previous = row
    return rows


needs_reference = pytest.mark.skipif(not REFERENCE.is_file(), reason=f"{REFERENCE} not present")


@needs_reference
def test_every_reference_row_is_in_the_catalog_verbatim():
    rows = _reference_rows()
    assert len(rows) >= 70  # the table has 73 rows since its 2026-12 revision; a broken parse would find few
    for key, row in rows.items():
        assert key in CATALOG, f"reference key {key!r} missing from failure_data/catalog.toml"
        e = CATALOG[key]
        assert e.section == row["section"], key
        assert e.parameter == row["parameter"], key
        assert e.text == row["value"], key
        assert e.source == row["source"], key
        assert e.confidence_text == row["conf"], key  # verbatim; mixed "L / M" counts as its lower part
        if row.get("unit"):
            assert e.unit == row["unit"], key


@needs_reference
def test_revised_rows_say_which_revision():
    rows = _reference_rows()
    revised = {k for k, r in rows.items() if r["revised"]}
    assert len(revised) >= 30  # 36 rows are marked (rev) in the 2026-12 revision
    assert {r["revised"] for r in rows.values()} == {"", "2026-12"}
    for key, row in rows.items():
        # a (rev) row's entry names the revision; a row the table does not mark names none
        assert CATALOG[key].revised == row["revised"], key
    for key, e in CATALOG.items():
        if key not in rows:
            assert e.revised == "", key  # derived entries are not table rows


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
    from fleet_models.model.lives import catalog_life
    from reliability.models import FIT_HOURS

    lives = [k for k, e in CATALOG.items() if e.life is not None]
    assert {"avago-sr332", "dfb-fit", "switch-afr-fit", "cpo-engine-fit", "lpo-module-fit"} <= set(lives)
    for key in lives:
        e = CATALOG[key]
        # a per-device rate (device_gbps) read for a unit of one device (400G) is the rate as stated
        model = catalog_life(key, unit_gbps=e.life.get("device_gbps"))
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
    for item, hours in (("fit-at-4e6h", 4e6), ("fit-at-15e6h", v("meta-cpo-15M"))):  # the same bound at later hours
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


def test_revision_2026_12_inferred_rows_recomputed_from_the_rows_they_name():
    v = lambda key, item=None: get(key).item(item).best if item else get(key).value  # noqa: E731
    # module-field-fit: the field range huawei-afr .. meta-mtbf-fit (pluggable), its midpoint
    lo, hi = v("huawei-afr"), v("meta-mtbf-fit", "pluggable-fit")
    e = get("module-field-fit")
    assert (e.low, e.high, e.value) == (lo, hi, pytest.approx((lo + hi) / 2))
    assert e.life["fit_per_1e9h"] == e.value
    # lpo-field-fit: the field module rate less the DSP share, as lpo-module-fit for the datasheet rate
    parts = ("photodetector", "dsp", "driver", "tia")
    dsp_share = v("module-parts-fit", "dsp") / (sum(v("module-parts-fit", p) for p in parts) + v("dfb-fit"))
    assert v("lpo-field-fit") == pytest.approx(v("module-field-fit") * (1 - dsp_share), rel=1e-6)
    # cpo-engine-field: 1e9 / 2.6e6 h per device (meta-mtbf-cmp); per 400G port a 3.2T engine
    # (sx-photonics) has 3200 / 400 = 8 devices, per engine one
    per_device = 1e9 / v("meta-mtbf-cmp")
    assert v("cpo-engine-field", "per-engine") == pytest.approx(per_device, rel=1e-5)
    assert v("cpo-engine-field", "per-port-400g") == pytest.approx(
        v("sx-photonics", "engine-tbps") * 1000 / 400 * per_device, rel=1e-5)
    assert get("cpo-engine-field").life["fit_per_1e9h"] == v("cpo-engine-field")
    assert v("cpo-engine-field") == pytest.approx(per_device, rel=1e-5)
    # switch-replacement-hours: the midpoints of its two terms, drain and swap 1-4 h
    # (nvl72-switch-tray) + re-fibre 2-5 h (cpo-refibre), and their ranges summed
    assert v("switch-replacement-hours") == v("nvl72-switch-tray", "switch-tray-hours") + v("cpo-refibre")
    assert (get("switch-replacement-hours").low, get("switch-replacement-hours").high) == (1.0 + 2.0, 4.0 + 5.0)
    # laser-sigma: the midpoint of the 0.3-1.5 sweep the reference table names, an assumption
    sigma = get("laser-sigma")
    assert (sigma.low, sigma.high, sigma.value) == (0.3, 1.5, 0.9) and sigma.kind == "assumption"
    # hpn-tor: 0.051 %/month as a constant rate, -ln(1 - 0.051e-2) / 730.5 h, rounded to 700 FIT
    assert get("hpn-tor").life["fit_per_1e9h"] == pytest.approx(-math.log(1 - 0.051e-2) / 730.5 * 1e9, rel=0.01)
    # meta-cpo-bound: the zero-event bound chi2(0.95, 2)/2 / T at the programme's 15e6 port-hours
    assert get("meta-cpo-bound").derived_from == ("meta-cpo-hours", "meta-cpo-15M")
    assert v("meta-cpo-bound", "fit-at-15e6h") == pytest.approx(
        stats.chi2.ppf(0.95, 2) / 2 / v("meta-cpo-15M", "port-hours") * 1e9, rel=1e-4)
    # meta-mtbf-fit: FIT = 1e9 / MTBF, the CPO device at 2.6e6 h (the table's 385 has 3 digits)
    assert v("meta-mtbf-fit", "cpo-fit-per-device") == pytest.approx(1e9 / v("meta-mtbf-cmp"), rel=1e-3)
    assert get("meta-mtbf-fit").item("pluggable-fit").high == pytest.approx(
        1e9 / get("meta-mtbf-cmp").item("pluggable-mtbf-hours").low)
    # cpo-device-unit: events per switch-year = devices per switch x 8,760 h / MTBF, where a
    # Bailly (51.2T = 8 engines x 6.4T) has 51.2T / 400G = 128 400G ports and 8 engines
    mtbf = v("meta-mtbf-cmp", "cpo-mtbf-hours")
    ports = v("bailly", "engines") * v("bailly", "engine-tbps") * 1000 / 400
    assert v("cpo-device-unit", "ports-400g-per-switch") == ports == 128
    assert v("cpo-device-unit", "engines-per-switch") == v("bailly", "engines")
    assert v("cpo-device-unit", "per-port") == pytest.approx(ports * 8760 / mtbf, rel=1e-3)
    assert v("cpo-device-unit", "per-engine") == pytest.approx(v("bailly", "engines") * 8760 / mtbf, rel=1e-3)
    # the two readings differ by ports / engines = 128 / 8 = 16
    assert v("cpo-device-unit", "ratio") == ports / v("bailly", "engines") == pytest.approx(
        v("cpo-device-unit", "per-port") / v("cpo-device-unit", "per-engine"), rel=1e-3)
    # llama3-rate: network interruptions = 8.4 % of 419 unplanned = 35.2 -> 35; / 54 d / 16,384 GPUs
    li = lambda item: v("llama3-interrupts", item)  # noqa: E731
    assert v("llama3-rate", "network-interruptions") == round(
        li("network-share-of-unplanned-percent") / 100 * li("unplanned"))
    assert (v("llama3-rate", "days"), v("llama3-rate", "gpus")) == (li("days"), li("gpus"))
    assert v("llama3-rate") == pytest.approx(
        v("llama3-rate", "network-interruptions") / li("days") / li("gpus"), rel=1e-3)
    # qx-blast: a leaf spends half its ports on down-links, one NIC port each; 8 GPUs per NIC port's node
    assert v("qx-blast", "ports-800g") == v("qx-photonics", "ports-800g")
    assert v("qx-blast", "down-links") == v("qx-photonics", "ports-800g") / 2
    assert get("qx-blast").item("nic-ports").high == v("qx-blast", "down-links")
    assert get("qx-blast").item("gpus").high == v("qx-blast", "down-links") * v("qx-blast", "gpus-per-node")
    # cpo-refibre: ports x 1-2 min per port = 2.4-4.8 h, rounded out to whole hours: 2-5 h
    rf = get("cpo-refibre")
    assert v("cpo-refibre", "mpo-ports") == v("qx-photonics", "ports-800g")
    per_port = rf.item("minutes-per-port")
    assert rf.low == math.floor(v("cpo-refibre", "mpo-ports") * per_port.low / 60)
    assert rf.high == math.ceil(v("cpo-refibre", "mpo-ports") * per_port.high / 60)
    # ckpt-interval (partly inferred): Young/Daly sqrt(2 C MTBF), C = 1 min, MTBF = kokolis' 1.8 h at 16,384 GPUs
    assert v("ckpt-interval", "job-mttf-hours") == v("kokolis", "job-mttf-hours-16384-gpus")
    assert v("ckpt-interval", "young-daly-min") == pytest.approx(
        math.sqrt(2 * v("ckpt-interval", "checkpoint-cost-min") * v("ckpt-interval", "job-mttf-hours") * 60), rel=1e-3)


def test_revision_2026_12_published_rows_are_self_consistent():
    """Rows quoting a figure and its arithmetic (≈) agree with it, to the digits the table gives."""
    v = lambda key, item=None: get(key).item(item).best if item else get(key).value  # noqa: E731
    # hpn-tor / hpn-link: %/yr = 12 x %/month; FIT = (%/month / 100) / 730.5 h x 1e9 (the table rounds to ~5 FIT)
    for key, fit in (("hpn-tor", "fit-per-switch"), ("hpn-link", "fit-per-link")):
        assert v(key, "percent-per-year") == pytest.approx(12 * v(key, "percent-per-month"), abs=0.005)
        assert v(key, fit) == pytest.approx(v(key, "percent-per-month") / 100 / (8766 / 12) * 1e9, abs=5)
        assert v(key) == v(key, fit)
    # huawei-afr: 6.3 per 1,000 per year as a constant rate, FIT = 6.3e-3 / 8,766 h x 1e9 = 719
    assert v("huawei-afr") == pytest.approx(v("huawei-afr", "failures-per-1000-per-year") / 1000 / 8766 * 1e9, abs=0.5)
    # meta-cpo-15M: hours per port = 15e6 / (15 switches x 128 ports) = 7,812.5, written ≈7,800
    assert v("meta-cpo-15M", "hours-per-port") == pytest.approx(
        v("meta-cpo-15M") / (v("meta-cpo-15M", "switches") * v("meta-cpo-15M", "ports-per-switch")), abs=50)
    assert v("meta-cpo-15M", "switches") == v("meta-cpo-hours", "switches")
    # qx-photonics: 18 ELS x 8 lasers = 144 lasers; 72 transceivers x 8 lasers (lasers-per-link) - 144 = 432
    assert v("qx-photonics", "els") * v("qx-photonics", "lasers-per-els") == v("qx-photonics", "lasers")
    assert (v("qx-photonics", "engines") * v("lasers-per-link", "pluggable") - v("qx-photonics", "lasers")
            == v("qx-photonics", "fewer-lasers"))
    assert v("qx-photonics", "engines") * v("qx-photonics", "engine-tbps") == pytest.approx(
        v("qx-photonics", "ports-800g") * 0.8)  # 72 x 1.6T = 144 x 800G
    # nv-claims: 4x fewer lasers = 8 lasers per 1.6T link pluggable / 2 with Nvidia CPO (lasers-per-link)
    assert v("nv-claims", "fewer-lasers-x") == v("lasers-per-link", "pluggable") / v("lasers-per-link", "nvidia-cpo")
    # qx-cost: 72 x ~1,000 USD = 72 k; CPO +11-25 % = 80 k / 72 k - 1 and 90 k / 72 k - 1, in whole percent
    qc = get("qx-cost")
    plug = v("qx-cost", "pluggables") * v("qx-cost", "pluggable-price-usd")
    assert plug == v("qx-cost", "pluggable-optics-usd")
    assert qc.item("cpo-premium-percent").low == round(100 * (qc.low / plug - 1))
    assert qc.item("cpo-premium-percent").high == round(100 * (qc.high / plug - 1))
    # sx-oe-spares: 32 active x 3.2T = the whole 102.4T switch, 32 + 4 = 36, the engines cpo-engine-count counts
    assert v("sx-oe-spares", "active") * v("sx-oe-spares", "engine-tbps") == pytest.approx(v("sx-photonics", "switch-tbps"))
    assert v("sx-oe-spares", "active") + v("sx-oe-spares", "redundant") == v("sx-oe-spares", "engines")
    assert v("sx-oe-spares", "active") == v("cpo-engine-count", "engines")
    # marvell-ref: 128 laser + 1,024 data fibres = 1,152
    assert v("marvell-ref", "laser-fibres") + v("marvell-ref", "data-fibres") == v("marvell-ref", "fibres")
    # restart-time: "M min S s" is M + S / 60 minutes, in the order the text gives them
    text = get("restart-time").text
    minutes = [int(m) + int(sec) / 60 for m, sec in re.findall(r"(\d+) min (\d+) s", text)]
    items = ("olmo-median-min", "olmo-mean-min", "hyperpod-checkpointless-min")
    assert [v("restart-time", i) for i in items] == pytest.approx(minutes)
    # the derived defaults name the figures the revision added for them
    assert {"nvl72-switch-tray", "cpo-refibre"} <= set(get("switch-replacement-hours").derived_from)
    assert {"labour-bls", "labour-remote"} <= set(get("technician-rate").derived_from)
    assert "restart-time" in get("restart-hours").derived_from
    assert "ckpt-interval" in get("checkpoint-interval").derived_from


def test_get_unknown_key_names_it_close_matches_and_how_to_list():
    with pytest.raises(DataError) as e:
        get("dfb-fitt")
    msg = str(e.value)
    assert "'dfb-fitt'" in msg and "'dfb-fit'" in msg and "failure_data.catalog.keys()" in msg
    from cli._common import in_cli_words

    assert "`cpo scenario catalog`" in in_cli_words(e.value.raw)  # as the CLI says it
    with pytest.raises(DataError, match="has no item 'nope'"):
        get("module-power").item("nope")


def test_catalog_frame():
    df = catalog_frame()
    assert list(df.index) == list(CATALOG)
    assert {"value", "low", "high", "unit", "confidence", "source", "life"} <= set(df.columns)
    assert df.loc["power-price", "value"] == 0.078
    assert df.loc["pue", "revised"] == "2026-12" and df.loc["dfb-fit", "revised"] == ""


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
    ({**GOOD, "revised": "Dec 2026"}, "revised = 'Dec 2026'"),
    ({**GOOD, "revised": "2026-13"}, "as \"YYYY-MM\""),
    ({**GOOD, "revised": 202612}, "revised = 202612"),
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


def test_the_same_event_definition_rows_recomputed_from_the_rows_they_name():
    v = lambda key, item=None: get(key).item(item).best if item else get(key).value  # noqa: E731
    # pluggable-device-field: meta-mtbf-cmp's pluggable side as a rate, FIT = 1e9 / MTBF: the
    # fleet-wide 550e3 h, range 1e9 / 1e6 h .. 1e9 / 0.5e6 h
    plug = get("pluggable-device-field")
    mtbf = get("meta-mtbf-cmp").item("pluggable-mtbf-hours")
    assert plug.value == pytest.approx(1e9 / v("meta-mtbf-cmp", "pluggable-fleet-mtbf-hours"), rel=1e-5)
    assert (plug.low, plug.high) == (pytest.approx(1e9 / mtbf.high), pytest.approx(1e9 / mtbf.low))
    assert plug.life == {"fit_per_1e9h": plug.value, "device_gbps": 400.0}
    # the CPO side per device at the same 400G: the source's ratio per device, 2.6e6 / 550e3
    assert plug.value / v("cpo-engine-field") == pytest.approx(2.6e6 / 550e3, rel=1e-4)
    # lpo-device-field: the DSP's share removed as for lpo-field-fit (module-parts-fit, dfb-fit)
    parts = ("photodetector", "dsp", "driver", "tia")
    dsp_share = v("module-parts-fit", "dsp") / (sum(v("module-parts-fit", p) for p in parts) + v("dfb-fit"))
    lpo = get("lpo-device-field")
    for x, y in ((lpo.value, plug.value), (lpo.low, plug.low), (lpo.high, plug.high)):
        assert x == pytest.approx(y * (1 - dsp_share), rel=1e-5)
    # cpo-engine-field's range: a 90 % Poisson interval for the ~6 events that 15e6 port-hours
    # (meta-cpo-15M) at 2.6e6 h imply: chi2(0.05, 2n) / 2 / T and chi2(0.95, 2n + 2) / 2 / T
    hours = v("meta-cpo-15M", "port-hours")
    n = round(hours / v("meta-mtbf-cmp", "cpo-mtbf-hours"))
    assert n == 6
    eng = get("cpo-engine-field")
    assert eng.low == pytest.approx(stats.chi2.ppf(0.05, 2 * n) / 2 / hours * 1e9, rel=1e-3)
    assert eng.high == pytest.approx(stats.chi2.ppf(0.95, 2 * n + 2) / 2 / hours * 1e9, rel=1e-3)
    # cpo-device-unit's weights are a probability over the two readings
    w = (v("cpo-device-unit", "weight-port-400g"), v("cpo-device-unit", "weight-device"))
    assert sum(w) == pytest.approx(1.0) and w[0] > w[1] > 0
    # cpo-in-place: value the pluggables' no-trouble-found share; ends huawei-afr's contamination
    # share and cpo-unserviceable read per event (100 - 0.06 %)
    cip = get("cpo-in-place")
    assert (cip.low, cip.value, cip.high) == (
        v("huawei-afr", "contamination-percent"), v("ntf-returns"), 100 - v("cpo-unserviceable"))
    assert cip.kind == "assumption" and get("in-place-hours").kind == "assumption"
