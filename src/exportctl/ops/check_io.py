"""Order books in and results out: CSV, XLSX, Parquet and JSONL, chosen by the file's suffix."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def file_format(path: Path, field: str = "file") -> str:
    """The format of a path by suffix; InputError for anything else."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}: use .csv, .xlsx, .parquet or .jsonl",
            field=field,
            suggestions=sorted(FORMATS),
        )
    return fmt


def read_orders(path: Path) -> pl.DataFrame:
    """Read an order book with every column as text (the checker parses values itself)."""
    fmt = file_format(path, "orders")
    if not path.is_file():
        raise InputError(f"no such file: {path}", field="orders")
    if fmt in ("csv", "jsonl"):
        require_utf8_text(path)
    try:
        if fmt == "csv":
            df = pl.read_csv(path, infer_schema=False)
        elif fmt == "xlsx":
            df = _read_xlsx(path)
        elif fmt == "parquet":
            df = pl.read_parquet(path)
        else:
            df = pl.read_ndjson(path)
    except (pl.exceptions.PolarsError, OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        # openpyxl raises BadZipFile/KeyError/InvalidFileException (a ValueError... or not) on non-XLSX
        first = (str(err).splitlines() or [type(err).__name__])[0][:160]
        raise InputError(f"cannot read {path.name} as {fmt}: {first}", field="orders") from None
    # polars renames a repeated CSV header to NAME_duplicated_N: the same refusal as for XLSX
    _require_unique([c.split("_duplicated_")[0] for c in df.columns], path)
    return df.with_columns(
        [pl.col(c).cast(pl.Utf8) for c, t in df.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    )


def _require_unique(header: list[str], path: Path) -> None:
    """Two columns of one name: which one is the ECCN? Refused, never one picked silently."""
    seen: set[str] = set()
    for name in header:
        key = name.strip().lower()
        if key in seen:
            raise InputError(f"{path.name} has two columns named {name!r}", field="orders")
        seen.add(key)


def require_utf8_text(path: Path) -> None:
    """Refuse UTF-16/32 and binary text files by name; polars would read them as one garbled column."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise InputError(
            f"cannot read {path.name}: it is UTF-16 or binary, not UTF-8 text (save it as UTF-8)",
            field="orders",
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
        _write_xlsx(_flat(results), path)
    elif fmt == "parquet":
        results.write_parquet(path)
    else:
        with path.open("w", encoding="utf-8") as fh:
            for row in results.iter_rows(named=True):
                fh.write(
                    json.dumps(_plain(_answer_row(row)), ensure_ascii=False, sort_keys=True, default=str)
                    + "\n"
                )


def _answer_row(row: dict[str, Any]) -> dict[str, Any]:
    """A JSONL line: the input's columns plus the contract object's keys."""
    from exportctl.ops.check import RESULT_COLUMNS, answer

    inputs = {k: v for k, v in row.items() if k not in RESULT_COLUMNS}
    return {**inputs, **answer(row)}


def _write_xlsx(df: pl.DataFrame, path: Path) -> None:
    """XLSX through openpyxl (already a dependency): one sheet, a header row, text and numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    sheet.append(df.columns)
    for row in df.iter_rows():
        sheet.append(list(row))
    book.save(path)


def _read_xlsx(path: Path) -> pl.DataFrame:
    """The first sheet of an XLSX file, the first row as the header, every cell as text."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    if not rows:
        return pl.DataFrame()
    header = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(rows[0])]
    _require_unique(header, path)
    data = {h: [None if r[i] is None else str(r[i]) for r in rows[1:]] for i, h in enumerate(header)}
    return pl.DataFrame(data, schema={h: pl.Utf8 for h in header})
