"""The `cpo` command: a Typer app whose commands live in one module per layer.

Each command module exposes ``register(app)`` and imports only typer at module
level; pandas, lifelines, scipy and simpy are imported inside the commands that
use them, so `cpo --help` answers fast.
"""

from __future__ import annotations

import typer

from cli import data_cmd, decide_cmd, fleet_cmd, reliability_cmd, report_cmd, scenario_cmd

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


for _module in (data_cmd, reliability_cmd, scenario_cmd, fleet_cmd, decide_cmd, report_cmd):
    _module.register(app)


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which click turns into "Aborted!" and exit 1: this one
    reaches :func:`main`, past every ``except Exception``, so the run stops where it is."""


def _interrupt(_signum: int, _frame: object) -> None:
    raise Interrupted


def main() -> None:
    """The `cpo` entry point: exit codes 0 ok, 1 domain error, 2 usage, 130 interrupted (Ctrl-C:
    one line on stderr, worker processes ended, no output half-written: outputs are renamed into
    place only when complete)."""
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except Interrupted:
        import multiprocessing

        children = multiprocessing.active_children()
        for child in children:
            child.terminate()
        for child in children:
            child.join(timeout=2)  # reaped here, not left to whoever adopts them
        print("interrupted (Ctrl-C); nothing more was written", file=sys.stderr, flush=True)
        sys.stdout.flush()
        # not sys.exit: its atexit handlers join the process pool's manager thread, which can wait
        # on the workers just ended; every output is complete or absent (renamed into place)
        os._exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
