"""`exportctl data ...` through the real Typer app, on a fresh SQLite store per test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.sources.base import SourceTable
from exportctl.store import Store, clear_cache, open_store

runner = CliRunner()


def _table(name: str, rows: int, seed: int = 0) -> SourceTable:
    records = pl.DataFrame(
        {
            "id": [f"{name}-{seed}-{i}" for i in range(rows)],
            "src_file": [f"{name}.json"] * rows,
            "src_line": list(range(1, rows + 1)),
        }
    )
    return SourceTable(name, f"Title {name}", "test-json", "2026-07-31", records, files=(f"{name}.json",))


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite store named by EXPORTCTL_DATABASE_URL for the command under test."""
    value = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", value)
    clear_cache()
    yield value
    clear_cache()


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    st = open_store(url)
    yield st
    st.close()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_status_json_has_the_contract_shape(store: Store) -> None:
    vid = store.import_tables([_table("list_a", 30), _table("list_b", 20)], activate=True)
    code, out, err = run("data", "status", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["active_version"] == vid
    assert [s["name"] for s in doc["sources"]] == ["list_a", "list_b"]
    for source in doc["sources"]:
        assert {"name", "title", "date", "rows", "sha256", "format", "age_days"} <= set(source)
        assert isinstance(source["age_days"], int) and source["age_days"] >= 0
    assert doc["sources"][0]["rows"] == 30


def test_status_table_names_the_version_and_each_source(store: Store) -> None:
    vid = store.import_tables([_table("list_a", 30)], activate=True)
    code, out, _ = run("data", "status")
    assert code == 0
    assert f"active version: {vid}" in out
    sha = store.status()["sources"][0]["sha256"]
    assert "Title list_a" in out and "2026-07-31" in out and sha[:12] in out
    code, out, _ = run("data", "status", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("name,title,date,rows,sha256,age_days")


def test_activate_rollback_and_versions(store: Store) -> None:
    a = store.import_tables([_table("list_a", 30)], activate=True)
    b = store.import_tables([_table("list_a", 31, seed=1)])
    code, out, err = run("data", "activate", b[:8], "--format", "json")
    assert code == 0, err
    assert json.loads(out) == {"active_version": b, "previous_version": a}
    code, out, _ = run("data", "versions", "--format", "json")
    assert [(v["version"], v["active"]) for v in json.loads(out)] in (
        [(b, True), (a, False)],
        [(a, False), (b, True)],
    )
    code, out, _ = run("data", "rollback", "--format", "json")
    assert code == 0
    assert json.loads(out)["active_version"] == a
    code, out, _ = run("data", "rollback")
    assert code == 0 and f"active version: {b}" in out


def test_errors_are_one_line_and_exit_2(store: Store) -> None:
    code, _, err = run("data", "rollback")
    assert code == 2
    assert err == "error: field 'version': nothing to roll back to: no previous data version\n"
    store.import_tables([_table("list_a", 30)], activate=True)
    code, _, err = run("data", "activate", "0000000000")
    assert code == 2 and err.startswith("error: field 'version': no data version '0000000000'")
    small = store.import_tables([_table("list_a", 10, seed=2)], force=True)
    code, _, err = run("data", "activate", small, "--format", "json")
    assert code == 2
    assert json.loads(err)["error"] == "validation_failed"
    code, _, _ = run("data", "activate", small, "--force")
    assert code == 0


def test_verify_reports_ok_or_problems(store: Store) -> None:
    store.import_tables([_table("list_a", 30)], activate=True)
    code, out, _ = run("data", "verify")
    assert code == 0 and "ok:" in out
    code, out, _ = run("data", "verify", "--format", "json")
    assert json.loads(out)["ok"] is True
    import sqlalchemy as sa

    from exportctl.store import tables

    with store.engine.begin() as conn:
        conn.execute(sa.update(tables.blobs).values(data=b"garbage"))
    code, out, _ = run("data", "verify", "--format", "json")
    assert code == 1
    changed, unreadable = json.loads(out)["problems"]
    assert changed == "source 'list_a': stored bytes changed after import"
    assert unreadable.startswith("source 'list_a': records unreadable")


def test_import_of_a_missing_file_names_it(url: str) -> None:
    code, _, err = run("data", "import", "/no/such/file.json")
    assert code == 2
    assert err == "error: /no/such/file.json, field 'path': no such file or folder: /no/such/file.json\n"


def test_sync_offline_prints_one_line_and_changes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from exportctl.store import sync as store_sync

    active = store.import_tables([_table("list_a", 30)], activate=True)

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    real = store_sync.make_client
    monkeypatch.setattr(store_sync, "make_client", lambda: real(httpx.MockTransport(down)))
    code, out, err = run("data", "sync")
    assert (code, out) == (2, "")
    assert err == "error: offline: cannot reach data.trade.gov (ConnectError); nothing changed\n"
    assert store.active_version() == active


def test_import_a_real_file_then_a_corrupt_one_changes_nothing(
    store: Store, tmp_path: Path, fixtures: Path
) -> None:
    first = store.import_tables([_table("list_a", 30)], activate=True)
    code, out, err = run(
        "data", "import", str(fixtures / "csl" / "consolidated-bulk.json"), "--format", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["activated"] is True and doc["active_version"] == doc["version"]
    assert doc["previous_version"] == first
    csl, list_a = doc["sources"]
    assert list_a["rows"] == 30  # the other sources of the active version are kept
    assert (csl["name"], csl["title"], csl["rows"], csl["format"]) == (
        "csl",
        "Consolidated Screening List",
        16,
        "csl-bulk-json",
    )
    bad = tmp_path / "consolidated.json"
    bad.write_text(
        '{"results": [{"source": "Entity List (EL) - Bureau of Industry and Security", "name": "A"},'
        ' {"source": "Entity List (EL) - Bureau of Industry and Security"}]}'
    )
    code, out, err = run("data", "import", str(bad))
    assert (code, out) == (2, "")
    assert err == f"error: {bad}:2, field 'name': required field is missing or empty\n"
    truncated = tmp_path / "screening.json"
    truncated.write_bytes((fixtures / "csl" / "consolidated-bulk.json").read_bytes()[:5000])
    code, _, err = run("data", "import", str(truncated))
    assert code == 2 and err.count("\n") == 1 and "screening.json" in err
    code, out, _ = run("data", "status", "--format", "json")
    assert json.loads(out)["active_version"] == doc["version"]
    code, out, _ = run("data", "versions", "--format", "json")
    assert len(json.loads(out)) == 2


def test_an_import_into_an_empty_store_lands_on_the_bundled_pack(url: str, fixtures: Path) -> None:
    path = str(fixtures / "csl" / "consolidated-bulk.json")
    code, _, err = run("data", "import", path)
    assert code == 2  # 16 entries against the pack's 25,921: refused
    assert "field 'csl.rows'" in err and "16 rows against 25921" in err
    code, _, err = run("data", "import", path, "--force")
    assert code == 2 and "--force needs --reason" in err  # a forced import says why, or does not happen
    why = "test: a 16-entry CSL sample replaces the pack's"
    code, out, err = run("data", "import", path, "--force", "--reason", why, "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    got = {s["name"]: s["rows"] for s in result["sources"]}
    assert got["csl"] == 16 and got["ccl"] == 633 and got["hts"] >= 35_000
    assert result["forced"]["reason"] == why, result
    # the sample is older than the pack's CSL: a stale file, activated only because it was forced
    assert [f["name"] for f in result["invariants"]["failed"]] == ["csl.date"], result["invariants"]


def test_sync_replayed_prints_the_new_sources_and_the_gaps(
    store: Store, monkeypatch: pytest.MonkeyPatch, fixtures: Path
) -> None:
    import importlib.util

    from exportctl.store import sync as store_sync

    spec = importlib.util.spec_from_file_location("sync_replay", fixtures / "sync" / "replay.py")
    assert spec and spec.loader
    replay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(replay)
    real = store_sync.make_client
    monkeypatch.setattr(store_sync, "make_client", lambda: real(replay.recorded()))
    store.import_tables([_table("list_a", 30)], activate=True)
    code, _, err = run("data", "sync")
    # the recorded answers hold a few HTS lines: the schedule has no 6109.10.00, so the gate refuses
    assert code == 2 and "canary:6109.10.00-MFN" in err and err.count("\n") == 1, err
    why = "replayed fixture: a few lines of each source"
    code, out, err = run("data", "sync", "--force", "--reason", why, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["active_version"] == doc["version"] == store.active_version()
    assert {s["name"] for s in doc["sources"]} == {"csl", "country_chart", "hts", "fr_bis"}
    assert err.count("gap: ") == 3 and "part-774.xml" in err
