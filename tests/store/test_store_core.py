"""The store on SQLite and PostgreSQL: import, validate, activate, roll back, verify."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from exportctl.errors import DataError, NoDataError, StoreError, ValidationFailed
from exportctl.sources.base import SourceTable
from exportctl.store import Dataset, Store, default_url, open_store, tables

Make = Callable[..., SourceTable]


def count(store: Store, table: sa.Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_empty_store_has_no_active_version(store: Store) -> None:
    assert store.status() == {
        "active_version": None,
        "previous_version": None,
        "created_at": None,
        "note": "",
        "sources": [],
        "invariants": None,
        "forced": None,
    }
    with pytest.raises(NoDataError, match="no active data version"):
        store.dataset()


def test_import_does_not_activate_until_asked(store: Store, table: Make) -> None:
    vid = store.import_tables([table("list_a", 40), table("list_b", 30)], note="first")
    assert len(vid) == 64
    assert store.active_version() is None
    assert store.activate(vid[:10]) == vid
    status = store.status()
    assert status["active_version"] == vid
    assert status["note"] == "first"
    assert status["created_at"].endswith("Z")
    csl = status["sources"][0]
    assert [s["name"] for s in status["sources"]] == ["list_a", "list_b"]
    assert {k: csl[k] for k in ("name", "title", "date", "rows", "format", "skipped")} == {
        "name": "list_a",
        "title": "Title of list_a",
        "date": "2026-07-31",
        "rows": 40,
        "format": "test-json",
        "skipped": 1,
    }
    assert len(csl["sha256"]) == 64
    assert csl["skip_reasons"] == {"blank name": 1}
    assert csl["files"] == ["list_a.json"]


def test_tables_round_trip_with_their_dtypes(store: Store, table: Make) -> None:
    src = table("list_a", 25, extra=True)
    vid = store.import_tables([src], activate=True)
    ds = store.dataset()
    assert ds.version == vid
    assert ds.table("list_a").equals(src.records)
    assert ds.table("list_a").schema == src.records.schema
    assert ds.table("list_a") is ds.table("list_a")  # loaded once per Dataset


def test_version_id_is_the_content_hash_on_every_database(store: Store, table: Make) -> None:
    tabs = [table("list_a", 40), table("list_c", 12)]
    vid = store.import_tables(tabs)
    assert vid == Dataset.from_tables(tabs).version
    assert vid == Dataset.from_tables(list(reversed(tabs))).version
    # importing the same content again names the same version and stores nothing new
    assert store.import_tables(tabs) == vid
    assert count(store, tables.versions) == 1
    assert count(store, tables.blobs) == 2


def test_a_different_date_or_row_makes_a_different_version(store: Store, table: Make) -> None:
    a = store.import_tables([table("list_a", 40)])
    b = store.import_tables([table("list_a", 40, date="2026-08-01")])
    c = store.import_tables([table("list_a", 40, seed=1)])
    assert len({a, b, c}) == 3
    assert count(store, tables.blobs) == 2  # the re-dated table has the same records


def test_merge_keeps_the_active_versions_other_sources(store: Store, table: Make) -> None:
    first = store.import_tables([table("list_a", 40), table("list_b", 30)], activate=True)
    second = store.import_tables([table("list_a", 41, seed=2)], merge=True, activate=True)
    ds = store.dataset()
    assert ds.version == second != first
    assert ds.names == ["list_a", "list_b"]
    assert ds.table("list_a").height == 41
    assert ds.source("list_b").sha256 == store.dataset(first).source("list_b").sha256
    assert count(store, tables.blobs) == 3  # hts is stored once
    with store.engine.connect() as conn:
        parent = conn.execute(
            sa.select(tables.versions.c.parent).where(tables.versions.c.id == second)
        ).scalar()
    assert parent == first


def test_a_list_shrinking_more_than_ten_percent_is_refused_unless_forced(store: Store, table: Make) -> None:
    active = store.import_tables([table("list_a", 100)], activate=True)
    store.import_tables([table("list_a", 90, seed=1)])  # exactly 10% fewer: allowed
    with pytest.raises(ValidationFailed, match=r"89 rows against 100.*11\.0% fewer") as err:
        store.import_tables([table("list_a", 89, seed=1)])
    assert err.value.field == "list_a.rows"
    assert store.active_version() == active
    forced = store.import_tables([table("list_a", 89, seed=1)], force=True, activate=True)
    assert store.active_version() == forced


def test_activation_revalidates_against_the_then_active_version(store: Store, table: Make) -> None:
    small = store.import_tables([table("list_a", 50)], activate=True)
    store.import_tables([table("list_a", 100, seed=1)], activate=True)
    with pytest.raises(ValidationFailed, match="50 rows against 100"):
        store.activate(small)
    assert store.activate(small, force=True) == small


def test_empty_or_unsourced_tables_are_refused_even_forced(store: Store, table: Make) -> None:
    empty = table("list_a", 0)
    with pytest.raises(ValidationFailed, match="no rows"):
        store.import_tables([empty], force=True)
    bare = SourceTable(
        "list_c", "Commerce Control List", "x", "2026-07-23", pl.DataFrame({"eccn": ["3A001"]})
    )
    with pytest.raises(ValidationFailed, match=r"missing column.*src_file, src_line"):
        store.import_tables([bare], force=True)
    assert count(store, tables.versions) == 0
    assert count(store, tables.blobs) == 0


def test_a_column_that_disappears_is_refused_unless_forced(store: Store, table: Make) -> None:
    store.import_tables([table("list_a", 20, extra=True)], activate=True)
    with pytest.raises(ValidationFailed, match=r"column.*extra.*are gone"):
        store.import_tables([table("list_a", 20)])
    store.import_tables([table("list_a", 20)], force=True)


def test_duplicate_or_no_tables_are_input_errors(store: Store, table: Make) -> None:
    with pytest.raises(DataError, match="list_a given more than once"):
        store.import_tables([table("list_a", 3), table("list_a", 4)])
    with pytest.raises(DataError, match="nothing to import"):
        store.import_tables([])


def test_rollback_restores_the_previous_version_and_can_be_undone(store: Store, table: Make) -> None:
    with pytest.raises(StoreError, match="nothing to roll back to"):
        store.rollback()
    a = store.import_tables([table("list_a", 40)], activate=True)
    with pytest.raises(StoreError, match="nothing to roll back to"):
        store.rollback()
    b = store.import_tables([table("list_a", 42, seed=1)], activate=True)
    assert store.status()["previous_version"] == a
    assert store.rollback() == a
    assert store.active_version() == a
    assert store.dataset().table("list_a").height == 40
    assert store.rollback() == b  # the version rolled back from stays, one step away
    assert store.previous_version() == a


def test_versions_are_addressed_by_unique_prefix(store: Store, table: Make) -> None:
    vid = store.import_tables([table("list_a", 5)])
    assert store.resolve(vid[:6].upper()) == vid
    with pytest.raises(StoreError, match="at least 6 characters"):
        store.resolve("abc")
    with pytest.raises(StoreError, match="no data version 'ffffffffff'") as err:
        store.resolve("ffffffffff" if not vid.startswith("ffffffffff") else "0000000000")
    assert err.value.suggestions == [vid[:12]]
    listed = store.versions()
    assert [v["version"] for v in listed] == [vid]
    assert listed[0]["sources"] == 1 and listed[0]["active"] is False


def test_a_dataset_stays_whole_while_another_version_activates(store: Store, table: Make) -> None:
    old = store.import_tables([table("list_a", 40), table("list_b", 10)], activate=True)
    ds_old = store.dataset()
    store.import_tables([table("list_a", 44, seed=3), table("list_b", 11, seed=3)], activate=True)
    # the old Dataset still reads only its own version, even for tables it had not loaded yet
    assert ds_old.version == old
    assert ds_old.table("list_a").height == 40
    assert ds_old.table("list_b").height == 10
    assert store.dataset().table("list_b").height == 11


def test_readers_never_see_a_mixed_version(store: Store, table: Make) -> None:
    versions = [
        store.import_tables([table("list_a", 40 + k, seed=k), table("list_b", 40 + k, seed=k)])
        for k in range(3)
    ]
    store.activate(versions[0])
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            ds = store.dataset()
            seen.append((ds.table("list_a").height, ds.table("list_b").height))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(3):
            for vid in versions:
                store.activate(vid, force=True)
    finally:
        stop.set()
        thread.join()
    assert seen and all(a == b for a, b in seen)


def test_missing_table_is_no_data(store: Store, table: Make) -> None:
    store.import_tables([table("list_a", 4)], activate=True)
    with pytest.raises(NoDataError, match="has no table 'list_c'") as err:
        store.dataset().table("list_c")
    assert err.value.suggestions == ["list_a"]


def test_verify_finds_tampered_records(store: Store, table: Make) -> None:
    vid = store.import_tables([table("list_a", 30), table("list_b", 30)], activate=True)
    assert store.verify() == []
    assert store.verify(vid[:8]) == []
    hts = store.dataset().source("list_b").sha256
    other = table("list_b", 30, seed=9).records
    from exportctl.store import codec

    with store.engine.begin() as conn:
        conn.execute(
            sa.update(tables.blobs).where(tables.blobs.c.sha256 == hts).values(data=codec.encode(other))
        )
    changed = "source 'list_b': stored bytes changed after import"
    assert store.verify() == [changed, "source 'list_b': records do not match their sha256"]
    with store.engine.begin() as conn:
        conn.execute(sa.update(tables.blobs).where(tables.blobs.c.sha256 == hts).values(data=b"not parquet"))
    first, problem = store.verify()
    assert first == changed
    assert problem.startswith("source 'list_b': records unreadable")


def test_verify_on_an_empty_store_is_no_data(store: Store) -> None:
    with pytest.raises(NoDataError):
        store.verify()


def test_reopening_keeps_versions_and_state(store_url: str, table: Make) -> None:
    first = open_store(store_url)
    vid = first.import_tables([table("list_a", 7)], activate=True)
    first.close()
    again = open_store(store_url)
    try:
        assert again.active_version() == vid
        assert again.dataset().table("list_a").height == 7
    finally:
        again.close()


def test_a_known_table_must_have_the_columns_its_parser_declares(store: Store, table: Make) -> None:
    # "csl" is a catalog source: its schema (exportctl.sources.csl.CSL_SCHEMA) is required, even forced.
    with pytest.raises(
        ValidationFailed, match=r"source 'csl': missing column\(s\) list, list_name, entity_id"
    ):
        store.import_tables([table("csl", 5)], force=True)
    assert count(store, tables.versions) == 0


def test_concurrent_writers_serialise(store_url: str, table: Make) -> None:
    # Separate Store objects (separate connection pools), as separate processes would have.
    stores = [open_store(store_url) for _ in range(4)]
    ids: list[str] = []
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            same = stores[k].import_tables([table("list_s", 10)])  # the same content from every writer
            mine = stores[k].import_tables([table("list_a", 40, seed=k)], activate=True, force=True)
            ids.extend([same, mine])
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert len(set(ids)) == 5  # one shared version, four distinct ones
        st = stores[0]
        assert st.active_version() in ids and st.previous_version() in ids
        assert count(st, tables.versions) == 5
        assert st.verify() == []
    finally:
        for st in stores:
            st.close()


def test_unusable_urls_are_one_line_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a database URL") as err:
        open_store("no such thing")
    assert err.value.field == "EXPORTCTL_DATABASE_URL"
    with pytest.raises(StoreError, match="cannot open the data store"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    nested = tmp_path / "a" / "b" / "store.db"
    open_store(f"sqlite:///{nested}").close()  # folders are made as needed
    assert nested.is_file()


def test_an_in_memory_store_keeps_its_data_across_connections(table: Make) -> None:
    st = open_store("sqlite://")
    vid = st.import_tables([table("list_a", 3)], activate=True)
    assert st.dataset().version == vid and st.dataset().table("list_a").height == 3
    st.close()


def test_the_default_url_is_sqlite_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPORTCTL_DATABASE_URL")
    url = default_url()
    assert url.startswith("sqlite:///") and url.endswith("exportctl/store.db")
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", " sqlite:///x.db ")
    assert default_url() == "sqlite:///x.db"


def test_an_in_memory_dataset_refuses_two_tables_of_one_name(table: Make) -> None:
    with pytest.raises(DataError, match="more than once"):
        Dataset.from_tables([table("list_a", 2), table("list_a", 3)])
    ds = Dataset.from_tables([table("list_a", 2)])
    assert ds.table("list_a").height == 2 and ds.source("list_a").rows == 2
