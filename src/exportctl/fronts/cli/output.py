"""Shared output for every CLI command: formats, errors, exit codes. Data to stdout, logs to stderr."""

from __future__ import annotations

import io
import json
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from exportctl.errors import ExportctlError, InputError
from exportctl.ops.cells import write_csv_rows
from exportctl.ops.defaults import NOT_LEGAL_ADVICE as NOT_LEGAL_ADVICE  # the words closing every answer

P = ParamSpec("P")
R = TypeVar("R")

# Piped or captured output is not squeezed to 80 columns: tables stay readable in files and logs.
stdout = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
stderr = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    """Output formats shared by every command that prints data."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FormatOption = typer.Option(Format.table, "--format", "-f", help="Output format.", case_sensitive=False)


def dumps(obj: Any) -> str:
    """Stable JSON: sorted keys, ISO dates, UTF-8 kept; a non-finite number is null, as orjson (the API's
    encoder) writes it, never the `Infinity` no JSON parser outside Python reads."""
    try:
        return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=_default, allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: written as null
        return json.dumps(_finite(obj), sort_keys=True, ensure_ascii=False, default=_default)


def _finite(obj: Any) -> Any:
    """`obj` with every non-finite float replaced by None (lists, tuples and dicts walked)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def _default(obj: Any) -> Any:
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json", exclude_none=True)
    if isinstance(obj, set | frozenset | tuple):
        return sorted(obj) if isinstance(obj, set | frozenset) else list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def fail(err: ExportctlError, fmt: Format | None = None) -> NoReturn:
    """Print one clear line (or the JSON error shape) to stderr and exit 2."""
    if fmt in (Format.json, Format.jsonl):
        sys.stderr.write(dumps(err.to_dict()) + "\n")
    else:
        sys.stderr.write(f"error: {err.one_line()}\n")
    raise typer.Exit(2)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator for commands: typed errors become exit 2 with one line, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ExportctlError as err:
            fmt = kwargs.get("fmt")
            fail(err, fmt if isinstance(fmt, Format) else None)

    return wrapper


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print a list of flat rows in the chosen format."""
    cols = list(columns) if columns else _columns(rows)
    if fmt == Format.json:
        sys.stdout.write(dumps(list(rows)) + "\n")
    elif fmt == Format.jsonl:
        for row in rows:
            sys.stdout.write(dumps(row) + "\n")
    elif fmt == Format.csv:
        buf = io.StringIO()
        # text cells neutralised (ops.cells); numbers keep their sign and stay numbers
        write_csv_rows(buf, ({k: _csv_value(row.get(k)) for k in cols} for row in rows), cols)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(title=title, show_lines=False)
        for col in cols:
            table.add_column(col)
        for row in rows:
            table.add_row(*[_cell(row.get(c)) for c in cols])
        stdout.print(table)


def require_object_format(fmt: Format) -> None:
    """Refuse --format csv for a command whose answer is one nested object (it would print a table)."""
    if fmt == Format.csv:
        raise InputError(
            "this command answers with one object: use --format json, jsonl or table", field="format"
        )


def emit_object(obj: Mapping[str, Any], fmt: Format, render: Callable[[Mapping[str, Any]], None]) -> None:
    """Print one result object: JSON for machines, `render` for people."""
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(obj) + "\n")
    else:
        render(obj)
    say_warnings(obj)


def say_warnings(obj: Mapping[str, Any]) -> None:
    """Each of an answer's `warnings` on stderr (a forced data version), whatever the format of stdout."""
    for warning in obj.get("warnings") or []:
        sys.stderr.write(f"warning: {warning}\n")


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols


def _csv_value(value: Any) -> Any:
    # lists and dicts as JSON text; numbers, text and None as they are (csv writes None as "")
    return dumps(value) if isinstance(value, list | dict) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return dumps(value)
    return str(value)
