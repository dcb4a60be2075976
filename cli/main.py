"""The `cpo` command: a Typer app whose commands live in one module per layer.

Each command module exposes ``register(app)`` and imports only typer at module
level; pandas, lifelines, scipy and simpy are imported inside the commands that
use them, so `cpo --help` answers fast.
"""

from __future__ import annotations

import sys

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


def _flags_read_as_flags() -> None:
    """A flag's help row shows no value: typer 0.29 writes every option's type, a flag's as
    ``<bool>`` (`--json <bool>`), which reads as if a value were needed."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "flags_read_as_flags", False):
        return

    def display_type_rich(self: TyperOption, ctx: object) -> str | None:
        return None if getattr(self, "is_flag", False) else shown(self, ctx)  # type: ignore[arg-type]

    display_type_rich.flags_read_as_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_read_as_flags()

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
    place only when complete). The status is the command's: see :func:`_exit`."""
    install_ctrl_c()
    writable_matplotlib_config()
    try:
        app()
    except Interrupted:
        _stop()
    except SystemExit as e:  # click ends every command, success or not, with sys.exit
        _exit(_status(e.code))
    _exit(0)


def writable_matplotlib_config() -> None:
    """Give matplotlib a writable folder for its configuration and font cache when the home
    directory has none (no HOME, a read-only or missing one): else every command that draws says
    two lines of warnings on stderr, even with --quiet, makes a new temporary folder each run and
    rebuilds its font cache there (seconds). The folder is one per user under the temporary
    directory, kept between runs. Nothing is changed when MPLCONFIGDIR is set or the default
    is writable."""
    import os
    import tempfile
    from pathlib import Path

    if os.environ.get("MPLCONFIGDIR"):
        return
    try:
        default = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "matplotlib"
    except (RuntimeError, KeyError):  # no home directory at all
        default = None
    if default is not None and _can_write(default):
        return
    try:
        uid = os.getuid() if hasattr(os, "getuid") else 0
        folder = Path(tempfile.gettempdir()) / f"cpo-analyzer-matplotlib-{uid}"
        folder.mkdir(mode=0o700, exist_ok=True)
    except (OSError, FileNotFoundError):
        return  # matplotlib makes its own temporary folder (and says so)
    if os.access(folder, os.W_OK):
        os.environ["MPLCONFIGDIR"] = str(folder)


def _can_write(folder: object) -> bool:
    """Whether ``folder`` is writable, or could be made (its nearest existing parent is a
    writable folder), without making it."""
    import os
    from pathlib import Path

    p = Path(str(folder))
    while not p.exists():
        if p.parent == p:
            return False
        p = p.parent
    return p.is_dir() and os.access(p, os.W_OK | os.X_OK)


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # what sys.exit("text") prints
    return 1


def _exit(code: int) -> None:
    """End the process with ``code`` once the command has said everything it had to say: the
    Python side shuts down as it always does (non-daemon threads joined, the thread-exit hooks
    of process pools, every atexit handler, stdout and stderr flushed), then the process ends
    without the interpreter's native teardown.

    That teardown is where a correct run could still die with SIGABRT (exit -6) after its
    message: the C++ destructors of native libraries run while their own threads are alive
    (pyarrow's CPU and I/O pools and jemalloc's background thread after a Parquet read:
    ``std::terminate`` on a joinable ``std::thread``, apache/arrow#34314), and `cpo fit`'s
    background import of scipy and lifelines may still be running in its daemon thread when a
    bad log is refused at once. Both need a loaded machine to lose the race, hence "now and
    then". Nothing is lost by skipping it: every output is written and renamed into place
    before here, and files are closed by the code that wrote them."""
    import atexit
    import os
    import threading

    try:
        shutdown = getattr(threading, "_shutdown", None)  # what Py_Finalize calls first
        if shutdown is not None:
            shutdown()
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (`cpo ... | head`): nothing to add
                pass
        os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
