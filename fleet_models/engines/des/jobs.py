"""The SimPy engine's job accounting: which jobs own the ports that go down or come back, and what
that does to them under the [fabric] (single homing: stall, interruption, exclusion after
``exclude_hours``; dual: slow-down, then the lesser of it and the excluded GPUs)."""

from __future__ import annotations

from functools import partial

import numpy as np

from fleet_models.engines.contract import FleetPlan
from fleet_models.model.ledger import EventKind


class _Jobs:
    """The job state of a :class:`fleet_models.engines.des.sim._FleetSim` (a mixin: it reads the
    simulation's clock, ports and ledger)."""

    def _init_jobs(self, plan: FleetPlan) -> None:
        # jobs over consecutive ports (fleet_models.engines.fabric); no GPUs behind the ports, or no
        # job: outages interrupt nothing and cost no GPU-hours
        self.layout = plan.jobs
        self.gpp, self.job_gpus, self.n_jobs = self.layout.gpp, self.layout.size, self.layout.n
        self.restart = plan.restart
        self.last_interrupt: dict[int, float] = {}
        self.dual = plan.dual
        self.exclude = plan.exclude_hours
        self.slowdown = plan.slowdown
        self.failover = plan.failover_hours
        self.failing: dict[int, int] = {}  # dual homing: job -> its stall number while it fails over
        self.job_down: dict[int, int] = {}  # job -> its ports down (jobs with none are absent)
        # job -> its stall number, until exclude_hours (single: stalled; dual: slowed)
        self.stalled: dict[int, int] = {}
        self.stalls = 0
        self.lost_rate = 0.0  # GPU-hours lost per hour, now
        # a tier of a fabric: GPUs behind the first gpu_ports ports of a switch; the fabric-link
        # ports it watches (below gpu_ports, from it) are counted in the ledger (EventKind.LINKS)
        self.G = plan.gpu_ports
        self.watch = (plan.links_low, plan.links_high)
        self.links = [0, 0]

    def _split(self, ports, sign: int):
        """The GPU-facing ones of ``ports`` (an int or an increasing array), after counting the
        link ports a tier watches (a ledger row per side whose count changed)."""
        if self.G >= self.P and not self.watch[0]:
            return ports
        arr = np.atleast_1d(np.asarray(ports))
        lo = int(np.searchsorted(arr, self.G))
        for side, n in ((0, lo), (1, arr.size - lo)):
            if self.watch[side] and n:
                self.links[side] += sign * n
                self._event(EventKind.LINKS, side, float(self.links[side]))
        if lo == arr.size:
            return ports
        return arr[:lo] if lo else None

    def _jobs_of(self, s: int, ports) -> tuple[list[int], list[int]]:
        """The distinct jobs owning ``ports`` of switch ``s`` (GPU-facing ones: below gpu_ports),
        in port order, and how many each."""
        if self.n_jobs == 1:  # one job over the whole fleet (the default): no arithmetic needed
            return [0], [ports.size if isinstance(ports, np.ndarray) else 1]
        base, last_job = s * self.G, self.n_jobs - 1
        if isinstance(ports, np.ndarray):
            ids = np.minimum(((base + ports) * self.gpp // self.job_gpus).astype(np.int64), last_job)
            if ids[0] == ids[-1]:  # ids grow with the port: one job
                return [int(ids[0])], [int(ids.size)]
            j, c = np.unique(ids, return_counts=True)
            return j.tolist(), c.tolist()
        return [min(int((base + ports) * self.gpp // self.job_gpus), last_job)], [1]

    def _job_rate(self, j: int) -> float:
        """GPU-hours job ``j`` loses per hour now. Single homing: all its GPUs while stalled, then
        those behind its down ports. Dual homing: its GPUs x the slow-down while a port of it is
        down, and once ``exclude_hours`` have passed the lesser of that and the GPUs behind its down
        ports (an operator drops slow nodes when running without them loses less)."""
        d = self.job_down.get(j, 0)
        if not d:
            return 0.0
        g = self.layout.gpus(j)
        excluded = min(d * self.gpp, g)
        if self.dual:
            if j in self.failing:  # its traffic moves to the other plane: all its GPUs wait
                return g
            slowed = self.slowdown * g
            return slowed if j in self.stalled else min(slowed, excluded)
        return g if j in self.stalled else excluded

    def _jobs_down(self, s: int, ports, planned: bool = False) -> None:
        """Ports of switch ``s`` went down (the clock is advanced): with single homing an unplanned
        outage stalls every running job owning one and interrupts it, unless it was interrupted
        less than ``restart_hours`` ago; a planned one (a drained switch) takes the GPUs and drains
        each job owning one (a ``drain`` in the ledger, with that job's GPUs: it restarts)."""
        ports = self._split(ports, 1)
        if not self.n_jobs or ports is None:
            return
        now = self.env.now
        for j, c in zip(*self._jobs_of(s, ports), strict=True):
            before = self._job_rate(j)
            was_down = self.job_down.get(j, 0)
            self.job_down[j] = was_down + c
            if planned:
                self._event(EventKind.DRAIN, -1, 0.0, self.layout.gpus(j))
            if self.dual and not was_down:  # a path dropped: fail over, then slowed; exclusion
                self.stalls += 1                # possible after exclude_hours
                self.stalled[j] = self.stalls
                self._at(self.exclude, partial(self._exclude, j, self.stalls))
                if self.failover > 0.0:
                    self.failing[j] = self.stalls
                    self._at(self.failover, partial(self._failed_over, j, self.stalls))
            elif not self.dual and not planned and j not in self.stalled:
                self.stalls += 1
                self.stalled[j] = self.stalls
                self._at(self.exclude, partial(self._exclude, j, self.stalls))
                t = self.last_interrupt.get(j)
                if t is None or now - t >= self.restart:
                    self.count["job_interruptions"] += 1
                    self.last_interrupt[j] = now
                    self._event(EventKind.INTERRUPTION, -1, 0.0, self.layout.gpus(j))
            self.lost_rate += self._job_rate(j) - before

    def _jobs_up(self, s: int, ports) -> None:
        """Ports of switch ``s`` came back (the clock is advanced): a stall of their job ends."""
        if ports is None:
            return
        ports = self._split(ports, -1)
        if not self.n_jobs or ports is None:
            return
        for j, c in zip(*self._jobs_of(s, ports), strict=True):
            before = self._job_rate(j)
            d = self.job_down[j] - c
            if d:
                self.job_down[j] = d
            else:
                del self.job_down[j]
                self.stalled.pop(j, None)
                self.failing.pop(j, None)
            self.lost_rate += self._job_rate(j) - before
        if not self.job_down:
            self.lost_rate = 0.0  # no residue of the running sum

    def _failed_over(self, j: int, stall: int, _ev=None) -> None:
        """``failover_hours`` into a path's loss (dual homing): the job runs on the other plane."""
        if self.failing.get(j) != stall:
            return  # its ports came back first (or a later loss is under way)
        self._advance()
        before = self._job_rate(j)
        del self.failing[j]
        self.lost_rate += self._job_rate(j) - before

    def _exclude(self, j: int, stall: int, _ev=None) -> None:
        """``exclude_hours`` into a stall: the job restarts without the nodes behind its down ports."""
        if self.stalled.get(j) != stall:
            return  # its ports came back first (or a later stall is under way)
        self._advance()
        before = self._job_rate(j)
        del self.stalled[j]
        self.lost_rate += self._job_rate(j) - before

