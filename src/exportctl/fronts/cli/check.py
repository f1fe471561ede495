"""`exportctl check`: one license determination, or a whole order book (CSV, XLSX, Parquet, JSONL)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import typer
from rich.table import Table

from exportctl.errors import ExportctlError, InputError
from exportctl.fronts.cli.check_render import reasons_short, render_answer, scan_columns
from exportctl.fronts.cli.output import (
    Format,
    FormatOption,
    emit_object,
    emit_rows,
    handle_errors,
    require_object_format,
    stderr,
    stdout,
)
from exportctl.fronts.cli.startup import resume_gc
from exportctl.model.dates import parse_date
from exportctl.ops.defaults import check_fail_on, fails, today
from exportctl.ops.files import file_format

ROW_COLUMNS = ("verdict", "review_policy", "reasons_short", "error")
R = TypeVar("R")


def demo_orders() -> Path:
    """The demo order book bundled with the package."""
    return Path(str(resources.files("exportctl.data").joinpath("demo", "orders.csv")))


def _scenario(path: str | None) -> Any:
    if not path:
        return None
    from exportctl.registry import load_scenario

    return load_scenario(path)


def _batch(path: Path, out: Path | None, fmt: Format, fail_on: str | None, kwargs: dict[str, Any]) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from exportctl.ops.batch import check_book
    from exportctl.ops.check import placement_of

    show = sys.stderr.isatty()
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=not show,
    ) as bar:
        task = bar.add_task("check", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        # with -o the rows are written as each chunk is answered, never held (any size of book)
        batch = check_book(path, out, fail_on=fail_on, progress=step, keep=out is None, **kwargs)
    results = batch.results
    if out is None:
        if fmt in (Format.json, Format.jsonl):
            emit_rows(batch.answer_rows(), fmt)
        else:
            rows = results.with_columns(
                reasons_short=pl.col("reasons").map_elements(
                    lambda v: reasons_short(v.to_list() if v is not None else []), return_dtype=pl.Utf8
                )
            )
            keep = [
                c
                for c in rows.columns
                if c
                not in (
                    "reasons",
                    "exceptions",
                    "screening",
                    "checks",
                    "license_required",
                    "engine_version",
                )
            ]  # as_of, known_on, data_version and regime stay: a row names the rules it was judged by
            if fmt == Format.table:
                # a terminal table: the columns a person scans; everything else is in -o / --format json
                placed = placement_of(results, kwargs.get("columns"), kwargs.get("ignore_columns", ()))
                rows, keep = scan_columns(rows, placed)
            emit_rows(rows.select(keep).to_dicts(), fmt, title="determinations")
    target = stderr if (out is None and fmt != Format.table) else stdout
    table = Table(title=f"summary: {batch.rows} rows")
    table.add_column("verdict")
    table.add_column("rows", justify="right")
    for c in batch.summary:
        table.add_row(c["verdict"], str(c["rows"]))
    target.print(table)
    for note in batch.notes():
        target.print(note, markup=False)
    if out is not None:
        stderr.print(f"wrote {out}")
    stderr.print(batch.disclaimer)
    return 1 if batch.failed else 0


def register(app: typer.Typer) -> None:
    """Add `check` to the main app."""

    @app.command("check")
    @handle_errors
    def check(
        orders: Path | None = typer.Argument(
            None, help="An order book: .csv (or tab-separated .tsv, .txt), .xlsx, .parquet or .jsonl."
        ),
        eccn: str | None = typer.Option(
            None,
            "--eccn",
            help="ECCN (down to the subparagraph, e.g. 3A090.a) or EAR99; for CN a control or customs code.",
        ),
        product: str | None = typer.Option(
            None,
            "--product",
            help=(
                "Product named by measures: 'NVIDIA H20', 'EDA software', 'ethane', 'LEAP-1C', 'gallium' ..."
            ),
        ),
        exporting_country: str = typer.Option("US", "--exporting-country", help="US or CN."),
        to: str | None = typer.Option(None, "--to", help="Destination: ISO code or country name."),
        party: list[str] = typer.Option(
            [],
            "--party",
            help="Party names in order: ultimate consignee, end user, intermediate consignee, purchaser.",
        ),
        consignee: str | None = typer.Option(
            None, "--consignee", "--ship-to", help="The ultimate consignee (instead of --party)."
        ),
        end_user: str | None = typer.Option(None, "--end-user", help="The end user (instead of --party)."),
        intermediate: str | None = typer.Option(
            None,
            "--intermediate-consignee",
            "--forwarder",
            help="The intermediate consignee, e.g. a freight forwarder (instead of --party).",
        ),
        purchaser: str | None = typer.Option(
            None, "--purchaser", "--customer", help="The purchaser, e.g. the customer (instead of --party)."
        ),
        end_use: str | None = typer.Option(
            None,
            "--end-use",
            help="military, military-intelligence, supercomputer, advanced-node-ic-production, nuclear ...",
        ),
        value: str | None = typer.Option(
            None, "--value", help="Value in USD (for LVS), as written: 12000.50, '12.000,50', '$1,500'."
        ),
        date: str | None = typer.Option(
            None,
            "--date",
            "--as-of",
            help=(
                "The date asked (YYYY-MM-DD); default today. For an order book it fills the rows without "
                "a date (the book's own dates are kept), or replaces every date with --date-override."
            ),
        ),
        date_override: bool = typer.Option(
            False, "--date-override", help="Check every row of the book on --date, whatever date it gives."
        ),
        date_format: str | None = typer.Option(
            None,
            "--date-format",
            help=(
                "How the book writes dates that are not ISO, e.g. %m/%d/%Y or %d.%m.%Y. Without it, "
                "03/15/2025, 15.03.2025, 15 Mar 2025, 2025/03/15 and spreadsheet dates are read when only "
                "one reading exists (or another value of the column settles day/month); an ambiguous "
                "date holds its row."
            ),
        ),
        columns_file: Path | None = typer.Option(
            None,
            "--columns",
            help="A YAML mapping of the book's headers to fields, e.g. 'Geschäftspartner: customer'.",
        ),
        column: list[str] = typer.Option(
            [],
            "--column",
            help=(
                "HEADER=FIELD (their header first), repeatable: 'Sold-To=purchaser', "
                "'Ship Ctry=destination'. "
                "Fields: eccn, product, description, destination, date, value, currency, end_use, "
                "exporting_country, ultimate_consignee, end_user, intermediate_consignee, purchaser, "
                "<role>_country, order_id, part_number, quantity, line, note ..."
            ),
        ),
        ignore_column: list[str] = typer.Option(
            [],
            "--ignore-column",
            help=(
                "Leave this column of the book out (repeatable). Any column neither recognised, mapped "
                "nor ignored stops the run (exit 2)."
            ),
        ),
        encoding: str | None = typer.Option(
            None,
            "--encoding",
            help=(
                "The book's text encoding when it is not UTF-8 (CSV/JSONL): cp1252 for Excel's 'CSV' on "
                "Western-European Windows, cp1251, gb18030, shift_jis ... A file with a byte-order mark "
                "(UTF-16 'Unicode Text') is read without it; a file that is not UTF-8 is refused naming "
                "its line, never guessed."
            ),
        ),
        sheet: str | None = typer.Option(
            None,
            "--sheet",
            help=(
                "The sheet of an XLSX workbook to read, by name or number from 1. Without it, the one "
                "sheet whose header names known columns; a workbook with two such sheets stops the run."
            ),
        ),
        known_on: str | None = typer.Option(
            None, "--known-on", help="Answer with only what was public on this date."
        ),
        scenario: str | None = typer.Option(
            None, "--scenario", help="A scenario file (hypothetical measures)."
        ),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write results here (format by suffix)."
        ),
        fail_on: str | None = typer.Option(
            None,
            "--fail-on",
            help="Exit 1 when any verdict is at least: license_required, hold or prohibited.",
        ),
        demo: bool = typer.Option(False, "--demo", help="Check the bundled demo order book."),
        exact: bool = typer.Option(
            False, "--exact", help="Match parties exactly (normalised) instead of fuzzy screening."
        ),
        fmt: Format = FormatOption,
    ) -> None:
        """Does this item, to this party in this country, for this end use, need a license on this date?"""
        try:
            from exportctl.ops.check_single import parties_by_role

            book = BookOptions(
                columns_file, column, ignore_column, date_format, date_override, encoding, sheet
            )
            _run(
                book,
                orders,
                eccn,
                product,
                exporting_country,
                to,
                parties_by_role(
                    party,
                    (consignee, end_user, intermediate, purchaser),
                    field="party",
                    roles="--consignee, --end-user, --forwarder, --purchaser; --party for names in order",
                ),
                end_use,
                value,
                date,
                known_on,
                scenario,
                output,
                fail_on,
                demo,
                exact,
                fmt,
            )
        except (ExportctlError, typer.Exit):
            raise
        except Exception as err:  # never a traceback: one line, exit 2, and the fail-closed word
            raise ExportctlError(
                f"internal error ({type(err).__name__}: {_first_line(err)}); no determination made"
            ) from None


def _first_line(err: Exception) -> str:
    text = str(err)
    return text.splitlines()[0][:200] if text else ""


class BookOptions:
    """How to read an order book: column mapping, ignored columns, date format and override, the text
    encoding and the workbook's sheet."""

    def __init__(
        self,
        columns_file: Path | None,
        column: list[str],
        ignore: list[str],
        date_format: str | None,
        date_override: bool,
        encoding: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.columns_file = columns_file
        self.encoding = encoding
        self.sheet = sheet
        self.column = column
        self.ignore = ignore
        self.date_format = date_format
        self.date_override = date_override

    def kwargs(self) -> dict[str, Any]:
        """check_file's options (the mapping read and checked before any work)."""
        from exportctl.ops.check_columns import column_options, load_column_map

        mapping = load_column_map(self.columns_file) if self.columns_file else {}
        mapping.update(column_options(self.column))
        return {
            "columns": mapping,
            "ignore_columns": list(self.ignore),
            "date_format": self.date_format,
            "date_override": self.date_override,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "warn": lambda text: stderr.print(f"warning: {text}", markup=False, highlight=False),
        }

    def used(self) -> bool:
        """True when some book option was given."""
        return bool(
            self.columns_file
            or self.column
            or self.ignore
            or self.date_format
            or self.date_override
            or self.encoding
            or self.sheet
        )


def _run(
    book: BookOptions,
    orders: Path | None,
    eccn: str | None,
    product: str | None,
    exporting_country: str,
    to: str | None,
    party: list[str | None],
    end_use: str | None,
    value: str | None,
    date: str | None,
    known_on: str | None,
    scenario: str | None,
    output: Path | None,
    fail_on: str | None,
    demo: bool,
    exact: bool,
    fmt: Format,
) -> None:
    """The body of `check`, after option parsing."""
    if book.date_override and date is None:
        raise InputError(
            "--date-override needs --date: the date that replaces the book's dates", field="date"
        )
    as_of = parse_date(date, "date") if date is not None else today()
    known = parse_date(known_on, "known_on") if known_on is not None else None
    check_fail_on(fail_on)  # a bad --fail-on is refused before any work
    scen = _scenario(scenario)
    if output is not None:
        if not (demo or orders is not None):
            raise InputError(
                "--output needs an order book (or --demo); use --format for one check", field="output"
            )
        file_format(output, "output")  # refused before a long batch, not after it
    if demo or orders is not None:
        path = demo_orders() if demo else orders
        assert path is not None
        kwargs = {"as_of": as_of, "known_on": known, "scenario": scen, "fuzzy": not exact, **book.kwargs()}
        resume_gc()  # a book's rows are the command's own work: collected as usual
        code = _batch(path, output, fmt, fail_on, kwargs)
        raise typer.Exit(code)
    require_object_format(fmt)
    if book.used():
        raise InputError(
            "--columns, --column, --ignore-column, --date-format, --date-override, --encoding and --sheet "
            "read an order book",
            field="orders",
        )
    if not to:
        raise InputError("give --to COUNTRY (or an order book file, or --demo)", field="to")
    from exportctl.ops.check import check_one

    obj = _as_option(check_one)(
        destination=to,
        as_of=as_of,
        eccn=eccn,
        product=product,
        exporting_country=exporting_country,
        parties=party,
        end_use=end_use,
        value=value,
        known_on=known,
        scenario=scen,
        fuzzy=not exact,
        neighbours=False,  # a one-shot process: no block of neighbours it would never ask
    )
    resume_gc()  # the data, one regime and the answer are loaded (fronts.cli.startup)
    emit_object(obj, fmt, render_answer)
    raise typer.Exit(1 if fails([str(obj["verdict"])], fail_on) else 0)


# ops, order books and the API name the country of destination `destination`; this command's option is
# `--to` (the contract's), so an error about the field names the option a user of the command typed
OPTION_OF_FIELD = {"destination": "to"}


def _as_option(func: Callable[..., R]) -> Callable[..., R]:
    """`func` whose InputErrors name this command's options (OPTION_OF_FIELD), not ops's fields."""

    @wraps(func)
    def call(*args: Any, **kwargs: Any) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            err.field = OPTION_OF_FIELD.get(err.field or "", err.field)
            raise

    return call
