"""Options shared by every command that reads the regime: `--known-on D` and `--scenario FILE`."""

from __future__ import annotations

from pathlib import Path

import typer

KnownOnOption = typer.Option(
    None,
    "--known-on",
    help="Use only what was public on this day (YYYY-MM-DD); default: everything the registry knows.",
)
ScenarioOption = typer.Option(
    None,
    "--scenario",
    help="A scenario file (YAML) that adds, removes, modifies or promotes measures.",
    dir_okay=False,
)
JurisdictionOption = typer.Option(
    None, "--jurisdiction", "-j", help="US-EAR, US-OFAC, US-TARIFF, CN-EXPORT or CN-TARIFF."
)


def scenario_path(value: Path | None) -> str | None:
    """The scenario path as ops takes it (ops loads and validates it, naming file and line)."""
    return str(value) if value is not None else None
