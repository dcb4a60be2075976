"""Goodness of fit beyond AIC: the likelihood-ratio test of a fit against a family that contains it.

A family nested in a larger one (the exponential is the Weibull with shape 1; the Weibull and
the lognormal are the generalised gamma with lambda = 1 and lambda = 0) can be tested against
it: twice the gain in log-likelihood from the larger family's extra parameter is chi-square with
one degree of freedom when the smaller family is right (Meeker & Escobar 1998, §8.5, and
§11.7 for the generalised gamma as the test of the Weibull and the lognormal). A small p-value
says the data ask for the larger family's extra freedom. The restrictions are interior points of
the larger family's space, so the chi-square reference holds without boundary corrections.
"""

from __future__ import annotations

from typing import Any

from scipy import stats

from failure_data.errors import option
from reliability.errors import FitError
from reliability.fitting import FitResult, fit

NESTED_IN = {"exponential": "weibull", "weibull": "gengamma", "lognormal": "gengamma"}
"""The family each family is the restriction of (by one parameter held fixed)."""

LEVEL = 0.05


def nested_test(result: FitResult) -> dict[str, Any]:
    """The likelihood-ratio test of ``result`` (a maximum-likelihood fit) against the family it is
    nested in: ``test``, ``against``, ``log_likelihood``, ``against_log_likelihood``,
    ``lr_statistic``, ``df``, ``p_value``, ``verdict``; or, where there is none, ``message``."""
    name = result.distribution.value
    out: dict[str, Any] = {"test": "likelihood-ratio against the family it is nested in", "against": None,
                           "log_likelihood": result.log_likelihood, "against_log_likelihood": None,
                           "lr_statistic": None, "df": None, "p_value": None, "verdict": None, "message": None}
    if result.interval_method == "none":
        out["message"] = f"the test compares maximum-likelihood fits; fit with {option('method')} mle"
        return out
    bigger = NESTED_IN.get(name)
    if bigger is None:
        out["message"] = f"no family here contains the {name} as a special case"
        return out
    out["against"] = bigger
    try:
        big = fit(result.table, bigger, confidence=result.confidence)
    except FitError as e:
        out["message"] = f"the {bigger} fit to test against could not be made: {str(e).split(';')[0]}"
        return out
    lr = max(2.0 * (big.log_likelihood - result.log_likelihood), 0.0)
    p = float(stats.chi2.sf(lr, 1))
    out.update(against_log_likelihood=big.log_likelihood, lr_statistic=lr, df=1, p_value=p,
               verdict=(f"the data ask for the {bigger} (p < {LEVEL:g})" if p < LEVEL
                        else f"consistent with the {name} (p >= {LEVEL:g})"))
    return out
