"""reliability: life models, fits, zero-failure bounds, accelerated tests, pilot plans.

Public names are loaded on first use so that importing the package is cheap.
"""

from __future__ import annotations

from failure_data._lazy import lazy_exports

_EXPORTS = {
    "LifeModel": "reliability.models",
    "DISTRIBUTIONS": "reliability.models",
    "arrhenius_factor": "reliability.models",
    "ReliabilityError": "reliability.errors",
    "ParameterError": "reliability.errors",
    "FitError": "reliability.errors",
    "Distribution": "reliability.fitting",
    "FitResult": "reliability.fitting",
    "fit": "reliability.fitting",
    "fit_auto": "reliability.fitting",
    "fit_all": "reliability.fitting",
    "rank_distributions": "reliability.fitting",
    "group_records": "reliability.records",
    "select_component": "reliability.records",
    "RateBound": "reliability.bounds",
    "WeibayesBound": "reliability.bounds",
    "rate_upper_bound": "reliability.bounds",
    "weibayes_scale_lower": "reliability.bounds",
    "weibayes_from_table": "reliability.bounds",
    "rate_bound_from_table": "reliability.bounds",
    "PilotRequest": "reliability.planning",
    "PilotPlan": "reliability.planning",
    "plan_pilot": "reliability.planning",
    "ALTSpec": "reliability.alt",
    "ALTResult": "reliability.alt",
    "StressModel": "reliability.alt",
    "fit_alt": "reliability.alt",
    "kaplan_meier": "reliability.nonparametric",
    "turnbull": "reliability.nonparametric",
    "nelson_aalen": "reliability.nonparametric",
    "nonparametric": "reliability.nonparametric",
    "fit_modes": "reliability.competing",
    "fit_bayes": "reliability.bayes",
    "Prior": "reliability.bayes",
    "crow_amsaa": "reliability.growth",
    "mean_cumulative_function": "reliability.growth",
    "delta_interval": "reliability.mixtures",
    "read_dead_on_arrival": "reliability.doa",
    "plot_probability": "reliability.plotting",
    "fit_degradation": "reliability.degradation",
    "DegradationFit": "reliability.degradation",
    "save_probability_plot": "reliability.plotting",
}

__getattr__, __all__ = lazy_exports(__name__, _EXPORTS)
