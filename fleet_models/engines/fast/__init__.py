"""The fast engine: the SimPy engine's semantics as one event loop compiled with numba.

Its parts, in the order a replication uses them: ``jit`` (numba, its cache, the decorators),
``rng`` (xoshiro256** streams keyed like the SimPy engine's), ``laws`` (each compiled family's
closed forms and how lives are drawn), ``queues`` (heap, FIFO lanes, the initial failures in
time order), ``jobs`` (clock areas and the [fabric]'s jobs), ``loop`` (the event loop),
``predict`` (predictive replacement's alarms and bookings), ``setup`` (one replication's arrays
and initial failures), and ``engine`` (the Python side:
:class:`FastEngine`, what it refuses, compiling and the cache).

How
    Events are ordered by (time, insertion sequence) as SimPy orders its events: those a fixed
    delay after their scheduling (detections, exclusions, lead times, fixed hands-on times) in
    FIFO lanes, one per delay, the rest (lives) in one binary heap per replication; spare pools
    (base stock, lead time) and technicians are FCFS queues. Switch state lives in dense arrays
    (ports down and why, failed elements per unit, generations), so one event costs a few
    hundred nanoseconds.

What it models
    Everything the SimPy engine does: k-of-n units with unit or element scope, swaps and switch
    replacements with detection, base-stock spare pools and FCFS technicians, maintenance
    windows, spare units on the switch (fail in place), no-trouble-found swaps (their own
    stream per (component, switch), the unit back in its pool after its test), and the
    [fabric]'s jobs (single homing: stall, interruption, exclusion after exclude_hours; dual:
    slow-down, then the lesser of it and the excluded GPUs), accumulated as GPU-hours lost per
    month, and predictive replacement (a predicted kind's failure books a planned replacement
    when its cohort draws it; false alarms are a Poisson process per switch). Initial failures
    are a time-sorted stream merged with the heap (their sequence
    numbers come first), so the heap holds only events in flight.
"""

from __future__ import annotations

from failure_data._lazy import lazy_exports

_EXPORTS = {
    "FastEngine": "fleet_models.engines.fast.engine",
    "unsupported": "fleet_models.engines.fast.engine",
    "warm_up": "fleet_models.engines.fast.engine",
    "compiled": "fleet_models.engines.fast.engine",
    "cache_dir": "fleet_models.engines.fast.engine",
}

__getattr__, __all__ = lazy_exports(__name__, _EXPORTS)
