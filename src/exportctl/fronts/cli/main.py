"""The `exportctl` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

from exportctl import __version__
from exportctl.fronts.cli.startup import pause_gc, resume_gc

# the commands that resume the garbage collector themselves, once their data is loaded (fronts.cli.startup)
RESUME_GC_ITSELF = frozenset({"check"})
# Each module defines `register(app)`; the order is the order of `--help`.
COMMAND_MODULES = ("data", "registry", "check", "screen", "tariff", "service")
# The module that registers each top-level command: `exportctl check ...` imports only the check module
# (cold start: the screening, tariff-plot, API and store modules of the other commands are not loaded).
MODULE_OF = {
    "data": "data",
    "registry": "registry",
    "timeline": "registry",
    "diff": "registry",
    "regime": "registry",
    "check": "check",
    "screen": "screen",
    "tariff": "tariff",
    "serve": "service",
    "token": "service",
    "audit": "service",
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exportctl {__version__}")
        raise typer.Exit()


def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Export controls and tariffs as dated data. Not legal advice."""


def build(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    """The Typer app with the commands of `modules` (all of them by default)."""
    made = typer.Typer(
        name="exportctl",
        help="Export controls and tariffs as dated data. Not legal advice.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    made.callback()(main)
    for name in modules:
        importlib.import_module(f"exportctl.fronts.cli.{name}").register(made)
    return made


def __getattr__(name: str) -> Any:
    """`app`, every command registered, built on first use (`run` builds only the one it runs)."""
    if name == "app":
        full = globals()["app"] = build()
        return full
    raise AttributeError(name)


def _app_for(argv: list[str]) -> typer.Typer:
    """The app for a command line: only the module of its command, when it names one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    module = MODULE_OF.get(first or "")
    return build((module,)) if module else build()


def _click_exceptions() -> Any:
    # Typer vendors click from 0.16 on; older Typer uses the click package itself.
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:
        return importlib.import_module("click.exceptions")


def run() -> None:
    """Console-script entry point: usage errors are one line on stderr (exit 2), like every other error."""
    pause_gc()
    exc = _click_exceptions()
    argv = sys.argv[1:]
    try:
        app = _app_for(argv)
        if next((a for a in argv if not a.startswith("-")), None) not in RESUME_GC_ITSELF:
            resume_gc()
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
