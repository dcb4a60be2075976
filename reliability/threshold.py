"""A time-to-threshold life read at another threshold, without refitting.

``cpo degrade`` saves the time to a threshold ``D`` of Meeker & Escobar's random-coefficient path
model, rise = exp(b) (t / t_ref)^gamma with b ~ N(mu, tau^2), as lognormal(mu_T, sigma_T) with
mu_T = ln t_ref + (ln D - mu) / gamma and sigma_T = tau / gamma, and keeps the path (``mu``,
``gamma``, ``t_ref_hours``) in its provenance. The same path at another threshold D' is then the
lognormal with mu_T' = mu_T + (ln D' - ln D) / gamma and the same sigma_T: a scenario's
``life.threshold`` (a path of ``cpo sweep``, ``cpo breakeven``, ``cpo tornado`` and an uncertain
input) sets D' and the fleet's verdict follows. Light: math only, for the scenario layer.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from reliability.errors import ParameterError

PATH = "path"
"""The provenance key of the degradation path a time-to-threshold life came from."""


def is_time_to_threshold(life: Any) -> bool:
    """Whether ``life`` is a time to threshold that carries its degradation path."""
    prov = getattr(life, "provenance", {}) or {}
    return life.distribution == "lognormal" and isinstance(prov.get(PATH), dict) and "threshold" in prov


def path_parameters(mu: float, gamma: float, t_ref_hours: float, form: str) -> dict[str, Any]:
    """What a time-to-threshold life keeps of its path (its provenance's ``path``)."""
    return {"form": form, "mu": float(mu), "gamma": float(gamma), "t_ref_hours": float(t_ref_hours)}


def at_threshold(life: Any, threshold: float) -> Any:
    """``life`` (a time to threshold with its path) read at ``threshold`` (a share of the start
    current, > 0). The covariance is dropped, as for any value set by hand."""
    if not is_time_to_threshold(life):
        raise ParameterError("a threshold can only be set on a time-to-threshold life saved by cpo "
                             "degrade (it keeps the degradation path it was derived from); this life "
                             "has none")
    if not (isinstance(threshold, int | float) and math.isfinite(threshold) and threshold > 0):
        raise ParameterError(f"threshold = {threshold!r} must be a share of the start current above 0 "
                             "(0.2 for +20 %)")
    prov = life.provenance
    path = prov[PATH]
    shift = (math.log(threshold) - math.log(float(prov["threshold"]))) / float(path["gamma"])
    params = {**life.parameters, "mu": float(life.parameters["mu"]) + shift}
    return dataclasses.replace(
        life, parameters=params, covariance=None, posterior_draws=None,
        provenance={**prov, "threshold": float(threshold),
                    "failure_definition": f"bias current up {threshold * 100:g}% over its start"})
