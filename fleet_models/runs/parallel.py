"""Where replications run: this process, local worker processes, or a Dask cluster.

:func:`open_workers` chooses, in one place, from the two things a user says (a worker count
and a Dask address) and yields a :class:`Workers`: a ``concurrent.futures.Executor``-like
object (``submit`` returning futures) with how many tasks it runs at once. The runner
(:func:`fleet_models.runs.runner.run`) and the decisions (sweeps, tornados, break-even, pilots)
submit their chunks of replications through it, so a command opens its workers once and every
point of a sweep reuses them.

Results never depend on the choice: replication i of an architecture is seeded from (seed, i,
component) only, and the runner sorts what comes back.

- ``dask=None``, ``workers=1``: this process (no pickling, no pool).
- ``dask=None``, ``workers=N``: N local processes (:func:`process_pool`).
- ``dask="local"``: a ``distributed.LocalCluster`` of ``workers`` single-threaded worker
  processes started here and stopped at the end.
- ``dask="tcp://host:8786"`` (or ``host:8786``): the scheduler of a running cluster
  (``dask scheduler``, then ``dask worker tcp://host:8786`` on each machine); its workers
  need this version of cpo-analyzer installed. ``Client.get_executor()`` is the executor.

A scheduler that cannot be reached, a cluster without workers or with another version of
cpo-analyzer, and a cluster lost during a run are :class:`ClusterError`: one message naming
the address and the fix.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from failure_data.errors import option
from fleet_models.errors import FleetError

CONNECT_TIMEOUT_S = 10.0
"""How long to wait for a Dask scheduler to answer, and then for its first worker."""


class ClusterError(FleetError):
    """A Dask cluster that cannot be reached, has no usable worker, or was lost during a run."""


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 2))


class InProcess(Executor):
    """An executor that runs each task at once in this process (``workers = 1``): the same code
    path as a pool, without pickling. Ctrl-C (a BaseException) is not caught: it stops the run."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001 - delivered through the future, as a pool does
            fut.set_exception(e)
        return fut


@dataclass
class Workers:
    """An executor and what the runner needs to know about it.

    ``slots``: tasks that run at once (the runner cuts replications into about 4 chunks per
    slot); ``where``: words for messages ("local processes", "the Dask cluster at tcp://...");
    ``address``: the Dask scheduler's address, if any."""

    executor: Executor
    slots: int
    where: str
    address: str | None = None
    _lost: tuple[type[BaseException], ...] = field(default=(), repr=False)

    def result(self, fut: Future) -> Any:
        """The future's result; a lost worker or cluster becomes one :class:`ClusterError`."""
        try:
            return fut.result()
        except self._lost as e:
            raise self.lost(e) from None

    def lost(self, e: BaseException) -> ClusterError:
        if self.address is None:
            return ClusterError(
                f"a worker process died during the run ({type(e).__name__}: {e}); it may have "
                f"run out of memory: run again with fewer {option('workers')} or fewer replications")
        return ClusterError(
            f"lost the Dask cluster at {self.address} during the run ({type(e).__name__}"
            f"{': ' + str(e) if str(e) else ''}); check that its scheduler and workers are up (`dask scheduler`, "
            f"`dask worker {self.address}`) and run again, or run on this machine without "
            f"{option('dask')}")


@contextmanager
def open_workers(workers: int | None = None, dask: str | None = None) -> Iterator[Workers]:
    """The one place that turns (``workers``, ``dask``) into an executor; see the module
    docstring. ``workers`` defaults to min(CPUs, 2); with a remote cluster it is ignored (the
    cluster has the workers it has)."""
    if workers is not None and not (isinstance(workers, int) and workers >= 1):
        raise FleetError(f"workers = {workers!r} must be an integer >= 1")
    n = default_workers() if workers is None else workers
    if dask is None:
        if n == 1:
            yield Workers(InProcess(), 1, "this process")
            return
        from concurrent.futures.process import BrokenProcessPool

        with process_pool(n) as pool:
            yield Workers(pool, n, "local processes", _lost=(BrokenProcessPool,))
        return
    with _dask(dask.strip(), n) as w:
        yield w


def _ignore_ctrl_c() -> None:
    """A worker's initializer: Ctrl-C is the parent's to handle (it ends the workers); a worker
    that took it too would print its own traceback, between chunks or waiting for one."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool that, when the block is left by an exception (Ctrl-C included), cancels the
    chunks not started and ends its workers at once instead of waiting for every queued chunk.
    Its workers ignore Ctrl-C (:func:`_ignore_ctrl_c`)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_ctrl_c)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
        raise
    else:
        pool.shutdown(wait=True)


def _fix(address: str) -> str:
    return (f"start a scheduler there with `dask scheduler` and workers with `dask worker "
            f"{address}`, check the address (tcp://HOST:8786), or use {option('dask')} local (a "
            f"cluster on this machine) or no {option('dask')} (local processes)")


@contextmanager
def _dask(address: str, n: int) -> Iterator[Workers]:
    try:
        import distributed
        from distributed import Client
    except ImportError as e:  # pragma: no cover - a dependency
        raise ClusterError(f"{option('dask')} needs the package distributed ({e}); install it with "
                           "`pip install 'dask[distributed]'`") from None
    import logging

    lost: tuple[type[BaseException], ...] = (OSError, TimeoutError, distributed.comm.CommClosedError,
                                             distributed.KilledWorker, _cancelled())
    local = address.lower() == "local"
    if not local:
        from distributed.comm.addressing import get_address_host_port, parse_address

        try:  # before a Client exists: one that fails half-built hangs on exit
            if parse_address(address)[0] != "inproc":  # a cluster inside this process has no port
                get_address_host_port(address)
        except ValueError as e:
            raise ClusterError(f"{option('dask')} {address!r} is not a scheduler address ({e}); give it as "
                               f"tcp://HOST:PORT (a scheduler listens on 8786 by default), or "
                               "`local`") from None
    interrupted = False
    cluster = client = None
    try:
        if local:
            with _ctrl_c_held():
                cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                   dashboard_address=None, silence_logs=logging.ERROR)
            where, shown = "a local Dask cluster", "local"
        else:
            where, shown = f"the Dask cluster at {address}", address
        try:
            client = Client(cluster if cluster is not None else address,
                            timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"cannot reach a Dask scheduler at {option('dask')} {address} "
                               f"({type(e).__name__}: {e}); {_fix(address)}") from None
        _check_workers(client, shown)
        slots = max(1, sum(client.nthreads().values()))
        executor = client.get_executor(pure=False)  # chunks are not deduplicated by content
        try:
            yield Workers(executor, slots, where, address=shown, _lost=lost)
        except BaseException as e:
            interrupted = not isinstance(e, Exception)  # Ctrl-C: leave at once, the CLI ends it all
            if not interrupted:
                executor.shutdown(wait=False)  # cancel what is still queued on the cluster
            raise
    finally:
        if not interrupted:
            if client is not None:
                client.close(timeout=2)
            if cluster is not None:
                cluster.close(timeout=5)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C blocked in this thread while a local cluster starts. The threads it starts, and the
    worker processes they start (now, or when a nanny restarts one), inherit the block: a Ctrl-C
    at the terminal, sent to every process of its group, then reaches this process alone (once
    the block ends), and no half-started worker prints a traceback of its own; the CLI ends the
    workers. multiprocessing's resource tracker is started first: starting it unblocks Ctrl-C
    in the thread that does. Where threads have no signal mask (Windows) nothing changes."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def stop_restarting() -> None:
    """Ctrl-C: the Dask nannies of this process (a ``--dask local`` cluster's) stop restarting
    the workers about to be ended, which would otherwise start again while the CLI ends them and
    print their own tracebacks. Best effort: nothing happens where distributed is not loaded."""
    import sys

    nanny = sys.modules.get("distributed.nanny")
    for n in list(getattr(getattr(nanny, "Nanny", None), "_instances", ())):
        try:
            n.close_gracefully(reason="cpo-ctrl-c")
        except Exception:  # noqa: BLE001 - a nanny half built or closed: it is ended anyway
            pass


def _cancelled() -> type[BaseException]:
    from concurrent.futures import CancelledError

    return CancelledError


def _check_workers(client: Any, address: str) -> None:
    """At least one worker, each with this version of cpo-analyzer importable."""
    from importlib.metadata import version

    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler at {address} has no workers (waited "
                           f"{CONNECT_TIMEOUT_S:g} s); start some with `dask worker {address}`") from None
    mine = version("cpo-analyzer")

    def probe() -> str:  # a closure: sent by value, so it runs where cpo-analyzer is missing too
        try:
            from importlib.metadata import version as v

            import fleet_models.engines.registry  # noqa: F401

            return v("cpo-analyzer")
        except Exception as e:  # noqa: BLE001 - reported below
            return f"missing ({type(e).__name__}: {e})"

    found = client.run(probe)
    bad = {w: v for w, v in found.items() if v != mine}
    if bad:
        listed = "; ".join(f"{w}: {v}" for w, v in sorted(bad.items()))
        raise ClusterError(f"Dask workers at {address} do not have cpo-analyzer {mine} (this "
                           f"one): {listed}; install this version in every worker's environment "
                           "(`pip install -e .` of this checkout) and restart the workers")
