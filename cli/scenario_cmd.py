"""`cpo scenario list|show|init|schema|catalog`: the scenario format, the built-ins and the catalog behind them."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from cli._common import console, domain_errors, emit_json
from cli.options import JSON_OUTPUT
from failure_data.numbers import number, percent

scenario_app = typer.Typer(
    help="Scenarios: list the built-ins, show one fully resolved, write a starting file, "
    "browse the catalog of published figures the defaults come from.",
    no_args_is_help=True,
)

@scenario_app.command("list")
def list_cmd(json_output: bool = JSON_OUTPUT) -> None:
    """List the built-in scenarios and architectures with one-line descriptions."""
    with domain_errors(json_output):
        from fleet_models.builtins.scenarios import (
            SCENARIO_DESCRIPTIONS,
            builtin_architectures,
            builtin_scenarios,
        )

        scenarios = builtin_scenarios()
        archs = builtin_architectures()
        doc = {
            "scenarios": [
                {"name": n, "description": SCENARIO_DESCRIPTIONS.get(n, ""),
                 "switches": s.fleet.switches, "ports_per_switch": s.fleet.ports_per_switch,
                 "horizon_hours": s.horizon_hours,
                 "architectures": [a.name for a in s.architectures]}
                for n, s in scenarios.items()
            ],
            "architectures": [
                {"name": n, "description": a.description,
                 "components": [c.name for c in a.components]}
                for n, a in archs.items()
            ],
        }
        if json_output:
            emit_json(doc)
            return
        from rich.table import Table

        out = console()
        t = Table(title="Built-in scenarios (`cpo scenario show NAME`)")
        t.add_column("name", style="bold")
        t.add_column("description")
        for row in doc["scenarios"]:
            t.add_row(row["name"], row["description"])
        out.print(t)
        t = Table(title="Built-in architectures (use as `base = \"NAME\"`)")
        t.add_column("name", style="bold")
        t.add_column("components")
        t.add_column("description")
        for row in doc["architectures"]:
            t.add_row(row["name"], ", ".join(row["components"]), row["description"])
        out.print(t)


def _resolve(name: str):
    from cli._common import resolve_scenario

    return resolve_scenario(name)


@scenario_app.command("show")
def show_cmd(
    name: str = typer.Argument(..., help="A built-in scenario name (`cpo scenario list`) or a TOML file."),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """Print a scenario fully resolved: every field, every default filled in, with its catalog
    source, and per architecture the events a port sees a year and the share that replaces the
    switch."""
    with domain_errors(json_output):
        from fleet_models.builtins.provenance import field_comments
        from fleet_models.engines.rates import architecture_rates, event_rates
        from fleet_models.scenario.write import scenario_to_dict, scenario_to_toml

        scenario = _resolve(name)
        comments = dict(field_comments(scenario))
        rates = architecture_rates(scenario)
        for i, r in enumerate(rates.itertuples(index=False)):
            comments[f"architectures[{i}].name"] = (
                f"{number(r.events, 3)} events per port-year, {number(r.hardware, 3)} of them replace "
                f"a part or the switch, {percent(r.replace_switch_share)} replace the switch "
                "(renewal rates over the horizon, before repairs)")
        if json_output:
            emit_json({"scenario": scenario_to_dict(scenario), "comments": comments,
                       "event_rates": rates.to_dict(orient="records"),
                       "component_event_rates": event_rates(scenario).to_dict(orient="records")})
            return
        sys.stdout.write(scenario_to_toml(scenario, comments))


@scenario_app.command("init")
def init_cmd(
    output: Path = typer.Option(..., "-o", "--output", help="The scenario file to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Write a commented starting scenario that documents every field (and validates as it is)."""
    with domain_errors():
        from fleet_models.errors import ScenarioError
        from fleet_models.scenario.docs import starter_toml

        if output.exists() and not force:
            raise ScenarioError(f"{str(output)!r} exists; choose another name or pass --force to overwrite it")
        try:
            from failure_data.files import write_text_atomic

            write_text_atomic(output, starter_toml())
        except OSError as e:
            raise ScenarioError(f"cannot write {str(output)!r}: {e.strerror}") from None
        print(f"wrote {output}; check it with `cpo scenario show {output}`", file=sys.stderr)


@scenario_app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of scenario files, for editors that complete and check TOML (save it,
    then put `#:schema ./cpo-scenario.schema.json` on a scenario's first line for Taplo)."""
    from fleet_models.scenario.docs import json_schema

    emit_json(json_schema())


@scenario_app.command("catalog")
def catalog_cmd(
    key: str = typer.Argument(None, help="One catalog key to show in full; all entries if omitted."),
    json_output: bool = JSON_OUTPUT,
) -> None:
    """List the catalog of published figures (value, unit, source, confidence) the defaults cite."""
    with domain_errors(json_output):
        from failure_data.catalog import Confidence, _fig_text, get, load_catalog

        entries = [get(key)] if key else list(load_catalog().values())
        docs = [e.to_dict() for e in entries]
        if json_output:
            emit_json(docs[0] if key else {"entries": docs})
            return
        from rich.table import Table

        out = console()
        if key:
            t = Table(title=f"catalog entry {key}", show_header=False)
            t.add_column("field", style="bold")
            t.add_column("value")
            for k, v in docs[0].items():
                if k == "items":
                    v = "; ".join(f"{name} {_fig_text(f)}" for name, f in entries[0].items.items())
                if v not in (None, "", [], {}):
                    t.add_row(k, _text(v))
            out.print(t)
            return
        t = Table(title="Catalog of published figures (`cpo scenario catalog KEY` for one)")
        t.add_column("key", no_wrap=True, style="bold")
        t.add_column("value")
        t.add_column("unit")
        t.add_column("conf", no_wrap=True)
        t.add_column("rev", no_wrap=True)
        t.add_column("parameter")
        for e in entries:
            t.add_row(e.key, e.text or _value_text(e), e.unit, e.confidence_text or str(e.confidence),
                      e.revised, e.parameter)
        out.print(t)
        out.print("Confidence: " + "; ".join(f"{c.value} = {c.meaning}" for c in Confidence)
                      + "; two joined by '/' (a row of two sources) count as the lower")
        revisions = sorted({e.revised for e in entries if e.revised})
        if revisions:
            out.print(f"rev: the reference table revision that added or changed the row ({', '.join(revisions)})")


def _value_text(e) -> str:
    if e.value is not None:
        return f"{e.value:g}"
    return "; ".join(f"{k} {f.best:g}" for k, f in e.items.items() if f.best is not None)


def _text(v) -> str:
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_text(x)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v)


def register(app: typer.Typer) -> None:
    """Add `cpo scenario ...` to the `cpo` app."""
    app.add_typer(scenario_app, name="scenario")
