"""Checking a life-model file (the dict :meth:`LifeModel.to_dict` writes) before a model is built.

What ``LifeModel.from_dict`` / ``load`` check: every problem is collected as a
:class:`LifeModelProblem` (field path, value, reason and fix) and reported together in one
:class:`LifeModelFileError`, so nothing malformed reaches the model and no TypeError escapes.
The covariance rule (symmetric positive semidefinite within ``PSD_TOLERANCE``) is also applied
by ``LifeModel`` itself to a covariance given any other way (:func:`covariance_problems`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from failure_data.errors import option
from failure_data.words import with_article
from reliability.errors import ParameterError
from reliability.families import FAMILIES, Family


def plain(x: Any) -> Any:
    """``x`` as JSON gives it back: mappings as dicts with str keys, tuples as lists, numpy scalars
    as Python numbers."""
    if isinstance(x, Mapping):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


RESAVE_HINT = f"fix the file, or re-save the model with {option('save', 'LifeModel.save')}"
LIFE_MODEL_KEYS = ("distribution", "parameters", "covariance", "confidence", "provenance", "dead_on_arrival",
                   "posterior_draws")
PSD_TOLERANCE = 1e-9
"""A covariance is refused as not positive semidefinite when its smallest eigenvalue is
below ``-PSD_TOLERANCE * max|diag|`` (and likewise for its correlation form, whose diagonal
is 1, so a matrix mixing variances of 1e-3 and 1e12 is judged at each parameter's scale)."""
MAX_PROBLEMS_SHOWN = 50
_ABSENT = object()  # a field that is missing (no value to show)
NOT_A_COVARIANCE_FIX = "set covariance to null to use the model without parameter uncertainty"


def _hint(fam: Family | None, name: Any) -> str:
    """What a parameter is, for messages (``Parameter.hint``); by name when the family is unknown."""
    for f in (fam,) if fam is not None else FAMILIES.values():
        if name in f.params:
            return f.parameter(name).hint
    return "a parameter"


@dataclass(frozen=True)
class LifeModelProblem:
    """One problem of a life-model file: the field path, the value found, the reason and fix."""

    field: str
    value: Any
    message: str

    def to_dict(self) -> dict[str, Any]:  # the shape of a scenario problem, for `--json` errors
        return {"field": self.field, "value": None if self.value is _ABSENT else _show(self.value),
                "message": self.message}

    def __str__(self) -> str:
        if self.value is _ABSENT:
            return f"{self.field}: {self.message}"
        return f"{self.field} = {_show(self.value)}: {self.message}"


class LifeModelFileError(ParameterError):
    """A life-model file (or dict) is invalid; ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: list[LifeModelProblem]) -> None:
        super().__init__(message)
        self.problems = list(problems)


def _show(v: Any, limit: int = 80) -> str:
    """A value as the JSON file writes it (strings quoted, NaN/Infinity as JSON spells them)."""
    try:
        text = json.dumps(plain(v), ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(v)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, Mapping):
        return "an object"
    if isinstance(v, list | tuple):
        return "an array"
    if isinstance(v, int | float):
        return "a number"
    return type(v).__name__


def _suggest(word: Any, allowed: Any) -> str:
    import difflib

    near = difflib.get_close_matches(str(word), list(allowed), n=1, cutoff=0.6)
    if not near:
        near = [a for a in allowed if str(a).lower() == str(word).lower()]
    return f" (did you mean {near[0]!r}?)" if near else ""


def _file_number(v: Any, path: str, out: list[LifeModelProblem], what: str) -> float | None:
    """``v`` as a finite float, or None with the problem recorded (``what`` describes it)."""
    import numbers

    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        if isinstance(v, str):
            try:
                float(v)
                fix = "write the number without quotes"
            except ValueError:
                fix = "write a plain JSON number, without quotes or a unit"
            out.append(LifeModelProblem(path, v, f"must be a number ({what}), not a string; {fix}"))
        else:
            out.append(LifeModelProblem(path, v, f"must be a number ({what}), not {_kind(v)}"))
        return None
    try:
        x = float(v)
    except OverflowError:  # a JSON integer with hundreds of digits
        out.append(LifeModelProblem(path, v, f"is too large for a floating-point number ({what})"))
        return None
    if not math.isfinite(x):
        out.append(LifeModelProblem(path, v, f"must be a finite number ({what})"))
        return None
    return x


def life_dict_problems(d: Any) -> list[LifeModelProblem]:
    """Every problem of a life-model dict (as :meth:`LifeModel.to_dict` writes it); [] if none."""
    out: list[LifeModelProblem] = []
    if not isinstance(d, Mapping):
        out.append(LifeModelProblem(
            "(top level)", d, f"a life model is a JSON object {{\"distribution\": ..., \"parameters\": "
            f"{{...}}, ...}}, not {_kind(d)}"))
        return out
    for key in d:
        if key not in LIFE_MODEL_KEYS:
            out.append(LifeModelProblem(str(key), d[key], f"unknown key{_suggest(key, LIFE_MODEL_KEYS)}; "
                                        f"a life model has {', '.join(LIFE_MODEL_KEYS)}"))
    fam = _check_distribution(d, out)
    _check_parameters(d, fam, out)
    _check_covariance(d, fam, out)
    if "confidence" in d:
        c = _file_number(d["confidence"], "confidence", out, "a level in (0, 1), e.g. 0.95")
        if c is not None and not 0 < c < 1:
            out.append(LifeModelProblem("confidence", d["confidence"],
                                        "must be in (0, 1), e.g. 0.95 (not 95)"))
    _check_dead_on_arrival(d.get("dead_on_arrival"), out)
    _check_draws(d.get("posterior_draws"), fam, out)
    prov = d.get("provenance")
    if prov is not None and not isinstance(prov, Mapping):
        out.append(LifeModelProblem("provenance", prov, f"must be an object (or null), not {_kind(prov)}"))
    elif prov is not None and "temperature_c" in prov:
        t = prov["temperature_c"]  # scenarios shift a model from this temperature when it is a number
        import numbers

        if isinstance(t, numbers.Real) and not isinstance(t, bool):
            tc = _file_number(t, "provenance.temperature_c", out, "the temperature fitted at, °C")
            if tc is not None and not tc > -273.15:
                out.append(LifeModelProblem("provenance.temperature_c", t,
                                            "is below absolute zero (-273.15 °C)"))
    return out


DOA_FORMS = ('a share in [0, 1) of new units failing at installation, or {"share": S, "dead": K, '
             '"installed": N} (the counts it was estimated from)')


def _check_dead_on_arrival(v: Any, out: list[LifeModelProblem]) -> None:
    if v is None:
        return
    if isinstance(v, Mapping):
        if set(v) != {"share", "dead", "installed"}:
            out.append(LifeModelProblem("dead_on_arrival", v, f"must be {DOA_FORMS}"))
            return
        s = _file_number(v["share"], "dead_on_arrival.share", out, "a share in [0, 1)")
        k = _file_number(v["dead"], "dead_on_arrival.dead", out, "a count of units")
        n = _file_number(v["installed"], "dead_on_arrival.installed", out, "a count of units")
        if k is not None and n is not None and not (k == int(k) and n == int(n) and 0 <= k <= n and n > 0):
            out.append(LifeModelProblem("dead_on_arrival", v, "dead and installed must be whole numbers "
                                        "with 0 <= dead <= installed and installed > 0"))
    else:
        s = _file_number(v, "dead_on_arrival", out, DOA_FORMS)
    if s is not None and not 0 <= s < 1:
        out.append(LifeModelProblem("dead_on_arrival", v, f"must be {DOA_FORMS}"))


def _check_draws(v: Any, fam: Family | None, out: list[LifeModelProblem]) -> None:
    """Posterior draws: rows of the family's parameters, finite and in range."""
    if v is None or fam is None:
        return
    k = len(fam.params)
    what = f"rows of {k} numbers ({', '.join(fam.params)}), drawn from a posterior"
    if not isinstance(v, list | tuple) or not v or not all(isinstance(r, list | tuple) and len(r) == k for r in v):
        out.append(LifeModelProblem("posterior_draws", v, f"must be {what}"))
        return
    for i, r in enumerate(v):
        for j, x in enumerate(r):
            name = fam.params[j]
            y = _file_number(x, f"posterior_draws[{i}][{j}]", out, f"a draw of {name}")
            if y is not None and ((name in fam.positive and not y > 0) or (name in fam.fractions and not y < 1)):
                out.append(LifeModelProblem(f"posterior_draws[{i}][{j}]", x, f"{name} must be {fam.parameter(name).hint}"))
            if len(out) > MAX_PROBLEMS_SHOWN:
                return


def _check_distribution(d: Mapping[str, Any], out: list[LifeModelProblem]) -> Family | None:
    if "distribution" not in d:
        out.append(LifeModelProblem("distribution", _ABSENT, f"missing; one of {', '.join(FAMILIES)}"))
        return None
    dist = d["distribution"]
    if not isinstance(dist, str) or dist not in FAMILIES:
        out.append(LifeModelProblem("distribution", dist, f"unknown distribution{_suggest(dist, FAMILIES)};"
                                    f" use one of {', '.join(FAMILIES)}"))
        return None
    return FAMILIES[dist]


def _check_parameters(d: Mapping[str, Any], fam: Family | None, out: list[LifeModelProblem]) -> None:
    dist = d.get("distribution")
    takes = f"{dist} takes {', '.join(fam.params)}" if fam else ""
    if "parameters" not in d:
        out.append(LifeModelProblem("parameters", _ABSENT, "missing; an object of parameter values"
                                    + (f": {takes}" if fam else "")))
        return
    raw = d["parameters"]
    if not isinstance(raw, Mapping):
        out.append(LifeModelProblem("parameters", raw, f"must be an object {{name: number}}, not {_kind(raw)}"
                                    + (f"; {takes}" if fam else "")))
        return
    values: dict[str, float] = {}
    for name, v in raw.items():
        path = f"parameters.{name}"
        if fam is not None and name not in fam.params:
            out.append(LifeModelProblem(path, v, f"not {with_article(str(dist))} parameter{_suggest(name, fam.params)}; "
                                        f"{takes}"))
            continue
        x = _file_number(v, path, out, _hint(fam, str(name)))
        if x is None:
            continue
        if fam is not None and name in fam.positive and not x > 0:
            out.append(LifeModelProblem(path, v, f"must be > 0 ({dist} {name} is "
                                        f"{fam.parameter(name).meaning})"))
            continue
        if fam is not None and name in fam.fractions and not x < 1:
            out.append(LifeModelProblem(path, v, f"must be < 1 ({dist} {name} is "
                                        f"{fam.parameter(name).meaning}, a share in (0, 1))"))
            continue
        values[str(name)] = x
    if fam is None:
        return
    for name in fam.params:
        if name not in raw:
            out.append(LifeModelProblem(f"parameters.{name}", _ABSENT, f"missing; {takes}"))
    if len(values) == len(fam.params):  # every value in range: can the law be evaluated at all?
        try:
            with np.errstate(all="ignore"):
                median = float(fam.scipy(values).ppf(0.5 * fam.top(values)))  # of those that fail
        except (OverflowError, ValueError, ZeroDivisionError) as e:
            median, why = math.nan, str(e)
        else:
            why = f"its median life is {median!r} hours"
        if not (math.isfinite(median) and median > 0):
            out.append(LifeModelProblem("parameters", raw, f"these {dist} parameters cannot be evaluated "
                                        f"({why}); they are outside the range a float can hold"))


def _check_covariance(d: Mapping[str, Any], fam: Family | None, out: list[LifeModelProblem]) -> None:
    c = d.get("covariance")
    if c is None:
        return
    n = len(fam.params) if fam else None
    over = f" over ({', '.join(fam.params)})" if fam else ""
    size = f"{n}x{n} " if n else ""
    shape_fix = f"must be null or a {size}matrix{over}: a list of rows, each a list of numbers"
    if not isinstance(c, list | tuple):
        out.append(LifeModelProblem("covariance", c, f"{shape_fix}; got {_kind(c)}"))
        return
    if n is not None and len(c) != n:
        out.append(LifeModelProblem("covariance", c, f"{shape_fix}; got {len(c)} row"
                                    + ("" if len(c) == 1 else "s")))
        return
    ok = True
    for i, row in enumerate(c):
        if not isinstance(row, list | tuple):
            out.append(LifeModelProblem(f"covariance[{i}]", row, f"must be a row (a list of "
                                        f"{n or 'the'} numbers), not {_kind(row)}"))
            ok = False
            continue
        width = n if n is not None else len(c)
        if len(row) != width:
            plural = "" if len(row) == 1 else "s"
            out.append(LifeModelProblem(f"covariance[{i}]", row, f"has {len(row)} number{plural}; the "
                                        f"matrix is {width}x{width}{over}, so each row has {width}"))
            ok = False
            continue
        for j, x in enumerate(row):
            if _file_number(x, f"covariance[{i}][{j}]", out, "a (co)variance") is None:
                ok = False
    if ok and n is not None:
        _check_psd(np.array([[float(x) for x in r] for r in c]), fam.params, out)


def covariance_problems(m: np.ndarray, names: tuple[str, ...], fix: str = NOT_A_COVARIANCE_FIX
                        ) -> list[LifeModelProblem]:
    """Why the square matrix ``m`` over parameters ``names`` is not a covariance ([] if it is one):
    the rule files are held to (:func:`_check_psd`), for a covariance given any other way; ``fix``
    ends the not-PSD message."""
    out: list[LifeModelProblem] = []
    _check_psd(np.asarray(m, dtype=float), names, out, fix)
    return out


def _check_psd(m: np.ndarray, names: tuple[str, ...], out: list[LifeModelProblem],
               fix: str = NOT_A_COVARIANCE_FIX) -> None:
    """Refuse a covariance that is not symmetric positive semidefinite (see PSD_TOLERANCE).

    Decision on round-off: a matrix within the tolerance (e.g. a smallest eigenvalue of
    -1e-17 from a near-singular fit) is kept exactly as written, not clipped, so a file
    round-trips unchanged; `draw_parameters` then uses the SVD factorisation, which treats
    such an eigenvalue as (almost) zero variance.
    """
    n = len(names)
    diag = np.diag(m)
    scale = float(np.max(np.abs(diag))) if n else 0.0
    tol = PSD_TOLERANCE * scale
    bad = False
    for i in range(n):
        if diag[i] < -tol:
            out.append(LifeModelProblem(f"covariance[{i}][{i}]", float(diag[i]),
                                        f"the variance of {names[i]} cannot be negative"))
            bad = True
    for i in range(n):
        for j in range(i + 1, n):
            a, b = m[i, j], m[j, i]
            if abs(a - b) > PSD_TOLERANCE * max(abs(a), abs(b), math.sqrt(abs(diag[i] * diag[j]))):
                out.append(LifeModelProblem(f"covariance[{i}][{j}]", float(a),
                                            f"differs from covariance[{j}][{i}] = {_show(float(b))}; a "
                                            "covariance matrix is symmetric"))
                bad = True
    if bad:
        return
    sym = (m + m.T) / 2.0
    low = float(np.linalg.eigvalsh(sym)[0]) if n else 0.0
    sd = np.sqrt(np.clip(diag, 0.0, None))
    keep = sd > 0
    corr = sym[np.ix_(keep, keep)] / np.outer(sd[keep], sd[keep])
    low_corr = float(np.linalg.eigvalsh(corr)[0]) if keep.any() else 0.0
    if low >= -tol and low_corr >= -PSD_TOLERANCE:
        return
    why = f"smallest eigenvalue {low:.4g}"
    if low_corr < -PSD_TOLERANCE:
        why += f", of its correlation matrix {low_corr:.4g}"
    idx = np.flatnonzero(keep)
    pairs = [(abs(corr[a, b]), names[idx[a]], names[idx[b]], corr[a, b])
             for a in range(len(idx)) for b in range(a + 1, len(idx)) if abs(corr[a, b]) > 1]
    if pairs:
        _, p, q, r = max(pairs)
        why += f"; the correlation of {p} and {q} is {r:.6g}, outside [-1, 1]"
    out.append(LifeModelProblem("covariance", [list(r) for r in m.tolist()],
                                f"is not positive semidefinite ({why}), so it is not a covariance and "
                                f"parameter draws from it would be wrong; {fix}"))


def life_model_error(problems: list[LifeModelProblem], source: str | None) -> LifeModelFileError:
    what = f"{source!r} is not a valid life model" if source else "not a valid life model"
    if len(problems) == 1:  # one line, so `--json`'s "error" (the first line) says it all
        return LifeModelFileError(f"{what}: {problems[0]}; {RESAVE_HINT}", problems)
    fields = ", ".join(dict.fromkeys(p.field for p in problems[:8]))
    more = ", ..." if len(problems) > 8 else ""
    lines = [f"{what}, {len(problems)} problems ({fields}{more}):"]  # the first line names them all
    lines += [f"  - {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    lines.append(RESAVE_HINT)
    return LifeModelFileError("\n".join(lines), problems)
