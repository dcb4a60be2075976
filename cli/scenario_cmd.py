"""Placeholder: commands are added by their issue."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `cpo` app."""
