"""Decisions under uncertainty, all through one evaluator that simulates an architecture once per
distinct engine input (``evaluator``): ``sweep`` (a grid of values), ``tornado`` (each uncertain
input at its ends, and how much of the spread the inputs explain against chance), ``breakeven``
(the value of one field at which two architectures are equal) and ``pilot`` (what a pilot's
failures and device-hours prove, through the gamma-Poisson rate of ``reliability.rates``).

Floor 6 of fleet_models, the top: nothing in the package imports it.
"""
