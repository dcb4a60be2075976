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


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
