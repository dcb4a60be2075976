"""What ``--dist auto`` may conclude from a ranking of fits (``FitResult.ranking``).

AIC ranks the families, but a difference below 2 is no evidence for one over the other
(Burnham & Anderson 2002, §2.6: models within 2 of the best have substantial support). When the
families that close to the best disagree on the quantity a reliability engineer reads off the
fit (its B10, or the share failed at a 5-year horizon) by more than :data:`B10_FACTOR` (or
:data:`F_FACTOR`), the data do not choose between them: the verdict
says so and gives the spread, and the lowest AIC is reported only as the first of equals
(``cpo fit --dist auto`` then refuses ``--save``: choose the family with ``--dist``).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from failure_data.errors import option

AIC_TIE = 2.0
"""Families within this AIC of the best fit about equally well."""
B10_FACTOR = 2.0
"""Equally good families disagree when their B10s differ by more than this factor."""
F_FACTOR = 2.0
"""... or their shares failed at the horizon (F at 5 years, ``f_5y``) by more than this factor."""
HORIZON_HOURS = 5 * 8766.0
"""The horizon F is read at: 5 years, the built-in fleets' (a ranking without the column skips it)."""


def verdict(ranking: pd.DataFrame) -> dict[str, Any]:
    """``chosen`` (the best is the answer), ``candidates`` (converged, within AIC_TIE of the best,
    best first), their ``b10_hours`` range [low, high] and the ``message`` saying which."""
    ok = ranking[ranking["converged"]]
    near = ok[ok["delta_aic"] < AIC_TIE]
    names = list(near["distribution"])
    b10 = [float(x) for x in near["b10_hours"]]
    known = [x for x in b10 if not math.isnan(x)]
    lo, hi = (min(known), max(known)) if known else (math.nan, math.nan)
    fs = [float(x) for x in near["f_5y"] if not math.isnan(x)] if "f_5y" in near else []
    f_lo, f_hi = (min(fs), max(fs)) if fs else (math.nan, math.nan)
    f_apart = bool(fs) and f_hi > F_FACTOR * f_lo
    f_text = f"; F at 5 years {f_lo:.3g}-{f_hi:.3g}" if fs else ""
    if len(names) <= 1:
        chosen, msg = True, (f"{names[0]} fits best (the next is {AIC_TIE:g} or more AIC behind)"
                             if names else "no family converged")
    elif hi <= B10_FACTOR * lo and not f_apart:
        chosen, msg = True, (f"{len(names)} families fit within {AIC_TIE:g} AIC of the best "
                             f"({', '.join(names)}) and agree on B10 within a factor {B10_FACTOR:g} "
                             f"({_h(lo)}-{_h(hi)} h{f_text})")
    else:
        chosen, msg = False, (
            f"{option('dist')} auto does not choose: {len(names)} families fit about equally well (within "
            f"{AIC_TIE:g} AIC of the best: {', '.join(names)}) but their B10 spans {_h(lo)}-{_h(hi)} h"
            f"{f_text}; "
            "the data do not tell them apart, so that spread is part of the answer. Choose the "
            f"family on physical grounds with {option('dist')} (e.g. mixture for infant mortality "
            "plus wear-out), or gather failures further out")
    return {"chosen": chosen, "candidates": names, "b10_hours": [lo, hi], "f_5y": [f_lo, f_hi],
            "message": msg}


def _h(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:,.4g}"
