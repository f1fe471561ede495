"""`data sync` replaying recorded official answers (tests/fixtures/sync) through httpx.MockTransport."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx
import polars as pl
import pytest
import sqlalchemy as sa

from exportctl.errors import DataError, OfflineError, ValidationFailed
from exportctl.sources.base import SourceTable
from exportctl.sources.csl import parse_csl_json
from exportctl.store import Store, tables
from exportctl.store.sync import make_client, sync

SYNC = Path(__file__).resolve().parents[1] / "fixtures" / "sync"
_spec = importlib.util.spec_from_file_location("sync_replay", SYNC / "replay.py")
assert _spec and _spec.loader
replay = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(replay)
recorded = replay.recorded
TODAY = dt.date(2026, 8, 3)
Make = Callable[..., SourceTable]


def n_versions(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(tables.versions)).scalar_one())


def test_sync_builds_and_activates_a_version_from_the_official_answers(store: Store) -> None:
    log: list[str] = []
    with make_client(recorded(log=log)) as client:
        result = sync(store, today=TODAY, client=client)
    assert store.active_version() == result["version"] == result["active_version"]
    got = {s["name"]: s for s in result["sources"]}
    assert got["csl"]["rows"] == 16
    assert got["csl"]["format"] == "csl-bulk-json"
    assert got["csl"]["date"] == "2025-06-24"  # Last-Modified of the bulk file
    assert got["fr_bis"]["rows"] == 4
    assert got["fr_bis"]["date"] == "2024-12-05"  # the newest document
    fr = store.dataset().table("fr_bis")
    assert fr["citation"].to_list() == ["89 FR 96790", "88 FR 73424", "87 FR 62186", "84 FR 22961"]
    assert fr["src_line"].to_list() == [1, 2, 3, 4]
    # every official endpoint was asked, the eCFR at the date it says title 15 is up to date as of
    hosts = {httpx.URL(u).host for u in log}
    assert hosts == {"data.trade.gov", "www.ecfr.gov", "hts.usitc.gov", "www.federalregister.gov"}
    assert sum("title-15.xml" in u for u in log) == 4
    assert sum("documents.json" in u for u in log) == 2  # followed next_page_url
    assert got["hts"]["rows"] == 30
    assert got["hts"]["date"] == "2026-08-03"  # no Last-Modified: the day sync ran
    chart = store.dataset().table("country_chart")
    assert got["country_chart"]["format"] == "ecfr-versioner-xml"
    assert got["country_chart"]["date"] == "2026-07-23"  # the eCFR's up_to_date_as_of
    assert chart.filter(pl.col("country") == "CN").height == 16  # one row per chart column
    # parts without a parser are reported as gaps, never silently dropped
    assert len(result["fetched"]) == 7
    assert sorted(g.split(":")[0] for g in result["gaps"]) == [
        f"ecfr-2026-07-23-title-15-part-{n}.xml" for n in (740, 744, 774)
    ]


def test_sync_keeps_the_sources_it_does_not_fetch(store: Store, table: Make) -> None:
    before = store.import_tables([table("list_a", 20)], activate=True)
    with make_client(recorded()) as client:
        result = sync(store, today=TODAY, client=client)
    ds = store.dataset()
    assert "list_a" in ds.names and "csl" in ds.names
    assert ds.source("list_a").sha256 == store.dataset(before).source("list_a").sha256
    assert result["previous_version"] == before


def test_offline_says_so_in_one_line_and_changes_nothing(store: Store, table: Make) -> None:
    active = store.import_tables([table("list_a", 20)], activate=True)

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    with make_client(httpx.MockTransport(down)) as client, pytest.raises(OfflineError) as err:
        sync(store, today=TODAY, client=client)
    assert err.value.one_line() == "offline: cannot reach data.trade.gov (ConnectError); nothing changed"
    assert store.active_version() == active and n_versions(store) == 1


def test_a_server_error_or_a_bad_answer_changes_nothing(store: Store, table: Make) -> None:
    active = store.import_tables([table("list_a", 20)], activate=True)
    with (
        make_client(recorded({"hts.usitc.gov": httpx.Response(503)})) as client,
        pytest.raises(DataError) as err,
    ):
        sync(store, today=TODAY, client=client)
    assert err.value.message == "HTTP 503 from the server"
    assert str(err.value.file).startswith("https://hts.usitc.gov/reststop/exportList?")
    bad = httpx.Response(
        200, content=b'{"results": [{"source": "Entity List (EL) - Bureau of Industry and Security"}]}'
    )
    with make_client(recorded({"data.trade.gov": bad})) as client, pytest.raises(DataError) as err:
        sync(store, today=TODAY, client=client)
    assert (
        err.value.file
        == "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"
    )
    assert err.value.line == 1
    assert err.value.field == "name"
    assert store.active_version() == active and n_versions(store) == 1


def test_a_shrinking_list_is_refused_unless_forced(store: Store, table: Make) -> None:
    csl = parse_csl_json(SYNC / "csl-consolidated.json")
    bigger = replace(csl, records=pl.concat([csl.records] * 2))  # 32 rows: the recorded 16 are 50% fewer
    active = store.import_tables([bigger], activate=True)
    with make_client(recorded()) as client, pytest.raises(ValidationFailed, match="16 rows against 32"):
        sync(store, today=TODAY, client=client)
    assert store.active_version() == active
    with make_client(recorded()) as client:
        result = sync(store, today=TODAY, client=client, force=True)
    assert store.active_version() == result["version"] != active


def test_the_recorded_fr_pages_are_the_official_layout() -> None:
    page = json.loads((SYNC / "fr-documents-page-1.json").read_text())
    assert {"count", "total_pages", "next_page_url", "results"} <= set(page)
    assert "page=2" in page["next_page_url"]


def test_the_fr_parser_names_file_line_and_field(tmp_path: Path) -> None:
    from exportctl.store.federal_register import parse_fr_documents

    page = json.loads((SYNC / "fr-documents-page-2.json").read_text())
    page["results"][1]["document_number"] = None
    bad = tmp_path / "fr.json"
    bad.write_text(json.dumps(page))
    with pytest.raises(DataError) as err:
        parse_fr_documents(bad)
    assert (err.value.file, err.value.line, err.value.field) == (str(bad), 2, "document_number")
    page["results"][1]["document_number"] = 2019
    bad.write_text(json.dumps(page))
    with pytest.raises(DataError, match="expected text, got int"):
        parse_fr_documents(bad)
    bad.write_text('{"results": [')
    with pytest.raises(DataError, match="not a Federal Register API JSON file"):
        parse_fr_documents(bad)
    bad.write_text('{"results": []}')
    with pytest.raises(DataError, match="no documents"):
        parse_fr_documents(bad)
