"""Transactions as users write them -> the engines' canonical columns, with one error per bad row.

Values are resolved once per distinct value (countries, ECCNs, dates), then joined back, so a million-row
order book costs as much as its distinct values.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import polars as pl

from exportctl.errors import ExportctlError, InputError
from exportctl.model.countries import resolve_country
from exportctl.model.items import parse_china_code, parse_eccn

ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee", "purchaser")

# accepted spellings of each canonical column (first found wins)
ALIASES: dict[str, tuple[str, ...]] = {
    "exporting": ("exporting_country", "exporting", "jurisdiction", "from", "exporter_country"),
    "item": ("eccn", "item", "control_code", "classification"),
    "hts": ("hts", "cn_customs_code", "customs_code", "hs_code"),
    "product": ("product", "description", "item_description"),
    "destination": ("destination", "to", "country", "destination_country"),
    "end_use": ("end_use", "enduse"),
    "value": ("value", "value_usd", "usd", "amount"),
    "as_of": ("as_of", "date", "ship_date"),
    "known_on": ("known_on",),
    "scenario": ("scenario",),
    **{r: (r,) for r in ROLES},
    **{f"{r}_country": (f"{r}_country",) for r in ROLES},
}
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


def canonical(df: pl.DataFrame) -> pl.DataFrame:
    """Rename the accepted spellings to canonical names; absent columns become nulls."""
    lower = {c.lower().strip().replace(" ", "_").replace("-", "_"): c for c in df.columns}
    cols = []
    for name, spellings in ALIASES.items():
        src = next((lower[s] for s in spellings if s in lower), None)
        cols.append((pl.col(src).cast(pl.Utf8) if src else pl.lit(None, pl.Utf8)).alias(name))
    # with_columns, not select: a frame with none of the known columns keeps its height (all literals)
    out = df.with_columns(cols).select(list(ALIASES))
    # blank cells (CSV, XLSX) are missing values, not values
    out = out.with_columns([pl.col(c).str.strip_chars().replace("", None) for c in out.columns])
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


def resolve(df: pl.DataFrame, known_eccns: set[str], default_as_of: dt.date | None) -> pl.DataFrame:
    """Canonical frame -> typed engine input with `error` (first problem of the row, else null)."""
    errs: list[pl.Expr] = []
    exporting = _map_distinct(df["exporting"].unique().to_list(), _exporting)
    df = _apply(df, "exporting", exporting, pl.Utf8, errs)
    df = df.with_columns(pl.col("exporting").fill_null("US"))
    for col in ["destination", *[f"{r}_country" for r in ROLES]]:
        mapping = _map_distinct(df[col].unique().to_list(), partial(_country, field=col))
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
    for col in ("as_of", "known_on"):
        mapping = _map_distinct(df[col].unique().to_list(), partial(_date, field=col))
        df = _apply(df, col, mapping, pl.Date, errs)
    if default_as_of is not None:
        df = df.with_columns(pl.col("as_of").fill_null(default_as_of))
    end_uses = _map_distinct(df["end_use"].unique().to_list(), end_use_value)
    df = _apply(df, "end_use", end_uses, pl.Utf8, errs)
    number = pl.col("value").str.replace_all(r"[$,\s]", "").cast(pl.Float64, strict=False)
    df = df.with_columns(
        # NaN, infinity and negative values are not values: they would bend the LVS comparison
        value=pl.when(number.is_finite() & (number >= 0)).then(number),
        value_bad=pl.col("value").is_not_null() & ~(number.is_finite() & (number >= 0)).fill_null(False),
    )
    errs.append(
        pl.when(pl.col("value_bad"))
        .then(pl.lit("field 'value': not a finite, non-negative number of USD"))
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
    return df.drop([c for c in df.columns if c.endswith("_err")] + ["value_bad"])


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


def _country(value: str, field: str) -> str:
    # regions the EAR names by ISO 3166-2 code (Crimea UA-43, Sevastopol UA-40, DNR UA-14, LNR UA-09)
    text = value.strip().upper()
    if len(text) == 5 and text[2] == "-" and text[:2].isalpha() and text[3:].isdigit():
        return resolve_country(text[:2], field=field).code + text[2:]
    return resolve_country(value, field=field).code


def _exporting(value: str) -> str:
    v = value.strip().upper()
    if v in ("US", "USA", "UNITED STATES", "US-EAR"):
        return "US"
    if v in ("CN", "CHN", "CHINA", "PRC", "CN-EXPORT"):
        return "CN"
    raise InputError(f"exporting country must be US or CN, not {value[:20]!r}", field="exporting_country")


def _date(value: str, field: str) -> dt.date:
    text = value.strip()
    # a date, or a date-time from a spreadsheet ('2025-05-01 00:00:00'); never a date with more after it
    # ('2025-05-011' is a typo, not the 1st of May)
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date in the form YYYY-MM-DD: {value[:30]!r}", field=field) from None
