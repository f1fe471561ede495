"""Tables in files: CSV, XLSX, Parquet and JSONL, chosen by the suffix, read and written the same way for
order books (check) and parties files (screen)."""

from __future__ import annotations

import codecs
import csv
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from exportctl.errors import InputError

__all__ = [
    "FORMATS", "HEADER_SEARCH", "READ_FORMATS", "csv_separator", "csv_title", "file_format", "header_line",
    "read_table", "read_titled", "readable", "reading", "require_unique", "require_utf8_text", "sheet_only",
    "text_encoding", "title_rows", "title_warning", "utf8_copy", "utf8_text",
]  # fmt: skip

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# read, not written: delimited text under the names Excel and report tools give it (Excel's "Unicode Text"
# is a tab-separated .txt in UTF-16 with a byte-order mark); the separator is read off the header line
READ_FORMATS = {**FORMATS, ".tsv": "csv", ".tab": "csv", ".txt": "csv"}


def file_format(path: Path, field: str = "file", *, reading: bool = False) -> str:
    """The format of a path by suffix (`reading`: delimited .tsv/.txt too); InputError for anything else."""
    known = READ_FORMATS if reading else FORMATS
    fmt = known.get(path.suffix.lower())
    if fmt is None:
        also = " (or tab-separated .tsv, .txt)" if reading else ""
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}: use .csv{also}, .xlsx, .parquet or .jsonl",
            field=field,
            file=str(path),
            suggestions=sorted(known),
        )
    return fmt


def readable(path: Path, field: str) -> str:
    """The format of a file that exists; InputError naming `field` otherwise. (Its text encoding, for CSV
    and JSONL, is utf8_text's to check.)"""
    fmt = file_format(path, field, reading=True)
    if not path.is_file():
        raise InputError(f"no such file: {path}", field=field, file=str(path))
    return fmt


@contextmanager
def utf8_text(path: Path, fmt: str, field: str, encoding: str | None = None) -> Iterator[Path]:
    """The path to read a file from: the file itself, or for CSV and JSONL text in another encoding
    (`encoding`, or its byte-order mark's: text_encoding) a temporary UTF-8 copy of the same name,
    removed on leaving."""
    enc = text_encoding(path, field, encoding) if fmt in ("csv", "jsonl") else "utf-8"
    if enc in UTF8:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="exportctl-text-") as folder:
        yield utf8_copy(path, enc, Path(folder), field)


@contextmanager
def reading(path: Path, fmt: str, field: str) -> Iterator[None]:
    """A file polars or openpyxl cannot read reported as one InputError naming `field`."""
    try:
        yield
    except (pl.exceptions.PolarsError, OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        # openpyxl raises BadZipFile/KeyError/InvalidFileException (a ValueError... or not) on non-XLSX
        first = (str(err).splitlines() or [type(err).__name__])[0][:160]
        raise InputError(f"cannot read {path.name} as {fmt}: {first}", field=field, file=str(path)) from None


def read_table(path: Path, field: str, skip: int = 0, encoding: str | None = None) -> pl.DataFrame:
    """A table file as read (CSV and XLSX cells as text; a CSV's header after `skip` title lines:
    csv_title; text in `encoding`, or its byte-order mark's, else UTF-8: utf8_text); InputError naming
    `field` when it cannot be read."""
    fmt = readable(path, field)
    with utf8_text(path, fmt, field, encoding) as text:
        return _read_table(text, fmt, field, skip)


def _read_table(path: Path, fmt: str, field: str, skip: int) -> pl.DataFrame:
    from exportctl.ops.xlsx import read_xlsx  # ops.xlsx reads headers with this module's header_line

    with reading(path, fmt, field):
        if fmt == "csv":
            # skip_lines, not skip_rows: a title is skipped by lines as csv_title counted them, whatever
            # quotes it holds (skip_rows reads an unmatched quote in a title as opening a cell)
            df = pl.read_csv(path, infer_schema=False, separator=csv_separator(path, skip), skip_lines=skip)
        elif fmt == "xlsx":
            df = read_xlsx(path, field)
        elif fmt == "parquet":
            df = pl.read_parquet(path)
        else:
            df = pl.read_ndjson(path)
    # polars renames a repeated CSV header to NAME_duplicated_N: the same refusal as for XLSX
    require_unique([c.split("_duplicated_")[0] for c in df.columns], path, field)
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
    """The index of the header among a file's first rows (cells as read): the first row when one of its
    cells names a known column (a one-column file: `name` over names), else the first row with two or more
    filled cells of which one names a known column; 0 when none is. Report exports put a title, a date or
    blank lines above the header, and those rows are not the header."""
    for i, cells in enumerate(lines[:HEADER_SEARCH]):
        filled = [c for c in cells if c is not None and str(c).strip()]
        if (len(filled) >= 2 or i == 0) and any(places(str(c)) for c in filled):
            return i
    return 0


def read_titled(
    path: Path,
    field: str,
    places: Callable[[str], bool],
    encoding: str | None = None,
    sheet: str | None = None,
) -> tuple[pl.DataFrame, list[str], list[str]]:
    """A table file as read_table reads it, with a title above a CSV or XLSX header skipped (header_line):
    (the table, the title's rows, each as its filled cells joined: [] when the header is the first row,
    what was said of a workbook's sheets: XlsxSheet.notes). An XLSX sheet is opened once: the header is
    searched in the rows its one reader yields; `sheet` names the workbook's sheet to read (sheet_only)."""
    from exportctl.ops.xlsx import sheet_frame, xlsx_rows

    fmt = readable(path, field)
    sheet_only(fmt, sheet)
    if fmt == "xlsx":
        with reading(path, fmt, field):
            read = xlsx_rows(path, field, places, sheet)
            return sheet_frame(read), read.title, list(read.notes)
    with utf8_text(path, fmt, field, encoding) as text:
        title = csv_title(text, field, places) if fmt == "csv" else []
        return _read_table(text, fmt, field, len(title)), title, []


def sheet_only(fmt: str, sheet: str | None) -> None:
    """Refuse a sheet named for a file that has none (a CSV, JSONL or Parquet file): InputError 'sheet'."""
    if sheet is not None and fmt != "xlsx":
        raise InputError(
            f"--sheet names a sheet of an XLSX workbook; this file is {fmt.upper()}", field="sheet"
        )


def csv_title(path: Path, field: str, places: Callable[[str], bool]) -> list[str]:
    """The lines above a CSV file's header (header_line), each as its filled cells joined ('' for a blank
    one): [] when the header is the first line."""
    with reading(path, "csv", field):
        head = csv_head(path)
    return title_rows(head, header_line(head, places))


def title_rows(head: Sequence[Sequence[str | None]], at: int) -> list[str]:
    return [" ".join(c.strip() for c in row if c and c.strip()) for row in head[:at]]


def title_warning(name: str, title: Sequence[str]) -> str:
    """The warning that names a skipped title: the header's line and the text above it."""
    shown = "; ".join(repr(t[:60]) for t in title if t)[:200] or "blank lines"
    return (
        f"{name}: the header is on line {len(title) + 1}; the {len(title)} line(s) above it were read as a "
        f"title and skipped ({shown})"
    )


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
    out = folder / path.name  # the same name: messages name the user's file
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


def require_unique(header: list[str], path: Path, field: str) -> None:
    """Two columns of one name: which one is meant? Refused, never one picked silently."""
    seen: set[str] = set()
    for name in header:
        key = name.strip().lower()
        if key in seen:
            raise InputError(f"{path.name} has two columns named {name!r}", field=field, file=str(path))
        seen.add(key)
