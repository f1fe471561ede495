"""The listing dates of a data version's party lists (engine.list_dates over the bundled Federal Register
facts and the version's `ofac_sdn_dates` table), kept in memory per data version."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from typing import Any

import polars as pl

from exportctl.engine.list_dates import DATE_COLUMNS, date_entries
from exportctl.sources.fr_pages import Notices, PageDates, load_notices, load_page_dates

__all__ = ["DATED_KEYS", "as_of_lists", "federal_register", "list_dates", "with_dates"]

_lock = threading.Lock()
_memory: dict[str, pl.DataFrame] = {}


@functools.cache
def federal_register() -> tuple[Notices, PageDates]:
    """The bundled notices.yaml and page table (read once)."""
    return load_notices(), load_page_dates()


def _snapshot_of(dataset: Any, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(dataset.source(name).date)[:10])
    except (KeyError, ValueError, AttributeError):
        return dt.date.max  # an undated list: every date before "never" is uncertain (fail closed)


def _snapshot(dataset: Any) -> dt.date:
    return _snapshot_of(dataset, "csl")


def list_dates(dataset: Any, lists: pl.DataFrame | None = None) -> pl.DataFrame:
    """(list, entity_id, listed_from, listed_by, listed_basis) for the dataset's CSL (or `lists`)."""
    key = str(dataset.version) + ("" if lists is None else f":{lists.height}")
    with _lock:
        hit = _memory.get(key)
    if hit is not None:
        return hit
    table = lists if lists is not None else dataset.table("csl")
    sdn = dataset.table("ofac_sdn_dates") if dataset.has("ofac_sdn_dates") else None
    notices, pages = federal_register()
    dates = date_entries(table, notices, pages, sdn, _snapshot(dataset))
    with _lock:
        if len(_memory) > 4:
            _memory.clear()
        _memory[key] = dates
    return dates


def with_dates(dataset: Any, lists: pl.DataFrame) -> pl.DataFrame:
    """`lists` with the date columns joined on (list, entity_id)."""
    dates = list_dates(dataset, lists)
    return lists.drop([c for c in DATE_COLUMNS if c in lists.columns]).join(
        dates, on=["list", "entity_id"], how="left"
    )


DATED_KEYS = ("listed_on", "listed_not_before", "listed_date_basis", "listed_status")


def as_of_lists(hits: pl.DataFrame, dataset: Any, as_of: dt.date | None) -> pl.DataFrame:
    """The hits of entries listed on `as_of`: later entries left out, uncertain ones marked.

    Each kept hit gains `listed_on` (from when the entry surely applied), `listed_not_before`,
    `listed_date_basis` and `listed_status` ("listed", or "uncertain": the data cannot tell whether the
    entry applied on `as_of`, a person must check). Hits of lists without dates (user list files) stay.
    """
    if as_of is None or dataset is None or hits.height == 0:
        return hits
    dates = list_dates(dataset).select(
        "list",
        "entity_id",
        pl.col("listed_by").alias("_by"),
        pl.col("listed_from").alias("_from"),
        pl.col("listed_basis").alias("_basis"),
    )
    h = hits.join(dates, on=["list", "entity_id"], how="left")
    # hits from the version's other list tables (list = the table's name): dated by their snapshot only
    snap = {n: _snapshot_of(dataset, n) for n in h["list"].unique().to_list() if n and dataset.has(n)}
    if snap:
        table_day = pl.col("list").replace_strict(snap, default=None, return_dtype=pl.Date)
        h = h.with_columns(
            pl.coalesce("_by", table_day).alias("_by"),
            pl.when(pl.col("_by").is_null() & table_day.is_not_null())
            .then(
                pl.concat_str(
                    [
                        pl.lit("no listing date in the data; in the "),
                        pl.col("list"),
                        pl.lit(" snapshot of "),
                        table_day.cast(pl.Utf8),
                    ]
                )
            )
            .otherwise(pl.col("_basis"))
            .alias("_basis"),
        )
    day = pl.lit(as_of, pl.Date)
    not_yet = pl.col("_from").is_not_null() & (day < pl.col("_from"))
    unsure = ~not_yet & pl.col("_by").is_not_null() & (day < pl.col("_by"))
    return (
        h.filter(~not_yet)
        .with_columns(
            pl.col("_by").cast(pl.Utf8).alias("listed_on"),
            pl.col("_from").cast(pl.Utf8).alias("listed_not_before"),
            pl.col("_basis").alias("listed_date_basis"),
            pl.when(pl.col("_by").is_null())
            .then(pl.lit(None, pl.Utf8))
            .when(unsure)
            .then(pl.lit("uncertain"))
            .otherwise(pl.lit("listed"))
            .alias("listed_status"),
            pl.when(unsure)
            .then(
                pl.concat_str(
                    [
                        pl.col("explanation"),
                        pl.lit(f"; listing date uncertain on {as_of}: "),
                        pl.col("_basis").fill_null(""),
                    ]
                )
            )
            .otherwise(pl.col("explanation"))
            .alias("explanation"),
        )
        .drop("_by", "_from", "_basis")
    )
