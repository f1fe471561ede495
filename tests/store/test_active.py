"""active_dataset: cached per process and per version; a new activation is seen at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from exportctl.ops import data as ops
from exportctl.sources.base import SourceTable
from exportctl.store import Dataset, Store, active_dataset, clear_cache

Make = Callable[..., SourceTable]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def test_active_dataset_is_cached_until_another_version_activates(
    store: Store, store_url: str, table: Make
) -> None:
    first = store.import_tables([table("list_a", 40)], activate=True)
    ds = active_dataset(store_url)
    assert isinstance(ds, Dataset) and ds.version == first
    assert active_dataset(store_url) is ds
    csl = ds.table("list_a")
    assert active_dataset(store_url).table("list_a") is csl  # loaded once per process
    second = store.import_tables([table("list_a", 41, seed=1)], activate=True)
    assert active_dataset(store_url).version == second
    store.rollback()
    assert active_dataset(store_url) is ds


def test_active_dataset_reads_the_environment_url(
    store: Store, store_url: str, table: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    vid = store.import_tables([table("list_b", 12)], activate=True)
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", store_url)
    assert active_dataset().version == vid


def test_status_adds_ages_from_the_given_day(store: Store, store_url: str, table: Make) -> None:
    store.import_tables([table("list_a", 40, date="2026-07-31")], activate=True)
    result = ops.status(today=dt.date(2026, 8, 10), url=store_url)
    assert result["sources"][0]["age_days"] == 10
    assert isinstance(result["version_age_days"], int)
    assert ops.status(url=store_url)["sources"][0]["age_days"] is None  # no day given, no age
