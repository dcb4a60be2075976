"""Which GPUs sit behind the ports and which training jobs they form: the facts the engine's job
accounting and the TCO's goodput share (the ``[fabric]`` table says what an outage does to them).

GPUs are spread evenly over a switch's ports: ``architecture.gpus_per_switch / ports_per_switch``
per port when the architecture says how many GPUs a switch carries, else
``workload.gpus_per_port``. The fleet's GPUs form max(1, floor(GPUs / job_gpus)) jobs over
consecutive ports (a port belongs to the job of its first GPU); every job has ``job_gpus`` GPUs
but the last, which takes the remainder (and the whole fleet when job_gpus exceeds it).
"""

from __future__ import annotations

from dataclasses import dataclass

from fleet_models.model.spec import Architecture, Scenario


def gpus_per_port(scenario: Scenario, arch: Architecture, gpu_ports: int | None = None) -> float:
    """GPUs whose traffic one GPU-facing port of ``arch`` carries (``gpu_ports`` of a switch face
    GPUs; None: all of them)."""
    if arch.gpus_per_switch is not None:
        return float(arch.gpus_per_switch) / (gpu_ports or scenario.fleet.ports_per_switch)
    return float(scenario.workload.gpus_per_port)


def fleet_gpus(scenario: Scenario, arch: Architecture, gpu_ports: int | None = None) -> float:
    ports = scenario.fleet.ports_per_switch if gpu_ports is None else gpu_ports
    return scenario.fleet.switches * ports * gpus_per_port(scenario, arch, gpu_ports)


@dataclass(frozen=True)
class Jobs:
    """The jobs of one architecture's fleet: ``n`` jobs (0: no GPUs or no job) of ``size`` GPUs,
    the last of ``last_size``; port p (numbered switch by switch) belongs to job
    min(floor(p x gpp / size), n - 1)."""

    gpp: float
    n: int
    size: float
    last_size: float

    def gpus(self, job: int) -> float:
        return self.last_size if job == self.n - 1 else self.size


def jobs(scenario: Scenario, arch: Architecture, gpu_ports: int | None = None) -> Jobs:
    """The jobs over the GPU-facing ports (``gpu_ports`` per switch; None: all; 0: none)."""
    gpp = gpus_per_port(scenario, arch, gpu_ports)
    size = float(scenario.workload.job_gpus)
    total = fleet_gpus(scenario, arch, gpu_ports)
    if gpp <= 0 or size <= 0 or total <= 0:
        return Jobs(gpp, 0, size, 0.0)
    n = max(1, int(total // size))
    return Jobs(gpp, n, size, total - (n - 1) * size)
