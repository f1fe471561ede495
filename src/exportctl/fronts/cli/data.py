"""`exportctl data ...`: status, import, verify, activate, rollback, versions, sync (thin over ops.data)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typer

from exportctl.fronts.cli.output import Format, FormatOption, dumps, emit_rows, handle_errors, stdout
from exportctl.ops import data as ops
from exportctl.ops.defaults import today

data_app = typer.Typer(
    name="data",
    help="Data versions: status, import, verify, activate, rollback, sync.",
    no_args_is_help=True,
)

SOURCE_COLUMNS = ("name", "title", "date", "rows", "sha256", "age_days", "format", "skipped")
# What fits a terminal; --format csv/json give everything.
TABLE_COLUMNS = ("name", "date", "rows", "sha256", "age_days", "title")


def _short(row: Mapping[str, Any]) -> dict[str, Any]:
    # People read the first 12 hex digits; JSON keeps the full hash.
    out = dict(row)
    if isinstance(out.get("sha256"), str):
        out["sha256"] = out["sha256"][:12]
    return out


def _emit(
    result: Mapping[str, Any], fmt: Format, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> None:
    """JSON/JSONL: the whole result; CSV: the rows; table: a header line, then the rows."""
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(result) + "\n")
    elif fmt == Format.csv:
        emit_rows(rows, fmt, columns)
    else:
        for key in ("active_version", "previous_version", "version"):
            if key in result:
                stdout.print(f"{key.replace('_', ' ')}: {result[key] or '-'}")
        inv = result.get("invariants")
        if isinstance(inv, Mapping):
            failed = ", ".join(str(f["name"]) for f in inv.get("failed", [])) or "none"
            stdout.print(f"invariants: {inv.get('passed')} passed, failed: {failed}")
        forced = result.get("forced")
        if isinstance(forced, Mapping):
            stdout.print(f"FORCED at {forced.get('at')}: {forced.get('reason')}")
        cov = result.get("coverage")
        if isinstance(cov, Mapping) and cov.get("last_day"):
            stdout.print(f"covered: {cov['first_day']} to {cov['last_day']} (later dates hold)")
        if rows:
            emit_rows([_short(r) for r in rows], fmt, [c for c in TABLE_COLUMNS if c in columns] or columns)


@data_app.command("status")
@handle_errors
def status_cmd(fmt: Format = FormatOption) -> None:
    """Show the active data version: each source with its data date, rows, content hash and age."""
    result = ops.status(today=today())
    _emit(result, fmt, result["sources"], SOURCE_COLUMNS)


@data_app.command("import")
@handle_errors
def import_cmd(
    path: Path = typer.Argument(..., help="An official file or folder (CSL, SDN, eCFR, HTS ...)."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Activate despite a failed invariant or a list shrunk by over 10% (with --reason).",
    ),
    reason: str = typer.Option(
        None, "--reason", help="Why --force: kept with the version and in the audit trail."
    ),
    activate: bool = typer.Option(True, "--activate/--no-activate", help="Activate the new version."),
    fmt: Format = FormatOption,
) -> None:
    """Import a file into a new data version; run the gate's invariants, then activate it (a bad file changes
    nothing: exit 2 naming the failed invariant)."""
    result = ops.import_path(path, force=force, reason=reason, activate=activate)
    _emit(result, fmt, result["sources"], (*SOURCE_COLUMNS[:5], "format"))


@data_app.command("verify")
@handle_errors
def verify_cmd(
    version: str = typer.Argument(None, help="Version id or unique prefix (default: the active one)."),
    fmt: Format = FormatOption,
) -> None:
    """Re-read a version and check every hash, row count and column; exit 1 on any problem."""
    result = ops.verify(version)
    _emit(result, fmt, [{"problem": p} for p in result["problems"]], ("problem",))
    if fmt == Format.table and result["ok"]:
        stdout.print("ok: every source matches its content hash")
    if not result["ok"]:
        raise typer.Exit(1)


@data_app.command("activate")
@handle_errors
def activate_cmd(
    version: str = typer.Argument(..., help="Version id or unique prefix (at least 6 characters)."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Accept a list shrunk by over 10%, or a version that failed its gate.",
    ),
    reason: str = typer.Option(
        None, "--reason", help="Why --force (needed for a version that failed its gate)."
    ),
    fmt: Format = FormatOption,
) -> None:
    """Make a stored version active (atomically; the replaced one can be restored by rollback)."""
    _emit(ops.activate(version, force=force, reason=reason), fmt, [], ())


@data_app.command("rollback")
@handle_errors
def rollback_cmd(fmt: Format = FormatOption) -> None:
    """Restore the previous data version."""
    _emit(ops.rollback(), fmt, [], ())


@data_app.command("versions")
@handle_errors
def versions_cmd(fmt: Format = FormatOption) -> None:
    """List the stored data versions, newest first."""
    rows = ops.versions()
    if fmt in (Format.json, Format.jsonl, Format.csv):
        emit_rows(rows, fmt)
    else:
        emit_rows(
            [{**r, "version": r["version"][:12], "parent": (r["parent"] or "")[:12]} for r in rows],
            fmt,
            ("version", "active", "previous", "created_at", "sources", "parent", "note", "forced"),
        )


@data_app.command("sync")
@handle_errors
def sync_cmd(
    force: bool = typer.Option(
        False, "--force", help="Accept a failed invariant or a list shrinking by over 10% (with --reason)."
    ),
    reason: str = typer.Option(
        None, "--reason", help="Why --force: kept with the version and in the audit trail."
    ),
    fmt: Format = FormatOption,
) -> None:
    """Download the official sources (CSL, eCFR, HTS, Federal Register) into a new version."""
    result = ops.sync(today=today(), force=force, reason=reason)
    _emit(result, fmt, result["sources"], SOURCE_COLUMNS)
    for gap in result["gaps"]:
        sys.stderr.write(f"gap: {gap}\n")


def register(app: typer.Typer) -> None:
    """Add the `data` group to the main app."""
    app.add_typer(data_app, name="data")
