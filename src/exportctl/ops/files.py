"""Tables in files: CSV, XLSX, Parquet and JSONL, chosen by the suffix, read and written the same way for
order books (check) and parties files (screen)."""

from __future__ import annotations

import codecs
import csv
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.cells import formula_like

__all__ = [
    "FORMATS", "csv_separator", "file_format", "header_line", "read_table", "require_utf8_text",
    "text_encoding", "utf8_copy", "write_xlsx", "xlsx_rows",
]  # fmt: skip

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def file_format(path: Path, field: str = "file") -> str:
    """The format of a path by suffix; InputError for anything else."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}: use .csv, .xlsx, .parquet or .jsonl",
            field=field,
            file=str(path),
            suggestions=sorted(FORMATS),
        )
    return fmt


def read_table(path: Path, field: str, encoding: str | None = None) -> pl.DataFrame:
    """A table file as read (CSV and XLSX cells as text); InputError naming `field` when it cannot be read.
    A text file is read in `encoding` when given, else in the encoding its byte-order mark names, else as
    UTF-8 (ops.files.text_encoding)."""
    fmt = file_format(path, field)
    if not path.is_file():
        raise InputError(f"no such file: {path}", field=field, file=str(path))
    if fmt in ("csv", "jsonl"):
        enc = text_encoding(path, field, encoding)
        if enc not in UTF8:
            with tempfile.TemporaryDirectory(prefix="exportctl-text-") as folder:
                copy = utf8_copy(path, enc, Path(folder), field)
                return read_table(copy, field)
    try:
        if fmt == "csv":
            df = pl.read_csv(path, infer_schema=False, separator=csv_separator(path))
        elif fmt == "xlsx":
            df = _read_xlsx(path, field)
        elif fmt == "parquet":
            df = pl.read_parquet(path)
        else:
            df = pl.read_ndjson(path)
    except (pl.exceptions.PolarsError, OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        # openpyxl raises BadZipFile/KeyError/InvalidFileException (a ValueError... or not) on non-XLSX
        first = (str(err).splitlines() or [type(err).__name__])[0][:160]
        raise InputError(f"cannot read {path.name} as {fmt}: {first}", field=field, file=str(path)) from None
    # polars renames a repeated CSV header to NAME_duplicated_N: the same refusal as for XLSX
    _require_unique([c.split("_duplicated_")[0] for c in df.columns], path, field)
    return df


CSV_SEPARATORS = ",;\t|"


def csv_separator(path: Path, skip: int = 0) -> str:
    """The field separator of a CSV file, read off its header line (after `skip` title lines): Excel writes
    ';' where the decimal mark is a comma (most of Europe) and tab-separated exports are common; ',' when
    the header is ambiguous."""
    with path.open("rb") as fh:
        for _ in range(skip):
            fh.readline(65_536)
        header = fh.readline(65_536).decode("utf-8", errors="replace")
    return _line_separator(header)


def _line_separator(line: str) -> str:
    counts = {sep: _outside_quotes(line).count(sep) for sep in CSV_SEPARATORS}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


HEADER_SEARCH = 30  # lines (or sheet rows) a title block above the header may take


def header_line(lines: Sequence[Sequence[str | None]], places: Callable[[str], bool]) -> int:
    """The index of the header among a file's first rows (cells as read): the first row with two or more
    filled cells of which one names a known column. 0 when the first row is such a row or none is: report
    exports put a title, a date or blank lines above the header, and those rows are not the header."""
    for i, cells in enumerate(lines[:HEADER_SEARCH]):
        filled = [c for c in cells if c is not None and str(c).strip()]
        if len(filled) >= 2 and any(places(str(c)) for c in filled):
            return i
    return 0


def csv_head(path: Path, limit: int = HEADER_SEARCH) -> list[list[str]]:
    """The first `limit` lines of a CSV file split into cells, each line by its own separator."""
    out: list[list[str]] = []
    with path.open("rb") as fh:
        for _ in range(limit):
            raw = fh.readline(65_536)
            if not raw:
                break
            line = raw.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
            out.append(next(csv.reader([line], delimiter=_line_separator(line)), []))
    return out


def _outside_quotes(line: str) -> str:
    """The line with its double-quoted parts removed (a quoted header may hold any separator)."""
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


UTF8 = ("utf-8", "utf-8-sig")
# byte-order marks and the codec reading past each (UTF-32-LE's mark begins with UTF-16-LE's: it goes first)
TEXT_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODING_HINT = (
    "save it as 'CSV UTF-8', or say its encoding with --encoding: cp1252 for Excel's 'CSV' on "
    "Western-European Windows, cp1251 Cyrillic, cp1256 Arabic, gb18030 Chinese, shift_jis Japanese, "
    "cp949 Korean"
)
CHUNK_BYTES = 1 << 22
NEWLINE = b"\n"


def text_encoding(path: Path, field: str = "orders", encoding: str | None = None) -> str:
    """The encoding a text file is read in: `encoding` when given (a known codec, else InputError naming
    field 'encoding'), else the one its byte-order mark names (Excel's 'Unicode Text' is UTF-16), else
    UTF-8, checked over the whole file: a file that is not UTF-8 is refused naming its first bad line,
    never guessed (a Cyrillic file read as Western would garble every name it screens)."""
    if encoding:
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}",
                field="encoding",
                suggestions=["utf-8", "cp1252", "latin-1", "cp1251", "gb18030", "shift_jis", "utf-16"],
            ) from None
    with path.open("rb") as fh:
        head = fh.read(4096)
    for bom, name in TEXT_BOMS:
        if head.startswith(bom):
            return name
    require_utf8_text(path, field)
    return "utf-8"


def require_utf8_text(path: Path, field: str = "orders") -> None:
    """Refuse a text file that is not UTF-8 (or is binary), naming the first line that is not."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 1
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK_BYTES)
            try:
                if b"\x00" in chunk:
                    nul = lines + chunk.count(NEWLINE, 0, chunk.index(b"\x00"))
                    raise InputError(
                        f"cannot read {path.name}: line {nul} holds a NUL byte: a binary file, or UTF-16 "
                        "without its byte-order mark (--encoding utf-16-le)",
                        field=field,
                        file=str(path),
                    )
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as err:
                at = max(err.start, 0)
                line = lines + chunk.count(b"\n", 0, at)
                start = chunk.rfind(b"\n", 0, at) + 1
                end = chunk.find(b"\n", at)
                raw = chunk[start : end if end >= 0 else start + 200][:200]
                seen = raw.decode("cp1252", errors="replace").strip()
                raise InputError(
                    f"cannot read {path.name}: it is not UTF-8 text (line {line} holds byte "
                    f"0x{chunk[at]:02x}; read as cp1252 the line says {seen[:80]!r}): {ENCODING_HINT}",
                    field=field,
                    file=str(path),
                    line=line,
                ) from None
            if not chunk:
                return
            lines += chunk.count(b"\n")


def utf8_copy(path: Path, encoding: str, folder: Path, field: str = "orders") -> Path:
    """A UTF-8 copy of a text file in `encoding`, written into `folder` a chunk at a time (the byte-order
    mark dropped); InputError naming the line where the file does not read in that encoding."""
    decoder = codecs.getincrementaldecoder(encoding)()
    out = folder / f"{path.stem}.utf8{path.suffix.lower()}"
    lines = 1
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(CHUNK_BYTES)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"cannot read {path.name} as {encoding}: the text after line {lines} holds bytes that "
                    f"are not {encoding} ({err.reason}): {ENCODING_HINT}",
                    field=field,
                    file=str(path),
                ) from None
            dst.write(text.lstrip("\ufeff") if lines == 1 else text)
            lines += text.count("\n")
            if not chunk:
                return out


XLSX_CELL_LIMIT = 32_767  # characters in one cell (Excel's limit)


def write_xlsx(df: pl.DataFrame, path: Path, title: str, wrap: Sequence[str] = ()) -> None:
    """XLSX through openpyxl: one sheet named `title`, a header row, text and numbers; the `wrap`
    columns (multi-line text) wrapped, top-aligned and wide enough to read."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([_xlsx_text(c) for c in df.columns])
    for cell in sheet[1]:
        _keep_text(cell)
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    wrapped = [i for i, c in enumerate(df.columns) if c in wrap]
    top = Alignment(wrap_text=True, vertical="top")
    for row in df.iter_rows():
        values = [_xlsx_text(v) if isinstance(v, str) else v for v in row]
        for i in wrapped:
            v = values[i]
            if isinstance(v, str) and len(v) > XLSX_CELL_LIMIT:
                values[i] = v[: XLSX_CELL_LIMIT - 20] + "\n... (truncated)"
        sheet.append(values)
        cells = sheet[sheet.max_row]
        for i in wrapped:
            cells[i].alignment = top
        for cell in cells:
            _keep_text(cell)
    for i in wrapped:
        sheet.column_dimensions[get_column_letter(i + 1)].width = 100
    book.save(path)


def _keep_text(cell: Any) -> None:
    """A text cell beginning like a formula stays text: openpyxl would store `=...` as a live formula;
    it is marked quote-prefixed, as Excel marks text typed with a leading ' (ops.cells, the OWASP rule)."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _xlsx_text(text: str) -> str:
    """Text XLSX can hold: control characters it refuses (NUL, \\x01...) become U+FFFD, not an error."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))


def _require_unique(header: list[str], path: Path, field: str) -> None:
    """Two columns of one name: which one is meant? Refused, never one picked silently."""
    seen: set[str] = set()
    for name in header:
        key = name.strip().lower()
        if key in seen:
            raise InputError(f"{path.name} has two columns named {name!r}", field=field, file=str(path))
        seen.add(key)


def _read_xlsx(path: Path, field: str) -> pl.DataFrame:
    """The first sheet of an XLSX file, the first row as the header, every cell as text."""
    header, rows = xlsx_rows(path, field)
    if header is None:
        return pl.DataFrame()
    return pl.DataFrame(list(rows), schema={h: pl.Utf8 for h in header}, orient="row")


def xlsx_head(path: Path, limit: int = HEADER_SEARCH) -> list[list[str | None]]:
    """The first `limit` rows of an XLSX file's first sheet, every cell as text (read-only)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True, max_row=limit)
        return [[None if v is None else str(v) for v in row] for row in rows]
    finally:
        book.close()


def xlsx_rows(path: Path, field: str, skip: int = 0) -> tuple[list[str] | None, Iterator[list[str | None]]]:
    """The header of an XLSX file's first sheet (after `skip` title rows; None when the sheet is empty;
    unnamed columns are column_N) and its other rows one at a time, every cell as text (read-only: never
    the whole sheet)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True, min_row=skip + 1)
    try:
        first = next(rows, None)
        if first is None:
            book.close()
            return None, iter(())
        header = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(first)]
        _require_unique(header, path, field)
    except BaseException:
        # a refused header (two columns of one name) must not leave the file open: the sheet's reader
        # holds the zip member open, and the file closes only once it and the workbook are both closed
        rows.close()
        book.close()
        raise
    width = len(header)

    def cells() -> Iterator[list[str | None]]:
        try:
            for row in rows:
                cut = [None if v is None else str(v) for v in row[:width]]
                yield cut + [None] * (width - len(cut))
        finally:
            rows.close()
            book.close()

    return header, cells()
