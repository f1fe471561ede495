"""Which column of a tariff lines file is which field: the headers brokers and importers export.

A customs broker's or an importer's line file says `HTS Code`, `HTSUS No.`, `Country of Origin`, `COO`,
`Entry Date`, `Entered Value (USD)`: the batch's fields are hts, origin and date [, destination, value,
currency, quantity, unit, special_program, steel_content, aluminum_content, copper_content, mode, entry].
Headers are compared as order-book headers are (ops.column_spellings.normalise_header: case, spacing,
punctuation, camelCase, `No.`/`Qty`/`Ctry` abbreviations) and by the notes they carry (ops.column_notes:
`Value (EUR)` holds its rows, `Entry Date (DD/MM/YYYY)` states the day/month order). Every column is
placed: on a field, on a reference kept in the output for the user to join back (part number, line,
description, invoice ...), or ignored because the user said so; any other column stops the run naming it,
as an order book's does (a column dropped silently is a duty nobody priced). Dates are read as order books'
are (ops.check_dates): ISO, spreadsheet serials, month names, and a day/month order the column settles; an
ambiguous one (`04/03/2025`) leaves its line unanswered with the reason in `error`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.check_columns import Placement, Vocabulary, place_columns
from exportctl.ops.check_dates import column_order, parse_book_date
from exportctl.ops.column_spellings import normalise_header

__all__ = [
    "TARIFF_FIELDS",
    "TARIFF_LINES",
    "place_tariff_columns",
    "price_lines",
    "tariff_field",
    "tariff_lines",
    "tariff_target",
]

# field -> accepted spellings before normalisation (the field's own name is one)
TARIFF_FIELDS: dict[str, tuple[str, ...]] = {
    "hts": (
        "hts code",
        "hts number",
        "htsus",
        "htsus number",
        "htsus code",
        "hts us",
        "hts classification",
        "hts 10",
        "hs",
        "hs code",
        "tariff code",
        "tariff number",
        "tariff classification",
        "tariff classification number",
        "harmonized code",
        "harmonized tariff number",
        "harmonized tariff schedule number",
        "harmonized system code",
        "classification",
        "commodity code",
    ),
    "origin": (
        "country of origin",
        "origin country",
        "orig",
        "orig country",
        "country orig",
        "country of orig",
        "coo",
        "coo code",
        "country origin",
        "made in",
        "manufacturing country",
        "country of manufacture",
        "source country",
    ),
    "date": (
        "as of",
        "entry date",
        "date of entry",
        "import date",
        "date of import",
        "importation date",
        "arrival date",
        "date of arrival",
        "release date",
        "entry summary date",
        "withdrawal date",
    ),
    "destination": ("importing country", "import country", "country of import", "country of importation"),
    "value": (
        "customs value",
        "entered value",
        "declared value",
        "invoice value",
        "line value",
        "value usd",
        "amount",
        "amount usd",
        "customs value usd",
        "entered value usd",
        "total value",
        "line amount",
    ),
    "currency": ("currency code", "curr", "ccy", "cur"),
    "quantity": ("qty", "units", "pieces", "quantity 1", "reporting quantity"),
    "unit": ("uom", "unit of measure", "quantity unit", "unit 1"),
    "special_program": ("spi", "special program indicator", "program", "preference", "preference program"),
    "steel_content": ("steel content value", "value of steel content", "steel value"),
    "aluminum_content": (
        "aluminium content",
        "aluminum content value",
        "value of aluminum content",
        "aluminum value",
        "aluminium value",
    ),
    "copper_content": ("copper content value", "value of copper content", "copper value"),
    "mode": ("mode of transport", "transport mode", "mot", "mode of transportation"),
    "entry": ("entry number", "entry no", "entry id", "customs entry number", "entry summary number"),
    # references: kept in the output for the user to join back; several columns may share one
    "part_number": (
        "part",
        "sku",
        "material",
        "material number",
        "item",
        "item number",
        "product code",
        "product number",
        "article number",
        "style",
        "style number",
    ),
    "line": ("line number", "line item", "position", "pos", "invoice line"),
    "description": ("item description", "product description", "goods description", "commercial description"),
    "reference": (
        "invoice",
        "invoice number",
        "po",
        "po number",
        "purchase order",
        "purchase order number",
        "order",
        "order number",
        "shipment",
        "shipment number",
        "bill of lading",
        "bol",
        "supplier",
        "vendor",
        "manufacturer",
        "note",
        "notes",
        "comment",
        "comments",
    ),
}
_REFERENCES = ("part_number", "line", "description", "reference")
_SPELLINGS: dict[str, str] = {
    normalise_header(spelling): name
    for name, aliases in TARIFF_FIELDS.items()
    for spelling in (name, *aliases)
}


def tariff_field(header: str) -> str | None:
    """The tariff lines field a header or field name reads as, or None."""
    return _SPELLINGS.get(normalise_header(header))


def tariff_target(name: str, source: str) -> str:
    """The field a mapping's right-hand side names; InputError naming the fields otherwise."""
    found = tariff_field(name)
    if found is None:
        raise InputError(
            f"{source}: {name!r} is not a tariff lines field; the fields: {', '.join(TARIFF_FIELDS)}",
            field="columns",
        )
    return found


TARIFF_LINES = Vocabulary(
    tariff_field,
    _REFERENCES,
    tuple(TARIFF_FIELDS),
    _SPELLINGS,
    "'HTS Code', 'Country of Origin', 'Entry Date'",
)


def place_tariff_columns(
    headers: Iterable[str], mapping: Mapping[str, str] | None = None, ignore: Iterable[str] = ()
) -> Placement:
    """Place every header of a tariff lines file; InputError (field `columns`) naming each unplaced one."""
    for name in (mapping or {}).values():
        if tariff_field(name) is None:
            raise InputError(
                f"{name!r} is not a tariff lines field; the fields: {', '.join(TARIFF_FIELDS)}",
                field="columns",
            )
    canon = {k: str(tariff_field(v)) for k, v in (mapping or {}).items()}
    return place_columns(list(headers), canon, ignore, source="the tariff lines", vocabulary=TARIFF_LINES)


def _dates(values: pl.Series, header: str, date_format: str | None) -> tuple[pl.Series, pl.Series]:
    """(the dates of a column, the error of each value that is not one) as order books' dates are read."""
    if values.dtype == pl.Date or isinstance(values.dtype, pl.Datetime):
        return values.cast(pl.Date), pl.Series([None] * values.len(), dtype=pl.Utf8)
    texts = values.cast(pl.Utf8)
    order = column_order(texts.drop_nulls().unique().to_list())
    read: dict[str, tuple[dt.date | None, str | None]] = {}
    for text in texts.drop_nulls().unique().to_list():
        try:
            read[text] = (parse_book_date(text, header, date_format, order), None)
        except InputError as err:
            read[text] = (None, f"field {header!r}: {err.message}")
    days = pl.Series([read[t][0] if t is not None else None for t in texts.to_list()], dtype=pl.Date)
    errors = pl.Series([read[t][1] if t is not None else None for t in texts.to_list()], dtype=pl.Utf8)
    return days, errors


def tariff_lines(
    frame: pl.DataFrame,
    mapping: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    date_format: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the lines under the batch's field names with their dates read, the references and date errors by
    line_id, to join onto the answers). InputError when a column has no place or a field is missing."""
    placement = place_tariff_columns(frame.columns, mapping, ignore)
    for need in ("hts", "origin", "date"):
        if need not in placement.fields:
            raise InputError(
                f"the tariff lines have no {need} column (their columns: "
                f"{', '.join(repr(c) for c in frame.columns[:12])}); map one with --column HEADER={need}",
                field=need,
            )
    keyed = frame.with_row_index("line_id")
    date_header = placement.fields["date"]
    days, errors = _dates(keyed[date_header], date_header, date_format or placement.date_formats.get("date"))
    columns: list[Any] = [pl.col("line_id")]
    columns += [pl.col(header).alias(name) for name, header in placement.fields.items() if name != "date"]
    lines = keyed.select(*columns).with_columns(days.alias("date"))
    if placement.currency is not None and "currency" not in lines.columns:
        lines = lines.with_columns(pl.lit(placement.currency).alias("currency"))
    refs = [h for headers in placement.references.values() for h in headers]
    echo = keyed.select("line_id", *refs).with_columns(
        errors.alias("error"), keyed[date_header].cast(pl.Utf8).alias("date_as_written")
    )
    return lines, echo


def price_lines(
    frame: pl.DataFrame,
    mapping: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    date_format: str | None = None,
    **batch: Any,
) -> pl.DataFrame:
    """Duty stacks for a tariff lines file as its author wrote it (any placed headers, dates as books
    write them): `ops.tariff.run_batch`'s answers with the file's reference columns, and `error` where a
    line's date could not be read. `batch` is run_batch's (known_on, scenario)."""
    from exportctl.ops.tariff import run_batch

    lines, echo = tariff_lines(frame, mapping, ignore, date_format)
    answers = run_batch(lines, **batch)
    echo = echo.with_columns(pl.col("line_id").cast(answers.schema["line_id"]))
    clash = [c for c in echo.columns if c in answers.columns and c != "line_id"]
    return answers.join(echo.rename({c: f"{c} (as written)" for c in clash}), on="line_id", how="left")
