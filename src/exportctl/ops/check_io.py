"""Order books in and results out: CSV, XLSX, Parquet and JSONL, chosen by the file's suffix (`ops.files`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.cells import write_csv
from exportctl.ops.check_answer import answer_row
from exportctl.ops.files import file_format, read_table, write_xlsx


def read_orders(path: Path) -> pl.DataFrame:
    """Read an order book with every column as text (the checker parses values itself)."""
    df = read_table(path, "orders")
    return df.with_columns(
        [pl.col(c).cast(pl.Utf8) for c, t in df.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    )


def _text(*parts: pl.Expr | str) -> pl.Expr:
    return pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in parts], ignore_nulls=True)


def _lines(col: str, line: pl.Expr) -> pl.Expr:
    """A list column as text, one line per element (a wrapped cell in a spreadsheet)."""
    return pl.col(col).list.eval(line).list.join("\n").alias(col)


def _field(name: str) -> pl.Expr:
    return pl.element().struct.field(name)


def _opt(prefix: str, expr: pl.Expr, suffix: str = "") -> pl.Expr:
    """' [x]' when expr has a value, else nothing."""
    return pl.when(expr.is_not_null() & (expr.cast(pl.Utf8) != "")).then(
        _text(prefix, expr.cast(pl.Utf8), suffix)
    )


def _reason_line() -> pl.Expr:
    entries = (
        _field("entries")
        .list.eval(
            _text(
                "\n    - ",
                _field("name"),
                " (",
                _field("list"),
                " ",
                _field("entity_id"),
                ")",
            )
        )
        .list.join("")
    )
    return _text(
        _field("step"),
        " ",
        _field("code"),
        _opt("/", _field("column")),
        ": ",
        _field("effect").str.replace_all("_", " "),
        _opt(" (", _field("review_policy"), ")"),
        " - ",
        _field("text").str.strip_chars(),
        _opt(" [", _field("citation"), "]"),
        _opt(" {measure ", _field("measure"), "}"),
        entries,
    )


TEXT_LINES: dict[str, Callable[[], pl.Expr]] = {
    "reasons": _reason_line,
    "exceptions": lambda: _text(
        _field("code"),
        " (",
        _field("section"),
        "): ",
        pl.when(_field("applies")).then(pl.lit("applies")).otherwise(pl.lit("does not apply")),
        " - ",
        _field("why"),
    ),
    "screening": lambda: _text(
        _field("role"),
        " '",
        _field("name"),
        "' on ",
        _field("list"),
        " as '",
        _field("listed_name"),
        "' (entry ",
        _field("entity_id"),
        ", score ",
        _field("match_score").round(3).cast(pl.Utf8),
        ")",
    ),
    "checks": lambda: _text(_field("step"), ": ", _field("what"), " -> ", _field("result")),
}


def _flat(df: pl.DataFrame) -> pl.DataFrame:
    """Cells a person reads (CSV and XLSX): reasons, exceptions, parties and checks one line each;
    other lists and structs as JSON text; dates as ISO text."""
    exprs: list[pl.Expr] = []
    for col, dtype in df.schema.items():
        if col in TEXT_LINES and isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct):
            exprs.append(_lines(col, TEXT_LINES[col]()))
        elif col in TEXT_LINES and dtype == pl.Null:
            exprs.append(pl.col(col).cast(pl.Utf8))
        elif isinstance(dtype, pl.List | pl.Struct | pl.Array):
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
        write_csv(_flat(results), path)
    elif fmt == "xlsx":
        write_xlsx(_flat(results), path, "results", wrap=[c for c in TEXT_LINES if c in results.columns])
    elif fmt == "parquet":
        results.write_parquet(path)
    else:
        with path.open("w", encoding="utf-8") as fh:
            for row in results.iter_rows(named=True):
                fh.write(
                    json.dumps(_plain(answer_row(row)), ensure_ascii=False, sort_keys=True, default=str)
                    + "\n"
                )
