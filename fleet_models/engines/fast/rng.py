"""The fast engine's random numbers: xoshiro256** streams keyed like :class:`Streams`.

A replication's key is numpy's ``SeedSequence(seed, (replication,))`` (:func:`_replication_key`,
once per replication); a stream's key mixes in a component name's crc32 and the stream's tag
(the tags of :class:`fleet_models.engines.streams.Streams`: initial lives, renewals, NTF,
predictions, hands-on) with SplitMix64, and for a per-switch stream the switch. So a result depends neither
on the number of workers nor on the other architectures, and two architectures sharing a
component draw the same lives of it (common random numbers).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from fleet_models.engines.fast.jit import _helper
from fleet_models.engines.streams import Streams

_U7 = np.uint64(7)
_U9 = np.uint64(9)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U27 = np.uint64(27)
_U30 = np.uint64(30)
_U31 = np.uint64(31)
_U45 = np.uint64(45)
_U5 = np.uint64(5)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO53 = 1.0 / 9007199254740992.0


# the tags of Streams, and NTF's second word (a per-switch stream's switch goes in afterwards)
_INITIAL = np.uint64(Streams.INITIAL)
_SWITCH0 = np.uint64(Streams.SWITCH0)
_NTF = np.uint64(Streams.NTF)
_HANDS_ON = np.uint64(Streams.HANDS_ON)
_NTF_TAG = np.uint64(1 << 40)  # marks a four-word key (the switch follows): NTF's, PREDICT's
_PREDICT = np.uint64(Streams.PREDICT)


@_helper
def _splitmix(x):
    z = x + _GOLDEN
    z = (z ^ (z >> _U30)) * _M1
    z = (z ^ (z >> _U27)) * _M2
    return z ^ (z >> _U31)


@_helper
def _seed_stream(st, i, key):
    x = key
    for j in range(4):
        x = x + _GOLDEN
        st[i, j] = _splitmix(x)


@_helper
def _stream_key(x0, word, tag):
    """A stream's key: the replication's key x0 (:func:`_replication_key`) with a word (a
    component name's crc32) and a tag mixed in, one SplitMix64 finaliser each; it depends on
    nothing else, so two architectures sharing a component draw the same lives of it."""
    return _splitmix(_splitmix(x0 ^ word) ^ tag)


@_helper
def _rotl(x, k):
    return (x << k) | (x >> (np.uint64(64) - k))


@_helper
def _uniform(st, i):
    """xoshiro256** step of stream i: a double in [0, 1)."""
    s0 = st[i, 0]
    s1 = st[i, 1]
    s2 = st[i, 2]
    s3 = st[i, 3]
    result = _rotl(s1 * _U5, _U7) * _U9
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _U45)
    st[i, 0] = s0
    st[i, 1] = s1
    st[i, 2] = s2
    st[i, 3] = s3
    return np.float64(result >> _U11) * _TWO53


@_helper
def _stream(st, seeded, row, key, s):
    """Row ``row`` of the stream table, seeded on first use from ``key`` mixed with switch s."""
    if not seeded[row]:
        seeded[row] = True
        _seed_stream(st, row, key + np.uint64(s + 1) * _GOLDEN)
    return row


@_helper
def _hands_on(st, K, mean, exp_hands_on):
    if exp_hands_on and mean > 0.0:
        return -mean * math.log(1.0 - _uniform(st, K))
    return mean


@functools.lru_cache(maxsize=256)
def _replication_key(seed: int, replication: int) -> int:
    """The key of (seed, replication): numpy's SeedSequence, once per replication (cached: the
    architectures of a replication share it)."""
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(replication,))
    return int(ss.generate_state(1, np.uint64)[0])
