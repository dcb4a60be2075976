"""The four ways a scenario gives a component's life: inline, FIT rate, saved fit, catalog key.

A catalog entry whose rate is per "device" (``device_gbps`` in its life table: Meta's MTBFs,
``cpo-engine-field`` and ``pluggable-device-field``) is read here per 400G port (a unit of G Gb/s
is G / 400 devices, its bandwidth being ``ports_per_unit`` x ``fleet.port_gbps``), the reading
recorded in the life's provenance; the scenario's ``device_unit`` re-reads every such life alike
(``fleet_models.model.spec.read_devices``).

Each optionally shifted to another temperature (Arrhenius) with ``temperature_c``
(+ ``reference_temperature_c``, ``activation_energy_ev``). :func:`parse_life`
records problems in the validator's collector and returns None, so a scenario
reports every bad life at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from failure_data.catalog import Catalog, default_catalog
from failure_data.errors import DataError, option
from fleet_models.model.checks import (
    NO_VALUE,
    Problems,
    convert,
    is_table,
    join,
    show_value,
    suggest,
)
from fleet_models.model.fields import ACTIVATION_EV, CONFIDENCE, FIT_RANGE, POSITIVE, TEMPERATURE_C
from fleet_models.model.spec import DeviceUnit, devices_per_unit
from reliability.errors import ParameterError
from reliability.models import FAMILIES, LifeModel

LIFE_FORMS = ("distribution", "fit_per_1e9h", "model", "catalog")
TEMPERATURE_KEYS = ("temperature_c", "reference_temperature_c", "activation_energy_ev")
_FORM_KEYS = {
    "distribution": ("covariance", "confidence", "dead_on_arrival", "posterior_draws", "source", "provenance"),
    "fit_per_1e9h": ("source", "provenance"),
    "model": (),
    "catalog": ("device_unit",),
}
LIFE_HELP = ('{ distribution = "weibull", shape = 1.2, scale = 3e6 }, { fit_per_1e9h = 50 }, '
             '{ model = "fit.json" } or { catalog = "KEY" }')


def default_activation_energy(catalog: Catalog | None = None) -> float:
    """The catalog's laser activation energy (key ``laser-ea``), eV."""
    return (catalog or default_catalog()).value("laser-ea")


def parse_life(raw: Any, path: str, p: Problems, base_dir: Path | None,
               catalog: Catalog | None = None, unit_gbps: float | None = None) -> LifeModel | None:
    """One ``life`` table -> LifeModel, or None with the problems recorded. ``model`` paths are
    relative to ``base_dir``; ``catalog`` keys are looked up in ``catalog`` (default: the shipped one).
    ``unit_gbps`` is the bandwidth of the unit the life is for (None: unknown, or the whole switch),
    which a per-device catalog rate read per 400G port needs."""
    catalog = catalog or default_catalog()
    if isinstance(raw, LifeModel):  # inherited from a built-in architecture
        return raw
    if not is_table(raw, path, p, f"a table: {LIFE_HELP}"):
        return None
    forms = [f for f in LIFE_FORMS if f in raw]
    if len(forms) != 1:
        p.add(path, dict(raw), f"needs exactly one of {', '.join(LIFE_FORMS)}"
              + (f", got {', '.join(forms)}" if forms else "") + f"; e.g. {LIFE_HELP}")
        return None
    form = forms[0]
    allowed = [form, *_FORM_KEYS[form], *TEMPERATURE_KEYS]
    if form == "distribution" and raw["distribution"] in FAMILIES:
        allowed[1:1] = FAMILIES[raw["distribution"]].params
    n_before = len(p.items)
    for key, value in raw.items():
        if key not in allowed and not (form == "distribution" and raw["distribution"] not in FAMILIES):
            p.add(join(path, key), value, f"unknown key{suggest(key, allowed)}; allowed with "
                  f"{form}: {', '.join(allowed)}")
    model, reference = _base_life(form, raw, path, p, base_dir, catalog, unit_gbps)
    if model is None or len(p.items) > n_before:
        return None
    return _shift(model, reference, raw, path, p, catalog)


def _base_life(form: str, raw: Mapping[str, Any], path: str, p: Problems, base_dir: Path | None,
               catalog: Catalog, unit_gbps: float | None) -> tuple[LifeModel | None, float | None]:
    """The model before any temperature shift, and the temperature it is quoted at (if known)."""
    if form == "distribution":
        return _inline_life(raw, path, p), None
    if form == "fit_per_1e9h":
        ok, fit = convert(raw["fit_per_1e9h"], float, join(path, "fit_per_1e9h"), p, FIT_RANGE)
        prov = _provenance(raw, path, p)
        if not ok or prov is None:
            return None, None
        return LifeModel.from_fit_rate(fit, provenance=prov), None
    if form == "model":
        return _model_file(raw["model"], join(path, "model"), p, base_dir)
    return _catalog_life(raw, path, p, catalog, unit_gbps)


READING_KEYS = ("devices_per_unit", "device_gbps", "unit_gbps", "fit_per_device")
"""The numbers of a life's provenance that the scenario's device_unit reads (spec.read_devices)."""


def _provenance(raw: Mapping[str, Any], path: str, p: Problems) -> dict[str, Any] | None:
    prov: dict[str, Any] = {}
    if "provenance" in raw:
        if not is_table(raw["provenance"], join(path, "provenance"), p):
            return None
        prov = dict(raw["provenance"])
        for key in READING_KEYS:  # they say how a per-device rate is read again (read_devices)
            v = prov.get(key)
            if key in prov and (isinstance(v, bool) or not isinstance(v, int | float)
                                or not math.isfinite(v) or v <= 0):
                p.add(join(join(path, "provenance"), key), v, "must be a positive, finite number: it "
                      "says how a rate per device is read; remove the provenance to read the life "
                      "as written")
                return None
    if "source" in raw:
        ok, src = convert(raw["source"], str, join(path, "source"), p)
        if not ok:
            return None
        if "source" in prov and prov["source"] != src:
            p.add(join(path, "source"), src, f"differs from provenance.source = {show_value(prov['source'])}")
            return None
        prov["source"] = src
    return prov


def _inline_life(raw: Mapping[str, Any], path: str, p: Problems) -> LifeModel | None:
    dist = raw["distribution"]
    if not isinstance(dist, str) or dist not in FAMILIES:
        p.add(join(path, "distribution"), dist,
              f"must be one of {', '.join(FAMILIES)}{suggest(str(dist), FAMILIES)}")
        return None
    fam = FAMILIES[dist]
    params: dict[str, float] = {}
    for name in fam.params:
        ppath = join(path, name)
        if name not in raw:
            p.add(ppath, NO_VALUE, f"missing; {dist} takes parameters {', '.join(fam.params)}")
            continue
        ok, v = convert(raw[name], float, ppath, p, POSITIVE if name in fam.positive else None)
        if ok:
            params[name] = v
    cov = None
    if "covariance" in raw:
        c = raw["covariance"]
        n = len(fam.params)
        good = (isinstance(c, list) and len(c) == n and all(
            isinstance(r, list) and len(r) == n and all(
                isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in r)
            for r in c))
        if not good:
            p.add(join(path, "covariance"), c,
                  f"must be a {n}x{n} array of finite numbers over ({', '.join(fam.params)})")
        else:
            cov = tuple(tuple(float(x) for x in r) for r in c)
    conf = 0.95
    if "confidence" in raw:
        ok, conf = convert(raw["confidence"], float, join(path, "confidence"), p, CONFIDENCE)
    prov = _provenance(raw, path, p)
    doa = _dead_on_arrival(raw, path, p)
    if doa is not None and "posterior_draws" in raw:  # checked by LifeModel (every row, every value)
        doa["posterior_draws"] = raw["posterior_draws"]
    if len(params) != len(fam.params) or prov is None or ("covariance" in raw and cov is None) \
            or conf is None or doa is None:
        return None
    try:
        return LifeModel(dist, params, covariance=cov, confidence=conf, provenance=prov, **doa)
    except ParameterError as e:
        p.add(path, NO_VALUE, e.raw)
        return None


DOA_HELP = ("a share in [0, 1) of new units failing at installation, e.g. 0.006, or "
            "{ share = 0.006, dead = 12, installed = 2000 } (the counts it was estimated from: "
            "uncertainty = true draws the share)")


def _dead_on_arrival(raw: Mapping[str, Any], path: str, p: Problems) -> dict[str, Any] | None:
    """The LifeModel fields of an inline life's ``dead_on_arrival`` ({} without one), or None with
    the problem recorded (LifeModel.to_dict writes it: a number or {share, dead, installed})."""
    if "dead_on_arrival" not in raw:
        return {}
    v, where = raw["dead_on_arrival"], join(path, "dead_on_arrival")
    if isinstance(v, Mapping):
        if set(v) != {"share", "dead", "installed"}:
            p.add(where, dict(v), f"must be {DOA_HELP}")
            return None
        ok1, share = convert(v["share"], float, join(where, "share"), p)
        ok2, k = convert(v["dead"], int, join(where, "dead"), p)
        ok3, n = convert(v["installed"], int, join(where, "installed"), p)
        if not (ok1 and ok2 and ok3):
            return None
        out: dict[str, Any] = {"dead_on_arrival": share, "dead_on_arrival_counts": (k, n)}
    else:
        ok, share = convert(v, float, where, p)
        if not ok:
            return None
        out = {"dead_on_arrival": share}
    if not 0 <= share < 1:
        p.add(where, v, f"must be {DOA_HELP}")
        return None
    return out


def _model_file(value: Any, path: str, p: Problems,
                base_dir: Path | None) -> tuple[LifeModel | None, float | None]:
    ok, name = convert(value, str, path, p)
    if not ok:
        return None, None
    file = Path(name)
    if not file.is_absolute():
        file = (base_dir or Path.cwd()) / file
    if file.is_dir():
        p.add(path, name, f"{str(file)!r} is a folder, not a life-model file: name the file in it "
              f"(MODEL.json or MODEL.toml, written by {option('save', 'LifeModel.save')})")
        return None, None
    if not file.is_file():
        p.add(path, name, f"file {str(file)!r} not found (paths are relative to the scenario file); "
              f"write one with {option('save', 'LifeModel.save')}")
        return None, None
    try:
        model = LifeModel.load(file)
    except ParameterError as e:
        p.add(path, name, f"not a usable life model: {e.raw}")
        return None, None
    ref = model.provenance.get("temperature_c")
    return model, float(ref) if isinstance(ref, int | float) and not isinstance(ref, bool) else None


def _catalog_life(raw: Mapping[str, Any], life_path: str, p: Problems, catalog: Catalog,
                  unit_gbps: float | None) -> tuple[LifeModel | None, float | None]:
    path = join(life_path, "catalog")
    ok, key = convert(raw["catalog"], str, path, p)
    if not ok:
        return None, None
    try:
        entry = catalog.get(key)
    except DataError as e:
        p.add(path, key, e.raw.replace(f"catalog key {key!r} ", "", 1))
        return None, None
    if entry.life is None:
        lives = [k for k, e in catalog.items() if e.life is not None]
        p.add(path, key, f"this catalog entry has no life model; entries with one: {', '.join(lives)}")
        return None, None
    life = dict(entry.life)
    ref = life.pop("reference_temperature_c", None)
    device_gbps = life.pop("device_gbps", None)
    readings = _device_reading(raw, life_path, p, catalog, key, device_gbps, unit_gbps)
    if readings is None:
        return None, None
    if readings:
        life["fit_per_1e9h"] *= readings["devices_per_unit"]
        life["provenance"] = readings
    life["source"] = key
    sub = Problems()
    model = parse_life(life, path, sub, None, catalog)
    if model is None:  # the catalog itself is wrong: tests/test_catalog.py guards this
        for q in sub.items:
            p.add(q.path, q.value, f"catalog entry {key!r}: {q.message}")
        return None, None
    return model, ref


def _device_reading(raw: Mapping[str, Any], path: str, p: Problems, catalog: Catalog, key: str,
                    device_gbps: float | None, unit_gbps: float | None) -> dict[str, Any] | None:
    """How many of a per-device catalog rate's devices one unit is, read per 400G port (the
    scenario's ``device_unit`` re-reads it: ``fleet_models.model.spec.read_devices``)."""
    if "device_unit" in raw:
        p.add(join(path, "device_unit"), raw["device_unit"], "what a device is is the scenario's "
              "device_unit now, read alike on both sides of a comparison: remove it here and write "
              f"device_unit = {show_value(_NEW_NAMES.get(raw['device_unit'], raw['device_unit']))} "
              "at the top of the scenario (one of "
              f"{', '.join(repr(u.value) for u in DeviceUnit)}; cpo-device-unit)")
        return None
    if device_gbps is None:
        return {}
    if unit_gbps is None:
        p.add(join(path, "catalog"), key, f"{key!r} is a rate per device of {device_gbps:g}G, so it "
              "needs the unit's bandwidth (ports_per_unit x fleet.port_gbps) to be read per 400G "
              "port (device_unit), and this unit takes the whole switch down; give ports_per_unit")
        return None
    unit = DeviceUnit.PORT_400G
    return {"device_unit": unit.value, "devices_per_unit": devices_per_unit(unit, unit_gbps, device_gbps),
            "device_gbps": device_gbps, "unit_gbps": unit_gbps,
            "fit_per_device": float(catalog.get(key).life["fit_per_1e9h"])}


_NEW_NAMES = {"engine": DeviceUnit.DEVICE.value}
"""The readings' names before the scenario took them over: "engine" is now "device"."""


def _shift(model: LifeModel, reference: float | None, raw: Mapping[str, Any], path: str,
           p: Problems, catalog: Catalog) -> LifeModel | None:
    vals: dict[str, float] = {}
    for key in TEMPERATURE_KEYS:
        if key in raw:
            rng = ACTIVATION_EV if key == "activation_energy_ev" else TEMPERATURE_C
            ok, v = convert(raw[key], float, join(path, key), p, rng)
            if not ok:
                return None
            vals[key] = v
    if "temperature_c" not in vals:
        for key in vals:
            p.add(join(path, key), vals[key], "has no effect without temperature_c; remove it "
                  "or give the temperature the component runs at")
        return None if vals else model
    ref = vals.get("reference_temperature_c", reference)
    if ref is None:
        p.add(join(path, "reference_temperature_c"), NO_VALUE,
              "missing: give the temperature (°C) the model was fitted or quoted at, so temperature_c "
              "can shift it")
        return None
    ea = vals.get("activation_energy_ev", default_activation_energy(catalog))
    return model.at_temperature(ref, vals["temperature_c"], ea)


def catalog_life(key: str, catalog: Catalog | None = None, unit_gbps: float | None = None,
                 **form: Any) -> LifeModel:
    """The life model of a catalog entry, as a scenario's ``life = { catalog = KEY, **form }`` gives
    it for a unit of ``unit_gbps`` (a per-device rate read per 400G port needs it)."""
    p = Problems()
    model = parse_life({"catalog": key, **form}, f"catalog.{key}", p, None, catalog, unit_gbps)
    if model is None:
        raise p.error("catalog")
    return model
