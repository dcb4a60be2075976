"""The `cpo` command: a Typer app whose commands live in one module per layer.

Each command module exposes ``register(app)`` and imports only typer at module
level; pandas, lifelines, scipy and simpy are imported inside the commands that
use them, so `cpo --help` answers fast.
"""

from __future__ import annotations

import typer

from cli import (
    data_cmd,
    decide_cmd,
    fleet_cmd,
    growth_cmd,
    reliability_cmd,
    report_cmd,
    scenario_cmd,
)

app = typer.Typer(
    name="cpo",
    help=(
        "cpo-analyzer: are co-packaged optics ready for your AI fabric? Validate field "
        "failure logs, fit life models, bound zero-failure pilots, and simulate pluggable "
        "vs CPO fleets (availability, service events, job interruptions, cost)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"cpo-analyzer {version('cpo-analyzer')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """cpo-analyzer command line."""


for _module in (data_cmd, reliability_cmd, growth_cmd, scenario_cmd, fleet_cmd, decide_cmd, report_cmd):
    _module.register(app)


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which click turns into "Aborted!" and exit 1: this one
    reaches :func:`main`, past every ``except Exception``, so the run stops where it is."""


WATCHDOG_S = 1.5
"""After a Ctrl-C, the seconds the run has to reach :func:`main` before it is ended from a
thread: the exception may be lost (raised inside a library's garbage-collector callback or
``__del__``, where Python prints and ignores it; Dask's start-up does this)."""

_watchdog: list[object] = []  # the thread, once armed


def _interrupt(_signum: int, _frame: object) -> None:
    if not _watchdog:
        import threading

        t = threading.Thread(target=_stop_after, args=(WATCHDOG_S,), name="cpo-ctrl-c", daemon=True)
        _watchdog.append(t)
        t.start()
    raise Interrupted


def install_ctrl_c() -> None:
    """Ctrl-C (SIGINT) raises :class:`Interrupted` and arms the watchdog (:data:`WATCHDOG_S`).
    Where Python ignores the exception (a callback's), it says nothing of it: the watchdog ends
    the run with the one line."""
    import signal
    import sys

    signal.signal(signal.SIGINT, _interrupt)
    default = sys.unraisablehook

    def hook(unraisable: object) -> None:
        if not isinstance(getattr(unraisable, "exc_value", None), Interrupted):
            default(unraisable)

    sys.unraisablehook = hook


def _stop_after(seconds: float) -> None:
    import time

    time.sleep(seconds)
    _stop()


_stopping: list[int] = []


def _stop() -> None:
    """End the run after Ctrl-C: unfinished outputs removed, worker processes ended, one line,
    exit 130. From the main thread (the exception arrived) or the watchdog (it did not)."""
    import os
    import sys

    if _stopping:  # the other thread is already at it (it exits the process)
        return
    _stopping.append(1)
    from failure_data.files import remove_unfinished

    remove_unfinished()
    if "fleet_models.runs.parallel" in sys.modules:
        sys.modules["fleet_models.runs.parallel"].stop_restarting()
    _end_children()
    print("interrupted (Ctrl-C); nothing more was written", file=sys.stderr, flush=True)
    sys.stdout.flush()
    # not sys.exit: its atexit handlers join the process pool's manager thread, which can wait
    # on the workers just ended; every output is complete or absent (renamed into place)
    os._exit(130)


def _end_children(settle_s: float = 0.5) -> None:
    """Terminate and reap every child process; again while new ones appear (a Dask cluster
    starts its workers from a thread of its own), for at most ``settle_s`` more seconds."""
    import multiprocessing
    import time

    deadline = time.monotonic() + settle_s
    while True:
        children = multiprocessing.active_children()
        for child in children:
            child.terminate()
        for child in children:
            child.join(timeout=2)  # reaped here, not left to whoever adopts them
        if not children or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def main() -> None:
    """The `cpo` entry point: exit codes 0 ok, 1 domain error, 2 usage, 130 interrupted (Ctrl-C:
    one line on stderr, worker processes ended, no output half-written: outputs are renamed into
    place only when complete)."""
    install_ctrl_c()
    try:
        app()
    except Interrupted:
        _stop()


if __name__ == "__main__":  # pragma: no cover
    main()
