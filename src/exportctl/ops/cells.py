"""Cells safe to open: text a spreadsheet would run as a formula is neutralised (OWASP CSV injection).

A party named `=HYPERLINK(...)`, or any text beginning with `= + - @`, a tab or a carriage return, is
written to CSV with a single quote before it (spreadsheets show the text, never evaluate it) and to XLSX
as a text cell marked quote-prefixed (`ops.xlsx.write_xlsx`). Only text cells are touched: numbers in
numeric columns (-5, +3.2 stored as numbers) stay numbers; a text cell "-5" is text and is neutralised,
as the rule says, since a reader cannot tell "-5" from "-5+cmd|..." by its first character.
Every CSV and XLSX writer of exportctl goes through this module.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import polars as pl

__all__ = [
    "FORMULA_STARTS",
    "formula_like",
    "neutralise",
    "safe_cell",
    "safe_frame",
    "safe_row",
    "write_csv",
    "write_csv_rows",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = r"^[=+\-@\t\r]"


def formula_like(value: object) -> bool:
    """Whether a cell is text a spreadsheet could read as a formula (its first character)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: str) -> str:
    """The text with a single quote before it when it begins like a formula; otherwise unchanged."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: Any) -> Any:
    """A cell for CSV: text neutralised, any other value (numbers, None) as it is."""
    return neutralise(value) if isinstance(value, str) else value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row for csv.DictWriter with every text cell neutralised."""
    return {k: safe_cell(v) for k, v in row.items()}


def safe_frame(df: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text (Utf8) column neutralised; numeric and other columns untouched."""
    exprs = [
        pl.when(pl.col(c).str.contains(_PATTERN)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, dtype in df.schema.items()
        if dtype == pl.Utf8
    ]
    return df.with_columns(exprs) if exprs else df


def write_csv(df: pl.DataFrame, path: Path) -> None:
    """Write a frame as CSV with its text cells neutralised."""
    safe_frame(df).write_csv(path)


def write_csv_rows(
    out: TextIO, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], **options: Any
) -> int:
    """Write rows (a header, then one line each) through csv.DictWriter, text neutralised; the row count."""
    writer = csv.DictWriter(out, fieldnames=list(columns), **options)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    return count
