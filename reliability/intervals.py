"""Which interval method a fit reports: the choices and the rule for ``auto`` (a light module:
the command line reads the choices without importing the fitting stack)."""

from __future__ import annotations

WALD_LOG, LIKELIHOOD_RATIO = "wald-log", "likelihood-ratio"

INTERVAL_METHODS = {
    WALD_LOG: "Wald on the log scale for positive parameters, exp(ln p +- z*se/p); plain Wald for "
              "unrestricted ones",
    LIKELIHOOD_RATIO: "profile likelihood, 2(LLmax - LLprofile) <= chi2(C, 1), Meeker & Escobar 8.3",
    "none": "rank regression has none; fit by maximum likelihood for intervals",
    "weibayes-chi-square": "the shape assumed; the scale's exact chi-square interval, 2r and 2r+2 dof",
}
"""Each interval method a fit may report, and what it is (the caption of a fit's table)."""

CHOICES = {"auto": None, "lr": LIKELIHOOD_RATIO, "wald": WALD_LOG}
"""What ``interval=`` takes, and the method each names (auto: by the rule below)."""

LR_BELOW_FAILURES = 100
"""``auto`` intervals are likelihood-ratio below this many failures, Wald-log from it on.
Meeker & Escobar (1998, §8.4 and §7.5) recommend likelihood-ratio intervals whenever the
number of failures is small or censoring heavy, where the Wald interval's normal approximation
fails; with many failures the log-likelihood is near quadratic and the two agree
(tests/test_rel_profile.py), while Wald costs nothing on a million-unit fleet and a profile
costs a few hundred fits of the nuisance parameters."""


LR_MAX_PARAMETERS = 2
"""``auto`` profiles families of at most this many parameters: a three-parameter family (the
generalised gamma) has a two-dimensional nuisance to maximise at every step of every profile,
minutes on a few hundred records; ask for it with ``lr``."""


def choose(interval: str, n_failures: int, n_parameters: int = 2) -> str:
    """The interval method for ``interval`` (``auto``, ``lr`` or ``wald``), the data's failures and
    the family's number of parameters."""
    from reliability.errors import ParameterError

    key = str(interval).lower()
    if key not in CHOICES:
        raise ParameterError(f"interval {interval!r} is not known; use one of {', '.join(CHOICES)}")
    method = CHOICES[key]
    if method is None:
        few = n_failures < LR_BELOW_FAILURES and n_parameters <= LR_MAX_PARAMETERS
        return LIKELIHOOD_RATIO if few else WALD_LOG
    return method
