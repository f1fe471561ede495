"""The `exportctl` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import importlib
import sys
from typing import Any

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
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Export controls and tariffs as dated data. Not legal advice."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"exportctl.fronts.cli.{_name}").register(app)


def _click_exceptions() -> Any:
    # Typer vendors click from 0.16 on; older Typer uses the click package itself.
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:
        return importlib.import_module("click.exceptions")


def run() -> None:
    """Console-script entry point: usage errors are one line on stderr (exit 2), like every other error."""
    exc = _click_exceptions()
    try:
        code = app(standalone_mode=False)
    except exc.UsageError as err:
        message = err.format_message().strip()
        if message:  # an empty one is `exportctl` alone: the help was printed
            sys.stderr.write(f"error: {message} (see --help)\n")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("aborted\n")
        raise SystemExit(130) from None
    raise SystemExit(code if isinstance(code, int) else 0)
