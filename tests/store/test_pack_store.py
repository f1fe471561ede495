"""The bundled data pack in the store: what `data status` reports, the same version on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportctl.sources.base import SourceTable
from exportctl.store import PACK_NOTE, Store, ensure_active, open_store

TITLES = {
    "csl": "Consolidated Screening List",
    "ofac_sdn": "OFAC SDN List",
    "ccl": "Commerce Control List",
    "country_chart": "Commerce Country Chart",
    "country_groups": "Country Groups",
    "hts": "Harmonized Tariff Schedule",
}


@pytest.fixture(scope="module")
def pack() -> list[SourceTable]:
    from exportctl.data.pack import load_pack

    return list(load_pack())


def test_an_empty_store_gets_the_pack_and_reports_it(store: Store, pack: list[SourceTable]) -> None:
    vid = ensure_active(store)
    status = store.status()
    assert status["active_version"] == vid and status["note"] == PACK_NOTE
    got = {s["name"]: s for s in status["sources"]}
    for name, title in TITLES.items():
        assert got[name]["title"] == title
        assert len(got[name]["sha256"]) == 64 and got[name]["date"][:2] == "20"
    assert got["csl"]["rows"] == 25_921
    assert got["ccl"]["rows"] == 633
    assert got["hts"]["rows"] >= 35_000
    assert got["ofac_sdn"]["rows"] > 10_000
    chart = store.dataset().table("country_chart")
    assert chart["country"].n_unique() >= 196
    assert store.verify() == []
    assert ensure_active(store) == vid  # a second call imports nothing


@pytest.mark.postgres
def test_the_pack_is_the_same_version_on_sqlite_and_postgresql(
    tmp_path: Path, pg_schema_url: str, pack: list[SourceTable]
) -> None:
    ids = []
    for url in (f"sqlite:///{tmp_path / 'a.db'}", pg_schema_url):
        st = open_store(url)
        try:
            ids.append(st.import_tables(pack, activate=True))
            assert st.dataset().table("csl").equals(next(t.records for t in pack if t.name == "csl"))
        finally:
            st.close()
    assert ids[0] == ids[1]
