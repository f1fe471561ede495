"""Order books in and results out: CSV, XLSX, Parquet and JSONL, chosen by the file's suffix (`ops.files`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.check_answer import answer_row
from exportctl.ops.files import file_format, read_table, write_xlsx


def read_orders(path: Path) -> pl.DataFrame:
    """Read an order book with every column as text (the checker parses values itself)."""
    df = read_table(path, "orders")
    return df.with_columns(
        [pl.col(c).cast(pl.Utf8) for c, t in df.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    )


def _flat(df: pl.DataFrame) -> pl.DataFrame:
    """Lists and structs as JSON text, dates as ISO text (CSV and XLSX cells)."""
    exprs: list[pl.Expr] = []
    for col, dtype in df.schema.items():
        if isinstance(dtype, pl.List | pl.Struct | pl.Array):
            exprs.append(
                pl.col(col)
                .map_elements(
                    lambda v: json.dumps(_plain(v), ensure_ascii=False, sort_keys=True, default=str),
                    return_dtype=pl.Utf8,
                    skip_nulls=True,
                )
                .alias(col)
            )
        elif dtype in (pl.Date, pl.Datetime):
            exprs.append(pl.col(col).cast(pl.Utf8))
    return df.with_columns(exprs) if exprs else df


def _plain(value: Any) -> Any:
    if isinstance(value, pl.Series):
        return [_plain(v) for v in value.to_list()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def write_results(results: pl.DataFrame, path: Path) -> None:
    """Write results in the format of `path`'s suffix."""
    fmt = file_format(path, "output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(results, path, fmt)
    except OSError as err:  # a directory, a read-only place, a full disk
        raise InputError(f"cannot write {path}: {err.strerror or err}", field="output") from None


def _write(results: pl.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        _flat(results).write_csv(path)
    elif fmt == "xlsx":
        write_xlsx(_flat(results), path, "results")
    elif fmt == "parquet":
        results.write_parquet(path)
    else:
        with path.open("w", encoding="utf-8") as fh:
            for row in results.iter_rows(named=True):
                fh.write(
                    json.dumps(_plain(answer_row(row)), ensure_ascii=False, sort_keys=True, default=str)
                    + "\n"
                )
