"""The `exportctl` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import importlib

import typer

from exportctl import __version__

app = typer.Typer(
    name="exportctl",
    help="Export controls and tariffs as dated data. Not legal advice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines `register(app)`; the order is the order of `--help`.
COMMAND_MODULES = ("data", "registry", "check", "screen", "tariff", "service")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exportctl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Export controls and tariffs as dated data. Not legal advice."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"exportctl.fronts.cli.{_name}").register(app)


def run() -> None:
    """Console-script entry point."""
    app()
