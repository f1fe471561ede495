"""PRC party lists and the dual-use catalogue's HS codes (derived JSON), with property tests."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable
from exportctl.sources.china_lists import (
    CN_HS_SCHEMA,
    CN_PARTIES_SCHEMA,
    parse_cn_dual_use_hs,
    parse_cn_parties,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "china"
PARSERS: dict[str, Callable[[Path], SourceTable]] = {
    "cn_entity_lists.json": parse_cn_parties,
    "dual_use_hs_codes_2026.json": parse_cn_dual_use_hs,
}
RAW = {name: (FIX / name).read_bytes() for name in PARSERS}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_full_files(shared_data: Path) -> None:
    parties = parse_cn_parties(shared_data / "china-2026-07" / "cn_entity_lists.json")
    assert (parties.name, parties.title) == ("cn_parties", "PRC Export Control Party Lists")
    assert parties.rows == 240 and parties.date == "2026-07-19"
    assert dict(parties.records.schema) == CN_PARTIES_SCHEMA
    counts = dict(parties.records.group_by("list_id").len().iter_rows())
    assert counts == {
        "cn-export-control-watchlist": 139,
        "cn-unreliable-entity-list": 61,
        "cn-attention-list": 40,
    }
    assert parties.records.select(pl.struct("list_id", "entity_id").n_unique()).item() == 240


def test_additions_of_2026_07_24(shared_data: Path) -> None:
    """MOFCOM Announcement 2026 No. 30's 14 EU entities (china-2026-08 delta) come after the base rows."""
    parties = parse_cn_parties(
        shared_data / "china-2026-07" / "cn_entity_lists.json",
        shared_data / "china-2026-08" / "cn_entity_lists_additions_2026-07-24.json",
    )
    assert parties.rows == 254 and parties.date == "2026-08-01"
    assert parties.files == ("cn_entity_lists.json", "cn_entity_lists_additions_2026-07-24.json")
    added = parties.records.filter(pl.col("date_added") == "2026-07-24")
    assert added.height == 14 and set(added["list_id"]) == {"cn-export-control-watchlist"}
    assert "Rheinmetall AG" in added["name"].to_list()
    assert added["src_file"].unique().to_list() == ["cn_entity_lists_additions_2026-07-24.json"]
    assert parties.records.select(pl.struct("list_id", "entity_id").n_unique()).item() == 254
    hs = parse_cn_dual_use_hs(shared_data / "china-2026-07" / "dual_use_hs_codes_2026.json")
    assert (hs.name, hs.rows, hs.date) == ("cn_dual_use_hs", 636, "2026-01-01")
    assert dict(hs.records.schema) == CN_HS_SCHEMA
    assert hs.records.filter(pl.col("hs_code") == "2504101000").height == 1  # natural graphite


def test_party_columns(fixtures: Path) -> None:
    t = parse_cn_parties(fixtures / "china" / "cn_entity_lists.json")
    row = t.records.row(0, named=True)
    assert row["list_id"] == "cn-export-control-watchlist"
    assert row["jurisdiction"] == "CN" and row["country"] is None  # the source gives the listing state only
    assert row["date_added"] and row["source_url"].startswith("https://")
    dup = t.records.filter(pl.col("entity_id").str.starts_with("cn-uel-20240520-1"))
    assert sorted(dup["entity_id"]) == ["cn-uel-20240520-1", "cn-uel-20240520-1-2"]


def test_hs_columns(fixtures: Path) -> None:
    t = parse_cn_dual_use_hs(fixtures / "china" / "dual_use_hs_codes_2026.json")
    row = t.records.row(0, named=True)
    assert row == {
        "hs_code": "1211500011",
        "hs6": "121150",
        "chapter": "12",
        "effective_from": "2026-01-01",
        "announcement": "商务部 海关总署公告2025年第91号",
        "source_url": "https://www.mofcom.gov.cn/zfxxgk/gkml/art/2025/art_14af6ed6ec0f43c8800f391a97b3f324.html",
        "src_file": "dual_use_hs_codes_2026.json",
        "src_line": 1,
    }


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["1211500011", "121150001"], "ten-digit"),
        (["1211500011", "1211500011"], "twice"),
        ([12], "ten-digit"),
    ],
)
def test_bad_codes(tmp_path: Path, codes: list[Any], message: str) -> None:
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"metadata": {"effective_from": "2026-01-01"}, "codes": codes}))
    with pytest.raises(DataError, match=message) as err:
        parse_cn_dual_use_hs(p)
    assert err.value.field == "codes" and err.value.line == len(codes)


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=12)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def outcome(name: str, data: bytes) -> SourceTable | DataError:
    """A non-empty table or a DataError naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_bytes(data)
        try:
            t = PARSERS[name](p)
        except DataError as err:
            assert err.file == str(p)
            return err
        assert t.rows > 0
        return t


@SETTINGS
@given(name=st.sampled_from(sorted(PARSERS)), data=st.data())
def test_truncated_is_an_error(name: str, data: st.DataObject) -> None:
    raw = RAW[name]
    assert isinstance(outcome(name, raw[: data.draw(st.integers(0, len(raw) - 2))]), DataError)


@SETTINGS
@given(data=st.data())
def test_hostile_party_values(data: st.DataObject) -> None:
    doc: list[Any] = json.loads(RAW["cn_entity_lists.json"])
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(doc) - 1))
        if data.draw(st.booleans()) or not isinstance(doc[i], dict) or not doc[i]:
            doc[i] = data.draw(HOSTILE) if data.draw(st.booleans()) else doc[i]
            continue
        key = data.draw(st.sampled_from(sorted(doc[i])))
        doc[i][key] = data.draw(HOSTILE)
    outcome("cn_entity_lists.json", json.dumps(doc, ensure_ascii=False).encode())


@SETTINGS
@given(data=st.data())
def test_hostile_hs_values(data: st.DataObject) -> None:
    doc: dict[str, Any] = json.loads(RAW["dual_use_hs_codes_2026.json"])
    where = data.draw(st.sampled_from(["code", "meta", "top"]))
    if where == "code":
        doc["codes"][data.draw(st.integers(0, len(doc["codes"]) - 1))] = data.draw(HOSTILE)
    elif where == "meta":
        doc["metadata"][data.draw(st.sampled_from(sorted(doc["metadata"])))] = data.draw(HOSTILE)
    else:
        doc[data.draw(st.sampled_from(sorted(doc)))] = data.draw(HOSTILE)
    outcome("dual_use_hs_codes_2026.json", json.dumps(doc, ensure_ascii=False).encode())


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_wrong_encodings_and_empty(name: str) -> None:
    for enc in ("utf-16", "utf-32", "gb18030"):
        result = outcome(name, RAW[name].decode().encode(enc))
        assert isinstance(result, DataError)
    for data in (b"", b"[]", b"{}"):
        assert isinstance(outcome(name, data), DataError)
