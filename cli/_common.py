"""What every command shares: domain errors -> exit 1 in one place, JSON to stdout, messages to stderr.

Exit codes: 0 success, 1 domain error (bad data, bad scenario, a fit that cannot
be made: one clear message, no traceback), 2 usage error (typer/click).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import typer

from failure_data.errors import DataError
from fleet_models.errors import FleetError
from reliability.errors import ReliabilityError

DOMAIN_ERRORS = (DataError, ReliabilityError, FleetError)


def check_output_folder(path: Path | None, flag: str) -> None:
    """Refuse, before any work is done, an output file whose folder does not exist."""
    if path is not None and not path.parent.is_dir():
        raise typer.BadParameter(
            f"{str(path)!r}: the folder {str(path.parent)!r} does not exist; create it first "
            f"(mkdir -p {shlex.quote(str(path.parent))}) or write somewhere else", param_hint=flag,
        )


def refuse_writing_over_inputs(inputs: Iterable[Path | None],
                               outputs: Mapping[str, Path | Iterable[Path] | None]) -> None:
    """Refuse, before any work is done, an output that is one of the command's inputs (the same
    file by another name too: a link, ``./x``): writing it would destroy what the command reads.
    ``inputs`` are files, or folders whose files are all inputs (``--from DIR``); ``outputs``
    maps each output flag to the file(s) it writes."""
    files: list[Path] = []
    for p in inputs:
        if p is None or not p.exists():
            continue
        files += sorted(q for q in p.iterdir() if q.is_file()) if p.is_dir() else [p]
    for flag, outs in outputs.items():
        if outs is None:
            continue
        for out in ([outs] if isinstance(outs, Path) else outs):
            for src in files:
                if _same_file(out, src):
                    raise typer.BadParameter(
                        f"{str(out)!r} is the input {str(src)!r}: writing it would overwrite what "
                        "this command reads; write somewhere else", param_hint=flag)


def scenario_inputs(scenario: Path | None) -> list[Path]:
    """The files a SCENARIO argument reads: the scenario file and the life-model files it names
    (``life = { model = "laser.json" }``, relative to it); nothing for a built-in's name. An
    unreadable file yields just itself (reading it will say what is wrong)."""
    if scenario is None or not scenario.is_file():
        return []
    import tomllib

    try:
        raw = tomllib.loads(scenario.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return [scenario]
    found: list[Path] = [scenario]

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if isinstance(x.get("model"), str):
                found.append(scenario.parent / x["model"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(raw)
    return found


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def resolve_scenario(name: str | Path | None):
    """A SCENARIO argument: a scenario file if one exists there, else a built-in scenario's name
    (`cpo scenario list`), else the built-in default when omitted; anything else is refused."""
    from fleet_models.builtins.scenarios import builtin_scenarios, default_scenario
    from fleet_models.errors import ScenarioError
    from fleet_models.scenario.read import load_scenario

    if name is None:
        return default_scenario()
    path = Path(name)
    if path.exists() or path.suffix.lower() == ".toml":
        return load_scenario(path)
    scenarios = builtin_scenarios()
    if str(name) in scenarios:
        return scenarios[str(name)]
    import difflib

    near = difflib.get_close_matches(str(name), list(scenarios), n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ScenarioError(
        f"{str(name)!r} is neither a scenario file nor a built-in scenario{hint}: built-ins are "
        f"{', '.join(scenarios)}; see `cpo scenario list`, or write a file with "
        "`cpo scenario init -o my.toml`"
    )


def console(stderr: bool = False):
    """The rich console every table goes through. Markup is off: names, values and messages come
    from the user's files, and ``laser[1]`` must print as written, never as a style tag. A cell
    too wide for its column on a narrow terminal folds onto more lines instead of being cut with
    an ellipsis ("2,995…" would lose the figure's digits)."""
    from rich.console import Console

    class _Safe(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            super().print(*(for_terminal(o) for o in objects), **kwargs)

    return _Safe(markup=False, stderr=stderr)


def for_terminal(renderable: Any) -> Any:
    """What a table or a line shows, safe on a terminal: every string in it with its control
    characters as escapes (a name holding ESC would recolour the terminal, retitle its window or
    clear it: failure_data.words.printable), and a rich Table whose columns would cut an
    overlong cell with an ellipsis folding it instead (whole figures and names on a narrow
    terminal)."""
    from rich.table import Table
    from rich.text import Text

    from failure_data.words import printable

    if isinstance(renderable, str):
        return printable(renderable)
    if isinstance(renderable, Text):
        safe = printable(renderable.plain)
        return renderable if safe == renderable.plain else Text(safe, style=renderable.style)
    if isinstance(renderable, Table):
        renderable.title = for_terminal(renderable.title)
        renderable.caption = for_terminal(renderable.caption)
        for column in renderable.columns:
            if column.overflow == "ellipsis":
                column.overflow = "fold"
            column.header = for_terminal(column.header)
            column._cells = [for_terminal(c) for c in column._cells]
    return renderable


def err(message: str) -> None:
    """A message for the human: always stderr, so `--json` keeps stdout clean; a name's control
    characters shown as escapes, never acted on by the terminal."""
    from failure_data.words import printable

    print(printable(message), file=sys.stderr)


# How the CLI spells the hints library messages leave for their caller (failure_data.errors.option):
# the one place where a library keyword becomes a flag or a command.
CLI_WORDS: dict[str, str] = {
    "dist": "--dist", "form": "--form ", "modes": "--modes", "prior": "--prior", "doa": "--doa",
    "doa_hours": "--doa-hours", "time_unit": "--time-unit", "as_of": "--as-of", "component": "--component",
    "shape": "--shape", "device_hours": "--device-hours", "unit_hours": "--unit-hours", "failures": "--failures",
    "confidence": "--confidence", "target_fit": "--target-fit", "units": "--units",
    "units_per_switch": "--units-per-switch", "switches": "--switches",
    "replications": "--replications", "seed": "--seed", "force": "--force",
    "engine": "--engine", "workers": "--workers", "dask": "--dask",
    "bound": "`cpo bound`", "fit": "`cpo fit`", "save": "`cpo fit FILE --save MODEL.json`",
    "catalog": "`cpo scenario catalog`", "init": "`cpo scenario init`",
    "vary": "--vary", "between": "--between", "against": "--against", "sweep": "`cpo sweep`",
    "method": "--method", "stress": "--stress", "by": "--by",
}


def in_cli_words(x: Any) -> Any:
    """A message (or a JSON payload's strings) with every library hint in the CLI's words."""
    from failure_data.errors import in_words

    if isinstance(x, str):
        return in_words(x, CLI_WORDS)
    if isinstance(x, dict):
        return {k: in_cli_words(v) for k, v in x.items()}
    if isinstance(x, list):
        return [in_cli_words(v) for v in x]
    return x


@contextlib.contextmanager
def domain_errors(json_output: bool = False) -> Iterator[None]:
    """Turn any domain error raised inside into one message on stderr and exit 1.

    With ``json_output`` a validation failure is also written to stdout as JSON
    (``{"error": ..., "problems": [...]}``; data problems name line and column,
    scenario problems the field path) so scripts can read every problem. Hints the
    library left for its caller are written as this CLI's flags and commands.
    """
    try:
        yield
    except DOMAIN_ERRORS as e:
        text = in_cli_words(e.raw)
        if json_output:
            payload: dict[str, Any] = {"error": text.splitlines()[0] if text else type(e).__name__}
            problems = getattr(e, "problems", None)
            if problems:  # DataValidationError (line, column, ...) or ScenarioError (field, ...)
                payload["problems"] = in_cli_words([p.to_dict() for p in problems])
            emit_json(payload)
        err(f"Error: {text}")
        raise typer.Exit(1) from None


def return_freed_memory() -> None:
    """Hand large freed buffers back to the system at once, so that the peak memory of a command
    that reads a large log is what it holds, not what it held and freed. Process-wide settings:
    the CLI process is ours to set (the library leaves the allocators alone).

    * Arrow allocates through malloc in this process; its default pool (mimalloc) keeps freed
      buffers, ~20 MB more peak memory when `cpo fit` reads a million-row log.
    * glibc's malloc serves a block of 1 MiB or more from its own mapping, unmapped when it is
      freed. By default that threshold rises to the size of the largest block freed so far, after
      which the million-row arrays the checks make and drop (8 MB each) stay in the heap: ~30 MB
      more peak memory. Elsewhere (no glibc ``mallopt``) nothing is changed.
    """
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS; Windows has no CDLL(None))
        return
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


M_MMAP_THRESHOLD = -3  # glibc malloc.h; setting it also stops the threshold's dynamic rise
MMAP_THRESHOLD_BYTES = 1 << 20


def import_in_background(*modules: str) -> Callable[[], None]:
    """Start importing ``modules`` (in order) in a thread; call the returned function to wait.

    `cpo fit` spends about a second importing scipy.stats and lifelines and about
    as long reading a large log, mostly inside pyarrow, which releases the GIL,
    so the two overlap. numpy, pandas and pyarrow are imported here first, in
    the calling thread, so the two threads never import the same heavy package at
    once. If the background import fails, waiting does nothing and the caller's
    own import raises the error as usual.
    """
    import importlib
    import threading

    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    def target() -> None:
        for module in modules:
            with contextlib.suppress(Exception):
                importlib.import_module(module)

    thread = threading.Thread(target=target, name=f"import {', '.join(modules)}", daemon=True)
    thread.start()
    return thread.join


def _default(o: Any) -> Any:
    try:
        import numpy as np

        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _finite(x: Any) -> Any:
    """JSON has no inf/nan: write them as null (strict JSON parsers refuse Infinity)."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    return x


def to_json(obj: Any) -> str:
    return json.dumps(_finite(json.loads(json.dumps(obj, default=_default))), indent=2)


def emit_json(obj: Any) -> None:
    """Write one JSON document to stdout (numpy scalars converted; inf/nan as null)."""
    sys.stdout.write(to_json(obj) + "\n")


def say_if_compiling(quiet: bool) -> None:
    """The first run after an install or upgrade compiles the fast engine (tens of seconds, once):
    say so on stderr rather than sit silent. Nothing when it is cached or with --quiet."""
    if quiet:
        return
    from fleet_models.engines.fast import engine as fast_engine
    from fleet_models.engines.fast.jit import numba

    if numba is not None and not fast_engine.compiled():
        err("compiling the fast engine: once after an install or upgrade, about a minute; "
            f"then cached in {fast_engine.cache_dir()}")
