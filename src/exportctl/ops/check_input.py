"""Transactions as users write them -> the engines' canonical columns, with one error per bad row.

Values are resolved once per distinct value (countries, ECCNs, dates), then joined back, so a million-row
order book costs as much as its distinct values.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import polars as pl

from exportctl.errors import ExportctlError, InputError
from exportctl.model.countries import resolve_country
from exportctl.model.dates import parse_date
from exportctl.model.items import parse_china_code, parse_eccn
from exportctl.ops.amounts import USD, amount, number_text
from exportctl.ops.check_columns import PARTY_ROLES, Placement, place_columns
from exportctl.ops.check_dates import column_order, parse_book_date
from exportctl.ops.defaults import today

ROLES = PARTY_ROLES

# the engines' input columns, from the fields of the book (check_columns.FIELDS)
INTERNAL = {"exporting_country": "exporting", "eccn": "item", "date": "as_of"}
COLUMNS = (
    "exporting",
    "item",
    "hts",
    "product",
    "description",
    "destination",
    "end_use",
    "value",
    "currency",
    "as_of",
    "known_on",
    *ROLES,
    *(f"{r}_country" for r in ROLES),
)
END_USES = (
    "military",
    "military-intelligence",
    "supercomputer",
    "advanced-node-ic-production",
    "advanced-node IC production",
    "nuclear",
    "missile",
    "chemical-biological",
    "sme-development-or-production",
    "SME development or production",
)


def canonical(df: pl.DataFrame, placement: Placement | None = None) -> pl.DataFrame:
    """The book's columns renamed to the engines' names (`placement`, else recognised spellings).

    Absent columns become nulls; `product` falls back to the description; `parties_screened` is true
    where some party cell holds a name.
    """
    if placement is None:
        placement = place_columns(df.columns, text_columns=df.columns)
    src = {INTERNAL.get(f, f): h for f, h in placement.fields.items()}
    stated = {"currency": placement.currency} if placement.currency else {}
    cols = [
        (pl.col(src[name]).cast(pl.Utf8) if name in src else pl.lit(stated.get(name), pl.Utf8)).alias(name)
        for name in COLUMNS
    ]
    # with_columns, not select: a frame with none of the known columns keeps its height (all literals)
    out = df.with_columns(cols).select(list(COLUMNS))
    # blank cells (CSV, XLSX) are missing values, not values
    out = out.with_columns([pl.col(c).str.strip_chars().replace("", None) for c in out.columns])
    out = out.with_columns(
        product=pl.coalesce("product", "description"),
        parties_screened=pl.any_horizontal([pl.col(r).is_not_null() for r in ROLES]),
    )
    return out.with_columns(pl.int_range(1, df.height + 1, dtype=pl.Int64).alias("row"))


def _map_distinct(values: Iterable[Any], fn: Callable[[str], Any]) -> dict[str, tuple[Any, str | None]]:
    out: dict[str, tuple[Any, str | None]] = {}
    for v in values:
        if v is None or v in out:
            continue
        try:
            out[v] = (fn(v), None)
        except ExportctlError as err:
            out[v] = (None, err.one_line())
    return out


def nearest_eccns(raw: str, known: set[str]) -> list[str]:
    """The valid ECCNs closest to an unknown one."""
    base = raw.upper().split(".")[0]
    close = difflib.get_close_matches(base, sorted(known), n=5, cutoff=0.6)
    return close or sorted(k for k in known if k[:3] == base[:3])[:5]


def eccn_value(text: str, known: set[str]) -> str:
    """A known ECCN (with subparagraph) or EAR99; InputError naming the nearest valid ECCNs."""
    try:
        e = parse_eccn(text)
    except InputError as err:
        raise InputError(
            err.message, field="eccn", suggestions=err.suggestions or nearest_eccns(text.strip(), known)
        ) from None
    if not e.is_ear99 and known and e.code not in known:
        raise InputError(
            f"unknown ECCN {e.full!r}: not on the Commerce Control List",
            field="eccn",
            suggestions=nearest_eccns(e.code, known),
        )
    return e.full


def date_orders(values: Mapping[str, Iterable[str | None]]) -> dict[str, str | None]:
    """Per date column, the day/month order its values settle (check_dates.column_order)."""
    return {col: column_order(v) for col, v in values.items()}


def resolve(
    df: pl.DataFrame,
    known_eccns: set[str],
    default_as_of: dt.date | None,
    *,
    date_format: str | None = None,
    date_override: bool = False,
    orders: Mapping[str, str | None] | None = None,
    date_formats: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Canonical frame -> typed engine input with `error` (first problem of the row, else null).

    `default_as_of` fills missing dates, or with `date_override` replaces every date of the book.
    `orders` are the day/month orders settled by the whole book (`date_orders`), when `df` is a part.
    `date_formats` {field: strptime format} are formats the book's headers state ('Date (DD/MM/YYYY)');
    a `date_format` the user gives wins over them.
    """
    errs: list[pl.Expr] = []
    exporting = _map_distinct(df["exporting"].unique().to_list(), exporting_code)
    df = _apply(df, "exporting", exporting, pl.Utf8, errs)
    df = df.with_columns(pl.col("exporting").fill_null("US"))
    for col in ["destination", *[f"{r}_country" for r in ROLES]]:
        mapping = _map_distinct(df[col].unique().to_list(), partial(country_code, field=col))
        df = _apply(df, col, mapping, pl.Utf8, errs)
    us = df.filter(pl.col("exporting") == "US")["item"].unique().to_list()
    cn = df.filter(pl.col("exporting") == "CN")["item"].unique().to_list()
    eccns = _map_distinct(us, lambda v: eccn_value(v, known_eccns))
    codes = _map_distinct(cn, lambda v: str(parse_china_code(v, field="item")))
    df = df.with_columns(
        eccn=pl.when(pl.col("exporting") == "US").then(
            pl.col("item").replace_strict({k: v[0] for k, v in eccns.items()}, default=None)
        ),
        cn_item=pl.when(pl.col("exporting") == "CN").then(
            pl.col("item").replace_strict({k: v[0] for k, v in codes.items()}, default=None)
        ),
    )
    item_err = {k: v[1] for k, v in {**codes, **eccns}.items() if v[1]}
    errs.append(pl.col("item").replace_strict(item_err, default=None))
    if date_override:
        if default_as_of is None:
            raise InputError("--date-override needs --date: the date that replaces the book's", field="date")
        df = df.with_columns(pl.lit(None, pl.Utf8).alias("as_of"))
    for col in ("as_of", "known_on"):
        values = df[col].unique().to_list()
        order = (orders or {}).get(col) if orders is not None else column_order(values)
        stated = (date_formats or {}).get("date" if col == "as_of" else col)
        parse = partial(_date, field=col, date_format=date_format or stated, order=order)
        df = _apply(df, col, _map_distinct(values, parse), pl.Date, errs)
    if default_as_of is not None:
        # a date that failed to parse stays empty (its row is held naming it), not today's date
        df = df.with_columns(
            pl.when(pl.col("as_of_err").is_null()).then(pl.col("as_of").fill_null(default_as_of))
        )
    end_uses = _map_distinct(df["end_use"].unique().to_list(), end_use_value)
    df = _apply(df, "end_use", end_uses, pl.Utf8, errs)
    # '12.000,50', '$1,500', 'USD 1500' (ops.amounts); NaN, infinity and negative values are not values:
    # they would bend the LVS comparison; a cell in another currency is held like a currency column's
    df = df.with_columns(pl.col("value").cast(pl.Utf8))
    amounts = _map_distinct(df["value"].unique().to_list(), amount)
    foreign = {k: v[0][1] for k, v in amounts.items() if v[0] is not None and v[0][1]}
    df = df.with_columns(
        value_currency=pl.col("value").replace_strict(foreign, default=None, return_dtype=pl.Utf8)
    )
    numbers = {k: (None if v[0] is None else v[0][0], v[1]) for k, v in amounts.items()}
    df = _apply(df, "value", numbers, pl.Float64, errs)
    errs.append(
        pl.when(pl.col("value_currency").is_not_null())
        .then(
            pl.concat_str(
                pl.lit("field 'value': the value is in "),
                pl.col("value_currency"),
                pl.lit(
                    " (written in the cell); values are compared in USD (LVS): convert it, or leave it empty"
                ),
            )
        )
        .otherwise(None)
    )
    currency = pl.col("currency").str.to_uppercase().str.replace_all(r"[\s.]", "")
    errs.append(
        pl.when(pl.col("value").is_not_null() & currency.is_not_null() & ~currency.is_in(USD))
        .then(
            pl.concat_str(
                pl.lit("field 'currency': the value is in "),
                pl.col("currency").str.slice(0, 12),
                pl.lit("; values are compared in USD (LVS): convert it, or leave the value empty"),
            )
        )
        .otherwise(None)
    )
    errs.append(
        pl.when(pl.col("as_of").is_null()).then(pl.lit("field 'as_of': no date given")).otherwise(None)
    )
    errs.append(
        pl.when(pl.col("destination").is_null() & pl.col("destination_err").is_null())
        .then(pl.lit("field 'destination': missing"))
        .otherwise(None)
    )
    errs.append(
        pl.when(pl.col("item").is_null() & pl.col("product").is_null())
        .then(pl.lit("field 'eccn': give an ECCN (or item code) or a product"))
        .otherwise(None)
    )
    df = df.with_columns(error=pl.coalesce(errs))
    return df.drop([c for c in df.columns if c.endswith("_err")])


def _norm_end_use(text: str) -> str:
    return "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def end_use_value(text: str) -> str:
    """An end use the measures name (spelling as given); InputError with the nearest ones otherwise.

    An unknown end use must not pass silently: a misspelt 'militray' would drop the end-use controls.
    """
    known = {_norm_end_use(u): u for u in END_USES}
    if _norm_end_use(text) in known:
        return text
    close = difflib.get_close_matches(_norm_end_use(text), sorted(known), n=5, cutoff=0.5)
    raise InputError(
        f"unknown end use {text[:40]!r}: leave it empty when none of the listed end uses applies",
        field="end_use",
        suggestions=close or sorted(known),
    )


def _apply(
    df: pl.DataFrame, col: str, mapping: dict[str, tuple[Any, str | None]], dtype: Any, errs: list[pl.Expr]
) -> pl.DataFrame:
    good = {k: v[0] for k, v in mapping.items()}
    bad = {k: v[1] for k, v in mapping.items() if v[1]}
    df = df.with_columns(
        pl.col(col).replace_strict(bad, default=None, return_dtype=pl.Utf8).alias(f"{col}_err"),
        pl.col(col).replace_strict(good, default=None, return_dtype=dtype).alias(col),
    )
    errs.append(pl.col(f"{col}_err"))
    return df


def country_code(value: str, field: str) -> str:
    """A country (code or name) or an EAR region (UA-43) as the engines' code; InputError naming `field`."""
    # regions the EAR names by ISO 3166-2 code (Crimea UA-43, Sevastopol UA-40, DNR UA-14, LNR UA-09)
    text = value.strip().upper()
    if len(text) == 5 and text[2] == "-" and text[:2].isalpha() and text[3:].isdigit():
        return resolve_country(text[:2], field=field).code + text[2:]
    return resolve_country(value, field=field).code


def exporting_code(value: str) -> str:
    v = value.strip().upper()
    if v in ("US", "USA", "UNITED STATES", "US-EAR"):
        return "US"
    if v in ("CN", "CHN", "CHINA", "PRC", "CN-EXPORT"):
        return "CN"
    raise InputError(f"exporting country must be US or CN, not {value[:20]!r}", field="exporting_country")


def _date(value: str, field: str, date_format: str | None, order: str | None) -> dt.date:
    return parse_book_date(value, field, date_format, order)


def transaction_row(
    *,
    destination: str,
    as_of: dt.date | str | None = None,
    eccn: str | None = None,
    product: str | None = None,
    exporting_country: str = "US",
    parties: Sequence[str | None] = (),
    end_use: str | None = None,
    value: float | str | None = None,
    known_on: dt.date | str | None = None,
) -> dict[str, Any]:
    """One transaction as a row of an order book (text cells; parties by role, in ROLES order).

    Without `as_of`, today in UTC (ops.defaults.today), as in every front. `as_of` and `known_on` may be
    ISO strings ("2025-06-01"); anything else raises InputError naming the field.
    """
    as_of, known_on = day_arg(as_of, "as_of"), day_arg(known_on, "known_on")
    row: dict[str, Any] = {
        "exporting_country": exporting_country,
        "eccn": eccn,
        "product": product,
        "destination": destination,
        "end_use": end_use,
        # a typed number is one number: number_text keeps 1.234 from reading as 1,234 (ops.amounts)
        "value": None if value is None else value if isinstance(value, str) else number_text(value),
        "as_of": (as_of or today()).isoformat(),
        "known_on": known_on.isoformat() if known_on else None,
    }
    for role, name in zip(ROLES, parties, strict=False):
        row[role] = name
    return row


def day_arg(value: dt.date | str | None, field: str) -> dt.date | None:
    """A library caller's date: a date, a datetime (its day), an ISO string, or None; InputError(field)."""
    if value is None:
        return None
    if not isinstance(value, dt.date | str):
        raise InputError(f"not a date: {str(value)[:40]!r} (give YYYY-MM-DD or a datetime.date)", field=field)
    return parse_date(value, field)


def transaction_echo(row: Mapping[str, Any], parties: Sequence[str | None] = ()) -> dict[str, Any]:
    """The `transaction` an answer repeats: the row's given fields (parties by role too), and the parties as
    the list given."""
    given = {k: v for k, v in row.items() if v is not None}
    return given | ({"parties": list(parties)} if parties else {})
