"""The options every command shares, each declared once (in the manner of sqlite-utils' option
groups): ``--json``, the SCENARIO argument, and the run option group that every command which
simulates takes, added to a command by :func:`run_options` and handed to it as one
:class:`RunOptions`.

Only typer is imported here: `cpo --help` stays fast.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

JSON_OUTPUT = typer.Option(
    False, "--json", help="Write one JSON document to stdout and nothing else (messages go to stderr).")

SCENARIO = typer.Argument(
    None, help="Scenario TOML file (see `cpo scenario init`) or a built-in scenario's name (`cpo "
    "scenario list`); omit it for the built-in default scenario.", show_default=False)

BASELINE = typer.Option(None, "--baseline", "-b", help="Architecture the others are compared with "
                        "(default: the scenario's first).")


@dataclass(frozen=True)
class RunOptions:
    """How a command runs its simulations: what the run option group's flags say."""

    replications: int | None = None
    seed: int | None = None
    workers: int | None = None
    dask: str | None = None
    quiet: bool = False
    force: bool = False
    engine: str = "auto"


_RUN_OPTIONS: dict[str, tuple[Any, Any]] = {  # name -> (annotation, typer default)
    "replications": (int | None, typer.Option(
        None, "--replications", "-n", min=1,
        help="Replications per architecture (default: the scenario's `replications`).")),
    "seed": (int | None, typer.Option(None, "--seed", min=0,
                                      help="Seed of the run (default: the scenario's `seed`).")),
    "workers": (int | None, typer.Option(
        None, "--workers", "-w", min=1, help="Worker processes (default: min(CPUs, 2); 1 runs in "
        "this process). Results do not depend on it.")),
    "dask": (str | None, typer.Option(
        None, "--dask", metavar="ADDRESS", help="Run the replications on a Dask cluster: its "
        "scheduler's address (tcp://HOST:8786, from `dask scheduler`; workers join with `dask "
        "worker ADDRESS` and need this cpo-analyzer installed), or `local` for a cluster of "
        "--workers processes on this machine. Results do not depend on it.")),
    "quiet": (bool, typer.Option(False, "--quiet", "-q", help="No progress bar or messages.")),
    "force": (bool, typer.Option(False, "--force", help="Start a run larger than the cap on "
                                 "expected failure events (fleet_models.runs.estimate.MAX_FAILURES) "
                                 "anyway.")),
    "engine": (str, typer.Option(
        "auto", "--engine", help="Simulation engine: fast (compiled with numba), des (SimPy, the "
        "reference semantics), or auto: fast when it models the scenario, else des (saying why on "
        "stderr).", case_sensitive=False)),
}


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the run option group: its parameter ``run: RunOptions`` becomes the flags
    ``--replications --seed --workers --dask --quiet --force --engine`` on the command line, and
    the command receives them as one :class:`RunOptions`."""
    sig = inspect.signature(func, eval_str=True)
    params = list(sig.parameters.values())
    names = [p.name for p in params]
    if "run" not in names:
        raise TypeError(f"{func.__name__} takes no `run: RunOptions` parameter")
    i = names.index("run")
    group = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=tp)
             for name, (tp, default) in _RUN_OPTIONS.items()]
    rest = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params[i + 1:]]
    new = [*params[:i], *group, *rest]

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _RUN_OPTIONS}
        values["engine"] = str(values["engine"]).lower()
        return func(*args, run=RunOptions(**values), **kwargs)

    command.__signature__ = sig.replace(parameters=new)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in new}
    return command


def output_file(flag: str, help: str, short: str | None = None) -> Any:
    """An option naming an output file (never a folder)."""
    names = (flag, short) if short else (flag,)
    return typer.Option(None, *names, dir_okay=False, help=help)


SAVED_RUN = typer.Option(
    None, "--from", file_okay=False, metavar="DIR",
    help="Re-price or re-report the run saved in DIR by `cpo simulate --out DIR` instead of "
    "simulating: with a SCENARIO too, priced with that scenario's prices (its engine inputs must be "
    "the run's; anything else needs a new run).")


def is_path(value: Path | None) -> bool:
    """Whether a SCENARIO argument names a file that exists (not a built-in's name)."""
    return value is not None and value.is_file()
