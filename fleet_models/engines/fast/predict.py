"""The fast engine's predictive replacement: when a predicted kind's failure is drawn, whether it
is foreseen and the window its planned replacement is booked at (the SimPy engine's
``_schedule_alarms`` and ``_book``)."""

from __future__ import annotations

import math

from fleet_models.engines.fast.jit import _helper
from fleet_models.engines.fast.queues import _FALSE_ALARM, _PREDICT, _push
from fleet_models.engines.fast.rng import _stream, _uniform


@_helper
def _window_at(t, window):
    """The first maintenance window at or after t (t itself without windows)."""
    if window > 0.0:
        return math.ceil(t / window) * window
    return t


@_helper
def _foresee(IS, et, eseq, ed, hp, fr, st, seeded, pf, pk, k, S, s, t, now, window, g):
    """Kind k's failure at t on switch s (chassis generation g), drawn at ``now``: if the kind is
    predicted and its (kind, switch) stream does not say it is missed, its alarm sounds at
    max(t - lead, now) and the switch's planned replacement is booked at the next window at or
    after it, if that is before the failure (the SimPy engine's ``_schedule_alarms``).
    ``pf``: (first prediction stream's row, lead hours, miss rate); ``pk``: (predicted per
    kind, prediction stream keys)."""
    predicted, pred_key = pk
    if not predicted[k]:
        return
    pred0, lead, miss = pf
    r = _stream(st, seeded, pred0 + k * S + s, pred_key[k], s)
    if _uniform(st, r) < miss:
        return
    w = _window_at(max(t - lead, now), window)
    if w < t:
        _push(IS, et, eseq, ed, hp, fr, w, _PREDICT, s, g, 0, 0, 0)


@_helper
def _booked(IS, et, eseq, ed, hp, fr, typ, s, g, now, window, gen, pending):
    """A planned replacement booked for switch s (generation g) is due now: whether it starts
    (the switch not replaced since, no replacement pending). A false alarm books one at the next
    window, now without windows (then it is due at once)."""
    if typ == _FALSE_ALARM:
        g = gen[s]
        w = _window_at(now, window)
        if w > now:
            _push(IS, et, eseq, ed, hp, fr, w, _PREDICT, s, g, 0, 0, 0)
            return False
    return gen[s] == g and not pending[s]
