"""Order books in and results out: CSV, XLSX, Parquet and JSONL, chosen by the file's suffix (`ops.files`)."""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.cells import write_csv
from exportctl.ops.check_answer import answer_row
from exportctl.ops.files import (
    UTF8,
    csv_separator,
    csv_title,
    file_format,
    read_table,
    readable,
    reading,
    sheet_only,
    text_encoding,
    utf8_copy,
)
from exportctl.ops.xlsx import write_xlsx, xlsx_rows


def read_orders(path: Path, encoding: str | None = None) -> pl.DataFrame:
    """Read an order book with every column as text (the checker parses values itself)."""
    return _as_text(read_table(path, "orders", encoding=encoding))


def _as_text(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        [pl.col(c).cast(pl.Utf8) for c, t in df.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    )


class Book:
    """An order book read in chunks, never held whole: CSV, Parquet and JSONL are scanned by polars, XLSX
    read row by row once (openpyxl, read-only) into a temporary Parquet file that is scanned the same way;
    every column as text, as `read_orders` reads it; a CSV or JSONL file in another encoding than UTF-8
    (`encoding`, or a byte-order mark) is read through a temporary UTF-8 copy; `sheet` names an XLSX
    workbook's sheet to read (else the one whose header names known columns). `close` removes the
    temporary files."""

    def __init__(
        self,
        path: Path,
        places: Callable[[str], bool] | None = None,
        encoding: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.path = path
        self.format = readable(path, "orders")
        sheet_only(self.format, sheet)
        self.sheet = sheet  # the workbook's sheet to read (a name or a number from 1), else the one found
        self._whole: pl.DataFrame | None = None
        self._lazy: pl.LazyFrame | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.source = path  # the file polars reads: the book, or its UTF-8 copy
        self.encoding: str | None = None  # the encoding the book was read in, when not UTF-8
        if self.format in ("csv", "jsonl"):
            enc = text_encoding(path, "orders", encoding)
            if enc not in UTF8:
                self._tmp = tempfile.TemporaryDirectory(prefix="exportctl-book-")
                self.source = utf8_copy(path, enc, Path(self._tmp.name), "orders")
                self.encoding = enc
        # title rows above the header (a report's name, its date, blank lines), skipped and shown: `places`
        # says whether a header cell names a known column (CSV and XLSX only; an XLSX sheet's header is
        # searched in the one pass that reads it)
        self.title: list[str] = []
        self.notes: tuple[str, ...] = ()  # what was said of a workbook's sheets (xlsx.XlsxSheet.notes)
        if places is not None and self.format == "csv":
            self.title = csv_title(self.source, "orders", places)
        if self.format == "xlsx" and not self._reading(lambda: self._xlsx_to_parquet(places)):
            self._whole = pl.DataFrame()  # an empty sheet: no header, no rows
            self.columns: list[str] = []
            return
        lazy = self._reading(self._scan)
        self._lazy = lazy
        self.columns = self._reading(lambda: lazy.collect_schema().names())
        # the same refusals as a whole read (ops.files.read_table): a repeated header names its column
        read_table_header = [c.split("_duplicated_")[0] for c in self.columns]
        seen: set[str] = set()
        for name in read_table_header:
            if name.strip().lower() in seen:
                raise InputError(
                    f"{path.name} has two columns named {name!r}", field="orders", file=str(path)
                )
            seen.add(name.strip().lower())

    def _xlsx_to_parquet(self, places: Callable[[str], bool] | None, rows_per_group: int = 60_000) -> bool:
        """The sheet's rows below its header (and title: `self.title`) into a temporary Parquet file of
        text columns, a group of rows at a time; False for an empty sheet."""
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        header, rows, self.title, self.notes = xlsx_rows(self.path, "orders", places, self.sheet)
        if header is None:
            return False
        self._tmp = tempfile.TemporaryDirectory(prefix="exportctl-xlsx-")
        schema = pa.schema([(h, pa.large_string()) for h in header])
        with pq.ParquetWriter(Path(self._tmp.name) / "book.parquet", schema) as writer:
            group = list(itertools.islice(rows, rows_per_group))
            while True:
                columns = list(zip(*group, strict=True)) if group else [() for _ in header]
                arrays = [pa.array(c, pa.large_string()) for c in columns]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                if len(group) < rows_per_group:
                    break
                group = list(itertools.islice(rows, rows_per_group))
        return True

    def close(self) -> None:
        """Remove the temporary file an XLSX book was read into."""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _scan(self) -> pl.LazyFrame:
        if self.format == "csv":
            skip = len(self.title)
            return pl.scan_csv(
                self.source, infer_schema=False, separator=csv_separator(self.source, skip), skip_lines=skip
            )
        if self.format == "jsonl":  # the types inferred as read_table's read_ndjson infers them
            return pl.scan_ndjson(self.source)
        if self.format == "xlsx" and self._tmp is not None:
            return pl.scan_parquet(Path(self._tmp.name) / "book.parquet")
        return pl.scan_parquet(self.path)

    def _reading(self, work: Callable[[], Any]) -> Any:
        """`work`, with a file polars cannot read reported as read_table reports it (InputError)."""
        with reading(self.path, self.format, "orders"):
            return work()

    def text(self, blank: Sequence[str]) -> tuple[int, list[str]]:
        """(rows in the book, those of the `blank` columns that hold no value on any row)."""
        if self._whole is not None:
            df = self._whole
            return df.height, [c for c in blank if _is_blank(df, c)]
        assert self._lazy is not None
        lazy = self._lazy
        got = self._reading(
            lambda: lazy.select(
                pl.len().alias("\x00rows"), *[_blank(pl.col(c)).sum().alias(c) for c in blank]
            ).collect()
        )
        return int(got["\x00rows"][0]), [c for c in blank if int(got[c][0]) == 0]

    def distinct(self, columns: Sequence[str]) -> dict[str, list[str | None]]:
        """The distinct values of `columns` over the whole book, as text."""
        if not columns:
            return {}
        if self._whole is not None:
            return {c: self._whole[c].cast(pl.Utf8).unique().to_list() for c in columns}
        assert self._lazy is not None
        lazy = self._lazy
        out: dict[str, list[str | None]] = {}
        for c in columns:
            query = lazy.select(pl.col(c).cast(pl.Utf8).unique())
            out[c] = self._reading(query.collect)[c].to_list()
        return out

    def chunks(self, size: int) -> Iterator[pl.DataFrame]:
        """The book's rows in order, `size` rows at a time (at least one chunk, empty for an empty book)."""
        if self._whole is not None:
            whole = self._whole
            for start in range(0, max(whole.height, 1), size):
                yield whole.slice(start, size)
            return
        assert self._lazy is not None
        lazy = self._lazy
        batches = self._reading(lambda: iter(lazy.collect_batches(chunk_size=size, maintain_order=True)))
        said = False
        pending: pl.DataFrame | None = None
        while True:
            part = self._reading(lambda: next(batches, None))
            if part is None:
                break
            # polars may hand over batches of other sizes: regroup them to exactly `size` rows
            pending = part if pending is None else pl.concat([pending, part], how="vertical_relaxed")
            while pending.height >= size:
                said = True
                yield _as_text(pending.slice(0, size))
                pending = pending.slice(size)
        if pending is not None and (pending.height or not said):
            yield _as_text(pending)
        elif not said:
            yield _as_text(pl.DataFrame(schema={c: pl.Utf8 for c in self.columns}))


def _blank(col: pl.Expr) -> pl.Expr:
    """1 where a cell holds a value (text not only spaces), else 0."""
    return col.cast(pl.Utf8).str.strip_chars().replace("", None).is_not_null().cast(pl.Int64)


def _is_blank(df: pl.DataFrame, col: str) -> bool:
    return int(df.select(_blank(pl.col(col)).sum()).item()) == 0


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


def flat_cells(df: pl.DataFrame) -> pl.DataFrame:
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
        write_as(results, path, fmt)
    except OSError as err:  # a directory, a read-only place, a full disk
        raise InputError(f"cannot write {path}: {err.strerror or err}", field="output") from None


def write_as(results: pl.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        write_csv(flat_cells(results), path)
    elif fmt == "xlsx":
        write_xlsx(flat_cells(results), path, "results", wrap=[c for c in TEXT_LINES if c in results.columns])
    elif fmt == "parquet":
        results.write_parquet(path)
    else:
        with path.open("w", encoding="utf-8") as fh:
            fh.write(jsonl_text(results))


def jsonl_text(part: pl.DataFrame) -> str:
    return "".join(
        json.dumps(_plain(answer_row(row)), ensure_ascii=False, sort_keys=True, default=str) + "\n"
        for row in part.iter_rows(named=True)
    )
