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

__all__ = ["federal_register", "list_dates", "with_dates"]

_lock = threading.Lock()
_memory: dict[str, pl.DataFrame] = {}


@functools.cache
def federal_register() -> tuple[Notices, PageDates]:
    """The bundled notices.yaml and page table (read once)."""
    return load_notices(), load_page_dates()


def _snapshot(dataset: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(dataset.source("csl").date)[:10])
    except (KeyError, ValueError, AttributeError):
        return dt.date.max  # an undated list: every date before "never" is uncertain (fail closed)


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
