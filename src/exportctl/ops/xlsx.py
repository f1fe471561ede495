"""XLSX workbooks: a sheet read row by row (the sheet chosen by its header or named by the user, a title
above the header kept) and a result written as one sheet, text that looks like a formula kept as text."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.amounts import number_text
from exportctl.ops.cells import formula_like
from exportctl.ops.files import HEADER_SEARCH, header_line, require_unique, title_rows

__all__ = ["XLSX_CELL_LIMIT", "XlsxSheet", "read_xlsx", "sheet_frame", "write_xlsx", "xlsx_rows"]


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


def read_xlsx(path: Path, field: str) -> pl.DataFrame:
    """The first sheet of an XLSX file, the first row as the header, every cell as text."""
    return sheet_frame(xlsx_rows(path, field))


def sheet_frame(sheet: XlsxSheet) -> pl.DataFrame:
    """The rows of a sheet being read as a frame of text columns (empty when the sheet has no header)."""
    if sheet.header is None:
        return pl.DataFrame()
    return pl.DataFrame(list(sheet.rows), schema={h: pl.Utf8 for h in sheet.header}, orient="row")


class XlsxSheet(NamedTuple):
    """An XLSX file's sheet being read: its header (None when the sheet is empty), its rows below the
    header one at a time (every cell as text), the title rows found above the header, and what was said
    of the workbook's other sheets (`notes`: the sheet read when it is not the first; a second sheet whose
    header names known columns is refused, never left unread)."""

    header: list[str] | None
    rows: Iterator[list[str | None]]
    title: list[str]
    notes: tuple[str, ...] = ()


def _text(row: Sequence[Any]) -> list[str | None]:
    return [None if v is None else _cell_text(v) for v in row]


def _cell_text(value: Any) -> str:
    """A cell as text; a typed number as text read back as that number (ops.amounts.number_text)."""
    return number_text(value) if isinstance(value, float) else str(value)


def _placed(head: Sequence[Sequence[str | None]], places: Callable[[str], bool]) -> int | None:
    """The header's index among a sheet's first rows when one names a known column, else None."""
    at = header_line(head, places)
    row = head[at] if at < len(head) else []
    return at if any(c is not None and places(str(c)) for c in row) else None


def _named_sheet(book: Any, path: Path, sheet: str) -> int:
    """The index of the sheet the user named: by its name (as written, then in any case) or its number
    from 1; InputError naming the field 'sheet' and the workbook's sheets otherwise."""
    names = [str(s.title) for s in book.worksheets]
    wanted = sheet.strip()
    for exact in (True, False):
        found = [
            i
            for i, n in enumerate(names)
            if (n == wanted if exact else n.strip().casefold() == wanted.casefold())
        ]
        if found:
            return found[0]
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return int(wanted) - 1
    raise InputError(
        f"{path.name} has no sheet {wanted[:60]!r}; its sheets: {', '.join(repr(n) for n in names)}",
        field="sheet",
        file=str(path),
        suggestions=names,
    )


def _choose_sheet(book: Any, path: Path, places: Callable[[str], bool]) -> tuple[int, tuple[str, ...]]:
    """The sheet to read: the first whose first rows hold a header naming known columns (the first sheet
    when none does), and the note naming a skipped cover sheet; InputError when two sheets have one."""
    found: list[int] = []
    for i, sheet in enumerate(book.worksheets):
        rows = sheet.iter_rows(values_only=True)
        try:
            head = [_text(r) for r in itertools.islice(rows, HEADER_SEARCH)]
        finally:
            rows.close()
        if _placed(head, places) is not None:
            found.append(i)
    if not found:
        return 0, ()
    names = [str(s.title) for s in book.worksheets]
    chosen, others = found[0], found[1:]
    notes = []
    if chosen:
        skipped = ", ".join(repr(n) for n in names[:chosen])
        notes.append(
            f"{path.name}: read sheet {names[chosen]!r}; the sheet(s) before it ({skipped}) name no "
            "known column"
        )
    if others:
        # rows nobody checked must not pass as a checked workbook: refused, naming the sheets
        raise InputError(
            f"{path.name}: sheets {', '.join(repr(names[i]) for i in found)} all have a header naming known "
            "columns; only one sheet is read: name it with --sheet (the API's `sheet`), or save each "
            "sheet as a file of its own",
            field="file",
            file=str(path),
        )
    return chosen, tuple(notes)


def xlsx_rows(
    path: Path, field: str, places: Callable[[str], bool] | None = None, sheet: str | None = None
) -> XlsxSheet:
    """An XLSX file's sheet read once, row by row (read-only: never the whole sheet, its shared strings
    parsed once): with `places`, the first sheet whose header names a known column (a cover sheet before
    it is skipped, said in `notes`), the header searched in its first rows (header_line) and the rows
    above it kept as the title; without, the first sheet's first row. `sheet` (a name or a number from
    1) names the sheet to read instead. Unnamed columns are column_N."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    notes: tuple[str, ...] = ()
    try:
        if sheet is not None:
            index, notes = _named_sheet(book, path, sheet), ()
        else:
            index, notes = _choose_sheet(book, path, places) if places is not None else (0, ())
    except BaseException:
        book.close()
        raise
    rows = book.worksheets[index].iter_rows(values_only=True)
    try:
        texts = (_text(row) for row in rows)
        head = list(itertools.islice(texts, HEADER_SEARCH)) if places is not None else []
        at = header_line(head, places) if places is not None else 0
        pending = itertools.chain(head[at:], texts)
        first = next(pending, None)
        if first is None:
            rows.close()
            book.close()
            return XlsxSheet(None, iter(()), title_rows(head, at), notes)
        header = [h if h is not None else f"column_{i + 1}" for i, h in enumerate(first)]
        require_unique(header, path, field)
    except BaseException:
        # a refused header (two columns of one name) must not leave the file open: the sheet's reader
        # holds the zip member open, and the file closes only once it and the workbook are both closed
        rows.close()
        book.close()
        raise
    width = len(header)

    def cells() -> Iterator[list[str | None]]:
        try:
            for row in pending:
                cut = row[:width]
                yield cut + [None] * (width - len(cut))
        finally:
            rows.close()
            book.close()

    return XlsxSheet(header, cells(), title_rows(head, at), notes)
