"""Activation and rollback while checks run (#16 part 7): every answer names one version and its verdict.

Two versions: the bundled pack (V1), and V2 = the pack plus one made-up Entity List entry (in the CSL). A
writer thread flips the active version (activate V2, roll back, ...) while checker threads ask for an
EAR99 export to that party. Each answer names its data version; its verdict must be the one that version
gives alone (V1: the party is on no list; V2: licence required), never a mix of the two.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import polars as pl
import pytest
from store_faults import pack_store

from exportctl.ops.check import check_one
from exportctl.sources.base import SourceTable
from exportctl.store import active_dataset, clear_cache, open_store

PARTY = "Zqxvor Offshore Trading Limited"
DAY = dt.date(2026, 6, 1)


def _verdict() -> tuple[str, str]:
    answer = check_one(destination="CN", as_of=DAY, eccn="EAR99", parties=[PARTY])
    return str(answer["data_version"]), str(answer["verdict"])


def test_answers_follow_one_version_while_it_flips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checker threads against a flipping active version: each answer consistent with its version."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
    clear_cache()
    v1 = pack_store(url)
    store = open_store(url)
    csl = active_dataset().table("csl")  # what screening reads; its Entity List rows are list "EL"
    huawei = csl.filter((pl.col("list") == "EL") & pl.col("name").str.starts_with("Huawei Technologies Co"))
    extra = huawei.head(1).with_columns(
        entity_id=pl.lit("EL-test-concurrency"), name=pl.lit(PARTY), aliases=pl.lit([], pl.List(pl.String))
    )
    info = store.sources_of(v1)
    source = next(s for s in info if s.name == "csl")
    table = SourceTable(source.name, source.title, source.format, source.date, pl.concat([csl, extra]))
    v2 = store.import_tables([table], merge=True)
    expected = {v1: _verdict()[1]}
    store.activate(v2)
    expected[v2] = _verdict()[1]  # each version alone (its screening index now built)
    assert expected[v2] == "license_required" and expected[v1] != expected[v2]
    store.rollback()

    stop = threading.Event()
    seen: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def checker() -> None:
        while not stop.is_set():
            try:
                seen.append(_verdict())
            except BaseException as exc:  # any error is a finding
                errors.append(exc)
                return

    def writer() -> None:
        for _ in range(6):
            store.activate(v2)
            store.rollback()
        stop.set()

    threads = [threading.Thread(target=checker) for _ in range(3)]
    for t in threads:
        t.start()
    flipper = threading.Thread(target=writer)
    flipper.start()
    flipper.join(timeout=120)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    store.close()
    assert not errors, errors
    assert seen
    for version, verdict in seen:
        assert verdict == expected[version], (version[:12], verdict)
