"""The random streams of one replication: seeds by what they drive (common random numbers)."""

from __future__ import annotations

import zlib

import numpy as np

from fleet_models.errors import ScenarioError


def check_seed(seed: int, replication: int) -> None:
    """A seed is an integer >= 0, and so is a replication index (ScenarioError otherwise)."""
    if not (isinstance(seed, int | np.integer) and seed >= 0):
        raise ScenarioError(f"seed = {seed!r} must be an integer >= 0")
    if replication < 0:
        raise ScenarioError(f"replication index = {replication!r} must be >= 0")


class Streams:
    """Common random numbers: the random streams of one replication, keyed by what they drive.

    A component's draws come from streams keyed by (seed, replication, component name): its
    parameter draw, its initial lives (switch by switch, in switch order), and per switch the
    lives of its renewed elements, and per switch whether a swap's removed unit had no trouble
    found (``ntf``). Two architectures that share a component (same name, life and
    count: the switch board, a module) therefore see the same failures of it in the same
    replication, so their paired difference is not blurred by independent noise; and a result
    never depends on which other architectures are in the scenario. Hands-on times (exponential
    policy) have their own stream. Streams are made on first use (a generator costs ~30 us).
    """

    PARAMETERS, INITIAL, HANDS_ON, SWITCH0 = 0, 1, 2, 3
    NTF = 0  # with a fourth key word (the switch): (i, crc32(name), NTF, switch)
    PREDICT = 1  # likewise: (i, crc32(name), PREDICT, switch)
    FALSE_ALARMS = "#false-alarms"  # the name false alarms are keyed by (with PREDICT, switch)

    def __init__(self, seed: int, replication: int) -> None:
        check_seed(seed, replication)
        self.seed, self.replication = int(seed), int(replication)
        self._cache: dict[tuple[str, int, int | None], np.random.Generator] = {}

    def _get(self, name: str, tag: int, sub: int | None = None) -> np.random.Generator:
        """The stream keyed (replication, crc32(name), tag), or (..., tag, sub) with ``sub``: a
        key one word longer seeds a different stream than every three-word key."""
        g = self._cache.get((name, tag, sub))
        if g is None:
            key = (self.replication, zlib.crc32(name.encode()), tag)
            if sub is not None:
                key = (*key, sub)
            ss = np.random.SeedSequence(entropy=self.seed, spawn_key=key)
            g = self._cache[(name, tag, sub)] = np.random.Generator(np.random.PCG64(ss))
        return g

    def parameters(self, component: str) -> np.random.Generator:
        return self._get(component, self.PARAMETERS)

    def initial(self, component: str) -> np.random.Generator:
        return self._get(component, self.INITIAL)

    def renewals(self, component: str, switch: int) -> np.random.Generator:
        return self._get(component, self.SWITCH0 + switch)

    def ntf(self, component: str, switch: int) -> np.random.Generator:
        """Whether each swap of ``component`` in ``switch`` removed a unit with no trouble found:
        its own stream, so drawing it changes no life (a result with ntf_fraction 0 is the same)."""
        return self._get(component, self.NTF, switch)

    def predict(self, component: str, switch: int) -> np.random.Generator:
        """Whether each failure of a predicted ``component`` in ``switch`` is foreseen (predictive
        replacement): its own stream, so a miss rate changes no life; and, keyed by
        :data:`FALSE_ALARMS`, the false alarms of the switch."""
        return self._get(component, self.PREDICT, switch)

    def hands_on(self) -> np.random.Generator:
        return self._get("", self.HANDS_ON)
