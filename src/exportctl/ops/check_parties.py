"""The parties of a book before the engines see them: which columns hold parties, names with nothing to
screen held with an error naming the field, and rows with no party marked as not screened (never a silent
clearance)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

import polars as pl

from exportctl.engine.common.reasons import REASON_DTYPE, lit, reason_struct
from exportctl.ops.check_columns import Placement, place_columns

PARTY_COLUMNS = ("ultimate_consignee", "end_user", "intermediate_consignee", "purchaser")
NO_PARTY_COLUMN = (
    "the order book has no party column (customer, consignee, end user ...): parties not screened; "
    "a verdict covers the item and country checks only (column parties_screened = false)"
)
_NOT_SCREENED_CITATION = (
    "15 CFR 744.11 and Supp. No. 4 to part 744 (Entity List); Supp. No. 3 to part 732 (Know Your Customer)"
)


def placement_of(
    orders: pl.DataFrame,
    columns: Mapping[str, str] | None = None,
    ignore: Sequence[str] = (),
    source: str = "the order book",
    blank: Sequence[str] | None = None,
) -> Placement:
    """Where each column of a book (or of its results) goes; InputError naming a column with no place.

    `blank`: the headerless columns with no value in the whole book, when `orders` is only a part of it.
    """
    text = [c for c, t in orders.schema.items() if t in (pl.Utf8, pl.String, pl.Categorical)]
    # a column without a header and without a value (a trailing comma, a formatted empty XLSX column)
    # holds nothing to place; one with values is placed or refused like any other
    if blank is None:
        blank = [
            c
            for c in orders.columns
            if (not c.strip() or re.fullmatch(r"column_\d+", c))
            and orders[c].cast(pl.Utf8).str.strip_chars().replace("", None).null_count() == orders.height
        ]
    blank = [c for c in blank if (columns or {}).get(c) is None]
    return place_columns(orders.columns, columns, [*ignore, *blank], text_columns=text, source=source)


def no_destination_note(placement: Placement, headers: Sequence[str]) -> str | None:
    """What to say of a book with no destination column (every row then holds naming the field), with
    the columns that might hold it, or None when it has one."""
    if "destination" in placement.fields:
        return None
    placed = {h: f for f, h in placement.fields.items()}
    maybe = [h for h in headers if "country" in h.lower() or placed.get(h, "").endswith("_country")]
    hint = f"; if {maybe[0]!r} holds it, map it: --column {maybe[0] + '=destination'!r}" if maybe else ""
    return (
        "the order book has no destination column (Ship-To Country, Destination ...): every row holds "
        f"naming field 'destination'{hint}"
    )


def _unscreened_note() -> pl.Expr:
    """The reason a row whose parties were not screened carries (reads the row's `error`)."""
    text = (
        pl.when(pl.col("error").is_not_null())
        .then(lit("parties not screened: the row was not determined (see its error)"))
        .otherwise(
            lit(
                "parties not screened: no party name in this row; the verdict covers the item and "
                "country checks only. Screen the purchaser, consignees and end user before exporting"
            )
        )
    )
    return reason_struct(
        step=lit("DATA"),
        code=lit("parties-not-screened"),
        citation=lit(_NOT_SCREENED_CITATION),
        effect=lit("warning"),
        le_ok=pl.lit(False),
        conditional=pl.lit(False),
        text=text,
    )


@functools.cache
def _unscreened_reason() -> dict[str, object]:
    note: dict[str, object] = (
        pl.DataFrame({"error": [None]}, schema={"error": pl.Utf8}).select(_unscreened_note()).item()
    )
    return note


def unscreened_reason() -> dict[str, object]:
    """The reason mark_unscreened gives a determined row that names no party (a new dict)."""
    return dict(_unscreened_reason())


def mark_unscreened(out: pl.DataFrame) -> pl.DataFrame:
    """Rows whose parties were not screened carry a reason saying so (never a silent clearance)."""
    note = _unscreened_note()
    out = out.with_columns(pl.col("parties_screened").fill_null(False)).with_row_index("_i")
    todo = out.filter(~pl.col("parties_screened"))
    if todo.height == 0:
        return out.drop("_i")
    # appended through explode and group_by: a per-row list concat of structs is ~50x slower
    have = todo.select("_i", pl.col("reasons").cast(pl.List(REASON_DTYPE))).explode("reasons")
    merged = (
        pl.concat([have.drop_nulls("reasons"), todo.select("_i", note.alias("reasons"))])
        .group_by("_i")
        .agg(pl.col("reasons").alias("_r"))
    )
    return (
        out.join(merged, on="_i", how="left")
        .with_columns(reasons=pl.coalesce("_r", pl.col("reasons").cast(pl.List(REASON_DTYPE))))
        .sort("_i")
        .drop("_i", "_r")
    )


def hold_unscreenable(df: pl.DataFrame, headers: Mapping[str, str] | None = None) -> pl.DataFrame:
    """A party name with nothing to screen in it ("!!!", "--") gives its row an error naming the field
    (and the book's column, from `headers`): the row is held, never cleared unscreened (a long name is
    screened on its name part: engine/screening/name_part.py)."""
    for col in [c for c in PARTY_COLUMNS if c in df.columns and df[c].dtype == pl.Utf8]:
        texts = [t for t in df[col].drop_nulls().unique().to_list() if t.strip()]
        bad = [t for t in texts if not screenable(t)]
        if bad:
            column = (headers or {}).get(col)
            where = f" (column {column!r})" if column and column != col else ""
            message = f"field '{col}'{where}: the party name has nothing to screen (no letters or digits)"
            df = df.with_columns(
                error=pl.when(pl.col("error").is_null() & pl.col(col).is_in(bad))
                .then(pl.lit(message))
                .otherwise(pl.col("error"))
            )
    return df


@functools.lru_cache(maxsize=100_000)
def screenable(name: str) -> bool:
    """Whether a party name has something to screen (name_part.screenable), remembered: the chunks of a
    book repeat their parties' names."""
    from exportctl.engine.screening.name_part import screenable

    return screenable(name)


def has_parties(frame: pl.DataFrame) -> bool:
    """Whether any row of the frame names a party."""
    cols = [c for c in PARTY_COLUMNS if c in frame.columns]
    return frame.height > 0 and any(frame[c].drop_nulls().len() for c in cols)
