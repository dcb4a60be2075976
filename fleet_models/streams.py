"""The random streams of one replication: seeds by what they drive (common random numbers)."""

from __future__ import annotations

import zlib

import numpy as np

from fleet_models.errors import ScenarioError


def replication_seed(seed: int, replication: int, architecture: str) -> np.random.SeedSequence:
    """Seed of replication ``replication`` of the architecture named ``architecture``."""
    if not (isinstance(seed, int | np.integer) and seed >= 0):
        raise ScenarioError(f"seed = {seed!r} must be an integer >= 0")
    if replication < 0:
        raise ScenarioError(f"replication index = {replication!r} must be >= 0")
    return np.random.SeedSequence(
        entropy=int(seed), spawn_key=(int(replication), zlib.crc32(architecture.encode()))
    )


def replication_rng(seed: int, replication: int, architecture: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(replication_seed(seed, replication, architecture)))


class Streams:
    """Common random numbers: the random streams of one replication, keyed by what they drive.

    A component's draws come from streams keyed by (seed, replication, component name): its
    parameter draw, its initial lives (switch by switch, in switch order), and per switch the
    lives of its renewed elements. Two architectures that share a component (same name, life and
    count: the switch board, a module) therefore see the same failures of it in the same
    replication, so their paired difference is not blurred by independent noise; and a result
    never depends on which other architectures are in the scenario. Hands-on times (exponential
    policy) have their own stream. Streams are made on first use (a generator costs ~30 us).
    """

    PARAMETERS, INITIAL, HANDS_ON, SWITCH0 = 0, 1, 2, 3

    def __init__(self, seed: int, replication: int) -> None:
        replication_seed(seed, replication, "")  # validates both
        self.seed, self.replication = int(seed), int(replication)
        self._cache: dict[tuple[str, int], np.random.Generator] = {}

    def _get(self, name: str, tag: int) -> np.random.Generator:
        g = self._cache.get((name, tag))
        if g is None:
            key = (self.replication, zlib.crc32(name.encode()), tag)
            ss = np.random.SeedSequence(entropy=self.seed, spawn_key=key)
            g = self._cache[(name, tag)] = np.random.Generator(np.random.PCG64(ss))
        return g

    def parameters(self, component: str) -> np.random.Generator:
        return self._get(component, self.PARAMETERS)

    def initial(self, component: str) -> np.random.Generator:
        return self._get(component, self.INITIAL)

    def renewals(self, component: str, switch: int) -> np.random.Generator:
        return self._get(component, self.SWITCH0 + switch)

    def hands_on(self) -> np.random.Generator:
        return self._get("", self.HANDS_ON)
