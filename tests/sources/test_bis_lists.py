"""BIS Entity List, MEU List and DPL in the derived JSON of bis-lists-2026-07, with property tests."""

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
from exportctl.sources.bis_lists import BIS_SCHEMA, parse_bis_dpl_json, parse_entity_list, parse_meu

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "bis"
PARSERS: dict[str, Callable[[Path], SourceTable]] = {
    "bis_entity_list.json": parse_entity_list,
    "bis_meu.json": parse_meu,
    "bis_dpl.json": parse_bis_dpl_json,
}
RAW = {name: (FIX / name).read_bytes() for name in PARSERS}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_full_lists(shared_data: Path) -> None:
    base = shared_data / "bis-lists-2026-07"
    el = parse_entity_list(base / "bis_entity_list.json")
    meu = parse_meu(base / "bis_meu.json")
    dpl = parse_bis_dpl_json(base / "bis_dpl.json")
    assert (el.rows, meu.rows, dpl.rows) == (3409, 70, 564)
    assert [t.name for t in (el, meu, dpl)] == ["bis_entity_list", "bis_meu", "bis_dpl"]
    assert [t.title for t in (el, meu, dpl)] == [
        "Entity List",
        "Military End-User List",
        "Denied Persons List",
    ]
    for t in (el, meu, dpl):
        assert t.date == "2026-07-09"
        assert dict(t.records.schema) == BIS_SCHEMA
        assert t.records["entity_id"].n_unique() == t.rows
        assert "nsfreg" in t.attribution
    assert el.skip_reasons == {}  # every country name resolves (Crimea -> UA)
    assert el.records["license_requirement"].null_count() < 50
    assert el.records["license_policy"].null_count() == el.rows  # not in this source: documented
    huawei = el.records.filter(pl.col("name").str.starts_with("Huawei Technologies Co., Ltd."))
    assert huawei.height >= 1 and "CN" in huawei["countries"][0].to_list()


def test_cut_entity_list(fixtures: Path) -> None:
    t = parse_entity_list(fixtures / "bis" / "bis_entity_list.json")
    assert t.rows == 27
    first = t.records.row(0, named=True)
    assert first["name"] == "Abdul Satar Ghoura" and first["list"] == "EL"
    assert first["countries"] == ["AF"] and first["country_name"] == "Afghanistan"
    assert len(first["addresses"]) == 2  # "...; and ..." joins two addresses
    assert first["license_requirement"] == "For all items subject to the EAR. (See § 744.11 of the EAR)"
    assert first["federal_register_notice"] == "76 FR 71869, 11/21/11"
    crimea = t.records.filter(pl.col("country_name") == "Crimea Region of Ukraine")
    assert crimea.height == 2 and crimea["countries"].to_list() == [["UA"], ["UA"]]


def test_cut_dpl(fixtures: Path) -> None:
    t = parse_bis_dpl_json(fixtures / "bis" / "bis_dpl.json")
    first = t.records.row(0, named=True)
    assert first["effective_date"] == "1981-09-10" and first["standard_order"] is True
    nonstd = t.records.filter(pl.col("standard_order") == False)  # noqa: E712
    assert nonstd.height == 2 and nonstd["expiration_date"].null_count() == 0


def test_wrong_list_is_refused(fixtures: Path) -> None:
    with pytest.raises(DataError) as err:
        parse_meu(fixtures / "bis" / "bis_dpl.json")
    assert err.value.field == "list_id"


def test_count_mismatch(tmp_path: Path) -> None:
    doc = json.loads(RAW["bis_meu.json"])
    doc["entities"] = doc["entities"][:-1]
    p = tmp_path / "bis_meu.json"
    p.write_text(json.dumps(doc))
    with pytest.raises(DataError, match="declares 25"):
        parse_meu(p)


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=40),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=8)), max_size=3),
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
        assert t.rows > 0 and t.records["name"].null_count() == 0
        assert t.records["entity_id"].n_unique() == t.rows
        return t


@SETTINGS
@given(name=st.sampled_from(sorted(PARSERS)), data=st.data())
def test_truncated_is_an_error(name: str, data: st.DataObject) -> None:
    raw = RAW[name]
    assert isinstance(outcome(name, raw[: data.draw(st.integers(0, len(raw) - 2))]), DataError)


@SETTINGS
@given(name=st.sampled_from(sorted(PARSERS)), data=st.data())
def test_hostile_values(name: str, data: st.DataObject) -> None:
    doc: dict[str, Any] = json.loads(RAW[name])
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(["entity", "top", "drop"]))
        if target == "top":
            doc[data.draw(st.sampled_from(sorted(doc)))] = data.draw(HOSTILE)
            continue
        ents = doc.get("entities")
        if not isinstance(ents, list) or not ents:
            continue
        i = data.draw(st.integers(0, len(ents) - 1))
        if not isinstance(ents[i], dict):
            continue
        key = data.draw(st.sampled_from(sorted(ents[i]) or ["name"]))
        if target == "drop":
            ents[i].pop(key, None)
        else:
            ents[i][key] = data.draw(HOSTILE)
    outcome(name, json.dumps(doc).encode())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "cp1252"])
def test_other_encodings(encoding: str) -> None:
    result = outcome("bis_entity_list.json", RAW["bis_entity_list.json"].decode().encode(encoding, "replace"))
    if encoding != "cp1252":
        assert isinstance(result, DataError)


def test_empty_inputs() -> None:
    for data in (b"", b"{}", b"[]", b'{"entities": [], "extracted": "2026-07-09"}'):
        assert isinstance(outcome("bis_meu.json", data), DataError)


def test_empty_extraction_date_is_a_data_error() -> None:
    # found by hypothesis: "extracted": "" once reached an assert instead of a DataError naming the field
    doc = json.loads(RAW["bis_dpl.json"])
    doc["extracted"] = ""
    result = outcome("bis_dpl.json", json.dumps(doc).encode())
    assert isinstance(result, DataError) and result.field == "extracted"
