"""`cpo fit FILE --modes`: one life per failure mode (reliability.competing), each mode fitted with
the other modes' failures censored, saved one file per mode for a fleet component each.

JSON: ``modes`` ({MODE: the document of a single fit, with its ``auto`` verdict under
``--dist auto``}), ``b10_hours`` (of the unit: the first of its modes), ``component``, ``source``,
``saved_to`` ({MODE: path} or null).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli._common import console, emit_json, err, in_cli_words


def mode_path(save: Path, mode: str) -> Path:
    """``--save engine.json`` -> ``engine.laser.json`` for mode laser."""
    return save.with_name(f"{save.stem}.{mode}{save.suffix or '.json'}")


def fit_modes_cmd(table, *, dist: str, confidence: float, doa: str, doa_hours: float | None,
                  save: Path | None, json_output: bool, component: str | None, source: dict[str, Any]) -> None:
    from reliability.competing import fit_modes
    from reliability.errors import ParameterError
    from reliability.selection import verdict

    extra = {"component": component} if component else {}
    result = fit_modes(table, dist, confidence=confidence, doa=doa, doa_hours=doa_hours, extra_provenance=extra)
    docs: dict[str, Any] = {}
    for m, r in result.fits.items():
        d = r.to_dict()
        d["ranking"] = r.ranking.to_dict(orient="records")
        d["auto"] = None
        if dist == "auto":
            d["auto"] = verdict(r.ranking)
            d["auto"]["message"] = in_cli_words(d["auto"]["message"])
            if not d["auto"]["chosen"] and save is not None:
                raise ParameterError(f"mode {m}: {d['auto']['message']}; --save needs one family per "
                                     "mode: name it with --dist")
        docs[m] = d
    saved = None
    if save is not None:
        saved = {}
        for m, r in result.fits.items():
            p = mode_path(save, m)
            r.model.save(p)
            saved[m] = str(p)
    doc = {"modes": docs, "b10_hours": result.to_dict()["b10_hours"], "component": component,
           "source": source, "saved_to": saved}
    if json_output:
        emit_json(doc)
        return
    out = console()
    out.print(f"{source['file']} ({source['format']}, {source['rows']} rows): {len(docs)} failure modes, "
              "each fitted with the other modes' failures censored")
    for m, r in result.fits.items():
        out.print(r.summary_table(title=f"mode {m}: {r.distribution.value} fit ({r.n_failures:,} failures)"))
        if docs[m]["auto"]:
            out.print(docs[m]["auto"]["message"])
    b10 = doc["b10_hours"]
    out.print("unit life = the first of its modes, S(t) = product of the modes' S(t): B10 "
              + (f"{b10:,.4g} h" if b10 is not None else "never reached"))
    for m, p in (saved or {}).items():
        err(f"saved mode {m}'s life model to {p}")
