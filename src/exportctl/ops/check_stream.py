"""An order book of any size in bounded memory: read in chunks, each chunk checked by `check_table` (the
same engine as a one-shot run), written out as it is answered and recorded in the audit trail (one record
per chunk with the SHA-256 of its rows as written, one for the finished file: `ops.audit_runs`).

The columns are placed and the dates' day/month order settled once for the whole book (a pass over the
file before the first chunk); errors name the row of the book (`first_row`); the totals a front reports
(counts per verdict, input errors, rows not screened, regimes) are added up chunk by chunk (`BookTotals`),
and each distinct party name is screened once per book (`engine.parties.remembering`), however many
chunks and countries it appears in (again per country only when it hits), the new names of a chunk on all
the cores the process may use.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.audit_runs import RunTrail
from exportctl.ops.check_columns import field_of, noted_field
from exportctl.ops.check_input import INTERNAL, date_orders
from exportctl.ops.check_io import Book
from exportctl.ops.check_write import ResultWriter
from exportctl.ops.files import title_warning

__all__ = ["CHUNK", "BookRun", "BookTotals", "check_file", "stream_file"]

CHUNK = 60_000  # rows per chunk (and per audit record of a book);
# 60,000, not 100,000: a 100,000-row fuzzy book peaked at 1,291 MB, against 1,680 MB in one chunk
PARTY_NAMES = 500_000  # distinct party names remembered per book (their hits), beyond which it starts over


@dataclass
class BookTotals:
    """What a front reports about a checked book, added up chunk by chunk."""

    rows: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    unscreened: int = 0
    regimes: set[str] = field(default_factory=set)
    engine_versions: set[str] = field(default_factory=set)

    def add(self, part: pl.DataFrame) -> None:
        """Count one chunk of results."""
        self.rows += part.height
        if not part.height:
            return
        self.verdicts.update(dict(part.group_by("verdict").len().drop_nulls("verdict").iter_rows()))
        self.errors += int(part["error"].is_not_null().sum())
        self.unscreened += int((~part["parties_screened"].fill_null(False)).sum())
        self.regimes.update(str(r) for r in part["regime"].drop_nulls().unique())
        self.engine_versions.update(str(v) for v in part["engine_version"].drop_nulls().unique())


@dataclass
class BookRun:
    """A checked book: its totals, and its result table when it was kept (`keep=True`)."""

    totals: BookTotals
    results: pl.DataFrame | None


def _placement(book: Book, mapping: Any, ignore: Any, first: pl.DataFrame) -> tuple[Any, int]:
    """The book's columns placed (check.placement_of) with its blank columns judged on every row."""
    from exportctl.ops.check import placement_of

    candidates = [c for c in book.columns if not c.strip() or re.fullmatch(r"column_\d+", c)]
    total, blank = book.text(candidates)
    return placement_of(first, mapping, ignore, book.path.name, blank=blank), total


def stream_file(
    path: str | Path,
    out: str | Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = CHUNK,
    keep: bool = True,
    **kwargs: Any,
) -> BookRun:
    """Check an order book chunk by chunk, writing results to `out` as they come; the totals, and the
    whole result table when `keep` (a book too big to hold: keep=False and an `out`).

    Takes check_table's options (columns, ignore_columns, date_format, date_override, warn, context ...)
    and `encoding`, the book's text encoding when it is not UTF-8 and has no byte-order mark, and
    `sheet`, the XLSX workbook's sheet to read (a name or a number from 1).
    """
    if chunk < 1:
        raise InputError("the chunk size must be at least 1 row", field="chunk")
    path = Path(path)
    mapping = kwargs.get("columns") or {}
    places = lambda c: bool(field_of(c) or noted_field(c) or c.strip() in mapping)  # noqa: E731
    book = Book(path, places=places, encoding=kwargs.pop("encoding", None), sheet=kwargs.pop("sheet", None))
    try:
        return _stream(book, out, progress, chunk, keep, kwargs)
    finally:
        book.close()  # an XLSX book's temporary Parquet copy


def _stream(
    book: Book,
    out: str | Path | None,
    progress: Callable[[int, int], None] | None,
    chunk: int,
    keep: bool,
    kwargs: dict[str, Any],
) -> BookRun:
    """stream_file's work on an open book."""
    from exportctl.engine.parties import remembering
    from exportctl.ops.check import Context, check_table

    path = book.path
    mapping = kwargs.get("columns") or {}
    if book.columns and not any(field_of(c) or noted_field(c) or c.strip() in mapping for c in book.columns):
        # a file with none of the order-book columns is the wrong file, not a book of unplaced columns
        raise InputError(
            f"{path.name} has none of the order-book columns (eccn or product, destination, date ...); "
            f"its columns: {', '.join(repr(c[:30]) for c in book.columns[:5])}",
            field="orders",
            suggestions=["eccn", "product", "destination", "date", "value", "end_use", "customer"],
        )
    chunks = book.chunks(chunk)
    first = next(chunks)
    placement, total = _placement(book, mapping, kwargs.get("ignore_columns", ()), first)
    dated = {INTERNAL.get(f, f): h for f, h in placement.fields.items() if f in ("date", "known_on")}
    values = book.distinct(list(dated.values()))
    kwargs["date_orders"] = date_orders({c: values[h] for c, h in dated.items()})
    warn = kwargs.pop("warn", None)
    if book.encoding and warn is not None:
        warn(f"{path.name}: read as {book.encoding} text")
    if book.title and warn is not None:
        warn(title_warning(path.name, book.title))
    for note in book.notes if warn is not None else ():
        warn(note)
    ctx = kwargs.pop("context", None) or Context()
    writer = ResultWriter(Path(out)) if out is not None else None
    # the audit trail (issue 7): each chunk recorded as it is written (its rows' bytes hashed), rows
    # numbered in the book, then the whole file once it is complete
    trail = RunTrail(path.name, ctx.version, Path(out) if out is not None else None)
    totals = BookTotals()
    kept: list[pl.DataFrame] = []
    start = 0
    part: pl.DataFrame | None = first
    with remembering(PARTY_NAMES, workers=screening_workers()):
        while part is not None:
            results = check_table(
                part, context=ctx, first_row=start + 1, warn=warn if start == 0 else None, **kwargs
            )
            trail.chunk(results, start + 1, writer.write(results) if writer is not None else None)
            totals.add(results)
            if keep:
                kept.append(results)
            start += part.height
            if progress:
                progress(start, total)
            part = next(chunks, None)
    trail.close(writer.close() if writer is not None else None)
    return BookRun(totals, pl.concat(kept, how="diagonal_relaxed") if keep else None)


def screening_workers() -> int:
    """Processes screening a book's new party names: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return os.cpu_count() or 1


def check_file(
    path: str | Path,
    out: str | Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = CHUNK,
    **kwargs: Any,
) -> pl.DataFrame:
    """Check an order book (CSV, XLSX, Parquet, JSONL); write results to `out` in its format when given.

    The whole result table is returned (held in memory); `stream_file` checks a book of any size.
    """
    run = stream_file(path, out, progress=progress, chunk=chunk, keep=True, **kwargs)
    assert run.results is not None
    return run.results
